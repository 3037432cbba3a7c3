//! The main navigation. `<A>` marks the current page with `aria-current` for screen readers.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::state::use_texts;

#[component]
pub fn Nav() -> impl IntoView {
    let t = use_texts();
    view! {
        <nav class="mainnav" aria-label=move || t().nav_label>
            <A href="/" exact=true>{move || t().nav_home}</A>
            <A href="/meldingen">{move || t().nav_reports}</A>
            <A href="/naslag">{move || t().nav_reference}</A>
            <A href="/kaart">{move || t().nav_card}</A>
            <A href="/instellingen">{move || t().nav_settings}</A>
        </nav>
    }
}
