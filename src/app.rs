//! The app shell: state, header, navigation and routes.

use leptos::prelude::*;
use veilig_core::route::Route;

use crate::components::header::Header;
use crate::components::nav::Nav;
use crate::pages::card::CardPage;
use crate::pages::enroll::EnrollPage;
use crate::pages::extreme::ExtremePage;
use crate::pages::flow::FlowPage;
use crate::pages::home::Home;
use crate::pages::not_found::NotFound;
use crate::pages::outbox::OutboxPage;
use crate::pages::reference::ReferencePage;
use crate::pages::report_form::ReportPage;
use crate::pages::reports::ReportsPage;
use crate::pages::settings::SettingsPage;
use crate::router::Router;
use crate::state::AppState;

#[component]
pub fn App() -> impl IntoView {
    let state = AppState::load();
    provide_context(state);
    let route = Router::install().route();
    crate::sync::SyncState::install(state);
    crate::sw::UpdateState::install();
    crate::translation::install(state);

    crate::storage::idb_store::on_blocked(move || {
        state.notice.set(Some(crate::state::Notice::Blocked));
    });
    leptos::task::spawn_local(async move {
        let answer = crate::storage::request_persistence().await;
        state.persisted.set(answer);
    });

    // Keep <html lang> in step with the chosen language (screen readers pronounce by it).
    Effect::new(move |_| {
        let code = state.locale().code();
        if let Some(root) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        {
            let _ = root.set_attribute("lang", code);
        }
    });

    view! {
        <Header/>
        <Nav/>
        <crate::components::status_bar::StatusBar/>
        <crate::components::sync_badge::SyncBadge/>
        {move || state.notice.get().map(|n| view! {
            <p class="notice" role="alert">
                {move || n.say(crate::i18n::texts(state.locale()))}
                <button type="button" class="btn-quiet" on:click=move |_| state.notice.set(None)>"×"</button>
            </p>
        })}
        <main id="main">
            {move || match route.get() {
                Route::Home => view! { <Home/> }.into_any(),
                Route::Flow(flow) => view! { <FlowPage flow=flow/> }.into_any(),
                Route::Extreme => view! { <ExtremePage/> }.into_any(),
                Route::Reference => view! { <ReferencePage/> }.into_any(),
                Route::Card => view! { <CardPage/> }.into_any(),
                Route::Settings => view! { <SettingsPage/> }.into_any(),
                Route::Reports => view! { <ReportsPage/> }.into_any(),
                Route::Report(id) => view! { <ReportPage id=id/> }.into_any(),
                Route::Outbox => view! { <OutboxPage/> }.into_any(),
                Route::Enroll => view! { <EnrollPage/> }.into_any(),
                Route::NotFound => view! { <NotFound/> }.into_any(),
            }}
        </main>
    }
}
