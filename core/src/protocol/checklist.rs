//! The extreme-incident checklist (section 1.4): items ticked with the time they were done.
//! Ticks are appended and untick events are kept, like a flow run's log.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Checklist {
    #[serde(default, with = "crate::time::rfc3339::option")]
    pub started_at: Option<DateTime<Utc>>,
    pub events: Vec<Tick>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tick {
    /// `during.0`, `after.2`: section and index of the item.
    pub item: String,
    #[serde(with = "crate::time::rfc3339")]
    pub at: DateTime<Utc>,
    pub done: bool,
}

impl Checklist {
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn toggling_ticks_and_unticks_and_keeps_the_history() {
        let t1 = Utc
            .with_ymd_and_hms(2026, 1, 1, 9, 0, 0)
            .single()
            .unwrap_or_default();
        let t2 = Utc
            .with_ymd_and_hms(2026, 1, 1, 9, 5, 0)
            .single()
            .unwrap_or_default();
        let mut c = Checklist::default();
        c.toggle("during.1", t1);
        assert_eq!(c.done_at("during.1"), Some(t1));
        assert_eq!(c.started_at, Some(t1));
        c.toggle("during.1", t2);
        assert_eq!(c.done_at("during.1"), None);
        assert_eq!(c.events.len(), 2);
        assert_eq!(c.started_at, Some(t1));
    }
}
