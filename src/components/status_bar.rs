//! At a glance: offline (and that this is fine), and a new version to switch to.

use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

use crate::state::use_texts;
use crate::sw::use_update;
use crate::sync::use_sync;

#[component]
pub fn StatusBar() -> impl IntoView {
    let t = use_texts();
    let update = use_update();
    let sync = use_sync();
    let online = RwSignal::new(web_sys::window().is_none_or(|w| w.navigator().on_line()));
    if let Some(window) = web_sys::window() {
        for (event, value) in [("online", true), ("offline", false)] {
            let on = Closure::<dyn FnMut()>::new(move || online.set(value));
            let _ = window.add_event_listener_with_callback(event, on.as_ref().unchecked_ref());
            on.forget();
        }
    }
    // navigator.onLine only knows about the device; the last real request knows about the server.
    let offline = move || !online.get() || sync.reachable.get() == Some(false);
    view! {
        <Show when=offline>
            <p class="offline" role="status">
                <strong>{move || t().offline}</strong>
                " "
                {move || t().offline_hint}
            </p>
        </Show>
        <Show when=move || update.ready.get()>
            <p class="update" role="status">
                {move || t().update_available}
                <button type="button" class="btn" on:click=move |_| update.accept()>{move || t().update_now}</button>
            </p>
        </Show>
    }
}
