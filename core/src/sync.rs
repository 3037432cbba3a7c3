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
    /// Stable, machine-readable: `malformed_json`, `conflict`, `invalid_report`, ...
    pub code: String,
    /// One plain sentence (Dutch, then English).
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// Largest request body the server accepts (a report is text; 20,000 characters per field).
pub const MAX_BODY_BYTES: usize = 1024 * 1024;
