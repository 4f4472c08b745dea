use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{ConsentError, ConsentToken, Language, Notice, Participant};

/// What a participant said.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    OptIn,
    OptOut,
    /// Taking back an earlier opt-in. Before recording starts it acts as an opt-out.
    Withdraw,
}

/// How the decision was collected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// The participant clicked or tapped in the app.
    OnScreen,
    /// The participant answered aloud and the rep confirmed the answer in the app.
    Verbal,
    /// Taken from an earlier record (for example a signed form) and entered by the rep.
    Imported,
}

/// A consent method named in text that Zapis does not know.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown consent method '{0}'; use on-screen or verbal")]
pub struct UnknownMethod(pub String);

impl Method {
    /// The method of a decision taken live, as the front ends name it (`on-screen`, `verbal`).
    /// Anything else is an error, never a default: a receipt must not claim a method that was
    /// not used.
    pub fn parse_live(text: &str) -> Result<Method, UnknownMethod> {
        match text {
            "on-screen" => Ok(Method::OnScreen),
            "verbal" => Ok(Method::Verbal),
            other => Err(UnknownMethod(other.to_owned())),
        }
    }
}

/// What happens to the audio captured before someone withdrew.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WithdrawalPolicy {
    /// Delete everything captured so far.
    #[default]
    Purge,
    /// Keep it only if every remaining participant opts in again; otherwise delete it.
    KeepIfRemainingReconsent,
}

/// Outcome of a withdrawal for the audio captured before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WithdrawalResolution {
    Purge,
    AwaitingReconsent,
    Keep,
}

/// One stored fact: who decided what, when, after seeing which notice, and how it was asked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentReceipt {
    pub participant: Participant,
    pub decision: Decision,
    pub at: DateTime<Utc>,
    pub notice_version: String,
    pub language: Language,
    pub method: Method,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConsentState {
    Idle,
    NoticeShown {
        notice_version: String,
        language: Language,
    },
    Granted {
        notice_version: String,
        language: Language,
    },
    Declined {
        by: Participant,
    },
    Recording {
        notice_version: String,
        language: Language,
    },
    Stopped,
    Withdrawn {
        by: Participant,
        resolution: WithdrawalResolution,
    },
}

impl ConsentState {
    pub fn name(&self) -> &'static str {
        match self {
            ConsentState::Idle => "idle",
            ConsentState::NoticeShown { .. } => "notice shown",
            ConsentState::Granted { .. } => "granted",
            ConsentState::Declined { .. } => "declined",
            ConsentState::Recording { .. } => "recording",
            ConsentState::Stopped => "stopped",
            ConsentState::Withdrawn { .. } => "withdrawn",
        }
    }
}

/// The consent flow of one call. Pure: the caller supplies times and stores the receipts.
#[derive(Debug)]
pub struct ConsentSession {
    participants: Vec<Participant>,
    policy: WithdrawalPolicy,
    state: ConsentState,
    shown: Option<(String, Language)>,
    /// Per participant: opted in (true) in the current round of asking. A withdrawal under the
    /// keep policy starts a new round for everyone but the one who withdrew.
    opted_in: Vec<bool>,
    last_opt_in_at: Option<DateTime<Utc>>,
}

impl ConsentSession {
    pub fn new(
        participants: Vec<Participant>,
        policy: WithdrawalPolicy,
    ) -> Result<ConsentSession, ConsentError> {
        if participants.is_empty() {
            return Err(ConsentError::NoParticipants);
        }
        for (i, p) in participants.iter().enumerate() {
            if participants[..i].iter().any(|q| q.name() == p.name()) {
                return Err(ConsentError::DuplicateParticipant {
                    name: p.name().to_owned(),
                });
            }
        }
        let count = participants.len();
        Ok(ConsentSession {
            participants,
            policy,
            state: ConsentState::Idle,
            shown: None,
            opted_in: vec![false; count],
            last_opt_in_at: None,
        })
    }

    pub fn state(&self) -> &ConsentState {
        &self.state
    }

    pub fn participants(&self) -> &[Participant] {
        &self.participants
    }

    pub fn policy(&self) -> WithdrawalPolicy {
        self.policy
    }

    /// Records that `notice` was shown (or read out) to everyone. Allowed before anyone has
    /// decided; showing another notice then replaces the first.
    pub fn show_notice(&mut self, notice: &Notice) -> Result<(), ConsentError> {
        let nobody_decided = !self.opted_in.iter().any(|&d| d);
        match self.state {
            ConsentState::Idle | ConsentState::NoticeShown { .. } if nobody_decided => {
                self.shown = Some((notice.version().to_owned(), notice.language()));
                self.state = ConsentState::NoticeShown {
                    notice_version: notice.version().to_owned(),
                    language: notice.language(),
                };
                Ok(())
            }
            _ => Err(self.invalid("show the notice")),
        }
    }

    /// Applies one participant's decision and returns the receipt to store. A rejected
    /// decision changes nothing and produces no receipt.
    pub fn decide(
        &mut self,
        participant_name: &str,
        decision: Decision,
        method: Method,
        at: DateTime<Utc>,
    ) -> Result<ConsentReceipt, ConsentError> {
        let index = self
            .participants
            .iter()
            .position(|p| p.name() == participant_name)
            .ok_or_else(|| ConsentError::UnknownParticipant {
                name: participant_name.to_owned(),
            })?;
        let (notice_version, language) = self.shown.clone().ok_or(ConsentError::NoticeNotShown)?;
        let participant = self.participants[index].clone();
        let declined = ConsentState::Declined {
            by: participant.clone(),
        };

        let next = match (&self.state, decision) {
            (ConsentState::NoticeShown { .. }, Decision::OptIn) => {
                if self.opted_in[index] {
                    return Err(ConsentError::AlreadyDecided {
                        name: participant_name.to_owned(),
                    });
                }
                self.opted_in[index] = true;
                self.last_opt_in_at = Some(at);
                if self.opted_in.iter().all(|&d| d) {
                    ConsentState::Granted {
                        notice_version: notice_version.clone(),
                        language,
                    }
                } else {
                    self.state.clone()
                }
            }
            (ConsentState::NoticeShown { .. } | ConsentState::Granted { .. }, _) => declined,
            (ConsentState::Recording { .. }, Decision::OptOut | Decision::Withdraw) => {
                let resolution = match self.policy {
                    WithdrawalPolicy::Purge => WithdrawalResolution::Purge,
                    WithdrawalPolicy::KeepIfRemainingReconsent if self.participants.len() == 1 => {
                        WithdrawalResolution::Purge
                    }
                    WithdrawalPolicy::KeepIfRemainingReconsent => {
                        self.opted_in.iter_mut().for_each(|d| *d = false);
                        WithdrawalResolution::AwaitingReconsent
                    }
                };
                ConsentState::Withdrawn {
                    by: participant.clone(),
                    resolution,
                }
            }
            (
                ConsentState::Withdrawn {
                    by,
                    resolution: WithdrawalResolution::AwaitingReconsent,
                },
                _,
            ) if by.name() != participant_name => {
                let by = by.clone();
                let resolution = if decision == Decision::OptIn {
                    if self.opted_in[index] {
                        return Err(ConsentError::AlreadyDecided {
                            name: participant_name.to_owned(),
                        });
                    }
                    self.opted_in[index] = true;
                    let everyone_else_agreed = self
                        .participants
                        .iter()
                        .zip(&self.opted_in)
                        .all(|(p, &d)| d || p.name() == by.name());
                    if everyone_else_agreed {
                        WithdrawalResolution::Keep
                    } else {
                        WithdrawalResolution::AwaitingReconsent
                    }
                } else {
                    WithdrawalResolution::Purge
                };
                ConsentState::Withdrawn { by, resolution }
            }
            _ => return Err(self.invalid(decision_action(decision))),
        };
        self.state = next;
        Ok(ConsentReceipt {
            participant,
            decision,
            at,
            notice_version,
            language,
            method,
        })
    }

    /// Granted → Recording. The returned token is the only way to start capture.
    pub fn start_recording(&mut self) -> Result<ConsentToken, ConsentError> {
        match &self.state {
            ConsentState::Granted {
                notice_version,
                language,
            } => {
                let (notice_version, language) = (notice_version.clone(), *language);
                let granted_at = self
                    .last_opt_in_at
                    .ok_or_else(|| self.invalid("start recording"))?;
                self.state = ConsentState::Recording {
                    notice_version: notice_version.clone(),
                    language,
                };
                Ok(ConsentToken::mint(
                    notice_version,
                    language,
                    self.participants.clone(),
                    granted_at,
                ))
            }
            _ => Err(self.invalid("start recording")),
        }
    }

    /// Recording → Stopped (the rep ended the call normally).
    pub fn stop_recording(&mut self) -> Result<(), ConsentError> {
        match self.state {
            ConsentState::Recording { .. } => {
                self.state = ConsentState::Stopped;
                Ok(())
            }
            _ => Err(self.invalid("stop recording")),
        }
    }

    /// What must happen to the audio captured so far, once someone has withdrawn.
    pub fn withdrawal_resolution(&self) -> Option<WithdrawalResolution> {
        match self.state {
            ConsentState::Withdrawn { resolution, .. } => Some(resolution),
            _ => None,
        }
    }

    /// Gives up waiting for re-consent (for example the call ended): the audio is purged.
    pub fn abandon_reconsent(&mut self) -> Result<(), ConsentError> {
        match &self.state {
            ConsentState::Withdrawn {
                by,
                resolution: WithdrawalResolution::AwaitingReconsent,
            } => {
                self.state = ConsentState::Withdrawn {
                    by: by.clone(),
                    resolution: WithdrawalResolution::Purge,
                };
                Ok(())
            }
            _ => Err(self.invalid("abandon re-consent")),
        }
    }

    fn invalid(&self, action: &'static str) -> ConsentError {
        ConsentError::InvalidTransition {
            action,
            state: self.state.name(),
        }
    }
}

fn decision_action(decision: Decision) -> &'static str {
    match decision {
        Decision::OptIn => "opt in",
        Decision::OptOut => "opt out",
        Decision::Withdraw => "withdraw",
    }
}

#[cfg(test)]
mod method_tests {
    use super::*;

    #[test]
    fn a_live_method_is_parsed_once_and_an_unknown_one_refused() {
        assert_eq!(Method::parse_live("on-screen"), Ok(Method::OnScreen));
        assert_eq!(Method::parse_live("verbal"), Ok(Method::Verbal));
        for bad in ["", "imported", "On-Screen", "on_screen", "telepathy"] {
            let err = Method::parse_live(bad).unwrap_err();
            assert!(err.to_string().contains("on-screen or verbal"), "{err}");
        }
    }
}
