//! What the server accepts as a received report: one pure function, [`accept`], from the id in
//! the address, the exact bytes sent and the server's clock to either the report (and the bytes
//! to store) or one typed [`Refusal`]. The server only maps a refusal to HTTP.
//!
//! Checked in this order (the first failure is the answer): size, JSON syntax (with line and
//! column), schema version (1 up to the current one; an older one is migrated by
//! `migrate::to_current`), shape, id match, final, no unknown field, then the form's own
//! validation as `validate_received` applies it (a question an older form did not ask may be
//! blank; local times up to 14 hours ahead of UTC, `server_latest`).
//!
//! Not checked here: that the id in the address is a UUID (the server parses it with the
//! `uuid` crate before it reads the body), the content type, and whether other content was
//! already received under this id (the store decides that, in its transaction).
//!
//! Compiled only with core's `accept` feature (the server turns it on) and in core's tests: even
//! uncalled, it changed which copies of serde's generics the PWA linked (+1.7 KB of wasm).

use chrono::{DateTime, Utc};

use super::migrate;
use super::model::{Report, REPORT_SCHEMA_VERSION};
use super::validate::{server_latest, unknown_fields, validate_received, FieldError};
use crate::sync::{ErrorCode, MAX_BODY_BYTES};

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
/// `message`; the app translates [`Refusal::code`] instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("The report is larger than {max} bytes.")]
    BodyTooLarge { max: usize },
    #[error("Malformed JSON at line {line}, column {column}.")]
    MalformedJson { line: usize, column: usize },
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
    #[error("The id in the path and in the report differ.")]
    IdMismatch,
    #[error("Only finalized reports are accepted.")]
    NotFinal,
    /// `field` is the key as sent (text the sender chose: never logged).
    #[error("The report has a field the form does not have.")]
    UnknownField { field: String },
    /// The first problem the form's validation finds, in form order.
    #[error("{}", .0.problem.message()[1])]
    Invalid(FieldError),
}

impl Refusal {
    /// The stable code sent to the app.
    pub fn code(&self) -> ErrorCode {
        match self {
            Refusal::BodyTooLarge { .. } => ErrorCode::BodyTooLarge,
            Refusal::MalformedJson { .. } => ErrorCode::MalformedJson,
            Refusal::UnknownSchemaVersion { .. } => ErrorCode::UnknownSchemaVersion,
            Refusal::InvalidShape { .. } | Refusal::Invalid(_) => ErrorCode::InvalidReport,
            Refusal::IdMismatch => ErrorCode::IdMismatch,
            Refusal::NotFinal => ErrorCode::NotFinal,
            Refusal::UnknownField { .. } => ErrorCode::UnknownField,
        }
    }

    /// The field of the report the refusal is about, sent as `field`.
    pub fn field(&self) -> Option<&str> {
        match self {
            Refusal::UnknownSchemaVersion { .. } => Some("schema_version"),
            Refusal::IdMismatch => Some("id"),
            Refusal::NotFinal => Some("status"),
            Refusal::UnknownField { field } => Some(field),
            Refusal::Invalid(error) => Some(error.field),
            Refusal::BodyTooLarge { .. }
            | Refusal::MalformedJson { .. }
            | Refusal::InvalidShape { .. } => None,
        }
    }
}

/// Decides whether the server takes `body`, sent to the address of `path_id`, at `now`.
pub fn accept<'a>(
    path_id: &str,
    body: &'a [u8],
    now: DateTime<Utc>,
) -> Result<Accepted<'a>, Refusal> {
    if body.len() > MAX_BODY_BYTES {
        return Err(Refusal::BodyTooLarge {
            max: MAX_BODY_BYTES,
        });
    }
    let value: serde_json::Value =
        serde_json::from_slice(body).map_err(|e| Refusal::MalformedJson {
            line: e.line(),
            column: e.column(),
        })?;
    // Every version from 1 to the current one is received: a device that finalized a report
    // before its app was updated still sends it.
    let found = value
        .get("schema_version")
        .and_then(serde_json::Value::as_u64);
    let sent_version = match found {
        Some(v) if (1..=u64::from(REPORT_SCHEMA_VERSION)).contains(&v) => v as u32,
        _ => {
            return Err(Refusal::UnknownSchemaVersion {
                found,
                current: REPORT_SCHEMA_VERSION,
            })
        }
    };
    let value = migrate::to_current(value, sent_version)
        .map_err(|detail| Refusal::InvalidShape { detail })?;
    let report: Report = serde_json::from_value(value).map_err(|e| Refusal::InvalidShape {
        detail: e.to_string(),
    })?;
    if report.id != path_id {
        return Err(Refusal::IdMismatch);
    }
    if !report.is_final() {
        return Err(Refusal::NotFinal);
    }
    if let Some(field) = unknown_fields(&report).into_iter().next() {
        return Err(Refusal::UnknownField { field });
    }
    if let Some(error) = validate_received(&report, server_latest(now), sent_version)
        .into_iter()
        .next()
    {
        return Err(Refusal::Invalid(error));
    }
    Ok(Accepted {
        report,
        sent_version,
        bytes: body,
    })
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
        accept(path_id, body.to_string().as_bytes(), now()).unwrap_err()
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
        let accepted = accept(&id(1), text.as_bytes(), now()).unwrap();
        assert_eq!(accepted.bytes, text.as_bytes());
        assert_eq!(accepted.sent_version, REPORT_SCHEMA_VERSION);
        assert_eq!(accepted.report, complete_final(&id(1), "Beschrijving"));
    }

    #[test]
    fn a_version_1_report_is_migrated_and_may_leave_what_version_1_did_not_ask() {
        let sent = v1_body(&id(2));
        assert!(sent["values"].get("extreem").is_none());
        let text = sent.to_string();
        let accepted = accept(&id(2), text.as_bytes(), now()).unwrap();
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
        let refusal = accept(&id(3), &big, now()).unwrap_err();
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
        let refusal = accept(&id(4), b"{\"id\": \n  oops}", now()).unwrap_err();
        assert_eq!(refusal, Refusal::MalformedJson { line: 2, column: 3 });
        assert_eq!(refusal.code(), ErrorCode::MalformedJson);
        assert_eq!(refusal.field(), None);
        assert_eq!(refusal.to_string(), "Malformed JSON at line 2, column 3.");
        // Bytes that are not UTF-8 are not JSON either.
        assert_eq!(
            accept(&id(4), b"\xff", now()).unwrap_err().code(),
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
        assert!(accept(&id(12), sent.to_string().as_bytes(), now()).is_ok());
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
        // A draft with another id and an unknown field: the id is named first...
        let mut sent = body(&id(13));
        sent["status"] = Json::from("draft");
        sent["values"]["bsn"] = Json::from("1");
        assert_eq!(refused(&id(14), &sent), Refusal::IdMismatch);
        // ...then that it is not final, before its fields.
        assert_eq!(refused(&id(13), &sent), Refusal::NotFinal);
    }
}
