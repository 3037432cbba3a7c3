//! The API described as OpenAPI 3.1, generated from the handlers' annotations and the wire
//! types in core; served at `/api/openapi.json`.

use utoipa::OpenApi;
use veilig_core::sync::{ApiError, Receipt};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Veilig report API",
        description = "Receives finalized aggression reports from devices, exactly once. A report is stored under the id the device made (UUIDv7). Sending the same bytes again returns the same receipt; other bytes under the same id are refused with 409: a correction is a new report whose `corrects` field names the original."
    ),
    paths(crate::api::health_doc, crate::api::put_report_doc, crate::api::list_reports_doc, crate::api::get_report_doc),
    components(schemas(Receipt, ApiError)),
    modifiers(&BearerAuth)
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

pub fn document() -> String {
    ApiDoc::openapi()
        .to_pretty_json()
        .unwrap_or_else(|_| "{}".to_owned())
}
