//! Zapis core: consent, capture, transcription, insights, storage, privacy and CRM, with no GUI.
//! The `zapis` CLI and the desktop shell drive the same API.

pub mod analysis;
pub mod app;
pub mod capture;
pub mod consent;
pub mod crm;
pub mod diarize;
pub mod domain;
pub mod events;
pub mod import;
pub mod insights;
pub mod locale;
pub mod logging;
pub mod model;
pub mod notify;
pub mod paths;
pub mod privacy;
pub mod processing;
pub mod recording;
pub mod semantic;
pub mod settings;
pub mod storage;
pub mod team;
pub mod text_encoding;
pub mod transcribe;
pub mod transcript_import;
