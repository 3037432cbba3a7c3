//! The main navigation. `NavLink` marks the current section with `aria-current` for screen readers.

use leptos::prelude::*;
use veilig_core::route::Route;

use crate::router::NavLink;

use crate::state::use_texts;

#[component]
pub fn Nav() -> impl IntoView {
    let t = use_texts();
    view! {
        <nav class="mainnav" aria-label=move || t().nav_label>
            <NavLink to=Route::Home>{move || t().nav_home}</NavLink>
            <NavLink to=Route::Reports>{move || t().nav_reports}</NavLink>
            <NavLink to=Route::Reference>{move || t().nav_reference}</NavLink>
            <NavLink to=Route::Card>{move || t().nav_card}</NavLink>
            <NavLink to=Route::Settings>{move || t().nav_settings}</NavLink>
        </nav>
    }
}
