//! Consent before recording: the notice people are shown, the decisions they make, and the
//! token that capture requires.
//!
//! Flow: Idle → NoticeShown → Granted (everyone opted in) | Declined (anyone opted out)
//! → Recording → Stopped, or Withdrawn when someone takes consent back while recording.
//! Every accepted decision yields a [`ConsentReceipt`] for the caller to store.

mod notice;
mod participant;
mod session;
mod texts;
mod token;

#[cfg(test)]
mod tests;

pub use notice::{Language, Notice};
pub use participant::Participant;
pub use session::{
    ConsentReceipt, ConsentSession, ConsentState, Decision, Method, UnknownMethod,
    WithdrawalPolicy, WithdrawalResolution,
};
pub use token::ConsentToken;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ConsentError {
    #[error(transparent)]
    Language(#[from] crate::domain::UnknownLanguage),
    #[error("the {what} is empty; write the text participants should see")]
    EmptyNoticeText { what: &'static str },
    #[error("a participant needs a name; give at least a first name")]
    EmptyParticipantName,
    #[error("{email:?} given for {name} is not an email address; use name@domain or leave it out")]
    InvalidEmail { name: String, email: String },
    #[error("cannot read participant {input:?}; write it as \"Name\" or \"Name <email>\"")]
    InvalidParticipant { input: String },
    #[error("no participants listed; list everyone on the call before asking for consent")]
    NoParticipants,
    #[error("participant {name:?} is listed twice; list each person once")]
    DuplicateParticipant { name: String },
    #[error(
        "{name:?} is not a listed participant; add them to the call before recording a decision"
    )]
    UnknownParticipant { name: String },
    #[error("{name:?} has already opted in; a further change of mind is a withdrawal")]
    AlreadyDecided { name: String },
    #[error("no notice has been shown yet; show the recording notice before asking for decisions")]
    NoticeNotShown,
    #[error("cannot {action} while consent is {state}")]
    InvalidTransition {
        action: &'static str,
        state: &'static str,
    },
}
