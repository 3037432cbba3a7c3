//! Call buttons. 112 is fixed; the manager's, the office's and the police's non-emergency
//! numbers are the organisation's (`AppState::organisation`).

use leptos::prelude::*;
use veilig_core::protocol::CallTarget;
use veilig_core::settings::tel_href;

use crate::state::{use_app, use_texts};

/// `emergency_only`: 112 alone (the extreme-incident page); elsewhere a police call offers the
/// non-emergency number beside 112, with the difference in one line, because the protocol says
/// "bel indien nodig de politie".
#[component]
pub fn CallButton(
    target: CallTarget,
    #[prop(optional)] text: Option<String>,
    #[prop(optional)] emergency_only: bool,
) -> impl IntoView {
    let app = use_app();
    let t = use_texts();
    let text = text.map(|text| view! { <p class="action-text">{text}</p> });
    if target == CallTarget::Police {
        let non_emergency = move || {
            let number = app.organisation().police_phone;
            (tel_href(&number), number)
        };
        return view! {
            <div class="action">
                {text}
                <div class="call-pair">
                    <a class="call call-police" href="tel:112">
                        <span aria-hidden="true">"☎ "</span>
                        {move || t().call_police}
                    </a>
                    {(!emergency_only).then_some(move || match non_emergency() {
                        (Some(href), number) => view! {
                            <a class="call" href=href>
                                <span aria-hidden="true">"☎ "</span>
                                {(t().call_police_non_emergency)(&number)}
                            </a>
                        }
                        .into_any(),
                        (None, _) => ().into_any(),
                    })}
                </div>
                {(!emergency_only).then(|| view! { <p class="muted call-hint">{move || t().police_numbers_hint}</p> })}
            </div>
        }
        .into_any();
    }
    let href = move || {
        let org = app.organisation();
        tel_href(match target {
            CallTarget::Manager => &org.manager_phone,
            _ => &org.office_phone,
        })
    };
    let label = move || match target {
        CallTarget::Manager => t().call_manager,
        _ => t().call_office,
    };
    view! {
        <div class="action">
            {text}
            {move || match href() {
                Some(href) => view! {
                    <a class="call" href=href>
                        <span aria-hidden="true">"☎ "</span>
                        {label()}
                    </a>
                }
                .into_any(),
                None => view! {
                    <a class="call call-missing" href=const { veilig_core::route::Route::Settings.static_path() }>
                        {label()}
                        <small>{t().no_number}</small>
                    </a>
                }
                .into_any(),
            }}
        </div>
    }
    .into_any()
}
