//! The workspace's data: what the list of incoming reports filters on, who opened what, the
//! aftercare records, and a copy of each report's aftercare plan for lists over many reports.
//!
//! Every decision is core's: `aftercare::plan` makes the plan, `access::Scope` says which
//! reports a person's list holds (and agrees with `access::can`), `inbox::Filter` is the query.
//! This module only stores and selects. Times of tasks are the incident's local wall-clock time
//! (as typed on the form), so "now" is the organisation's local time: Europe/Amsterdam, the
//! protocol's country.

use chrono::{DateTime, NaiveDateTime, Timelike, Utc};
use rusqlite::types::Value as Sql;
use rusqlite::{params, params_from_iter, Connection, OptionalExtension};
use veilig_core::aftercare::{self, Owner, Record, TaskKey, TaskState, Windows};
use veilig_core::inbox::{Filter, Item, MyTask, Page, StateFilter, Summary, TaskBrief, PAGE_SIZE};
use veilig_core::report::access::Scope;
use veilig_core::report::derive::is_extreme;
use veilig_core::report::validate::parse_local;
use veilig_core::report::Report;

/// The organisation's local time, in which incidents are typed and tasks fall due.
/// To the minute, the precision of the form's times and of the stored task copy, so that the
/// report's page and the lists agree on the minute a task falls late.
pub fn local(now: DateTime<Utc>) -> NaiveDateTime {
    let t = now
        .with_timezone(&chrono_tz::Europe::Amsterdam)
        .naive_local();
    t.date().and_hms_opt(t.hour(), t.minute(), 0).unwrap_or(t)
}

/// Tasks' times as stored and compared (text order is time order).
pub fn stamp(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%dT%H:%M").to_string()
}

/// A stored report's body as core's current report (older schema versions migrated).
pub fn parse_stored(body: &[u8]) -> Option<Report> {
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    let version = value.get("schema_version")?.as_u64()? as u32;
    let current = veilig_core::report::migrate::to_current(value, version).ok()?;
    serde_json::from_value(current).ok()
}

/// The latest record of each task of a report, oldest first, with who and when.
pub struct Recorded {
    pub task: TaskKey,
    pub record: Record,
    pub by_name: Option<String>,
    pub at: String,
}

pub fn records(conn: &Connection, report_id: &str) -> rusqlite::Result<Vec<Recorded>> {
    let mut stmt = conn.prepare_cached(
        "SELECT a.task, a.record, p.name, a.recorded_at FROM aftercare_records a
         LEFT JOIN people p ON p.id = a.recorded_by
         WHERE a.report_id = ?1 ORDER BY a.seq",
    )?;
    let rows = stmt.query_map([report_id], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, Option<String>>(2)?,
            r.get::<_, String>(3)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (task, record, by_name, at) = row?;
        // Written by this server after core checked them; skip what a newer one may write.
        if let (Some(task), Ok(record)) = (TaskKey::parse(&task), serde_json::from_str(&record)) {
            out.push(Recorded {
                task,
                record,
                by_name,
                at,
            });
        }
    }
    Ok(out)
}

/// The plan of a stored report at `now` (local), from core.
pub fn plan(
    conn: &Connection,
    report_id: &str,
    report: &Report,
    windows: &Windows,
    now: NaiveDateTime,
) -> rusqlite::Result<(Vec<aftercare::Task>, Vec<Recorded>)> {
    let recorded = records(conn, report_id)?;
    let pairs: Vec<(TaskKey, Record)> = recorded
        .iter()
        .map(|r| (r.task, r.record.clone()))
        .collect();
    let tasks = aftercare::plan(report, windows, &pairs, now).unwrap_or_default();
    Ok((tasks, recorded))
}

fn owner_str(owner: Owner) -> &'static str {
    match owner {
        Owner::Leidinggevende => "leidinggevende",
        Owner::Po => "po",
    }
}

/// Writes the list columns and the task copy of one report, in the caller's transaction
/// (at arrival, the same one that stores the report).
pub fn index_report(conn: &Connection, id: &str, report: &Report) -> rusqlite::Result<()> {
    let soort = format!(" {} ", report.many("soort").join(" "));
    conn.execute(
        "INSERT OR REPLACE INTO report_list (seq, id, received_at, team_id, author_id,
            incident_at, situatie, soort, extreem, letsel, corrects)
         SELECT seq, id, received_at, team_id, author_id, ?2, ?3, ?4, ?5, ?6, ?7
         FROM reports WHERE id = ?1",
        params![
            id,
            report.text("datum_tijd"),
            report.text("situatie"),
            soort,
            is_extreme(report),
            report.text("letsel"),
            report.corrects,
        ],
    )?;
    let windows = crate::organisation::load(conn)?.windows;
    if report.corrects.is_some() {
        // A correction is a new version of the same incident: the aftercare stays with the
        // first report of the chain and follows this newest version (a changed injury can
        // make the inspectorate task direct); the correction has no tasks of its own.
        let root = chain_root(conn, id)?;
        conn.execute("DELETE FROM tasks WHERE report_id = ?1", [id])?;
        conn.execute(
            "UPDATE report_list SET open_tasks = 0, first_due = NULL WHERE id = ?1",
            [id],
        )?;
        replan(conn, &root, report, &windows)
    } else {
        replan(conn, id, report, &windows)
    }
}

/// The first report of a chain of corrections: the incident whose aftercare this is.
pub fn chain_root(conn: &Connection, id: &str) -> rusqlite::Result<String> {
    let mut current = id.to_owned();
    // A chain is made one correction at a time by people; the bound only guards a cycle.
    for _ in 0..1_000 {
        let up: Option<String> = conn
            .query_row(
                "SELECT corrects FROM report_list WHERE id = ?1",
                [&current],
                |r| r.get(0),
            )
            .optional()?
            .flatten();
        match up {
            Some(up) if up != current => current = up,
            _ => break,
        }
    }
    Ok(current)
}

/// The newest version of the incident whose first report is `root` (the latest correction of
/// the latest correction …), parsed.
pub fn latest_version(conn: &Connection, root: &str) -> rusqlite::Result<Option<Report>> {
    let mut current = root.to_owned();
    for _ in 0..1_000 {
        let down: Option<String> = conn
            .query_row(
                "SELECT id FROM report_list WHERE corrects = ?1 ORDER BY seq DESC LIMIT 1",
                [&current],
                |r| r.get(0),
            )
            .optional()?;
        match down {
            Some(down) if down != current => current = down,
            _ => break,
        }
    }
    let body: Option<Vec<u8>> = conn
        .query_row("SELECT body FROM reports WHERE id = ?1", [&current], |r| {
            r.get(0)
        })
        .optional()?;
    Ok(body.and_then(|b| parse_stored(&b)))
}

/// Rewrites the task copy of one report from core's plan (after a record, or new windows).
pub fn replan(
    conn: &Connection,
    id: &str,
    report: &Report,
    windows: &Windows,
) -> rusqlite::Result<()> {
    // The states depend on "now"; the copy keeps only what does not: window and closed.
    let (tasks, _) = plan(conn, id, report, windows, NaiveDateTime::MIN)?;
    conn.execute("DELETE FROM tasks WHERE report_id = ?1", [id])?;
    let mut insert = conn.prepare_cached(
        "INSERT INTO tasks (report_id, task, owner, team_id, from_at, due_at, direct, closed)
         SELECT ?1, ?2, ?3, team_id, ?4, ?5, ?6, ?7 FROM report_list WHERE id = ?1",
    )?;
    let mut open = 0;
    let mut first_due: Option<String> = None;
    for t in tasks {
        if t.state.is_open() {
            open += 1;
            let due = stamp(t.due);
            if first_due.as_ref().is_none_or(|d| due < *d) {
                first_due = Some(due);
            }
        }
        insert.execute(params![
            id,
            t.key.as_str(),
            owner_str(t.owner),
            stamp(t.from),
            stamp(t.due),
            t.direct,
            !t.state.is_open(),
        ])?;
    }
    conn.execute(
        "UPDATE report_list SET open_tasks = ?2, first_due = ?3 WHERE id = ?1",
        params![id, open, first_due],
    )?;
    Ok(())
}

/// After the windows changed: every report's task copy again, in the caller's transaction
/// (the one that saved the windows).
pub fn replan_all(tx: &Connection) -> rusqlite::Result<usize> {
    let windows = crate::organisation::load(tx)?.windows;
    // One plan per incident: the first report of each chain, from its newest version.
    let roots: Vec<String> = {
        let mut stmt = tx.prepare("SELECT id FROM report_list WHERE corrects IS NULL")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let mut n = 0;
    for root in roots {
        if let Some(report) = latest_version(tx, &root)? {
            replan(tx, &root, &report, &windows)?;
            n += 1;
        }
    }
    Ok(n)
}

/// Reports received before the workspace existed get their list columns and tasks at start.
pub fn backfill(conn: &mut Connection) -> rusqlite::Result<usize> {
    // Every start asks; almost always nothing is missing. Two counts answer that from the
    // indexes, where the search below would read the reports table (its bodies' pages: 1.3 s
    // cold on 100,000 reports, measured). Reports are never deleted, so equal counts mean
    // every report is in the list.
    let complete: bool = conn.query_row(
        "SELECT (SELECT COUNT(*) FROM reports) = (SELECT COUNT(*) FROM report_list)",
        [],
        |r| r.get(0),
    )?;
    if complete {
        return Ok(0);
    }
    let tx = conn.transaction()?;
    let rows: Vec<(String, Vec<u8>)> = {
        let mut stmt = tx
            .prepare("SELECT id, body FROM reports WHERE id NOT IN (SELECT id FROM report_list) ORDER BY seq")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let mut n = 0;
    for (id, body) in rows {
        if let Some(report) = parse_stored(&body) {
            index_report(&tx, &id, &report)?;
            n += 1;
        }
    }
    tx.commit()?;
    Ok(n)
}

/// Who is asking, as far as the lists are concerned.
pub struct Reader<'a> {
    pub person: &'a str,
    /// `access::can` for this list's action (reading a report, its aftercare) on a report of
    /// this team and author: asked for every report or task returned, after the SQL selected it.
    pub allows: &'a dyn Fn(&str, Option<&str>) -> bool,
    pub scope: Scope,
    /// P&O: P&O's tasks are theirs (on every report).
    pub is_po: bool,
    /// Teams whose manager tasks are theirs.
    pub manages: &'a [String],
}

impl Reader<'_> {
    fn owns(&self, owner: &str, team: Option<&str>) -> bool {
        match owner {
            "po" => self.is_po,
            _ => team.is_some_and(|t| self.manages.iter().any(|m| m == t)),
        }
    }
}

/// `(sql, params)` of the scope: which reports this person's list holds.
fn scope_sql(scope: &Scope, params: &mut Vec<Sql>) -> String {
    if scope.all {
        return "1".into();
    }
    let mut parts = Vec::new();
    if !scope.teams.is_empty() {
        let marks: Vec<&str> = scope.teams.iter().map(|_| "?").collect();
        parts.push(format!("r.team_id IN ({})", marks.join(",")));
        params.extend(scope.teams.iter().map(|t| Sql::Text(t.clone())));
    }
    if let Some(author) = &scope.author {
        parts.push("r.author_id = ?".into());
        params.push(Sql::Text(author.clone()));
    }
    if parts.is_empty() {
        "0".into()
    } else {
        format!("({})", parts.join(" OR "))
    }
}

/// One page of a person's list: newest first, filtered, with their tasks on each report.
pub fn inbox(
    conn: &Connection,
    reader: &Reader<'_>,
    filter: &Filter,
    now: NaiveDateTime,
) -> rusqlite::Result<Page> {
    let now_s = stamp(now);
    let mut params: Vec<Sql> = vec![Sql::Text(reader.person.to_owned())];
    let mut wheres = vec![scope_sql(&reader.scope, &mut params)];
    match filter.state {
        Some(StateFilter::Nieuw) => wheres.push("o.report_id IS NULL".into()),
        Some(StateFilter::TeLaat) => {
            // Late for this reader: one of their own tasks (not P&O's paperwork on a
            // manager's list), as the summary counts them.
            params.push(Sql::Text(now_s.clone()));
            params.push(Sql::Text(now_s.clone()));
            let mine = mine_sql(reader, &mut params);
            wheres.push(format!(
                "r.first_due < ? AND EXISTS (SELECT 1 FROM tasks k WHERE k.report_id = r.id
                 AND k.closed = 0 AND k.due_at < ? AND {mine})"
            ));
        }
        Some(StateFilter::Open) => wheres.push("r.open_tasks > 0".into()),
        Some(StateFilter::Afgerond) => wheres.push("r.open_tasks = 0".into()),
        None => {}
    }
    if let Some(team) = &filter.team {
        wheres.push("r.team_id = ?".into());
        params.push(Sql::Text(team.clone()));
    }
    if let Some(from) = filter.from {
        wheres.push("r.incident_at >= ?".into());
        params.push(Sql::Text(from.format("%Y-%m-%d").to_string()));
    }
    if let Some(to) = filter.to {
        // Up to and including that day: everything before the next one.
        wheres.push("r.incident_at < ?".into());
        let next = to.succ_opt().unwrap_or(to);
        params.push(Sql::Text(next.format("%Y-%m-%d").to_string()));
    }
    if let Some(s) = &filter.situatie {
        wheres.push("r.situatie = ?".into());
        params.push(Sql::Text(s.clone()));
    }
    if let Some(s) = &filter.soort {
        wheres.push("r.soort LIKE ?".into());
        params.push(Sql::Text(format!("% {s} %")));
    }
    if let Some(e) = filter.extreem {
        wheres.push("r.extreem = ?".into());
        params.push(Sql::Integer(e.into()));
    }
    if let Some(l) = filter.letsel {
        wheres.push(if l {
            "r.letsel <> 'geen'".into()
        } else {
            "r.letsel = 'geen'".into()
        });
    }
    let from = "FROM report_list r
        LEFT JOIN report_opened o ON o.person_id = ?1 AND o.report_id = r.id";
    let where_sql = wheres.join(" AND ");
    let total: i64 = conn.query_row(
        &format!("SELECT COUNT(*) {from} WHERE {where_sql}"),
        params_from_iter(params.iter()),
        |r| r.get(0),
    )?;
    let offset = i64::from(filter.page.saturating_sub(1)) * i64::from(PAGE_SIZE);
    let mut page_params = params.clone();
    page_params.push(Sql::Integer(i64::from(PAGE_SIZE)));
    page_params.push(Sql::Integer(offset));
    let mut stmt = conn.prepare(&format!(
        "SELECT r.id, r.received_at, r.incident_at, r.team_id, t.name, r.situatie, r.soort,
                r.extreem, r.letsel, r.corrects, o.report_id IS NULL, r.author_id
         {from} LEFT JOIN teams t ON t.id = r.team_id
         WHERE {where_sql} ORDER BY r.seq DESC LIMIT ? OFFSET ?"
    ))?;
    let rows = stmt.query_map(params_from_iter(page_params.iter()), |r| {
        let received: String = r.get(1)?;
        let author: Option<String> = r.get(11)?;
        Ok((
            author,
            Item {
                id: r.get(0)?,
                received_at: DateTime::parse_from_rfc3339(&received)
                    .map(|t| t.with_timezone(&Utc))
                    .unwrap_or_default(),
                incident_at: r.get::<_, Option<String>>(2)?.unwrap_or_default(),
                team: r.get(3)?,
                team_name: r.get(4)?,
                situatie: r.get::<_, Option<String>>(5)?.unwrap_or_default(),
                soort: r
                    .get::<_, Option<String>>(6)?
                    .unwrap_or_default()
                    .split_whitespace()
                    .map(str::to_owned)
                    .collect(),
                extreem: r.get::<_, Option<bool>>(7)?.unwrap_or(false),
                letsel: r.get(8)?,
                corrects: r.get(9)?,
                new: r.get(10)?,
                my_tasks: Vec::new(),
                worst: None,
            },
        ))
    })?;
    let mut items = Vec::new();
    for row in rows {
        let (author, item) = row?;
        if (reader.allows)(item.team.as_deref().unwrap_or(""), author.as_deref()) {
            items.push(item);
        }
    }
    for item in &mut items {
        let tasks = open_tasks_of(conn, &item.id)?;
        for t in &tasks {
            let state = state_of(t, now);
            item.worst = Some(item.worst.map_or(state, |w| w.min(state)));
            if reader.owns(&t.owner, item.team.as_deref()) {
                item.my_tasks.push(TaskBrief {
                    key: t.key,
                    state,
                    due: t.due.clone(),
                    direct: t.direct,
                });
            }
        }
        item.my_tasks
            .sort_by(|a, b| (a.state, &a.due).cmp(&(b.state, &b.due)));
    }
    Ok(Page {
        total: total as u64,
        page: filter.page,
        page_size: PAGE_SIZE,
        items,
    })
}

struct OpenTask {
    key: TaskKey,
    owner: String,
    from: String,
    due: String,
    direct: bool,
}

fn open_tasks_of(conn: &Connection, report_id: &str) -> rusqlite::Result<Vec<OpenTask>> {
    let mut stmt = conn.prepare_cached(
        "SELECT task, owner, from_at, due_at, direct FROM tasks
         WHERE report_id = ?1 AND closed = 0",
    )?;
    let rows = stmt.query_map([report_id], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get(1)?,
            r.get(2)?,
            r.get(3)?,
            r.get(4)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (key, owner, from, due, direct) = row?;
        if let Some(key) = TaskKey::parse(&key) {
            out.push(OpenTask {
                key,
                owner,
                from,
                due,
                direct,
            });
        }
    }
    Ok(out)
}

/// Core's rule for an open task (`aftercare::open_state`), on the stored copy's text times.
fn state_of(t: &OpenTask, now: NaiveDateTime) -> TaskState {
    match (parse_local(&t.from), parse_local(&t.due)) {
        (Some(from), Some(due)) => aftercare::open_state(from, due, now),
        // Written by this server as `stamp`; unreadable only if edited by hand.
        _ => TaskState::TeLaat,
    }
}

/// `(sql, params)`: tasks that are this reader's.
fn mine_sql(reader: &Reader<'_>, params: &mut Vec<Sql>) -> String {
    let mut parts = Vec::new();
    if reader.is_po {
        parts.push("k.owner = 'po'".to_owned());
    }
    if !reader.manages.is_empty() {
        let marks: Vec<&str> = reader.manages.iter().map(|_| "?").collect();
        parts.push(format!(
            "(k.owner = 'leidinggevende' AND k.team_id IN ({}))",
            marks.join(",")
        ));
        params.extend(reader.manages.iter().map(|t| Sql::Text(t.clone())));
    }
    if parts.is_empty() {
        "0".into()
    } else {
        format!("({})", parts.join(" OR "))
    }
}

/// What waits for this person: reports not opened, their tasks due now and late.
pub fn summary(
    conn: &Connection,
    reader: &Reader<'_>,
    now: NaiveDateTime,
) -> rusqlite::Result<Summary> {
    let mut params: Vec<Sql> = vec![Sql::Text(reader.person.to_owned())];
    let scope = scope_sql(&reader.scope, &mut params);
    let new_reports: i64 = conn.query_row(
        // `?1` (the person) comes first in the text: the scope's bare `?`s number on from it.
        &format!(
            "SELECT COUNT(*) FROM report_list r
             LEFT JOIN report_opened o ON o.person_id = ?1 AND o.report_id = r.id
             WHERE o.report_id IS NULL AND {scope}"
        ),
        params_from_iter(params.iter()),
        |r| r.get(0),
    )?;
    let now_s = stamp(now);
    let mut params: Vec<Sql> = vec![Sql::Text(now_s)];
    let mine = mine_sql(reader, &mut params);
    let (due, late): (i64, i64) = conn.query_row(
        &format!(
            "SELECT COALESCE(SUM(k.from_at <= ?1 AND k.due_at >= ?1), 0),
                    COALESCE(SUM(k.due_at < ?1), 0)
             FROM tasks k WHERE k.closed = 0 AND {mine}"
        ),
        params_from_iter(params.iter()),
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok(Summary {
        new_reports: new_reports as u64,
        due_tasks: due as u64,
        late_tasks: late as u64,
    })
}

/// Most tasks in the list at the top of the workspace.
pub const MY_TASKS_MAX: i64 = 200;

/// This person's open tasks that are due now or late, the earliest last day first.
pub fn my_tasks(
    conn: &Connection,
    reader: &Reader<'_>,
    now: NaiveDateTime,
) -> rusqlite::Result<Vec<MyTask>> {
    let now_s = stamp(now);
    let mut params: Vec<Sql> = vec![Sql::Text(now_s.clone())];
    let mine = mine_sql(reader, &mut params);
    params.push(Sql::Integer(MY_TASKS_MAX));
    let mut stmt = conn.prepare(&format!(
        "SELECT k.report_id, r.incident_at, t.name, k.task, k.owner, k.from_at, k.due_at, k.direct,
                r.team_id, r.author_id
         FROM tasks k JOIN report_list r ON r.id = k.report_id LEFT JOIN teams t ON t.id = r.team_id
         WHERE k.closed = 0 AND k.from_at <= ?1 AND {mine}
         ORDER BY k.due_at, k.report_id LIMIT ?"
    ))?;
    let rows = stmt.query_map(params_from_iter(params.iter()), |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, Option<String>>(1)?,
            r.get::<_, Option<String>>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, String>(5)?,
            r.get::<_, String>(6)?,
            r.get::<_, bool>(7)?,
            r.get::<_, Option<String>>(8)?,
            r.get::<_, Option<String>>(9)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (report_id, incident_at, team_name, key, owner, from, due, direct, team, author) = row?;
        let Some(key) = TaskKey::parse(&key) else {
            continue;
        };
        if !(reader.allows)(team.as_deref().unwrap_or(""), author.as_deref()) {
            continue;
        }
        let open = OpenTask {
            key,
            owner,
            from,
            due,
            direct,
        };
        out.push(MyTask {
            report_id,
            incident_at: incident_at.unwrap_or_default(),
            team_name,
            task: TaskBrief {
                key,
                state: state_of(&open, now),
                due: open.due.clone(),
                direct,
            },
        });
    }
    Ok(out)
}

/// Records that this person opened the report (it is no longer new to them).
pub fn opened(conn: &Connection, person: &str, report: &str, at: &str) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT OR IGNORE INTO report_opened (person_id, report_id, opened_at) VALUES (?1, ?2, ?3)",
        params![person, report, at],
    )
    .map(drop)
}

/// The report a correction corrects, and the reports that correct this one.
pub fn corrections(
    conn: &Connection,
    report_id: &str,
) -> rusqlite::Result<(Option<String>, Vec<String>)> {
    let corrects: Option<String> = conn
        .query_row(
            "SELECT corrects FROM report_list WHERE id = ?1",
            [report_id],
            |r| r.get(0),
        )
        .optional()?
        .flatten();
    let mut stmt =
        conn.prepare_cached("SELECT id FROM report_list WHERE corrects = ?1 ORDER BY seq")?;
    let by = stmt
        .query_map([report_id], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?;
    Ok((corrects, by))
}

/// Keeps a record (append-only) and rewrites the report's task copy, in one transaction.
pub fn record(
    conn: &mut Connection,
    report_id: &str,
    report: &Report,
    task: TaskKey,
    record: &Record,
    person: &str,
    at: &str,
) -> rusqlite::Result<()> {
    let tx = conn.transaction()?;
    tx.execute(
        "INSERT INTO aftercare_records (report_id, task, record, recorded_by, recorded_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            report_id,
            task.as_str(),
            serde_json::to_string(record).unwrap_or_default(),
            person,
            at
        ],
    )?;
    let windows = crate::organisation::load(&tx)?.windows;
    replan(&tx, report_id, report, &windows)?;
    tx.commit()
}
