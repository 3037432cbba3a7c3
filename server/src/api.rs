//! The JSON API under `/api`. Unknown API paths answer JSON 404, never the app shell.
//! Reports are never logged: not their content, not even their size per id. A refused report
//! is logged by its code and, when `report::access` allows it, the form's name of the field.
//!
//! The handlers carry their OpenAPI description (`#[utoipa::path]`); `openapi.rs` collects them
//! and serves the document. This module does not know it exists.

pub mod accounts;
pub mod caller;
pub mod organisation;
pub mod workspace;

use axum::body::{Body, Bytes};
use axum::extract::{Path, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post, put};
use axum::{Json, Router};
use serde::Serialize;
use veilig_core::report::accept::{accept, canonical_id, Clocks, Refusal, DEVICE_TIME_HEADER};
use veilig_core::report::access::{self, Action, Actor, ReportRef};
use veilig_core::sync::{ApiError, Receipt, MAX_BODY_BYTES};

use crate::audit::Event;
use crate::error::Failure;
use crate::state::AppState;
use crate::store::{self, Source, Stored};
use caller::{Address, Caller};

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Health {
    pub status: &'static str,
    pub version: &'static str,
    pub schema_version: usize,
}

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/health", get(health))
        .route("/v1/reports", get(list_reports))
        .route("/v1/reports/{id}", get(get_report).put(put_report))
        .route("/v1/device", get(accounts::this_device))
        .route("/v1/devices/enroll", post(accounts::enroll))
        .route("/v1/devices", get(accounts::list_devices))
        .route("/v1/devices/{id}/revoke", post(accounts::revoke_device))
        .route(
            "/v1/session",
            get(accounts::me)
                .post(accounts::login)
                .delete(accounts::logout),
        )
        .route(
            "/v1/session/second-factor",
            post(accounts::begin_second_factor),
        )
        .route(
            "/v1/session/second-factor/confirm",
            post(accounts::confirm_second_factor),
        )
        .route("/v1/session/password", put(accounts::change_password))
        .route(
            "/v1/people",
            get(accounts::list_people).post(accounts::create_person),
        )
        .route(
            "/v1/people/{id}",
            axum::routing::patch(accounts::change_person),
        )
        .route("/v1/people/{id}/sessions", delete(accounts::end_sessions))
        .route(
            "/v1/teams",
            get(accounts::list_teams).post(accounts::create_team),
        )
        .route("/v1/teams/{id}/managers", put(accounts::set_managers))
        .route(
            "/v1/teams/{id}/enrollment-codes",
            post(accounts::create_enrollment_code),
        )
        .route("/v1/audit", get(accounts::read_audit))
        .route("/v1/inbox", get(workspace::inbox))
        .route("/v1/inbox/summary", get(workspace::summary))
        .route("/v1/tasks", get(workspace::my_tasks))
        .route("/v1/reports/{id}/aftercare", get(workspace::aftercare))
        .route("/v1/reports/{id}/aftercare/{task}", put(workspace::record))
        .route(
            "/v1/reports/{id}/aftercare/{task}/calendar.ics",
            get(workspace::calendar),
        )
        .route(
            "/v1/organisation",
            get(organisation::get_organisation).put(organisation::put_organisation),
        )
        .route("/v1/teams/{id}/phone", put(organisation::put_team_phone))
        .route(
            "/v1/device/organisation",
            get(organisation::device_organisation),
        )
        .fallback(not_found)
        .with_state(state)
}

/// Whether the server and its database answer.
#[utoipa::path(get, path = "/api/health", responses((status = 200, description = "The server and its database answer", body = Health), (status = 503, description = "`database_unavailable`", body = ApiError)))]
pub(crate) async fn health(State(state): State<AppState>) -> Result<Json<Health>, Failure> {
    let version = state.schema_version().await.map_err(Failure::database)?;
    Ok(Json(Health {
        status: "ok",
        version: env!("CARGO_PKG_VERSION"),
        schema_version: version,
    }))
}

async fn not_found() -> Failure {
    Failure::NoSuchEndpoint
}

pub(crate) async fn no_such_endpoint() -> Failure {
    Failure::NoSuchEndpoint
}

pub(crate) async fn method_not_allowed() -> Failure {
    Failure::MethodNotAllowed
}

/// Reads the body up to the limit: a larger one is refused before it is all read.
async fn read_body(body: Body) -> Result<Bytes, Failure> {
    axum::body::to_bytes(body, MAX_BODY_BYTES)
        .await
        .map_err(|err| {
            let too_large = std::error::Error::source(&err)
                .is_some_and(|s| s.is::<http_body_util::LengthLimitError>())
                || err.to_string().contains("length limit");
            if too_large {
                refused(Refusal::BodyTooLarge {
                    max: MAX_BODY_BYTES,
                })
            } else {
                Failure::BodyIncomplete
            }
        })
}

fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("application/json"))
}

/// A report id as the devices write it: a UUID in its one form, lower-case and hyphenated
/// (`report::accept::canonical_id`). An upper-case id is refused, not folded: the same UUID in
/// two cases is never two reports.
pub fn valid_id(id: &str) -> bool {
    canonical_id(id)
}

/// Whether the declared `Content-Length` is over the limit: then the body is refused before a
/// byte of it is read.
fn declared_too_large(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.trim()
                .parse::<u64>()
                .map_or(true, |n| n > MAX_BODY_BYTES as u64)
        })
}

/// A refused report, logged: its code, and the field only by the form's own name when
/// `report::access` allows it. Never the body, never a value.
fn refused(refusal: Refusal) -> Failure {
    let field = refusal.field().and_then(access::loggable_field);
    tracing::info!(code = refusal.code().as_str(), field, "report refused");
    Failure::Refused(refusal)
}

/// Stores a finalized report under the id the device made.
#[utoipa::path(
    put,
    path = "/api/v1/reports/{id}",
    params(
        ("id" = String, Path, description = "The report's UUID, made on the device: lower-case, hyphenated (8-4-4-4-12)"),
        ("Veilig-Device-Time" = Option<String>, Header, description = "The device's own current time (RFC 3339). With it, a report whose times agree with the device's clock is accepted even when that clock is days ahead of the server's; without it, no time may be more than a day after the server's clock"),
    ),
    request_body(content = Object, content_type = "application/json", description = "The finalized report (core::report::Report) of schema version 1 up to the current one, at most 1 MiB: no key twice in an object, numbers as plain integers, no key the app does not write, every text and list within core::report::schema::limits"),
    responses(
        (status = 201, description = "Stored for the first time", body = Receipt),
        (status = 200, description = "The same bytes again: the original receipt", body = Receipt),
        (status = 400, description = "`invalid_id` (not a lower-case UUID), `malformed_json` (the message names line and column; also a key twice in one object or a number that is not a plain integer), `id_mismatch`, `body_incomplete`", body = ApiError),
        (status = 401, description = "`device_not_enrolled`, `device_revoked`: only an enrolled device sends", body = ApiError),
        (status = 409, description = "`conflict`: other content under this id; send a correction as a new report", body = ApiError),
        (status = 413, description = "`body_too_large`: over 1 MiB (a declared Content-Length over it is refused before the body is read)", body = ApiError),
        (status = 415, description = "`unsupported_media_type`: not application/json", body = ApiError),
        (status = 422, description = "`unknown_schema_version`, `not_final`, `unknown_field` (at any level), or `invalid_report`: the shape, a limit, a time (before 2000, after `created_at`, or too far ahead), `corrects` (not a report this server holds, or itself), a value for a field that does not apply, or the form's validation, naming the field", body = ApiError),
        (status = 503, description = "`database_unavailable`: try again", body = ApiError),
        (status = 507, description = "`storage_full`: the server's disk is full and nothing was stored; send the same report again later", body = ApiError),
    )
)]
pub(crate) async fn put_report(
    State(state): State<AppState>,
    Path(id): Path<String>,
    request: Request,
) -> Result<Response, Failure> {
    if !valid_id(&id) {
        return Err(Failure::InvalidId);
    }
    // Who sends, before anything is read: a device not enrolled learns nothing more.
    let device = Caller::device(&state, request.method(), request.headers()).await?;
    if !access::can(
        &Actor::Device {
            team: &device.team_id,
        },
        &Action::SendReport,
    ) {
        return Err(Failure::Forbidden);
    }
    if !is_json(request.headers()) {
        return Err(Failure::UnsupportedMediaType);
    }
    if declared_too_large(request.headers()) {
        return Err(refused(Refusal::BodyTooLarge {
            max: MAX_BODY_BYTES,
        }));
    }
    // The device's own clock, if it sent it: tells a wrong clock from a forged time.
    let clocks = Clocks::with_header(
        chrono::Utc::now(),
        request
            .headers()
            .get(DEVICE_TIME_HEADER)
            .and_then(|v| v.to_str().ok()),
    );
    let body = read_body(request.into_body()).await?;
    let accepted = accept(&id, &body, clocks).map_err(refused)?;
    let corrects = accepted.report.corrects.clone();
    let report = accepted.report;
    // Exactly the bytes `accept` names (the ones sent), without copying them.
    let bytes = body.slice_ref(accepted.bytes);
    let now = crate::auth::stamp(state.clock.now());
    let mailer = state.mailer.clone();
    let stored = state
        .with_db(move |conn| {
            let source = Source {
                device: &device.device_id,
                team: &device.team_id,
                author: device.person_id.as_deref(),
            };
            let stored = store::put(
                conn,
                &id,
                &bytes,
                &now,
                &source,
                corrects.as_deref(),
                Some(&report),
            )?;
            // Who to tell, read now; the mail goes after the receipt, off this request. A
            // correction is the same incident: nobody is told twice. Never in the way of the
            // receipt: the report is stored whether or not this can be read.
            let tell = match (&stored, &mailer) {
                (Stored::Created(_), Some(_)) if report.corrects.is_none() => {
                    crate::mail::recipients(conn, &device.team_id, &report).unwrap_or_else(|_| {
                        tracing::warn!("mail: recipients could not be read; not sent");
                        Vec::new()
                    })
                }
                _ => Vec::new(),
            };
            Ok((stored, tell))
        })
        .await
        .map_err(Failure::database)?;
    let (stored, tell) = stored;
    if let (Some(mailer), false) = (state.mailer.clone(), tell.is_empty()) {
        tokio::spawn(async move {
            mailer.send_all(tell).await;
        });
    }
    match stored {
        Stored::Created(receipt) => Ok((StatusCode::CREATED, Json(receipt)).into_response()),
        Stored::Repeated(receipt) => Ok((StatusCode::OK, Json(receipt)).into_response()),
        Stored::Conflict(_) => Err(Failure::Conflict),
        Stored::CorrectsUnknown => Err(refused(Refusal::CorrectsUnknown)),
    }
}

/// Receipts of the reports the person may read (`access::can`), in order of arrival. Listing
/// is recorded in the audit trail (it is an export of what exists).
#[utoipa::path(get, path = "/api/v1/reports",
    responses((status = 200, body = [Receipt]), (status = 401, description = "`unauthorized`: no valid session", body = ApiError), (status = 403, description = "`second_factor_setup_required`", body = ApiError)))]
pub(crate) async fn list_reports(
    State(state): State<AppState>,
    Address(address): Address,
    headers: HeaderMap,
) -> Result<Response, Failure> {
    let person = Caller::person(&state, &axum::http::Method::GET, &headers).await?;
    if !access::can(&person.actor(), &Action::ListReports) {
        return Err(Failure::Forbidden);
    }
    let now = state.clock.now();
    let receipts = state
        .with_db(move |conn| {
            let rows = store::list(conn)?;
            let visible: Vec<Receipt> = rows
                .into_iter()
                .filter(|row| {
                    let report = ReportRef {
                        team: &row.team,
                        author: row.author.as_deref(),
                    };
                    access::can(&person.actor(), &Action::ReadReport(report))
                })
                .map(|row| row.receipt)
                .collect();
            crate::audit::note(
                conn,
                now,
                &format!("person:{}", person.id),
                Event::ReportsListed,
                None,
                Some(&address),
                "ok",
            )?;
            Ok(visible)
        })
        .await
        .map_err(Failure::database)?;
    Ok(Json(receipts).into_response())
}

/// The exact bytes of one received report, to a person who may read it. A read by anyone but
/// its author is recorded in the audit trail.
#[utoipa::path(get, path = "/api/v1/reports/{id}",
    params(("id" = String, Path)),
    responses((status = 200, description = "The report as received", content_type = "application/json"), (status = 401, description = "`unauthorized`", body = ApiError), (status = 403, description = "`forbidden`: this person may not read this report", body = ApiError), (status = 404, description = "`not_found`", body = ApiError)))]
pub(crate) async fn get_report(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Address(address): Address,
    headers: HeaderMap,
) -> Result<Response, Failure> {
    let person = Caller::person(&state, &axum::http::Method::GET, &headers).await?;
    let now = state.clock.now();
    let found = state
        .with_db(move |conn| {
            let Some((bytes, team, author)) = store::body(conn, &id)? else {
                return Ok(Err(Failure::NoSuchReport));
            };
            let report = ReportRef {
                team: &team,
                author: author.as_deref(),
            };
            if !access::can(&person.actor(), &Action::ReadReport(report)) {
                return Ok(Err(Failure::Forbidden));
            }
            // No longer new to them (the workspace's list).
            crate::workspace::opened(conn, &person.id, &id, &crate::auth::stamp(now))?;
            if author.as_deref() != Some(person.id.as_str()) {
                crate::audit::note(
                    conn,
                    now,
                    &format!("person:{}", person.id),
                    Event::ReportRead,
                    Some(&format!("report:{id}")),
                    Some(&address),
                    "ok",
                )?;
            }
            Ok(Ok(bytes))
        })
        .await
        .map_err(Failure::database)??;
    Ok(([(header::CONTENT_TYPE, "application/json")], found).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_is_a_lower_case_hyphenated_uuid() {
        for id in [
            "0193a0b0-0000-7000-8000-0000000000f1",
            // Any version and variant, as before.
            "00000000-0000-0000-0000-000000000000",
            "0193a0b0-0000-4000-c000-0000000000f1",
        ] {
            assert!(valid_id(id), "{id}");
        }
        for id in [
            "not-a-uuid",
            "",
            // Other forms the uuid crate reads, which devices never send.
            "0193a0b0000070008000000000000000",
            "{0193a0b0-0000-7000-8000-0000000000f1}",
            "urn:uuid:0193a0b0-0000-7000-8000-0000000000f1",
            // 36 characters of hex and four dashes, but not where a UUID has them (accepted
            // before the uuid crate parsed ids).
            "0193a0b00-000-7000-8000-0000000000f1",
            "-0193a0b0000-7000-8000-0000000000f1",
            "0193a0b0-0000-7000-8000-0000000000fg",
            // Upper case: the same UUID in another case would be another report.
            "0193A0B0-0000-7000-8000-0000000000F1",
            "0193a0b0-0000-7000-8000-0000000000fA",
        ] {
            assert!(!valid_id(id), "{id}");
        }
    }

    /// The log lines `refused` writes, captured.
    fn logged(refusal: Refusal) -> String {
        use std::sync::{Arc, Mutex};
        #[derive(Clone, Default)]
        struct Buffer(Arc<Mutex<Vec<u8>>>);
        impl std::io::Write for Buffer {
            fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
                self.0.lock().unwrap().extend_from_slice(bytes);
                Ok(bytes.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let buffer = Buffer::default();
        let writer = buffer.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(move || writer.clone())
            .with_ansi(false)
            .finish();
        tracing::subscriber::with_default(subscriber, || refused(refusal));
        let bytes = buffer.0.lock().unwrap().clone();
        String::from_utf8(bytes).unwrap()
    }

    #[test]
    fn a_refusal_is_logged_by_its_code_and_names_only_a_plain_field() {
        use veilig_core::report::validate::{FieldError, Problem};
        let invalid = |field| {
            Refusal::Invalid(FieldError {
                field,
                problem: Problem::Missing,
            })
        };
        let line = logged(invalid("plaats"));
        assert!(line.contains("code=\"invalid_report\""), "{line}");
        assert!(line.contains("field=\"plaats\""), "{line}");
        // A sensitive field is not named.
        let line = logged(invalid("letsel"));
        assert!(
            line.contains("invalid_report") && !line.contains("letsel"),
            "{line}"
        );
        // A key the sender chose is not written to the log either.
        let line = logged(Refusal::UnknownField {
            field: "bsn_123456789".into(),
        });
        assert!(
            line.contains("unknown_field") && !line.contains("123456789"),
            "{line}"
        );
        // Nor is what the parser quotes from the body.
        let line = logged(Refusal::InvalidShape {
            detail: "invalid type: string \"Jan Jansen\"".into(),
        });
        assert!(!line.contains("Jansen"), "{line}");
    }

    #[test]
    fn api_error_bodies_have_a_stable_code_and_one_english_sentence() {
        let f = Failure::Refused(Refusal::MalformedJson { line: 2, column: 3 });
        let body = f.body();
        assert_eq!(body.code, "malformed_json");
        assert_eq!(body.message, "Malformed JSON at line 2, column 3.");
        assert_eq!(crate::error::status(f.code()), StatusCode::BAD_REQUEST);
        assert_eq!(Failure::InvalidId.body().field.as_deref(), Some("id"));
        assert!(!Failure::Conflict.body().message.contains(" / "));
    }
}
