//! The outbox: each finalized report with its state of sending and last error.

use leptos::prelude::*;
use veilig_core::outbox::{unsent_file, unsent_file_name, Entry, Hold, State};
use veilig_core::report::{display, Report};
use veilig_core::route::Route;
use wasm_bindgen::JsCast;

use crate::clock::local_input;
use crate::html::Html;
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

/// Saves the exact bytes of every report not yet delivered as a file on the device
/// (`veilig-niet-verzonden-<date>.json`), so nothing depends on this browser alone.
fn save_unsent(entries: &[Entry]) -> Option<()> {
    let json = unsent_file(entries);
    let parts = js_sys::Array::of1(&json.into());
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("application/json");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).ok()?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).ok()?;
    let today = js_sys::Date::new_0();
    let name = unsent_file_name(
        today.get_full_year() as i32,
        today.get_month() + 1,
        today.get_date(),
    );
    let document = web_sys::window()?.document()?;
    let a: web_sys::HtmlAnchorElement = document.create_element("a").ok()?.dyn_into().ok()?;
    a.set_href(&url);
    a.set_download(&name);
    a.click();
    // The click has started the download; the URL is no longer needed after this task.
    let revoke = wasm_bindgen::closure::Closure::once_into_js(move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    });
    web_sys::window()?
        .set_timeout_with_callback_and_timeout_and_arguments_0(revoke.unchecked_ref(), 1_000)
        .ok()?;
    Some(())
}

/// When nothing can be delivered until this device is enrolled: one sentence saying what
/// happened and whom to ask, the way to enroll, and the unsent reports as a file. Written as
/// markup (`crate::html`: cheaper in the wasm than a `view!` per element); the button's click
/// bubbles to the box.
#[component]
pub fn Held() -> impl IntoView {
    let t = use_texts();
    let sync = use_sync();
    let html = move |hold: Hold| {
        let t = t();
        let mut h = Html::default();
        h.el("p", &[], t.held(hold))
            .open("p", &[])
            .el(
                "a",
                &[("href", Route::Enroll.static_path())],
                t.enroll_title,
            )
            .close("p")
            .el(
                "button",
                &[("type", "button"), ("class", "btn")],
                t.save_unsent,
            );
        h.0
    };
    let save = move |ev: leptos::ev::MouseEvent| {
        let on_button = ev
            .target()
            .and_then(|el| el.dyn_into::<web_sys::Element>().ok())
            .is_some_and(|el| el.tag_name() == "BUTTON");
        if on_button {
            sync.entries.with_untracked(|e| save_unsent(e));
        }
    };
    move || {
        sync.held().map(|hold| {
            view! { <div class="held notice notice-strong" role="status" on:click=save inner_html=move || html(hold)></div> }
        })
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
            <Held/>
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
