//! The language the user reads Zapis in (Settings → Language), for the texts the core itself
//! writes: desktop notifications and default call titles. Process-wide, like the desktop's own
//! locale; the application layer sets it whenever the library is opened or the settings change.

use std::sync::atomic::{AtomicU8, Ordering};

use crate::domain::Language;

static CURRENT: AtomicU8 = AtomicU8::new(0);

pub fn set(language: Language) {
    let code = match language {
        Language::En => 0,
        Language::SrLatn => 1,
    };
    CURRENT.store(code, Ordering::Relaxed);
}

pub fn current() -> Language {
    match CURRENT.load(Ordering::Relaxed) {
        1 => Language::SrLatn,
        _ => Language::En,
    }
}

/// The title of a recorded call nobody named: "Call with Ana, Marko".
pub fn default_call_title(language: Language, names: &[String]) -> String {
    let names = names.join(", ");
    match language {
        Language::En => format!("Call with {names}"),
        Language::SrLatn => format!("Poziv sa: {names}"),
    }
}
