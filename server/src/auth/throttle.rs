//! Failed attempts, slowed and limited so that guessing is useless and nobody can lock another
//! person out for long:
//!
//! - one account from one address: 5 failures in 15 minutes, then refused until the oldest
//!   of them is 15 minutes old (the lock ends by itself);
//! - one address, whatever it tries: 20 failures in 15 minutes, likewise;
//! - one account from any address: from 10 failures in 15 minutes on, every attempt waits one
//!   second first. This slows guessing from many addresses but never locks the account: the
//!   person can always log in from their own address.
//! - enrollment codes: 10 failures per address, and 200 from everywhere together, in 15
//!   minutes.
//!
//! Failures are kept in SQLite (a restart does not reset them) for a day.

use chrono::{DateTime, Duration, Utc};
use rusqlite::{params, Connection};

pub const WINDOW_MINUTES: i64 = 15;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    pub max: i64,
}

pub const ACCOUNT_FROM_ADDRESS: Rule = Rule { max: 5 };
pub const ADDRESS: Rule = Rule { max: 20 };
pub const ACCOUNT_SLOWDOWN_FROM: i64 = 10;
pub const ENROLL_ADDRESS: Rule = Rule { max: 10 };
pub const ENROLL_ALL: Rule = Rule { max: 200 };
/// The locks a login (or a password change) must be free of, in the order of `login_keys`.
pub const LOGIN_LOCKS: [Rule; 2] = [ACCOUNT_FROM_ADDRESS, ADDRESS];
/// The locks an enrollment must be free of, in the order of `enroll_keys`.
pub const ENROLL_LOCKS: [Rule; 2] = [ENROLL_ADDRESS, ENROLL_ALL];

/// The keys a failed login counts under: the account from this address, the address, the
/// account. The login name is hashed into them, so that no typed name (which may hold `|` or
/// `:`, or a password typed in the wrong field) can make one key equal another.
pub fn login_keys(login: &str, address: &str) -> [String; 3] {
    let account = account_key(login);
    [
        format!("{account}|from:{address}"),
        format!("address:{address}"),
        account,
    ]
}

/// `account:<sha-256 of the login name, lower case>`.
pub fn account_key(login: &str) -> String {
    format!(
        "account:{}",
        crate::auth::secret::hash(&login.trim().to_lowercase())
    )
}

/// Lifts the locks of one account (`reset-password`): its own key and its per-address keys.
pub fn clear_account(conn: &Connection, login: &str) -> rusqlite::Result<()> {
    let account = account_key(login);
    conn.execute(
        "DELETE FROM failed_attempts WHERE key = ?1 OR substr(key, 1, length(?1) + 6) = ?1 || '|from:'",
        [&account],
    )
    .map(drop)
}

pub fn enroll_keys(address: &str) -> [String; 2] {
    [format!("enroll:{address}"), "enroll:*".to_owned()]
}

fn window_start(now: DateTime<Utc>) -> String {
    crate::auth::stamp(now - Duration::minutes(WINDOW_MINUTES))
}

pub fn failures(conn: &Connection, key: &str, now: DateTime<Utc>) -> rusqlite::Result<i64> {
    conn.query_row(
        "SELECT COUNT(*) FROM failed_attempts WHERE key = ?1 AND at > ?2",
        params![key, window_start(now)],
        |r| r.get(0),
    )
}

/// Seconds until `key` may try again under `rule`, or `None` when it may now.
pub fn locked_for(
    conn: &Connection,
    key: &str,
    rule: Rule,
    now: DateTime<Utc>,
) -> rusqlite::Result<Option<i64>> {
    let count = failures(conn, key, now)?;
    if count < rule.max {
        return Ok(None);
    }
    // The failure that must leave the window before one more attempt is allowed.
    let at: String = conn.query_row(
        "SELECT at FROM failed_attempts WHERE key = ?1 AND at > ?2 ORDER BY at DESC LIMIT 1 OFFSET ?3",
        params![key, window_start(now), rule.max - 1],
        |r| r.get(0),
    )?;
    let at = DateTime::parse_from_rfc3339(&at)
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or(now);
    let free_at = at + Duration::minutes(WINDOW_MINUTES);
    Ok(Some((free_at - now).num_seconds().max(1)))
}

/// Seconds until the first of `keys` locked under its rule (paired in order) is free, or
/// `None` when none is locked.
pub fn wait(
    conn: &Connection,
    keys: &[String],
    rules: &[Rule],
    now: DateTime<Utc>,
) -> rusqlite::Result<Option<i64>> {
    for (key, rule) in keys.iter().zip(rules) {
        if let Some(wait) = locked_for(conn, key, *rule, now)? {
            return Ok(Some(wait));
        }
    }
    Ok(None)
}

pub fn record(conn: &Connection, keys: &[String], now: DateTime<Utc>) -> rusqlite::Result<()> {
    let at = crate::auth::stamp(now);
    for key in keys {
        conn.execute(
            "INSERT INTO failed_attempts (key, at) VALUES (?1, ?2)",
            params![key, at],
        )?;
    }
    conn.execute(
        "DELETE FROM failed_attempts WHERE at < ?1",
        [crate::auth::stamp(now - Duration::days(1))],
    )?;
    Ok(())
}

/// Takes back the failures `record` wrote at `at` under `keys` (the attempt succeeded: it
/// was counted before the password was checked, so that parallel guesses cannot all pass).
pub fn forget(conn: &Connection, keys: &[String], at: DateTime<Utc>) -> rusqlite::Result<()> {
    let at = crate::auth::stamp(at);
    for key in keys {
        conn.execute(
            "DELETE FROM failed_attempts WHERE rowid IN
               (SELECT rowid FROM failed_attempts WHERE key = ?1 AND at = ?2 LIMIT 1)",
            params![key, at],
        )?;
    }
    Ok(())
}

/// A success from this account and address clears their lock (not the address's, nor the
/// account's slowdown: those count other people's guesses too).
pub fn clear(conn: &Connection, key: &str) -> rusqlite::Result<()> {
    conn.execute("DELETE FROM failed_attempts WHERE key = ?1", [key])
        .map(drop)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_lock_starts_at_the_limit_and_ends_by_itself() {
        let dir = tempfile::tempdir().unwrap();
        let conn = crate::db::open(dir.path()).unwrap();
        let t0 = Utc.with_ymd_and_hms(2026, 11, 30, 12, 0, 0).unwrap();
        let key = login_keys("ans", "127.0.0.1")[0].clone();
        for i in 0..4 {
            record(&conn, std::slice::from_ref(&key), t0 + Duration::seconds(i)).unwrap();
            assert_eq!(
                locked_for(&conn, &key, ACCOUNT_FROM_ADDRESS, t0 + Duration::seconds(i)).unwrap(),
                None
            );
        }
        record(&conn, std::slice::from_ref(&key), t0 + Duration::seconds(4)).unwrap();
        let wait =
            locked_for(&conn, &key, ACCOUNT_FROM_ADDRESS, t0 + Duration::seconds(5)).unwrap();
        assert_eq!(
            wait,
            Some(15 * 60 - 5),
            "until the first failure is 15 minutes old"
        );
        let later = t0 + Duration::minutes(15) + Duration::seconds(1);
        assert_eq!(
            locked_for(&conn, &key, ACCOUNT_FROM_ADDRESS, later).unwrap(),
            None
        );
        clear(&conn, &key).unwrap();
        assert_eq!(failures(&conn, &key, t0).unwrap(), 0);
    }

    #[test]
    fn no_typed_login_name_can_collide_with_another_accounts_key() {
        // "ans|from:…" typed as a login name is hashed: it never becomes ans's key from there.
        let [ans_from_office, _, _] = login_keys("ans", "203.0.113.7");
        for typed in ["ans|from:203.0.113.7", "ans|203.0.113.7", "ANS", " ans "] {
            let [own, _, account] = login_keys(typed, "198.51.100.1");
            assert_ne!(account, ans_from_office, "{typed}");
            assert_ne!(own, ans_from_office, "{typed}");
        }
        assert_eq!(
            login_keys("ANS", "x")[2],
            login_keys(" ans", "x")[2],
            "one account, however typed"
        );
    }
}
