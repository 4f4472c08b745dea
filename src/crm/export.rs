//! A call's notes, summary and action items in the shapes CRMs and calendars take in.

use chrono::Utc;
use serde::Serialize;
use std::fmt::Write as _;

use crate::storage::{ActionItem, CallDetail, CallVoice, Library, StorageError};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// Markdown notes to paste into a CRM activity
    Md,
    /// Everything, machine-readable
    Json,
    /// One note row and one task row per action item, for CRM import
    Csv,
    /// Action items as iCalendar to-dos (VTODO) with due dates
    Ics,
}

/// An export format Zapis does not write.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown export format {given:?}; use md, json, csv or ics")]
pub struct UnknownExportFormat {
    pub given: String,
}

impl ExportFormat {
    pub const ALL: [ExportFormat; 4] = [
        ExportFormat::Md,
        ExportFormat::Json,
        ExportFormat::Csv,
        ExportFormat::Ics,
    ];

    /// The file extension, which is also the format's name on the command line and over IPC.
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Md => "md",
            ExportFormat::Json => "json",
            ExportFormat::Csv => "csv",
            ExportFormat::Ics => "ics",
        }
    }
}

impl std::str::FromStr for ExportFormat {
    type Err = UnknownExportFormat;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        ExportFormat::ALL
            .into_iter()
            .find(|f| f.extension() == text)
            .ok_or_else(|| UnknownExportFormat {
                given: text.to_string(),
            })
    }
}

/// A call with what was derived from it: the unit a CRM export is made of.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct CallExport {
    #[serde(flatten)]
    pub call: CallDetail,
    /// Stored as the analysis wrote it (`Insights`); null until the call is analysed.
    #[ts(as = "Option<crate::insights::Insights>")]
    pub insights: Option<serde_json::Value>,
    pub action_items: Vec<ActionItem>,
    /// The far side's voices, when diarization told them apart (see `zapis calls voices`).
    pub voices: Vec<CallVoice>,
}

impl CallExport {
    pub fn load(library: &Library, call_id: i64) -> Result<CallExport, StorageError> {
        Ok(CallExport {
            call: library.call(call_id)?,
            insights: library.insights(call_id)?,
            action_items: library.action_items(call_id)?,
            voices: library.call_voices(call_id)?,
        })
    }

    /// The summary's lines with their topic headings, if insights were computed: the topics
    /// and the customer's concerns. Its next steps are left out: they are the action items,
    /// which every format lists with their edits and done state.
    pub fn summary_lines(&self) -> Vec<(Option<String>, String)> {
        self.insights
            .as_ref()
            .and_then(|i| i.get("summary"))
            .and_then(|s| s.as_array())
            .map(|items| {
                items
                    .iter()
                    .filter_map(|b| {
                        let text = b.get("text")?.as_str()?.to_owned();
                        // Summaries stored before sections existed are all topic lines.
                        let heading = match b.get("section").and_then(|s| s.as_str()) {
                            Some("next_step") => return None,
                            Some("concern") => Some("Customer concerns".to_owned()),
                            _ => b.get("heading").and_then(|h| h.as_str()).map(str::to_owned),
                        };
                        Some((heading, text))
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The summary's lines, without headings.
    pub fn summary(&self) -> Vec<String> {
        self.summary_lines().into_iter().map(|(_, t)| t).collect()
    }
}

pub fn export_call(export: &CallExport, format: ExportFormat) -> String {
    match format {
        ExportFormat::Md => markdown(export),
        ExportFormat::Json => serde_json::to_string_pretty(export).unwrap_or_default(),
        ExportFormat::Csv => csv_rows(export),
        ExportFormat::Ics => icalendar(export),
    }
}

fn markdown(e: &CallExport) -> String {
    let s = &e.call.summary;
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", s.title);
    let _ = writeln!(
        out,
        "- **Date:** {} UTC",
        s.started_at.format("%Y-%m-%d %H:%M")
    );
    let _ = writeln!(
        out,
        "- **Length:** {} min",
        (s.duration_ms + 30_000) / 60_000
    );
    if !e.call.participants.is_empty() {
        let names: Vec<String> = e
            .call
            .participants
            .iter()
            .map(|p| match &p.email {
                Some(email) => format!("{} <{}>", p.name, email),
                None => p.name.clone(),
            })
            .collect();
        let _ = writeln!(out, "- **Participants:** {}", names.join(", "));
    }
    if let Some(label) = &s.sentiment {
        let _ = writeln!(out, "- **Customer sentiment:** {label}");
    }
    let summary = e.summary_lines();
    if !summary.is_empty() {
        let _ = writeln!(out, "\n## Summary");
        let mut current: Option<&str> = None;
        for (i, (heading, line)) in summary.iter().enumerate() {
            if i == 0 || heading.as_deref() != current {
                match heading {
                    Some(h) => {
                        let _ = writeln!(out, "\n### {h}\n");
                    }
                    None => {
                        let _ = writeln!(out);
                    }
                }
                current = heading.as_deref();
            }
            let _ = writeln!(out, "- {line}");
        }
    }
    if !e.action_items.is_empty() {
        let _ = writeln!(out, "\n## Action items\n");
        for a in &e.action_items {
            let due = a.due.map(|d| format!(" (due {d})")).unwrap_or_default();
            let _ = writeln!(
                out,
                "- [{}] {} — {}{}",
                if a.done { "x" } else { " " },
                a.text,
                a.owner,
                due
            );
        }
    }
    out
}

/// One note row and one task row per action item. Every cell is quoted and neutralised against
/// formula injection (see [`csv_cell`]): titles, action items and names come from what was said
/// and typed, and a spreadsheet must not run them.
fn csv_rows(e: &CallExport) -> String {
    let mut writer = csv::WriterBuilder::new()
        .quote_style(csv::QuoteStyle::Always)
        .from_writer(Vec::new());
    let s = &e.call.summary;
    let date = s.started_at.format("%Y-%m-%d").to_string();
    let mut rows: Vec<[String; 8]> = vec![
        [
            "type",
            "subject",
            "description",
            "due_date",
            "owner",
            "status",
            "call_title",
            "call_date",
        ]
        .map(String::from),
        [
            "note".into(),
            format!("Call: {}", s.title),
            e.summary().join("\n"),
            String::new(),
            String::new(),
            String::new(),
            s.title.clone(),
            date.clone(),
        ],
    ];
    for a in &e.action_items {
        let due = a.due.map(|d| d.to_string()).unwrap_or_default();
        let status = if a.done { "completed" } else { "open" };
        rows.push([
            "task".into(),
            a.text.clone(),
            String::new(),
            due,
            a.owner.clone(),
            status.into(),
            s.title.clone(),
            date.clone(),
        ]);
    }
    for row in &rows {
        let _ = writer.write_record(row.iter().map(|cell| csv_cell(cell).into_owned()));
    }
    writer
        .into_inner()
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .unwrap_or_default()
}

/// A cell a spreadsheet will not read as a formula. As OWASP recommends for CSV injection, a
/// cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`, which
/// Excel, LibreOffice and Google Sheets show as text (the writer also quotes every cell).
pub fn csv_cell(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

fn icalendar(e: &CallExport) -> String {
    let stamp = Utc::now().format("%Y%m%dT%H%M%SZ").to_string();
    let mut lines = vec![
        "BEGIN:VCALENDAR".to_string(),
        "VERSION:2.0".to_string(),
        "PRODID:-//Zapis//Action items//EN".to_string(),
    ];
    for a in &e.action_items {
        lines.push("BEGIN:VTODO".into());
        lines.push(format!(
            "UID:zapis-call{}-item{}@zapis.local",
            a.call_id, a.id
        ));
        lines.push(format!("DTSTAMP:{stamp}"));
        lines.push(format!("SUMMARY:{}", ics_text(&a.text)));
        lines.push(format!(
            "DESCRIPTION:{}",
            ics_text(&format!(
                "Owner: {}. From the call \"{}\".",
                a.owner, e.call.summary.title
            ))
        ));
        if let Some(due) = a.due {
            lines.push(format!("DUE;VALUE=DATE:{}", due.format("%Y%m%d")));
        }
        lines.push(format!(
            "STATUS:{}",
            if a.done { "COMPLETED" } else { "NEEDS-ACTION" }
        ));
        lines.push("END:VTODO".into());
    }
    lines.push("END:VCALENDAR".into());
    lines
        .iter()
        .map(|l| fold(l))
        .collect::<Vec<_>>()
        .join("\r\n")
        + "\r\n"
}

/// RFC 5545 text escaping.
fn ics_text(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace('\n', "\\n")
}

/// RFC 5545 folds content lines longer than 75 octets, never inside a UTF-8 character.
fn fold(line: &str) -> String {
    let mut out = String::new();
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{csv_cell, csv_rows, fold, ics_text, markdown, CallExport};
    use crate::storage::{ActionItem, CallDetail, CallSource, CallStatus, CallSummary};

    fn call(title: &str) -> CallDetail {
        CallDetail {
            summary: CallSummary {
                id: 7,
                title: title.into(),
                started_at: chrono::Utc::now(),
                duration_ms: 60_000,
                language: "en".into(),
                source: CallSource::ImportedTranscript,
                status: CallStatus::Ready,
                participants: Vec::new(),
                segments: 0,
                sentiment: None,
                transcribed_with: None,
            },
            ended_at: None,
            audio_dir: None,
            one_channel: false,
            participants: Vec::new(),
            consent: Vec::new(),
            transcript: Vec::new(),
            capture_notes: Vec::new(),
        }
    }

    #[test]
    fn csv_cells_that_would_be_formulas_are_neutralised() {
        let evil = [
            "=HYPERLINK(\"http://evil.example\",\"click\")",
            "+cmd|' /C calc'!A0",
            "-2+3+cmd|' /C calc'!A0",
            "@SUM(1+1)*cmd|' /C calc'!A0",
            "\t=1+1",
            "\r=1+1",
        ];
        let detail = call(evil[0]);
        let items: Vec<ActionItem> = (0..evil.len())
            .map(|i| ActionItem {
                id: i as i64,
                call_id: 7,
                text: evil[i].into(),
                owner: evil[(i + 1) % evil.len()].into(),
                due: None,
                segment: None,
                done: false,
            })
            .collect();
        let export = CallExport {
            call: detail,
            insights: Some(serde_json::json!({"summary": [{"text": "+1 555 0100 is the number"}]})),
            action_items: items,
            voices: Vec::new(),
        };
        let out = csv_rows(&export);
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(out.as_bytes());
        let mut cells = 0;
        for record in reader.records() {
            for cell in record.unwrap().iter() {
                cells += 1;
                assert!(
                    !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                    "{cell:?} in\n{out}"
                );
            }
        }
        assert_eq!(cells, 8 * (2 + evil.len()));
        assert!(
            out.contains("\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")\""),
            "{out}"
        );
        assert!(out.contains("\"'+cmd|' /C calc'!A0\""), "{out}");
        assert_eq!(csv_cell("2026-03-02"), "2026-03-02");
        assert_eq!(csv_cell("Call: x"), "Call: x");
    }

    #[test]
    fn markdown_notes_carry_the_topics_and_concerns_but_not_the_next_steps_twice() {
        let detail = call("Acme");
        let summary = serde_json::json!({"summary": [
            {"text": "Tom: budget is forty thousand", "segments": [3], "section": "topic", "heading": "Budget"},
            {"text": "Ana: fifty-two with premium support", "segments": [4], "section": "topic", "heading": "Budget"},
            {"text": "Send the revised quote", "segments": [9], "section": "next_step", "heading": null},
            {"text": "Tom: higher than we budgeted", "segments": [5], "section": "concern", "heading": null},
        ]});
        let export = CallExport {
            call: detail,
            insights: Some(summary),
            action_items: Vec::new(),
            voices: Vec::new(),
        };
        let md = markdown(&export);
        assert!(
            md.contains(
                "## Summary\n\n### Budget\n\n- Tom: budget is forty thousand\n- Ana: fifty-two"
            ),
            "{md}"
        );
        assert!(
            md.contains("### Customer concerns\n\n- Tom: higher than we budgeted"),
            "{md}"
        );
        assert!(!md.contains("Send the revised quote"), "{md}");
        // A summary stored before sections existed is a plain list.
        let old = CallExport {
            insights: Some(serde_json::json!({"summary": [{"text": "One line", "segments": [1]}]})),
            ..export
        };
        assert!(
            markdown(&old).contains("## Summary\n\n- One line"),
            "{}",
            markdown(&old)
        );
    }

    #[test]
    fn folds_long_lines_on_character_boundaries() {
        let line = format!("SUMMARY:{}", "ž".repeat(60));
        let folded = fold(&line);
        for part in folded.split("\r\n") {
            assert!(part.len() <= 75, "{part:?} is {} octets", part.len());
        }
        assert_eq!(folded.replace("\r\n ", ""), line);
    }

    #[test]
    fn escapes_text_values() {
        assert_eq!(ics_text("a;b,c\\d\ne"), "a\\;b\\,c\\\\d\\ne");
    }
}
