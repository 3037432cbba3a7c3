//! The registration form: schema (declared once), report model, validation, derived values,
//! the two-tab merge, and prefill from a protocol flow.

pub mod derive;
pub mod fixtures;
pub mod merge;
pub mod model;
pub mod prefill;
pub mod schema;
pub mod validate;

pub use model::{Person, Report, Status, Value, REPORT_SCHEMA_VERSION};
