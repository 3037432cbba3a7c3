//! Call buttons. 112 is fixed; the manager's and office's numbers come from the settings.

use leptos::prelude::*;
use veilig_core::protocol::CallTarget;
use veilig_core::settings::tel_href;

use crate::state::{use_app, use_texts};

#[component]
pub fn CallButton(target: CallTarget, #[prop(optional)] text: Option<String>) -> impl IntoView {
    let app = use_app();
    let t = use_texts();
    let href = move || match target {
        CallTarget::Police => Some("tel:112".to_owned()),
        CallTarget::Manager => app.settings.with(|s| tel_href(&s.manager_phone)),
        CallTarget::Office => app.settings.with(|s| tel_href(&s.office_phone)),
    };
    let label = move || match target {
        CallTarget::Police => t().call_police,
        CallTarget::Manager => t().call_manager,
        CallTarget::Office => t().call_office,
    };
    let class = match target {
        CallTarget::Police => "call call-police",
        _ => "call",
    };
    view! {
        <div class="action">
            {text.map(|text| view! { <p class="action-text">{text}</p> })}
            {move || match href() {
                Some(href) => view! {
                    <a class=class href=href>
                        <span aria-hidden="true">"☎ "</span>
                        {label()}
                    </a>
                }
                .into_any(),
                None => view! {
                    <a class="call call-missing" href="/instellingen">
                        {label()}
                        <small>{t().no_number}</small>
                    </a>
                }
                .into_any(),
            }}
        </div>
    }
}
