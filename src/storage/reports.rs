//! Reports (drafts and finalized ones) in IndexedDB, one record per report.

use veilig_core::envelope::DecodeError;
use veilig_core::report::merge::merge;
use veilig_core::report::{prune_inapplicable, Report, REPORT_SCHEMA_VERSION};

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

/// The one way a report is written: read what is stored, refuse if it is final, merge with
/// another tab's newer revision, write; `extra` adds records (in `stores`) made from exactly
/// what is written, in the same transaction.
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
        if stored.as_ref().is_some_and(Report::is_final) {
            // Read-only once final: another tab finalized it meanwhile.
            return Err(StorageError::ReadOnly);
        }
        let mut next = match stored {
            Some(theirs) if theirs.revision > base.revision => merge(base, mine, &theirs),
            _ => mine.clone(),
        };
        // Whether it is final is this tab's decision (the stored one is a draft, see above).
        next.status = mine.status.clone();
        if next.is_final() {
            // After the merge, so that a value another tab added cannot slip through: the
            // final report (and the bytes sent) hold only what applies.
            prune_inapplicable(&mut next);
        }
        next.revision = next.revision.max(base.revision) + 1;
        next.saved_at = now;
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
