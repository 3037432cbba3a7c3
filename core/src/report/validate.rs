//! Validation of a report for finalizing. The same function runs in the browser (inline
//! errors) and on the server (which refuses what it would not accept from the form).

use chrono::NaiveDateTime;

use super::model::{Report, Value};
use super::schema::{Choice, FieldKind, FieldSpec, Req, FIELDS};
pub use crate::time::parse_local;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    Missing,
    InTheFuture,
    NotADateTime,
    NotANumber,
    OutOfRange { min: u32, max: u32 },
    UnknownOption,
    NameMissing,
    TooLong { max: usize },
}

impl Problem {
    /// One plain sentence: Dutch first, English second.
    pub fn message(self) -> [String; 2] {
        match self {
            Problem::Missing => ["Vul dit in.".into(), "Please fill this in.".into()],
            Problem::InTheFuture => [
                "Dit tijdstip ligt in de toekomst.".into(),
                "This time is in the future.".into(),
            ],
            Problem::NotADateTime => [
                "Vul een datum en tijd in.".into(),
                "Enter a date and time.".into(),
            ],
            Problem::NotANumber => [
                "Vul een heel getal in.".into(),
                "Enter a whole number.".into(),
            ],
            Problem::OutOfRange { min, max } => [
                format!("Vul een getal van {min} tot en met {max} in."),
                format!("Enter a number from {min} to {max}."),
            ],
            Problem::UnknownOption => [
                "Kies een van de mogelijkheden.".into(),
                "Choose one of the options.".into(),
            ],
            Problem::NameMissing => [
                "Vul bij elke persoon een naam in.".into(),
                "Give every person a name.".into(),
            ],
            Problem::TooLong { max } => [
                format!("Dit is te lang (meer dan {max} tekens)."),
                format!("This is too long (over {max} characters)."),
            ],
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    pub problem: Problem,
}

/// Free text is limited so that one report can never fill a device or the server.
pub const MAX_TEXT: usize = 20_000;
pub const MAX_PERSONS: usize = 50;

/// Whether a field applies given the other answers (conditional fields).
pub fn applies(spec: &FieldSpec, report: &Report) -> bool {
    match spec.when {
        None => true,
        Some(when) => {
            let Some(target) = FIELDS.iter().find(|f| f.key == when.field) else {
                return false;
            };
            if !applies(target, report) {
                return false;
            }
            match report.values.get(when.field) {
                Some(Value::Text(t)) => when.any_of.contains(&t.as_str()),
                Some(Value::Many(v)) => v.iter().any(|x| when.any_of.contains(&x.as_str())),
                _ => false,
            }
        }
    }
}

fn known(options: &[Choice], key: &str) -> bool {
    options.iter().any(|o| o.key == key)
}

fn check_value(spec: &FieldSpec, value: &Value, latest: NaiveDateTime) -> Option<Problem> {
    match (spec.kind, value) {
        (FieldKind::Text | FieldKind::LongText, Value::Text(t)) => {
            (t.chars().count() > MAX_TEXT).then_some(Problem::TooLong { max: MAX_TEXT })
        }
        (FieldKind::Choice(options), Value::Text(t)) => {
            (!known(options, t)).then_some(Problem::UnknownOption)
        }
        (FieldKind::Multi(options), Value::Many(v)) => v
            .iter()
            .any(|x| !known(options, x))
            .then_some(Problem::UnknownOption),
        (FieldKind::DateTime, Value::Text(t)) => match parse_local(t) {
            None => Some(Problem::NotADateTime),
            Some(at) if at > latest => Some(Problem::InTheFuture),
            Some(_) => None,
        },
        (FieldKind::Number { min, max }, Value::Text(t)) => match t.trim().parse::<u64>() {
            Err(_) => Some(Problem::NotANumber),
            Ok(n) if n < u64::from(min) || n > u64::from(max) => {
                Some(Problem::OutOfRange { min, max })
            }
            Ok(_) => None,
        },
        (FieldKind::Persons, Value::Persons(people)) => {
            if people.len() > MAX_PERSONS {
                Some(Problem::TooLong { max: MAX_PERSONS })
            } else if people.iter().any(|p| p.name.trim().is_empty()) {
                Some(Problem::NameMissing)
            } else {
                None
            }
        }
        (FieldKind::Persons, Value::Many(v)) if v.is_empty() => None,
        (FieldKind::Confirm, Value::Text(t)) => (t != "ja").then_some(Problem::Missing),
        _ => Some(Problem::UnknownOption),
    }
}

/// Every problem that stops finalizing, in form order. `latest` is the latest acceptable
/// local time: the device's now; the server allows for time zones (`server_latest`).
pub fn validate(report: &Report, latest: NaiveDateTime) -> Vec<FieldError> {
    let mut errors = Vec::new();
    for spec in FIELDS {
        if !applies(spec, report) {
            continue;
        }
        match report.values.get(spec.key) {
            None if spec.req == Req::Required => errors.push(FieldError {
                field: spec.key,
                problem: Problem::Missing,
            }),
            None => {}
            Some(value) => {
                if let Some(problem) = check_value(spec, value, latest) {
                    errors.push(FieldError {
                        field: spec.key,
                        problem,
                    });
                }
            }
        }
    }
    errors
}

/// Values of fields the schema does not know: refused by the server, never silently kept.
pub fn unknown_fields(report: &Report) -> Vec<String> {
    report
        .values
        .keys()
        .filter(|k| !FIELDS.iter().any(|f| f.key == k.as_str()))
        .cloned()
        .collect()
}

/// The server cannot know the device's time zone: it accepts local times up to 14 hours
/// ahead of UTC (the largest offset in use).
pub fn server_latest(now_utc: chrono::DateTime<chrono::Utc>) -> NaiveDateTime {
    now_utc.naive_utc() + chrono::Duration::hours(14)
}
