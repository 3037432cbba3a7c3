//! Shared state of the request handlers.

use std::sync::{Arc, Mutex};

use rusqlite::Connection;

#[derive(Clone)]
pub struct AppState {
    db: Arc<Mutex<Connection>>,
    admin_token: Option<Arc<str>>,
}

impl AppState {
    pub fn new(conn: Connection, admin_token: Option<String>) -> Self {
        Self {
            db: Arc::new(Mutex::new(conn)),
            admin_token: admin_token.filter(|t| !t.is_empty()).map(Arc::from),
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

    /// Constant-time comparison, so the token cannot be guessed byte by byte from timings.
    pub fn is_admin(&self, presented: Option<&str>) -> Option<bool> {
        use subtle::ConstantTimeEq;
        let expected = self.admin_token.as_deref()?;
        Some(presented.is_some_and(|p| bool::from(p.as_bytes().ct_eq(expected.as_bytes()))))
    }
}
