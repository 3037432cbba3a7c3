//! The server's subcommands, for the shell of the machine it runs on: the first beheerder,
//! people, teams, enrollment codes and passwords without the web workspace. Each change is
//! written to the audit trail as done by `shell`. Passwords are read from standard input (one
//! line), never from the command line, where other users of the machine could see them.

use std::io::BufRead;

use clap::{Parser, Subcommand};
use rusqlite::Connection;
use veilig_core::report::access::Role;

use crate::accounts::{self, Created};
use crate::audit::{self, Event};
use crate::auth::{password, Clock};
use crate::Config;

#[derive(Debug, Parser)]
#[command(
    name = "veilig-server",
    about = "Serves the Veilig PWA and its sync API; manages its accounts"
)]
pub struct Cli {
    #[command(flatten)]
    pub config: Config,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the app and the API (what happens without a subcommand).
    Serve,
    /// Print a new one-time address to make the first beheerder (only while there is none).
    SetupLink,
    /// Add a person; the password is read from standard input (one line).
    AddUser {
        #[arg(long)]
        login: String,
        #[arg(long)]
        name: String,
        /// medewerker, leidinggevende, po or beheerder; repeat for several.
        #[arg(long = "role", required = true)]
        roles: Vec<String>,
    },
    /// Set a new password (read from standard input); ends the person's sessions and lifts
    /// their lockouts.
    ResetPassword {
        #[arg(long)]
        login: String,
        /// Also remove their second factor (a lost phone): they set up a new one at login.
        #[arg(long)]
        reset_second_factor: bool,
    },
    /// Set a person's roles (replacing them). The roles that read reports (leidinggevende,
    /// po) are given here, on the server, never through the API.
    SetRoles {
        #[arg(long)]
        login: String,
        #[arg(long = "role", required = true)]
        roles: Vec<String>,
    },
    /// Set where a person is told that something waits in the workspace ("" removes it).
    SetEmail {
        #[arg(long)]
        login: String,
        #[arg(long)]
        email: String,
    },
    /// Add a team, optionally with its managers (by login name).
    AddTeam {
        #[arg(long)]
        name: String,
        #[arg(long = "manager")]
        managers: Vec<String>,
    },
    /// Print a single-use enrollment code (15 minutes) for a device of a team.
    EnrollmentCode {
        #[arg(long)]
        team: String,
        /// Bind the device to this person (by login name).
        #[arg(long)]
        person: Option<String>,
    },
}

fn parse_roles(names: &[String]) -> Result<Vec<Role>, String> {
    names
        .iter()
        .map(|r| {
            Role::parse(r).ok_or(format!(
                "unknown role {r}: medewerker, leidinggevende, po or beheerder"
            ))
        })
        .collect()
}

fn read_password() -> Result<String, String> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| format!("cannot read the password from standard input: {e}"))?;
    Ok(line.trim_end_matches(['\n', '\r']).to_owned())
}

/// What the shell did, in the audit trail.
fn shell_note(
    conn: &Connection,
    event: Event,
    target: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> rusqlite::Result<()> {
    audit::note(conn, now, "shell", event, Some(target), None, "ok")
}

/// Runs a subcommand other than `serve`; the text to print, or why it failed.
pub fn run(config: &Config, command: Command) -> Result<String, String> {
    let mut conn = crate::db::open(&config.data_dir).map_err(|e| e.to_string())?;
    let now = Clock::default().now();
    let db = |e: rusqlite::Error| format!("database: {e}");
    let origin = config
        .public_url
        .clone()
        .map(|u| u.trim_end_matches('/').to_owned())
        .unwrap_or_else(|| format!("http://{}:{}", config.bind, config.port));
    match command {
        Command::Serve => Err("serve is not a shell command".into()),
        Command::SetupLink => match accounts::new_setup_token(&conn, now).map_err(db)? {
            Some(token) => Ok(format!("{origin}/setup/{token}")),
            None => Err("a beheerder exists already; use add-user or reset-password".into()),
        },
        Command::AddUser { login, name, roles } => {
            let roles = parse_roles(&roles)?;
            let pw = read_password()?;
            password::check(&pw, &login, &name).map_err(str::to_owned)?;
            let hash = password::hash(&pw);
            match accounts::create_person(
                &mut conn,
                login.trim(),
                name.trim(),
                &roles,
                Some(&hash),
                now,
            )
            .map_err(db)?
            {
                Created::AlreadyExists => Err(format!("{login} exists already")),
                Created::Created(id) => {
                    shell_note(&conn, Event::PersonCreated, &format!("person:{id}"), now)
                        .map_err(db)?;
                    Ok(id)
                }
            }
        }
        Command::ResetPassword {
            login,
            reset_second_factor,
        } => {
            let id = accounts::person_id_by_login(&conn, &login)
                .map_err(db)?
                .ok_or(format!("no person {login}"))?;
            let pw = read_password()?;
            let name: String = conn
                .query_row("SELECT name FROM people WHERE id = ?1", [&id], |r| r.get(0))
                .map_err(db)?;
            password::check(&pw, &login, &name).map_err(str::to_owned)?;
            accounts::set_password(&conn, &id, &password::hash(&pw), now).map_err(db)?;
            if reset_second_factor {
                conn.execute("UPDATE people SET totp_secret = NULL, totp_pending = NULL, totp_last_step = NULL WHERE id = ?1", [&id]).map_err(db)?;
                conn.execute("DELETE FROM recovery_codes WHERE person_id = ?1", [&id])
                    .map_err(db)?;
            }
            crate::auth::throttle::clear_account(&conn, &login).map_err(db)?;
            shell_note(&conn, Event::PasswordChanged, &format!("person:{id}"), now).map_err(db)?;
            Ok(format!("password of {login} set; their sessions ended"))
        }
        Command::SetRoles { login, roles } => {
            let roles = parse_roles(&roles)?;
            let id = accounts::person_id_by_login(&conn, &login)
                .map_err(db)?
                .ok_or(format!("no person {login}"))?;
            accounts::set_roles(&conn, &id, &roles).map_err(db)?;
            shell_note(&conn, Event::PersonChanged, &format!("person:{id}"), now).map_err(db)?;
            Ok(format!("roles of {login} set"))
        }
        Command::SetEmail { login, email } => {
            let email =
                crate::mail::valid_address(&email).ok_or("not an e-mail address".to_owned())?;
            let id = accounts::person_id_by_login(&conn, &login)
                .map_err(db)?
                .ok_or(format!("no person {login}"))?;
            conn.execute(
                "UPDATE people SET email = NULLIF(?2, '') WHERE id = ?1",
                rusqlite::params![id, email],
            )
            .map_err(db)?;
            shell_note(&conn, Event::PersonChanged, &format!("person:{id}"), now).map_err(db)?;
            Ok(format!("e-mail of {login} set"))
        }
        Command::AddTeam { name, managers } => {
            let mut ids = Vec::new();
            for login in &managers {
                ids.push(
                    accounts::person_id_by_login(&conn, login)
                        .map_err(db)?
                        .ok_or(format!("no person {login}"))?,
                );
            }
            match accounts::create_team(&conn, name.trim(), now).map_err(db)? {
                Created::AlreadyExists => Err(format!("team {name} exists already")),
                Created::Created(id) => {
                    accounts::set_managers(&conn, &id, &ids).map_err(db)?;
                    shell_note(&conn, Event::TeamCreated, &format!("team:{id}"), now)
                        .map_err(db)?;
                    Ok(id)
                }
            }
        }
        Command::EnrollmentCode { team, person } => {
            let team_id = accounts::team_id_by_name(&conn, &team)
                .map_err(db)?
                .ok_or(format!("no team {team}"))?;
            let person_id = match person {
                Some(login) => Some(
                    accounts::person_id_by_login(&conn, &login)
                        .map_err(db)?
                        .ok_or(format!("no person {login}"))?,
                ),
                None => None,
            };
            if let Some(id) = &person_id {
                if !crate::auth::roles_of(&conn, id)
                    .map_err(db)?
                    .contains(&Role::Employee)
                {
                    return Err(
                        "a device is bound only to a person with the role medewerker".into(),
                    );
                }
            }
            let (code, expires) = accounts::create_enrollment_code(
                &conn,
                &team_id,
                person_id.as_deref(),
                "shell",
                now,
            )
            .map_err(db)?;
            shell_note(
                &conn,
                Event::EnrollmentCodeCreated,
                &format!("team:{team_id}"),
                now,
            )
            .map_err(db)?;
            Ok(format!(
                "{code}\n{origin}{}#{code}\nvalid until {expires}",
                veilig_core::route::Route::Enroll.static_path()
            ))
        }
    }
}
