//! The far side's voices of a call: who each voice is, which lines it spoke, its voiceprint, and
//! the user's corrections (name, merge, split). Every change rewrites the lines' speaker labels,
//! so metrics, sentiment and action-item owners follow once insights are refreshed.
//!
//! In a one-channel call (everyone on one track) the rep is one of the voices too: a line is the
//! rep's exactly when its voice carries the rep's name, and every change settles that again.
//! The rep's own voiceprints (from microphone tracks, and voices the user named as the rep) are
//! how a one-channel recording finds the rep.

use rusqlite::{params, OptionalExtension};

use super::{Library, Result, StorageError};

/// How a voice got its label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "kebab-case")]
pub enum Naming {
    /// No certain name: "Speaker 2", "Speaker 3", …
    Anonymous,
    /// The call had one far-side participant and one far-side voice.
    OnlyRemote,
    /// The voice said its name ("I'm Dana", "this is Dana"), and no other voice did.
    Introduction,
    /// The voice matches one named on an earlier call with this person.
    EarlierCall,
    /// The user named it.
    User,
}

impl Naming {
    pub fn as_str(self) -> &'static str {
        match self {
            Naming::Anonymous => "anonymous",
            Naming::OnlyRemote => "only-remote",
            Naming::Introduction => "introduction",
            Naming::EarlierCall => "earlier-call",
            Naming::User => "user",
        }
    }

    pub fn parse(s: &str) -> Option<Naming> {
        Some(match s {
            "anonymous" => Naming::Anonymous,
            "only-remote" => Naming::OnlyRemote,
            "introduction" => Naming::Introduction,
            "earlier-call" => Naming::EarlierCall,
            "user" => Naming::User,
            _ => return None,
        })
    }
}

/// A voice to store, with the lines (segment ids) it spoke.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredVoice {
    pub voice: usize,
    pub label: String,
    pub naming: Naming,
    pub speech_ms: i64,
    pub voiceprint: Option<Vec<f32>>,
    pub segments: Vec<i64>,
}

/// A far-side voice as the call view shows it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
pub struct CallVoice {
    pub voice: i64,
    pub label: String,
    pub named_by: Naming,
    pub speech_ms: i64,
    /// How many transcript lines it spoke.
    pub lines: i64,
    /// Whether its voiceprint is kept (for recognising the person on later calls).
    pub has_voiceprint: bool,
    /// The ids of the transcript lines it spoke, in time order.
    pub segments: Vec<i64>,
}

/// A voice named on an earlier call, under the name its person has on the call asking.
#[derive(Debug, Clone, PartialEq)]
pub struct KnownVoice {
    pub name: String,
    pub voiceprint: Vec<f32>,
}

/// The label of an unnamed far-side voice: the rep is speaker 1, so voices count from 2.
pub fn anonymous_label(voice: usize) -> String {
    format!("Speaker {}", voice + 2)
}

fn to_blob(v: &[f32]) -> Vec<u8> {
    v.iter().flat_map(|x| x.to_le_bytes()).collect()
}

fn from_blob(b: &[u8]) -> Option<Vec<f32>> {
    b.len().is_multiple_of(4).then(|| {
        b.chunks_exact(4)
            .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect()
    })
}

impl Library {
    /// Replaces the call's far-side voices and relabels the lines each spoke, in one transaction.
    pub fn store_call_voices(&mut self, call_id: i64, voices: &[StoredVoice]) -> Result<()> {
        self.require_call(call_id)?;
        let path = self.path.clone();
        let err = |e| super::error::classify(&path, e);
        let tx = self.transaction()?;
        tx.execute("DELETE FROM call_voices WHERE call_id = ?1", [call_id])
            .map_err(err)?;
        tx.execute(
            "UPDATE segments SET voice = NULL WHERE call_id = ?1 AND voice IS NOT NULL",
            [call_id],
        )
        .map_err(err)?;
        for v in voices {
            tx.execute(
                "INSERT INTO call_voices (call_id, voice, label, named_by, speech_ms, voiceprint)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    call_id,
                    v.voice as i64,
                    v.label,
                    v.naming.as_str(),
                    v.speech_ms,
                    v.voiceprint.as_deref().map(to_blob)
                ],
            )
            .map_err(err)?;
            // Lines of the far side; in a one-channel call, any line.
            for id in &v.segments {
                tx.execute(
                    "UPDATE segments SET voice = ?1, speaker = ?2
                     WHERE id = ?3 AND call_id = ?4
                       AND (role = 'customer' OR (SELECT one_channel FROM calls WHERE id = ?4))",
                    params![v.voice as i64, v.label, id, call_id],
                )
                .map_err(err)?;
            }
        }
        settle_one_channel_roles(&tx, call_id).map_err(err)?;
        tx.commit().map_err(err)
    }

    /// Keeps the rep's voiceprint from the microphone track of a call.
    pub fn store_rep_voiceprint(&mut self, call_id: i64, voiceprint: &[f32]) -> Result<()> {
        self.require_call(call_id)?;
        self.writer()?
            .execute(
                "INSERT INTO rep_voiceprints (call_id, voiceprint) VALUES (?1, ?2)
                 ON CONFLICT (call_id) DO UPDATE SET voiceprint = excluded.voiceprint",
                params![call_id, to_blob(voiceprint)],
            )
            .map_err(|e| self.sql_error(e))?;
        Ok(())
    }

    /// The rep's voiceprints from other calls than `call_id`: their microphone tracks, and the
    /// voices the user named as the rep in one-channel calls.
    pub fn rep_voiceprints(&self, call_id: i64) -> Result<Vec<Vec<f32>>> {
        let rows: Vec<Vec<u8>> = self.query_list(
            "SELECT voiceprint FROM rep_voiceprints WHERE call_id != ?1
             UNION ALL
             SELECT v.voiceprint FROM call_voices v
             JOIN calls c ON c.id = v.call_id AND c.one_channel
             JOIN participants p ON p.call_id = v.call_id AND p.role = 'rep' AND p.name = v.label
             WHERE v.call_id != ?1 AND v.named_by = 'user' AND v.voiceprint IS NOT NULL",
            call_id,
            |r| r.get(0),
        )?;
        Ok(rows.iter().filter_map(|b| from_blob(b)).collect())
    }

    pub fn call_voices(&self, call_id: i64) -> Result<Vec<CallVoice>> {
        self.require_call(call_id)?;
        let lines = self.segment_voices(call_id)?;
        let mut voices = self.query_list(
            "SELECT v.voice, v.label, v.named_by, v.speech_ms,
                    (SELECT count(*) FROM segments s WHERE s.call_id = v.call_id AND s.voice = v.voice),
                    v.voiceprint IS NOT NULL
             FROM call_voices v WHERE v.call_id = ?1 ORDER BY v.voice",
            call_id,
            |r| {
                // The schema's CHECK allows only the known values; anything else is a damaged
                // row, said as such rather than shown as an anonymous voice.
                Ok(CallVoice {
                    voice: r.get(0)?,
                    label: r.get(1)?,
                    named_by: super::calls::parse_column(r, 2, Naming::parse)?,
                    speech_ms: r.get(3)?,
                    lines: r.get(4)?,
                    has_voiceprint: r.get(5)?,
                    segments: Vec::new(),
                })
            },
        )?;
        for v in &mut voices {
            v.segments = lines
                .iter()
                .filter(|(_, voice)| *voice == v.voice)
                .map(|(id, _)| *id)
                .collect();
        }
        Ok(voices)
    }

    /// Which voice spoke each diarized line: (segment id, voice).
    pub fn segment_voices(&self, call_id: i64) -> Result<Vec<(i64, i64)>> {
        self.query_list(
            "SELECT id, voice FROM segments WHERE call_id = ?1 AND voice IS NOT NULL ORDER BY start_ms, id",
            call_id,
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
    }

    /// Voices named on other calls with people (by email) who are on the far side of this one,
    /// under the name each person has on this call.
    pub fn known_voices(&self, call_id: i64) -> Result<Vec<KnownVoice>> {
        let rows: Vec<(String, Vec<u8>)> = self.query_list(
            "SELECT here.name, v.voiceprint
             FROM participants here
             JOIN participants there ON there.email = here.email AND there.call_id != here.call_id
                                     AND there.role = 'customer'
             JOIN call_voices v ON v.call_id = there.call_id AND v.label = there.name
             WHERE here.call_id = ?1 AND here.role = 'customer' AND here.email IS NOT NULL
               AND v.named_by != 'anonymous' AND v.voiceprint IS NOT NULL",
            call_id,
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        Ok(rows
            .into_iter()
            .filter_map(|(name, blob)| {
                from_blob(&blob).map(|voiceprint| KnownVoice { name, voiceprint })
            })
            .collect())
    }

    fn voice_exists(&self, call_id: i64, voice: i64) -> Result<()> {
        let found: Option<i64> = self
            .conn
            .query_row(
                "SELECT voice FROM call_voices WHERE call_id = ?1 AND voice = ?2",
                params![call_id, voice],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.sql_error(e))?;
        found.map(|_| ()).ok_or_else(|| StorageError::Invalid {
            what: "voice",
            detail: format!(
                "call {call_id} has no voice {voice}; `zapis calls voices {call_id}` lists them"
            ),
        })
    }

    /// The user names a voice: its lines take the name, and later calls with this person can
    /// recognise the voice by its voiceprint.
    pub fn name_voice(&mut self, call_id: i64, voice: i64, name: &str) -> Result<()> {
        let name = name.trim();
        if name.is_empty() {
            return Err(StorageError::Invalid {
                what: "voice name",
                detail: "it is empty".into(),
            });
        }
        self.require_call(call_id)?;
        self.voice_exists(call_id, voice)?;
        let (one_channel, rep): (bool, Option<String>) = self
            .conn
            .query_row(
                "SELECT c.one_channel, (SELECT p.name FROM participants p
                                        WHERE p.call_id = c.id AND p.role = 'rep'
                                        ORDER BY p.id LIMIT 1)
                 FROM calls c WHERE c.id = ?1",
                [call_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(|e| self.sql_error(e))?;
        if !one_channel && rep.as_deref() == Some(name) {
            return Err(StorageError::Invalid {
                what: "voice name",
                detail: format!(
                    "{name} is the rep, heard on the microphone track of this call, not on the far side; choose another name, or merge this voice into the one it belongs to"
                ),
            });
        }
        self.relabel_voice(call_id, voice, name, Naming::User)
    }

    /// The user says a voice is not the person it was named after (in a one-channel call, "not
    /// me" on the voice credited to the rep): it is "Speaker N" again, its lines are the far
    /// side's, and later calls no longer recognise anyone by it.
    pub fn unname_voice(&mut self, call_id: i64, voice: i64) -> Result<()> {
        self.require_call(call_id)?;
        self.voice_exists(call_id, voice)?;
        let label = anonymous_label(usize::try_from(voice).unwrap_or_default());
        self.relabel_voice(call_id, voice, &label, Naming::Anonymous)
    }

    fn relabel_voice(
        &mut self,
        call_id: i64,
        voice: i64,
        label: &str,
        naming: Naming,
    ) -> Result<()> {
        let path = self.path.clone();
        let err = |e| super::error::classify(&path, e);
        let tx = self.transaction()?;
        // Items the user kept (checked off or edited) are not recomputed: they follow here.
        tx.execute(
            "UPDATE action_items SET owner = ?3 WHERE call_id = ?1 AND owner =
                (SELECT label FROM call_voices WHERE call_id = ?1 AND voice = ?2)",
            params![call_id, voice, label],
        )
        .map_err(err)?;
        tx.execute(
            "UPDATE call_voices SET label = ?3, named_by = ?4 WHERE call_id = ?1 AND voice = ?2",
            params![call_id, voice, label, naming.as_str()],
        )
        .map_err(err)?;
        tx.execute(
            "UPDATE segments SET speaker = ?3 WHERE call_id = ?1 AND voice = ?2",
            params![call_id, voice, label],
        )
        .map_err(err)?;
        settle_one_channel_roles(&tx, call_id).map_err(err)?;
        tx.commit().map_err(err)
    }

    /// The user says two voices are one person: `from`'s lines join `into`, which keeps its
    /// label and voiceprint.
    pub fn merge_voices(&mut self, call_id: i64, from: i64, into: i64) -> Result<()> {
        if from == into {
            return Err(StorageError::Invalid {
                what: "voice merge",
                detail: format!("voice {from} cannot be merged into itself"),
            });
        }
        self.require_call(call_id)?;
        self.voice_exists(call_id, from)?;
        self.voice_exists(call_id, into)?;
        let path = self.path.clone();
        let err = |e| super::error::classify(&path, e);
        let tx = self.transaction()?;
        tx.execute(
            "UPDATE action_items SET owner =
                    (SELECT label FROM call_voices WHERE call_id = ?1 AND voice = ?3)
             WHERE call_id = ?1 AND owner =
                    (SELECT label FROM call_voices WHERE call_id = ?1 AND voice = ?2)",
            params![call_id, from, into],
        )
        .map_err(err)?;
        tx.execute(
            "UPDATE segments SET voice = ?3,
                    speaker = (SELECT label FROM call_voices WHERE call_id = ?1 AND voice = ?3)
             WHERE call_id = ?1 AND voice = ?2",
            params![call_id, from, into],
        )
        .map_err(err)?;
        tx.execute(
            "UPDATE call_voices SET speech_ms = speech_ms +
                    (SELECT speech_ms FROM call_voices WHERE call_id = ?1 AND voice = ?2)
             WHERE call_id = ?1 AND voice = ?3",
            params![call_id, from, into],
        )
        .map_err(err)?;
        tx.execute(
            "DELETE FROM call_voices WHERE call_id = ?1 AND voice = ?2",
            params![call_id, from],
        )
        .map_err(err)?;
        settle_one_channel_roles(&tx, call_id).map_err(err)?;
        tx.commit().map_err(err)
    }

    /// The user says some lines of a voice are someone else: they become a new anonymous voice
    /// (returned), without a voiceprint until the call is diarized again.
    pub fn split_voice(&mut self, call_id: i64, segments: &[i64]) -> Result<i64> {
        self.require_call(call_id)?;
        if segments.is_empty() {
            return Err(StorageError::Invalid {
                what: "voice split",
                detail: "no lines were chosen".into(),
            });
        }
        let path = self.path.clone();
        let err = |e| super::error::classify(&path, e);
        let tx = self.transaction()?;
        let next: i64 = tx
            .query_row(
                "SELECT coalesce(max(voice), -1) + 1 FROM call_voices WHERE call_id = ?1",
                [call_id],
                |r| r.get(0),
            )
            .map_err(err)?;
        let label = format!("Speaker {}", next + 2);
        let mut speech_ms = 0;
        for id in segments {
            let span: Option<i64> = tx
                .query_row(
                    "SELECT end_ms - start_ms FROM segments
                     WHERE id = ?1 AND call_id = ?2 AND voice IS NOT NULL",
                    params![id, call_id],
                    |r| r.get(0),
                )
                .optional()
                .map_err(err)?;
            let Some(span) = span else {
                return Err(StorageError::Invalid {
                    what: "voice split",
                    detail: format!(
                        "line {id} is not a far-side line of call {call_id} that diarization assigned"
                    ),
                });
            };
            speech_ms += span;
        }
        tx.execute(
            "INSERT INTO call_voices (call_id, voice, label, named_by, speech_ms)
             VALUES (?1, ?2, ?3, 'anonymous', ?4)",
            params![call_id, next, label, speech_ms],
        )
        .map_err(err)?;
        for id in segments {
            tx.execute(
                "UPDATE segments SET voice = ?1, speaker = ?2 WHERE id = ?3 AND call_id = ?4",
                params![next, label, id, call_id],
            )
            .map_err(err)?;
        }
        // A voice left with no lines is gone.
        tx.execute(
            "DELETE FROM call_voices WHERE call_id = ?1 AND NOT EXISTS
                (SELECT 1 FROM segments s WHERE s.call_id = ?1 AND s.voice = call_voices.voice)",
            [call_id],
        )
        .map_err(err)?;
        settle_one_channel_roles(&tx, call_id).map_err(err)?;
        tx.commit().map_err(err)?;
        Ok(next)
    }
}

/// In a one-channel call, a voiced line is the rep's exactly when its voice carries the rep's
/// name; nothing changes in a call with a track of its own for the rep.
fn settle_one_channel_roles(conn: &rusqlite::Connection, call_id: i64) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE segments SET role = CASE WHEN speaker =
                (SELECT p.name FROM participants p WHERE p.call_id = ?1 AND p.role = 'rep'
                 ORDER BY p.id LIMIT 1) THEN 'rep' ELSE 'customer' END
         WHERE call_id = ?1 AND voice IS NOT NULL
           AND (SELECT one_channel FROM calls WHERE id = ?1)",
        [call_id],
    )?;
    Ok(())
}
