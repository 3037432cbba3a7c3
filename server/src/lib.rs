//! Veilig's server: serves the built PWA and the sync API, on an embedded SQLite database.

pub mod access_log;
pub mod accounts;
pub mod api;
pub mod audit;
pub mod auth;
pub mod cli;
pub mod config;
pub mod db;
pub mod error;
pub mod headers;
pub mod listen;
pub mod mail;
pub mod openapi;
pub mod openapi_schema;
pub mod organisation;
pub mod setup;
pub mod state;
pub mod static_files;
pub mod store;
pub mod workspace;

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
    let state_for_setup = state.clone();
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
        .merge(setup::router(state_for_setup))
        .merge(static_files::router(&config.dist_dir))
        // A body that trickles in is cut off, on every route (a report is 1 MiB at most).
        .layer(tower_http::timeout::RequestBodyTimeoutLayer::new(
            std::time::Duration::from_secs(30),
        ))
        .layer(access_log::layer());
    headers::apply(router, &config.dist_dir)
}

/// Everything checked before the first request: the built app, the data folder, the port.
pub struct Prepared {
    pub listener: TcpListener,
    pub router: Router,
    pub addr: SocketAddr,
    /// The server's clock (tests move it forward).
    pub clock: auth::Clock,
    /// While no beheerder exists: the one-time address where the first one is made.
    pub setup_url: Option<String>,
    pub limits: listen::Limits,
}

pub async fn prepare(config: &Config) -> Result<Prepared, StartupError> {
    if !config.dist_dir.join("index.html").is_file() {
        return Err(StartupError::DistMissing {
            path: config.dist_dir.clone(),
        });
    }
    let mut conn = db::open(&config.data_dir)?;
    if let Some(pages) = config.max_page_count {
        conn.pragma_update(None, "max_page_count", pages)
            .map_err(|source| StartupError::Database {
                path: config.data_dir.join(db::DB_FILE),
                source,
            })?;
    }
    // Reports from before the workspace existed get its list columns and tasks once.
    workspace::backfill(&mut conn).map_err(|source| StartupError::Database {
        path: config.data_dir.join(db::DB_FILE),
        source,
    })?;
    let clock = auth::Clock::default();
    if config.test_clock_offset_days != 0 {
        // A test setting: never on a server people reach over HTTPS.
        if config.secure_cookies() {
            return Err(StartupError::Setting {
                message:
                    "--test-clock-offset-days is for tests only; not with an https:// --public-url"
                        .into(),
            });
        }
        tracing::warn!(
            "TEST CLOCK: this server's time runs {} days off; never use this data folder for real",
            config.test_clock_offset_days
        );
    }
    clock.advance(chrono::Duration::days(config.test_clock_offset_days));
    let setup_token =
        accounts::new_setup_token(&conn, clock.now()).map_err(|source| StartupError::Database {
            path: config.data_dir.join(db::DB_FILE),
            source,
        })?;
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
    let origin = config
        .public_url
        .as_deref()
        .map(|u| u.trim_end_matches('/').to_owned())
        .unwrap_or_else(|| format!("http://{addr}"));
    let mut state = AppState::new(
        conn,
        clock.clone(),
        auth::Cookies {
            secure: config.secure_cookies(),
        },
        config.public_url.clone(),
    );
    if let Some(relay) = &config.smtp {
        state.mailer = Some(
            mail::Mailer::new(relay, &config.mail_from, &origin)
                .map_err(|message| StartupError::Setting { message })?,
        );
    }
    Ok(Prepared {
        listener,
        router: app(state, config),
        addr,
        clock,
        setup_url: setup_token.map(|token| format!("{origin}/setup/{token}")),
        limits: config.limits,
    })
}

/// Serves until `shutdown` resolves, then finishes the requests in flight.
pub async fn serve(
    prepared: Prepared,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    listen::serve(
        prepared.listener,
        prepared.router,
        prepared.limits,
        shutdown,
    )
    .await
}
