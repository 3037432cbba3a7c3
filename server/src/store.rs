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
}

pub fn content_hash(body: &[u8]) -> String {
    hex::encode(Sha256::digest(body))
}

fn receipt_of(row: &rusqlite::Row<'_>) -> rusqlite::Result<Receipt> {
    Ok(Receipt {
        seq: row.get(0)?,
        id: row.get(1)?,
        received_at: row.get(2)?,
        content_hash: row.get(3)?,
    })
}

pub fn put(conn: &mut Connection, id: &str, body: &[u8], now: &str) -> rusqlite::Result<Stored> {
    let hash = content_hash(body);
    // IMMEDIATE takes the write lock up front: two identical requests racing cannot both insert.
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let existing = tx
        .query_row(
            "SELECT seq, id, received_at, content_hash FROM reports WHERE id = ?1",
            [id],
            receipt_of,
        )
        .optional()?;
    let outcome = match existing {
        Some(receipt) if receipt.content_hash == hash => Stored::Repeated(receipt),
        Some(receipt) => Stored::Conflict(receipt),
        None => {
            tx.execute(
                "INSERT INTO reports (id, received_at, content_hash, body) VALUES (?1, ?2, ?3, ?4)",
                params![id, now, hash, body],
            )?;
            Stored::Created(Receipt {
                id: id.to_owned(),
                received_at: now.to_owned(),
                seq: tx.last_insert_rowid(),
                content_hash: hash,
            })
        }
    };
    tx.commit()?;
    Ok(outcome)
}

pub fn list(conn: &Connection) -> rusqlite::Result<Vec<Receipt>> {
    let mut stmt =
        conn.prepare("SELECT seq, id, received_at, content_hash FROM reports ORDER BY seq")?;
    let rows = stmt.query_map([], receipt_of)?;
    rows.collect()
}

pub fn body(conn: &Connection, id: &str) -> rusqlite::Result<Option<Vec<u8>>> {
    conn.query_row("SELECT body FROM reports WHERE id = ?1", [id], |row| {
        row.get(0)
    })
    .optional()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn put_then_repeat_then_conflict() {
        let dir = tempfile::tempdir().unwrap();
        let mut conn = crate::db::open(dir.path()).unwrap();
        let first = put(&mut conn, "a", b"one", "2026-01-01T00:00:00Z").unwrap();
        assert!(matches!(first, Stored::Created(ref r) if r.seq == 1));
        assert!(
            matches!(put(&mut conn, "a", b"one", "later").unwrap(), Stored::Repeated(ref r) if r.received_at == "2026-01-01T00:00:00Z")
        );
        assert!(matches!(
            put(&mut conn, "a", b"two", "later").unwrap(),
            Stored::Conflict(_)
        ));
        assert_eq!(body(&conn, "a").unwrap().as_deref(), Some(&b"one"[..]));
        assert_eq!(list(&conn).unwrap().len(), 1);
    }
}
