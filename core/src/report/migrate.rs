//! Stored and sent reports of earlier schema versions, brought to the current one. The same
//! steps run on the device (reading IndexedDB, through `envelope::decode`) and on the server
//! (reading a report an older app finalized and sent).

use serde_json::{Map, Value};

use crate::envelope::Migration;

/// `REPORT_MIGRATIONS[i]` turns a report of version `i + 1` into version `i + 2`, so the
/// current version is `REPORT_MIGRATIONS.len() + 1` (== `REPORT_SCHEMA_VERSION`, tested).
/// Never edit a released entry; keep a fixture of every old version (`core/tests/migrate.rs`,
/// `tests/storage.rs`).
#[cfg(not(feature = "schema-ahead-fixture"))]
pub const REPORT_MIGRATIONS: &[Migration] = &[v1_to_v2];
/// The update test's "build B": a real migration from the current version, so that the test
/// proves a draft survives an update that changes the stored schema.
#[cfg(feature = "schema-ahead-fixture")]
pub const REPORT_MIGRATIONS: &[Migration] = &[v1_to_v2, fixture_v2_to_v3];

/// Runs every step from `from` to the current version.
pub fn to_current(mut data: Value, from: u32) -> Result<Value, String> {
    let current = REPORT_MIGRATIONS.len() as u32 + 1;
    if from == 0 || from > current {
        return Err(format!("unknown schema version {from}"));
    }
    for step in &REPORT_MIGRATIONS[(from - 1) as usize..] {
        data = step(data)?;
    }
    Ok(data)
}

/// Version 1 to 2 (issue 11):
/// - `adres_werkgever` was a tick ("ja": the employer's address was used); it is now a choice,
///   so "ja" becomes "werkgever".
/// - `akkoord` was a bare "ja"; it is now the moment of confirming, with the name in
///   `akkoord_naam`. A final report was confirmed at the latest when it was finalized (the form
///   required it): that moment, and the reporter's name. A draft's "ja" is removed: who confirms
///   and when is asked again when it is finished.
/// - Nothing is invented: a missing `extreem` stays missing (the user now chooses, "Geen van
///   deze" included), `verzuim` keeps its answer, and the police answers stay as they were
///   (`melding_aangifte` is now asked whatever `politie` says; a blank one stays blank).
/// - Any other value stays exactly as it was; validation says so if it is not an option.
pub fn v1_to_v2(mut data: Value) -> Result<Value, String> {
    let report = data.as_object_mut().ok_or("a report is an object")?;
    let finalized_at = match report.get("status").and_then(Value::as_str) {
        Some("final") => report.get("finalized_at").cloned(),
        _ => None,
    };
    let values = report
        .get_mut("values")
        .and_then(Value::as_object_mut)
        .ok_or("a report has values")?;
    if is_yes(values, "adres_werkgever") {
        values.insert("adres_werkgever".into(), Value::from("werkgever"));
    }
    if is_yes(values, "akkoord") {
        match finalized_at {
            Some(at) => {
                values.insert("akkoord".into(), at);
                if !values.contains_key("akkoord_naam") {
                    if let Some(name) = values.get("melder_naam").cloned() {
                        values.insert("akkoord_naam".into(), name);
                    }
                }
            }
            None => {
                values.remove("akkoord");
            }
        }
    }
    report.insert("schema_version".into(), Value::from(2));
    Ok(data)
}

fn is_yes(values: &Map<String, Value>, key: &str) -> bool {
    values.get(key).and_then(Value::as_str) == Some("ja")
}

#[cfg(feature = "schema-ahead-fixture")]
fn fixture_v2_to_v3(mut data: Value) -> Result<Value, String> {
    let report = data.as_object_mut().ok_or("a report is an object")?;
    report.insert("schema_version".into(), Value::from(3));
    Ok(data)
}
