//! Small reusable pieces of the interface.

pub mod call;
pub mod general_points;
pub mod guidance;
pub mod header;
pub mod nav;
pub mod run_log;
pub mod status_bar;
pub mod sync_badge;
pub mod text_list;
pub mod tick;
