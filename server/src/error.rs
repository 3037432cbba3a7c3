//! Errors that stop the server from starting, and errors of the API (always JSON).

use std::net::SocketAddr;
use std::path::PathBuf;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use veilig_core::sync::ApiError;

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
}

/// An API error: status plus the JSON body every client can rely on.
#[derive(Debug)]
pub struct Problem {
    pub status: StatusCode,
    pub body: ApiError,
}

impl Problem {
    pub fn new(status: StatusCode, code: &str, message: impl Into<String>) -> Self {
        Self {
            status,
            body: ApiError {
                code: code.to_owned(),
                message: message.into(),
                field: None,
            },
        }
    }

    pub fn field(mut self, field: impl Into<String>) -> Self {
        self.body.field = Some(field.into());
        self
    }

    /// Logs the database error (its text carries SQL, never the values bound to it).
    pub fn database(err: rusqlite::Error) -> Self {
        tracing::error!(error = %err, "database error");
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "database_unavailable",
            "De database is even niet bereikbaar; probeer het later opnieuw. / The database is unavailable; try again later.",
        )
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        (self.status, Json(self.body)).into_response()
    }
}
