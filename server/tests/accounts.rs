//! Accounts over real HTTP on a real SQLite file: enrollment codes, revocation, login
//! throttling, the second factor, sessions, the first beheerder, the audit trail, caching and
//! cross-origin writes. Each test is what a user or an attacker would notice.

mod common;

use chrono::Duration;
use common::{cookie_of, fresh_code, Org, Server, PASSWORD};
use reqwest::Method;
use serde_json::{json, Value as Json};
use veilig_server::accounts;
use veilig_server::audit::Entry;
use veilig_server::auth::totp;

/// Words of a report that must never reach the audit trail: its reporter (the victim) and
/// its description.
const VICTIM: &str = "Ans de Vries";
const CONTENT: &str = "Klant gooide een stoel naar de balie";
const ANOTHER_PASSWORD: &str = "regenjas tramhalte zonnebloem";

struct Setup {
    _dist: tempfile::TempDir,
    _data: tempfile::TempDir,
    server: Server,
    org: Org,
}

/// A server with the seeded organisation (nobody logged in, no device enrolled).
async fn setup() -> Setup {
    let dist = tempfile::tempdir().unwrap();
    common::dist(dist.path());
    let data = tempfile::tempdir().unwrap();
    let server = common::start_with(common::config(dist.path(), data.path(), 0)).await;
    let org = common::seed(&server);
    Setup {
        _dist: dist,
        _data: data,
        server,
        org,
    }
}

fn client() -> reqwest::Client {
    reqwest::Client::new()
}

/// A request to `/api/v1{path}` with an optional `Cookie` header and JSON body.
async fn call(
    server: &Server,
    method: Method,
    path: &str,
    cookie: Option<&str>,
    body: Option<Json>,
) -> reqwest::Response {
    let mut request = client().request(method, format!("{}/api/v1{path}", server.base));
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    request.send().await.unwrap()
}

async fn get(server: &Server, path: &str, cookie: &str) -> reqwest::Response {
    call(server, Method::GET, path, Some(cookie), None).await
}

/// Status and error code of a refused request.
async fn refusal(res: reqwest::Response) -> (u16, String) {
    let status = res.status().as_u16();
    let body: Json = res.json().await.expect("every API error is JSON");
    (status, body["code"].as_str().unwrap_or_default().to_owned())
}

async fn try_login(
    server: &Server,
    login: &str,
    password: &str,
    code: Option<&str>,
) -> reqwest::Response {
    call(
        server,
        Method::POST,
        "/session",
        None,
        Some(json!({ "login": login, "password": password, "code": code })),
    )
    .await
}

/// Logs in someone without a second factor; the session's `Cookie` header.
async fn login_plain(server: &Server, login: &str) -> String {
    common::login(server, login, None).await
}

/// Logs in someone with an authenticator.
async fn login_totp(s: &Setup, login: &str) -> String {
    common::login(&s.server, login, Some(&s.org.secret(login))).await
}

async fn enroll_with(server: &Server, code: &str) -> reqwest::Response {
    call(
        server,
        Method::POST,
        "/devices/enroll",
        None,
        Some(json!({ "code": code })),
    )
    .await
}

fn code_for(s: &Setup, team: &str, person: Option<&str>) -> String {
    accounts::create_enrollment_code(&s.server.db(), team, person, "test", s.server.clock.now())
        .unwrap()
        .0
}

fn report_body(n: u64) -> String {
    serde_json::to_string(&common::report(&common::id(n), CONTENT)).unwrap()
}

async fn send(server: &Server, device: &str, n: u64) -> reqwest::Response {
    client()
        .put(format!("{}/api/v1/reports/{}", server.base, common::id(n)))
        .header("content-type", "application/json")
        .header("cookie", device)
        .body(report_body(n))
        .send()
        .await
        .unwrap()
}

/// The id the server gave the device with this cookie.
async fn device_id(server: &Server, device: &str) -> String {
    let res = get(server, "/device", device).await;
    assert_eq!(res.status(), 200);
    res.json::<Json>().await.unwrap()["device_id"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn retry_after(res: &reqwest::Response) -> i64 {
    res.headers()
        .get("retry-after")
        .expect("a Retry-After header")
        .to_str()
        .unwrap()
        .parse()
        .expect("Retry-After in seconds")
}

/// The audit trail as the database holds it, oldest first.
fn trail(server: &Server) -> Vec<Entry> {
    let mut entries = veilig_server::audit::recent(&server.db(), 100_000).unwrap();
    entries.reverse();
    entries
}

fn entries_of<'a>(entries: &'a [Entry], action: &str) -> Vec<&'a Entry> {
    entries.iter().filter(|e| e.action == action).collect()
}

fn count(server: &Server, sql: &str) -> i64 {
    server.db().query_row(sql, [], |r| r.get(0)).unwrap()
}

// ---------------------------------------------------------------------------------------
// 1. Enrollment codes

#[tokio::test]
async fn an_enrollment_code_enrolls_one_device_only() {
    let s = setup().await;
    let code = code_for(&s, &s.org.noord, None);
    let first = enroll_with(&s.server, &code).await;
    assert_eq!(first.status(), 201);
    assert!(cookie_of(&first).is_some());
    // A script on the page cannot read the credential, and no other site's request carries it.
    let set = first.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(set.starts_with("veilig_device="), "{set}");
    assert!(
        set.contains("; HttpOnly") && set.contains("; SameSite=Strict"),
        "{set}"
    );
    let second = enroll_with(&s.server, &code).await;
    assert!(
        cookie_of(&second).is_none(),
        "no credential for a used code"
    );
    assert_eq!(
        refusal(second).await,
        (400, "enrollment_code_invalid".into())
    );
    assert_eq!(count(&s.server, "SELECT COUNT(*) FROM devices"), 1);
}

#[tokio::test]
async fn an_enrollment_code_expires_after_15_minutes() {
    let s = setup().await;
    let early = code_for(&s, &s.org.noord, None);
    let late = code_for(&s, &s.org.noord, None);
    s.server.clock.advance(Duration::minutes(14));
    assert_eq!(
        enroll_with(&s.server, &early).await.status(),
        201,
        "14 minutes: still valid"
    );
    s.server.clock.advance(Duration::minutes(2));
    let res = enroll_with(&s.server, &late).await;
    assert_eq!(
        refusal(res).await,
        (400, "enrollment_code_invalid".into()),
        "16 minutes: expired"
    );
    assert_eq!(count(&s.server, "SELECT COUNT(*) FROM devices"), 1);
}

#[tokio::test]
async fn guessing_enrollment_codes_is_stopped_after_ten_tries() {
    let s = setup().await;
    let right = code_for(&s, &s.org.noord, None);
    for i in 0..10 {
        let res = enroll_with(&s.server, &format!("WRNG-{i:04}")).await;
        assert_eq!(
            refusal(res).await,
            (400, "enrollment_code_invalid".into()),
            "guess {i}"
        );
    }
    let res = enroll_with(&s.server, &right).await;
    assert_eq!(res.status(), 429, "even the right code waits");
    let wait = retry_after(&res);
    assert!((1..=15 * 60).contains(&wait), "Retry-After {wait}");
    assert!(cookie_of(&res).is_none());
    assert_eq!(refusal(res).await.1, "too_many_attempts");
    assert_eq!(count(&s.server, "SELECT COUNT(*) FROM devices"), 0);

    s.server.clock.advance(Duration::minutes(15));
    let fresh = code_for(&s, &s.org.noord, None);
    assert_eq!(
        enroll_with(&s.server, &fresh).await.status(),
        201,
        "the lock ends by itself"
    );
}

// ---------------------------------------------------------------------------------------
// 2. Revocation

#[tokio::test]
async fn a_revoked_device_is_refused_at_its_next_request() {
    let s = setup().await;
    let device = common::enroll(&s.server, &s.org.noord, None).await;
    assert_eq!(send(&s.server, &device, 1).await.status(), 201);
    let id = device_id(&s.server, &device).await;

    // A manager of another team may not.
    let zuid = login_totp(&s, "chef-zuid").await;
    let res = call(
        &s.server,
        Method::POST,
        &format!("/devices/{id}/revoke"),
        Some(&zuid),
        None,
    )
    .await;
    assert_eq!(refusal(res).await, (403, "forbidden".into()));
    assert_eq!(
        send(&s.server, &device, 2).await.status(),
        201,
        "still enrolled"
    );

    let noord = login_totp(&s, "chef-noord").await;
    let res = call(
        &s.server,
        Method::POST,
        &format!("/devices/{id}/revoke"),
        Some(&noord),
        None,
    )
    .await;
    assert_eq!(res.status(), 204);

    assert_eq!(
        refusal(send(&s.server, &device, 3).await).await,
        (401, "device_revoked".into())
    );
    assert_eq!(
        refusal(get(&s.server, "/device", &device).await).await,
        (401, "device_revoked".into())
    );
    assert_eq!(
        count(&s.server, "SELECT COUNT(*) FROM reports"),
        2,
        "its reports stay"
    );

    let beheer = login_totp(&s, "beheer").await;
    let res = get(&s.server, "/devices", &beheer).await;
    assert_eq!(res.status(), 200);
    let devices: Vec<Json> = res.json().await.unwrap();
    let shown = devices
        .iter()
        .find(|d| d["id"] == id.as_str())
        .expect("listed");
    assert_eq!(shown["team"], "Noord");
    assert_eq!(shown["team_id"], s.org.noord.as_str());
    assert!(shown["enrolled_at"].is_string());
    assert!(shown["last_seen_at"].is_string());
    assert!(shown["revoked_at"].is_string());
    assert_eq!(shown["reports_sent"], 2);
}

#[tokio::test]
async fn a_manager_lists_only_the_devices_of_their_team() {
    let s = setup().await;
    let noord = common::enroll(&s.server, &s.org.noord, None).await;
    let zuid = common::enroll(&s.server, &s.org.zuid, None).await;
    assert_eq!(send(&s.server, &noord, 1).await.status(), 201);
    let (noord_id, zuid_id) = (
        device_id(&s.server, &noord).await,
        device_id(&s.server, &zuid).await,
    );
    let chef = login_totp(&s, "chef-noord").await;
    let devices: Vec<Json> = get(&s.server, "/devices", &chef)
        .await
        .json()
        .await
        .unwrap();
    let ids: Vec<&str> = devices.iter().filter_map(|d| d["id"].as_str()).collect();
    assert_eq!(ids, vec![noord_id.as_str()]);
    assert_eq!(devices[0]["reports_sent"], 1);
    let res = call(
        &s.server,
        Method::POST,
        &format!("/devices/{zuid_id}/revoke"),
        Some(&chef),
        None,
    )
    .await;
    assert_eq!(res.status(), 403);
    let ans = login_plain(&s.server, "ans").await;
    assert_eq!(
        refusal(get(&s.server, "/devices", &ans).await).await,
        (403, "forbidden".into())
    );
}

#[tokio::test]
async fn a_device_unused_for_180_days_must_enroll_again() {
    let s = setup().await;
    let busy = common::enroll(&s.server, &s.org.noord, None).await;
    let idle = common::enroll(&s.server, &s.org.noord, None).await;
    // Sending keeps a device alive: a tablet that reports twice a year goes on.
    s.server.clock.advance(Duration::days(179));
    assert_eq!(send(&s.server, &busy, 1).await.status(), 201);
    s.server.clock.advance(Duration::days(2));
    assert_eq!(
        send(&s.server, &busy, 2).await.status(),
        201,
        "seen 2 days ago"
    );
    assert_eq!(
        refusal(send(&s.server, &idle, 3).await).await,
        (401, "device_revoked".into()),
        "181 days unused"
    );
    assert_eq!(
        refusal(get(&s.server, "/device", &idle).await).await,
        (401, "device_revoked".into())
    );
}

// ---------------------------------------------------------------------------------------
// 3. Login throttling

#[tokio::test]
async fn five_wrong_passwords_lock_the_account_from_that_address_for_15_minutes() {
    let s = setup().await;
    let secret_guess = "raden-is-niet-toegestaan-42";
    for i in 0..5 {
        let res = try_login(&s.server, "ans", secret_guess, None).await;
        assert_eq!(
            refusal(res).await,
            (401, "login_failed".into()),
            "attempt {i}"
        );
    }
    let res = try_login(&s.server, "ans", PASSWORD, None).await;
    assert_eq!(res.status(), 429, "even the right password waits");
    let wait = retry_after(&res);
    assert!((1..=15 * 60).contains(&wait), "Retry-After {wait}");
    assert!(cookie_of(&res).is_none(), "no session");
    assert_eq!(refusal(res).await.1, "too_many_attempts");

    // Another account from the same address is not locked out by the flood.
    assert_eq!(
        try_login(&s.server, "bert", PASSWORD, None).await.status(),
        201
    );

    s.server.clock.advance(Duration::minutes(15));
    let res = try_login(&s.server, "ans", PASSWORD, None).await;
    assert_eq!(res.status(), 201, "the lock ends by itself");

    let entries = trail(&s.server);
    let failed = entries_of(&entries, "login_failed");
    assert_eq!(failed.len(), 5);
    for entry in failed {
        // The account, never the text typed as a login name.
        assert_eq!(entry.actor, format!("person:{}", s.org.id("ans")));
        assert_eq!(entry.address.as_deref(), Some("127.0.0.1"));
        assert_ne!(entry.outcome, "ok");
    }
    let all = serde_json::to_string(&entries).unwrap();
    assert!(
        !all.contains(secret_guess),
        "no password tried in the trail"
    );
    assert!(!all.contains(PASSWORD), "no password in the trail");
}

/// A login sent from another loopback address (another computer, as far as the server knows).
async fn login_from(
    server: &Server,
    from: [u8; 4],
    login: &str,
    password: &str,
) -> reqwest::Response {
    reqwest::Client::builder()
        .local_address(std::net::IpAddr::from(from))
        .build()
        .unwrap()
        .post(format!("{}/api/v1/session", server.base))
        .json(&json!({ "login": login, "password": password }))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn an_attacker_elsewhere_cannot_lock_a_person_out_but_is_slowed_down() {
    let s = setup().await;
    let attacker = [127, 0, 0, 2];
    let wrong = "raden-is-niet-toegestaan-42";
    for _ in 0..5 {
        assert_eq!(
            login_from(&s.server, attacker, "ans", wrong).await.status(),
            401
        );
    }
    assert_eq!(
        login_from(&s.server, attacker, "ans", PASSWORD)
            .await
            .status(),
        429
    );
    // Ans at her own computer is not locked out.
    assert_eq!(
        try_login(&s.server, "ans", PASSWORD, None).await.status(),
        201
    );

    // One address trying many accounts is stopped at 20 failures, whichever accounts.
    let logins = ["bert", "po", "beheer", "chef-zuid"];
    for (i, login) in logins.iter().cycle().take(15).enumerate() {
        let res = login_from(&s.server, attacker, login, wrong).await;
        assert_eq!(res.status(), 401, "failure {} of the address", i + 6);
    }
    let res = login_from(&s.server, attacker, "chef-noord", wrong).await;
    assert_eq!(res.status(), 429, "the 21st try of the address");
    assert_eq!(
        try_login(&s.server, "bert", PASSWORD, None).await.status(),
        201,
        "others go on"
    );

    // Failures for one account from many addresses slow every attempt down, but never lock.
    for from in [[127, 0, 0, 3], [127, 0, 0, 4]] {
        for _ in 0..5 {
            assert_eq!(
                login_from(&s.server, from, "bert", wrong).await.status(),
                401
            );
        }
    }
    // Timed against a login of an account without failures sent at the same moment (the same
    // load on the machine): the slowed one ends about a second later.
    let timed = |login: &'static str| {
        let server = &s.server;
        async move {
            let started = std::time::Instant::now();
            let status = try_login(server, login, PASSWORD, None)
                .await
                .status()
                .as_u16();
            (status, started.elapsed())
        }
    };
    // Up to three pairs: a busy machine can stall one request of a pair by chance.
    let mut pairs = Vec::new();
    for _ in 0..3 {
        let ((slowed, took), (control, usual)) = tokio::join!(timed("bert"), timed("ans"));
        assert_eq!((slowed, control), (201, 201), "slowed, never locked");
        pairs.push((took, usual));
        if took >= usual + std::time::Duration::from_millis(600) {
            break;
        }
    }
    let (took, usual) = *pairs.last().unwrap();
    assert!(
        took >= usual + std::time::Duration::from_millis(600),
        "slowed down: (slowed, at the same time without failures) {pairs:?}"
    );

    let entries = trail(&s.server);
    let from_attacker = entries_of(&entries, "login_failed")
        .into_iter()
        .filter(|e| e.address.as_deref() == Some("127.0.0.2"))
        .count();
    assert_eq!(
        from_attacker, 20,
        "every failure with the address it came from"
    );
}

#[tokio::test]
async fn an_unknown_login_fails_like_a_wrong_password() {
    let s = setup().await;
    let res = try_login(&s.server, "niemand", PASSWORD, None).await;
    assert_eq!(refusal(res).await, (401, "login_failed".into()));
    let res = try_login(&s.server, "ans", "helemaal niet het wachtwoord", None).await;
    assert_eq!(refusal(res).await, (401, "login_failed".into()));
}

// ---------------------------------------------------------------------------------------
// 4. The second factor and recovery codes

#[tokio::test]
async fn a_manager_without_an_authenticator_must_set_one_up_before_anything_else() {
    let s = setup().await;
    let res = try_login(&s.server, "nieuw", PASSWORD, None).await;
    assert_eq!(res.status(), 201);
    let session = cookie_of(&res).unwrap();
    let view: Json = res.json().await.unwrap();
    assert_eq!(view["complete"], false);

    for path in ["/reports", "/devices", "/teams"] {
        let res = get(&s.server, path, &session).await;
        assert_eq!(
            refusal(res).await,
            (403, "second_factor_setup_required".into()),
            "{path}"
        );
    }
    let me: Json = get(&s.server, "/session", &session)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["complete"], false);

    let res = call(
        &s.server,
        Method::POST,
        "/session/second-factor",
        Some(&session),
        None,
    )
    .await;
    assert_eq!(res.status(), 201);
    let setup: Json = res.json().await.unwrap();
    let secret = setup["secret"].as_str().unwrap().to_owned();
    assert!(setup["otpauth_url"]
        .as_str()
        .unwrap()
        .starts_with("otpauth://totp/"));

    let now = s.server.clock.now().timestamp() as u64;
    let right = totp::code_at(&secret, now).unwrap();
    // A code no step of the drift window gives.
    let wrong = (0..1_000_000)
        .map(|n| format!("{n:06}"))
        .find(|c| (0..3).all(|k| totp::code_at(&secret, now - 30 + k * 30).unwrap() != *c))
        .unwrap();
    let res = call(
        &s.server,
        Method::POST,
        "/session/second-factor/confirm",
        Some(&session),
        Some(json!({ "code": wrong })),
    )
    .await;
    assert_eq!(refusal(res).await.0, 400);
    assert_eq!(
        refusal(get(&s.server, "/reports", &session).await).await.1,
        "second_factor_setup_required",
        "a wrong code completes nothing"
    );

    let res = call(
        &s.server,
        Method::POST,
        "/session/second-factor/confirm",
        Some(&session),
        Some(json!({ "code": right })),
    )
    .await;
    assert_eq!(res.status(), 200);
    let codes: Json = res.json().await.unwrap();
    let codes: Vec<String> = serde_json::from_value(codes["recovery_codes"].clone()).unwrap();
    assert_eq!(codes.len(), 10);
    assert_eq!(
        get(&s.server, "/reports", &session).await.status(),
        200,
        "the session is complete"
    );
    let me: Json = get(&s.server, "/session", &session)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["complete"], true);
    assert_eq!(me["person"]["second_factor"], true);

    // From now on the password alone is not enough…
    let res = try_login(&s.server, "nieuw", PASSWORD, None).await;
    assert!(cookie_of(&res).is_none());
    assert_eq!(refusal(res).await, (401, "second_factor_required".into()));
    // …the code used to confirm cannot be used again…
    let res = try_login(&s.server, "nieuw", PASSWORD, Some(&right)).await;
    assert!(
        cookie_of(&res).is_none(),
        "a replayed code gives no session"
    );
    assert_eq!(refusal(res).await.0, 401);
    // …a recovery code works once…
    let res = try_login(&s.server, "nieuw", PASSWORD, Some(&codes[3])).await;
    assert_eq!(res.status(), 201);
    let res = try_login(&s.server, "nieuw", PASSWORD, Some(&codes[3])).await;
    assert!(
        cookie_of(&res).is_none(),
        "a used recovery code gives no session"
    );
    assert_eq!(refusal(res).await.0, 401);
    // …and the next code of the authenticator works.
    let res = try_login(
        &s.server,
        "nieuw",
        PASSWORD,
        Some(&fresh_code(&s.server, &secret, "nieuw")),
    )
    .await;
    assert_eq!(res.status(), 201);
}

#[tokio::test]
async fn an_authenticator_code_counts_once() {
    let s = setup().await;
    let code = fresh_code(&s.server, &s.org.secret("chef-noord"), "chef-noord");
    let res = try_login(&s.server, "chef-noord", PASSWORD, Some(&code)).await;
    assert_eq!(res.status(), 201);
    let view: Json = res.json().await.unwrap();
    assert_eq!(view["complete"], true);
    let res = try_login(&s.server, "chef-noord", PASSWORD, Some(&code)).await;
    assert!(
        cookie_of(&res).is_none(),
        "a code seen over a shoulder is useless"
    );
    assert_eq!(refusal(res).await, (401, "second_factor_required".into()));
    // A right code with a wrong password gives nothing either.
    let code = fresh_code(&s.server, &s.org.secret("chef-noord"), "chef-noord");
    let res = try_login(
        &s.server,
        "chef-noord",
        "helemaal niet het wachtwoord",
        Some(&code),
    )
    .await;
    assert_eq!(refusal(res).await, (401, "login_failed".into()));
}

// ---------------------------------------------------------------------------------------
// 5. Sessions

#[tokio::test]
async fn a_session_ends_after_30_idle_minutes_and_each_request_keeps_it_alive() {
    let s = setup().await;
    let session = login_plain(&s.server, "ans").await;
    for _ in 0..3 {
        s.server.clock.advance(Duration::minutes(29));
        assert_eq!(get(&s.server, "/session", &session).await.status(), 200);
    }
    s.server.clock.advance(Duration::minutes(31));
    assert_eq!(
        refusal(get(&s.server, "/session", &session).await).await,
        (401, "unauthorized".into())
    );
    assert_eq!(get(&s.server, "/reports", &session).await.status(), 401);
}

#[tokio::test]
async fn a_session_ends_12_hours_after_login_however_busy() {
    let s = setup().await;
    let session = login_plain(&s.server, "ans").await;
    for _ in 0..28 {
        s.server.clock.advance(Duration::minutes(25));
        assert_eq!(get(&s.server, "/session", &session).await.status(), 200);
    }
    // 11 h 40 min; then 11 h 59 min.
    s.server.clock.advance(Duration::minutes(19));
    assert_eq!(get(&s.server, "/session", &session).await.status(), 200);
    s.server.clock.advance(Duration::minutes(2));
    assert_eq!(
        refusal(get(&s.server, "/session", &session).await).await,
        (401, "unauthorized".into())
    );
}

#[tokio::test]
async fn logging_out_ends_the_session_on_the_server() {
    let s = setup().await;
    let res = try_login(&s.server, "ans", PASSWORD, None).await;
    assert_eq!(res.status(), 201);
    let set = res.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(set.starts_with("veilig_session="), "{set}");
    assert!(
        set.contains("; HttpOnly") && set.contains("; SameSite=Strict"),
        "{set}"
    );
    assert!(
        !set.contains("Max-Age") && !set.contains("Expires"),
        "gone when the browser closes: {set}"
    );
    let session = cookie_of(&res).unwrap();
    let other = login_plain(&s.server, "ans").await;
    let res = call(&s.server, Method::DELETE, "/session", Some(&session), None).await;
    assert_eq!(res.status(), 204);
    let cleared = res.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(cleared.contains("Max-Age=0"), "{cleared}");
    // A copy of the old cookie is useless.
    assert_eq!(
        refusal(get(&s.server, "/session", &session).await).await,
        (401, "unauthorized".into())
    );
    assert_eq!(get(&s.server, "/reports", &session).await.status(), 401);
    // Another session (another browser) goes on.
    assert_eq!(get(&s.server, "/session", &other).await.status(), 200);
}

#[tokio::test]
async fn the_beheerder_ends_someones_sessions() {
    let s = setup().await;
    let phone = login_plain(&s.server, "ans").await;
    let laptop = login_plain(&s.server, "ans").await;
    let bert = login_plain(&s.server, "bert").await;
    let beheer = login_totp(&s, "beheer").await;
    let ans = s.org.id("ans");
    // Only the beheerder may.
    let res = call(
        &s.server,
        Method::DELETE,
        &format!("/people/{ans}/sessions"),
        Some(&bert),
        None,
    )
    .await;
    assert_eq!(res.status(), 403);
    let res = call(
        &s.server,
        Method::DELETE,
        &format!("/people/{ans}/sessions"),
        Some(&beheer),
        None,
    )
    .await;
    assert_eq!(res.status(), 204);
    assert_eq!(get(&s.server, "/session", &phone).await.status(), 401);
    assert_eq!(get(&s.server, "/session", &laptop).await.status(), 401);
    assert_eq!(
        get(&s.server, "/session", &bert).await.status(),
        200,
        "only hers"
    );
    // She can log in again.
    assert_eq!(
        try_login(&s.server, "ans", PASSWORD, None).await.status(),
        201
    );
}

#[tokio::test]
async fn a_disabled_account_loses_its_sessions_and_cannot_log_in() {
    let s = setup().await;
    let session = login_plain(&s.server, "ans").await;
    let beheer = login_totp(&s, "beheer").await;
    let ans = s.org.id("ans");
    let res = call(
        &s.server,
        Method::PATCH,
        &format!("/people/{ans}"),
        Some(&beheer),
        Some(json!({ "disabled": true })),
    )
    .await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Json>().await.unwrap()["disabled"], true);
    assert_eq!(get(&s.server, "/session", &session).await.status(), 401);
    let res = try_login(&s.server, "ans", PASSWORD, None).await;
    assert_eq!(refusal(res).await, (401, "login_failed".into()));
    let entries = trail(&s.server);
    let last_failed = entries_of(&entries, "login_failed");
    assert_eq!(
        last_failed.last().unwrap().actor,
        format!("person:{}", s.org.id("ans"))
    );

    // Enabled again, the password works again.
    let res = call(
        &s.server,
        Method::PATCH,
        &format!("/people/{ans}"),
        Some(&beheer),
        Some(json!({ "disabled": false })),
    )
    .await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        try_login(&s.server, "ans", PASSWORD, None).await.status(),
        201
    );
}

#[tokio::test]
async fn changing_the_password_ends_every_session_and_only_the_new_one_works() {
    let s = setup().await;
    let session = login_plain(&s.server, "ans").await;
    let other = login_plain(&s.server, "ans").await;
    let res = call(
        &s.server,
        Method::PUT,
        "/session/password",
        Some(&session),
        Some(json!({ "current": "niet het huidige wachtwoord", "new": ANOTHER_PASSWORD })),
    )
    .await;
    assert_eq!(res.status(), 401, "the current password is needed");
    let res = call(
        &s.server,
        Method::PUT,
        "/session/password",
        Some(&session),
        Some(json!({ "current": PASSWORD, "new": "welkom123456" })),
    )
    .await;
    assert_eq!(refusal(res).await, (422, "weak_password".into()));
    let res = call(
        &s.server,
        Method::PUT,
        "/session/password",
        Some(&session),
        Some(json!({ "current": PASSWORD, "new": ANOTHER_PASSWORD })),
    )
    .await;
    assert_eq!(res.status(), 204);
    assert_eq!(get(&s.server, "/session", &session).await.status(), 401);
    assert_eq!(get(&s.server, "/session", &other).await.status(), 401);
    assert_eq!(
        refusal(try_login(&s.server, "ans", PASSWORD, None).await).await,
        (401, "login_failed".into())
    );
    assert_eq!(
        try_login(&s.server, "ans", ANOTHER_PASSWORD, None)
            .await
            .status(),
        201
    );
}

#[tokio::test]
async fn guessing_the_current_password_through_a_password_change_is_limited_and_recorded() {
    // Someone at a computer left logged in tries to learn the password (to use it later, or
    // elsewhere): the same limit as at login applies, and the tries are in the trail.
    let s = setup().await;
    let session = login_plain(&s.server, "ans").await;
    for i in 0..5 {
        let res = call(
            &s.server,
            Method::PUT,
            "/session/password",
            Some(&session),
            Some(json!({ "current": format!("gok nummer {i} van de aanvaller"), "new": ANOTHER_PASSWORD })),
        )
        .await;
        assert_eq!(
            refusal(res).await,
            (401, "login_failed".into()),
            "guess {i}"
        );
    }
    let res = call(
        &s.server,
        Method::PUT,
        "/session/password",
        Some(&session),
        Some(json!({ "current": PASSWORD, "new": ANOTHER_PASSWORD })),
    )
    .await;
    assert_eq!(res.status(), 429, "even the right password waits");
    assert!((1..=15 * 60).contains(&retry_after(&res)));
    assert_eq!(
        refusal(try_login(&s.server, "ans", PASSWORD, None).await)
            .await
            .1,
        "too_many_attempts"
    );
    let entries = trail(&s.server);
    let failed = entries_of(&entries, "login_failed");
    assert_eq!(failed.len(), 5);
    assert!(failed
        .iter()
        .all(|e| e.actor == format!("person:{}", s.org.id("ans"))
            && e.address.as_deref() == Some("127.0.0.1")));
    assert!(!serde_json::to_string(&entries)
        .unwrap()
        .contains("van de aanvaller"));

    s.server.clock.advance(Duration::minutes(15));
    let session = login_plain(&s.server, "ans").await;
    let res = call(
        &s.server,
        Method::PUT,
        "/session/password",
        Some(&session),
        Some(json!({ "current": PASSWORD, "new": ANOTHER_PASSWORD })),
    )
    .await;
    assert_eq!(res.status(), 204);
}

#[tokio::test]
async fn an_employee_made_manager_sets_up_a_second_factor_before_reading_the_teams_reports() {
    let s = setup().await;
    let device = common::enroll(&s.server, &s.org.noord, None).await;
    assert_eq!(send(&s.server, &device, 1).await.status(), 201);
    let ans = login_plain(&s.server, "ans").await;
    let mine: Vec<Json> = get(&s.server, "/reports", &ans).await.json().await.unwrap();
    assert!(mine.is_empty());

    let beheer = login_totp(&s, "beheer").await;
    let id = s.org.id("ans");
    // Through the API a beheerder cannot give a role that reads reports…
    let res = call(
        &s.server,
        Method::PATCH,
        &format!("/people/{id}"),
        Some(&beheer),
        Some(json!({ "roles": ["leidinggevende"] })),
    )
    .await;
    assert_eq!(res.status(), 400);
    // …it is given on the server itself (`veilig-server set-roles`).
    veilig_server::accounts::set_roles(
        &s.server.db(),
        &id,
        &[veilig_core::report::access::Role::Manager],
    )
    .unwrap();
    let managers = json!({ "managers": [s.org.id("chef-noord"), s.org.id("nieuw"), id] });
    let res = call(
        &s.server,
        Method::PUT,
        &format!("/teams/{}/managers", s.org.noord),
        Some(&beheer),
        Some(managers),
    )
    .await;
    assert_eq!(res.status(), 204);

    // Her session from before is not a manager's session with a password only.
    let res = get(&s.server, "/reports", &ans).await;
    assert_eq!(
        refusal(res).await,
        (403, "second_factor_setup_required".into())
    );
    let res = get(&s.server, &format!("/reports/{}", common::id(1)), &ans).await;
    assert_eq!(
        refusal(res).await,
        (403, "second_factor_setup_required".into())
    );
    let me: Json = get(&s.server, "/session", &ans).await.json().await.unwrap();
    assert_eq!(me["complete"], false);

    // Once set up, she reads them.
    let setup: Json = call(
        &s.server,
        Method::POST,
        "/session/second-factor",
        Some(&ans),
        None,
    )
    .await
    .json()
    .await
    .unwrap();
    let secret = setup["secret"].as_str().unwrap();
    let code = totp::code_at(secret, s.server.clock.now().timestamp() as u64).unwrap();
    let res = call(
        &s.server,
        Method::POST,
        "/session/second-factor/confirm",
        Some(&ans),
        Some(json!({ "code": code })),
    )
    .await;
    assert_eq!(res.status(), 200);
    let team: Vec<Json> = get(&s.server, "/reports", &ans).await.json().await.unwrap();
    assert_eq!(team.len(), 1);
}

// ---------------------------------------------------------------------------------------
// 6. The first beheerder

fn form_of(login: &str, name: &str, password: &str, again: &str) -> [(&'static str, String); 4] {
    [
        ("login", login.to_owned()),
        ("name", name.to_owned()),
        ("password", password.to_owned()),
        ("again", again.to_owned()),
    ]
}

async fn post_form(url: &str, form: &[(&'static str, String)]) -> reqwest::Response {
    client().post(url).form(form).send().await.unwrap()
}

#[tokio::test]
async fn the_first_beheerder_is_made_once_through_the_setup_address() {
    let dist = tempfile::tempdir().unwrap();
    common::dist(dist.path());
    let data = tempfile::tempdir().unwrap();
    let server = common::start_with(common::config(dist.path(), data.path(), 0)).await;
    let url = server
        .setup_url
        .clone()
        .expect("a setup address while there is no beheerder");
    assert!(url.starts_with(&format!("{}/setup/", server.base)), "{url}");
    let people = || count(&server, "SELECT COUNT(*) FROM people");

    let res = client().get(&url).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    assert_eq!(res.headers()["cache-control"], "no-store");
    let html = res.text().await.unwrap();
    assert!(html.contains("<form method=\"post\">"), "{html}");
    for field in ["login", "name", "password", "again"] {
        assert!(html.contains(&format!("name=\"{field}\"")), "{field}");
    }

    // A wrong guess of the address gets nothing.
    let guess = format!(
        "{}/setup/{}",
        server.base,
        veilig_server::auth::secret::token()
    );
    assert_eq!(client().get(&guess).send().await.unwrap().status(), 410);
    let res = post_form(
        &guess,
        &form_of("root", "Root", ANOTHER_PASSWORD, ANOTHER_PASSWORD),
    )
    .await;
    assert_eq!(res.status(), 410);
    assert_eq!(people(), 0);

    // Another site's form cannot post it.
    let res = client()
        .post(&url)
        .header("sec-fetch-site", "cross-site")
        .header("origin", "https://evil.example")
        .form(&form_of(
            "evil",
            "Evil Admin",
            ANOTHER_PASSWORD,
            ANOTHER_PASSWORD,
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    assert_eq!(people(), 0);

    let res = post_form(
        &url,
        &form_of("admin", "Adam Admin", "welkom123456", "welkom123456"),
    )
    .await;
    assert_eq!(res.status(), 422, "a weak password");
    assert!(res.text().await.unwrap().contains("role=\"alert\""));
    assert_eq!(people(), 0, "nothing created");
    let res = post_form(
        &url,
        &form_of(
            "admin",
            "Adam Admin",
            ANOTHER_PASSWORD,
            "regenjas tramhalte zonnebloem!",
        ),
    )
    .await;
    assert_eq!(res.status(), 422, "two different passwords");
    assert_eq!(people(), 0);

    let res = post_form(
        &url,
        &form_of("admin", "Adam Admin", ANOTHER_PASSWORD, ANOTHER_PASSWORD),
    )
    .await;
    assert_eq!(res.status(), 201);
    let id = accounts::person_id_by_login(&server.db(), "admin")
        .unwrap()
        .expect("made");
    let roles = veilig_server::auth::roles_of(&server.db(), &id).unwrap();
    assert_eq!(
        roles,
        vec![veilig_core::report::access::Role::Administrator]
    );

    let res = try_login(&server, "admin", ANOTHER_PASSWORD, None).await;
    assert_eq!(res.status(), 201);
    let view: Json = res.json().await.unwrap();
    assert_eq!(
        view["complete"], false,
        "the beheerder sets up an authenticator first"
    );

    // The address is used up.
    assert_eq!(client().get(&url).send().await.unwrap().status(), 410);
    let res = post_form(
        &url,
        &form_of("tweede", "Tweede Admin", ANOTHER_PASSWORD, ANOTHER_PASSWORD),
    )
    .await;
    assert_eq!(res.status(), 410);
    assert_eq!(people(), 1);

    let entries = trail(&server);
    let used = entries_of(&entries, "setup_used");
    assert_eq!(used.len(), 1);
    assert_eq!(used[0].actor, "setup");
    assert_eq!(
        used[0].target.as_deref(),
        Some(format!("person:{id}").as_str())
    );
    assert_eq!(used[0].address.as_deref(), Some("127.0.0.1"));
    let all = serde_json::to_string(&entries).unwrap();
    assert!(!all.contains(ANOTHER_PASSWORD) && !all.contains("welkom123456"));
    server.stop().await;
}

#[tokio::test]
async fn the_shell_commands_make_setup_links_teams_and_enrollment_codes() {
    use veilig_server::cli::{run, Command};
    let dist = tempfile::tempdir().unwrap();
    common::dist(dist.path());
    let data = tempfile::tempdir().unwrap();
    let config = common::config(dist.path(), data.path(), 0);
    let server = common::start_with(config.clone()).await;
    let first = server.setup_url.clone().unwrap();

    // A new link replaces the one printed at start.
    let link = run(&config, Command::SetupLink).expect("no beheerder yet");
    let token = link
        .rsplit_once("/setup/")
        .expect("a setup address")
        .1
        .to_owned();
    assert_eq!(
        client().get(&first).send().await.unwrap().status(),
        410,
        "the earlier link"
    );
    let url = format!("{}/setup/{token}", server.base);
    assert_eq!(client().get(&url).send().await.unwrap().status(), 200);
    let res = post_form(
        &url,
        &form_of("admin", "Adam Admin", ANOTHER_PASSWORD, ANOTHER_PASSWORD),
    )
    .await;
    assert_eq!(res.status(), 201);
    let refused = run(&config, Command::SetupLink).expect_err("a beheerder exists");
    assert!(refused.contains("beheerder exists"), "{refused}");

    let team = run(
        &config,
        Command::AddTeam {
            name: "Oost".into(),
            managers: vec!["admin".into()],
        },
    )
    .unwrap();
    assert_eq!(
        accounts::team_id_by_name(&server.db(), "Oost")
            .unwrap()
            .as_deref(),
        Some(team.as_str())
    );
    assert!(
        run(
            &config,
            Command::AddTeam {
                name: "oost".into(),
                managers: vec![]
            }
        )
        .is_err(),
        "names are unique"
    );
    assert!(run(
        &config,
        Command::AddTeam {
            name: "West".into(),
            managers: vec!["niemand".into()]
        }
    )
    .is_err());

    let printed = run(
        &config,
        Command::EnrollmentCode {
            team: "Oost".into(),
            person: None,
        },
    )
    .unwrap();
    let code = printed.lines().next().unwrap().to_owned();
    assert_eq!(code.len(), 9, "{printed}");
    assert!(printed.contains(&format!("/koppelen#{code}")));
    let res = enroll_with(&server, &code).await;
    assert_eq!(res.status(), 201);
    let device: Json = res.json().await.unwrap();
    assert_eq!(device["team"], "Oost");
    assert!(run(
        &config,
        Command::EnrollmentCode {
            team: "Nergens".into(),
            person: None
        }
    )
    .is_err());

    let entries = trail(&server);
    for action in ["team_created", "enrollment_code_created"] {
        let found = entries_of(&entries, action);
        assert_eq!(found.len(), 1, "{action}");
        assert_eq!(found[0].actor, "shell");
    }
    server.stop().await;
}

/// Runs the real `veilig-server` binary on `data` with `stdin` as its standard input: whether
/// it succeeded, and what it printed.
fn shell(data: &std::path::Path, args: &[&str], stdin: &str) -> (bool, String) {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_veilig-server"))
        .args(args)
        .arg("--data-dir")
        .arg(data)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    (out.status.success(), text)
}

#[tokio::test]
async fn the_shell_adds_people_and_resets_a_password_with_the_password_on_standard_input() {
    let s = setup().await;
    let data = s.server.data.clone();
    let add = |login: &'static str, password: &str| {
        shell(
            &data,
            &[
                "add-user",
                "--login",
                login,
                "--name",
                "Iemand",
                "--role",
                "medewerker",
            ],
            &format!("{password}\n"),
        )
    };
    let (ok, out) = add("karin", "welkom123456");
    assert!(!ok, "a weak password: {out}");
    assert!(accounts::person_id_by_login(&s.server.db(), "karin")
        .unwrap()
        .is_none());
    let (ok, out) = add("karin", ANOTHER_PASSWORD);
    assert!(ok, "{out}");
    assert_eq!(
        try_login(&s.server, "karin", ANOTHER_PASSWORD, None)
            .await
            .status(),
        201
    );
    let (ok, _) = add("an", ANOTHER_PASSWORD);
    assert!(ok);

    // Ans is locked out from this address by five wrong passwords.
    for _ in 0..5 {
        let res = try_login(&s.server, "ans", "raden-is-niet-toegestaan-42", None).await;
        assert_eq!(res.status(), 401);
    }
    let session = login_plain(&s.server, "bert").await;
    assert_eq!(
        try_login(&s.server, "ans", PASSWORD, None).await.status(),
        429
    );

    // Resetting another person's password ("an") does not lift Ans's lock…
    let (ok, out) = shell(
        &data,
        &["reset-password", "--login", "an"],
        &format!("{PASSWORD}\n"),
    );
    assert!(ok, "{out}");
    assert_eq!(
        try_login(&s.server, "ans", PASSWORD, None).await.status(),
        429,
        "the lock of `ans` stays when `an` is reset"
    );
    // …resetting hers does, and only the new password works.
    let (ok, out) = shell(
        &data,
        &["reset-password", "--login", "ans"],
        &format!("{ANOTHER_PASSWORD}\n"),
    );
    assert!(ok, "{out}");
    assert_eq!(
        try_login(&s.server, "ans", PASSWORD, None).await.status(),
        401
    );
    assert_eq!(
        try_login(&s.server, "ans", ANOTHER_PASSWORD, None)
            .await
            .status(),
        201
    );
    assert_eq!(
        get(&s.server, "/session", &session).await.status(),
        200,
        "bert's session goes on"
    );

    let entries = trail(&s.server);
    assert_eq!(entries_of(&entries, "person_created").len(), 2);
    assert!(entries_of(&entries, "password_changed")
        .iter()
        .all(|e| e.actor == "shell"));
    let all = serde_json::to_string(&entries).unwrap();
    assert!(!all.contains(ANOTHER_PASSWORD) && !all.contains("welkom123456"));
}

// ---------------------------------------------------------------------------------------
// 7. The audit trail

#[tokio::test]
async fn every_audited_action_is_in_the_trail_with_who_and_where_and_nothing_secret() {
    let s = setup().await;
    let srv = &s.server;
    let id = |login: &str| s.org.id(login);
    let person = |login: &str| format!("person:{}", s.org.id(login));

    // login, login_failed
    let beheer = login_totp(&s, "beheer").await;
    assert_eq!(
        try_login(srv, "bert", "helemaal niet het wachtwoord", None)
            .await
            .status(),
        401
    );

    // person_created, person_changed, person_disabled, sessions_ended
    let res = call(srv, Method::POST, "/people", Some(&beheer), Some(json!({
        "login": "karin", "name": "Karin Nieuw", "roles": ["medewerker"], "password": ANOTHER_PASSWORD
    }))).await;
    assert_eq!(res.status(), 201);
    let karin: String = res.json::<Json>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let res = call(
        srv,
        Method::PATCH,
        &format!("/people/{karin}"),
        Some(&beheer),
        Some(json!({ "name": "Karin Anders" })),
    )
    .await;
    assert_eq!(res.status(), 200);
    let res = call(
        srv,
        Method::PATCH,
        &format!("/people/{karin}"),
        Some(&beheer),
        Some(json!({ "disabled": true })),
    )
    .await;
    assert_eq!(res.status(), 200);
    let res = call(
        srv,
        Method::DELETE,
        &format!("/people/{}/sessions", id("bert")),
        Some(&beheer),
        None,
    )
    .await;
    assert_eq!(res.status(), 204);

    // team_created, team_changed
    let res = call(
        srv,
        Method::POST,
        "/teams",
        Some(&beheer),
        Some(json!({ "name": "Oost" })),
    )
    .await;
    assert_eq!(res.status(), 201);
    let oost: String = res.json::<Json>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let res = call(
        srv,
        Method::PUT,
        &format!("/teams/{oost}/managers"),
        Some(&beheer),
        Some(json!({ "managers": [id("chef-noord")] })),
    )
    .await;
    assert_eq!(res.status(), 204);

    // enrollment_code_created, device_enrolled, enrollment_failed
    let chef = login_totp(&s, "chef-noord").await;
    let new_code = |person: Option<String>| {
        let chef = chef.clone();
        let noord = s.org.noord.clone();
        async move {
            let body = json!({ "person_id": person });
            let res = call(
                srv,
                Method::POST,
                &format!("/teams/{noord}/enrollment-codes"),
                Some(&chef),
                Some(body),
            )
            .await;
            assert_eq!(res.status(), 201);
            let code: Json = res.json().await.unwrap();
            assert!(code["link"]
                .as_str()
                .unwrap()
                .ends_with(code["code"].as_str().unwrap()));
            assert!(code["qr_svg"].as_str().unwrap().contains("<svg"));
            code["code"].as_str().unwrap().to_owned()
        }
    };
    let shared_code = new_code(None).await;
    let res = enroll_with(srv, &shared_code).await;
    assert_eq!(res.status(), 201);
    let shared = cookie_of(&res).unwrap();
    let own_code = new_code(Some(id("ans"))).await;
    let res = enroll_with(srv, &own_code).await;
    assert_eq!(res.status(), 201);
    let ans_device = cookie_of(&res).unwrap();
    assert_eq!(
        refusal(enroll_with(srv, "WRNG-CODE").await).await.1,
        "enrollment_code_invalid"
    );

    // reports_listed, report_read by P&O; no report_read when the author reads her own.
    assert_eq!(send(srv, &shared, 1).await.status(), 201);
    assert_eq!(send(srv, &ans_device, 2).await.status(), 201);
    let po = login_totp(&s, "po").await;
    assert_eq!(get(srv, "/reports", &po).await.status(), 200);
    let res = get(srv, &format!("/reports/{}", common::id(1)), &po).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.text().await.unwrap(), report_body(1));
    // A report from her own device, read by P&O, is recorded too.
    assert_eq!(
        get(srv, &format!("/reports/{}", common::id(2)), &po)
            .await
            .status(),
        200
    );
    let ans = login_plain(srv, "ans").await;
    let reads_before = entries_of(&trail(srv), "report_read").len();
    let res = get(srv, &format!("/reports/{}", common::id(2)), &ans).await;
    assert_eq!(res.status(), 200, "her own report");
    assert_eq!(res.text().await.unwrap(), report_body(2));
    assert_eq!(
        entries_of(&trail(srv), "report_read").len(),
        reads_before,
        "reading her own is not recorded"
    );
    let res = get(srv, &format!("/reports/{}", common::id(1)), &ans).await;
    assert_eq!(res.status(), 403, "not someone else's");
    let mine: Vec<Json> = get(srv, "/reports", &ans).await.json().await.unwrap();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0]["id"], common::id(2).as_str());

    // device_revoked
    let shared_id = device_id(srv, &shared).await;
    let res = call(
        srv,
        Method::POST,
        &format!("/devices/{shared_id}/revoke"),
        Some(&chef),
        None,
    )
    .await;
    assert_eq!(res.status(), 204);

    // second_factor_set_up, recovery_code_used
    let nieuw = login_plain(srv, "nieuw").await;
    let setup: Json = call(
        srv,
        Method::POST,
        "/session/second-factor",
        Some(&nieuw),
        None,
    )
    .await
    .json()
    .await
    .unwrap();
    let secret = setup["secret"].as_str().unwrap().to_owned();
    let code = totp::code_at(&secret, srv.clock.now().timestamp() as u64).unwrap();
    let res = call(
        srv,
        Method::POST,
        "/session/second-factor/confirm",
        Some(&nieuw),
        Some(json!({ "code": code })),
    )
    .await;
    assert_eq!(res.status(), 200);
    let recovery: Json = res.json().await.unwrap();
    let recovery = recovery["recovery_codes"][0].as_str().unwrap().to_owned();
    assert_eq!(
        try_login(srv, "nieuw", PASSWORD, Some(&recovery))
            .await
            .status(),
        201
    );

    // password_changed, logout
    let res = call(
        srv,
        Method::PUT,
        "/session/password",
        Some(&ans),
        Some(json!({ "current": PASSWORD, "new": ANOTHER_PASSWORD })),
    )
    .await;
    assert_eq!(res.status(), 204);
    let res = call(srv, Method::DELETE, "/session", Some(&po), None).await;
    assert_eq!(res.status(), 204);

    let entries = trail(srv);
    let one = |action: &str, actor: &str, target: Option<&str>| {
        let found: Vec<_> = entries
            .iter()
            .filter(|e| {
                e.action == action
                    && e.actor == actor
                    && (target.is_none() || e.target.as_deref() == target)
            })
            .collect();
        assert!(
            !found.is_empty(),
            "{action} by {actor} about {target:?} in {entries:#?}"
        );
        for e in &found {
            assert_eq!(e.address.as_deref(), Some("127.0.0.1"), "{e:?}");
        }
    };
    one("login", &person("beheer"), None);
    one("login_failed", &person("bert"), None);
    one(
        "person_created",
        &person("beheer"),
        Some(&format!("person:{karin}")),
    );
    one(
        "person_changed",
        &person("beheer"),
        Some(&format!("person:{karin}")),
    );
    one(
        "person_disabled",
        &person("beheer"),
        Some(&format!("person:{karin}")),
    );
    one("sessions_ended", &person("beheer"), Some(&person("bert")));
    one(
        "team_created",
        &person("beheer"),
        Some(&format!("team:{oost}")),
    );
    one(
        "team_changed",
        &person("beheer"),
        Some(&format!("team:{oost}")),
    );
    one(
        "enrollment_code_created",
        &person("chef-noord"),
        Some(&format!("team:{}", s.org.noord)),
    );
    one("device_enrolled", &format!("device:{shared_id}"), None);
    one("enrollment_failed", "nobody", None);
    one("reports_listed", &person("po"), None);
    one(
        "report_read",
        &person("po"),
        Some(&format!("report:{}", common::id(1))),
    );
    one(
        "report_read",
        &person("po"),
        Some(&format!("report:{}", common::id(2))),
    );
    one(
        "device_revoked",
        &person("chef-noord"),
        Some(&format!("device:{shared_id}")),
    );
    one("second_factor_set_up", &person("nieuw"), None);
    one("recovery_code_used", &person("nieuw"), None);
    one("password_changed", &person("ans"), Some(&person("ans")));
    one("logout", &person("po"), None);
    assert!(
        !entries
            .iter()
            .any(|e| e.action == "report_read" && e.actor == person("ans")),
        "the author's own read is not recorded"
    );

    // Nothing secret or personal: no password, no code, no report content, no name.
    let all = serde_json::to_string(&entries).unwrap();
    for secret in [
        PASSWORD,
        ANOTHER_PASSWORD,
        "helemaal niet het wachtwoord",
        VICTIM,
        CONTENT,
        "Dorpsstraat",
        "Karin",
        "Test ",
        &recovery,
        &shared_code,
        &own_code,
        &secret,
    ] {
        assert!(!all.contains(secret), "{secret:?} in the audit trail");
    }
}

#[tokio::test]
async fn the_audit_trail_is_read_by_po_and_the_beheerder_and_changed_by_nobody() {
    let s = setup().await;
    let srv = &s.server;
    let po = login_totp(&s, "po").await;
    let beheer = login_totp(&s, "beheer").await;
    let chef = login_totp(&s, "chef-noord").await;
    let ans = login_plain(srv, "ans").await;

    for (who, cookie) in [("po", &po), ("beheer", &beheer)] {
        let res = get(srv, "/audit", cookie).await;
        assert_eq!(res.status(), 200, "{who}");
        let entries: Vec<Entry> = res.json().await.unwrap();
        assert!(
            entries
                .iter()
                .any(|e| e.action == "login" && e.actor == format!("person:{}", s.org.id("ans"))),
            "{who}"
        );
        assert!(
            entries.windows(2).all(|w| w[0].seq > w[1].seq),
            "newest first"
        );
    }
    for (who, cookie) in [("chef-noord", &chef), ("ans", &ans)] {
        assert_eq!(
            refusal(get(srv, "/audit", cookie).await).await,
            (403, "forbidden".into()),
            "{who}"
        );
    }
    assert_eq!(
        refusal(call(srv, Method::GET, "/audit", None, None).await).await,
        (401, "unauthorized".into())
    );

    let before = trail(srv);
    for method in [Method::PUT, Method::PATCH, Method::DELETE, Method::POST] {
        let res = call(
            srv,
            method.clone(),
            "/audit",
            Some(&beheer),
            Some(json!([])),
        )
        .await;
        assert_eq!(res.status(), 405, "{method}");
    }
    let res = call(
        srv,
        Method::DELETE,
        &format!("/audit/{}", before[0].seq),
        Some(&beheer),
        None,
    )
    .await;
    assert_eq!(res.status(), 404);

    let conn = srv.db();
    assert!(conn
        .execute("UPDATE audit SET actor = 'nobody'", [])
        .is_err());
    assert!(conn.execute("DELETE FROM audit", []).is_err());
    assert!(conn.execute("DELETE FROM audit WHERE seq = 1", []).is_err());
    let after = trail(srv);
    assert_eq!(
        serde_json::to_string(&before).unwrap(),
        serde_json::to_string(&after).unwrap()
    );
}

// ---------------------------------------------------------------------------------------
// 8. Caching

#[tokio::test]

async fn no_answer_with_personal_data_is_kept_in_a_cache() {
    let s = setup().await;
    let srv = &s.server;
    let device = common::enroll(srv, &s.org.noord, None).await;
    let put = send(srv, &device, 1).await;
    assert_eq!(put.status(), 201);
    let mut answers = vec![("PUT receipt".to_owned(), put)];
    let po = login_totp(&s, "po").await;
    let beheer = login_totp(&s, "beheer").await;
    for (path, cookie) in [
        ("/reports".to_owned(), &po),
        (format!("/reports/{}", common::id(1)), &po),
        ("/session".to_owned(), &po),
        ("/audit".to_owned(), &po),
        ("/people".to_owned(), &beheer),
        ("/devices".to_owned(), &beheer),
        ("/teams".to_owned(), &beheer),
    ] {
        let res = get(srv, &path, cookie).await;
        assert_eq!(res.status(), 200, "{path}");
        answers.push((path, res));
    }
    answers.push(("login".into(), try_login(srv, "ans", PASSWORD, None).await));
    for (what, res) in answers {
        let cache = res
            .headers()
            .get("cache-control")
            .map(|v| v.to_str().unwrap().to_owned());
        assert!(
            cache.as_deref().is_some_and(|c| c.contains("no-store")),
            "{what}: {cache:?}"
        );
    }
}

// ---------------------------------------------------------------------------------------
// 9. Cross-origin writes

#[tokio::test]
async fn writes_from_another_site_are_refused() {
    let s = setup().await;
    let srv = &s.server;
    let device = common::enroll(srv, &s.org.noord, None).await;
    let ans = login_plain(srv, "ans").await;
    let foreign: [(&str, &str); 3] = [
        ("sec-fetch-site", "cross-site"),
        ("sec-fetch-site", "same-site"),
        ("origin", "https://evil.example"),
    ];
    for (name, value) in foreign {
        let res = client()
            .post(format!("{}/api/v1/session", srv.base))
            .header(name, value)
            .json(&json!({ "login": "ans", "password": PASSWORD }))
            .send()
            .await
            .unwrap();
        assert!(cookie_of(&res).is_none());
        assert_eq!(
            refusal(res).await,
            (403, "cross_origin".into()),
            "login with {name}: {value}"
        );

        let res = client()
            .put(format!("{}/api/v1/reports/{}", srv.base, common::id(1)))
            .header("content-type", "application/json")
            .header("cookie", &device)
            .header(name, value)
            .body(report_body(1))
            .send()
            .await
            .unwrap();
        assert_eq!(
            refusal(res).await,
            (403, "cross_origin".into()),
            "report with {name}: {value}"
        );

        let res = client()
            .delete(format!("{}/api/v1/session", srv.base))
            .header("cookie", &ans)
            .header(name, value)
            .send()
            .await
            .unwrap();
        assert_eq!(
            refusal(res).await,
            (403, "cross_origin".into()),
            "logout with {name}: {value}"
        );

        // Another site cannot enroll a visitor's browser as a device of its choosing.
        let code = code_for(&s, &s.org.noord, None);
        let res = client()
            .post(format!("{}/api/v1/devices/enroll", srv.base))
            .header(name, value)
            .json(&json!({ "code": code }))
            .send()
            .await
            .unwrap();
        assert!(cookie_of(&res).is_none());
        assert_eq!(
            refusal(res).await,
            (403, "cross_origin".into()),
            "enroll with {name}: {value}"
        );
    }
    assert_eq!(count(srv, "SELECT COUNT(*) FROM reports"), 0);
    assert_eq!(count(srv, "SELECT COUNT(*) FROM devices"), 1);
    assert_eq!(
        get(srv, "/session", &ans).await.status(),
        200,
        "still logged in"
    );

    // The app itself (same origin) is let through.
    let res = client()
        .put(format!("{}/api/v1/reports/{}", srv.base, common::id(1)))
        .header("content-type", "application/json")
        .header("cookie", &device)
        .header("sec-fetch-site", "same-origin")
        .header("origin", &srv.base)
        .body(report_body(1))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let res = client()
        .post(format!("{}/api/v1/session", srv.base))
        .header("origin", &srv.base)
        .json(&json!({ "login": "bert", "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
}

#[tokio::test]
async fn a_login_name_or_team_name_that_exists_is_refused_and_nothing_changes() {
    let s = setup().await;
    let beheer = login_totp(&s, "beheer").await;
    let people_before = s
        .server
        .db()
        .query_row("SELECT COUNT(*) FROM people", [], |r| r.get::<_, i64>(0))
        .unwrap();
    // Login names are compared without case.
    let res = call(
        &s.server,
        Method::POST,
        "/people",
        Some(&beheer),
        Some(json!({ "login": "ANS", "name": "Another Ans", "roles": ["medewerker"] })),
    )
    .await;
    let body: Json = res.json().await.unwrap();
    assert_eq!(
        (body["code"].as_str(), body["field"].as_str()),
        (Some("already_exists"), Some("login"))
    );
    let res = call(
        &s.server,
        Method::POST,
        "/teams",
        Some(&beheer),
        Some(json!({ "name": "noord" })),
    )
    .await;
    assert_eq!(res.status(), 409);
    let body: Json = res.json().await.unwrap();
    assert_eq!(
        (body["code"].as_str(), body["field"].as_str()),
        (Some("already_exists"), Some("name"))
    );
    let conn = s.server.db();
    assert_eq!(
        conn.query_row("SELECT COUNT(*) FROM people", [], |r| r.get::<_, i64>(0))
            .unwrap(),
        people_before
    );
    assert_eq!(
        conn.query_row("SELECT COUNT(*) FROM teams", [], |r| r.get::<_, i64>(0))
            .unwrap(),
        2
    );
}
