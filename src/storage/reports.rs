//! Reports (drafts and finalized ones) in IndexedDB, one record per report.

use veilig_core::envelope::DecodeError;
use veilig_core::report::save::{decide, Save};
use veilig_core::report::{Report, REPORT_SCHEMA_VERSION};

use super::error::StorageError;
use super::idb_store::{self, Write, REPORTS};
use super::{codec, quarantine};

/// The steps from every earlier version live in core (the server reads old reports too).
pub use veilig_core::report::migrate::REPORT_MIGRATIONS;

pub fn encode(report: &Report) -> Result<String, StorageError> {
    codec::encode(REPORT_SCHEMA_VERSION, report)
}

pub fn decode(raw: &str) -> Result<Report, DecodeError> {
    codec::decode(raw, REPORT_MIGRATIONS)
}

/// Every readable report, plus how many records had to be set aside.
pub async fn list() -> Result<(Vec<Report>, usize), StorageError> {
    let mut reports = Vec::new();
    let mut set_aside = 0;
    for (key, raw) in idb_store::all(REPORTS).await? {
        match decode(&raw) {
            Ok(report) => reports.push(report),
            Err(err) => {
                set_aside += 1;
                quarantine::keep_record(REPORTS, &key, &raw, &err).await;
            }
        }
    }
    Ok((reports, set_aside))
}

pub async fn load(id: &str) -> Result<Option<Report>, StorageError> {
    match idb_store::get(REPORTS, id).await? {
        None => Ok(None),
        Some(raw) => match decode(&raw) {
            Ok(report) => Ok(Some(report)),
            Err(err) => {
                quarantine::keep_record(REPORTS, id, &raw, &err).await;
                Err(StorageError::Unreadable)
            }
        },
    }
}

/// Saves `mine`, edited from `base`. If another tab saved since `base`, the two are merged so
/// that no newer text is replaced by older. Returns what was written (the new base).
pub async fn save(
    base: &Report,
    mine: &Report,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Report, StorageError> {
    save_with(&[REPORTS], base, mine, now, |_| Ok(Vec::new())).await
}

/// The one way a report is written: read what is stored, let core decide what to write
/// (`report::save::decide`: refuse if it is final, merge with another tab's newer revision),
/// write; `extra` adds records (in `stores`) made from exactly what is written, in the same
/// transaction.
pub(super) async fn save_with(
    stores: &[&str],
    base: &Report,
    mine: &Report,
    now: chrono::DateTime<chrono::Utc>,
    extra: impl FnOnce(&Report) -> Result<Vec<Write>, StorageError>,
) -> Result<Report, StorageError> {
    let mut written: Option<Report> = None;
    idb_store::update(stores, REPORTS, &mine.id, |stored| {
        let stored = stored
            .as_deref()
            .map(decode)
            .transpose()
            .map_err(|_| StorageError::Unreadable)?;
        // The rule (refuse if final, merge with another tab's newer save, keep my status,
        // next revision) is core's; this is the I/O around it.
        let next = match decide(stored, base, mine, now) {
            Save::Write(next) => next,
            Save::Refused(_) => return Err(StorageError::ReadOnly),
        };
        let mut writes = vec![Write {
            store: REPORTS,
            key: next.id.clone(),
            value: encode(&next)?,
        }];
        writes.extend(extra(&next)?);
        written = Some(next);
        Ok(writes)
    })
    .await?;
    written.ok_or(StorageError::Other("nothing written".into()))
}

pub async fn delete(id: &str) -> Result<(), StorageError> {
    idb_store::delete(REPORTS, id).await
}

/// Puts a report back exactly as it was (undo of a delete).
pub async fn restore(report: &Report) -> Result<(), StorageError> {
    idb_store::put(REPORTS, &report.id, &encode(report)?).await
}
