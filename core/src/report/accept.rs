//! What the server accepts as a received report: one pure function, [`accept`], from the id in
//! the address, the exact bytes sent and the clocks ([`Clocks`]: the server's, and the device's
//! own if it sent it) to either the report (and the bytes to store) or one typed [`Refusal`].
//! The server only maps a refusal to HTTP. It accepts exactly what the form lets through.
//!
//! Checked in this order (the first failure is the answer):
//! 1. size; JSON syntax (with line and column; nesting deeper than serde_json's 128 levels is
//!    malformed, never a deep recursion);
//! 2. one canonical text ([`strict`]): no key twice in an object (`"a"` and `"\u0061"` are the
//!    same key), every number a plain integer (`2`, never `2.0`, `2e0` or `-0`), so that what is
//!    stored reads the same in every JSON reader;
//! 3. schema version (1 up to the current one; an older one is migrated by
//!    `migrate::to_current`);
//! 4. the tree as sent ([`walk`]): no key the app does not write, at any level (the report,
//!    `values`, each person, `flow_run` and its events, `checklist` and its ticks), and every
//!    limit of `schema::limits` (texts in characters, lists in items);
//! 5. shape (typed), the id in the address (one canonical lower-case UUID) and in the report,
//!    final, `corrects` (a canonical id, not the report itself);
//! 6. times ([`judge_times`]): none before 2000, `finalized_at` not before `created_at`, none
//!    more than a day after the server's clock unless the device's own clock explains it;
//! 7. the form's own validation as `validate_received` applies it (a question an older form did
//!    not ask may be blank; local times up to 14 hours ahead of UTC, `server_latest`), then no
//!    value for a field that does not apply (`validate::inapplicable`; version 1 apps did not
//!    prune those when finalizing, so a version 1 report may still hold them).
//!
//! Not checked here: the content type, that `corrects` names a report the server holds, and
//! whether other content was already received under this id (the store decides those, in the
//! transaction that inserts).
//!
//! Compiled only with core's `accept` feature (the server turns it on) and in core's tests: even
//! uncalled, it changed which copies of serde's generics the PWA linked (+1.7 KB of wasm).

use chrono::{DateTime, Datelike, Duration, Utc};
use serde_json::Value as Json;

use super::migrate;
use super::model::{Report, Status, REPORT_SCHEMA_VERSION};
use super::schema::limits::{
    EARLIEST_YEAR, MAX_CHECKLIST_EVENTS, MAX_CHECKLIST_KINDS, MAX_FLOW_EVENTS, MAX_KEY,
    MAX_PERSONS, MAX_PERSON_DETAIL, MAX_PERSON_NAME, MAX_TEXT,
};
use super::schema::{field, FieldKind};
use super::validate::{inapplicable, server_latest, validate_received, FieldError, Problem};
use crate::sync::{ErrorCode, MAX_BODY_BYTES};
use crate::time::parse_utc;

/// The request header in which a device may send its own current time (RFC 3339, as
/// `2026-11-30T13:05:09Z` or with an offset). With it, a device whose clock is days ahead still
/// sends; without it the plain rule holds (no time more than [`MAX_AHEAD`] after the server's).
pub use crate::sync::DEVICE_TIME_HEADER;
/// How far a report's times may be after the server's clock, without the device's clock.
pub const MAX_AHEAD: Duration = Duration::days(1);
/// How far a report's times may be after the device's own clock (its clock ran on while the
/// request was made and sent).
pub const DEVICE_CLOCK_DRIFT: Duration = Duration::minutes(5);
/// How far ahead of the server's a device's own clock may be and still explain its times: a
/// wrong day, month or year set on a tablet, not a report from a later century.
pub const MAX_DEVICE_AHEAD: Duration = Duration::days(366);

/// The clocks a report's times are judged by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clocks {
    /// The server's clock.
    pub server: DateTime<Utc>,
    /// The device's own clock as it sent it ([`DEVICE_TIME_HEADER`]), if it did.
    pub device: Option<DateTime<Utc>>,
}

impl Clocks {
    /// Only the server's clock.
    pub fn server(now: DateTime<Utc>) -> Self {
        Self {
            server: now,
            device: None,
        }
    }

    /// The server's clock and the device's header as sent: a header that is not an RFC 3339
    /// time counts as absent (the plain rule applies).
    pub fn with_header(now: DateTime<Utc>, header: Option<&str>) -> Self {
        Self {
            server: now,
            device: header.and_then(|h| parse_utc(h.trim())),
        }
    }
}

/// A report the server takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accepted<'a> {
    /// The report, migrated to the current schema version.
    pub report: Report,
    /// The schema version it was sent as.
    pub sent_version: u32,
    /// What is stored: exactly the bytes sent, never the migrated or re-serialized report.
    pub bytes: &'a [u8],
}

/// Why a report is not accepted. `Display` is the one English sentence the API sends as
/// `message`; the app translates [`Refusal::code`] instead. No message quotes the body.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("The report is larger than {max} bytes.")]
    BodyTooLarge { max: usize },
    #[error("Malformed JSON at line {line}, column {column}.")]
    MalformedJson { line: usize, column: usize },
    #[error("A key appears twice in one object, at line {line}, column {column}.")]
    DuplicateKey { line: usize, column: usize },
    #[error("The number at line {line}, column {column} is not a plain integer (no fraction, exponent or minus zero).")]
    NonCanonicalNumber { line: usize, column: usize },
    /// `found` is `None` when `schema_version` is missing or not a whole number.
    #[error(
        "Unknown schema version {}; this server knows versions 1 to {current}.",
        found.map_or_else(|| "(none)".to_owned(), |v| v.to_string())
    )]
    UnknownSchemaVersion { found: Option<u64>, current: u32 },
    /// `detail` is the parser's description, which may quote the body: returned to the sender,
    /// never logged.
    #[error("The report does not have the expected shape: {detail}.")]
    InvalidShape { detail: String },
    #[error("The id is not a UUID in its one form: 36 characters, lower-case hexadecimal digits and hyphens (8-4-4-4-12).")]
    InvalidId,
    #[error("The id in the path and in the report differ.")]
    IdMismatch,
    #[error("Only finalized reports are accepted.")]
    NotFinal,
    /// `field` is the key as sent (text the sender chose: never logged).
    #[error("The report has a field the form does not have.")]
    UnknownField { field: String },
    /// A key the app never writes, inside `at` (a path of declared keys, or the report itself).
    /// The key is not repeated: it is text the sender chose.
    #[error("The report has a key the app does not write, in {}.", if .at.is_empty() { "the report itself" } else { .at })]
    UnknownKey { at: &'static str },
    /// A limit of `schema::limits`: `what` says what it counts (characters, persons, events).
    #[error("`{field}` is over its limit of {max} {what}.")]
    OverLimit {
        field: &'static str,
        max: usize,
        what: &'static str,
    },
    #[error("`corrects` is not the id of a report (a lower-case UUID).")]
    CorrectsNotAnId,
    #[error("A report cannot correct itself.")]
    CorrectsItself,
    /// Decided by the server's store: no report with that id was received.
    #[error("`corrects` names a report this server has not received; send the original first.")]
    CorrectsUnknown,
    #[error("A time in the report is before {EARLIEST_YEAR}.")]
    TimeTooEarly { field: &'static str },
    #[error("The report was finalized before it was created.")]
    FinalizedBeforeCreated,
    #[error("A time in the report is more than a day after the server's clock: check the device's date and time (a device may send its own clock in the {DEVICE_TIME_HEADER} header).")]
    TooFarAhead { field: &'static str },
    #[error("Impossible times: a time in the report is later than the device's own clock ({DEVICE_TIME_HEADER}).")]
    ImpossibleTimes { field: &'static str },
    #[error("The device's clock ({DEVICE_TIME_HEADER}) is more than a year ahead of the server's: set the device's date and time.")]
    DeviceClockOff,
    /// A value for a field whose condition is not met (the form does not ask it).
    #[error("A value is given for a field that does not apply to this report.")]
    DoesNotApply { field: &'static str },
    /// The first problem the form's validation finds, in form order.
    #[error("{}", .0.problem.message()[1])]
    Invalid(FieldError),
}

impl Refusal {
    /// The stable code sent to the app.
    pub fn code(&self) -> ErrorCode {
        match self {
            Refusal::BodyTooLarge { .. } => ErrorCode::BodyTooLarge,
            Refusal::MalformedJson { .. }
            | Refusal::DuplicateKey { .. }
            | Refusal::NonCanonicalNumber { .. } => ErrorCode::MalformedJson,
            Refusal::UnknownSchemaVersion { .. } => ErrorCode::UnknownSchemaVersion,
            Refusal::InvalidId => ErrorCode::InvalidId,
            Refusal::IdMismatch => ErrorCode::IdMismatch,
            Refusal::NotFinal => ErrorCode::NotFinal,
            Refusal::UnknownField { .. } | Refusal::UnknownKey { .. } => ErrorCode::UnknownField,
            Refusal::InvalidShape { .. }
            | Refusal::OverLimit { .. }
            | Refusal::CorrectsNotAnId
            | Refusal::CorrectsItself
            | Refusal::TimeTooEarly { .. }
            | Refusal::FinalizedBeforeCreated
            | Refusal::TooFarAhead { .. }
            | Refusal::ImpossibleTimes { .. }
            | Refusal::DeviceClockOff
            | Refusal::DoesNotApply { .. }
            | Refusal::Invalid(_) => ErrorCode::InvalidReport,
            Refusal::CorrectsUnknown => ErrorCode::CorrectsUnknown,
        }
    }

    /// The field of the report the refusal is about, sent as `field`: a form field's key, or a
    /// path of keys the app writes (`flow_run.events`). Never text the sender chose, except the
    /// unknown key of `values` (returned to its sender; `access::loggable_field` keeps it out
    /// of the log).
    pub fn field(&self) -> Option<&str> {
        match self {
            Refusal::UnknownSchemaVersion { .. } => Some("schema_version"),
            Refusal::InvalidId | Refusal::IdMismatch => Some("id"),
            Refusal::NotFinal => Some("status"),
            Refusal::UnknownField { field } => Some(field),
            Refusal::UnknownKey { at } => (!at.is_empty()).then_some(*at),
            Refusal::OverLimit { field, .. }
            | Refusal::TimeTooEarly { field }
            | Refusal::TooFarAhead { field }
            | Refusal::ImpossibleTimes { field }
            | Refusal::DoesNotApply { field } => Some(field),
            Refusal::CorrectsNotAnId | Refusal::CorrectsItself | Refusal::CorrectsUnknown => {
                Some("corrects")
            }
            Refusal::FinalizedBeforeCreated => Some("finalized_at"),
            Refusal::Invalid(error) => Some(error.field),
            Refusal::BodyTooLarge { .. }
            | Refusal::MalformedJson { .. }
            | Refusal::DuplicateKey { .. }
            | Refusal::NonCanonicalNumber { .. }
            | Refusal::InvalidShape { .. }
            | Refusal::DeviceClockOff => None,
        }
    }
}

/// A report id in its one form, as the app writes it (`uuid::Uuid::to_string`): 36
/// characters, lower-case hex digits in groups of 8-4-4-4-12 joined by hyphens. An upper-case
/// id is refused rather than folded, so that one UUID is never two reports.
pub fn canonical_id(id: &str) -> bool {
    id.len() == 36
        && id.bytes().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => b == b'-',
            _ => b.is_ascii_digit() || (b'a'..=b'f').contains(&b),
        })
}

/// Decides whether the server takes `body`, sent to the address of `path_id`, by `clocks`.
pub fn accept<'a>(path_id: &str, body: &'a [u8], clocks: Clocks) -> Result<Accepted<'a>, Refusal> {
    if body.len() > MAX_BODY_BYTES {
        return Err(Refusal::BodyTooLarge {
            max: MAX_BODY_BYTES,
        });
    }
    if !canonical_id(path_id) {
        return Err(Refusal::InvalidId);
    }
    let value: Json = serde_json::from_slice(body).map_err(|e| Refusal::MalformedJson {
        line: e.line(),
        column: e.column(),
    })?;
    strict(body)?;
    // Every version from 1 to the current one is received: a device that finalized a report
    // before its app was updated still sends it.
    let found = value.get("schema_version").and_then(Json::as_u64);
    let sent_version = match found {
        Some(v) if (1..=u64::from(REPORT_SCHEMA_VERSION)).contains(&v) => v as u32,
        _ => {
            return Err(Refusal::UnknownSchemaVersion {
                found,
                current: REPORT_SCHEMA_VERSION,
            })
        }
    };
    walk(&value)?;
    let value = migrate::to_current(value, sent_version)
        .map_err(|detail| Refusal::InvalidShape { detail })?;
    let report: Report = serde_json::from_value(value).map_err(|e| Refusal::InvalidShape {
        detail: e.to_string(),
    })?;
    if report.id != path_id {
        return Err(Refusal::IdMismatch);
    }
    let Status::Final { finalized_at } = report.status else {
        return Err(Refusal::NotFinal);
    };
    match report.corrects.as_deref() {
        Some(original) if !canonical_id(original) => return Err(Refusal::CorrectsNotAnId),
        Some(original) if original == report.id => return Err(Refusal::CorrectsItself),
        _ => {}
    }
    let now = judge_times(&times_of(&report), report.created_at, finalized_at, clocks)?;
    if let Some(error) = validate_received(&report, server_latest(now), sent_version)
        .into_iter()
        .next()
    {
        return Err(Refusal::Invalid(error));
    }
    if sent_version >= 2 {
        if let Some(field) = inapplicable(&report).into_iter().next() {
            return Err(Refusal::DoesNotApply { field });
        }
    }
    Ok(Accepted {
        report,
        sent_version,
        bytes: body,
    })
}

/// Every moment (UTC) a report holds, with the field it is in: its own times, the
/// confirmation, and the times of its flow run and checklist.
fn times_of(report: &Report) -> Vec<(&'static str, DateTime<Utc>)> {
    let mut times = vec![
        ("created_at", report.created_at),
        ("saved_at", report.saved_at),
    ];
    if let Status::Final { finalized_at } = report.status {
        times.push(("finalized_at", finalized_at));
    }
    for spec in super::schema::FIELDS {
        if matches!(spec.kind, FieldKind::Confirm { .. }) {
            if let Some(at) = parse_utc(report.text(spec.key)) {
                times.push((spec.key, at));
            }
        }
    }
    if let Some(run) = &report.flow_run {
        times.push(("flow_run.started_at", run.started_at));
        times.extend(run.events.iter().map(|e| ("flow_run.events", e.at)));
    }
    if let Some(list) = &report.checklist {
        times.extend(list.started_at.map(|at| ("checklist.started_at", at)));
        times.extend(list.events.iter().map(|e| ("checklist.events", e.at)));
    }
    times
}

/// Judges a report's moments by the clocks and returns the "now" its local times are judged
/// by. Pure: the clocks are passed in.
///
/// - No moment before [`EARLIEST_YEAR`]; `finalized_at` not before `created_at`.
/// - Every moment at most [`MAX_AHEAD`] after the server's clock: accepted.
/// - Otherwise the device's own clock tells a wrong clock from a forged value. When every
///   moment is at most [`DEVICE_CLOCK_DRIFT`] after the device's clock, the device's clock is
///   simply ahead: accepted (up to [`MAX_DEVICE_AHEAD`] ahead), and local times are judged by
///   that clock. A moment later than the device's own clock is impossible: refused, saying so.
/// - Without the device's clock: refused, asking to check the device's date and time.
///
/// A device clock only ever widens the plain rule: a report the plain rule accepts is never
/// refused for what a device's clock says.
pub fn judge_times(
    times: &[(&'static str, DateTime<Utc>)],
    created_at: DateTime<Utc>,
    finalized_at: DateTime<Utc>,
    clocks: Clocks,
) -> Result<DateTime<Utc>, Refusal> {
    if let Some((field, _)) = times.iter().find(|(_, at)| at.year() < EARLIEST_YEAR) {
        return Err(Refusal::TimeTooEarly { field });
    }
    if finalized_at < created_at {
        return Err(Refusal::FinalizedBeforeCreated);
    }
    let Some(&(field, latest)) = times.iter().max_by_key(|(_, at)| *at) else {
        return Ok(clocks.server);
    };
    let device_ok = |device: DateTime<Utc>| device <= clocks.server + MAX_DEVICE_AHEAD;
    if latest <= clocks.server + MAX_AHEAD {
        // A device clock ahead of the server's (within reason) also judges its local times.
        return Ok(match clocks.device {
            Some(device) if device > clocks.server && device_ok(device) => device,
            _ => clocks.server,
        });
    }
    match clocks.device {
        None => Err(Refusal::TooFarAhead { field }),
        Some(device) if latest > device + DEVICE_CLOCK_DRIFT => {
            Err(Refusal::ImpossibleTimes { field })
        }
        Some(device) if !device_ok(device) => Err(Refusal::DeviceClockOff),
        Some(device) => Ok(device),
    }
}

/// The rules JSON leaves open, closed: no key twice in one object (compared after unescaping)
/// and every number a plain integer. `body` is valid JSON already (serde_json read it), so
/// this only looks at keys and numbers. Iterative: no recursion, whatever the nesting.
fn strict(body: &[u8]) -> Result<(), Refusal> {
    use std::collections::HashSet;
    // One entry per open container: the keys of an object, `None` for an array.
    let mut open: Vec<Option<HashSet<Vec<u8>>>> = Vec::new();
    let mut i = 0;
    while i < body.len() {
        match body[i] {
            b'{' => {
                open.push(Some(HashSet::new()));
                i += 1;
            }
            b'[' => {
                open.push(None);
                i += 1;
            }
            b'}' | b']' => {
                open.pop();
                i += 1;
            }
            b'"' => {
                let start = i;
                let mut escaped = false;
                i += 1;
                while body[i] != b'"' {
                    if body[i] == b'\\' {
                        escaped = true;
                        i += 1;
                    }
                    i += 1;
                }
                i += 1;
                let mut next = i;
                while next < body.len() && body[next].is_ascii_whitespace() {
                    next += 1;
                }
                if body.get(next) == Some(&b':') {
                    let key = if escaped {
                        serde_json::from_slice::<String>(&body[start..i])
                            .map(String::into_bytes)
                            .unwrap_or_default()
                    } else {
                        body[start + 1..i - 1].to_vec()
                    };
                    if let Some(Some(keys)) = open.last_mut() {
                        if !keys.insert(key) {
                            let (line, column) = place(body, start);
                            return Err(Refusal::DuplicateKey { line, column });
                        }
                    }
                }
            }
            b'-' | b'0'..=b'9' => {
                let start = i;
                while i < body.len()
                    && matches!(body[i], b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9')
                {
                    i += 1;
                }
                let number = &body[start..i];
                if number == b"-0" || number.iter().any(|b| matches!(b, b'.' | b'e' | b'E')) {
                    let (line, column) = place(body, start);
                    return Err(Refusal::NonCanonicalNumber { line, column });
                }
            }
            _ => i += 1,
        }
    }
    Ok(())
}

/// Line and column (both from 1, the column in bytes, as serde_json counts) of a byte offset.
fn place(body: &[u8], offset: usize) -> (usize, usize) {
    let before = &body[..offset];
    let line = before.iter().filter(|b| **b == b'\n').count() + 1;
    let column = offset
        - before
            .iter()
            .rposition(|b| *b == b'\n')
            .map_or(0, |p| p + 1)
        + 1;
    (line, column)
}

/// Keys the app writes at each level of a report (`Report`, `FlowRun`, `RunEvent`,
/// `Checklist`, `Tick`, `Person` as serialized; tested against a report with all of them).
const REPORT_KEYS: &[&str] = &[
    "id",
    "schema_version",
    "created_at",
    "saved_at",
    "revision",
    "status",
    "finalized_at",
    "values",
    "flow_run",
    "checklist",
    "corrects",
];
const PERSON_KEYS: &[&str] = &["name", "detail"];
const FLOW_RUN_KEYS: &[&str] = &["id", "flow", "started_at", "events"];
const FLOW_EVENT_KEYS: &[&str] = &["at", "event", "node", "answer", "action", "kind"];
const CHECKLIST_KEYS: &[&str] = &["id", "started_at", "events", "kinds", "report"];
const TICK_KEYS: &[&str] = &["item", "at", "done"];

/// Over `max` characters (without counting a huge text to its end).
fn over(text: &str, max: usize) -> bool {
    text.len() > max && text.chars().nth(max).is_some()
}

/// Refuses a key that is not in `keys`, inside `at`.
fn known_keys(
    object: &serde_json::Map<String, Json>,
    keys: &[&str],
    at: &'static str,
) -> Result<(), Refusal> {
    match object.keys().any(|k| !keys.contains(&k.as_str())) {
        true => Err(Refusal::UnknownKey { at }),
        false => Ok(()),
    }
}

/// Refuses a string over `max` characters, or a list over `max` items (other types are left
/// to the typed reading).
fn limit(value: Option<&Json>, field: &'static str, max: usize) -> Result<(), Refusal> {
    match value {
        Some(Json::String(s)) if over(s, max) => Err(Refusal::OverLimit {
            field,
            max,
            what: "characters",
        }),
        _ => Ok(()),
    }
}

fn count<'j>(
    value: Option<&'j Json>,
    field: &'static str,
    max: usize,
    what: &'static str,
) -> Result<&'j [Json], Refusal> {
    match value {
        Some(Json::Array(items)) if items.len() > max => {
            Err(Refusal::OverLimit { field, max, what })
        }
        Some(Json::Array(items)) => Ok(items),
        _ => Ok(&[]),
    }
}

/// The report as sent, before it is read as a `Report`: every key is one the app writes, and
/// every text and list is within its limit (also in values the form's validation does not
/// look at: a field that does not apply, the steps of a flow).
fn walk(report: &Json) -> Result<(), Refusal> {
    let Some(top) = report.as_object() else {
        return Ok(());
    };
    known_keys(top, REPORT_KEYS, "")?;
    limit(top.get("id"), "id", MAX_KEY)?;
    limit(top.get("corrects"), "corrects", MAX_KEY)?;
    if let Some(values) = top.get("values").and_then(Json::as_object) {
        for (key, value) in values {
            let Some(spec) = field(key) else {
                // Named back to its sender as sent, unless it is longer than any key could be.
                return Err(match over(key, MAX_KEY) {
                    true => Refusal::UnknownKey { at: "values" },
                    false => Refusal::UnknownField { field: key.clone() },
                });
            };
            let too_long = || {
                Refusal::Invalid(FieldError {
                    field: spec.key,
                    problem: Problem::TooLong { max: MAX_TEXT },
                })
            };
            match value {
                Json::String(text) if over(text, MAX_TEXT) => return Err(too_long()),
                Json::Array(items) => {
                    if items.len() > MAX_PERSONS {
                        return Err(Refusal::OverLimit {
                            field: spec.key,
                            max: MAX_PERSONS,
                            what: "items",
                        });
                    }
                    for item in items {
                        match item {
                            Json::String(text) if over(text, MAX_TEXT) => return Err(too_long()),
                            Json::Object(person) => {
                                known_keys(person, PERSON_KEYS, spec.key)?;
                                for (part, max) in
                                    [("name", MAX_PERSON_NAME), ("detail", MAX_PERSON_DETAIL)]
                                {
                                    if matches!(person.get(part), Some(Json::String(t)) if over(t, max))
                                    {
                                        return Err(Refusal::Invalid(FieldError {
                                            field: spec.key,
                                            problem: Problem::TooLong { max },
                                        }));
                                    }
                                }
                            }
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
        }
    }
    if let Some(run) = top.get("flow_run").and_then(Json::as_object) {
        known_keys(run, FLOW_RUN_KEYS, "flow_run")?;
        limit(run.get("id"), "flow_run.id", MAX_KEY)?;
        limit(run.get("flow"), "flow_run.flow", MAX_KEY)?;
        for event in count(
            run.get("events"),
            "flow_run.events",
            MAX_FLOW_EVENTS,
            "events",
        )? {
            if let Some(event) = event.as_object() {
                known_keys(event, FLOW_EVENT_KEYS, "flow_run.events")?;
                for key in FLOW_EVENT_KEYS {
                    limit(event.get(*key), "flow_run.events", MAX_KEY)?;
                }
            }
        }
    }
    if let Some(list) = top.get("checklist").and_then(Json::as_object) {
        known_keys(list, CHECKLIST_KEYS, "checklist")?;
        limit(list.get("id"), "checklist.id", MAX_KEY)?;
        limit(list.get("report"), "checklist.report", MAX_KEY)?;
        for kind in count(
            list.get("kinds"),
            "checklist.kinds",
            MAX_CHECKLIST_KINDS,
            "kinds",
        )? {
            limit(Some(kind), "checklist.kinds", MAX_KEY)?;
        }
        for tick in count(
            list.get("events"),
            "checklist.events",
            MAX_CHECKLIST_EVENTS,
            "ticks",
        )? {
            if let Some(tick) = tick.as_object() {
                known_keys(tick, TICK_KEYS, "checklist.events")?;
                limit(tick.get("item"), "checklist.events", MAX_KEY)?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use serde_json::{json, Value as Json};

    use super::*;
    use crate::report::fixtures::{complete_final, id};
    use crate::report::validate::Problem;
    use crate::report::Status;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 1, 6, 9, 0, 0).unwrap()
    }

    fn body(id: &str) -> Json {
        serde_json::to_value(complete_final(id, "Beschrijving")).unwrap()
    }

    fn refused(path_id: &str, body: &Json) -> Refusal {
        accept(path_id, body.to_string().as_bytes(), Clocks::server(now())).unwrap_err()
    }

    /// What a version 1 app sends (its stored fixture's report).
    fn v1_body(id: &str) -> Json {
        let stored: Json =
            serde_json::from_str(include_str!("../../tests/fixtures/report-v1-final.json"))
                .unwrap();
        let mut body = stored["data"].clone();
        body["id"] = Json::from(id);
        body
    }

    #[test]
    fn a_complete_final_report_is_accepted_with_its_exact_bytes() {
        // Odd spacing and key order: what is stored is what was sent, not a re-serialization.
        let text = format!("  {}\n", body(&id(1)));
        let accepted = accept(&id(1), text.as_bytes(), Clocks::server(now())).unwrap();
        assert_eq!(accepted.bytes, text.as_bytes());
        assert_eq!(accepted.sent_version, REPORT_SCHEMA_VERSION);
        assert_eq!(accepted.report, complete_final(&id(1), "Beschrijving"));
    }

    #[test]
    fn a_version_1_report_is_migrated_and_may_leave_what_version_1_did_not_ask() {
        let sent = v1_body(&id(2));
        assert!(sent["values"].get("extreem").is_none());
        let text = sent.to_string();
        let accepted = accept(&id(2), text.as_bytes(), Clocks::server(now())).unwrap();
        assert_eq!(accepted.sent_version, 1);
        assert_eq!(accepted.report.schema_version, REPORT_SCHEMA_VERSION);
        assert_eq!(
            accepted.bytes,
            text.as_bytes(),
            "the bytes sent, not the migrated ones"
        );
        // But what version 1 asked, it still needs.
        let mut sent = v1_body(&id(2));
        sent["values"].as_object_mut().unwrap().remove("plaats");
        assert_eq!(
            refused(&id(2), &sent),
            Refusal::Invalid(FieldError {
                field: "plaats",
                problem: Problem::Missing
            })
        );
    }

    #[test]
    fn a_body_over_the_limit_is_refused_before_it_is_parsed() {
        let big = vec![b'x'; MAX_BODY_BYTES + 1];
        let refusal = accept(&id(3), &big, Clocks::server(now())).unwrap_err();
        assert_eq!(
            refusal,
            Refusal::BodyTooLarge {
                max: MAX_BODY_BYTES
            }
        );
        assert_eq!(refusal.code(), ErrorCode::BodyTooLarge);
        assert!(refusal.to_string().contains(&MAX_BODY_BYTES.to_string()));
    }

    #[test]
    fn malformed_json_names_line_and_column() {
        let refusal = accept(&id(4), b"{\"id\": \n  oops}", Clocks::server(now())).unwrap_err();
        assert_eq!(refusal, Refusal::MalformedJson { line: 2, column: 3 });
        assert_eq!(refusal.code(), ErrorCode::MalformedJson);
        assert_eq!(refusal.field(), None);
        assert_eq!(refusal.to_string(), "Malformed JSON at line 2, column 3.");
        // Bytes that are not UTF-8 are not JSON either.
        assert_eq!(
            accept(&id(4), b"\xff", Clocks::server(now()))
                .unwrap_err()
                .code(),
            ErrorCode::MalformedJson
        );
    }

    #[test]
    fn a_schema_version_outside_1_to_current_is_refused() {
        for (version, found) in [
            (json!(0), Some(0)),
            (json!(99), Some(99)),
            (json!("2"), None),
            (json!(null), None),
        ] {
            let mut sent = body(&id(5));
            sent["schema_version"] = version;
            let refusal = refused(&id(5), &sent);
            assert_eq!(
                refusal,
                Refusal::UnknownSchemaVersion {
                    found,
                    current: REPORT_SCHEMA_VERSION
                }
            );
            assert_eq!(refusal.code(), ErrorCode::UnknownSchemaVersion);
            assert_eq!(refusal.field(), Some("schema_version"));
        }
        let mut sent = body(&id(5));
        sent.as_object_mut().unwrap().remove("schema_version");
        assert!(matches!(
            refused(&id(5), &sent),
            Refusal::UnknownSchemaVersion { found: None, .. }
        ));
    }

    #[test]
    fn a_body_without_the_shape_of_a_report_is_refused() {
        for sent in [
            json!({"schema_version": REPORT_SCHEMA_VERSION}),
            // A version 1 body whose values are not an object fails in its migration.
            json!({"schema_version": 1, "values": []}),
        ] {
            let refusal = refused(&id(6), &sent);
            assert!(
                matches!(refusal, Refusal::InvalidShape { .. }),
                "{refusal:?}"
            );
            assert_eq!(refusal.code(), ErrorCode::InvalidReport);
            assert_eq!(refusal.field(), None);
        }
    }

    #[test]
    fn the_id_in_the_path_must_be_the_reports_id() {
        let refusal = refused(&id(8), &body(&id(7)));
        assert_eq!(refusal, Refusal::IdMismatch);
        assert_eq!(
            (refusal.code(), refusal.field()),
            (ErrorCode::IdMismatch, Some("id"))
        );
    }

    #[test]
    fn a_draft_is_refused() {
        let mut draft = complete_final(&id(9), "x");
        draft.status = Status::Draft;
        let refusal = refused(&id(9), &serde_json::to_value(&draft).unwrap());
        assert_eq!(refusal, Refusal::NotFinal);
        assert_eq!(
            (refusal.code(), refusal.field()),
            (ErrorCode::NotFinal, Some("status"))
        );
    }

    #[test]
    fn a_field_the_form_does_not_have_is_refused_never_kept() {
        let mut sent = body(&id(10));
        sent["values"]["bsn"] = Json::from("123456789");
        let refusal = refused(&id(10), &sent);
        assert_eq!(
            refusal,
            Refusal::UnknownField {
                field: "bsn".into()
            }
        );
        assert_eq!(
            (refusal.code(), refusal.field()),
            (ErrorCode::UnknownField, Some("bsn"))
        );
    }

    #[test]
    fn the_forms_validation_names_the_first_field_in_form_order() {
        let mut sent = body(&id(11));
        let values = sent["values"].as_object_mut().unwrap();
        values.remove("plaats");
        values.remove("omschrijving");
        let refusal = refused(&id(11), &sent);
        assert_eq!(
            refusal,
            Refusal::Invalid(FieldError {
                field: "plaats",
                problem: Problem::Missing
            })
        );
        assert_eq!(
            (refusal.code(), refusal.field()),
            (ErrorCode::InvalidReport, Some("plaats"))
        );
        assert_eq!(refusal.to_string(), "Please fill this in.");
        // A current report must say whether it was extreme.
        let mut sent = body(&id(11));
        sent["values"].as_object_mut().unwrap().remove("extreem");
        assert_eq!(refused(&id(11), &sent).field(), Some("extreem"));
    }

    #[test]
    fn an_incident_time_is_judged_by_the_servers_clock_allowing_for_time_zones() {
        // 14 hours ahead of UTC is a real local time somewhere; more is in the future.
        let at = |local: &str| {
            let mut sent = body(&id(12));
            sent["values"]["datum_tijd"] = Json::from(local);
            sent
        };
        let utc = now().naive_utc();
        let ok = (utc + chrono::Duration::hours(14))
            .format("%Y-%m-%dT%H:%M")
            .to_string();
        // The aftermath's times must not be before the incident: move them along.
        let mut sent = at(&ok);
        sent["values"]["leidinggevende_tijd"] = Json::from(ok.clone());
        sent["values"]["opvang_tijd"] = Json::from(ok.clone());
        assert!(accept(&id(12), sent.to_string().as_bytes(), Clocks::server(now())).is_ok());
        let late = (utc + chrono::Duration::hours(15))
            .format("%Y-%m-%dT%H:%M")
            .to_string();
        assert_eq!(
            refused(&id(12), &at(&late)),
            Refusal::Invalid(FieldError {
                field: "datum_tijd",
                problem: Problem::InTheFuture
            })
        );
    }

    #[test]
    fn the_checks_run_in_their_order() {
        // A draft with another id and an unknown field: the unknown field is named first (the
        // tree as sent is checked before it is read as a report)...
        let mut sent = body(&id(13));
        sent["status"] = Json::from("draft");
        sent["values"]["bsn"] = Json::from("1");
        assert!(matches!(
            refused(&id(14), &sent),
            Refusal::UnknownField { .. }
        ));
        sent["values"].as_object_mut().unwrap().remove("bsn");
        // ...then the id...
        assert_eq!(refused(&id(14), &sent), Refusal::IdMismatch);
        // ...then that it is not final, before its fields.
        assert_eq!(refused(&id(13), &sent), Refusal::NotFinal);
    }

    fn accepts(path_id: &str, body: &Json, clocks: Clocks) -> Result<(), Refusal> {
        accept(path_id, body.to_string().as_bytes(), clocks).map(|_| ())
    }

    fn invalid(field: &'static str, problem: Problem) -> Refusal {
        Refusal::Invalid(FieldError { field, problem })
    }

    // Rule 1: required text and lists.

    #[test]
    fn required_text_that_is_empty_or_only_whitespace_is_refused() {
        for blank in ["", " ", " \t\n ", "\u{a0}"] {
            let mut sent = body(&id(20));
            sent["values"]["plaats"] = Json::from(blank);
            assert_eq!(
                refused(&id(20), &sent),
                invalid("plaats", Problem::Missing),
                "{blank:?}"
            );
        }
        // The confirming name too (a text field like any other).
        let mut sent = body(&id(20));
        sent["values"]["akkoord_naam"] = Json::from("   ");
        assert_eq!(
            refused(&id(20), &sent),
            invalid("akkoord_naam", Problem::Missing)
        );
        // Optional text may be what was typed, spaces included.
        let mut sent = body(&id(20));
        sent["values"]["schade"] = Json::from("  ");
        assert_eq!(accepts(&id(20), &sent, Clocks::server(now())), Ok(()));
    }

    #[test]
    fn required_lists_cannot_be_empty() {
        for key in ["soort", "slachtoffers", "extreem"] {
            let mut sent = body(&id(21));
            sent["values"][key] = json!([]);
            assert_eq!(
                refused(&id(21), &sent),
                invalid(key, Problem::Missing),
                "{key}"
            );
        }
        // A victim without a name is no victim.
        let mut sent = body(&id(21));
        sent["values"]["slachtoffers"] = json!([{"name": "  ", "detail": "x"}]);
        assert_eq!(
            refused(&id(21), &sent),
            invalid("slachtoffers", Problem::NameMissing)
        );
        // An option twice is not what the form writes.
        let mut sent = body(&id(21));
        sent["values"]["soort"] = json!(["verbaal", "verbaal"]);
        assert_eq!(refused(&id(21), &sent), invalid("soort", Problem::Repeated));
    }

    // Rule 2: values of fields that do not apply.

    #[test]
    fn a_value_for_a_field_that_does_not_apply_is_refused_naming_it() {
        // The aggressor is not known, yet a name is given.
        let mut sent = body(&id(22));
        sent["values"]["dader_naam"] = Json::from("J. Jansen");
        let refusal = refused(&id(22), &sent);
        assert_eq!(
            refusal,
            Refusal::DoesNotApply {
                field: "dader_naam"
            }
        );
        assert_eq!(
            (refusal.code(), refusal.field()),
            (ErrorCode::InvalidReport, Some("dader_naam"))
        );
        // What the app finalizes never holds one: finalizing prunes (save::decide).
        let mut report = complete_final(&id(22), "x");
        report
            .values
            .insert("dader_naam".into(), crate::report::Value::Text("J".into()));
        crate::report::prune_inapplicable(&mut report);
        let text = serde_json::to_string(&report).unwrap();
        assert!(accept(&id(22), text.as_bytes(), Clocks::server(now())).is_ok());
    }

    #[test]
    fn a_version_1_report_may_still_hold_a_value_that_stopped_applying() {
        // The version 1 app did not prune when finalizing: such a report waits in outboxes.
        let mut sent = v1_body(&id(23));
        sent["values"]["dader_naam"] = Json::from("J. Jansen");
        assert_eq!(accepts(&id(23), &sent, Clocks::server(now())), Ok(()));
        // Its limits still hold.
        sent["values"]["dader_naam"] = Json::from("x".repeat(MAX_TEXT + 1));
        assert_eq!(
            refused(&id(23), &sent),
            invalid("dader_naam", Problem::TooLong { max: MAX_TEXT })
        );
    }

    // Rule 3: limits.

    #[test]
    fn person_names_and_details_have_a_maximum_and_so_has_their_number() {
        let mut sent = body(&id(24));
        sent["values"]["slachtoffers"] = json!([{"name": "x".repeat(400_000), "detail": ""}]);
        assert_eq!(
            refused(&id(24), &sent),
            invalid(
                "slachtoffers",
                Problem::TooLong {
                    max: MAX_PERSON_NAME
                }
            )
        );
        sent["values"]["slachtoffers"] =
            json!([{"name": "Ans", "detail": "é".repeat(MAX_PERSON_DETAIL + 1)}]);
        assert_eq!(
            refused(&id(24), &sent),
            invalid(
                "slachtoffers",
                Problem::TooLong {
                    max: MAX_PERSON_DETAIL
                }
            )
        );
        // Exactly at the limit, in characters (not bytes), is fine.
        sent["values"]["slachtoffers"] = json!([{
            "name": "é".repeat(MAX_PERSON_NAME),
            "detail": "é".repeat(MAX_PERSON_DETAIL)
        }]);
        assert_eq!(accepts(&id(24), &sent, Clocks::server(now())), Ok(()));
        let many: Vec<Json> = (0..=MAX_PERSONS)
            .map(|i| json!({"name": format!("P{i}"), "detail": ""}))
            .collect();
        sent["values"]["getuigen"] = Json::from(many);
        let refusal = refused(&id(24), &sent);
        assert_eq!(
            refusal,
            Refusal::OverLimit {
                field: "getuigen",
                max: MAX_PERSONS,
                what: "items"
            }
        );
        assert!(refusal.to_string().contains("50 items"), "{refusal}");
        // The form says it in its own words, in persons.
        let mut report = complete_final(&id(24), "x");
        report.values.insert(
            "getuigen".into(),
            crate::report::Value::Persons(
                (0..=MAX_PERSONS)
                    .map(|i| crate::report::Person {
                        name: format!("P{i}"),
                        detail: String::new(),
                    })
                    .collect(),
            ),
        );
        let errors = crate::report::validate::validate(&report, server_latest(now()));
        assert_eq!(
            errors,
            [FieldError {
                field: "getuigen",
                problem: Problem::TooManyPersons { max: MAX_PERSONS }
            }]
        );
        assert!(Problem::TooManyPersons { max: 50 }.message()[1].contains("persons"));
    }

    #[test]
    fn every_string_of_the_flow_run_and_the_checklist_and_corrects_has_a_maximum() {
        let long = "x".repeat(MAX_KEY + 1);
        let cases: Vec<(Json, &str, &str)> = vec![
            (
                json!({"flow_run": {"id": long, "flow": "kantoor", "started_at": "2026-01-05T10:00:00Z", "events": []}}),
                "flow_run.id",
                "characters",
            ),
            (
                json!({"flow_run": {"id": "r", "flow": long, "started_at": "2026-01-05T10:00:00Z", "events": []}}),
                "flow_run.flow",
                "characters",
            ),
            (
                json!({"flow_run": {"id": "r", "flow": "kantoor", "started_at": "2026-01-05T10:00:00Z",
                    "events": [{"at": "2026-01-05T10:00:00Z", "event": "answered", "node": long, "answer": "a"}]}}),
                "flow_run.events",
                "characters",
            ),
            (
                json!({"flow_run": {"id": "r", "flow": "kantoor", "started_at": "2026-01-05T10:00:00Z",
                    "events": vec![json!({"at": "2026-01-05T10:00:00Z", "event": "undone"}); MAX_FLOW_EVENTS + 1]}}),
                "flow_run.events",
                "events",
            ),
            (
                json!({"checklist": {"id": long, "events": []}}),
                "checklist.id",
                "characters",
            ),
            (
                json!({"checklist": {"id": "c", "events": [], "report": long}}),
                "checklist.report",
                "characters",
            ),
            (
                json!({"checklist": {"id": "c", "events": [], "kinds": [long]}}),
                "checklist.kinds",
                "characters",
            ),
            (
                json!({"checklist": {"id": "c", "events": [{"item": long, "at": "2026-01-05T10:00:00Z", "done": true}]}}),
                "checklist.events",
                "characters",
            ),
            (
                json!({"checklist": {"id": "c",
                    "events": vec![json!({"item": "during.0", "at": "2026-01-05T10:00:00Z", "done": true}); MAX_CHECKLIST_EVENTS + 1]}}),
                "checklist.events",
                "ticks",
            ),
            (json!({"corrects": long}), "corrects", "characters"),
        ];
        for (extra, field, what) in cases {
            let mut sent = body(&id(25));
            for (k, v) in extra.as_object().unwrap() {
                sent[k] = v.clone();
            }
            let refusal = refused(&id(25), &sent);
            assert!(
                matches!(refusal, Refusal::OverLimit { field: f, what: w, .. } if f == field && w == what),
                "{field}: {refusal:?}"
            );
            assert_eq!(refusal.field(), Some(field));
            assert!(refusal.to_string().contains(what), "{refusal}");
        }
    }

    // Rule 4: unknown keys at every level.

    /// A report with a flow run and a checklist, every kind of event in them: what the app
    /// can send at most.
    fn full(id_: &str) -> crate::report::Report {
        use crate::protocol::checklist::{Checklist, Tick};
        use crate::protocol::run::{EventKind, FlowRun, RunEvent};
        use crate::protocol::{FlowId, KindId};
        let at = |m| Utc.with_ymd_and_hms(2026, 1, 5, 10, m, 0).unwrap();
        let mut report = complete_final(id_, "x");
        let mut run = FlowRun::new(id(900), FlowId::Kantoor, at(1));
        for kind in [
            EventKind::Answered {
                node: "start".into(),
                answer: "ja".into(),
            },
            EventKind::Counted { node: "n".into() },
            EventKind::Undone,
            EventKind::Ticked {
                node: "n".into(),
                action: "a".into(),
            },
            EventKind::Unticked {
                node: "n".into(),
                action: "a".into(),
            },
            EventKind::Guided {
                kind: KindId::Frustratie,
            },
        ] {
            run.events.push(RunEvent { at: at(2), kind });
        }
        report.flow_run = Some(run);
        let mut list = Checklist::new(id(901), at(3));
        list.events.push(Tick {
            item: "during.0".into(),
            at: at(4),
            done: true,
        });
        list.kinds = vec!["gijzeling".into()];
        list.report = Some(id_.to_owned());
        report.checklist = Some(list);
        report.corrects = Some(id(902));
        report
    }

    #[test]
    fn every_key_the_app_writes_is_known_at_every_level() {
        let text = serde_json::to_string(&full(&id(26))).unwrap();
        assert!(
            text.contains("\"kinds\"") && text.contains("\"action\""),
            "{text}"
        );
        let accepted = accept(&id(26), text.as_bytes(), Clocks::server(now())).unwrap();
        assert_eq!(accepted.report, full(&id(26)));
    }

    #[test]
    fn an_unknown_key_is_refused_at_every_level_without_repeating_it() {
        let secret = "bsn_123456789";
        type Level = fn(&mut Json) -> &mut Json;
        let levels: [(Level, &'static str); 6] = [
            (|r| r, ""),
            (|r| &mut r["values"]["slachtoffers"][0], "slachtoffers"),
            (|r| &mut r["flow_run"], "flow_run"),
            (|r| &mut r["flow_run"]["events"][0], "flow_run.events"),
            (|r| &mut r["checklist"], "checklist"),
            (|r| &mut r["checklist"]["events"][0], "checklist.events"),
        ];
        for (at, path) in levels {
            let mut sent = serde_json::to_value(full(&id(27))).unwrap();
            at(&mut sent)[secret] = Json::from(1);
            let refusal = refused(&id(27), &sent);
            assert_eq!(refusal, Refusal::UnknownKey { at: path }, "{path}");
            assert_eq!(refusal.code(), ErrorCode::UnknownField);
            assert_eq!(refusal.field(), (!path.is_empty()).then_some(path));
            assert!(!refusal.to_string().contains(secret), "{refusal}");
        }
        // In values the key is named back to its sender (never logged), unless it is huge.
        let mut sent = body(&id(27));
        sent["values"]["x".repeat(MAX_KEY + 1)] = Json::from("1");
        assert_eq!(
            refused(&id(27), &sent),
            Refusal::UnknownKey { at: "values" }
        );
    }

    // Rule 5: times.

    fn with_times(created: &str, finalized: &str) -> Json {
        let mut sent = body(&id(28));
        sent["created_at"] = Json::from(created);
        sent["saved_at"] = Json::from(finalized);
        sent["finalized_at"] = Json::from(finalized);
        sent
    }

    #[test]
    fn times_before_2000_or_out_of_order_are_refused() {
        let refusal = refused(
            &id(28),
            &with_times("1999-12-31T23:59:59Z", "2026-01-05T11:30:00Z"),
        );
        assert_eq!(
            refusal,
            Refusal::TimeTooEarly {
                field: "created_at"
            }
        );
        assert_eq!(refusal.field(), Some("created_at"));
        // Year 0 cannot even be written as a time the app reads.
        assert!(matches!(
            refused(
                &id(28),
                &with_times("0000-01-01T00:00:00Z", "2026-01-05T11:30:00Z")
            ),
            Refusal::InvalidShape { .. } | Refusal::TimeTooEarly { .. }
        ));
        assert_eq!(
            refused(
                &id(28),
                &with_times("2026-01-05T11:00:00Z", "2026-01-05T10:59:59Z")
            ),
            Refusal::FinalizedBeforeCreated
        );
        // An incident time before 2000: the form says so too.
        let mut sent = body(&id(28));
        sent["values"]["datum_tijd"] = Json::from("1999-01-05T10:15");
        assert_eq!(
            refused(&id(28), &sent),
            invalid("datum_tijd", Problem::TooEarly { year: 2000 })
        );
    }

    /// A report made entirely on a device whose clock reads `days` after `now()`.
    fn made_ahead(days: i64) -> (Json, DateTime<Utc>) {
        let shift = Duration::days(days);
        let mut report = complete_final(&id(29), "x");
        report.created_at = now() + shift - Duration::minutes(30);
        report.saved_at = now() + shift;
        report.status = Status::Final {
            finalized_at: now() + shift,
        };
        let local = |d: DateTime<Utc>| d.naive_utc().format("%Y-%m-%dT%H:%M").to_string();
        for (key, before) in [
            ("datum_tijd", 50),
            ("leidinggevende_tijd", 40),
            ("opvang_tijd", 35),
        ] {
            report.values.insert(
                key.into(),
                crate::report::Value::Text(local(now() + shift - Duration::minutes(before))),
            );
        }
        report.values.insert(
            "akkoord".into(),
            crate::report::Value::Text(
                (now() + shift - Duration::minutes(1))
                    .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            ),
        );
        (serde_json::to_value(report).unwrap(), now() + shift)
    }

    #[test]
    fn a_time_more_than_a_day_ahead_is_refused_without_the_devices_clock() {
        let (sent, _) = made_ahead(0);
        assert_eq!(accepts(&id(29), &sent, Clocks::server(now())), Ok(()));
        let (sent, _) = made_ahead(2);
        let refusal = refused(&id(29), &sent);
        assert!(
            matches!(refusal, Refusal::TooFarAhead { .. }),
            "{refusal:?}"
        );
        assert!(refusal.to_string().contains(DEVICE_TIME_HEADER));
    }

    #[test]
    fn a_device_clock_days_ahead_still_sends_a_forged_time_is_impossible() {
        // The device's clock reads three days ahead, and its report agrees with it: accepted.
        let (sent, device) = made_ahead(3);
        let clocks = Clocks {
            server: now(),
            device: Some(device + Duration::minutes(2)),
        };
        assert_eq!(accepts(&id(29), &sent, clocks), Ok(()));
        // The same report from a device whose clock is right: its times are later than its own
        // clock, which cannot be.
        let honest = Clocks {
            server: now(),
            device: Some(now()),
        };
        let refusal = accept(&id(29), sent.to_string().as_bytes(), honest).unwrap_err();
        assert!(
            matches!(refusal, Refusal::ImpossibleTimes { .. }),
            "{refusal:?}"
        );
        assert!(refusal.to_string().starts_with("Impossible times"));
        // A clock more than a year ahead explains nothing.
        let (sent, device) = made_ahead(400);
        let clocks = Clocks {
            server: now(),
            device: Some(device),
        };
        assert_eq!(
            accept(&id(29), sent.to_string().as_bytes(), clocks).unwrap_err(),
            Refusal::DeviceClockOff
        );
    }

    #[test]
    fn the_devices_clock_only_ever_widens_the_plain_rule() {
        let at = |h: i64| now() + Duration::hours(h);
        let times = [("created_at", at(-1)), ("finalized_at", at(0))];
        // A device clock behind the server's does not refuse what the plain rule accepts.
        let behind = Clocks {
            server: now(),
            device: Some(at(-72)),
        };
        assert_eq!(judge_times(&times, at(-1), at(0), behind), Ok(now()));
        // Ahead, it also judges local times.
        let ahead = Clocks {
            server: now(),
            device: Some(at(5)),
        };
        assert_eq!(judge_times(&times, at(-1), at(0), ahead), Ok(at(5)));
        // A header that is not a time is no header.
        assert_eq!(
            Clocks::with_header(now(), Some("gisteren")),
            Clocks::server(now())
        );
        assert_eq!(
            Clocks::with_header(now(), Some("2026-01-09T09:00:00+02:00")).device,
            Some(Utc.with_ymd_and_hms(2026, 1, 9, 7, 0, 0).unwrap())
        );
        // Within a day of the server: fine without any header; just over: refused.
        let edge = [("finalized_at", now() + MAX_AHEAD)];
        assert!(judge_times(&edge, now(), now() + MAX_AHEAD, Clocks::server(now())).is_ok());
        let over = [("finalized_at", now() + MAX_AHEAD + Duration::seconds(1))];
        assert_eq!(
            judge_times(&over, now(), over[0].1, Clocks::server(now())),
            Err(Refusal::TooFarAhead {
                field: "finalized_at"
            })
        );
    }

    // Rule 6 (the half core decides): corrects.

    #[test]
    fn corrects_is_a_canonical_id_and_not_the_report_itself() {
        let mut sent = body(&id(30));
        sent["corrects"] = Json::from(id(30));
        assert_eq!(refused(&id(30), &sent), Refusal::CorrectsItself);
        sent["corrects"] = Json::from(id(31).to_uppercase());
        let refusal = refused(&id(30), &sent);
        assert_eq!(refusal, Refusal::CorrectsNotAnId);
        assert_eq!(
            (refusal.code(), refusal.field()),
            (ErrorCode::InvalidReport, Some("corrects"))
        );
        sent["corrects"] = Json::from(id(31));
        assert_eq!(accepts(&id(30), &sent, Clocks::server(now())), Ok(()));
    }

    // Rule 7: one canonical JSON text.

    #[test]
    fn a_key_twice_in_one_object_is_refused_at_any_depth() {
        let text = serde_json::to_string(&full(&id(32))).unwrap();
        for (from, to) in [
            // Top level.
            ("{\"id\":", "{\"revision\":1,\"id\":"),
            // In values.
            ("\"plaats\":", "\"plaats\":\"Elders\",\"plaats\":"),
            // In a person, the second written with an escape.
            ("{\"name\":", "{\"n\\u0061me\":\"X\",\"name\":"),
            // In a flow event.
            (
                "\"event\":\"undone\"",
                "\"event\":\"undone\",\"event\":\"undone\"",
            ),
        ] {
            assert!(text.contains(from), "{from}");
            let sent = text.replacen(from, to, 1);
            let refusal = accept(&id(32), sent.as_bytes(), Clocks::server(now())).unwrap_err();
            assert!(
                matches!(refusal, Refusal::DuplicateKey { .. }),
                "{to}: {refusal:?}"
            );
            assert_eq!(refusal.code(), ErrorCode::MalformedJson);
        }
        // The place is named.
        let sent = "{\"a\":1,\n  \"a\":2}";
        assert_eq!(
            accept(&id(32), sent.as_bytes(), Clocks::server(now())).unwrap_err(),
            Refusal::DuplicateKey { line: 2, column: 3 }
        );
        // The same key in two objects is no duplicate.
        assert!(accept(&id(32), text.as_bytes(), Clocks::server(now())).is_ok());
    }

    #[test]
    fn numbers_are_plain_integers_only() {
        let text = body(&id(33)).to_string();
        assert!(text.contains("\"revision\":0"), "{text}");
        for number in ["0.0", "1e0", "0e5", "-0", "1E2", "0.5"] {
            let sent = text.replace("\"revision\":0", &format!("\"revision\":{number}"));
            let refusal = accept(&id(33), sent.as_bytes(), Clocks::server(now())).unwrap_err();
            assert!(
                matches!(refusal, Refusal::NonCanonicalNumber { line: 1, .. }),
                "{number}: {refusal:?}"
            );
            assert_eq!(refusal.code(), ErrorCode::MalformedJson);
        }
        let sent = text.replace(
            &format!("\"schema_version\":{REPORT_SCHEMA_VERSION}"),
            &format!("\"schema_version\":{REPORT_SCHEMA_VERSION}.0"),
        );
        assert!(matches!(
            accept(&id(33), sent.as_bytes(), Clocks::server(now())).unwrap_err(),
            Refusal::NonCanonicalNumber { .. }
        ));
        // Digits inside a text are text.
        let sent = text.replace("Beschrijving", "1.5e3 -0");
        assert!(accept(&id(33), sent.as_bytes(), Clocks::server(now())).is_ok());
    }

    #[test]
    fn deep_nesting_is_malformed_never_a_stack_overflow() {
        for (open, close) in [("[", "]"), ("{\"a\":", "}")] {
            let deep = format!("{}1{}", open.repeat(100_000), close.repeat(100_000));
            assert!(matches!(
                accept(&id(34), deep.as_bytes(), Clocks::server(now())).unwrap_err(),
                Refusal::MalformedJson { .. }
            ));
        }
    }

    // Rule 8: ids.

    #[test]
    fn an_id_is_one_lower_case_uuid() {
        let upper = id(35).to_uppercase();
        assert!(canonical_id(&id(35)));
        assert!(!canonical_id(&upper));
        let mut sent = body(&id(35));
        sent["id"] = Json::from(upper.clone());
        let refusal = refused(&upper, &sent);
        assert_eq!(refusal, Refusal::InvalidId);
        assert_eq!(
            (refusal.code(), refusal.field()),
            (ErrorCode::InvalidId, Some("id"))
        );
        // An upper-case id in the body under a lower-case address names another report.
        assert_eq!(refused(&id(35), &sent), Refusal::IdMismatch);
        for other in [
            "",
            "0193a0b0000070008000000000000000",
            "{0193a0b0-0000-7000-8000-000000000023}",
        ] {
            assert!(!canonical_id(other), "{other}");
        }
        // What the app and its fixtures make is canonical.
        assert!(canonical_id(&crate::report::fixtures::id(u64::MAX >> 16)));
    }

    // Rule 9: properties.

    mod properties {
        use super::*;
        use proptest::prelude::*;

        /// Arbitrary JSON, a few levels deep.
        fn json() -> impl Strategy<Value = Json> {
            let leaf = prop_oneof![
                Just(Json::Null),
                any::<bool>().prop_map(Json::from),
                any::<i64>().prop_map(Json::from),
                any::<f64>()
                    .prop_map(|f| serde_json::Number::from_f64(f).map_or(Json::Null, Json::Number)),
                ".{0,20}".prop_map(Json::from),
            ];
            leaf.prop_recursive(4, 64, 8, |inner| {
                prop_oneof![
                    prop::collection::vec(inner.clone(), 0..8).prop_map(Json::from),
                    prop::collection::btree_map(
                        prop_oneof![
                            Just("id".to_owned()),
                            Just("values".to_owned()),
                            Just("schema_version".to_owned()),
                            Just("status".to_owned()),
                            Just("plaats".to_owned()),
                            Just("flow_run".to_owned()),
                            Just("events".to_owned()),
                            ".{0,8}"
                        ],
                        inner,
                        0..8
                    )
                    .prop_map(|m| Json::Object(m.into_iter().collect())),
                ]
            })
        }

        /// A valid report with generated free text, persons, options and optional answers.
        fn report() -> impl Strategy<Value = crate::report::Report> {
            (
                any::<u64>(),
                "\\PC{1,40}",
                prop::collection::vec(("\\PC{1,30}", ".{0,30}"), 1..5),
                prop::sample::subsequence(
                    vec!["verbaal", "bedreiging", "intimidatie", "fysiek", "anders"],
                    1..4,
                ),
                any::<bool>(),
                prop::option::of(0u32..10_000_000),
            )
                .prop_map(|(n, text, people, soort, known, amount)| {
                    use crate::report::{Person, Value};
                    let mut r = complete_final(&id(n >> 16), "x");
                    r.set("omschrijving", Value::Text(format!("{text}.")));
                    r.set(
                        "slachtoffers",
                        Value::Persons(
                            people
                                .into_iter()
                                .map(|(name, detail)| Person {
                                    name: format!("{name}x"),
                                    detail,
                                })
                                .collect(),
                        ),
                    );
                    r.set(
                        "soort",
                        Value::Many(soort.into_iter().map(str::to_owned).collect()),
                    );
                    if soort_needs_weapon(&r) {
                        r.set("wapen", Value::Text("nee".into()));
                    }
                    if known {
                        r.set("dader_bekend", Value::Text("ja".into()));
                        r.set("dader_naam", Value::Text(format!("{text}!")));
                        r.set("dader_relatie", Value::Text("huurder".into()));
                    }
                    if let Some(amount) = amount {
                        r.set("schade_bedrag", Value::Text(amount.to_string()));
                    }
                    crate::report::prune_inapplicable(&mut r);
                    r
                })
        }

        fn soort_needs_weapon(r: &crate::report::Report) -> bool {
            r.many("soort")
                .iter()
                .any(|s| s == "bedreiging" || s == "fysiek")
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(512))]

            #[test]
            fn any_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
                let _ = accept(&id(1), &bytes, Clocks::server(now()));
            }

            #[test]
            fn any_json_never_panics(value in json()) {
                let _ = accept(&id(1), value.to_string().as_bytes(), Clocks::server(now()));
                // Also grafted into a valid report, where the walk looks deeper.
                for key in ["values", "flow_run", "checklist", "corrects", "revision"] {
                    let mut sent = body(&id(1));
                    sent[key] = value.clone();
                    let _ = accept(&id(1), sent.to_string().as_bytes(), Clocks::server(now()));
                }
            }

            #[test]
            fn a_generated_valid_report_is_accepted_with_its_exact_bytes(r in report()) {
                let text = serde_json::to_string(&r).unwrap();
                let accepted = accept(&r.id, text.as_bytes(), Clocks::server(now()));
                prop_assert!(accepted.is_ok(), "{:?}", accepted.err());
                let accepted = accepted.unwrap();
                prop_assert_eq!(accepted.bytes, text.as_bytes());
                prop_assert_eq!(accepted.report, r);
            }
        }
    }
}
