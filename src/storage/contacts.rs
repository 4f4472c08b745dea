//! CRM contacts and accounts, and the links between calls and contacts.

use chrono::Utc;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use super::insights::ActionItem;
use super::types::*;
use super::{Library, Result, StorageError};

/// One person as a CRM export describes them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContactRecord {
    pub email: String,
    pub name: String,
    pub title: Option<String>,
    pub phone: Option<String>,
    pub account: Option<String>,
    pub crm_source: Option<String>,
    pub crm_id: Option<String>,
}

#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq, Eq, ts_rs::TS)]
pub struct ContactImport {
    pub imported: usize,
    pub updated: usize,
    pub calls_linked: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, ts_rs::TS)]
pub struct ContactSummary {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub title: Option<String>,
    pub phone: Option<String>,
    pub account: Option<String>,
    pub crm_source: Option<String>,
    pub crm_id: Option<String>,
    pub calls: i64,
    pub open_action_items: i64,
    #[serde(with = "rfc3339::option")]
    #[ts(type = "string | null")]
    pub last_call_at: Option<chrono::DateTime<Utc>>,
}

/// Who a contact is, as their detail page shows it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, ts_rs::TS)]
pub struct ContactCard {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub title: Option<String>,
    pub phone: Option<String>,
    pub account: Option<String>,
    pub crm_source: Option<String>,
    pub crm_id: Option<String>,
}

/// A contact with their call history (`zapis contacts show`). Its `open_action_items` are the
/// items themselves, where a [`ContactSummary`] has only their number.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, ts_rs::TS)]
pub struct ContactDetail {
    #[serde(flatten)]
    pub contact: ContactCard,
    pub calls: i64,
    #[serde(with = "rfc3339::option")]
    #[ts(type = "string | null")]
    pub last_call_at: Option<chrono::DateTime<Utc>>,
    pub history: Vec<CallSummary>,
    pub open_action_items: Vec<ActionItem>,
}

const CONTACT_COLUMNS: &str =
    "k.id, k.email, k.name, k.title, k.phone, a.name, k.crm_source, k.crm_id,
    (SELECT count(*) FROM call_contacts cc WHERE cc.contact_id = k.id),
    (SELECT count(*) FROM action_items ai JOIN call_contacts cc ON cc.call_id = ai.call_id
        WHERE cc.contact_id = k.id AND ai.done = 0),
    (SELECT max(c.started_at) FROM calls c JOIN call_contacts cc ON cc.call_id = c.id
        WHERE cc.contact_id = k.id)";

impl Library {
    /// Adds or updates contacts (deduplicated by email) and their accounts in one transaction, then
    /// links every call that has a participant with one of those emails.
    pub fn upsert_contacts(&mut self, records: &[ContactRecord]) -> Result<ContactImport> {
        let path = self.path.clone();
        let err = |e| super::error::classify(&path, e);
        let tx = self.transaction()?;
        let mut outcome = ContactImport::default();
        let now = format_time(Utc::now());
        for r in records {
            let account_id = match r
                .account
                .as_deref()
                .map(str::trim)
                .filter(|a| !a.is_empty())
            {
                Some(name) => Some(account_id(&tx, name, &now).map_err(err)?),
                None => None,
            };
            let existing: Option<i64> = tx
                .query_row(
                    "SELECT id FROM contacts WHERE email = ?1",
                    [r.email.trim()],
                    |row| row.get(0),
                )
                .optional()
                .map_err(err)?;
            match existing {
                Some(id) => {
                    tx.execute(
                        "UPDATE contacts SET name = ?2, title = coalesce(?3, title), phone = coalesce(?4, phone),
                             account_id = coalesce(?5, account_id), crm_source = coalesce(?6, crm_source),
                             crm_id = coalesce(?7, crm_id), updated_at = ?8
                         WHERE id = ?1",
                        params![id, r.name.trim(), r.title, r.phone, account_id, r.crm_source, r.crm_id, now],
                    )
                    .map_err(err)?;
                    outcome.updated += 1;
                }
                None => {
                    tx.execute(
                        "INSERT INTO contacts (email, name, title, phone, account_id, crm_source, crm_id,
                             created_at, updated_at)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
                        params![r.email.trim(), r.name.trim(), r.title, r.phone, account_id, r.crm_source, r.crm_id, now],
                    )
                    .map_err(err)?;
                    outcome.imported += 1;
                }
            }
        }
        outcome.calls_linked = link_by_email(&tx).map_err(err)?;
        super::calls::audit(
            &tx,
            "contacts.imported",
            "contacts",
            &format!("{} new, {} updated", outcome.imported, outcome.updated),
        )
        .map_err(err)?;
        tx.commit().map_err(err)?;
        Ok(outcome)
    }

    /// Links calls to contacts whose email matches a participant's; returns how many links were new.
    pub fn link_calls_by_email(&mut self) -> Result<usize> {
        link_by_email(self.writer()?).map_err(|e| self.sql_error(e))
    }

    /// Links a call to a contact by hand.
    pub fn link_call(&mut self, call_id: i64, email: &str) -> Result<()> {
        self.require_call(call_id)?;
        let contact = self.contact_id(email)?;
        self.writer()?
            .execute(
                "INSERT OR IGNORE INTO call_contacts (call_id, contact_id, linked_by) VALUES (?1, ?2, 'manual')",
                params![call_id, contact],
            )
            .map_err(|e| self.sql_error(e))?;
        Ok(())
    }

    pub fn contacts(&self, search: Option<&str>) -> Result<Vec<ContactSummary>> {
        let sql = format!(
            "SELECT {CONTACT_COLUMNS} FROM contacts k LEFT JOIN accounts a ON a.id = k.account_id
             WHERE ?1 IS NULL OR k.name LIKE '%' || ?1 || '%' OR k.email LIKE '%' || ?1 || '%'
                OR a.name LIKE '%' || ?1 || '%'
             ORDER BY k.name COLLATE NOCASE, k.email"
        );
        let mut stmt = self
            .conn
            .prepare_cached(&sql)
            .map_err(|e| self.sql_error(e))?;
        let rows = stmt
            .query_map(
                [search.map(str::trim).filter(|s| !s.is_empty())],
                contact_from_row,
            )
            .map_err(|e| self.sql_error(e))?;
        rows.map(|r| r.map_err(|e| self.sql_error(e))).collect()
    }

    pub fn contact(&self, email: &str) -> Result<ContactDetail> {
        let id = self.contact_id(email)?;
        let sql = format!(
            "SELECT {CONTACT_COLUMNS} FROM contacts k LEFT JOIN accounts a ON a.id = k.account_id WHERE k.id = ?1"
        );
        let summary = self
            .conn
            .query_row(&sql, [id], contact_from_row)
            .map_err(|e| self.sql_error(e))?;
        let history = self.list_calls(&CallQuery {
            contact_email: Some(summary.email.clone()),
            limit: 10_000,
            ..Default::default()
        })?;
        let mut open_action_items = Vec::new();
        for call in &history {
            open_action_items.extend(self.action_items(call.id)?.into_iter().filter(|a| !a.done));
        }
        Ok(ContactDetail {
            calls: summary.calls,
            last_call_at: summary.last_call_at,
            contact: ContactCard {
                id: summary.id,
                email: summary.email,
                name: summary.name,
                title: summary.title,
                phone: summary.phone,
                account: summary.account,
                crm_source: summary.crm_source,
                crm_id: summary.crm_id,
            },
            history,
            open_action_items,
        })
    }

    pub(super) fn contact_id(&self, email: &str) -> Result<i64> {
        self.conn
            .query_row(
                "SELECT id FROM contacts WHERE email = ?1",
                [email.trim()],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.sql_error(e))?
            .ok_or_else(|| StorageError::ContactNotFound(email.trim().to_string()))
    }
}

fn account_id(tx: &Connection, name: &str, now: &str) -> rusqlite::Result<i64> {
    tx.execute(
        "INSERT OR IGNORE INTO accounts (name, created_at) VALUES (?1, ?2)",
        params![name, now],
    )?;
    tx.query_row("SELECT id FROM accounts WHERE name = ?1", [name], |r| {
        r.get(0)
    })
}

fn link_by_email(conn: &rusqlite::Connection) -> rusqlite::Result<usize> {
    conn.execute(
        "INSERT OR IGNORE INTO call_contacts (call_id, contact_id, linked_by)
         SELECT DISTINCT p.call_id, k.id, 'email' FROM participants p JOIN contacts k ON k.email = p.email",
        [],
    )
}

fn contact_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ContactSummary> {
    let last: Option<String> = r.get(10)?;
    Ok(ContactSummary {
        id: r.get(0)?,
        email: r.get(1)?,
        name: r.get(2)?,
        title: r.get(3)?,
        phone: r.get(4)?,
        account: r.get(5)?,
        crm_source: r.get(6)?,
        crm_id: r.get(7)?,
        calls: r.get(8)?,
        open_action_items: r.get(9)?,
        last_call_at: last.as_deref().and_then(parse_time),
    })
}

/// Links one call's participants to existing contacts with the same email.
pub(super) fn link_call_by_email(
    conn: &rusqlite::Connection,
    call_id: i64,
) -> rusqlite::Result<usize> {
    conn.execute(
        "INSERT OR IGNORE INTO call_contacts (call_id, contact_id, linked_by)
         SELECT DISTINCT p.call_id, k.id, 'email' FROM participants p JOIN contacts k ON k.email = p.email
         WHERE p.call_id = ?1",
        [call_id],
    )
}
