//! Veilig's PWA: a thin Leptos shell over `veilig_core`.

pub mod app;
pub mod clock;
pub mod components;
pub mod drafts;
pub mod durable;
pub mod html;
pub mod i18n;
pub mod net;
pub mod pages;
pub mod router;
pub mod single_flight;
pub mod state;
pub mod storage;
pub mod sw;
pub mod sync;
pub mod translation;

pub use app::App;
