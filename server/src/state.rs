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
    /// Tells managers and P&O that something waits, when an SMTP relay is configured.
    pub mailer: Option<crate::mail::Mailer>,
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
            mailer: None,
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A request whose work fails inside a transaction (as a write on a full disk can, when
    /// SQLite does not roll back by itself) must not leave the next request inside it: its
    /// writes would join a transaction that never commits.
    #[tokio::test]
    async fn failed_work_leaves_no_transaction_open() {
        let dir = tempfile::tempdir().unwrap();
        let conn = crate::db::open(dir.path()).unwrap();
        let state = AppState::new(conn, Clock::default(), Cookies { secure: false }, None);
        let failed = state
            .with_db(|conn| {
                conn.execute_batch(
                    "BEGIN IMMEDIATE; INSERT INTO server_info VALUES ('half', 'written');",
                )?;
                Err::<(), _>(rusqlite::Error::InvalidQuery)
            })
            .await;
        assert!(failed.is_err());
        let (open, half) = state
            .with_db(|conn| {
                let half: i64 = conn.query_row(
                    "SELECT COUNT(*) FROM server_info WHERE key = 'half'",
                    [],
                    |r| r.get(0),
                )?;
                Ok((!conn.is_autocommit(), half))
            })
            .await
            .unwrap();
        assert!(!open, "no transaction left open");
        assert_eq!(half, 0, "nothing of the failed work stored");
    }
}
