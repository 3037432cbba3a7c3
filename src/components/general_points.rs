//! The seven general points, one tap away on every flow screen.

use leptos::prelude::*;

use super::text_list::TextList;
use crate::state::{use_protocol, use_texts};

#[component]
pub fn GeneralPointsButton() -> impl IntoView {
    let t = use_texts();
    let p = use_protocol();
    let open = RwSignal::new(false);
    view! {
        <div class="points">
            <button
                type="button"
                class="btn btn-secondary"
                aria-expanded=move || open.get().to_string()
                aria-controls="general-points"
                on:click=move |_| open.update(|o| *o = !*o)
            >
                {move || t().general_points}
            </button>
            <Show when=move || open.get()>
                <section id="general-points" class="panel" aria-label=move || t().general_points>
                    <h2>{move || p().general_points.title.clone()}</h2>
                    {move || view! { <TextList items=p().general_points.items.clone()/> }}
                    <button type="button" class="btn btn-secondary" on:click=move |_| open.set(false)>
                        {move || t().close}
                    </button>
                </section>
            </Show>
        </div>
    }
}
