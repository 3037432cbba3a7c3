//! Home: one tap to the right procedure.

use leptos::prelude::*;

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
                <a class="big" href="/protocol/kantoor">{move || t().flow_office}</a>
                <a class="big" href="/protocol/woning">{move || t().flow_home_visit}</a>
                <a class="big" href="/protocol/telefoon">{move || t().flow_phone}</a>
                <a class="big big-extreme" href="/extreem">{move || t().flow_extreme}</a>
            </div>
        </section>
    }
}
