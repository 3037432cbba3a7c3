//! Reference: the whole protocol to read, with offline search blind to case and diacritics.

use leptos::prelude::*;
use veilig_core::protocol::search::search;
use veilig_core::protocol::texts::Place;
use veilig_core::protocol::{Flow, Node, Protocol};

use crate::components::text_list::TextList;
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
            {move || view! { <Sections p=p() t=t()/> }}
        </article>
    }
}

/// One step or end with everything the protocol says about it: detail, counter, actions, each
/// answer with a link to where it leads, and what follows an end. Its id is the anchor search
/// hits link to.
fn node_view(f: &Flow, n: &Node, t: &'static Texts) -> impl IntoView {
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
    let answers = n
        .answers
        .iter()
        .map(|a| {
            let to = f.node(&a.next).map(|x| x.text.clone()).unwrap_or_default();
            view! {
                <li>
                    {own(&a.label, a.own)} <span aria-hidden="true">" → "</span>
                    <span class="sr-only">{t.leads_to}</span>
                    <a href=format!("#{}", at(&a.next))>{to}</a>
                </li>
            }
        })
        .collect_view();
    let then = n
        .end
        .iter()
        .flat_map(|e| e.then.clone())
        .collect::<Vec<_>>();
    view! {
        <li id=at(&n.id) class=if n.is_end() { "ref-end" } else { "ref-step" }>
            <strong>{n.text.clone()}</strong>
            {n.detail.clone().map(|d| view! { <p>{d}</p> })}
            {n.counter.as_ref().map(|c| view! { <p class="muted">{c.label.clone()} ": " {(t.counter_up_to)(c.max)}</p> })}
            {(!n.actions.is_empty()).then(|| view! {
                <TextList items=n.actions.iter().map(|a| own(&a.text, a.own)).collect()/>
            })}
            {(!n.answers.is_empty()).then(|| view! { <ul class="ref-answers">{answers}</ul> })}
            {(!then.is_empty()).then(|| view! { <TextList items=then/> })}
        </li>
    }
}

#[component]
fn Sections(p: &'static Protocol, t: &'static Texts) -> impl IntoView {
    let kinds = p.kinds.iter().map(|k| {
        view! {
            <section id=Place::Kind(k.id).anchor()>
                <h2>{k.title.clone()}</h2>
                <p class="muted">{k.definition.clone()}</p>
                <p>{k.key_point.clone()}</p>
                <h3>{k.responses_title.clone()}</h3>
                <TextList items=k.responses.clone()/>
            </section>
        }
    });
    let flows = p.flows.iter().map(|f| {
        // Steps first, then the ends, each in the content's order.
        let nodes = f.nodes.iter().filter(|n| !n.is_end()).chain(f.nodes.iter().filter(|n| n.is_end()));
        let nodes = nodes.map(|n| node_view(f, n, t)).collect_view();
        view! {
            <section id=Place::Flow { flow: f.id, node: None }.anchor()>
                <h3>{f.title.clone()}</h3>
                {(!f.intro.is_empty()).then(|| view! { <TextList items=f.intro.clone()/> })}
                <ol class="ref-flow">{nodes}</ol>
                <a class="btn btn-secondary" href=format!("/protocol/{}", f.id.slug())>{f.title.clone()} " →"</a>
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
        <section id=Place::Intro.anchor()>
            {p.intro.iter().map(|t| view! { <p>{t.clone()}</p> }).collect_view()}
        </section>
        <section id=Place::GeneralPoints.anchor()>
            <h2>{p.general_points.title.clone()}</h2>
            <TextList items=p.general_points.items.clone()/>
            <p>{p.kinds_intro.clone()}</p>
        </section>
        {kinds.collect_view()}
        <section id="procedures">
            <h2>{p.procedures_title.clone()}</h2>
            {flows.collect_view()}
        </section>
        <section id=Place::Extreme.anchor()>
            <h2>{p.extreme.title.clone()}</h2>
            <p>{p.extreme.definition.clone()}</p>
            <h3>{p.extreme.during_title.clone()}</h3>
            <TextList items=p.extreme.during.clone()/>
            <h3>{p.extreme.after_title.clone()}</h3>
            <TextList items=p.extreme.after.clone()/>
        </section>
        <section id=Place::Aftercare.anchor()>
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
        <section id=Place::Sanctions.anchor()>
            <h2>{s.title.clone()}</h2>
            {s.intro.iter().map(|t| view! { <p>{t.clone()}</p> }).collect_view()}
            <h3>{s.list_title.clone()}</h3>
            <TextList items=s.list.clone()/>
            {explained.collect_view()}
            {s.closing.iter().map(|t| view! { <p>{t.clone()}</p> }).collect_view()}
        </section>
    }
}
