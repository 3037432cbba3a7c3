//! The embedded SQLite database: opening, pragmas and schema migrations.

use std::path::{Path, PathBuf};

use rusqlite::Connection;

use crate::error::StartupError;

pub const DB_FILE: &str = "veilig.sqlite3";

/// Ordered schema migrations; entry `i` brings the schema from version `i` to `i + 1`.
/// Never edit a released entry: append a new one.
const MIGRATIONS: &[&str] = &[
    "CREATE TABLE server_info (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;",
    // seq is the order of arrival; body holds the exact bytes received.
    "CREATE TABLE reports (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        received_at TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        body BLOB NOT NULL
    ) STRICT;",
];

/// Creates the data folder if needed, opens the database in WAL mode and migrates it.
pub fn open(data_dir: &Path) -> Result<Connection, StartupError> {
    std::fs::create_dir_all(data_dir).map_err(|source| StartupError::DataDir {
        path: data_dir.to_path_buf(),
        source,
    })?;
    probe_writable(data_dir)?;
    let path = data_dir.join(DB_FILE);
    let db_err = |source| StartupError::Database {
        path: path.clone(),
        source,
    };
    let mut conn = Connection::open(&path).map_err(db_err)?;
    conn.pragma_update(None, "journal_mode", "WAL")
        .map_err(db_err)?;
    conn.pragma_update(None, "synchronous", "NORMAL")
        .map_err(db_err)?;
    conn.pragma_update(None, "foreign_keys", "ON")
        .map_err(db_err)?;
    conn.busy_timeout(std::time::Duration::from_secs(5))
        .map_err(db_err)?;
    migrate(&mut conn).map_err(db_err)?;
    Ok(conn)
}

/// Schema version as stored in SQLite's `user_version`.
pub fn schema_version(conn: &Connection) -> rusqlite::Result<usize> {
    conn.query_row("PRAGMA user_version", [], |row| row.get::<_, i64>(0))
        .map(|v| v as usize)
}

fn migrate(conn: &mut Connection) -> rusqlite::Result<()> {
    let current = schema_version(conn)?;
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(current) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", (index + 1) as i64)?;
        tx.commit()?;
    }
    Ok(())
}

/// SQLite reports an unwritable folder late and vaguely; a probe file says it plainly at start.
fn probe_writable(data_dir: &Path) -> Result<(), StartupError> {
    let probe: PathBuf = data_dir.join(".write-probe");
    std::fs::write(&probe, b"ok")
        .and_then(|()| std::fs::remove_file(&probe))
        .map_err(|source| StartupError::DataDir {
            path: data_dir.to_path_buf(),
            source,
        })
}

pub fn latest_version() -> usize {
    MIGRATIONS.len()
}
