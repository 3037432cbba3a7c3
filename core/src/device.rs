//! Enrolling this device: the server accepts reports only from a device that traded a
//! single-use code from a manager for a credential. The credential is an HttpOnly cookie the
//! app never sees; what the app keeps is what the server said about the device (its team,
//! the person, since when), to show in the settings.

use serde::{Deserialize, Serialize};

use crate::sync::ApiError;

/// What the server answers about an enrolled device (`POST /api/v1/devices/enroll`,
/// `GET /api/v1/device`), as the app stores it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Device {
    pub device_id: String,
    pub team: String,
    #[serde(default)]
    pub person: Option<String>,
    /// RFC 3339, as the server wrote it (shown as a local date when it reads as one).
    pub enrolled_at: String,
}

/// The envelope version of the stored device (`crate::envelope`).
pub const DEVICE_VERSION: u32 = 1;

/// What an answer to an enrollment means for the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Enrollment {
    Enrolled(Device),
    /// Unknown, used or expired: the server says one thing for all three.
    CodeInvalid,
    /// Too many wrong codes: wait, then try again.
    TooManyAttempts,
    /// Anything else, as a code (the server's, or `http_<status>`).
    Failed(String),
}

impl Enrollment {
    pub fn from_answer(status: u16, body: &str) -> Self {
        if (200..300).contains(&status) {
            // Through `Value`, as the stored device is read (`envelope::decode`): one copy of
            // `Device`'s deserializer in the wasm instead of two (one per serde_json reader).
            let device = serde_json::from_str::<serde_json::Value>(body)
                .and_then(serde_json::from_value::<Device>);
            return match device {
                Ok(device) => Enrollment::Enrolled(device),
                Err(_) => Enrollment::Failed("unexpected answer".into()),
            };
        }
        let code = serde_json::from_str::<ApiError>(body)
            .map(|e| e.code)
            .unwrap_or_else(|_| format!("http_{status}"));
        match code.as_str() {
            "enrollment_code_invalid" => Enrollment::CodeInvalid,
            "too_many_attempts" => Enrollment::TooManyAttempts,
            _ if status == 429 => Enrollment::TooManyAttempts,
            _ => Enrollment::Failed(code),
        }
    }
}

/// The body to POST for a typed code: only its letters and digits, upper case (the server
/// ignores case, spaces and dashes), so nothing typed needs escaping.
pub fn enroll_body(typed: &str) -> String {
    let code: String = typed
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect();
    format!("{{\"code\":\"{code}\"}}")
}

/// Whether anything worth sending was typed.
pub fn code_typed(typed: &str) -> bool {
    typed.chars().any(|c| c.is_ascii_alphanumeric())
}

/// The code in a QR link's fragment (`/koppelen#K7QM-4TXP` gives `K7QM-4TXP`); `None` when
/// there is none.
pub fn code_from_hash(hash: &str) -> Option<String> {
    let code = hash.strip_prefix('#').unwrap_or(hash).trim();
    code_typed(code).then(|| code.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEVICE: &str = r#"{"device_id":"0193a0b0-0000-7000-8000-000000000001","team":"Wijkteam Noord","person":null,"enrolled_at":"2026-11-30T21:54:11Z"}"#;

    #[test]
    fn an_enrollment_answer_says_what_happened() {
        let device = Device {
            device_id: "0193a0b0-0000-7000-8000-000000000001".into(),
            team: "Wijkteam Noord".into(),
            person: None,
            enrolled_at: "2026-11-30T21:54:11Z".into(),
        };
        assert_eq!(
            Enrollment::from_answer(201, DEVICE),
            Enrollment::Enrolled(device.clone())
        );
        let with_person = DEVICE.replace("null", "\"Ans de Vries\"");
        let Enrollment::Enrolled(d) = Enrollment::from_answer(201, &with_person) else {
            panic!("enrolled");
        };
        assert_eq!(d.person.as_deref(), Some("Ans de Vries"));
        // A 2xx that is not our answer (a captive portal) enrolls nothing.
        assert_eq!(
            Enrollment::from_answer(200, "<html>wifi</html>"),
            Enrollment::Failed("unexpected answer".into())
        );
        assert_eq!(
            Enrollment::from_answer(
                400,
                r#"{"code":"enrollment_code_invalid","message":"Unknown, used or expired."}"#
            ),
            Enrollment::CodeInvalid
        );
        assert_eq!(
            Enrollment::from_answer(429, r#"{"code":"too_many_attempts","message":"Wait."}"#),
            Enrollment::TooManyAttempts
        );
        assert_eq!(
            Enrollment::from_answer(429, "Too Many Requests"),
            Enrollment::TooManyAttempts,
            "a proxy's 429"
        );
        assert_eq!(
            Enrollment::from_answer(503, "Bad Gateway"),
            Enrollment::Failed("http_503".into())
        );
        assert_eq!(
            Enrollment::from_answer(403, r#"{"code":"cross_origin","message":"No."}"#),
            Enrollment::Failed("cross_origin".into())
        );
    }

    #[test]
    fn the_stored_device_reads_back() {
        let device: Device = serde_json::from_str(DEVICE).unwrap();
        let stored = crate::envelope::encode(DEVICE_VERSION, &device).unwrap();
        let back: Device = crate::envelope::decode(&stored, &[]).unwrap();
        assert_eq!(back, device);
    }

    #[test]
    fn a_typed_code_is_sent_as_letters_and_digits() {
        assert_eq!(enroll_body(" k7qm-4txp "), r#"{"code":"K7QM4TXP"}"#);
        assert_eq!(enroll_body("K7QM 4TXP"), r#"{"code":"K7QM4TXP"}"#);
        // Nothing typed can break the JSON.
        assert_eq!(enroll_body(r#"a"}\b"#), r#"{"code":"AB"}"#);
        assert!(code_typed(" k7 "));
        assert!(!code_typed(" - "));
    }

    #[test]
    fn a_qr_links_fragment_holds_the_code() {
        assert_eq!(code_from_hash("#K7QM-4TXP").as_deref(), Some("K7QM-4TXP"));
        assert_eq!(code_from_hash("K7QM-4TXP").as_deref(), Some("K7QM-4TXP"));
        assert_eq!(code_from_hash(""), None);
        assert_eq!(code_from_hash("#"), None);
    }
}
