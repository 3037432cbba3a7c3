//! One walk through a flow: a timestamped, append-only log of what was tapped, and the state
//! that follows from it. The log is the record (it prefills the registration form); the state
//! is derived by replaying it, so undo is an event too and nothing is ever rewritten.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::model::{Flow, FlowId, KindId, Node, Outcome};

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
    /// An action of a step ticked off (left the home, informed the manager, …).
    Ticked { node: String, action: String },
    /// A tick taken back.
    Unticked { node: String, action: String },
    /// The guidance shown: frustration or instrumental aggression. The latest choice is
    /// carried into the report's `aard`.
    Guided { kind: KindId },
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
    #[serde(default)]
    action: Option<String>,
    #[serde(default)]
    kind: Option<KindId>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum EventName {
    Answered,
    Counted,
    Undone,
    Ticked,
    Unticked,
    Guided,
}

impl TryFrom<RunEventWire> for RunEvent {
    type Error = &'static str;

    fn try_from(wire: RunEventWire) -> Result<Self, Self::Error> {
        let kind = match (wire.event, wire.node, wire.answer, wire.action) {
            (EventName::Answered, Some(node), Some(answer), _) => {
                EventKind::Answered { node, answer }
            }
            (EventName::Answered, ..) => return Err("an answer needs `node` and `answer`"),
            (EventName::Counted, Some(node), ..) => EventKind::Counted { node },
            (EventName::Counted, None, ..) => return Err("a tally needs `node`"),
            (EventName::Undone, ..) => EventKind::Undone,
            (EventName::Ticked, Some(node), _, Some(action)) => EventKind::Ticked { node, action },
            (EventName::Unticked, Some(node), _, Some(action)) => {
                EventKind::Unticked { node, action }
            }
            (EventName::Ticked | EventName::Unticked, ..) => {
                return Err("a tick needs `node` and `action`")
            }
            (EventName::Guided, ..) => EventKind::Guided {
                kind: wire.kind.ok_or("guidance needs `kind`")?,
            },
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
    #[error(
        "the run moved on from step {shown:?}; the tap was meant for a screen no longer shown"
    )]
    Moved { shown: String },
    #[error("step {node:?} has no action to tick {action:?}")]
    UnknownAction { node: String, action: String },
    #[error("step {node:?} has no counter")]
    NoCounter { node: String },
    #[error("the counter already stands at its maximum of {max}")]
    CounterFull { max: u8 },
    #[error("nothing to undo")]
    NothingToUndo,
    #[error("the run refers to step {node:?}, which this version of the protocol does not have")]
    UnknownNode { node: String },
}

/// One line of a run's log. Texts from the content are carried; the interface's own words
/// (started, undone, ticked) are the shell's to translate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Logged {
    Started,
    Answer(String),
    Counted(String),
    Undone,
    Ticked(String),
    Unticked(String),
    Guided(KindId),
}

/// What a screen showed when it was tapped: the step, and how many answers and tallies were in
/// force (`RunState::effective`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shown<'a> {
    pub step: &'a str,
    pub in_force: usize,
}

/// Where a run stands, derived from its log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunState {
    /// Node ids from the start to the current step.
    pub path: Vec<String>,
    /// Times of the tallies on the current step's counter.
    pub counts: Vec<DateTime<Utc>>,
    /// Answers and tallies still in force, oldest first (undone ones removed): what the
    /// back button takes back.
    pub effective: Vec<RunEvent>,
    /// Actions ticked now, by step and action, with the time of the tick.
    pub ticked: Vec<(String, String, DateTime<Utc>)>,
    /// The latest guidance chosen.
    pub guided: Option<KindId>,
}

impl RunState {
    pub fn ticked_at(&self, node: &str, action: &str) -> Option<DateTime<Utc>> {
        self.ticked
            .iter()
            .find(|(n, a, _)| n == node && a == action)
            .map(|(.., at)| *at)
    }
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
        let mut ticked: Vec<(String, String, DateTime<Utc>)> = Vec::new();
        let mut guided = None;
        for event in &self.events {
            match &event.kind {
                EventKind::Undone => {
                    effective.pop();
                }
                EventKind::Answered { .. } | EventKind::Counted { .. } => {
                    effective.push(event.clone())
                }
                EventKind::Ticked { node, action } => {
                    ticked.retain(|(n, a, _)| !(n == node && a == action));
                    ticked.push((node.clone(), action.clone(), event.at));
                }
                EventKind::Unticked { node, action } => {
                    ticked.retain(|(n, a, _)| !(n == node && a == action));
                }
                EventKind::Guided { kind } => guided = Some(*kind),
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
                _ => {}
            }
        }
        Ok(RunState {
            path,
            counts,
            effective,
            ticked,
            guided,
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

    /// Whether `answer` can be chosen now.
    pub fn check_answer(&self, flow: &Flow, answer: &str) -> Result<(), RunError> {
        let (node, _) = self.current_node(flow)?;
        if node.is_end() {
            return Err(RunError::Finished);
        }
        node.answer(answer).ok_or_else(|| RunError::UnknownAnswer {
            node: node.id.clone(),
            answer: answer.to_owned(),
        })?;
        Ok(())
    }

    /// A tap on an answer of the screen `shown`: the step and the number of answers and
    /// tallies in force it showed. A second tap that arrives after the run moved on (a double
    /// tap, or a tap queued behind a write) is refused, never applied to the next step, whose
    /// answers may have the same id, nor counted twice.
    pub fn answer_from(
        &mut self,
        flow: &Flow,
        shown: Shown<'_>,
        answer: &str,
        at: DateTime<Utc>,
    ) -> Result<(), RunError> {
        self.expect_at(flow, shown)?;
        self.answer(flow, answer, at)
    }

    /// An answer at the current step.
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

    fn expect_at(&self, flow: &Flow, shown: Shown<'_>) -> Result<(), RunError> {
        let state = self.state(flow)?;
        if state.current() == shown.step && state.effective.len() == shown.in_force {
            Ok(())
        } else {
            Err(RunError::Moved {
                shown: shown.step.to_owned(),
            })
        }
    }

    /// One more request to leave (or whatever the step counts). Returns the new tally.
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

    /// A tap on the counter of the screen `shown` (see [`FlowRun::answer_from`]).
    pub fn count_at(
        &mut self,
        flow: &Flow,
        shown: Shown<'_>,
        at: DateTime<Utc>,
    ) -> Result<u8, RunError> {
        self.expect_at(flow, shown)?;
        self.count(flow, at)
    }

    /// Ticks an action of the step `shown` off, or takes the tick back. Returns whether it is
    /// ticked now.
    pub fn toggle_tick(
        &mut self,
        flow: &Flow,
        shown: &str,
        action: &str,
        at: DateTime<Utc>,
    ) -> Result<bool, RunError> {
        // Ticks do not move the run: only the step is compared (a double click ticks and
        // unticks, as on any checkbox).
        if self.state(flow)?.current() != shown {
            return Err(RunError::Moved {
                shown: shown.to_owned(),
            });
        }
        let (node, state) = self.current_node(flow)?;
        if node.action(action).is_none() {
            return Err(RunError::UnknownAction {
                node: node.id.clone(),
                action: action.to_owned(),
            });
        }
        let (node, action) = (node.id.clone(), action.to_owned());
        let done = state.ticked_at(&node, &action).is_none();
        let kind = if done {
            EventKind::Ticked { node, action }
        } else {
            EventKind::Unticked { node, action }
        };
        self.events.push(RunEvent { at, kind });
        Ok(done)
    }

    /// The guidance chosen during the run; a repeat of the latest choice is not logged again.
    pub fn guide(&mut self, flow: &Flow, kind: KindId, at: DateTime<Utc>) -> Result<(), RunError> {
        if self.state(flow)?.guided != Some(kind) {
            self.events.push(RunEvent {
                at,
                kind: EventKind::Guided { kind },
            });
        }
        Ok(())
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

    /// The back button on the screen `shown` (see [`FlowRun::answer_from`]).
    pub fn undo_from(
        &mut self,
        flow: &Flow,
        shown: Shown<'_>,
        at: DateTime<Utc>,
    ) -> Result<(), RunError> {
        self.expect_at(flow, shown)?;
        self.undo(flow, at)
    }

    /// The log as people read it: what was tapped, in the words of the content. Shown on the
    /// flow page and in the report; written once here.
    pub fn log(&self, flow: &Flow) -> Vec<(DateTime<Utc>, Logged)> {
        let node = |id: &str| flow.node(id);
        let mut lines = vec![(self.started_at, Logged::Started)];
        for e in &self.events {
            let line = match &e.kind {
                EventKind::Answered { node: n, answer } => Logged::Answer(
                    node(n)
                        .and_then(|n| n.answer(answer))
                        .map_or_else(|| answer.clone(), |a| a.label.clone()),
                ),
                EventKind::Counted { node: n } => Logged::Counted(
                    node(n)
                        .and_then(|n| n.counter.as_ref())
                        .map_or_else(|| n.clone(), |c| c.label.clone()),
                ),
                EventKind::Undone => Logged::Undone,
                EventKind::Ticked { node: n, action } | EventKind::Unticked { node: n, action } => {
                    let text = node(n)
                        .and_then(|n| n.action(action))
                        .map_or_else(|| action.clone(), |a| a.text.clone());
                    if matches!(e.kind, EventKind::Ticked { .. }) {
                        Logged::Ticked(text)
                    } else {
                        Logged::Unticked(text)
                    }
                }
                EventKind::Guided { kind } => Logged::Guided(*kind),
            };
            lines.push((e.at, line));
        }
        lines
    }

    /// When the silent alarm was pressed, if the run went that way and still does.
    pub fn silent_alarm(&self, flow: &Flow) -> Option<DateTime<Utc>> {
        let state = self.state(flow).ok()?;
        state.effective.iter().find_map(|e| match &e.kind {
            EventKind::Answered { node, answer } => flow
                .node(node)
                .and_then(|n| n.answer(answer))
                .filter(|a| a.silent_alarm)
                .map(|_| e.at),
            _ => None,
        })
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
        dutch().flow(FlowId::Kantoor).expect("office flow")
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

    fn to_the_requests_to_leave(run: &mut FlowRun) {
        for answer in ["agressief", "agressief", "blijft"] {
            run.answer(office(), answer, at(1)).unwrap();
        }
        assert_eq!(run.state(office()).unwrap().current(), "verzoek_verlaten");
    }

    #[test]
    fn fetching_the_manager_never_waits_for_the_requests_to_leave() {
        let flow = office();
        let mut run = FlowRun::new("r1", FlowId::Kantoor, at(0));
        to_the_requests_to_leave(&mut run);
        run.answer(flow, "geen_gehoor", at(5)).unwrap();
        assert_eq!(run.state(flow).unwrap().current(), "leidinggevende");
    }

    #[test]
    fn the_requests_to_leave_count_to_three_with_their_times_and_no_further() {
        let flow = office();
        let mut run = FlowRun::new("r1", FlowId::Kantoor, at(0));
        to_the_requests_to_leave(&mut run);
        assert_eq!(run.count(flow, at(5)), Ok(1));
        assert_eq!(run.count(flow, at(6)), Ok(2));
        assert_eq!(run.count(flow, at(7)), Ok(3));
        assert_eq!(
            run.count(flow, at(8)),
            Err(RunError::CounterFull { max: 3 })
        );
        assert_eq!(run.state(flow).unwrap().counts, vec![at(5), at(6), at(7)]);
        run.answer(flow, "geen_gehoor", at(9)).unwrap();
        assert!(
            run.state(flow).unwrap().counts.is_empty(),
            "a new step, a new tally"
        );
    }

    #[test]
    fn both_police_ends_of_the_office_chart_are_walkable() {
        let flow = office();
        // Through the manager: "Politie wordt ingeschakeld … door leidinggevende".
        let mut run = FlowRun::new("r1", FlowId::Kantoor, at(0));
        to_the_requests_to_leave(&mut run);
        run.answer(flow, "geen_gehoor", at(2)).unwrap();
        run.answer(flow, "geen_gehoor", at(3)).unwrap();
        assert_eq!(run.state(flow).unwrap().current(), "politie_leidinggevende");
        assert_eq!(run.outcome(flow), Some((Outcome::Sanctions, true)));
        // Through the silent alarm, pressed at the desk: the log keeps when.
        let mut run = FlowRun::new("r2", FlowId::Kantoor, at(0));
        to_the_requests_to_leave(&mut run);
        run.answer(flow, "stil_alarm", at(4)).unwrap();
        assert_eq!(run.state(flow).unwrap().current(), "politie_stil_alarm");
        assert_eq!(run.outcome(flow), Some((Outcome::Sanctions, true)));
        assert!(run.silent_alarm(flow).is_some_and(|t| t == at(4)));
    }

    #[test]
    fn a_tap_meant_for_a_screen_no_longer_shown_is_refused() {
        let flow = office();
        let first = Shown {
            step: "kalmeren",
            in_force: 0,
        };
        let mut run = FlowRun::new("r1", FlowId::Kantoor, at(0));
        run.answer_from(flow, first, "agressief", at(1)).unwrap();
        // The same button tapped again: "grens" has an answer with the same id.
        assert_eq!(
            run.answer_from(flow, first, "agressief", at(1)),
            Err(RunError::Moved {
                shown: "kalmeren".into()
            })
        );
        assert_eq!(run.state(flow).unwrap().current(), "grens");
        assert!(run.count_at(flow, first, at(2)).is_err());
        assert!(run.undo_from(flow, first, at(2)).is_err());
        assert_eq!(run.events.len(), 1);
    }

    #[test]
    fn a_double_tap_on_the_counter_or_on_back_acts_once() {
        let flow = office();
        let mut run = FlowRun::new("r1", FlowId::Kantoor, at(0));
        to_the_requests_to_leave(&mut run);
        let screen = Shown {
            step: "verzoek_verlaten",
            in_force: 3,
        };
        assert_eq!(run.count_at(flow, screen, at(2)), Ok(1));
        assert!(run.count_at(flow, screen, at(2)).is_err(), "counted once");
        let after = Shown {
            step: "verzoek_verlaten",
            in_force: 4,
        };
        run.undo_from(flow, after, at(3)).unwrap();
        assert!(run.undo_from(flow, after, at(3)).is_err(), "went back once");
        let state = run.state(flow).unwrap();
        assert_eq!(state.current(), "verzoek_verlaten");
        assert!(state.counts.is_empty());
    }

    #[test]
    fn each_closing_action_of_a_home_visit_is_ticked_on_its_own_with_its_time() {
        let flow = dutch().flow(FlowId::Woning).unwrap();
        let mut run = FlowRun::new("r1", FlowId::Woning, at(0));
        run.answer(flow, "agressief", at(1)).unwrap();
        run.answer(flow, "agressief", at(2)).unwrap();
        assert_eq!(run.state(flow).unwrap().current(), "verlaten");
        assert_eq!(
            run.toggle_tick(flow, "verlaten", "verlaten", at(3)),
            Ok(true)
        );
        assert_eq!(
            run.toggle_tick(flow, "verlaten", "collega", at(4)),
            Ok(true)
        );
        assert_eq!(
            run.toggle_tick(flow, "verlaten", "collega", at(5)),
            Ok(false)
        );
        assert_eq!(
            run.toggle_tick(flow, "verlaten", "collega", at(6)),
            Ok(true)
        );
        assert!(matches!(
            run.toggle_tick(flow, "verlaten", "koffie", at(7)),
            Err(RunError::UnknownAction { .. })
        ));
        let state = run.state(flow).unwrap();
        assert_eq!(state.ticked_at("verlaten", "verlaten"), Some(at(3)));
        assert_eq!(state.ticked_at("verlaten", "collega"), Some(at(6)));
        assert_eq!(state.ticked_at("verlaten", "politie"), None);
        // Ticks are not steps: the back button takes back the last answer.
        run.undo(flow, at(8)).unwrap();
        assert_eq!(run.state(flow).unwrap().current(), "grens");
        let log = run.log(flow);
        let ticked: Vec<_> = log
            .iter()
            .filter(|(_, l)| matches!(l, Logged::Ticked(_)))
            .collect();
        assert_eq!(ticked.len(), 3, "{log:?}");
        assert!(log.contains(&(
            at(5),
            Logged::Unticked("Licht je collega op kantoor in (receptie, balie)".into())
        )));
    }

    #[test]
    fn the_latest_guidance_is_remembered_and_not_logged_twice() {
        let flow = office();
        let mut run = FlowRun::new("r1", FlowId::Kantoor, at(0));
        run.guide(flow, KindId::Frustratie, at(1)).unwrap();
        run.guide(flow, KindId::Frustratie, at(2)).unwrap();
        run.guide(flow, KindId::Instrumenteel, at(3)).unwrap();
        assert_eq!(run.events.len(), 2);
        assert_eq!(run.state(flow).unwrap().guided, Some(KindId::Instrumenteel));
        assert_eq!(
            run.undo(flow, at(4)),
            Err(RunError::NothingToUndo),
            "guidance is not a step to go back from"
        );
    }

    #[test]
    fn leaving_after_one_request_ends_with_sanctions_without_police() {
        let flow = office();
        let mut run = FlowRun::new("r1", FlowId::Kantoor, at(0));
        to_the_requests_to_leave(&mut run);
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
        to_the_requests_to_leave(&mut run);
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
            r#"{"at":"2026-11-30T09:00:00Z","event":"ticked","node":"verlaten"}"#,
            r#"{"at":"2026-11-30T09:00:00Z","event":"guided"}"#,
            r#"{"at":"2026-11-30T09:00:00Z","event":"guided","kind":"boos"}"#,
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
