//! "Koppel dit apparaat": a code from a manager, typed or opened from its QR link
//! (`/koppelen#CODE`), traded for this device's credential. What an answer means is
//! `veilig_core::device::Enrollment`; the credential is a cookie the app never sees.

use leptos::prelude::*;
use veilig_core::device::{code_from_hash, code_typed, Enrollment};
use wasm_bindgen::JsValue;

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

#[component]
pub fn EnrollPage() -> impl IntoView {
    let t = use_texts();
    let sync = use_sync();
    let code = RwSignal::new(code_from_address().unwrap_or_default());
    let busy = StoredValue::new(false);
    let said = RwSignal::new(None::<Said>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed = code.get_untracked();
        if busy.get_value() || !code_typed(&typed) {
            return;
        }
        busy.set_value(true);
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
            busy.set_value(false);
        });
    };
    // One view per language (a closure per text costs the wasm more than the page itself);
    // what was typed is in `code`, so a change of language keeps it.
    move || {
        let t = t();
        let answer = move || {
            said.with(|s| {
                s.as_ref().map(|s| match s {
                    Said::Enrolled(team) => ("field-ok", (t.enrolled_to)(team)),
                    Said::Invalid => ("field-error", t.enroll_code_invalid.into()),
                    Said::Wait => ("field-error", t.enroll_wait.into()),
                    Said::Failed(code) => ("field-error", format!("{} ({code})", t.enroll_failed)),
                    Said::Offline => ("field-error", t.enroll_offline.into()),
                })
            })
            .map(|(class, text)| view! { <span class=class>{text}</span> })
        };
        view! {
            <article class="enroll">
                <h1>{t.enroll_title}</h1>
                <p class="muted">{t.enroll_lead}</p>
                <form on:submit=submit>
                    <div class="field">
                        <label for="enroll-code">{t.enroll_code}</label>
                        <input
                            id="enroll-code"
                            type="text"
                            autocomplete="off"
                            autocapitalize="characters"
                            spellcheck="false"
                            prop:value=code.get_untracked()
                            on:input=move |ev| code.set(event_target_value(&ev))
                        />
                    </div>
                    <button type="submit" class="btn">{t.enroll_button}</button>
                </form>
                <p class="enroll-answer" role="status" aria-live="polite">{answer}</p>
            </article>
        }
    }
}
