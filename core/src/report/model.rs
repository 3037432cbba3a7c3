//! A report as stored and sent: metadata plus one value per declared field.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::protocol::run::FlowRun;

/// Version of the report's shape; bump it and add a migration to the storage module's
/// `REPORT_MIGRATIONS` (and keep a fixture of the old version in `tests/storage.rs`).
#[cfg(not(feature = "schema-v2-fixture"))]
pub const REPORT_SCHEMA_VERSION: u32 = 1;
/// Only in the update test's "build B": one version ahead.
#[cfg(feature = "schema-v2-fixture")]
pub const REPORT_SCHEMA_VERSION: u32 = 2;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub name: String,
    #[serde(default)]
    pub detail: String,
}

/// The value of one field. Free text is kept exactly as typed (no trimming, no HTML).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
