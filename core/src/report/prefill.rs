//! A draft started from a protocol flow or from the extreme-incident checklist: what the app
//! already knows is carried over, with the log of what was done and when.

use super::model::{Report, Value};
use crate::protocol::checklist::Checklist;
use crate::protocol::run::FlowRun;
use crate::protocol::{Flow, KindId};

/// `started_local` is the run's start in the device's local time (`2026-11-30T14:05`).
pub fn from_flow(report: &mut Report, flow: &Flow, run: &FlowRun, started_local: &str) {
    report.set("situatie", Value::Text(flow.situation.clone()));
    report.set("datum_tijd", Value::Text(started_local.to_owned()));
    let Ok(state) = run.state(flow) else {
        report.flow_run = Some(run.clone());
        return;
    };
    // The police were involved when the run ended at a police box, the silent alarm was
    // pressed, or calling them was ticked off.
    let police_end = run.outcome(flow).is_some_and(|(_, police)| police);
    // A tick on a step the walk went back from is not counted: it can no longer be seen.
    let police_ticked = state.ticked.iter().any(|(node, action, _)| {
        state.path.contains(node)
            && flow
                .node(node)
                .and_then(|n| n.action(action))
                .is_some_and(|a| a.call == Some(crate::protocol::CallTarget::Police))
    });
    if police_end || police_ticked || run.silent_alarm(flow).is_some() {
        report.set("politie", Value::Text("gebeld".into()));
    }
    if let Some(kind) = state.guided {
        report.set("aard", Value::Text(nature(kind).into()));
    }
    let warns = state
        .path
        .iter()
        .any(|id| flow.node(id).is_some_and(|n| n.warn_colleagues));
    if warns {
        report.set("waarschuwing", Value::Text("ja".into()));
    }
    report.flow_run = Some(run.clone());
}

/// The form's `aard` value for the kind of aggression chosen in the guidance.
pub fn nature(kind: KindId) -> &'static str {
    match kind {
        KindId::Frustratie => "frustratie",
        KindId::Instrumenteel => "instrumenteel",
    }
}

/// A draft from the extreme-incident checklist: extreme, the police when 112 was ticked, the
/// incident's start, and the checklist itself with the time of every tick.
pub fn from_checklist(report: &mut Report, checklist: &Checklist, started_local: &str) {
    report.set("datum_tijd", Value::Text(started_local.to_owned()));
    if !checklist.kinds.is_empty() {
        report.set("extreem", Value::Many(checklist.kinds.clone()));
    }
    if checklist.police_called() {
        report.set("politie", Value::Text("gebeld".into()));
    }
    report.checklist = Some(checklist.clone());
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::checklist::POLICE_CALLED;
    use crate::protocol::{dutch, FlowId};
    use chrono::{DateTime, TimeZone, Utc};

    fn t(minute: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 30, 10, minute, 0)
            .single()
            .unwrap_or_default()
    }

    fn draft(flow: FlowId, answers: &[&str], also: impl Fn(&mut FlowRun, &Flow)) -> Report {
        let flow = dutch().flow(flow).unwrap();
        let mut run = FlowRun::new("run", flow.id, t(0));
        for a in answers {
            run.answer(flow, a, t(1)).unwrap();
        }
        also(&mut run, flow);
        let mut r = Report::new("x", t(9));
        from_flow(&mut r, flow, &run, "2026-11-30T11:00");
        r
    }

    #[test]
    fn the_silent_alarm_and_the_managers_police_box_both_mean_the_police_were_called() {
        let alarm = draft(
            FlowId::Kantoor,
            &["agressief", "agressief", "blijft", "stil_alarm"],
            |_, _| {},
        );
        assert_eq!(alarm.text("politie"), "gebeld");
        assert_eq!(alarm.text("situatie"), "kantoor");
        assert_eq!(alarm.text("datum_tijd"), "2026-11-30T11:00");
        let manager = draft(
            FlowId::Kantoor,
            &[
                "agressief",
                "agressief",
                "blijft",
                "geen_gehoor",
                "geen_gehoor",
            ],
            |_, _| {},
        );
        assert_eq!(manager.text("politie"), "gebeld");
        let calm = draft(FlowId::Kantoor, &["agressief", "rustiger"], |_, _| {});
        assert_eq!(calm.text("politie"), "", "no police: the form asks");
    }

    #[test]
    fn a_ticked_police_call_on_a_home_visit_is_carried_over_and_an_unticked_one_is_not() {
        let steps = ["agressief", "agressief"];
        let called = draft(FlowId::Woning, &steps, |run, flow| {
            run.toggle_tick(flow, "verlaten", "politie", t(2)).unwrap();
        });
        assert_eq!(called.text("politie"), "gebeld");
        let not = draft(FlowId::Woning, &steps, |run, flow| {
            run.toggle_tick(flow, "verlaten", "leidinggevende", t(2))
                .unwrap();
        });
        assert_eq!(not.text("politie"), "");
        assert!(not.flow_run.is_some(), "the ticks travel in the run's log");
        // Ticked, then back to the step before: the tick can no longer be seen, so it does not
        // count.
        let back = draft(FlowId::Woning, &steps, |run, flow| {
            run.toggle_tick(flow, "verlaten", "politie", t(2)).unwrap();
            run.undo(flow, t(3)).unwrap();
        });
        assert_eq!(back.text("politie"), "");
    }

    #[test]
    fn the_guidance_chosen_becomes_the_nature_of_the_aggression() {
        let r = draft(FlowId::Telefoon, &["rustiger"], |run, flow| {
            run.guide(flow, KindId::Frustratie, t(2)).unwrap();
            run.guide(flow, KindId::Instrumenteel, t(3)).unwrap();
        });
        assert_eq!(r.text("aard"), "instrumenteel");
        let none = draft(FlowId::Telefoon, &["rustiger"], |_, _| {});
        assert_eq!(none.text("aard"), "");
    }

    #[test]
    fn the_phone_flow_marks_the_report_as_a_warning_for_colleagues() {
        let r = draft(
            FlowId::Telefoon,
            &["agressief", "agressief", "opgehangen", "gemeld"],
            |_, _| {},
        );
        assert_eq!(r.text("waarschuwing"), "ja");
        let calm = draft(FlowId::Telefoon, &["rustiger"], |_, _| {});
        assert_eq!(calm.text("waarschuwing"), "");
    }

    #[test]
    fn an_extreme_checklist_prefills_extreme_police_and_its_ticks() {
        let mut c = Checklist::new("c1", t(0));
        c.toggle_kind("gijzeling", t(0));
        c.toggle(POLICE_CALLED, t(1));
        c.toggle("during.2", t(2));
        let mut r = Report::new("x", t(9));
        from_checklist(&mut r, &c, "2026-11-30T11:00");
        assert_eq!(r.many("extreem"), ["gijzeling".to_owned()]);
        assert_eq!(r.text("politie"), "gebeld");
        assert_eq!(r.text("datum_tijd"), "2026-11-30T11:00");
        assert_eq!(r.checklist.as_ref(), Some(&c));
        let json = serde_json::to_string(&r).unwrap();
        assert_eq!(serde_json::from_str::<Report>(&json).unwrap(), r);
    }
}
