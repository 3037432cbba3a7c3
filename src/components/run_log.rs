//! A flow run's log as people read it ("Genomen stappen"): on the flow page, and line by line
//! in the report (`line_text`). The lines come from `FlowRun::log` in core; this only puts the
//! interface's words to them.

use leptos::prelude::*;
use veilig_core::protocol::run::{FlowRun, Logged};
use veilig_core::protocol::KindId;

use crate::clock::local_time;
use crate::i18n::Texts;
use crate::state::{use_protocol, use_texts};

pub fn line_text(t: &Texts, flow_title: &str, line: Logged) -> String {
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

#[component]
pub fn RunLog(run: RwSignal<FlowRun>) -> impl IntoView {
    let t = use_texts();
    let p = use_protocol();
    let rows = move || {
        run.with(|run| {
            let flow = p().flow(run.flow)?;
            Some(
                run.log(flow)
                    .into_iter()
                    .map(|(at, line)| (at, line_text(t(), &flow.title, line)))
                    .collect::<Vec<_>>(),
            )
        })
    };
    view! {
        <details class="runlog">
            <summary>{move || t().run_log}</summary>
            <ol>
                {move || rows().unwrap_or_default().into_iter().map(|(at, label)| view! {
                    <li><time>{local_time(at)}</time> " " {label}</li>
                }).collect_view()}
            </ol>
        </details>
    }
}
