//! Reading the two timestamp formats the app meets: the value of `<input type="datetime-local">`
//! and the RFC 3339 UTC timestamps it stores and sends (as chrono writes them).
//!
//! Read by hand, on purpose: chrono's general format parser (`parse_from_str`, and the one
//! behind `DateTime`'s `Deserialize`) was 24 KB of the PWA's wasm for these two fixed formats.
//! chrono still does the calendar (`from_ymd_opt`, `and_hms_opt`) and all the writing.

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, Timelike, Utc};

/// `YYYY-MM-DDTHH:MM`, seconds optional: what `datetime-local` gives.
pub fn parse_local(text: &str) -> Option<NaiveDateTime> {
    let bytes = text.as_bytes();
    let separators_ok = matches!(bytes.len(), 16 | 19)
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes[10] == b'T'
        && bytes[13] == b':'
        && (bytes.len() == 16 || bytes[16] == b':');
    if !separators_ok {
        return None;
    }
    let seconds = if bytes.len() == 19 {
        digits(&bytes[17..19])?
    } else {
        0
    };
    NaiveDate::from_ymd_opt(
        digits(&bytes[0..4])? as i32,
        digits(&bytes[5..7])?,
        digits(&bytes[8..10])?,
    )?
    .and_hms_opt(digits(&bytes[11..13])?, digits(&bytes[14..16])?, seconds)
}

/// RFC 3339 with seconds, an optional fraction of 1 to 9 digits and `Z` or `±HH:MM`:
/// `2026-11-30T08:31:05.123Z`. Anything else is `None`.
pub fn parse_utc(text: &str) -> Option<DateTime<Utc>> {
    let bytes = text.as_bytes();
    let mut at = parse_local(text.get(..19)?)?;
    let mut rest = &bytes[19..];
    if let Some(fraction) = rest.strip_prefix(b".") {
        let len = fraction.iter().take_while(|c| c.is_ascii_digit()).count();
        if !(1..=9).contains(&len) {
            return None;
        }
        let nanos = digits(&fraction[..len])? * 10u32.pow(9 - len as u32);
        at = at.with_nanosecond(nanos)?;
        rest = &fraction[len..];
    }
    let offset_minutes = match rest {
        b"Z" => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let (hours, minutes) = (digits(&[*h1, *h2])?, digits(&[*m1, *m2])?);
            if hours > 23 || minutes > 59 {
                return None;
            }
            let minutes = i64::from(hours * 60 + minutes);
            if *sign == b'-' {
                -minutes
            } else {
                minutes
            }
        }
        _ => return None,
    };
    Some((at - Duration::minutes(offset_minutes)).and_utc())
}

/// ASCII digits as a number; `None` for anything else (no sign, no space, no Unicode digits).
fn digits(bytes: &[u8]) -> Option<u32> {
    bytes.iter().try_fold(0u32, |n, &c| {
        c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
    })
}

/// `#[serde(with = "crate::time::rfc3339")]` on a `DateTime<Utc>`: written by chrono as
/// before, read by [`parse_utc`].
pub mod rfc3339 {
    use chrono::{DateTime, Utc};
    use serde::{de, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(at: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
        at.serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
        d.deserialize_str(Visitor)
    }

    pub(super) struct Visitor;

    impl de::Visitor<'_> for Visitor {
        type Value = DateTime<Utc>;

        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("an RFC 3339 timestamp")
        }

        fn visit_str<E: de::Error>(self, text: &str) -> Result<Self::Value, E> {
            super::parse_utc(text).ok_or_else(|| E::invalid_value(de::Unexpected::Str(text), &self))
        }
    }

    /// The same for an `Option<DateTime<Utc>>` (`null` or absent is `None`; add
    /// `#[serde(default)]`).
    pub mod option {
        use chrono::{DateTime, Utc};
        use serde::{Deserialize, Deserializer, Serialize, Serializer};

        pub fn serialize<S: Serializer>(
            at: &Option<DateTime<Utc>>,
            s: S,
        ) -> Result<S::Ok, S::Error> {
            at.serialize(s)
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(
            d: D,
        ) -> Result<Option<DateTime<Utc>>, D::Error> {
            #[derive(Deserialize)]
            struct Wrapped(#[serde(with = "super")] DateTime<Utc>);
            Ok(Option::<Wrapped>::deserialize(d)?.map(|Wrapped(at)| at))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{SecondsFormat, TimeZone};

    #[test]
    fn reads_what_datetime_local_gives() {
        let at = parse_local("2026-11-30T09:05").unwrap();
        assert_eq!(at.to_string(), "2026-11-30 09:05:00");
        let at = parse_local("2026-02-28T23:59:58").unwrap();
        assert_eq!(at.to_string(), "2026-02-28 23:59:58");
    }

    #[test]
    fn refuses_anything_else_as_a_local_time() {
        for text in [
            "",
            "gisteren",
            "2026-11-30",
            "2026-11-30 09:05",
            "2026-11-30T9:05",
            "2026-13-01T09:05",
            "2026-02-30T09:05",
            "2026-11-30T24:00",
            "2026-11-30T09:60",
            "2026-11-30T09:05:61",
            "2026-11-30T09:05Z",
            "+026-11-30T09:05",
            "２０２６-11-30T09:05",
        ] {
            assert_eq!(parse_local(text), None, "{text:?}");
        }
    }

    #[test]
    fn reads_every_timestamp_chrono_writes() {
        let base = Utc.with_ymd_and_hms(2026, 11, 30, 8, 31, 5).unwrap();
        for nanos in [0, 1, 120_000_000, 123_456_000, 123_456_789, 999_999_999] {
            let at = base + Duration::nanoseconds(nanos);
            // What serde_json stores (chrono's own Serialize), and every fixed precision.
            let stored: String =
                serde_json::from_str(&serde_json::to_string(&at).unwrap()).unwrap();
            assert_eq!(parse_utc(&stored), Some(at), "{stored}");
            for format in [SecondsFormat::Nanos, SecondsFormat::AutoSi] {
                let text = at.to_rfc3339_opts(format, true);
                assert_eq!(parse_utc(&text), Some(at), "{text}");
            }
        }
    }

    #[test]
    fn an_offset_is_turned_into_utc_as_chrono_does() {
        for text in [
            "2026-11-30T09:31:05+01:00",
            "2026-11-30T03:01:05.5-05:30",
            "2026-12-31T23:59:59.999999999+00:00",
            "2027-01-01T00:00:00Z",
        ] {
            let chrono = DateTime::parse_from_rfc3339(text)
                .unwrap()
                .with_timezone(&Utc);
            assert_eq!(parse_utc(text), Some(chrono), "{text}");
        }
    }

    #[test]
    fn refuses_what_is_not_an_rfc3339_timestamp() {
        for text in [
            "",
            "2026-11-30T08:31:05",
            "2026-11-30T08:31Z",
            "2026-11-30T08:31:05.Z",
            "2026-11-30T08:31:05.1234567890Z",
            "2026-11-30T08:31:05+0100",
            "2026-11-30T08:31:05+24:00",
            "2026-11-30T08:31:05ZZ",
            "2026-11-30T08:31:05 Z",
            "2026-02-29T08:31:05Z",
            "2026-11-30T08:31:05é",
        ] {
            assert_eq!(parse_utc(text), None, "{text:?}");
        }
    }

    #[test]
    fn serde_helpers_round_trip_and_name_the_bad_value() {
        #[derive(serde::Serialize, serde::Deserialize, PartialEq, Debug)]
        struct Stamped {
            #[serde(with = "rfc3339")]
            at: DateTime<Utc>,
            #[serde(default, with = "rfc3339::option")]
            since: Option<DateTime<Utc>>,
        }
        let value = Stamped {
            at: Utc.with_ymd_and_hms(2026, 11, 30, 8, 31, 5).unwrap() + Duration::milliseconds(7),
            since: None,
        };
        let json = serde_json::to_string(&value).unwrap();
        assert_eq!(json, r#"{"at":"2026-11-30T08:31:05.007Z","since":null}"#);
        assert_eq!(serde_json::from_str::<Stamped>(&json).unwrap(), value);
        let without: Stamped =
            serde_json::from_str(r#"{"at":"2026-11-30T08:31:05.007Z"}"#).unwrap();
        assert_eq!(without, value);
        let err = serde_json::from_str::<Stamped>(r#"{"at":"gisteren"}"#).unwrap_err();
        assert!(err.to_string().contains("an RFC 3339 timestamp"), "{err}");
    }
}
