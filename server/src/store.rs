//! Received reports in SQLite. One transaction per report: a request cut off halfway, or a
//! crash, leaves either the whole report or nothing.

use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use sha2::{Digest, Sha256};
use veilig_core::sync::Receipt;

#[derive(Debug)]
pub enum Stored {
    /// First time this id arrived.
    Created(Receipt),
    /// The same id with the same bytes again: the original receipt.
    Repeated(Receipt),
    /// The same id with other bytes: refused, the stored report stays as it was.
    Conflict(Receipt),
    /// A new correction whose `corrects` names no report held here: nothing is stored.
    CorrectsUnknown,
}

pub fn content_hash(body: &[u8]) -> String {
    hex::encode(Sha256::digest(body))
}

/// The receipt's `seq` is the report's number among those of its device (a report from before
/// devices existed keeps its place in the server's order): a receipt never tells a sender how
/// many reports the server holds.
fn receipt_of(row: &rusqlite::Row<'_>) -> rusqlite::Result<Receipt> {
    Ok(Receipt {
        seq: row.get::<_, Option<i64>>(4)?.unwrap_or(row.get(0)?),
        id: row.get(1)?,
        received_at: row.get(2)?,
        content_hash: row.get(3)?,
    })
}

const RECEIPT_COLUMNS: &str = "seq, id, received_at, content_hash, device_seq";

/// Where a report came from: the device that sent it, its team and the person it is bound to.
#[derive(Debug, Clone)]
pub struct Source<'a> {
    pub device: &'a str,
    pub team: &'a str,
    pub author: Option<&'a str>,
}

/// Stores `body` under `id` unless other content is stored there (`Conflict`), or it corrects
/// a report this server does not hold (`corrects`, looked up in the same transaction as the
/// insert, so the original cannot be missing by the time the correction is stored).
pub fn put(
    conn: &mut Connection,
    id: &str,
    body: &[u8],
    now: &str,
    source: &Source<'_>,
    corrects: Option<&str>,
    index: Option<&veilig_core::report::Report>,
) -> rusqlite::Result<Stored> {
    let hash = content_hash(body);
    // IMMEDIATE takes the write lock up front: two identical requests racing cannot both insert.
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let existing = tx
        .query_row(
            &format!("SELECT {RECEIPT_COLUMNS}, device_id FROM reports WHERE id = ?1"),
            [id],
            |row| Ok((receipt_of(row)?, row.get::<_, Option<String>>(5)?)),
        )
        .optional()?;
    let original_missing = match corrects {
        // Only a report of the same team can be corrected (and only there is an id's
        // existence told): a device of one team learns nothing about another's reports.
        Some(original) if existing.is_none() => tx
            .query_row(
                "SELECT 1 FROM reports WHERE id = ?1 AND team_id = ?2",
                params![original, source.team],
                |_| Ok(()),
            )
            .optional()?
            .is_none(),
        _ => false,
    };
    let outcome = match existing {
        // The same bytes again from the device that sent them: its receipt. From another
        // device it is a conflict: a receipt is shown only to its sender.
        Some((receipt, device))
            if receipt.content_hash == hash && device.as_deref() == Some(source.device) =>
        {
            Stored::Repeated(receipt)
        }
        Some((receipt, _)) => Stored::Conflict(receipt),
        None if original_missing => Stored::CorrectsUnknown,
        None => {
            let device_seq: i64 = tx.query_row(
                "UPDATE devices SET reports_sent = reports_sent + 1, last_seen_at = ?2
                 WHERE id = ?1 RETURNING reports_sent",
                params![source.device, now],
                |r| r.get(0),
            )?;
            tx.execute(
                "INSERT INTO reports (id, received_at, content_hash, body, device_id, team_id, author_id, device_seq)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![id, now, hash, body, source.device, source.team, source.author, device_seq],
            )?;
            // The workspace's list columns and tasks, in the same transaction: a stored report
            // is always in the lists.
            if let Some(report) = index {
                crate::workspace::index_report(&tx, id, report)?;
            }
            Stored::Created(Receipt {
                id: id.to_owned(),
                received_at: now.to_owned(),
                seq: device_seq,
                content_hash: hash,
            })
        }
    };
    if !matches!(outcome, Stored::Created(_)) {
        tx.execute(
            "UPDATE devices SET last_seen_at = ?2 WHERE id = ?1",
            params![source.device, now],
        )?;
    }
    tx.commit()?;
    Ok(outcome)
}

/// A received report's receipt and what access decides by: its team and author.
#[derive(Debug, Clone)]
pub struct Listed {
    pub receipt: Receipt,
    /// Empty for a report received before devices existed (only P&O reads those).
    pub team: String,
    pub author: Option<String>,
}

pub fn list(conn: &Connection) -> rusqlite::Result<Vec<Listed>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {RECEIPT_COLUMNS}, team_id, author_id FROM reports ORDER BY seq"
    ))?;
    let rows = stmt.query_map([], |row| {
        Ok(Listed {
            receipt: receipt_of(row)?,
            team: row.get::<_, Option<String>>(5)?.unwrap_or_default(),
            author: row.get(6)?,
        })
    })?;
    rows.collect()
}

/// One report's bytes, its team and its author.
pub type Body = (Vec<u8>, String, Option<String>);

/// One report's bytes with its team and author.
pub fn body(conn: &Connection, id: &str) -> rusqlite::Result<Option<Body>> {
    conn.query_row(
        "SELECT body, team_id, author_id FROM reports WHERE id = ?1",
        [id],
        |row| {
            Ok((
                row.get(0)?,
                row.get::<_, Option<String>>(1)?.unwrap_or_default(),
                row.get(2)?,
            ))
        },
    )
    .optional()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn device(conn: &Connection, id: &str) {
        conn.execute_batch(&format!(
            "INSERT OR IGNORE INTO teams (id, name, created_at) VALUES ('t', 'Team', 'now');
             INSERT INTO devices (id, credential_hash, team_id, enrolled_at) VALUES ('{id}', '{id}', 't', 'now');"
        ))
        .unwrap();
    }

    #[test]
    fn put_then_repeat_then_conflict() {
        let dir = tempfile::tempdir().unwrap();
        let mut conn = crate::db::open(dir.path()).unwrap();
        device(&conn, "d1");
        device(&conn, "d2");
        let d1 = Source {
            device: "d1",
            team: "t",
            author: None,
        };
        let d2 = Source {
            device: "d2",
            team: "t",
            author: None,
        };
        let first = put(
            &mut conn,
            "a",
            b"one",
            "2026-01-01T00:00:00Z",
            &d1,
            None,
            None,
        )
        .unwrap();
        assert!(matches!(first, Stored::Created(ref r) if r.seq == 1));
        assert!(
            matches!(put(&mut conn, "a", b"one", "later", &d1, None, None).unwrap(), Stored::Repeated(ref r) if r.received_at == "2026-01-01T00:00:00Z")
        );
        assert!(matches!(
            put(&mut conn, "a", b"two", "later", &d1, None, None).unwrap(),
            Stored::Conflict(_)
        ));
        // The same bytes from another device get no receipt.
        assert!(matches!(
            put(&mut conn, "a", b"one", "later", &d2, None, None).unwrap(),
            Stored::Conflict(_)
        ));
        assert_eq!(body(&conn, "a").unwrap().unwrap().0, b"one".to_vec());
        assert_eq!(list(&conn).unwrap().len(), 1);
    }

    #[test]
    fn a_correction_is_stored_only_when_its_original_is_held() {
        let dir = tempfile::tempdir().unwrap();
        let mut conn = crate::db::open(dir.path()).unwrap();
        device(&conn, "d1");
        let d1 = Source {
            device: "d1",
            team: "t",
            author: None,
        };
        assert!(matches!(
            put(&mut conn, "c", b"fix", "now", &d1, Some("a"), None).unwrap(),
            Stored::CorrectsUnknown
        ));
        assert!(body(&conn, "c").unwrap().is_none(), "nothing stored");
        let seq: i64 = conn
            .query_row(
                "SELECT reports_sent FROM devices WHERE id = 'd1'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(seq, 0, "a refused correction is not counted");
        put(&mut conn, "a", b"original", "now", &d1, None, None).unwrap();
        assert!(matches!(
            put(&mut conn, "c", b"fix", "now", &d1, Some("a"), None).unwrap(),
            Stored::Created(_)
        ));
        // Its repeat is the same receipt, as for any report.
        assert!(matches!(
            put(&mut conn, "c", b"fix", "now", &d1, Some("a"), None).unwrap(),
            Stored::Repeated(_)
        ));
    }

    #[test]
    fn a_receipt_counts_the_reports_of_its_device_only() {
        let dir = tempfile::tempdir().unwrap();
        let mut conn = crate::db::open(dir.path()).unwrap();
        device(&conn, "d1");
        device(&conn, "d2");
        let d1 = Source {
            device: "d1",
            team: "t",
            author: None,
        };
        let d2 = Source {
            device: "d2",
            team: "t",
            author: None,
        };
        for i in 0..5 {
            put(&mut conn, &format!("a{i}"), b"x", "now", &d1, None, None).unwrap();
        }
        let Stored::Created(receipt) = put(&mut conn, "b", b"y", "now", &d2, None, None).unwrap()
        else {
            panic!("created")
        };
        assert_eq!(
            receipt.seq, 1,
            "the first of its device, not the sixth of the server"
        );
    }
}
