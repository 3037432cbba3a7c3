//! The JSON API under `/api`. Unknown API paths answer JSON 404, never the app shell.
//! Reports are never logged: not their content, not even their size per id.

use axum::body::{Body, Bytes};
use axum::extract::{Path, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;
use veilig_core::report::migrate;
use veilig_core::report::validate::{server_latest, unknown_fields, validate_received};
use veilig_core::report::{Report, REPORT_SCHEMA_VERSION};
use veilig_core::sync::{ApiError, Receipt, MAX_BODY_BYTES};

use crate::error::Problem;
use crate::state::AppState;
use crate::store::{self, Stored};

#[derive(Debug, Serialize)]
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
        .route("/openapi.json", get(openapi_json))
        .fallback(not_found)
        .with_state(state)
}

async fn health(State(state): State<AppState>) -> Result<Json<Health>, Problem> {
    let version = state.schema_version().await.map_err(Problem::database)?;
    Ok(Json(Health {
        status: "ok",
        version: env!("CARGO_PKG_VERSION"),
        schema_version: version,
    }))
}

async fn not_found() -> Problem {
    Problem::new(
        StatusCode::NOT_FOUND,
        "not_found",
        "Dit adres bestaat niet in de API. / No such API endpoint.",
    )
}

/// Reads the body up to the limit: a larger one is refused before it is all read.
async fn read_body(body: Body) -> Result<Bytes, Problem> {
    axum::body::to_bytes(body, MAX_BODY_BYTES).await.map_err(|err| {
        let too_large = std::error::Error::source(&err)
            .is_some_and(|s| s.is::<http_body_util::LengthLimitError>())
            || err.to_string().contains("length limit");
        if too_large {
            Problem::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "body_too_large",
                format!("De registratie is groter dan {MAX_BODY_BYTES} bytes. / The report is larger than {MAX_BODY_BYTES} bytes."),
            )
        } else {
            Problem::new(StatusCode::BAD_REQUEST, "body_incomplete", "De registratie kwam niet volledig aan. / The report did not arrive completely.")
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

/// Checks a body the way the form checks it before finalizing.
fn check_report(id: &str, body: &[u8]) -> Result<(), Problem> {
    let value: serde_json::Value = serde_json::from_slice(body).map_err(|e| {
        Problem::new(
            StatusCode::BAD_REQUEST,
            "malformed_json",
            format!(
                "Geen geldige JSON op regel {}, kolom {}. / Malformed JSON at line {}, column {}.",
                e.line(),
                e.column(),
                e.line(),
                e.column()
            ),
        )
    })?;
    // Every version from 1 to the current one is received: a device that finalized a report
    // before its app was updated still sends it. An older report is migrated (the same steps as
    // on the device, `core::report::migrate`) and then validated under the current rules, except
    // that a question the old form did not ask may be blank (`validate_received`). The exact
    // bytes sent are what is stored, as for every report.
    let version = match value.get("schema_version").and_then(serde_json::Value::as_u64) {
        Some(v) if (1..=u64::from(REPORT_SCHEMA_VERSION)).contains(&v) => v as u32,
        other => {
            return Err(Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "unknown_schema_version",
                format!(
                    "Onbekende schemaversie {}; deze server kent versie 1 tot en met {REPORT_SCHEMA_VERSION}. / Unknown schema version.",
                    other.map_or("(geen)".to_owned(), |v| v.to_string())
                ),
            )
            .field("schema_version"))
        }
    };
    let shape_error = |e: String| {
        Problem::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_report", format!("De registratie heeft niet de juiste vorm: {e}. / The report does not have the expected shape."))
    };
    let value = migrate::to_current(value, version).map_err(shape_error)?;
    let report: Report = serde_json::from_value(value).map_err(|e| {
        Problem::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_report", format!("De registratie heeft niet de juiste vorm: {e}. / The report does not have the expected shape."))
    })?;
    if report.id != id {
        return Err(Problem::new(StatusCode::BAD_REQUEST, "id_mismatch", "Het id in het adres en in de registratie verschillen. / The id in the path and in the report differ.").field("id"));
    }
    if !report.is_final() {
        return Err(Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "not_final",
            "Alleen afgeronde registraties worden ontvangen. / Only finalized reports are accepted.",
        )
        .field("status"));
    }
    if let Some(field) = unknown_fields(&report).into_iter().next() {
        return Err(Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "unknown_field",
            "De registratie bevat een onbekend veld. / The report has an unknown field.",
        )
        .field(field));
    }
    if let Some(error) = validate_received(&report, server_latest(chrono::Utc::now()), version)
        .into_iter()
        .next()
    {
        let [nl, en] = error.problem.message();
        return Err(Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_report",
            format!("{nl} / {en}"),
        )
        .field(error.field));
    }
    Ok(())
}

fn valid_id(id: &str) -> bool {
    // A UUID as the device makes it: 36 characters, hex and dashes.
    id.len() == 36
        && id.chars().all(|c| c.is_ascii_hexdigit() || c == '-')
        && id.matches('-').count() == 4
}

async fn put_report(
    State(state): State<AppState>,
    Path(id): Path<String>,
    request: Request,
) -> Result<Response, Problem> {
    if !valid_id(&id) {
        return Err(Problem::new(
            StatusCode::BAD_REQUEST,
            "invalid_id",
            "Het id is geen UUID. / The id is not a UUID.",
        )
        .field("id"));
    }
    if !is_json(request.headers()) {
        return Err(Problem::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "Stuur de registratie als application/json. / Send the report as application/json.",
        ));
    }
    let body = read_body(request.into_body()).await?;
    check_report(&id, &body)?;
    let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let stored = state
        .with_db(move |conn| store::put(conn, &id, &body, &now))
        .await
        .map_err(Problem::database)?;
    Ok(match stored {
        Stored::Created(receipt) => (StatusCode::CREATED, Json(receipt)).into_response(),
        Stored::Repeated(receipt) => (StatusCode::OK, Json(receipt)).into_response(),
        Stored::Conflict(_) => Problem::new(
            StatusCode::CONFLICT,
            "conflict",
            "Er is al een andere registratie met dit id ontvangen. Stuur een correctie als nieuwe registratie die naar deze verwijst. / A different report with this id was already received; send a correction as a new report that names this one in `corrects`.",
        )
        .into_response(),
    })
}

fn require_admin(state: &AppState, headers: &HeaderMap) -> Result<(), Problem> {
    let presented = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    match state.is_admin(presented) {
        None => Err(Problem::new(StatusCode::FORBIDDEN, "reading_disabled", "Lezen is uitgeschakeld: de server heeft geen beheerderstoken. / Reading is switched off: no admin token is configured.")),
        Some(false) => Err(Problem::new(StatusCode::UNAUTHORIZED, "unauthorized", "Een geldig beheerderstoken is nodig. / A valid admin token is required.")),
        Some(true) => Ok(()),
    }
}

async fn list_reports(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    require_admin(&state, &headers)?;
    let receipts = state
        .with_db(|conn| store::list(conn))
        .await
        .map_err(Problem::database)?;
    Ok(Json(receipts).into_response())
}

async fn get_report(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    require_admin(&state, &headers)?;
    let body = state
        .with_db(move |conn| store::body(conn, &id))
        .await
        .map_err(Problem::database)?;
    match body {
        Some(bytes) => Ok(([(header::CONTENT_TYPE, "application/json")], bytes).into_response()),
        None => Err(Problem::new(
            StatusCode::NOT_FOUND,
            "not_found",
            "Deze registratie is niet ontvangen. / This report has not been received.",
        )),
    }
}

async fn openapi_json() -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        crate::openapi::document(),
    )
        .into_response()
}

// OpenAPI descriptions of the handlers above (utoipa reads these; they are never called).

/// Whether the server and its database answer.
#[utoipa::path(get, path = "/api/health", responses((status = 200, description = "The server and its database answer")))]
pub fn health_doc() {}

/// Stores a finalized report under the id the device made.
#[utoipa::path(
    put,
    path = "/api/v1/reports/{id}",
    params(("id" = String, Path, description = "The report's UUID, made on the device")),
    request_body(content = Object, content_type = "application/json", description = "The finalized report (core::report::Report) of schema version 1 up to the current one, at most 1 MiB"),
    responses(
        (status = 201, description = "Stored for the first time", body = Receipt),
        (status = 200, description = "The same bytes again: the original receipt", body = Receipt),
        (status = 400, description = "Malformed JSON (with line and column), invalid id, id mismatch", body = ApiError),
        (status = 409, description = "Other content under this id; send a correction as a new report", body = ApiError),
        (status = 413, description = "Body over 1 MiB", body = ApiError),
        (status = 415, description = "Not application/json", body = ApiError),
        (status = 422, description = "Unknown schema version, not final, unknown field, or a validation error naming the field", body = ApiError),
        (status = 503, description = "Database unavailable; try again", body = ApiError),
    )
)]
pub fn put_report_doc() {}

/// Receipts of every received report, in order of arrival.
#[utoipa::path(get, path = "/api/v1/reports", security(("admin_token" = [])),
    responses((status = 200, body = [Receipt]), (status = 401, body = ApiError), (status = 403, description = "No admin token configured", body = ApiError)))]
pub fn list_reports_doc() {}

/// The exact bytes of one received report.
#[utoipa::path(get, path = "/api/v1/reports/{id}", security(("admin_token" = [])),
    params(("id" = String, Path)),
    responses((status = 200, description = "The report as received", content_type = "application/json"), (status = 401, body = ApiError), (status = 404, body = ApiError)))]
pub fn get_report_doc() {}
