//! Desktop notifications through the freedesktop notification service (notify-rust). A desktop
//! without one still records: a notification that cannot be shown is only counted.

use std::sync::atomic::{AtomicU64, Ordering};

use crate::domain::Language;

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

/// The notifications' words, per language; a field missing in one of them does not compile.
struct Texts {
    started: &'static str,
    /// `{names}`: everyone who agreed.
    everyone_agreed: &'static str,
    mic_only: &'static str,
    stopped: &'static str,
    stopped_body: &'static str,
    ready: &'static str,
    /// `{title}`, `{n}`: the call's title and its number of action items.
    ready_body: &'static str,
    failed: &'static str,
    purged: &'static str,
    purged_body: &'static str,
    open_call: &'static str,
}

const EN: Texts = Texts {
    started: "Zapis is recording",
    everyone_agreed: "Everyone agreed: {names}.",
    mic_only: " Only your microphone is recorded: system audio is not available.",
    stopped: "Recording stopped",
    stopped_body: "Making the final transcript on this computer…",
    ready: "Transcript and insights ready",
    ready_body: "{title}: {n} action items. Click to open the call.",
    failed: "Zapis: something went wrong",
    purged: "Recording deleted",
    purged_body: "Someone withdrew consent, so the recording and its transcript were deleted.",
    open_call: "Open call",
};

const SR_LATN: Texts = Texts {
    started: "Zapis snima",
    everyone_agreed: "Svi su pristali: {names}.",
    mic_only: " Snima se samo vaš mikrofon: zvuk sistema nije dostupan.",
    stopped: "Snimanje je zaustavljeno",
    stopped_body: "Konačni transkript se pravi na ovom računaru…",
    ready: "Transkript i uvidi su spremni",
    ready_body: "{title}: zadaci za dalje: {n}. Kliknite da otvorite poziv.",
    failed: "Zapis: nešto nije u redu",
    purged: "Snimak je obrisan",
    purged_body: "Neko je povukao pristanak, pa su snimak i njegov transkript obrisani.",
    open_call: "Otvori poziv",
};

fn texts(language: Language) -> &'static Texts {
    match language {
        Language::En => &EN,
        Language::SrLatn => &SR_LATN,
    }
}

impl Notification {
    /// Title and body in `language`; failure messages come from the core and stay as written.
    pub fn summary_and_body(&self, language: Language) -> (String, String) {
        let t = texts(language);
        match self {
            Notification::Started {
                consented,
                system_audio,
                ..
            } => (
                t.started.into(),
                format!(
                    "{}{}",
                    t.everyone_agreed.replace("{names}", &consented.join(", ")),
                    if *system_audio { "" } else { t.mic_only }
                ),
            ),
            Notification::Stopped { .. } => (t.stopped.into(), t.stopped_body.into()),
            Notification::Ready {
                title,
                action_items,
                ..
            } => (
                t.ready.into(),
                t.ready_body
                    .replace("{n}", &action_items.to_string())
                    .replace("{title}", title),
            ),
            Notification::Failed { message, .. } => (t.failed.into(), message.clone()),
            Notification::Purged { .. } => (t.purged.into(), t.purged_body.into()),
        }
    }
}

/// Shows a notification; returns whether the notification service took it.
pub fn show(notice: &Notification) -> bool {
    let language = crate::locale::current();
    let (summary, body) = notice.summary_and_body(language);
    let mut n = notify_rust::Notification::new();
    n.appname("Zapis")
        .summary(&summary)
        .body(&body)
        .icon("zapis");
    if let Notification::Ready { call_id, .. } = notice {
        n.action(&format!("open-call:{call_id}"), texts(language).open_call);
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
