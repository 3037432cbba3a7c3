//! What follows from a report without being typed: extreme incident, the duty to report to the
//! labour inspectorate. The aftercare plan that follows is `crate::aftercare`.

use super::model::Report;
use super::schema::{field, NONE_OF_THESE};
use super::validate::applies;

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
