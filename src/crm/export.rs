//! A call's notes, summary and action items in the shapes CRMs and calendars take in.

use chrono::Utc;
use serde::Serialize;
use std::fmt::Write as _;

use crate::storage::{ActionItem, CallDetail, Library, StorageError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
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

/// A call with what was derived from it: the unit a CRM export is made of.
#[derive(Debug, Clone, Serialize)]
pub struct CallExport {
    #[serde(flatten)]
    pub call: CallDetail,
    pub insights: Option<serde_json::Value>,
    pub action_items: Vec<ActionItem>,
}

impl CallExport {
    pub fn load(library: &Library, call_id: i64) -> Result<CallExport, StorageError> {
        Ok(CallExport {
            call: library.call(call_id)?,
            insights: library.insights(call_id)?,
            action_items: library.action_items(call_id)?,
        })
    }

    /// The summary bullets' text, if insights were computed.
    pub fn summary(&self) -> Vec<String> {
        self.insights
            .as_ref()
            .and_then(|i| i.get("summary"))
            .and_then(|s| s.as_array())
            .map(|items| {
                items
                    .iter()
                    .filter_map(|b| b.get("text").and_then(|t| t.as_str()).map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
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
    let summary = e.summary();
    if !summary.is_empty() {
        let _ = writeln!(out, "\n## Summary\n");
        for bullet in summary {
            let _ = writeln!(out, "- {bullet}");
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

fn csv_rows(e: &CallExport) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let s = &e.call.summary;
    let date = s.started_at.format("%Y-%m-%d").to_string();
    let _ = writer.write_record([
        "type",
        "subject",
        "description",
        "due_date",
        "owner",
        "status",
        "call_title",
        "call_date",
    ]);
    let _ = writer.write_record([
        "note",
        &format!("Call: {}", s.title),
        &e.summary().join("\n"),
        "",
        "",
        "",
        &s.title,
        &date,
    ]);
    for a in &e.action_items {
        let due = a.due.map(|d| d.to_string()).unwrap_or_default();
        let status = if a.done { "completed" } else { "open" };
        let _ = writer.write_record(["task", &a.text, "", &due, &a.owner, status, &s.title, &date]);
    }
    writer
        .into_inner()
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .unwrap_or_default()
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
    use super::{fold, ics_text};

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
