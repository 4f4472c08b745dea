//! Zapis core: consent, capture, transcription, insights, storage, privacy and CRM, with no GUI.
//! The `zapis` CLI and the desktop shell drive the same API.

pub mod analysis;
pub mod capture;
pub mod consent;
pub mod crm;
pub mod import;
pub mod insights;
pub mod logging;
pub mod model;
pub mod paths;
pub mod pipeline;
pub mod privacy;
pub mod session;
pub mod settings;
pub mod storage;
pub mod text_encoding;
pub mod transcribe;
pub mod transcript_import;
