//! The human-readable half of a data export.

use std::fmt::Write as _;

use super::ExportData;
use crate::storage::format_time;

pub fn markdown(data: &ExportData) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Data export for {}\n", data.subject);
    let _ = writeln!(
        out,
        "Exported by Zapis on {} (UTC). This folder holds everything Zapis stores about {}:\n",
        format_time(data.exported_at),
        data.subject
    );
    let segments: usize = data.calls.iter().map(|c| c.call.transcript.len()).sum();
    let receipts: usize = data.calls.iter().map(|c| c.call.consent.len()).sum();
    let actions: usize = data.calls.iter().map(|c| c.action_items.len()).sum();
    let _ = writeln!(out, "| What | How many |\n|---|---:|");
    let _ = writeln!(
        out,
        "| Contact record | {} |",
        usize::from(data.contact.is_some())
    );
    let _ = writeln!(out, "| Calls | {} |", data.calls.len());
    let _ = writeln!(out, "| Transcript segments | {segments} |");
    let _ = writeln!(out, "| Consent receipts | {receipts} |");
    let _ = writeln!(out, "| Action items | {actions} |");
    let _ = writeln!(out, "| Audit log entries | {} |", data.audit.len());
    let _ = writeln!(out, "| Audio files | {} |\n", data.audio_files.len());
    let _ = writeln!(
        out,
        "`data.json` has all of it in machine-readable form; `audio/` has the recordings.\n"
    );
    if let Some(c) = &data.contact {
        let _ = writeln!(
            out,
            "## Contact\n\n- Name: {}\n- Email: {}",
            c.name, c.email
        );
        for (label, value) in [
            ("Title", &c.title),
            ("Phone", &c.phone),
            ("Company", &c.account),
        ] {
            if let Some(v) = value {
                let _ = writeln!(out, "- {label}: {v}");
            }
        }
        let _ = writeln!(out);
    }
    for call in &data.calls {
        let s = &call.call.summary;
        let _ = writeln!(
            out,
            "## Call {}: {} ({} UTC)\n",
            s.id,
            s.title,
            s.started_at.format("%Y-%m-%d %H:%M")
        );
        for r in &call.call.consent {
            let _ = writeln!(
                out,
                "- Consent: {} {} on {} via {} (notice {})",
                r.participant_name,
                r.decision,
                format_time(r.decided_at),
                r.method,
                r.notice_version
            );
        }
        for v in &call.voices {
            let _ = writeln!(
                out,
                "- Voice on the other side: {} ({} of speech{})",
                v.label,
                clock(v.speech_ms),
                if v.has_voiceprint {
                    "; a voiceprint of it is kept to recognise the voice on later calls"
                } else {
                    ""
                }
            );
        }
        let summary = call.summary();
        if !summary.is_empty() {
            let _ = writeln!(out, "\n**Summary**\n");
            for b in summary {
                let _ = writeln!(out, "- {b}");
            }
        }
        if !call.action_items.is_empty() {
            let _ = writeln!(out, "\n**Action items**\n");
            for a in &call.action_items {
                let _ = writeln!(
                    out,
                    "- {} ({}){}",
                    a.text,
                    a.owner,
                    a.due.map(|d| format!(", due {d}")).unwrap_or_default()
                );
            }
        }
        let _ = writeln!(out, "\n**Transcript**\n");
        for seg in &call.call.transcript {
            let _ = writeln!(
                out,
                "- [{}] **{}**: {}",
                clock(seg.start_ms),
                seg.speaker,
                seg.text
            );
        }
        let _ = writeln!(out);
    }
    if !data.audit.is_empty() {
        let _ = writeln!(out, "## Audit log\n");
        for e in &data.audit {
            let _ = writeln!(
                out,
                "- {} {} {} {}",
                format_time(e.at),
                e.action,
                e.subject,
                e.detail
            );
        }
    }
    out
}

fn clock(ms: i64) -> String {
    let s = ms.max(0) / 1000;
    format!("{}:{:02}:{:02}", s / 3600, (s / 60) % 60, s % 60)
}
