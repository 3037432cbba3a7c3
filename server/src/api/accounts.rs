//! Accounts, sessions, teams, devices and the audit trail over HTTP. Each handler finds its
//! caller (`caller.rs`), asks `access::can`, does one thing in `accounts.rs`, and writes the
//! audit entry in the same call to the database.

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use veilig_core::report::access::{self, Action, Role};
use veilig_core::sync::ApiError;

use super::caller::{Address, Caller};
use crate::accounts::{self, Created, DeviceView, Enrolled, PersonView, TeamView};
use crate::audit::{self, note, Event};
use crate::auth::{self, password, throttle, totp, Device, Kind, Person};
use crate::error::Failure;
use crate::state::AppState;

/// Request bodies are small JSON objects; anything else is `invalid_request`.
pub(crate) fn parse<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, Failure> {
    parse_up_to(body, 16 * 1024)
}

/// `parse` with another size limit (an aftercare record's notes may be 4,000 characters of up
/// to 4 bytes each).
pub(crate) fn parse_up_to<T: serde::de::DeserializeOwned>(
    body: &[u8],
    limit: usize,
) -> Result<T, Failure> {
    if body.len() > limit {
        return Err(Failure::InvalidRequest {
            field: "body",
            message: "The request body is too large.".into(),
        });
    }
    // serde also reads a struct from a JSON array (its fields in order: `[null, null]` was a
    // valid change of a person, found by schemathesis); every body of this API is an object.
    if body.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        return Err(Failure::InvalidRequest {
            field: "body",
            message: "The request body is not a JSON object.".into(),
        });
    }
    serde_json::from_slice(body).map_err(|err| Failure::InvalidRequest {
        field: "body",
        // serde's message names the field and the position; it quotes no value of ours
        // back except what the caller sent.
        message: format!("The request body is not valid: {err}"),
    })
}

/// `text` as a QR code, in SVG (an enrollment link, an authenticator's `otpauth://` address).
fn qr_svg(text: &str) -> String {
    qrcode::QrCode::new(text.as_bytes())
        .map(|qr| {
            qr.render::<qrcode::render::svg::Color<'_>>()
                .min_dimensions(200, 200)
                .build()
        })
        .unwrap_or_default()
}

/// Whether the person manages the devices of at least one team (a manager of a team).
fn manages_a_team(person: &Person) -> bool {
    person
        .manages
        .iter()
        .any(|team| access::can(&person.actor(), &Action::ManageDevicesOf { team }))
}

fn deny_unless(allowed: bool) -> Result<(), Failure> {
    if allowed {
        Ok(())
    } else {
        Err(Failure::Forbidden)
    }
}

fn text(value: &str, field: &'static str, max: usize) -> Result<String, Failure> {
    let trimmed = value.trim();
    if trimmed.is_empty() || trimmed.chars().count() > max || trimmed.chars().any(char::is_control)
    {
        return Err(Failure::InvalidRequest {
            field,
            message: format!("`{field}` needs 1 to {max} characters, without control characters."),
        });
    }
    Ok(trimmed.to_owned())
}

/// The roles that read other people's reports are given from the server's shell only
/// (`veilig-server add-user`, `set-roles`): a beheerder, who reads no report, could otherwise
/// give one to an account whose password they know, or to themselves.
fn no_reading_role_added(before: &[Role], after: &[Role]) -> Result<(), Failure> {
    let reads = |r: &Role| matches!(r, Role::Manager | Role::HumanResources);
    if after.iter().any(|r| reads(r) && !before.contains(r)) {
        return Err(Failure::InvalidRequest {
            field: "roles",
            message: "The roles leidinggevende and po read reports; they are given on the server itself (veilig-server add-user or set-roles), not through the API.".into(),
        });
    }
    Ok(())
}

fn roles_from(names: &[String]) -> Result<Vec<Role>, Failure> {
    names
        .iter()
        .map(|n| {
            Role::parse(n).ok_or(Failure::InvalidRequest {
                field: "roles",
                message: "A role is one of medewerker, leidinggevende, po, beheerder.".into(),
            })
        })
        .collect()
}

fn with_cookie(
    status: StatusCode,
    cookie: axum::http::HeaderValue,
    body: impl Serialize,
) -> Response {
    let mut response = (status, Json(body)).into_response();
    response.headers_mut().insert(header::SET_COOKIE, cookie);
    response
}

// ---------------------------------------------------------------------------------------
// Devices

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EnrollRequest {
    /// The code shown to the manager (case, spaces and dashes do not matter).
    pub code: String,
}

/// Enrolls this device with a single-use code: the answer sets the device's credential as an
/// HttpOnly cookie (the app never sees it). Failed codes are limited per address and overall.
#[utoipa::path(post, path = "/api/v1/devices/enroll", request_body = EnrollRequest,
    responses((status = 201, body = Device, description = "Enrolled; `Set-Cookie` carries the credential"),
        (status = 400, description = "`enrollment_code_invalid`: unknown, used or expired", body = ApiError),
        (status = 429, description = "`too_many_attempts`", body = ApiError)))]
pub(crate) async fn enroll(
    State(state): State<AppState>,
    Address(address): Address,
    method: Method,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Response, Failure> {
    if !auth::same_origin(&method, &headers) {
        return Err(Failure::CrossOrigin);
    }
    let request: EnrollRequest = parse(&body)?;
    let now = state.clock.now();
    let enrolled = state
        .with_db(move |conn| {
            let keys = throttle::enroll_keys(&address);
            if let Some(wait) = throttle::wait(conn, &keys, &throttle::ENROLL_LOCKS, now)? {
                return Ok(Err(Failure::TooManyAttempts { retry_after: wait }));
            }
            match accounts::enroll(conn, &request.code, now)? {
                Enrolled::Invalid => {
                    throttle::record(conn, &keys, now)?;
                    note(
                        conn,
                        now,
                        "nobody",
                        Event::EnrollmentFailed,
                        None,
                        Some(&address),
                        "invalid_code",
                    )?;
                    Ok(Err(Failure::EnrollmentCodeInvalid))
                }
                Enrolled::Device { id, credential } => {
                    note(
                        conn,
                        now,
                        &format!("device:{id}"),
                        Event::DeviceEnrolled,
                        Some(&format!("device:{id}")),
                        Some(&address),
                        "ok",
                    )?;
                    let device = auth::device(conn, Some(&credential), now)?
                        .map_err(|_| rusqlite::Error::QueryReturnedNoRows)?;
                    Ok(Ok((device, credential)))
                }
            }
        })
        .await
        .map_err(Failure::database)??;
    let (device, credential) = enrolled;
    Ok(with_cookie(
        StatusCode::CREATED,
        state.cookies.set(Kind::Device, &credential),
        device,
    ))
}

/// This device as the server knows it: its team and person, or why it may not send.
#[utoipa::path(get, path = "/api/v1/device",
    responses((status = 200, body = Device), (status = 401, description = "`device_not_enrolled`, `device_revoked`", body = ApiError)))]
pub(crate) async fn this_device(
    State(state): State<AppState>,
    method: Method,
    headers: HeaderMap,
) -> Result<Json<Device>, Failure> {
    let device = Caller::device(&state, &method, &headers).await?;
    deny_unless(access::can(
        &veilig_core::report::access::Actor::Device {
            team: &device.team_id,
        },
        &Action::OwnDevice,
    ))?;
    let now = state.clock.now();
    let id = device.device_id.clone();
    state
        .with_db(move |conn| auth::mark_device_seen(conn, &id, now))
        .await
        .map_err(Failure::database)?;
    Ok(Json(device))
}

/// Every device a person may manage: all for a beheerder, their teams' for a manager.
#[utoipa::path(get, path = "/api/v1/devices",
    responses((status = 200, body = [DeviceView]), (status = 401, body = ApiError), (status = 403, body = ApiError)))]
pub(crate) async fn list_devices(
    State(state): State<AppState>,
    method: Method,
    headers: HeaderMap,
) -> Result<Json<Vec<DeviceView>>, Failure> {
    let person = Caller::person(&state, &method, &headers).await?;
    let all = access::can(&person.actor(), &Action::ListAllDevices);
    deny_unless(all || manages_a_team(&person))?;
    let devices = state
        .with_db(|conn| accounts::devices(conn))
        .await
        .map_err(Failure::database)?;
    Ok(Json(
        devices
            .into_iter()
            .filter(|d| {
                access::can(
                    &person.actor(),
                    &Action::ManageDevicesOf { team: &d.team_id },
                )
            })
            .collect(),
    ))
}

/// Revokes a device: its next request is refused, and it keeps its reports.
#[utoipa::path(post, path = "/api/v1/devices/{id}/revoke", params(("id" = String, Path)),
    responses((status = 204), (status = 401, body = ApiError), (status = 403, body = ApiError), (status = 404, body = ApiError)))]
pub(crate) async fn revoke_device(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Address(address): Address,
    method: Method,
    headers: HeaderMap,
) -> Result<StatusCode, Failure> {
    let person = Caller::person(&state, &method, &headers).await?;
    let now = state.clock.now();
    state
        .with_db(move |conn| {
            let Some(team) = accounts::device_team(conn, &id)? else {
                return Ok(Err(Failure::NoSuchEndpoint));
            };
            if !access::can(&person.actor(), &Action::ManageDevicesOf { team: &team }) {
                return Ok(Err(Failure::Forbidden));
            }
            let by = format!("person:{}", person.id);
            accounts::revoke_device(conn, &id, &by, now)?;
            note(
                conn,
                now,
                &by,
                Event::DeviceRevoked,
                Some(&format!("device:{id}")),
                Some(&address),
                "ok",
            )?;
            Ok(Ok(StatusCode::NO_CONTENT))
        })
        .await
        .map_err(Failure::database)?
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CodeRequest {
    /// Binds the device to one person (their own reports); none for a shared tablet.
    #[serde(default)]
    pub person_id: Option<String>,
}

#[derive(Serialize, Deserialize, utoipa::ToSchema)]
pub struct EnrollmentCode {
    /// To type on the device: `K7QM-4TXP`.
    pub code: String,
    /// The app's enrollment page with the code, for the QR code.
    pub link: String,
    pub expires_at: String,
    /// The link as a QR code (SVG).
    pub qr_svg: String,
}

/// A single-use enrollment code for a team, valid 15 minutes, shown as text and QR code.
#[utoipa::path(post, path = "/api/v1/teams/{id}/enrollment-codes", params(("id" = String, Path)), request_body = Option<CodeRequest>,
    responses((status = 201, body = EnrollmentCode), (status = 401, body = ApiError), (status = 403, body = ApiError), (status = 404, body = ApiError)))]
pub(crate) async fn create_enrollment_code(
    State(state): State<AppState>,
    Path(team): Path<String>,
    Address(address): Address,
    method: Method,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Response, Failure> {
    let person = Caller::person(&state, &method, &headers).await?;
    let request: CodeRequest = if body.is_empty() {
        CodeRequest { person_id: None }
    } else {
        parse(&body)?
    };
    let origin = state
        .public_url
        .as_deref()
        .map(str::to_owned)
        .unwrap_or_else(|| {
            let host = headers
                .get(header::HOST)
                .and_then(|h| h.to_str().ok())
                .unwrap_or("localhost");
            format!("http://{host}")
        });
    let now = state.clock.now();
    let created = state
        .with_db(move |conn| {
            if !accounts::team_exists(conn, &team)? {
                return Ok(Err(Failure::NoSuchEndpoint));
            }
            if !access::can(&person.actor(), &Action::ManageDevicesOf { team: &team }) {
                return Ok(Err(Failure::Forbidden));
            }
            // Bound to a person, the device's reports are that person's own (they read them):
            // only someone who writes reports, a medewerker, can be named.
            if let Some(p) = &request.person_id {
                if !crate::auth::roles_of(conn, p)?.contains(&Role::Employee) {
                    return Ok(Err(Failure::InvalidRequest {
                        field: "person_id",
                        message: "A device is bound only to a person with the role medewerker."
                            .into(),
                    }));
                }
            }
            let by = format!("person:{}", person.id);
            let (code, expires_at) = accounts::create_enrollment_code(
                conn,
                &team,
                request.person_id.as_deref(),
                &by,
                now,
            )?;
            note(
                conn,
                now,
                &by,
                Event::EnrollmentCodeCreated,
                Some(&format!("team:{team}")),
                Some(&address),
                "ok",
            )?;
            Ok(Ok((code, expires_at)))
        })
        .await
        .map_err(Failure::database)??;
    let (code, expires_at) = created;
    let link = format!(
        "{origin}{}#{code}",
        veilig_core::route::Route::Enroll.static_path()
    );
    let qr_svg = qr_svg(&link);
    Ok((
        StatusCode::CREATED,
        Json(EnrollmentCode {
            code,
            link,
            expires_at,
            qr_svg,
        }),
    )
        .into_response())
}

// ---------------------------------------------------------------------------------------
// Sessions

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub login: String,
    pub password: String,
    /// The authenticator's 6 digits, or a recovery code; needed by accounts with a second
    /// factor.
    #[serde(default)]
    pub code: Option<String>,
}

#[derive(Serialize, Deserialize, utoipa::ToSchema)]
pub struct SessionView {
    pub person: PersonView,
    /// False until an account that needs a second factor has set one up.
    pub complete: bool,
    pub idle_timeout_minutes: i64,
    pub absolute_timeout_hours: i64,
}

fn session_view(person: PersonView, complete: bool) -> SessionView {
    SessionView {
        person,
        complete,
        idle_timeout_minutes: auth::SESSION_IDLE_MINUTES,
        absolute_timeout_hours: auth::SESSION_ABSOLUTE_HOURS,
    }
}

struct Account {
    id: String,
    password_hash: Option<String>,
    totp_secret: Option<String>,
    totp_last_step: Option<i64>,
    disabled: bool,
    roles: Vec<Role>,
}

fn account(conn: &Connection, login: &str) -> rusqlite::Result<Option<Account>> {
    let row = conn
        .query_row(
            "SELECT id, password_hash, totp_secret, totp_last_step, disabled_at IS NOT NULL FROM people WHERE login = ?1",
            [login.trim()],
            |r| Ok((r.get::<_, String>(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .optional()?;
    let Some((id, password_hash, totp_secret, totp_last_step, disabled)) = row else {
        return Ok(None);
    };
    Ok(Some(Account {
        roles: auth::roles_of(conn, &id)?,
        id,
        password_hash,
        totp_secret,
        totp_last_step,
        disabled,
    }))
}

/// Logs a person in. Failures are slowed and limited (`throttle`): per account and address,
/// per address, and (slowed, never locked) per account.
#[utoipa::path(post, path = "/api/v1/session", request_body = LoginRequest,
    responses((status = 201, body = SessionView, description = "Logged in; `Set-Cookie` carries the session"),
        (status = 401, description = "`login_failed`, `second_factor_required`", body = ApiError),
        (status = 429, description = "`too_many_attempts`", body = ApiError)))]
pub(crate) async fn login(
    State(state): State<AppState>,
    Address(address): Address,
    method: Method,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Response, Failure> {
    if !auth::same_origin(&method, &headers) {
        return Err(Failure::CrossOrigin);
    }
    let request: LoginRequest = parse(&body)?;
    let keys = throttle::login_keys(&request.login, &address);
    let now = state.clock.now();
    let (found, slow) = {
        let keys = keys.clone();
        let login = request.login.clone();
        state
            .with_db(move |conn| {
                if let Some(wait) = throttle::wait(conn, &keys, &throttle::LOGIN_LOCKS, now)? {
                    return Ok(Err(Failure::TooManyAttempts { retry_after: wait }));
                }
                let slow =
                    throttle::failures(conn, &keys[2], now)? >= throttle::ACCOUNT_SLOWDOWN_FROM;
                // Counted as failed before the password is checked (taken back on success), so
                // that guesses sent in parallel cannot all pass the limit together.
                throttle::record(conn, &keys, now)?;
                Ok(Ok((account(conn, &login)?, slow)))
            })
            .await
            .map_err(Failure::database)??
    };
    if slow {
        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    }
    // Argon2 off the database's lock and a few at a time: a login never holds up reports.
    let stored = found.as_ref().and_then(|a| a.password_hash.clone());
    let password_ok = password::verify_limited(request.password.clone(), stored).await;
    let outcome = state
        .with_db(move |conn| {
            // Who failed: the account when it exists, never the text typed as a login name
            // (it may be a password typed in the wrong field).
            let who = found.as_ref().map_or_else(
                || "login:unknown".to_owned(),
                |a| format!("person:{}", a.id),
            );
            let fail = |conn: &Connection,
                        why: &str,
                        failure: Failure|
             -> rusqlite::Result<Result<_, Failure>> {
                note(
                    conn,
                    now,
                    &who,
                    Event::LoginFailed,
                    None,
                    Some(&address),
                    why,
                )?;
                Ok(Err(failure))
            };
            let Some(account) = found.as_ref().filter(|a| password_ok && !a.disabled) else {
                return fail(conn, "wrong_login_or_password", Failure::LoginFailed);
            };
            let needs_second = account.roles.iter().any(|r| r.needs_second_factor());
            let mut complete = true;
            match (&account.totp_secret, request.code.as_deref()) {
                (Some(_), None) => {
                    // The password was right: not a failure, no session yet.
                    throttle::forget(conn, &keys, now)?;
                    return Ok(Err(Failure::SecondFactorRequired));
                }
                (Some(secret), Some(code)) => {
                    let unix = now.timestamp().max(0) as u64;
                    let step = totp::accept(secret, code, unix, account.totp_last_step);
                    // Only if no other login used this step meanwhile (two at once: one wins).
                    let claimed = match step {
                        Some(step) => {
                            conn.execute(
                                "UPDATE people SET totp_last_step = ?2
                             WHERE id = ?1 AND (totp_last_step IS NULL OR totp_last_step < ?2)",
                                params![account.id, step],
                            )? == 1
                        }
                        None => false,
                    };
                    if claimed {
                    } else if accounts::use_recovery_code(conn, &account.id, code, now)? {
                        note(
                            conn,
                            now,
                            &format!("person:{}", account.id),
                            Event::RecoveryCodeUsed,
                            None,
                            Some(&address),
                            "ok",
                        )?;
                    } else {
                        return fail(conn, "wrong_second_factor", Failure::SecondFactorRequired);
                    }
                }
                (None, _) => complete = !needs_second,
            }
            throttle::forget(conn, &keys, now)?;
            throttle::clear(conn, &keys[0])?;
            let token = accounts::start_session(conn, &account.id, complete, now)?;
            note(
                conn,
                now,
                &format!("person:{}", account.id),
                Event::Login,
                None,
                Some(&address),
                if complete {
                    "ok"
                } else {
                    "ok_second_factor_to_set_up"
                },
            )?;
            let view = accounts::person_view(conn, &account.id)?
                .ok_or(rusqlite::Error::QueryReturnedNoRows)?;
            Ok(Ok((token, session_view(view, complete))))
        })
        .await
        .map_err(Failure::database)??;
    let (token, view) = outcome;
    Ok(with_cookie(
        StatusCode::CREATED,
        state.cookies.set(Kind::Session, &token),
        view,
    ))
}

/// The logged-in person.
#[utoipa::path(get, path = "/api/v1/session",
    responses((status = 200, body = SessionView), (status = 401, description = "`unauthorized`", body = ApiError)))]
pub(crate) async fn me(
    State(state): State<AppState>,
    method: Method,
    headers: HeaderMap,
) -> Result<Json<SessionView>, Failure> {
    let person = Caller::person_any(&state, &method, &headers).await?;
    deny_unless(access::can(&person.actor(), &Action::OwnAccount))?;
    let complete = person.complete;
    let view = state
        .with_db(move |conn| accounts::person_view(conn, &person.id))
        .await
        .map_err(Failure::database)?
        .ok_or(Failure::Unauthorized)?;
    Ok(Json(session_view(view, complete)))
}

/// Logs out: the session ends on the server, the cookie is cleared.
#[utoipa::path(delete, path = "/api/v1/session",
    responses((status = 204), (status = 401, body = ApiError)))]
pub(crate) async fn logout(
    State(state): State<AppState>,
    Address(address): Address,
    method: Method,
    headers: HeaderMap,
) -> Result<Response, Failure> {
    let person = Caller::person_any(&state, &method, &headers).await?;
    deny_unless(access::can(&person.actor(), &Action::OwnAccount))?;
    let now = state.clock.now();
    state
        .with_db(move |conn| {
            accounts::end_session(conn, &person.session_hash, now)?;
            note(
                conn,
                now,
                &format!("person:{}", person.id),
                Event::Logout,
                None,
                Some(&address),
                "ok",
            )
        })
        .await
        .map_err(Failure::database)?;
    let mut response = StatusCode::NO_CONTENT.into_response();
    response
        .headers_mut()
        .insert(header::SET_COOKIE, state.cookies.clear(Kind::Session));
    Ok(response)
}

#[derive(Serialize, Deserialize, utoipa::ToSchema)]
pub struct SecondFactorSetup {
    /// Base32, for typing into an authenticator app.
    pub secret: String,
    pub otpauth_url: String,
    /// `otpauth_url` as a QR code (SVG).
    pub qr_svg: String,
}

/// Starts setting up the authenticator: a new secret, confirmed by its first code.
#[utoipa::path(post, path = "/api/v1/session/second-factor",
    responses((status = 201, body = SecondFactorSetup), (status = 401, body = ApiError)))]
pub(crate) async fn begin_second_factor(
    State(state): State<AppState>,
    method: Method,
    headers: HeaderMap,
) -> Result<Response, Failure> {
    let person = Caller::person_any(&state, &method, &headers).await?;
    deny_unless(access::can(&person.actor(), &Action::OwnAccount))?;
    // Replacing a working second factor needs a session that used it.
    let secret = totp::new_secret();
    let url = totp::otpauth_url(&secret, &person.login).ok_or(Failure::InvalidRequest {
        field: "login",
        message: "This login name cannot be put in an authenticator app.".into(),
    })?;
    let stored = secret.clone();
    let complete = person.complete;
    let id = person.id.clone();
    let allowed = state
        .with_db(move |conn| {
            let has: bool = conn.query_row(
                "SELECT totp_secret IS NOT NULL FROM people WHERE id = ?1",
                [&id],
                |r| r.get(0),
            )?;
            if has && !complete {
                return Ok(false);
            }
            conn.execute(
                "UPDATE people SET totp_pending = ?2 WHERE id = ?1",
                params![id, stored],
            )?;
            Ok(true)
        })
        .await
        .map_err(Failure::database)?;
    deny_unless(allowed)?;
    let qr_svg = qr_svg(&url);
    Ok((
        StatusCode::CREATED,
        Json(SecondFactorSetup {
            secret,
            otpauth_url: url,
            qr_svg,
        }),
    )
        .into_response())
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CodeConfirmation {
    pub code: String,
}

#[derive(Serialize, Deserialize, utoipa::ToSchema)]
pub struct RecoveryCodes {
    /// Shown once: each logs in once instead of the authenticator.
    pub recovery_codes: Vec<String>,
}

/// Confirms the authenticator with its current code; gives ten recovery codes, once. The
/// session is complete from then on.
#[utoipa::path(post, path = "/api/v1/session/second-factor/confirm", request_body = CodeConfirmation,
    responses((status = 200, body = RecoveryCodes), (status = 400, description = "`invalid_request`: wrong code", body = ApiError), (status = 401, body = ApiError)))]
pub(crate) async fn confirm_second_factor(
    State(state): State<AppState>,
    Address(address): Address,
    method: Method,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Json<RecoveryCodes>, Failure> {
    let person = Caller::person_any(&state, &method, &headers).await?;
    deny_unless(access::can(&person.actor(), &Action::OwnAccount))?;
    let request: CodeConfirmation = parse(&body)?;
    let now = state.clock.now();
    state
        .with_db(move |conn| {
            let pending: Option<String> = conn.query_row("SELECT totp_pending FROM people WHERE id = ?1", [&person.id], |r| r.get(0))?;
            let step = pending
                .as_deref()
                .and_then(|secret| totp::accept(secret, &request.code, now.timestamp().max(0) as u64, None));
            let (Some(secret), Some(step)) = (pending, step) else {
                return Ok(Err(Failure::InvalidRequest { field: "code", message: "This code does not match; try the code your app shows now.".into() }));
            };
            conn.execute(
                "UPDATE people SET totp_secret = ?2, totp_pending = NULL, totp_last_step = ?3 WHERE id = ?1",
                params![person.id, secret, step],
            )?;
            conn.execute("UPDATE sessions SET second_factor_done = 1 WHERE token_hash = ?1", [&person.session_hash])?;
            let codes = accounts::new_recovery_codes(conn, &person.id)?;
            note(conn, now, &format!("person:{}", person.id), Event::SecondFactorSetUp, None, Some(&address), "ok")?;
            Ok(Ok(RecoveryCodes { recovery_codes: codes }))
        })
        .await
        .map_err(Failure::database)?
        .map(Json)
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordChange {
    pub current: String,
    pub new: String,
}

/// Changes the person's own password; every session of theirs ends (log in again).
#[utoipa::path(put, path = "/api/v1/session/password", request_body = PasswordChange,
    responses((status = 204), (status = 401, description = "`unauthorized`, `login_failed`: the current password is wrong", body = ApiError), (status = 422, description = "`weak_password`", body = ApiError), (status = 429, description = "`too_many_attempts`: limited like a login", body = ApiError)))]
pub(crate) async fn change_password(
    State(state): State<AppState>,
    Address(address): Address,
    method: Method,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Response, Failure> {
    let person = Caller::person(&state, &method, &headers).await?;
    deny_unless(access::can(&person.actor(), &Action::OwnAccount))?;
    let request: PasswordChange = parse(&body)?;
    password::check(&request.new, &person.login, &person.name).map_err(Failure::WeakPassword)?;
    // Guessing the current password here is limited like a login, and recorded: a session
    // left open must not let someone learn the password at Argon2's speed.
    let keys = throttle::login_keys(&person.login, &address);
    let now = state.clock.now();
    let id = person.id.clone();
    let locks = keys.clone();
    let stored: Option<String> = state
        .with_db(move |conn| {
            if let Some(wait) = throttle::wait(conn, &locks, &throttle::LOGIN_LOCKS, now)? {
                return Ok(Err(Failure::TooManyAttempts { retry_after: wait }));
            }
            conn.query_row(
                "SELECT password_hash FROM people WHERE id = ?1",
                [&id],
                |r| r.get(0),
            )
            .map(Ok)
        })
        .await
        .map_err(Failure::database)??;
    let (current, new) = (request.current, request.new);
    let hashed = if password::verify_limited(current, stored).await {
        Some(
            password::hash_limited(new)
                .await
                .ok_or(Failure::DatabaseUnavailable)?,
        )
    } else {
        None
    };
    let Some(hashed) = hashed else {
        let (id, address) = (person.id.clone(), address.clone());
        state
            .with_db(move |conn| {
                throttle::record(conn, &keys, now)?;
                let actor = format!("person:{id}");
                note(
                    conn,
                    now,
                    &actor,
                    Event::LoginFailed,
                    Some(&actor),
                    Some(&address),
                    "wrong_current_password",
                )
            })
            .await
            .map_err(Failure::database)?;
        return Err(Failure::LoginFailed);
    };
    state
        .with_db(move |conn| {
            accounts::set_password(conn, &person.id, &hashed, now)?;
            note(
                conn,
                now,
                &format!("person:{}", person.id),
                Event::PasswordChanged,
                Some(&format!("person:{}", person.id)),
                Some(&address),
                "ok",
            )
        })
        .await
        .map_err(Failure::database)?;
    let mut response = StatusCode::NO_CONTENT.into_response();
    response
        .headers_mut()
        .insert(header::SET_COOKIE, state.cookies.clear(Kind::Session));
    Ok(response)
}

// ---------------------------------------------------------------------------------------
// People and teams (the beheerder)

async fn administrator(
    state: &AppState,
    method: &Method,
    headers: &HeaderMap,
) -> Result<Person, Failure> {
    let person = Caller::person(state, method, headers).await?;
    deny_unless(access::can(&person.actor(), &Action::ManageAccounts))?;
    Ok(person)
}

#[utoipa::path(get, path = "/api/v1/people", responses((status = 200, body = [PersonView]), (status = 401, body = ApiError), (status = 403, body = ApiError)))]
pub(crate) async fn list_people(
    State(state): State<AppState>,
    method: Method,
    headers: HeaderMap,
) -> Result<Json<Vec<PersonView>>, Failure> {
    administrator(&state, &method, &headers).await?;
    state
        .with_db(|conn| accounts::people(conn))
        .await
        .map_err(Failure::database)
        .map(Json)
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPerson {
    pub login: String,
    pub name: String,
    pub roles: Vec<String>,
    /// A first password (at least 12 characters, not common); without it the person cannot
    /// log in until one is set from the shell (`veilig-server reset-password`).
    #[serde(default)]
    pub password: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/people", request_body = NewPerson,
    responses((status = 201, body = PersonView), (status = 401, body = ApiError), (status = 403, body = ApiError), (status = 409, description = "`already_exists`", body = ApiError), (status = 422, description = "`weak_password`", body = ApiError)))]
pub(crate) async fn create_person(
    State(state): State<AppState>,
    Address(address): Address,
    method: Method,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Response, Failure> {
    let admin = administrator(&state, &method, &headers).await?;
    let request: NewPerson = parse(&body)?;
    let login = text(&request.login, "login", 100)?;
    let name = text(&request.name, "name", 200)?;
    let roles = roles_from(&request.roles)?;
    no_reading_role_added(&[], &roles)?;
    let hash = match request.password {
        Some(p) => {
            password::check(&p, &login, &name).map_err(Failure::WeakPassword)?;
            Some(
                password::hash_limited(p)
                    .await
                    .ok_or(Failure::DatabaseUnavailable)?,
            )
        }
        None => None,
    };
    let now = state.clock.now();
    let view = state
        .with_db(move |conn| {
            match accounts::create_person(conn, &login, &name, &roles, hash.as_deref(), now)? {
                Created::AlreadyExists => Ok(Err(Failure::AlreadyExists { field: "login" })),
                Created::Created(id) => {
                    note(
                        conn,
                        now,
                        &format!("person:{}", admin.id),
                        Event::PersonCreated,
                        Some(&format!("person:{id}")),
                        Some(&address),
                        "ok",
                    )?;
                    Ok(Ok(accounts::person_view(conn, &id)?))
                }
            }
        })
        .await
        .map_err(Failure::database)??;
    Ok((StatusCode::CREATED, Json(view)).into_response())
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonChange {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub roles: Option<Vec<String>>,
    /// True disables the account and ends all its sessions; false enables it again.
    #[serde(default)]
    pub disabled: Option<bool>,
    /// Where they are told that something waits in the workspace; "" removes it.
    #[serde(default)]
    pub email: Option<String>,
}

#[utoipa::path(patch, path = "/api/v1/people/{id}", params(("id" = String, Path)), request_body = PersonChange,
    responses((status = 200, body = PersonView), (status = 401, body = ApiError), (status = 403, body = ApiError), (status = 404, body = ApiError)))]
pub(crate) async fn change_person(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Address(address): Address,
    method: Method,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Json<PersonView>, Failure> {
    let admin = administrator(&state, &method, &headers).await?;
    let request: PersonChange = parse(&body)?;
    let name = request
        .name
        .as_deref()
        .map(|n| text(n, "name", 200))
        .transpose()?;
    let roles = request.roles.as_deref().map(roles_from).transpose()?;
    let email = request
        .email
        .as_deref()
        .map(|e| {
            crate::mail::valid_address(e).ok_or(Failure::InvalidRequest {
                field: "email",
                message: "This is not an e-mail address.".into(),
            })
        })
        .transpose()?;
    let now = state.clock.now();
    state
        .with_db(move |conn| {
            if accounts::person_view(conn, &id)?.is_none() {
                return Ok(Err(Failure::NoSuchEndpoint));
            }
            if let Some(roles) = &roles {
                if id == admin.id {
                    return Ok(Err(Failure::InvalidRequest {
                        field: "roles",
                        message: "Nobody changes their own roles.".into(),
                    }));
                }
                if let Err(refused) =
                    no_reading_role_added(&crate::auth::roles_of(conn, &id)?, roles)
                {
                    return Ok(Err(refused));
                }
            }
            let by = format!("person:{}", admin.id);
            let target = format!("person:{id}");
            if let Some(name) = &name {
                conn.execute(
                    "UPDATE people SET name = ?2 WHERE id = ?1",
                    params![id, name],
                )?;
            }
            if let Some(roles) = &roles {
                accounts::set_roles(conn, &id, roles)?;
            }
            if let Some(email) = &email {
                conn.execute(
                    "UPDATE people SET email = NULLIF(?2, '') WHERE id = ?1",
                    params![id, email],
                )?;
            }
            if name.is_some() || roles.is_some() || email.is_some() {
                note(
                    conn,
                    now,
                    &by,
                    Event::PersonChanged,
                    Some(&target),
                    Some(&address),
                    "ok",
                )?;
            }
            if let Some(disabled) = request.disabled {
                accounts::set_disabled(conn, &id, disabled, now)?;
                note(
                    conn,
                    now,
                    &by,
                    Event::PersonDisabled,
                    Some(&target),
                    Some(&address),
                    if disabled { "disabled" } else { "enabled" },
                )?;
            }
            Ok(Ok(
                accounts::person_view(conn, &id)?.ok_or(rusqlite::Error::QueryReturnedNoRows)?
            ))
        })
        .await
        .map_err(Failure::database)?
        .map(Json)
}

/// Ends every session of a person (a lost phone, a shared computer).
#[utoipa::path(delete, path = "/api/v1/people/{id}/sessions", params(("id" = String, Path)),
    responses((status = 204), (status = 401, body = ApiError), (status = 403, body = ApiError), (status = 404, body = ApiError)))]
pub(crate) async fn end_sessions(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Address(address): Address,
    method: Method,
    headers: HeaderMap,
) -> Result<StatusCode, Failure> {
    let admin = administrator(&state, &method, &headers).await?;
    let now = state.clock.now();
    state
        .with_db(move |conn| {
            if accounts::person_view(conn, &id)?.is_none() {
                return Ok(Err(Failure::NoSuchEndpoint));
            }
            let ended = accounts::end_sessions(conn, &id, now)?;
            note(
                conn,
                now,
                &format!("person:{}", admin.id),
                Event::SessionsEnded,
                Some(&format!("person:{id}")),
                Some(&address),
                &format!("{ended} ended"),
            )?;
            Ok(Ok(StatusCode::NO_CONTENT))
        })
        .await
        .map_err(Failure::database)?
}

/// Teams: all for a beheerder, their own for a manager.
#[utoipa::path(get, path = "/api/v1/teams", responses((status = 200, body = [TeamView]), (status = 401, body = ApiError), (status = 403, body = ApiError)))]
pub(crate) async fn list_teams(
    State(state): State<AppState>,
    method: Method,
    headers: HeaderMap,
) -> Result<Json<Vec<TeamView>>, Failure> {
    let person = Caller::person(&state, &method, &headers).await?;
    let all = access::can(&person.actor(), &Action::ManageTeams);
    deny_unless(all || manages_a_team(&person))?;
    let teams = state
        .with_db(|conn| accounts::teams(conn))
        .await
        .map_err(Failure::database)?;
    Ok(Json(
        teams
            .into_iter()
            .filter(|t| {
                all || access::can(&person.actor(), &Action::ManageDevicesOf { team: &t.id })
            })
            .collect(),
    ))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTeam {
    pub name: String,
    /// Ids of the people who manage it.
    #[serde(default)]
    pub managers: Vec<String>,
}

#[utoipa::path(post, path = "/api/v1/teams", request_body = NewTeam,
    responses((status = 201, body = TeamView), (status = 401, body = ApiError), (status = 403, body = ApiError), (status = 409, body = ApiError)))]
pub(crate) async fn create_team(
    State(state): State<AppState>,
    Address(address): Address,
    method: Method,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Response, Failure> {
    let admin = Caller::person(&state, &method, &headers).await?;
    deny_unless(access::can(&admin.actor(), &Action::ManageTeams))?;
    let request: NewTeam = parse(&body)?;
    let name = text(&request.name, "name", 200)?;
    let now = state.clock.now();
    let view = state
        .with_db(move |conn| {
            for m in &request.managers {
                if accounts::person_view(conn, m)?.is_none() {
                    return Ok(Err(Failure::InvalidRequest {
                        field: "managers",
                        message: "No such person.".into(),
                    }));
                }
            }
            let id = match accounts::create_team(conn, &name, now)? {
                Created::AlreadyExists => return Ok(Err(Failure::AlreadyExists { field: "name" })),
                Created::Created(id) => id,
            };
            accounts::set_managers(conn, &id, &request.managers)?;
            note(
                conn,
                now,
                &format!("person:{}", admin.id),
                Event::TeamCreated,
                Some(&format!("team:{id}")),
                Some(&address),
                "ok",
            )?;
            Ok(Ok(TeamView {
                id,
                name,
                managers: request.managers,
                manager_phone: String::new(),
            }))
        })
        .await
        .map_err(Failure::database)??;
    Ok((StatusCode::CREATED, Json(view)).into_response())
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Managers {
    pub managers: Vec<String>,
}

#[utoipa::path(put, path = "/api/v1/teams/{id}/managers", params(("id" = String, Path)), request_body = Managers,
    responses((status = 204), (status = 401, body = ApiError), (status = 403, body = ApiError), (status = 404, body = ApiError)))]
pub(crate) async fn set_managers(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Address(address): Address,
    method: Method,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<StatusCode, Failure> {
    let admin = Caller::person(&state, &method, &headers).await?;
    deny_unless(access::can(&admin.actor(), &Action::ManageTeams))?;
    let request: Managers = parse(&body)?;
    let now = state.clock.now();
    state
        .with_db(move |conn| {
            if !accounts::team_exists(conn, &id)? {
                return Ok(Err(Failure::NoSuchEndpoint));
            }
            for m in &request.managers {
                if accounts::person_view(conn, m)?.is_none() {
                    return Ok(Err(Failure::InvalidRequest {
                        field: "managers",
                        message: "No such person.".into(),
                    }));
                }
            }
            accounts::set_managers(conn, &id, &request.managers)?;
            note(
                conn,
                now,
                &format!("person:{}", admin.id),
                Event::TeamChanged,
                Some(&format!("team:{id}")),
                Some(&address),
                "ok",
            )?;
            Ok(Ok(StatusCode::NO_CONTENT))
        })
        .await
        .map_err(Failure::database)?
}

/// The newest 1,000 entries of the audit trail (P&O and the beheerder).
#[utoipa::path(get, path = "/api/v1/audit", responses((status = 200, body = [audit::Entry]), (status = 401, body = ApiError), (status = 403, body = ApiError)))]
pub(crate) async fn read_audit(
    State(state): State<AppState>,
    method: Method,
    headers: HeaderMap,
) -> Result<Json<Vec<audit::Entry>>, Failure> {
    let person = Caller::person(&state, &method, &headers).await?;
    deny_unless(access::can(&person.actor(), &Action::ReadAudit))?;
    state
        .with_db(|conn| audit::recent(conn, 1000))
        .await
        .map_err(Failure::database)
        .map(Json)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_is_a_json_object_never_an_array_of_the_fields() {
        for body in [&b"[null, null]"[..], b" [\"x\"]", b"null", b"", b"\"a\""] {
            let parsed = parse::<PersonChange>(body);
            assert!(
                matches!(parsed, Err(Failure::InvalidRequest { field: "body", .. })),
                "{}",
                String::from_utf8_lossy(body)
            );
        }
        assert!(parse::<PersonChange>(b" {\"disabled\": true}").is_ok());
        assert!(parse::<LoginRequest>(br#"["a", "b"]"#).is_err());
    }
}
