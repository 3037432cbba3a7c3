//! The registration form: schema (declared once), report model, the form's edits, validation,
//! derived values, the report for reading, the two-tab merge and save, prefill from a protocol
//! flow, corrections, migration of old versions, what the server accepts (`accept`) and who may
//! see or log which field (`access`).

#[cfg(any(test, feature = "accept"))]
pub mod accept;
pub mod access;
pub mod confirm;
pub mod correct;
pub mod derive;
pub mod display;
pub mod edit;
pub mod fixtures;
#[cfg(any(test, feature = "openapi"))]
pub mod json_schema;
pub mod merge;
pub mod migrate;
pub mod model;
pub mod prefill;
pub mod save;
pub mod schema;
pub mod validate;

pub use model::{newest_first, Person, Report, Status, Value, REPORT_SCHEMA_VERSION};
pub use validate::prune_inapplicable;
