//! Errors that stop the server from starting, and errors of the API (always JSON).

use std::net::SocketAddr;
use std::path::PathBuf;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use veilig_core::report::accept::Refusal;
use veilig_core::sync::{ApiError, ErrorCode};

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("port {port} on {addr} is already in use: stop the other program or start with --port <N>", addr = .addr.ip(), port = .addr.port())]
    PortInUse { addr: SocketAddr },

    #[error("cannot listen on {addr}: {source}")]
    Listen {
        addr: SocketAddr,
        source: std::io::Error,
    },

    #[error("data folder {path} cannot be created or written: {source}. Choose another with --data-dir <DIR>")]
    DataDir {
        path: PathBuf,
        source: std::io::Error,
    },

    #[error("database {path} cannot be opened: {source}")]
    Database {
        path: PathBuf,
        source: rusqlite::Error,
    },

    #[error("the built app is missing: {path} has no index.html. Build it first with `trunk build --release`, or point --dist-dir at it")]
    DistMissing { path: PathBuf },
    #[error("{message}")]
    Setting { message: String },
}

/// Every error of the API, typed. Each has a stable code (`ErrorCode`, the contract with the
/// app, which translates it), an HTTP status and one English sentence for people using the API
/// directly. `IntoResponse` is the one place that turns any of them into HTTP.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    /// Why a report is not accepted (`veilig_core::report::accept`).
    #[error(transparent)]
    Refused(#[from] Refusal),
    #[error("The id is not a UUID in its one form: lower-case hexadecimal digits and hyphens (8-4-4-4-12).")]
    InvalidId,
    #[error("Send the report as application/json.")]
    UnsupportedMediaType,
    #[error("The report did not arrive completely.")]
    BodyIncomplete,
    #[error("A different report with this id was already received; send a correction as a new report that names this one in `corrects`.")]
    Conflict,
    #[error("No such API endpoint.")]
    NoSuchEndpoint,
    #[error("This address does not take this method; the Allow header lists those it takes.")]
    MethodNotAllowed,
    #[error("This report has not been received.")]
    NoSuchReport,
    #[error("Log in first: this needs a valid session.")]
    Unauthorized,
    #[error("Your roles do not allow this.")]
    Forbidden,
    #[error("This device is not enrolled: ask your manager for an enrollment code.")]
    DeviceNotEnrolled,
    #[error("This device was unenrolled (revoked, or unused for too long): ask your manager for a new enrollment code.")]
    DeviceRevoked,
    #[error("This enrollment code is unknown, used or expired.")]
    EnrollmentCodeInvalid,
    #[error("Too many failed attempts; try again after the number of seconds in Retry-After.")]
    TooManyAttempts { retry_after: i64 },
    #[error("The login name or password is wrong.")]
    LoginFailed,
    #[error("Give the code of your authenticator app, or a recovery code.")]
    SecondFactorRequired,
    #[error("Set up your second factor first.")]
    SecondFactorSetupRequired,
    #[error("This request comes from another site.")]
    CrossOrigin,
    #[error("{0}")]
    WeakPassword(&'static str),
    #[error("{message}")]
    InvalidRequest {
        field: &'static str,
        message: String,
    },
    #[error("This setup address is used or unknown; an administrator exists, or start the server again for a new address.")]
    SetupUnavailable,
    #[error("This name is taken.")]
    AlreadyExists { field: &'static str },
    #[error("The database is unavailable; try again later.")]
    DatabaseUnavailable,
    #[error("The server's disk is full: nothing of this request was stored. Try again later.")]
    StorageFull,
}

impl Failure {
    pub fn code(&self) -> ErrorCode {
        match self {
            Failure::Refused(refusal) => refusal.code(),
            Failure::InvalidId => ErrorCode::InvalidId,
            Failure::UnsupportedMediaType => ErrorCode::UnsupportedMediaType,
            Failure::BodyIncomplete => ErrorCode::BodyIncomplete,
            Failure::Conflict => ErrorCode::Conflict,
            Failure::NoSuchEndpoint | Failure::NoSuchReport => ErrorCode::NotFound,
            Failure::MethodNotAllowed => ErrorCode::MethodNotAllowed,
            Failure::Unauthorized => ErrorCode::Unauthorized,
            Failure::Forbidden => ErrorCode::Forbidden,
            Failure::DatabaseUnavailable => ErrorCode::DatabaseUnavailable,
            Failure::StorageFull => ErrorCode::StorageFull,
            Failure::DeviceNotEnrolled => ErrorCode::DeviceNotEnrolled,
            Failure::DeviceRevoked => ErrorCode::DeviceRevoked,
            Failure::EnrollmentCodeInvalid => ErrorCode::EnrollmentCodeInvalid,
            Failure::TooManyAttempts { .. } => ErrorCode::TooManyAttempts,
            Failure::LoginFailed => ErrorCode::LoginFailed,
            Failure::SecondFactorRequired => ErrorCode::SecondFactorRequired,
            Failure::SecondFactorSetupRequired => ErrorCode::SecondFactorSetupRequired,
            Failure::CrossOrigin => ErrorCode::CrossOrigin,
            Failure::WeakPassword(_) => ErrorCode::WeakPassword,
            Failure::InvalidRequest { .. } => ErrorCode::InvalidRequest,
            Failure::SetupUnavailable => ErrorCode::SetupUnavailable,
            Failure::AlreadyExists { .. } => ErrorCode::AlreadyExists,
        }
    }

    pub fn field(&self) -> Option<&str> {
        match self {
            Failure::Refused(refusal) => refusal.field(),
            Failure::InvalidId => Some("id"),
            Failure::InvalidRequest { field, .. } | Failure::AlreadyExists { field } => Some(field),
            Failure::WeakPassword(_) => Some("password"),
            _ => None,
        }
    }

    /// Logs the database error (its text carries SQL, never the values bound to it). A full
    /// disk is its own failure: the administrator must make room, and the device keeps the
    /// report until then (SQLite rolled the transaction back, so nothing of it is stored).
    pub fn database(err: rusqlite::Error) -> Self {
        if err.sqlite_error_code() == Some(rusqlite::ErrorCode::DiskFull) {
            tracing::error!(error = %err, "the disk is full: make room in the data folder");
            return Failure::StorageFull;
        }
        tracing::error!(error = %err, "database error");
        Failure::DatabaseUnavailable
    }

    /// The body sent: `{code, message, field?}`.
    pub fn body(&self) -> ApiError {
        ApiError {
            code: self.code().as_str().to_owned(),
            message: self.to_string(),
            field: self.field().map(str::to_owned),
        }
    }
}

/// The HTTP status of each code: the one place that decides it.
pub fn status(code: ErrorCode) -> StatusCode {
    match code {
        ErrorCode::InvalidId
        | ErrorCode::BodyIncomplete
        | ErrorCode::MalformedJson
        | ErrorCode::IdMismatch => StatusCode::BAD_REQUEST,
        ErrorCode::Unauthorized => StatusCode::UNAUTHORIZED,
        ErrorCode::ReadingDisabled | ErrorCode::Forbidden => StatusCode::FORBIDDEN,
        ErrorCode::NotFound => StatusCode::NOT_FOUND,
        ErrorCode::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
        ErrorCode::Conflict => StatusCode::CONFLICT,
        ErrorCode::BodyTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        ErrorCode::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ErrorCode::UnknownSchemaVersion
        | ErrorCode::InvalidReport
        | ErrorCode::NotFinal
        | ErrorCode::UnknownField => StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::DatabaseUnavailable => StatusCode::SERVICE_UNAVAILABLE,
        // 507 Insufficient Storage: a 5xx, so every client (the outbox, a proxy, a script)
        // tries again later instead of treating the report as refused.
        ErrorCode::StorageFull => StatusCode::INSUFFICIENT_STORAGE,
        ErrorCode::DeviceNotEnrolled
        | ErrorCode::DeviceRevoked
        | ErrorCode::LoginFailed
        | ErrorCode::SecondFactorRequired => StatusCode::UNAUTHORIZED,
        ErrorCode::EnrollmentCodeInvalid | ErrorCode::InvalidRequest => StatusCode::BAD_REQUEST,
        ErrorCode::TooManyAttempts => StatusCode::TOO_MANY_REQUESTS,
        ErrorCode::SecondFactorSetupRequired | ErrorCode::CrossOrigin => StatusCode::FORBIDDEN,
        ErrorCode::WeakPassword | ErrorCode::CorrectsUnknown => StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::SetupUnavailable => StatusCode::GONE,
        ErrorCode::AlreadyExists => StatusCode::CONFLICT,
    }
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        let mut response = (status(self.code()), Json(self.body())).into_response();
        if let Failure::TooManyAttempts { retry_after } = self {
            response.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from(retry_after.max(1)),
            );
        }
        response
    }
}
