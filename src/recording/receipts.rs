//! Consent receipts from the consent state machine, stored with the call they allowed.

use crate::consent::{self, ConsentReceipt, Method};
use crate::storage::{ConsentMethod, Decision, Library, NewConsentReceipt, StorageError};

pub(super) fn store_receipt(
    library: &mut Library,
    call_id: i64,
    receipt: &ConsentReceipt,
) -> Result<(), StorageError> {
    library
        .record_consent(
            call_id,
            &NewConsentReceipt {
                participant_name: receipt.participant.name().to_string(),
                participant_email: receipt.participant.email().map(str::to_string),
                decision: match receipt.decision {
                    consent::Decision::OptIn => Decision::Granted,
                    consent::Decision::OptOut => Decision::Declined,
                    consent::Decision::Withdraw => Decision::Withdrawn,
                },
                decided_at: receipt.at,
                notice_version: receipt.notice_version.clone(),
                language: receipt.language.code().to_string(),
                method: match receipt.method {
                    Method::OnScreen => ConsentMethod::OnScreen,
                    Method::Verbal => ConsentMethod::Verbal,
                    Method::Imported => ConsentMethod::Imported,
                },
            },
        )
        .map(|_| ())
}
