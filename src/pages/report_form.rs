//! The registration form, rendered from `veilig_core::report::schema::FIELDS`. Every change is
//! written to IndexedDB at once (`drafts::OpenReport`).

use leptos::prelude::*;
use veilig_core::report::confirm::{confirm, confirmation, withdraw};
use veilig_core::report::correct::prefill_correction;
use veilig_core::report::derive::{is_extreme, must_report_to_inspectorate, private_address_used};
use veilig_core::report::edit::{add_person, remove_person, set_person, toggle_option, PersonPart};
use veilig_core::report::schema::{field, FieldKind, FieldSpec, Req, Section, FIELDS};
use veilig_core::report::validate::{applies, validate, FieldError};
use veilig_core::report::{display, Report, Value};
use veilig_core::route::Route;

use crate::clock::{local_input, local_moment, local_time, now, now_local};
use crate::drafts::{OpenReport, SaveState};
use crate::state::{use_app, use_protocol, use_texts};
use crate::storage::reports;

#[component]
pub fn ReportPage(id: String) -> impl IntoView {
    let t = use_texts();
    let loaded = RwSignal::new(None::<Result<Option<Report>, crate::storage::StorageError>>);
    leptos::task::spawn_local(async move {
        loaded.set(Some(reports::load(&id).await));
    });
    move || match loaded.get() {
        None => view! { <p>{t().loading}</p> }.into_any(),
        Some(Err(err)) => view! { <p class="error">{t().storage_error(&err)}</p> }.into_any(),
        Some(Ok(None)) => view! { <p class="error">{t().report_not_found}</p> }.into_any(),
        Some(Ok(Some(report))) if report.is_final() => {
            view! { <ReadOnly report=report/> }.into_any()
        }
        Some(Ok(Some(report))) => view! { <Form open=OpenReport::new(report)/> }.into_any(),
    }
}

fn lang_index() -> impl Fn() -> usize + Copy + Send + Sync + 'static {
    let app = use_app();
    move || {
        if app.locale() == veilig_core::Locale::En {
            1
        } else {
            0
        }
    }
}

#[component]
fn Form(open: OpenReport) -> impl IntoView {
    let t = use_texts();
    let lang = lang_index();
    let router = crate::router::use_router();
    // Contexts are read when the component is made, not in event handlers (no owner there).
    let sync = crate::sync::use_sync();
    let app = use_app();
    let show_errors = RwSignal::new(false);
    let errors = Memo::new(move |_| open.report.with(|r| validate(r, now_local())));
    let extreme = Memo::new(move |_| open.report.with(is_extreme));
    let inspectorate = Memo::new(move |_| open.report.with(must_report_to_inspectorate));
    let private = Memo::new(move |_| open.report.with(private_address_used));
    let corrects = open.report.with_untracked(|r| r.corrects.clone());

    let finalize = move |_| {
        show_errors.set(true);
        if !errors.get_untracked().is_empty() {
            // The summary renders on the next frame; then move focus to it for keyboard and
            // screen-reader users.
            request_animation_frame(|| {
                let el = web_sys::window()
                    .and_then(|w| w.document())
                    .and_then(|d| d.get_element_by_id("error-summary"));
                if let Some(el) =
                    el.and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok())
                {
                    el.scroll_into_view();
                    let _ = el.focus();
                }
            });
            return;
        }
        let confirmed = web_sys::window()
            .and_then(|w| w.confirm_with_message(t().finalize_confirm).ok())
            .unwrap_or(false);
        if !confirmed {
            return;
        }
        leptos::task::spawn_local(async move {
            match open.finalize().await {
                Ok(()) => {
                    sync.trigger(false);
                    router.go(const { Route::Outbox.static_path() });
                }
                Err(err) => app.notice.set(Some(err.into())),
            }
        });
    };

    let sections = Section::ALL
        .into_iter()
        .map(|section| {
            let fields = FIELDS
                .iter()
                .filter(|f| f.section == section)
                .map(|spec| view! { <FieldView spec=spec open=open errors=errors show_errors=show_errors/> })
                .collect_view();
            // The notice stands where the address was chosen, and again on the read-only view.
            let notice = (section == Section::Politie).then(|| view! {
                <Show when=move || private.get()>
                    <p class="notice private-address" role="status">{move || t().private_address_notice}</p>
                </Show>
            });
            view! {
                <fieldset class="form-section" id=format!("s-{}", section.slug())>
                    <legend>{move || section.label()[lang()]}</legend>
                    {fields}
                    {notice}
                </fieldset>
            }
        })
        .collect_view();

    view! {
        <article class="report-form">
            <header class="form-head">
                <h1>{move || t().report_title}</h1>
                <SaveStatus state=open.state/>
            </header>
            {corrects.map(|id| view! { <CorrectionOf id=id/> })}
            <Show when=move || extreme.get()>
                <p class="notice notice-strong">{move || t().extreme_notice}</p>
            </Show>
            <Show when=move || inspectorate.get()>
                <p class="notice notice-strong">{move || t().inspectorate_notice}</p>
            </Show>
            <Show when=move || show_errors.get() && !errors.with(Vec::is_empty)>
                <section id="error-summary" class="error-summary" tabindex="-1" role="alert">
                    <h2>{move || (t().not_complete)(errors.with(Vec::len))}</h2>
                    <ul>
                        {move || errors.get().into_iter().map(|e| {
                            let label = field(e.field).map(|f| f.label[lang()]).unwrap_or(e.field);
                            view! { <li><a href=format!("#f-{}", e.field)>{label} ": " {e.problem.message()[lang()].clone()}</a></li> }
                        }).collect_view()}
                    </ul>
                </section>
            </Show>
            <form on:submit=|ev| ev.prevent_default() novalidate=true>
                {sections}
            </form>
            <StepsTaken report=open.report/>
            <button type="button" class="btn btn-finalize" on:click=finalize>{move || t().finalize}</button>
        </article>
    }
}

#[component]
fn SaveStatus(state: RwSignal<SaveState>) -> impl IntoView {
    let t = use_texts();
    view! {
        <p class="save-status" role="status" aria-live="polite">
            {move || match state.get() {
                SaveState::Saved(at) => view! { <span class="ok">{t().saved_at} " " {local_time(at)}</span> }.into_any(),
                SaveState::Saving => view! { <span>{t().saving}</span> }.into_any(),
                SaveState::Failed(err) => view! { <span class="error">{t().save_failed} " " {t().storage_error(&err)}</span> }.into_any(),
            }}
        </p>
    }
}

#[component]
fn FieldView(
    spec: &'static FieldSpec,
    open: OpenReport,
    errors: Memo<Vec<FieldError>>,
    show_errors: RwSignal<bool>,
) -> impl IntoView {
    let t = use_texts();
    let lang = lang_index();
    let key = spec.key;
    let id = format!("f-{key}");
    let visible = Memo::new(move |_| open.report.with(|r| applies(spec, r)));
    let error = move || {
        show_errors
            .get()
            .then(|| {
                errors.with(|e| {
                    e.iter()
                        .find(|e| e.field == key)
                        .map(|e| e.problem.message()[lang()].clone())
                })
            })
            .flatten()
    };
    let label = move || spec.label[lang()];
    let required = spec.req == Req::Required;
    let help = spec.help;
    let error_id = format!("{id}-error");
    let described = format!("{id}-help {error_id}");
    let text = move || open.report.with(|r| r.text(key).to_owned());
    let set_text = move |v: String| open.edit(|r| r.set(key, Value::Text(v)));

    let control = match spec.kind {
        FieldKind::Text => view! {
            <input id=id.clone() type="text" autocomplete="off" prop:value=text
                aria-describedby=described.clone() aria-invalid=move || error().is_some().to_string()
                on:input=move |ev| set_text(event_target_value(&ev))/>
        }
        .into_any(),
        FieldKind::LongText => view! {
            <textarea id=id.clone() rows="6" prop:value=text
                aria-describedby=described.clone() aria-invalid=move || error().is_some().to_string()
                on:input=move |ev| set_text(event_target_value(&ev))></textarea>
        }
        .into_any(),
        FieldKind::Number { .. } => view! {
            <input id=id.clone() type="text" inputmode="numeric" autocomplete="off" prop:value=text
                aria-describedby=described.clone() aria-invalid=move || error().is_some().to_string()
                on:input=move |ev| set_text(event_target_value(&ev))/>
        }
        .into_any(),
        FieldKind::DateTime => view! {
            <div class="datetime">
                <input id=id.clone() type="datetime-local" prop:value=text
                    aria-describedby=described.clone() aria-invalid=move || error().is_some().to_string()
                    on:input=move |ev| set_text(event_target_value(&ev))/>
                <button type="button" class="btn btn-secondary" on:click=move |_| set_text(local_input(now()))>
                    {move || t().now_button}
                </button>
            </div>
        }
        .into_any(),
        // Ticking records who confirms and when (core's `confirm`), shown under the box.
        FieldKind::Confirm { .. } => view! {
            <div>
                <label class="check-inline">
                    <input id=id.clone() type="checkbox" prop:checked=move || !text().is_empty()
                        aria-describedby=described.clone()
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            open.edit(|r| if on { confirm(r, now()) } else { withdraw(r) });
                        }/>
                    {label}
                </label>
                <p class="muted confirmed-by">
                    {move || open.report.with(|r| confirmation(r).map(|(name, at)| (t().confirmed_by)(name, &local_moment(at))))}
                </p>
            </div>
        }
        .into_any(),
        FieldKind::Choice(options) => {
            let radios = options
                .iter()
                .map(|o| {
                    view! {
                        <label class="radio">
                            <input type="radio" name=key prop:checked=move || text() == o.key
                                on:change=move |_| set_text(o.key.to_owned())/>
                            {move || o.label[lang()]}
                        </label>
                    }
                })
                .collect_view();
            view! { <div class="options" id=id.clone() role="radiogroup" aria-labelledby=format!("{id}-label") aria-describedby=described.clone()>{radios}</div> }.into_any()
        }
        FieldKind::Multi(options) => {
            let boxes = options
                .iter()
                .map(|o| {
                    let checked = move || open.report.with(|r| r.many(key).iter().any(|x| x == o.key));
                    let toggle = move |on: bool| open.edit(|r| toggle_option(r, key, o.key, on));
                    view! {
                        <label class="radio">
                            <input type="checkbox" prop:checked=checked on:change=move |ev| toggle(event_target_checked(&ev))/>
                            {move || o.label[lang()]}
                        </label>
                    }
                })
                .collect_view();
            view! { <div class="options" id=id.clone() role="group" aria-labelledby=format!("{id}-label") aria-describedby=described.clone()>{boxes}</div> }.into_any()
        }
        FieldKind::Persons => view! { <PersonsField key=key open=open id=id.clone()/> }.into_any(),
    };

    let is_confirm = matches!(spec.kind, FieldKind::Confirm { .. });
    view! {
        // Rendered once and hidden when it does not apply: typing never loses focus to a re-render.
        <div class="field" class:field-invalid=move || error().is_some() hidden=move || !visible.get()>
                {(!is_confirm).then(|| view! {
                    <label class="field-label" id=format!("{id}-label") for=id.clone()>
                        {label}
                        {required.then(|| view! { <span class="req">" (" {move || t().required_mark} ")"</span> })}
                    </label>
                })}
                <p class="muted field-help" id=format!("{id}-help")>{move || help.map(|h| h[lang()])}</p>
                {control}
                <p class="field-error" id=error_id.clone()>{error}</p>
        </div>
    }
}

#[component]
fn PersonsField(key: &'static str, open: OpenReport, id: String) -> impl IntoView {
    let t = use_texts();
    let count = Memo::new(move |_| open.report.with(|r| r.persons(key).len()));
    let set = move |i: usize, part: PersonPart, text: String| {
        open.edit(|r| set_person(r, key, i, part, text))
    };
    let add = move |_| open.edit(|r| add_person(r, key));
    let remove = move |i: usize| open.edit(|r| remove_person(r, key, i));
    let get = move |i: usize, part: PersonPart| {
        open.report.with(|r| {
            r.persons(key)
                .get(i)
                .map(|p| p.part(part).to_owned())
                .unwrap_or_default()
        })
    };
    view! {
        <div class="persons" id=id.clone()>
            // Rows are rebuilt only when a person is added or removed (`count` is a memo);
            // typing updates the inputs in place. (Plain rows rather than `<For>`: one generic
            // instance less in the wasm.)
            {move || (0..count.get()).map(|i| view! {
                <div class="person">
                    <label>
                        <span>{move || t().person_name}</span>
                        <input type="text" autocomplete="off" prop:value=move || get(i, PersonPart::Name)
                            on:input=move |ev| set(i, PersonPart::Name, event_target_value(&ev))/>
                    </label>
                    <label>
                        <span>{move || t().person_detail}</span>
                        <input type="text" autocomplete="off" prop:value=move || get(i, PersonPart::Detail)
                            on:input=move |ev| set(i, PersonPart::Detail, event_target_value(&ev))/>
                    </label>
                    <button type="button" class="btn btn-secondary" on:click=move |_| remove(i)>{move || t().remove_person}</button>
                </div>
            }).collect_view()}
            <button type="button" class="btn btn-secondary" on:click=add>{move || t().add_person}</button>
        </div>
    }
}

/// What was done before the report was started: the flow run's log and the extreme
/// checklist's ticks, each with its time.
#[component]
fn StepsTaken(report: RwSignal<Report>) -> impl IntoView {
    let t = use_texts();
    let p = use_protocol();
    let rows = move || {
        report.with(|r| {
            let mut rows = Vec::new();
            if let Some(run) = &r.flow_run {
                rows.extend(crate::components::run_log::lines(t(), p(), run));
            }
            if let Some(checklist) = &r.checklist {
                rows.extend(checklist.ticked().into_iter().map(|(item, at)| {
                    let text = veilig_core::protocol::checklist::item_text(p(), item)
                        .unwrap_or(t().police_called_112);
                    (at, format!("✓ {text}"))
                }));
            }
            (!rows.is_empty()).then_some(rows)
        })
    };
    move || {
        rows().map(|rows| {
            view! {
                <section class="panel steps-taken">
                    <h2>{t().steps_taken}</h2>
                    <ol>{rows.into_iter().map(|(at, l)| view! { <li><time>{local_time(at)}</time> " " {l}</li> }).collect_view()}</ol>
                </section>
            }
        })
    }
}

/// "Correctie van <the original>", linked; the original is looked up on this device.
#[component]
fn CorrectionOf(id: String) -> impl IntoView {
    let t = use_texts();
    let lang = lang_index();
    let original = RwSignal::new(None::<Report>);
    let href = Route::Report(id.clone()).path();
    leptos::task::spawn_local(async move {
        if let Ok(found) = reports::load(&id).await {
            original.set(found);
        }
    });
    view! {
        <p class="notice correction-of">
            <a href=href>
                {move || match original.get() {
                    Some(r) => (t().correction_of)(&display::headline(&r, lang(), local_input)),
                    None => t().correction_of_unknown.to_owned(),
                }}
            </a>
        </p>
    }
}

#[component]
fn ReadOnly(report: Report) -> impl IntoView {
    let t = use_texts();
    let lang = lang_index();
    let app = use_app();
    let router = crate::router::use_router();
    let confirmed = confirmation(&report).map(|(name, at)| (name.to_owned(), local_moment(at)));
    let rows = FIELDS
        .iter()
        // The name is shown with the confirmation ("Bevestigd door … op …").
        .filter(|spec| spec.key != veilig_core::report::confirm::NAME)
        .filter_map(|spec| report.values.get(spec.key).map(|v| (spec, v.clone())))
        .map(|(spec, value)| {
            let shown = match (&confirmed, matches!(spec.kind, FieldKind::Confirm { .. })) {
                (Some((name, at)), true) => {
                    let (name, at) = (name.clone(), at.clone());
                    view! { <dd>{move || (t().confirmed_by)(&name, &at)}</dd> }.into_any()
                }
                _ => view! { <dd class="pre">{display::value(spec.key, &value, lang())}</dd> }
                    .into_any(),
            };
            view! {
                <dt>{move || spec.label[lang()]}</dt>
                {shown}
            }
        })
        .collect_view();
    let private = private_address_used(&report);
    let corrects = report.corrects.clone();
    let signal = RwSignal::new(report.clone());
    // A finalized report is never changed: a correction is a new draft that names it.
    // One correction per tap: a second tap while the first is being written does nothing.
    let busy = RwSignal::new(false);
    let correct = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        let original = signal.get_untracked();
        leptos::task::spawn_local(async move {
            match crate::pages::reports::create(|draft| {
                prefill_correction(draft, &original);
            })
            .await
            {
                Ok(id) => router.go(&Route::Report(id).path()),
                Err(err) => app.notice.set(Some(err.into())),
            }
            busy.set(false);
        });
    };
    view! {
        <article class="report-form">
            <h1>{move || t().report_title}</h1>
            <p class="badge">{move || t().finalized_badge}</p>
            {corrects.map(|id| view! { <CorrectionOf id=id/> })}
            <p class="muted">{move || t().finalized_readonly}</p>
            {private.then(|| view! { <p class="notice private-address">{move || t().private_address_notice}</p> })}
            <dl class="readonly">{rows}</dl>
            <StepsTaken report=signal/>
            <section class="panel correct">
                <p>{move || t().correct_hint}</p>
                <button type="button" class="btn btn-secondary" disabled=move || busy.get() on:click=correct>{move || t().correct_button}</button>
            </section>
        </article>
    }
}
