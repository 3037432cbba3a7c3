//! The app shell: state, header, navigation and routes.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::components::header::Header;
use crate::components::nav::Nav;
use crate::pages::card::CardPage;
use crate::pages::extreme::ExtremePage;
use crate::pages::flow::FlowPage;
use crate::pages::home::Home;
use crate::pages::not_found::NotFound;
use crate::pages::reference::ReferencePage;
use crate::pages::report_form::ReportPage;
use crate::pages::reports::ReportsPage;
use crate::pages::settings::SettingsPage;
use crate::state::AppState;

#[component]
pub fn App() -> impl IntoView {
    let state = AppState::load();
    provide_context(state);
    crate::sync::SyncState::install(state);
    crate::sw::UpdateState::install();

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
        <Router>
            <Header/>
            <Nav/>
            <crate::components::status_bar::StatusBar/>
            <crate::components::sync_badge::SyncBadge/>
            {move || state.notice.get().map(|n| view! {
                <p class="notice" role="alert">
                    {n}
                    <button type="button" class="btn-quiet" on:click=move |_| state.notice.set(None)>"×"</button>
                </p>
            })}
            <main id="main">
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=Home/>
                    <Route path=path!("/protocol/:flow") view=FlowPage/>
                    <Route path=path!("/extreem") view=ExtremePage/>
                    <Route path=path!("/naslag") view=ReferencePage/>
                    <Route path=path!("/kaart") view=CardPage/>
                    <Route path=path!("/instellingen") view=SettingsPage/>
                    <Route path=path!("/meldingen") view=ReportsPage/>
                    <Route path=path!("/meldingen/:id") view=ReportPage/>
                    <Route path=path!("/verzenden") view=crate::pages::outbox::OutboxPage/>
                </Routes>
            </main>
        </Router>
    }
}
