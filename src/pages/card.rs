//! The reception card: the office and the phone procedure as flowcharts, the general points and
//! the emergency numbers on one landscape tablet screen, and on exactly one printed A4 page
//! (style/main.css @media print). The charts are laid out in core (`protocol::chart`); this
//! only draws them.

use leptos::prelude::*;
use veilig_core::protocol::chart::{layout, Kind, CARD_FLOWS};
use veilig_core::protocol::Flow;
use veilig_core::settings::tel_href;

use crate::state::{use_app, use_protocol, use_texts};

/// The chart as inline SVG with real text (screen readers read it in reading order: a step, its
/// answers and where they lead). Kinds differ by shape, not colour: a step is a square box with
/// a heavy line, an answer a rounded one, an end a box with a double line. Written as one
/// string: a `view!` per element cost about 2 KB of brotli in the wasm.
fn chart(flow: &Flow, label: String) -> impl IntoView {
    use std::fmt::Write;
    let c = layout(flow);
    let head = format!("head-{}", flow.id.slug());
    let mut svg = format!(
        r#"<defs><marker id="{head}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0 0L10 5L0 10z"/></marker></defs><g class="arrows">"#
    );
    for e in &c.edges {
        svg.push_str("<path d=\"");
        for (i, (x, y)) in e.points.iter().enumerate() {
            let _ = write!(svg, "{}{x} {y}", if i == 0 { 'M' } else { 'L' });
        }
        let _ = write!(svg, r#"" marker-end="url(#{head})"/>"#);
    }
    svg.push_str("</g>");
    for b in &c.blocks {
        let (class, rx) = match b.kind {
            Kind::Step => ("step", 0),
            Kind::Answer => ("answer", 9),
            Kind::End => ("end", 4),
        };
        let (x, y, w, h) = (b.x, b.y, b.w, b.h);
        let _ = write!(
            svg,
            r#"<g class="{class}"><rect x="{x}" y="{y}" width="{w}" height="{h}" rx="{rx}"/>"#
        );
        if b.kind == Kind::End {
            let _ = write!(
                svg,
                r#"<rect x="{}" y="{}" width="{}" height="{}" rx="2"/>"#,
                x + 3,
                y + 3,
                w - 6,
                h - 6
            );
        }
        svg.push_str("<text>");
        for (x, y, text, note) in b.rows() {
            let note = if note { r#" class="note""# } else { "" };
            let _ = write!(svg, r#"<tspan x="{x}" y="{y}"{note}>"#);
            let mut escaped = crate::html::Html(svg);
            escaped.text(text);
            svg = escaped.0;
            // The space keeps words of two lines apart for screen readers and copying.
            svg.push_str(" </tspan>");
        }
        svg.push_str("</text></g>");
    }
    view! {
        <svg class="chart" viewBox=format!("0 0 {} {}", c.width, c.height) role="group" aria-label=label inner_html=svg></svg>
    }
}

#[component]
pub fn CardPage() -> impl IntoView {
    let app = use_app();
    let t = use_texts();
    let p = use_protocol();
    let procedures = move || {
        CARD_FLOWS
            .iter()
            .filter_map(|id| p().flow(*id))
            .map(|f| {
                view! {
                    <section class="card-procedure">
                        <h2>{f.title.clone()}</h2>
                        {(!f.intro.is_empty()).then(|| view! {
                            <ul>{f.intro.iter().map(|i| view! { <li>{i.clone()}</li> }).collect_view()}</ul>
                        })}
                        {chart(f, format!("{}: {}", t().flowchart, f.title))}
                    </section>
                }
            })
            .collect_view()
    };
    // A number not set on this device is a line to write it on: the card is also a paper form.
    let number = move |label: &'static str, raw: String| {
        let href = tel_href(&raw);
        view! {
            <li>
                <span>{label}</span>
                {match href {
                    Some(h) => view! { <a href=h>{raw}</a> }.into_any(),
                    None => view! { <span class="blank" role="img" aria-label=t().to_fill></span> }.into_any(),
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
                {procedures}
                <div class="card-side">
                    <section class="card-numbers">
                        <h2>{move || t().card_numbers}</h2>
                        <ul>
                            <li class="n112"><span>"Politie / ambulance / brandweer"</span> <a href="tel:112">"112"</a></li>
                            {move || number(t().manager_phone, app.organisation().manager_phone)}
                            {move || number(t().office_phone, app.organisation().office_phone)}
                            // Whose card it is, and the address staff give the police instead
                            // of their own (protocol: aangifte).
                            <li class="card-org">{move || {
                                let org = app.organisation();
                                if org.address.is_empty() { org.name } else { format!("{} · {}", org.name, org.address) }
                            }}</li>
                        </ul>
                    </section>
                    <section class="card-points">
                        <h2>{move || p().general_points.title.clone()}</h2>
                        <ul>{move || p().general_points.items.iter().map(|i| view! { <li>{i.clone()}</li> }).collect_view()}</ul>
                    </section>
                    <button type="button" class="btn btn-secondary no-print" on:click=print>{move || t().print}</button>
                </div>
            </div>
        </article>
    }
}
