//! The application layer's one error type. Every error has a stable [`ErrorCode`] that front ends
//! key on (the UI translates it; scripts match it), its English message for the CLI and the log,
//! and the cause it wraps.

use crate::capture::CaptureError;
use crate::consent::{ConsentError, UnknownMethod};
use crate::import::ImportError;
use crate::model::ModelError;
use crate::processing::FinishError;
use crate::recording::SessionError;
use crate::storage::StorageError;
use crate::transcribe::TranscribeError;

use super::recording::UnknownDecision;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("nobody is listed for the call; add everyone who is on it, starting with yourself")]
    NoParticipants,
    #[error("{} did not agree, so nothing is recorded", names.join(", "))]
    Declined { names: Vec<String> },
    #[error(transparent)]
    UnknownDecision(#[from] UnknownDecision),
    #[error(transparent)]
    UnknownMethod(#[from] UnknownMethod),
    #[error("a call is already being recorded; stop it first")]
    AlreadyRecording,
    #[error("nothing is being recorded")]
    NotRecording,
    #[error(transparent)]
    Consent(Box<ConsentError>),
    #[error(transparent)]
    Capture(Box<CaptureError>),
    #[error(transparent)]
    Storage(Box<StorageError>),
    #[error(transparent)]
    Model(Box<ModelError>),
    #[error(transparent)]
    Transcribe(Box<TranscribeError>),
    #[error(transparent)]
    Import(Box<ImportError>),
    #[error("unknown call language {given:?}; use en or sr")]
    UnknownCallLanguage { given: String },
    #[error(transparent)]
    UnknownExportFormat(#[from] crate::crm::UnknownExportFormat),
    #[error(transparent)]
    ContactsCsv(Box<crate::crm::csv_import::ContactsCsvError>),
    #[error(transparent)]
    Privacy(Box<crate::privacy::PrivacyError>),
    #[error(transparent)]
    Team(Box<crate::team::TeamError>),
    #[error(transparent)]
    Diarize(Box<crate::diarize::DiarizeError>),
    #[error(transparent)]
    Semantic(Box<crate::semantic::SemanticError>),
    #[error("{} already holds 999 exports; choose another folder", folder.display())]
    FolderFull { folder: std::path::PathBuf },
}

macro_rules! error_codes {
    ($($variant:ident => $code:literal),+ $(,)?) => {
        /// Stable names of the kinds of failure, `area.what`; the UI's catalogue has a sentence
        /// for each. New codes may be added; existing ones keep their meaning.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum ErrorCode { $($variant),+ }

        impl ErrorCode {
            pub const ALL: &[ErrorCode] = &[$(ErrorCode::$variant),+];

            /// The code as it crosses the IPC boundary and appears in the UI's catalogue.
            pub fn as_str(self) -> &'static str {
                match self { $(ErrorCode::$variant => $code),+ }
            }
        }
    };
}

error_codes! {
    NoParticipants => "consent.no_participants",
    Declined => "consent.declined",
    UnknownDecision => "consent.unknown_decision",
    UnknownMethod => "consent.unknown_method",
    ConsentInvalid => "consent.invalid",
    AlreadyRecording => "recording.already_recording",
    NotRecording => "recording.not_recording",
    NoMicrophone => "capture.no_microphone",
    DeviceNotFound => "capture.device_not_found",
    CaptureFailed => "capture.failed",
    DiskFull => "storage.disk_full",
    ReadOnly => "storage.read_only",
    Busy => "storage.busy",
    Damaged => "storage.damaged",
    NotFound => "storage.not_found",
    StorageFailed => "storage.failed",
    ModelNotInstalled => "model.not_installed",
    ModelFailed => "model.failed",
    TranscribeFailed => "transcribe.failed",
    ImportConsentRequired => "import.consent_required",
    ImportBadFile => "import.bad_file",
    ContactsBadCsv => "contacts.bad_csv",
    ExportFailed => "export.failed",
    TeamUnreachable => "team.unreachable",
    TeamRefused => "team.refused",
    TeamUntrusted => "team.untrusted",
    TeamFailed => "team.failed",
    DiarizeFailed => "diarize.failed",
    SearchFailed => "search.failed",
    InvalidInput => "invalid_input",
}

impl serde::Serialize for ErrorCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl AppError {
    pub fn code(&self) -> ErrorCode {
        match self {
            AppError::NoParticipants => ErrorCode::NoParticipants,
            AppError::Declined { .. } => ErrorCode::Declined,
            AppError::UnknownDecision(_) => ErrorCode::UnknownDecision,
            AppError::UnknownMethod(_) => ErrorCode::UnknownMethod,
            AppError::AlreadyRecording => ErrorCode::AlreadyRecording,
            AppError::NotRecording => ErrorCode::NotRecording,
            AppError::Consent(_) => ErrorCode::ConsentInvalid,
            AppError::Capture(e) => capture_code(e),
            AppError::Storage(e) => storage_code(e),
            AppError::Model(e) => model_code(e),
            AppError::Transcribe(_) => ErrorCode::TranscribeFailed,
            AppError::Import(e) => import_code(e),
            AppError::UnknownExportFormat(_) | AppError::UnknownCallLanguage { .. } => {
                ErrorCode::InvalidInput
            }
            AppError::ContactsCsv(_) => ErrorCode::ContactsBadCsv,
            AppError::Privacy(e) => privacy_code(e),
            AppError::FolderFull { .. } => ErrorCode::ExportFailed,
            AppError::Team(e) => team_code(e),
            AppError::Diarize(e) => diarize_code(e),
            AppError::Semantic(e) => semantic_code(e),
        }
    }
}

/// The causes are boxed: some carry paths and messages, and every `Result` pays for the largest.
macro_rules! boxed_from {
    ($($variant:ident($error:ty)),+ $(,)?) => {
        $(impl From<$error> for AppError {
            fn from(error: $error) -> Self {
                AppError::$variant(Box::new(error))
            }
        })+
    };
}

boxed_from!(
    Consent(ConsentError),
    Capture(CaptureError),
    Storage(StorageError),
    Model(ModelError),
    Transcribe(TranscribeError),
    Import(ImportError),
    ContactsCsv(crate::crm::csv_import::ContactsCsvError),
    Privacy(crate::privacy::PrivacyError),
    Team(crate::team::TeamError),
    Diarize(crate::diarize::DiarizeError),
    Semantic(crate::semantic::SemanticError),
);

impl From<SessionError> for AppError {
    fn from(e: SessionError) -> Self {
        match e {
            SessionError::Consent(e) => e.into(),
            SessionError::Capture(e) => e.into(),
            SessionError::Storage(e) => e.into(),
        }
    }
}

impl From<FinishError> for AppError {
    fn from(e: FinishError) -> Self {
        match e {
            FinishError::Storage(e) => e.into(),
            FinishError::Model(e) => e.into(),
            FinishError::Transcribe(e) => e.into(),
        }
    }
}

fn capture_code(e: &CaptureError) -> ErrorCode {
    match e {
        CaptureError::NoMicrophone => ErrorCode::NoMicrophone,
        CaptureError::DeviceNotFound { .. } => ErrorCode::DeviceNotFound,
        CaptureError::Disk { .. } => ErrorCode::DiskFull,
        _ => ErrorCode::CaptureFailed,
    }
}

fn storage_code(e: &StorageError) -> ErrorCode {
    match e {
        StorageError::DiskFull { .. } => ErrorCode::DiskFull,
        StorageError::ReadOnly { .. } => ErrorCode::ReadOnly,
        StorageError::Busy { .. } => ErrorCode::Busy,
        StorageError::NotADatabase { .. }
        | StorageError::Truncated { .. }
        | StorageError::Corrupt { .. }
        | StorageError::TooNew { .. } => ErrorCode::Damaged,
        StorageError::CallNotFound(_) | StorageError::ContactNotFound(_) => ErrorCode::NotFound,
        StorageError::Invalid { .. } => ErrorCode::InvalidInput,
        _ => ErrorCode::StorageFailed,
    }
}

fn model_code(e: &ModelError) -> ErrorCode {
    match e {
        ModelError::NotInstalled { .. } => ErrorCode::ModelNotInstalled,
        _ => ErrorCode::ModelFailed,
    }
}

fn diarize_code(e: &crate::diarize::DiarizeError) -> ErrorCode {
    use crate::diarize::DiarizeError;
    match e {
        DiarizeError::NotInstalled { .. } => ErrorCode::ModelNotInstalled,
        DiarizeError::Load { .. } | DiarizeError::Install(_) => ErrorCode::ModelFailed,
        DiarizeError::Storage(e) => storage_code(e),
        _ => ErrorCode::DiarizeFailed,
    }
}

fn semantic_code(e: &crate::semantic::SemanticError) -> ErrorCode {
    use crate::semantic::SemanticError;
    match e {
        SemanticError::NotInstalled { .. } => ErrorCode::ModelNotInstalled,
        SemanticError::Load { .. } | SemanticError::Install(_) => ErrorCode::ModelFailed,
        SemanticError::Model(e) => model_code(e),
        SemanticError::Storage(e) => storage_code(e),
        _ => ErrorCode::SearchFailed,
    }
}

fn import_code(e: &ImportError) -> ErrorCode {
    match e {
        ImportError::ConsentRequired => ErrorCode::ImportConsentRequired,
        ImportError::Storage(e) => storage_code(e),
        ImportError::Transcribe(_) => ErrorCode::TranscribeFailed,
        _ => ErrorCode::ImportBadFile,
    }
}

fn privacy_code(e: &crate::privacy::PrivacyError) -> ErrorCode {
    match e {
        crate::privacy::PrivacyError::Storage(e) => storage_code(e),
        crate::privacy::PrivacyError::UnknownPerson(_) => ErrorCode::NotFound,
        _ => ErrorCode::ExportFailed,
    }
}

fn team_code(e: &crate::team::TeamError) -> ErrorCode {
    use crate::team::TeamError;
    match e {
        TeamError::Unreachable { .. } => ErrorCode::TeamUnreachable,
        TeamError::Untrusted { .. } => ErrorCode::TeamUntrusted,
        TeamError::LoginRefused { .. }
        | TeamError::NotAMember { .. }
        | TeamError::NotAManager { .. } => ErrorCode::TeamRefused,
        TeamError::BadAddress { .. } | TeamError::NoUser { .. } | TeamError::BadRoleName { .. } => {
            ErrorCode::InvalidInput
        }
        TeamError::Storage(e) => storage_code(e),
        TeamError::Privacy(e) => privacy_code(e),
        _ => ErrorCode::TeamFailed,
    }
}
