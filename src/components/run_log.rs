//! A flow run's log as people read it ("Genomen stappen"): on the flow page, and in the report
//! (`lines`). The lines come from `FlowRun::log` in core; this only puts the interface's words
//! to them, in this one place.

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use veilig_core::protocol::run::{FlowRun, Logged};
use veilig_core::protocol::{KindId, Protocol};

use crate::clock::local_time;
use crate::i18n::Texts;
use crate::state::{use_protocol, use_texts};

fn line_text(t: &Texts, flow_title: &str, line: Logged) -> String {
    match line {
        Logged::Started => format!("{} {flow_title}", t.run_started),
        Logged::Answer(text) | Logged::Counted(text) => text,
        Logged::Undone => t.undone.to_owned(),
        Logged::Ticked(text) => format!("✓ {text}"),
        Logged::Unticked(text) => format!("{} {text}", t.unticked),
        Logged::Guided(KindId::Frustratie) => t.guided_frustration.to_owned(),
        Logged::Guided(KindId::Instrumenteel) => t.guided_instrumental.to_owned(),
    }
}

/// The run's log in the interface's words, each line with its time (none if the content lacks
/// the run's flow).
pub fn lines(t: &Texts, p: &Protocol, run: &FlowRun) -> Vec<(DateTime<Utc>, String)> {
    let Some(flow) = p.flow(run.flow) else {
        return Vec::new();
    };
    run.log(flow)
        .into_iter()
        .map(|(at, line)| (at, line_text(t, &flow.title, line)))
        .collect()
}

#[component]
pub fn RunLog(run: RwSignal<FlowRun>) -> impl IntoView {
    let t = use_texts();
    let p = use_protocol();
    let rows = move || run.with(|run| lines(t(), p(), run));
    view! {
        <details class="runlog">
            <summary>{move || t().run_log}</summary>
            <ol>
                {move || rows().into_iter().map(|(at, label)| view! {
                    <li><time>{local_time(at)}</time> " " {label}</li>
                }).collect_view()}
            </ol>
        </details>
    }
}
