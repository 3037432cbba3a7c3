//! "Koppel dit apparaat": a code from a manager, typed or opened from its QR link
//! (`/koppelen#CODE`), traded for this device's credential. What an answer means is
//! `veilig_core::device::Enrollment`; the credential is a cookie the app never sees.

use leptos::prelude::*;
use veilig_core::device::{code_from_hash, code_typed, Enrollment};
use wasm_bindgen::JsValue;

use crate::html::Html;
use crate::i18n::Texts;
use crate::state::use_texts;
use crate::sync::use_sync;

/// The code in the address's fragment, if any, taken out of the address bar once read (it is
/// single-use and should not stay in the history or be shared along with the address).
fn code_from_address() -> Option<String> {
    let window = web_sys::window()?;
    let location = window.location();
    let code = code_from_hash(&location.hash().ok()?)?;
    if let (Ok(history), Ok(path)) = (window.history(), location.pathname()) {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&path));
    }
    Some(code)
}

/// What the last attempt came to, for the line under the button.
#[derive(Clone, PartialEq)]
enum Said {
    Enrolled(String),
    Invalid,
    Wait,
    Failed(String),
    Offline,
}

/// The page as markup (`crate::html`): a `view!` per element costs the wasm more than this
/// whole page is worth. `code` is what was typed so far; `said` the last attempt's outcome.
fn page_html(t: &Texts, code: &str, said: Option<&Said>) -> String {
    let answer = said.map(|s| match s {
        Said::Enrolled(team) => ("field-ok", (t.enrolled_to)(team)),
        Said::Invalid => ("field-error", t.enroll_code_invalid.into()),
        Said::Wait => ("field-error", t.enroll_wait.into()),
        Said::Failed(code) => ("field-error", format!("{} ({code})", t.enroll_failed)),
        Said::Offline => ("field-error", t.enroll_offline.into()),
    });
    let mut h = Html::default();
    h.el("h1", &[], t.enroll_title)
        .el("p", &[("class", "muted")], t.enroll_lead)
        .open("form", &[])
        .open("div", &[("class", "field")])
        .el("label", &[("for", "enroll-code")], t.enroll_code)
        .open(
            "input",
            &[
                ("id", "enroll-code"),
                ("type", "text"),
                ("autocomplete", "off"),
                ("autocapitalize", "characters"),
                ("spellcheck", "false"),
                ("value", code),
            ],
        )
        .close("div")
        .el(
            "button",
            &[("type", "submit"), ("class", "btn")],
            t.enroll_button,
        )
        .close("form");
    if let Some((class, text)) = answer {
        h.el("p", &[("class", class), ("role", "status")], &text);
    }
    h.0
}

#[component]
pub fn EnrollPage() -> impl IntoView {
    let t = use_texts();
    let sync = use_sync();
    let code = RwSignal::new(code_from_address().unwrap_or_default());
    let busy = RwSignal::new(false);
    let said = RwSignal::new(None::<Said>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed = code.get_untracked();
        if busy.get_untracked() || !code_typed(&typed) {
            return;
        }
        busy.set(true);
        leptos::task::spawn_local(async move {
            said.set(Some(match crate::net::enroll(&typed).await {
                Ok(Enrollment::Enrolled(device)) => {
                    let _ = crate::storage::save_device(&device);
                    // Reports held for want of an enrollment go at once.
                    sync.trigger(true);
                    Said::Enrolled(device.team)
                }
                Ok(Enrollment::CodeInvalid) => Said::Invalid,
                Ok(Enrollment::TooManyAttempts) => Said::Wait,
                Ok(Enrollment::Failed(code)) => Said::Failed(code),
                Err(_) => Said::Offline,
            }));
            busy.set(false);
        });
    };
    // Events bubble up from the form. What is typed is kept in `code`, so writing the page
    // again (an answer, a change of language) keeps it.
    view! {
        <article
            class="enroll"
            on:submit=submit
            on:input=move |ev| code.set(event_target_value(&ev))
            inner_html=move || said.with(|s| page_html(t(), &code.get_untracked(), s.as_ref()))
        ></article>
    }
}
