//! Hostile input over real HTTP: one table of bad requests, each with the status, code and
//! field it must get, every answer JSON, and afterwards the SQLite file holds only the reports
//! that were acknowledged. Sent over raw TCP, so that a row can declare a length it never sends,
//! or send chunked without a length.

mod common;

use std::time::{Duration, Instant};

use chrono::{SecondsFormat, Utc};
use rand::Rng;
use serde_json::{json, Value as Json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use veilig_core::report::accept::DEVICE_TIME_HEADER;
use veilig_core::report::schema::limits::MAX_FLOW_EVENTS;
use veilig_core::report::{Person, Report, Value};
use veilig_core::sync::{ApiError, Receipt, MAX_BODY_BYTES};

/// How a row's body is framed.
#[derive(Clone, Copy)]
enum Framing {
    /// `Content-Length` of the body, and the body.
    Length,
    /// `Transfer-Encoding: chunked`, no length.
    Chunked,
    /// `Content-Length: n`, then only the bytes of the row (the rest never comes).
    Declared(u64),
}

struct Row {
    name: &'static str,
    /// The id in the address.
    id: String,
    body: Vec<u8>,
    framing: Framing,
    headers: Vec<(&'static str, String)>,
    status: u16,
    /// `code` of the error body, or "" for a receipt.
    code: &'static str,
    field: Option<&'static str>,
}

fn row(
    name: &'static str,
    id: &str,
    body: impl Into<Vec<u8>>,
    status: u16,
    code: &'static str,
    field: Option<&'static str>,
) -> Row {
    Row {
        name,
        id: id.to_owned(),
        body: body.into(),
        framing: Framing::Length,
        headers: Vec::new(),
        status,
        code,
        field,
    }
}

/// One raw HTTP/1.1 answer.
struct Answer {
    status: u16,
    content_type: String,
    body: Vec<u8>,
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// The status, content type and body once the head and `Content-Length` bytes are in.
fn parse(bytes: &[u8]) -> Option<Answer> {
    let end = find(bytes, b"\r\n\r\n")?;
    let head = std::str::from_utf8(&bytes[..end]).ok()?;
    let status = head.split(' ').nth(1)?.parse().ok()?;
    let header = |name: &str| {
        head.lines()
            .filter_map(|l| l.split_once(':'))
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.trim().to_owned())
    };
    let length: usize = header("content-length")?.parse().ok()?;
    let body = bytes.get(end + 4..end + 4 + length)?.to_vec();
    Some(Answer {
        status,
        content_type: header("content-type").unwrap_or_default(),
        body,
    })
}

/// Sends one request over its own connection and reads the answer while the body is still
/// being written (the server may answer before it has read it all, and then close).
async fn send(port: u16, cookie: &str, row: &Row) -> Answer {
    let stream = tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .unwrap();
    let (mut read, mut write) = stream.into_split();
    let mut head = format!(
        "PUT /api/v1/reports/{} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nCookie: {cookie}\r\nConnection: close\r\n",
        row.id
    );
    for (name, value) in &row.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    match row.framing {
        Framing::Length => head.push_str(&format!("Content-Length: {}\r\n", row.body.len())),
        Framing::Declared(n) => head.push_str(&format!("Content-Length: {n}\r\n")),
        Framing::Chunked => head.push_str("Transfer-Encoding: chunked\r\n"),
    }
    head.push_str("\r\n");
    let mut out = head.into_bytes();
    match row.framing {
        Framing::Chunked => {
            for chunk in row.body.chunks(64 * 1024) {
                out.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
                out.extend_from_slice(chunk);
                out.extend_from_slice(b"\r\n");
            }
            out.extend_from_slice(b"0\r\n\r\n");
        }
        _ => out.extend_from_slice(&row.body),
    }
    let writer = tokio::spawn(async move {
        // A refused body may be cut off by the server: that is its right.
        let _ = write.write_all(&out).await;
        // The write half stays open until the answer is read (a half-closed connection is a
        // client that went away), as a sender that never finishes would keep it.
        tokio::time::sleep(Duration::from_secs(60)).await;
        drop(write);
    });
    let mut got = Vec::new();
    let mut buf = vec![0u8; 64 * 1024];
    let answer = tokio::time::timeout(Duration::from_secs(20), async {
        loop {
            if let Some(answer) = parse(&got) {
                return answer;
            }
            match read.read(&mut buf).await {
                Ok(0) | Err(_) => panic!(
                    "{}: the connection ended without a whole answer: {:?}",
                    row.name,
                    String::from_utf8_lossy(&got)
                ),
                Ok(n) => got.extend_from_slice(&buf[..n]),
            }
        }
    })
    .await
    .unwrap_or_else(|_| panic!("{}: no answer in time", row.name));
    writer.abort();
    answer
}

fn rfc3339(at: chrono::DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn id(n: u64) -> String {
    common::id(n)
}

fn report(n: u64) -> Json {
    serde_json::to_value(common::report(&id(n), &format!("Melding {n}"))).unwrap()
}

fn text(value: &Json) -> Vec<u8> {
    value.to_string().into_bytes()
}

/// `report(n)` changed by `edit`.
fn edited(n: u64, edit: impl FnOnce(&mut Json)) -> Vec<u8> {
    let mut value = report(n);
    edit(&mut value);
    text(&value)
}

/// A report with a flow run and a checklist, so that their levels can be tampered with.
fn with_steps(n: u64) -> Json {
    let mut value = report(n);
    value["flow_run"] = json!({
        "id": id(9000 + n), "flow": "kantoor", "started_at": "2026-01-05T10:00:00Z",
        "events": [{"at": "2026-01-05T10:01:00Z", "event": "answered", "node": "start", "answer": "ja"}]
    });
    value["checklist"] = json!({
        "id": id(9100 + n), "started_at": "2026-01-05T10:00:00Z",
        "events": [{"item": "during.0", "at": "2026-01-05T10:02:00Z", "done": true}]
    });
    value
}

/// A report whose every time is `days` after now, as a device whose clock is that far ahead
/// makes it.
fn made_ahead(n: u64, days: i64) -> (Vec<u8>, chrono::DateTime<Utc>) {
    let device = Utc::now() + chrono::Duration::days(days);
    let local = |minutes: i64| {
        (device - chrono::Duration::minutes(minutes))
            .naive_utc()
            .format("%Y-%m-%dT%H:%M")
            .to_string()
    };
    let mut value = report(n);
    value["created_at"] = json!(rfc3339(device - chrono::Duration::minutes(30)));
    value["saved_at"] = json!(rfc3339(device));
    value["finalized_at"] = json!(rfc3339(device));
    value["values"]["datum_tijd"] = json!(local(50));
    value["values"]["leidinggevende_tijd"] = json!(local(40));
    value["values"]["opvang_tijd"] = json!(local(35));
    value["values"]["akkoord"] = json!(rfc3339(device - chrono::Duration::minutes(1)));
    (text(&value), device)
}

#[tokio::test]
async fn every_bad_input_gets_its_4xx_json_error_and_nothing_unacknowledged_is_stored() {
    let dist = tempfile::tempdir().unwrap();
    common::dist(dist.path());
    let data = tempfile::tempdir().unwrap();
    let server = common::start(dist.path(), data.path(), 0).await;
    let cookie = common::device_cookie(&server.base);

    let whole = String::from_utf8(text(&report(1))).unwrap();
    // The rows below edit this text by replacing a part of it: each part must be there.
    for part in ["\"revision\":0", "\"plaats\":"] {
        assert_eq!(whole.matches(part).count(), 1, "{part}");
    }
    let mut invalid_utf8 = text(&report(5));
    let at = find(&invalid_utf8, b"Melding 5").unwrap();
    invalid_utf8[at] = 0xff;
    let mut nul = text(&report(6));
    let at = find(&nul, b"Melding 6").unwrap();
    nul[at + 7] = 0;
    let over_limit = {
        // A valid JSON text of exactly one byte over the limit.
        let mut value = report(7);
        let room = MAX_BODY_BYTES + 1 - text(&value).len();
        value["values"]["omschrijving"] = json!(format!("Melding 7{}", " ".repeat(room)));
        let bytes = text(&value);
        assert_eq!(bytes.len(), MAX_BODY_BYTES + 1);
        bytes
    };
    let deep = |open: &str, close: &str| {
        format!("{}1{}", open.repeat(100_000), close.repeat(100_000)).into_bytes()
    };
    let upper = id(40).to_uppercase();
    let (ahead_body, ahead_device) = made_ahead(50, 3);
    let (forged_body, _) = made_ahead(51, 3);

    let mut rows = vec![
        // A control: a valid report is stored, and a correction of it.
        row("valid report", &id(1), whole.clone(), 201, "", None),
        row(
            "valid correction",
            &id(2),
            edited(2, |r| r["corrects"] = json!(id(1))),
            201,
            "",
            None,
        ),
        // Syntax.
        row(
            "truncated JSON",
            &id(3),
            &whole.as_bytes()[..whole.len() / 2],
            400,
            "malformed_json",
            None,
        ),
        row(
            "malformed JSON",
            &id(3),
            "{\"id\": oops}",
            400,
            "malformed_json",
            None,
        ),
        row("empty body", &id(3), "", 400, "malformed_json", None),
        row(
            "a bare string",
            &id(3),
            "\"report\"",
            422,
            "unknown_schema_version",
            Some("schema_version"),
        ),
        row(
            "100,000-deep arrays",
            &id(3),
            deep("[", "]"),
            400,
            "malformed_json",
            None,
        ),
        row(
            "100,000-deep objects",
            &id(3),
            deep("{\"a\":", "}"),
            400,
            "malformed_json",
            None,
        ),
        row(
            "duplicate key at the top",
            &id(3),
            whole.replacen("\"revision\":0", "\"revision\":0,\"revision\":9", 1),
            400,
            "malformed_json",
            None,
        ),
        row(
            "duplicate key in values, escaped",
            &id(3),
            whole.replacen("\"plaats\":", "\"pl\\u0061ats\":\"Elders\",\"plaats\":", 1),
            400,
            "malformed_json",
            None,
        ),
        row(
            "invalid UTF-8",
            &id(5),
            invalid_utf8,
            400,
            "malformed_json",
            None,
        ),
        row("a NUL byte", &id(6), nul, 400, "malformed_json", None),
        row(
            "revision 1.0",
            &id(3),
            whole.replacen("\"revision\":0", "\"revision\":1.0", 1),
            400,
            "malformed_json",
            None,
        ),
        row(
            "revision 1e3",
            &id(3),
            whole.replacen("\"revision\":0", "\"revision\":1e3", 1),
            400,
            "malformed_json",
            None,
        ),
        row(
            "revision -0",
            &id(3),
            whole.replacen("\"revision\":0", "\"revision\":-0", 1),
            400,
            "malformed_json",
            None,
        ),
        // Types.
        row(
            "revision as text",
            &id(8),
            edited(8, |r| r["revision"] = json!("7")),
            422,
            "invalid_report",
            None,
        ),
        row(
            "kinds as one text",
            &id(8),
            edited(8, |r| r["values"]["soort"] = json!("verbaal")),
            422,
            "invalid_report",
            Some("soort"),
        ),
        row(
            "a victim as a number",
            &id(8),
            edited(8, |r| r["values"]["slachtoffers"] = json!([1])),
            422,
            "invalid_report",
            None,
        ),
        row(
            "values as a list",
            &id(8),
            edited(8, |r| r["values"] = json!([])),
            422,
            "invalid_report",
            None,
        ),
        row(
            "the report as a list",
            &id(8),
            "[]",
            422,
            "unknown_schema_version",
            Some("schema_version"),
        ),
        // The form's rules.
        row(
            "whitespace-only required text",
            &id(9),
            edited(9, |r| r["values"]["plaats"] = json!(" \t ")),
            422,
            "invalid_report",
            Some("plaats"),
        ),
        row(
            "no victims",
            &id(9),
            edited(9, |r| r["values"]["slachtoffers"] = json!([])),
            422,
            "invalid_report",
            Some("slachtoffers"),
        ),
        row(
            "no kinds of aggression",
            &id(9),
            edited(9, |r| r["values"]["soort"] = json!([])),
            422,
            "invalid_report",
            Some("soort"),
        ),
        row(
            "a value for a field that does not apply",
            &id(9),
            edited(9, |r| r["values"]["dader_naam"] = json!("J. Jansen")),
            422,
            "invalid_report",
            Some("dader_naam"),
        ),
        row(
            "a 400,000-character person name",
            &id(9),
            edited(9, |r| {
                r["values"]["slachtoffers"][0]["name"] = json!("x".repeat(400_000))
            }),
            422,
            "invalid_report",
            Some("slachtoffers"),
        ),
        row(
            "too many flow events",
            &id(9),
            {
                let mut value = with_steps(9);
                let event = value["flow_run"]["events"][0].clone();
                value["flow_run"]["events"] = Json::from(vec![event; MAX_FLOW_EVENTS + 1]);
                text(&value)
            },
            422,
            "invalid_report",
            Some("flow_run.events"),
        ),
        // Unknown keys at each level.
        row(
            "unknown key: report",
            &id(10),
            edited(10, |r| r["bsn"] = json!("1")),
            422,
            "unknown_field",
            None,
        ),
        row(
            "unknown key: values",
            &id(10),
            edited(10, |r| r["values"]["bsn"] = json!("1")),
            422,
            "unknown_field",
            Some("bsn"),
        ),
        row(
            "unknown key: a person",
            &id(10),
            edited(10, |r| r["values"]["slachtoffers"][0]["bsn"] = json!("1")),
            422,
            "unknown_field",
            Some("slachtoffers"),
        ),
        row(
            "unknown key: flow_run",
            &id(10),
            {
                let mut v = with_steps(10);
                v["flow_run"]["bsn"] = json!(1);
                text(&v)
            },
            422,
            "unknown_field",
            Some("flow_run"),
        ),
        row(
            "unknown key: a flow event",
            &id(10),
            {
                let mut v = with_steps(10);
                v["flow_run"]["events"][0]["bsn"] = json!(1);
                text(&v)
            },
            422,
            "unknown_field",
            Some("flow_run.events"),
        ),
        row(
            "unknown key: checklist",
            &id(10),
            {
                let mut v = with_steps(10);
                v["checklist"]["bsn"] = json!(1);
                text(&v)
            },
            422,
            "unknown_field",
            Some("checklist"),
        ),
        row(
            "unknown key: a checklist tick",
            &id(10),
            {
                let mut v = with_steps(10);
                v["checklist"]["events"][0]["bsn"] = json!(1);
                text(&v)
            },
            422,
            "unknown_field",
            Some("checklist.events"),
        ),
        // Times.
        row(
            "created in year 0",
            &id(11),
            edited(11, |r| r["created_at"] = json!("0000-01-01T00:00:00Z")),
            422,
            "invalid_report",
            Some("created_at"),
        ),
        row(
            "finalized in year 9999",
            &id(11),
            edited(11, |r| {
                r["saved_at"] = json!("9999-12-31T23:59:59Z");
                r["finalized_at"] = json!("9999-12-31T23:59:59Z");
            }),
            422,
            "invalid_report",
            Some("finalized_at"),
        ),
        row(
            "an incident in year 9999",
            &id(11),
            edited(11, |r| {
                r["values"]["datum_tijd"] = json!("9999-01-01T10:00")
            }),
            422,
            "invalid_report",
            Some("datum_tijd"),
        ),
        row(
            "finalized before created",
            &id(11),
            edited(11, |r| r["finalized_at"] = json!("2026-01-05T10:00:00Z")),
            422,
            "invalid_report",
            Some("finalized_at"),
        ),
        row(
            "three days ahead without the device's clock",
            &id(50),
            ahead_body.clone(),
            422,
            "invalid_report",
            Some("finalized_at"),
        ),
        // Ids.
        row(
            "an upper-case id",
            &upper,
            edited(40, |r| r["id"] = json!(upper.clone())),
            400,
            "invalid_id",
            Some("id"),
        ),
        row(
            "an upper-case id in the body only",
            &id(40),
            edited(40, |r| r["id"] = json!(id(40).to_uppercase())),
            400,
            "id_mismatch",
            Some("id"),
        ),
        row(
            "not a UUID",
            "not-a-uuid",
            whole.clone(),
            400,
            "invalid_id",
            Some("id"),
        ),
        // Corrections.
        row(
            "corrects pointing nowhere",
            &id(12),
            edited(12, |r| r["corrects"] = json!(id(999))),
            422,
            "corrects_unknown",
            Some("corrects"),
        ),
        row(
            "corrects itself",
            &id(12),
            edited(12, |r| r["corrects"] = json!(id(12))),
            422,
            "invalid_report",
            Some("corrects"),
        ),
    ];
    // Times again, with the device's own clock.
    let mut ahead = row(
        "three days ahead, consistent with the device's clock",
        &id(50),
        ahead_body,
        201,
        "",
        None,
    );
    ahead.headers.push((
        DEVICE_TIME_HEADER,
        rfc3339(ahead_device + chrono::Duration::minutes(1)),
    ));
    rows.push(ahead);
    let mut forged = row(
        "three days ahead, later than the device's clock",
        &id(51),
        forged_body,
        422,
        "invalid_report",
        Some("finalized_at"),
    );
    forged
        .headers
        .push((DEVICE_TIME_HEADER, rfc3339(Utc::now())));
    rows.push(forged);
    // Sizes.
    rows.push(row(
        "1 MiB + 1, declared",
        &id(7),
        over_limit.clone(),
        413,
        "body_too_large",
        None,
    ));
    let mut chunked = row(
        "1 MiB + 1, chunked",
        &id(7),
        over_limit,
        413,
        "body_too_large",
        None,
    );
    chunked.framing = Framing::Chunked;
    rows.push(chunked);
    let mut huge = row(
        "10 GB declared",
        &id(7),
        "{\"id\":",
        413,
        "body_too_large",
        None,
    );
    huge.framing = Framing::Declared(10_000_000_000);
    rows.push(huge);

    let mut failures = Vec::new();
    for row in &rows {
        let started = Instant::now();
        let answer = send(server.port, &cookie, row).await;
        let took = started.elapsed();
        let mut wrong = Vec::new();
        if answer.status != row.status {
            wrong.push(format!("status {} (wanted {})", answer.status, row.status));
        }
        if !answer.content_type.starts_with("application/json") {
            wrong.push(format!("content type {:?}", answer.content_type));
        }
        if row.code.is_empty() {
            if serde_json::from_slice::<Receipt>(&answer.body).is_err() {
                wrong.push("no receipt".into());
            }
        } else {
            match serde_json::from_slice::<ApiError>(&answer.body) {
                Ok(err) => {
                    if err.code != row.code || err.field.as_deref() != row.field {
                        wrong.push(format!(
                            "{} {:?} (wanted {} {:?})",
                            err.code, err.field, row.code, row.field
                        ));
                    }
                    if err.message.is_empty() || err.message.len() > 300 {
                        wrong.push(format!("message {:?}", err.message));
                    }
                }
                Err(_) => wrong.push(format!(
                    "not a JSON error: {:?}",
                    String::from_utf8_lossy(&answer.body)
                )),
            }
        }
        if matches!(row.framing, Framing::Declared(_)) && took > Duration::from_secs(2) {
            wrong.push(format!("answered after {took:?}, not at once"));
        }
        if !wrong.is_empty() {
            failures.push(format!("{}: {}", row.name, wrong.join("; ")));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} rows wrong:\n{}",
        failures.len(),
        rows.len(),
        failures.join("\n")
    );

    // The SQLite file holds the acknowledged reports and nothing else.
    let conn = server.db();
    let mut stmt = conn.prepare("SELECT id FROM reports ORDER BY seq").unwrap();
    let held: Vec<String> = stmt
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let acknowledged: Vec<String> = rows
        .iter()
        .filter(|r| r.status == 201)
        .map(|r| r.id.clone())
        .collect();
    assert_eq!(held, acknowledged);
    // And they are the bytes sent.
    for row in rows.iter().filter(|r| r.status == 201) {
        let body: Vec<u8> = conn
            .query_row("SELECT body FROM reports WHERE id = ?1", [&row.id], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(body, row.body, "{}", row.name);
    }
    eprintln!("{} bad-input rows, all as expected", rows.len());
    server.stop().await;
}

/// A text of 1 to `max` characters that are hard for JSON, HTML and Unicode handling.
fn words(rng: &mut impl Rng, max: usize) -> String {
    const CHARS: &[char] = &[
        'a', 'Z', ' ', 'é', 'ß', '“', '”', '<', '>', '&', '"', '\\', '/', '\n', '\t', '😡', 'ı',
        '\u{200b}', '0', '.', '{', '}',
    ];
    let len = rng.random_range(1..=max);
    let mut s: String = (0..len)
        .map(|_| CHARS[rng.random_range(0..CHARS.len())])
        .collect();
    s.push('x');
    s
}

/// A report with generated free text, persons, options and optional answers: what a person
/// could make in the form (pruned as finalizing prunes).
fn generated(rng: &mut impl Rng, n: u64) -> Report {
    let description = words(rng, 200);
    let mut r = common::report(&id(n), &description);
    let people: Vec<Person> = (0..1 + (n % 4))
        .map(|_| Person {
            name: words(rng, 30),
            detail: words(rng, 40),
        })
        .collect();
    r.set("slachtoffers", Value::Persons(people));
    r.set("plaats", Value::Text(words(rng, 60)));
    let kinds = [
        "verbaal",
        "bedreiging",
        "intimidatie",
        "discriminatie",
        "seksueel",
        "fysiek",
        "vernieling",
        "anders",
    ];
    let soort: Vec<String> = kinds
        .iter()
        .filter(|_| rng.random_bool(0.4))
        .map(|k| (*k).to_owned())
        .collect();
    r.set(
        "soort",
        Value::Many(if soort.is_empty() {
            vec!["verbaal".into()]
        } else {
            soort
        }),
    );
    r.set("wapen", Value::Text("nee".into()));
    if rng.random_bool(0.5) {
        r.set("dader_bekend", Value::Text("ja".into()));
        r.set("dader_naam", Value::Text(words(rng, 30)));
        r.set("dader_relatie", Value::Text("bezoeker".into()));
    }
    if rng.random_bool(0.5) {
        r.set(
            "schade_bedrag",
            Value::Text(rng.random_range(0..10_000_000u32).to_string()),
        );
    }
    r.revision = rng.random_range(0..1_000_000);
    veilig_core::report::prune_inapplicable(&mut r);
    r
}

#[tokio::test]
async fn generated_valid_reports_are_stored_and_returned_byte_for_byte() {
    let dist = tempfile::tempdir().unwrap();
    common::dist(dist.path());
    let data = tempfile::tempdir().unwrap();
    let server = common::start(dist.path(), data.path(), 0).await;
    let cookie = common::device_cookie(&server.base);
    let client = reqwest::Client::new();
    let mut rng = rand::rng();
    let count = 300;
    for n in 0..count {
        let report = generated(&mut rng, 100_000 + n);
        // Written compactly or pretty-printed: the bytes sent are the bytes kept.
        let body = if n % 3 == 0 {
            serde_json::to_string_pretty(&report).unwrap()
        } else {
            serde_json::to_string(&report).unwrap()
        };
        let res = client
            .put(format!("{}/api/v1/reports/{}", server.base, report.id))
            .header("content-type", "application/json")
            .header("cookie", &cookie)
            .body(body.clone())
            .send()
            .await
            .unwrap();
        let status = res.status();
        assert_eq!(status, 201, "{n}: {}\n{body}", res.text().await.unwrap());
        assert_eq!(
            common::stored_body(&server.base, &report.id).await,
            body,
            "{n}"
        );
    }
    let held: i64 = server
        .db()
        .query_row("SELECT count(*) FROM reports", [], |r| r.get(0))
        .unwrap();
    assert_eq!(held, count as i64);
    server.stop().await;
}
