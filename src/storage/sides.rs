//! Which speakers of a call are on the rep's side. An exported Zoom or Teams transcript names its
//! speakers but not their side, and a sales call often has two sellers (the rep and a sales
//! engineer, a manager); the user says who is theirs, and Zapis remembers the names for the next
//! import, so the app's import (which asks nothing) gets the rep right from then on.

use rusqlite::params;

use super::{Library, Result, StorageError};
use crate::domain::Role;

/// Whether two spellings name the same speaker: ignoring case (Unicode, so "ČEDA" is "Čeda") and
/// surrounding spaces.
pub fn same_name(a: &str, b: &str) -> bool {
    a.trim().to_lowercase() == b.trim().to_lowercase()
}

/// Labels that name a place in one call, not a person: remembering them would put whoever has
/// that label in the next import on the rep's side.
fn names_a_person(name: &str) -> bool {
    let generic = name
        .strip_prefix("Speaker ")
        .is_some_and(|n| n.parse::<u32>().is_ok())
        || ["rep", "customer", crate::domain::ONE_CHANNEL_SPEAKER]
            .iter()
            .any(|label| same_name(label, name));
    !generic && !name.trim().is_empty()
}

/// The settings key of the names the user has put on their side.
const SELLER_SIDE_KEY: &str = "seller_side_names";

impl Library {
    /// Puts every line `speaker` said in the call, and the participant of that name, on `side`.
    /// The rep's side may not be left empty: talk share and the rep's items need someone on it.
    /// `speaker` is compared ignoring case; returns the name as the transcript spells it.
    pub fn set_speaker_side(&mut self, call_id: i64, speaker: &str, side: Role) -> Result<String> {
        self.require_call(call_id)?;
        if self.is_one_channel(call_id)? {
            return Err(StorageError::Invalid {
                what: "speaker side",
                detail: format!(
                    "call {call_id} has everyone on one channel, where the rep is the voice named after them; name the voices instead (`zapis calls name-voice`)"
                ),
            });
        }
        let speakers = self.speaker_sides(call_id)?;
        if speakers.is_empty() {
            return Err(StorageError::Invalid {
                what: "speaker",
                detail: format!("call {call_id} has no transcript lines yet"),
            });
        }
        let wanted = speaker.trim();
        let Some(speaker) = speakers
            .iter()
            .map(|(name, _)| name.clone())
            .find(|name| same_name(name, wanted))
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
        // Items the user kept (checked off or edited) are not recomputed: one the speaker took on
        // moves side with them, as a recomputed one does.
        tx.execute(
            "UPDATE action_items SET owner = ?3
             WHERE call_id = ?1 AND (done OR edited) AND owner IN ('rep', 'customer')
               AND segment_id IN (SELECT id FROM segments WHERE call_id = ?1 AND speaker = ?2)",
            params![call_id, speaker, side.as_str()],
        )
        .map_err(err)?;
        tx.commit().map_err(err)?;
        Ok(speaker)
    }

    fn is_one_channel(&self, call_id: i64) -> Result<bool> {
        self.conn
            .query_row(
                "SELECT one_channel FROM calls WHERE id = ?1",
                [call_id],
                |r| r.get(0),
            )
            .map_err(|e| self.sql_error(e))
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

    /// Remembers `name` on the user's side (`Role::Rep`) or forgets it (`Role::Customer`). A
    /// label that names no one ("Speaker 3", "Customer") is never remembered.
    pub fn remember_speaker_side(&mut self, name: &str, side: Role) -> Result<()> {
        let name = name.trim();
        if !names_a_person(name) {
            return Ok(());
        }
        let mut names = self.seller_side_names()?;
        names.retain(|n| !same_name(n, name));
        if side == Role::Rep {
            names.push(name.to_string());
        }
        self.set_setting(SELLER_SIDE_KEY, &names)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_that_name_no_one_are_never_remembered() {
        for label in [
            "Speaker 2",
            "Speaker 13",
            "customer",
            "Rep",
            crate::domain::ONE_CHANNEL_SPEAKER,
            " ",
        ] {
            assert!(!names_a_person(label), "{label}");
        }
        for name in ["Speaker Jones", "Ana Rep", "Čeda"] {
            assert!(names_a_person(name), "{name}");
        }
        assert!(same_name("ČEDA JOVANOVIĆ ", "čeda jovanović"));
    }

    #[test]
    fn a_one_channel_call_refuses_sides_and_a_lone_rep_stays_on_their_side() {
        use crate::storage::{CallSource, CallStatus, NewCall, NewSegment};
        let dir = tempfile::tempdir().unwrap();
        let mut library = Library::open(dir.path()).unwrap();
        let mut call = |one_channel: bool| {
            let id = library
                .create_call(&NewCall {
                    title: "sides".into(),
                    started_at: chrono::Utc::now(),
                    language: "en".into(),
                    source: CallSource::ImportedTranscript,
                    status: CallStatus::Ready,
                    audio_dir: None,
                    participants: Vec::new(),
                })
                .unwrap();
            let line = |speaker: &str, role, start_ms| NewSegment {
                speaker: speaker.into(),
                role,
                start_ms,
                end_ms: start_ms + 1000,
                text: "Hello there.".into(),
                confidence: None,
            };
            library
                .append_segments(
                    id,
                    &[
                        line("Ana", Role::Rep, 0),
                        line("Dana", Role::Customer, 2000),
                    ],
                )
                .unwrap();
            if one_channel {
                library.set_one_channel(id).unwrap();
            }
            id
        };
        let (two, one) = (call(false), call(true));
        let refused = library
            .set_speaker_side(one, "Dana", Role::Rep)
            .unwrap_err();
        assert!(refused.to_string().contains("one channel"), "{refused}");
        let lone = library
            .set_speaker_side(two, "ana", Role::Customer)
            .unwrap_err();
        assert!(
            lone.to_string().contains("only speaker on your side"),
            "{lone}"
        );
        assert_eq!(
            library.set_speaker_side(two, "DANA", Role::Rep).unwrap(),
            "Dana"
        );
        assert_eq!(
            library.speaker_sides(two).unwrap(),
            [
                ("Ana".to_string(), Role::Rep),
                ("Dana".to_string(), Role::Rep)
            ]
        );
    }
}
