//! The reporter's confirmation: who confirmed the content, and when. Stored as two plain
//! values (`Value` stays text, lists and persons): `akkoord` holds the moment (RFC 3339 UTC,
//! written by the app, never typed) and `akkoord_naam` the name, prefilled from the reporter.

use std::collections::BTreeMap;

use chrono::{DateTime, SecondsFormat, Utc};

use super::model::{Report, Value};
use crate::time::parse_utc;

pub const MOMENT: &str = "akkoord";
pub const NAME: &str = "akkoord_naam";

/// Ticking the confirmation: records the moment, and the reporter's name when no name is given
/// yet (a manager confirming on someone's behalf types their own).
pub fn confirm(report: &mut Report, at: DateTime<Utc>) {
    report.set(
        MOMENT,
        Value::Text(at.to_rfc3339_opts(SecondsFormat::Secs, true)),
    );
    if report.text(NAME).trim().is_empty() {
        let reporter = report.text("melder_naam").to_owned();
        report.set(NAME, Value::Text(reporter));
    }
}

/// Unticking: the moment goes, the name stays (it is what the person typed).
pub fn withdraw(report: &mut Report) {
    report.values.remove(MOMENT);
}

/// A confirmation covers the content as it was confirmed: an edit to anything else withdraws
/// it, so that the report never claims a confirmation of text written afterwards.
pub fn withdraw_if_changed(before: &BTreeMap<String, Value>, report: &mut Report) {
    let content = |values: &BTreeMap<String, Value>| {
        values
            .iter()
            .filter(|(k, _)| *k != MOMENT && *k != NAME)
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect::<Vec<_>>()
    };
    if report.values.contains_key(MOMENT) && content(before) != content(&report.values) {
        withdraw(report);
    }
}

/// Who confirmed and when, if the confirmation is given and readable.
pub fn confirmation(report: &Report) -> Option<(&str, DateTime<Utc>)> {
    let at = parse_utc(report.text(MOMENT))?;
    Some((report.text(NAME), at))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn an_edit_after_confirming_withdraws_the_confirmation_ticking_it_does_not() {
        let at = Utc.with_ymd_and_hms(2026, 11, 30, 13, 5, 9).unwrap();
        let mut r = Report::new("x", at);
        r.set("omschrijving", Value::Text("Hij schreeuwde.".into()));
        let before = r.values.clone();
        confirm(&mut r, at);
        withdraw_if_changed(&before, &mut r);
        assert!(
            confirmation(&r).is_some(),
            "confirming is not an edit of the content"
        );
        let before = r.values.clone();
        r.set(
            "omschrijving",
            Value::Text("Hij schreeuwde en sloeg.".into()),
        );
        withdraw_if_changed(&before, &mut r);
        assert_eq!(confirmation(&r), None);
        assert_eq!(r.text(NAME), "", "no name was given in this report");
    }

    #[test]
    fn confirming_records_the_moment_and_the_reporters_name_unless_one_is_given() {
        let at = Utc.with_ymd_and_hms(2026, 11, 30, 13, 5, 9).unwrap();
        let mut r = Report::new("x", at);
        r.set("melder_naam", Value::Text("Ans de Vries".into()));
        assert_eq!(confirmation(&r), None);
        confirm(&mut r, at);
        assert_eq!(r.text(MOMENT), "2026-11-30T13:05:09Z");
        assert_eq!(confirmation(&r), Some(("Ans de Vries", at)));

        withdraw(&mut r);
        assert_eq!(confirmation(&r), None);
        assert_eq!(r.text(NAME), "Ans de Vries", "the name stays");

        r.set(NAME, Value::Text("Piet (leidinggevende)".into()));
        confirm(&mut r, at);
        assert_eq!(
            r.text(NAME),
            "Piet (leidinggevende)",
            "a typed name is kept"
        );
    }

    #[test]
    fn the_schema_declares_these_two_fields_as_the_confirmation_and_its_name() {
        use crate::report::schema::{field, FieldKind, FIELDS};
        assert_eq!(
            field(MOMENT).unwrap().kind,
            FieldKind::Confirm { by: NAME },
            "the form and this module name the same field"
        );
        let confirms = FIELDS
            .iter()
            .filter(|f| matches!(f.kind, FieldKind::Confirm { .. }))
            .count();
        assert_eq!(confirms, 1, "one confirmation per report");
    }

    #[test]
    fn a_bare_yes_is_no_confirmation() {
        let mut r = Report::new("x", Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap());
        r.set(MOMENT, Value::Text("ja".into()));
        assert_eq!(confirmation(&r), None);
    }
}
