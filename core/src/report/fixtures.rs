//! A complete, finalized sample report: used by tests and benchmarks on both sides, so that
//! "a valid report" is written down once. Dead code in the app build (never called there).

use chrono::{TimeZone, Utc};

use super::model::{Person, Report, Status, Value};

pub fn complete_final(id: &str, description: &str) -> Report {
    let at = |h, m| {
        Utc.with_ymd_and_hms(2026, 1, 5, h, m, 0)
            .single()
            .unwrap_or_default()
    };
    let mut r = Report::new(id, at(11, 0));
    for (k, v) in [
        ("melder_naam", "Ans de Vries"),
        ("melder_functie", "Woonconsulent"),
        ("melder_rol", "slachtoffer"),
        ("datum_tijd", "2026-01-05T10:15"),
        ("situatie", "huisbezoek"),
        ("plaats", "Dorpsstraat 1"),
        ("omschrijving", description),
        ("dader_bekend", "nee"),
        ("dader_beschrijving", "Man, ongeveer 40"),
        ("letsel", "geen"),
        ("verzuim", "nee"),
        ("politie", "niet"),
        ("melding_aangifte", "geen"),
        ("leidinggevende_naam", "Piet"),
        ("leidinggevende_tijd", "2026-01-05T10:40"),
        ("opvang_door", "Piet"),
        ("opvang_tijd", "2026-01-05T11:00"),
        ("nazorg_gewenst", "ja"),
        ("akkoord_naam", "Ans de Vries"),
        // The moment of confirming, as the app writes it.
        ("akkoord", "2026-01-05T11:29:00Z"),
    ] {
        r.set(k, Value::Text(v.into()));
    }
    r.set("soort", Value::Many(vec!["verbaal".into()]));
    r.set("extreem", Value::Many(vec!["geen".into()]));
    r.set(
        "slachtoffers",
        Value::Persons(vec![Person {
            name: "Ans de Vries".into(),
            detail: "Woonconsulent".into(),
        }]),
    );
    r.status = Status::Final {
        finalized_at: at(11, 30),
    };
    r
}

/// A UUID-shaped id from a number (tests and benchmarks need unique ids of the right shape).
pub fn id(n: u64) -> String {
    format!("0193a0b0-0000-7000-8000-{n:012x}")
}
