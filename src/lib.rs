//! Zapis core: consent, capture, transcription, insights, storage, privacy and CRM, with no GUI.
//! The `zapis` CLI and the desktop shell drive the same API.

pub mod crm;
pub mod paths;
pub mod privacy;
pub mod storage;
