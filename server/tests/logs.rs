//! The server's log at its most verbose (every level, every crate, the access log) while it
//! receives, refuses and serves reports, logs people in and out and enrolls a device: not one
//! name, description, address, password, cookie or token from the test data appears in it.

mod common;

use std::sync::{Arc, Mutex};

use common::{id, report, start, PASSWORD};
use veilig_core::report::model::{Person, Value};

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The personal data of the test report: what no log line may hold.
const PERSONAL: &[&str] = &[
    "Fenna",
    "Wijnbergen",
    "Kloosterstraat",
    "schaar",
    "rode jas",
    "Wijkverpleegkundige",
    "Gebroken arm",
];

fn personal_report(n: u64) -> veilig_core::report::Report {
    let mut r = report(&id(n), "Zwaaide met een schaar naar Fenna Wijnbergen");
    for (key, value) in [
        ("melder_naam", "Fenna Wijnbergen"),
        ("akkoord_naam", "Fenna Wijnbergen"),
        ("plaats", "Kloosterstraat 12"),
        ("dader_beschrijving", "Lange man met rode jas"),
    ] {
        r.set(key, Value::Text(value.into()));
    }
    r.set(
        "slachtoffers",
        Value::Persons(vec![Person {
            name: "Fenna Wijnbergen".into(),
            detail: "Wijkverpleegkundige".into(),
        }]),
    );
    r
}

#[tokio::test]
async fn the_most_verbose_log_holds_no_personal_data_and_no_secret() {
    let captured = Captured::default();
    let writer = captured.clone();
    tracing::subscriber::set_global_default(
        tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .finish(),
    )
    .unwrap();

    let dist = tempfile::tempdir().unwrap();
    common::dist(dist.path());
    let data = tempfile::tempdir().unwrap();
    let server = start(dist.path(), data.path(), 0).await;
    let base = server.base.clone();
    let device = common::device_cookie(&base);
    let client = reqwest::Client::new();
    let put = |n: u64, body: String| {
        client
            .put(format!("{base}/api/v1/reports/{}", id(n)))
            .header("content-type", "application/json")
            .header("cookie", &device)
            .body(body)
            .send()
    };

    // Received, repeated, conflicting, and refused for a sensitive field and an unknown key.
    let good = serde_json::to_string(&personal_report(1)).unwrap();
    assert_eq!(put(1, good.clone()).await.unwrap().status(), 201);
    assert_eq!(put(1, good.clone()).await.unwrap().status(), 200);
    assert_eq!(
        put(1, good.replace("schaar", "schaar!"))
            .await
            .unwrap()
            .status(),
        409
    );
    let mut bad = personal_report(2);
    bad.set("letsel", Value::Text("Gebroken arm van Fenna".into()));
    assert_eq!(
        put(2, serde_json::to_string(&bad).unwrap())
            .await
            .unwrap()
            .status(),
        422
    );
    let unknown = good
        .replacen(
            "\"values\":{",
            "\"values\":{\"Fenna Wijnbergen\":\"Kloosterstraat\",",
            1,
        )
        .replace(&id(1), &id(3));
    assert!(put(3, unknown).await.unwrap().status().is_client_error());

    // Read by P&O, also with a query string that names someone.
    assert_eq!(
        common::admin_get(&base, &format!("/{}?naam=Fenna", id(1)))
            .await
            .status(),
        200
    );
    assert_eq!(common::stored_receipts(&base).await.len(), 1);

    // A failed login that names a person and tries the password, a bad enrollment code, the
    // setup page.
    let failed = client
        .post(format!("{base}/api/v1/session"))
        .json(&serde_json::json!({ "login": "Fenna Wijnbergen", "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(failed.status(), 401);
    let enroll = client
        .post(format!("{base}/api/v1/devices/enroll"))
        .json(&serde_json::json!({ "code": "Fenna" }))
        .send()
        .await
        .unwrap();
    assert_eq!(enroll.status(), 400);
    let setup = server
        .setup_url
        .clone()
        .expect("a fresh data folder has a setup address");
    client.get(&setup).send().await.unwrap();
    server.stop().await;

    let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    // The log is there and says what happened.
    assert!(
        log.contains("route=/api/v1/reports/{id}")
            || log.contains("route=\"/api/v1/reports/{id}\""),
        "{log}"
    );
    assert!(log.contains("status=201") && log.contains("status=409") && log.contains("status=422"));
    assert!(
        log.contains("actor=device:") || log.contains("actor=\"device:"),
        "the sender is named by id"
    );
    // And nothing it must not hold.
    let token = setup.rsplit('/').next().unwrap().to_owned();
    let secrets = [
        PASSWORD.to_owned(),
        device.split_once('=').unwrap().1.to_owned(),
        token,
    ];
    let mut found = Vec::new();
    for needle in PERSONAL.iter().map(|s| s.to_string()).chain(secrets) {
        if log.contains(&needle) {
            found.push(needle);
        }
    }
    assert!(found.is_empty(), "in the log: {found:?}");
    eprintln!(
        "log scanned: {} lines, {} bytes",
        log.lines().count(),
        log.len()
    );
}
