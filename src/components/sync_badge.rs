//! On every screen: how many reports wait for a connection, and progress while sending.

use leptos::prelude::*;
use veilig_core::route::Route;

use crate::state::use_texts;
use crate::sync::use_sync;

#[component]
pub fn SyncBadge() -> impl IntoView {
    let t = use_texts();
    let sync = use_sync();
    // Held for want of an enrollment: one sentence saying so and whom to ask, not a count
    // that never goes down.
    let text = move || match sync.progress.get() {
        Some((done, of)) => Some((t().sending_progress)(done, of)),
        None if let Some(hold) = sync.held() => Some(t().held(hold).to_owned()),
        None => {
            let n = sync.pending();
            (n > 0).then(|| (t().pending_badge)(n))
        }
    };
    view! {
        <div class="syncbar" role="status" aria-live="polite">
            {move || text().map(|text| view! { <a class="sync-badge" href=const { Route::Outbox.static_path() }>{text}</a> })}
        </div>
    }
}
