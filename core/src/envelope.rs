//! The versioned envelope around everything the app stores on a device, and the rules for
//! reading it back: migrate what is old, quarantine what cannot be read, never guess.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// What is written to storage: `{"v": 2, "data": {...}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Envelope<T> {
    pub v: u32,
    pub data: T,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("the stored text is not JSON: {0}")]
    NotJson(String),
    #[error("the stored value has no version envelope")]
    NoEnvelope,
    #[error("the stored value is of version {found}, newer than this app knows ({known}); update the app")]
    FromTheFuture { found: u32, known: u32 },
    #[error("migration from version {from} failed: {reason}")]
    Migration { from: u32, reason: String },
    #[error("the stored value does not have the expected shape: {0}")]
    Shape(String),
}

impl DecodeError {
    /// A newer app wrote this: keep it untouched rather than quarantining it, so an
    /// update (or going back to the newer version) finds it again.
    pub fn is_from_the_future(&self) -> bool {
        matches!(self, DecodeError::FromTheFuture { .. })
    }
}

/// One step of migration: turns the data of version `from` into that of `from + 1`.
pub type Migration = fn(Value) -> Result<Value, String>;

pub fn encode<T: Serialize>(version: u32, data: &T) -> Result<String, serde_json::Error> {
    serde_json::to_string(&Envelope { v: version, data })
}

/// Reads an envelope written by this or any earlier version. `migrations[i]` migrates
/// version `i + 1` to `i + 2`; the current version is `migrations.len() + 1`.
pub fn decode<T: DeserializeOwned>(raw: &str, migrations: &[Migration]) -> Result<T, DecodeError> {
    serde_json::from_value(decode_value(raw, migrations)?)
        .map_err(|e| DecodeError::Shape(e.to_string()))
}

/// `decode` up to the migrated data, as JSON: for a type read by hand rather than by serde's
/// derived reader (`organisation::ForDevice::from_json`). Not generic, so every `decode`
/// shares one copy of it in the wasm.
pub fn decode_value(raw: &str, migrations: &[Migration]) -> Result<Value, DecodeError> {
    let current = migrations.len() as u32 + 1;
    let value: Value =
        serde_json::from_str(raw).map_err(|e| DecodeError::NotJson(e.to_string()))?;
    let Value::Object(mut map) = value else {
        return Err(DecodeError::NoEnvelope);
    };
    let version = map
        .get("v")
        .and_then(Value::as_u64)
        .and_then(|v| u32::try_from(v).ok())
        .filter(|v| *v >= 1)
        .ok_or(DecodeError::NoEnvelope)?;
    let mut data = map.remove("data").ok_or(DecodeError::NoEnvelope)?;
    if version > current {
        return Err(DecodeError::FromTheFuture {
            found: version,
            known: current,
        });
    }
    for from in version..current {
        let step = migrations[(from - 1) as usize];
        data = step(data).map_err(|reason| DecodeError::Migration { from, reason })?;
    }
    Ok(data)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct V3 {
        name: String,
        phones: Vec<String>,
    }

    fn v1_to_v2(mut v: Value) -> Result<Value, String> {
        let phone = v.get("phone").cloned().unwrap_or(Value::Null);
        v["phones"] = if phone.is_null() {
            json!([])
        } else {
            json!([phone])
        };
        Ok(v)
    }

    fn v2_to_v3(mut v: Value) -> Result<Value, String> {
        let obj = v.as_object_mut().ok_or("not an object")?;
        obj.remove("phone");
        Ok(v)
    }

    const MIGRATIONS: &[Migration] = &[v1_to_v2, v2_to_v3];

    #[test]
    fn current_version_round_trips() {
        let value = V3 {
            name: "Ans".into(),
            phones: vec!["010".into()],
        };
        let raw = encode(3, &value).unwrap();
        assert_eq!(decode::<V3>(&raw, MIGRATIONS), Ok(value));
    }

    #[test]
    fn every_old_version_is_migrated() {
        let v1 = r#"{"v":1,"data":{"name":"Ans","phone":"010"}}"#;
        let v2 = r#"{"v":2,"data":{"name":"Ans","phone":"010","phones":["010"]}}"#;
        for raw in [v1, v2] {
            assert_eq!(
                decode::<V3>(raw, MIGRATIONS),
                Ok(V3 {
                    name: "Ans".into(),
                    phones: vec!["010".into()]
                }),
                "{raw}"
            );
        }
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        for raw in [
            "",
            "{",
            "null",
            "[1,2]",
            r#"{"v":"x","data":{}}"#,
            r#"{"v":0,"data":{}}"#,
            r#"{"data":{}}"#,
        ] {
            assert!(decode::<V3>(raw, MIGRATIONS).is_err(), "{raw:?}");
        }
        assert!(matches!(
            decode::<V3>(r#"{"v":3,"data":{"name":1}}"#, MIGRATIONS),
            Err(DecodeError::Shape(_))
        ));
    }

    #[test]
    fn data_from_a_newer_app_is_recognised_as_such() {
        let err = decode::<V3>(r#"{"v":9,"data":{}}"#, MIGRATIONS).unwrap_err();
        assert!(err.is_from_the_future());
        assert_eq!(err, DecodeError::FromTheFuture { found: 9, known: 3 });
    }

    #[test]
    fn a_failing_migration_names_its_version() {
        let err = decode::<V3>(r#"{"v":2,"data":[]}"#, MIGRATIONS).unwrap_err();
        assert!(
            matches!(err, DecodeError::Migration { from: 2, .. }),
            "{err:?}"
        );
    }
}
