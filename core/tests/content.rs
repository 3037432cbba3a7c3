//! The protocol content, checked against its own structure and against the source text.

use veilig_core::protocol::check::{check, check_flow, same_shape, ContentError};
use veilig_core::protocol::content::{parse, DUTCH_JSON};
use veilig_core::protocol::search::fold;
use veilig_core::protocol::texts::all_texts;
use veilig_core::protocol::{FlowId, Node, Protocol};
use veilig_core::Locale;

const SOURCE: &str = include_str!("../content/source/agressieprotocol.txt");

const ENGLISH_JSON: &str = include_str!("../content/protocol.en.json");

fn nl() -> Protocol {
    parse(DUTCH_JSON).expect("Dutch content parses")
}

fn en() -> Protocol {
    parse(ENGLISH_JSON).expect("English content parses")
}

/// Whitespace collapsed, quotes made plain, case and diacritics kept (fidelity is word for word).
fn normalize(text: &str) -> String {
    let plain: String = text
        .chars()
        .map(|c| match c {
            '‘' | '’' => '\'',
            _ => c,
        })
        .collect();
    plain.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The bullet points of the source ("-" at the start of a line), with their wrapped
/// continuation lines. The PDF extraction puts flowchart columns on one line separated by
/// runs of spaces or an arrow; only the first column belongs to the bullet.
fn source_bullets() -> Vec<String> {
    let first_column = |line: &str| -> String {
        let line = line.split('➔').next().unwrap_or("");
        line.split("  ").next().unwrap_or("").trim().to_owned()
    };
    let mut bullets: Vec<String> = Vec::new();
    let mut open = false;
    for raw in SOURCE.lines() {
        let line = raw.trim_start();
        if let Some(rest) = line.strip_prefix('-') {
            bullets.push(first_column(rest));
            open = true;
        } else if line.trim().is_empty() {
            continue;
        } else if open && line.starts_with(|c: char| c.is_lowercase() || c == '(') {
            let tail = first_column(line);
            let last = bullets.last_mut().expect("open bullet");
            last.push(' ');
            last.push_str(&tail);
        } else {
            open = false;
        }
    }
    bullets
        .into_iter()
        .map(|b| normalize(&b))
        .filter(|b| !b.is_empty())
        .collect()
}

/// Every text of the content, normalized: a bullet must be one of them, whole.
fn all_dutch_texts(p: &Protocol) -> std::collections::HashSet<String> {
    all_texts(p).iter().map(|(_, t)| normalize(t)).collect()
}

#[test]
fn every_locale_parses() {
    assert_eq!(nl().locale, Locale::Nl);
    assert_eq!(en().locale, Locale::En);
}

#[test]
fn every_locale_is_structurally_sound() {
    for (locale, content) in [(Locale::Nl, nl()), (Locale::En, en())] {
        let errors = check(&content);
        assert!(errors.is_empty(), "{}: {errors:#?}", locale.code());
    }
}

#[test]
fn the_translation_has_the_source_shape_and_says_it_is_one() {
    let en = en();
    let diffs = same_shape(&nl(), &en);
    assert!(diffs.is_empty(), "{diffs:#?}");
    assert!(nl().translation_note.is_none());
    assert!(en
        .translation_note
        .as_deref()
        .is_some_and(|n| !n.is_empty()));
}

#[test]
fn the_source_has_the_bullets_we_expect_to_check() {
    // Guards the parser: if it silently found nothing, the fidelity test would prove nothing.
    let bullets = source_bullets();
    assert!(bullets.len() >= 70, "found only {} bullets", bullets.len());
    assert!(bullets.contains(&"Let op gevaar.".to_owned()));
    assert!(
        bullets.contains(&"Licht je collega op kantoor in (receptie, balie)".to_owned()),
        "{bullets:#?}"
    );
}

#[test]
fn every_bullet_of_the_source_is_in_the_dutch_content() {
    let content = all_dutch_texts(&nl());
    let missing: Vec<String> = source_bullets()
        .into_iter()
        .filter(|b| !content.contains(b))
        .collect();
    assert!(
        missing.is_empty(),
        "bullets of the source missing from protocol.nl.json: {missing:#?}"
    );
}

/// The flowchart boxes of section 1.3, read from the garbled extraction (see
/// `../shared/design/protocol.md`). Each must be a step, answer or end of the matching flow.
const FLOW_BOXES: &[(FlowId, &str)] = &[
    (FlowId::Kantoor, "Probeer de persoon rustig te krijgen m.b.t. vaardigheden"),
    (FlowId::Kantoor, "persoon blijft agressief of het wordt erger"),
    (FlowId::Kantoor, "Geef de grens aan als waarschuwing en geef persoon de keuze"),
    (FlowId::Kantoor, "persoon past gedrag aan en wordt rustiger"),
    (FlowId::Kantoor, "Gesprek wordt voortgezet, mits gedrag rustig blijft"),
    (FlowId::Kantoor, "Beëindig het gesprek"),
    (FlowId::Kantoor, "persoon gaat weg"),
    (FlowId::Kantoor, "persoon gaat niet weg en blijft agressief"),
    (FlowId::Kantoor, "persoon wordt verzocht pand te verlaten (zo nodig 3x)"),
    (FlowId::Kantoor, "Leidinggevende wordt erbij gehaald"),
    (FlowId::Kantoor, "persoon geeft geen gehoor, gaat niet weg"),
    (FlowId::Kantoor, "Ordegesprek, dit gedrag accepteren wij niet"),
    (FlowId::Kantoor, "persoon past gedrag aan"),
    (FlowId::Kantoor, "Politie wordt ingeschakeld"),
    (FlowId::Kantoor, "Politie wordt ingeschakeld door stil alarm of door leidinggevende"),
    (FlowId::Kantoor, "Eventuele sancties volgen"),
    (FlowId::Kantoor, "Door leidinggevende"),
    (FlowId::Woning, "Probeer de persoon rustig te krijgen m.b.t. vaardigheden"),
    (FlowId::Woning, "persoon blijft agressief"),
    (FlowId::Woning, "persoon past gedrag aan"),
    (FlowId::Woning, "Gesprek wordt voortgezet, mits gedrag rustig blijft"),
    (FlowId::Woning, "Geef de grens aan en geef de persoon de keuze"),
    (FlowId::Woning, "Beëindig het gesprek en verlaat de woning"),
    (FlowId::Woning, "Bel indien nodig de politie"),
    (FlowId::Woning, "Sein leidinggevende in"),
    (FlowId::Woning, "Licht je collega op kantoor in (receptie, balie)"),
    (FlowId::Woning, "Eventuele sancties volgen"),
    (FlowId::Telefoon, "Probeer de persoon rustig te krijgen m.b.t. vaardigheden"),
    (FlowId::Telefoon, "persoon past gedrag aan"),
    (FlowId::Telefoon, "persoon blijft agressief"),
    (FlowId::Telefoon, "Gesprek wordt voortgezet, mits gedrag rustig blijft"),
    (FlowId::Telefoon, "Geef als waarschuwing de grens aan en geef persoon de keuze"),
    (FlowId::Telefoon, "Geef aan het gesprek te beëindigen en dat de persoon mag terugbellen als hij rustig is, hang op"),
    (FlowId::Telefoon, "Meld incident bij leidinggevende en registreer voor collega's"),
    (FlowId::Telefoon, "Eventuele sancties volgen"),
];

/// Words of a box, folded, so that "Beeindig"/"Beëindig" and line breaks do not matter.
fn words(text: &str) -> Vec<String> {
    fold(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

#[test]
fn every_flow_box_is_in_the_source_and_in_its_flow() {
    let source_words: std::collections::HashSet<String> = words(SOURCE).into_iter().collect();
    let p = nl();
    for (flow_id, boxed) in FLOW_BOXES {
        // Every word of the box is a word of the source: the list invents nothing.
        for word in words(boxed) {
            // "mbt" in the office chart, "m.b.t." elsewhere; both fold to letters the source has.
            assert!(
                source_words.contains(&word),
                "{word:?} of {boxed:?} is not in the source"
            );
        }
        let flow = p.flow(*flow_id).expect("flow");
        let texts: Vec<String> = flow
            .nodes
            .iter()
            .flat_map(|n: &Node| {
                let mut t = vec![n.text.clone()];
                t.extend(n.detail.clone());
                t.extend(n.answers.iter().map(|a| a.label.clone()));
                t.extend(n.actions.iter().map(|a| a.text.clone()));
                t.extend(n.end.iter().flat_map(|e| e.then.clone()));
                t
            })
            .map(|t| fold(&normalize(&t)))
            .collect();
        let wanted = fold(&normalize(boxed));
        assert!(
            texts.iter().any(|t| t.contains(wanted.as_str())),
            "flow {flow_id:?} lacks the box {boxed:?}"
        );
    }
}

fn boxes_of(flow: FlowId) -> Vec<String> {
    FLOW_BOXES
        .iter()
        .filter(|(f, _)| *f == flow)
        .map(|(_, b)| fold(&normalize(b)))
        .collect()
}

/// Wording in a flow that is neither a box of its chart nor part of one (nor a bullet of the
/// source) and is not marked as the app's own: the app would put words in the protocol's mouth.
fn invented_wording(p: &Protocol) -> Vec<String> {
    let bullets: Vec<String> = source_bullets().iter().map(|b| fold(b)).collect();
    let mut found = Vec::new();
    for flow in &p.flows {
        let boxes = boxes_of(flow.id);
        let is_box = |t: &str| boxes.contains(&fold(&normalize(t)));
        let in_source = |t: &str| {
            let t = fold(&normalize(t));
            boxes.iter().chain(&bullets).any(|b| b.contains(t.as_str()))
        };
        for node in &flow.nodes {
            if !in_source(&node.text) {
                found.push(format!("{:?} step {:?}", flow.id, node.text));
            }
            for a in &node.answers {
                // An answer is an arrow's label in the chart: a whole box, or the app's own.
                if a.own == is_box(&a.label) {
                    found.push(format!(
                        "{:?} answer {:?} (own: {})",
                        flow.id, a.label, a.own
                    ));
                }
            }
            for a in &node.actions {
                if a.own == in_source(&a.text) {
                    found.push(format!(
                        "{:?} action {:?} (own: {})",
                        flow.id, a.text, a.own
                    ));
                }
            }
            for then in node.end.iter().flat_map(|e| &e.then) {
                if !in_source(then) {
                    found.push(format!("{:?} end {:?}", flow.id, then));
                }
            }
        }
    }
    found
}

#[test]
fn every_answer_not_in_the_source_is_marked_as_the_apps_own_wording() {
    let found = invented_wording(&nl());
    assert!(found.is_empty(), "{found:#?}");
    // The content does use its own wording where a flow needs it, and says so.
    assert!(nl()
        .flows
        .iter()
        .flat_map(|f| &f.nodes)
        .flat_map(|n| &n.answers)
        .any(|a| a.own));
}

#[test]
fn an_unmarked_invented_answer_and_a_box_marked_as_own_are_caught() {
    let mut p = nl();
    office(&mut p).nodes[0].answers[0].own = false;
    assert!(!invented_wording(&p).is_empty(), "invented but not marked");
    let mut p = nl();
    office(&mut p).nodes[0].answers[1].own = true;
    assert!(
        !invented_wording(&p).is_empty(),
        "a box of the chart marked as own"
    );
}

/// Every node of a flow with the answers that lead to it from the start (shortest path).
fn paths(flow: &veilig_core::protocol::Flow) -> Vec<(String, Vec<String>)> {
    let mut out: Vec<(String, Vec<String>)> = vec![(flow.start.clone(), vec![])];
    let mut i = 0;
    while i < out.len() {
        let (id, path) = out[i].clone();
        for a in &flow.node(&id).unwrap().answers {
            if !out.iter().any(|(n, _)| *n == a.next) {
                let mut p = path.clone();
                p.push(a.id.clone());
                out.push((a.next.clone(), p));
            }
        }
        i += 1;
    }
    out
}

#[test]
fn no_step_waits_for_a_counter() {
    use veilig_core::protocol::run::FlowRun;
    let at = chrono::DateTime::UNIX_EPOCH;
    for p in [nl(), en()] {
        for flow in &p.flows {
            for (node, path) in paths(flow) {
                for answer in &flow.node(&node).unwrap().answers {
                    let mut run = FlowRun::new("r", flow.id, at);
                    for a in &path {
                        run.answer(flow, a, at).unwrap();
                    }
                    // Not one tally made: every answer is open at once.
                    assert_eq!(
                        run.answer(flow, &answer.id, at),
                        Ok(()),
                        "{node}/{}",
                        answer.id
                    );
                }
            }
        }
    }
}

#[test]
fn the_office_chart_has_both_police_boxes_and_the_silent_alarm_leads_to_its_own() {
    let p = nl();
    let office = p.flow(FlowId::Kantoor).unwrap();
    let reached = paths(office);
    let police_ends: Vec<&Node> = office
        .nodes
        .iter()
        .filter(|n| n.end.as_ref().is_some_and(|e| e.police))
        .collect();
    assert_eq!(police_ends.len(), 2, "two police boxes in the chart");
    for end in &police_ends {
        assert!(
            reached.iter().any(|(n, _)| *n == end.id),
            "{} reachable",
            end.id
        );
    }
    let alarm_end = office
        .nodes
        .iter()
        .flat_map(|n| &n.answers)
        .find(|a| a.silent_alarm)
        .map(|a| office.node(&a.next).unwrap())
        .expect("an answer records the silent alarm");
    assert_eq!(
        alarm_end.text,
        "Politie wordt ingeschakeld door stil alarm of door leidinggevende"
    );
    assert!(reached.iter().any(|(n, _)| *n == alarm_end.id));
    // The manager's step is reached straight from the requests to leave, and from it the
    // other police box.
    let (_, to_manager) = reached.iter().find(|(n, _)| n == "leidinggevende").unwrap();
    assert_eq!(to_manager.last().map(String::as_str), Some("geen_gehoor"));
}

#[test]
fn the_home_visit_closing_actions_are_ticked_one_by_one() {
    let p = nl();
    let home = p.flow(FlowId::Woning).unwrap();
    let closing = home.node("verlaten").unwrap();
    let ticks: Vec<&str> = closing
        .actions
        .iter()
        .filter_map(|a| a.tick.as_deref())
        .collect();
    assert_eq!(
        ticks.len(),
        closing.actions.len(),
        "every closing action has its own tick"
    );
    assert!(ticks.len() >= 3);
}

#[test]
fn the_phone_flow_registers_a_warning_for_colleagues() {
    let p = nl();
    let phone = p.flow(FlowId::Telefoon).unwrap();
    let step = phone
        .nodes
        .iter()
        .find(|n| n.warn_colleagues)
        .expect("a step says so");
    assert!(step.text.contains("registreer voor collega's"));
}

// The checks must be able to fail: each broken variant below is caught.

fn office(p: &mut Protocol) -> &mut veilig_core::protocol::Flow {
    p.flows
        .iter_mut()
        .find(|f| f.id == FlowId::Kantoor)
        .unwrap()
}

#[test]
fn a_dangling_answer_is_caught() {
    let mut p = nl();
    office(&mut p).nodes[0].answers[0].next = "nergens".into();
    assert!(check(&p)
        .iter()
        .any(|e| matches!(e, ContentError::DanglingAnswer { next, .. } if next == "nergens")));
}

#[test]
fn an_unreachable_step_is_caught() {
    let mut p = nl();
    let flow = office(&mut p);
    let mut orphan = flow.nodes[0].clone();
    orphan.id = "wees".into();
    flow.nodes.push(orphan);
    assert!(check_flow(flow)
        .iter()
        .any(|e| matches!(e, ContentError::Unreachable { node, .. } if node == "wees")));
}

#[test]
fn a_loop_without_an_end_is_caught() {
    let mut p = nl();
    let flow = office(&mut p);
    // "grens" now only leads back to "kalmeren", and "kalmeren" only to "grens".
    for node in flow
        .nodes
        .iter_mut()
        .filter(|n| n.id == "kalmeren" || n.id == "grens")
    {
        let target = if node.id == "kalmeren" {
            "grens"
        } else {
            "kalmeren"
        };
        for a in &mut node.answers {
            a.next = target.into();
        }
    }
    let errors = check_flow(flow);
    assert!(
        errors
            .iter()
            .any(|e| matches!(e, ContentError::NoWayOut { node, .. } if node == "kalmeren")),
        "{errors:#?}"
    );
}

#[test]
fn a_step_without_answers_is_caught() {
    let mut p = nl();
    office(&mut p).nodes[1].answers.clear();
    assert!(check(&p)
        .iter()
        .any(|e| matches!(e, ContentError::DeadEnd { .. })));
}

#[test]
fn a_missing_flow_is_caught() {
    let mut p = nl();
    p.flows.retain(|f| f.id != FlowId::Telefoon);
    assert!(check(&p).contains(&ContentError::MissingFlow {
        flow: FlowId::Telefoon
    }));
}

#[test]
fn two_actions_ticked_under_one_id_are_caught() {
    let mut p = nl();
    let flow = p.flows.iter_mut().find(|f| f.id == FlowId::Woning).unwrap();
    let node = flow.nodes.iter_mut().find(|n| n.id == "verlaten").unwrap();
    node.actions[1].tick = node.actions[0].tick.clone();
    assert!(check_flow(flow)
        .iter()
        .any(|e| matches!(e, ContentError::DuplicateTick { .. })));
}

#[test]
fn a_changed_step_in_the_content_fails_the_fidelity_check() {
    let mut p = nl();
    p.general_points.items[0] = "Let goed op.".into();
    let content = all_dutch_texts(&p);
    assert!(source_bullets().iter().any(|b| !content.contains(b)));
}

#[test]
fn a_translation_that_drops_a_step_is_caught() {
    let mut en = en();
    office(&mut en).nodes.pop();
    assert!(!same_shape(&nl(), &en).is_empty());
}

/// The reception card's flowcharts hold every box of the source's office and phone charts:
/// the wrapped lines of each chart box, joined, contain the box's words in order.
#[test]
fn the_cards_flowcharts_contain_every_box_of_both_procedures() {
    use veilig_core::protocol::chart::{layout, CARD_FLOWS};
    let p = nl();
    for id in CARD_FLOWS {
        let chart = layout(p.flow(id).expect("flow"));
        let shown: Vec<String> = chart
            .blocks
            .iter()
            .flat_map(|b| [b.lines.join(" "), b.notes.join(" ")])
            .map(|t| fold(&normalize(&t)))
            .collect();
        let boxes: Vec<&str> = FLOW_BOXES
            .iter()
            .filter(|(f, _)| *f == id)
            .map(|(_, b)| *b)
            .collect();
        assert!(boxes.len() >= 8, "{id:?}: {} boxes", boxes.len());
        for boxed in boxes {
            let wanted = fold(&normalize(boxed));
            assert!(
                shown.iter().any(|t| t.contains(&wanted)),
                "the {id:?} chart lacks {boxed:?}"
            );
        }
    }
}

#[test]
fn only_the_calm_end_leaves_registering_to_the_manager() {
    use veilig_core::protocol::RegisterRule;
    let p = nl();
    for flow in &p.flows {
        for node in flow.nodes.iter().filter(|n| n.is_end()) {
            let rule = node.end.as_ref().unwrap().register_rule();
            // "Gesprek wordt voortgezet": the protocol leaves registering to the manager; every
            // end with sanctions or the police is "Ieder voorval registreren".
            let calm = node.text == "Gesprek wordt voortgezet, mits gedrag rustig blijft";
            let expected = if calm {
                RegisterRule::ManagerDecides
            } else {
                RegisterRule::EveryIncident
            };
            assert_eq!(rule, expected, "{:?} {}", flow.id, node.id);
        }
    }
}
