//! Fills a data folder with generated reports, for the workspace's benchmark (`./x bench`):
//! `veilig-generate --data-dir DIR --count 100000 [--team NAME]`. Every report is a valid,
//! finalized report (core's sample, varied: setting, kinds, extreme, injury, incident dates
//! over three years, ten teams), stored the way the server stores one (`store::put`, with its
//! list columns and tasks). Never point it at a real organisation's data folder.

use std::path::PathBuf;

use chrono::{Duration, TimeZone, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use veilig_core::report::fixtures::{complete_final, id};
use veilig_core::report::Value;
use veilig_server::accounts::{self, Created};
use veilig_server::store::{self, Source};

fn main() {
    let mut args = std::env::args().skip(1);
    let mut data_dir = None;
    let mut count: u64 = 100_000;
    let mut team = "Wijkteam Noord".to_owned();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--data-dir" => data_dir = args.next().map(PathBuf::from),
            "--count" => count = args.next().and_then(|c| c.parse().ok()).unwrap_or(count),
            "--team" => team = args.next().unwrap_or(team),
            _ => {
                eprintln!("usage: veilig-generate --data-dir DIR [--count N] [--team NAME]");
                std::process::exit(2);
            }
        }
    }
    let Some(data_dir) = data_dir else {
        eprintln!("usage: veilig-generate --data-dir DIR [--count N] [--team NAME]");
        std::process::exit(2);
    };
    let mut conn = veilig_server::db::open(&data_dir).expect("data folder opens");
    // Generated data needs no power-cut safety; a server opening the folder sets FULL again.
    conn.pragma_update(None, "synchronous", "OFF").unwrap();
    let now = Utc::now();
    let mut teams = Vec::new();
    for name in std::iter::once(team.clone()).chain((2..=10).map(|n| format!("Team {n}"))) {
        let id = match accounts::create_team(&conn, &name, now).unwrap() {
            Created::Created(id) => id,
            Created::AlreadyExists => accounts::team_id_by_name(&conn, &name).unwrap().unwrap(),
        };
        let device = format!("generated-device-{id}");
        conn.execute(
            "INSERT OR IGNORE INTO devices (id, credential_hash, team_id, enrolled_at)
             VALUES (?1, ?1, ?2, ?3)",
            rusqlite::params![device, id, veilig_server::auth::stamp(now)],
        )
        .unwrap();
        teams.push((id, device));
    }
    // Who recorded the aftercare of older reports (an account that cannot log in).
    let recorder = match accounts::create_person(
        &mut conn,
        "generator",
        "Gegenereerd",
        &[veilig_core::report::access::Role::Employee],
        None,
        now,
    )
    .unwrap()
    {
        Created::Created(id) => id,
        Created::AlreadyExists => accounts::person_id_by_login(&conn, "generator")
            .unwrap()
            .unwrap(),
    };
    let windows = veilig_core::aftercare::Windows::default();
    let mut rng = StdRng::seed_from_u64(15);
    let situations = ["kantoor", "huisbezoek", "telefoon", "online", "openbaar"];
    let kinds = ["verbaal", "intimidatie", "discriminatie", "vernieling"];
    let injuries = [
        "geen",
        "geen",
        "geen",
        "ehbo",
        "huisarts",
        "ziekenhuisopname",
    ];
    let start = Utc.with_ymd_and_hms(2024, 1, 1, 8, 0, 0).unwrap();
    let span_minutes = (now - start).num_minutes().max(1);
    let t0 = std::time::Instant::now();
    for n in 0..count {
        let report_id = id(0x00f0_0000_0000 + n);
        let mut r = complete_final(&report_id, "Gegenereerde registratie voor de benchmark");
        // Spread over time in order of arrival (newest last), as reports arrive.
        let at = start + Duration::minutes(span_minutes * n as i64 / count.max(1) as i64);
        let local = at.format("%Y-%m-%dT%H:%M").to_string();
        r.set("datum_tijd", Value::Text(local.clone()));
        r.set("leidinggevende_tijd", Value::Text(local.clone()));
        r.set("opvang_tijd", Value::Text(local));
        r.created_at = at;
        r.saved_at = at;
        r.set(
            "akkoord",
            Value::Text(at.format("%Y-%m-%dT%H:%M:%SZ").to_string()),
        );
        r.status = veilig_core::report::Status::Final { finalized_at: at };
        r.set(
            "situatie",
            Value::Text(situations[rng.random_range(0..situations.len())].into()),
        );
        r.set(
            "soort",
            Value::Many(vec![kinds[rng.random_range(0..kinds.len())].into()]),
        );
        r.set(
            "letsel",
            Value::Text(injuries[rng.random_range(0..injuries.len())].into()),
        );
        if rng.random_range(0..50) == 0 {
            r.set("extreem", Value::Many(vec!["bommelding".into()]));
        }
        let body = serde_json::to_vec(&r).unwrap();
        let (team, device) = &teams[rng.random_range(0..teams.len())];
        let source = Source {
            device,
            team,
            author: None,
        };
        store::put(
            &mut conn,
            &report_id,
            &body,
            &veilig_server::auth::stamp(at),
            &source,
            None,
            Some(&r),
        )
        .unwrap();
        // As in an organisation that does its aftercare: every task of a report older than
        // 100 days was recorded (done); newer ones are still open, some of them late.
        if now - at > Duration::days(100) {
            let tasks =
                veilig_core::aftercare::plan(&r, &windows, &[], at.naive_utc()).unwrap_or_default();
            let tx = conn.transaction().unwrap();
            for task in tasks {
                let record = veilig_core::aftercare::Record::Done {
                    held_on: task.due.date(),
                    held_by: "Gegenereerd".into(),
                    notes: String::new(),
                    checklist: Vec::new(),
                };
                tx.execute(
                    "INSERT INTO aftercare_records (report_id, task, record, recorded_by, recorded_at)
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                    rusqlite::params![
                        report_id,
                        task.key.as_str(),
                        serde_json::to_string(&record).unwrap(),
                        recorder,
                        veilig_server::auth::stamp(at)
                    ],
                )
                .unwrap();
            }
            veilig_server::workspace::replan(&tx, &report_id, &r, &windows).unwrap();
            tx.commit().unwrap();
        }
        if (n + 1) % 20_000 == 0 {
            eprintln!("{} reports ({:.0} s)", n + 1, t0.elapsed().as_secs_f64());
        }
    }
    conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE); ANALYZE;")
        .unwrap();
    println!("{count} reports in {}", data_dir.display());
}
