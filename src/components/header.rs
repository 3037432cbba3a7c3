//! The top bar: name, the emergency call (on every screen), and the language switch.

use leptos::prelude::*;
use veilig_core::route::Route;
use veilig_core::Locale;

use crate::state::{use_app, use_texts};

#[component]
pub fn Header() -> impl IntoView {
    let app = use_app();
    let t = use_texts();
    let toggle = move |_| {
        let next = match app.locale() {
            Locale::Nl => Locale::En,
            Locale::En => Locale::Nl,
        };
        app.update_settings(|s| s.locale = next);
    };
    view! {
        <header class="topbar">
            <a class="skip" href="#main">{move || t().skip_to_content}</a>
            <a class="brand" href=const { Route::Home.static_path() }>
                <span class="brand-name">{move || t().app_name}</span>
                <span class="brand-tag">{move || t().tagline}</span>
            </a>
            // The visible code is part of the accessible name (WCAG 2.5.3 label in name).
            <button class="lang" type="button" on:click=toggle>
                {move || t().language_switch}
                <span class="sr-only">{move || format!(" – {}", t().language_switch_label)}</span>
            </button>
            <a class="call-112" href="tel:112" aria-label=move || t().call_112_label>
                <span aria-hidden="true">"☎ "</span>
                {move || t().call_112}
            </a>
        </header>
    }
}
