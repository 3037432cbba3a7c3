//! One walk through a flow: a timestamped, append-only log of what was tapped, and the state
//! that follows from it. The log is the record (it prefills the registration form); the state
//! is derived by replaying it, so undo is an event too and nothing is ever rewritten.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::model::{Flow, FlowId, Node, Outcome};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlowRun {
    /// Made by the device (a UUID) when the run starts.
    pub id: String,
    pub flow: FlowId,
    #[serde(with = "crate::time::rfc3339")]
    pub started_at: DateTime<Utc>,
    pub events: Vec<RunEvent>,
}

/// Written flat (`{"at": …, "event": "answered", "node": …, "answer": …}`); read through
/// [`RunEventWire`], without serde's buffering of flattened tagged enums (see
/// `report::model`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "RunEventWire")]
pub struct RunEvent {
    #[serde(with = "crate::time::rfc3339")]
    pub at: DateTime<Utc>,
    #[serde(flatten)]
    pub kind: EventKind,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum EventKind {
    /// An answer tapped at a step.
    Answered { node: String, answer: String },
    /// One more tally on the step's counter (a request to leave the building).
    Counted { node: String },
    /// Takes back the latest answer or tally that is still in force.
    Undone,
}

#[derive(Deserialize)]
struct RunEventWire {
    #[serde(with = "crate::time::rfc3339")]
    at: DateTime<Utc>,
    event: EventName,
    #[serde(default)]
    node: Option<String>,
    #[serde(default)]
    answer: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum EventName {
    Answered,
    Counted,
    Undone,
}

impl TryFrom<RunEventWire> for RunEvent {
    type Error = &'static str;

    fn try_from(wire: RunEventWire) -> Result<Self, Self::Error> {
        let kind = match (wire.event, wire.node, wire.answer) {
            (EventName::Answered, Some(node), Some(answer)) => EventKind::Answered { node, answer },
            (EventName::Answered, ..) => return Err("an answer needs `node` and `answer`"),
            (EventName::Counted, Some(node), _) => EventKind::Counted { node },
            (EventName::Counted, None, _) => return Err("a tally needs `node`"),
            (EventName::Undone, ..) => EventKind::Undone,
        };
        Ok(RunEvent { at: wire.at, kind })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RunError {
    #[error("the flow has ended; nothing more can be answered")]
    Finished,
    #[error("step {node:?} has no answer {answer:?}")]
    UnknownAnswer { node: String, answer: String },
    #[error("this answer opens after {needed} requests; {done} made so far")]
    NotYetAllowed { needed: u8, done: u8 },
    #[error("step {node:?} has no counter")]
    NoCounter { node: String },
    #[error("the counter already stands at its maximum of {max}")]
    CounterFull { max: u8 },
    #[error("nothing to undo")]
    NothingToUndo,
    #[error("the run refers to step {node:?}, which this version of the protocol does not have")]
    UnknownNode { node: String },
}

/// Where a run stands, derived from its log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunState {
    /// Node ids from the start to the current step.
    pub path: Vec<String>,
    /// Times of the tallies on the current step's counter.
    pub counts: Vec<DateTime<Utc>>,
    /// Events still in force, oldest first (undone ones removed).
    pub effective: Vec<RunEvent>,
}

impl RunState {
    pub fn current(&self) -> &str {
        self.path.last().map(String::as_str).unwrap_or_default()
    }
}

impl FlowRun {
    pub fn new(id: impl Into<String>, flow: FlowId, at: DateTime<Utc>) -> Self {
        Self {
            id: id.into(),
            flow,
            started_at: at,
            events: Vec::new(),
        }
    }

    /// Replays the log against the flow.
    pub fn state(&self, flow: &Flow) -> Result<RunState, RunError> {
        let mut effective: Vec<RunEvent> = Vec::new();
        for event in &self.events {
            match event.kind {
                EventKind::Undone => {
                    effective.pop();
                }
                _ => effective.push(event.clone()),
            }
        }
        let mut path = vec![flow.start.clone()];
        let mut counts = Vec::new();
        for event in &effective {
            match &event.kind {
                EventKind::Answered { node, answer } => {
                    let next = flow
                        .node(node)
                        .and_then(|n| n.answer(answer))
                        .ok_or_else(|| RunError::UnknownNode { node: node.clone() })?;
                    path.push(next.next.clone());
                    counts.clear();
                }
                EventKind::Counted { .. } => counts.push(event.at),
                EventKind::Undone => {}
            }
        }
        Ok(RunState {
            path,
            counts,
            effective,
        })
    }

    fn current_node<'f>(&self, flow: &'f Flow) -> Result<(&'f Node, RunState), RunError> {
        let state = self.state(flow)?;
        let node = flow
            .node(state.current())
            .ok_or_else(|| RunError::UnknownNode {
                node: state.current().to_owned(),
            })?;
        Ok((node, state))
    }

    /// Whether `answer` can be chosen now; the UI disables it otherwise.
    pub fn check_answer(&self, flow: &Flow, answer: &str) -> Result<(), RunError> {
        let (node, state) = self.current_node(flow)?;
        if node.is_end() {
            return Err(RunError::Finished);
        }
        let chosen = node.answer(answer).ok_or_else(|| RunError::UnknownAnswer {
            node: node.id.clone(),
            answer: answer.to_owned(),
        })?;
        if let Some(needed) = chosen.requires_count {
            let done = state.counts.len() as u8;
            if done < needed {
                return Err(RunError::NotYetAllowed { needed, done });
            }
        }
        Ok(())
    }

    pub fn answer(&mut self, flow: &Flow, answer: &str, at: DateTime<Utc>) -> Result<(), RunError> {
        self.check_answer(flow, answer)?;
        let node = self.state(flow)?.current().to_owned();
        self.events.push(RunEvent {
            at,
            kind: EventKind::Answered {
                node,
                answer: answer.to_owned(),
            },
        });
        Ok(())
    }

    /// One more request to leave (or whatever the step counts).
    pub fn count(&mut self, flow: &Flow, at: DateTime<Utc>) -> Result<u8, RunError> {
        let (node, state) = self.current_node(flow)?;
        let counter = node.counter.as_ref().ok_or_else(|| RunError::NoCounter {
            node: node.id.clone(),
        })?;
        let done = state.counts.len() as u8;
        if done >= counter.max {
            return Err(RunError::CounterFull { max: counter.max });
        }
        self.events.push(RunEvent {
            at,
            kind: EventKind::Counted {
                node: node.id.clone(),
            },
        });
        Ok(done + 1)
    }

    /// Takes back the last answer or tally still in force (the back button).
    pub fn undo(&mut self, flow: &Flow, at: DateTime<Utc>) -> Result<(), RunError> {
        if self.state(flow)?.effective.is_empty() {
            return Err(RunError::NothingToUndo);
        }
        self.events.push(RunEvent {
            at,
            kind: EventKind::Undone,
        });
        Ok(())
    }

    /// The end reached, if the run is over.
    pub fn outcome(&self, flow: &Flow) -> Option<(Outcome, bool)> {
        let (node, _) = self.current_node(flow).ok()?;
        node.end.as_ref().map(|end| (end.outcome, end.police))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::dutch;
    use chrono::TimeZone;

    fn at(minute: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 30, 10, minute, 0)
            .single()
            .unwrap_or_default()
    }

    fn office() -> &'static Flow {
        dutch()
            .flows
            .iter()
            .find(|f| f.id == FlowId::Kantoor)
            .expect("office flow")
    }

    #[test]
    fn a_new_run_stands_at_the_first_step() {
        let run = FlowRun::new("r1", FlowId::Kantoor, at(0));
        assert_eq!(run.state(office()).unwrap().current(), "kalmeren");
    }

    #[test]
    fn answers_move_along_the_chart() {
        let flow = office();
        let mut run = FlowRun::new("r1", FlowId::Kantoor, at(0));
        run.answer(flow, "agressief", at(1)).unwrap();
        assert_eq!(run.state(flow).unwrap().current(), "grens");
        run.answer(flow, "rustiger", at(2)).unwrap();
        assert_eq!(run.state(flow).unwrap().current(), "voortgezet");
        assert_eq!(run.outcome(flow), Some((Outcome::Calm, false)));
        assert_eq!(run.answer(flow, "rustiger", at(3)), Err(RunError::Finished));
    }

    #[test]
    fn the_police_step_opens_only_after_three_requests_to_leave() {
        let flow = office();
        let mut run = FlowRun::new("r1", FlowId::Kantoor, at(0));
        for (i, answer) in ["agressief", "agressief", "blijft"].iter().enumerate() {
            run.answer(flow, answer, at(i as u32 + 1)).unwrap();
        }
        assert_eq!(run.state(flow).unwrap().current(), "verzoek_verlaten");
        assert_eq!(
            run.answer(flow, "geen_gehoor", at(5)),
            Err(RunError::NotYetAllowed { needed: 3, done: 0 })
        );
        assert_eq!(run.count(flow, at(5)), Ok(1));
        assert_eq!(run.count(flow, at(6)), Ok(2));
        assert!(run.check_answer(flow, "geen_gehoor").is_err());
        assert_eq!(run.count(flow, at(7)), Ok(3));
        assert_eq!(
            run.count(flow, at(8)),
            Err(RunError::CounterFull { max: 3 })
        );
        assert_eq!(run.state(flow).unwrap().counts, vec![at(5), at(6), at(7)]);
        run.answer(flow, "geen_gehoor", at(9)).unwrap();
        assert_eq!(run.state(flow).unwrap().current(), "leidinggevende");
        run.answer(flow, "geen_gehoor", at(10)).unwrap();
        assert_eq!(run.outcome(flow), Some((Outcome::Sanctions, true)));
    }

    #[test]
    fn leaving_after_one_request_needs_no_count() {
        let flow = office();
        let mut run = FlowRun::new("r1", FlowId::Kantoor, at(0));
        for answer in ["agressief", "agressief", "blijft"] {
            run.answer(flow, answer, at(1)).unwrap();
        }
        run.count(flow, at(2)).unwrap();
        run.answer(flow, "weg", at(3)).unwrap();
        assert_eq!(run.outcome(flow), Some((Outcome::Sanctions, false)));
    }

    #[test]
    fn undo_goes_back_one_step_and_is_itself_logged() {
        let flow = office();
        let mut run = FlowRun::new("r1", FlowId::Kantoor, at(0));
        run.answer(flow, "agressief", at(1)).unwrap();
        run.undo(flow, at(2)).unwrap();
        assert_eq!(run.state(flow).unwrap().current(), "kalmeren");
        assert_eq!(run.events.len(), 2, "the undo stays in the log");
        assert_eq!(run.undo(flow, at(3)), Err(RunError::NothingToUndo));
    }

    #[test]
    fn undo_takes_back_a_tally_before_an_answer() {
        let flow = office();
        let mut run = FlowRun::new("r1", FlowId::Kantoor, at(0));
        for answer in ["agressief", "agressief", "blijft"] {
            run.answer(flow, answer, at(1)).unwrap();
        }
        run.count(flow, at(2)).unwrap();
        run.count(flow, at(3)).unwrap();
        run.undo(flow, at(4)).unwrap();
        let state = run.state(flow).unwrap();
        assert_eq!(state.current(), "verzoek_verlaten");
        assert_eq!(state.counts, vec![at(2)]);
    }

    #[test]
    fn unknown_answers_are_refused() {
        let flow = office();
        let mut run = FlowRun::new("r1", FlowId::Kantoor, at(0));
        assert!(matches!(
            run.answer(flow, "bestaat_niet", at(1)),
            Err(RunError::UnknownAnswer { .. })
        ));
        assert!(run.events.is_empty());
    }

    #[test]
    fn counting_where_there_is_no_counter_is_refused() {
        let mut run = FlowRun::new("r1", FlowId::Kantoor, at(0));
        assert!(matches!(
            run.count(office(), at(1)),
            Err(RunError::NoCounter { .. })
        ));
    }

    #[test]
    fn a_log_survives_serialization() {
        let flow = office();
        let mut run = FlowRun::new("r1", FlowId::Kantoor, at(0));
        run.answer(flow, "agressief", at(1)).unwrap();
        run.events.push(RunEvent {
            at: at(2),
            kind: EventKind::Counted {
                node: "grens".into(),
            },
        });
        run.undo(flow, at(3)).unwrap();
        let json = serde_json::to_string(&run).unwrap();
        let back: FlowRun = serde_json::from_str(&json).unwrap();
        assert_eq!(back, run);
        assert!(
            json.contains(r#""event":"answered","node":"kalmeren","answer":"agressief""#),
            "{json}"
        );
        assert!(
            json.contains(r#""event":"counted","node":"grens""#),
            "{json}"
        );
        assert!(json.contains(r#""event":"undone""#), "{json}");
    }

    #[test]
    fn an_event_missing_what_it_names_is_an_error() {
        for json in [
            r#"{"at":"2026-11-30T09:00:00Z","event":"answered","node":"kalmeren"}"#,
            r#"{"at":"2026-11-30T09:00:00Z","event":"counted"}"#,
            r#"{"at":"2026-11-30T09:00:00Z","event":"vergeten"}"#,
            r#"{"event":"undone"}"#,
        ] {
            assert!(serde_json::from_str::<RunEvent>(json).is_err(), "{json}");
        }
    }

    #[test]
    fn a_log_naming_a_step_the_content_lacks_is_an_error_not_a_panic() {
        let mut run = FlowRun::new("r1", FlowId::Kantoor, at(0));
        run.events.push(RunEvent {
            at: at(1),
            kind: EventKind::Answered {
                node: "verdwenen".into(),
                answer: "x".into(),
            },
        });
        assert!(matches!(
            run.state(office()),
            Err(RunError::UnknownNode { .. })
        ));
    }
}
