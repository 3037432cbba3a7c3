//! A correction of a finalized report. A received report is never changed (the server answers
//! 409); a correction is a new report, with its own id, that names the original in `corrects`.
//! Both stay, on the device and on the server.

use super::model::Report;

/// Fields a correction does not take over: the confirmation is given again, by whoever
/// confirms the corrected content, at that moment.
pub const NOT_CARRIED_OVER: &[&str] = &["akkoord", "akkoord_naam"];

/// Fills a new draft (`draft`, made with its own id and times) from a finalized `original`:
/// every value except the confirmation, the steps taken, and `corrects`. Returns false and
/// changes nothing when `original` is not final (a draft is simply edited).
pub fn prefill_correction(draft: &mut Report, original: &Report) -> bool {
    if !original.is_final() || draft.id == original.id {
        return false;
    }
    // Clone and remove rather than filter and collect: collecting a map sorts its entries, code
    // the PWA's wasm (size budget, issue 7) does not otherwise carry.
    draft.values = original.values.clone();
    for key in NOT_CARRIED_OVER {
        draft.values.remove(*key);
    }
    draft.flow_run = original.flow_run.clone();
    draft.checklist = original.checklist.clone();
    draft.corrects = Some(original.id.clone());
    true
}

/// The reports among `all` that correct the report `id`, in the order of `all` (not sorted
/// here: a sort is code the PWA's wasm pays for, and the list page orders `all` already).
pub fn corrections_of<'a>(all: &'a [Report], id: &str) -> Vec<&'a Report> {
    all.iter()
        .filter(|r| r.corrects.as_deref() == Some(id))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixtures::{complete_final, id};
    use crate::report::{Status, Value};
    use chrono::{TimeZone, Utc};

    fn later() -> chrono::DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 1, 6, 9, 0, 0).unwrap()
    }

    #[test]
    fn a_correction_takes_every_value_but_the_confirmation_and_names_the_original() {
        let original = complete_final(&id(1), "Huurder schreeuwde.");
        let mut draft = Report::new(id(2), later());
        assert!(prefill_correction(&mut draft, &original));
        assert_eq!(draft.corrects.as_deref(), Some(id(1).as_str()));
        assert_eq!(draft.id, id(2), "its own id");
        assert_eq!(draft.status, Status::Draft);
        assert_eq!(draft.created_at, later());
        assert_eq!(draft.revision, 0);
        assert_eq!(draft.text("omschrijving"), "Huurder schreeuwde.");
        assert_eq!(
            draft.persons("slachtoffers"),
            original.persons("slachtoffers")
        );
        for key in NOT_CARRIED_OVER {
            assert!(original.values.contains_key(*key), "{key} is in the sample");
            assert!(!draft.values.contains_key(*key), "{key}");
        }
        assert_eq!(
            draft.values.len(),
            original.values.len() - NOT_CARRIED_OVER.len()
        );
        assert_eq!(draft.flow_run, original.flow_run);
        assert_eq!(draft.checklist, original.checklist);
    }

    #[test]
    fn a_draft_is_not_corrected_but_edited() {
        let mut original = complete_final(&id(1), "x");
        original.status = Status::Draft;
        let mut draft = Report::new(id(2), later());
        assert!(!prefill_correction(&mut draft, &original));
        assert!(draft.values.is_empty() && draft.corrects.is_none());
        let final_one = complete_final(&id(1), "x");
        let mut same = Report::new(id(1), later());
        assert!(!prefill_correction(&mut same, &final_one), "never itself");
    }

    #[test]
    fn the_corrections_of_a_report_are_found_in_the_lists_order() {
        let original = complete_final(&id(1), "x");
        let mut first = Report::new(id(3), later());
        prefill_correction(&mut first, &original);
        let mut second = Report::new(id(2), later() + chrono::Duration::hours(1));
        prefill_correction(&mut second, &original);
        second.set("plaats", Value::Text("Kerkstraat 2".into()));
        let other = complete_final(&id(4), "y");
        let all = vec![second.clone(), other, original.clone(), first.clone()];
        let found: Vec<&str> = corrections_of(&all, &original.id)
            .iter()
            .map(|r| r.id.as_str())
            .collect();
        assert_eq!(found, vec![second.id.as_str(), first.id.as_str()]);
        assert!(corrections_of(&all, &first.id).is_empty());
    }
}
