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
    // Accounts, teams, devices, sessions and the audit trail (ids are UUIDs as text; times
    // RFC 3339 UTC). Secrets are stored only as hashes: passwords as Argon2id PHC strings,
    // random credentials (device, session, enrollment code, setup address, recovery codes) as
    // SHA-256 hex, which is enough for values of 128 bits and more and costs no Argon2 per request.
    "CREATE TABLE people (
        id TEXT PRIMARY KEY,
        login TEXT NOT NULL UNIQUE COLLATE NOCASE,
        name TEXT NOT NULL,
        password_hash TEXT,
        totp_secret TEXT,
        totp_pending TEXT,
        totp_last_step INTEGER,
        disabled_at TEXT,
        created_at TEXT NOT NULL
    ) STRICT;
    CREATE TABLE people_roles (
        person_id TEXT NOT NULL REFERENCES people(id),
        role TEXT NOT NULL CHECK (role IN ('medewerker', 'leidinggevende', 'po', 'beheerder')),
        PRIMARY KEY (person_id, role)
    ) STRICT;
    CREATE TABLE recovery_codes (
        person_id TEXT NOT NULL REFERENCES people(id),
        code_hash TEXT NOT NULL,
        used_at TEXT,
        PRIMARY KEY (person_id, code_hash)
    ) STRICT;
    CREATE TABLE teams (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
        created_at TEXT NOT NULL
    ) STRICT;
    CREATE TABLE team_managers (
        team_id TEXT NOT NULL REFERENCES teams(id),
        person_id TEXT NOT NULL REFERENCES people(id),
        PRIMARY KEY (team_id, person_id)
    ) STRICT;
    CREATE TABLE devices (
        id TEXT PRIMARY KEY,
        credential_hash TEXT NOT NULL UNIQUE,
        team_id TEXT NOT NULL REFERENCES teams(id),
        person_id TEXT REFERENCES people(id),
        enrolled_at TEXT NOT NULL,
        enrolled_by TEXT,
        last_seen_at TEXT,
        revoked_at TEXT,
        revoked_by TEXT,
        -- Counted as reports arrive (the receipt's number): no count over all reports per report.
        reports_sent INTEGER NOT NULL DEFAULT 0
    ) STRICT;
    CREATE TABLE enrollment_codes (
        code_hash TEXT PRIMARY KEY,
        team_id TEXT NOT NULL REFERENCES teams(id),
        person_id TEXT REFERENCES people(id),
        created_by TEXT NOT NULL,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        used_at TEXT
    ) STRICT;
    CREATE TABLE sessions (
        token_hash TEXT PRIMARY KEY,
        person_id TEXT NOT NULL REFERENCES people(id),
        created_at TEXT NOT NULL,
        last_seen_at TEXT NOT NULL,
        second_factor_done INTEGER NOT NULL,
        ended_at TEXT
    ) STRICT;
    CREATE TABLE failed_attempts (
        key TEXT NOT NULL,
        at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX failed_attempts_key ON failed_attempts (key, at);
    CREATE TABLE setup_tokens (
        token_hash TEXT PRIMARY KEY,
        created_at TEXT NOT NULL,
        used_at TEXT
    ) STRICT;
    CREATE TABLE audit (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        target TEXT,
        address TEXT,
        outcome TEXT NOT NULL
    ) STRICT;
    -- Append-only: no statement can change or remove an entry, whatever code runs.
    CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
        BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
    CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
        BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
    -- Where each report came from. Reports received before devices existed have none.
    ALTER TABLE reports ADD COLUMN device_id TEXT REFERENCES devices(id);
    ALTER TABLE reports ADD COLUMN team_id TEXT REFERENCES teams(id);
    ALTER TABLE reports ADD COLUMN author_id TEXT REFERENCES people(id);
    -- The receipt's number: the n-th report of its device (never how many the server holds).
    ALTER TABLE reports ADD COLUMN device_seq INTEGER;
    CREATE INDEX reports_team ON reports (team_id);
    CREATE INDEX reports_device ON reports (device_id);",
    // The workspace (issue 15). What the list filters on, copied from each report once at
    // arrival by Rust (`workspace::index_report`, from core's reading of the report; rows from
    // before are filled at start-up), in a narrow table of its own: a list over 100,000
    // reports must not read their bodies. The incident's local time, setting, kinds as
    // " a b ", extreme, injury, the report it corrects; and from the aftercare plan, how many
    // tasks are open and the earliest last day among them.
    "CREATE TABLE report_list (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        received_at TEXT NOT NULL,
        team_id TEXT,
        author_id TEXT,
        incident_at TEXT,
        situatie TEXT,
        soort TEXT,
        extreem INTEGER,
        letsel TEXT,
        corrects TEXT,
        open_tasks INTEGER NOT NULL DEFAULT 0,
        first_due TEXT
    ) STRICT;
    CREATE INDEX report_list_team ON report_list (team_id, seq);
    CREATE INDEX report_list_author ON report_list (author_id, seq);
    CREATE INDEX report_list_corrects ON report_list (corrects);
    -- Who opened which report (a report not opened by someone is new to them).
    CREATE TABLE report_opened (
        person_id TEXT NOT NULL REFERENCES people(id),
        report_id TEXT NOT NULL,
        opened_at TEXT NOT NULL,
        PRIMARY KEY (person_id, report_id)
    ) STRICT, WITHOUT ROWID;
    -- What the manager or P&O recorded for an aftercare task (core's `aftercare::Record` as
    -- JSON). Append-only: a new record for the same task is a newer version; the latest counts.
    CREATE TABLE aftercare_records (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        report_id TEXT NOT NULL,
        task TEXT NOT NULL,
        record TEXT NOT NULL,
        recorded_by TEXT NOT NULL REFERENCES people(id),
        recorded_at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX aftercare_records_report ON aftercare_records (report_id);
    CREATE TRIGGER aftercare_records_no_update BEFORE UPDATE ON aftercare_records
        BEGIN SELECT RAISE(ABORT, 'aftercare records are append-only'); END;
    CREATE TRIGGER aftercare_records_no_delete BEFORE DELETE ON aftercare_records
        BEGIN SELECT RAISE(ABORT, 'aftercare records are append-only'); END;
    -- A copy of core's `aftercare::plan` per report, for lists and counts over many reports:
    -- rewritten whenever a report arrives, a task is recorded or the windows change. Times are
    -- local ('2026-01-05T10:15'), compared as text. closed: done or dropped.
    CREATE TABLE tasks (
        report_id TEXT NOT NULL,
        task TEXT NOT NULL,
        owner TEXT NOT NULL,
        team_id TEXT,
        from_at TEXT NOT NULL,
        due_at TEXT NOT NULL,
        direct INTEGER NOT NULL,
        closed INTEGER NOT NULL,
        PRIMARY KEY (report_id, task)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX tasks_open ON tasks (closed, owner, team_id, due_at, from_at);
    CREATE INDEX tasks_open_all ON tasks (closed, owner, due_at, from_at);
    -- The organisation's settings (core's `organisation::Organisation` as JSON), one row.
    CREATE TABLE organisation (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        body TEXT NOT NULL,
        updated_at TEXT NOT NULL
    ) STRICT;
    ALTER TABLE teams ADD COLUMN manager_phone TEXT NOT NULL DEFAULT '';
    -- Where a person is told that something waits (never what): optional.
    ALTER TABLE people ADD COLUMN email TEXT;",
];

/// Creates the data folder if needed (readable by this user only: it holds special-category
/// personal data), opens the database (likewise) in WAL mode and migrates it.
pub fn open(data_dir: &Path) -> Result<Connection, StartupError> {
    let dir_err = |source| StartupError::DataDir {
        path: data_dir.to_path_buf(),
        source,
    };
    if !data_dir.exists() {
        create_private_dir(data_dir).map_err(dir_err)?;
    }
    probe_writable(data_dir)?;
    let path = data_dir.join(DB_FILE);
    create_private_file(&path).map_err(dir_err)?;
    let db_err = |source| StartupError::Database {
        path: path.clone(),
        source,
    };
    let mut conn = Connection::open(&path).map_err(db_err)?;
    conn.pragma_update(None, "journal_mode", "WAL")
        .map_err(db_err)?;
    // FULL: a commit, and so a receipt, waits until the WAL is synced to disk. NORMAL would let
    // a power cut lose the last acknowledged reports (the device, told they arrived, may have
    // removed them). Costs an fsync per report.
    conn.pragma_update(None, "synchronous", "FULL")
        .map_err(db_err)?;
    conn.pragma_update(None, "foreign_keys", "ON")
        .map_err(db_err)?;
    conn.busy_timeout(std::time::Duration::from_secs(5))
        .map_err(db_err)?;
    migrate(&mut conn).map_err(db_err)?;
    Ok(conn)
}

/// SQLite says a full disk as `SQLITE_FULL` when writing a page returns `ENOSPC`, but as an
/// I/O error (`SQLITE_IOERR_SHMSIZE` growing the WAL index, `_TRUNCATE`, `_FSYNC`, …) when
/// another call runs out of space. The operating system's error behind the last failure tells
/// them apart, so every full disk becomes `SQLITE_FULL` (`Failure::database` answers 507)
/// and every other I/O error stays what it was.
pub fn disk_full_as_such(conn: &Connection, err: rusqlite::Error) -> rusqlite::Error {
    let rusqlite::Error::SqliteFailure(cause, message) = err else {
        return err;
    };
    if cause.code != rusqlite::ErrorCode::SystemIoFailure {
        return rusqlite::Error::SqliteFailure(cause, message);
    }
    // SAFETY: the handle belongs to `conn`, which is borrowed and so open for this call;
    // `sqlite3_system_errno` only reads the connection's last recorded error number.
    let errno = unsafe { rusqlite::ffi::sqlite3_system_errno(conn.handle()) };
    let kind = std::io::Error::from_raw_os_error(errno).kind();
    if matches!(
        kind,
        std::io::ErrorKind::StorageFull | std::io::ErrorKind::QuotaExceeded
    ) {
        let full = rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_FULL);
        rusqlite::Error::SqliteFailure(full, message)
    } else {
        rusqlite::Error::SqliteFailure(cause, message)
    }
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

/// The data folder, made by us: 0700 (an existing folder is the administrator's to set).
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
    }
    #[cfg(not(unix))]
    std::fs::create_dir_all(dir)
}

/// The database file, made 0600 before SQLite opens it (SQLite gives its `-wal` and `-shm`
/// files the database file's permissions).
fn create_private_file(path: &Path) -> std::io::Result<()> {
    if path.exists() {
        return Ok(());
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path).map(drop)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_commit_waits_for_the_disk_in_wal_mode() {
        let dir = tempfile::tempdir().unwrap();
        let conn = open(&dir.path().join("data")).unwrap();
        let mode: String = conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        let sync: i64 = conn
            .query_row("PRAGMA synchronous", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
        assert_eq!(sync, 2, "synchronous=FULL");
    }

    #[cfg(unix)]
    #[test]
    fn only_this_user_can_read_the_data_folder_and_the_database() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("new").join("data");
        let conn = open(&data).unwrap();
        conn.execute("INSERT INTO server_info VALUES ('k', 'v')", [])
            .unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&data), 0o700);
        assert_eq!(mode(&data.join(DB_FILE)), 0o600);
        let wal = data.join(format!("{DB_FILE}-wal"));
        assert!(wal.exists());
        assert_eq!(
            mode(&wal),
            0o600,
            "SQLite's WAL file follows the database's permissions"
        );
    }
}
