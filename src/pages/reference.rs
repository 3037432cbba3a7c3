//! Reference: the whole protocol to read, with offline search blind to case and diacritics.

use leptos::prelude::*;
use veilig_core::protocol::search::search;
use veilig_core::protocol::texts::Place;
use veilig_core::protocol::{Flow, Node, Protocol};

use crate::html::Html;
use crate::i18n::Texts;
use crate::state::{use_protocol, use_texts};

fn place_title(p: &Protocol, place: &Place) -> String {
    match place {
        Place::Intro => p.title.clone(),
        Place::GeneralPoints => p.general_points.title.clone(),
        Place::Kind(k) => p
            .kinds
            .iter()
            .find(|x| x.id == *k)
            .map(|x| x.title.clone())
            .unwrap_or_default(),
        Place::Flow { flow, .. } => p.flow(*flow).map(|f| f.title.clone()).unwrap_or_default(),
        Place::Extreme => p.extreme.title.clone(),
        Place::Aftercare => p.aftercare.title.clone(),
        Place::Sanctions => p.sanctions.title.clone(),
    }
}

#[component]
pub fn ReferencePage() -> impl IntoView {
    let t = use_texts();
    let p = use_protocol();
    let query = RwSignal::new(String::new());
    let results = move || {
        let q = query.get();
        let proto = p();
        let hits: Vec<(String, String, String)> = search(proto, &q)
            .into_iter()
            .map(|h| {
                (
                    format!("#{}", h.place.anchor()),
                    place_title(proto, &h.place),
                    h.text.to_owned(),
                )
            })
            .collect();
        (!q.trim().is_empty()).then_some(hits)
    };
    view! {
        <article class="reference">
            <h1>{move || t().reference_title}</h1>
            {move || p().translation_note.clone().map(|note| view! { <p class="badge">{note}</p> })}
            <div class="search" role="search">
                <label for="q">{move || t().search_label}</label>
                <input
                    id="q"
                    type="search"
                    autocomplete="off"
                    placeholder=move || t().search_placeholder
                    prop:value=move || query.get()
                    on:input=move |ev| query.set(event_target_value(&ev))
                />
            </div>
            {move || results().map(|hits| view! {
                <section class="results" aria-live="polite">
                    <p>{if hits.is_empty() { t().search_none.to_owned() } else { (t().search_results)(hits.len()) }}</p>
                    <ul>
                        {hits.into_iter().map(|(href, title, text)| view! {
                            <li><a href=href>{title}</a><p>{text}</p></li>
                        }).collect_view()}
                    </ul>
                </section>
            })}
            <nav class="toc" aria-label=move || t().contents>
                <a href="#algemeen">{move || p().general_points.title.clone()}</a>
                <a href="#frustratie">{move || p().kinds[0].title.clone()}</a>
                <a href="#instrumenteel">{move || p().kinds[1].title.clone()}</a>
                <a href="#procedures">{move || p().procedures_title.clone()}</a>
                <a href="#extreem">{move || p().extreme.title.clone()}</a>
                <a href="#nazorg">{move || p().aftercare.title.clone()}</a>
                <a href="#sancties">{move || p().sanctions.title.clone()}</a>
            </nav>
            <div class="sections" inner_html=move || sections_html(p(), t())></div>
        </article>
    }
}

/// One step or end with everything the protocol says about it: detail, counter, actions, each
/// answer with a link to where it leads, and what follows an end. Its id is the anchor search
/// hits link to.
fn node_html(h: &mut Html, f: &Flow, n: &Node, t: &Texts) {
    let at = |id: &str| {
        Place::Flow {
            flow: f.id,
            node: Some(id.to_owned()),
        }
        .anchor()
    };
    // Words the app added to make a flow walkable say so: the protocol has no such box.
    let own = |text: &str, own: bool| match own {
        true => format!("{text} {}", t.own_text),
        false => text.to_owned(),
    };
    let class = if n.is_end() { "ref-end" } else { "ref-step" };
    h.open("li", &[("id", &at(&n.id)), ("class", class)]);
    h.el("strong", &[], &n.text);
    if let Some(d) = &n.detail {
        h.el("p", &[], d);
    }
    if let Some(c) = &n.counter {
        h.el(
            "p",
            &[("class", "muted")],
            &format!("{}: {}", c.label, (t.counter_up_to)(c.max)),
        );
    }
    if !n.actions.is_empty() {
        let actions: Vec<String> = n.actions.iter().map(|a| own(&a.text, a.own)).collect();
        h.list(actions.iter().map(String::as_str));
    }
    if !n.answers.is_empty() {
        h.open("ul", &[("class", "ref-answers")]);
        for a in &n.answers {
            let to = f.node(&a.next).map(|x| x.text.as_str()).unwrap_or_default();
            h.open("li", &[]).text(&own(&a.label, a.own)).text(" ");
            h.el("span", &[("aria-hidden", "true")], "→ ");
            h.el("span", &[("class", "sr-only")], t.leads_to);
            h.el("a", &[("href", &format!("#{}", at(&a.next)))], to);
            h.close("li");
        }
        h.close("ul");
    }
    if let Some(end) = n.end.as_ref().filter(|e| !e.then.is_empty()) {
        h.list(end.then.iter().map(String::as_str));
    }
    h.close("li");
}

/// Everything the protocol says, in its order, as markup (see `crate::html`).
fn sections_html(p: &Protocol, t: &Texts) -> String {
    let mut h = Html::default();
    h.open("section", &[("id", &Place::Intro.anchor())]);
    h.paragraphs(&p.intro).close("section");
    h.open("section", &[("id", &Place::GeneralPoints.anchor())]);
    h.el("h2", &[], &p.general_points.title);
    h.list(p.general_points.items.iter().map(String::as_str));
    h.el("p", &[], &p.kinds_intro).close("section");
    for k in &p.kinds {
        h.open("section", &[("id", &Place::Kind(k.id).anchor())]);
        h.el("h2", &[], &k.title);
        h.el("p", &[("class", "muted")], &k.definition);
        h.el("p", &[], &k.key_point);
        h.el("h3", &[], &k.responses_title);
        h.list(k.responses.iter().map(String::as_str))
            .close("section");
    }
    h.open("section", &[("id", "procedures")]);
    h.el("h2", &[], &p.procedures_title);
    for f in &p.flows {
        h.open(
            "section",
            &[(
                "id",
                &Place::Flow {
                    flow: f.id,
                    node: None,
                }
                .anchor(),
            )],
        );
        h.el("h3", &[], &f.title);
        if !f.intro.is_empty() {
            h.list(f.intro.iter().map(String::as_str));
        }
        // Steps first, then the ends, each in the content's order.
        h.open("ol", &[("class", "ref-flow")]);
        for n in f
            .nodes
            .iter()
            .filter(|n| !n.is_end())
            .chain(f.nodes.iter().filter(|n| n.is_end()))
        {
            node_html(&mut h, f, n, t);
        }
        h.close("ol");
        let path = veilig_core::route::Route::Flow(Some(f.id)).static_path();
        h.el(
            "a",
            &[("class", "btn btn-secondary"), ("href", path)],
            &format!("{} →", f.title),
        );
        h.close("section");
    }
    h.close("section");
    let e = &p.extreme;
    h.open("section", &[("id", &Place::Extreme.anchor())]);
    h.el("h2", &[], &e.title)
        .el("p", &[], &e.definition)
        .el("h3", &[], &e.during_title);
    h.list(e.during.iter().map(String::as_str))
        .el("h3", &[], &e.after_title);
    h.list(e.after.iter().map(String::as_str)).close("section");
    let a = &p.aftercare;
    h.open("section", &[("id", &Place::Aftercare.anchor())]);
    h.el("h2", &[], &a.title).paragraphs(&a.intro);
    h.el("h3", &[], &a.first_care_title)
        .paragraphs(&a.first_care);
    h.el("h3", &[], &a.follow_up_title).paragraphs(&a.follow_up);
    h.el("h3", &[], &a.model_title)
        .open("div", &[("class", "conversations")]);
    for c in &a.conversations {
        h.open("section", &[("class", "conversation")]);
        h.el("h4", &[], &c.title)
            .el("p", &[("class", "muted")], &c.when);
        h.list(c.checklist.iter().map(String::as_str))
            .close("section");
    }
    h.close("div")
        .el("h3", &[], &a.extreme_title)
        .el("p", &[], &a.extreme);
    h.paragraphs(&a.processing).el("p", &[], &a.reactions_title);
    h.list(a.reactions.iter().map(String::as_str));
    h.paragraphs(&a.processing_after).close("section");
    let s = &p.sanctions;
    h.open("section", &[("id", &Place::Sanctions.anchor())]);
    h.el("h2", &[], &s.title)
        .paragraphs(&s.intro)
        .el("h3", &[], &s.list_title);
    h.list(s.list.iter().map(String::as_str));
    for x in &s.explained {
        h.el("h4", &[], &x.title).paragraphs(&x.paragraphs);
    }
    h.paragraphs(&s.closing).close("section");
    h.0
}
