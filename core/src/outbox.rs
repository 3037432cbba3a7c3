//! The outbox: one entry per finalized report, with the exact bytes to send and the state of
//! sending. Pure transitions; the PWA (and tests) do the I/O.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::backoff::Backoff;
use crate::report::Report;
use crate::sync::{ApiError, ErrorCode, Receipt};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum State {
    Waiting {
        #[serde(with = "crate::time::rfc3339")]
        next_attempt_at: DateTime<Utc>,
    },
    Sending {
        #[serde(with = "crate::time::rfc3339")]
        since: DateTime<Utc>,
    },
    Delivered {
        receipt: Receipt,
    },
    /// A permanent refusal (4xx): sending again would not help.
    Refused {
        status: u16,
        /// The server's stable error code (`crate::sync::ErrorCode`), or `http_<status>` when
        /// the answer had none; the app translates it.
        code: String,
        /// The server's own sentence, kept for the record (one language: English).
        message: String,
        /// The field the refusal is about, when the server named one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        field: Option<String>,
    },
}

/// Written flat (`"state": "waiting", "next_attempt_at": …` beside the other keys); read
/// through [`EntryWire`], without serde's buffering of flattened tagged enums (see
/// `report::model`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "EntryWire")]
pub struct Entry {
    pub id: String,
    /// Exactly what is PUT, every time: the server compares bytes for idempotency.
    pub body: String,
    #[serde(flatten)]
    pub state: State,
    pub failures: u32,
    #[serde(default)]
    pub last_error: Option<String>,
}

#[derive(Deserialize)]
struct EntryWire {
    id: String,
    body: String,
    state: StateName,
    #[serde(default, with = "crate::time::rfc3339::option")]
    next_attempt_at: Option<DateTime<Utc>>,
    #[serde(default, with = "crate::time::rfc3339::option")]
    since: Option<DateTime<Utc>>,
    #[serde(default)]
    receipt: Option<Receipt>,
    #[serde(default)]
    status: Option<u16>,
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    field: Option<String>,
    failures: u32,
    #[serde(default)]
    last_error: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum StateName {
    Waiting,
    Sending,
    Delivered,
    Refused,
}

impl TryFrom<EntryWire> for Entry {
    type Error = &'static str;

    fn try_from(w: EntryWire) -> Result<Self, Self::Error> {
        let state = match w.state {
            StateName::Waiting => State::Waiting {
                next_attempt_at: w
                    .next_attempt_at
                    .ok_or("a waiting entry needs `next_attempt_at`")?,
            },
            StateName::Sending => State::Sending {
                since: w.since.ok_or("a sending entry needs `since`")?,
            },
            StateName::Delivered => State::Delivered {
                receipt: w.receipt.ok_or("a delivered entry needs `receipt`")?,
            },
            StateName::Refused => State::Refused {
                status: w.status.ok_or("a refused entry needs `status`")?,
                code: w.code.ok_or("a refused entry needs `code`")?,
                message: w.message.ok_or("a refused entry needs `message`")?,
                field: w.field,
            },
        };
        Ok(Entry {
            id: w.id,
            body: w.body,
            state,
            failures: w.failures,
            last_error: w.last_error,
        })
    }
}

/// The envelope version of a stored outbox entry (`crate::envelope`). The shape it stands
/// for is pinned by `core/tests/fixtures/outbox-entry-v1.json`, which the browser tests also
/// use to queue entries: a change to the shape fails `the_stored_shape_is_pinned` until the
/// version, a migration and the fixture change with it.
pub const ENVELOPE_VERSION: u32 = 1;

/// The Background Sync tag under which the app asks the browser to wake the service worker,
/// and the only one the worker answers to (`src/sw.rs`, `src/bin/veilig-sw.rs`).
pub const SYNC_TAG: &str = "veilig-outbox";

/// What came back from one attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Stored(Receipt),
    /// An HTTP answer that is not a success, with its error body if it had one.
    Failed {
        status: u16,
        error: Option<ApiError>,
    },
    /// No answer: offline, connection dropped, timeout.
    NoAnswer(String),
}

impl Outcome {
    /// An HTTP answer read to its end, as an outcome for `id`. Only our own receipt delivers:
    /// a 2xx without it (a proxy, a captive portal) proves nothing, so it is tried again later.
    pub fn from_answer(id: &str, status: u16, body: &str) -> Self {
        if (200..300).contains(&status) {
            match serde_json::from_str::<Receipt>(body) {
                Ok(receipt) if receipt.id == id => Outcome::Stored(receipt),
                _ => Outcome::NoAnswer("unexpected answer".into()),
            }
        } else {
            Outcome::Failed {
                status,
                error: serde_json::from_str::<ApiError>(body).ok(),
            }
        }
    }
}

/// Whether the result of an attempt may be written: only if the stored entry is still the one
/// this attempt marked as sending. Another sender (a second tab, the service worker) that got
/// there first has written its own result, which stands.
pub fn still_mine(stored: Option<&Entry>, marked: &Entry) -> bool {
    stored == Some(marked)
}

/// A sending that started this long ago and never finished (tab closed, app killed) is retried.
pub const STALE_SENDING_SECS: i64 = 120;

impl Entry {
    pub fn new(id: impl Into<String>, body: impl Into<String>, now: DateTime<Utc>) -> Self {
        Self {
            id: id.into(),
            body: body.into(),
            state: State::Waiting {
                next_attempt_at: now,
            },
            failures: 0,
            last_error: None,
        }
    }

    /// The entry for a finalized report: its body is the report's JSON, built here once, and
    /// exactly these bytes are PUT on every attempt.
    pub fn for_report(report: &Report, now: DateTime<Utc>) -> Result<Self, serde_json::Error> {
        Ok(Self::new(
            report.id.clone(),
            serde_json::to_string(report)?,
            now,
        ))
    }

    /// At the app's start, a sending that no page finished (the page was closed or killed) is
    /// put back to waiting, due at once; any other state stays. Returns whether it changed.
    pub fn reset_interrupted(&mut self, now: DateTime<Utc>) -> bool {
        if !matches!(self.state, State::Sending { .. }) {
            return false;
        }
        self.state = State::Waiting {
            next_attempt_at: now,
        };
        true
    }

    /// Delivered, and the report's bytes are still kept in the entry (the user can choose to
    /// remove reports from the device once the server has them).
    pub fn delivered_with_body(&self) -> bool {
        matches!(self.state, State::Delivered { .. }) && !self.body.is_empty()
    }

    pub fn is_due(&self, now: DateTime<Utc>) -> bool {
        match &self.state {
            State::Waiting { next_attempt_at } => *next_attempt_at <= now,
            State::Sending { since } => (now - *since).num_seconds() >= STALE_SENDING_SECS,
            State::Delivered { .. } | State::Refused { .. } => false,
        }
    }

    /// Whether a run sends this entry now: when it is due, or when the user pressed "send now"
    /// (`forced`) and it waits for its backoff.
    pub fn should_send(&self, now: DateTime<Utc>, forced: bool) -> bool {
        self.is_due(now) || (forced && matches!(self.state, State::Waiting { .. }))
    }

    /// Whether the app's timer should look at the outbox again: the entry is due, or it is being
    /// sent (by this page, another tab or the service worker), so its result will be stored
    /// soon and the screen must show it.
    pub fn worth_a_look(&self, now: DateTime<Utc>) -> bool {
        self.is_due(now) || matches!(self.state, State::Sending { .. })
    }

    /// Still to arrive (counted in the "waiting for a connection" badge).
    pub fn is_pending(&self) -> bool {
        matches!(self.state, State::Waiting { .. } | State::Sending { .. })
    }

    pub fn start(&mut self, now: DateTime<Utc>) {
        self.state = State::Sending { since: now };
    }

    pub fn finish(&mut self, outcome: Outcome, now: DateTime<Utc>, backoff: Backoff, jitter: f64) {
        match outcome {
            Outcome::Stored(receipt) => {
                self.state = State::Delivered { receipt };
                self.last_error = None;
            }
            // Not this report's fault: it waits, with the normal backoff (`waits_on`).
            Outcome::Failed {
                error: Some(ApiError { code, .. }),
                ..
            } if waits_on(&code) => self.retry_later(code, now, backoff, jitter),
            Outcome::Failed { status, error } if is_permanent(status) => {
                let (code, message, field) = match error {
                    Some(e) => (e.code, e.message, e.field),
                    None => (http_code(status), String::new(), None),
                };
                self.last_error = Some(code.clone());
                self.state = State::Refused {
                    status,
                    code,
                    message,
                    field,
                };
            }
            // Kept as a code (the server's, or `http_<status>`): the app says it in words.
            Outcome::Failed { status, error } => {
                let code = error.map(|e| e.code).unwrap_or_else(|| http_code(status));
                self.retry_later(code, now, backoff, jitter);
            }
            Outcome::NoAnswer(reason) => self.retry_later(reason, now, backoff, jitter),
        }
    }

    fn retry_later(&mut self, reason: String, now: DateTime<Utc>, backoff: Backoff, jitter: f64) {
        self.failures = self.failures.saturating_add(1);
        self.last_error = Some(reason);
        self.state = State::Waiting {
            next_attempt_at: now + backoff.delay(self.failures, jitter),
        };
    }
}

/// Why the outbox cannot deliver anything, whatever the reports say: the server takes reports
/// only from an enrolled device. Never a refusal: the entries stay pending on the device.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hold {
    /// The last answer was `device_not_enrolled`: this device was never enrolled (or lost its
    /// credential, e.g. when the browser's data was cleared).
    NotEnrolled,
    /// The last answer was `device_revoked`: a manager unlinked this device, or its
    /// enrollment expired.
    Revoked,
}

/// Refusals that are not the report's fault, so that it waits and goes again, whatever the
/// status: the device is not (or no longer) enrolled (`hold_for`: until it is), the report
/// corrects one that has not arrived yet (until that one has), or the server's disk is full
/// (until someone makes room: the server sends it as 507, which is retried anyway, but a proxy
/// or a later server may carry it with another status, and the report must never be dropped
/// for it).
pub fn waits_on(code: &str) -> bool {
    hold_for(code).is_some()
        || code == ErrorCode::CorrectsUnknown.as_str()
        || code == ErrorCode::StorageFull.as_str()
}

/// The hold an error code stands for, if it is one of the two device codes.
pub fn hold_for(code: &str) -> Option<Hold> {
    match code {
        "device_not_enrolled" => Some(Hold::NotEnrolled),
        "device_revoked" => Some(Hold::Revoked),
        _ => None,
    }
}

/// Whether the outbox is held, and why: a pending entry whose last attempt was answered with a
/// device code. Revoked wins over not enrolled (it is the later fact: a revoked device was
/// enrolled once, and needs a new code either way).
pub fn held_by(entries: &[Entry]) -> Option<Hold> {
    let mut held = None;
    for e in entries.iter().filter(|e| e.is_pending()) {
        match e.last_error.as_deref().and_then(hold_for) {
            Some(Hold::Revoked) => return Some(Hold::Revoked),
            Some(hold) => held = Some(hold),
            None => {}
        }
    }
    held
}

/// What "Bewaar niet-verzonden registraties als bestand" saves: a JSON array of the exact
/// bodies of every pending entry (each is the report's JSON as stored, so the bytes are the
/// ones the server would have received).
pub fn unsent_file(entries: &[Entry]) -> String {
    let mut out = String::from("[");
    for e in entries
        .iter()
        .filter(|e| e.is_pending() && !e.body.is_empty())
    {
        if out.len() > 1 {
            out.push(',');
        }
        out.push_str(&e.body);
    }
    out.push(']');
    out
}

/// The name of that file on `day` (the device's date): `veilig-niet-verzonden-2026-11-30.json`.
pub fn unsent_file_name(year: i32, month: u32, day: u32) -> String {
    format!("veilig-niet-verzonden-{year:04}-{month:02}-{day:02}.json")
}

/// The code for an answer that carried no error body of ours.
fn http_code(status: u16) -> String {
    format!("http_{status}")
}

/// 4xx answers are final, except those that mean "try again": timeout and too many requests.
pub fn is_permanent(status: u16) -> bool {
    (400..500).contains(&status) && status != 408 && status != 429
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t(s: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 30, 12, 0, 0).unwrap() + chrono::Duration::seconds(s)
    }

    fn receipt() -> Receipt {
        Receipt {
            id: "r".into(),
            received_at: "2026-11-30T12:00:00Z".into(),
            seq: 1,
            content_hash: "ab".into(),
        }
    }

    #[test]
    fn a_new_entry_is_due_at_once_and_pending() {
        let e = Entry::new("r", "{}", t(0));
        assert!(e.is_due(t(0)));
        assert!(e.is_pending());
    }

    #[test]
    fn a_receipt_delivers() {
        let mut e = Entry::new("r", "{}", t(0));
        e.start(t(0));
        e.finish(Outcome::Stored(receipt()), t(1), Backoff::default(), 0.0);
        assert_eq!(e.state, State::Delivered { receipt: receipt() });
        assert!(!e.is_pending() && !e.is_due(t(10_000)));
    }

    #[test]
    fn server_errors_and_silence_are_retried_later_with_growing_delays() {
        let mut e = Entry::new("r", "{}", t(0));
        e.finish(
            Outcome::Failed {
                status: 500,
                error: None,
            },
            t(0),
            Backoff::default(),
            1.0,
        );
        assert_eq!(
            e.state,
            State::Waiting {
                next_attempt_at: t(2)
            }
        );
        e.finish(
            Outcome::NoAnswer("offline".into()),
            t(2),
            Backoff::default(),
            1.0,
        );
        assert_eq!(
            e.state,
            State::Waiting {
                next_attempt_at: t(6)
            }
        );
        assert_eq!(e.failures, 2);
        assert_eq!(e.last_error.as_deref(), Some("offline"));
        assert!(!e.is_due(t(5)) && e.is_due(t(6)));
    }

    #[test]
    fn a_permanent_refusal_stops_and_keeps_the_reason() {
        let mut e = Entry::new("r", "{}", t(0));
        let error = ApiError {
            code: "conflict".into(),
            message: "Andere inhoud".into(),
            field: None,
        };
        e.finish(
            Outcome::Failed {
                status: 409,
                error: Some(error),
            },
            t(0),
            Backoff::default(),
            0.0,
        );
        assert_eq!(
            e.state,
            State::Refused {
                status: 409,
                code: "conflict".into(),
                message: "Andere inhoud".into(),
                field: None,
            }
        );
        assert_eq!(e.last_error.as_deref(), Some("conflict"));
        assert!(!e.is_pending());

        // No error body: the status becomes the code, and core writes no sentence of its own.
        let mut bare = Entry::new("r", "{}", t(0));
        bare.finish(
            Outcome::Failed {
                status: 404,
                error: None,
            },
            t(0),
            Backoff::default(),
            0.0,
        );
        assert_eq!(
            bare.state,
            State::Refused {
                status: 404,
                code: "http_404".into(),
                message: String::new(),
                field: None,
            }
        );
    }

    #[test]
    fn timeouts_and_rate_limits_are_not_permanent() {
        assert!(!is_permanent(408) && !is_permanent(429) && !is_permanent(503));
        assert!(is_permanent(400) && is_permanent(409) && is_permanent(413) && is_permanent(422));
    }

    #[test]
    fn a_sending_interrupted_long_ago_is_due_again() {
        let mut e = Entry::new("r", "{}", t(0));
        e.start(t(0));
        assert!(!e.is_due(t(60)));
        assert!(e.is_due(t(STALE_SENDING_SECS)));
    }

    #[test]
    fn an_entry_round_trips_through_json_in_every_state() {
        let waiting = Entry::new("r", "{\"a\":1}", t(0));
        let mut sending = waiting.clone();
        sending.start(t(1));
        let mut delivered = sending.clone();
        delivered.finish(Outcome::Stored(receipt()), t(1), Backoff::default(), 0.0);
        let mut refused = sending.clone();
        refused.state = State::Refused {
            status: 422,
            code: "invalid_report".into(),
            message: "Please fill this in.".into(),
            field: Some("plaats".into()),
        };
        for e in [waiting, sending, delivered, refused] {
            let json = serde_json::to_string(&e).unwrap();
            let back: Entry = serde_json::from_str(&json).unwrap();
            assert_eq!(back, e, "{json}");
        }
        let missing = r#"{"id":"r","body":"x","state":"refused","status":422,"failures":1}"#;
        let err = serde_json::from_str::<Entry>(missing).unwrap_err();
        assert!(err.to_string().contains("code"), "{err}");
    }

    #[test]
    fn an_answer_becomes_an_outcome() {
        let body = serde_json::to_string(&receipt()).unwrap();
        assert_eq!(
            Outcome::from_answer("r", 201, &body),
            Outcome::Stored(receipt())
        );
        assert_eq!(
            Outcome::from_answer("r", 200, &body),
            Outcome::Stored(receipt())
        );
        // Someone else's receipt, or a 2xx page from a captive portal, delivers nothing.
        for (status, body) in [(200, body.as_str()), (200, "<html>wifi login</html>")] {
            assert_eq!(
                Outcome::from_answer("other", status, body),
                Outcome::NoAnswer("unexpected answer".into())
            );
        }
        let refused = r#"{"code":"invalid_report","message":"Vul dit in.","field":"plaats"}"#;
        assert_eq!(
            Outcome::from_answer("r", 422, refused),
            Outcome::Failed {
                status: 422,
                error: Some(ApiError {
                    code: "invalid_report".into(),
                    message: "Vul dit in.".into(),
                    field: Some("plaats".into()),
                })
            }
        );
        assert_eq!(
            Outcome::from_answer("r", 502, "Bad Gateway"),
            Outcome::Failed {
                status: 502,
                error: None
            }
        );
    }

    #[test]
    fn only_the_sender_that_still_holds_the_entry_writes_its_result() {
        let mut marked = Entry::new("r", "{}", t(0));
        marked.start(t(1));
        assert!(still_mine(Some(&marked), &marked));
        let mut other = marked.clone();
        other.finish(Outcome::Stored(receipt()), t(2), Backoff::default(), 0.0);
        assert!(
            !still_mine(Some(&other), &marked),
            "delivered by another sender"
        );
        let mut restarted = marked.clone();
        restarted.start(t(3));
        assert!(
            !still_mine(Some(&restarted), &marked),
            "another sender started later"
        );
        assert!(!still_mine(None, &marked));
    }

    #[test]
    fn the_body_of_an_entry_is_the_reports_json() {
        let report = crate::report::fixtures::complete_final(&crate::report::fixtures::id(1), "x");
        let e = Entry::for_report(&report, t(0)).unwrap();
        assert_eq!(e.id, report.id);
        assert_eq!(e.body, serde_json::to_string(&report).unwrap());
        assert!(e.is_due(t(0)));
    }

    #[test]
    fn only_an_interrupted_sending_is_reset_at_start() {
        let mut e = Entry::new("r", "{}", t(0));
        e.start(t(5));
        assert!(e.reset_interrupted(t(6)));
        assert_eq!(
            e.state,
            State::Waiting {
                next_attempt_at: t(6)
            }
        );
        assert!(!e.reset_interrupted(t(7)), "waiting stays waiting");
        e.finish(Outcome::Stored(receipt()), t(8), Backoff::default(), 0.0);
        assert!(!e.reset_interrupted(t(9)));
        assert!(e.delivered_with_body());
        e.body.clear();
        assert!(!e.delivered_with_body());
    }

    #[test]
    fn the_stored_shape_is_pinned() {
        let fixture = include_str!("../tests/fixtures/outbox-entry-v1.json").trim();
        let at = crate::time::parse_utc("2026-01-05T11:30:00Z").unwrap();
        let entry = Entry::new("ID", "BODY", at);
        assert_eq!(
            crate::envelope::encode(ENVELOPE_VERSION, &entry).unwrap(),
            fixture,
            "the outbox entry's stored shape changed: raise ENVELOPE_VERSION, add a migration \
             and a new fixture"
        );
        let back: Entry = crate::envelope::decode(fixture, &[]).unwrap();
        assert_eq!(back, entry);

        // Every other state, one line each, as stored.
        let states = include_str!("../tests/fixtures/outbox-entry-v1-states.jsonl");
        let mut sending = entry.clone();
        sending.start(at);
        let mut delivered = sending.clone();
        delivered.finish(Outcome::Stored(receipt()), at, Backoff::default(), 0.0);
        let mut refused = sending.clone();
        refused.finish(
            Outcome::Failed {
                status: 422,
                error: Some(ApiError {
                    code: "invalid_report".into(),
                    message: "Please fill this in.".into(),
                    field: Some("plaats".into()),
                }),
            },
            at,
            Backoff::default(),
            0.0,
        );
        let mut bare = sending.clone();
        bare.finish(
            Outcome::Failed {
                status: 404,
                error: None,
            },
            at,
            Backoff::default(),
            0.0,
        );
        let mut retried = sending.clone();
        retried.finish(
            Outcome::Failed {
                status: 503,
                error: None,
            },
            at,
            Backoff::default(),
            1.0,
        );
        let lines: Vec<&str> = states.lines().filter(|l| !l.trim().is_empty()).collect();
        let made = [sending, delivered, refused, bare, retried];
        assert_eq!(lines.len(), made.len());
        for (line, entry) in lines.iter().zip(made) {
            assert_eq!(
                crate::envelope::encode(ENVELOPE_VERSION, &entry).unwrap(),
                *line,
                "the stored shape of a {:?} entry changed",
                entry.state
            );
            let back: Entry = crate::envelope::decode(line, &[]).unwrap();
            assert_eq!(back, entry);
        }
    }

    fn device_answer(status: u16, code: &str) -> Outcome {
        Outcome::Failed {
            status,
            error: Some(ApiError {
                code: code.into(),
                message: "Enroll this device first.".into(),
                field: None,
            }),
        }
    }

    #[test]
    fn an_unenrolled_or_revoked_device_is_never_a_refusal() {
        // Whatever the status: 401 as the server sends it, or a 403/400 from a future server.
        for code in ["device_not_enrolled", "device_revoked"] {
            for status in [401, 403, 400, 500] {
                let mut e = Entry::new("r", "{}", t(0));
                e.start(t(0));
                e.finish(device_answer(status, code), t(0), Backoff::default(), 1.0);
                assert_eq!(
                    e.state,
                    State::Waiting {
                        next_attempt_at: t(2)
                    },
                    "{code} {status}: waits with the normal backoff"
                );
                assert!(e.is_pending(), "{code} {status}");
                assert_eq!(e.last_error.as_deref(), Some(code));
                assert_eq!(e.failures, 1);
                // Retried later, and again with a growing delay.
                assert!(!e.is_due(t(1)) && e.is_due(t(2)));
                e.start(t(2));
                e.finish(device_answer(status, code), t(2), Backoff::default(), 1.0);
                assert_eq!(
                    e.state,
                    State::Waiting {
                        next_attempt_at: t(6)
                    }
                );
                assert!(e.should_send(t(3), true), "\"send now\" after enrolling");
            }
        }
        // Another 401 stays what it was: final.
        let mut other = Entry::new("r", "{}", t(0));
        other.finish(
            device_answer(401, "unauthorized"),
            t(0),
            Backoff::default(),
            0.0,
        );
        assert!(matches!(other.state, State::Refused { status: 401, .. }));
    }

    #[test]
    fn a_correction_that_arrives_before_its_original_waits_for_it() {
        let refused = |code: &str| Outcome::Failed {
            status: 422,
            error: Some(ApiError {
                code: code.into(),
                message: "…".into(),
                field: Some("corrects".into()),
            }),
        };
        let mut correction = Entry::new("c", "{}", t(0));
        correction.start(t(0));
        correction.finish(refused("corrects_unknown"), t(0), Backoff::default(), 1.0);
        assert!(
            correction.is_pending(),
            "sent again once the original is there"
        );
        assert_eq!(correction.last_error.as_deref(), Some("corrects_unknown"));
        // A `corrects` that is not an id, or names the report itself, is the report's own
        // problem: final.
        let mut other = Entry::new("r", "{}", t(0));
        other.finish(refused("invalid_report"), t(0), Backoff::default(), 1.0);
        assert!(matches!(other.state, State::Refused { status: 422, .. }));
    }

    #[test]
    fn a_full_server_disk_is_retried_later_never_refused() {
        let full = |status: u16| Outcome::Failed {
            status,
            error: Some(ApiError {
                code: "storage_full".into(),
                message: "The server's disk is full; try again later.".into(),
                field: None,
            }),
        };
        assert!(!is_permanent(507), "507 Insufficient Storage is not final");
        assert!(waits_on("storage_full"));
        // 507 as the server sends it; 400 and 413 as a proxy or a later server might.
        for status in [507, 400, 413] {
            let mut e = Entry::new("r", "{}", t(0));
            e.start(t(0));
            e.finish(full(status), t(0), Backoff::default(), 1.0);
            assert_eq!(
                e.state,
                State::Waiting {
                    next_attempt_at: t(2)
                },
                "{status}: waits with the normal backoff"
            );
            assert_eq!(e.last_error.as_deref(), Some("storage_full"));
            assert_eq!(
                held_by(std::slice::from_ref(&e)),
                None,
                "a full disk holds no device"
            );
            // Sent again later, and delivered once the server has room.
            assert!(e.is_due(t(2)));
            e.start(t(2));
            e.finish(Outcome::Stored(receipt()), t(3), Backoff::default(), 1.0);
            assert!(matches!(e.state, State::Delivered { .. }), "{status}");
        }
        // Without our body (a bare 507 from a proxy) it is retried too.
        let mut bare = Entry::new("r", "{}", t(0));
        bare.finish(
            Outcome::Failed {
                status: 507,
                error: None,
            },
            t(0),
            Backoff::default(),
            1.0,
        );
        assert!(bare.is_pending());
        assert_eq!(bare.last_error.as_deref(), Some("http_507"));
    }

    #[test]
    fn the_outbox_is_held_while_a_pending_entry_was_answered_with_a_device_code() {
        let answered = |code: &str| {
            let mut e = Entry::new("r", "{}", t(0));
            e.finish(device_answer(401, code), t(0), Backoff::default(), 0.0);
            e
        };
        let not_enrolled = answered("device_not_enrolled");
        let revoked = answered("device_revoked");
        assert_eq!(held_by(&[]), None);
        assert_eq!(held_by(&[failed_once()]), None, "offline is no hold");
        assert_eq!(
            held_by(&[failed_once(), not_enrolled.clone()]),
            Some(Hold::NotEnrolled)
        );
        assert_eq!(held_by(std::slice::from_ref(&revoked)), Some(Hold::Revoked));
        assert_eq!(
            held_by(&[not_enrolled.clone(), revoked.clone(), failed_once()]),
            Some(Hold::Revoked)
        );
        // Being sent again still holds until an answer says otherwise.
        let mut sending = not_enrolled.clone();
        sending.start(t(1));
        assert_eq!(
            held_by(std::slice::from_ref(&sending)),
            Some(Hold::NotEnrolled)
        );
        // Delivered after enrolling: no hold any more.
        let mut delivered = sending;
        delivered.finish(Outcome::Stored(receipt()), t(2), Backoff::default(), 0.0);
        assert_eq!(delivered.last_error, None);
        assert_eq!(held_by(std::slice::from_ref(&delivered)), None);
        // Only pending entries count: a refused entry's code holds nothing.
        let mut refused = revoked;
        refused.state = State::Refused {
            status: 401,
            code: "device_revoked".into(),
            message: String::new(),
            field: None,
        };
        assert_eq!(held_by(&[refused, delivered]), None);
        assert_eq!(hold_for("conflict"), None);
    }

    #[test]
    fn the_unsent_file_holds_the_exact_bodies_of_every_pending_entry() {
        let report = crate::report::fixtures::complete_final(&crate::report::fixtures::id(1), "x");
        let waiting = Entry::for_report(&report, t(0)).unwrap();
        let mut sending = Entry::new("s", r#"{"id":"s","note":"é \" ,]"}"#, t(0));
        sending.start(t(0));
        let mut delivered = Entry::new("d", r#"{"id":"d"}"#, t(0));
        delivered.finish(Outcome::Stored(receipt()), t(0), Backoff::default(), 0.0);
        let mut refused = Entry::new("x", r#"{"id":"x"}"#, t(0));
        refused.finish(
            Outcome::Failed {
                status: 409,
                error: None,
            },
            t(0),
            Backoff::default(),
            0.0,
        );
        let file = unsent_file(&[waiting.clone(), delivered, sending.clone(), refused]);
        assert_eq!(file, format!("[{},{}]", waiting.body, sending.body));
        let read: Vec<serde_json::Value> = serde_json::from_str(&file).unwrap();
        assert_eq!(read.len(), 2);
        let back: crate::report::Report = serde_json::from_value(read[0].clone()).unwrap();
        assert_eq!(back, report);
        assert_eq!(unsent_file(&[]), "[]");
        assert_eq!(
            unsent_file_name(2026, 1, 5),
            "veilig-niet-verzonden-2026-01-05.json"
        );
    }

    /// An entry whose first attempt got no answer: it waits for its backoff (until `t(2)`).
    fn failed_once() -> Entry {
        let mut e = Entry::new("r", "{}", t(0));
        e.finish(
            Outcome::NoAnswer("offline".into()),
            t(0),
            Backoff::default(),
            1.0,
        );
        e
    }

    #[test]
    fn send_now_skips_the_backoff_but_nothing_else() {
        let mut e = failed_once();
        assert!(!e.should_send(t(1), false));
        assert!(e.should_send(t(1), true));
        e.start(t(1));
        assert!(!e.should_send(t(2), true), "already being sent");
        e.finish(Outcome::Stored(receipt()), t(2), Backoff::default(), 0.0);
        assert!(!e.should_send(t(3), true), "delivered");
    }

    #[test]
    fn the_app_looks_again_while_someone_sends() {
        let mut e = failed_once();
        assert!(!e.worth_a_look(t(1)), "waiting for its backoff");
        e.start(t(1));
        assert!(
            !e.is_due(t(2)) && e.worth_a_look(t(2)),
            "another sender holds it"
        );
        e.finish(Outcome::Stored(receipt()), t(3), Backoff::default(), 0.0);
        assert!(!e.worth_a_look(t(4)));
    }
}
