//! The API described as OpenAPI 3.1, collected from the handlers' own annotations in `api.rs`
//! and the wire types in core; served at `/api/openapi.json`. `api.rs` does not import this
//! module: `lib.rs` mounts its route next to the API's.

use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use utoipa::OpenApi;
use veilig_core::sync::{ApiError, ErrorCode, Receipt};

use crate::api::accounts;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Veilig report API",
        description = "Receives finalized aggression reports from devices, exactly once. A report is stored under the id the device made (UUIDv7). Sending the same bytes again returns the same receipt; other bytes under the same id are refused with 409: a correction is a new report whose `corrects` field names the original. Every error has the body `{code, message, field?}`: `code` is stable (the app translates it), `message` is one English sentence."
    ),
    paths(
        crate::api::health,
        crate::api::put_report,
        crate::api::list_reports,
        crate::api::get_report,
        accounts::enroll,
        accounts::this_device,
        accounts::list_devices,
        accounts::revoke_device,
        accounts::create_enrollment_code,
        accounts::login,
        accounts::me,
        accounts::logout,
        accounts::begin_second_factor,
        accounts::confirm_second_factor,
        accounts::change_password,
        accounts::list_people,
        accounts::create_person,
        accounts::change_person,
        accounts::end_sessions,
        accounts::list_teams,
        accounts::create_team,
        accounts::set_managers,
        accounts::read_audit,
        crate::api::workspace::inbox,
        crate::api::workspace::summary,
        crate::api::workspace::my_tasks,
        crate::api::workspace::aftercare,
        crate::api::workspace::record,
        crate::api::workspace::calendar,
        crate::api::organisation::get_organisation,
        crate::api::organisation::put_organisation,
        crate::api::organisation::put_team_phone,
        crate::api::organisation::device_organisation,
    ),
    components(schemas(Receipt, ApiError)),
    modifiers(&Cookies, &ErrorCodes)
)]
pub struct ApiDoc;

/// The two credentials: both HttpOnly cookies (`auth.rs`). Over HTTPS their names carry the
/// `__Host-` prefix.
struct Cookies;

impl utoipa::Modify for Cookies {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "device",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new("veilig_device"))),
        );
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new("veilig_session"))),
        );
    }
}

/// Lists every error code (from `ErrorCode::ALL`, so the document cannot miss one).
struct ErrorCodes;

impl utoipa::Modify for ErrorCodes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let codes: Vec<String> = ErrorCode::ALL
            .iter()
            .map(|c| format!("`{}`", c.as_str()))
            .collect();
        let description = openapi.info.description.get_or_insert_with(String::new);
        description.push_str(&format!(" Error codes: {}.", codes.join(", ")));
    }
}

/// The document: utoipa's, completed with what annotations cannot say (`openapi_schema`).
pub fn document() -> String {
    let mut doc = serde_json::to_value(ApiDoc::openapi()).unwrap_or_default();
    crate::openapi_schema::complete(&mut doc);
    serde_json::to_string_pretty(&doc).unwrap_or_else(|_| "{}".to_owned())
}

/// `GET /openapi.json`, to be nested under `/api` with the API.
pub fn router() -> Router {
    Router::new().route(
        "/openapi.json",
        get(|| async {
            ([(header::CONTENT_TYPE, "application/json")], document()).into_response()
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The document is the list of endpoints the role-matrix test (tests/role_matrix.rs)
    /// walks: a route in the router that it lacks would escape the matrix.
    #[test]
    fn every_route_of_the_api_is_in_the_document() {
        let source = include_str!("api.rs");
        let doc: serde_json::Value = serde_json::from_str(&document()).unwrap();
        let paths = doc["paths"].as_object().unwrap();
        let mut routes = 0;
        for line in source.lines().map(str::trim) {
            let Some(rest) = line
                .strip_prefix(".route(\"")
                .or_else(|| line.strip_prefix("\"/v1"))
            else {
                continue;
            };
            let path = if line.starts_with("\"/v1") {
                format!("/v1{}", rest.split('"').next().unwrap())
            } else {
                rest.split('"').next().unwrap().to_owned()
            };
            routes += 1;
            assert!(
                paths.contains_key(&format!("/api{path}")),
                "/api{path} is not in the OpenAPI document"
            );
        }
        assert!(routes >= 15, "the router's routes were found ({routes})");
    }

    #[test]
    fn the_document_names_every_error_code() {
        let doc = document();
        for code in ErrorCode::ALL {
            assert!(doc.contains(&format!("`{}`", code.as_str())), "{code:?}");
        }
    }
}
