//! The service worker's half of the outbox, built by Trunk as a worker next to the app
//! (`index.html`, `data-type="worker"`). `public/sw.js` loads it on a Background Sync event and
//! calls [`on_sync`]; everything it does is the app's own code (`veilig::storage::outbox`,
//! `veilig::net`, `veilig_core::outbox`), so the two cannot disagree about an entry.

use wasm_bindgen::prelude::*;

use veilig::clock::now;
use veilig::storage::outbox;
use veilig_core::outbox::SYNC_TAG;

/// Sends every waiting entry. Rejects when the server could not be reached, so that the
/// browser schedules the sync again; a refusal or a receipt is stored like the app stores it.
#[wasm_bindgen]
pub async fn on_sync(tag: String) -> Result<(), JsValue> {
    if tag != SYNC_TAG {
        return Ok(());
    }
    let entries = outbox::all().await.map_err(storage_failed)?;
    // A sync event is "the connection is back": like the app's "send now", it does not wait for
    // the backoff of an earlier failure (else the browser, told the sync is done, would leave
    // those reports until the app is opened again).
    for entry in entries.into_iter().filter(|e| e.should_send(now(), true)) {
        let sent = outbox::send(entry, now, js_sys::Math::random())
            .await
            .map_err(storage_failed)?;
        if sent.no_answer {
            return Err(JsValue::from_str("no answer"));
        }
    }
    Ok(())
}

fn storage_failed(err: veilig::storage::StorageError) -> JsValue {
    JsValue::from_str(&format!("storage: {err:?}"))
}

fn main() {}
