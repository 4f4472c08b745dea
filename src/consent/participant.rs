use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::ConsentError;

/// Someone on the call who is asked for consent.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Participant {
    name: String,
    email: Option<String>,
}

impl Participant {
    pub fn new(
        name: impl Into<String>,
        email: Option<String>,
    ) -> Result<Participant, ConsentError> {
        let name = name.into().trim().to_owned();
        if name.is_empty() {
            return Err(ConsentError::EmptyParticipantName);
        }
        let email = match email.map(|e| e.trim().to_owned()) {
            Some(e) if e.is_empty() => None,
            Some(e) if !looks_like_email(&e) => {
                return Err(ConsentError::InvalidEmail { name, email: e });
            }
            other => other,
        };
        Ok(Participant { name, email })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn email(&self) -> Option<&str> {
        self.email.as_deref()
    }
}

/// A light check only: the address is shown back to people, never used to send mail here.
fn looks_like_email(candidate: &str) -> bool {
    match candidate.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.is_empty()
                && !candidate
                    .chars()
                    .any(|c| c.is_whitespace() || c == '<' || c == '>')
        }
        None => false,
    }
}

impl fmt::Display for Participant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.email {
            Some(email) => write!(f, "{} <{email}>", self.name),
            None => f.write_str(&self.name),
        }
    }
}

impl FromStr for Participant {
    type Err = ConsentError;

    /// Parses `Name`, `Name <email>` (the form the CLI's `--participant` takes).
    fn from_str(input: &str) -> Result<Self, Self::Err> {
        let trimmed = input.trim();
        match trimmed.find('<') {
            None => Participant::new(trimmed, None),
            Some(open) => {
                let rest = &trimmed[open + 1..];
                let close = rest
                    .find('>')
                    .ok_or_else(|| ConsentError::InvalidParticipant {
                        input: input.to_owned(),
                    })?;
                if !rest[close + 1..].trim().is_empty() {
                    return Err(ConsentError::InvalidParticipant {
                        input: input.to_owned(),
                    });
                }
                Participant::new(&trimmed[..open], Some(rest[..close].to_owned()))
            }
        }
    }
}
