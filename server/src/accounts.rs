//! People, teams, devices, enrollment codes, sessions and the first beheerder's setup, in
//! SQLite. Each function is one change in one transaction with a typed outcome; the HTTP
//! mapping and the access decision live in `api/accounts.rs`.

use chrono::{DateTime, Duration, Utc};
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use serde::{Deserialize, Serialize};
use veilig_core::report::access::Role;

use crate::auth::{secret, stamp, ENROLLMENT_CODE_MINUTES};

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PersonView {
    pub id: String,
    pub login: String,
    pub name: String,
    /// `medewerker`, `leidinggevende`, `po`, `beheerder`.
    pub roles: Vec<String>,
    /// Ids of the teams this person manages.
    pub manages: Vec<String>,
    pub second_factor: bool,
    pub disabled: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TeamView {
    pub id: String,
    pub name: String,
    /// Ids of the team's managers.
    pub managers: Vec<String>,
    /// The phone of the team's manager that its devices call ("" while not set).
    #[serde(default)]
    pub manager_phone: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DeviceView {
    pub id: String,
    pub team_id: String,
    pub team: String,
    pub person: Option<String>,
    pub enrolled_at: String,
    pub last_seen_at: Option<String>,
    pub revoked_at: Option<String>,
    pub reports_sent: i64,
}

pub fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

pub fn person_view(conn: &Connection, id: &str) -> rusqlite::Result<Option<PersonView>> {
    let row = conn
        .query_row(
            "SELECT login, name, totp_secret IS NOT NULL, disabled_at IS NOT NULL FROM people WHERE id = ?1",
            [id],
            |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    let Some((login, name, second_factor, disabled)) = row else {
        return Ok(None);
    };
    Ok(Some(PersonView {
        id: id.to_owned(),
        login,
        name,
        roles: crate::auth::roles_of(conn, id)?
            .into_iter()
            .map(|r| r.as_str().to_owned())
            .collect(),
        manages: crate::auth::teams_managed(conn, id)?,
        second_factor,
        disabled,
    }))
}

pub fn people(conn: &Connection) -> rusqlite::Result<Vec<PersonView>> {
    let ids: Vec<String> = conn
        .prepare("SELECT id FROM people ORDER BY login")?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        out.extend(person_view(conn, &id)?);
    }
    Ok(out)
}

#[derive(Debug)]
pub enum Created<T> {
    Created(T),
    AlreadyExists,
}

/// A new person; `password_hash` already hashed (Argon2id) or `None` (they cannot log in
/// until a password is set from the shell).
pub fn create_person(
    conn: &mut Connection,
    login: &str,
    name: &str,
    roles: &[Role],
    password_hash: Option<&str>,
    now: DateTime<Utc>,
) -> rusqlite::Result<Created<String>> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let exists: bool = tx.query_row(
        "SELECT EXISTS(SELECT 1 FROM people WHERE login = ?1)",
        [login],
        |r| r.get(0),
    )?;
    if exists {
        return Ok(Created::AlreadyExists);
    }
    let id = new_id();
    tx.execute(
        "INSERT INTO people (id, login, name, password_hash, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![id, login, name, password_hash, stamp(now)],
    )?;
    set_roles_in(&tx, &id, roles)?;
    tx.commit()?;
    Ok(Created::Created(id))
}

fn set_roles_in(conn: &Connection, id: &str, roles: &[Role]) -> rusqlite::Result<()> {
    conn.execute("DELETE FROM people_roles WHERE person_id = ?1", [id])?;
    for role in roles {
        conn.execute(
            "INSERT OR IGNORE INTO people_roles (person_id, role) VALUES (?1, ?2)",
            params![id, role.as_str()],
        )?;
    }
    Ok(())
}

pub fn set_roles(conn: &Connection, id: &str, roles: &[Role]) -> rusqlite::Result<()> {
    set_roles_in(conn, id, roles)
}

pub fn person_id_by_login(conn: &Connection, login: &str) -> rusqlite::Result<Option<String>> {
    conn.query_row("SELECT id FROM people WHERE login = ?1", [login], |r| {
        r.get(0)
    })
    .optional()
}

/// Disables an account (or enables it again); disabling ends every session at once.
pub fn set_disabled(
    conn: &Connection,
    id: &str,
    disabled: bool,
    now: DateTime<Utc>,
) -> rusqlite::Result<()> {
    let at = disabled.then(|| stamp(now));
    conn.execute(
        "UPDATE people SET disabled_at = ?2 WHERE id = ?1",
        params![id, at],
    )?;
    if disabled {
        end_sessions(conn, id, now)?;
    }
    Ok(())
}

pub fn end_sessions(
    conn: &Connection,
    person_id: &str,
    now: DateTime<Utc>,
) -> rusqlite::Result<usize> {
    conn.execute(
        "UPDATE sessions SET ended_at = ?2 WHERE person_id = ?1 AND ended_at IS NULL",
        params![person_id, stamp(now)],
    )
}

pub fn set_password(
    conn: &Connection,
    id: &str,
    hash: &str,
    now: DateTime<Utc>,
) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE people SET password_hash = ?2 WHERE id = ?1",
        params![id, hash],
    )?;
    // Every session started with the old password ends.
    end_sessions(conn, id, now).map(drop)
}

/// A new session; returns the token to put in the cookie (only its hash is kept).
pub fn start_session(
    conn: &Connection,
    person_id: &str,
    complete: bool,
    now: DateTime<Utc>,
) -> rusqlite::Result<String> {
    let token = secret::token();
    conn.execute(
        "INSERT INTO sessions (token_hash, person_id, created_at, last_seen_at, second_factor_done)
         VALUES (?1, ?2, ?3, ?3, ?4)",
        params![secret::hash(&token), person_id, stamp(now), complete],
    )?;
    Ok(token)
}

pub fn end_session(conn: &Connection, hash: &str, now: DateTime<Utc>) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE sessions SET ended_at = ?2 WHERE token_hash = ?1",
        params![hash, stamp(now)],
    )
    .map(drop)
}

pub fn teams(conn: &Connection) -> rusqlite::Result<Vec<TeamView>> {
    let rows: Vec<(String, String, String)> = conn
        .prepare("SELECT id, name, manager_phone FROM teams ORDER BY name")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<Result<_, _>>()?;
    let mut out = Vec::with_capacity(rows.len());
    for (id, name, manager_phone) in rows {
        let managers = conn
            .prepare_cached(
                "SELECT person_id FROM team_managers WHERE team_id = ?1 ORDER BY person_id",
            )?
            .query_map([&id], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        out.push(TeamView {
            id,
            name,
            managers,
            manager_phone,
        });
    }
    Ok(out)
}

pub fn create_team(
    conn: &Connection,
    name: &str,
    now: DateTime<Utc>,
) -> rusqlite::Result<Created<String>> {
    let exists: bool = conn.query_row(
        "SELECT EXISTS(SELECT 1 FROM teams WHERE name = ?1)",
        [name],
        |r| r.get(0),
    )?;
    if exists {
        return Ok(Created::AlreadyExists);
    }
    let id = new_id();
    conn.execute(
        "INSERT INTO teams (id, name, created_at) VALUES (?1, ?2, ?3)",
        params![id, name, stamp(now)],
    )?;
    Ok(Created::Created(id))
}

pub fn team_exists(conn: &Connection, id: &str) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT EXISTS(SELECT 1 FROM teams WHERE id = ?1)",
        [id],
        |r| r.get(0),
    )
}

pub fn team_id_by_name(conn: &Connection, name: &str) -> rusqlite::Result<Option<String>> {
    conn.query_row("SELECT id FROM teams WHERE name = ?1", [name], |r| r.get(0))
        .optional()
}

pub fn set_managers(conn: &Connection, team_id: &str, managers: &[String]) -> rusqlite::Result<()> {
    conn.execute("DELETE FROM team_managers WHERE team_id = ?1", [team_id])?;
    for person in managers {
        conn.execute(
            "INSERT OR IGNORE INTO team_managers (team_id, person_id) VALUES (?1, ?2)",
            params![team_id, person],
        )?;
    }
    Ok(())
}

/// A new enrollment code for `team` (and optionally one person); returns the code to show.
pub fn create_enrollment_code(
    conn: &Connection,
    team_id: &str,
    person_id: Option<&str>,
    created_by: &str,
    now: DateTime<Utc>,
) -> rusqlite::Result<(String, String)> {
    let code = secret::short_code();
    let expires = stamp(now + Duration::minutes(ENROLLMENT_CODE_MINUTES));
    conn.execute(
        "INSERT INTO enrollment_codes (code_hash, team_id, person_id, created_by, created_at, expires_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![secret::hash(&secret::normalize_code(&code)), team_id, person_id, created_by, stamp(now), expires],
    )?;
    Ok((code, expires))
}

#[derive(Debug)]
pub enum Enrolled {
    /// The device's id and its credential (for the cookie; only its hash is kept).
    Device { id: String, credential: String },
    /// Unknown, used or expired.
    Invalid,
}

/// Trades a code for a device credential, once.
pub fn enroll(
    conn: &mut Connection,
    typed: &str,
    now: DateTime<Utc>,
) -> rusqlite::Result<Enrolled> {
    let hash = secret::hash(&secret::normalize_code(typed));
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let row = tx
        .query_row(
            "SELECT team_id, person_id, created_by, expires_at, used_at FROM enrollment_codes WHERE code_hash = ?1",
            [&hash],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, Option<String>>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, Option<String>>(4)?,
                ))
            },
        )
        .optional()?;
    let Some((team, person, created_by, expires, used)) = row else {
        return Ok(Enrolled::Invalid);
    };
    if used.is_some() || expires <= stamp(now) {
        return Ok(Enrolled::Invalid);
    }
    tx.execute(
        "UPDATE enrollment_codes SET used_at = ?2 WHERE code_hash = ?1",
        params![hash, stamp(now)],
    )?;
    let id = new_id();
    let credential = secret::token();
    tx.execute(
        "INSERT INTO devices (id, credential_hash, team_id, person_id, enrolled_at, enrolled_by, last_seen_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?5)",
        params![id, secret::hash(&credential), team, person, stamp(now), created_by],
    )?;
    tx.commit()?;
    Ok(Enrolled::Device { id, credential })
}

pub fn devices(conn: &Connection) -> rusqlite::Result<Vec<DeviceView>> {
    let mut stmt = conn.prepare(
        "SELECT d.id, d.team_id, t.name, p.name, d.enrolled_at, d.last_seen_at, d.revoked_at,
                d.reports_sent
         FROM devices d JOIN teams t ON t.id = d.team_id LEFT JOIN people p ON p.id = d.person_id
         ORDER BY t.name, d.enrolled_at",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(DeviceView {
            id: r.get(0)?,
            team_id: r.get(1)?,
            team: r.get(2)?,
            person: r.get(3)?,
            enrolled_at: r.get(4)?,
            last_seen_at: r.get(5)?,
            revoked_at: r.get(6)?,
            reports_sent: r.get(7)?,
        })
    })?;
    rows.collect()
}

pub fn device_team(conn: &Connection, id: &str) -> rusqlite::Result<Option<String>> {
    conn.query_row("SELECT team_id FROM devices WHERE id = ?1", [id], |r| {
        r.get(0)
    })
    .optional()
}

pub fn revoke_device(
    conn: &Connection,
    id: &str,
    by: &str,
    now: DateTime<Utc>,
) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE devices SET revoked_at = ?2, revoked_by = ?3 WHERE id = ?1 AND revoked_at IS NULL",
        params![id, stamp(now), by],
    )
    .map(drop)
}

pub fn has_administrator(conn: &Connection) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT EXISTS(SELECT 1 FROM people_roles r JOIN people p ON p.id = r.person_id
                       WHERE r.role = 'beheerder' AND p.disabled_at IS NULL)",
        [],
        |r| r.get(0),
    )
}

/// A fresh one-time setup token (earlier unused ones stop working), while no beheerder exists.
pub fn new_setup_token(conn: &Connection, now: DateTime<Utc>) -> rusqlite::Result<Option<String>> {
    if has_administrator(conn)? {
        return Ok(None);
    }
    let token = secret::token();
    conn.execute(
        "UPDATE setup_tokens SET used_at = ?1 WHERE used_at IS NULL",
        [stamp(now)],
    )?;
    conn.execute(
        "INSERT INTO setup_tokens (token_hash, created_at) VALUES (?1, ?2)",
        params![secret::hash(&token), stamp(now)],
    )?;
    Ok(Some(token))
}

/// Uses a setup token: true when it was valid and unused and no beheerder exists yet.
pub fn use_setup_token(
    conn: &Connection,
    token: &str,
    now: DateTime<Utc>,
) -> rusqlite::Result<bool> {
    if has_administrator(conn)? {
        return Ok(false);
    }
    let changed = conn.execute(
        "UPDATE setup_tokens SET used_at = ?2 WHERE token_hash = ?1 AND used_at IS NULL",
        params![secret::hash(token), stamp(now)],
    )?;
    Ok(changed == 1)
}

/// Stores ten new recovery codes (replacing any earlier ones) and returns them, once.
pub fn new_recovery_codes(conn: &Connection, person_id: &str) -> rusqlite::Result<Vec<String>> {
    conn.execute(
        "DELETE FROM recovery_codes WHERE person_id = ?1",
        [person_id],
    )?;
    let codes: Vec<String> = (0..10).map(|_| secret::recovery_code()).collect();
    for code in &codes {
        conn.execute(
            "INSERT INTO recovery_codes (person_id, code_hash) VALUES (?1, ?2)",
            params![person_id, secret::hash(&secret::normalize_code(code))],
        )?;
    }
    Ok(codes)
}

/// Uses a recovery code, once.
pub fn use_recovery_code(
    conn: &Connection,
    person_id: &str,
    typed: &str,
    now: DateTime<Utc>,
) -> rusqlite::Result<bool> {
    let changed = conn.execute(
        "UPDATE recovery_codes SET used_at = ?3 WHERE person_id = ?1 AND code_hash = ?2 AND used_at IS NULL",
        params![person_id, secret::hash(&secret::normalize_code(typed)), stamp(now)],
    )?;
    Ok(changed == 1)
}
