//! The reports on this device: drafts to continue or delete (with undo), and finalized
//! reports waiting to be sent.

use leptos::prelude::*;
use veilig_core::report::correct::corrections_of;
use veilig_core::report::{display, Report};
use veilig_core::route::Route;

use crate::clock::{local_input, now};
use crate::state::{use_app, use_texts};
use crate::storage::reports;

/// Creates an empty draft, stores it and returns its id.
pub async fn create(
    prefill: impl FnOnce(&mut Report),
) -> Result<String, crate::storage::StorageError> {
    let mut report = Report::new(uuid::Uuid::now_v7().to_string(), now());
    prefill(&mut report);
    let base = Report {
        revision: 0,
        ..report.clone()
    };
    let written = reports::save(&base, &report, now()).await?;
    Ok(written.id)
}

#[component]
pub fn ReportsPage() -> impl IntoView {
    let app = use_app();
    let t = use_texts();
    let router = crate::router::use_router();
    let list = RwSignal::new(None::<Vec<Report>>);
    let undo = RwSignal::new(None::<Report>);
    let reload = move || {
        leptos::task::spawn_local(async move {
            match reports::list().await {
                Ok((mut found, set_aside)) => {
                    veilig_core::report::newest_first(&mut found);
                    list.set(Some(found));
                    if set_aside > 0 {
                        app.notice
                            .set(Some(crate::storage::StorageError::Unreadable.into()));
                    }
                }
                Err(err) => {
                    list.set(Some(Vec::new()));
                    app.notice.set(Some(err.into()));
                }
            }
        });
    };
    reload();

    let new_report = move |_| {
        leptos::task::spawn_local(async move {
            match create(|_| {}).await {
                Ok(id) => router.go(&Route::Report(id).path()),
                Err(err) => app.notice.set(Some(err.into())),
            }
        });
    };

    let delete = move |report: Report| {
        let confirmed = web_sys::window()
            .and_then(|w| w.confirm_with_message(t().delete_confirm).ok())
            .unwrap_or(false);
        if !confirmed {
            return;
        }
        leptos::task::spawn_local(async move {
            match reports::delete(&report.id).await {
                Ok(()) => {
                    undo.set(Some(report));
                    reload();
                }
                Err(err) => app.notice.set(Some(err.into())),
            }
        });
    };
    let restore = move |_| {
        if let Some(report) = undo.get_untracked() {
            leptos::task::spawn_local(async move {
                match reports::restore(&report).await {
                    Ok(()) => {
                        undo.set(None);
                        reload();
                    }
                    Err(err) => app.notice.set(Some(err.into())),
                }
            });
        }
    };

    let lang = move || {
        if app.locale() == veilig_core::Locale::En {
            1
        } else {
            0
        }
    };
    let sync = crate::sync::use_sync();
    let delivery_state = move |id: &str| {
        use veilig_core::outbox::State;
        sync.entries.with(
            |entries| match entries.iter().find(|e| e.id == id).map(|e| &e.state) {
                Some(State::Delivered { receipt }) => (t().state_delivered)(receipt.seq),
                Some(State::Refused { .. }) => t().state_refused.to_owned(),
                Some(State::Sending { .. }) => t().state_sending.to_owned(),
                Some(State::Waiting { .. }) => t().state_waiting.to_owned(),
                None => t().finalized_badge.to_owned(),
            },
        )
    };
    // `all`: every report on the device, to show a correction and its original as a pair.
    let row = move |r: Report, all: &[Report]| {
        let when = display::when(&r, local_input);
        let setting = display::setting(&r, lang());
        let correction_of = r.corrects.as_ref().map(|id| {
            let href = Route::Report(id.clone()).path();
            let text = match all.iter().find(|o| &o.id == id) {
                Some(original) => {
                    (t().correction_of)(&display::headline(original, lang(), local_input))
                }
                None => t().correction_of_unknown.to_owned(),
            };
            view! { <p class="pair correction-of"><a href=href>{text}</a></p> }
        });
        let corrected_by = corrections_of(all, &r.id)
            .into_iter()
            .map(|c| {
                let href = Route::Report(c.id.clone()).path();
                view! { <p class="pair corrected"><a href=href>{t().corrected} ": " {display::headline(c, lang(), local_input)}</a></p> }
            })
            .collect_view();
        let summary = r.summary(8);
        let summary = if summary.is_empty() {
            t().no_description.to_owned()
        } else {
            summary
        };
        let href = Route::Report(r.id.clone()).path();
        let is_final = r.is_final();
        let for_delete = r.clone();
        view! {
            <li class="report-row">
                <div class="report-meta">
                    <strong>{when}</strong>
                    {(!setting.is_empty()).then(|| view! { <span>" · " {setting}</span> })}
                    <p class="muted">{summary}</p>
                    {correction_of}
                    {corrected_by}
                    {is_final.then(|| view! { <span class="badge">{delivery_state(&r.id)}</span> })}
                </div>
                <div class="btn-row">
                    <a class="btn" href=href>{if is_final { t().nav_reports } else { t().resume }}</a>
                    {(!is_final).then(|| view! {
                        <button type="button" class="btn btn-secondary" on:click=move |_| delete(for_delete.clone())>
                            {t().delete}
                        </button>
                    })}
                </div>
            </li>
        }
    };

    view! {
        <article class="reports">
            <h1>{move || t().reports_title}</h1>
            <button type="button" class="btn btn-new" on:click=new_report>{move || t().new_report}</button>
            {move || undo.get().map(|_| view! {
                <p class="notice" role="status">
                    {t().deleted}
                    <button type="button" class="btn btn-secondary" on:click=restore>{t().undo}</button>
                </p>
            })}
            {move || match list.get() {
                None => view! { <p>{t().loading}</p> }.into_any(),
                Some(all) => {
                    let every = all.clone();
                    let (finals, drafts): (Vec<Report>, Vec<Report>) = all.into_iter().partition(Report::is_final);
                    view! {
                        <h2>{t().drafts}</h2>
                        {if drafts.is_empty() {
                            view! { <p class="muted">{t().no_drafts}</p> }.into_any()
                        } else {
                            view! { <ul class="report-list">{drafts.into_iter().map(|r| row(r, &every)).collect_view()}</ul> }.into_any()
                        }}
                        {(!finals.is_empty()).then(|| view! {
                            <h2>{t().finalized_badge}</h2>
                            <p class="muted">{t().finalized_hint}</p>
                            <ul class="report-list">{finals.into_iter().map(|r| row(r, &every)).collect_view()}</ul>
                        })}
                    }
                    .into_any()
                }
            }}
        </article>
    }
}
