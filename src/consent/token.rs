use chrono::{DateTime, Utc};

use super::{Language, Participant};

/// Proof that every participant consented to this recording. Capture takes it by value, so
/// one grant allows exactly one recording.
///
/// Only [`ConsentSession::start_recording`](super::ConsentSession::start_recording), in the
/// Granted state, can make one: the fields are private and there is no `Clone`, `Default` or
/// public constructor. Code outside the consent module cannot conjure a token:
///
/// ```compile_fail
/// use zapis::consent::{ConsentToken, Language};
/// let forged = ConsentToken {
///     notice_version: "en-1-000000000000".to_owned(),
///     language: Language::En,
///     participants: Vec::new(),
///     granted_at: chrono::Utc::now(),
/// };
/// ```
///
/// ```compile_fail
/// fn duplicate(token: &zapis::consent::ConsentToken) -> zapis::consent::ConsentToken {
///     token.clone()
/// }
/// ```
///
/// The same paths resolve when a token is used the legitimate way, so the failures above come
/// from the privacy of the token and not from a typo:
///
/// ```
/// use zapis::consent::{ConsentSession, ConsentToken, Decision, Method, Notice, Language,
///     Participant, WithdrawalPolicy};
/// let ana: Participant = "Ana <ana@example.com>".parse().unwrap();
/// let mut session = ConsentSession::new(vec![ana], WithdrawalPolicy::Purge).unwrap();
/// session.show_notice(&Notice::builtin(Language::En)).unwrap();
/// session.decide("Ana", Decision::OptIn, Method::OnScreen, chrono::Utc::now()).unwrap();
/// let token: ConsentToken = session.start_recording().unwrap();
/// assert_eq!(token.language(), Language::En);
/// ```
#[derive(Debug)]
pub struct ConsentToken {
    notice_version: String,
    language: Language,
    participants: Vec<Participant>,
    granted_at: DateTime<Utc>,
}

impl ConsentToken {
    pub(super) fn mint(
        notice_version: String,
        language: Language,
        participants: Vec<Participant>,
        granted_at: DateTime<Utc>,
    ) -> ConsentToken {
        ConsentToken {
            notice_version,
            language,
            participants,
            granted_at,
        }
    }

    pub fn notice_version(&self) -> &str {
        &self.notice_version
    }

    pub fn language(&self) -> Language {
        self.language
    }

    pub fn participants(&self) -> &[Participant] {
        &self.participants
    }

    /// When the last participant opted in.
    pub fn granted_at(&self) -> DateTime<Utc> {
        self.granted_at
    }
}
