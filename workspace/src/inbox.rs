//! The inbox: what waits for this person (the summary and "Mijn taken"), then the reports they
//! may read, newest first, with filters and pages. The filter lives in the address's query
//! (core's `Filter::query`), so back, forward and a copied link keep it.

use leptos::prelude::*;
use veilig_core::aftercare::{TaskKey, TaskState};
use veilig_core::inbox::{Filter, Item, MyTask, Page, StateFilter, Summary, TaskBrief};
use veilig_core::report::display;
use veilig_core::report::schema::{Choice, AGGRESSION_TYPES, SITUATIONS};

use crate::api;
use crate::app::{ctx, OfflineNote};
use crate::i18n::{lang, tx};
use crate::keep;

#[derive(serde::Deserialize, Clone)]
struct Team {
    id: String,
    name: String,
}

fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

pub fn summary_line(s: &Summary, lang: usize) -> String {
    if lang == 0 {
        format!(
            "{}, {} nu, {} te laat",
            plural(s.new_reports, "nieuwe registratie", "nieuwe registraties"),
            plural(s.due_tasks, "taak", "taken"),
            s.late_tasks
        )
    } else {
        format!(
            "{}, {} due now, {} overdue",
            plural(s.new_reports, "new report", "new reports"),
            plural(s.due_tasks, "task", "tasks"),
            s.late_tasks
        )
    }
}

pub fn state_class(state: TaskState) -> &'static str {
    match state {
        TaskState::TeLaat => "state te-laat",
        TaskState::NuDoen => "state nu-doen",
        TaskState::Gepland => "state gepland",
        TaskState::Gedaan => "state gedaan",
        TaskState::Vervallen => "state vervallen",
    }
}

/// A task's name and state as a badge: "Tweede gesprek: te laat (uiterlijk 2026-01-08 10:15)".
fn brief(t: &TaskBrief, lang: usize) -> String {
    let by = if lang == 0 { "uiterlijk" } else { "by" };
    let mut text = format!(
        "{}: {} ({by} {})",
        TaskKey::label(t.key)[lang],
        t.state.label()[lang].to_lowercase(),
        crate::time::wall(&t.due)
    );
    if t.direct {
        text.push_str(if lang == 0 {
            " · DIRECT"
        } else {
            " · AT ONCE"
        });
    }
    text
}

fn report_href(id: &str) -> String {
    format!("/werkruimte/registratie/{id}")
}

#[component]
pub fn Inbox() -> impl IntoView {
    let path = ctx().path;
    let lang = lang();
    let filter = Memo::new(move |_| {
        let p = path.get();
        let query = p.split_once('?').map(|(_, q)| q).unwrap_or_default();
        Filter::parse(query).unwrap_or(Filter {
            page: 1,
            ..Filter::default()
        })
    });
    let summary = RwSignal::new(None::<Summary>);
    let tasks = RwSignal::new(None::<Vec<MyTask>>);
    let page = RwSignal::new(None::<Page>);
    let teams = RwSignal::new(Vec::<Team>::new());
    let offline = RwSignal::new(None::<String>);
    let refused = RwSignal::new(false);

    leptos::task::spawn_local(async move {
        if let Ok(a) = api::get("/api/v1/teams").await {
            if let Some(list) = a.json::<Vec<Team>>().filter(|_| a.ok()) {
                teams.set(list);
            }
        }
    });

    Effect::new(move |_| {
        let query = filter.get().query();
        let since = keep::generation();
        leptos::task::spawn_local(async move {
            let list_path = if query.is_empty() {
                "/api/v1/inbox".to_owned()
            } else {
                format!("/api/v1/inbox?{query}")
            };
            let (s, t, p) = (
                api::get("/api/v1/inbox/summary").await,
                api::get("/api/v1/tasks").await,
                api::get(&list_path).await,
            );
            // A server that cannot answer now (5xx) is read like no connection.
            let answered = |r: Result<api::Answer, api::Offline>| r.ok().filter(|a| a.status < 500);
            let (Some(s), Some(t), Some(p)) = (answered(s), answered(t), answered(p)) else {
                // Without a connection: what was fetched last, and from when.
                if let Some(kept) = keep::inbox() {
                    summary.set(kept.summary);
                    tasks.set(kept.tasks);
                    page.set(kept.page);
                    offline.set(Some(kept.fetched_at));
                } else {
                    offline.set(Some(String::new()));
                }
                return;
            };
            offline.set(None);
            refused.set(p.status == 403);
            let mut mine: Option<Vec<MyTask>> = t.json().filter(|_| t.ok());
            if let Some(m) = mine.as_mut() {
                // Late first, then due now, then planned; within each the earliest deadline.
                m.sort_by(|a, b| (a.task.state, &a.task.due).cmp(&(b.task.state, &b.task.due)));
            }
            let kept = keep::Inbox {
                fetched_at: crate::time::now_rfc3339(),
                query,
                page: p.json().filter(|_| p.ok()),
                summary: s.json().filter(|_| s.ok()),
                tasks: mine,
            };
            keep::set_inbox(since, &kept);
            // Set, never read, after an await: the page may have been left meanwhile.
            summary.set(kept.summary);
            tasks.set(kept.tasks);
            page.set(kept.page);
        });
    });

    view! {
        <h1>{tx("Registraties", "Reports")}</h1>
        {move || offline.get().map(|at| if at.is_empty() {
            view! { <p class="offline" role="status">{tx("Offline: er is nog niets opgehaald op dit apparaat.", "Offline: nothing was fetched on this device yet.")}</p> }.into_any()
        } else {
            view! { <OfflineNote fetched_at=at/> }.into_any()
        })}
        <p class="summary" data-testid="summary">{move || summary.get().map(|s| summary_line(&s, lang.get()))}</p>
        <Show when=move || refused.get()>
            <p class="error">{tx("Je mag geen registraties lezen.", "You may not read reports.")}</p>
        </Show>
        <section aria-labelledby="mijn-taken">
            <h2 id="mijn-taken">{tx("Mijn taken", "My tasks")}</h2>
            {move || match tasks.get() {
                Some(list) if list.is_empty() => view! { <p class="muted">{tx("Geen open taken.", "No open tasks.")}</p> }.into_any(),
                Some(list) => view! {
                    <ul class="tasks">
                        {list.into_iter().map(|t| {
                            let l = lang.get();
                            let class = state_class(t.task.state);
                            let direct = t.task.direct;
                            view! {
                                <li class=class class:direct=direct>
                                    <a href=report_href(&t.report_id)>
                                        {brief(&t.task, l)}
                                    </a>
                                    <span class="muted">
                                        {format!(" · {}{}", crate::time::wall(&t.incident_at), t.team_name.map(|n| format!(" · {n}")).unwrap_or_default())}
                                    </span>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
                None => ().into_any(),
            }}
        </section>
        <Filters filter=filter teams=teams/>
        <section aria-labelledby="lijst">
            <h2 id="lijst">{move || page.get().map(|p| {
                let l = lang.get();
                if l == 0 { plural(p.total, "registratie", "registraties") } else { plural(p.total, "report", "reports") }
            })}</h2>
            {move || page.get().map(|p| view! { <List page=p filter=filter.get()/> })}
        </section>
    }
}

#[component]
fn List(page: Page, filter: Filter) -> impl IntoView {
    let lang = lang();
    let pages = page.total.div_ceil(u64::from(page.page_size.max(1))).max(1);
    let at = |n: u32| {
        let f = Filter {
            page: n,
            ..filter.clone()
        };
        let q = f.query();
        if q.is_empty() {
            "/werkruimte/".to_owned()
        } else {
            format!("/werkruimte/?{q}")
        }
    };
    let prev = (page.page > 1).then(|| at(page.page - 1));
    let next = (u64::from(page.page) < pages).then(|| at(page.page + 1));
    let this = page.page;
    view! {
        <ul class="reports">
            {page.items.into_iter().map(|item| view! { <Row item=item/> }).collect_view()}
        </ul>
        <nav class="pages" aria-label=tx("Pagina's", "Pages")>
            {prev.map(|h| view! { <a href=h rel="prev">{tx("← Vorige", "← Previous")}</a> })}
            <span>{move || if lang.get() == 0 { format!("Pagina {this} van {pages}") } else { format!("Page {this} of {pages}") }}</span>
            {next.map(|h| view! { <a href=h rel="next">{tx("Volgende →", "Next →")}</a> })}
        </nav>
    }
}

#[component]
fn Row(item: Item) -> impl IntoView {
    let lang = lang();
    let item = StoredValue::new(item);
    let urgent = item.with_value(|i| {
        i.worst
            .is_some_and(|w| matches!(w, TaskState::TeLaat | TaskState::NuDoen))
            || i.my_tasks
                .iter()
                .any(|t| matches!(t.state, TaskState::TeLaat | TaskState::NuDoen))
    });
    let new = item.with_value(|i| i.new);
    view! {
        <li class="report" class:new=new class:urgent=urgent>
            {move || item.with_value(|i| {
                let l = lang.get();
                let headline = format!("{} · {}", crate::time::wall(&i.incident_at), display::choice("situatie", &i.situatie, l));
                let kinds = i.soort.iter().map(|k| display::choice("soort", k, l)).collect::<Vec<_>>().join(", ");
                view! {
                    <a class="headline" href=report_href(&i.id)>
                        {i.new.then(|| view! { <span class="badge new-badge">{if l == 0 { "Nieuw" } else { "New" }}</span>" " })}
                        {headline}
                    </a>
                    <div class="meta">
                        {i.team_name.clone().map(|t| view! { <span>{t}</span> })}
                        <span>{kinds}</span>
                        {i.extreem.then(|| view! { <span class="badge extreme">{if l == 0 { "Extreem incident" } else { "Extreme incident" }}</span> })}
                        {i.letsel.clone().filter(|x| x != "geen").map(|x| view! { <span>{if l == 0 { "Letsel: " } else { "Injury: " }}{display::choice("letsel", &x, l)}</span> })}
                        {i.corrects.is_some().then(|| view! { <span class="badge">{if l == 0 { "Correctie" } else { "Correction" }}</span> })}
                        {i.worst.map(|w| view! { <span class=state_class(w)>{w.label()[l]}</span> })}
                    </div>
                    {(!i.my_tasks.is_empty()).then(|| view! {
                        <ul class="my-tasks">
                            {i.my_tasks.iter().map(|t| view! { <li class=state_class(t.state) class:direct=t.direct>{brief(t, l)}</li> }).collect_view()}
                        </ul>
                    })}
                }
            })}
        </li>
    }
}

/// The form's choices as options; the one in the filter selected (set on the option, so that it
/// holds however the options are mounted).
fn options(choices: &'static [Choice], lang: usize, chosen: RwSignal<String>) -> impl IntoView {
    choices
        .iter()
        .map(move |c| view! { <option value=c.key selected=move || chosen.with(|v| v == c.key)>{c.label[lang]}</option> })
        .collect_view()
}

#[component]
fn Filters(filter: Memo<Filter>, teams: RwSignal<Vec<Team>>) -> impl IntoView {
    let lang = lang();
    let f = filter.get_untracked();
    let yes_no = |b: Option<bool>| match b {
        Some(true) => "ja".to_owned(),
        Some(false) => "nee".to_owned(),
        None => String::new(),
    };
    let state = RwSignal::new(f.state.map(|s| s.as_str().to_owned()).unwrap_or_default());
    let team = RwSignal::new(f.team.clone().unwrap_or_default());
    let from = RwSignal::new(f.from.map(|d| d.to_string()).unwrap_or_default());
    let to = RwSignal::new(f.to.map(|d| d.to_string()).unwrap_or_default());
    let situatie = RwSignal::new(f.situatie.clone().unwrap_or_default());
    let soort = RwSignal::new(f.soort.clone().unwrap_or_default());
    let extreem = RwSignal::new(yes_no(f.extreem));
    let letsel = RwSignal::new(yes_no(f.letsel));

    let apply = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let some = |s: RwSignal<String>| Some(s.get_untracked()).filter(|v| !v.is_empty());
        let yn = |s: RwSignal<String>| some(s).map(|v| v == "ja");
        let f = Filter {
            state: some(state).and_then(|v| StateFilter::ALL.into_iter().find(|s| s.as_str() == v)),
            team: some(team),
            from: some(from).and_then(|v| v.parse().ok()),
            to: some(to).and_then(|v| v.parse().ok()),
            situatie: some(situatie),
            soort: some(soort),
            extreem: yn(extreem),
            letsel: yn(letsel),
            page: 1,
        };
        let q = f.query();
        crate::app::go(&if q.is_empty() {
            "/werkruimte/".to_owned()
        } else {
            format!("/werkruimte/?{q}")
        });
    };
    let clear = move |_| {
        for s in [state, team, from, to, situatie, soort, extreem, letsel] {
            s.set(String::new());
        }
        crate::app::go("/werkruimte/");
    };
    let all = tx("Alle", "All");
    view! {
        <form class="filters no-print" on:submit=apply aria-label=tx("Filters", "Filters")>
            <div class="field">
                <label for="f-state">{tx("Stand", "State")}</label>
                <select id="f-state" bind:value=state>
                    <option value="" selected=move || state.with(String::is_empty)>{all}</option>
                    <option value="nieuw" selected=move || state.with(|v| v == "nieuw")>{tx("Nieuw", "New")}</option>
                    <option value="te_laat" selected=move || state.with(|v| v == "te_laat")>{tx("Te laat", "Overdue")}</option>
                    <option value="open" selected=move || state.with(|v| v == "open")>{tx("Open", "Open")}</option>
                    <option value="afgerond" selected=move || state.with(|v| v == "afgerond")>{tx("Afgerond", "Finished")}</option>
                </select>
            </div>
            <Show when=move || { teams.with(|t| t.len() > 1) }>
                <div class="field">
                    <label for="f-team">{tx("Team", "Team")}</label>
                    <select id="f-team" bind:value=team>
                        <option value="" selected=move || team.with(String::is_empty)>{all}</option>
                        {move || teams.get().into_iter().map(|t| view! { <option selected={let id = t.id.clone(); move || team.with(|v| *v == id)} value=t.id>{t.name}</option> }).collect_view()}
                    </select>
                </div>
            </Show>
            <div class="field">
                <label for="f-from">{tx("Van", "From")}</label>
                <input id="f-from" type="date" bind:value=from/>
            </div>
            <div class="field">
                <label for="f-to">{tx("Tot en met", "To")}</label>
                <input id="f-to" type="date" bind:value=to/>
            </div>
            <div class="field">
                <label for="f-situatie">{tx("Situatie", "Setting")}</label>
                <select id="f-situatie" bind:value=situatie>
                    <option value="" selected=move || situatie.with(String::is_empty)>{all}</option>
                    {move || options(SITUATIONS, lang.get(), situatie)}
                </select>
            </div>
            <div class="field">
                <label for="f-soort">{tx("Soort", "Kind")}</label>
                <select id="f-soort" bind:value=soort>
                    <option value="" selected=move || soort.with(String::is_empty)>{all}</option>
                    {move || options(AGGRESSION_TYPES, lang.get(), soort)}
                </select>
            </div>
            <div class="field">
                <label for="f-extreem">{tx("Extreem incident", "Extreme incident")}</label>
                <select id="f-extreem" bind:value=extreem>
                    <option value="" selected=move || extreem.with(String::is_empty)>{all}</option>
                    <option value="ja" selected=move || extreem.with(|v| v == "ja")>{tx("Ja", "Yes")}</option>
                    <option value="nee" selected=move || extreem.with(|v| v == "nee")>{tx("Nee", "No")}</option>
                </select>
            </div>
            <div class="field">
                <label for="f-letsel">{tx("Letsel", "Injury")}</label>
                <select id="f-letsel" bind:value=letsel>
                    <option value="" selected=move || letsel.with(String::is_empty)>{all}</option>
                    <option value="ja" selected=move || letsel.with(|v| v == "ja")>{tx("Ja", "Yes")}</option>
                    <option value="nee" selected=move || letsel.with(|v| v == "nee")>{tx("Nee", "No")}</option>
                </select>
            </div>
            <div class="buttons">
                <button type="submit" class="primary">{tx("Filteren", "Filter")}</button>
                <button type="button" on:click=clear>{tx("Wis filters", "Clear filters")}</button>
            </div>
        </form>
    }
}
