//! The registration form: schema (declared once), report model, validation, derived values,
//! the two-tab merge, prefill from a protocol flow, corrections, migration of old versions,
//! what the server accepts (`accept`) and who may see or log which field (`access`).

#[cfg(any(test, feature = "accept"))]
pub mod accept;
pub mod access;
pub mod confirm;
pub mod correct;
pub mod derive;
pub mod fixtures;
pub mod merge;
pub mod migrate;
pub mod model;
pub mod prefill;
pub mod schema;
pub mod validate;

pub use model::{newest_first, Person, Report, Status, Value, REPORT_SCHEMA_VERSION};
pub use validate::prune_inapplicable;
