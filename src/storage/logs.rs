//! What is tapped under pressure besides the form: the flow-run logs (answers and tallies with
//! their times) and the extreme-incident checklist. In IndexedDB, each change its own
//! transaction, because a killed browser loses the last seconds of localStorage writes
//! (`shared/design/storage-durability.md`; `e2e/tests/drafts.test.mjs` kills one half a second
//! after an answer). Versions before 3 kept them in localStorage; they are moved on first use.

use std::cell::Cell;

use veilig_core::envelope::Migration;
use veilig_core::protocol::checklist::Checklist;
use veilig_core::protocol::run::FlowRun;

use super::codec::{self, encode};
use super::error::StorageError;
use super::idb_store::{self, CHECKLISTS, RUNS};
use super::local;
use super::{quarantine, Loaded};

const RUN_VERSION: u32 = 1;
const RUN_MIGRATIONS: &[Migration] = &[];
const CHECKLIST_VERSION: u32 = 1;
const CHECKLIST_MIGRATIONS: &[Migration] = &[];
/// The one checklist there is (section 1.4), under this key.
const EXTREME: &str = "extreme";

/// Where versions before 3 kept them (all runs in one value).
const OLD_RUNS_KEY: &str = "veilig.runs";
const OLD_EXTREME_KEY: &str = "veilig.extreme";

thread_local! {
    static MOVED: Cell<bool> = const { Cell::new(false) };
}

/// For tests: the next load looks at localStorage again (as on a new page).
pub fn look_again_for_old_values() {
    MOVED.with(|m| m.set(false));
}

/// Every readable run (in key order); what cannot be read is set aside and said.
pub async fn load_runs() -> Loaded<Vec<FlowRun>> {
    let moved = move_from_local_storage().await;
    let (runs, problem) = read_all::<FlowRun>(RUNS, RUN_MIGRATIONS).await;
    Loaded {
        value: runs.into_iter().map(|(_, run)| run).collect(),
        problem: problem.or(moved),
    }
}

/// Every record of a store with its key; what cannot be read is set aside (quarantine), and
/// what the user is told says so.
async fn read_all<T: serde::de::DeserializeOwned>(
    store: &'static str,
    migrations: &[Migration],
) -> (Vec<(String, T)>, Option<StorageError>) {
    let mut problem = None;
    let mut values = Vec::new();
    match idb_store::all(store).await {
        Ok(records) => {
            for (key, raw) in records {
                match codec::decode::<T>(&raw, migrations) {
                    Ok(value) => values.push((key, value)),
                    Err(err) => {
                        problem = Some(quarantine::keep_record(store, &key, &raw, &err).await.0)
                    }
                }
            }
        }
        Err(err) => problem = Some(err),
    }
    (values, problem)
}

/// Writes one run (by its id) and returns once the browser has committed it.
pub async fn save_run(run: &FlowRun) -> Result<(), StorageError> {
    idb_store::put(RUNS, &run.id, &encode(RUN_VERSION, run)?).await
}

/// Every extreme-incident checklist on this device, one per incident. A checklist stored
/// before there could be several has no id of its own: it gets its record's key.
pub async fn load_checklists() -> Loaded<Vec<Checklist>> {
    let moved = move_from_local_storage().await;
    let (checklists, problem) = read_all::<Checklist>(CHECKLISTS, CHECKLIST_MIGRATIONS).await;
    let value = checklists
        .into_iter()
        .map(|(key, mut checklist)| {
            if checklist.id.is_empty() {
                checklist.id = key;
            }
            checklist
        })
        .collect();
    Loaded {
        value,
        problem: problem.or(moved),
    }
}

pub async fn save_checklist(checklist: &Checklist) -> Result<(), StorageError> {
    idb_store::put(
        CHECKLISTS,
        &checklist.id,
        &encode(CHECKLIST_VERSION, checklist)?,
    )
    .await
}

/// Once per page: copies what an older version left in localStorage into IndexedDB (never over
/// a record already there), then removes the old key. An unreadable old value is copied aside
/// first, as everywhere; the old key goes only once it is in IndexedDB or aside. Interrupted, it
/// simply runs again next time.
async fn move_from_local_storage() -> Option<StorageError> {
    if MOVED.with(Cell::get) {
        return None;
    }
    let mut problem = None;
    let runs_done = match read_old::<Vec<FlowRun>>(OLD_RUNS_KEY, RUN_MIGRATIONS, &mut problem) {
        Old::Value(runs) => {
            let mut all = true;
            for run in runs {
                all &= put_if_absent(RUNS, &run.id, encode(RUN_VERSION, &run)).await;
            }
            all
        }
        Old::Absent | Old::SetAside => true,
        Old::Stuck => false,
    };
    let checklist_done =
        match read_old::<Checklist>(OLD_EXTREME_KEY, CHECKLIST_MIGRATIONS, &mut problem) {
            Old::Value(checklist) => {
                put_if_absent(CHECKLISTS, EXTREME, encode(CHECKLIST_VERSION, &checklist)).await
            }
            Old::Absent | Old::SetAside => true,
            Old::Stuck => false,
        };
    for (key, done) in [(OLD_RUNS_KEY, runs_done), (OLD_EXTREME_KEY, checklist_done)] {
        if done {
            let _ = local::remove(key);
        }
    }
    MOVED.with(|m| m.set(runs_done && checklist_done));
    problem
}

/// An old localStorage value, read.
enum Old<T> {
    Absent,
    Value(T),
    /// Unreadable, and copied aside (what the user is told is in `problem`).
    SetAside,
    /// Unreadable, and the copy failed: it must stay where it is.
    Stuck,
}

fn read_old<T: serde::de::DeserializeOwned>(
    key: &str,
    migrations: &[Migration],
    problem: &mut Option<StorageError>,
) -> Old<T> {
    let Ok(Some(raw)) = local::get(key) else {
        return Old::Absent;
    };
    match codec::decode::<T>(&raw, migrations) {
        Ok(value) => Old::Value(value),
        Err(err) => {
            let (told, kept) = quarantine::keep(key, &raw, &err);
            *problem = Some(told);
            if kept {
                Old::SetAside
            } else {
                Old::Stuck
            }
        }
    }
}

/// Read, then write: two transactions, which is fine once per page for data no other code
/// writes yet.
async fn put_if_absent(
    store: &'static str,
    key: &str,
    value: Result<String, StorageError>,
) -> bool {
    let Ok(value) = value else { return false };
    match idb_store::get(store, key).await {
        Ok(Some(_)) => true,
        Ok(None) => idb_store::put(store, key, &value).await.is_ok(),
        Err(_) => false,
    }
}
