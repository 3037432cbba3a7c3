//! The extreme-incident checklist (section 1.4): one per incident, items ticked with the time
//! they were done. Ticks are appended and untick events are kept, like a flow run's log. A new
//! incident starts a fresh checklist; earlier ones stay as they were, each the log of its own
//! incident.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::model::Protocol;

/// The item key of "112 gebeld" (the app's own item: the protocol's during-points assume the
/// police are on their way, the app records when they were called).
pub const POLICE_CALLED: &str = "politie.112";

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Checklist {
    /// Made by the device when the incident's checklist starts. Checklists stored before
    /// there could be several have none: the storage module gives them their record's key.
    #[serde(default)]
    pub id: String,
    #[serde(default, with = "crate::time::rfc3339::option")]
    pub started_at: Option<DateTime<Utc>>,
    pub events: Vec<Tick>,
    /// What happens, as the registration form's `extreem` choices (`gijzeling`, …).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub kinds: Vec<String>,
    /// The report made from this checklist ("Registreer dit incident").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tick {
    /// `during.0`, `after.2`: section and index of the item; or [`POLICE_CALLED`].
    pub item: String,
    #[serde(with = "crate::time::rfc3339")]
    pub at: DateTime<Utc>,
    pub done: bool,
}

impl Checklist {
    pub fn new(id: impl Into<String>, at: DateTime<Utc>) -> Self {
        Self {
            id: id.into(),
            started_at: Some(at),
            ..Self::default()
        }
    }

    /// When the item was (last) ticked, if it is ticked now.
    pub fn done_at(&self, item: &str) -> Option<DateTime<Utc>> {
        let last = self.events.iter().rev().find(|t| t.item == item)?;
        last.done.then_some(last.at)
    }

    pub fn toggle(&mut self, item: &str, at: DateTime<Utc>) {
        self.started_at.get_or_insert(at);
        let done = self.done_at(item).is_none();
        self.events.push(Tick {
            item: item.to_owned(),
            at,
            done,
        });
    }

    /// Chooses or clears one kind of extreme incident (form order is kept by the form).
    pub fn toggle_kind(&mut self, kind: &str, at: DateTime<Utc>) {
        self.started_at.get_or_insert(at);
        if let Some(i) = self.kinds.iter().position(|k| k == kind) {
            self.kinds.remove(i);
        } else {
            self.kinds.push(kind.to_owned());
        }
    }

    pub fn police_called(&self) -> bool {
        self.done_at(POLICE_CALLED).is_some()
    }

    /// Items ticked now, with their times, in the order they were ticked.
    pub fn ticked(&self) -> Vec<(&str, DateTime<Utc>)> {
        let mut out: Vec<(&str, DateTime<Utc>)> = Vec::new();
        for t in &self.events {
            out.retain(|(item, _)| *item != t.item);
            if t.done {
                out.push((&t.item, t.at));
            }
        }
        out
    }

    /// Nothing ticked or chosen yet: a checklist still to be used.
    pub fn is_untouched(&self) -> bool {
        self.events.is_empty() && self.kinds.is_empty()
    }
}

/// The protocol's words for an item key (`during.2`, `after.0`); `None` for the app's own
/// items ([`POLICE_CALLED`]) and for a key this version of the content does not have.
pub fn item_text<'p>(protocol: &'p Protocol, item: &str) -> Option<&'p str> {
    let (section, index) = item.split_once('.')?;
    let list = match section {
        "during" => &protocol.extreme.during,
        "after" => &protocol.extreme.after,
        _ => return None,
    };
    list.get(index.parse::<usize>().ok()?).map(String::as_str)
}

/// The checklist the extreme page opens: the newest one, unless it is registered already.
/// `None` means a fresh one is started. An older incident left behind by "Nieuw incident" is
/// never opened again as if it were going on: it stays in the list of earlier incidents.
pub fn current(checklists: &[Checklist]) -> Option<&Checklist> {
    checklists
        .iter()
        .max_by_key(|c| c.started_at)
        .filter(|c| c.report.is_none())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(minute: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 1, 1, 9, minute, 0)
            .single()
            .unwrap_or_default()
    }

    #[test]
    fn toggling_ticks_and_unticks_and_keeps_the_history() {
        let mut c = Checklist::default();
        c.toggle("during.1", at(0));
        assert_eq!(c.done_at("during.1"), Some(at(0)));
        assert_eq!(c.started_at, Some(at(0)));
        c.toggle("during.1", at(5));
        assert_eq!(c.done_at("during.1"), None);
        assert_eq!(c.events.len(), 2);
        assert_eq!(c.started_at, Some(at(0)));
    }

    #[test]
    fn the_ticked_items_come_in_the_order_they_were_ticked() {
        let mut c = Checklist::new("a", at(0));
        c.toggle("after.0", at(1));
        c.toggle(POLICE_CALLED, at(2));
        c.toggle("during.3", at(3));
        c.toggle("after.0", at(4));
        assert_eq!(
            c.ticked(),
            vec![(POLICE_CALLED, at(2)), ("during.3", at(3))]
        );
        assert!(c.police_called());
        c.toggle(POLICE_CALLED, at(5));
        assert!(!c.police_called());
    }

    #[test]
    fn item_keys_name_the_protocols_points() {
        let p = crate::protocol::dutch();
        assert_eq!(item_text(p, "during.1"), Some(p.extreme.during[1].as_str()));
        assert_eq!(item_text(p, "after.3"), Some(p.extreme.after[3].as_str()));
        for unknown in [POLICE_CALLED, "after.99", "during", "x.1", "during.-1"] {
            assert_eq!(item_text(p, unknown), None, "{unknown}");
        }
    }

    #[test]
    fn kinds_are_chosen_and_cleared() {
        let mut c = Checklist::new("a", at(0));
        c.toggle_kind("gijzeling", at(1));
        c.toggle_kind("wapen", at(1));
        c.toggle_kind("gijzeling", at(2));
        assert_eq!(c.kinds, vec!["wapen".to_owned()]);
        assert!(!c.is_untouched());
    }

    #[test]
    fn only_the_newest_incident_is_opened_again_and_only_while_it_is_not_registered() {
        let old = Checklist::new("old", at(0));
        let mut newest = Checklist::new("newest", at(20));
        assert_eq!(
            current(&[newest.clone(), old.clone()]).map(|c| c.id.as_str()),
            Some("newest")
        );
        // Registered: a fresh checklist, not the older incident left behind by "Nieuw
        // incident" (it would look as if it were still going on).
        newest.report = Some("r1".into());
        assert_eq!(current(&[old, newest]), None);
        assert_eq!(current(&[]), None);
    }

    #[test]
    fn a_checklist_stored_before_incidents_had_ids_reads_back() {
        let old = r#"{"started_at":"2026-01-01T09:00:00Z","events":[{"item":"during.0","at":"2026-01-01T09:01:00Z","done":true}]}"#;
        let c: Checklist = serde_json::from_str(old).unwrap();
        assert_eq!(c.id, "");
        assert_eq!(c.done_at("during.0"), Some(at(1)));
        assert!(c.kinds.is_empty() && c.report.is_none());
    }
}
