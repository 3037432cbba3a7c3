//! The outbox: each finalized report with its state of sending and last error.

use leptos::prelude::*;
use veilig_core::outbox::{Entry, State};
use veilig_core::report::{display, Report};

use crate::clock::local_input;
use crate::state::{use_app, use_texts};
use crate::sync::use_sync;

fn state_key(state: &State) -> u8 {
    match state {
        State::Waiting { .. } => 0,
        State::Sending { .. } => 1,
        State::Delivered { .. } => 2,
        State::Refused { .. } => 3,
    }
}

#[component]
pub fn OutboxPage() -> impl IntoView {
    let app = use_app();
    let t = use_texts();
    let sync = use_sync();
    sync.trigger(false);
    let lang = move || {
        if app.locale() == veilig_core::Locale::En {
            1
        } else {
            0
        }
    };
    let row = move |e: Entry| {
        let report: Option<Report> = serde_json::from_str(&e.body).ok();
        let title = report
            .as_ref()
            .map(|r| display::headline(r, lang(), local_input))
            .unwrap_or_else(|| e.id.clone());
        let summary = report.as_ref().map(|r| r.summary(8)).unwrap_or_default();
        let (class, state) = match &e.state {
            State::Waiting { .. } => ("state-waiting", t().state_waiting.to_owned()),
            State::Sending { .. } => ("state-sending", t().state_sending.to_owned()),
            State::Delivered { receipt } => ("state-delivered", (t().state_delivered)(receipt.seq)),
            State::Refused {
                status,
                code,
                field,
                ..
            } => (
                "state-refused",
                format!(
                    "{}: {}",
                    t().state_refused,
                    t().refusal(code, field.as_deref(), *status)
                ),
            ),
        };
        let error = match &e.state {
            State::Waiting { .. } => e.last_error.as_deref().map(|code| t().attempt_error(code)),
            _ => None,
        };
        view! {
            <li class=format!("outbox-row {class}") data-id=e.id.clone()>
                <strong>{title}</strong>
                <p class="muted">{summary}</p>
                <p class="outbox-state">{state}</p>
                {error.map(|err| view! { <p class="muted">{t().last_error} ": " {err}</p> })}
            </li>
        }
    };
    view! {
        <article class="outbox">
            <h1>{move || t().outbox_title}</h1>
            <p class="muted">{move || t().outbox_lead}</p>
            <Show when=move || sync.reachable.get() == Some(false)>
                <p class="notice">{move || t().offline_fine}</p>
            </Show>
            <button type="button" class="btn" on:click=move |_| sync.trigger(true)>{move || t().send_now}</button>
            <Show when=move || sync.entries.with(Vec::is_empty)>
                <p>{move || t().outbox_empty}</p>
            </Show>
            // Keyed by id and state: a row is rebuilt only when its own state changes.
            <ul class="outbox-list">
                <For each=move || sync.entries.get() key=|e| (e.id.clone(), state_key(&e.state)) children=row/>
            </ul>
        </article>
    }
}
