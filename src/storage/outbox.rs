//! The outbox in IndexedDB: one entry per finalized report with the exact bytes to send.
//!
//! One implementation, whatever wakes it: the app (`src/sync.rs`) and the service worker
//! (`src/bin/veilig-sw.rs`) both send through [`send`], and what an entry is and how an answer
//! changes it is decided in `veilig_core::outbox`.

use chrono::{DateTime, Utc};
use veilig_core::backoff::Backoff;
use veilig_core::envelope::{DecodeError, Migration};
use veilig_core::outbox::{still_mine, Entry, Outcome, ENVELOPE_VERSION};
use veilig_core::report::{Report, Status};

use super::error::{encode_failed, StorageError};
use super::idb_store::{self, Write, OUTBOX, REPORTS};
use super::{codec, quarantine, reports};

const OUTBOX_MIGRATIONS: &[Migration] = &[];

fn encode(entry: &Entry) -> Result<String, StorageError> {
    codec::encode(ENVELOPE_VERSION, entry)
}

fn decode(raw: &str) -> Result<Entry, DecodeError> {
    codec::decode(raw, OUTBOX_MIGRATIONS)
}

fn write(entry: &Entry) -> Result<Write, StorageError> {
    Ok(Write {
        store: OUTBOX,
        key: entry.id.clone(),
        value: encode(entry)?,
    })
}

/// Every readable entry. One that cannot be read is copied to the quarantine and, once the
/// copy is written and if nothing else was written there meanwhile, taken out of the outbox and
/// queued again from its report (which is still stored). An entry written by a newer version
/// of the app is left alone: that version reads it.
pub async fn all() -> Result<Vec<Entry>, StorageError> {
    let mut entries = Vec::new();
    for (key, raw) in idb_store::all(OUTBOX).await? {
        match decode(&raw) {
            Ok(entry) => entries.push(entry),
            Err(err) if err.is_from_the_future() => {}
            Err(err) => {
                if quarantine::keep_record(OUTBOX, &key, &raw, &err).await.1
                    && idb_store::delete_if(OUTBOX, &key, Some(&raw)).await == Ok(true)
                {
                    if let Some(entry) = queue_again(&key).await {
                        entries.push(entry);
                    }
                }
            }
        }
    }
    Ok(entries)
}

/// A fresh entry for the final report `id`, if it is stored and final.
async fn queue_again(id: &str) -> Option<Entry> {
    let report = reports::load(id)
        .await
        .ok()
        .flatten()
        .filter(Report::is_final)?;
    let entry = Entry::for_report(&report, crate::clock::now()).ok()?;
    put(&entry).await.ok()?;
    Some(entry)
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
    now: DateTime<Utc>,
) -> Result<Report, StorageError> {
    let mut fin = mine.clone();
    fin.status = Status::Final { finalized_at: now };
    reports::save_with(&[REPORTS, OUTBOX], base, &fin, now, |written| {
        let entry = Entry::for_report(written, now).map_err(encode_failed)?;
        Ok(vec![write(&entry)?])
    })
    .await
}

/// One attempt's result: the entry as stored afterwards, and whether the server could not be
/// reached (the caller stops sending the rest until later).
pub struct Sent {
    pub entry: Entry,
    pub no_answer: bool,
}

/// One attempt for `entry` (as read from storage): marks it sending if it is still stored as
/// read, PUTs its exact bytes, applies the answer (`Entry::finish`), and writes the result only
/// if no other sender (a second tab, the service worker) changed the entry meanwhile
/// (`still_mine`); otherwise the stored one stands and is returned.
pub async fn send(
    read: Entry,
    now: impl Fn() -> DateTime<Utc>,
    jitter: f64,
) -> Result<Sent, StorageError> {
    // Marked as sending only if the entry is still as it was read: a copy read before another
    // sender delivered it must not turn "delivered" back into "sending".
    let mut marked = read.clone();
    marked.start(now());
    if let Err(stands) = replace_if_still(&read, &marked).await? {
        return Ok(Sent {
            entry: stands.unwrap_or(read),
            no_answer: false,
        });
    }
    let mut entry = marked.clone();
    let outcome = crate::net::put_report(&entry.id, &entry.body).await;
    let no_answer = matches!(outcome, Outcome::NoAnswer(_));
    entry.finish(outcome, now(), Backoff::default(), jitter);
    let entry = match replace_if_still(&marked, &entry).await? {
        Ok(()) => entry,
        Err(other) => other.unwrap_or(entry),
    };
    Ok(Sent { entry, no_answer })
}

/// Writes `next` over `expected` in one transaction, only if the stored entry is still
/// `expected` (`still_mine`); otherwise writes nothing and gives back what is stored instead.
async fn replace_if_still(
    expected: &Entry,
    next: &Entry,
) -> Result<Result<(), Option<Entry>>, StorageError> {
    let record = write(next)?;
    let mut outcome = Ok(());
    idb_store::update(&[OUTBOX], OUTBOX, &next.id, |stored| {
        let stored = stored.as_deref().and_then(|raw| decode(raw).ok());
        if still_mine(stored.as_ref(), expected) {
            Ok(vec![record])
        } else {
            outcome = Err(stored);
            Ok(Vec::new())
        }
    })
    .await?;
    Ok(outcome)
}

/// The user chose to remove reports from this device once the server has them: removes the
/// report of a delivered entry and the bytes the entry kept (the receipt stays).
pub async fn forget_delivered(entry: &mut Entry) -> Result<(), StorageError> {
    if !entry.delivered_with_body() {
        return Ok(());
    }
    reports::delete(&entry.id).await?;
    entry.body.clear();
    put(entry).await
}

/// At app start: queues any final report that has no outbox entry (e.g. written by an older
/// version, or an entry that had to be set aside), and puts back to waiting what a closed page
/// left "sending" (should another tab or the worker still be sending it, the server answers
/// the same bytes with the same receipt).
pub async fn reconcile(now: DateTime<Utc>) -> Result<usize, StorageError> {
    let entries = all().await?;
    for mut entry in entries.iter().cloned() {
        if entry.reset_interrupted(now) {
            put(&entry).await?;
        }
    }
    let queued: Vec<String> = entries.into_iter().map(|e| e.id).collect();
    let (reports, _) = reports::list().await?;
    let mut added = 0;
    for report in reports
        .iter()
        .filter(|r| r.is_final() && !queued.contains(&r.id))
    {
        let entry = Entry::for_report(report, now).map_err(encode_failed)?;
        put(&entry).await?;
        added += 1;
    }
    Ok(added)
}
