//! IndexedDB, for everything typed under pressure (report drafts) and the outbox: a completed
//! transaction survives a killed browser (`shared/design/storage-durability.md`).
//! Values are envelope JSON strings under string keys; each write is its own transaction and
//! returns only after the browser reported it `complete`.

use std::cell::RefCell;
use std::rc::Rc;

use idb::{
    Database, DatabaseEvent, Factory, ObjectStoreParams, TransactionMode, TransactionResult,
};
use wasm_bindgen::JsValue;

use super::local::StorageError;

const DB_NAME: &str = "veilig";
/// Raise it, and list the new store in `STORES`, when the set of stores changes; the upgrade
/// creates whatever store is missing, so every older version upgrades.
const DB_VERSION: u32 = 2;
pub const REPORTS: &str = "reports";
pub const QUARANTINE: &str = "quarantine";
/// Added in version 2.
pub const OUTBOX: &str = "outbox";
const STORES: [&str; 3] = [REPORTS, QUARANTINE, OUTBOX];

thread_local! {
    static DB: RefCell<Option<Rc<Database>>> = const { RefCell::new(None) };
    /// Test hook: makes the next writes fail as the browser would (e.g. "QuotaExceededError").
    static FAIL_WRITES: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// For tests: every write fails with a DOMException of this name until set to `None`.
pub fn simulate_write_failure(name: Option<&str>) {
    FAIL_WRITES.with(|f| *f.borrow_mut() = name.map(str::to_owned));
}

fn classify(err: idb::Error) -> StorageError {
    let text = format!("{err:?}");
    if text.contains("QuotaExceededError") {
        StorageError::QuotaExceeded
    } else if text.contains("SecurityError") || text.contains("InvalidStateError") {
        StorageError::Unavailable
    } else {
        // Only the kind of failure: values may hold personal data.
        StorageError::Other(
            text.split(['(', ':'])
                .next()
                .unwrap_or("indexeddb")
                .to_owned(),
        )
    }
}

async fn open() -> Result<Database, StorageError> {
    let factory = Factory::new().map_err(|_| StorageError::Unavailable)?;
    let mut request = factory.open(DB_NAME, Some(DB_VERSION)).map_err(classify)?;
    request.on_upgrade_needed(|event| {
        let Ok(db) = event.database() else { return };
        let existing = db.store_names();
        for store in STORES {
            if !existing.iter().any(|s| s == store) {
                let _ = db.create_object_store(store, ObjectStoreParams::new());
            }
        }
    });
    request.await.map_err(classify)
}

/// The database, opened once per page and shared.
async fn db() -> Result<Rc<Database>, StorageError> {
    if let Some(db) = DB.with(|d| d.borrow().clone()) {
        return Ok(db);
    }
    let db = Rc::new(open().await?);
    DB.with(|d| *d.borrow_mut() = Some(db.clone()));
    Ok(db)
}

fn failing() -> Option<StorageError> {
    FAIL_WRITES.with(|f| {
        f.borrow().as_deref().map(|name| match name {
            "QuotaExceededError" => StorageError::QuotaExceeded,
            other => StorageError::Other(other.to_owned()),
        })
    })
}

pub async fn get(store: &str, key: &str) -> Result<Option<String>, StorageError> {
    let db = db().await?;
    let tx = db
        .transaction(&[store], TransactionMode::ReadOnly)
        .map_err(classify)?;
    let value = tx
        .object_store(store)
        .map_err(classify)?
        .get(JsValue::from_str(key))
        .map_err(classify)?
        .await
        .map_err(classify)?;
    Ok(value.and_then(|v| v.as_string()))
}

/// Every (key, value) of a store, in key order.
pub async fn all(store: &str) -> Result<Vec<(String, String)>, StorageError> {
    let db = db().await?;
    let tx = db
        .transaction(&[store], TransactionMode::ReadOnly)
        .map_err(classify)?;
    let os = tx.object_store(store).map_err(classify)?;
    let keys = os
        .get_all_keys(None, None)
        .map_err(classify)?
        .await
        .map_err(classify)?;
    let values = os
        .get_all(None, None)
        .map_err(classify)?
        .await
        .map_err(classify)?;
    Ok(keys
        .into_iter()
        .zip(values)
        .filter_map(|(k, v)| Some((k.as_string()?, v.as_string().unwrap_or_default())))
        .collect())
}

/// One record to write.
pub struct Write {
    pub store: &'static str,
    pub key: String,
    pub value: String,
}

pub async fn put(store: &'static str, key: &str, value: &str) -> Result<(), StorageError> {
    let write = Write {
        store,
        key: key.to_owned(),
        value: value.to_owned(),
    };
    update(&[store], store, key, |_| Ok(vec![write])).await
}

/// Reads `key` from `store` and writes what `decide` makes of it, in one transaction over
/// `stores`: no other tab can write in between, and the writes land all together or not at
/// all. `decide` returning no writes writes nothing; returning an error aborts.
pub async fn update(
    stores: &[&str],
    store: &str,
    key: &str,
    decide: impl FnOnce(Option<String>) -> Result<Vec<Write>, StorageError>,
) -> Result<(), StorageError> {
    if let Some(err) = failing() {
        return Err(err);
    }
    let db = db().await?;
    let tx = db
        .transaction(stores, TransactionMode::ReadWrite)
        .map_err(classify)?;
    let current = tx
        .object_store(store)
        .map_err(classify)?
        .get(JsValue::from_str(key))
        .map_err(classify)?
        .await
        .map_err(classify)?
        .and_then(|v| v.as_string());
    let writes = match decide(current) {
        Ok(writes) => writes,
        Err(err) => {
            let _ = tx.abort();
            return Err(err);
        }
    };
    for write in writes {
        tx.object_store(write.store)
            .map_err(classify)?
            .put(
                &JsValue::from_str(&write.value),
                Some(&JsValue::from_str(&write.key)),
            )
            .map_err(classify)?
            .await
            .map_err(classify)?;
    }
    commit(tx).await
}

pub async fn delete(store: &str, key: &str) -> Result<(), StorageError> {
    if let Some(err) = failing() {
        return Err(err);
    }
    let db = db().await?;
    let tx = db
        .transaction(&[store], TransactionMode::ReadWrite)
        .map_err(classify)?;
    tx.object_store(store)
        .map_err(classify)?
        .delete(JsValue::from_str(key))
        .map_err(classify)?
        .await
        .map_err(classify)?;
    commit(tx).await
}

/// Commits and waits for the browser's `complete`: only then is the write durable.
async fn commit(tx: idb::Transaction) -> Result<(), StorageError> {
    match tx.commit().map_err(classify)?.await.map_err(classify)? {
        TransactionResult::Committed => Ok(()),
        TransactionResult::Aborted => Err(StorageError::Other("aborted".into())),
    }
}
