//! What utoipa's annotations cannot say, added to the generated OpenAPI document: the report's
//! JSON Schema (generated in core from the form's one declaration, `report::json_schema`) as the
//! body of `PUT /api/v1/reports/{id}` and of `GET /api/v1/reports/{id}`, and every error code
//! as the enum of `ApiError.code`. Kept apart from `openapi.rs` so that adding an endpoint there
//! never touches this.

use serde_json::{json, Value as Json};
use veilig_core::report::json_schema;
use veilig_core::sync::ErrorCode;

const REPORT: &str = "/api/v1/reports/{id}";

/// Completes the document utoipa generated (`openapi::document`).
pub fn complete(doc: &mut Json) {
    let schemas = &mut doc["components"]["schemas"];
    schemas["Report"] = json_schema::report("#/components/schemas/");
    for (name, schema) in json_schema::definitions() {
        schemas[name] = schema;
    }
    let report = json!({"$ref": "#/components/schemas/Report"});
    doc["paths"][REPORT]["get"]["responses"]["200"]["content"]["application/json"]["schema"] =
        report.clone();
    let put = &mut doc["paths"][REPORT]["put"];
    put["requestBody"]["content"]["application/json"]["schema"] = report;
    put["requestBody"]["required"] = json!(true);
    // The id a device makes: a request with any other is refused (`invalid_id`) before
    // anything else is looked at.
    for parameter in put["parameters"].as_array_mut().into_iter().flatten() {
        if parameter["name"] == "id" && parameter["in"] == "path" {
            parameter["schema"] = json!({"type": "string", "pattern": json_schema::UUID});
        }
    }
    let codes: Vec<&str> = ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
    doc["components"]["schemas"]["ApiError"]["properties"]["code"]["enum"] = json!(codes);
    account_texts(&mut doc["components"]["schemas"]);
    bodies_that_are_read(&mut doc["paths"]);
}

/// A name or login as `api::accounts::text` takes it: after trimming whitespace, 1 to `max`
/// characters and no control character.
fn text(max: usize) -> Json {
    let ws = json_schema::WHITESPACE;
    let control = "\\u0000-\\u001f\\u007f-\\u009f";
    let inner = format!("[^{control}]");
    let edge = format!("[^{}{control}]", &ws[1..ws.len() - 1]);
    json!({
        "type": "string",
        "pattern": format!("^{ws}*(?:{edge}|{edge}{inner}{{0,{}}}{edge}){ws}*$", max - 2),
        "description": format!("1 to {max} characters after trimming, no control characters."),
    })
}

/// Every role a person can have (`core::report::access::Role`).
const ROLES: [&str; 4] = ["medewerker", "leidinggevende", "po", "beheerder"];

/// The rules of the account endpoints' texts and roles that utoipa's derive cannot say.
/// `(schema, property, rule)`; the test below fails when one of them no longer exists.
fn account_rules() -> Vec<(&'static str, &'static str, Json)> {
    vec![
        ("NewPerson", "login", text(100)),
        ("NewPerson", "name", text(200)),
        // Roles that read reports are given on the server's shell only.
        (
            "NewPerson",
            "roles",
            json!({"type": "array", "items": {"enum": ["medewerker", "beheerder"]}}),
        ),
        (
            "NewPerson",
            "password",
            json!({"type": ["string", "null"], "minLength": 12, "maxLength": 256}),
        ),
        (
            "PersonChange",
            "name",
            json!({"anyOf": [text(200), {"type": "null"}]}),
        ),
        (
            "PersonChange",
            "roles",
            json!({"type": ["array", "null"], "items": {"enum": ROLES}}),
        ),
        ("NewTeam", "name", text(200)),
        (
            "PasswordChange",
            "new",
            json!({"type": "string", "minLength": 12, "maxLength": 256}),
        ),
    ]
}

fn account_texts(schemas: &mut Json) {
    for (schema, property, rule) in account_rules() {
        let slot = &mut schemas[schema]["properties"][property];
        let description = slot.get("description").cloned();
        *slot = rule;
        if let Some(description) = description {
            slot["description"] = description;
        }
    }
}

/// An endpoint that reads a JSON body answers 400 `invalid_request` when it is not one of the
/// shape documented (`api::accounts::parse`), whatever its annotation lists.
fn bodies_that_are_read(paths: &mut Json) {
    for operations in paths
        .as_object_mut()
        .into_iter()
        .flat_map(|p| p.values_mut())
    {
        for operation in operations
            .as_object_mut()
            .into_iter()
            .flat_map(|o| o.values_mut())
        {
            if operation.get("requestBody").is_none() {
                continue;
            }
            let responses = &mut operation["responses"];
            if responses.get("400").is_none() {
                responses["400"] = json!({
                    "description": "`invalid_request`: the body is not JSON of the documented shape, or a value is not allowed (the message and `field` say which)",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ApiError"}}},
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn document() -> Json {
        serde_json::from_str(&crate::openapi::document()).unwrap()
    }

    #[test]
    fn the_report_body_is_the_generated_schema_and_required() {
        let doc = document();
        let body = &doc["paths"][REPORT]["put"]["requestBody"];
        assert_eq!(body["required"], true);
        assert_eq!(
            body["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/Report"
        );
        let schemas = &doc["components"]["schemas"];
        assert_eq!(
            schemas["Report"],
            json_schema::report("#/components/schemas/")
        );
        for (name, schema) in json_schema::definitions() {
            assert_eq!(schemas[name], schema, "{name}");
        }
        let read = &doc["paths"][REPORT]["get"]["responses"]["200"]["content"];
        assert_eq!(
            read["application/json"]["schema"]["$ref"],
            "#/components/schemas/Report"
        );
    }

    #[test]
    fn every_account_rule_names_a_property_of_the_document() {
        let raw =
            serde_json::to_value(<crate::openapi::ApiDoc as utoipa::OpenApi>::openapi()).unwrap();
        for (schema, property, _) in account_rules() {
            assert!(
                raw["components"]["schemas"][schema]["properties"]
                    .get(property)
                    .is_some(),
                "{schema}.{property}"
            );
        }
    }

    /// The shape of `text`'s pattern: anchored, the trimmed length bounded, Rust's whitespace
    /// and the control characters named. Its verdicts are compared with the server's, name by
    /// name, in `scripts/schemathesis.py` (`check_names_by_hand`), which has a regex engine.
    #[test]
    fn a_text_pattern_bounds_the_trimmed_text() {
        let pattern = text(5)["pattern"].as_str().unwrap().to_owned();
        assert!(pattern.starts_with('^') && pattern.ends_with('$'));
        assert!(pattern.contains("{0,3}"), "{pattern}");
        assert!(pattern.contains("\\u3000"), "{pattern}");
        assert!(pattern.contains("\\u007f-\\u009f"), "{pattern}");
    }

    #[test]
    fn an_error_code_is_one_of_the_codes() {
        let doc = document();
        let codes = doc["components"]["schemas"]["ApiError"]["properties"]["code"]["enum"]
            .as_array()
            .unwrap()
            .clone();
        assert_eq!(codes.len(), ErrorCode::ALL.len());
        assert!(codes.contains(&json!("invalid_report")));
    }
}
