//! The organisation's settings in SQLite: one row of core's `organisation::Organisation` as
//! JSON (migration 4), and each team's manager phone (`teams.manager_phone`). What may be
//! stored is core's decision (`Organisation::problem`, `phone_problem`); this only reads and
//! writes.

use rusqlite::{params, Connection, OptionalExtension};
use veilig_core::organisation::{ForDevice, Organisation};

/// The settings as stored, or the protocol's defaults while the beheerder never set them.
pub fn load(conn: &Connection) -> rusqlite::Result<Organisation> {
    let body: Option<String> = conn
        .query_row("SELECT body FROM organisation WHERE id = 1", [], |r| {
            r.get(0)
        })
        .optional()?;
    // Written only after `problem` passed; a row that no longer parses (a newer server's)
    // falls back to the defaults rather than keeping every device from syncing.
    Ok(body
        .and_then(|b| serde_json::from_str(&b).ok())
        .unwrap_or_default())
}

/// Replaces the settings; returns whether the aftercare windows changed (then every open
/// plan must be made again).
pub fn save(conn: &Connection, org: &Organisation, at: &str) -> rusqlite::Result<bool> {
    let before = load(conn)?;
    let body = serde_json::to_string(org)
        .map_err(|e| rusqlite::Error::ToSqlConversionFailure(e.into()))?;
    conn.execute(
        "INSERT INTO organisation (id, body, updated_at) VALUES (1, ?1, ?2)
         ON CONFLICT (id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at",
        params![body, at],
    )?;
    Ok(before.windows != org.windows)
}

/// Sets a team's manager phone; `false` when there is no such team.
pub fn set_team_phone(conn: &Connection, team: &str, phone: &str) -> rusqlite::Result<bool> {
    conn.execute(
        "UPDATE teams SET manager_phone = ?2 WHERE id = ?1",
        params![team, phone],
    )
    .map(|n| n == 1)
}

/// What a device of `team` receives: the settings and its own team's manager phone.
pub fn for_device(conn: &Connection, team: &str) -> rusqlite::Result<ForDevice> {
    let org = load(conn)?;
    let phone: Option<String> = conn
        .query_row(
            "SELECT manager_phone FROM teams WHERE id = ?1",
            [team],
            |r| r.get(0),
        )
        .optional()?;
    Ok(ForDevice::of(&org, phone.as_deref().unwrap_or_default()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_set_reads_as_the_defaults_and_a_change_of_windows_is_told() {
        let dir = tempfile::tempdir().unwrap();
        let conn = crate::db::open(dir.path()).unwrap();
        assert_eq!(load(&conn).unwrap(), Organisation::default());
        let named = Organisation {
            name: "Woonstad".into(),
            ..Organisation::default()
        };
        assert!(!save(&conn, &named, "2026-12-01T00:00:00.000Z").unwrap());
        assert_eq!(load(&conn).unwrap(), named);
        let mut later = named.clone();
        later.windows.po_days = 14;
        assert!(save(&conn, &later, "2026-12-01T00:00:01.000Z").unwrap());
        assert_eq!(load(&conn).unwrap().windows.po_days, 14);
    }
}
