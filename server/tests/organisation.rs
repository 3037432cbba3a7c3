//! The organisation's settings over real HTTP: the beheerder sets them and a team's phone,
//! every enrolled device receives them with its own team's phone, nobody else changes them,
//! and what cannot be used is refused naming the field, with nothing stored.

mod common;

use common::{enroll, login, start, Server};
use serde_json::{json, Value};

async fn send(
    server: &Server,
    method: &str,
    path: &str,
    body: Option<&Value>,
    cookie: &str,
) -> (u16, Value) {
    let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
    let mut req = reqwest::Client::new()
        .request(method, format!("{}{path}", server.base))
        .header("cookie", cookie);
    if let Some(body) = body {
        req = req.json(body);
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    let text = res.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

fn settings() -> Value {
    json!({
        "name": "Woonstad Rotterdam",
        "kind": "woningcorporatie",
        "address": "Postbus 1, 3000 AA Rotterdam",
        "office_phone": "010 440 88 00",
        "police_phone": "0900-8844",
        "windows": {
            "at_once_hours": 12,
            "second_from_days": 1,
            "second_to_days": 4,
            "third_from_days": 60,
            "third_to_days": 90,
            "team_meeting_days": 21,
            "po_days": 5
        }
    })
}

#[tokio::test]
async fn the_beheerder_sets_them_and_each_device_receives_its_own_teams_phone() {
    let dist = tempfile::tempdir().unwrap();
    common::dist(dist.path());
    let data = tempfile::tempdir().unwrap();
    let server = start(dist.path(), data.path(), 0).await;
    let org = common::seed(&server);
    let beheer = login(&server, "beheer", Some(&org.secret("beheer"))).await;
    let noord_device = common::device_cookie(&server.base);
    let zuid_device = enroll(&server, &org.zuid, None).await;

    // Before anything is set, a device gets the protocol's own names.
    let (status, before) = send(
        &server,
        "GET",
        "/api/v1/device/organisation",
        None,
        &noord_device,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(before["name"], "Enjoy & Learn");
    assert_eq!(before["manager_phone"], "");

    let (status, stored) = send(
        &server,
        "PUT",
        "/api/v1/organisation",
        Some(&settings()),
        &beheer,
    )
    .await;
    assert_eq!(status, 200, "{stored}");
    assert_eq!(stored, settings());
    let (status, _) = send(
        &server,
        "PUT",
        &format!("/api/v1/teams/{}/phone", org.noord),
        Some(&json!({ "manager_phone": "06 1234 5678" })),
        &beheer,
    )
    .await;
    assert_eq!(status, 200);
    let (status, _) = send(
        &server,
        "PUT",
        &format!("/api/v1/teams/{}/phone", org.zuid),
        Some(&json!({ "manager_phone": "06 8765 4321" })),
        &beheer,
    )
    .await;
    assert_eq!(status, 200);
    // The beheerder's list of teams shows each team's phone as set.
    let (_, teams) = send(&server, "GET", "/api/v1/teams", None, &beheer).await;
    let phone_of = |id: &str| {
        teams
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["id"] == id)
            .map(|t| t["manager_phone"].clone())
    };
    assert_eq!(phone_of(&org.zuid), Some(json!("06 8765 4321")));

    let (status, noord) = send(
        &server,
        "GET",
        "/api/v1/device/organisation",
        None,
        &noord_device,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        noord,
        json!({
            "name": "Woonstad Rotterdam",
            "kind": "woningcorporatie",
            "address": "Postbus 1, 3000 AA Rotterdam",
            "office_phone": "010 440 88 00",
            "police_phone": "0900-8844",
            "manager_phone": "06 1234 5678"
        }),
        "no windows, nothing about any person"
    );
    let (_, zuid) = send(
        &server,
        "GET",
        "/api/v1/device/organisation",
        None,
        &zuid_device,
    )
    .await;
    assert_eq!(zuid["manager_phone"], "06 8765 4321");
    assert_eq!(zuid["office_phone"], "010 440 88 00");

    // Anyone signed in reads the settings; the trail says what changed, never a value.
    let ans = login(&server, "ans", None).await;
    let (status, read) = send(&server, "GET", "/api/v1/organisation", None, &ans).await;
    assert_eq!((status, read), (200, settings()));
    let trail = server.db().query_row(
        "SELECT group_concat(action || ' ' || coalesce(target, ''), '|') FROM audit
         WHERE action IN ('organisation_changed', 'team_phone_changed')",
        [],
        |r| r.get::<_, String>(0),
    );
    let trail = trail.unwrap();
    assert_eq!(
        trail,
        format!(
            "organisation_changed organisation|team_phone_changed team:{}|team_phone_changed team:{}",
            org.noord, org.zuid
        )
    );
    let everything: String = server
        .db()
        .query_row(
            "SELECT group_concat(coalesce(target, '') || outcome, '|') FROM audit",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(
        !everything.contains("Woonstad") && !everything.contains("1234"),
        "{everything}"
    );
    server.stop().await;
}

#[tokio::test]
async fn only_the_beheerder_changes_them_and_what_cannot_be_used_is_refused() {
    let dist = tempfile::tempdir().unwrap();
    common::dist(dist.path());
    let data = tempfile::tempdir().unwrap();
    let server = start(dist.path(), data.path(), 0).await;
    let org = common::seed(&server);
    let beheer = login(&server, "beheer", Some(&org.secret("beheer"))).await;
    let (status, _) = send(
        &server,
        "PUT",
        "/api/v1/organisation",
        Some(&settings()),
        &beheer,
    )
    .await;
    assert_eq!(status, 200);
    let phone_path = format!("/api/v1/teams/{}/phone", org.noord);

    // Not the beheerder: refused, whoever it is.
    let mut other = settings();
    other["name"] = json!("Iemand anders");
    for (login_name, secret) in [
        ("po", Some(org.secret("po"))),
        ("chef-noord", Some(org.secret("chef-noord"))),
        ("ans", None),
    ] {
        let cookie = login(&server, login_name, secret.as_deref()).await;
        let (status, body) = send(
            &server,
            "PUT",
            "/api/v1/organisation",
            Some(&other),
            &cookie,
        )
        .await;
        assert_eq!(
            (status, body["code"].as_str()),
            (403, Some("forbidden")),
            "{login_name}"
        );
        let (status, _) = send(
            &server,
            "PUT",
            &phone_path,
            Some(&json!({ "manager_phone": "06 1111 1111" })),
            &cookie,
        )
        .await;
        assert_eq!(status, 403, "{login_name}");
    }
    // A device reads, never writes.
    let device = common::device_cookie(&server.base);
    let (status, _) = send(
        &server,
        "PUT",
        "/api/v1/organisation",
        Some(&other),
        &device,
    )
    .await;
    assert_eq!(status, 401);

    // What a device could not use, each refused naming the field.
    let with = |key: &str, value: Value| {
        let mut s = settings();
        s[key] = value;
        s
    };
    let mut missing = settings();
    missing.as_object_mut().unwrap().remove("office_phone");
    let mut unknown = settings();
    unknown["bsn"] = json!("123456789");
    let mut bad_windows = settings();
    bad_windows["windows"]["second_from_days"] = json!(9);
    let cases: Vec<(&str, Value, &str)> = vec![
        (
            "a phone that cannot be dialed",
            with("office_phone", json!("bel Piet")),
            "office_phone",
        ),
        (
            "a police number with letters",
            with("police_phone", json!("0900-POLITIE")),
            "police_phone",
        ),
        (
            "a name too long",
            with("name", json!("x".repeat(201))),
            "name",
        ),
        ("an empty name", with("name", json!("  ")), "name"),
        (
            "an address with a control character",
            with("address", json!("a\u{7}b")),
            "address",
        ),
        ("windows that cannot be used", bad_windows, "windows"),
        ("an unknown key", unknown, "body"),
        ("a setting left out", missing, "office_phone"),
        ("a number where text goes", with("name", json!(5)), "body"),
    ];
    for (what, body, field) in cases {
        let (status, answer) =
            send(&server, "PUT", "/api/v1/organisation", Some(&body), &beheer).await;
        assert_eq!(status, 400, "{what}: {answer}");
        assert_eq!(answer["code"], "invalid_request", "{what}");
        assert_eq!(answer["field"], field, "{what}: {answer}");
    }
    for (what, body) in [
        (
            "a phone that cannot be dialed",
            json!({ "manager_phone": "bel Piet" }),
        ),
        (
            "too many digits",
            json!({ "manager_phone": "0612345678901234" }),
        ),
        (
            "an unknown key",
            json!({ "manager_phone": "06 1234 5678", "naam": "Piet" }),
        ),
    ] {
        let (status, answer) = send(&server, "PUT", &phone_path, Some(&body), &beheer).await;
        assert_eq!(status, 400, "{what}: {answer}");
        assert_eq!(answer["code"], "invalid_request", "{what}");
    }
    let (status, _) = send(
        &server,
        "PUT",
        "/api/v1/teams/geen-team/phone",
        Some(&json!({ "manager_phone": "06 1234 5678" })),
        &beheer,
    )
    .await;
    assert_eq!(status, 404);

    // Nothing of it was stored.
    let (_, read) = send(&server, "GET", "/api/v1/organisation", None, &beheer).await;
    assert_eq!(read, settings());
    let (_, received) = send(&server, "GET", "/api/v1/device/organisation", None, &device).await;
    assert_eq!(received["manager_phone"], "");
    server.stop().await;
}
