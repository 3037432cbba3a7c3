//! Every validation rule and derived value of the registration form.

use chrono::{NaiveDate, NaiveDateTime, TimeZone, Utc};
use veilig_core::protocol::dutch;
use veilig_core::protocol::run::FlowRun;
use veilig_core::protocol::FlowId;
use veilig_core::report::derive::{
    extreme, is_extreme, must_report_to_inspectorate, private_address_used,
};
use veilig_core::report::merge::merge;
use veilig_core::report::prefill::from_flow;
use veilig_core::report::schema::{field, FIELDS, WARNING_MAX_CHARS};
use veilig_core::report::validate::{
    applies, server_latest, unknown_fields, validate, validate_received, FieldError, Problem,
    MAX_TEXT,
};
use veilig_core::report::{prune_inapplicable, Person, Report, Value};

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
        .filter(|f| f.req == veilig_core::report::schema::Req::Required && f.when.is_empty())
        .map(|f| f.key)
        .collect();
    assert_eq!(missing, expected);
}

#[test]
fn the_incident_cannot_be_more_than_a_clock_drift_in_the_future() {
    let mut r = complete();
    // The later times must not lie before the incident: keep them after it.
    r.set("leidinggevende_tijd", text("2026-11-30T15:05"));
    r.set("opvang_tijd", text("2026-11-30T15:05"));
    r.set("datum_tijd", text("2026-11-30T15:06"));
    assert_eq!(
        problems(&r),
        vec![
            ("datum_tijd", Problem::InTheFuture),
            // Still a valid time (just too late): the later ones are compared with it.
            ("leidinggevende_tijd", Problem::BeforeIncident),
            ("opvang_tijd", Problem::BeforeIncident),
        ]
    );
    // Five minutes ahead of this device's clock is another clock's "now".
    r.set("datum_tijd", text("2026-11-30T15:05"));
    assert_eq!(problems(&r), vec![]);
    r.set("datum_tijd", text("2026-11-30T15:00"));
    assert_eq!(problems(&r), vec![]);
}

#[test]
fn support_and_informing_the_manager_cannot_be_before_the_incident() {
    let mut r = complete();
    // The incident was at 10:15.
    r.set("opvang_tijd", text("2026-01-05T10:14"));
    assert_eq!(problems(&r), vec![("opvang_tijd", Problem::BeforeIncident)]);
    r.set("opvang_tijd", text("2026-01-05T10:15"));
    r.set("leidinggevende_tijd", text("2026-01-04T23:59"));
    assert_eq!(
        problems(&r),
        vec![("leidinggevende_tijd", Problem::BeforeIncident)]
    );
    // Without a valid incident time there is nothing to compare with: only that one error.
    r.set("datum_tijd", text("gisteren"));
    assert_eq!(problems(&r), vec![("datum_tijd", Problem::NotADateTime)]);
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
fn a_weapon_question_applies_to_a_weapon_threat_ticked_as_extreme_too() {
    let mut r = complete();
    r.set("extreem", Value::Many(vec!["wapen".into()]));
    assert_eq!(problems(&r), vec![("wapen", Problem::Missing)]);
    r.set("wapen", text("getoond"));
    r.set("wapen_wat", text("pistool"));
    assert_eq!(problems(&r), vec![]);
    r.set("extreem", Value::Many(vec!["gijzeling".into()]));
    assert!(
        !applies(field("wapen").unwrap(), &r),
        "another extreme kind"
    );
}

#[test]
fn extreme_must_be_answered_and_none_of_these_stands_alone() {
    let mut r = complete();
    r.values.remove("extreem");
    assert_eq!(problems(&r), vec![("extreem", Problem::Missing)]);
    r.set(
        "extreem",
        Value::Many(vec!["gijzeling".into(), "geen".into()]),
    );
    assert_eq!(problems(&r), vec![("extreem", Problem::NoneWithOther)]);
    r.set("extreem", Value::Many(vec!["geen".into()]));
    assert_eq!(problems(&r), vec![]);
    // An empty list (the form never stores one) is no answer either.
    r.values.insert("extreem".into(), Value::Many(vec![]));
    assert_eq!(problems(&r), vec![("extreem", Problem::Missing)]);
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
fn sick_leave_not_known_yet_is_an_answer_and_asks_no_days() {
    let mut r = complete();
    r.set("verzuim", text("nog_niet_bekend"));
    assert_eq!(problems(&r), vec![]);
    assert!(!applies(field("verzuim_dagen").unwrap(), &r));
    r.set("verzuim", text("misschien"));
    assert_eq!(problems(&r), vec![("verzuim", Problem::UnknownOption)]);
}

#[test]
fn a_police_report_is_asked_whatever_the_police_did_and_needs_who_and_which_address() {
    for police in ["niet", "gebeld", "ter_plaatse"] {
        let mut r = complete();
        r.set("politie", text(police));
        r.values.remove("melding_aangifte");
        assert_eq!(
            problems(&r),
            vec![("melding_aangifte", Problem::Missing)],
            "{police}"
        );
        r.set("melding_aangifte", text("aangifte"));
        assert_eq!(
            problems(&r),
            vec![
                ("aangifte_door", Problem::Missing),
                ("adres_werkgever", Problem::Missing)
            ],
            "{police}"
        );
        r.set("aangifte_door", text("medewerker"));
        r.set("adres_werkgever", text("werkgever"));
        assert_eq!(problems(&r), vec![], "{police}");
    }
}

#[test]
fn the_private_address_is_a_truthful_answer_that_passes_and_is_marked() {
    let mut r = complete();
    r.set("melding_aangifte", text("melding"));
    r.set("aangifte_door", text("medewerker"));
    r.set("adres_werkgever", text("werkgever"));
    assert!(!private_address_used(&r));
    r.set("adres_werkgever", text("prive"));
    assert_eq!(problems(&r), vec![], "the report goes through");
    assert!(private_address_used(&r));
    // The old tick is not an answer any more.
    r.set("adres_werkgever", text("ja"));
    assert_eq!(
        problems(&r),
        vec![("adres_werkgever", Problem::UnknownOption)]
    );
    // A left-over answer of a question that no longer applies marks nothing.
    r.set("adres_werkgever", text("prive"));
    r.set("melding_aangifte", text("geen"));
    assert!(!private_address_used(&r));
}

#[test]
fn a_warning_for_colleagues_needs_a_short_text() {
    let mut r = complete();
    r.set("waarschuwing", text("nee"));
    assert_eq!(problems(&r), vec![]);
    r.set("waarschuwing", text("ja"));
    assert_eq!(problems(&r), vec![("waarschuwing_tekst", Problem::Missing)]);
    r.set(
        "waarschuwing_tekst",
        Value::Text("x".repeat(WARNING_MAX_CHARS)),
    );
    assert_eq!(problems(&r), vec![]);
    r.set(
        "waarschuwing_tekst",
        Value::Text("é".repeat(WARNING_MAX_CHARS + 1)),
    );
    assert_eq!(
        problems(&r),
        vec![(
            "waarschuwing_tekst",
            Problem::TooLong {
                max: WARNING_MAX_CHARS
            }
        )]
    );
    let help = field("waarschuwing_tekst").unwrap().help.unwrap();
    assert!(help[0].contains("Schrijf geen gegevens over gezondheid of letsel."));
}

#[test]
fn values_that_do_not_apply_are_pruned_and_the_rest_kept() {
    let mut r = complete();
    // Answers given before another choice made them irrelevant.
    r.set("wapen", text("getoond"));
    r.set("wapen_wat", text("mes"));
    r.set("verzuim_dagen", text("3"));
    r.set("dader_naam", text("J. Jansen"));
    r.set("aangifte_door", text("werkgever"));
    r.set("waarschuwing_tekst", text("Let op bij huisbezoek"));
    let before = complete();
    let mut removed = prune_inapplicable(&mut r);
    removed.sort_unstable();
    assert_eq!(
        removed,
        vec![
            "aangifte_door",
            "dader_naam",
            "verzuim_dagen",
            "waarschuwing_tekst",
            "wapen",
            "wapen_wat"
        ]
    );
    assert_eq!(r.values, before.values, "everything that applies is kept");
    assert!(prune_inapplicable(&mut r).is_empty());

    // What applies stays, also a chain of conditions.
    r.set("soort", Value::Many(vec!["fysiek".into()]));
    r.set("wapen", text("gebruikt"));
    r.set("wapen_wat", text("stok"));
    assert!(prune_inapplicable(&mut r).is_empty());
    assert_eq!(r.text("wapen_wat"), "stok");
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
        vec![("getuigen", Problem::TooManyPersons { max: 50 })]
    );
    // The message counts persons, not characters.
    assert!(Problem::TooManyPersons { max: 50 }.message()[1].contains("persons"));
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
fn the_confirmation_is_a_moment_with_a_name() {
    let mut r = complete();
    for bare in ["nee", "ja", "2026-01-05T11:29"] {
        r.set("akkoord", text(bare));
        assert_eq!(problems(&r), vec![("akkoord", Problem::Missing)], "{bare}");
    }
    r.set("akkoord", text("2026-01-05T11:29:00.123Z"));
    assert_eq!(problems(&r), vec![]);
    r.values.remove("akkoord_naam");
    assert_eq!(problems(&r), vec![("akkoord_naam", Problem::Missing)]);
}

#[test]
fn a_version_1_report_is_not_refused_for_what_version_1_did_not_ask() {
    let mut r = complete();
    r.values.remove("extreem");
    r.values.remove("melding_aangifte");
    // Version 1 did not ask for the weapon on a weapon threat ticked as extreme.
    r.set("extreem", Value::Many(vec!["wapen".into()]));
    assert_eq!(
        validate_received(&r, now(), 2)
            .iter()
            .map(|e| (e.field, e.problem))
            .collect::<Vec<_>>(),
        vec![
            ("wapen", Problem::Missing),
            ("melding_aangifte", Problem::Missing)
        ]
    );
    assert_eq!(validate_received(&r, now(), 1), vec![]);
    r.values.remove("extreem");
    assert_eq!(validate_received(&r, now(), 1), vec![]);
    // What version 1 did ask is still required, and wrong values are still wrong.
    r.set("politie", text("gebeld"));
    r.set("soort", Value::Many(vec!["bedreiging".into()]));
    r.set("extreem", Value::Many(vec!["geen".into(), "wapen".into()]));
    assert_eq!(
        validate_received(&r, now(), 1)
            .iter()
            .map(|e| (e.field, e.problem))
            .collect::<Vec<_>>(),
        vec![
            ("extreem", Problem::NoneWithOther),
            ("wapen", Problem::Missing),
            ("melding_aangifte", Problem::Missing)
        ]
    );
}

#[test]
fn a_version_1_report_is_not_refused_for_times_that_version_1_did_not_compare() {
    let mut r = complete();
    // The incident was at 10:15; version 1 accepted a first-care time before it.
    r.set("opvang_tijd", text("2026-01-05T10:14"));
    assert_eq!(
        validate_received(&r, now(), 2)
            .iter()
            .map(|e| (e.field, e.problem))
            .collect::<Vec<_>>(),
        vec![("opvang_tijd", Problem::BeforeIncident)]
    );
    assert_eq!(validate_received(&r, now(), 1), vec![]);
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
        Problem::NoneWithOther,
        Problem::BeforeIncident,
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
fn any_extreme_kind_makes_the_incident_extreme_and_only_none_of_these_not() {
    let mut r = complete();
    assert_eq!(r.many("extreem"), ["geen"]);
    assert_eq!(extreme(&r), Some(false));
    assert!(!is_extreme(&r));
    r.set("extreem", Value::Many(vec!["bommelding".into()]));
    assert_eq!(extreme(&r), Some(true));
    assert!(is_extreme(&r));
    // A blank is no answer: not "not extreme".
    r.values.remove("extreem");
    assert_eq!(extreme(&r), None);
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
    let flow = p.flow(FlowId::Kantoor).unwrap();
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
