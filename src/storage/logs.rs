//! What is tapped under pressure besides the form: the flow-run logs (answers and tallies with
//! their times) and the extreme-incident checklist. In IndexedDB, each change its own
//! transaction, because a killed browser loses the last seconds of localStorage writes
//! (`shared/design/storage-durability.md`; `e2e/tests/drafts.test.mjs` kills one half a second
//! after an answer). Versions before 3 kept them in localStorage; they are moved on first use.

use std::cell::Cell;

use veilig_core::envelope::{self, Migration};
use veilig_core::protocol::checklist::Checklist;
use veilig_core::protocol::run::FlowRun;

use super::idb_store::{self, CHECKLISTS, RUNS};
use super::local::{self, StorageError};
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

/// Every readable run (in key order); what cannot be read is set aside and said.
pub async fn load_runs() -> Loaded<Vec<FlowRun>> {
    let mut problem = move_from_local_storage().await;
    let mut runs = Vec::new();
    match idb_store::all(RUNS).await {
        Ok(records) => {
            for (key, raw) in records {
                match envelope::decode::<FlowRun>(&raw, RUN_MIGRATIONS) {
                    Ok(run) => runs.push(run),
                    Err(err) => {
                        problem = Some(quarantine::keep_record(RUNS, &key, &raw, &err).await)
                    }
                }
            }
        }
        Err(err) => problem = Some(err.to_string()),
    }
    Loaded {
        value: runs,
        problem,
    }
}

/// Writes one run (by its id) and returns once the browser has committed it.
pub async fn save_run(run: &FlowRun) -> Result<(), StorageError> {
    idb_store::put(RUNS, &run.id, &encode(RUN_VERSION, run)?).await
}

/// The extreme-incident checklist in use (empty when there is none).
pub async fn load_extreme() -> Loaded<Checklist> {
    let problem = move_from_local_storage().await;
    match idb_store::get(CHECKLISTS, EXTREME).await {
        Ok(None) => Loaded {
            value: Checklist::default(),
            problem,
        },
        Ok(Some(raw)) => match envelope::decode(&raw, CHECKLIST_MIGRATIONS) {
            Ok(value) => Loaded { value, problem },
            Err(err) => Loaded {
                value: Checklist::default(),
                problem: Some(quarantine::keep_record(CHECKLISTS, EXTREME, &raw, &err).await),
            },
        },
        Err(err) => Loaded {
            value: Checklist::default(),
            problem: Some(err.to_string()),
        },
    }
}

pub async fn save_extreme(checklist: &Checklist) -> Result<(), StorageError> {
    idb_store::put(CHECKLISTS, EXTREME, &encode(CHECKLIST_VERSION, checklist)?).await
}

fn encode<T: serde::Serialize>(version: u32, value: &T) -> Result<String, StorageError> {
    envelope::encode(version, value).map_err(|e| StorageError::Encode(e.to_string()))
}

/// Once per page: copies what an older version left in localStorage into IndexedDB (never over
/// a record already there), then removes the old key. Unreadable old values are set aside as
/// before. Interrupted, it simply runs again next time.
async fn move_from_local_storage() -> Option<String> {
    if MOVED.with(Cell::get) {
        return None;
    }
    let mut problem = None;
    let mut moved_all = true;
    if let Ok(Some(raw)) = local::get(OLD_RUNS_KEY) {
        match envelope::decode::<Vec<FlowRun>>(&raw, RUN_MIGRATIONS) {
            Ok(runs) => {
                for run in runs {
                    moved_all &= put_if_absent(RUNS, &run.id, encode(RUN_VERSION, &run)).await;
                }
            }
            Err(err) => problem = Some(quarantine::keep(OLD_RUNS_KEY, &raw, &err)),
        }
        if moved_all {
            let _ = local::remove(OLD_RUNS_KEY);
        }
    }
    if let Ok(Some(raw)) = local::get(OLD_EXTREME_KEY) {
        let moved = match envelope::decode::<Checklist>(&raw, CHECKLIST_MIGRATIONS) {
            Ok(checklist) => {
                put_if_absent(CHECKLISTS, EXTREME, encode(CHECKLIST_VERSION, &checklist)).await
            }
            Err(err) => {
                problem = Some(quarantine::keep(OLD_EXTREME_KEY, &raw, &err));
                true
            }
        };
        if moved {
            let _ = local::remove(OLD_EXTREME_KEY);
        }
        moved_all &= moved;
    }
    MOVED.with(|m| m.set(moved_all));
    problem
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
