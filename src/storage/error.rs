//! What can go wrong with storage on this device, decided in one place for localStorage and
//! IndexedDB alike. Only the kind of failure is kept, never a value (it may be personal data).

use wasm_bindgen::{JsCast, JsValue};

/// The kinds of failure. They carry no sentence: the shell says them in the reader's language
/// (`crate::i18n::Texts::storage_error`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StorageError {
    QuotaExceeded,
    /// No storage here (a private window), or the database was closed under us.
    Unavailable,
    /// Another failure, by its DOMException name.
    Other(String),
    /// A value that could not be turned into stored bytes.
    Encode(String),
    /// A stored report that could not be read (it is kept in the quarantine).
    Unreadable,
    /// A finalized report cannot be changed.
    ReadOnly,
    /// Stored data could not be read and was kept aside; `from_newer_app` when a newer version
    /// of the app wrote it.
    SetAside {
        from_newer_app: bool,
    },
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
