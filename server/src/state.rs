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

    /// Runs `work` on the database off the async threads.
    pub async fn with_db<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut Connection) -> rusqlite::Result<T> + Send + 'static,
    ) -> rusqlite::Result<T> {
        let db = self.db.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn = db.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            work(&mut conn)
        })
        .await
        .unwrap_or_else(|_| Err(rusqlite::Error::InvalidQuery))
    }

    pub async fn schema_version(&self) -> rusqlite::Result<usize> {
        self.with_db(|conn| crate::db::schema_version(conn)).await
    }
}
