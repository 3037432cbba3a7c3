//! Test support: a real server on loopback with a real SQLite file, and complete reports.
#![allow(dead_code)]

use std::net::{IpAddr, Ipv4Addr};
use std::path::{Path, PathBuf};

use chrono::{TimeZone, Utc};
use tokio::sync::oneshot;
use veilig_core::report::{Person, Report, Status, Value};
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
    let mut r = Report::new(id, Utc.with_ymd_and_hms(2026, 1, 5, 11, 0, 0).unwrap());
    for (k, v) in [
        ("melder_naam", "Ans de Vries"),
        ("melder_functie", "Woonconsulent"),
        ("melder_rol", "slachtoffer"),
        ("datum_tijd", "2026-01-05T10:15"),
        ("situatie", "huisbezoek"),
        ("plaats", "Dorpsstraat 1"),
        ("omschrijving", description),
        ("dader_bekend", "nee"),
        ("dader_beschrijving", "Man, ongeveer 40"),
        ("letsel", "geen"),
        ("verzuim", "nee"),
        ("politie", "niet"),
        ("leidinggevende_naam", "Piet"),
        ("leidinggevende_tijd", "2026-01-05T10:40"),
        ("opvang_door", "Piet"),
        ("opvang_tijd", "2026-01-05T11:00"),
        ("nazorg_gewenst", "ja"),
        ("akkoord", "ja"),
    ] {
        r.set(k, Value::Text(v.into()));
    }
    r.set("soort", Value::Many(vec!["verbaal".into()]));
    r.set(
        "slachtoffers",
        Value::Persons(vec![Person {
            name: "Ans de Vries".into(),
            detail: "Woonconsulent".into(),
        }]),
    );
    r.status = Status::Final {
        finalized_at: Utc.with_ymd_and_hms(2026, 1, 5, 11, 30, 0).unwrap(),
    };
    r
}

/// A fresh UUIDv7-shaped id (tests only need uniqueness and the shape).
pub fn id(n: u64) -> String {
    format!("0193a0b0-0000-7000-8000-{n:012x}")
}
