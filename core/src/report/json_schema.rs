//! The JSON Schema (2020-12, as OpenAPI 3.1 uses it) of a report as `accept` takes it,
//! generated from the form's one declaration (`schema::FIELDS`, `schema::limits`) so that the
//! published API document cannot drift from the form. Used by the server's OpenAPI document.
//!
//! It states every rule of `accept` that JSON Schema can: types, required keys, no other key at
//! any level, every limit, the options of a choice, non-blank required text, the two time
//! formats, which fields apply (a conditional field is required when its condition holds and
//! absent otherwise, with `if`/`then`/`else`), "none of these" alone, no option twice, and the
//! laxer rules of a version 1 report (whose conditional fields it only bounds: looser than the
//! server there, never stricter). What it cannot state is in [`UNSTATED`] and in the
//! document's description: it depends on the address, on the clock or on what the server holds.

use serde_json::{json, Map, Value as Json};

use super::model::REPORT_SCHEMA_VERSION;
use super::schema::limits::{
    MAX_CHECKLIST_EVENTS, MAX_CHECKLIST_KINDS, MAX_FLOW_EVENTS, MAX_KEY, MAX_PERSONS,
    MAX_PERSON_DETAIL, MAX_PERSON_NAME, MAX_TEXT,
};
use super::schema::{field, FieldKind, FieldSpec, Req, When, FIELDS, NONE_OF_THESE};

/// The rules of `accept` no JSON Schema can hold, said in the schema's description.
pub const UNSTATED: &str = "Beyond this schema the server also requires: `id` equal to the id in the address; `corrects` the id of a report this server already holds, and not the report's own; every time from 2000 on (in UTC for the RFC 3339 times), `finalized_at` not before `created_at`, no RFC 3339 time more than a day after the server's clock (unless the device sent its own clock in `Veilig-Device-Time` and no time is more than 5 minutes after that), no local date and time (`datum_tijd`, `leidinggevende_tijd`, `opvang_tijd`) later than the server's clock plus 14 hours (time zones) and 5 minutes, and each a real calendar date; in a version 2 report `leidinggevende_tijd` and `opvang_tijd` not before `datum_tijd`. The same bytes again under the same id return the original receipt; other bytes are refused with 409.";

/// Rust's `char::is_whitespace` (Unicode White_Space), spelled out: `trim()` decides whether
/// required text is blank, and `\s` differs between regex dialects (Python's includes U+001C to
/// U+001F, ECMAScript's U+FEFF), so a checker would disagree with the server on those.
macro_rules! whitespace {
    () => {
        "\\t\\n\\u000b\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000"
    };
}

/// A character that is not whitespace: required text has one.
const NOT_WHITESPACE: &str = concat!("[^", whitespace!(), "]");
/// The same set, as a character class (also for the server's other texts).
pub const WHITESPACE: &str = concat!("[", whitespace!(), "]");

/// `YYYY-MM-DDTHH:MM`, seconds optional (`time::parse_local`), ASCII digits only.
const LOCAL_DATE_TIME: &str = "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$";

/// RFC 3339 as `time::parse_utc` reads it: seconds, a fraction of 1 to 9 digits, `Z` or an
/// offset.
const RFC_3339: &str = "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\\.[0-9]{1,9})?(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])$";

/// A report id as `accept::canonical_id` takes it.
pub const UUID: &str = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$";

fn uuid() -> Json {
    json!({"type": "string", "pattern": UUID, "description": "A UUID in its one form: lower-case, hyphenated (8-4-4-4-12)."})
}

fn moment() -> Json {
    json!({"type": "string", "pattern": RFC_3339, "description": "RFC 3339 with seconds (`2026-11-30T13:05:00Z`)."})
}

/// A key the app writes (a step, an action, an item): bounded by `MAX_KEY`.
fn key() -> Json {
    json!({"type": "string", "maxLength": MAX_KEY})
}

fn choice_keys(options: &[super::schema::Choice]) -> Vec<&'static str> {
    options.iter().map(|o| o.key).collect()
}

/// The one value a version 1 app wrote that version 2 reads differently (`migrate::v1_to_v2`):
/// a bare "ja" for the employer's address and for the confirmation.
const V1_YES: &[&str] = &["adres_werkgever", "akkoord"];

/// The value of a field that applies, as `validate::check_value` takes it.
fn field_value(spec: &FieldSpec, version: u32) -> Json {
    let required = spec.req == Req::Required;
    let v1_yes = version == 1 && V1_YES.contains(&spec.key);
    let mut schema = match spec.kind {
        FieldKind::Text | FieldKind::LongText => {
            let mut s = json!({"type": "string", "maxLength": spec.max_chars.unwrap_or(MAX_TEXT)});
            if required {
                // Only whitespace is no answer.
                s["pattern"] = Json::from(NOT_WHITESPACE);
                s["minLength"] = Json::from(1);
            }
            s
        }
        FieldKind::Choice(options) => {
            let mut keys = choice_keys(options);
            if v1_yes {
                keys.push("ja");
            }
            json!({"type": "string", "enum": keys})
        }
        FieldKind::Multi(options) => {
            let mut s = json!({
                "type": "array",
                "items": {"enum": choice_keys(options)},
                "minItems": 1,
                "maxItems": options.len(),
                "uniqueItems": true,
            });
            if options.iter().any(|o| o.key == NONE_OF_THESE) {
                // "None of these" is never ticked together with another option.
                s["not"] = json!({"contains": {"const": NONE_OF_THESE}, "minItems": 2});
            }
            s
        }
        FieldKind::DateTime => {
            json!({"type": "string", "pattern": LOCAL_DATE_TIME, "description": "A local date and time (`2026-11-30T14:05`)."})
        }
        FieldKind::Number { min, max } => {
            // Sent as text (the form's input); `validate` reads it after trimming.
            json!({
                "type": "string",
                "pattern": format!("^{WHITESPACE}*\\+?[0-9]+{WHITESPACE}*$"),
                "description": format!("A whole number from {min} to {max}, as text."),
            })
        }
        FieldKind::Persons => json!({
            "type": "array",
            "minItems": 1,
            "maxItems": MAX_PERSONS,
            "items": person(true),
        }),
        FieldKind::Confirm { .. } => {
            let mut s = moment();
            s["description"] = Json::from("The moment it was confirmed (RFC 3339).");
            if v1_yes {
                s = json!({"anyOf": [s, {"const": "ja"}]});
            }
            s
        }
    };
    if version == 1 && spec.key == "extreem" {
        // Optional in version 1: an empty list is a blank, not an error, there.
        schema["minItems"] = Json::from(0);
    }
    let [nl, en] = spec.label;
    schema["title"] = Json::from(format!("{nl} / {en}"));
    schema
}

/// A person: a name, and optionally a detail. `named`: the name must not be blank (a field that
/// applies); the walk of a value that does not apply only bounds it.
fn person(named: bool) -> Json {
    let mut name = json!({"type": "string", "maxLength": MAX_PERSON_NAME});
    if named {
        name["pattern"] = Json::from(NOT_WHITESPACE);
        name["minLength"] = Json::from(1);
    }
    json!({
        "type": "object",
        "properties": {
            "name": name,
            "detail": {"type": "string", "maxLength": MAX_PERSON_DETAIL},
        },
        "required": ["name"],
        "additionalProperties": false,
    })
}

/// Any value `accept` reads and bounds without validating it: a version 1 report may hold a
/// value for a field that does not apply (that app did not prune when finalizing).
fn any_value() -> Json {
    json!({"anyOf": [
        {"type": "string", "maxLength": MAX_TEXT},
        {"type": "array", "maxItems": MAX_PERSONS, "items": {"type": "string", "maxLength": MAX_TEXT}},
        {"type": "array", "maxItems": MAX_PERSONS, "items": person(false)},
    ]})
}

/// The condition under which `spec` applies (`validate::applies`): any of its conditions holds.
/// `None`: always. `applies` also asks that the field a condition names applies itself; that
/// needs no saying here, because a field that does not apply has no value in a valid version 2
/// report (its own rule), and saying it made the schema too large for a generator to expand.
fn applies(spec: &FieldSpec) -> Option<Json> {
    if spec.when.is_empty() {
        return None;
    }
    let any: Vec<Json> = spec.when.iter().map(holds).collect();
    Some(json!({"anyOf": any}))
}

fn holds(when: &When) -> Json {
    let value = match field(when.field).map(|target| target.kind) {
        Some(FieldKind::Multi(_)) => json!({"type": "array", "contains": {"enum": when.any_of}}),
        _ => json!({"type": "string", "enum": when.any_of}),
    };
    json!({"properties": {when.field: value}, "required": [when.field]})
}

/// When a version 1 report needs a value for a required field that always applies, if not
/// always: a missing answer to what the version 1 form did not ask is no error
/// (`validate::asked_in_v1`; `wapen`, the third, is conditional), and a bare "ja" confirmation
/// is given `akkoord_naam` from `melder_naam` (`migrate::v1_to_v2`).
fn required_in_v1(spec: &FieldSpec) -> Option<Json> {
    match spec.key {
        "extreem" => Some(json!(false)),
        "melding_aangifte" => Some(json!({
            "properties": {"politie": {"type": "string", "enum": ["gebeld", "ter_plaatse"]}},
            "required": ["politie"],
        })),
        "akkoord_naam" => Some(json!({
            "not": {"properties": {"akkoord": {"const": "ja"}}, "required": ["akkoord"]},
        })),
        _ => None,
    }
}

/// The names of the two `values` schemas the report refers to (`report`), for the document's
/// schemas: by reference, not inline, because a generator that expands the report's two
/// versions inline gives up on the product of their rules.
pub const VALUES: &str = "ReportValues";
pub const VALUES_V1: &str = "ReportValuesV1";

/// The schemas `report` refers to, by name.
pub fn definitions() -> [(&'static str, Json); 2] {
    [
        (VALUES, values(REPORT_SCHEMA_VERSION)),
        (VALUES_V1, values(1)),
    ]
}

/// The `values` object of a report of `version` (1 or the current one).
pub fn values(version: u32) -> Json {
    let mut properties = Map::new();
    let mut required = Vec::new();
    let mut rules = Vec::new();
    let mut grouped: Vec<(&[When], Json)> = Vec::new();
    for spec in FIELDS {
        let strict = field_value(spec, version);
        let must = spec.req == Req::Required;
        match (applies(spec), version) {
            (None, 2..) => {
                properties.insert(spec.key.into(), strict);
                if must {
                    required.push(spec.key);
                }
            }
            (Some(condition), 2..) => {
                // Required (or allowed) when it applies, absent when it does not. Fields with
                // the same conditions share one rule: fewer rules keep the schema small enough
                // for a generator to expand (each rule doubles its cases).
                properties.insert(spec.key.into(), strict);
                let rule = match grouped.iter_mut().find(|(when, _)| *when == spec.when) {
                    Some((_, rule)) => rule,
                    None => {
                        grouped.push((
                            spec.when,
                            json!({"if": condition, "then": {}, "else": {"properties": {}}}),
                        ));
                        &mut grouped.last_mut().expect("just pushed").1
                    }
                };
                if must {
                    match rule["then"]["required"].as_array_mut() {
                        Some(keys) => keys.push(Json::from(spec.key)),
                        None => rule["then"]["required"] = json!([spec.key]),
                    }
                }
                rule["else"]["properties"][spec.key] = json!(false);
            }
            (None, _) => {
                // Version 1, a field that always applies: validated as the form does, and
                // required unless that form did not ask it.
                properties.insert(spec.key.into(), strict);
                if must {
                    match required_in_v1(spec) {
                        None => required.push(spec.key),
                        Some(Json::Bool(false)) => {}
                        Some(asked) => rules.push(json!({
                            "if": asked,
                            "then": {"required": [spec.key]},
                        })),
                    }
                }
            }
            (Some(_), _) => {
                // Version 1, a conditional field: only read and bounded here. The server
                // validates it when it applies; stating that as well made the schema too
                // large for a generator to expand (a rule per field, none excluding the
                // value), so this schema is looser than the server for these, never
                // stricter.
                properties.insert(spec.key.into(), any_value());
            }
        }
    }
    rules.extend(grouped.into_iter().map(|(_, rule)| rule));
    let mut schema = json!({
        "type": "object",
        "properties": properties,
        "additionalProperties": false,
    });
    if !required.is_empty() {
        schema["required"] = json!(required);
    }
    if !rules.is_empty() {
        schema["allOf"] = Json::Array(rules);
    }
    schema
}

fn flow_run() -> Json {
    // Read through `RunEventWire`: every key it knows may be present (or null) on any event;
    // each kind of event needs its own.
    let nullable = |schema: Json| json!({"anyOf": [schema, {"type": "null"}]});
    let kinds = json!({"enum": ["frustratie", "instrumenteel"]});
    let variant = |name: &str, keys: &[&str]| {
        let mut properties = Map::new();
        properties.insert("event".into(), json!({"const": name}));
        for k in keys {
            let schema = if *k == "kind" { kinds.clone() } else { key() };
            properties.insert((*k).into(), schema);
        }
        json!({"properties": properties, "required": keys})
    };
    json!({
        "type": "object",
        "description": "The protocol flow the report was started from, with its timestamped log.",
        "properties": {
            "id": key(),
            "flow": {"enum": ["kantoor", "woning", "telefoon"]},
            "started_at": moment(),
            "events": {
                "type": "array",
                "maxItems": MAX_FLOW_EVENTS,
                "items": {
                    "type": "object",
                    "properties": {
                        "at": moment(),
                        "event": {"enum": ["answered", "counted", "undone", "ticked", "unticked", "guided"]},
                        "node": nullable(key()),
                        "answer": nullable(key()),
                        "action": nullable(key()),
                        "kind": nullable(kinds.clone()),
                    },
                    "required": ["at", "event"],
                    "additionalProperties": false,
                    "oneOf": [
                        variant("answered", &["node", "answer"]),
                        variant("counted", &["node"]),
                        variant("undone", &[]),
                        variant("ticked", &["node", "action"]),
                        variant("unticked", &["node", "action"]),
                        variant("guided", &["kind"]),
                    ],
                },
            },
        },
        "required": ["id", "flow", "started_at", "events"],
        "additionalProperties": false,
    })
}

fn checklist() -> Json {
    json!({
        "type": "object",
        "description": "The extreme-incident checklist the report was started from, with the time of every tick.",
        "properties": {
            "id": key(),
            "started_at": {"anyOf": [moment(), {"type": "null"}]},
            "events": {
                "type": "array",
                "maxItems": MAX_CHECKLIST_EVENTS,
                "items": {
                    "type": "object",
                    "properties": {"item": key(), "at": moment(), "done": {"type": "boolean"}},
                    "required": ["item", "at", "done"],
                    "additionalProperties": false,
                },
            },
            "kinds": {"type": "array", "maxItems": MAX_CHECKLIST_KINDS, "items": key()},
            "report": {"anyOf": [key(), {"type": "null"}]},
        },
        "required": ["events"],
        "additionalProperties": false,
    })
}

/// The report body of `PUT /api/v1/reports/{id}`; `refs` is where [`definitions`] are
/// (`#/components/schemas/` in an OpenAPI document).
pub fn report(refs: &str) -> Json {
    let versions: Vec<u32> = (1..=REPORT_SCHEMA_VERSION).collect();
    let current = REPORT_SCHEMA_VERSION;
    json!({
        "title": "Report",
        "description": format!("A finalized report of schema version 1 to {current} (version 1 is what an app before issue 11 sends: it may leave blank what that form did not ask and hold values for fields that do not apply, which the server reads but does not validate). The body is at most 1 MiB, has no key twice in one object and only plain integers (no fraction, exponent or minus zero). {UNSTATED}"),
        "type": "object",
        "properties": {
            "id": uuid(),
            "schema_version": {"type": "integer", "enum": versions},
            "created_at": moment(),
            "saved_at": moment(),
            "revision": {"type": "integer", "minimum": 0, "maximum": u64::MAX},
            "status": {"const": "final"},
            "finalized_at": moment(),
            "values": {"type": "object"},
            "flow_run": {"anyOf": [flow_run(), {"type": "null"}]},
            "checklist": {"anyOf": [checklist(), {"type": "null"}]},
            "corrects": {"anyOf": [uuid(), {"type": "null"}], "description": "The id of the report this one corrects: a report this server holds."},
        },
        "required": ["id", "schema_version", "created_at", "saved_at", "revision", "status", "finalized_at", "values"],
        "additionalProperties": false,
        "if": {"properties": {"schema_version": {"const": 1}}},
        "then": {"properties": {"values": {"$ref": format!("{refs}{VALUES_V1}")}}},
        "else": {"properties": {"values": {"$ref": format!("{refs}{VALUES}")}}},
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::schema::Choice;

    /// The characters of the `whitespace!()` class, its `\uXXXX` escapes and ranges read.
    fn whitespace_class() -> Vec<char> {
        let text = whitespace!()
            .replace("\\t", "\\u0009")
            .replace("\\n", "\\u000a")
            .replace("\\f", "\\u000c")
            .replace("\\r", "\\u000d")
            .replace(' ', "\\u0020");
        let mut chars = Vec::new();
        // `\u2000-\u200a` splits into "2000-" and "200a": a range's start ends with its dash.
        let mut range_from = None;
        for part in text.split("\\u").filter(|p| !p.is_empty()) {
            let hex = |h: &str| u32::from_str_radix(h, 16).unwrap();
            if let Some(from) = part.strip_suffix('-') {
                range_from = Some(hex(from));
                continue;
            }
            let to = hex(part);
            let from = range_from.take().unwrap_or(to);
            chars.extend((from..=to).filter_map(char::from_u32));
        }
        chars
    }

    #[test]
    fn the_whitespace_class_is_what_trim_removes() {
        let class = whitespace_class();
        let rust: Vec<char> = (0..=0x10FFFF)
            .filter_map(char::from_u32)
            .filter(|c| c.is_whitespace())
            .collect();
        assert_eq!(class, rust);
    }

    fn current_values() -> Json {
        values(REPORT_SCHEMA_VERSION)
    }

    #[test]
    fn every_field_is_a_property_with_its_options_and_no_other_key_is() {
        for values in [current_values(), values(1)] {
            assert_eq!(values["additionalProperties"], false);
            let properties = values["properties"].as_object().unwrap();
            let keys: Vec<&str> = properties.keys().map(String::as_str).collect();
            let mut declared: Vec<&str> = FIELDS.iter().map(|f| f.key).collect();
            declared.sort_unstable();
            assert_eq!(keys, declared);
        }
        let values = current_values();
        for spec in FIELDS {
            let property = &values["properties"][spec.key];
            let options = |o: &[Choice]| Json::from(o.iter().map(|c| c.key).collect::<Vec<_>>());
            match spec.kind {
                FieldKind::Choice(o) => assert_eq!(property["enum"], options(o), "{}", spec.key),
                FieldKind::Multi(o) => {
                    assert_eq!(property["items"]["enum"], options(o), "{}", spec.key);
                    assert_eq!(property["uniqueItems"], true);
                }
                FieldKind::Text | FieldKind::LongText => {
                    let max = spec.max_chars.unwrap_or(MAX_TEXT);
                    assert_eq!(property["maxLength"], max, "{}", spec.key);
                    let blank_refused = property.get("pattern").is_some();
                    assert_eq!(blank_refused, spec.req == Req::Required, "{}", spec.key);
                }
                _ => {}
            }
        }
    }

    #[test]
    fn a_conditional_field_is_required_when_it_applies_and_absent_otherwise() {
        let values = current_values();
        let required = values["required"].as_array().unwrap();
        let rules = values["allOf"].as_array().unwrap();
        for spec in FIELDS {
            let rule = rules
                .iter()
                .find(|r| r["else"]["properties"][spec.key] == json!(false));
            if spec.when.is_empty() {
                assert!(rule.is_none(), "{}", spec.key);
                let must = spec.req == Req::Required;
                assert_eq!(required.contains(&json!(spec.key)), must, "{}", spec.key);
                continue;
            }
            assert!(!required.contains(&json!(spec.key)), "{}", spec.key);
            let rule = rule.unwrap_or_else(|| panic!("no rule for {}", spec.key));
            let then_requires = rule["then"]["required"]
                .as_array()
                .is_some_and(|keys| keys.contains(&json!(spec.key)));
            assert_eq!(then_requires, spec.req == Req::Required, "{}", spec.key);
            // Every condition of the declaration is one branch of the rule's `if`.
            assert_eq!(
                rule["if"]["anyOf"].as_array().unwrap().len(),
                spec.when.len(),
                "{}",
                spec.key
            );
        }
        // `wapen_wat` applies while `wapen` says a weapon was shown or used; `wapen` itself is
        // absent unless it applies (its own rule), so that is all its rule needs to say.
        let rule = rules
            .iter()
            .find(|r| r["else"]["properties"]["wapen_wat"] == json!(false))
            .unwrap();
        assert!(rule["if"].to_string().contains("gebruikt"), "{rule}");
        let wapen = rules
            .iter()
            .find(|r| r["else"]["properties"]["wapen"] == json!(false))
            .unwrap();
        assert!(wapen["if"].to_string().contains("bedreiging"), "{wapen}");
    }

    #[test]
    fn the_report_is_closed_at_every_level_and_only_final() {
        let schema = report("#/");
        assert_eq!(
            schema["else"]["properties"]["values"]["$ref"],
            "#/ReportValues"
        );
        assert_eq!(
            schema["then"]["properties"]["values"]["$ref"],
            "#/ReportValuesV1"
        );
        assert_eq!(schema["additionalProperties"], false);
        assert_eq!(schema["properties"]["status"]["const"], "final");
        let text = format!("{schema}{}{}", values(1), current_values());
        // Every object schema says what it holds, and nothing else.
        let objects = text.matches(r#""type":"object""#).count();
        let closed = text.matches(r#""additionalProperties":false"#).count();
        assert_eq!(
            objects - 1,
            closed,
            "all but `values` before its version is known"
        );
        for limit in [MAX_FLOW_EVENTS, MAX_CHECKLIST_EVENTS, MAX_CHECKLIST_KINDS] {
            assert!(text.contains(&format!(r#""maxItems":{limit}"#)), "{limit}");
        }
    }
}
