//! IndexedDB, for everything typed under pressure (report drafts) and the outbox: a completed
//! transaction survives a killed browser (`shared/design/storage-durability.md`).
//! Values are envelope JSON strings under string keys; each write is its own transaction and
//! returns only after the browser reported it `complete`.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Array, Function, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbObjectStore, IdbRequest, IdbTransaction, IdbTransactionMode};

use super::error::{classify, StorageError};

const DB_NAME: &str = "veilig";
/// Raise it, and list the new store in `STORES`, when the set of stores changes; the upgrade
/// creates whatever store is missing, so every older version upgrades.
#[cfg(not(feature = "schema-ahead-fixture"))]
const DB_VERSION: u32 = 3;
/// The update test's "build B" is one database version ahead too, so that the test upgrades
/// the database under an open tab of the version before.
#[cfg(feature = "schema-ahead-fixture")]
const DB_VERSION: u32 = 4;
pub const REPORTS: &str = "reports";
pub const QUARANTINE: &str = "quarantine";
/// Added in version 2.
pub const OUTBOX: &str = "outbox";
/// Added in version 3 (before, in localStorage): flow-run logs by run id, and checklists.
pub const RUNS: &str = "runs";
pub const CHECKLISTS: &str = "checklists";
const STORES: [&str; 5] = [REPORTS, QUARANTINE, OUTBOX, RUNS, CHECKLISTS];

thread_local! {
    static DB: RefCell<Option<Rc<IdbDatabase>>> = const { RefCell::new(None) };
    /// Told when opening waits for another tab that holds an older version open.
    static ON_BLOCKED: RefCell<Option<Rc<dyn Fn()>>> = const { RefCell::new(None) };
    /// Test hook: makes the next writes fail as the browser would (e.g. "QuotaExceededError").
    static FAIL_WRITES: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// What to do when the database cannot be upgraded yet because another tab of an older
/// version of the app still has it open (the app tells the user to close that tab).
pub fn on_blocked(tell: impl Fn() + 'static) {
    ON_BLOCKED.with(|b| *b.borrow_mut() = Some(Rc::new(tell)));
}

/// For tests: every write fails with a DOMException of this name until set to `None`.
pub fn simulate_write_failure(name: Option<&str>) {
    FAIL_WRITES.with(|f| *f.borrow_mut() = name.map(str::to_owned));
}

/// Listens at once for an IndexedDB event source to fire `ok` (the future resolves with
/// `value()`) or one of `fail` (it rejects with `error()`); the listeners go when it has fired.
/// Listening starts before the future is first polled, so requests made together cannot fire
/// unseen while an earlier one is awaited.
fn settle(
    target: &web_sys::EventTarget,
    ok: &'static str,
    fail: &'static [&'static str],
    value: impl FnOnce() -> JsValue + 'static,
    error: impl FnOnce() -> JsValue + 'static,
) -> impl std::future::Future<Output = Result<JsValue, JsValue>> {
    let mut resolvers = None;
    let promise = Promise::new(&mut |resolve, reject| resolvers = Some((resolve, reject)));
    let (resolve, reject) = resolvers.expect("the Promise executor runs at once");
    let on_ok = Closure::once(move || resolve.call1(&JsValue::NULL, &value()));
    let on_fail = Closure::once(move || reject.call1(&JsValue::NULL, &error()));
    let _ = target.add_event_listener_with_callback(ok, on_ok.as_ref().unchecked_ref());
    for event in fail {
        let _ = target.add_event_listener_with_callback(event, on_fail.as_ref().unchecked_ref());
    }
    let target = target.clone();
    async move {
        let result = JsFuture::from(promise).await;
        let _ = target.remove_event_listener_with_callback(ok, on_ok.as_ref().unchecked_ref());
        for event in fail {
            let on_fail: &Function = on_fail.as_ref().unchecked_ref();
            let _ = target.remove_event_listener_with_callback(event, on_fail);
        }
        result
    }
}

/// The result of a request, once it succeeded.
fn done(request: IdbRequest) -> impl std::future::Future<Output = Result<JsValue, StorageError>> {
    let (ok, failed) = (request.clone(), request.clone());
    let settled = settle(
        &request,
        "success",
        &["error"],
        move || ok.result().unwrap_or(JsValue::UNDEFINED),
        move || {
            failed
                .error()
                .ok()
                .flatten()
                .map(JsValue::from)
                .unwrap_or(JsValue::NULL)
        },
    );
    async move { settled.await.map_err(classify) }
}

async fn open() -> Result<IdbDatabase, StorageError> {
    // The global scope's `indexedDB`: a window's or the service worker's (same code for both).
    let factory = js_sys::Reflect::get(&js_sys::global(), &"indexedDB".into())
        .ok()
        .and_then(|f| f.dyn_into::<web_sys::IdbFactory>().ok())
        .ok_or(StorageError::Unavailable)?;
    let request = factory
        .open_with_u32(DB_NAME, DB_VERSION)
        .map_err(classify)?;
    // Creates whatever store is missing, so every older version upgrades.
    let upgrading = request.clone();
    let on_upgrade = Closure::<dyn Fn()>::new(move || {
        let Some(db) = upgrading
            .result()
            .ok()
            .and_then(|r| r.dyn_into::<IdbDatabase>().ok())
        else {
            return;
        };
        let existing = db.object_store_names();
        for store in STORES {
            if !existing.contains(store) {
                let _ = db.create_object_store(store);
            }
        }
    });
    request.set_onupgradeneeded(Some(on_upgrade.as_ref().unchecked_ref()));
    // Opening then waits until that tab closes or reloads; meanwhile the user is told why.
    let on_blocked = Closure::<dyn Fn()>::new(|| {
        if let Some(tell) = ON_BLOCKED.with(|b| b.borrow().clone()) {
            tell();
        }
    });
    request.set_onblocked(Some(on_blocked.as_ref().unchecked_ref()));
    let result = done(request.clone().unchecked_into()).await;
    request.set_onupgradeneeded(None);
    request.set_onblocked(None);
    let db: IdbDatabase = result?.unchecked_into();
    // Another tab opening a newer version (after an app update) must not wait for this one.
    let closing = db.clone();
    let on_version_change = Closure::<dyn Fn()>::new(move || {
        closing.close();
        DB.with(|d| *d.borrow_mut() = None);
    });
    db.set_onversionchange(Some(on_version_change.as_ref().unchecked_ref()));
    on_version_change.forget();
    Ok(db)
}

/// The database, opened once per page and shared.
async fn db() -> Result<Rc<IdbDatabase>, StorageError> {
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

fn transaction(
    db: &IdbDatabase,
    stores: &[&str],
    mode: IdbTransactionMode,
) -> Result<IdbTransaction, StorageError> {
    let names: Array = stores.iter().map(|s| JsValue::from_str(s)).collect();
    db.transaction_with_str_sequence_and_mode(&names, mode)
        .map_err(classify)
}

fn object_store(tx: &IdbTransaction, store: &str) -> Result<IdbObjectStore, StorageError> {
    tx.object_store(store).map_err(classify)
}

pub async fn get(store: &str, key: &str) -> Result<Option<String>, StorageError> {
    let db = db().await?;
    let tx = transaction(&db, &[store], IdbTransactionMode::Readonly)?;
    let request = object_store(&tx, store)?
        .get(&JsValue::from_str(key))
        .map_err(classify)?;
    Ok(done(request).await?.as_string())
}

/// Every (key, value) of a store, in key order.
pub async fn all(store: &str) -> Result<Vec<(String, String)>, StorageError> {
    let db = db().await?;
    let tx = transaction(&db, &[store], IdbTransactionMode::Readonly)?;
    let os = object_store(&tx, store)?;
    // Both requests in one transaction: the same snapshot, in the same key order.
    let keys = done(os.get_all_keys().map_err(classify)?);
    let values = done(os.get_all().map_err(classify)?);
    let keys: Array = keys.await?.unchecked_into();
    let values: Array = values.await?.unchecked_into();
    Ok(keys
        .iter()
        .zip(values.iter())
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
    // One copy of the transaction's code for every caller (wasm size), not one per closure.
    update_boxed(stores, store, key, Box::new(decide)).await
}

type Decide<'a> = Box<dyn FnOnce(Option<String>) -> Result<Vec<Write>, StorageError> + 'a>;

async fn update_boxed(
    stores: &[&str],
    store: &str,
    key: &str,
    decide: Decide<'_>,
) -> Result<(), StorageError> {
    if let Some(err) = failing() {
        return Err(err);
    }
    let db = db().await?;
    let tx = transaction(&db, stores, IdbTransactionMode::Readwrite)?;
    let read = object_store(&tx, store)?
        .get(&JsValue::from_str(key))
        .map_err(classify)?;
    let current = done(read).await?.as_string();
    let writes = match decide(current) {
        Ok(writes) => writes,
        Err(err) => {
            let _ = tx.abort();
            return Err(err);
        }
    };
    for write in writes {
        let request = object_store(&tx, write.store)?
            .put_with_key(
                &JsValue::from_str(&write.value),
                &JsValue::from_str(&write.key),
            )
            .map_err(classify)?;
        done(request).await?;
    }
    commit(tx).await
}

pub async fn delete(store: &str, key: &str) -> Result<(), StorageError> {
    delete_if(store, key, None).await.map(|_| ())
}

/// Deletes `key` if what is stored is still `expected` (read and deleted in one transaction,
/// so a value another tab wrote meanwhile stays); with `None`, whatever is stored. Returns
/// whether it deleted.
pub async fn delete_if(
    store: &str,
    key: &str,
    expected: Option<&str>,
) -> Result<bool, StorageError> {
    if let Some(err) = failing() {
        return Err(err);
    }
    let db = db().await?;
    let tx = transaction(&db, &[store], IdbTransactionMode::Readwrite)?;
    let objects = object_store(&tx, store)?;
    if let Some(expected) = expected {
        let read = objects.get(&JsValue::from_str(key)).map_err(classify)?;
        if done(read).await?.as_string().as_deref() != Some(expected) {
            commit(tx).await?;
            return Ok(false);
        }
    }
    let request = objects.delete(&JsValue::from_str(key)).map_err(classify)?;
    done(request).await?;
    commit(tx).await?;
    Ok(true)
}

/// Commits and waits for the browser's `complete`: only then is the write durable.
async fn commit(tx: IdbTransaction) -> Result<(), StorageError> {
    let failed = tx.clone();
    let completed = settle(
        &tx,
        "complete",
        &["abort", "error"],
        || JsValue::UNDEFINED,
        move || failed.error().map(JsValue::from).unwrap_or(JsValue::NULL),
    );
    // Ends the transaction now rather than when it falls idle; `complete` still decides.
    // (Standard since Chromium 76 / Safari 15; web-sys marks it deprecated for no reason given.)
    #[allow(deprecated)]
    let _ = tx.commit();
    match completed.await {
        Ok(_) => Ok(()),
        Err(err) if err.is_null() => Err(StorageError::Other("aborted".into())),
        Err(err) => Err(classify(err)),
    }
}
