//! The outbox in IndexedDB: one entry per finalized report with the exact bytes to send.

use veilig_core::envelope::{self, Migration};
use veilig_core::outbox::{Entry, State};
use veilig_core::report::{Report, Status};

use super::idb_store::{self, Write, OUTBOX, REPORTS};
use super::local::StorageError;
use super::reports;

const OUTBOX_VERSION: u32 = 1;
const OUTBOX_MIGRATIONS: &[Migration] = &[];

fn encode(entry: &Entry) -> Result<String, StorageError> {
    envelope::encode(OUTBOX_VERSION, entry).map_err(|e| StorageError::Encode(e.to_string()))
}

pub async fn all() -> Result<Vec<Entry>, StorageError> {
    Ok(idb_store::all(OUTBOX)
        .await?
        .into_iter()
        .filter_map(|(_, raw)| envelope::decode::<Entry>(&raw, OUTBOX_MIGRATIONS).ok())
        .collect())
}

pub async fn put(entry: &Entry) -> Result<(), StorageError> {
    idb_store::put(OUTBOX, &entry.id, &encode(entry)?).await
}

/// Finalizes `mine` (edited from `base`): the final report and its outbox entry are written in
/// one transaction, through the same merge as every save, so a newer text saved by another tab
/// is kept; the entry holds exactly the bytes of the final report as stored.
pub async fn finalize(
    base: &Report,
    mine: &Report,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Report, StorageError> {
    let mut fin = mine.clone();
    fin.status = Status::Final { finalized_at: now };
    reports::save_with(&[REPORTS, OUTBOX], base, &fin, now, |written| {
        let body =
            serde_json::to_string(written).map_err(|e| StorageError::Encode(e.to_string()))?;
        let entry = Entry::new(written.id.clone(), body, now);
        Ok(vec![Write {
            store: OUTBOX,
            key: entry.id.clone(),
            value: encode(&entry)?,
        }])
    })
    .await
}

/// At app start: queues any final report that has no outbox entry (e.g. written by an older
/// version), and puts back to waiting what a closed page left "sending" (this page cannot be
/// sending yet; should another tab be, the server answers the same bytes with the same receipt).
pub async fn reconcile(now: chrono::DateTime<chrono::Utc>) -> Result<usize, StorageError> {
    let entries = all().await?;
    for mut entry in entries
        .iter()
        .filter(|e| matches!(e.state, State::Sending { .. }))
        .cloned()
    {
        entry.state = State::Waiting {
            next_attempt_at: now,
        };
        put(&entry).await?;
    }
    let queued: Vec<String> = entries.into_iter().map(|e| e.id).collect();
    let (reports, _) = reports::list().await?;
    let mut added = 0;
    for report in reports
        .iter()
        .filter(|r| r.is_final() && !queued.contains(&r.id))
    {
        let body =
            serde_json::to_string(report).map_err(|e| StorageError::Encode(e.to_string()))?;
        put(&Entry::new(report.id.clone(), body, now)).await?;
        added += 1;
    }
    Ok(added)
}
