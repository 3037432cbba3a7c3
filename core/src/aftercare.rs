//! The aftercare of one incident (protocol section 2 and 2.1, and 1.4 for P&O): which tasks
//! follow from a report, who owns each, from when and until when, and where each stands.
//!
//! A pure function of the report, the organisation's windows, what was recorded so far and the
//! time (passed in, local wall-clock time like the form's `datum_tijd`). The server stores the
//! records and a copy of the plan for its lists; the workspace only shows what this decides.

use chrono::{Duration, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use crate::protocol::content;
use crate::report::derive::{is_extreme, must_report_to_inspectorate};
use crate::report::schema::Label;
use crate::report::validate::parse_local;
use crate::report::Report;

/// Every task the plan can hold. The wire names are Dutch: they are the protocol's own words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TaskKey {
    /// Conversation 1, right after the incident.
    EersteOpvang,
    /// Conversation 2, 1 to 3 days after.
    TweedeGesprek,
    /// Conversation 3, the last, about 2 or 3 months after.
    DerdeGesprek,
    /// Discussing the incident in the team meeting, only with the employee's consent.
    Werkoverleg,
    /// Extreme incident: bring in Slachtofferhulp right after first care.
    Slachtofferhulp,
    /// Extreme incident: bring in the Arbodienst right after first care.
    Arbodienst,
    /// P&O reports to the Nederlandse Arbeidsinspectie (extreme incident, or Arbowet art. 9).
    Arbeidsinspectie,
    /// P&O records the report in the personnel file and informs the Arbodienst (every report).
    Personeelsdossier,
}

impl TaskKey {
    pub const ALL: [TaskKey; 8] = [
        TaskKey::EersteOpvang,
        TaskKey::TweedeGesprek,
        TaskKey::DerdeGesprek,
        TaskKey::Werkoverleg,
        TaskKey::Slachtofferhulp,
        TaskKey::Arbodienst,
        TaskKey::Arbeidsinspectie,
        TaskKey::Personeelsdossier,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TaskKey::EersteOpvang => "eerste_opvang",
            TaskKey::TweedeGesprek => "tweede_gesprek",
            TaskKey::DerdeGesprek => "derde_gesprek",
            TaskKey::Werkoverleg => "werkoverleg",
            TaskKey::Slachtofferhulp => "slachtofferhulp",
            TaskKey::Arbodienst => "arbodienst",
            TaskKey::Arbeidsinspectie => "arbeidsinspectie",
            TaskKey::Personeelsdossier => "personeelsdossier",
        }
    }

    pub fn parse(s: &str) -> Option<TaskKey> {
        TaskKey::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self) -> Label {
        match self {
            TaskKey::EersteOpvang => ["Eerste opvang (gesprek 1)", "First care (conversation 1)"],
            TaskKey::TweedeGesprek => ["Tweede gesprek", "Second conversation"],
            TaskKey::DerdeGesprek => ["Derde en laatste gesprek", "Third and last conversation"],
            TaskKey::Werkoverleg => [
                "Bespreken in het werkoverleg (met toestemming)",
                "Discuss in the team meeting (with consent)",
            ],
            TaskKey::Slachtofferhulp => [
                "Slachtofferhulp inschakelen",
                "Bring in Slachtofferhulp (victim support)",
            ],
            TaskKey::Arbodienst => [
                "Arbodienst inschakelen",
                "Bring in the occupational health service",
            ],
            TaskKey::Arbeidsinspectie => [
                "Melden bij de Nederlandse Arbeidsinspectie",
                "Report to the Dutch Labour Inspectorate",
            ],
            TaskKey::Personeelsdossier => [
                "In het personeelsdossier en melden bij de Arbodienst",
                "Record in the personnel file and inform the occupational health service",
            ],
        }
    }

    /// A conversation with the employee: it has a date held, who held it and notes. The others
    /// are actions (done on a date, by someone).
    pub fn is_conversation(self) -> bool {
        matches!(
            self,
            TaskKey::EersteOpvang | TaskKey::TweedeGesprek | TaskKey::DerdeGesprek
        )
    }

    /// The checklist shown with the task, Dutch and English. For the three conversations this
    /// is the protocol's own list of section 2.1 (from its content, never copied).
    pub fn checklist(self) -> Vec<[String; 2]> {
        let conversation = match self {
            TaskKey::EersteOpvang => Some(0),
            TaskKey::TweedeGesprek => Some(1),
            TaskKey::DerdeGesprek => Some(2),
            _ => None,
        };
        if let Some(i) = conversation {
            let nl = &content::dutch().aftercare.conversations;
            let en = &content::english().aftercare.conversations;
            return match (nl.get(i), en.get(i)) {
                (Some(nl), Some(en)) => nl
                    .checklist
                    .iter()
                    .zip(en.checklist.iter())
                    .map(|(a, b)| [a.clone(), b.clone()])
                    .collect(),
                _ => Vec::new(),
            };
        }
        let items: &[Label] = match self {
            TaskKey::Personeelsdossier => &[
                [
                    "Registratie in het personeelsdossier gezet",
                    "Report put in the personnel file",
                ],
                [
                    "Gemeld bij de Arbodienst",
                    "Occupational health service informed",
                ],
            ],
            TaskKey::Arbeidsinspectie => &[
                [
                    "Gemeld via het meldformulier van de Arbeidsinspectie",
                    "Reported through the Labour Inspectorate's form",
                ],
                [
                    "Kenmerk van de melding genoteerd",
                    "Reference of the report noted",
                ],
            ],
            _ => &[],
        };
        items
            .iter()
            .map(|[a, b]| [(*a).to_owned(), (*b).to_owned()])
            .collect()
    }
}

/// Who does a task.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Owner {
    /// The team's manager (leidinggevende).
    Leidinggevende,
    /// The P&O department.
    Po,
}

/// The organisation's windows, in whole days or hours after the incident. The protocol's
/// defaults; an organisation may follow other advice (the beheerder sets them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct Windows {
    /// First care, and what must happen "at once" (Slachtofferhulp, Arbodienst on an extreme
    /// incident; the inspectorate when the law says so): due within this many hours.
    pub at_once_hours: u32,
    pub second_from_days: u32,
    pub second_to_days: u32,
    pub third_from_days: u32,
    pub third_to_days: u32,
    /// The team meeting where the incident is discussed.
    pub team_meeting_days: u32,
    /// P&O's paperwork (personnel file, Arbodienst, the inspectorate when not "direct").
    pub po_days: u32,
}

impl Default for Windows {
    /// Protocol 2.1: the second conversation 1 to 3 days after, the last "about 2 or 3 months"
    /// after (61 to 92 days); first care "directly after" (within a day).
    fn default() -> Self {
        Windows {
            at_once_hours: 24,
            second_from_days: 1,
            second_to_days: 3,
            third_from_days: 61,
            third_to_days: 92,
            team_meeting_days: 28,
            po_days: 7,
        }
    }
}

impl Windows {
    /// Why these windows cannot be used, in plain words (Dutch, English).
    pub fn problem(&self) -> Option<Label> {
        if !(1..=72).contains(&self.at_once_hours) {
            return Some([
                "Eerste opvang: kies 1 tot 72 uur.",
                "First care: choose 1 to 72 hours.",
            ]);
        }
        if self.second_from_days > self.second_to_days || self.second_to_days > 30 {
            return Some([
                "Tweede gesprek: 'van' mag niet na 'tot' liggen, en 'tot' is hoogstens 30 dagen.",
                "Second conversation: 'from' cannot be after 'to', and 'to' is at most 30 days.",
            ]);
        }
        if self.third_from_days > self.third_to_days
            || self.third_from_days <= self.second_to_days
            || self.third_to_days > 365
        {
            return Some([
                "Derde gesprek: na het tweede, 'van' niet na 'tot', en hoogstens 365 dagen.",
                "Third conversation: after the second, 'from' not after 'to', at most 365 days.",
            ]);
        }
        if !(1..=365).contains(&self.team_meeting_days) || !(1..=90).contains(&self.po_days) {
            return Some([
                "Werkoverleg: 1 tot 365 dagen; P&O: 1 tot 90 dagen.",
                "Team meeting: 1 to 365 days; P&O: 1 to 90 days.",
            ]);
        }
        None
    }
}

/// Why a task will not be done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// The employee does not want (more) aftercare: respected, and recorded.
    GeenNazorgGewenst,
    /// The employee does not consent to discussing it in the team meeting.
    GeenToestemming,
}

impl Reason {
    pub fn label(self) -> Label {
        match self {
            Reason::GeenNazorgGewenst => [
                "De medewerker wil geen nazorg",
                "The employee does not want aftercare",
            ],
            Reason::GeenToestemming => [
                "De medewerker geeft geen toestemming",
                "The employee does not consent",
            ],
        }
    }
}

/// What was recorded for a task, by the manager or P&O.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "outcome", rename_all = "snake_case", deny_unknown_fields)]
pub enum Record {
    Done {
        /// The day it was held or done.
        held_on: NaiveDate,
        /// Who held it (a name as typed).
        held_by: String,
        /// Short notes. Sensitive: only the manager and P&O read them.
        #[serde(default)]
        notes: String,
        /// The checklist items covered (indices into [`TaskKey::checklist`]).
        #[serde(default)]
        checklist: Vec<u8>,
    },
    Declined {
        reason: Reason,
        /// The day the employee said so.
        noted_on: NaiveDate,
    },
}

/// Limits of a record, in characters.
pub const MAX_HELD_BY: usize = 200;
pub const MAX_NOTES: usize = 4_000;

impl Record {
    /// Whether this record can be kept for `task` of an incident at `incident`, recorded at
    /// `today`; the problem in plain words otherwise. The server refuses what this refuses.
    pub fn problem(&self, task: TaskKey, incident: NaiveDate, today: NaiveDate) -> Option<Label> {
        match self {
            Record::Done {
                held_on,
                held_by,
                notes,
                checklist,
            } => {
                if *held_on > today {
                    return Some([
                        "De datum ligt in de toekomst. Plan het gesprek in je agenda en leg het vast als het is gehouden.",
                        "The date is in the future. Plan the conversation in your calendar and record it once held.",
                    ]);
                }
                if *held_on < incident {
                    return Some([
                        "De datum ligt vóór het incident.",
                        "The date is before the incident.",
                    ]);
                }
                if held_by.trim().is_empty() {
                    return Some(["Vul in wie het deed.", "Fill in who did it."]);
                }
                if held_by.chars().count() > MAX_HELD_BY {
                    return Some([
                        "De naam is te lang (hoogstens 200 tekens).",
                        "The name is too long (at most 200 characters).",
                    ]);
                }
                if notes.chars().count() > MAX_NOTES {
                    return Some([
                        "De aantekeningen zijn te lang (hoogstens 4000 tekens).",
                        "The notes are too long (at most 4,000 characters).",
                    ]);
                }
                let len = task.checklist().len();
                let mut seen = vec![false; len];
                for &i in checklist {
                    match seen.get_mut(usize::from(i)) {
                        Some(s) if !*s => *s = true,
                        _ => {
                            return Some([
                                "De checklist klopt niet (onbekend of dubbel punt).",
                                "The checklist is wrong (unknown or repeated item).",
                            ])
                        }
                    }
                }
                None
            }
            Record::Declined { reason, noted_on } => {
                let fits = match reason {
                    Reason::GeenNazorgGewenst => task.is_conversation(),
                    Reason::GeenToestemming => task == TaskKey::Werkoverleg,
                };
                if !fits {
                    return Some([
                        "Deze taak kan niet om deze reden vervallen.",
                        "This task cannot be dropped for this reason.",
                    ]);
                }
                if *noted_on > today || *noted_on < incident {
                    return Some([
                        "De datum moet tussen het incident en vandaag liggen.",
                        "The date must be between the incident and today.",
                    ]);
                }
                None
            }
        }
    }
}

/// Where a task stands at a moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TaskState {
    /// Past its last day and not recorded.
    TeLaat,
    /// Within its window: to do now.
    NuDoen,
    /// Its window has not started.
    Gepland,
    /// Recorded as done.
    Gedaan,
    /// Recorded as not to be done (the employee's wish or no consent).
    Vervallen,
}

impl TaskState {
    /// Open: still to be done (late, now, or later).
    pub fn is_open(self) -> bool {
        matches!(
            self,
            TaskState::TeLaat | TaskState::NuDoen | TaskState::Gepland
        )
    }

    pub fn label(self) -> Label {
        match self {
            TaskState::TeLaat => ["Te laat", "Overdue"],
            TaskState::NuDoen => ["Nu doen", "Due now"],
            TaskState::Gepland => ["Gepland", "Planned"],
            TaskState::Gedaan => ["Gedaan", "Done"],
            TaskState::Vervallen => ["Vervallen", "Not needed"],
        }
    }
}

/// One task of the plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Task {
    pub key: TaskKey,
    pub owner: Owner,
    /// From when it can be done (local time, no offset: `2026-01-06T10:15:00`).
    #[cfg_attr(feature = "openapi", schema(value_type = String, pattern = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$"))]
    pub from: NaiveDateTime,
    /// Its last moment (local time); after this it is late.
    #[cfg_attr(feature = "openapi", schema(value_type = String, pattern = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$"))]
    pub due: NaiveDateTime,
    /// The law says "at once" (Arbowet art. 9: death, hospital admission, permanent injury).
    pub direct: bool,
    pub state: TaskState,
    pub record: Option<Record>,
    /// Recorded from the report itself (the employee's answer on the form), not by a person.
    #[serde(default)]
    pub from_report: bool,
}

/// Who does the first care and the conversations (the form's `nazorg_door`). The protocol: the
/// manager; P&O when the manager is absent (first care only); P&O for all conversations when
/// the employee prefers not to talk with the manager.
fn conversation_owner(report: &Report, key: TaskKey) -> Owner {
    match (report.text("nazorg_door"), key) {
        ("po_voorkeur", _) => Owner::Po,
        ("po_afwezig", TaskKey::EersteOpvang) => Owner::Po,
        _ => Owner::Leidinggevende,
    }
}

/// The plan of one incident at `now` (local time). `None` when the report has no incident
/// time (a finalized report always has one). `records` holds the latest record per task.
pub fn plan(
    report: &Report,
    windows: &Windows,
    records: &[(TaskKey, Record)],
    now: NaiveDateTime,
) -> Option<Vec<Task>> {
    let at = parse_local(report.text("datum_tijd"))?;
    let days = |d: u32| at + Duration::days(i64::from(d));
    let at_once = at + Duration::hours(i64::from(windows.at_once_hours));
    let no_aftercare = report.text("nazorg_gewenst") == "nee";

    let mut tasks: Vec<(TaskKey, Owner, NaiveDateTime, NaiveDateTime, bool)> = vec![
        (
            TaskKey::EersteOpvang,
            conversation_owner(report, TaskKey::EersteOpvang),
            at,
            at_once,
            false,
        ),
        (
            TaskKey::TweedeGesprek,
            conversation_owner(report, TaskKey::TweedeGesprek),
            days(windows.second_from_days),
            days(windows.second_to_days),
            false,
        ),
        (
            TaskKey::DerdeGesprek,
            conversation_owner(report, TaskKey::DerdeGesprek),
            days(windows.third_from_days),
            days(windows.third_to_days),
            false,
        ),
        (
            TaskKey::Werkoverleg,
            Owner::Leidinggevende,
            at,
            days(windows.team_meeting_days),
            false,
        ),
    ];
    if is_extreme(report) {
        // "Na de eerste opvang gelijk": right after first care, so in the same window.
        tasks.push((
            TaskKey::Slachtofferhulp,
            Owner::Leidinggevende,
            at,
            at_once,
            false,
        ));
        tasks.push((
            TaskKey::Arbodienst,
            Owner::Leidinggevende,
            at,
            at_once,
            false,
        ));
    }
    if must_report_to_inspectorate(report) {
        let direct = must_report_at_once(report);
        let due = if direct {
            at_once
        } else {
            days(windows.po_days)
        };
        tasks.push((TaskKey::Arbeidsinspectie, Owner::Po, at, due, direct));
    }
    tasks.push((
        TaskKey::Personeelsdossier,
        Owner::Po,
        at,
        days(windows.po_days),
        false,
    ));

    Some(
        tasks
            .into_iter()
            .map(|(key, owner, from, due, direct)| {
                let recorded = records
                    .iter()
                    .rev()
                    .find(|(k, _)| *k == key)
                    .map(|(_, r)| r);
                // The employee said "no aftercare" on the form: conversations 2 and 3 and the
                // team meeting are dropped, with that reason, until someone records otherwise.
                let from_form = recorded.is_none()
                    && no_aftercare
                    && matches!(
                        key,
                        TaskKey::TweedeGesprek | TaskKey::DerdeGesprek | TaskKey::Werkoverleg
                    );
                let record = match recorded {
                    Some(r) => Some(r.clone()),
                    None if from_form => Some(Record::Declined {
                        reason: Reason::GeenNazorgGewenst,
                        noted_on: at.date(),
                    }),
                    None => None,
                };
                let state = match &record {
                    Some(Record::Done { .. }) => TaskState::Gedaan,
                    Some(Record::Declined { .. }) => TaskState::Vervallen,
                    None => open_state(from, due, now),
                };
                Task {
                    key,
                    owner,
                    from,
                    due,
                    direct,
                    state,
                    record,
                    from_report: from_form,
                }
            })
            .collect(),
    )
}

/// Where an open task stands at `now`: late after its last minute, to do within its window,
/// planned before it. The one rule; the server's lists use it on their stored copy too.
pub fn open_state(from: NaiveDateTime, due: NaiveDateTime, now: NaiveDateTime) -> TaskState {
    if now > due {
        TaskState::TeLaat
    } else if now >= from {
        TaskState::NuDoen
    } else {
        TaskState::Gepland
    }
}

/// Whether P&O has a task at once on this report (so must be told at once): the inspectorate
/// (an extreme incident, or Arbowet art. 9), or first care because the manager is absent or
/// the employee prefers P&O.
pub fn po_acts_at_once(report: &Report) -> bool {
    must_report_to_inspectorate(report)
        || conversation_owner(report, TaskKey::EersteOpvang) == Owner::Po
}

/// Arbowet art. 9: a serious accident (death, hospital admission, permanent injury) is
/// reported to the inspectorate at once ("direct"). An extreme incident without such an injury
/// is reported too (the protocol), within P&O's window.
pub fn must_report_at_once(report: &Report) -> bool {
    matches!(
        report.text("letsel"),
        "ziekenhuisopname" | "blijvend" | "overleden"
    )
}

/// The open tasks of a plan that `owner` does, most urgent first.
pub fn open_for(tasks: &[Task], owner: Owner) -> Vec<&Task> {
    let mut open: Vec<&Task> = tasks
        .iter()
        .filter(|t| t.owner == owner && t.state.is_open())
        .collect();
    open.sort_by_key(|t| (t.state, t.due));
    open
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixtures::complete_final;
    use crate::report::Value;

    fn at(s: &str) -> NaiveDateTime {
        parse_local(s).unwrap()
    }

    fn report() -> Report {
        // Incident 2026-01-05 10:15.
        complete_final("0193a0b0-0000-7000-8000-000000000001", "Schreeuwde")
    }

    fn task(tasks: &[Task], key: TaskKey) -> &Task {
        tasks
            .iter()
            .find(|t| t.key == key)
            .unwrap_or_else(|| panic!("{key:?}"))
    }

    fn keys(tasks: &[Task]) -> Vec<TaskKey> {
        tasks.iter().map(|t| t.key).collect()
    }

    fn plan_at(r: &Report, now: &str) -> Vec<Task> {
        plan(r, &Windows::default(), &[], at(now)).unwrap()
    }

    fn done(day: &str) -> Record {
        Record::Done {
            held_on: NaiveDate::parse_from_str(day, "%Y-%m-%d").unwrap(),
            held_by: "Piet".into(),
            notes: String::new(),
            checklist: vec![0, 1],
        }
    }

    #[test]
    fn an_ordinary_report_plans_the_three_conversations_the_team_meeting_and_p_and_o() {
        let tasks = plan_at(&report(), "2026-01-05T10:30");
        assert_eq!(
            keys(&tasks),
            vec![
                TaskKey::EersteOpvang,
                TaskKey::TweedeGesprek,
                TaskKey::DerdeGesprek,
                TaskKey::Werkoverleg,
                TaskKey::Personeelsdossier
            ]
        );
        let first = task(&tasks, TaskKey::EersteOpvang);
        assert_eq!(first.owner, Owner::Leidinggevende);
        assert_eq!(first.from, at("2026-01-05T10:15"));
        assert_eq!(first.due, at("2026-01-06T10:15"));
        assert_eq!(first.state, TaskState::NuDoen);
        let second = task(&tasks, TaskKey::TweedeGesprek);
        assert_eq!(second.from, at("2026-01-06T10:15"));
        assert_eq!(second.due, at("2026-01-08T10:15"));
        assert_eq!(second.state, TaskState::Gepland);
        let third = task(&tasks, TaskKey::DerdeGesprek);
        assert_eq!(third.from, at("2026-03-07T10:15"));
        assert_eq!(third.due, at("2026-04-07T10:15"));
        assert_eq!(
            task(&tasks, TaskKey::Werkoverleg).due,
            at("2026-02-02T10:15")
        );
        let po = task(&tasks, TaskKey::Personeelsdossier);
        assert_eq!((po.owner, po.due), (Owner::Po, at("2026-01-12T10:15")));
    }

    #[test]
    fn each_task_is_due_in_its_window_and_late_the_minute_after() {
        let r = report();
        let state = |now: &str, key| task(&plan_at(&r, now), key).state;
        // The second conversation: planned until day 1, to do from day 1 to day 3, then late.
        assert_eq!(
            state("2026-01-06T10:14", TaskKey::TweedeGesprek),
            TaskState::Gepland
        );
        assert_eq!(
            state("2026-01-06T10:15", TaskKey::TweedeGesprek),
            TaskState::NuDoen
        );
        assert_eq!(
            state("2026-01-08T10:15", TaskKey::TweedeGesprek),
            TaskState::NuDoen
        );
        assert_eq!(
            state("2026-01-08T10:16", TaskKey::TweedeGesprek),
            TaskState::TeLaat
        );
        // Four days on: first care and the second conversation are late, the third planned.
        let later = plan_at(&r, "2026-01-09T10:15");
        assert_eq!(task(&later, TaskKey::EersteOpvang).state, TaskState::TeLaat);
        assert_eq!(
            task(&later, TaskKey::TweedeGesprek).state,
            TaskState::TeLaat
        );
        assert_eq!(
            task(&later, TaskKey::DerdeGesprek).state,
            TaskState::Gepland
        );
        assert_eq!(task(&later, TaskKey::Werkoverleg).state, TaskState::NuDoen);
        // The third: to do from day 61, late after day 92.
        assert_eq!(
            state("2026-03-07T10:15", TaskKey::DerdeGesprek),
            TaskState::NuDoen
        );
        assert_eq!(
            state("2026-04-07T10:16", TaskKey::DerdeGesprek),
            TaskState::TeLaat
        );
        assert_eq!(
            state("2026-01-12T10:16", TaskKey::Personeelsdossier),
            TaskState::TeLaat
        );
    }

    #[test]
    fn a_recorded_task_is_done_whatever_the_time() {
        let r = report();
        let records = [(TaskKey::EersteOpvang, done("2026-01-05"))];
        let tasks = plan(&r, &Windows::default(), &records, at("2026-02-01T00:00")).unwrap();
        let first = task(&tasks, TaskKey::EersteOpvang);
        assert_eq!(first.state, TaskState::Gedaan);
        assert_eq!(first.record, Some(done("2026-01-05")));
        // The latest record counts.
        let records = [
            (TaskKey::EersteOpvang, done("2026-01-05")),
            (TaskKey::EersteOpvang, done("2026-01-06")),
        ];
        let tasks = plan(&r, &Windows::default(), &records, at("2026-02-01T00:00")).unwrap();
        assert_eq!(
            task(&tasks, TaskKey::EersteOpvang).record,
            Some(done("2026-01-06"))
        );
    }

    #[test]
    fn p_and_o_stands_in_for_first_care_when_the_manager_is_absent() {
        let mut r = report();
        r.set("nazorg_door", Value::Text("po_afwezig".into()));
        let tasks = plan_at(&r, "2026-01-05T10:30");
        assert_eq!(task(&tasks, TaskKey::EersteOpvang).owner, Owner::Po);
        // The follow-up conversations stay with the manager, who is back by then.
        assert_eq!(
            task(&tasks, TaskKey::TweedeGesprek).owner,
            Owner::Leidinggevende
        );
        assert_eq!(
            task(&tasks, TaskKey::DerdeGesprek).owner,
            Owner::Leidinggevende
        );
    }

    #[test]
    fn p_and_o_holds_every_conversation_when_the_employee_prefers_not_to_talk_with_the_manager() {
        let mut r = report();
        r.set("nazorg_door", Value::Text("po_voorkeur".into()));
        let tasks = plan_at(&r, "2026-01-05T10:30");
        for key in [
            TaskKey::EersteOpvang,
            TaskKey::TweedeGesprek,
            TaskKey::DerdeGesprek,
        ] {
            assert_eq!(task(&tasks, key).owner, Owner::Po, "{key:?}");
        }
        // The team meeting is the manager's (and needs consent in any case).
        assert_eq!(
            task(&tasks, TaskKey::Werkoverleg).owner,
            Owner::Leidinggevende
        );
        // Without an answer, the manager (the protocol's rule).
        let tasks = plan_at(&report(), "2026-01-05T10:30");
        assert_eq!(
            task(&tasks, TaskKey::EersteOpvang).owner,
            Owner::Leidinggevende
        );
    }

    #[test]
    fn no_aftercare_wanted_is_recorded_and_never_late() {
        let mut r = report();
        r.set("nazorg_gewenst", Value::Text("nee".into()));
        let tasks = plan_at(&r, "2026-06-01T00:00");
        for key in [
            TaskKey::TweedeGesprek,
            TaskKey::DerdeGesprek,
            TaskKey::Werkoverleg,
        ] {
            let t = task(&tasks, key);
            assert_eq!(t.state, TaskState::Vervallen, "{key:?}");
            assert!(t.from_report);
            assert_eq!(
                t.record,
                Some(Record::Declined {
                    reason: Reason::GeenNazorgGewenst,
                    noted_on: NaiveDate::from_ymd_opt(2026, 1, 5).unwrap()
                })
            );
        }
        // First care still happens (it is support right after, not aftercare), and P&O's
        // paperwork too.
        assert_eq!(task(&tasks, TaskKey::EersteOpvang).state, TaskState::TeLaat);
        assert_eq!(
            task(&tasks, TaskKey::Personeelsdossier).state,
            TaskState::TeLaat
        );
        // The employee changes their mind: a conversation recorded later counts.
        let records = [(TaskKey::TweedeGesprek, done("2026-01-07"))];
        let tasks = plan(&r, &Windows::default(), &records, at("2026-06-01T00:00")).unwrap();
        assert_eq!(
            task(&tasks, TaskKey::TweedeGesprek).state,
            TaskState::Gedaan
        );
    }

    #[test]
    fn an_extreme_incident_brings_in_victim_support_and_the_arbodienst_at_once_and_p_and_o_reports_it(
    ) {
        let mut r = report();
        r.set("extreem", Value::Many(vec!["gijzeling".into()]));
        let tasks = plan_at(&r, "2026-01-05T12:00");
        for key in [TaskKey::Slachtofferhulp, TaskKey::Arbodienst] {
            let t = task(&tasks, key);
            assert_eq!(
                (t.owner, t.due),
                (Owner::Leidinggevende, at("2026-01-06T10:15"))
            );
            assert_eq!(t.state, TaskState::NuDoen);
        }
        let inspectorate = task(&tasks, TaskKey::Arbeidsinspectie);
        assert_eq!(inspectorate.owner, Owner::Po);
        // No serious injury: reported (the protocol), not "direct" (the law).
        assert!(!inspectorate.direct);
        assert_eq!(inspectorate.due, at("2026-01-12T10:15"));
        assert!(tasks.iter().any(|t| t.key == TaskKey::Personeelsdossier));
    }

    #[test]
    fn the_inspectorate_task_is_direct_for_death_hospital_admission_and_permanent_injury() {
        for (injury, expected) in [
            ("geen", None),
            ("ehbo", None),
            ("huisarts", None),
            ("poliklinisch", None),
            ("ziekenhuisopname", Some(true)),
            ("blijvend", Some(true)),
            ("overleden", Some(true)),
        ] {
            let mut r = report();
            r.set("letsel", Value::Text(injury.into()));
            let tasks = plan_at(&r, "2026-01-05T12:00");
            let t = tasks.iter().find(|t| t.key == TaskKey::Arbeidsinspectie);
            assert_eq!(t.map(|t| t.direct), expected, "{injury}");
            if let Some(t) = t {
                assert_eq!(t.due, at("2026-01-06T10:15"), "{injury}: within the day");
                // Not an extreme incident by itself: no Slachtofferhulp task is made up.
                assert!(!tasks.iter().any(|t| t.key == TaskKey::Slachtofferhulp));
            }
        }
        // Extreme and a hospital admission: direct.
        let mut r = report();
        r.set("extreem", Value::Many(vec!["ernstig_fysiek".into()]));
        r.set("letsel", Value::Text("ziekenhuisopname".into()));
        let tasks = plan_at(&r, "2026-01-05T12:00");
        assert!(task(&tasks, TaskKey::Arbeidsinspectie).direct);
    }

    #[test]
    fn the_windows_are_the_organisations_choice() {
        // The national VPT advice: within 72 hours, then 6 to 8 weeks.
        let vpt = Windows {
            at_once_hours: 24,
            second_from_days: 0,
            second_to_days: 3,
            third_from_days: 42,
            third_to_days: 56,
            team_meeting_days: 14,
            po_days: 3,
        };
        assert_eq!(vpt.problem(), None);
        let tasks = plan(&report(), &vpt, &[], at("2026-01-05T12:00")).unwrap();
        assert_eq!(
            task(&tasks, TaskKey::TweedeGesprek).state,
            TaskState::NuDoen
        );
        assert_eq!(
            task(&tasks, TaskKey::DerdeGesprek).due,
            at("2026-03-02T10:15")
        );
        assert_eq!(
            task(&tasks, TaskKey::Personeelsdossier).due,
            at("2026-01-08T10:15")
        );
    }

    #[test]
    fn windows_that_make_no_sense_are_refused() {
        let ok = Windows::default();
        assert_eq!(ok.problem(), None);
        for bad in [
            Windows {
                at_once_hours: 0,
                ..ok
            },
            Windows {
                second_from_days: 4,
                ..ok
            },
            Windows {
                third_from_days: 2,
                ..ok
            },
            Windows {
                third_from_days: 100,
                ..ok
            },
            Windows {
                third_to_days: 400,
                ..ok
            },
            Windows {
                team_meeting_days: 0,
                ..ok
            },
            Windows { po_days: 0, ..ok },
        ] {
            assert!(bad.problem().is_some(), "{bad:?}");
        }
    }

    #[test]
    fn a_record_is_checked_before_it_is_kept() {
        let incident = NaiveDate::from_ymd_opt(2026, 1, 5).unwrap();
        let today = NaiveDate::from_ymd_opt(2026, 1, 7).unwrap();
        let ok = done("2026-01-06");
        assert_eq!(ok.problem(TaskKey::TweedeGesprek, incident, today), None);
        for (day, why) in [
            ("2026-01-08", "future"),
            ("2026-01-04", "before the incident"),
        ] {
            let r = Record::Done {
                held_on: NaiveDate::parse_from_str(day, "%Y-%m-%d").unwrap(),
                held_by: "Piet".into(),
                notes: String::new(),
                checklist: vec![],
            };
            assert!(
                r.problem(TaskKey::TweedeGesprek, incident, today).is_some(),
                "{why}"
            );
        }
        let edit = |f: fn(&mut String, &mut String, &mut Vec<u8>)| {
            let mut r = ok.clone();
            if let Record::Done {
                held_by,
                notes,
                checklist,
                ..
            } = &mut r
            {
                f(held_by, notes, checklist);
            }
            r.problem(TaskKey::TweedeGesprek, incident, today)
        };
        assert!(edit(|by, _, _| *by = "  ".into()).is_some());
        assert!(edit(|by, _, _| *by = "x".repeat(201)).is_some());
        assert!(edit(|_, n, _| *n = "x".repeat(4_001)).is_some());
        assert!(edit(|_, n, _| *n = "x".repeat(4_000)).is_none());
        assert!(edit(|_, _, c| *c = vec![0, 0]).is_some(), "twice");
        assert!(
            edit(|_, _, c| *c = vec![7]).is_some(),
            "the second has 7 items"
        );
        assert!(edit(|_, _, c| *c = vec![6]).is_none());
        // Declining: only for a conversation (no aftercare) or the team meeting (no consent).
        let declined = |reason| Record::Declined {
            reason,
            noted_on: today,
        };
        assert_eq!(
            declined(Reason::GeenNazorgGewenst).problem(TaskKey::DerdeGesprek, incident, today),
            None
        );
        assert!(declined(Reason::GeenNazorgGewenst)
            .problem(TaskKey::Arbeidsinspectie, incident, today)
            .is_some());
        assert!(declined(Reason::GeenToestemming)
            .problem(TaskKey::TweedeGesprek, incident, today)
            .is_some());
        assert_eq!(
            declined(Reason::GeenToestemming).problem(TaskKey::Werkoverleg, incident, today),
            None
        );
    }

    #[test]
    fn conversations_carry_the_protocols_checklists_in_both_languages() {
        let first = TaskKey::EersteOpvang.checklist();
        assert_eq!(first.len(), 7);
        assert!(first[0][0].starts_with("Inventariseren emoties"));
        assert!(first
            .iter()
            .all(|[nl, en]| !nl.is_empty() && !en.is_empty() && nl != en));
        assert_eq!(TaskKey::TweedeGesprek.checklist().len(), 7);
        assert_eq!(TaskKey::DerdeGesprek.checklist().len(), 5);
        assert!(TaskKey::DerdeGesprek.checklist()[4][0].contains("P&O"));
        assert_eq!(TaskKey::Personeelsdossier.checklist().len(), 2);
        for key in TaskKey::ALL {
            assert_eq!(TaskKey::parse(key.as_str()), Some(key));
        }
    }

    #[test]
    fn p_and_o_acts_at_once_for_the_inspectorate_and_for_first_care_that_is_theirs() {
        assert!(!po_acts_at_once(&report()));
        for (key, value) in [
            ("nazorg_door", Value::Text("po_afwezig".into())),
            ("nazorg_door", Value::Text("po_voorkeur".into())),
            ("letsel", Value::Text("blijvend".into())),
            ("extreem", Value::Many(vec!["bommelding".into()])),
        ] {
            let mut r = report();
            r.set(key, value);
            assert!(po_acts_at_once(&r), "{key}");
        }
        let mut r = report();
        r.set("nazorg_door", Value::Text("leidinggevende".into()));
        assert!(!po_acts_at_once(&r));
    }

    #[test]
    fn a_manager_sees_their_own_open_tasks_late_first() {
        let mut r = report();
        r.set("extreem", Value::Many(vec!["wapen".into()]));
        let tasks = plan_at(&r, "2026-01-09T12:00");
        let mine: Vec<TaskKey> = open_for(&tasks, Owner::Leidinggevende)
            .iter()
            .map(|t| t.key)
            .collect();
        assert_eq!(
            mine,
            vec![
                TaskKey::EersteOpvang,
                TaskKey::Slachtofferhulp,
                TaskKey::Arbodienst,
                TaskKey::TweedeGesprek,
                TaskKey::Werkoverleg,
                TaskKey::DerdeGesprek
            ]
        );
        let po: Vec<TaskKey> = open_for(&tasks, Owner::Po).iter().map(|t| t.key).collect();
        assert_eq!(
            po,
            vec![TaskKey::Arbeidsinspectie, TaskKey::Personeelsdossier]
        );
    }
}
