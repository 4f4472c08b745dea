//! The right of access across the team: everything the team library holds about a person, as
//! the logged-in role may see it (a manager: the whole team), as one JSON document.

use chrono::{DateTime, NaiveDate, Utc};
use postgres::Client;
use serde::Serialize;

use super::connect::Server;
use super::sync::email_hash;
use super::TeamError;

#[derive(Debug, Clone, Serialize)]
pub struct TeamPersonExport {
    pub exported_at: DateTime<Utc>,
    pub subject: String,
    /// The team server, without its password.
    pub server: String,
    /// Whether a manager erased this person from the team (then nothing else is held).
    pub erased_from_team: bool,
    pub calls: Vec<TeamCallExport>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TeamCallExport {
    pub global_id: String,
    pub rep: String,
    pub title: String,
    pub started_at: DateTime<Utc>,
    pub duration_ms: i64,
    pub account: Option<String>,
    pub sentiment: Option<String>,
    pub insights: Option<serde_json::Value>,
    pub participants: Vec<serde_json::Value>,
    pub consent: Vec<serde_json::Value>,
    pub transcript: Vec<serde_json::Value>,
    pub action_items: Vec<TeamActionItemExport>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TeamActionItemExport {
    pub text: String,
    pub owner: String,
    pub due: Option<NaiveDate>,
    pub done: bool,
    pub updated_at: Option<DateTime<Utc>>,
    pub updated_by: Option<String>,
}

/// Every shared call the person was on (as a participant or in a consent receipt), whole.
pub fn export_person(
    server: &Server,
    client: &mut Client,
    email: &str,
) -> Result<TeamPersonExport, TeamError> {
    let err = |e| server.error(e);
    let email = email.trim();
    let erased: bool = client
        .query_one(
            "SELECT EXISTS (SELECT 1 FROM zapis.erasures WHERE subject_hash = $1)",
            &[&email_hash(email)],
        )
        .map_err(err)?
        .get(0);
    let calls = client
        .query(
            "SELECT c.global_id, c.rep, c.title, c.started_at, c.duration_ms, c.account,
                    c.sentiment_label, c.insights
             FROM zapis.calls c
             WHERE c.global_id IN (
                 SELECT call_id FROM zapis.participants WHERE lower(email) = lower($1)
                 UNION SELECT call_id FROM zapis.consent_receipts
                       WHERE lower(participant_email) = lower($1))
             ORDER BY c.started_at",
            &[&email],
        )
        .map_err(err)?;
    let mut out = Vec::with_capacity(calls.len());
    for c in calls {
        let id: String = c.get(0);
        let rows_as_json =
            |client: &mut Client, sql: &str| -> Result<Vec<serde_json::Value>, TeamError> {
                Ok(client
                    .query(sql, &[&id])
                    .map_err(err)?
                    .iter()
                    .map(|r| r.get::<_, serde_json::Value>(0))
                    .collect())
            };
        let participants = rows_as_json(
            client,
            "SELECT jsonb_build_object('name', name, 'email', email, 'role', role)
             FROM zapis.participants WHERE call_id = $1 ORDER BY seq",
        )?;
        let consent = rows_as_json(
            client,
            "SELECT jsonb_build_object('name', participant_name, 'email', participant_email,
                    'decision', decision, 'decided_at', decided_at, 'notice_version', notice_version,
                    'language', language, 'method', method)
             FROM zapis.consent_receipts WHERE call_id = $1 ORDER BY seq",
        )?;
        let transcript = rows_as_json(
            client,
            "SELECT jsonb_build_object('speaker', speaker, 'role', role, 'start_ms', start_ms,
                    'end_ms', end_ms, 'text', text)
             FROM zapis.segments WHERE call_id = $1 ORDER BY seq",
        )?;
        let action_items = client
            .query(
                "SELECT text, owner, due_date, done, updated_at, updated_by
                 FROM zapis.action_items WHERE call_id = $1 ORDER BY seq",
                &[&id],
            )
            .map_err(err)?
            .iter()
            .map(|r| TeamActionItemExport {
                text: r.get(0),
                owner: r.get(1),
                due: r.get(2),
                done: r.get(3),
                updated_at: r.get(4),
                updated_by: r.get(5),
            })
            .collect();
        out.push(TeamCallExport {
            global_id: id.clone(),
            rep: c.get(1),
            title: c.get(2),
            started_at: c.get(3),
            duration_ms: c.get(4),
            account: c.get(5),
            sentiment: c.get(6),
            insights: c.get(7),
            participants,
            consent,
            transcript,
            action_items,
        });
    }
    Ok(TeamPersonExport {
        exported_at: Utc::now(),
        subject: email.to_string(),
        server: server.address().to_string(),
        erased_from_team: erased,
        calls: out,
    })
}
