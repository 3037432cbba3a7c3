//! The aggression protocol: typed model, embedded content, structural checks, the flow runner
//! and search.

pub mod chart;
pub mod check;
pub mod checklist;
pub mod content;
pub mod model;
pub mod run;
pub mod search;
pub mod texts;

pub use content::dutch;
pub use model::*;
