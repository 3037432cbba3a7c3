//! Shared state of the request handlers.

use std::sync::{Arc, Mutex};

use rusqlite::Connection;

use crate::auth::{Clock, Cookies};

#[derive(Clone)]
pub struct AppState {
    db: Arc<Mutex<Connection>>,
    pub clock: Clock,
    pub cookies: Cookies,
    /// Where people reach the server (`Config::public_url`), without a trailing slash.
    pub public_url: Option<Arc<str>>,
}

impl AppState {
    pub fn new(
        conn: Connection,
        clock: Clock,
        cookies: Cookies,
        public_url: Option<String>,
    ) -> Self {
        Self {
            db: Arc::new(Mutex::new(conn)),
            clock,
            cookies,
            public_url: public_url.map(|u| Arc::from(u.trim_end_matches('/'))),
        }
    }

    /// Runs `work` on the database off the async threads. A failed `work` leaves no
    /// transaction open behind it (after a full disk SQLite may or may not have rolled back by
    /// itself), so the next request starts on a clean connection; a full disk that SQLite
    /// reports as an I/O error is said as the full disk it is (`db::disk_full_as_such`).
    pub async fn with_db<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut Connection) -> rusqlite::Result<T> + Send + 'static,
    ) -> rusqlite::Result<T> {
        let db = self.db.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn = db.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            work(&mut conn).map_err(|err| {
                let err = crate::db::disk_full_as_such(&conn, err);
                if !conn.is_autocommit() {
                    if let Err(rollback) = conn.execute_batch("ROLLBACK") {
                        tracing::error!(error = %rollback, "rollback after a failure failed");
                    }
                }
                err
            })
        })
        .await
        .unwrap_or_else(|_| Err(rusqlite::Error::InvalidQuery))
    }

    pub async fn schema_version(&self) -> rusqlite::Result<usize> {
        self.with_db(|conn| crate::db::schema_version(conn)).await
    }
}
