//! SIGKILL while reports arrive. The server runs as its own process (the built binary, as in
//! production); 1,000 distinct reports are sent 24 at a time and the process is killed after
//! about 400 receipts. A receipt is a promise: after a restart on the same data folder every
//! report that got one is stored byte for byte, and sending all 1,000 again stores each once.

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::Semaphore;
use veilig_core::report::fixtures::{complete_final, id};
use veilig_core::sync::Receipt;
use veilig_server::accounts;

const N: u64 = 1_000;
const AT_ONCE: usize = 24;
const KILL_AFTER: usize = 400;

/// A server process; killed when dropped, so a failing test leaves none behind.
struct Process(Child);

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The server binary on `data`, on a free port; its base address once it listens.
fn spawn(dist: &Path, data: &Path) -> (Process, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_veilig-server"))
        .arg("--data-dir")
        .arg(data)
        .arg("--dist-dir")
        .arg(dist)
        .args(["--port", "0"])
        .stdout(Stdio::piped())
        // The access log (a line per request) is not this test's subject.
        .stderr(Stdio::null())
        .spawn()
        .expect("the server binary starts");
    let stdout = child.stdout.take().unwrap();
    let mut lines = BufReader::new(stdout).lines();
    let base = loop {
        let line = lines
            .next()
            .expect("the server prints its address")
            .unwrap();
        if let Some(rest) = line.strip_prefix("Veilig draait op ") {
            break rest.trim_end_matches('/').to_owned();
        }
    };
    // Keep reading what it prints, so that it never blocks on a full pipe.
    std::thread::spawn(move || lines.for_each(drop));
    (Process(child), base)
}

/// A team and an enrolled device (a code written as the shell command does, traded over HTTP);
/// the device's `Cookie` header.
async fn enroll(data: &Path, base: &str) -> String {
    let conn = veilig_server::db::open(data).unwrap();
    let now = chrono::Utc::now();
    let team = match accounts::create_team(&conn, "Noord", now).unwrap() {
        accounts::Created::Created(id) => id,
        accounts::Created::AlreadyExists => panic!("a fresh data folder"),
    };
    let (code, _) = accounts::create_enrollment_code(&conn, &team, None, "test", now).unwrap();
    let res = reqwest::Client::new()
        .post(format!("{base}/api/v1/devices/enroll"))
        .json(&serde_json::json!({ "code": code }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or_default().to_owned())
        .find(|pair| !pair.ends_with('='))
        .expect("a device cookie")
}

/// One PUT; the receipt if the answer carried one (201, or 200 for the same bytes again).
async fn send(
    client: &reqwest::Client,
    base: &str,
    cookie: &str,
    id: &str,
    body: &str,
) -> Option<Receipt> {
    let res = client
        .put(format!("{base}/api/v1/reports/{id}"))
        .header("content-type", "application/json")
        .header("cookie", cookie)
        .body(body.to_owned())
        .send()
        .await
        .ok()?;
    let status = res.status().as_u16();
    let text = res.text().await.ok()?;
    match veilig_core::outbox::Outcome::from_answer(id, status, &text) {
        veilig_core::outbox::Outcome::Stored(receipt) => Some(receipt),
        _ => None,
    }
}

/// Every stored report's bytes, read from the SQLite file itself.
fn stored(data: &Path) -> HashMap<String, Vec<u8>> {
    let conn = rusqlite::Connection::open_with_flags(
        data.join(veilig_server::db::DB_FILE),
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
    )
    .unwrap();
    let mut stmt = conn.prepare("SELECT id, body FROM reports").unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_receipt_survives_a_sigkill_and_resending_stores_each_report_once() {
    let started = Instant::now();
    let dist = tempfile::tempdir().unwrap();
    std::fs::write(
        dist.path().join("index.html"),
        "<!doctype html><title>Veilig</title>",
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let (child, base) = spawn(dist.path(), &data);
    let child = Arc::new(Mutex::new(child));
    let cookie = enroll(&data, &base).await;

    let bodies: Arc<Vec<(String, String)>> = Arc::new(
        (0..N)
            .map(|n| {
                let body = complete_final(&id(n), &format!("Melding {n} <b>“x”</b>"));
                (id(n), serde_json::to_string(&body).unwrap())
            })
            .collect(),
    );
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();

    // Phase 1: send all 1,000, 24 at a time; the first receipt past KILL_AFTER kills the server.
    let receipts: Arc<Mutex<HashMap<String, Receipt>>> = Arc::default();
    let counted = Arc::new(AtomicUsize::new(0));
    let killed = Arc::new(AtomicBool::new(false));
    let attempted = Arc::new(AtomicUsize::new(0));
    let gate = Arc::new(Semaphore::new(AT_ONCE));
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..N as usize {
        let permit = gate.clone().acquire_owned().await.unwrap();
        if killed.load(Ordering::SeqCst) {
            break;
        }
        let (client, base, cookie, bodies) =
            (client.clone(), base.clone(), cookie.clone(), bodies.clone());
        let (receipts, counted, killed, attempted, child) = (
            receipts.clone(),
            counted.clone(),
            killed.clone(),
            attempted.clone(),
            child.clone(),
        );
        tasks.spawn(async move {
            let _permit = permit;
            attempted.fetch_add(1, Ordering::SeqCst);
            let (id, body) = &bodies[i];
            if let Some(receipt) = send(&client, &base, &cookie, id, body).await {
                receipts.lock().unwrap().insert(id.clone(), receipt);
                if counted.fetch_add(1, Ordering::SeqCst) + 1 == KILL_AFTER {
                    // SIGKILL (what `Child::kill` sends on Unix): no shutdown, no flush, mid-write.
                    child.lock().unwrap().0.kill().unwrap();
                    killed.store(true, Ordering::SeqCst);
                }
            }
        });
    }
    while tasks.join_next().await.is_some() {}
    assert!(killed.load(Ordering::SeqCst), "the server was killed");
    child.lock().unwrap().0.wait().unwrap();
    let receipts = receipts.lock().unwrap().clone();
    let attempted = attempted.load(Ordering::SeqCst);

    // Phase 2: the same data folder, a new process.
    let (_child, base) = spawn(dist.path(), &data);
    let after_restart = stored(&data);
    let lost: Vec<&String> = receipts
        .keys()
        .filter(|id| !after_restart.contains_key(*id))
        .collect();
    eprintln!(
        "sent {attempted} of {N} before the kill; receipted before the kill: {}; stored after restart: {}; receipted but lost: {}",
        receipts.len(),
        after_restart.len(),
        lost.len()
    );
    assert!(lost.is_empty(), "receipted but not stored: {lost:?}");
    assert!(
        receipts.len() >= KILL_AFTER && receipts.len() < N as usize,
        "killed part-way"
    );
    for (id, body) in bodies.iter() {
        if let Some(receipt) = receipts.get(id) {
            assert_eq!(
                after_restart[id],
                body.as_bytes(),
                "{id} byte-identical after the kill"
            );
            assert_eq!(
                receipt.content_hash,
                veilig_server::store::content_hash(body.as_bytes())
            );
        } else if let Some(stored) = after_restart.get(id) {
            // Committed, but the answer never arrived: whole, never half.
            assert_eq!(stored, body.as_bytes(), "{id} unreceipted yet whole");
        }
    }

    // Phase 3: the device sends everything again: each report once, the receipted ones with
    // their original receipt.
    let gate = Arc::new(Semaphore::new(AT_ONCE));
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..N as usize {
        let permit = gate.clone().acquire_owned().await.unwrap();
        let (client, base, cookie, bodies) =
            (client.clone(), base.clone(), cookie.clone(), bodies.clone());
        tasks.spawn(async move {
            let _permit = permit;
            let (id, body) = &bodies[i];
            (id.clone(), send(&client, &base, &cookie, id, body).await)
        });
    }
    while let Some(done) = tasks.join_next().await {
        let (id, receipt) = done.unwrap();
        let receipt = receipt.unwrap_or_else(|| panic!("{id} resent without a receipt"));
        if let Some(first) = receipts.get(&id) {
            assert_eq!(&receipt, first, "{id}: the receipt given before the kill");
        }
    }
    let finally = stored(&data);
    assert_eq!(finally.len(), N as usize, "exactly 1,000 stored");
    for (id, body) in bodies.iter() {
        assert_eq!(finally[id], body.as_bytes(), "{id} byte-identical");
    }
    eprintln!(
        "after resending all {N}: {} stored, each once; {:.1} s in all",
        finally.len(),
        started.elapsed().as_secs_f64()
    );
    assert!(
        started.elapsed() < Duration::from_secs(50),
        "bounded in time"
    );
}
