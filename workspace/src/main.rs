//! Veilig's workspace: where a manager and P&O read incoming reports and record their
//! aftercare, and where the beheerder keeps the organisation's settings. A bundle of its own
//! (served under `/werkruimte/`), so the field app's first load does not carry it. Online
//! first: what was last fetched stays readable offline (`keep.rs`).

mod api;
mod app;
mod i18n;
mod inbox;
mod keep;
mod login;
mod organisation;
mod report;
mod time;

fn main() {
    leptos::mount::mount_to_body(app::App);
}
