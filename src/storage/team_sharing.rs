//! What the rep chose to share with the team and where each call stands: choices per call and
//! per contact, the default policy, and the one decision that says whether a call may leave this
//! computer (its notes are ready, everyone on it consented, and the rep's choices send it). Both
//! the sync and the call view's switch ask this decision, so they cannot disagree.

use rusqlite::{params, OptionalExtension};
use serde::Serialize;

use super::team::{queue_calls, NotShared, SharePolicy};
use super::types::*;
use super::{Library, Result};

/// What a sharing choice is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShareScope {
    Call(i64),
    /// Every call with this person (by email).
    Contact(String),
}

/// Which of the rep's choices decides whether a call goes to the team.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "kebab-case")]
pub enum ShareChoice {
    /// The rep chose for this call.
    Call,
    /// The rep chose for a person on the call (a person kept out keeps the call out).
    Contact,
    /// Neither: the default policy decides.
    Policy,
}

/// Where one call stands with the team, for the call view's switch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct CallSharing {
    /// Whether the rep's choices (or the policy) send this call to the team.
    pub chosen: bool,
    pub decided_by: ShareChoice,
    /// The default for calls the rep has not chosen about.
    pub policy: SharePolicy,
    /// Why the call stays on this computer; `None` when it goes to the team.
    pub held_back: Option<NotShared>,
    /// A change to the call waits for the next sync.
    pub waiting: bool,
}

/// What the stored choices and receipts say about one call, with the people and receipts it was
/// decided from (the sync's snapshot carries them too).
pub(super) struct SharingDecision {
    pub chosen: bool,
    pub decided_by: ShareChoice,
    pub held_back: Option<NotShared>,
    pub participants: Vec<Participant>,
    pub consent: Vec<ConsentReceipt>,
}

impl Library {
    /// Where a call stands with the team; `Ok(None)` when this library has not joined one.
    pub fn call_sharing(&self, call_id: i64) -> Result<Option<CallSharing>> {
        self.require_call(call_id)?;
        let Some(membership) = self.team_membership()? else {
            return Ok(None);
        };
        let status: String = self
            .conn
            .query_row("SELECT status FROM calls WHERE id = ?1", [call_id], |r| {
                r.get(0)
            })
            .map_err(|e| self.sql_error(e))?;
        let decision = self.sharing_decision(call_id, &status, membership.policy)?;
        let waiting = self
            .conn
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM team_outbox WHERE call_id = ?1)",
                [call_id],
                |r| r.get(0),
            )
            .map_err(|e| self.sql_error(e))?;
        Ok(Some(CallSharing {
            chosen: decision.chosen,
            decided_by: decision.decided_by,
            policy: membership.policy,
            held_back: decision.held_back,
            waiting,
        }))
    }

    /// Whether a call may go to the team, and if not why: first the rep's choice (a call the rep
    /// keeps here stays, whatever else holds), then consent (which no choice overrides), then
    /// whether its notes are ready (which only takes time).
    pub(super) fn sharing_decision(
        &self,
        call_id: i64,
        status: &str,
        policy: SharePolicy,
    ) -> Result<SharingDecision> {
        let participants = self.participants(call_id)?;
        let consent = self.consent_receipts(call_id)?;
        let (chosen, decided_by) = self.share_choice(call_id, &participants, policy)?;
        let held_back = if !chosen {
            Some(NotShared::NotChosen)
        } else if !everyone_consented(&participants, &consent) {
            Some(NotShared::ConsentMissing)
        } else if status != CallStatus::Ready.as_str() {
            Some(NotShared::NotReady)
        } else {
            None
        };
        Ok(SharingDecision {
            chosen,
            decided_by,
            held_back,
            participants,
            consent,
        })
    }

    /// Records the rep's choice for a call or a contact and queues the calls it touches.
    pub fn set_team_share(&mut self, scope: &ShareScope, shared: bool) -> Result<usize> {
        self.require_membership()?;
        let path = self.path.clone();
        let err = |e| super::error::classify(&path, e);
        let (kind, key) = match scope {
            ShareScope::Call(id) => {
                self.require_call(*id)?;
                ("call", id.to_string())
            }
            ShareScope::Contact(email) => ("contact", email.trim().to_lowercase()),
        };
        let tx = self.transaction()?;
        tx.execute(
            "INSERT OR REPLACE INTO team_shares (scope, key, shared) VALUES (?1, ?2, ?3)",
            params![kind, key, shared],
        )
        .map_err(err)?;
        let queued = match scope {
            ShareScope::Call(id) => {
                queue_calls(&tx, &format!("SELECT id FROM calls WHERE id = {id}")).map_err(err)?
            }
            ShareScope::Contact(_) => {
                let mut stmt = tx
                    .prepare("SELECT DISTINCT call_id FROM participants WHERE lower(email) = ?1")
                    .map_err(err)?;
                let ids: Vec<i64> = stmt
                    .query_map([&key], |r| r.get(0))
                    .map_err(err)?
                    .collect::<rusqlite::Result<_>>()
                    .map_err(err)?;
                drop(stmt);
                for id in &ids {
                    queue_calls(&tx, &format!("SELECT id FROM calls WHERE id = {id}"))
                        .map_err(err)?;
                }
                ids.len()
            }
        };
        tx.commit().map_err(err)?;
        Ok(queued)
    }

    /// Sets the team policy for calls the rep has not chosen about, and queues every call.
    pub fn set_team_policy(&mut self, policy: SharePolicy) -> Result<usize> {
        self.require_membership()?;
        let path = self.path.clone();
        let err = |e| super::error::classify(&path, e);
        let tx = self.transaction()?;
        tx.execute(
            "UPDATE team_membership SET share_policy = ?1",
            [policy.as_str()],
        )
        .map_err(err)?;
        let queued = queue_calls(&tx, "SELECT id FROM calls").map_err(err)?;
        tx.commit().map_err(err)?;
        Ok(queued)
    }

    /// The rep's choice for the call, else for its people, else the policy.
    fn share_choice(
        &self,
        call_id: i64,
        participants: &[Participant],
        policy: SharePolicy,
    ) -> Result<(bool, ShareChoice)> {
        let choice = |scope: &str, key: &str| -> Result<Option<bool>> {
            self.conn
                .query_row(
                    "SELECT shared FROM team_shares WHERE scope = ?1 AND key = ?2",
                    params![scope, key],
                    |r| r.get(0),
                )
                .optional()
                .map_err(|e| self.sql_error(e))
        };
        if let Some(shared) = choice("call", &call_id.to_string())? {
            return Ok((shared, ShareChoice::Call));
        }
        let mut by_contact = Vec::new();
        for email in participants.iter().filter_map(|p| p.email.as_deref()) {
            if let Some(shared) = choice("contact", &email.to_lowercase())? {
                by_contact.push(shared);
            }
        }
        // A person the rep keeps out keeps the call out, whoever else was on it.
        if by_contact.contains(&false) {
            return Ok((false, ShareChoice::Contact));
        }
        if by_contact.contains(&true) {
            return Ok((true, ShareChoice::Contact));
        }
        Ok((policy == SharePolicy::AllCalls, ShareChoice::Policy))
    }
}

/// Everyone on the call agreed: at least one receipt, none declined or withdrawn, and every
/// participant has a granted receipt (by email where both have one, else by name).
fn everyone_consented(participants: &[Participant], consent: &[ConsentReceipt]) -> bool {
    if consent.is_empty() || consent.iter().any(|r| r.decision != Decision::Granted) {
        return false;
    }
    participants.iter().all(|p| {
        consent
            .iter()
            .any(|r| match (&p.email, &r.participant_email) {
                (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
                _ => r.participant_name.trim() == p.name.trim(),
            })
    })
}
