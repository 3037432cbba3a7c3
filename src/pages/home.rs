//! Home: one tap to the right procedure.

use leptos::prelude::*;
use veilig_core::protocol::FlowId;
use veilig_core::route::Route;

use crate::state::use_texts;

#[component]
pub fn Home() -> impl IntoView {
    let t = use_texts();
    view! {
        <section class="home">
            <h1>{move || t().home_title}</h1>
            <p class="lead">{move || t().home_lead}</p>
            {crate::storage::safari_needs_home_screen().then(|| view! { <p class="notice">{move || t().ios_hint}</p> })}
            <div class="bigbuttons">
                <a class="big" href=const { Route::Flow(Some(FlowId::Kantoor)).static_path() }>{move || t().flow_office}</a>
                <a class="big" href=const { Route::Flow(Some(FlowId::Woning)).static_path() }>{move || t().flow_home_visit}</a>
                <a class="big" href=const { Route::Flow(Some(FlowId::Telefoon)).static_path() }>{move || t().flow_phone}</a>
                <a class="big big-extreme" href=const { Route::Extreme.static_path() }>{move || t().flow_extreme}</a>
            </div>
        </section>
    }
}
