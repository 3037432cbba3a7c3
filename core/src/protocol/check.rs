//! Structural checks of protocol content: what makes a flow safe to walk in a crisis.
//! Run by the native tests on every locale; an organisation editing its content runs them too.

use std::collections::{HashMap, HashSet, VecDeque};

use super::model::{Flow, FlowId, Protocol};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ContentError {
    #[error("flow {flow:?} is missing")]
    MissingFlow { flow: FlowId },
    #[error("flow {flow:?} appears more than once")]
    DuplicateFlow { flow: FlowId },
    #[error("flow {flow:?}: node id {node:?} is used twice")]
    DuplicateNode { flow: FlowId, node: String },
    #[error("flow {flow:?}: start node {node:?} does not exist")]
    MissingStart { flow: FlowId, node: String },
    #[error(
        "flow {flow:?}: answer {answer:?} of {node:?} leads to {next:?}, which does not exist"
    )]
    DanglingAnswer {
        flow: FlowId,
        node: String,
        answer: String,
        next: String,
    },
    #[error("flow {flow:?}: node {node:?} has no answers and is not an end")]
    DeadEnd { flow: FlowId, node: String },
    #[error("flow {flow:?}: end node {node:?} also has answers")]
    EndWithAnswers { flow: FlowId, node: String },
    #[error("flow {flow:?}: node {node:?} cannot be reached from the start")]
    Unreachable { flow: FlowId, node: String },
    #[error("flow {flow:?}: from node {node:?} no path leads to an end")]
    NoWayOut { flow: FlowId, node: String },
    #[error("flow {flow:?}: node {node:?} has two answers with id {answer:?}")]
    DuplicateAnswer {
        flow: FlowId,
        node: String,
        answer: String,
    },
    #[error("flow {flow:?}: node {node:?} has two actions to tick with id {tick:?}")]
    DuplicateTick {
        flow: FlowId,
        node: String,
        tick: String,
    },
}

/// Every problem in the content; empty when it is sound.
pub fn check(protocol: &Protocol) -> Vec<ContentError> {
    let mut errors = Vec::new();
    for flow in FlowId::ALL {
        match protocol.flows.iter().filter(|f| f.id == flow).count() {
            0 => errors.push(ContentError::MissingFlow { flow }),
            1 => {}
            _ => errors.push(ContentError::DuplicateFlow { flow }),
        }
    }
    for flow in &protocol.flows {
        errors.extend(check_flow(flow));
    }
    errors
}

pub fn check_flow(flow: &Flow) -> Vec<ContentError> {
    let id = flow.id;
    let mut errors = Vec::new();
    let mut seen = HashSet::new();
    for node in &flow.nodes {
        if !seen.insert(node.id.as_str()) {
            errors.push(ContentError::DuplicateNode {
                flow: id,
                node: node.id.clone(),
            });
        }
    }
    if flow.node(&flow.start).is_none() {
        errors.push(ContentError::MissingStart {
            flow: id,
            node: flow.start.clone(),
        });
        return errors;
    }
    for node in &flow.nodes {
        match (node.is_end(), node.answers.is_empty()) {
            (false, true) => errors.push(ContentError::DeadEnd {
                flow: id,
                node: node.id.clone(),
            }),
            (true, false) => errors.push(ContentError::EndWithAnswers {
                flow: id,
                node: node.id.clone(),
            }),
            _ => {}
        }
        let mut answer_ids = HashSet::new();
        for answer in &node.answers {
            if !answer_ids.insert(answer.id.as_str()) {
                errors.push(ContentError::DuplicateAnswer {
                    flow: id,
                    node: node.id.clone(),
                    answer: answer.id.clone(),
                });
            }
            if flow.node(&answer.next).is_none() {
                errors.push(ContentError::DanglingAnswer {
                    flow: id,
                    node: node.id.clone(),
                    answer: answer.id.clone(),
                    next: answer.next.clone(),
                });
            }
        }
        let mut ticks = HashSet::new();
        for tick in node.actions.iter().filter_map(|a| a.tick.as_deref()) {
            if !ticks.insert(tick) {
                errors.push(ContentError::DuplicateTick {
                    flow: id,
                    node: node.id.clone(),
                    tick: tick.to_owned(),
                });
            }
        }
    }

    let edges: HashMap<&str, Vec<&str>> = flow
        .nodes
        .iter()
        .map(|n| {
            (
                n.id.as_str(),
                n.answers.iter().map(|a| a.next.as_str()).collect(),
            )
        })
        .collect();

    let reachable = reach(&edges, [flow.start.as_str()]);
    for node in &flow.nodes {
        if !reachable.contains(node.id.as_str()) {
            errors.push(ContentError::Unreachable {
                flow: id,
                node: node.id.clone(),
            });
        }
    }

    // Walk the edges backwards from the ends: whatever that does not reach is a trap.
    let mut reverse: HashMap<&str, Vec<&str>> = HashMap::new();
    for (from, tos) in &edges {
        for to in tos {
            reverse.entry(to).or_default().push(from);
        }
    }
    let ends = flow
        .nodes
        .iter()
        .filter(|n| n.is_end())
        .map(|n| n.id.as_str());
    let can_finish = reach(&reverse, ends);
    for node in &flow.nodes {
        if !can_finish.contains(node.id.as_str()) {
            errors.push(ContentError::NoWayOut {
                flow: id,
                node: node.id.clone(),
            });
        }
    }
    errors
}

fn reach<'a>(
    edges: &HashMap<&'a str, Vec<&'a str>>,
    from: impl IntoIterator<Item = &'a str>,
) -> HashSet<&'a str> {
    let mut seen: HashSet<&str> = HashSet::new();
    let mut queue: VecDeque<&str> = from.into_iter().collect();
    while let Some(node) = queue.pop_front() {
        if seen.insert(node) {
            if let Some(next) = edges.get(node) {
                queue.extend(next.iter().copied());
            }
        }
    }
    seen
}

/// The part of a step that must not differ between languages: ids, links, counts, ends.
#[derive(PartialEq)]
struct StepShape {
    id: String,
    answers: Vec<(String, String, bool, bool)>,
    is_end: bool,
    actions: Vec<Option<String>>,
    counter: Option<u8>,
    warn_colleagues: bool,
}

fn shape(flow: &Flow) -> Vec<StepShape> {
    flow.nodes
        .iter()
        .map(|n| StepShape {
            id: n.id.clone(),
            answers: n
                .answers
                .iter()
                .map(|a| (a.id.clone(), a.next.clone(), a.own, a.silent_alarm))
                .collect(),
            is_end: n.is_end(),
            actions: n.actions.iter().map(|a| a.tick.clone()).collect(),
            counter: n.counter.as_ref().map(|c| c.max),
            warn_colleagues: n.warn_colleagues,
        })
        .collect()
}

/// A translation must have the same flows, steps, answers and list lengths as the source,
/// so that a run started in one language can be shown in the other.
pub fn same_shape(source: &Protocol, translation: &Protocol) -> Vec<String> {
    let mut diffs = Vec::new();
    let compare = |diffs: &mut Vec<String>, what: &str, a: usize, b: usize| {
        if a != b {
            diffs.push(format!("{what}: {a} in the source, {b} in the translation"));
        }
    };
    compare(
        &mut diffs,
        "intro paragraphs",
        source.intro.len(),
        translation.intro.len(),
    );
    compare(
        &mut diffs,
        "general points",
        source.general_points.items.len(),
        translation.general_points.items.len(),
    );
    compare(
        &mut diffs,
        "kinds",
        source.kinds.len(),
        translation.kinds.len(),
    );
    for (a, b) in source.kinds.iter().zip(&translation.kinds) {
        compare(
            &mut diffs,
            &format!("responses of {:?}", a.id),
            a.responses.len(),
            b.responses.len(),
        );
        if a.id != b.id {
            diffs.push(format!("kind {:?} is {:?} in the translation", a.id, b.id));
        }
    }
    compare(
        &mut diffs,
        "flows",
        source.flows.len(),
        translation.flows.len(),
    );
    for (a, b) in source.flows.iter().zip(&translation.flows) {
        if a.id != b.id
            || a.start != b.start
            || shape(a) != shape(b)
            || a.intro.len() != b.intro.len()
        {
            diffs.push(format!("flow {:?} differs in its steps or answers", a.id));
        }
    }
    compare(
        &mut diffs,
        "extreme: during",
        source.extreme.during.len(),
        translation.extreme.during.len(),
    );
    compare(
        &mut diffs,
        "extreme: after",
        source.extreme.after.len(),
        translation.extreme.after.len(),
    );
    let (sa, ta) = (&source.aftercare, &translation.aftercare);
    compare(
        &mut diffs,
        "aftercare conversations",
        sa.conversations.len(),
        ta.conversations.len(),
    );
    for (a, b) in sa.conversations.iter().zip(&ta.conversations) {
        compare(
            &mut diffs,
            &format!("checklist of {}", a.id),
            a.checklist.len(),
            b.checklist.len(),
        );
    }
    compare(
        &mut diffs,
        "normal reactions",
        sa.reactions.len(),
        ta.reactions.len(),
    );
    compare(
        &mut diffs,
        "sanctions",
        source.sanctions.list.len(),
        translation.sanctions.list.len(),
    );
    compare(
        &mut diffs,
        "sanctions explained",
        source.sanctions.explained.len(),
        translation.sanctions.explained.len(),
    );
    diffs
}
