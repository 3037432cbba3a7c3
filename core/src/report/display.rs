//! A report for reading: a stored value as text (the read-only view) and how a report is named
//! in lists and links. `lang` indexes the schema's labels (0 Dutch, 1 English).

use chrono::{DateTime, Utc};

use super::model::{Report, Value};
use super::schema::{field, FieldKind};

/// The label of a choice of field `key` in the language; any other value as it is.
pub fn choice(key: &str, value: &str, lang: usize) -> String {
    match field(key).map(|f| f.kind) {
        Some(FieldKind::Choice(options)) | Some(FieldKind::Multi(options)) => options
            .iter()
            .find(|o| o.key == value)
            .map(|o| o.label[lang].to_owned())
            .unwrap_or_else(|| value.to_owned()),
        _ => value.to_owned(),
    }
}

/// A value of any kind as text: a choice by its label, ticked options joined with ", ",
/// persons as "name (detail)" joined with "; ". Free text exactly as typed.
pub fn value(key: &str, value: &Value, lang: usize) -> String {
    match value {
        Value::Text(t) => choice(key, t, lang),
        Value::Many(v) => v
            .iter()
            .map(|x| choice(key, x, lang))
            .collect::<Vec<_>>()
            .join(", "),
        Value::Persons(people) => people
            .iter()
            .map(|p| {
                if p.detail.is_empty() {
                    p.name.clone()
                } else {
                    format!("{} ({})", p.name, p.detail)
                }
            })
            .collect::<Vec<_>>()
            .join("; "),
    }
}

/// When it happened, for reading ("2026-01-05 10:15"): the incident's time as filled in, or,
/// while that is blank, when the report was started. `local` writes an instant in the
/// device's time zone as `datetime-local` text (the shell knows the time zone; core does not).
pub fn when(report: &Report, local: impl FnOnce(DateTime<Utc>) -> String) -> String {
    let at = report.text("datum_tijd");
    if at.is_empty() {
        local(report.created_at)
    } else {
        at.to_owned()
    }
    .replace('T', " ")
}

/// Where it happened: the label of `situatie` ("" while it is blank).
pub fn setting(report: &Report, lang: usize) -> String {
    choice("situatie", report.text("situatie"), lang)
}

/// How a report is named in lists and links: when and where ("2026-01-05 10:15 · Huisbezoek"),
/// or only when while the setting is blank.
pub fn headline(
    report: &Report,
    lang: usize,
    local: impl FnOnce(DateTime<Utc>) -> String,
) -> String {
    let when = when(report, local);
    let setting = setting(report, lang);
    if setting.is_empty() {
        when
    } else {
        format!("{when} · {setting}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Person;
    use chrono::TimeZone;

    fn report() -> Report {
        Report::new("r", Utc.with_ymd_and_hms(2026, 11, 30, 9, 5, 0).unwrap())
    }

    /// Stands in for the device's clock: UTC+1, as the Netherlands in winter.
    fn local(at: DateTime<Utc>) -> String {
        (at + chrono::Duration::hours(1))
            .format("%Y-%m-%dT%H:%M")
            .to_string()
    }

    #[test]
    fn a_choice_shows_its_label_in_the_language_and_anything_else_as_it_is() {
        assert_eq!(choice("situatie", "huisbezoek", 0), "Huisbezoek");
        assert_eq!(choice("situatie", "huisbezoek", 1), "Home visit");
        assert_eq!(choice("soort", "fysiek", 0), "Fysiek geweld");
        // An option the schema does not know (an older version's) is shown as stored.
        assert_eq!(choice("situatie", "trein", 0), "trein");
        // A text field's value is never looked up as a label.
        assert_eq!(choice("plaats", "kantoor", 0), "kantoor");
        assert_eq!(choice("onbekend_veld", "x", 1), "x");
    }

    #[test]
    fn every_kind_of_value_reads_as_text() {
        assert_eq!(
            value("situatie", &Value::Text("telefoon".into()), 1),
            "Phone"
        );
        assert_eq!(
            value(
                "omschrijving",
                &Value::Text("Zei: \"ik kom terug\"\n<b>".into()),
                0
            ),
            "Zei: \"ik kom terug\"\n<b>",
            "free text exactly as typed"
        );
        assert_eq!(
            value(
                "soort",
                &Value::Many(vec!["verbaal".into(), "fysiek".into()]),
                0
            ),
            "Verbaal / schelden, Fysiek geweld"
        );
        let people = vec![
            Person {
                name: "Sanne".into(),
                detail: "baliemedewerker".into(),
            },
            Person {
                name: "Ali".into(),
                detail: String::new(),
            },
        ];
        assert_eq!(
            value("getuigen", &Value::Persons(people), 0),
            "Sanne (baliemedewerker); Ali"
        );
    }

    #[test]
    fn the_headline_is_when_and_where() {
        let mut r = report();
        r.set("datum_tijd", Value::Text("2026-01-05T10:15".into()));
        r.set("situatie", Value::Text("huisbezoek".into()));
        assert_eq!(headline(&r, 0, local), "2026-01-05 10:15 · Huisbezoek");
        assert_eq!(headline(&r, 1, local), "2026-01-05 10:15 · Home visit");
        assert_eq!(when(&r, local), "2026-01-05 10:15");
        assert_eq!(setting(&r, 1), "Home visit");
    }

    #[test]
    fn without_an_incident_time_the_headline_says_when_the_report_was_started() {
        let mut r = report();
        assert_eq!(
            headline(&r, 0, local),
            "2026-11-30 10:05",
            "local time, no setting"
        );
        assert_eq!(setting(&r, 0), "");
        r.set("situatie", Value::Text("kantoor".into()));
        assert_eq!(headline(&r, 0, local), "2026-11-30 10:05 · Kantoor / balie");
    }
}
