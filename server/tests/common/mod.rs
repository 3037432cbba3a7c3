//! Test support: a real server on loopback with a real SQLite file, and complete reports.
#![allow(dead_code)]

use std::net::{IpAddr, Ipv4Addr};
use std::path::{Path, PathBuf};

use tokio::sync::oneshot;
use veilig_core::report::Report;
use veilig_core::sync::Receipt;
use veilig_server::{prepare, serve, Config};

pub const TOKEN: &str = "test-admin-token";

pub struct Server {
    pub base: String,
    pub port: u16,
    stop: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
}

impl Server {
    pub async fn stop(self) {
        let _ = self.shutdown().await;
    }

    /// Signals shutdown and returns how `serve` ended.
    pub async fn shutdown(mut self) -> Option<std::io::Result<()>> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        self.task.take()?.await.ok()
    }
}

pub fn dist(dir: &Path) -> PathBuf {
    std::fs::write(
        dir.join("index.html"),
        "<!doctype html><title>Veilig</title>",
    )
    .unwrap();
    dir.to_path_buf()
}

/// Settings for a test server on loopback; `port` 0 picks a free one.
pub fn config(dist: &Path, data: &Path, port: u16, admin_token: Option<&str>) -> Config {
    Config {
        bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
        port,
        data_dir: data.to_path_buf(),
        dist_dir: dist.to_path_buf(),
        admin_token: admin_token.map(str::to_owned),
    }
}

/// Starts a server (with the admin token) and returns once it listens.
pub async fn start(dist: &Path, data: &Path, port: u16) -> Server {
    start_with(config(dist, data, port, Some(TOKEN))).await
}

pub async fn start_with(config: Config) -> Server {
    let prepared = prepare(&config).await.expect("server starts");
    let port = prepared.addr.port();
    let base = format!("http://{}", prepared.addr);
    let (tx, rx) = oneshot::channel::<()>();
    let task = tokio::spawn(serve(prepared, async {
        let _ = rx.await;
    }));
    Server {
        base,
        port,
        stop: Some(tx),
        task: Some(task),
    }
}

/// An admin's read of `/api/v1/reports{path}` (with the admin token).
pub async fn admin_get(base: &str, path: &str) -> reqwest::Response {
    reqwest::Client::new()
        .get(format!("{base}/api/v1/reports{path}"))
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap()
}

/// Every receipt the server has stored, in order.
pub async fn stored_receipts(base: &str) -> Vec<Receipt> {
    admin_get(base, "").await.json().await.unwrap()
}

/// The exact bytes the server stored for one report.
pub async fn stored_body(base: &str, id: &str) -> String {
    admin_get(base, &format!("/{id}"))
        .await
        .text()
        .await
        .unwrap()
}

/// A finalized report that passes validation.
pub fn report(id: &str, description: &str) -> Report {
    veilig_core::report::fixtures::complete_final(id, description)
}

pub fn id(n: u64) -> String {
    veilig_core::report::fixtures::id(n)
}
