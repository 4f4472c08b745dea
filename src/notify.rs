//! Desktop notifications through the freedesktop notification service (notify-rust). A desktop
//! without one still records: a notification that cannot be shown is only counted.

use std::sync::atomic::{AtomicU64, Ordering};

static UNDELIVERED: AtomicU64 = AtomicU64::new(0);

/// The app's notification kinds; clicking "ready" opens the call (action `open-call:<id>`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notification {
    Started {
        call_id: i64,
        consented: Vec<String>,
        system_audio: bool,
    },
    Stopped {
        call_id: i64,
    },
    Ready {
        call_id: i64,
        title: String,
        action_items: usize,
    },
    Failed {
        call_id: Option<i64>,
        message: String,
    },
    Purged {
        call_id: i64,
    },
}

impl Notification {
    pub fn summary_and_body(&self) -> (String, String) {
        match self {
            Notification::Started {
                consented,
                system_audio,
                ..
            } => (
                "Zapis is recording".into(),
                format!(
                    "Everyone agreed: {}.{}",
                    consented.join(", "),
                    if *system_audio {
                        ""
                    } else {
                        " Only your microphone is recorded: system audio is not available."
                    }
                ),
            ),
            Notification::Stopped { .. } => (
                "Recording stopped".into(),
                "Making the final transcript on this computer…".into(),
            ),
            Notification::Ready {
                title,
                action_items,
                ..
            } => (
                "Transcript and insights ready".into(),
                format!("{title}: {action_items} action items. Click to open the call."),
            ),
            Notification::Failed { message, .. } => {
                ("Zapis: something went wrong".into(), message.clone())
            }
            Notification::Purged { .. } => (
                "Recording deleted".into(),
                "Someone withdrew consent, so the recording and its transcript were deleted."
                    .into(),
            ),
        }
    }
}

/// Shows a notification; returns whether the notification service took it.
pub fn show(notice: &Notification) -> bool {
    let (summary, body) = notice.summary_and_body();
    let mut n = notify_rust::Notification::new();
    n.appname("Zapis")
        .summary(&summary)
        .body(&body)
        .icon("zapis");
    if let Notification::Ready { call_id, .. } = notice {
        n.action(&format!("open-call:{call_id}"), "Open call");
    }
    match n.show() {
        Ok(_) => true,
        Err(_) => {
            UNDELIVERED.fetch_add(1, Ordering::Relaxed);
            false
        }
    }
}

/// How many notifications could not be delivered in this process.
pub fn undelivered() -> u64 {
    UNDELIVERED.load(Ordering::Relaxed)
}
