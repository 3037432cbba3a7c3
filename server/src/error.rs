//! Errors that stop the server from starting, each with a sentence an operator can act on.

use std::net::SocketAddr;
use std::path::PathBuf;

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
