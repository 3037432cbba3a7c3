//! What can go wrong with storage on this device, decided in one place for localStorage and
//! IndexedDB alike. Only the kind of failure is kept, never a value (it may be personal data).

use wasm_bindgen::{JsCast, JsValue};

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

/// A browser storage failure by its DOMException name only.
pub fn classify(err: JsValue) -> StorageError {
    let Some(name) = err.dyn_ref::<web_sys::DomException>().map(|e| e.name()) else {
        return StorageError::Other("unknown".into());
    };
    match name.as_str() {
        "QuotaExceededError" => StorageError::QuotaExceeded,
        // No storage in this context (private mode), or the database was closed under us.
        "SecurityError" | "InvalidStateError" => StorageError::Unavailable,
        _ => StorageError::Other(name),
    }
}

/// A value that could not be turned into stored bytes.
pub fn encode_failed(err: impl std::fmt::Display) -> StorageError {
    StorageError::Encode(err.to_string())
}
