//! A report as stored and sent: metadata plus one value per declared field.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};

use crate::protocol::checklist::Checklist;
use crate::protocol::run::FlowRun;

/// Version of the report's shape; bump it and add a migration to `migrate::REPORT_MIGRATIONS`
/// (and keep a fixture of the old version in `core/tests/migrate.rs` and `tests/storage.rs`).
/// 2: `extreem` with "geen" and required, `verzuim` "nog niet bekend", `melding_aangifte`
/// always asked, `adres_werkgever` a choice, `akkoord` a moment with `akkoord_naam`,
/// `waarschuwing` (issue 11).
#[cfg(not(feature = "schema-ahead-fixture"))]
pub const REPORT_SCHEMA_VERSION: u32 = 2;
/// Only in the update test's "build B": one version ahead.
#[cfg(feature = "schema-ahead-fixture")]
pub const REPORT_SCHEMA_VERSION: u32 = 3;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub name: String,
    #[serde(default)]
    pub detail: String,
}

/// The value of one field. Free text is kept exactly as typed (no trimming, no HTML).
/// Written untagged (a string, or a list); read by [`ValueVisitor`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Value {
    Text(String),
    Many(Vec<String>),
    Persons(Vec<Person>),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Status {
    Draft,
    /// Validated and read-only: waiting in the outbox.
    Final {
        #[serde(with = "crate::time::rfc3339")]
        finalized_at: DateTime<Utc>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "ReportWire")]
pub struct Report {
    /// UUIDv7 made on the device when the draft starts; never changes.
    pub id: String,
    pub schema_version: u32,
    #[serde(with = "crate::time::rfc3339")]
    pub created_at: DateTime<Utc>,
    #[serde(with = "crate::time::rfc3339")]
    pub saved_at: DateTime<Utc>,
    /// Raised by every save; two tabs use it to notice each other's writes.
    pub revision: u64,
    #[serde(flatten)]
    pub status: Status,
    pub values: BTreeMap<String, Value>,
    /// The protocol flow this report was started from, with its timestamped log.
    #[serde(default)]
    pub flow_run: Option<FlowRun>,
    /// The extreme-incident checklist this report was started from, with the time of every
    /// tick.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checklist: Option<Checklist>,
    /// A correction is a new report (new id) that names the report it corrects; the server
    /// keeps both. A report, once received, is never changed in place (409).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub corrects: Option<String>,
}

impl Report {
    pub fn new(id: impl Into<String>, now: DateTime<Utc>) -> Self {
        Self {
            id: id.into(),
            schema_version: REPORT_SCHEMA_VERSION,
            created_at: now,
            saved_at: now,
            revision: 0,
            status: Status::Draft,
            values: BTreeMap::new(),
            flow_run: None,
            checklist: None,
            corrects: None,
        }
    }

    pub fn is_final(&self) -> bool {
        matches!(self.status, Status::Final { .. })
    }

    /// The text of a single-valued field ("" when empty or of another kind).
    pub fn text(&self, key: &str) -> &str {
        match self.values.get(key) {
            Some(Value::Text(t)) => t,
            _ => "",
        }
    }

    pub fn many(&self, key: &str) -> &[String] {
        match self.values.get(key) {
            Some(Value::Many(v)) => v,
            _ => &[],
        }
    }

    pub fn persons(&self, key: &str) -> &[Person] {
        match self.values.get(key) {
            Some(Value::Persons(v)) => v,
            _ => &[],
        }
    }

    /// Sets a value; an empty value removes the field.
    pub fn set(&mut self, key: &str, value: Value) {
        let empty = match &value {
            Value::Text(t) => t.is_empty(),
            Value::Many(v) => v.is_empty(),
            Value::Persons(v) => v.is_empty(),
        };
        if empty {
            self.values.remove(key);
        } else {
            self.values.insert(key.to_owned(), value);
        }
    }

    /// First words of the description, for the drafts list.
    pub fn summary(&self, words: usize) -> String {
        let text = self.text("omschrijving");
        let mut out: Vec<&str> = text.split_whitespace().take(words).collect();
        if text.split_whitespace().count() > words {
            out.push("…");
        }
        out.join(" ")
    }
}

// Reading. serde's `flatten`, internally tagged enums and `untagged` buffer every value before
// deciding what it is (its private `Content`), code the PWA's wasm pays for in every type that
// uses them. Reports are read through a flat shape that is checked here instead, and `Value` by
// a visitor; writing stays derived, so the stored and sent bytes are unchanged.

/// A report as it is written: the status tag and `finalized_at` sit beside the other keys.
#[derive(Deserialize)]
struct ReportWire {
    id: String,
    schema_version: u32,
    #[serde(with = "crate::time::rfc3339")]
    created_at: DateTime<Utc>,
    #[serde(with = "crate::time::rfc3339")]
    saved_at: DateTime<Utc>,
    revision: u64,
    status: StatusName,
    #[serde(default, with = "crate::time::rfc3339::option")]
    finalized_at: Option<DateTime<Utc>>,
    values: BTreeMap<String, Value>,
    #[serde(default)]
    flow_run: Option<FlowRun>,
    #[serde(default)]
    checklist: Option<Checklist>,
    #[serde(default)]
    corrects: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum StatusName {
    Draft,
    Final,
}

impl TryFrom<ReportWire> for Report {
    type Error = &'static str;

    fn try_from(wire: ReportWire) -> Result<Self, Self::Error> {
        let status = match (wire.status, wire.finalized_at) {
            (StatusName::Draft, _) => Status::Draft,
            (StatusName::Final, Some(finalized_at)) => Status::Final { finalized_at },
            (StatusName::Final, None) => return Err("a final report needs `finalized_at`"),
        };
        Ok(Report {
            id: wire.id,
            schema_version: wire.schema_version,
            created_at: wire.created_at,
            saved_at: wire.saved_at,
            revision: wire.revision,
            status,
            values: wire.values,
            flow_run: wire.flow_run,
            checklist: wire.checklist,
            corrects: wire.corrects,
        })
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ValueVisitor)
    }
}

/// A string is `Text`; a list of strings `Many` (also the empty list); a list of objects
/// `Persons`. A list mixing the two is an error.
struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a text, a list of texts or a list of persons")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Value, E> {
        Ok(Value::Text(text.to_owned()))
    }

    fn visit_string<E: de::Error>(self, text: String) -> Result<Value, E> {
        Ok(Value::Text(text))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let (mut texts, mut persons) = (Vec::new(), Vec::new());
        while let Some(item) = seq.next_element::<Item>()? {
            match item {
                Item::Text(text) => texts.push(text),
                Item::Person(person) => persons.push(person),
            }
            if !texts.is_empty() && !persons.is_empty() {
                return Err(de::Error::custom("a list mixes texts and persons"));
            }
        }
        Ok(if persons.is_empty() {
            Value::Many(texts)
        } else {
            Value::Persons(persons)
        })
    }
}

/// One element of a list value.
enum Item {
    Text(String),
    Person(Person),
}

impl<'de> Deserialize<'de> for Item {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct ItemVisitor;
        impl<'de> Visitor<'de> for ItemVisitor {
            type Value = Item;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a text or a person")
            }

            fn visit_str<E: de::Error>(self, text: &str) -> Result<Item, E> {
                Ok(Item::Text(text.to_owned()))
            }

            fn visit_map<M: MapAccess<'de>>(self, map: M) -> Result<Item, M::Error> {
                Person::deserialize(de::value::MapAccessDeserializer::new(map)).map(Item::Person)
            }
        }
        d.deserialize_any(ItemVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(json: &str) -> Result<Value, serde_json::Error> {
        serde_json::from_str(json)
    }

    #[test]
    fn every_kind_of_value_reads_back_as_written() {
        let person = Person {
            name: "Kees".into(),
            detail: String::new(),
        };
        for v in [
            Value::Text("<b>\"hallo\"</b>".into()),
            Value::Many(vec!["verbaal".into(), "fysiek".into()]),
            Value::Many(vec![]),
            Value::Persons(vec![person.clone(), person]),
        ] {
            let json = serde_json::to_string(&v).unwrap();
            assert_eq!(value(&json).unwrap(), v, "{json}");
            // The envelope's migrations hand values over as `serde_json::Value`.
            let tree: serde_json::Value = serde_json::from_str(&json).unwrap();
            assert_eq!(serde_json::from_value::<Value>(tree).unwrap(), v, "{json}");
        }
        assert_eq!(
            value(r#"[{"name":"Kees"}]"#).unwrap(),
            Value::Persons(vec![Person {
                name: "Kees".into(),
                detail: String::new()
            }])
        );
    }

    #[test]
    fn a_value_of_another_shape_is_an_error() {
        for json in [
            "12",
            "null",
            "true",
            "{}",
            r#"["a", {"name":"Kees"}]"#,
            r#"[["a"]]"#,
            "[1]",
        ] {
            assert!(value(json).is_err(), "{json}");
        }
    }

    #[test]
    fn a_final_report_without_its_time_is_an_error_and_a_draft_reads_back() {
        let now = chrono::TimeZone::with_ymd_and_hms(&Utc, 2026, 11, 30, 9, 0, 0).unwrap();
        let mut report = Report::new("r", now);
        let draft = serde_json::to_string(&report).unwrap();
        assert_eq!(serde_json::from_str::<Report>(&draft).unwrap(), report);
        report.status = Status::Final { finalized_at: now };
        let json = serde_json::to_string(&report).unwrap();
        assert!(
            json.contains(r#""status":"final","finalized_at":"2026-11-30T09:00:00Z""#),
            "{json}"
        );
        assert_eq!(serde_json::from_str::<Report>(&json).unwrap(), report);
        let broken = json.replace(r#","finalized_at":"2026-11-30T09:00:00Z""#, "");
        let err = serde_json::from_str::<Report>(&broken).unwrap_err();
        assert!(err.to_string().contains("finalized_at"), "{err}");
    }
}

/// Orders reports newest first (by `saved_at`), equal times in their stored order. An insertion
/// sort on purpose: lists on a device hold tens of reports, and each instantiation of the
/// standard library's sort costs about 2 KB of the PWA's wasm.
pub fn newest_first(reports: &mut [Report]) {
    for i in 1..reports.len() {
        let mut j = i;
        while j > 0 && reports[j - 1].saved_at < reports[j].saved_at {
            reports.swap(j - 1, j);
            j -= 1;
        }
    }
}

#[cfg(test)]
mod order_tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn newest_first_keeps_equal_times_in_their_order() {
        let at = |m: u32| Utc.with_ymd_and_hms(2026, 11, 30, 10, m, 0).unwrap();
        let mut list: Vec<Report> = [(1, "a"), (3, "b"), (2, "c"), (3, "d"), (0, "e")]
            .into_iter()
            .map(|(m, id)| {
                let mut r = Report::new(id, at(0));
                r.saved_at = at(m);
                r
            })
            .collect();
        newest_first(&mut list);
        let ids: Vec<&str> = list.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, ["b", "d", "c", "a", "e"]);
        newest_first(&mut []);
    }
}
