use leptos::prelude::*;

use crate::state::use_texts;

#[component]
pub fn NotFound() -> impl IntoView {
    let t = use_texts();
    view! {
        <section>
            <h1>{move || t().not_found_title}</h1>
            <p>{move || t().not_found_body}</p>
            <a class="btn" href="/">{move || t().nav_home}</a>
        </section>
    }
}
