//! localStorage, for small values that are not typed under pressure (the settings).
//! It survives reloads and closed tabs, but a killed browser can lose its last seconds of
//! writes (`shared/design/storage-durability.md`).

use gloo_storage::{LocalStorage, Storage};
use wasm_bindgen::JsCast;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StorageError {
    #[error("De opslag van dit apparaat is vol. / This device's storage is full.")]
    QuotaExceeded,
    #[error("Opslag op dit apparaat is niet beschikbaar (privévenster?). / Storage is unavailable on this device (private window?).")]
    Unavailable,
    #[error("Opslaan mislukt: {0}")]
    Other(String),
    #[error("Kon niet omzetten voor opslag: {0}")]
    Encode(String),
    #[error("Deze registratie kon niet worden gelezen; ze is apart bewaard. / This report could not be read and was kept aside.")]
    Unreadable,
    #[error("Deze registratie is al afgerond en kan niet meer worden gewijzigd. / This report was finalized and can no longer be changed.")]
    ReadOnly,
}

fn classify(err: wasm_bindgen::JsValue) -> StorageError {
    match err.dyn_ref::<web_sys::DomException>().map(|e| e.name()) {
        Some(name) if name == "QuotaExceededError" => StorageError::QuotaExceeded,
        Some(name) if name == "SecurityError" => StorageError::Unavailable,
        Some(name) => StorageError::Other(name),
        None => StorageError::Other("unknown".into()),
    }
}

fn raw() -> Result<web_sys::Storage, StorageError> {
    // gloo panics when there is no storage; ask the window ourselves first.
    web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .map(|_| LocalStorage::raw())
        .ok_or(StorageError::Unavailable)
}

pub fn get(key: &str) -> Result<Option<String>, StorageError> {
    raw()?.get_item(key).map_err(classify)
}

pub fn set(key: &str, value: &str) -> Result<(), StorageError> {
    raw()?.set_item(key, value).map_err(classify)
}

pub fn remove(key: &str) -> Result<(), StorageError> {
    raw()?.remove_item(key).map_err(classify)
}
