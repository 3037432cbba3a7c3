//! Entries that cannot be read are copied aside, under a key of their own, before anything
//! else may overwrite them. They are never deleted by the app.

use veilig_core::envelope::DecodeError;

use super::error::StorageError;

use super::idb_store::{self, QUARANTINE};
use super::local;

/// Copies `raw` to `veilig.quarantine.<key>.<time>`; returns what to tell the user and whether
/// the copy was written (only then may the original go).
pub fn keep(key: &str, raw: &str, err: &DecodeError) -> (StorageError, bool) {
    let stamp = js_sys::Date::now() as u64;
    let aside = format!("veilig.quarantine.{key}.{stamp}");
    let kept = local::set(&aside, raw).is_ok();
    // Only the kind of problem goes to the console, never the content (it may be personal data).
    web_sys::console::warn_1(
        &format!(
            "veilig: {key} could not be read ({}), kept aside: {kept}",
            kind(err)
        )
        .into(),
    );
    (set_aside(err), kept)
}

/// Copies an unreadable IndexedDB record to the quarantine store under
/// `<store>/<key>/<time>` (kept, never deleted; the original stays until the same key is saved
/// again, except an outbox entry, which `outbox::all` replaces by a fresh one from its report) and returns what to tell the user and whether the copy was written.
pub async fn keep_record(
    store: &str,
    key: &str,
    raw: &str,
    err: &DecodeError,
) -> (StorageError, bool) {
    let stamp = js_sys::Date::now() as u64;
    let aside = format!("{store}/{key}/{stamp}");
    let kept = idb_store::put(QUARANTINE, &aside, raw).await.is_ok();
    web_sys::console::warn_1(
        &format!(
            "veilig: a {store} record could not be read ({}), kept aside: {kept}",
            kind(err)
        )
        .into(),
    );
    (set_aside(err), kept)
}

fn set_aside(err: &DecodeError) -> StorageError {
    StorageError::SetAside {
        from_newer_app: err.is_from_the_future(),
    }
}

fn kind(err: &DecodeError) -> &'static str {
    match err {
        DecodeError::NotJson(_) => "not json",
        DecodeError::NoEnvelope => "no envelope",
        DecodeError::FromTheFuture { .. } => "newer version",
        DecodeError::Migration { .. } => "migration failed",
        DecodeError::Shape(_) => "unexpected shape",
    }
}
