//! What follows from a report without being typed: extreme incident, the duty to report to the
//! labour inspectorate, the aftercare plan.

use chrono::{Duration, NaiveDateTime};

use super::model::Report;
use super::schema::{field, NONE_OF_THESE};
use super::validate::{applies, parse_local};

/// Whether the incident is extreme, if that was answered: any ticked extreme kind makes it
/// extreme (protocol 1.4); only "Geen van deze" makes it not extreme. `None` while it is blank:
/// a blank is no answer (and `validate` does not let a report be finalized with it).
pub fn extreme(report: &Report) -> Option<bool> {
    let kinds = report.many("extreem");
    if kinds.is_empty() {
        None
    } else {
        Some(kinds.iter().any(|k| k != NONE_OF_THESE))
    }
}

/// For what must happen at once (notices, aftercare tasks): extreme only when someone said so.
/// Where "not answered yet" matters, use [`extreme`].
pub fn is_extreme(report: &Report) -> bool {
    extreme(report) == Some(true)
}

/// The private address was given to the police, against the protocol's advice (section 3).
/// Allowed (the report goes through), and marked for the manager to talk about.
pub fn private_address_used(report: &Report) -> bool {
    report.text("adres_werkgever") == "prive"
        && field("adres_werkgever").is_some_and(|spec| applies(spec, report))
}

/// Arbowet art. 9: death, hospital admission (a day admission counts) or permanent injury, or
/// an extreme incident (the protocol: P&O reports it to the labour inspectorate).
pub fn must_report_to_inspectorate(report: &Report) -> bool {
    matches!(
        report.text("letsel"),
        "ziekenhuisopname" | "blijvend" | "overleden"
    ) || is_extreme(report)
}

/// The windows of the three aftercare conversations, configurable per organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AftercareWindows {
    pub second_from: Duration,
    pub second_to: Duration,
    pub third_from: Duration,
    pub third_to: Duration,
}

impl Default for AftercareWindows {
    /// The protocol (2.1): second conversation 1 to 3 days after, the last about 2 or 3 months after.
    fn default() -> Self {
        Self {
            second_from: Duration::days(1),
            second_to: Duration::days(3),
            third_from: Duration::days(61),
            third_to: Duration::days(92),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Task {
    pub key: &'static str,
    pub from: NaiveDateTime,
    pub due: NaiveDateTime,
}

/// The aftercare plan: conversation 1 at once, 2 and 3 in their windows; on an extreme incident
/// also Slachtofferhulp and the Arbodienst at once; the inspectorate when the law requires it.
pub fn aftercare_plan(report: &Report, windows: AftercareWindows) -> Option<Vec<Task>> {
    let at = parse_local(report.text("datum_tijd"))?;
    let mut tasks = vec![
        Task {
            key: "gesprek_1",
            from: at,
            due: at,
        },
        Task {
            key: "gesprek_2",
            from: at + windows.second_from,
            due: at + windows.second_to,
        },
        Task {
            key: "gesprek_3",
            from: at + windows.third_from,
            due: at + windows.third_to,
        },
    ];
    if is_extreme(report) {
        tasks.push(Task {
            key: "slachtofferhulp",
            from: at,
            due: at,
        });
        tasks.push(Task {
            key: "arbodienst",
            from: at,
            due: at,
        });
    }
    if must_report_to_inspectorate(report) {
        tasks.push(Task {
            key: "arbeidsinspectie",
            from: at,
            due: at,
        });
    }
    Some(tasks)
}
