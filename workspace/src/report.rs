//! One report at `/werkruimte/registratie/{id}`: every field of the form in its order and
//! section (core's `FIELDS` and display helpers), the steps taken in the protocol as a
//! timeline, its corrections, and its aftercare, with a form for each task this person
//! records. Opening it marks it read on the server (the GET does that). Prints on A4 for the
//! personnel file (the style sheet hides navigation and forms).

use chrono::NaiveDate;
use leptos::prelude::*;
use veilig_core::aftercare::{Owner, Reason, Record, TaskKey, TaskState};
use veilig_core::inbox::{AftercareView, TaskView};
use veilig_core::protocol::run::Logged;
use veilig_core::protocol::KindId;
use veilig_core::report::schema::{FieldKind, Section, FIELDS};
use veilig_core::report::validate::applies;
use veilig_core::report::{display, Report, Value};

use crate::api;
use crate::app::OfflineNote;
use crate::i18n::{lang, tx};
use crate::inbox::state_class;
use crate::keep::{self, Person};
use crate::time;

/// What the page could load.
#[derive(Clone)]
enum Loaded {
    Loading,
    Shown {
        report: Box<Report>,
        /// When it was fetched, if it comes from what was kept (offline).
        kept_at: Option<String>,
    },
    Refused(&'static [&'static str; 2]),
}

const FORBIDDEN: &[&str; 2] = &[
    "Je mag deze registratie niet lezen.",
    "You may not read this report.",
];
const NOT_FOUND: &[&str; 2] = &[
    "Deze registratie bestaat niet.",
    "This report does not exist.",
];
const NOT_KEPT: &[&str; 2] = &[
    "Offline: deze registratie is op dit apparaat niet bewaard.",
    "Offline: this report was not kept on this device.",
];
const UNREADABLE: &[&str; 2] = &[
    "Deze registratie kon niet worden gelezen.",
    "This report could not be read.",
];

#[component]
pub fn ReportPage(id: String, person: Person) -> impl IntoView {
    let lang = lang();
    let loaded = RwSignal::new(Loaded::Loading);
    let aftercare = RwSignal::new(None::<AftercareView>);
    let aftercare_failed = RwSignal::new(false);
    let person = StoredValue::new(person);

    let since = keep::generation();
    leptos::task::spawn_local(async move {
        let answer = api::get(&format!("/api/v1/reports/{id}")).await;
        let text = match answer {
            Ok(a) if a.ok() => a.body,
            Ok(a) if a.status < 500 => {
                if matches!(a.status, 403 | 404) {
                    keep::drop_report(&id);
                }
                loaded.set(Loaded::Refused(match a.status {
                    403 => FORBIDDEN,
                    404 => NOT_FOUND,
                    _ => UNREADABLE,
                }));
                return;
            }
            // No connection, or a server that cannot answer now: what was kept, if anything.
            _ => {
                match keep::report(&id).and_then(|k| {
                    let r: Report = serde_json::from_str(&k.report).ok()?;
                    Some((r, k))
                }) {
                    Some((r, k)) => {
                        aftercare.set(k.aftercare);
                        loaded.set(Loaded::Shown {
                            report: Box::new(r),
                            kept_at: Some(k.fetched_at),
                        });
                    }
                    None => loaded.set(Loaded::Refused(NOT_KEPT)),
                }
                return;
            }
        };
        let Ok(report) = serde_json::from_str::<Report>(&text) else {
            loaded.set(Loaded::Refused(UNREADABLE));
            return;
        };
        loaded.set(Loaded::Shown {
            report: Box::new(report),
            kept_at: None,
        });
        let view = match api::get(&format!("/api/v1/reports/{id}/aftercare")).await {
            Ok(a) if a.ok() => a.json::<AftercareView>(),
            _ => None,
        };
        aftercare_failed.set(view.is_none());
        aftercare.set(view.clone());
        keep::set_report(
            since,
            &id,
            &keep::Opened {
                fetched_at: time::now_rfc3339(),
                report: text,
                aftercare: view,
            },
        );
    });

    move || {
        match loaded.get() {
        Loaded::Loading => view! { <p class="muted">{tx("Registratie laden…", "Loading the report…")}</p> }.into_any(),
        Loaded::Refused(why) => view! {
            <h1>{tx("Registratie", "Report")}</h1>
            <p class="error" role="alert">{move || why[lang.get()]}</p>
            <p><a href="/werkruimte/">{tx("Terug naar de registraties", "Back to the reports")}</a></p>
        }.into_any(),
        Loaded::Shown { report, kept_at } => {
            let report = StoredValue::new(*report);
            let offline = kept_at.is_some();
            view! {
                {kept_at.map(|at| view! { <OfflineNote fetched_at=at/> })}
                <div class="report-head">
                    <p class="no-print"><a href="/werkruimte/">{tx("← Registraties", "← Reports")}</a></p>
                    <h1>{move || {
                        let l = lang.get();
                        let title = if l == 0 { "Registratie" } else { "Report" };
                        report.with_value(|r| format!("{title} {}", display::headline(r, l, time::local_plain)))
                    }}</h1>
                    <button type="button" class="no-print" on:click=move |_| {
                        if let Some(w) = web_sys::window() { let _ = w.print(); }
                    }>{tx("Afdrukken", "Print")}</button>
                </div>
                <Corrections report=report aftercare=aftercare/>
                <Fields report=report/>
                <FlowLog report=report/>
                <section class="aftercare" aria-labelledby="nazorg">
                    <h2 id="nazorg">{tx("Nazorg", "Aftercare")}</h2>
                    <Show when=move || aftercare_failed.get()>
                        <p class="error">{tx("De nazorg kon niet worden opgehaald.", "The aftercare could not be fetched.")}</p>
                    </Show>
                    {move || aftercare.get().map(|view| {
                        let report_id = view.report_id.clone();
                        view.tasks.into_iter().map(|t| view! {
                            <Task task=t report_id=report_id.clone() report=report aftercare=aftercare person=person offline=offline/>
                        }).collect_view()
                    })}
                </section>
            }.into_any()
        }
    }
    }
}

/// "Corrigeert registratie X" and "Gecorrigeerd door Y".
#[component]
fn Corrections(
    report: StoredValue<Report>,
    aftercare: RwSignal<Option<AftercareView>>,
) -> impl IntoView {
    let lang = lang();
    move || {
        let l = lang.get();
        let (corrects, by) = aftercare.with(|a| match a {
            Some(a) => (a.corrects.clone(), a.corrected_by.clone()),
            None => (report.with_value(|r| r.corrects.clone()), Vec::new()),
        });
        let link = |id: String| {
            let href = format!("/werkruimte/registratie/{id}");
            view! { <a href=href>{id}</a> }
        };
        view! {
            {corrects.map(|id| view! {
                <p class="correction">{if l == 0 { "Corrigeert registratie " } else { "Corrects report " }}{link(id)}</p>
            })}
            {by.into_iter().map(|id| view! {
                <p class="correction corrected">{if l == 0 { "Gecorrigeerd door " } else { "Corrected by " }}{link(id)}</p>
            }).collect_view()}
        }
    }
}

/// A value for reading: choices by their label, confirmations as the moment, times as shown.
fn shown(key: &str, kind: FieldKind, value: &Value, lang: usize) -> String {
    match (kind, value) {
        (FieldKind::Confirm { .. }, Value::Text(t)) => time::local_text(t),
        (FieldKind::DateTime, Value::Text(t)) => time::wall(t),
        _ => display::value(key, value, lang),
    }
}

/// Every field of the form in its order, by section: what applies to this report, answered or
/// not ("—"), and anything else it holds.
#[component]
fn Fields(report: StoredValue<Report>) -> impl IntoView {
    let lang = lang();
    move || {
        let l = lang.get();
        report.with_value(|r| {
            Section::ALL
                .into_iter()
                .filter_map(|section| {
                    let rows: Vec<_> = FIELDS
                        .iter()
                        .filter(|f| f.section == section)
                        .filter(|f| r.values.contains_key(f.key) || applies(f, r))
                        .map(|f| {
                            let value = r.values.get(f.key).map(|v| shown(f.key, f.kind, v, l));
                            let long = matches!(f.kind, FieldKind::LongText);
                            let blank = value.is_none();
                            view! {
                                <div class="row" data-field=f.key>
                                    <dt>{f.label[l]}</dt>
                                    <dd class:long=long class:blank=blank>{value.unwrap_or_else(|| "—".to_owned())}</dd>
                                </div>
                            }
                        })
                        .collect();
                    (!rows.is_empty()).then(|| {
                        view! {
                            <section class="form-section">
                                <h2>{section.label()[l]}</h2>
                                <dl>{rows}</dl>
                            </section>
                        }
                    })
                })
                .collect_view()
        })
    }
}

/// The steps taken in the protocol before the report was made, with their times.
#[component]
fn FlowLog(report: StoredValue<Report>) -> impl IntoView {
    let lang = lang();
    move || {
        let l = lang.get();
        let run = report.with_value(|r| r.flow_run.clone())?;
        // The steps in the words they were shown in (the Dutch protocol, which the field app
        // walks unless the reporter chose English).
        let flow = veilig_core::protocol::dutch().flow(run.flow)?;
        let title = flow.title.clone();
        let lines = run
            .log(flow)
            .into_iter()
            .map(|(at, line)| {
                let text = match line {
                    Logged::Started => {
                        [String::from("Gestart"), String::from("Started")][l].clone()
                    }
                    Logged::Answer(a) => a,
                    Logged::Counted(c) => format!("{} +1", c),
                    Logged::Undone => {
                        [String::from("Teruggezet"), String::from("Undone")][l].clone()
                    }
                    Logged::Ticked(t) => format!("✓ {t}"),
                    Logged::Unticked(t) => format!("✗ {t}"),
                    Logged::Guided(k) => match (k, l) {
                        (KindId::Frustratie, 0) => "Uitleg: frustratieagressie".into(),
                        (KindId::Frustratie, _) => "Guidance: frustration aggression".into(),
                        (KindId::Instrumenteel, 0) => "Uitleg: instrumentele agressie".into(),
                        (KindId::Instrumenteel, _) => "Guidance: instrumental aggression".into(),
                    },
                };
                view! {
                    <li><time>{time::local_seconds(at)}</time>" "<span>{text}</span></li>
                }
            })
            .collect_view();
        Some(view! {
            <section class="flow-log">
                <h2>{if l == 0 { "Genomen stappen" } else { "Steps taken" }}": "{title}</h2>
                <ol class="timeline">{lines}</ol>
            </section>
        })
    }
}

fn owner_label(owner: Owner, lang: usize) -> &'static str {
    match owner {
        Owner::Leidinggevende => ["Leidinggevende", "Manager"][lang],
        Owner::Po => ["P&O", "P&O (HR)"][lang],
    }
}

/// The record of a task, as read.
fn record_view(tv: &TaskView, lang: usize) -> impl IntoView {
    let record = tv.task.record.clone()?;
    let by = tv.recorded_by.clone();
    let at = tv.recorded_at.clone().map(|a| time::local_text(&a));
    let from_report = tv.task.from_report;
    let body = match record {
        Record::Done { held_on, held_by, notes, checklist } => {
            let verb = if tv.task.key.is_conversation() {
                ["Gehouden op", "Held on"][lang]
            } else {
                ["Gedaan op", "Done on"][lang]
            };
            let items: Vec<String> = checklist
                .iter()
                .filter_map(|&i| tv.checklist.get(usize::from(i)).map(|c| c[lang].clone()))
                .collect();
            view! {
                <p>{format!("{verb} {held_on} {} {held_by}", ["door", "by"][lang])}</p>
                {(!notes.is_empty()).then(|| view! { <p class="notes">{notes}</p> })}
                {(!items.is_empty()).then(|| view! {
                    <ul class="ticked">{items.into_iter().map(|i| view! { <li>"✓ "{i}</li> }).collect_view()}</ul>
                })}
            }
            .into_any()
        }
        Record::Declined { reason, noted_on } => view! {
            <p>{format!("{} ({} {noted_on})", reason.label()[lang], ["genoteerd op", "noted on"][lang])}</p>
        }
        .into_any(),
    };
    Some(view! {
        <div class="record">
            {body}
            {if from_report {
                Some(view! { <p class="muted">{["Uit de registratie zelf.", "From the report itself."][lang]}</p> }.into_any())
            } else {
                by.map(|b| view! { <p class="muted">{format!("{} {b}{}", ["Vastgelegd door", "Recorded by"][lang], at.map(|a| format!(", {a}")).unwrap_or_default())}</p> }.into_any())
            }}
        </div>
    })
}

#[component]
fn Task(
    task: TaskView,
    report_id: String,
    report: StoredValue<Report>,
    aftercare: RwSignal<Option<AftercareView>>,
    person: StoredValue<Person>,
    offline: bool,
) -> impl IntoView {
    let lang = lang();
    let key = task.task.key;
    let state = task.task.state;
    let open = state.is_open();
    let tv = StoredValue::new(task);
    let editing = RwSignal::new(tv.with_value(|t| t.mine && t.task.record.is_none() && !offline));
    let ics = format!(
        "/api/v1/reports/{report_id}/aftercare/{}/calendar.ics",
        key.as_str()
    );
    let report_id = StoredValue::new(report_id);
    view! {
        <article class="task" class:late=state == TaskState::TeLaat class:now=state == TaskState::NuDoen
            data-task=key.as_str()>
            {move || tv.with_value(|t| {
                let l = lang.get();
                view! {
                    <h3>{t.label[l].clone()}</h3>
                    <p class="task-meta">
                        <span class=state_class(state) data-state=format!("{state:?}")>{state.label()[l]}</span>
                        {t.task.direct.then(|| view! {
                            <strong class="badge direct-badge">{["DIRECT melden (Arbowet art. 9)", "Report AT ONCE (Working Conditions Act art. 9)"][l]}</strong>
                        })}
                        " "
                        <span>{format!("{}: {}", ["Door", "By"][l], owner_label(t.task.owner, l))}</span>
                        " "
                        <span class="window">{format!("{} {} {} {}", ["Van", "From"][l], time::wall_time(t.task.from), ["tot", "until"][l], time::wall_time(t.task.due))}</span>
                    </p>
                    {record_view(t, l)}
                }
            })}
            {open.then(|| view! {
                <p class="no-print"><a href=ics.clone() download=format!("{}.ics", key.as_str())>{tx("Zet in agenda (.ics)", "Add to calendar (.ics)")}</a></p>
            })}
            <Show when=move || tv.with_value(|t| t.mine) && !offline>
                <Show when=move || editing.get() fallback=move || view! {
                    <button type="button" class="no-print" on:click=move |_| editing.set(true)>{tx("Opnieuw vastleggen", "Record again")}</button>
                }>
                    <TaskForm tv=tv report_id=report_id report=report aftercare=aftercare person=person/>
                </Show>
            </Show>
        </article>
    }
}

/// The choice in a task's form: done, or the reason it will not be done.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Done,
    Declined(Reason),
}

#[component]
fn TaskForm(
    tv: StoredValue<TaskView>,
    report_id: StoredValue<String>,
    report: StoredValue<Report>,
    aftercare: RwSignal<Option<AftercareView>>,
    person: StoredValue<Person>,
) -> impl IntoView {
    let lang = lang();
    let key = tv.with_value(|t| t.task.key);
    let id = move |field: &str| format!("{}-{field}", key.as_str());
    let conversation = key.is_conversation();
    let decline = match key {
        k if k.is_conversation() => Some(Reason::GeenNazorgGewenst),
        TaskKey::Werkoverleg => Some(Reason::GeenToestemming),
        _ => None,
    };
    let outcome = RwSignal::new(Outcome::Done);
    let held_on = RwSignal::new(time::today().to_string());
    let held_by = RwSignal::new(person.with_value(|p| p.name.clone()));
    let notes = RwSignal::new(String::new());
    let checklist = tv.with_value(|t| t.checklist.clone());
    let ticks: Vec<RwSignal<bool>> = checklist.iter().map(|_| RwSignal::new(false)).collect();
    let ticks = StoredValue::new(ticks);
    let problem = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);

    let incident = report.with_value(|r| {
        NaiveDate::parse_from_str(
            r.text("datum_tijd").get(..10).unwrap_or_default(),
            "%Y-%m-%d",
        )
        .unwrap_or_else(|_| r.created_at.date_naive())
    });

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let l = lang.get_untracked();
        let Ok(day) = held_on.get_untracked().parse::<NaiveDate>() else {
            problem.set(Some(["Vul een datum in.", "Fill in a date."][l].into()));
            return;
        };
        let record = match outcome.get_untracked() {
            Outcome::Done => Record::Done {
                held_on: day,
                held_by: held_by.get_untracked(),
                notes: notes.get_untracked(),
                checklist: ticks.with_value(|t| {
                    t.iter()
                        .enumerate()
                        .filter(|(_, s)| s.get_untracked())
                        .map(|(i, _)| i as u8)
                        .collect()
                }),
            },
            Outcome::Declined(reason) => Record::Declined {
                reason,
                noted_on: day,
            },
        };
        // The same rule the server applies, in the reader's language, before anything is sent.
        if let Some(why) = record.problem(key, incident, time::today()) {
            problem.set(Some(why[l].to_owned()));
            return;
        }
        let Ok(body) = serde_json::to_string(&record) else {
            return;
        };
        busy.set(true);
        problem.set(None);
        let id = report_id.get_value();
        let path = format!("/api/v1/reports/{id}/aftercare/{}", key.as_str());
        let since = keep::generation();
        leptos::task::spawn_local(async move {
            match api::send("PUT", &path, &body).await {
                Ok(a) if a.ok() => match a.json::<AftercareView>() {
                    Some(view) => {
                        if let Some(mut kept) = keep::report(&id) {
                            kept.aftercare = Some(view.clone());
                            kept.fetched_at = time::now_rfc3339();
                            keep::set_report(since, &id, &kept);
                        }
                        aftercare.set(Some(view));
                    }
                    None => problem.set(Some(
                        [
                            "Opgeslagen, maar het antwoord was onleesbaar. Laad de pagina opnieuw.",
                            "Saved, but the answer could not be read. Reload the page.",
                        ][l]
                            .into(),
                    )),
                },
                Ok(a) => problem.set(Some(match a.error() {
                    Some(e) if a.status == 400 => e.message,
                    _ if a.status == 403 => [
                        "Je mag deze taak niet vastleggen.",
                        "You may not record this task.",
                    ][l]
                        .into(),
                    _ => format!(
                        "{} (HTTP {})",
                        ["Opslaan lukte niet", "Saving failed"][l],
                        a.status
                    ),
                })),
                Err(_) => problem.set(Some(
                    [
                        "Geen verbinding: er is niets opgeslagen. Probeer het opnieuw.",
                        "No connection: nothing was saved. Try again.",
                    ][l]
                        .into(),
                )),
            }
            busy.set(false);
        });
    };

    let done_label = match key {
        k if k.is_conversation() => ["Het gesprek is gehouden", "The conversation was held"],
        TaskKey::Werkoverleg => [
            "Besproken in het werkoverleg",
            "Discussed in the team meeting",
        ],
        _ => ["Gedaan", "Done"],
    };
    let date_label = move || match (outcome.get(), conversation) {
        (Outcome::Declined(_), _) => tx(
            "Datum dat de medewerker dit zei",
            "Date the employee said so",
        )(),
        (Outcome::Done, true) => tx("Datum van het gesprek", "Date of the conversation")(),
        (Outcome::Done, false) => tx("Datum", "Date")(),
    };
    let by_label = if conversation {
        ["Gehouden door", "Held by"]
    } else {
        ["Gedaan door", "Done by"]
    };
    let name = format!("{}-outcome", key.as_str());
    let name2 = name.clone();

    view! {
        <form class="task-form no-print" on:submit=submit>
            {decline.map(|reason| view! {
                <fieldset>
                    <legend>{tx("Wat leg je vast?", "What do you record?")}</legend>
                    <label><input type="radio" name=name.clone() checked=true
                        on:change=move |_| outcome.set(Outcome::Done)/>" "{move || done_label[lang.get()]}</label>
                    <label><input type="radio" name=name2.clone()
                        on:change=move |_| outcome.set(Outcome::Declined(reason))/>" "{move || reason.label()[lang.get()]}</label>
                </fieldset>
            })}
            <div class="field">
                <label for=id("held_on")>{date_label}</label>
                <input id=id("held_on") type="date" required bind:value=held_on/>
            </div>
            <Show when=move || outcome.get() == Outcome::Done>
                <div class="field">
                    <label for=id("held_by")>{move || by_label[lang.get()]}</label>
                    <input id=id("held_by") type="text" required maxlength="200" bind:value=held_by/>
                </div>
                <div class="field">
                    <label for=id("notes")>{tx("Korte aantekeningen", "Short notes")}</label>
                    <textarea id=id("notes") rows="4" maxlength="4000" bind:value=notes></textarea>
                </div>
                {(!checklist.is_empty()).then(|| view! {
                    <fieldset class="checklist">
                        <legend>{tx("Besproken / gedaan", "Covered / done")}</legend>
                        {checklist.iter().enumerate().map(|(i, item)| {
                            let tick = ticks.with_value(|t| t[i]);
                            let item = item.clone();
                            view! {
                                <label><input type="checkbox" bind:checked=tick/>" "{move || item[lang.get()].clone()}</label>
                            }
                        }).collect_view()}
                    </fieldset>
                })}
            </Show>
            {move || problem.get().map(|p| view! { <p class="error" role="alert">{p}</p> })}
            <button type="submit" class="primary" disabled=move || busy.get()>{tx("Vastleggen", "Record")}</button>
        </form>
    }
}
