//! The flow runner: one step per screen, answers as large buttons, a log of every tap.
//! All decisions are `veilig_core::protocol::run`; this page renders them and saves the log.
//!
//! A tap's effect is shown only once it is stored: the screen follows the stored log, so a
//! reload or a killed browser right after a tap never shows less than was on the screen.

use leptos::prelude::*;
use veilig_core::protocol::run::{FlowRun, Shown};
use veilig_core::protocol::{Action, Flow, FlowId, Node, RegisterRule};
use veilig_core::route::Route;

use crate::clock::{local_time, now};
use crate::components::call::CallButton;
use crate::components::general_points::GeneralPointsButton;
use crate::components::guidance::Guidance;
use crate::components::run_log::RunLog;
use crate::components::text_list::TextList;
use crate::components::tick::tick;
use crate::durable::Durable;
use crate::state::{use_app, use_protocol, use_texts};
use crate::storage;

/// The latest unfinished run of this flow, or a new one; plus a sentence if stored runs had
/// to be set aside.
async fn resume_or_start(flow: &Flow) -> (FlowRun, Option<crate::storage::StorageError>) {
    let loaded = storage::load_runs().await;
    let latest = loaded
        .value
        .into_iter()
        .filter(|r| r.flow == flow.id)
        .max_by_key(|r| r.started_at);
    let run = match latest {
        Some(run) if run.outcome(flow).is_none() && run.state(flow).is_ok() => run,
        _ => FlowRun::new(new_id(), flow.id, now()),
    };
    (run, loaded.problem)
}

fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

#[component]
pub fn FlowPage(flow: Option<FlowId>) -> impl IntoView {
    let t = use_texts();
    let app = use_app();
    let p = use_protocol();
    let Some(id) = flow else {
        return view! { <p class="error">{t().flow_not_found}</p> }.into_any();
    };
    // The stored runs are read first (one IndexedDB read), so an unfinished run resumes.
    let started = RwSignal::new(None::<FlowRun>);
    leptos::task::spawn_local(async move {
        let Some(flow) = p().flow(id) else {
            return;
        };
        let (run, problem) = resume_or_start(flow).await;
        if problem.is_some() {
            app.notice.set(problem.map(Into::into));
        }
        started.set(Some(run));
    });
    (move || {
        started
            .get()
            .map(|run| view! { <FlowRunner id=id run=run/> })
    })
    .into_any()
}

/// Applies a tap to the run; `false` when the run refused it (nothing to store).
type Tap<'a> = dyn Fn(&mut FlowRun, &Flow) -> bool + 'a;

#[component]
fn FlowRunner(id: FlowId, run: FlowRun) -> impl IntoView {
    let t = use_texts();
    let p = use_protocol();
    let flow = move || {
        p().flow(id)
            .expect("every FlowId has a flow (core content test)")
    };
    // The screen shows the stored log (`crate::durable`).
    let log = Durable::new(run);
    let run = log.shown;
    let act = move |tap: &Tap<'_>| log.change(|next| tap(next, flow()));

    let state = Memo::new(move |_| run.with(|r| r.state(flow()).ok()));
    // The step is rebuilt only when the run moves to another step, not on every tally or tick
    // (keyboard focus and the screen reader stay where they are).
    let current = Memo::new(move |_| state.with(|s| s.as_ref().map(|s| s.current().to_owned())));
    let node = move || current.with(|id| id.as_deref().and_then(|id| flow().node(id)).cloned());
    let step_no = move || state.with(|s| s.as_ref().map_or(1, |s| s.path.len()));

    let restart = move |_| {
        let confirmed = web_sys::window()
            .and_then(|w| w.confirm_with_message(t().restart_confirm).ok())
            .unwrap_or(false);
        if confirmed {
            log.store(FlowRun::new(new_id(), id, now()));
        }
    };
    let on_guided = Callback::new(move |kind| {
        act(&move |r, f| r.guide(f, kind, now()).is_ok());
    });

    view! {
        <article class="flow">
            <header class="flow-head">
                <h1>{move || flow().title.clone()}</h1>
                <span class="step-no">{move || format!("{} {}", t().step, step_no())}</span>
            </header>
            {move || {
                let intro = flow().intro.clone();
                (step_no() == 1 && !intro.is_empty()).then(|| view! {
                    <section class="panel intro">
                        <h2>{t().before_you_start}</h2>
                        <TextList items=intro/>
                    </section>
                })
            }}
            {move || match node() {
                Some(n) if n.is_end() => view! { <EndView node=n run=run/> }.into_any(),
                Some(n) => view! { <StepView node=n run=run act=act/> }.into_any(),
                None => view! { <p class="error">{t().flow_not_found}</p> }.into_any(),
            }}
            <div class="flow-tools">
                <GeneralPointsButton/>
                <Show when=move || node().is_some_and(|n| !n.is_end())>
                    <Guidance on_choose=on_guided/>
                </Show>
            </div>
            <RunLog run=run/>
            <button type="button" class="btn btn-quiet" on:click=restart>{move || t().restart}</button>
        </article>
    }
}

#[component]
fn StepView(
    node: Node,
    run: RwSignal<FlowRun>,
    act: impl Fn(&Tap<'_>) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let t = use_texts();
    let p = use_protocol();
    let flow_id = run.with_untracked(|r| r.flow);
    let flow = move || p().flow(flow_id).expect("flow exists");
    let state = Memo::new(move |_| run.with(|r| r.state(flow()).ok()));
    let counts = move || state.with(|s| s.as_ref().map(|s| s.counts.clone()).unwrap_or_default());
    let can_undo = move || state.with(|s| s.as_ref().is_some_and(|s| !s.effective.is_empty()));
    // What this screen shows when it is tapped: the step and the answers and tallies in force.
    let step = StoredValue::new(node.id.clone());
    let shown =
        move |r: &mut FlowRun, f: &Flow, tap: &dyn Fn(&mut FlowRun, &Flow, Shown<'_>) -> bool| {
            let in_force = state.with_untracked(|s| s.as_ref().map_or(0, |s| s.effective.len()));
            step.with_value(|step| tap(r, f, Shown { step, in_force }))
        };

    let counter = node.counter.clone().map(|counter| {
        let max = counter.max as usize;
        let reached = counter.reached.clone();
        view! {
            <div class="counter" role="group" aria-label=counter.label.clone()>
                <p class="counter-status" aria-live="polite">{move || (t().requests_made)(counts().len())}</p>
                <ol class="counter-times">
                    {move || counts().into_iter().enumerate().map(|(i, at)| view! {
                        <li>{(t().request_nth)(i + 1)} " · " <time>{local_time(at)}</time></li>
                    }).collect_view()}
                </ol>
                <button
                    type="button"
                    class="btn btn-count"
                    disabled=move || { counts().len() >= max }
                    on:click=move |_| act(&|r, f| shown(r, f, &|r, f, s| r.count_at(f, s, now()).is_ok()))
                >
                    {move || format!("{} ({})", t().request_again, (t().request_nth)((counts().len() + 1).min(max)))}
                </button>
                <Show when=move || { counts().len() >= max }>
                    <p class="counter-reached" role="status">{reached.clone()}</p>
                </Show>
            </div>
        }
    });

    let ticks = node
        .actions
        .iter()
        .map(|action| action_view(action, &node.id, state, act))
        .collect_view();

    let answers = node
        .answers
        .iter()
        .map(|answer| {
            let id = answer.id.clone();
            view! {
                <button
                    type="button"
                    class="btn btn-answer"
                    on:click=move |_| act(&|r, f| shown(r, f, &|r, f, s| r.answer_from(f, s, &id, now()).is_ok()))
                >
                    {answer.label.clone()}
                </button>
            }
        })
        .collect_view();

    view! {
        <section class="step" aria-live="polite">
            <h2 class="step-text">{node.text.clone()}</h2>
            {node.detail.clone().map(|d| view! { <p class="detail">{d}</p> })}
            <div class="actions">{ticks}</div>
            {counter}
            <div class="answers">{answers}</div>
            <button
                type="button"
                class="btn btn-back"
                disabled=move || !can_undo()
                on:click=move |_| act(&|r, f| shown(r, f, &|r, f, s| r.undo_from(f, s, now()).is_ok()))
            >
                <span aria-hidden="true">"← "</span>
                {move || t().back}
            </button>
        </section>
    }
}

/// An action of a step: a call button where it means phoning someone, and a tick with its
/// time where the content asks for one.
fn action_view(
    action: &Action,
    node: &str,
    state: Memo<Option<veilig_core::protocol::run::RunState>>,
    act: impl Fn(&Tap<'_>) + Copy + Send + Sync + 'static,
) -> AnyView {
    let Some(tick_id) = action.tick.clone() else {
        return plain_action(action);
    };
    let call = action
        .call
        .map(|target| view! { <CallButton target=target/> });
    let node = node.to_owned();
    let dom_id = format!("tick-{node}-{tick_id}");
    let done_at = {
        let (node, tick_id) = (node.clone(), tick_id.clone());
        Memo::new(move |_| state.with(|s| s.as_ref().and_then(|s| s.ticked_at(&node, &tick_id))))
    };
    let text = action.text.clone();
    view! {
        <div class="action action-tick">
            {tick(dom_id, text, done_at, || false, move || act(&|r, f| r.toggle_tick(f, &node, &tick_id, now()).is_ok()))}
            {call}
        </div>
    }
    .into_any()
}

/// An action without a tick: its call button with the text, or only the text.
fn plain_action(action: &Action) -> AnyView {
    match action.call {
        Some(target) => view! { <CallButton target=target text=action.text.clone()/> }.into_any(),
        None => view! { <p class="action-text">{action.text.clone()}</p> }.into_any(),
    }
}

#[component]
fn EndView(node: Node, run: RwSignal<FlowRun>) -> impl IntoView {
    let t = use_texts();
    let app = use_app();
    let p = use_protocol();
    let router = crate::router::use_router();
    let end = node.end.clone().expect("EndView gets end nodes");
    let flow_id = run.with_untracked(|r| r.flow);
    let warns = move || {
        let flow = p().flow(flow_id)?;
        let state = run.with(|r| r.state(flow).ok())?;
        Some(
            state
                .path
                .iter()
                .any(|id| flow.node(id).is_some_and(|n| n.warn_colleagues)),
        )
    };
    // Hands the run's log to a new draft: setting, time, police, the nature of the aggression
    // and the ticks are prefilled.
    // One report per tap: a second tap while the first is being written does nothing.
    let busy = RwSignal::new(false);
    let register = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        let run = run.get_untracked();
        leptos::task::spawn_local(async move {
            let Some(flow) = p().flow(run.flow) else {
                return;
            };
            let started = crate::clock::local_input(run.started_at);
            let created = crate::pages::reports::create(|r| {
                veilig_core::report::prefill::from_flow(r, flow, &run, &started);
            })
            .await;
            match created {
                Ok(id) => router.go(&Route::Report(id).path()),
                Err(err) => app.notice.set(Some(err.into())),
            }
            busy.set(false);
        });
    };
    let rule = match end.register_rule() {
        RegisterRule::EveryIncident => t().register_every_incident,
        RegisterRule::ManagerDecides => t().register_manager_decides,
    };
    view! {
        <section class="end" aria-live="polite">
            <h2 class="end-text">{node.text.clone()}</h2>
            {end.police.then(|| view! { <p class="badge badge-police">{move || t().police_involved}</p> })}
            <div class="actions">
                {node.actions.iter().map(plain_action).collect_view()}
            </div>
            <h3>{move || t().what_follows}</h3>
            <ul class="textlist">
                {end.then.iter().map(|x| view! { <li>{x.clone()}</li> }).collect_view()}
                <li>{rule}</li>
                <Show when=move || warns() == Some(true)>
                    <li>{move || t().warning_for_colleagues_prefilled}</li>
                </Show>
            </ul>
            <div class="btn-row">
                <button type="button" class="btn btn-register" disabled=move || busy.get() on:click=register>{move || t().register_incident}</button>
                {(end.outcome == veilig_core::protocol::Outcome::Sanctions).then(|| view! {
                    <a class="btn btn-secondary" href=format!("{}#sancties", const { Route::Reference.static_path() })>{move || t().read_sanctions}</a>
                })}
            </div>
        </section>
    }
}
