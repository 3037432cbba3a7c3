//! Every piece of protocol text with the place it belongs to: feeds search and the
//! source-fidelity test, so both see exactly what the app can show.

use super::model::{FlowId, KindId, Protocol};

/// Where a text lives, so a search hit can link to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    Intro,
    GeneralPoints,
    Kind(KindId),
    Flow { flow: FlowId, node: Option<String> },
    Extreme,
    Aftercare,
    Sanctions,
}

impl Place {
    /// The id of the element on the reference page that shows this place, so a search hit
    /// opens exactly the step or end it names. The page renders its ids with this function.
    pub fn anchor(&self) -> String {
        match self {
            Place::Intro => "inleiding".into(),
            Place::GeneralPoints => "algemeen".into(),
            Place::Kind(KindId::Frustratie) => "frustratie".into(),
            Place::Kind(KindId::Instrumenteel) => "instrumenteel".into(),
            Place::Flow { flow, node: None } => format!("procedure-{}", flow.slug()),
            Place::Flow {
                flow,
                node: Some(node),
            } => format!("procedure-{}-{node}", flow.slug()),
            Place::Extreme => "extreem".into(),
            Place::Aftercare => "nazorg".into(),
            Place::Sanctions => "sancties".into(),
        }
    }
}

pub fn all_texts(p: &Protocol) -> Vec<(Place, &str)> {
    let mut out = Vec::new();
    out.push((Place::Intro, p.title.as_str()));
    out.extend(p.intro.iter().map(|t| (Place::Intro, t.as_str())));
    out.push((Place::Intro, p.kinds_intro.as_str()));
    out.push((Place::Intro, p.procedures_title.as_str()));

    out.push((Place::GeneralPoints, p.general_points.title.as_str()));
    out.extend(
        p.general_points
            .items
            .iter()
            .map(|t| (Place::GeneralPoints, t.as_str())),
    );

    for kind in &p.kinds {
        let place = Place::Kind(kind.id);
        for t in [
            &kind.title,
            &kind.definition,
            &kind.key_point,
            &kind.responses_title,
        ] {
            out.push((place.clone(), t.as_str()));
        }
        out.extend(kind.responses.iter().map(|t| (place.clone(), t.as_str())));
    }

    for flow in &p.flows {
        let whole = Place::Flow {
            flow: flow.id,
            node: None,
        };
        out.push((whole.clone(), flow.title.as_str()));
        out.extend(flow.intro.iter().map(|t| (whole.clone(), t.as_str())));
        for node in &flow.nodes {
            let place = Place::Flow {
                flow: flow.id,
                node: Some(node.id.clone()),
            };
            out.push((place.clone(), node.text.as_str()));
            if let Some(detail) = &node.detail {
                out.push((place.clone(), detail.as_str()));
            }
            if let Some(counter) = &node.counter {
                out.push((place.clone(), counter.label.as_str()));
            }
            out.extend(
                node.actions
                    .iter()
                    .map(|a| (place.clone(), a.text.as_str())),
            );
            out.extend(
                node.answers
                    .iter()
                    .map(|a| (place.clone(), a.label.as_str())),
            );
            if let Some(end) = &node.end {
                out.extend(end.then.iter().map(|t| (place.clone(), t.as_str())));
            }
        }
    }

    let e = &p.extreme;
    for t in [&e.title, &e.definition, &e.during_title, &e.after_title] {
        out.push((Place::Extreme, t.as_str()));
    }
    out.extend(
        e.during
            .iter()
            .chain(&e.after)
            .map(|t| (Place::Extreme, t.as_str())),
    );

    let a = &p.aftercare;
    for t in [
        &a.title,
        &a.first_care_title,
        &a.follow_up_title,
        &a.model_title,
        &a.extreme_title,
        &a.extreme,
        &a.reactions_title,
    ] {
        out.push((Place::Aftercare, t.as_str()));
    }
    for list in [
        &a.intro,
        &a.first_care,
        &a.follow_up,
        &a.processing,
        &a.reactions,
        &a.processing_after,
    ] {
        out.extend(list.iter().map(|t| (Place::Aftercare, t.as_str())));
    }
    for c in &a.conversations {
        out.push((Place::Aftercare, c.title.as_str()));
        out.push((Place::Aftercare, c.when.as_str()));
        out.extend(c.checklist.iter().map(|t| (Place::Aftercare, t.as_str())));
    }

    let s = &p.sanctions;
    out.push((Place::Sanctions, s.title.as_str()));
    out.push((Place::Sanctions, s.list_title.as_str()));
    for list in [&s.intro, &s.list, &s.closing] {
        out.extend(list.iter().map(|t| (Place::Sanctions, t.as_str())));
    }
    for x in &s.explained {
        out.push((Place::Sanctions, x.title.as_str()));
        out.extend(x.paragraphs.iter().map(|t| (Place::Sanctions, t.as_str())));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::dutch;
    use std::collections::HashMap;

    /// Every place a text can have, and every step and end, gets an anchor of its own, usable
    /// as an HTML id. That the reference page renders them is checked in e2e (naslag.test.mjs).
    #[test]
    fn every_place_has_its_own_anchor() {
        let p = dutch();
        let mut seen: HashMap<String, Place> = HashMap::new();
        let nodes = p.flows.iter().flat_map(|f| {
            f.nodes.iter().map(|n| Place::Flow {
                flow: f.id,
                node: Some(n.id.clone()),
            })
        });
        let places = all_texts(p).into_iter().map(|(place, _)| place);
        for place in places.chain(nodes) {
            let anchor = place.anchor();
            assert!(
                !anchor.is_empty() && !anchor.contains(char::is_whitespace),
                "{anchor:?}"
            );
            assert!(!anchor.contains('#'), "{anchor:?}");
            if let Some(other) = seen.insert(anchor.clone(), place.clone()) {
                assert_eq!(other, place, "{anchor} is shared");
            }
        }
        // Every step and end of every flow, each part of the text, and each flow as a whole.
        let flows: usize = p.flows.iter().map(|f| f.nodes.len() + 1).sum();
        assert_eq!(seen.len(), flows + 7);
    }
}
