//! A procedure drawn as a flowchart, as on the source's page (section 1.3): one pure function
//! from a flow to boxes with wrapped text, their places and the arrows between them. The shell
//! only draws the result as SVG, so the layout rules are tested here, natively.
//!
//! Shape, for any flow graph: the steps go down the left column in the order a walk from the
//! start meets them; the answer that leads to the next step sits between the two; every other
//! answer sits to the right of its step with the end it leads to beside it. An end is drawn once
//! for every answer that reaches it (as the source repeats "Gesprek wordt voortgezet"), so no
//! arrow has to cross the chart. An answer that leads back to an earlier step, or skips ahead,
//! gets an arrow along a lane on the far left.

use super::model::{Flow, FlowId, Node};
use super::search::fold;

/// The procedures on the reception card: reception works at the desk and answers the phone.
pub const CARD_FLOWS: [FlowId; 2] = [FlowId::Kantoor, FlowId::Telefoon];

/// Font size and line height in chart units (the SVG's user units).
pub const FONT: i32 = 10;
pub const LINE: i32 = 12;
const PAD: i32 = 4;
const GAP: i32 = 12;
/// A lane for each backward arrow, left of the steps.
const LANE: i32 = 6;
/// A generous average glyph width at `FONT` in a bold sans-serif: text wrapped at a box's
/// character count stays inside the box.
const CHAR_W: i32 = 6;
/// Characters per line: steps, answers, ends.
const CHARS: [usize; 3] = [24, 17, 19];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Step,
    Answer,
    End,
}

/// One box. `node` is the node it shows, or for an answer the step it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block<'f> {
    pub kind: Kind,
    pub node: &'f str,
    pub answer: Option<&'f str>,
    /// The box's own text, wrapped.
    pub lines: Vec<&'f str>,
    /// What goes with it, wrapped: a step's detail and actions, what follows an end.
    pub notes: Vec<&'f str>,
    pub x: i32,
    pub y: i32,
    pub w: i32,
    pub h: i32,
}

/// A line of text to draw: left x, baseline y, the text, and whether it is a note.
pub type Row<'a> = (i32, i32, &'a str, bool);

impl<'f> Block<'f> {
    fn new(
        kind: Kind,
        chars: usize,
        node: &'f str,
        answer: Option<&'f str>,
        text: &'f str,
        notes: &[&'f str],
    ) -> Block<'f> {
        let notes: Vec<&str> = notes.iter().flat_map(|n| wrap(n, chars)).collect();
        let lines = wrap(text, chars);
        let gap = if notes.is_empty() { 0 } else { PAD };
        Block {
            kind,
            node,
            answer,
            h: 2 * PAD + LINE * (lines.len() + notes.len()) as i32 + gap,
            w: width(chars),
            lines,
            notes,
            x: 0,
            y: 0,
        }
    }

    /// Every line with its place: notes after a small gap below the box's own text.
    pub fn rows(&self) -> Vec<Row<'_>> {
        let gap = self.lines.len() as i32 * LINE + PAD;
        let own = self
            .lines
            .iter()
            .enumerate()
            .map(|(i, l)| (i as i32 * LINE, l, false));
        let notes = self
            .notes
            .iter()
            .enumerate()
            .map(|(i, l)| (gap + i as i32 * LINE, l, true));
        own.chain(notes)
            .map(|(dy, l, note)| (self.x + PAD, self.y + PAD + dy + FONT, *l, note))
            .collect()
    }

    /// The vertical middle, where side arrows meet the box.
    fn mid(&self) -> i32 {
        self.y + self.h / 2
    }

    pub fn overlaps(&self, o: &Block) -> bool {
        self.x < o.x + o.w && o.x < self.x + self.w && self.y < o.y + o.h && o.y < self.y + self.h
    }
}

/// An arrow: a line through `points` (each turn a right angle), the head at the last point.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edge {
    pub from: usize,
    pub to: usize,
    pub points: Vec<(i32, i32)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chart<'f> {
    pub blocks: Vec<Block<'f>>,
    pub edges: Vec<Edge>,
    pub width: i32,
    pub height: i32,
}

fn width(chars: usize) -> i32 {
    chars as i32 * CHAR_W + 2 * PAD
}

/// Words onto lines of at most `max` characters; a longer word keeps a line of its own. Lines
/// are slices of the text (no copies): space between words is kept as it is, and SVG shows
/// a run of spaces as one.
pub fn wrap(text: &str, max: usize) -> Vec<&str> {
    let mut lines = Vec::new();
    // (start, end, characters) of the line being filled
    let mut line: Option<(usize, usize, usize)> = None;
    for word in text.split_whitespace() {
        let at = word.as_ptr() as usize - text.as_ptr() as usize;
        let (end, n) = (at + word.len(), word.chars().count());
        line = match line {
            Some((start, _, len)) if len + 1 + n <= max => Some((start, end, len + 1 + n)),
            Some((start, e, _)) => {
                lines.push(&text[start..e]);
                Some((at, end, n))
            }
            None => Some((at, end, n)),
        };
    }
    lines.extend(line.map(|(start, end, _)| &text[start..end]));
    lines
}

/// The steps in the order a walk from the start meets them (answers in their order), then any
/// step no walk reaches, so that nothing of the content is left off.
fn steps(flow: &Flow) -> Vec<&Node> {
    let mut order: Vec<&Node> = Vec::new();
    let mut todo = vec![flow.start.as_str()];
    while let Some(id) = todo.pop() {
        match flow.node(id) {
            Some(n) if !n.is_end() && !order.iter().any(|o| o.id == n.id) => {
                order.push(n);
                todo.extend(n.answers.iter().rev().map(|a| a.next.as_str()));
            }
            _ => {}
        }
    }
    for n in &flow.nodes {
        if !n.is_end() && !order.iter().any(|o| o.id == n.id) {
            order.push(n);
        }
    }
    order
}

/// A step's notes: its detail, and the actions its text does not already say.
fn step_notes(n: &Node) -> Vec<&str> {
    let text = fold(&n.text);
    let actions = n.actions.iter().map(|a| a.text.as_str());
    n.detail
        .as_deref()
        .into_iter()
        .chain(actions.filter(|a| !text.contains(fold(a).as_str())))
        .collect()
}

fn end_block(n: &Node) -> Block<'_> {
    let then: Vec<&str> = n
        .end
        .iter()
        .flat_map(|e| e.then.iter().map(String::as_str))
        .collect();
    Block::new(Kind::End, CHARS[2], &n.id, None, &n.text, &then)
}

pub fn layout(flow: &Flow) -> Chart<'_> {
    let order = steps(flow);
    let is_step = |id: &str| order.iter().any(|s| s.id == id);
    // Answers to a step other than the next one need a lane each.
    let back = order
        .iter()
        .enumerate()
        .flat_map(|(i, s)| s.answers.iter().map(move |a| (i, a)))
        .filter(|(i, a)| {
            is_step(&a.next) && order.get(i + 1).map(|n| n.id.as_str()) != Some(a.next.as_str())
        })
        .count() as i32;
    let x0 = 2 + back * LANE;
    let x1 = x0 + width(CHARS[0]) + GAP;
    let x2 = x1 + width(CHARS[1]) + GAP;
    let gutter = x1 - GAP / 2;

    let mut blocks: Vec<Block> = Vec::new();
    let mut edges: Vec<Edge> = Vec::new();
    fn place<'f>(blocks: &mut Vec<Block<'f>>, mut b: Block<'f>, x: i32, y: i32) -> usize {
        b.x = x;
        b.y = y;
        blocks.push(b);
        blocks.len() - 1
    }
    let mut step_at: Vec<usize> = Vec::new();
    // (answer box, target step, y of the gap below its band)
    let mut lanes: Vec<(usize, &str, i32)> = Vec::new();
    let mut above: Option<usize> = None;
    let mut y = 2;
    for (i, s) in order.iter().enumerate() {
        let si = place(
            &mut blocks,
            Block::new(Kind::Step, CHARS[0], &s.id, None, &s.text, &step_notes(s)),
            x0,
            y,
        );
        step_at.push(si);
        let (step_bottom, cx) = (y + blocks[si].h, x0 + blocks[si].w / 2);
        if let Some(a) = above.take() {
            edges.push(Edge {
                from: a,
                to: si,
                points: vec![(cx, blocks[a].y + blocks[a].h), (cx, y)],
            });
        }
        let next = order.get(i + 1).map(|n| n.id.as_str());
        let down = s.answers.iter().position(|a| Some(a.next.as_str()) == next);
        // Answers to ends first, then those needing a lane, so a lane's arrow leaves the
        // bottom of the stack without crossing another answer.
        let side = s
            .answers
            .iter()
            .enumerate()
            .filter(|(k, _)| Some(*k) != down);
        let (to_ends, to_steps) = (side.clone(), side);
        let side = to_ends
            .filter(|(_, a)| !is_step(&a.next))
            .chain(to_steps.filter(|(_, a)| is_step(&a.next)));
        let mut bottom = step_bottom;
        let mut row = y;
        for (_, a) in side {
            let ai = place(
                &mut blocks,
                Block::new(Kind::Answer, CHARS[1], &s.id, Some(&a.id), &a.label, &[]),
                x1,
                row,
            );
            let trunk = blocks[si].mid().min(blocks[ai].mid());
            let mid = blocks[ai].mid();
            edges.push(Edge {
                from: si,
                to: ai,
                points: vec![(x1 - GAP, trunk), (gutter, trunk), (gutter, mid), (x1, mid)],
            });
            let mut h = blocks[ai].h;
            match flow.node(&a.next) {
                Some(target) if target.is_end() => {
                    let ei = place(&mut blocks, end_block(target), x2, row);
                    let at = row + h.min(blocks[ei].h) / 2;
                    edges.push(Edge {
                        from: ai,
                        to: ei,
                        points: vec![(x2 - GAP, at), (x2, at)],
                    });
                    h = h.max(blocks[ei].h);
                }
                Some(_) => lanes.push((ai, &a.next, 0)),
                None => {}
            }
            row += h + GAP / 2;
            bottom = bottom.max(row - GAP / 2);
        }
        if let Some(d) = down {
            let a = &s.answers[d];
            // As wide as a step: fewer lines keep the chart short enough for a tablet screen.
            let b = Block::new(Kind::Answer, CHARS[0], &s.id, Some(&a.id), &a.label, &[]);
            let (dx, dy) = (cx - b.w / 2, step_bottom + GAP);
            let di = place(&mut blocks, b, dx, dy);
            edges.push(Edge {
                from: si,
                to: di,
                points: vec![(cx, step_bottom), (cx, dy)],
            });
            bottom = bottom.max(dy + blocks[di].h);
            above = Some(di);
        }
        for lane in lanes.iter_mut().filter(|l| l.2 == 0) {
            lane.2 = bottom + GAP / 2;
        }
        y = bottom + GAP;
    }
    // Ends that no answer reaches are still drawn, below the steps.
    for n in flow.nodes.iter().filter(|n| n.is_end()) {
        if !blocks.iter().any(|b| b.kind == Kind::End && b.node == n.id) {
            let ei = place(&mut blocks, end_block(n), x2, y);
            y += blocks[ei].h + GAP;
        }
    }
    for (k, (ai, target, below)) in lanes.into_iter().enumerate() {
        let Some(ti) = step_at.iter().copied().find(|&b| blocks[b].node == target) else {
            continue;
        };
        let (a, t) = (&blocks[ai], &blocks[ti]);
        let (ax, lx) = (a.x + a.w / 2, 2 + k as i32 * LANE);
        edges.push(Edge {
            from: ai,
            to: ti,
            points: vec![
                (ax, a.y + a.h),
                (ax, below),
                (lx, below),
                (lx, t.mid()),
                (t.x, t.mid()),
            ],
        });
    }
    // A lane below the last step reaches lower than any box.
    let corners = blocks.iter().map(|b| (b.x + b.w, b.y + b.h));
    let points = edges.iter().flat_map(|e| e.points.iter().copied());
    let (width, height) = corners
        .chain(points)
        .fold((0, 0), |(w, h), (x, y)| (w.max(x + 2), h.max(y + 2)));
    Chart {
        blocks,
        edges,
        width,
        height,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::{dutch, Answer};

    fn charts() -> Vec<(&'static Flow, Chart<'static>)> {
        dutch().flows.iter().map(|f| (f, layout(f))).collect()
    }

    #[test]
    fn every_node_and_every_answer_has_its_box() {
        for (flow, chart) in charts() {
            for n in &flow.nodes {
                let kind = if n.is_end() { Kind::End } else { Kind::Step };
                assert!(
                    chart
                        .blocks
                        .iter()
                        .any(|b| b.kind == kind && b.node == n.id),
                    "{:?} {}",
                    flow.id,
                    n.id
                );
                for a in &n.answers {
                    let count = chart
                        .blocks
                        .iter()
                        .filter(|b| b.node == n.id && b.answer == Some(a.id.as_str()))
                        .count();
                    assert_eq!(count, 1, "{:?} {}/{}", flow.id, n.id, a.id);
                }
            }
            // A step is drawn once; nothing is drawn that the flow does not hold.
            for b in &chart.blocks {
                let node = flow.node(b.node).expect("a node of the flow");
                assert_eq!(b.kind == Kind::End, node.is_end());
                let text = match &b.answer {
                    Some(a) => &node.answer(a).expect("an answer of the node").label,
                    None => &node.text,
                };
                assert_eq!(
                    b.lines.join(" "),
                    text.split_whitespace().collect::<Vec<_>>().join(" ")
                );
            }
        }
    }

    /// Each answer has an arrow from its step and one to a box of the node it leads to.
    fn assert_arrows(flow: &Flow, chart: &Chart) {
        for (i, b) in chart.blocks.iter().enumerate() {
            let Some(answer) = &b.answer else { continue };
            let a: &Answer = flow.node(b.node).unwrap().answer(answer).unwrap();
            let into = chart
                .edges
                .iter()
                .filter(|e| e.to == i)
                .map(|e| &chart.blocks[e.from])
                .collect::<Vec<_>>();
            assert_eq!(into.len(), 1, "{answer}");
            assert!(into[0].node == b.node && into[0].kind == Kind::Step);
            let out = chart
                .edges
                .iter()
                .filter(|e| e.from == i)
                .map(|e| &chart.blocks[e.to])
                .collect::<Vec<_>>();
            assert_eq!(out.len(), 1, "{answer}");
            assert!(
                out[0].node == a.next && out[0].answer.is_none(),
                "{answer} → {}",
                out[0].node
            );
        }
    }

    /// Arrows start on their box's edge, end on the target's edge, and turn at right angles.
    fn assert_geometry(chart: &Chart) {
        let on_edge = |b: &Block, (x, y): (i32, i32)| {
            let inside = (b.x..=b.x + b.w).contains(&x) && (b.y..=b.y + b.h).contains(&y);
            inside && (x == b.x || x == b.x + b.w || y == b.y || y == b.y + b.h)
        };
        for e in &chart.edges {
            assert!(e.from < chart.blocks.len() && e.to < chart.blocks.len());
            let (first, last) = (e.points[0], *e.points.last().unwrap());
            // A side arrow starts at the step's right edge (the trunk leaves from there).
            let from = &chart.blocks[e.from];
            assert!(on_edge(from, first), "{e:?}");
            assert!(on_edge(&chart.blocks[e.to], last), "{e:?}");
            assert!(
                e.points
                    .windows(2)
                    .all(|w| w[0].0 == w[1].0 || w[0].1 == w[1].1),
                "{e:?}"
            );
            assert!(e
                .points
                .iter()
                .all(|&(x, y)| (0..=chart.width).contains(&x) && (0..=chart.height).contains(&y)));
        }
        for (i, a) in chart.blocks.iter().enumerate() {
            for b in &chart.blocks[i + 1..] {
                assert!(!a.overlaps(b), "{a:?} overlaps {b:?}");
            }
            assert!(a.x >= 0 && a.y >= 0 && a.x + a.w <= chart.width && a.y + a.h <= chart.height);
            // Text stays inside its box, at the generous glyph width.
            for (x, base, text, _) in a.rows() {
                assert!(
                    x + text.chars().count() as i32 * CHAR_W <= a.x + a.w - PAD + 1,
                    "{text}"
                );
                assert!(base - FONT >= a.y && base <= a.y + a.h - PAD + 2, "{text}");
            }
        }
    }

    #[test]
    fn arrows_connect_answers_to_where_they_lead_and_boxes_do_not_overlap() {
        for (flow, chart) in charts() {
            assert_arrows(flow, &chart);
            assert_geometry(&chart);
        }
    }

    #[test]
    fn a_flow_that_loops_back_or_skips_ahead_is_still_drawn_whole() {
        let mut flow = dutch().flows[0].clone();
        let start = flow.start.clone();
        let last_step = flow.nodes.iter().rposition(|n| !n.is_end()).unwrap();
        let mut back = flow.nodes[last_step].answers[0].clone();
        back.id = "opnieuw".into();
        back.next = start.clone();
        flow.nodes[last_step].answers.push(back);
        let first = flow.nodes.iter().position(|n| n.id == start).unwrap();
        let mut skip = flow.nodes[first].answers[0].clone();
        skip.id = "overslaan".into();
        skip.next = flow.nodes[last_step].id.clone();
        flow.nodes[first].answers.push(skip);
        let chart = layout(&flow);
        assert_arrows(&flow, &chart);
        assert_geometry(&chart);
        // Two lanes on the left, one per arrow that does not go straight down.
        assert_eq!(chart.blocks[0].x, 2 + 2 * LANE);
    }

    #[test]
    fn text_wraps_at_word_boundaries() {
        assert_eq!(
            wrap("Persoon gaat niet weg en blijft agressief", 17),
            ["Persoon gaat niet", "weg en blijft", "agressief"]
        );
        assert_eq!(wrap("  a b ", 3), ["a b"]);
        assert_eq!(wrap("a  b c", 4), ["a  b", "c"]);
        assert_eq!(wrap("Leidinggevende x", 5), ["Leidinggevende", "x"]);
        assert!(wrap("", 5).is_empty());
    }

    #[test]
    fn the_card_shows_the_office_and_the_phone() {
        assert_eq!(CARD_FLOWS, [FlowId::Kantoor, FlowId::Telefoon]);
        for id in CARD_FLOWS {
            assert!(dutch().flows.iter().any(|f| f.id == id));
        }
    }
}
