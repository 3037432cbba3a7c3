//! The organisation's settings over HTTP: read by anyone signed in, changed by the beheerder,
//! and received by every enrolled device when it syncs (with its own team's manager phone).
//! Each handler finds its caller, asks `access::can`, and writes the audit entry in the same
//! call to the database. No value is written to the trail or the log.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, Method};
use axum::Json;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use veilig_core::organisation::{phone_problem, ForDevice, Organisation};
use veilig_core::report::access::{self, Action, Actor};
use veilig_core::report::schema::Label;
use veilig_core::sync::ApiError;

use super::accounts::parse;
use super::caller::{Address, Caller};
use crate::audit::{note, Event};
use crate::error::Failure;
use crate::organisation as store;
use crate::state::AppState;

fn deny_unless(allowed: bool) -> Result<(), Failure> {
    if allowed {
        Ok(())
    } else {
        Err(Failure::Forbidden)
    }
}

fn invalid(field: &'static str, problem: Label) -> Failure {
    Failure::InvalidRequest {
        field,
        message: problem[1].to_owned(),
    }
}

/// The organisation's settings (the protocol's defaults until the beheerder set them).
#[utoipa::path(get, path = "/api/v1/organisation",
    responses((status = 200, body = Organisation), (status = 401, description = "`unauthorized`", body = ApiError), (status = 403, description = "`second_factor_setup_required`", body = ApiError)))]
pub(crate) async fn get_organisation(
    State(state): State<AppState>,
    method: Method,
    headers: HeaderMap,
) -> Result<Json<Organisation>, Failure> {
    let person = Caller::person(&state, &method, &headers).await?;
    deny_unless(access::can(&person.actor(), &Action::ReadOrganisation))?;
    state
        .with_db(|conn| store::load(conn))
        .await
        .map_err(Failure::database)
        .map(Json)
}

/// Every key of `expected` (the shape of the defaults), at every level, is in `sent`, and
/// `sent` has no other: a settings object with a key left out would silently put a default
/// back (the name, a phone), so a PUT names every setting. Returns the field to name.
fn same_keys(
    sent: &Value,
    expected: &Value,
    at: &'static str,
) -> Result<(), (&'static str, String)> {
    let (Value::Object(sent), Value::Object(expected)) = (sent, expected) else {
        return Ok(());
    };
    for (key, value) in expected {
        // `key` is from the defaults, never the sender's text.
        let field = static_key(key).unwrap_or(at);
        match sent.get(key) {
            None => return Err((field, format!("`{key}` is missing: send every setting."))),
            Some(inner) if value.is_object() => same_keys(inner, value, field)?,
            Some(_) => {}
        }
    }
    if sent.keys().any(|k| !expected.contains_key(k)) {
        // The unknown key is the sender's text: it is not echoed as a field, only counted.
        return Err((at, format!("`{at}` has a key that is not a setting.")));
    }
    Ok(())
}

/// The settings' own key names, as the `field` of an answer (never the sender's text).
fn static_key(key: &str) -> Option<&'static str> {
    const KEYS: &[&str] = &[
        "name",
        "kind",
        "address",
        "office_phone",
        "police_phone",
        "windows",
        "at_once_hours",
        "second_from_days",
        "second_to_days",
        "third_from_days",
        "third_to_days",
        "team_meeting_days",
        "po_days",
    ];
    KEYS.iter().copied().find(|k| *k == key)
}

/// Reads the body as exactly `Organisation`: every key, no other, each value of its type.
fn organisation_from(body: &[u8]) -> Result<Organisation, Failure> {
    let value: Value = parse(body)?;
    let expected = serde_json::to_value(Organisation::default()).unwrap_or(Value::Null);
    if !value.is_object() {
        return Err(Failure::InvalidRequest {
            field: "body",
            message: "Send the settings as one JSON object.".into(),
        });
    }
    same_keys(&value, &expected, "body")
        .map_err(|(field, message)| Failure::InvalidRequest { field, message })?;
    serde_json::from_value(value).map_err(|err| Failure::InvalidRequest {
        field: "body",
        message: format!("The settings are not valid: {err}"),
    })
}

/// Replaces the organisation's settings (the beheerder). A change of the aftercare windows
/// plans every report's aftercare again.
#[utoipa::path(put, path = "/api/v1/organisation", request_body = Organisation,
    responses((status = 200, body = Organisation, description = "Stored; the settings as stored"),
        (status = 400, description = "`invalid_request`, naming the field: a key missing or not a setting, a name too long or empty, a phone a phone cannot dial, windows that cannot be used", body = ApiError),
        (status = 401, body = ApiError), (status = 403, body = ApiError)))]
pub(crate) async fn put_organisation(
    State(state): State<AppState>,
    Address(address): Address,
    method: Method,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Json<Organisation>, Failure> {
    let admin = Caller::person(&state, &method, &headers).await?;
    deny_unless(access::can(&admin.actor(), &Action::ManageOrganisation))?;
    let org = organisation_from(&body)?;
    if let Some((field, problem)) = org.problem() {
        return Err(invalid(field, problem));
    }
    let now = state.clock.now();
    state
        .with_db(move |conn| {
            // Saving and re-planning are one transaction: a re-plan that failed after the save
            // would never be retried (the same windows again are no change).
            let tx = conn.transaction()?;
            let windows_changed = store::save(&tx, &org, &crate::auth::stamp(now))?;
            if windows_changed {
                crate::workspace::replan_all(&tx)?;
            }
            note(
                &tx,
                now,
                &format!("person:{}", admin.id),
                Event::OrganisationChanged,
                Some("organisation"),
                Some(&address),
                "ok",
            )?;
            tx.commit()?;
            store::load(conn)
        })
        .await
        .map_err(Failure::database)
        .map(Json)
}

#[derive(Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TeamPhone {
    /// The phone of the team's manager, as staff dial it; empty: not set.
    pub manager_phone: String,
}

/// Sets the phone of a team's manager (the beheerder); the team's devices receive it.
#[utoipa::path(put, path = "/api/v1/teams/{id}/phone", params(("id" = String, Path)), request_body = TeamPhone,
    responses((status = 200, body = TeamPhone, description = "Stored"),
        (status = 400, description = "`invalid_request` (field `manager_phone`): not a number a phone can dial", body = ApiError),
        (status = 401, body = ApiError), (status = 403, body = ApiError), (status = 404, body = ApiError)))]
pub(crate) async fn put_team_phone(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Address(address): Address,
    method: Method,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Json<TeamPhone>, Failure> {
    let admin = Caller::person(&state, &method, &headers).await?;
    deny_unless(access::can(&admin.actor(), &Action::ManageOrganisation))?;
    let request: TeamPhone = parse(&body)?;
    // Checked as sent (its length too), kept trimmed.
    if let Some(problem) = phone_problem(&request.manager_phone) {
        return Err(invalid("manager_phone", problem));
    }
    let phone = request.manager_phone.trim().to_owned();
    if let Some(problem) = phone_problem(&phone) {
        return Err(invalid("manager_phone", problem));
    }
    let now = state.clock.now();
    state
        .with_db(move |conn| {
            if !store::set_team_phone(conn, &id, &phone)? {
                return Ok(Err(Failure::NoSuchEndpoint));
            }
            note(
                conn,
                now,
                &format!("person:{}", admin.id),
                Event::TeamPhoneChanged,
                Some(&format!("team:{id}")),
                Some(&address),
                "ok",
            )?;
            Ok(Ok(Json(TeamPhone {
                manager_phone: phone,
            })))
        })
        .await
        .map_err(Failure::database)?
}

/// What this enrolled device keeps for use without signal: the organisation's name, address
/// and phones, and its own team's manager phone.
#[utoipa::path(get, path = "/api/v1/device/organisation",
    responses((status = 200, body = ForDevice), (status = 401, description = "`device_not_enrolled`, `device_revoked`", body = ApiError)))]
pub(crate) async fn device_organisation(
    State(state): State<AppState>,
    method: Method,
    headers: HeaderMap,
) -> Result<Json<ForDevice>, Failure> {
    let device = Caller::device(&state, &method, &headers).await?;
    deny_unless(access::can(
        &Actor::Device {
            team: &device.team_id,
        },
        &Action::ReadOrganisation,
    ))?;
    state
        .with_db(move |conn| store::for_device(conn, &device.team_id))
        .await
        .map_err(Failure::database)
        .map(Json)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_settings_body_names_every_setting_and_no_other() {
        let full = serde_json::to_value(Organisation::default()).unwrap();
        let bytes = |v: &Value| serde_json::to_vec(v).unwrap();
        assert_eq!(
            organisation_from(&bytes(&full)).unwrap(),
            Organisation::default()
        );
        let field = |v: Value| {
            organisation_from(&bytes(&v))
                .unwrap_err()
                .field()
                .map(str::to_owned)
        };
        let mut missing = full.clone();
        missing.as_object_mut().unwrap().remove("police_phone");
        assert_eq!(field(missing).as_deref(), Some("police_phone"));
        let mut nested = full.clone();
        nested["windows"].as_object_mut().unwrap().remove("po_days");
        assert_eq!(field(nested).as_deref(), Some("po_days"));
        let mut extra = full.clone();
        extra["bsn_123"] = Value::from("x");
        assert_eq!(field(extra).as_deref(), Some("body"));
        let mut extra_nested = full.clone();
        extra_nested["windows"]["x"] = Value::from(1);
        assert_eq!(field(extra_nested).as_deref(), Some("windows"));
        assert_eq!(field(Value::from(3)).as_deref(), Some("body"));
    }
}
