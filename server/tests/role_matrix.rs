//! Who may call what: every API endpoint × every kind of caller, over real HTTP, in one
//! table. The endpoints are taken from the OpenAPI document (which a unit test keeps equal to
//! the router), so a new endpoint without a row here fails this test.

mod common;

use std::sync::atomic::{AtomicU64, Ordering};

use common::{enroll, id, login, report, start, Org};
use serde_json::json;

/// The callers, in the order of the columns.
const CALLERS: [&str; 12] = [
    "nobody",
    "device",
    "revoked device",
    "employee (author)",
    "employee of the same team",
    "manager of Noord",
    "manager of Zuid",
    "P&O",
    "beheerder",
    "expired session",
    "disabled account",
    "manager without second factor",
];

/// One endpoint: method, path as in the OpenAPI document, and the status each caller gets.
struct Row {
    method: &'static str,
    path: &'static str,
    expect: [u16; 12],
}

#[rustfmt::skip]
const MATRIX: &[Row] = &[
    //                                                    nob  dev  rev  emp  emp2 mgN  mgZ  P&O  beh  exp  dis  no2f
    Row { method: "GET",    path: "/api/health",                          expect: [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200] },
    Row { method: "PUT",    path: "/api/v1/reports/{id}",                 expect: [401, 201, 401, 401, 401, 401, 401, 401, 401, 401, 401, 401] },
    Row { method: "GET",    path: "/api/v1/reports",                      expect: [401, 401, 401, 200, 200, 200, 200, 200, 200, 401, 401, 403] },
    Row { method: "GET",    path: "/api/v1/reports/{id}",                 expect: [401, 401, 401, 200, 403, 200, 403, 200, 403, 401, 401, 403] },
    Row { method: "GET",    path: "/api/v1/device",                       expect: [401, 200, 401, 401, 401, 401, 401, 401, 401, 401, 401, 401] },
    Row { method: "POST",   path: "/api/v1/devices/enroll",               expect: [201, 201, 201, 201, 201, 201, 201, 201, 201, 201, 201, 201] },
    Row { method: "GET",    path: "/api/v1/devices",                      expect: [401, 401, 401, 403, 403, 200, 200, 403, 200, 401, 401, 403] },
    Row { method: "POST",   path: "/api/v1/devices/{id}/revoke",          expect: [401, 401, 401, 403, 403, 204, 403, 403, 204, 401, 401, 403] },
    Row { method: "POST",   path: "/api/v1/teams/{id}/enrollment-codes",  expect: [401, 401, 401, 403, 403, 201, 403, 403, 201, 401, 401, 403] },
    Row { method: "GET",    path: "/api/v1/session",                      expect: [401, 401, 401, 200, 200, 200, 200, 200, 200, 401, 401, 200] },
    Row { method: "POST",   path: "/api/v1/session",                      expect: [401, 401, 401, 401, 401, 401, 401, 401, 401, 401, 401, 401] },
    Row { method: "POST",   path: "/api/v1/session/second-factor",        expect: [401, 401, 401, 201, 201, 201, 201, 201, 201, 401, 401, 201] },
    Row { method: "POST",   path: "/api/v1/session/second-factor/confirm",expect: [401, 401, 401, 400, 400, 400, 400, 400, 400, 401, 401, 400] },
    Row { method: "PUT",    path: "/api/v1/session/password",             expect: [401, 401, 401, 401, 401, 401, 401, 401, 401, 401, 401, 403] },
    Row { method: "GET",    path: "/api/v1/people",                       expect: [401, 401, 401, 403, 403, 403, 403, 403, 200, 401, 401, 403] },
    Row { method: "POST",   path: "/api/v1/people",                       expect: [401, 401, 401, 403, 403, 403, 403, 403, 201, 401, 401, 403] },
    Row { method: "PATCH",  path: "/api/v1/people/{id}",                  expect: [401, 401, 401, 403, 403, 403, 403, 403, 200, 401, 401, 403] },
    Row { method: "DELETE", path: "/api/v1/people/{id}/sessions",         expect: [401, 401, 401, 403, 403, 403, 403, 403, 204, 401, 401, 403] },
    Row { method: "GET",    path: "/api/v1/teams",                        expect: [401, 401, 401, 403, 403, 200, 200, 403, 200, 401, 401, 403] },
    Row { method: "POST",   path: "/api/v1/teams",                        expect: [401, 401, 401, 403, 403, 403, 403, 403, 201, 401, 401, 403] },
    Row { method: "PUT",    path: "/api/v1/teams/{id}/managers",          expect: [401, 401, 401, 403, 403, 403, 403, 403, 204, 401, 401, 403] },
    Row { method: "GET",    path: "/api/v1/audit",                        expect: [401, 401, 401, 403, 403, 403, 403, 200, 200, 401, 401, 403] },
    Row { method: "GET",    path: "/api/v1/inbox",                        expect: [401, 401, 401, 200, 200, 200, 200, 200, 200, 401, 401, 403] },
    Row { method: "GET",    path: "/api/v1/inbox/summary",                expect: [401, 401, 401, 200, 200, 200, 200, 200, 200, 401, 401, 403] },
    Row { method: "GET",    path: "/api/v1/tasks",                        expect: [401, 401, 401, 200, 200, 200, 200, 200, 200, 401, 401, 403] },
    Row { method: "GET",    path: "/api/v1/reports/{id}/aftercare",       expect: [401, 401, 401, 403, 403, 200, 403, 200, 403, 401, 401, 403] },
    Row { method: "PUT",    path: "/api/v1/reports/{id}/aftercare/{task}", expect: [401, 401, 401, 403, 403, 200, 403, 200, 403, 401, 401, 403] },
    Row { method: "GET",    path: "/api/v1/reports/{id}/aftercare/{task}/calendar.ics", expect: [401, 401, 401, 403, 403, 200, 403, 200, 403, 401, 401, 403] },
    Row { method: "GET",    path: "/api/v1/organisation",                 expect: [401, 401, 401, 200, 200, 200, 200, 200, 200, 401, 401, 403] },
    Row { method: "PUT",    path: "/api/v1/organisation",                 expect: [401, 401, 401, 403, 403, 403, 403, 403, 200, 401, 401, 403] },
    Row { method: "PUT",    path: "/api/v1/teams/{id}/phone",             expect: [401, 401, 401, 403, 403, 403, 403, 403, 200, 401, 401, 403] },
    Row { method: "GET",    path: "/api/v1/device/organisation",          expect: [401, 200, 401, 401, 401, 401, 401, 401, 401, 401, 401, 401] },
    // Last: it ends the sessions the rows above used.
    Row { method: "DELETE", path: "/api/v1/session",                      expect: [401, 401, 401, 204, 204, 204, 204, 204, 204, 401, 401, 204] },
];

/// The things the rows act on.
struct Targets {
    report: String,
    device_to_revoke: String,
    person: String,
    team: String,
    managers: Vec<String>,
    /// Fresh enrollment codes, one per caller: enrolling needs no credential at all.
    codes: std::sync::Mutex<Vec<String>>,
}

static FRESH: AtomicU64 = AtomicU64::new(1000);

/// The concrete address and body of a row's request.
fn request(row: &Row, t: &Targets) -> (String, Option<serde_json::Value>) {
    let n = FRESH.fetch_add(1, Ordering::Relaxed);
    let fresh = id(n);
    match (row.method, row.path) {
        ("PUT", "/api/v1/reports/{id}") => (
            format!("/api/v1/reports/{fresh}"),
            Some(serde_json::to_value(report(&fresh, "Matrix")).unwrap()),
        ),
        ("GET", "/api/v1/reports/{id}") => (format!("/api/v1/reports/{}", t.report), None),
        ("GET", "/api/v1/reports/{id}/aftercare") => {
            (format!("/api/v1/reports/{}/aftercare", t.report), None)
        }
        // The manager's first task; P&O may stand in. A held conversation, after the incident.
        ("PUT", "/api/v1/reports/{id}/aftercare/{task}") => (
            format!("/api/v1/reports/{}/aftercare/eerste_opvang", t.report),
            Some(
                json!({ "outcome": "done", "held_on": "2026-01-05", "held_by": "Chef", "checklist": [0] }),
            ),
        ),
        ("GET", "/api/v1/reports/{id}/aftercare/{task}/calendar.ics") => (
            format!(
                "/api/v1/reports/{}/aftercare/tweede_gesprek/calendar.ics",
                t.report
            ),
            None,
        ),
        ("POST", "/api/v1/devices/{id}/revoke") => (
            format!("/api/v1/devices/{}/revoke", t.device_to_revoke),
            None,
        ),
        ("POST", "/api/v1/teams/{id}/enrollment-codes") => {
            (format!("/api/v1/teams/{}/enrollment-codes", t.team), None)
        }
        ("POST", "/api/v1/devices/enroll") => {
            let code = t.codes.lock().unwrap().pop().expect("a code per caller");
            (row.path.into(), Some(json!({ "code": code })))
        }
        // No account of that name: whoever asks, with whatever cookie, is not logged in by it.
        ("POST", "/api/v1/session") => (
            row.path.into(),
            Some(
                json!({ "login": format!("niemand-{n}"), "password": "not a password of anyone" }),
            ),
        ),
        ("POST", "/api/v1/session/second-factor/confirm") => {
            (row.path.into(), Some(json!({ "code": "000000" })))
        }
        ("PUT", "/api/v1/session/password") => (
            row.path.into(),
            Some(json!({ "current": "not the password", "new": "regen paraplu tram fluit 7" })),
        ),
        ("POST", "/api/v1/people") => (
            row.path.into(),
            Some(
                json!({ "login": format!("nieuw-{n}"), "name": "Nieuwe collega", "roles": ["medewerker"] }),
            ),
        ),
        ("PATCH", "/api/v1/people/{id}") => {
            (format!("/api/v1/people/{}", t.person), Some(json!({})))
        }
        ("DELETE", "/api/v1/people/{id}/sessions") => {
            (format!("/api/v1/people/{}/sessions", t.person), None)
        }
        ("POST", "/api/v1/teams") => (
            row.path.into(),
            Some(json!({ "name": format!("Team {n}") })),
        ),
        ("PUT", "/api/v1/teams/{id}/managers") => (
            format!("/api/v1/teams/{}/managers", t.team),
            Some(json!({ "managers": t.managers })),
        ),
        ("PUT", "/api/v1/organisation") => (
            row.path.into(),
            Some(serde_json::to_value(veilig_core::organisation::Organisation::default()).unwrap()),
        ),
        ("PUT", "/api/v1/teams/{id}/phone") => (
            format!("/api/v1/teams/{}/phone", t.team),
            Some(json!({ "manager_phone": "010 123 45 67" })),
        ),
        _ => (row.path.into(), None),
    }
}

async fn send(
    base: &str,
    method: &str,
    path: &str,
    body: Option<&serde_json::Value>,
    cookie: Option<&str>,
) -> (u16, String) {
    let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
    let mut req = reqwest::Client::new().request(method, format!("{base}{path}"));
    if let Some(cookie) = cookie {
        req = req.header("cookie", cookie);
    }
    if let Some(body) = body {
        req = req.json(body);
    }
    let res = req.send().await.unwrap();
    (res.status().as_u16(), res.text().await.unwrap_or_default())
}

#[tokio::test]
async fn every_endpoint_answers_every_caller_as_the_table_says() {
    let dist = tempfile::tempdir().unwrap();
    common::dist(dist.path());
    let data = tempfile::tempdir().unwrap();
    let server = start(dist.path(), data.path(), 0).await;
    let org: Org = common::seed(&server);
    let base = server.base.clone();

    // A tablet bound to the employee sends one report: the report the rows read.
    let ans_device = enroll(&server, &org.noord, Some(&org.id("ans"))).await;
    let report_id = id(1);
    let (status, _) = send(
        &base,
        "PUT",
        &format!("/api/v1/reports/{report_id}"),
        Some(&serde_json::to_value(report(&report_id, "Eerste")).unwrap()),
        Some(&ans_device),
    )
    .await;
    assert_eq!(status, 201);

    // A device that will be revoked, and one that the rows revoke.
    let revoked = enroll(&server, &org.noord, None).await;
    let conn = server.db();
    conn.execute(
        "UPDATE devices SET revoked_at = '2026-01-01T00:00:00.000Z' WHERE credential_hash = ?1",
        [veilig_server::auth::secret::hash(
            revoked.split_once('=').unwrap().1,
        )],
    )
    .unwrap();
    enroll(&server, &org.noord, None).await;
    let device_to_revoke: String = conn
        .query_row(
            "SELECT id FROM devices ORDER BY enrolled_at DESC, rowid DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();

    // An expired session (idle for an hour) and a disabled account's session.
    let expired = login(&server, "bert", None).await;
    conn.execute(
        "UPDATE sessions SET last_seen_at = '2000-01-01T00:00:00.000Z' WHERE person_id = ?1",
        [org.id("bert")],
    )
    .unwrap();
    let beheer = login(&server, "beheer", Some(&org.secret("beheer"))).await;
    let (status, _) = send(&base, "POST", "/api/v1/people", Some(&json!({ "login": "weg", "name": "Weg", "roles": ["medewerker"], "password": common::PASSWORD })), Some(&beheer)).await;
    assert_eq!(status, 201);
    let disabled = login(&server, "weg", None).await;
    let weg: String = conn
        .query_row("SELECT id FROM people WHERE login = 'weg'", [], |r| {
            r.get(0)
        })
        .unwrap();
    let (status, _) = send(
        &base,
        "PATCH",
        &format!("/api/v1/people/{weg}"),
        Some(&json!({ "disabled": true })),
        Some(&beheer),
    )
    .await;
    assert_eq!(status, 200);

    let callers: [Option<String>; 12] = [
        None,
        Some(common::device_cookie(&base)),
        Some(revoked),
        Some(login(&server, "ans", None).await),
        Some(login(&server, "bert", None).await),
        Some(login(&server, "chef-noord", Some(&org.secret("chef-noord"))).await),
        Some(login(&server, "chef-zuid", Some(&org.secret("chef-zuid"))).await),
        Some(login(&server, "po", Some(&org.secret("po"))).await),
        Some(beheer),
        Some(expired),
        Some(disabled),
        Some(login(&server, "nieuw", None).await),
    ];
    let targets = Targets {
        report: report_id,
        device_to_revoke,
        person: weg.clone(),
        team: org.noord.clone(),
        managers: vec![org.id("chef-noord"), org.id("nieuw")],
        codes: std::sync::Mutex::new(
            (0..CALLERS.len())
                .map(|_| {
                    veilig_server::accounts::create_enrollment_code(
                        &conn,
                        &org.noord,
                        None,
                        "test",
                        server.clock.now(),
                    )
                    .unwrap()
                    .0
                })
                .collect(),
        ),
    };

    // Every endpoint of the document has its row, and every row is an endpoint.
    let doc: serde_json::Value = reqwest::get(format!("{base}/api/openapi.json"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut documented = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            documented.push((method.to_uppercase(), path.clone()));
        }
    }
    for (method, path) in &documented {
        assert!(
            MATRIX.iter().any(|r| r.method == method && r.path == path),
            "{method} {path} has no row in the role matrix"
        );
    }
    for row in MATRIX {
        assert!(
            documented
                .iter()
                .any(|(m, p)| m == row.method && p == row.path),
            "{} {} is in the matrix but not in the API",
            row.method,
            row.path
        );
    }

    let mut wrong = Vec::new();
    for row in MATRIX {
        for (column, caller) in callers.iter().enumerate() {
            let (path, body) = request(row, &targets);
            let (status, text) =
                send(&base, row.method, &path, body.as_ref(), caller.as_deref()).await;
            // A refused credential says so: the session or device is not taken, whatever else.
            let code = serde_json::from_str::<serde_json::Value>(&text)
                .ok()
                .and_then(|v| v["code"].as_str().map(str::to_owned));
            // (An endpoint open to all answers all alike; its code is its own.)
            let open_to_all = row.expect.iter().all(|&e| e == row.expect[0]);
            let code_ok = open_to_all
                || match (CALLERS[column], status) {
                    ("expired session" | "disabled account", 401) => matches!(
                        code.as_deref(),
                        Some("unauthorized" | "device_not_enrolled")
                    ),
                    ("revoked device", 401) => {
                        matches!(code.as_deref(), Some("device_revoked" | "unauthorized"))
                    }
                    _ => true,
                };
            if status != row.expect[column] || !code_ok {
                wrong.push(format!(
                    "{} {} as {}: {status} {code:?} (expected {}) {text}",
                    row.method, row.path, CALLERS[column], row.expect[column]
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "{} cells differ:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
    server.stop().await;
}

/// The list of reports holds what each may read, no more.
#[tokio::test]
async fn each_role_lists_only_the_reports_it_may_read() {
    let dist = tempfile::tempdir().unwrap();
    common::dist(dist.path());
    let data = tempfile::tempdir().unwrap();
    let server = start(dist.path(), data.path(), 0).await;
    let org = common::seed(&server);
    let base = server.base.clone();
    // One report from ans's own tablet (team Noord), one from a shared tablet of Zuid.
    let ans_device = enroll(&server, &org.noord, Some(&org.id("ans"))).await;
    let zuid_device = enroll(&server, &org.zuid, None).await;
    for (n, cookie) in [(1, &ans_device), (2, &zuid_device)] {
        let rid = id(n);
        let (status, _) = send(
            &base,
            "PUT",
            &format!("/api/v1/reports/{rid}"),
            Some(&serde_json::to_value(report(&rid, "x")).unwrap()),
            Some(cookie),
        )
        .await;
        assert_eq!(status, 201);
    }
    let listed = |cookie: String| {
        let base = base.clone();
        async move {
            let (status, text) = send(&base, "GET", "/api/v1/reports", None, Some(&cookie)).await;
            assert_eq!(status, 200, "{text}");
            let receipts: Vec<veilig_core::sync::Receipt> = serde_json::from_str(&text).unwrap();
            let mut ids: Vec<String> = receipts.into_iter().map(|r| r.id).collect();
            ids.sort();
            ids
        }
    };
    assert_eq!(listed(login(&server, "ans", None).await).await, vec![id(1)]);
    assert_eq!(
        listed(login(&server, "bert", None).await).await,
        Vec::<String>::new()
    );
    assert_eq!(
        listed(login(&server, "chef-noord", Some(&org.secret("chef-noord"))).await).await,
        vec![id(1)]
    );
    assert_eq!(
        listed(login(&server, "chef-zuid", Some(&org.secret("chef-zuid"))).await).await,
        vec![id(2)]
    );
    assert_eq!(
        listed(login(&server, "po", Some(&org.secret("po"))).await).await,
        vec![id(1), id(2)]
    );
    assert_eq!(
        listed(login(&server, "beheer", Some(&org.secret("beheer"))).await).await,
        Vec::<String>::new()
    );
    server.stop().await;
}
