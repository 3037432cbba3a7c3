//! A full disk, for real: the data folder on a 4 MB tmpfs whose free space a filler file takes.
//! Reports are sent until the server answers 507 `storage_full`; the server keeps answering,
//! everything it gave a receipt for is still there byte for byte, the refused report is not
//! stored, and once there is room again the same request stores it.
//!
//! Mounting needs root (the test machines run as root). Where it is not permitted, the same
//! test runs on SQLite's page limit instead (`Config::max_page_count`, a setting for tests
//! only): the database is full at its current size, and "room again" is a restart without the
//! limit. It never passes without having filled something; the page limit also has its own
//! test, so that it runs everywhere.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use common::{id, report, start};
use rusqlite::{Connection, OpenFlags};

/// A tmpfs mounted for this test only; unmounted when dropped, also when the test panics.
struct Tmpfs {
    dir: PathBuf,
}

impl Tmpfs {
    /// `None` where mounting is not permitted (not root), with the reason on standard error.
    fn try_mount(dir: &Path, size: &str) -> Option<Self> {
        std::fs::create_dir_all(dir).unwrap();
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o"])
            .arg(format!("size={size},mode=0700"))
            .arg("tmpfs")
            .arg(dir)
            .output()
            .ok()?;
        if !out.status.success() {
            eprintln!(
                "no tmpfs ({}): SQLite's page limit instead",
                String::from_utf8_lossy(&out.stderr).trim()
            );
            return None;
        }
        Some(Self {
            dir: dir.to_path_buf(),
        })
    }

    fn mount(dir: &Path, size: &str) -> Self {
        Self::try_mount(dir, size).expect("this test mounts a small tmpfs (run it as root)")
    }
}

/// What runs out: a real filesystem, or SQLite's page limit where none can be mounted.
enum Disk {
    Tmpfs(Tmpfs),
    PageLimit,
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        // Lazy: after a panic the server may still hold its files open.
        let _ = Command::new("umount").arg("-l").arg(&self.dir).status();
    }
}

/// Takes every free byte of the filesystem `file` is on; returns how many it took.
fn fill(file: &Path) -> u64 {
    let mut f = std::fs::File::create(file).unwrap();
    let mut taken = 0u64;
    // Large writes first, then ever smaller ones, until not one byte more fits.
    for chunk in [64 * 1024, 4096, 512, 1] {
        let buf = vec![0x55u8; chunk];
        loop {
            match f.write(&buf) {
                Ok(0) => break,
                Ok(n) => taken += n as u64,
                Err(e) if e.kind() == std::io::ErrorKind::StorageFull => break,
                Err(e) => panic!("filling the disk: {e}"),
            }
        }
    }
    let _ = f.sync_all();
    taken
}

async fn put(
    client: &reqwest::Client,
    base: &str,
    cookie: &str,
    id: &str,
    body: &str,
) -> (u16, String) {
    let res = client
        .put(format!("{base}/api/v1/reports/{id}"))
        .header("content-type", "application/json")
        .header("cookie", cookie)
        .body(body.to_owned())
        .send()
        .await
        .expect("the server answers");
    let status = res.status().as_u16();
    (status, res.text().await.unwrap())
}

/// The stored bytes of `id`, read from the SQLite file without writing to it.
fn stored_in_file(data: &Path, id: &str) -> Option<Vec<u8>> {
    let conn = Connection::open_with_flags(
        data.join(veilig_server::db::DB_FILE),
        OpenFlags::SQLITE_OPEN_READ_ONLY,
    )
    .unwrap();
    conn.query_row("SELECT body FROM reports WHERE id = ?1", [id], |r| r.get(0))
        .ok()
}

fn count_in_file(data: &Path) -> i64 {
    let conn = Connection::open_with_flags(
        data.join(veilig_server::db::DB_FILE),
        OpenFlags::SQLITE_OPEN_READ_ONLY,
    )
    .unwrap();
    conn.query_row("SELECT COUNT(*) FROM reports", [], |r| r.get(0))
        .unwrap()
}

/// The WAL fills up: the disk runs out while SQLite appends a commit's pages to it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_is_a_507_that_stores_nothing_and_the_same_report_arrives_once_there_is_room() {
    let root = tempfile::tempdir().unwrap();
    let disk = match Tmpfs::try_mount(&root.path().join("disk"), "4m") {
        Some(tmpfs) => Disk::Tmpfs(tmpfs),
        None => Disk::PageLimit,
    };
    full_disk(disk, root.path(), 5).await;
}

/// With checkpoints behind it (the database file grown, the WAL reused from its start): on a
/// full disk the next checkpoint cannot grow the database file, SQLite keeps the pages in the
/// WAL, and the WAL's growth is refused. The same 507, never a 500 or a broken connection.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_after_checkpoints_is_the_same_507() {
    let root = tempfile::tempdir().unwrap();
    let disk = match Tmpfs::try_mount(&root.path().join("disk"), "24m") {
        Some(tmpfs) => Disk::Tmpfs(tmpfs),
        None => Disk::PageLimit,
    };
    full_disk(disk, root.path(), 1_200).await;
}

/// The fallback where no tmpfs can be mounted, run everywhere so that it is known to work.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_at_its_page_limit_is_the_same_507() {
    let root = tempfile::tempdir().unwrap();
    full_disk(Disk::PageLimit, root.path(), 5).await;
}

/// `before` reports are sent with room; then the disk is filled and reports are sent until
/// one is refused; then there is room again.
async fn full_disk(disk: Disk, root: &Path, before: u64) {
    let dist = tempfile::tempdir().unwrap();
    common::dist(dist.path());
    let (data, what) = match &disk {
        Disk::Tmpfs(tmpfs) => (tmpfs.dir.join("data"), "tmpfs"),
        Disk::PageLimit => (root.join("data"), "page limit"),
    };
    let mut server = start(dist.path(), &data, 0).await;
    let cookie = common::device_cookie(&server.base);
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap();
    // About 6 KB each, so the disk fills in a few hundred reports at most.
    let body_of = |n: u64| {
        let text = format!("Melding {n}: {}", "zin over wat er gebeurde. ".repeat(240));
        serde_json::to_string(&report(&id(n), &text)).unwrap()
    };

    // With room: receipts.
    let mut receipted = Vec::new();
    for n in 0..before {
        let (status, text) = put(&client, &server.base, &cookie, &id(n), &body_of(n)).await;
        assert_eq!(status, 201, "{text}");
        receipted.push(n);
    }

    let taken = match &disk {
        Disk::Tmpfs(tmpfs) => fill(&tmpfs.dir.join("filler")),
        Disk::PageLimit => {
            // Full at the size it has now: the next page it needs is refused.
            let pages: u32 = server
                .db()
                .query_row("PRAGMA page_count", [], |r| r.get(0))
                .unwrap();
            let before_restart = server.base.clone();
            server.stop().await;
            let mut config = common::config(dist.path(), &data, 0);
            config.max_page_count = Some(pages);
            server = common::start_again_with(config, &before_restart).await;
            0
        }
    };

    // Sent until the disk refuses: what is left of the WAL's and the database's pages may
    // take a few more.
    let mut refused = None;
    let file_size = |name: &str| {
        std::fs::metadata(data.join(name))
            .map(|m| m.len())
            .unwrap_or(0)
    };
    let wal = format!("{}-wal", veilig_server::db::DB_FILE);
    let database_before = file_size(veilig_server::db::DB_FILE);
    let wal_before = file_size(&wal);
    for n in before..before + 5_000 {
        let (status, text) = put(&client, &server.base, &cookie, &id(n), &body_of(n)).await;
        match status {
            201 => receipted.push(n),
            507 => {
                let error: serde_json::Value =
                    serde_json::from_str(&text).expect("the usual JSON error body");
                assert_eq!(error["code"], "storage_full", "{text}");
                assert!(error["message"].as_str().is_some_and(|m| !m.is_empty()));
                refused = Some(n);
                break;
            }
            other => panic!("a full disk answered {other}, not 507: {text}"),
        }
    }
    let refused = refused.expect("the full disk refused a report");
    eprintln!(
        "{what}: database {database_before} B and WAL {wal_before} B when filled (filler {taken} B); {} reports receipted in all, {} of them on the full disk; report {refused} refused with 507; database {} B, WAL {} B",
        receipted.len(),
        refused - before,
        file_size(veilig_server::db::DB_FILE),
        file_size(&wal),
    );

    // The server goes on: it answers, and the full disk keeps being said as such (no 500, no
    // connection left in a broken transaction).
    for _ in 0..3 {
        let health = client
            .get(format!("{}/api/health", server.base))
            .send()
            .await
            .unwrap();
        assert_eq!(health.status(), 200, "health answers on a full disk");
        let (status, text) = put(
            &client,
            &server.base,
            &cookie,
            &id(refused),
            &body_of(refused),
        )
        .await;
        assert_eq!(status, 507, "{text}");
    }

    // Nothing half-written: every receipted report is whole, the refused one is absent.
    for &n in &receipted {
        assert_eq!(
            stored_in_file(&data, &id(n)).as_deref(),
            Some(body_of(n).as_bytes()),
            "receipted report {n} byte-identical on a full disk"
        );
    }
    assert_eq!(
        stored_in_file(&data, &id(refused)),
        None,
        "refused, not stored"
    );
    assert_eq!(count_in_file(&data), receipted.len() as i64);

    // Room again: the same request, the same bytes, is stored.
    match &disk {
        Disk::Tmpfs(tmpfs) => std::fs::remove_file(tmpfs.dir.join("filler")).unwrap(),
        Disk::PageLimit => {
            let before_restart = server.base.clone();
            server.stop().await;
            server = common::start_again(dist.path(), &data, &before_restart).await;
        }
    }
    let (status, text) = put(
        &client,
        &server.base,
        &cookie,
        &id(refused),
        &body_of(refused),
    )
    .await;
    assert_eq!(status, 201, "{text}");
    receipted.push(refused);
    for &n in &receipted {
        assert_eq!(
            common::stored_body(&server.base, &id(n)).await,
            body_of(n),
            "report {n} read back as P&O"
        );
    }
    assert_eq!(
        common::stored_receipts(&server.base).await.len(),
        receipted.len(),
        "each once"
    );
    server.stop().await;
    drop(disk);
}

/// Not every full disk reaches SQLite as `SQLITE_FULL`: growing the WAL index (`-shm`) on a
/// full disk is an I/O error (`SQLITE_IOERR_SHMSIZE`). Its cause, ENOSPC, makes it the same
/// `storage_full` 507.
#[test]
fn a_full_disk_said_as_an_io_error_is_still_storage_full() {
    use veilig_core::sync::ErrorCode;
    use veilig_server::error::{status, Failure};

    let root = tempfile::tempdir().unwrap();
    let disk = Tmpfs::mount(&root.path().join("disk"), "1m");
    let path = disk.dir.join("db.sqlite3");
    {
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "journal_mode", "WAL").unwrap();
        conn.execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
            .unwrap();
        // The last connection to close removes the `-wal` and `-shm` files.
    }
    assert!(!disk.dir.join("db.sqlite3-shm").exists());
    fill(&disk.dir.join("filler"));

    let conn = Connection::open(&path).unwrap();
    let err = conn
        .query_row("SELECT x FROM t", [], |r| r.get::<_, i64>(0))
        .expect_err("no room for the WAL index");
    assert_eq!(
        err.sqlite_error_code(),
        Some(rusqlite::ErrorCode::SystemIoFailure),
        "SQLite says it as an I/O error: {err}"
    );
    let err = veilig_server::db::disk_full_as_such(&conn, err);
    assert_eq!(err.sqlite_error_code(), Some(rusqlite::ErrorCode::DiskFull));
    let failure = Failure::database(err);
    assert_eq!(failure.code(), ErrorCode::StorageFull);
    assert_eq!(status(failure.code()).as_u16(), 507);

    // With room again the same connection reads.
    std::fs::remove_file(disk.dir.join("filler")).unwrap();
    let x: i64 = conn.query_row("SELECT x FROM t", [], |r| r.get(0)).unwrap();
    assert_eq!(x, 1);
}
