//! The reception card: the office procedure, the general points and the emergency numbers on
//! one landscape tablet screen, and on exactly one printed A4 page (style/main.css @media print).

use leptos::prelude::*;
use veilig_core::protocol::{FlowId, Node};
use veilig_core::settings::tel_href;

use crate::state::{use_app, use_protocol, use_texts};

/// "answer → what comes next", for a compact chart.
fn branches(node: &Node, flow: &veilig_core::protocol::Flow) -> Vec<(String, String)> {
    node.answers
        .iter()
        .map(|a| {
            let next = flow
                .node(&a.next)
                .map(|n| n.text.clone())
                .unwrap_or_default();
            (a.label.clone(), next)
        })
        .collect()
}

#[component]
pub fn CardPage() -> impl IntoView {
    let app = use_app();
    let t = use_texts();
    let p = use_protocol();
    let office = move || {
        p().flows
            .iter()
            .find(|f| f.id == FlowId::Kantoor)
            .expect("office flow")
    };
    let steps = move || {
        let flow = office();
        flow.nodes
            .iter()
            .filter(|n| !n.is_end())
            .map(|n| {
                let rows = branches(n, flow)
                    .into_iter()
                    .map(|(label, next)| view! { <li>{label} " → " <strong>{next}</strong></li> })
                    .collect_view();
                view! {
                    <li>
                        <span class="card-step">{n.text.clone()}</span>
                        {n.detail.clone().map(|d| view! { <span class="card-detail">" — " {d}</span> })}
                        <ul class="card-branches">{rows}</ul>
                    </li>
                }
            })
            .collect_view()
    };
    let number = move |label: &'static str, raw: String| {
        let href = tel_href(&raw);
        view! {
            <li>
                <span>{label}</span>
                {match href {
                    Some(h) => view! { <a href=h>{raw}</a> }.into_any(),
                    None => view! { <em>{t().no_number}</em> }.into_any(),
                }}
            </li>
        }
    };
    let print = move |_| {
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    };
    view! {
        <article class="card">
            <h1>{move || t().card_title}</h1>
            <div class="card-grid">
                <section class="card-procedure">
                    <h2>{move || office().title.clone()}</h2>
                    <ol>{steps}</ol>
                </section>
                <div class="card-side">
                    <section class="card-numbers">
                        <h2>{move || t().card_numbers}</h2>
                        <ul>
                            <li class="n112"><span>"Politie / ambulance / brandweer"</span> <a href="tel:112">"112"</a></li>
                            {move || number(t().manager_phone, app.settings.with(|s| s.manager_phone.clone()))}
                            {move || number(t().office_phone, app.settings.with(|s| s.office_phone.clone()))}
                        </ul>
                    </section>
                    <section class="card-points">
                        <h2>{move || p().general_points.title.clone()}</h2>
                        <ul>{move || p().general_points.items.iter().map(|i| view! { <li>{i.clone()}</li> }).collect_view()}</ul>
                    </section>
                </div>
            </div>
            <button type="button" class="btn btn-secondary no-print" on:click=print>{move || t().print}</button>
        </article>
    }
}
