//! Saving a report while another tab may have saved it too: what to write, decided from what
//! is stored. The shell reads and writes in one transaction (`storage::reports::save_with`) and
//! asks this in between.

use chrono::{DateTime, Utc};

use super::merge::merge;
use super::model::Report;
use super::validate::prune_inapplicable;

/// What a save does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Save {
    /// The stored report (carried) is final: another tab finalized it meanwhile, and a final
    /// report is read-only. Nothing is written.
    Refused(Report),
    /// Write this report; it is also this tab's new base.
    Write(Report),
}

/// `stored` is what is stored under `mine.id` now (if anything), `base` what this tab last
/// loaded or saved, `mine` what it holds now. If another tab saved since `base` (a higher
/// revision), the two are merged so that no newer text is replaced by older. Whether the
/// report is final is this tab's decision; a final report keeps only the values that apply
/// (pruned after the merge, so a value another tab added cannot slip through). The revision
/// goes one past both `base` and what is stored; `saved_at` is `now`.
pub fn decide(stored: Option<Report>, base: &Report, mine: &Report, now: DateTime<Utc>) -> Save {
    let mut next = match stored {
        Some(stored) if stored.is_final() => return Save::Refused(stored),
        Some(theirs) if theirs.revision > base.revision => merge(base, mine, &theirs),
        _ => mine.clone(),
    };
    next.status = mine.status.clone();
    if next.is_final() {
        prune_inapplicable(&mut next);
    }
    next.revision = next.revision.max(base.revision) + 1;
    next.saved_at = now;
    Save::Write(next)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{Status, Value};
    use chrono::TimeZone;

    fn at(minute: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 30, 10, minute, 0).unwrap()
    }

    fn draft() -> Report {
        let mut r = Report::new("0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b", at(0));
        r.revision = 3;
        r.set("omschrijving", Value::Text("Klant schreeuwt".into()));
        r
    }

    fn written(outcome: Save) -> Report {
        match outcome {
            Save::Write(r) => r,
            Save::Refused(r) => panic!("refused: {r:?}"),
        }
    }

    #[test]
    fn a_final_stored_report_is_never_overwritten() {
        let base = draft();
        let mut stored = base.clone();
        stored.revision = 4;
        stored.status = Status::Final {
            finalized_at: at(5),
        };
        let mut mine = base.clone();
        mine.set("omschrijving", Value::Text("Anders".into()));
        assert_eq!(
            decide(Some(stored.clone()), &base, &mine, at(6)),
            Save::Refused(stored)
        );
    }

    #[test]
    fn a_new_report_is_written_as_it_is_with_the_next_revision() {
        let mine = draft();
        let base = Report {
            revision: 0,
            ..mine.clone()
        };
        let next = written(decide(None, &base, &mine, at(2)));
        assert_eq!(next.values, mine.values);
        assert_eq!(next.revision, 4, "one past this tab's own revision");
        assert_eq!(next.saved_at, at(2));
        assert_eq!(next.status, Status::Draft);
    }

    #[test]
    fn without_another_tabs_save_mine_is_written() {
        let base = draft();
        let mut mine = base.clone();
        mine.set(
            "omschrijving",
            Value::Text("Klant schreeuwt en gooit".into()),
        );
        // What is stored is this tab's own base (or older): nothing to merge.
        let next = written(decide(Some(base.clone()), &base, &mine, at(3)));
        assert_eq!(next.text("omschrijving"), "Klant schreeuwt en gooit");
        assert_eq!(next.revision, 4);
        assert_eq!(next.saved_at, at(3));
    }

    #[test]
    fn another_tabs_newer_save_is_merged_not_overwritten() {
        let base = draft();
        let mut theirs = base.clone();
        theirs.revision = 7;
        theirs.set("melder_naam", Value::Text("Sanne".into()));
        let mut mine = base.clone();
        mine.set("omschrijving", Value::Text("Mijn tekst".into()));
        let next = written(decide(Some(theirs), &base, &mine, at(4)));
        assert_eq!(next.text("melder_naam"), "Sanne", "their field is kept");
        assert_eq!(next.text("omschrijving"), "Mijn tekst", "my field wins");
        assert_eq!(next.revision, 8, "one past the stored revision");
        assert_eq!(next.saved_at, at(4));
    }

    #[test]
    fn the_status_is_this_tabs_and_a_final_report_keeps_only_what_applies() {
        let base = draft();
        // Another tab filled in a question that applies only when the aggressor is known…
        let mut theirs = base.clone();
        theirs.revision = 5;
        theirs.set("dader_naam", Value::Text("J. Jansen".into()));
        // …while this tab said the aggressor is not known, and finalizes.
        let mut mine = base.clone();
        mine.set("dader_bekend", Value::Text("nee".into()));
        mine.status = Status::Final {
            finalized_at: at(9),
        };
        let next = written(decide(Some(theirs), &base, &mine, at(9)));
        assert!(next.is_final());
        assert_eq!(next.text("dader_bekend"), "nee");
        assert!(
            !next.values.contains_key("dader_naam"),
            "a value that does not apply is not finalized: {:?}",
            next.values
        );
        assert_eq!(next.text("omschrijving"), "Klant schreeuwt");
        assert_eq!(next.revision, 6);
    }

    #[test]
    fn a_draft_keeps_values_that_do_not_apply_yet() {
        let base = draft();
        let mut mine = base.clone();
        mine.set("dader_bekend", Value::Text("nee".into()));
        mine.set("dader_naam", Value::Text("J. Jansen".into()));
        let next = written(decide(None, &base, &mine, at(1)));
        assert_eq!(next.text("dader_naam"), "J. Jansen");
    }
}
