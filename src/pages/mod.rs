//! One module per route.

pub mod card;
pub mod enroll;
pub mod extreme;
pub mod flow;
pub mod home;
pub mod not_found;
pub mod outbox;
pub mod reference;
pub mod report_form;
pub mod reports;
pub mod settings;
