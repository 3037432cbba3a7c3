//! The audit trail: append-only in SQLite (triggers refuse every UPDATE and DELETE, whatever
//! code runs), read by P&O and the beheerder, changed by nobody. Who (a person's or device's
//! id, or the login name tried), when, what, about what, from which address, and how it ended.
//! Never a report's content or a password.

use rusqlite::{params, Connection};
use serde::Serialize;

/// What happened. The strings are what the trail shows; never rename one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    Login,
    LoginFailed,
    Logout,
    SecondFactorSetUp,
    RecoveryCodeUsed,
    PasswordChanged,
    SetupUsed,
    /// A report read by someone other than its author.
    ReportRead,
    /// The list of reports (an export of their receipts).
    ReportsListed,
    PersonCreated,
    PersonChanged,
    PersonDisabled,
    SessionsEnded,
    TeamCreated,
    TeamChanged,
    EnrollmentCodeCreated,
    DeviceEnrolled,
    EnrollmentFailed,
    DeviceRevoked,
    /// An aftercare task recorded (never its notes).
    AftercareRecorded,
    /// The workspace's list of incoming reports.
    InboxListed,
    /// The organisation's settings replaced (never their values).
    OrganisationChanged,
    /// A team's manager phone set (never the number).
    TeamPhoneChanged,
}

impl Event {
    pub fn as_str(self) -> &'static str {
        match self {
            Event::Login => "login",
            Event::LoginFailed => "login_failed",
            Event::Logout => "logout",
            Event::SecondFactorSetUp => "second_factor_set_up",
            Event::RecoveryCodeUsed => "recovery_code_used",
            Event::PasswordChanged => "password_changed",
            Event::SetupUsed => "setup_used",
            Event::ReportRead => "report_read",
            Event::ReportsListed => "reports_listed",
            Event::PersonCreated => "person_created",
            Event::PersonChanged => "person_changed",
            Event::PersonDisabled => "person_disabled",
            Event::SessionsEnded => "sessions_ended",
            Event::TeamCreated => "team_created",
            Event::TeamChanged => "team_changed",
            Event::EnrollmentCodeCreated => "enrollment_code_created",
            Event::DeviceEnrolled => "device_enrolled",
            Event::EnrollmentFailed => "enrollment_failed",
            Event::DeviceRevoked => "device_revoked",
            Event::AftercareRecorded => "aftercare_recorded",
            Event::InboxListed => "inbox_listed",
            Event::OrganisationChanged => "organisation_changed",
            Event::TeamPhoneChanged => "team_phone_changed",
        }
    }
}

/// One entry, as written and as read.
#[derive(Debug, Clone, Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct Entry {
    pub seq: i64,
    pub at: String,
    /// `person:<id>`, `device:<id>`, `login:<name tried>`, `shell` (a server subcommand) or
    /// `nobody`.
    pub actor: String,
    pub action: String,
    pub target: Option<String>,
    pub address: Option<String>,
    /// `ok`, or why not (`wrong_password`, `locked`, ...).
    pub outcome: String,
}

pub struct Record<'a> {
    pub actor: &'a str,
    pub event: Event,
    pub target: Option<&'a str>,
    pub address: Option<&'a str>,
    pub outcome: &'a str,
}

pub fn append(conn: &Connection, at: &str, record: Record<'_>) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO audit (at, actor, action, target, address, outcome)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            at,
            record.actor,
            record.event.as_str(),
            record.target,
            record.address,
            record.outcome
        ],
    )
    .map(drop)
}

/// Appends one entry at `at`: the one way every part of the server writes the trail.
pub fn note(
    conn: &Connection,
    at: chrono::DateTime<chrono::Utc>,
    actor: &str,
    event: Event,
    target: Option<&str>,
    address: Option<&str>,
    outcome: &str,
) -> rusqlite::Result<()> {
    append(
        conn,
        &crate::auth::stamp(at),
        Record {
            actor,
            event,
            target,
            address,
            outcome,
        },
    )
}

/// The newest `limit` entries, newest first.
pub fn recent(conn: &Connection, limit: i64) -> rusqlite::Result<Vec<Entry>> {
    let mut stmt = conn.prepare(
        "SELECT seq, at, actor, action, target, address, outcome FROM audit
         ORDER BY seq DESC LIMIT ?1",
    )?;
    let rows = stmt.query_map([limit], |r| {
        Ok(Entry {
            seq: r.get(0)?,
            at: r.get(1)?,
            actor: r.get(2)?,
            action: r.get(3)?,
            target: r.get(4)?,
            address: r.get(5)?,
            outcome: r.get(6)?,
        })
    })?;
    rows.collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_changes_or_removes_an_entry() {
        let dir = tempfile::tempdir().unwrap();
        let conn = crate::db::open(dir.path()).unwrap();
        append(
            &conn,
            "2026-11-30T12:00:00.000Z",
            Record {
                actor: "person:1",
                event: Event::Login,
                target: None,
                address: Some("127.0.0.1"),
                outcome: "ok",
            },
        )
        .unwrap();
        assert!(conn.execute("UPDATE audit SET outcome = 'x'", []).is_err());
        assert!(conn.execute("DELETE FROM audit", []).is_err());
        let entries = recent(&conn, 10).unwrap();
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0].outcome, "ok");
        assert_eq!(entries[0].action, "login");
    }
}
