//! Who is asking: an enrolled device (its cookie), a person (their session cookie), or nobody.
//! This module only finds and checks credentials; what each may do is decided by
//! `veilig_core::report::access::can`, nowhere else.
//!
//! Cookies, not tokens readable by script: both credentials are HttpOnly cookies, so a script
//! injected into the page cannot read them, and the service worker's background delivery
//! sends the device's cookie with its same-origin `fetch` like the page does. SameSite=Strict
//! plus the same-origin check on writes (`same_origin`) keep other sites from using them.

pub mod password;
pub mod secret;
pub mod throttle;
pub mod totp;

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use axum::http::{header, HeaderMap, HeaderValue, Method};
use chrono::{DateTime, Duration, SecondsFormat, Utc};
use rusqlite::{params, Connection, OptionalExtension};
use veilig_core::report::access::Role;

/// A session ends after this long without a request…
pub const SESSION_IDLE_MINUTES: i64 = 30;
/// …and this long after login, whatever happens.
pub const SESSION_ABSOLUTE_HOURS: i64 = 12;
/// A device not seen for this long must be enrolled again. Long: a tablet may sit in a
/// drawer for weeks, and its reports must still go.
pub const DEVICE_IDLE_DAYS: i64 = 180;
/// An enrollment code is valid this long, once.
pub const ENROLLMENT_CODE_MINUTES: i64 = 15;

/// RFC 3339 in UTC with milliseconds: sorts as text in the order of time.
pub fn stamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

pub fn parse_stamp(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// The server's clock. Tests move it forward (session expiry, code expiry) over real HTTP;
/// the server itself never does.
#[derive(Clone, Default)]
pub struct Clock {
    offset_seconds: Arc<AtomicI64>,
}

impl Clock {
    pub fn now(&self) -> DateTime<Utc> {
        Utc::now() + Duration::seconds(self.offset_seconds.load(Ordering::Relaxed))
    }

    pub fn advance(&self, by: Duration) {
        self.offset_seconds
            .fetch_add(by.num_seconds(), Ordering::Relaxed);
    }
}

/// The cookies' names and attributes. `__Host-` needs `Secure`, which a browser accepts only
/// over HTTPS: it is used when the server is told its public address is `https://`.
#[derive(Debug, Clone, Copy)]
pub struct Cookies {
    pub secure: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Device,
    Session,
}

impl Cookies {
    pub fn name(self, kind: Kind) -> &'static str {
        match (kind, self.secure) {
            (Kind::Device, true) => "__Host-veilig_device",
            (Kind::Device, false) => "veilig_device",
            (Kind::Session, true) => "__Host-veilig_session",
            (Kind::Session, false) => "veilig_session",
        }
    }

    /// A `Set-Cookie` value. The device's lives 400 days in the browser (Chromium's limit; the
    /// server's own limit is `DEVICE_IDLE_DAYS` without use); a session's only as long as the
    /// browser runs (the server ends it sooner: idle and absolute timeouts).
    pub fn set(self, kind: Kind, value: &str) -> HeaderValue {
        let max_age = match kind {
            Kind::Device => "; Max-Age=34560000",
            Kind::Session => "",
        };
        let secure = if self.secure { "; Secure" } else { "" };
        let text = format!(
            "{}={value}; Path=/; HttpOnly; SameSite=Strict{max_age}{secure}",
            self.name(kind)
        );
        HeaderValue::from_str(&text).expect("cookie values are base64url")
    }

    pub fn clear(self, kind: Kind) -> HeaderValue {
        let secure = if self.secure { "; Secure" } else { "" };
        HeaderValue::from_str(&format!(
            "{}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0{secure}",
            self.name(kind)
        ))
        .expect("static cookie")
    }

    /// The value of our cookie of `kind` in the request, if any.
    pub fn read(self, kind: Kind, headers: &HeaderMap) -> Option<String> {
        let name = self.name(kind);
        headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.to_owned())
    }
}

/// A write that carries a cookie must come from a page of this server: browsers send
/// `Sec-Fetch-Site` (and `Origin`) with every such request, so a form or script on another
/// site is refused even if SameSite were ignored. A request without either is not from a
/// browser (a script, the tests) and cannot carry a victim's cookie.
pub fn same_origin(method: &Method, headers: &HeaderMap) -> bool {
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return true;
    }
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return site == "same-origin";
    }
    match headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        None => true,
        Some(origin) => {
            let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
            let origin_host = origin
                .strip_prefix("http://")
                .or_else(|| origin.strip_prefix("https://"));
            origin_host.is_some() && origin_host == host
        }
    }
}

/// An enrolled device, as found by its credential.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Device {
    pub device_id: String,
    #[serde(skip)]
    pub team_id: String,
    pub team: String,
    #[serde(skip)]
    pub person_id: Option<String>,
    pub person: Option<String>,
    pub enrolled_at: String,
}

/// Why a request has no usable device.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoDevice {
    NotEnrolled,
    /// Revoked by a beheerder or manager, or not seen for `DEVICE_IDLE_DAYS`.
    Revoked,
}

/// Finds the device of a credential, and whether it may still send: revocation and expiry
/// apply at the very next request. (Sending marks it seen, in the report's transaction.)
pub fn device(
    conn: &Connection,
    credential: Option<&str>,
    now: DateTime<Utc>,
) -> rusqlite::Result<Result<Device, NoDevice>> {
    let Some(credential) = credential else {
        return Ok(Err(NoDevice::NotEnrolled));
    };
    let row = conn
        .query_row(
            "SELECT d.id, d.team_id, t.name, d.person_id, p.name, d.enrolled_at,
                    d.last_seen_at, d.revoked_at
             FROM devices d JOIN teams t ON t.id = d.team_id
             LEFT JOIN people p ON p.id = d.person_id
             WHERE d.credential_hash = ?1",
            [secret::hash(credential)],
            |r| {
                Ok((
                    Device {
                        device_id: r.get(0)?,
                        team_id: r.get(1)?,
                        team: r.get(2)?,
                        person_id: r.get(3)?,
                        person: r.get(4)?,
                        enrolled_at: r.get(5)?,
                    },
                    r.get::<_, Option<String>>(6)?,
                    r.get::<_, Option<String>>(7)?,
                ))
            },
        )
        .optional()?;
    let Some((device, last_seen, revoked)) = row else {
        return Ok(Err(NoDevice::NotEnrolled));
    };
    let seen = last_seen
        .as_deref()
        .and_then(parse_stamp)
        .or_else(|| parse_stamp(&device.enrolled_at))
        .unwrap_or(now);
    if revoked.is_some() || now - seen > Duration::days(DEVICE_IDLE_DAYS) {
        return Ok(Err(NoDevice::Revoked));
    }
    Ok(Ok(device))
}

pub fn mark_device_seen(conn: &Connection, id: &str, now: DateTime<Utc>) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE devices SET last_seen_at = ?2 WHERE id = ?1",
        params![id, stamp(now)],
    )
    .map(drop)
}

/// A person with a live session.
#[derive(Debug, Clone)]
pub struct Person {
    pub id: String,
    pub login: String,
    pub name: String,
    pub roles: Vec<Role>,
    /// Ids of the teams they manage.
    pub manages: Vec<String>,
    pub session_hash: String,
    /// False while an account that needs a second factor has not set one up: the session
    /// may then only set it up.
    pub complete: bool,
}

impl Person {
    pub fn actor(&self) -> veilig_core::report::access::Actor<'_> {
        veilig_core::report::access::Actor::Person {
            id: &self.id,
            roles: &self.roles,
            manages: &self.manages,
        }
    }
}

pub fn roles_of(conn: &Connection, person_id: &str) -> rusqlite::Result<Vec<Role>> {
    let mut stmt =
        conn.prepare_cached("SELECT role FROM people_roles WHERE person_id = ?1 ORDER BY role")?;
    let roles = stmt.query_map([person_id], |r| r.get::<_, String>(0))?;
    Ok(roles
        .filter_map(Result::ok)
        .filter_map(|r| Role::parse(&r))
        .collect())
}

pub fn teams_managed(conn: &Connection, person_id: &str) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT team_id FROM team_managers WHERE person_id = ?1 ORDER BY team_id",
    )?;
    let teams = stmt.query_map([person_id], |r| r.get::<_, String>(0))?;
    teams.collect()
}

/// Finds the person of a session token and keeps the session alive, or `None` when there is
/// no such session, it has ended or timed out, or the account is disabled.
pub fn session(
    conn: &Connection,
    token: Option<&str>,
    now: DateTime<Utc>,
) -> rusqlite::Result<Option<Person>> {
    let Some(token) = token else { return Ok(None) };
    let hash = secret::hash(token);
    let row = conn
        .query_row(
            "SELECT s.person_id, p.login, p.name, s.created_at, s.last_seen_at,
                    s.second_factor_done, s.ended_at, p.disabled_at,
                    p.totp_secret IS NOT NULL
             FROM sessions s JOIN people p ON p.id = s.person_id
             WHERE s.token_hash = ?1",
            [&hash],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, bool>(5)?,
                    r.get::<_, Option<String>>(6)?,
                    r.get::<_, Option<String>>(7)?,
                    r.get::<_, bool>(8)?,
                ))
            },
        )
        .optional()?;
    let Some((id, login, name, created, last_seen, done, ended, disabled, has_second_factor)) = row
    else {
        return Ok(None);
    };
    let (Some(created), Some(last_seen)) = (parse_stamp(&created), parse_stamp(&last_seen)) else {
        return Ok(None);
    };
    if ended.is_some()
        || disabled.is_some()
        || now - last_seen > Duration::minutes(SESSION_IDLE_MINUTES)
        || now - created > Duration::hours(SESSION_ABSOLUTE_HOURS)
    {
        return Ok(None);
    }
    conn.execute(
        "UPDATE sessions SET last_seen_at = ?2 WHERE token_hash = ?1",
        params![hash, stamp(now)],
    )?;
    let roles = roles_of(conn, &id)?;
    // A session started without a second factor (an employee's) is not complete once the
    // person's roles need one (made a manager meanwhile) until they have set one up.
    let complete = done && (has_second_factor || !roles.iter().any(|r| r.needs_second_factor()));
    Ok(Some(Person {
        roles,
        manages: teams_managed(conn, &id)?,
        id,
        login,
        name,
        session_hash: hash,
        complete,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn a_write_from_another_site_is_refused() {
        let post = Method::POST;
        assert!(same_origin(
            &post,
            &headers(&[("sec-fetch-site", "same-origin")])
        ));
        assert!(!same_origin(
            &post,
            &headers(&[("sec-fetch-site", "cross-site")])
        ));
        assert!(!same_origin(
            &post,
            &headers(&[("sec-fetch-site", "same-site")])
        ));
        assert!(same_origin(
            &post,
            &headers(&[
                ("origin", "http://127.0.0.1:8080"),
                ("host", "127.0.0.1:8080")
            ])
        ));
        assert!(!same_origin(
            &post,
            &headers(&[
                ("origin", "https://evil.example"),
                ("host", "127.0.0.1:8080")
            ])
        ));
        assert!(!same_origin(
            &post,
            &headers(&[("origin", "null"), ("host", "x")])
        ));
        // Not a browser: no cookie of a victim can be riding along.
        assert!(same_origin(&post, &headers(&[])));
        assert!(same_origin(
            &Method::GET,
            &headers(&[("sec-fetch-site", "cross-site")])
        ));
    }

    #[test]
    fn cookies_are_http_only_strict_and_host_prefixed_over_https() {
        let https = Cookies { secure: true };
        let set = https.set(Kind::Session, "abc");
        let set = set.to_str().unwrap();
        assert!(set.starts_with("__Host-veilig_session=abc; Path=/; HttpOnly; SameSite=Strict"));
        assert!(set.ends_with("; Secure"));
        let http = Cookies { secure: false };
        let set = http.set(Kind::Device, "xyz");
        assert!(!set.to_str().unwrap().contains("Secure"));
        assert!(set.to_str().unwrap().contains("Max-Age=34560000"));
        let h = headers(&[("cookie", "a=1; veilig_device=xyz; veilig_session=s")]);
        assert_eq!(http.read(Kind::Device, &h).as_deref(), Some("xyz"));
        assert_eq!(http.read(Kind::Session, &h).as_deref(), Some("s"));
        assert_eq!(https.read(Kind::Device, &h), None);
    }
}
