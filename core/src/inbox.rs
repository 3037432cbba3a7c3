//! The workspace's incoming reports: the filter a manager or P&O sets, and the list the server
//! answers. One definition for both sides: the server parses the query with [`Filter::parse`],
//! the workspace writes it with [`Filter::query`].

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::aftercare::{Task, TaskKey, TaskState};

/// Reports on one page of the list.
pub const PAGE_SIZE: u32 = 50;

/// Which reports, by where their aftercare stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum StateFilter {
    /// Not opened by this person yet.
    Nieuw,
    /// With a task of this person's that is late.
    TeLaat,
    /// With an open task (late, now, or planned).
    Open,
    /// Every task done or dropped.
    Afgerond,
}

impl StateFilter {
    pub const ALL: [StateFilter; 4] = [
        StateFilter::Nieuw,
        StateFilter::TeLaat,
        StateFilter::Open,
        StateFilter::Afgerond,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            StateFilter::Nieuw => "nieuw",
            StateFilter::TeLaat => "te_laat",
            StateFilter::Open => "open",
            StateFilter::Afgerond => "afgerond",
        }
    }
}

/// The list's filters; every one optional. Written as a query string of plain keys.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub state: Option<StateFilter>,
    /// A team's id.
    pub team: Option<String>,
    /// Incident date from (inclusive).
    pub from: Option<NaiveDate>,
    /// Incident date to (inclusive).
    pub to: Option<NaiveDate>,
    /// The form's `situatie` key.
    pub situatie: Option<String>,
    /// One of the form's `soort` keys.
    pub soort: Option<String>,
    pub extreem: Option<bool>,
    /// Any injury beyond "geen".
    pub letsel: Option<bool>,
    /// Page number, from 1.
    pub page: u32,
}

/// A query the server cannot use, with the key it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadFilter {
    pub key: String,
}

impl Filter {
    /// Parses `state=te_laat&team=...&from=2026-01-01&extreem=ja&page=2`. Unknown keys, a key
    /// given twice, and values that are not one of the form's keys are refused (a typo must not
    /// silently show everything).
    pub fn parse(query: &str) -> Result<Filter, BadFilter> {
        let mut f = Filter {
            page: 1,
            ..Filter::default()
        };
        let mut seen: Vec<String> = Vec::new();
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (key, raw) = pair.split_once('=').unwrap_or((pair, ""));
            let bad = || BadFilter {
                key: key.chars().take(40).collect(),
            };
            let value = decode(raw).ok_or_else(bad)?;
            if seen.iter().any(|k| k == key) {
                return Err(bad());
            }
            seen.push(key.to_owned());
            let date = |v: &str| NaiveDate::parse_from_str(v, "%Y-%m-%d").ok();
            let yes_no = |v: &str| match v {
                "ja" => Some(true),
                "nee" => Some(false),
                _ => None,
            };
            let choice = |field: &str, v: &str| {
                crate::report::schema::field(field).and_then(|spec| match spec.kind {
                    crate::report::schema::FieldKind::Choice(o)
                    | crate::report::schema::FieldKind::Multi(o) => {
                        o.iter().find(|c| c.key == v).map(|c| c.key.to_owned())
                    }
                    _ => None,
                })
            };
            match key {
                "state" => {
                    f.state = Some(
                        StateFilter::ALL
                            .into_iter()
                            .find(|s| s.as_str() == value)
                            .ok_or_else(bad)?,
                    )
                }
                "team" if is_id(&value) => f.team = Some(value),
                "from" => f.from = Some(date(&value).ok_or_else(bad)?),
                "to" => f.to = Some(date(&value).ok_or_else(bad)?),
                "situatie" => f.situatie = Some(choice("situatie", &value).ok_or_else(bad)?),
                "soort" => f.soort = Some(choice("soort", &value).ok_or_else(bad)?),
                "extreem" => f.extreem = Some(yes_no(&value).ok_or_else(bad)?),
                "letsel" => f.letsel = Some(yes_no(&value).ok_or_else(bad)?),
                "page" => {
                    f.page = value
                        .parse()
                        .ok()
                        .filter(|p| (1..=100_000).contains(p))
                        .ok_or_else(bad)?
                }
                _ => return Err(bad()),
            }
        }
        Ok(f)
    }

    /// The query string for this filter (without `?`); the empty filter gives "".
    pub fn query(&self) -> String {
        let yes_no = |b: bool| if b { "ja" } else { "nee" };
        let mut parts: Vec<String> = Vec::new();
        if let Some(s) = self.state {
            parts.push(format!("state={}", s.as_str()));
        }
        if let Some(t) = &self.team {
            parts.push(format!("team={t}"));
        }
        if let Some(d) = self.from {
            parts.push(format!("from={d}"));
        }
        if let Some(d) = self.to {
            parts.push(format!("to={d}"));
        }
        if let Some(s) = &self.situatie {
            parts.push(format!("situatie={s}"));
        }
        if let Some(s) = &self.soort {
            parts.push(format!("soort={s}"));
        }
        if let Some(b) = self.extreem {
            parts.push(format!("extreem={}", yes_no(b)));
        }
        if let Some(b) = self.letsel {
            parts.push(format!("letsel={}", yes_no(b)));
        }
        if self.page > 1 {
            parts.push(format!("page={}", self.page));
        }
        parts.join("&")
    }
}

/// Ids and keys in the query are plain (UUIDs, the form's keys, dates): only these characters.
fn decode(raw: &str) -> Option<String> {
    (raw.len() <= 64
        && raw
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'))
    .then(|| raw.to_owned())
}

fn is_id(v: &str) -> bool {
    (1..=64).contains(&v.len())
}

/// One report in the list: enough to choose which to open, no free text and no names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Item {
    pub id: String,
    #[serde(with = "crate::time::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub received_at: DateTime<Utc>,
    /// The incident's local date and time, as typed (`2026-01-05T10:15`).
    pub incident_at: String,
    pub team: Option<String>,
    pub team_name: Option<String>,
    pub situatie: String,
    pub soort: Vec<String>,
    pub extreem: bool,
    /// The form's `letsel` key; only for a reader who may see it (it is health data).
    pub letsel: Option<String>,
    /// Not opened by this person yet.
    pub new: bool,
    /// This report corrects another one (its id).
    pub corrects: Option<String>,
    /// This person's open tasks on this report, the most urgent first.
    pub my_tasks: Vec<TaskBrief>,
    /// The report's worst open task state for anyone (late before now before planned).
    pub worst: Option<TaskState>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TaskBrief {
    pub key: TaskKey,
    pub state: TaskState,
    /// Local time, `2026-01-08T10:15`.
    pub due: String,
    pub direct: bool,
}

impl TaskBrief {
    pub fn of(task: &Task) -> TaskBrief {
        TaskBrief {
            key: task.key,
            state: task.state,
            due: task.due.format("%Y-%m-%dT%H:%M").to_string(),
            direct: task.direct,
        }
    }
}

/// One page of the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Page {
    /// Reports matching the filter, on all pages.
    pub total: u64,
    pub page: u32,
    pub page_size: u32,
    pub items: Vec<Item>,
}

/// What waits for this person: shown the moment the workspace opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Summary {
    /// Reports this person may read and has not opened.
    pub new_reports: u64,
    /// This person's open tasks that are due now.
    pub due_tasks: u64,
    /// This person's open tasks that are late.
    pub late_tasks: u64,
}

/// One of this person's open tasks, for the list at the top of the workspace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MyTask {
    pub report_id: String,
    /// The incident's local date and time, as typed.
    pub incident_at: String,
    pub team_name: Option<String>,
    pub task: TaskBrief,
}

/// A task as the report's page shows it: the plan's task with its words and checklist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TaskView {
    pub task: Task,
    /// The task's name, Dutch and English.
    pub label: [String; 2],
    /// Its checklist, Dutch and English per item; a record's `checklist` indexes this.
    pub checklist: Vec<[String; 2]>,
    /// Who recorded the latest record, and when (RFC 3339 UTC).
    pub recorded_by: Option<String>,
    pub recorded_at: Option<String>,
    /// This person may record it (the owner's role on this report).
    pub mine: bool,
}

/// The aftercare page of one report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AftercareView {
    pub report_id: String,
    pub team_name: Option<String>,
    /// The report this one corrects, if any.
    pub corrects: Option<String>,
    /// Reports that correct this one, oldest first.
    pub corrected_by: Vec<String>,
    pub tasks: Vec<TaskView>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_filter_survives_the_query_string() {
        let f = Filter {
            state: Some(StateFilter::TeLaat),
            team: Some("0193a0b0-0000-7000-8000-000000000001".into()),
            from: NaiveDate::from_ymd_opt(2026, 1, 1),
            to: NaiveDate::from_ymd_opt(2026, 12, 31),
            situatie: Some("huisbezoek".into()),
            soort: Some("fysiek".into()),
            extreem: Some(true),
            letsel: Some(false),
            page: 3,
        };
        assert_eq!(Filter::parse(&f.query()), Ok(f));
        assert_eq!(
            Filter::parse(""),
            Ok(Filter {
                page: 1,
                ..Filter::default()
            })
        );
        assert_eq!(
            Filter {
                page: 1,
                ..Filter::default()
            }
            .query(),
            ""
        );
    }

    #[test]
    fn a_typo_in_a_filter_is_refused_not_ignored() {
        for (query, key) in [
            ("state=late", "state"),
            ("situatie=zolder", "situatie"),
            ("soort=huisbezoek", "soort"),
            ("extreem=yes", "extreem"),
            ("from=1-1-2026", "from"),
            ("page=0", "page"),
            ("colour=red", "colour"),
            ("team=a&team=b", "team"),
            ("soort=%3Cscript%3E", "soort"),
        ] {
            assert_eq!(
                Filter::parse(query),
                Err(BadFilter { key: key.into() }),
                "{query}"
            );
        }
    }
}
