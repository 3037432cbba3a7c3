//! Flow D, extreme incidents (1.4): 112 first, then the points during and after as a
//! checklist whose ticks keep their time. One checklist per incident: "Nieuw incident" starts a
//! fresh one, earlier ones stay as their incident's log, and "Registreer dit incident" hands
//! the checklist to a new report (extreme, police and the ticks prefilled).
//!
//! As on the flow page, a tick is shown once it is stored.

use leptos::prelude::*;
use veilig_core::protocol::checklist::{self, Checklist, POLICE_CALLED};
use veilig_core::protocol::CallTarget;
use veilig_core::report::schema::{EXTREME_KINDS, NONE_OF_THESE};
use veilig_core::route::Route;

use crate::clock::{local_input, now};
use crate::components::call::CallButton;
use crate::components::general_points::GeneralPointsButton;
use crate::components::tick::tick;
use crate::durable::Durable;
use crate::state::{use_app, use_protocol, use_texts};
use crate::storage;

fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

#[component]
pub fn ExtremePage() -> impl IntoView {
    let app = use_app();
    let t = use_texts();
    let p = use_protocol();
    let router = crate::router::use_router();
    let lang = move || usize::from(app.locale() == veilig_core::Locale::En);
    // The screen shows the stored checklist (`crate::durable`); ticks wait until it is read.
    let list = Durable::new(Checklist::default());
    let shown = list.shown;
    let loaded = RwSignal::new(false);
    let earlier = RwSignal::new(Vec::<Checklist>::new());
    leptos::task::spawn_local(async move {
        let stored = storage::load_checklists().await;
        if stored.problem.is_some() {
            app.notice.set(stored.problem);
        }
        let current = checklist::current(&stored.value)
            .cloned()
            .unwrap_or_else(|| Checklist::new(new_id(), now()));
        // Ids are UUIDv7, made in time order, and IndexedDB returns records in key order:
        // reversed, the newest incident comes first without a sort (which costs wasm bytes).
        let others: Vec<Checklist> = stored
            .value
            .into_iter()
            .rev()
            .filter(|c| c.id != current.id && !c.is_untouched())
            .collect();
        earlier.set(others);
        list.reset(current);
        loaded.set(true);
    });
    let change = move |f: &dyn Fn(&mut Checklist)| {
        list.change(|next| {
            f(next);
            true
        })
    };
    let loaded = move || loaded.get();
    let done_at = move |item: &str| shown.with(|c| c.done_at(item));

    let tick_row = move |key: String, text: String| {
        let id = format!("x-{}", key.replace('.', "-"));
        let key_for_state = key.clone();
        let at = Memo::new(move |_| done_at(&key_for_state));
        view! {
            <li class="check">
                {tick(id, text, at, move || !loaded(), move || change(&|c| c.toggle(&key, now())))}
            </li>
        }
    };
    let items = move |section: &'static str, texts: Vec<String>| {
        texts
            .into_iter()
            .enumerate()
            .map(|(i, text)| tick_row(format!("{section}.{i}"), text))
            .collect_view()
    };
    let kinds = move || {
        EXTREME_KINDS
            .iter()
            // "Geen van deze" belongs to the form, not to an incident that is going on.
            .filter(|kind| kind.key != NONE_OF_THESE)
            .map(|kind| {
                let key = kind.key;
                let on = move || shown.with(|c| c.kinds.iter().any(|k| k == key));
                view! {
                    <button
                        type="button"
                        class="btn btn-secondary"
                        aria-pressed=move || on().to_string()
                        disabled=move || !loaded()
                        on:click=move |_| change(&|c| c.toggle_kind(key, now()))
                    >
                        {kind.label[lang()]}
                    </button>
                }
            })
            .collect_view()
    };
    // One report per incident: the button waits for the report and the mark on the checklist.
    let busy = RwSignal::new(false);
    // `None`: the incident on the page; `Some`: an earlier one from the list.
    let register = move |earlier_one: Option<Checklist>| {
        if busy.get_untracked() {
            return;
        }
        let checklist = earlier_one.unwrap_or_else(|| list.latest());
        busy.set(true);
        leptos::task::spawn_local(async move {
            let started = local_input(checklist.started_at.unwrap_or_else(now));
            let created = crate::pages::reports::create(|r| {
                veilig_core::report::prefill::from_checklist(r, &checklist, &started);
            })
            .await;
            match created {
                Ok(id) => {
                    // The checklist as it is now: a tick may have been stored meanwhile.
                    let current = list.latest();
                    let is_current = current.id == checklist.id;
                    let mut done = if is_current { current } else { checklist };
                    done.report = Some(id.clone());
                    if is_current {
                        list.reset(done.clone());
                    }
                    if let Err(err) = storage::save_checklist(&done).await {
                        app.notice.set(Some(err.to_string()));
                    }
                    router.go(&Route::Report(id).path());
                }
                Err(err) => app.notice.set(Some(err.to_string())),
            }
            busy.set(false);
        });
    };
    let new_incident = move |_| {
        let confirmed = web_sys::window()
            .and_then(|w| w.confirm_with_message(t().new_incident_confirm).ok())
            .unwrap_or(false);
        if !confirmed {
            return;
        }
        let old = list.latest();
        if !old.is_untouched() {
            earlier.update(|e| e.insert(0, old));
        }
        list.store(Checklist::new(new_id(), now()));
    };
    view! {
        <article class="flow extreme">
            <h1>{move || p().extreme.title.clone()}</h1>
            <CallButton target=CallTarget::Police emergency_only=true/>
            <ul class="checklist">
                {move || tick_row(POLICE_CALLED.to_owned(), t().police_called_112.to_owned())}
            </ul>
            <p class="lead">{move || t().extreme_lead}</p>
            <p>{move || p().extreme.definition.clone()}</p>
            <div class="kinds" role="group" aria-label=move || t().extreme_what_happens>
                <p class="guidance-q">{move || t().extreme_what_happens}</p>
                <div class="btn-row">{kinds}</div>
            </div>
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
            <div class="btn-row">
                <button type="button" class="btn btn-register" disabled=move || !loaded() || busy.get() on:click=move |_| register(None)>
                    {move || t().register_incident}
                </button>
                <button type="button" class="btn btn-secondary" disabled=move || !loaded() on:click=new_incident>
                    {move || t().new_incident}
                </button>
            </div>
            <GeneralPointsButton/>
            <Show when=move || earlier.with(|e| !e.is_empty())>
                <section class="earlier">
                    <h2>{move || t().earlier_incidents}</h2>
                    <ul>
                        {move || earlier.get().into_iter().map(|c| {
                            let when = c.started_at.map(local_input).unwrap_or_default().replace('T', " ");
                            let ticks = c.ticked().len();
                            view! {
                                <li>
                                    {format!("{when} · {}", (t().ticks_count)(ticks))}
                                    " · "
                                    {match c.report.clone() {
                                        Some(id) => view! { <a href=Route::Report(id).path()>{move || t().open_registration}</a> }.into_any(),
                                        None => view! {
                                            <button type="button" class="btn btn-quiet" disabled=move || busy.get() on:click=move |_| register(Some(c.clone()))>
                                                {move || t().register_incident}
                                            </button>
                                        }.into_any(),
                                    }}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </section>
            </Show>
        </article>
    }
}
