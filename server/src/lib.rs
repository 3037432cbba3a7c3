//! Veilig's server: serves the built PWA and the sync API, on an embedded SQLite database.

pub mod api;
pub mod config;
pub mod db;
pub mod error;
pub mod headers;
pub mod openapi;
pub mod state;
pub mod static_files;
pub mod store;

use std::future::Future;
use std::net::SocketAddr;

use axum::Router;
use tokio::net::TcpListener;
use tower_http::compression::CompressionLayer;

pub use config::Config;
pub use error::StartupError;
use state::AppState;

/// The whole HTTP application: `/api/*` and the PWA, every response with the security headers.
pub fn app(state: AppState, config: &Config) -> Router {
    let router = Router::new()
        .nest(
            "/api",
            api::router(state)
                .merge(openapi::router())
                // After every route: a 405 is JSON too (axum keeps its `Allow` header).
                .method_not_allowed_fallback(api::method_not_allowed)
                .layer(CompressionLayer::new()),
        )
        // `/api/` itself is the API's, never the app shell.
        .route("/api/", axum::routing::any(api::no_such_endpoint))
        .merge(static_files::router(&config.dist_dir));
    headers::apply(router, &config.dist_dir)
}

/// Everything checked before the first request: the built app, the data folder, the port.
pub struct Prepared {
    pub listener: TcpListener,
    pub router: Router,
    pub addr: SocketAddr,
}

pub async fn prepare(config: &Config) -> Result<Prepared, StartupError> {
    if !config.dist_dir.join("index.html").is_file() {
        return Err(StartupError::DistMissing {
            path: config.dist_dir.clone(),
        });
    }
    let conn = db::open(&config.data_dir)?;
    let addr = SocketAddr::new(config.bind, config.port);
    let listener = TcpListener::bind(addr).await.map_err(|source| {
        if source.kind() == std::io::ErrorKind::AddrInUse {
            StartupError::PortInUse { addr }
        } else {
            StartupError::Listen { addr, source }
        }
    })?;
    let addr = listener
        .local_addr()
        .map_err(|source| StartupError::Listen { addr, source })?;
    Ok(Prepared {
        listener,
        router: app(AppState::new(conn, config.admin_token.clone()), config),
        addr,
    })
}

/// Serves until `shutdown` resolves, then finishes the requests in flight.
pub async fn serve(
    prepared: Prepared,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(prepared.listener, prepared.router)
        .with_graceful_shutdown(shutdown)
        .await
}
