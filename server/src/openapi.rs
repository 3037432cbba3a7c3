//! The API described as OpenAPI 3.1, collected from the handlers' own annotations in `api.rs`
//! and the wire types in core; served at `/api/openapi.json`. `api.rs` does not import this
//! module: `lib.rs` mounts its route next to the API's.

use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use utoipa::OpenApi;
use veilig_core::sync::{ApiError, ErrorCode, Receipt};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Veilig report API",
        description = "Receives finalized aggression reports from devices, exactly once. A report is stored under the id the device made (UUIDv7). Sending the same bytes again returns the same receipt; other bytes under the same id are refused with 409: a correction is a new report whose `corrects` field names the original. Every error has the body `{code, message, field?}`: `code` is stable (the app translates it), `message` is one English sentence."
    ),
    paths(crate::api::health, crate::api::put_report, crate::api::list_reports, crate::api::get_report),
    components(schemas(Receipt, ApiError)),
    modifiers(&BearerAuth, &ErrorCodes)
)]
pub struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "admin_token",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
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

pub fn document() -> String {
    ApiDoc::openapi()
        .to_pretty_json()
        .unwrap_or_else(|_| "{}".to_owned())
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

    #[test]
    fn the_document_names_every_error_code() {
        let doc = document();
        for code in ErrorCode::ALL {
            assert!(doc.contains(&format!("`{}`", code.as_str())), "{code:?}");
        }
    }
}
