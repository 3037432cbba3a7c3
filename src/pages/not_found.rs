use leptos::prelude::*;
use veilig_core::route::Route;

use crate::state::use_texts;

#[component]
pub fn NotFound() -> impl IntoView {
    let t = use_texts();
    view! {
        <section>
            <h1>{move || t().not_found_title}</h1>
            <p>{move || t().not_found_body}</p>
            <a class="btn" href=const { Route::Home.static_path() }>{move || t().nav_home}</a>
        </section>
    }
}
