//! Flow D, extreme incidents (1.4): 112 first, then the points during and after as a
//! checklist whose ticks keep their time.

use leptos::prelude::*;
use veilig_core::protocol::checklist::Checklist;

use crate::clock::{local_time, now};
use crate::components::call::CallButton;
use crate::components::general_points::GeneralPointsButton;
use crate::state::{use_app, use_protocol, use_texts};
use crate::storage;
use veilig_core::protocol::CallTarget;

#[component]
pub fn ExtremePage() -> impl IntoView {
    let app = use_app();
    let t = use_texts();
    let p = use_protocol();
    let checklist = RwSignal::new(Checklist::default());
    // Ticks are possible once the stored checklist is read (one IndexedDB read), so that none
    // is written over it.
    let loaded = RwSignal::new(false);
    leptos::task::spawn_local(async move {
        let stored = storage::load_extreme().await;
        if stored.problem.is_some() {
            app.notice.set(stored.problem);
        }
        checklist.set(stored.value);
        loaded.set(true);
    });
    // Each tick is its own IndexedDB transaction, started in order.
    let toggle = move |item: String| {
        checklist.update(|c| c.toggle(&item, now()));
        let snapshot = checklist.get_untracked();
        leptos::task::spawn_local(async move {
            if let Err(err) = storage::save_extreme(&snapshot).await {
                app.notice.set(Some(err.to_string()));
            }
        });
    };
    let items = move |section: &'static str, texts: Vec<String>| {
        texts
            .into_iter()
            .enumerate()
            .map(|(i, text)| {
                let key = format!("{section}.{i}");
                let key_for_state = key.clone();
                let done_at = Memo::new(move |_| checklist.with(|c: &Checklist| c.done_at(&key_for_state)));
                let id = format!("x-{section}-{i}");
                view! {
                    <li class="check">
                        <input
                            type="checkbox"
                            id=id.clone()
                            prop:checked=move || done_at.get().is_some()
                            disabled=move || !loaded.get()
                            on:change=move |_| toggle(key.clone())
                        />
                        <label for=id>
                            {text}
                            {move || done_at.get().map(|at| view! {
                                <small class="done-at">{format!(" ({} {})", t().checked_at, local_time(at))}</small>
                            })}
                        </label>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <article class="flow extreme">
            <h1>{move || p().extreme.title.clone()}</h1>
            <CallButton target=CallTarget::Police/>
            <p class="lead">{move || t().extreme_lead}</p>
            <p>{move || p().extreme.definition.clone()}</p>
            <h2>{move || p().extreme.during_title.clone()}</h2>
            <ul class="checklist">{move || items("during", p().extreme.during.clone())}</ul>
            <h2>{move || p().extreme.after_title.clone()}</h2>
            <ul class="checklist">{move || items("after", p().extreme.after.clone())}</ul>
            <section class="panel">
                <h2>{move || p().aftercare.extreme_title.clone()}</h2>
                <p>{move || p().aftercare.extreme.clone()}</p>
            </section>
            <div class="actions">
                <CallButton target=CallTarget::Manager/>
                <CallButton target=CallTarget::Office/>
            </div>
            <GeneralPointsButton/>
        </article>
    }
}
