//! The manager's and P&O's workspace over HTTP: the list of incoming reports, what waits, the
//! aftercare of one report, recording a task, and a task's window as a calendar file. Each
//! handler finds its caller, asks `access::can`, and lets `workspace.rs` store or select.

use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, Method};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{Duration, NaiveDateTime};
use veilig_core::aftercare::{Record, TaskKey};
use veilig_core::inbox::{AftercareView, Filter, MyTask, Page, Summary, TaskView};
use veilig_core::report::access::{self, Action, ReportRef, Role, Scope};
use veilig_core::report::validate::parse_local;
use veilig_core::report::Report;
use veilig_core::sync::ApiError;

use super::accounts::parse_up_to;
use super::caller::{Address, Caller};
use crate::audit::{note, Event};
use crate::auth::Person;
use crate::error::Failure;
use crate::state::AppState;
use crate::store;
use crate::workspace::{self, local, Reader};

/// The teams whose manager this person is (the role, not only the table).
fn managed(person: &Person) -> Vec<String> {
    if person.roles.contains(&Role::Manager) {
        person.manages.clone()
    } else {
        Vec::new()
    }
}

/// The actions a list is checked by, per report (named: a tuple variant is not a fn pointer
/// for every lifetime).
fn reading(report: ReportRef<'_>) -> Action<'_> {
    Action::ReadReport(report)
}

fn its_aftercare(report: ReportRef<'_>) -> Action<'_> {
    Action::Aftercare(report)
}

/// Runs `work` as this person reads a list: their scope, their tasks, and `can(action)` for
/// each report in it (`Action::ReadReport` for reports, `Action::Aftercare` for tasks).
fn as_reader<T>(
    person: &Person,
    action: for<'r> fn(ReportRef<'r>) -> Action<'r>,
    work: impl FnOnce(&Reader<'_>) -> T,
) -> T {
    let manages = managed(person);
    let allows = |team: &str, author: Option<&str>| {
        access::can(&person.actor(), &action(ReportRef { team, author }))
    };
    work(&reader(person, &manages, &allows))
}

fn reader<'a>(
    person: &'a Person,
    manages: &'a [String],
    allows: &'a dyn Fn(&str, Option<&str>) -> bool,
) -> Reader<'a> {
    Reader {
        person: &person.id,
        allows,
        scope: Scope::of(&person.actor()),
        is_po: person.roles.contains(&Role::HumanResources),
        manages,
    }
}

/// The incoming reports this person may read, newest first, filtered; 50 per page.
#[utoipa::path(get, path = "/api/v1/inbox",
    params(
        ("state" = Option<String>, Query, description = "`nieuw`, `te_laat`, `open` or `afgerond`"),
        ("team" = Option<String>, Query, description = "A team's id"),
        ("from" = Option<String>, Query, description = "Incident date from, `2026-01-31`"),
        ("to" = Option<String>, Query, description = "Incident date to (inclusive)"),
        ("situatie" = Option<String>, Query, description = "A key of the form's `situatie`"),
        ("soort" = Option<String>, Query, description = "A key of the form's `soort`"),
        ("extreem" = Option<String>, Query, description = "`ja` or `nee`"),
        ("letsel" = Option<String>, Query, description = "`ja` (any injury) or `nee`"),
        ("page" = Option<u32>, Query, description = "From 1"),
    ),
    responses((status = 200, body = Page), (status = 400, description = "`invalid_request`: a filter this server does not know, naming it", body = ApiError), (status = 401, description = "`unauthorized`", body = ApiError), (status = 403, description = "`second_factor_setup_required`", body = ApiError)))]
pub(crate) async fn inbox(
    State(state): State<AppState>,
    Address(address): Address,
    method: Method,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Result<Response, Failure> {
    let person = Caller::person(&state, &method, &headers).await?;
    if !access::can(&person.actor(), &Action::ListReports) {
        return Err(Failure::Forbidden);
    }
    let filter =
        Filter::parse(query.as_deref().unwrap_or("")).map_err(|bad| Failure::InvalidRequest {
            field: "query",
            message: format!("Unknown filter or value: {}.", bad.key),
        })?;
    let now = state.clock.now();
    let page = state
        .with_db(move |conn| {
            let page = as_reader(&person, reading, |r| {
                workspace::inbox(conn, r, &filter, local(now))
            })?;
            note(
                conn,
                now,
                &format!("person:{}", person.id),
                Event::InboxListed,
                None,
                Some(&address),
                "ok",
            )?;
            Ok(page)
        })
        .await
        .map_err(Failure::database)?;
    Ok(Json(page).into_response())
}

/// What waits for this person: reports not opened, their tasks due now and late.
#[utoipa::path(get, path = "/api/v1/inbox/summary",
    responses((status = 200, body = Summary), (status = 401, description = "`unauthorized`", body = ApiError), (status = 403, description = "`second_factor_setup_required`", body = ApiError)))]
pub(crate) async fn summary(
    State(state): State<AppState>,
    method: Method,
    headers: HeaderMap,
) -> Result<Response, Failure> {
    let person = Caller::person(&state, &method, &headers).await?;
    if !access::can(&person.actor(), &Action::ListReports) {
        return Err(Failure::Forbidden);
    }
    let now = state.clock.now();
    let summary = state
        .with_db(move |conn| {
            as_reader(&person, reading, |r| {
                workspace::summary(conn, r, local(now))
            })
        })
        .await
        .map_err(Failure::database)?;
    Ok(Json(summary).into_response())
}

/// This person's aftercare tasks that are due now or late, the earliest last day first.
#[utoipa::path(get, path = "/api/v1/tasks",
    responses((status = 200, body = [MyTask]), (status = 401, description = "`unauthorized`", body = ApiError), (status = 403, description = "`second_factor_setup_required`", body = ApiError)))]
pub(crate) async fn my_tasks(
    State(state): State<AppState>,
    method: Method,
    headers: HeaderMap,
) -> Result<Response, Failure> {
    let person = Caller::person(&state, &method, &headers).await?;
    if !access::can(&person.actor(), &Action::ListReports) {
        return Err(Failure::Forbidden);
    }
    let now = state.clock.now();
    let tasks = state
        .with_db(move |conn| {
            as_reader(&person, its_aftercare, |r| {
                workspace::my_tasks(conn, r, local(now))
            })
        })
        .await
        .map_err(Failure::database)?;
    Ok(Json(tasks).into_response())
}

/// A report as the aftercare needs it, if this person may see its aftercare: the incident's
/// first report (`root`, which the plan and its records belong to) and its newest version.
struct Loaded {
    root: String,
    report: Report,
    team: String,
    author: Option<String>,
}

fn load(conn: &rusqlite::Connection, id: &str, person: &Person) -> Result<Loaded, Failure> {
    let Some((body, team, author)) = store::body(conn, id).map_err(Failure::database)? else {
        return Err(Failure::NoSuchReport);
    };
    let report_ref = ReportRef {
        team: &team,
        author: author.as_deref(),
    };
    if !access::can(&person.actor(), &Action::Aftercare(report_ref)) {
        return Err(Failure::Forbidden);
    }
    // One plan per incident: a correction's aftercare is its first report's, planned from
    // the newest version (corrections stay within a team: `store::put`).
    let root = workspace::chain_root(conn, id).map_err(Failure::database)?;
    let latest = workspace::latest_version(conn, &root).map_err(Failure::database)?;
    // Accepted by core when it arrived, so it parses; a body that does not is not a report.
    let report = latest
        .or_else(|| workspace::parse_stored(&body))
        .ok_or(Failure::NoSuchReport)?;
    Ok(Loaded {
        root,
        report,
        team,
        author,
    })
}

fn view(
    conn: &rusqlite::Connection,
    id: &str,
    loaded: &Loaded,
    person: &Person,
    now: NaiveDateTime,
) -> Result<AftercareView, Failure> {
    let windows = crate::organisation::load(conn)
        .map_err(Failure::database)?
        .windows;
    let (tasks, recorded) = workspace::plan(conn, &loaded.root, &loaded.report, &windows, now)
        .map_err(Failure::database)?;
    let (corrects, corrected_by) = workspace::corrections(conn, id).map_err(Failure::database)?;
    let team_name: Option<String> = conn
        .query_row(
            "SELECT name FROM teams WHERE id = ?1",
            [&loaded.team],
            |r| r.get(0),
        )
        .ok();
    let report_ref = ReportRef {
        team: &loaded.team,
        author: loaded.author.as_deref(),
    };
    let tasks = tasks
        .into_iter()
        .map(|mut task| {
            let latest = recorded.iter().rev().find(|r| r.task == task.key);
            let mine = access::can(&person.actor(), &Action::RecordTask(report_ref, task.owner));
            // A conversation's notes are for who held it and P&O: a manager sees that P&O
            // held one (and when), not what the employee said there.
            if !mine {
                if let Some(Record::Done { notes, .. }) = &mut task.record {
                    notes.clear();
                }
            }
            TaskView {
                label: task.key.label().map(str::to_owned),
                checklist: task.key.checklist(),
                recorded_by: latest.and_then(|r| r.by_name.clone()),
                recorded_at: latest.map(|r| r.at.clone()),
                mine,
                task,
            }
        })
        .collect();
    Ok(AftercareView {
        report_id: id.to_owned(),
        team_name,
        corrects,
        corrected_by,
        tasks,
    })
}

/// The aftercare plan of one report, with what was recorded (notes included: only for the
/// team's manager and P&O).
#[utoipa::path(get, path = "/api/v1/reports/{id}/aftercare",
    params(("id" = String, Path)),
    responses((status = 200, body = AftercareView), (status = 401, description = "`unauthorized`", body = ApiError), (status = 403, description = "`forbidden`: not this report's manager nor P&O", body = ApiError), (status = 404, description = "`not_found`", body = ApiError)))]
pub(crate) async fn aftercare(
    State(state): State<AppState>,
    Path(id): Path<String>,
    method: Method,
    headers: HeaderMap,
) -> Result<Response, Failure> {
    let person = Caller::person(&state, &method, &headers).await?;
    let now = local(state.clock.now());
    let view = state
        .with_db(move |conn| {
            Ok(load(conn, &id, &person).and_then(|loaded| view(conn, &id, &loaded, &person, now)))
        })
        .await
        .map_err(Failure::database)??;
    Ok(Json(view).into_response())
}

/// Records a task: a conversation held (date, by whom, notes, checklist), an action done, or
/// the employee's wish (no aftercare, no consent for the team meeting). A newer record of the
/// same task replaces the older one in the plan; both are kept. The date must lie between the
/// incident's day and today, and the task must be one of this report's plan (an extreme
/// incident's tasks exist only on an extreme incident): otherwise 400 or 404.
#[utoipa::path(put, path = "/api/v1/reports/{id}/aftercare/{task}",
    params(("id" = String, Path), ("task" = TaskKey, Path)),
    request_body = Record,
    responses((status = 200, body = AftercareView), (status = 400, description = "`invalid_request`: the record, naming the problem", body = ApiError), (status = 401, description = "`unauthorized`", body = ApiError), (status = 403, description = "`forbidden`: not a task this person may record", body = ApiError), (status = 404, description = "`not_found`: no such report, or no such task in its plan", body = ApiError)))]
pub(crate) async fn record(
    State(state): State<AppState>,
    Path((id, task)): Path<(String, String)>,
    Address(address): Address,
    method: Method,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Response, Failure> {
    let person = Caller::person(&state, &method, &headers).await?;
    let task = TaskKey::parse(&task).ok_or(Failure::NoSuchEndpoint)?;
    // Room for the longest notes and name core allows, in 4-byte characters, and the rest.
    let limit =
        4 * (veilig_core::aftercare::MAX_NOTES + veilig_core::aftercare::MAX_HELD_BY) + 2048;
    let record: Record = parse_up_to(&body, limit)?;
    let now_utc = state.clock.now();
    let now = local(now_utc);
    let view = state
        .with_db(move |conn| {
            let loaded = match load(conn, &id, &person) {
                Ok(l) => l,
                Err(f) => return Ok(Err(f)),
            };
            let windows = crate::organisation::load(conn)?.windows;
            let (tasks, _) = workspace::plan(conn, &loaded.root, &loaded.report, &windows, now)?;
            let Some(planned) = tasks.iter().find(|t| t.key == task) else {
                return Ok(Err(Failure::NoSuchEndpoint));
            };
            let report_ref = ReportRef {
                team: &loaded.team,
                author: loaded.author.as_deref(),
            };
            if !access::can(
                &person.actor(),
                &Action::RecordTask(report_ref, planned.owner),
            ) {
                return Ok(Err(Failure::Forbidden));
            }
            let incident = parse_local(loaded.report.text("datum_tijd"))
                .map(|t| t.date())
                .unwrap_or(now.date());
            if let Some([_, en]) = record.problem(task, incident, now.date()) {
                return Ok(Err(Failure::InvalidRequest {
                    field: "record",
                    message: en.to_owned(),
                }));
            }
            let at = crate::auth::stamp(now_utc);
            workspace::record(
                conn,
                &loaded.root,
                &loaded.report,
                task,
                &record,
                &person.id,
                &at,
            )?;
            note(
                conn,
                now_utc,
                &format!("person:{}", person.id),
                Event::AftercareRecorded,
                // Not the task: its name would tell the beheerder, who reads the trail, of an
                // injury or an extreme incident.
                Some(&format!("report:{id}")),
                Some(&address),
                "ok",
            )?;
            Ok(view(conn, &id, &loaded, &person, now))
        })
        .await
        .map_err(Failure::database)??;
    Ok(Json(view).into_response())
}

/// A task's window as one calendar event (iCalendar, RFC 5545): whole days from its first to
/// its last day, a link to the report in the workspace, and no personal data.
#[utoipa::path(get, path = "/api/v1/reports/{id}/aftercare/{task}/calendar.ics",
    params(("id" = String, Path), ("task" = TaskKey, Path)),
    responses((status = 200, description = "One VEVENT", content_type = "text/calendar"), (status = 401, description = "`unauthorized`", body = ApiError), (status = 403, description = "`forbidden`", body = ApiError), (status = 404, description = "`not_found`", body = ApiError)))]
pub(crate) async fn calendar(
    State(state): State<AppState>,
    Path((id, task)): Path<(String, String)>,
    method: Method,
    headers: HeaderMap,
) -> Result<Response, Failure> {
    let person = Caller::person(&state, &method, &headers).await?;
    let task = TaskKey::parse(&task).ok_or(Failure::NoSuchEndpoint)?;
    let now_utc = state.clock.now();
    // The link in the event: the public address, else the one this request came to.
    let base = state
        .public_url
        .as_deref()
        .map(str::to_owned)
        .unwrap_or_else(|| {
            let host = headers
                .get(header::HOST)
                .and_then(|h| h.to_str().ok())
                .unwrap_or("localhost");
            format!("http://{host}")
        });
    let ics = state
        .with_db(move |conn| {
            let loaded = match load(conn, &id, &person) {
                Ok(l) => l,
                Err(f) => return Ok(Err(f)),
            };
            let windows = crate::organisation::load(conn)?.windows;
            let (tasks, _) =
                workspace::plan(conn, &loaded.root, &loaded.report, &windows, local(now_utc))?;
            let Some(planned) = tasks.iter().find(|t| t.key == task) else {
                return Ok(Err(Failure::NoSuchEndpoint));
            };
            let incident = parse_local(loaded.report.text("datum_tijd")).unwrap_or(planned.from);
            Ok(Ok(ics_event(
                &loaded.root,
                planned,
                incident,
                now_utc,
                &base,
            )))
        })
        .await
        .map_err(Failure::database)??;
    Ok((
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"nazorg.ics\"",
            ),
        ],
        ics,
    )
        .into_response())
}

/// The event text. Its words are the task's name and the incident's date only.
pub fn ics_event(
    report_id: &str,
    task: &veilig_core::aftercare::Task,
    incident: NaiveDateTime,
    now: chrono::DateTime<chrono::Utc>,
    base: &str,
) -> String {
    let [nl, _] = task.key.label();
    let first = task.from.date();
    // DTEND of an all-day event is the day after the last one (RFC 5545 3.6.1).
    let end = task.due.date() + Duration::days(1);
    let url = format!("{base}/werkruimte/registratie/{report_id}");
    let lines = [
        "BEGIN:VCALENDAR".to_owned(),
        "VERSION:2.0".to_owned(),
        "PRODID:-//Veilig//Nazorg//NL".to_owned(),
        "CALSCALE:GREGORIAN".to_owned(),
        "METHOD:PUBLISH".to_owned(),
        "BEGIN:VEVENT".to_owned(),
        format!("UID:{report_id}-{}@veilig", task.key.as_str()),
        format!("DTSTAMP:{}", now.format("%Y%m%dT%H%M%SZ")),
        format!("DTSTART;VALUE=DATE:{}", first.format("%Y%m%d")),
        format!("DTEND;VALUE=DATE:{}", end.format("%Y%m%d")),
        ics_text("SUMMARY", &format!("Veilig: {nl}")),
        ics_text(
            "DESCRIPTION",
            &format!(
                "Nazorg na het incident van {}. Uiterlijk {}. Open de registratie: {url}",
                incident.format("%d-%m-%Y"),
                task.due.format("%d-%m-%Y %H:%M")
            ),
        ),
        format!("URL:{url}"),
        "END:VEVENT".to_owned(),
        "END:VCALENDAR".to_owned(),
    ];
    let mut out = String::new();
    for line in lines {
        out.push_str(&fold(&line));
        out.push_str("\r\n");
    }
    out
}

/// A text property with RFC 5545's escapes.
fn ics_text(name: &str, value: &str) -> String {
    let escaped = value
        .replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace('\n', "\\n");
    format!("{name}:{escaped}")
}

/// Lines longer than 75 octets are folded (RFC 5545 3.1), never inside a character.
fn fold(line: &str) -> String {
    let mut out = String::new();
    let mut len = 0;
    for c in line.chars() {
        if len + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            len = 1;
        }
        out.push(c);
        len += c.len_utf8();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use veilig_core::aftercare::{Owner, TaskState};

    #[test]
    fn a_calendar_event_spans_the_tasks_days_and_folds_long_lines() {
        let task = veilig_core::aftercare::Task {
            key: TaskKey::TweedeGesprek,
            owner: Owner::Leidinggevende,
            from: parse_local("2026-01-06T10:15").unwrap(),
            due: parse_local("2026-01-08T10:15").unwrap(),
            direct: false,
            state: TaskState::Gepland,
            record: None,
            from_report: false,
        };
        let now = chrono::DateTime::parse_from_rfc3339("2026-01-05T12:00:00Z")
            .unwrap()
            .to_utc();
        let incident = parse_local("2026-01-05T10:15").unwrap();
        let ics = ics_event("r1", &task, incident, now, "https://veilig.example.nl");
        assert!(ics.contains("DTSTART;VALUE=DATE:20260106\r\n"));
        assert!(ics.contains("DTEND;VALUE=DATE:20260109\r\n"));
        assert!(ics.contains("SUMMARY:Veilig: Tweede gesprek\r\n"));
        assert_eq!(ics.matches("BEGIN:VEVENT").count(), 1);
        assert!(ics.lines().all(|l| l.len() <= 75));
        // Unfolded, the link is whole and the incident's own date is named.
        let unfolded = ics.replace("\r\n ", "");
        assert!(unfolded.contains("incident van 05-01-2026."), "{unfolded}");
        assert!(unfolded.contains("https://veilig.example.nl/werkruimte/registratie/r1"));
    }
}
