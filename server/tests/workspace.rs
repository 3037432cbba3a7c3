//! The manager's and P&O's workspace over real HTTP: the list of incoming reports and its
//! filters, what is new, the aftercare plan and its records, the calendar file, and who gets
//! none of it.

mod common;

use chrono::{Duration, Utc};
use common::{enroll, id, login, start, Org, Server};
use serde_json::{json, Value};
use veilig_core::report::{Report, Value as V};

/// A report of an incident one hour ago (local time), so that its tasks fall due from now.
fn recent(id: &str, description: &str) -> Report {
    let mut r = common::report(id, description);
    let now = Utc::now();
    let local = veilig_server::workspace::local(now);
    let t = |d: Duration| (local + d).format("%Y-%m-%dT%H:%M").to_string();
    r.set("datum_tijd", V::Text(t(-Duration::hours(1))));
    r.set("leidinggevende_tijd", V::Text(t(-Duration::minutes(50))));
    r.set("opvang_tijd", V::Text(t(-Duration::minutes(40))));
    r.created_at = now - Duration::minutes(30);
    r.saved_at = now - Duration::minutes(20);
    r.set(
        "akkoord",
        V::Text(
            (now - Duration::minutes(21))
                .format("%Y-%m-%dT%H:%M:%SZ")
                .to_string(),
        ),
    );
    r.status = veilig_core::report::Status::Final {
        finalized_at: now - Duration::minutes(20),
    };
    r
}

async fn send(server: &Server, device: &str, report: &Report) -> u16 {
    reqwest::Client::new()
        .put(format!("{}/api/v1/reports/{}", server.base, report.id))
        .header("cookie", device)
        .json(report)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

async fn get(server: &Server, cookie: &str, path: &str) -> (u16, Value) {
    let res = reqwest::Client::new()
        .get(format!("{}{path}", server.base))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

async fn put(server: &Server, cookie: &str, path: &str, body: Value) -> (u16, Value) {
    let res = reqwest::Client::new()
        .put(format!("{}{path}", server.base))
        .header("cookie", cookie)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

fn task<'a>(view: &'a Value, key: &str) -> &'a Value {
    view["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["task"]["key"] == key)
        .unwrap_or_else(|| panic!("{key} in {view}"))
}

struct World {
    server: Server,
    org: Org,
    noord_device: String,
    zuid_device: String,
    chef_noord: String,
    chef_zuid: String,
    po: String,
    beheer: String,
}

async fn world(dir: &tempfile::TempDir) -> World {
    let dist = dir.path().join("dist");
    std::fs::create_dir_all(&dist).unwrap();
    common::dist(&dist);
    let server = start(&dist, &dir.path().join("data"), 0).await;
    let org = common::seed(&server);
    let noord_device = enroll(&server, &org.noord, Some(&org.id("ans"))).await;
    let zuid_device = enroll(&server, &org.zuid, None).await;
    let chef_noord = login(&server, "chef-noord", Some(&org.secret("chef-noord"))).await;
    let chef_zuid = login(&server, "chef-zuid", Some(&org.secret("chef-zuid"))).await;
    let po = login(&server, "po", Some(&org.secret("po"))).await;
    let beheer = login(&server, "beheer", Some(&org.secret("beheer"))).await;
    World {
        server,
        org,
        noord_device,
        zuid_device,
        chef_noord,
        chef_zuid,
        po,
        beheer,
    }
}

#[tokio::test]
async fn a_new_report_is_new_to_its_manager_until_opened_and_never_seen_by_another_team() {
    let dir = tempfile::tempdir().unwrap();
    let w = world(&dir).await;
    let r = recent(&id(1), "Schreeuwde en sloeg op tafel");
    assert_eq!(send(&w.server, &w.noord_device, &r).await, 201);

    let (status, summary) = get(&w.server, &w.chef_noord, "/api/v1/inbox/summary").await;
    assert_eq!(status, 200);
    assert_eq!(summary["new_reports"], 1);
    // First care and the team meeting are to do now; nothing is late yet.
    assert_eq!(summary["due_tasks"], 2);
    assert_eq!(summary["late_tasks"], 0);
    let (_, page) = get(&w.server, &w.chef_noord, "/api/v1/inbox").await;
    assert_eq!(page["total"], 1);
    let item = &page["items"][0];
    assert_eq!(item["id"], r.id);
    assert_eq!(item["new"], true);
    assert_eq!(item["team_name"], "Noord");
    assert_eq!(item["my_tasks"][0]["key"], "eerste_opvang");
    assert_eq!(item["my_tasks"][0]["state"], "nu_doen");
    // The list holds no free text and no names.
    let text = page.to_string();
    assert!(!text.contains("Schreeuwde") && !text.contains("Ans de Vries"));

    // Opened: no longer new to this manager, still new to P&O.
    let (status, _) = get(
        &w.server,
        &w.chef_noord,
        &format!("/api/v1/reports/{}", r.id),
    )
    .await;
    assert_eq!(status, 200);
    let (_, page) = get(&w.server, &w.chef_noord, "/api/v1/inbox").await;
    assert_eq!(page["items"][0]["new"], false);
    let (_, summary) = get(&w.server, &w.chef_noord, "/api/v1/inbox/summary").await;
    assert_eq!(summary["new_reports"], 0);
    let (_, summary) = get(&w.server, &w.po, "/api/v1/inbox/summary").await;
    assert_eq!(summary["new_reports"], 1);

    // Another team's manager: an empty list, nothing waiting, 403 on its aftercare.
    let (_, page) = get(&w.server, &w.chef_zuid, "/api/v1/inbox").await;
    assert_eq!(page["total"], 0);
    let (_, summary) = get(&w.server, &w.chef_zuid, "/api/v1/inbox/summary").await;
    assert_eq!(
        summary,
        json!({ "new_reports": 0, "due_tasks": 0, "late_tasks": 0 })
    );
    let (_, tasks) = get(&w.server, &w.chef_zuid, "/api/v1/tasks").await;
    assert_eq!(tasks, json!([]));
    let (status, body) = get(
        &w.server,
        &w.chef_zuid,
        &format!("/api/v1/reports/{}/aftercare", r.id),
    )
    .await;
    assert_eq!(status, 403);
    assert!(!body.to_string().contains("eerste_opvang"));
    // The beheerder reads no report content: an empty list, 403 on the aftercare.
    let (_, page) = get(&w.server, &w.beheer, "/api/v1/inbox").await;
    assert_eq!(page["total"], 0);
    let (status, _) = get(
        &w.server,
        &w.beheer,
        &format!("/api/v1/reports/{}/aftercare", r.id),
    )
    .await;
    assert_eq!(status, 403);
    w.server.stop().await;
}

#[tokio::test]
async fn a_manager_records_first_care_and_the_second_conversation_falls_due_then_late() {
    let dir = tempfile::tempdir().unwrap();
    let w = world(&dir).await;
    let r = recent(&id(2), "Dreigde");
    assert_eq!(send(&w.server, &w.noord_device, &r).await, 201);
    let path = format!("/api/v1/reports/{}/aftercare", r.id);

    let (status, view) = get(&w.server, &w.chef_noord, &path).await;
    assert_eq!(status, 200);
    let first = task(&view, "eerste_opvang");
    assert_eq!(first["task"]["state"], "nu_doen");
    assert_eq!(first["task"]["owner"], "leidinggevende");
    assert_eq!(first["mine"], true);
    assert_eq!(first["checklist"].as_array().unwrap().len(), 7);
    assert!(first["checklist"][0][0]
        .as_str()
        .unwrap()
        .starts_with("Inventariseren emoties"));
    assert_eq!(task(&view, "tweede_gesprek")["task"]["state"], "gepland");
    // P&O's task is not the manager's to record.
    assert_eq!(task(&view, "personeelsdossier")["mine"], false);

    let today = veilig_server::workspace::local(Utc::now())
        .date()
        .to_string();
    let (status, view) = put(
        &w.server,
        &w.chef_noord,
        &format!("{path}/eerste_opvang"),
        json!({ "outcome": "done", "held_on": today, "held_by": "Chef Noord",
                "notes": "Rustig gesproken; partner gebeld", "checklist": [0, 3] }),
    )
    .await;
    assert_eq!(status, 200, "{view}");
    let first = task(&view, "eerste_opvang");
    assert_eq!(first["task"]["state"], "gedaan");
    assert_eq!(first["task"]["record"]["checklist"], json!([0, 3]));
    assert_eq!(first["recorded_by"], "Test chef-noord");
    // The second conversation's window: 1 to 3 days after the incident.
    let second = &task(&view, "tweede_gesprek")["task"];
    let incident = r.text("datum_tijd");
    let plus = |days: i64| {
        (veilig_core::report::validate::parse_local(incident).unwrap() + Duration::days(days))
            .format("%Y-%m-%dT%H:%M:%S")
            .to_string()
    };
    assert_eq!(second["from"], plus(1));
    assert_eq!(second["due"], plus(3));

    // Two days on it is to do; four days on it is late, in the list and the summary.
    w.server.clock.advance(Duration::days(2));
    let chef = login(&w.server, "chef-noord", Some(&w.org.secret("chef-noord"))).await;
    let (_, view) = get(&w.server, &chef, &path).await;
    assert_eq!(task(&view, "tweede_gesprek")["task"]["state"], "nu_doen");
    w.server.clock.advance(Duration::days(2));
    let chef = login(&w.server, "chef-noord", Some(&w.org.secret("chef-noord"))).await;
    let (_, view) = get(&w.server, &chef, &path).await;
    assert_eq!(task(&view, "tweede_gesprek")["task"]["state"], "te_laat");
    assert_eq!(task(&view, "eerste_opvang")["task"]["state"], "gedaan");
    let (_, summary) = get(&w.server, &chef, "/api/v1/inbox/summary").await;
    assert_eq!(summary["late_tasks"], 1);
    let (_, tasks) = get(&w.server, &chef, "/api/v1/tasks").await;
    assert_eq!(tasks[0]["task"]["key"], "tweede_gesprek");
    assert_eq!(tasks[0]["task"]["state"], "te_laat");
    let (_, late) = get(&w.server, &chef, "/api/v1/inbox?state=te_laat").await;
    assert_eq!(late["total"], 1);
    assert_eq!(late["items"][0]["worst"], "te_laat");

    // The employee does not want more aftercare: recorded, no longer late.
    let day = veilig_server::workspace::local(w.server.clock.now())
        .date()
        .to_string();
    for key in ["tweede_gesprek", "derde_gesprek"] {
        let (status, _) = put(
            &w.server,
            &chef,
            &format!("{path}/{key}"),
            json!({ "outcome": "declined", "reason": "geen_nazorg_gewenst", "noted_on": day }),
        )
        .await;
        assert_eq!(status, 200);
    }
    let (_, view) = get(&w.server, &chef, &path).await;
    assert_eq!(task(&view, "tweede_gesprek")["task"]["state"], "vervallen");
    let (_, summary) = get(&w.server, &chef, "/api/v1/inbox/summary").await;
    assert_eq!(summary["late_tasks"], 0);
    // Every record is in the audit trail, by whom, without its notes.
    let po = login(&w.server, "po", Some(&w.org.secret("po"))).await;
    let (_, audit) = get(&w.server, &po, "/api/v1/audit").await;
    let recorded: Vec<&Value> = audit
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "aftercare_recorded")
        .collect();
    assert_eq!(recorded.len(), 3);
    assert!(!audit.to_string().contains("partner gebeld"));
    w.server.stop().await;
}

#[tokio::test]
async fn an_extreme_incident_with_a_hospital_admission_gives_p_and_o_the_inspectorate_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let w = world(&dir).await;
    let mut r = recent(&id(3), "Gijzeling aan de balie");
    r.set("extreem", V::Many(vec!["gijzeling".into()]));
    r.set("letsel", V::Text("ziekenhuisopname".into()));
    assert_eq!(send(&w.server, &w.noord_device, &r).await, 201);

    let (_, tasks) = get(&w.server, &w.po, "/api/v1/tasks").await;
    let keys: Vec<&str> = tasks
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["task"]["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, vec!["arbeidsinspectie", "personeelsdossier"]);
    assert_eq!(tasks[0]["task"]["direct"], true);
    // The manager: first care, Slachtofferhulp, Arbodienst, the team meeting; not P&O's.
    let (_, tasks) = get(&w.server, &w.chef_noord, "/api/v1/tasks").await;
    let mut keys: Vec<&str> = tasks
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["task"]["key"].as_str().unwrap())
        .collect();
    keys.sort();
    assert_eq!(
        keys,
        vec![
            "arbodienst",
            "eerste_opvang",
            "slachtofferhulp",
            "werkoverleg"
        ]
    );
    let today = veilig_server::workspace::local(Utc::now())
        .date()
        .to_string();
    let done = json!({ "outcome": "done", "held_on": today, "held_by": "Chef" });
    let path = format!("/api/v1/reports/{}/aftercare/arbeidsinspectie", r.id);
    let (status, _) = put(&w.server, &w.chef_noord, &path, done.clone()).await;
    assert_eq!(status, 403, "the inspectorate is P&O's");
    let (status, view) = put(&w.server, &w.po, &path, done).await;
    assert_eq!(status, 200);
    assert_eq!(task(&view, "arbeidsinspectie")["task"]["state"], "gedaan");
    // Filters: extreme and injury.
    let (_, page) = get(&w.server, &w.po, "/api/v1/inbox?extreem=ja&letsel=ja").await;
    assert_eq!(page["total"], 1);
    let (_, page) = get(&w.server, &w.po, "/api/v1/inbox?extreem=nee").await;
    assert_eq!(page["total"], 0);
    w.server.stop().await;
}

#[tokio::test]
async fn filters_pages_and_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let w = world(&dir).await;
    for n in 0..55u64 {
        let mut r = recent(&id(100 + n), "Lijst");
        if n % 5 == 0 {
            r.set("situatie", V::Text("telefoon".into()));
            r.set(
                "soort",
                V::Many(vec!["verbaal".into(), "intimidatie".into()]),
            );
        }
        let device = if n % 11 == 0 {
            &w.zuid_device
        } else {
            &w.noord_device
        };
        assert_eq!(send(&w.server, device, &r).await, 201);
    }
    let (_, page) = get(&w.server, &w.po, "/api/v1/inbox").await;
    assert_eq!(page["total"], 55);
    assert_eq!(page["items"].as_array().unwrap().len(), 50);
    // Newest first.
    assert_eq!(page["items"][0]["id"], id(154));
    let (_, page2) = get(&w.server, &w.po, "/api/v1/inbox?page=2").await;
    assert_eq!(page2["items"].as_array().unwrap().len(), 5);
    let (_, phone) = get(&w.server, &w.po, "/api/v1/inbox?situatie=telefoon").await;
    assert_eq!(phone["total"], 11);
    let (_, threat) = get(&w.server, &w.po, "/api/v1/inbox?soort=intimidatie").await;
    assert_eq!(threat["total"], 11);
    let (_, zuid) = get(
        &w.server,
        &w.po,
        &format!("/api/v1/inbox?team={}", w.org.zuid),
    )
    .await;
    assert_eq!(zuid["total"], 5);
    let (_, chef) = get(&w.server, &w.chef_noord, "/api/v1/inbox").await;
    assert_eq!(chef["total"], 50, "Noord's reports only");
    // A manager asking for another team's reports gets none.
    let (_, other) = get(
        &w.server,
        &w.chef_noord,
        &format!("/api/v1/inbox?team={}", w.org.zuid),
    )
    .await;
    assert_eq!(other["total"], 0);
    let today = veilig_server::workspace::local(Utc::now()).date();
    let (_, dated) = get(
        &w.server,
        &w.po,
        &format!("/api/v1/inbox?from={today}&to={today}"),
    )
    .await;
    let yesterday_incidents = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| {
            !i["incident_at"]
                .as_str()
                .unwrap()
                .starts_with(&today.to_string())
        })
        .count();
    // (Only around midnight are some of them yesterday's.)
    assert!(dated["total"].as_u64().unwrap() >= 55 - yesterday_incidents as u64 - 5);
    let tomorrow = today.succ_opt().unwrap();
    let (_, none) = get(&w.server, &w.po, &format!("/api/v1/inbox?from={tomorrow}")).await;
    assert_eq!(none["total"], 0);

    for query in [
        "state=late",
        "soort=zolder",
        "colour=red",
        "page=0",
        "team=a&team=b",
    ] {
        let (status, body) = get(&w.server, &w.po, &format!("/api/v1/inbox?{query}")).await;
        assert_eq!(status, 400, "{query}");
        assert_eq!(body["code"], "invalid_request");
        assert_eq!(body["field"], "query");
    }

    // Records the plan cannot take.
    let path = format!("/api/v1/reports/{}/aftercare", id(101));
    let future = (today + Duration::days(1)).to_string();
    for (body, task, status) in [
        (
            json!({ "outcome": "done", "held_on": future, "held_by": "Chef" }),
            "tweede_gesprek",
            400,
        ),
        (
            json!({ "outcome": "done", "held_on": "2020-01-01", "held_by": "Chef" }),
            "tweede_gesprek",
            400,
        ),
        (
            json!({ "outcome": "done", "held_on": today, "held_by": "  " }),
            "tweede_gesprek",
            400,
        ),
        (
            json!({ "outcome": "done", "held_on": today, "held_by": "C", "checklist": [7] }),
            "tweede_gesprek",
            400,
        ),
        (
            json!({ "outcome": "done", "held_on": today, "held_by": "C", "colour": 1 }),
            "tweede_gesprek",
            400,
        ),
        (
            json!({ "outcome": "declined", "reason": "geen_toestemming", "noted_on": today }),
            "tweede_gesprek",
            400,
        ),
        (
            json!({ "outcome": "done", "held_on": today, "held_by": "C" }),
            "zwemmen",
            404,
        ),
        // Not extreme: there is no Slachtofferhulp task to record.
        (
            json!({ "outcome": "done", "held_on": today, "held_by": "C" }),
            "slachtofferhulp",
            404,
        ),
    ] {
        let (got, answer) = put(&w.server, &w.po, &format!("{path}/{task}"), body.clone()).await;
        assert_eq!(got, status, "{body} → {answer}");
    }
    let conn = w.server.db();
    let kept: i64 = conn
        .query_row("SELECT COUNT(*) FROM aftercare_records", [], |r| r.get(0))
        .unwrap();
    assert_eq!(kept, 0, "nothing refused was kept");
    w.server.stop().await;
}

#[tokio::test]
async fn the_calendar_file_is_one_event_in_the_tasks_window_without_personal_data() {
    let dir = tempfile::tempdir().unwrap();
    let w = world(&dir).await;
    let r = recent(&id(4), "Omschrijving met details");
    assert_eq!(send(&w.server, &w.noord_device, &r).await, 201);
    let res = reqwest::Client::new()
        .get(format!(
            "{}/api/v1/reports/{}/aftercare/tweede_gesprek/calendar.ics",
            w.server.base, r.id
        ))
        .header("cookie", &w.chef_noord)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/calendar"));
    let ics = res.text().await.unwrap();
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\n") && ics.ends_with("END:VCALENDAR\r\n"));
    assert_eq!(ics.matches("BEGIN:VEVENT").count(), 1);
    let start = (veilig_core::report::validate::parse_local(r.text("datum_tijd")).unwrap()
        + Duration::days(1))
    .format("%Y%m%d")
    .to_string();
    assert!(
        ics.contains(&format!("DTSTART;VALUE=DATE:{start}\r\n")),
        "{ics}"
    );
    for private in [
        "Ans de Vries",
        "Omschrijving",
        "Woonconsulent",
        "Dorpsstraat",
        "Noord",
    ] {
        assert!(!ics.contains(private), "{private} in the calendar file");
    }
    w.server.stop().await;
}

/// The e-mail: a real SMTP server (aiosmtpd, installed by `./x setup` in `.venv`) on loopback.
#[tokio::test]
async fn managers_and_p_and_o_get_an_email_that_says_only_that_something_waits() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let python = root.join(".venv/bin/python");
    assert!(
        python.exists(),
        "{} is missing: run ./x setup (it installs the SMTP sink aiosmtpd)",
        python.display()
    );
    let dir = tempfile::tempdir().unwrap();
    let mbox = dir.path().join("mail");
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let mut sink = std::process::Command::new(&python)
        .args([
            "-m",
            "aiosmtpd",
            "-n",
            "-l",
            &format!("127.0.0.1:{port}"),
            "-c",
            "aiosmtpd.handlers.Mailbox",
            mbox.to_str().unwrap(),
        ])
        .spawn()
        .unwrap();
    struct Kill(std::process::Child);
    impl Drop for Kill {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    // Wait for the sink to listen.
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            break;
        }
        if let Ok(Some(status)) = sink.try_wait() {
            panic!("the SMTP sink stopped: {status}");
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let _sink = Kill(sink);

    let dist = dir.path().join("dist");
    std::fs::create_dir_all(&dist).unwrap();
    common::dist(&dist);
    let mut config = common::config(&dist, &dir.path().join("data"), 0);
    config.smtp = Some(format!("127.0.0.1:{port}"));
    config.mail_from = "veilig@example.nl".into();
    let server = common::start_with(config).await;
    let org = common::seed(&server);
    let conn = server.db();
    for (login, email) in [
        ("chef-noord", "chef.noord@example.nl"),
        ("chef-zuid", "chef.zuid@example.nl"),
        ("po", "po@example.nl"),
    ] {
        conn.execute(
            "UPDATE people SET email = ?2 WHERE login = ?1",
            [login, email],
        )
        .unwrap();
    }
    let device = enroll(&server, &org.noord, None).await;
    let read = |mbox: &std::path::Path| -> Vec<String> {
        // A maildir: one file per message under new/.
        std::fs::read_dir(mbox.join("new"))
            .map(|d| {
                d.map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
                    .collect()
            })
            .unwrap_or_default()
    };
    let wait_for = |n: usize| {
        let mbox = mbox.clone();
        async move {
            for _ in 0..200 {
                let got = read(&mbox);
                if got.len() >= n {
                    return got;
                }
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            }
            read(&mbox)
        }
    };

    // An ordinary report: Noord's manager only.
    let r = recent(&id(5), "Schold de medewerker uit");
    assert_eq!(send(&server, &device, &r).await, 201);
    let mails = wait_for(1).await;
    assert_eq!(mails.len(), 1, "one message");
    let mail = &mails[0];
    assert!(mail.contains("To: chef.noord@example.nl"), "{mail}");
    assert!(mail.contains("/werkruimte/"));
    for private in [
        "Ans de Vries",
        "Schold",
        "Woonconsulent",
        "Dorpsstraat",
        "Noord",
    ] {
        assert!(!mail.contains(private), "{private} in the e-mail");
    }
    // The same report again is no new report: no mail.
    assert_eq!(send(&server, &device, &r).await, 200);
    // An extreme incident: the manager and P&O.
    let mut extreme = recent(&id(6), "Bommelding");
    extreme.set("extreem", V::Many(vec!["bommelding".into()]));
    assert_eq!(send(&server, &device, &extreme).await, 201);
    let mails = wait_for(3).await;
    assert_eq!(mails.len(), 3, "one more each for the manager and P&O");
    // And no more: a mail for the repeat, had it been sent, would be here by now (the mails
    // go in order of the requests, over one connection each).
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(read(&mbox).len(), 3, "nothing for the repeat");
    assert!(mails.iter().any(|m| m.contains("To: po@example.nl")));
    assert!(!mails.iter().any(|m| m.contains("chef.zuid")));
    server.stop().await;
}

#[tokio::test]
async fn reports_stored_before_the_workspace_are_in_its_list_after_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let w = world(&dir).await;
    let r = recent(&id(7), "Oud");
    assert_eq!(send(&w.server, &w.noord_device, &r).await, 201);
    // As a server before migration 4 left it: no list columns, no tasks.
    let conn = w.server.db();
    conn.execute_batch("DELETE FROM report_list; DELETE FROM tasks;")
        .unwrap();
    drop(conn);
    let base = w.server.base.clone();
    w.server.stop().await;
    let dist = dir.path().join("dist");
    let again = common::start_again(&dist, &dir.path().join("data"), &base).await;
    let po = login(&again, "po", Some(&w.org.secret("po"))).await;
    let (_, page) = get(&again, &po, "/api/v1/inbox?situatie=huisbezoek").await;
    assert_eq!(page["total"], 1);
    let (_, tasks) = get(&again, &po, "/api/v1/tasks").await;
    assert_eq!(tasks[0]["task"]["key"], "personeelsdossier");
    again.stop().await;
    let _ = (w.zuid_device, w.chef_zuid, w.beheer, w.chef_noord, w.po);
}

#[tokio::test]
async fn new_windows_from_the_beheerder_move_every_reports_tasks() {
    let dir = tempfile::tempdir().unwrap();
    let w = world(&dir).await;
    let r = recent(&id(8), "Vensters");
    assert_eq!(send(&w.server, &w.noord_device, &r).await, 201);
    let (_, org) = get(&w.server, &w.beheer, "/api/v1/organisation").await;
    let mut org = org;
    org["windows"]["second_to_days"] = json!(6);
    let (status, saved) = put(&w.server, &w.beheer, "/api/v1/organisation", org).await;
    assert_eq!(status, 200, "{saved}");
    // Four days on, the second conversation (now 1 to 6 days) is not late: not on the
    // report's page, not in the counts or the list (the stored copy was re-planned too).
    w.server.clock.advance(Duration::days(4));
    let chef = login(&w.server, "chef-noord", Some(&w.org.secret("chef-noord"))).await;
    let (_, view) = get(
        &w.server,
        &chef,
        &format!("/api/v1/reports/{}/aftercare", r.id),
    )
    .await;
    assert_eq!(task(&view, "tweede_gesprek")["task"]["state"], "nu_doen");
    let (_, late) = get(&w.server, &chef, "/api/v1/inbox?state=te_laat").await;
    // First care (24 hours) is late; the second conversation is not.
    let (_, tasks) = get(&w.server, &chef, "/api/v1/tasks").await;
    let second = tasks
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["task"]["key"] == "tweede_gesprek")
        .unwrap();
    assert_eq!(second["task"]["state"], "nu_doen");
    assert_eq!(late["total"], 1);
    w.server.stop().await;
}

#[tokio::test]
async fn a_correction_keeps_one_plan_for_the_incident_and_follows_its_newest_version() {
    let dir = tempfile::tempdir().unwrap();
    let w = world(&dir).await;
    let original = recent(&id(9), "Eerste versie");
    assert_eq!(send(&w.server, &w.noord_device, &original).await, 201);
    let today = veilig_server::workspace::local(Utc::now())
        .date()
        .to_string();
    let (status, _) = put(
        &w.server,
        &w.chef_noord,
        &format!("/api/v1/reports/{}/aftercare/eerste_opvang", original.id),
        json!({ "outcome": "done", "held_on": today, "held_by": "Chef" }),
    )
    .await;
    assert_eq!(status, 200);
    // The injury turns out worse: a correction says hospital admission.
    let mut correction = recent(&id(10), "Tweede versie");
    correction.corrects = Some(original.id.clone());
    correction.set("letsel", V::Text("ziekenhuisopname".into()));
    assert_eq!(send(&w.server, &w.noord_device, &correction).await, 201);

    // P&O: the inspectorate task, direct, once; the personnel file once (not per version).
    let (_, tasks) = get(&w.server, &w.po, "/api/v1/tasks").await;
    let keys: Vec<&str> = tasks
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["task"]["key"].as_str().unwrap())
        .collect();
    assert_eq!(
        keys,
        vec!["arbeidsinspectie", "personeelsdossier"],
        "{tasks}"
    );
    assert_eq!(tasks[0]["task"]["direct"], true);
    // The manager: first care stays done, read through either version.
    for id in [&original.id, &correction.id] {
        let (status, view) = get(
            &w.server,
            &w.chef_noord,
            &format!("/api/v1/reports/{id}/aftercare"),
        )
        .await;
        assert_eq!(status, 200);
        assert_eq!(
            task(&view, "eerste_opvang")["task"]["state"],
            "gedaan",
            "{id}"
        );
        assert!(view["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["task"]["key"] == "arbeidsinspectie"));
    }
    let (_, summary) = get(&w.server, &w.chef_noord, "/api/v1/inbox/summary").await;
    // Only the team meeting is the manager's now (first care done): one, not two of each.
    assert_eq!(summary["due_tasks"], 1, "{summary}");
    w.server.stop().await;
}

#[tokio::test]
async fn late_is_the_readers_own_and_notes_of_p_and_os_conversations_stay_with_p_and_o() {
    let dir = tempfile::tempdir().unwrap();
    let w = world(&dir).await;
    let mut r = recent(&id(11), "Liever niet met de leidinggevende");
    r.set("nazorg_door", V::Text("po_voorkeur".into()));
    assert_eq!(send(&w.server, &w.noord_device, &r).await, 201);
    let path = format!("/api/v1/reports/{}/aftercare", r.id);
    let today = veilig_server::workspace::local(Utc::now())
        .date()
        .to_string();
    // P&O holds first care (the employee's choice) with notes.
    let (status, _) = put(
        &w.server,
        &w.po,
        &format!("{path}/eerste_opvang"),
        json!({ "outcome": "done", "held_on": today, "held_by": "P&O", "notes": "Vertrouwelijk gesprek" }),
    )
    .await;
    assert_eq!(status, 200);
    let (_, as_po) = get(&w.server, &w.po, &path).await;
    assert_eq!(
        task(&as_po, "eerste_opvang")["task"]["record"]["notes"],
        "Vertrouwelijk gesprek"
    );
    let (_, as_chef) = get(&w.server, &w.chef_noord, &path).await;
    let first = task(&as_chef, "eerste_opvang");
    assert_eq!(first["task"]["state"], "gedaan");
    assert_eq!(first["task"]["record"]["notes"], "");
    assert!(!as_chef.to_string().contains("Vertrouwelijk"));
    // The manager's own task: the team meeting, declined (no consent).
    let (status, _) = put(
        &w.server,
        &w.chef_noord,
        &format!("{path}/werkoverleg"),
        json!({ "outcome": "declined", "reason": "geen_toestemming", "noted_on": today }),
    )
    .await;
    assert_eq!(status, 200);
    // Eight days on, P&O is late (conversation 2, the personnel file); the manager is not.
    w.server.clock.advance(Duration::days(8));
    let chef = login(&w.server, "chef-noord", Some(&w.org.secret("chef-noord"))).await;
    let po = login(&w.server, "po", Some(&w.org.secret("po"))).await;
    let (_, mine) = get(&w.server, &chef, "/api/v1/inbox?state=te_laat").await;
    assert_eq!(mine["total"], 0, "nothing of the manager's is late");
    let (_, summary) = get(&w.server, &chef, "/api/v1/inbox/summary").await;
    assert_eq!(summary["late_tasks"], 0);
    let (_, theirs) = get(&w.server, &po, "/api/v1/inbox?state=te_laat").await;
    assert_eq!(theirs["total"], 1);
    w.server.stop().await;
}
