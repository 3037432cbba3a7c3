//! Test support: a real server on loopback with a real SQLite file, and complete reports.
#![allow(dead_code)]

use std::net::{IpAddr, Ipv4Addr};
use std::path::{Path, PathBuf};

use tokio::sync::oneshot;
use veilig_core::report::Report;
use veilig_server::{prepare, serve, Config};

pub const TOKEN: &str = "test-admin-token";

pub struct Server {
    pub base: String,
    pub port: u16,
    stop: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
}

impl Server {
    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
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

pub async fn start(dist: &Path, data: &Path, port: u16) -> Server {
    let config = Config {
        bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
        port,
        data_dir: data.to_path_buf(),
        dist_dir: dist.to_path_buf(),
        admin_token: Some(TOKEN.into()),
    };
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

/// A finalized report that passes validation.
pub fn report(id: &str, description: &str) -> Report {
    veilig_core::report::fixtures::complete_final(id, description)
}

pub fn id(n: u64) -> String {
    veilig_core::report::fixtures::id(n)
}
