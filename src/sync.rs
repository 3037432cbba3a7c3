//! Sends the outbox when the server can be reached. Triggers: app start, the `online` event,
//! the page becoming visible, a timer, and the "Nu verzenden" button. One run at a time per
//! tab; a trigger during a run makes it go round once more. Sending twice (two tabs, the
//! service worker) never doubles a report: the server answers identical bytes with the same
//! receipt.

use std::cell::Cell;

use leptos::prelude::*;
use veilig_core::outbox::{held_by, Entry, Hold};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

use crate::clock::now;
use crate::single_flight::SingleFlight;
use crate::state::AppState;
use crate::storage::outbox;

/// How often the timer looks for entries whose retry time has come.
const TICK_MS: i32 = 5_000;

/// The organisation's settings change rarely: fetched again at most this often, unless asked
/// ("Nu verzenden", the connection back, just enrolled).
const ORGANISATION_EVERY_MS: f64 = 10.0 * 60_000.0;

#[derive(Clone, Copy)]
pub struct SyncState {
    pub entries: RwSignal<Vec<Entry>>,
    /// (sent, of) while a run is sending.
    pub progress: RwSignal<Option<(usize, usize)>>,
    /// Whether the server answered at the last try.
    pub reachable: RwSignal<Option<bool>>,
    runs: StoredValue<SingleFlight, LocalStorage>,
    /// When the organisation's settings were last received (ms since the epoch).
    organisation_at: StoredValue<f64, LocalStorage>,
    app: AppState,
}

pub fn use_sync() -> SyncState {
    expect_context::<SyncState>()
}

impl SyncState {
    pub fn install(app: AppState) -> Self {
        let this = Self {
            entries: RwSignal::new(Vec::new()),
            progress: RwSignal::new(None),
            reachable: RwSignal::new(None),
            runs: StoredValue::new_local(SingleFlight::default()),
            organisation_at: StoredValue::new_local(f64::NEG_INFINITY),
            app,
        };
        provide_context(this);
        this.listen();
        leptos::task::spawn_local(async move {
            let _ = outbox::reconcile(now()).await;
            this.trigger(false);
        });
        this
    }

    /// Reports still to arrive.
    pub fn pending(&self) -> usize {
        self.entries
            .with(|e| e.iter().filter(|e| e.is_pending()).count())
    }

    /// Why nothing can be delivered until this device is enrolled, if so.
    pub fn held(&self) -> Option<Hold> {
        self.entries.with(|e| held_by(e))
    }

    /// Starts a run (or asks the running one to go round again). `force` ignores the backoff.
    pub fn trigger(&self, force: bool) {
        if !self.runs.with_value(SingleFlight::ask) {
            return;
        }
        let this = *self;
        leptos::task::spawn_local(async move { this.run(force).await });
    }

    async fn refresh(&self) -> Vec<Entry> {
        let mut entries = outbox::all().await.unwrap_or_default();
        if self.remove_after_delivery() {
            // Delivered since the last look by another sender (the service worker, which cannot
            // read the settings, or another tab): removed as if this page had delivered them.
            // Only those: reports delivered before the setting was chosen stay.
            let was_pending = |id: &str| {
                self.entries
                    .with_untracked(|seen| seen.iter().any(|e| e.id == id && e.is_pending()))
            };
            for entry in entries.iter_mut().filter(|e| was_pending(&e.id)) {
                let _ = outbox::forget_delivered(entry).await;
            }
        }
        self.entries.set(entries.clone());
        entries
    }

    /// Fetches the organisation's settings for this enrolled device and keeps them for use
    /// without signal. An answer that is not the settings (offline, not enrolled, revoked)
    /// changes nothing: the device keeps what it has.
    async fn receive_organisation(&self, force: bool) {
        let at = js_sys::Date::now();
        if (!force && at - self.organisation_at.get_value() < ORGANISATION_EVERY_MS)
            || crate::storage::load_device().is_none()
        {
            return;
        }
        let Ok(body) = crate::net::get_text("/api/v1/device/organisation").await else {
            return;
        };
        let org = serde_json::from_str(&body)
            .ok()
            .and_then(|v| veilig_core::organisation::ForDevice::from_json(&v));
        if let Some(org) = org {
            self.organisation_at.set_value(at);
            self.app.receive_organisation(org);
        }
    }

    async fn run(&self, force: bool) {
        let asked = force;
        let runs = self.runs.get_value();
        // "Send now" skips the backoff in the first round only.
        let force = Cell::new(force);
        let this = *self;
        runs.run(&mut || {
            let force = force.replace(false);
            Box::pin(async move {
                let due: Vec<Entry> = this
                    .refresh()
                    .await
                    .into_iter()
                    .filter(|e| e.should_send(now(), force))
                    .collect();
                if !due.is_empty() {
                    let reachable = crate::net::server_reachable().await;
                    this.reachable.set(Some(reachable));
                    if reachable {
                        this.send_all(due).await;
                    }
                    if this.pending() > 0 {
                        // Let the service worker send them when the connection returns, even
                        // if the app is closed by then.
                        crate::sw::request_background_sync();
                    }
                }
                this.progress.set(None);
                true
            })
        })
        .await;
        // After the reports: they come first on a slow connection.
        self.receive_organisation(asked).await;
    }

    async fn send_all(&self, due: Vec<Entry>) {
        let total = due.len();
        self.progress.set(Some((0, total)));
        let remove_after = self.remove_after_delivery();
        for (done, entry) in due.into_iter().enumerate() {
            let Ok(outbox::Sent {
                mut entry,
                no_answer,
            }) = outbox::send(entry, now, js_sys::Math::random()).await
            else {
                break;
            };
            if remove_after {
                // Only after a receipt, and only because the user chose it.
                let _ = outbox::forget_delivered(&mut entry).await;
            }
            self.progress.set(Some((done + 1, total)));
            // Only this entry changed: no re-reading of the whole outbox per report.
            self.entries
                .update(|all| match all.iter_mut().find(|e| e.id == entry.id) {
                    Some(slot) => *slot = entry.clone(),
                    None => all.push(entry.clone()),
                });
            if no_answer {
                self.reachable.set(Some(false));
                break;
            }
        }
    }

    fn remove_after_delivery(&self) -> bool {
        self.app
            .settings
            .with_untracked(|s| s.remove_after_delivery)
    }

    fn listen(&self) {
        let Some(window) = web_sys::window() else {
            return;
        };
        let this = *self;
        let on_online = Closure::<dyn FnMut()>::new(move || this.trigger(true));
        let _ =
            window.add_event_listener_with_callback("online", on_online.as_ref().unchecked_ref());
        on_online.forget();
        if let Some(document) = window.document() {
            let doc = document.clone();
            let on_visible = Closure::<dyn FnMut()>::new(move || {
                if doc.visibility_state() == web_sys::VisibilityState::Visible {
                    this.trigger(false);
                }
            });
            let _ = document.add_event_listener_with_callback(
                "visibilitychange",
                on_visible.as_ref().unchecked_ref(),
            );
            on_visible.forget();
        }
        let on_tick = Closure::<dyn FnMut()>::new(move || {
            let due = this
                .entries
                .with_untracked(|e| e.iter().any(|e| e.worth_a_look(now())));
            if due {
                this.trigger(false);
            }
        });
        let _ = window.set_interval_with_callback_and_timeout_and_arguments_0(
            on_tick.as_ref().unchecked_ref(),
            TICK_MS,
        );
        on_tick.forget();
    }
}
