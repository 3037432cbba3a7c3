//! Times as the reader's own clock shows them. Core keeps instants in UTC and incident times as
//! typed (local wall-clock text); only the browser knows the time zone.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};

/// An instant in this browser's time zone, as `2026-01-05 10:15`.
pub fn local(at: DateTime<Utc>) -> String {
    let offset = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(
        at.timestamp_millis() as f64
    ))
    .get_timezone_offset();
    (at - chrono::Duration::minutes(offset as i64))
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

/// Reads RFC 3339 (as the server and core write it) and shows it locally; anything else as is.
pub fn local_text(rfc3339: &str) -> String {
    DateTime::parse_from_rfc3339(rfc3339)
        .map(|t| local(t.with_timezone(&Utc)))
        .unwrap_or_else(|_| rfc3339.to_owned())
}

/// A local date-time as typed (`2026-01-05T10:15`), for reading.
pub fn wall(text: &str) -> String {
    text.replace('T', " ")
}

pub fn wall_time(at: NaiveDateTime) -> String {
    at.format("%Y-%m-%d %H:%M").to_string()
}

/// Today on this browser's calendar.
pub fn today() -> NaiveDate {
    let now = js_sys::Date::new_0();
    NaiveDate::from_ymd_opt(
        now.get_full_year() as i32,
        now.get_month() + 1,
        now.get_date(),
    )
    .unwrap_or_default()
}

/// Now, as RFC 3339 UTC (when something was fetched).
pub fn now_rfc3339() -> String {
    String::from(js_sys::Date::new_0().to_iso_string())
}

/// For core's `headline`: an instant as `datetime-local` text in this browser's time zone.
pub fn local_plain(at: DateTime<Utc>) -> String {
    local(at).replace(' ', "T")
}

/// An instant with seconds, for the steps of a protocol walk.
pub fn local_seconds(at: DateTime<Utc>) -> String {
    let offset = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(
        at.timestamp_millis() as f64
    ))
    .get_timezone_offset();
    (at - chrono::Duration::minutes(offset as i64))
        .format("%H:%M:%S")
        .to_string()
}
