//! CRM round trip: contacts in from CSV exports of common CRMs, call notes and tasks back out.

pub mod csv_import;
pub mod export;

pub use csv_import::{parse_contacts, ContactsCsvError, CsvProblem, ParsedContacts};
pub use export::{export_call, CallExport, ExportFormat, UnknownExportFormat};
