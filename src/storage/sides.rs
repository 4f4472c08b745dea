//! Which speakers of a call are on the rep's side. An exported Zoom or Teams transcript names its
//! speakers but not their side, and a sales call often has two sellers (the rep and a sales
//! engineer, a manager); the user says who is theirs, and Zapis remembers the names for the next
//! import, so the app's import (which asks nothing) gets the rep right from then on.

use rusqlite::params;

use super::{Library, Result, StorageError};
use crate::domain::Role;

/// The settings key of the names the user has put on their side.
const SELLER_SIDE_KEY: &str = "seller_side_names";

impl Library {
    /// Puts every line `speaker` said in the call, and the participant of that name, on `side`.
    /// The rep's side may not be left empty: talk share and the rep's items need someone on it.
    /// `speaker` is compared ignoring case; returns the name as the transcript spells it.
    pub fn set_speaker_side(&mut self, call_id: i64, speaker: &str, side: Role) -> Result<String> {
        self.require_call(call_id)?;
        let speakers = self.speaker_sides(call_id)?;
        let wanted = speaker.trim();
        let Some(speaker) = speakers
            .iter()
            .map(|(name, _)| name.clone())
            .find(|name| name.eq_ignore_ascii_case(wanted))
        else {
            let names: Vec<&str> = speakers.iter().map(|(n, _)| n.as_str()).collect();
            return Err(StorageError::Invalid {
                what: "speaker",
                detail: format!(
                    "no one called {wanted:?} speaks in call {call_id}; its speakers are {}",
                    names.join(", ")
                ),
            });
        };
        let others_on_rep_side = speakers
            .iter()
            .any(|(name, role)| *name != speaker && *role == Role::Rep);
        if side == Role::Customer && !others_on_rep_side {
            return Err(StorageError::Invalid {
                what: "speaker side",
                detail: format!(
                    "{speaker} is the only speaker on your side of call {call_id}; put someone else on your side first"
                ),
            });
        }
        let path = self.path.clone();
        let err = |e| super::error::classify(&path, e);
        let tx = self.transaction()?;
        tx.execute(
            "UPDATE segments SET role = ?3 WHERE call_id = ?1 AND speaker = ?2",
            params![call_id, speaker, side.as_str()],
        )
        .map_err(err)?;
        tx.execute(
            "UPDATE participants SET role = ?3 WHERE call_id = ?1 AND name = ?2",
            params![call_id, speaker, side.as_str()],
        )
        .map_err(err)?;
        tx.commit().map_err(err)?;
        Ok(speaker)
    }

    /// Each speaker of the call in the order they first speak, with their side.
    pub fn speaker_sides(&self, call_id: i64) -> Result<Vec<(String, Role)>> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT speaker, role FROM segments WHERE call_id = ?1
                 GROUP BY speaker ORDER BY min(start_ms), min(id)",
            )
            .map_err(|e| self.sql_error(e))?;
        let rows = stmt
            .query_map([call_id], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
            })
            .map_err(|e| self.sql_error(e))?;
        let mut out = Vec::new();
        for row in rows {
            let (speaker, role) = row.map_err(|e| self.sql_error(e))?;
            let role = Role::parse(&role).ok_or_else(|| StorageError::Invalid {
                what: "stored speaker side",
                detail: format!("{role:?} for {speaker} in call {call_id}"),
            })?;
            out.push((speaker, role));
        }
        Ok(out)
    }

    /// The names the user has put on their side, on any call (compared ignoring case).
    pub fn seller_side_names(&self) -> Result<Vec<String>> {
        Ok(self.setting(SELLER_SIDE_KEY)?.unwrap_or_default())
    }

    /// Remembers `name` on the user's side (`Role::Rep`) or forgets it (`Role::Customer`).
    pub fn remember_speaker_side(&mut self, name: &str, side: Role) -> Result<()> {
        let name = name.trim();
        let mut names = self.seller_side_names()?;
        names.retain(|n| !n.eq_ignore_ascii_case(name));
        if side == Role::Rep && !name.is_empty() {
            names.push(name.to_string());
        }
        self.set_setting(SELLER_SIDE_KEY, &names)
    }
}
