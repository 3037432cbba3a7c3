//! Validation of a report for finalizing. The same function runs in the browser (inline
//! errors) and on the server (which refuses what it would not accept from the form).

use chrono::{Duration, NaiveDateTime};

use super::model::{Report, Value};
use super::schema::limits::{MAX_PERSON_DETAIL, MAX_PERSON_NAME};
use super::schema::{field, Choice, FieldKind, FieldSpec, Req, FIELDS, NONE_OF_THESE};
pub use crate::time::parse_local;
use crate::time::parse_utc;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    Missing,
    InTheFuture,
    NotADateTime,
    NotANumber,
    OutOfRange {
        min: u32,
        max: u32,
    },
    UnknownOption,
    NameMissing,
    TooLong {
        max: usize,
    },
    /// "None of these" ticked together with another option.
    NoneWithOther,
    /// A time of the aftermath (support, manager informed) before the incident itself.
    BeforeIncident,
    /// More persons than `limits::MAX_PERSONS`.
    TooManyPersons {
        max: usize,
    },
    /// One option ticked twice (the form never writes that; a sender might).
    Repeated,
    /// A date before `limits::EARLIEST_YEAR`: no incident in this register is that old.
    TooEarly {
        year: i32,
    },
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
            Problem::NoneWithOther => [
                "Kies 'Geen van deze' of kies een of meer soorten. Niet allebei.".into(),
                "Choose 'None of these' or choose one or more kinds. Not both.".into(),
            ],
            Problem::BeforeIncident => [
                "Dit tijdstip ligt vóór het incident.".into(),
                "This time is before the incident.".into(),
            ],
            Problem::TooManyPersons { max } => [
                format!("Dit zijn te veel personen (meer dan {max})."),
                format!("These are too many persons (over {max})."),
            ],
            Problem::Repeated => [
                "Een keuze staat er twee keer in.".into(),
                "An option is chosen twice.".into(),
            ],
            Problem::TooEarly { year } => [
                format!("Dit tijdstip ligt vóór {year}."),
                format!("This time is before {year}."),
            ],
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    pub problem: Problem,
}

/// Free text is limited so that one report can never fill a device or the server (declared in
/// `schema::limits`, with every other limit).
pub use super::schema::limits::{EARLIEST_YEAR, MAX_PERSONS, MAX_TEXT};

/// Clocks differ a little between a tablet, a phone and the clock read off a wall: an incident
/// time up to this far after "now" is accepted, more is refused.
pub const CLOCK_DRIFT: Duration = Duration::minutes(5);

/// Times of what happened after the incident: never before it.
pub const AFTER_THE_INCIDENT: &[&str] = &["leidinggevende_tijd", "opvang_tijd"];

/// Whether a field applies given the other answers (conditional fields).
/// No conditions: always. Otherwise: any one condition holds, and the field it names applies.
pub fn applies(spec: &FieldSpec, report: &Report) -> bool {
    spec.when.is_empty()
        || spec.when.iter().any(|when| {
            let Some(target) = field(when.field) else {
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
        })
}

/// The keys of values given for fields that do not apply (in form order). A finalized report
/// from the app has none (`prune_inapplicable` runs when it is finalized); the server refuses
/// them.
pub fn inapplicable(report: &Report) -> Vec<&'static str> {
    FIELDS
        .iter()
        .filter(|spec| report.values.contains_key(spec.key) && !applies(spec, report))
        .map(|spec| spec.key)
        .collect()
}

/// Removes every value of a field that does not apply (an answer given before another choice
/// made it irrelevant). Run when a report is finalized, so that the read-only view and the
/// bytes sent hold only what the form asked. Returns the keys removed.
pub fn prune_inapplicable(report: &mut Report) -> Vec<&'static str> {
    // In form order: a condition points at an earlier field, which is decided first. `applies`
    // looks at the field a condition names, so removing a value never changes the verdict on
    // a field decided before it.
    let mut removed = Vec::new();
    for spec in FIELDS {
        if !applies(spec, report) && report.values.remove(spec.key).is_some() {
            removed.push(spec.key);
        }
    }
    removed
}

fn known(options: &[Choice], key: &str) -> bool {
    options.iter().any(|o| o.key == key)
}

/// Whether a local date and time is too early to be an incident of this register.
fn too_early(at: NaiveDateTime) -> bool {
    use chrono::Datelike;
    at.year() < EARLIEST_YEAR
}

/// Text longer than `max` characters (counted without walking a huge text to its end).
fn over(text: &str, max: usize) -> bool {
    text.len() > max && text.chars().nth(max).is_some()
}

fn check_value(spec: &FieldSpec, value: &Value, latest: NaiveDateTime) -> Option<Problem> {
    match (spec.kind, value) {
        (FieldKind::Text | FieldKind::LongText, Value::Text(t)) => {
            let max = spec.max_chars.unwrap_or(MAX_TEXT);
            if over(t, max) {
                Some(Problem::TooLong { max })
            } else if spec.req == Req::Required && t.trim().is_empty() {
                // Only spaces is no answer (the form keeps them as typed, but does not finalize).
                Some(Problem::Missing)
            } else {
                None
            }
        }
        (FieldKind::Choice(options), Value::Text(t)) => {
            (!known(options, t)).then_some(Problem::UnknownOption)
        }
        (FieldKind::Multi(options), Value::Many(v)) => {
            if v.iter().any(|x| !known(options, x)) {
                Some(Problem::UnknownOption)
            } else if v.iter().enumerate().any(|(i, x)| v[..i].contains(x)) {
                Some(Problem::Repeated)
            } else if v.len() > 1 && v.iter().any(|x| x == NONE_OF_THESE) {
                Some(Problem::NoneWithOther)
            } else if v.is_empty() {
                // An empty list is no answer (the form never stores one; a sender might).
                Some(Problem::Missing)
            } else {
                None
            }
        }
        (FieldKind::DateTime, Value::Text(t)) => match parse_local(t) {
            None => Some(Problem::NotADateTime),
            Some(at) if too_early(at) => Some(Problem::TooEarly {
                year: EARLIEST_YEAR,
            }),
            Some(at) if at > latest + CLOCK_DRIFT => Some(Problem::InTheFuture),
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
                Some(Problem::TooManyPersons { max: MAX_PERSONS })
            } else if people.iter().any(|p| over(&p.name, MAX_PERSON_NAME)) {
                Some(Problem::TooLong {
                    max: MAX_PERSON_NAME,
                })
            } else if people.iter().any(|p| over(&p.detail, MAX_PERSON_DETAIL)) {
                Some(Problem::TooLong {
                    max: MAX_PERSON_DETAIL,
                })
            } else if people.iter().any(|p| p.name.trim().is_empty()) {
                Some(Problem::NameMissing)
            } else {
                None
            }
        }
        // An empty list is no answer, for persons as for options (the form never stores one).
        (FieldKind::Persons, Value::Many(v)) if v.is_empty() => Some(Problem::Missing),
        // The moment of confirming, as the app wrote it. Not compared with `latest`: that is a
        // local time, this one UTC, and the app, not a person, wrote it.
        (FieldKind::Confirm { .. }, Value::Text(t)) => match parse_utc(t) {
            None => Some(Problem::Missing),
            Some(at) if too_early(at.naive_utc()) => Some(Problem::TooEarly {
                year: EARLIEST_YEAR,
            }),
            Some(_) => None,
        },
        _ => Some(Problem::UnknownOption),
    }
}

/// Every problem that stops finalizing, in form order. `latest` is the latest acceptable
/// local time: the device's now (plus `CLOCK_DRIFT`); the server allows for time zones
/// (`server_latest`).
pub fn validate(report: &Report, latest: NaiveDateTime) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let incident = parse_local(report.text("datum_tijd"));
    for spec in FIELDS {
        if !applies(spec, report) {
            continue;
        }
        let problem = match report.values.get(spec.key) {
            None if spec.req == Req::Required => Some(Problem::Missing),
            None => None,
            Some(value) => check_value(spec, value, latest).or_else(|| {
                // Checked against each other only once each time is valid on its own.
                let at = parse_local(report.text(spec.key))?;
                (AFTER_THE_INCIDENT.contains(&spec.key) && at < incident?)
                    .then_some(Problem::BeforeIncident)
            }),
        };
        if let Some(problem) = problem {
            errors.push(FieldError {
                field: spec.key,
                problem,
            });
        }
    }
    errors
}

/// What the server checks for a report sent as `sent_version` (already migrated to the current
/// shape): `validate`, except that for a version 1 report a missing answer to a question the
/// version 1 form did not ask is not an error. The old app could not ask it, and refusing would
/// leave that report in the device's outbox forever; the blank stays blank (nothing is
/// invented: `extreem` is not read as "geen").
pub fn validate_received(
    report: &Report,
    latest: NaiveDateTime,
    sent_version: u32,
) -> Vec<FieldError> {
    let mut errors = validate(report, latest);
    if sent_version == 1 {
        // Neither did version 1 compare times with the incident: a report finalized then must
        // not be stuck in its device's outbox for a rule it could not know.
        errors.retain(|e| {
            !matches!(e.problem, Problem::BeforeIncident)
                && (e.problem != Problem::Missing || asked_in_v1(e.field, report))
        });
    }
    errors
}

/// Whether the version 1 form asked this field of this report.
fn asked_in_v1(key: &str, report: &Report) -> bool {
    let any = |field: &str, of: &[&str]| match report.values.get(field) {
        Some(Value::Text(t)) => of.contains(&t.as_str()),
        Some(Value::Many(v)) => v.iter().any(|x| of.contains(&x.as_str())),
        _ => false,
    };
    match key {
        // Optional in version 1, without "geen".
        "extreem" => false,
        // Only for threats and violence (not yet for a weapon threat ticked as extreme).
        "wapen" => any("soort", &["bedreiging", "fysiek"]),
        // Only when the police were called or came.
        "melding_aangifte" => any("politie", &["gebeld", "ter_plaatse"]),
        _ => true,
    }
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
