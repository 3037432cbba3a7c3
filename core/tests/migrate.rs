//! Reports stored or sent by version 1 of the app, read by this version. The fixtures are
//! envelopes exactly as version 1 wrote them to IndexedDB; never edit them.

use chrono::{NaiveDate, TimeZone, Utc};
use veilig_core::envelope;
use veilig_core::report::migrate::{to_current, REPORT_MIGRATIONS};
use veilig_core::report::validate::{validate, validate_received, Problem};
use veilig_core::report::{Report, Status, REPORT_SCHEMA_VERSION};

const V1_FINAL: &str = include_str!("fixtures/report-v1-final.json");
const V1_DRAFT: &str = include_str!("fixtures/report-v1-draft.json");

fn read(raw: &str) -> Report {
    envelope::decode(raw, REPORT_MIGRATIONS).unwrap()
}

#[test]
fn the_migrations_reach_the_current_version() {
    assert_eq!(REPORT_MIGRATIONS.len() as u32 + 1, REPORT_SCHEMA_VERSION);
}

#[test]
fn a_version_1_final_report_keeps_every_answer_and_gets_who_confirmed_when() {
    let r = read(V1_FINAL);
    assert_eq!(r.schema_version, REPORT_SCHEMA_VERSION);
    let finalized_at = Utc.with_ymd_and_hms(2026, 1, 5, 11, 30, 0).unwrap();
    assert_eq!(r.status, Status::Final { finalized_at });
    assert_eq!(r.revision, 7);
    assert_eq!(
        r.text("adres_werkgever"),
        "werkgever",
        "the tick is the choice"
    );
    assert_eq!(
        r.text("akkoord"),
        "2026-01-05T11:30:00Z",
        "confirmed at the latest when finalized"
    );
    assert_eq!(r.text("akkoord_naam"), "Ans de Vries");
    // Nothing invented, nothing lost.
    assert!(!r.values.contains_key("extreem"));
    for (key, value) in [
        ("politie", "gebeld"),
        ("melding_aangifte", "aangifte"),
        ("aangifte_door", "medewerker"),
        ("registratienummer", "PL0900-2026"),
        ("verzuim", "nee"),
        ("wapen", "nee"),
        ("omschrijving", "Huurder dreigde aan de balie."),
    ] {
        assert_eq!(r.text(key), value, "{key}");
    }
}

#[test]
fn a_version_1_final_report_passes_as_received_but_not_as_a_new_one() {
    let r = read(V1_FINAL);
    let latest = NaiveDate::from_ymd_opt(2026, 11, 30)
        .unwrap()
        .and_hms_opt(12, 0, 0)
        .unwrap();
    assert_eq!(validate_received(&r, latest, 1), vec![]);
    // Finalized today, it would have to say whether it was extreme.
    let now: Vec<_> = validate(&r, latest)
        .into_iter()
        .map(|e| (e.field, e.problem))
        .collect();
    assert_eq!(now, vec![("extreem", Problem::Missing)]);
}

#[test]
fn a_version_1_draft_must_be_confirmed_again_and_keeps_the_rest() {
    let r = read(V1_DRAFT);
    assert_eq!(r.status, Status::Draft);
    assert!(
        !r.values.contains_key("akkoord"),
        "who and when is asked again"
    );
    assert!(!r.values.contains_key("akkoord_naam"));
    assert!(!r.values.contains_key("extreem"), "the user now chooses");
    assert_eq!(r.text("adres_werkgever"), "werkgever");
    assert_eq!(r.text("politie"), "niet");
    assert_eq!(r.text("omschrijving"), "Huurder schreeuwde");
    assert_eq!(r.many("soort"), ["verbaal", "bedreiging"]);
    assert_eq!(r.persons("slachtoffers")[0].name, "Ans");
}

#[test]
fn a_value_version_1_could_not_have_written_is_kept_as_it_was() {
    let odd = V1_DRAFT
        .replace(r#""adres_werkgever":"ja""#, r#""adres_werkgever":"nee""#)
        .replace(r#""akkoord":"ja""#, r#""akkoord":"misschien""#);
    let r = read(&odd);
    assert_eq!(r.text("adres_werkgever"), "nee");
    assert_eq!(r.text("akkoord"), "misschien");
}

#[test]
fn the_server_path_migrates_a_sent_body_and_refuses_unknown_versions() {
    let sent: serde_json::Value = serde_json::from_str(V1_FINAL).unwrap();
    let body = sent["data"].clone();
    let migrated = to_current(body, 1).unwrap();
    let r: Report = serde_json::from_value(migrated).unwrap();
    assert_eq!(r, read(V1_FINAL));
    let current = serde_json::to_value(&r).unwrap();
    assert_eq!(
        to_current(current.clone(), REPORT_SCHEMA_VERSION).unwrap(),
        current,
        "the current version passes unchanged"
    );
    assert!(to_current(current.clone(), 0).is_err());
    assert!(to_current(current, REPORT_SCHEMA_VERSION + 1).is_err());
    assert!(to_current(serde_json::json!([1]), 1).is_err());
}
