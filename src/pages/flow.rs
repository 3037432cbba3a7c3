//! The flow runner: one step per screen, answers as large buttons, a log of every tap.
//! All decisions are `veilig_core::protocol::run`; this page renders them and saves the log.

use leptos::prelude::*;
use veilig_core::protocol::run::{EventKind, FlowRun};
use veilig_core::protocol::{Action, Flow, FlowId, Node, Outcome};
use veilig_core::route::Route;

use crate::clock::{local_time, now};
use crate::components::call::CallButton;
use crate::components::general_points::GeneralPointsButton;
use crate::components::guidance::Guidance;
use crate::components::text_list::TextList;
use crate::state::{use_app, use_protocol, use_texts};
use crate::storage;

/// The latest unfinished run of this flow, or a new one; plus a sentence if stored runs had
/// to be set aside.
async fn resume_or_start(flow: &Flow) -> (FlowRun, Option<String>) {
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
        let Some(flow) = p().flows.iter().find(|f| f.id == id) else {
            return;
        };
        let (run, problem) = resume_or_start(flow).await;
        if problem.is_some() {
            app.notice.set(problem);
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

#[component]
fn FlowRunner(id: FlowId, run: FlowRun) -> impl IntoView {
    let app = use_app();
    let t = use_texts();
    let p = use_protocol();
    let flow = move || {
        p().flows
            .iter()
            .find(|f| f.id == id)
            .expect("every FlowId has a flow (core content test)")
    };
    let run = RwSignal::new(run);

    // Every change is written at once, in its own IndexedDB transaction; writes are started in
    // order and IndexedDB runs them in that order. A failed write says so and keeps the run in
    // memory.
    let persist = move || {
        let snapshot = run.get_untracked();
        leptos::task::spawn_local(async move {
            if let Err(err) = storage::save_run(&snapshot).await {
                app.notice.set(Some(err.to_string()));
            }
        });
    };
    let act = move |f: &dyn Fn(&mut FlowRun, &Flow)| {
        run.update(|r| f(r, flow()));
        persist();
    };

    let state = Memo::new(move |_| run.with(|r| r.state(flow()).ok()));
    let node = move || state.with(|s| s.as_ref().and_then(|s| flow().node(s.current())).cloned());
    let step_no = move || state.with(|s| s.as_ref().map_or(1, |s| s.path.len()));

    let restart = move |_| {
        let confirmed = web_sys::window()
            .and_then(|w| w.confirm_with_message(t().restart_confirm).ok())
            .unwrap_or(false);
        if confirmed {
            run.set(FlowRun::new(new_id(), id, now()));
            persist();
        }
    };

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
                    <Guidance/>
                </Show>
            </div>
            <RunLog run=run flow_id=id/>
            <button type="button" class="btn btn-quiet" on:click=restart>{move || t().restart}</button>
        </article>
    }
}

#[component]
fn StepView(
    node: Node,
    run: RwSignal<FlowRun>,
    act: impl Fn(&dyn Fn(&mut FlowRun, &Flow)) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let t = use_texts();
    let p = use_protocol();
    let flow_id = run.with_untracked(|r| r.flow);
    let flow = move || {
        p().flows
            .iter()
            .find(|f| f.id == flow_id)
            .expect("flow exists")
    };
    let counts = move || run.with(|r| r.state(flow()).map(|s| s.counts).unwrap_or_default());
    let can_undo = move || run.with(|r| r.state(flow()).is_ok_and(|s| !s.effective.is_empty()));

    let counter = node.counter.clone().map(|counter| {
        let max = counter.max as usize;
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
                    on:click=move |_| act(&|r, f| { let _ = r.count(f, now()); })
                >
                    {move || format!("{} ({})", t().request_again, (t().request_nth)((counts().len() + 1).min(max)))}
                </button>
                <p class="muted">{move || t().police_next}</p>
            </div>
        }
    });

    let answers = node
        .answers
        .iter()
        .map(|answer| {
            let id = answer.id.clone();
            let needed = answer.requires_count;
            let blocked = move || needed.is_some_and(|n| counts().len() < n as usize);
            view! {
                <button
                    type="button"
                    class="btn btn-answer"
                    disabled=blocked
                    on:click=move |_| act(&|r, f| { let _ = r.answer(f, &id, now()); })
                >
                    {answer.label.clone()}
                    {needed.map(|n| view! {
                        <Show when=blocked>
                            <small>{move || (t().opens_after)(n)}</small>
                        </Show>
                    })}
                </button>
            }
        })
        .collect_view();

    view! {
        <section class="step" aria-live="polite">
            <h2 class="step-text">{node.text.clone()}</h2>
            {node.detail.clone().map(|d| view! { <p class="detail">{d}</p> })}
            <div class="actions">
                {actions_view(&node.actions)}
            </div>
            {counter}
            <div class="answers">{answers}</div>
            <button
                type="button"
                class="btn btn-back"
                disabled=move || !can_undo()
                on:click=move |_| act(&|r, f| { let _ = r.undo(f, now()); })
            >
                <span aria-hidden="true">"← "</span>
                {move || t().back}
            </button>
        </section>
    }
}

/// What to do at a step; a call button where it means phoning someone.
fn actions_view(actions: &[Action]) -> impl IntoView {
    actions
        .iter()
        .map(|a| match a.call {
            Some(target) => view! { <CallButton target=target text=a.text.clone()/> }.into_any(),
            None => view! { <p class="action-text">{a.text.clone()}</p> }.into_any(),
        })
        .collect_view()
}

#[component]
fn EndView(node: Node, run: RwSignal<FlowRun>) -> impl IntoView {
    let t = use_texts();
    let app = use_app();
    let p = use_protocol();
    let router = crate::router::use_router();
    let end = node.end.clone().expect("EndView gets end nodes");
    // Hands the run's log to a new draft: setting, time, police and the steps are prefilled.
    let register = move |_| {
        let run = run.get_untracked();
        leptos::task::spawn_local(async move {
            let Some(flow) = p().flows.iter().find(|f| f.id == run.flow) else {
                return;
            };
            let started = crate::clock::local_input(run.started_at);
            let created = crate::pages::reports::create(|r| {
                veilig_core::report::prefill::from_flow(r, flow, &run, &started);
            })
            .await;
            match created {
                Ok(id) => router.go(&Route::Report(id).path()),
                Err(err) => app.notice.set(Some(err.to_string())),
            }
        });
    };
    view! {
        <section class="end" aria-live="polite">
            <h2 class="end-text">{node.text.clone()}</h2>
            {end.police.then(|| view! { <p class="badge badge-police">{move || t().police_involved}</p> })}
            <div class="actions">
                {actions_view(&node.actions)}
            </div>
            <h3>{move || t().what_follows}</h3>
            <ul class="textlist">
                {end.then.iter().map(|x| view! { <li>{x.clone()}</li> }).collect_view()}
                <li>{move || t().register_every_incident}</li>
            </ul>
            <div class="btn-row">
                <button type="button" class="btn btn-register" on:click=register>{move || t().register_incident}</button>
                {(end.outcome == Outcome::Sanctions).then(|| view! {
                    <a class="btn btn-secondary" href="/naslag#sancties">{move || t().read_sanctions}</a>
                })}
            </div>
        </section>
    }
}

#[component]
fn RunLog(run: RwSignal<FlowRun>, flow_id: FlowId) -> impl IntoView {
    let t = use_texts();
    let p = use_protocol();
    let rows = move || {
        let flow = p().flows.iter().find(|f| f.id == flow_id)?;
        let r = run.get();
        let mut rows = vec![(r.started_at, t().run_started.to_owned())];
        for e in &r.events {
            let label = match &e.kind {
                EventKind::Answered { node, answer } => flow
                    .node(node)
                    .and_then(|n| n.answer(answer))
                    .map(|a| a.label.clone())
                    .unwrap_or_else(|| answer.clone()),
                EventKind::Counted { .. } => t().request_logged.to_owned(),
                EventKind::Undone => t().undone.to_owned(),
            };
            rows.push((e.at, label));
        }
        Some(rows)
    };
    view! {
        <details class="runlog">
            <summary>{move || t().run_log}</summary>
            <ol>
                {move || rows().unwrap_or_default().into_iter().map(|(at, label)| view! {
                    <li><time>{local_time(at)}</time> " " {label}</li>
                }).collect_view()}
            </ol>
        </details>
    }
}
