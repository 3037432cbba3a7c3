//! Test support: a real server on loopback with a real SQLite file, an organisation in it
//! (people with passwords and authenticator secrets, teams, an enrolled device), logged in
//! over real HTTP, and complete reports.
#![allow(dead_code)]

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use tokio::sync::oneshot;
use veilig_core::report::access::Role;
use veilig_core::report::Report;
use veilig_core::sync::Receipt;
use veilig_server::auth::{password, totp, Clock};
use veilig_server::{accounts, prepare, serve, Config};

/// Every seeded person's password (long enough, not common).
pub const PASSWORD: &str = "wolk fiets lantaarn koffie";

pub struct Server {
    pub base: String,
    pub port: u16,
    pub data: PathBuf,
    pub clock: Clock,
    /// The one-time setup address, while no beheerder exists.
    pub setup_url: Option<String>,
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

    /// A second connection to the server's SQLite file, as the server's own subcommands use.
    pub fn db(&self) -> rusqlite::Connection {
        veilig_server::db::open(&self.data).unwrap()
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
pub fn config(dist: &Path, data: &Path, port: u16) -> Config {
    Config {
        bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
        port,
        data_dir: data.to_path_buf(),
        dist_dir: dist.to_path_buf(),
        public_url: None,
        verbose: false,
        test_clock_offset_days: 0,
        smtp: None,
        mail_from: "veilig@localhost".into(),
        limits: Default::default(),
        max_page_count: None,
    }
}

/// The cookies `start` made for a server: an enrolled device of team Noord, and a P&O
/// session (who reads every report).
#[derive(Clone)]
struct Credentials {
    device: String,
    reader: String,
}

fn credentials() -> &'static Mutex<HashMap<String, Credentials>> {
    static CREDENTIALS: OnceLock<Mutex<HashMap<String, Credentials>>> = OnceLock::new();
    CREDENTIALS.get_or_init(Default::default)
}

fn credentials_of(base: &str) -> Credentials {
    credentials()
        .lock()
        .unwrap()
        .get(base)
        .cloned()
        .expect("a server started with common::start")
}

/// The `Cookie` header of the device `start` enrolled for this server.
pub fn device_cookie(base: &str) -> String {
    credentials_of(base).device
}

/// Starts a server with an organisation in it (`seed`), an enrolled device and a P&O
/// session, and returns once it listens.
pub async fn start(dist: &Path, data: &Path, port: u16) -> Server {
    let server = start_with(config(dist, data, port)).await;
    let org = seed(&server);
    let device = enroll(&server, &org.noord, None).await;
    let reader = login(&server, "po", Some(&org.secret("po"))).await;
    credentials()
        .lock()
        .unwrap()
        .insert(server.base.clone(), Credentials { device, reader });
    server
}

/// Starts a server again on a data folder `start` seeded: the same device and session go on
/// (they live in the database, not in the process).
pub async fn start_again(dist: &Path, data: &Path, before: &str) -> Server {
    start_again_with(config(dist, data, 0), before).await
}

/// `start_again` with other settings.
pub async fn start_again_with(config: Config, before: &str) -> Server {
    let server = start_with(config).await;
    let same = credentials_of(before);
    credentials()
        .lock()
        .unwrap()
        .insert(server.base.clone(), same);
    server
}

/// Starts a server as it is (nothing seeded).
pub async fn start_with(config: Config) -> Server {
    let prepared = prepare(&config).await.expect("server starts");
    let port = prepared.addr.port();
    let base = format!("http://{}", prepared.addr);
    let clock = prepared.clock.clone();
    let setup_url = prepared.setup_url.clone();
    let (tx, rx) = oneshot::channel::<()>();
    let task = tokio::spawn(serve(prepared, async {
        let _ = rx.await;
    }));
    Server {
        base,
        port,
        data: config.data_dir,
        clock,
        setup_url,
        stop: Some(tx),
        task: Some(task),
    }
}

/// The organisation every test server holds: two teams, a person per role, and their
/// authenticator secrets.
pub struct Org {
    pub noord: String,
    pub zuid: String,
    /// login → person id
    pub ids: HashMap<&'static str, String>,
    secrets: HashMap<&'static str, String>,
}

impl Org {
    pub fn id(&self, login: &str) -> String {
        self.ids[login].clone()
    }

    pub fn secret(&self, login: &str) -> String {
        self.secrets[login].clone()
    }
}

/// The people: login, roles, manages (team names), whether they have an authenticator.
pub const PEOPLE: &[(&str, &[Role], &[&str], bool)] = &[
    ("beheer", &[Role::Administrator], &[], true),
    ("po", &[Role::HumanResources], &[], true),
    ("chef-noord", &[Role::Manager], &["Noord"], true),
    ("chef-zuid", &[Role::Manager], &["Zuid"], true),
    ("ans", &[Role::Employee], &[], false),
    ("bert", &[Role::Employee], &[], false),
    // A manager who has not set up the second factor yet.
    ("nieuw", &[Role::Manager], &["Noord"], false),
];

/// Writes the organisation into the server's database, as the shell commands would.
pub fn seed(server: &Server) -> Org {
    let mut conn = server.db();
    let now = chrono::Utc::now();
    let hash = password::hash(PASSWORD);
    let team =
        |conn: &rusqlite::Connection, name: &str| match accounts::create_team(conn, name, now)
            .unwrap()
        {
            accounts::Created::Created(id) => id,
            accounts::Created::AlreadyExists => {
                accounts::team_id_by_name(conn, name).unwrap().unwrap()
            }
        };
    let noord = team(&conn, "Noord");
    let zuid = team(&conn, "Zuid");
    let mut ids = HashMap::new();
    let mut secrets = HashMap::new();
    for (login, roles, manages, has_totp) in PEOPLE {
        let id = match accounts::create_person(
            &mut conn,
            login,
            &format!("Test {login}"),
            roles,
            Some(&hash),
            now,
        )
        .unwrap()
        {
            accounts::Created::Created(id) => id,
            accounts::Created::AlreadyExists => {
                accounts::person_id_by_login(&conn, login).unwrap().unwrap()
            }
        };
        for team_name in *manages {
            let team_id = accounts::team_id_by_name(&conn, team_name)
                .unwrap()
                .unwrap();
            conn.execute(
                "INSERT OR IGNORE INTO team_managers (team_id, person_id) VALUES (?1, ?2)",
                [&team_id, &id],
            )
            .unwrap();
        }
        if *has_totp {
            let secret: String = conn
                .query_row("SELECT totp_secret FROM people WHERE id = ?1", [&id], |r| {
                    r.get(0)
                })
                .ok()
                .flatten()
                .unwrap_or_else(|| {
                    let s = totp::new_secret();
                    conn.execute(
                        "UPDATE people SET totp_secret = ?2 WHERE id = ?1",
                        [&id, &s],
                    )
                    .unwrap();
                    s
                });
            secrets.insert(*login, secret);
        }
        ids.insert(*login, id);
    }
    Org {
        noord,
        zuid,
        ids,
        secrets,
    }
}

/// The value of the cookie set by `response`, as a `Cookie` header (`name=value`).
pub fn cookie_of(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or_default().to_owned())
        .find(|pair| !pair.ends_with('='))
}

/// An authenticator code that has not been used yet: each call takes the next time step the
/// server still accepts (one step of drift), so a person can log in twice in a test.
pub fn fresh_code(server: &Server, secret: &str, login: &str) -> String {
    let conn = server.db();
    let last: Option<i64> = conn
        .query_row(
            "SELECT totp_last_step FROM people WHERE login = ?1",
            [login],
            |r| r.get(0),
        )
        .unwrap();
    let now_step = server.clock.now().timestamp() / 30;
    let step = match last {
        Some(last) if last >= now_step - 1 => last + 1,
        _ => now_step - 1,
    };
    assert!(
        step <= now_step + 1,
        "no unused code left in this 30-second window"
    );
    totp::code_at(secret, (step * 30) as u64).unwrap()
}

/// Logs `login` in over HTTP (with an authenticator code when a secret is given); the
/// session's `Cookie` header.
pub async fn login(server: &Server, login: &str, secret: Option<&str>) -> String {
    let code = secret.map(|s| fresh_code(server, s, login));
    let res = reqwest::Client::new()
        .post(format!("{}/api/v1/session", server.base))
        .json(&serde_json::json!({ "login": login, "password": PASSWORD, "code": code }))
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status(),
        201,
        "{login} logs in: {}",
        res.text().await.unwrap_or_default()
    );
    cookie_of(&res).expect("a session cookie")
}

/// Enrolls a device for `team` (optionally bound to a person) over HTTP; its `Cookie` header.
pub async fn enroll(server: &Server, team: &str, person: Option<&str>) -> String {
    let (code, _) =
        accounts::create_enrollment_code(&server.db(), team, person, "test", server.clock.now())
            .unwrap();
    let res = reqwest::Client::new()
        .post(format!("{}/api/v1/devices/enroll", server.base))
        .json(&serde_json::json!({ "code": code }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    cookie_of(&res).expect("a device cookie")
}

/// P&O's read of `/api/v1/reports{path}`.
pub async fn admin_get(base: &str, path: &str) -> reqwest::Response {
    reqwest::Client::new()
        .get(format!("{base}/api/v1/reports{path}"))
        .header("cookie", credentials_of(base).reader)
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
