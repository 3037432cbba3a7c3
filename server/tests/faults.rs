//! 1,000 reports through a proxy that misbehaves 30% of the time: drops requests, drops
//! responses after the server committed, answers 500 itself, delays. The client is core's
//! outbox state machine over real HTTP. Afterwards the server holds each report exactly once,
//! byte-identical, and the outbox is empty.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::{id, report, start};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use veilig_core::backoff::Backoff;
use veilig_core::outbox::{Entry, Outcome};

#[derive(Default)]
struct Counts {
    dropped_requests: AtomicUsize,
    dropped_responses: AtomicUsize,
    fake_500: AtomicUsize,
    delayed: AtomicUsize,
    passed: AtomicUsize,
}

/// Reads one HTTP/1.1 request (head and Content-Length body).
async fn read_request(client: &mut TcpStream) -> Option<Vec<u8>> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 16 * 1024];
    loop {
        let n = client.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
            let len: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(0);
            while buf.len() < end + 4 + len {
                let n = client.read(&mut chunk).await.ok()?;
                if n == 0 {
                    return None;
                }
                buf.extend_from_slice(&chunk[..n]);
            }
            return Some(buf);
        }
    }
}

async fn forward(request: &[u8], upstream: u16) -> Option<Vec<u8>> {
    let mut server = TcpStream::connect(("127.0.0.1", upstream)).await.ok()?;
    server.write_all(request).await.ok()?;
    let mut response = Vec::new();
    server.read_to_end(&mut response).await.ok()?;
    Some(response)
}

async fn proxy(listener: TcpListener, upstream: u16, rng: Arc<Mutex<StdRng>>, counts: Arc<Counts>) {
    loop {
        let Ok((mut client, _)) = listener.accept().await else {
            return;
        };
        let rng = rng.clone();
        let counts = counts.clone();
        tokio::spawn(async move {
            let Some(request) = read_request(&mut client).await else {
                return;
            };
            let roll: f64 = rng.lock().unwrap().random();
            if roll < 0.08 {
                counts.dropped_requests.fetch_add(1, Ordering::Relaxed);
                return; // the connection closes; the server never sees it
            }
            if roll < 0.15 {
                counts.fake_500.fetch_add(1, Ordering::Relaxed);
                let body = r#"{"code":"proxy","message":"injected"}"#;
                let answer = format!("HTTP/1.1 500 Internal Server Error\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}", body.len());
                let _ = client.write_all(answer.as_bytes()).await;
                return;
            }
            if roll < 0.22 {
                counts.dropped_responses.fetch_add(1, Ordering::Relaxed);
                let _ = forward(&request, upstream).await; // committed on the server ...
                return; // ... but the client never hears of it
            }
            if roll < 0.30 {
                counts.delayed.fetch_add(1, Ordering::Relaxed);
                tokio::time::sleep(Duration::from_millis(30)).await;
            } else {
                counts.passed.fetch_add(1, Ordering::Relaxed);
            }
            if let Some(response) = forward(&request, upstream).await {
                let _ = client.write_all(&response).await;
            }
        });
    }
}

async fn send(client: &reqwest::Client, base: &str, cookie: &str, entry: &Entry) -> Outcome {
    let res = client
        .put(format!("{base}/api/v1/reports/{}", entry.id))
        .header("content-type", "application/json")
        .header("connection", "close")
        .header("cookie", cookie)
        .body(entry.body.clone())
        .send()
        .await;
    let res = match res {
        Ok(r) => r,
        Err(e) => return Outcome::NoAnswer(e.to_string()),
    };
    let status = res.status().as_u16();
    let Ok(text) = res.text().await else {
        return Outcome::NoAnswer("cut off".into());
    };
    // The same function the app uses (src/net.rs): what an answer means is decided once.
    Outcome::from_answer(&entry.id, status, &text)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_reports_through_a_faulty_network_arrive_exactly_once() {
    const N: u64 = 1000;
    let dist = tempfile::tempdir().unwrap();
    common::dist(dist.path());
    let data = tempfile::tempdir().unwrap();
    let server = start(dist.path(), data.path(), 0).await;

    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let proxy_base = format!("http://{}", listener.local_addr().unwrap());
    let cookie = common::device_cookie(&server.base);
    let counts = Arc::new(Counts::default());
    let rng = Arc::new(Mutex::new(StdRng::seed_from_u64(0x5eed)));
    tokio::spawn(proxy(listener, server.port, rng, counts.clone()));

    let now = chrono::Utc::now();
    let mut outbox: Vec<Entry> = (0..N)
        .map(|n| {
            Entry::new(
                id(n),
                serde_json::to_string(&report(&id(n), &format!("Melding {n} <b>“x”</b>"))).unwrap(),
                now,
            )
        })
        .collect();
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    // Short delays so the test is quick; the shape of the backoff is core's.
    let backoff = Backoff {
        base: chrono::Duration::milliseconds(1),
        cap: chrono::Duration::milliseconds(20),
    };
    let mut rounds = 0;
    while outbox.iter().any(Entry::is_pending) {
        rounds += 1;
        assert!(rounds < 200, "the outbox does not drain");
        for entry in outbox.iter_mut().filter(|e| e.is_pending()) {
            entry.start(chrono::Utc::now());
            let outcome = send(&client, &proxy_base, &cookie, entry).await;
            entry.finish(outcome, chrono::Utc::now(), backoff, 0.5);
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }

    let faults = counts.dropped_requests.load(Ordering::Relaxed)
        + counts.dropped_responses.load(Ordering::Relaxed)
        + counts.fake_500.load(Ordering::Relaxed)
        + counts.delayed.load(Ordering::Relaxed);
    let total = faults + counts.passed.load(Ordering::Relaxed);
    eprintln!(
        "faults: {} dropped requests, {} dropped responses, {} injected 500s, {} delays; {faults} of {total} requests ({:.0}%)",
        counts.dropped_requests.load(Ordering::Relaxed),
        counts.dropped_responses.load(Ordering::Relaxed),
        counts.fake_500.load(Ordering::Relaxed),
        counts.delayed.load(Ordering::Relaxed),
        100.0 * faults as f64 / total as f64
    );
    assert!(
        counts.dropped_responses.load(Ordering::Relaxed) > 0,
        "the interesting fault happened"
    );
    assert!(
        outbox
            .iter()
            .all(|e| matches!(e.state, veilig_core::outbox::State::Delivered { .. })),
        "nothing refused"
    );

    let stored = common::stored_receipts(&server.base).await;
    assert_eq!(stored.len(), N as usize, "exactly once");
    for entry in &outbox {
        let receipt = stored.iter().find(|r| r.id == entry.id).expect("stored");
        assert_eq!(
            receipt.content_hash,
            veilig_server::store::content_hash(entry.body.as_bytes())
        );
    }
    // Byte for byte, read back from SQLite.
    for entry in &outbox {
        assert_eq!(
            common::stored_body(&server.base, &entry.id).await,
            entry.body
        );
    }
    server.stop().await;
}
