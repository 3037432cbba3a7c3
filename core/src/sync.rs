//! What travels between device and server: the receipt and the error body. Shared by the
//! server (which writes them) and the PWA (which reads them).

use serde::{Deserialize, Serialize};

/// The server's proof that it holds a report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Receipt {
    pub id: String,
    /// RFC 3339, UTC.
    pub received_at: String,
    /// Order of arrival at the server, starting at 1.
    pub seq: i64,
    /// SHA-256 of the exact bytes received, lower-case hex.
    pub content_hash: String,
}

/// Every error of the API has this body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiError {
    /// Stable and machine-readable: one of [`ErrorCode`] (`malformed_json`, `conflict`,
    /// `invalid_report`, ...). The app translates it; a client must still expect a code it
    /// does not know (a proxy's, a newer server's).
    pub code: String,
    /// One plain sentence in English, for people using the API directly. The app shows its own
    /// translation of `code`, not this.
    pub message: String,
    /// The field of the report the error is about, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// Every `code` the API sends. The strings are a contract with every app ever installed:
/// never rename or reuse one; add a new variant instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    /// The id in the address is not a UUID.
    InvalidId,
    /// The body is not sent as `application/json`.
    UnsupportedMediaType,
    /// The body is larger than [`MAX_BODY_BYTES`].
    BodyTooLarge,
    /// The body stopped before its end (the connection broke).
    BodyIncomplete,
    /// The body is not JSON (`message` names the line and column).
    MalformedJson,
    /// The report's `schema_version` is missing or not one this server knows.
    UnknownSchemaVersion,
    /// The report does not have the shape of a report, or a field's answer is not valid
    /// (`field` names it).
    InvalidReport,
    /// The id in the address and the id in the report differ.
    IdMismatch,
    /// The report is a draft: only finalized reports are received.
    NotFinal,
    /// The report has a field the form does not have (`field` names it).
    UnknownField,
    /// Other content was already received under this id; a correction is a new report.
    Conflict,
    /// No such API address, or no such report.
    NotFound,
    /// The address exists but does not take this method (the `Allow` header lists those it
    /// takes).
    MethodNotAllowed,
    /// Reading reports is switched off: the server has no reading token.
    ReadingDisabled,
    /// Reading reports needs a valid token.
    Unauthorized,
    /// The reader's role may not see this content (`report::access`).
    Forbidden,
    /// The database did not answer; try again later.
    DatabaseUnavailable,
    /// Sending needs an enrolled device, and this request carries no device credential the
    /// server knows. The app keeps its reports and asks for an enrollment code.
    DeviceNotEnrolled,
    /// This device's credential was revoked (or expired). The app keeps its reports, says whom
    /// to ask, and offers to save the unsent ones to a file.
    DeviceRevoked,
    /// The enrollment code is unknown, used or expired (one code for all three, so that a
    /// guess learns nothing).
    EnrollmentCodeInvalid,
    /// Too many failed attempts (login, enrollment code) from this address or for this
    /// account; `Retry-After` says when to try again. Ends by itself.
    TooManyAttempts,
    /// The login name or password is wrong (never says which).
    LoginFailed,
    /// The password was right; this account also needs its authenticator code (or a recovery
    /// code).
    SecondFactorRequired,
    /// This account must set up a second factor before it may do anything else.
    SecondFactorSetupRequired,
    /// A write with a cookie from another origin (`Origin` / `Sec-Fetch-Site`).
    CrossOrigin,
    /// The new password is too short or too common (`message` says which).
    WeakPassword,
    /// The request's body is not what this endpoint takes (`field` names the part).
    InvalidRequest,
    /// The first administrator's setup address is used or unknown.
    SetupUnavailable,
    /// A login name or team name that already exists.
    AlreadyExists,
    /// A correction whose original this server has not received (yet): the device keeps it
    /// and sends it again once the original has arrived.
    CorrectsUnknown,
    /// The server's disk is full: nothing of this request was stored. Not the report's fault:
    /// the device keeps it and sends it again later, once an administrator has made room.
    StorageFull,
}

impl ErrorCode {
    pub const ALL: [ErrorCode; 31] = [
        ErrorCode::InvalidId,
        ErrorCode::UnsupportedMediaType,
        ErrorCode::BodyTooLarge,
        ErrorCode::BodyIncomplete,
        ErrorCode::MalformedJson,
        ErrorCode::UnknownSchemaVersion,
        ErrorCode::InvalidReport,
        ErrorCode::IdMismatch,
        ErrorCode::NotFinal,
        ErrorCode::UnknownField,
        ErrorCode::Conflict,
        ErrorCode::NotFound,
        ErrorCode::MethodNotAllowed,
        ErrorCode::ReadingDisabled,
        ErrorCode::Unauthorized,
        ErrorCode::Forbidden,
        ErrorCode::DatabaseUnavailable,
        ErrorCode::DeviceNotEnrolled,
        ErrorCode::DeviceRevoked,
        ErrorCode::EnrollmentCodeInvalid,
        ErrorCode::TooManyAttempts,
        ErrorCode::LoginFailed,
        ErrorCode::SecondFactorRequired,
        ErrorCode::SecondFactorSetupRequired,
        ErrorCode::CrossOrigin,
        ErrorCode::WeakPassword,
        ErrorCode::InvalidRequest,
        ErrorCode::SetupUnavailable,
        ErrorCode::AlreadyExists,
        ErrorCode::CorrectsUnknown,
        ErrorCode::StorageFull,
    ];

    /// The string sent as `code`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidId => "invalid_id",
            ErrorCode::UnsupportedMediaType => "unsupported_media_type",
            ErrorCode::BodyTooLarge => "body_too_large",
            ErrorCode::BodyIncomplete => "body_incomplete",
            ErrorCode::MalformedJson => "malformed_json",
            ErrorCode::UnknownSchemaVersion => "unknown_schema_version",
            ErrorCode::InvalidReport => "invalid_report",
            ErrorCode::IdMismatch => "id_mismatch",
            ErrorCode::NotFinal => "not_final",
            ErrorCode::UnknownField => "unknown_field",
            ErrorCode::Conflict => "conflict",
            ErrorCode::NotFound => "not_found",
            ErrorCode::MethodNotAllowed => "method_not_allowed",
            ErrorCode::ReadingDisabled => "reading_disabled",
            ErrorCode::Unauthorized => "unauthorized",
            ErrorCode::Forbidden => "forbidden",
            ErrorCode::DatabaseUnavailable => "database_unavailable",
            ErrorCode::DeviceNotEnrolled => "device_not_enrolled",
            ErrorCode::DeviceRevoked => "device_revoked",
            ErrorCode::EnrollmentCodeInvalid => "enrollment_code_invalid",
            ErrorCode::TooManyAttempts => "too_many_attempts",
            ErrorCode::LoginFailed => "login_failed",
            ErrorCode::SecondFactorRequired => "second_factor_required",
            ErrorCode::SecondFactorSetupRequired => "second_factor_setup_required",
            ErrorCode::CrossOrigin => "cross_origin",
            ErrorCode::WeakPassword => "weak_password",
            ErrorCode::InvalidRequest => "invalid_request",
            ErrorCode::SetupUnavailable => "setup_unavailable",
            ErrorCode::AlreadyExists => "already_exists",
            ErrorCode::CorrectsUnknown => "corrects_unknown",
            ErrorCode::StorageFull => "storage_full",
        }
    }

    /// The code of an error body, if it is one of ours.
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == code)
    }
}

/// The header in which a device sends its own clock with a report (RFC 3339), so that the
/// server can tell a device whose clock is off from a forged time (`report::accept`).
pub const DEVICE_TIME_HEADER: &str = "Veilig-Device-Time";

/// Largest request body the server accepts (a report is text; 20,000 characters per field).
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_is_distinct_and_reads_back() {
        let mut seen = std::collections::HashSet::new();
        for code in ErrorCode::ALL {
            assert!(seen.insert(code.as_str()), "{code:?} repeats a string");
            assert_eq!(ErrorCode::parse(code.as_str()), Some(code));
            assert!(code
                .as_str()
                .chars()
                .all(|c| c.is_ascii_lowercase() || c == '_'));
        }
        assert_eq!(ErrorCode::parse("proxy"), None);
    }

    #[test]
    fn the_error_body_reads_as_before() {
        // The shape the PWA has always read: `field` may be absent, unknown keys are ignored.
        let e: ApiError =
            serde_json::from_str(r#"{"code":"conflict","message":"m","extra":1}"#).unwrap();
        assert_eq!(e.field, None);
        assert_eq!(
            serde_json::to_string(&e).unwrap(),
            r#"{"code":"conflict","message":"m"}"#
        );
    }
}
