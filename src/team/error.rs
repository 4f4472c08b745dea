use crate::storage::StorageError;

#[derive(Debug, thiserror::Error)]
pub enum TeamError {
    #[error("{given:?} is not a PostgreSQL address ({reason}); give one like postgres://ana@db.example.com/sales")]
    BadAddress { given: String, reason: String },
    #[error("{address} gives no user; add one, as in postgres://ana@db.example.com/sales")]
    NoUser { address: String },
    #[error("the team server {address} cannot be reached ({reason}); nothing was lost: the changes wait in the queue and go with the next sync")]
    Unreachable { address: String, reason: String },
    #[error("the team server {address} showed a certificate this computer does not trust ({reason}); {advice}")]
    Untrusted {
        address: String,
        reason: String,
        /// What to do about it, which depends on what is wrong with the certificate.
        advice: &'static str,
    },
    #[error("the team server {address} refused to log in {user} ({reason}); check the user and its password (the one kept in the system keyring when you joined, PGPASSWORD or ~/.pgpass); after a password change, join again with the new password in the address")]
    LoginRefused {
        address: String,
        user: String,
        reason: String,
    },
    #[error("no system keyring could keep the password for {address} ({reason}); put the password in ~/.pgpass (or PGPASSWORD) and join with the address without it")]
    NoKeyring { address: String, reason: String },
    #[error("{address} holds no Zapis team library; a manager sets it up with `zapis team setup`")]
    NoTeamLibrary { address: String },
    #[error("{address} holds a team library of version {found}; this Zapis knows version {supported}: update Zapis")]
    TooNew {
        address: String,
        found: i32,
        supported: i32,
    },
    #[error(
        "{user} is not (or no longer) a member of the team on {address}; ask a manager to add you"
    )]
    NotAMember { address: String, user: String },
    #[error("only a team manager may {what}")]
    NotAManager { what: &'static str },
    #[error("{name:?} cannot be a team member's name: use lower-case letters, digits and _ (up to 48), starting with a letter")]
    BadRoleName { name: String },
    #[error("the team server {address} failed: {reason}")]
    Server { address: String, reason: String },
    #[error(transparent)]
    Storage(Box<StorageError>),
    #[error(transparent)]
    Privacy(Box<crate::privacy::PrivacyError>),
}

// Boxed: every `Result` pays for the largest variant.
impl From<StorageError> for TeamError {
    fn from(e: StorageError) -> Self {
        TeamError::Storage(Box::new(e))
    }
}

impl From<crate::privacy::PrivacyError> for TeamError {
    fn from(e: crate::privacy::PrivacyError) -> Self {
        TeamError::Privacy(Box::new(e))
    }
}
