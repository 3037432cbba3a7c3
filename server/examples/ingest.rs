//! Ingest benchmark client: PUTs N valid reports to a running server over loopback with C
//! concurrent keep-alive connections, and as the baseline the same number of GET /api/health.
//! Prints one JSON object. Usage: INGEST_COOKIE=veilig_device=... ingest <base-url> [count] [concurrency]

use std::sync::Arc;
use std::time::{Duration, Instant};

use veilig_core::report::fixtures::{complete_final, id};

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

async fn run(
    base: Arc<str>,
    count: usize,
    concurrency: usize,
    offset: u64,
    health: bool,
) -> serde_json::Value {
    let client = reqwest::Client::new();
    let bodies: Arc<Vec<String>> = Arc::new(
        (0..count as u64)
            .map(|n| {
                serde_json::to_string(&complete_final(&id(offset + n), "Benchmark"))
                    .unwrap_or_default()
            })
            .collect(),
    );
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..concurrency {
        let (client, base, bodies, next) =
            (client.clone(), base.clone(), bodies.clone(), next.clone());
        // The enrolled device's cookie (`INGEST_COOKIE`, `name=value`): only a device sends.
        let cookie = std::env::var("INGEST_COOKIE").unwrap_or_default();
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut failures = 0usize;
            loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if i >= bodies.len() {
                    break;
                }
                let t = Instant::now();
                let res = if health {
                    client.get(format!("{base}/api/health")).send().await
                } else {
                    client
                        .put(format!("{base}/api/v1/reports/{}", id(offset + i as u64)))
                        .header("content-type", "application/json")
                        .header("cookie", cookie.as_str())
                        .body(bodies[i].clone())
                        .send()
                        .await
                };
                match res {
                    Ok(r) if r.status().is_success() => {
                        let _ = r.bytes().await;
                        latencies.push(t.elapsed());
                    }
                    _ => failures += 1,
                }
            }
            (latencies, failures)
        }));
    }
    let mut latencies = Vec::new();
    let mut failures = 0;
    for task in tasks {
        if let Ok((l, f)) = task.await {
            latencies.extend(l);
            failures += f;
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    latencies.sort();
    serde_json::json!({
        "requests": latencies.len(),
        "failures": failures,
        "seconds": seconds,
        "per_second": latencies.len() as f64 / seconds,
        "p50_ms": percentile(&latencies, 0.50),
        "p99_ms": percentile(&latencies, 0.99),
    })
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let base: Arc<str> = Arc::from(args.get(1).map_or("http://127.0.0.1:8080", String::as_str));
    let count = args.get(2).and_then(|v| v.parse().ok()).unwrap_or(5000);
    let concurrency = args.get(3).and_then(|v| v.parse().ok()).unwrap_or(16);
    let offset = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_micros() as u64 % (1 << 40));
    // Warm-up, then the baseline (health) and the ingest itself, on the same server and client.
    let _ = run(base.clone(), 200, concurrency, offset, true).await;
    let health = run(base.clone(), count, concurrency, offset, true).await;
    let ingest = run(base, count, concurrency, offset, false).await;
    println!(
        "{}",
        serde_json::json!({ "concurrency": concurrency, "health": health, "ingest": ingest })
    );
}
