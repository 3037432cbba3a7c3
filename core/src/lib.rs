//! Veilig's core: every decision of the app as plain Rust, with no browser or server in sight.
//! Compiled into the PWA (WASM) and the server; tested natively.

pub mod aftercare;
pub mod backoff;
pub mod device;
pub mod envelope;
pub mod inbox;
pub mod locale;
pub mod organisation;
pub mod outbox;
pub mod protocol;
pub mod report;
pub mod route;
pub mod settings;
pub mod sync;
pub mod time;

pub use locale::Locale;
