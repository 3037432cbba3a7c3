//! Reference: the whole protocol to read, with offline search blind to case and diacritics.

use leptos::prelude::*;
use veilig_core::protocol::search::search;
use veilig_core::protocol::texts::Place;
use veilig_core::protocol::{KindId, Protocol};

use crate::components::text_list::TextList;
use crate::state::{use_protocol, use_texts};

/// The section of this page (or the flow) a search hit belongs to.
fn href(place: &Place) -> String {
    match place {
        Place::Intro => "#inleiding".into(),
        Place::GeneralPoints => "#algemeen".into(),
        Place::Kind(KindId::Frustratie) => "#frustratie".into(),
        Place::Kind(KindId::Instrumenteel) => "#instrumenteel".into(),
        Place::Flow { flow, .. } => format!("#procedure-{}", flow.slug()),
        Place::Extreme => "#extreem".into(),
        Place::Aftercare => "#nazorg".into(),
        Place::Sanctions => "#sancties".into(),
    }
}

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
        Place::Flow { flow, .. } => p
            .flows
            .iter()
            .find(|f| f.id == *flow)
            .map(|f| f.title.clone())
            .unwrap_or_default(),
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
                    href(&h.place),
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
            {move || view! { <Sections p=p()/> }}
        </article>
    }
}

#[component]
fn Sections(p: &'static Protocol) -> impl IntoView {
    let kinds = p.kinds.iter().map(|k| {
        let id = match k.id {
            KindId::Frustratie => "frustratie",
            KindId::Instrumenteel => "instrumenteel",
        };
        view! {
            <section id=id>
                <h2>{k.title.clone()}</h2>
                <p class="muted">{k.definition.clone()}</p>
                <p>{k.key_point.clone()}</p>
                <h3>{k.responses_title.clone()}</h3>
                <TextList items=k.responses.clone()/>
            </section>
        }
    });
    let flows = p.flows.iter().map(|f| {
        let steps: Vec<String> = f.nodes.iter().filter(|n| !n.is_end()).map(|n| n.text.clone()).collect();
        view! {
            <section id=format!("procedure-{}", f.id.slug())>
                <h3>{f.title.clone()}</h3>
                {(!f.intro.is_empty()).then(|| view! { <TextList items=f.intro.clone()/> })}
                <TextList items=steps ordered=true/>
                {view! {
                    <a class="btn btn-secondary" href=format!("/protocol/{}", f.id.slug())>{f.title.clone()} " →"</a>
                }}
            </section>
        }
    });
    let a = &p.aftercare;
    let conversations = a.conversations.iter().map(|c| {
        view! {
            <section class="conversation">
                <h4>{c.title.clone()}</h4>
                <p class="muted">{c.when.clone()}</p>
                <TextList items=c.checklist.clone()/>
            </section>
        }
    });
    let s = &p.sanctions;
    let explained = s.explained.iter().map(|x| {
        view! {
            <h4>{x.title.clone()}</h4>
            {x.paragraphs.iter().map(|t| view! { <p>{t.clone()}</p> }).collect_view()}
        }
    });
    view! {
        <section id="inleiding">
            {p.intro.iter().map(|t| view! { <p>{t.clone()}</p> }).collect_view()}
        </section>
        <section id="algemeen">
            <h2>{p.general_points.title.clone()}</h2>
            <TextList items=p.general_points.items.clone()/>
            <p>{p.kinds_intro.clone()}</p>
        </section>
        {kinds.collect_view()}
        <section id="procedures">
            <h2>{p.procedures_title.clone()}</h2>
            {flows.collect_view()}
        </section>
        <section id="extreem">
            <h2>{p.extreme.title.clone()}</h2>
            <p>{p.extreme.definition.clone()}</p>
            <h3>{p.extreme.during_title.clone()}</h3>
            <TextList items=p.extreme.during.clone()/>
            <h3>{p.extreme.after_title.clone()}</h3>
            <TextList items=p.extreme.after.clone()/>
        </section>
        <section id="nazorg">
            <h2>{a.title.clone()}</h2>
            {a.intro.iter().map(|t| view! { <p>{t.clone()}</p> }).collect_view()}
            <h3>{a.first_care_title.clone()}</h3>
            {a.first_care.iter().map(|t| view! { <p>{t.clone()}</p> }).collect_view()}
            <h3>{a.follow_up_title.clone()}</h3>
            {a.follow_up.iter().map(|t| view! { <p>{t.clone()}</p> }).collect_view()}
            <h3>{a.model_title.clone()}</h3>
            <div class="conversations">{conversations.collect_view()}</div>
            <h3>{a.extreme_title.clone()}</h3>
            <p>{a.extreme.clone()}</p>
            {a.processing.iter().map(|t| view! { <p>{t.clone()}</p> }).collect_view()}
            <p>{a.reactions_title.clone()}</p>
            <TextList items=a.reactions.clone()/>
            {a.processing_after.iter().map(|t| view! { <p>{t.clone()}</p> }).collect_view()}
        </section>
        <section id="sancties">
            <h2>{s.title.clone()}</h2>
            {s.intro.iter().map(|t| view! { <p>{t.clone()}</p> }).collect_view()}
            <h3>{s.list_title.clone()}</h3>
            <TextList items=s.list.clone()/>
            {explained.collect_view()}
            {s.closing.iter().map(|t| view! { <p>{t.clone()}</p> }).collect_view()}
        </section>
    }
}
