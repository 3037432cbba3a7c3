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
    inbox_filters(&mut doc["paths"]);
    aftercare_record(&mut doc["components"]["schemas"]);
    organisation_rules(&mut doc["components"]["schemas"]);
}

/// A phone number as `organisation::phone_problem` takes it: empty (not set), or at most 40
/// characters that `settings::tel_href` can dial once trimmed: `+` only first, 3 to 15 digits,
/// spaces, dots, dashes, slashes and brackets between them.
fn phone() -> Json {
    let ws = json_schema::WHITESPACE;
    json!({
        "type": "string",
        "maxLength": veilig_core::organisation::MAX_PHONE,
        "pattern": format!("^(?:{ws}*\\+?(?:[ ./()-]*[0-9]){{3,15}}[ ./()-]*{ws}*)?$"),
        "description": "Empty (not set), or a number a phone can dial.",
    })
}

/// A setting's text as `Organisation::problem` takes it: at most `max` characters, no control
/// character, and (`required`) not only whitespace.
fn setting_text(max: usize, required: bool) -> Json {
    let ws = json_schema::WHITESPACE;
    let control = "\\u0000-\\u001f\\u007f-\\u009f";
    let any = format!("[^{control}]");
    let pattern = if required {
        format!("^{any}*[^{}{control}]{any}*$", &ws[1..ws.len() - 1])
    } else {
        format!("^{any}*$")
    };
    json!({"type": "string", "maxLength": max, "pattern": pattern})
}

/// The organisation's settings: every key required (a missing one would silently put a
/// default back), each text and phone bounded, each window within its range. Relations
/// between windows (from not after to, the third after the second) are in the description.
fn organisation_rules(schemas: &mut Json) {
    use veilig_core::organisation::MAX_NAME;
    let org = &mut schemas["Organisation"];
    org["required"] = json!([
        "name",
        "kind",
        "address",
        "office_phone",
        "police_phone",
        "windows"
    ]);
    org["additionalProperties"] = json!(false);
    let properties = &mut org["properties"];
    properties["name"] = setting_text(MAX_NAME, true);
    properties["kind"] = setting_text(60, true);
    properties["address"] = setting_text(MAX_NAME, false);
    properties["office_phone"] = phone();
    properties["police_phone"] = phone();
    let windows = &mut schemas["Windows"];
    let ranges = [
        ("at_once_hours", 1, 72),
        ("second_from_days", 0, 30),
        ("second_to_days", 0, 30),
        ("third_from_days", 1, 365),
        ("third_to_days", 1, 365),
        ("team_meeting_days", 1, 365),
        ("po_days", 1, 90),
    ];
    windows["required"] = json!(ranges.iter().map(|(k, _, _)| *k).collect::<Vec<_>>());
    windows["additionalProperties"] = json!(false);
    windows["description"] = json!("Days (hours for first care) after the incident. Also: second_from_days ≤ second_to_days, third_from_days ≤ third_to_days, third_from_days > second_to_days; otherwise 400 naming `windows`.");
    for (key, min, max) in ranges {
        windows["properties"][key] = json!({"type": "integer", "minimum": min, "maximum": max});
    }
    schemas["TeamPhone"]["properties"]["manager_phone"] = phone();
}

/// The keys of one of the form's choice fields.
fn choices(field: &str) -> Vec<&'static str> {
    use veilig_core::report::schema::FieldKind;
    match veilig_core::report::schema::field(field).map(|f| f.kind) {
        Some(FieldKind::Choice(options) | FieldKind::Multi(options)) => {
            options.iter().map(|o| o.key).collect()
        }
        _ => Vec::new(),
    }
}

/// The list's filters as `inbox::Filter::parse` takes them: one of the form's keys, a date,
/// `ja`/`nee`, a page from 1. A value it refuses is one the document does not allow.
fn inbox_filters(paths: &mut Json) {
    use veilig_core::inbox::StateFilter;
    let states: Vec<&str> = StateFilter::ALL.iter().map(|s| s.as_str()).collect();
    let date = json!({"type": "string", "format": "date", "pattern": "^\\d{4}-\\d{2}-\\d{2}$"});
    let rules = [
        ("state", json!({"type": "string", "enum": states})),
        (
            "team",
            json!({"type": "string", "pattern": "^[A-Za-z0-9_-]{1,64}$"}),
        ),
        ("from", date.clone()),
        ("to", date),
        (
            "situatie",
            json!({"type": "string", "enum": choices("situatie")}),
        ),
        ("soort", json!({"type": "string", "enum": choices("soort")})),
        ("extreem", json!({"type": "string", "enum": ["ja", "nee"]})),
        ("letsel", json!({"type": "string", "enum": ["ja", "nee"]})),
        (
            "page",
            json!({"type": "integer", "minimum": 1, "maximum": 100_000}),
        ),
    ];
    for parameter in paths["/api/v1/inbox"]["get"]["parameters"]
        .as_array_mut()
        .into_iter()
        .flatten()
    {
        if let Some((_, schema)) = rules.iter().find(|(name, _)| parameter["name"] == *name) {
            parameter["schema"] = schema.clone();
        }
    }
}

/// A record's texts and checklist as `aftercare::Record::problem` bounds them (whether its
/// dates lie between the incident and today depends on the report and the clock: stated in
/// the operation's description).
fn aftercare_record(schemas: &mut Json) {
    let longest = veilig_core::aftercare::TaskKey::ALL
        .iter()
        .map(|k| k.checklist().len())
        .max()
        .unwrap_or(0);
    for variant in schemas["Record"]["oneOf"]
        .as_array_mut()
        .into_iter()
        .flatten()
    {
        let properties = &mut variant["properties"];
        if properties.get("checklist").is_some() {
            properties["checklist"] = json!({
                "type": "array",
                "uniqueItems": true,
                "maxItems": longest,
                "items": {"type": "integer", "minimum": 0, "maximum": longest.saturating_sub(1)},
                "description": "Indices into the task's checklist.",
            });
            properties["held_by"] = text(veilig_core::aftercare::MAX_HELD_BY);
            properties["notes"] =
                json!({"type": "string", "maxLength": veilig_core::aftercare::MAX_NOTES});
        }
    }
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
    fn the_workspace_rules_reach_the_document() {
        let doc = document();
        let parameters = doc["paths"]["/api/v1/inbox"]["get"]["parameters"]
            .as_array()
            .unwrap()
            .clone();
        let situatie = parameters.iter().find(|p| p["name"] == "situatie").unwrap();
        assert!(situatie["schema"]["enum"]
            .as_array()
            .unwrap()
            .contains(&json!("huisbezoek")));
        let record = &doc["components"]["schemas"]["Record"]["oneOf"];
        assert!(record
            .as_array()
            .unwrap()
            .iter()
            .any(|v| v["properties"]["checklist"]["items"]["maximum"] == 6));
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
