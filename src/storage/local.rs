//! localStorage, for small values that are not typed under pressure (the settings).
//! It survives reloads and closed tabs, but a killed browser can lose its last seconds of
//! writes (`shared/design/storage-durability.md`).

use gloo_storage::{LocalStorage, Storage};

use super::error::{classify, StorageError};

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
