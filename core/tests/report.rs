//! Every validation rule and derived value of the registration form.

use chrono::{NaiveDate, NaiveDateTime, TimeZone, Utc};
use veilig_core::protocol::dutch;
use veilig_core::protocol::run::FlowRun;
use veilig_core::protocol::FlowId;
use veilig_core::report::derive::{
    aftercare_plan, is_extreme, must_report_to_inspectorate, AftercareWindows,
};
use veilig_core::report::merge::merge;
use veilig_core::report::prefill::from_flow;
use veilig_core::report::schema::FIELDS;
use veilig_core::report::validate::{
    applies, server_latest, unknown_fields, validate, FieldError, Problem, MAX_TEXT,
};
use veilig_core::report::{Person, Report, Value};

fn now() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 11, 30)
        .unwrap()
        .and_hms_opt(15, 0, 0)
        .unwrap()
}

fn text(v: &str) -> Value {
    Value::Text(v.into())
}

/// A report that passes (core's sample), still a draft: validation does not look at status.
fn complete() -> Report {
    let mut r = veilig_core::report::fixtures::complete_final(
        "0193a0b0-0000-7000-8000-000000000001",
        "Huurder begon te schreeuwen.",
    );
    r.status = veilig_core::report::Status::Draft;
    r
}

fn problems(r: &Report) -> Vec<(&'static str, Problem)> {
    validate(r, now())
        .into_iter()
        .map(|FieldError { field, problem }| (field, problem))
        .collect()
}

#[test]
fn a_complete_report_passes() {
    assert_eq!(problems(&complete()), vec![]);
}

#[test]
fn an_empty_draft_lists_every_required_field_that_applies() {
    let r = Report::new("x", Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap());
    let missing: Vec<&str> = problems(&r)
        .into_iter()
        .map(|(f, p)| {
            assert_eq!(p, Problem::Missing);
            f
        })
        .collect();
    let expected: Vec<&str> = FIELDS
        .iter()
        .filter(|f| f.req == veilig_core::report::schema::Req::Required && f.when.is_none())
        .map(|f| f.key)
        .collect();
    assert_eq!(missing, expected);
}

#[test]
fn the_incident_cannot_be_in_the_future() {
    let mut r = complete();
    r.set("datum_tijd", text("2026-11-30T15:01"));
    assert_eq!(problems(&r), vec![("datum_tijd", Problem::InTheFuture)]);
    r.set("datum_tijd", text("2026-11-30T15:00"));
    assert_eq!(problems(&r), vec![]);
}

#[test]
fn a_date_must_be_a_date() {
    let mut r = complete();
    r.set("leidinggevende_tijd", text("gisteren"));
    assert_eq!(
        problems(&r),
        vec![("leidinggevende_tijd", Problem::NotADateTime)]
    );
}

#[test]
fn choices_must_be_known_options() {
    let mut r = complete();
    r.set("situatie", text("<script>alert(1)</script>"));
    r.set(
        "soort",
        Value::Many(vec!["verbaal".into(), "onbekend".into()]),
    );
    assert_eq!(
        problems(&r),
        vec![
            ("situatie", Problem::UnknownOption),
            ("soort", Problem::UnknownOption)
        ]
    );
}

#[test]
fn a_weapon_question_applies_to_threats_and_violence_and_then_what_weapon() {
    let mut r = complete();
    assert!(!applies(
        veilig_core::report::schema::field("wapen").unwrap(),
        &r
    ));
    r.set("soort", Value::Many(vec!["bedreiging".into()]));
    assert_eq!(problems(&r), vec![("wapen", Problem::Missing)]);
    r.set("wapen", text("getoond"));
    assert_eq!(problems(&r), vec![("wapen_wat", Problem::Missing)]);
    r.set("wapen_wat", text("mes"));
    assert_eq!(problems(&r), vec![]);
    r.set("wapen", text("nee"));
    assert_eq!(problems(&r), vec![], "the weapon's name no longer applies");
}

#[test]
fn a_known_aggressor_needs_name_and_relation_an_unknown_one_a_description() {
    let mut r = complete();
    r.set("dader_bekend", text("ja"));
    assert_eq!(
        problems(&r),
        vec![
            ("dader_naam", Problem::Missing),
            ("dader_relatie", Problem::Missing)
        ]
    );
    r.set("dader_naam", text("J. Jansen"));
    r.set("dader_relatie", text("huurder"));
    assert_eq!(problems(&r), vec![]);
    r.set("dader_bekend", text("nee"));
    r.set("dader_beschrijving", Value::Text(String::new()));
    assert_eq!(problems(&r), vec![("dader_beschrijving", Problem::Missing)]);
}

#[test]
fn sick_leave_days_are_a_whole_number_in_range() {
    let mut r = complete();
    r.set("verzuim", text("ja"));
    assert_eq!(problems(&r), vec![("verzuim_dagen", Problem::Missing)]);
    r.set("verzuim_dagen", text("drie"));
    assert_eq!(problems(&r), vec![("verzuim_dagen", Problem::NotANumber)]);
    r.set("verzuim_dagen", text("0"));
    assert_eq!(
        problems(&r),
        vec![("verzuim_dagen", Problem::OutOfRange { min: 1, max: 3650 })]
    );
    r.set("verzuim_dagen", text("3"));
    assert_eq!(problems(&r), vec![]);
}

#[test]
fn a_police_report_needs_who_made_it_and_the_employers_address() {
    let mut r = complete();
    r.set("politie", text("ter_plaatse"));
    assert_eq!(problems(&r), vec![("melding_aangifte", Problem::Missing)]);
    r.set("melding_aangifte", text("aangifte"));
    assert_eq!(
        problems(&r),
        vec![
            ("aangifte_door", Problem::Missing),
            ("adres_werkgever", Problem::Missing)
        ]
    );
    r.set("aangifte_door", text("medewerker"));
    r.set("adres_werkgever", text("ja"));
    assert_eq!(problems(&r), vec![]);
    r.set("melding_aangifte", text("geen"));
    r.set("adres_werkgever", Value::Text(String::new()));
    assert_eq!(problems(&r), vec![]);
}

#[test]
fn every_person_needs_a_name_and_the_list_is_bounded() {
    let mut r = complete();
    r.set(
        "getuigen",
        Value::Persons(vec![Person {
            name: "  ".into(),
            detail: "extern".into(),
        }]),
    );
    assert_eq!(problems(&r), vec![("getuigen", Problem::NameMissing)]);
    let many = (0..51)
        .map(|i| Person {
            name: format!("p{i}"),
            detail: String::new(),
        })
        .collect();
    r.set("getuigen", Value::Persons(many));
    assert_eq!(
        problems(&r),
        vec![("getuigen", Problem::TooLong { max: 50 })]
    );
}

#[test]
fn free_text_is_kept_as_typed_but_bounded() {
    let mut r = complete();
    let typed = "  <b>niet vet</b>\n\n  ééé  ";
    r.set("omschrijving", text(typed));
    assert_eq!(
        r.text("omschrijving"),
        typed,
        "no trimming, no HTML interpretation"
    );
    assert_eq!(problems(&r), vec![]);
    r.set("omschrijving", Value::Text("x".repeat(MAX_TEXT + 1)));
    assert_eq!(
        problems(&r),
        vec![("omschrijving", Problem::TooLong { max: MAX_TEXT })]
    );
}

#[test]
fn the_confirmation_must_be_given() {
    let mut r = complete();
    r.set("akkoord", text("nee"));
    assert_eq!(problems(&r), vec![("akkoord", Problem::Missing)]);
}

#[test]
fn a_value_of_the_wrong_kind_is_refused() {
    let mut r = complete();
    r.values
        .insert("melder_naam".into(), Value::Many(vec!["a".into()]));
    assert_eq!(problems(&r), vec![("melder_naam", Problem::UnknownOption)]);
}

#[test]
fn unknown_fields_are_reported() {
    let mut r = complete();
    r.values.insert("bsn".into(), text("123"));
    assert_eq!(unknown_fields(&r), vec!["bsn".to_owned()]);
    assert!(unknown_fields(&complete()).is_empty());
}

#[test]
fn messages_are_dutch_first_and_never_empty() {
    for p in [
        Problem::Missing,
        Problem::InTheFuture,
        Problem::NotADateTime,
        Problem::NotANumber,
        Problem::OutOfRange { min: 1, max: 2 },
        Problem::UnknownOption,
        Problem::NameMissing,
        Problem::TooLong { max: 3 },
    ] {
        let [nl, en] = p.message();
        assert!(!nl.is_empty() && !en.is_empty() && nl != en, "{p:?}");
    }
    assert_eq!(Problem::Missing.message()[0], "Vul dit in.");
}

#[test]
fn the_server_allows_for_any_time_zone_but_not_more() {
    let utc = Utc.with_ymd_and_hms(2026, 11, 30, 12, 0, 0).unwrap();
    let latest = server_latest(utc);
    assert_eq!(
        latest,
        NaiveDate::from_ymd_opt(2026, 12, 1)
            .unwrap()
            .and_hms_opt(2, 0, 0)
            .unwrap()
    );
}

// Derived values.

#[test]
fn any_extreme_kind_makes_the_incident_extreme() {
    let mut r = complete();
    assert!(!is_extreme(&r));
    r.set("extreem", Value::Many(vec!["bommelding".into()]));
    assert!(is_extreme(&r));
}

#[test]
fn the_inspectorate_must_be_told_of_death_admission_permanent_injury_or_an_extreme_incident() {
    for (injury, duty) in [
        ("geen", false),
        ("ehbo", false),
        ("huisarts", false),
        ("poliklinisch", false),
        ("ziekenhuisopname", true),
        ("blijvend", true),
        ("overleden", true),
    ] {
        let mut r = complete();
        r.set("letsel", text(injury));
        assert_eq!(must_report_to_inspectorate(&r), duty, "{injury}");
    }
    let mut r = complete();
    r.set("extreem", Value::Many(vec!["gijzeling".into()]));
    assert!(must_report_to_inspectorate(&r));
}

#[test]
fn the_aftercare_plan_follows_the_protocols_three_steps() {
    let r = complete();
    let plan = aftercare_plan(&r, AftercareWindows::default()).unwrap();
    let at = NaiveDate::from_ymd_opt(2026, 1, 5)
        .unwrap()
        .and_hms_opt(10, 15, 0)
        .unwrap();
    let keys: Vec<&str> = plan.iter().map(|t| t.key).collect();
    assert_eq!(keys, vec!["gesprek_1", "gesprek_2", "gesprek_3"]);
    assert_eq!(plan[0].due, at);
    assert_eq!(plan[1].from, at + chrono::Duration::days(1));
    assert_eq!(plan[1].due, at + chrono::Duration::days(3));
    assert_eq!(plan[2].from, at + chrono::Duration::days(61));
    assert_eq!(plan[2].due, at + chrono::Duration::days(92));
}

#[test]
fn an_extreme_incident_adds_victim_support_the_arbodienst_and_the_inspectorate_at_once() {
    let mut r = complete();
    r.set("extreem", Value::Many(vec!["wapen".into()]));
    let plan = aftercare_plan(&r, AftercareWindows::default()).unwrap();
    let at = plan[0].due;
    for key in ["slachtofferhulp", "arbodienst", "arbeidsinspectie"] {
        let task = plan
            .iter()
            .find(|t| t.key == key)
            .unwrap_or_else(|| panic!("{key}"));
        assert_eq!(task.due, at, "{key} at once");
    }
}

#[test]
fn the_aftercare_windows_are_configurable() {
    // The national VPT advice: 72 hours, 2 weeks, 6 to 8 weeks.
    let vpt = AftercareWindows {
        second_from: chrono::Duration::hours(0),
        second_to: chrono::Duration::hours(72),
        third_from: chrono::Duration::weeks(6),
        third_to: chrono::Duration::weeks(8),
    };
    let plan = aftercare_plan(&complete(), vpt).unwrap();
    assert_eq!(plan[1].due - plan[0].due, chrono::Duration::hours(72));
    assert_eq!(plan[2].due - plan[0].due, chrono::Duration::weeks(8));
}

#[test]
fn no_plan_without_an_incident_time() {
    assert!(aftercare_plan(
        &Report::new("x", Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap()),
        AftercareWindows::default()
    )
    .is_none());
}

// Two tabs.

#[test]
fn a_save_from_an_older_tab_keeps_the_newer_text_of_the_other_tab() {
    let base = complete();
    let mut theirs = base.clone();
    theirs.set("omschrijving", text("Nieuwere tekst uit tab B"));
    theirs.revision = 5;
    let mut mine = base.clone();
    mine.set("plaats", text("Kerkstraat 2"));
    let merged = merge(&base, &mine, &theirs);
    assert_eq!(merged.text("omschrijving"), "Nieuwere tekst uit tab B");
    assert_eq!(merged.text("plaats"), "Kerkstraat 2");
    assert_eq!(merged.revision, 5);
}

#[test]
fn a_field_cleared_in_this_tab_stays_cleared() {
    let base = complete();
    let theirs = base.clone();
    let mut mine = base.clone();
    mine.set("plaats", Value::Text(String::new()));
    assert_eq!(merge(&base, &mine, &theirs).text("plaats"), "");
}

// From a flow.

#[test]
fn a_draft_from_a_flow_carries_setting_time_police_and_the_log() {
    let p = dutch();
    let flow = p.flows.iter().find(|f| f.id == FlowId::Kantoor).unwrap();
    let t = |m| Utc.with_ymd_and_hms(2026, 11, 30, 10, m, 0).unwrap();
    let mut run = FlowRun::new("run", FlowId::Kantoor, t(0));
    for a in ["agressief", "agressief", "blijft"] {
        run.answer(flow, a, t(1)).unwrap();
    }
    for m in 2..5 {
        run.count(flow, t(m)).unwrap();
    }
    run.answer(flow, "geen_gehoor", t(6)).unwrap();
    run.answer(flow, "geen_gehoor", t(7)).unwrap();
    let mut r = Report::new("x", t(8));
    from_flow(&mut r, flow, &run, "2026-11-30T11:00");
    assert_eq!(r.text("situatie"), "kantoor");
    assert_eq!(r.text("datum_tijd"), "2026-11-30T11:00");
    assert_eq!(r.text("politie"), "gebeld");
    assert_eq!(r.flow_run.as_ref(), Some(&run));
}

#[test]
fn a_report_round_trips_through_json() {
    let mut r = complete();
    r.set(
        "getuigen",
        Value::Persons(vec![Person {
            name: "Kees".into(),
            detail: "extern, 06".into(),
        }]),
    );
    let json = serde_json::to_string(&r).unwrap();
    let back: Report = serde_json::from_str(&json).unwrap();
    assert_eq!(back, r);
}
