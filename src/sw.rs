//! The service worker seen from the app: registration, noticing a new version (at start, when
//! the app becomes visible and every 30 minutes), and switching to it when the user accepts.
//! Drafts and the outbox live in IndexedDB, which a switch does not touch; a new version
//! migrates them when it reads them.

use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{ServiceWorker, ServiceWorkerRegistration, ServiceWorkerState};

const CHECK_EVERY_MS: i32 = 30 * 60 * 1000;

#[derive(Clone, Copy)]
pub struct UpdateState {
    /// A new version is installed and waits for the user's yes.
    pub ready: RwSignal<bool>,
    registration: StoredValue<Option<ServiceWorkerRegistration>, LocalStorage>,
}

pub fn use_update() -> UpdateState {
    expect_context::<UpdateState>()
}

impl UpdateState {
    pub fn install() -> Self {
        let this = Self {
            ready: RwSignal::new(false),
            registration: StoredValue::new_local(None),
        };
        provide_context(this);
        this.register();
        this
    }

    fn register(&self) {
        let Some(window) = web_sys::window() else {
            return;
        };
        let navigator = window.navigator();
        // Older browsers and some private modes have no service workers; the app runs online.
        if !js_sys::Reflect::has(&navigator, &"serviceWorker".into()).unwrap_or(false) {
            return;
        }
        let container = navigator.service_worker();
        let this = *self;
        leptos::task::spawn_local(async move {
            let Ok(value) =
                wasm_bindgen_futures::JsFuture::from(container.register("/sw.js")).await
            else {
                web_sys::console::warn_1(&"veilig: service worker registration failed".into());
                return;
            };
            let Ok(registration) = value.dyn_into::<ServiceWorkerRegistration>() else {
                return;
            };
            this.watch(&registration);
            this.registration.set_value(Some(registration));
        });
    }

    fn watch(&self, registration: &ServiceWorkerRegistration) {
        let this = *self;
        let has_controller = || {
            web_sys::window().is_some_and(|w| w.navigator().service_worker().controller().is_some())
        };
        // An update that finished installing while the app was closed.
        if registration.waiting().is_some() && has_controller() {
            self.ready.set(true);
        }
        let reg = registration.clone();
        let on_found = Closure::<dyn FnMut()>::new(move || {
            let Some(worker) = reg.installing() else {
                return;
            };
            let watched = worker.clone();
            let on_state = Closure::<dyn FnMut()>::new(move || {
                // The first install has no controller yet: that is not an update.
                if watched.state() == ServiceWorkerState::Installed && has_controller() {
                    this.ready.set(true);
                }
            });
            worker.set_onstatechange(Some(on_state.as_ref().unchecked_ref()));
            on_state.forget();
        });
        registration.set_onupdatefound(Some(on_found.as_ref().unchecked_ref()));
        on_found.forget();

        // Look for a new version now and then (the browser also checks on navigation).
        let reg = registration.clone();
        let check = Closure::<dyn FnMut()>::new(move || {
            let _ = reg.update();
        });
        if let Some(window) = web_sys::window() {
            let _ = window.set_interval_with_callback_and_timeout_and_arguments_0(
                check.as_ref().unchecked_ref(),
                CHECK_EVERY_MS,
            );
            if let Some(document) = window.document() {
                let _ = document.add_event_listener_with_callback(
                    "visibilitychange",
                    check.as_ref().unchecked_ref(),
                );
            }
        }
        check.forget();
    }

    /// Switches to the waiting version: it takes over, then the page reloads into it.
    pub fn accept(&self) {
        let Some(window) = web_sys::window() else {
            return;
        };
        let container = window.navigator().service_worker();
        let reload = Closure::<dyn FnMut()>::new(move || {
            if let Some(w) = web_sys::window() {
                let _ = w.location().reload();
            }
        });
        container.set_oncontrollerchange(Some(reload.as_ref().unchecked_ref()));
        reload.forget();
        let waiting: Option<ServiceWorker> = self
            .registration
            .with_value(|r| r.as_ref().and_then(|r| r.waiting()));
        if let Some(worker) = waiting {
            let message = js_sys::Object::new();
            let _ = js_sys::Reflect::set(&message, &"type".into(), &"SKIP_WAITING".into());
            let _ = worker.post_message(&message);
        }
    }
}

/// Asks the browser to wake the service worker when a connection returns, so that waiting
/// reports leave even if the app is closed. Where Background Sync does not exist (Safari,
/// Firefox) this does nothing: the app sends when it is opened.
pub fn request_background_sync() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let navigator = window.navigator();
    if !js_sys::Reflect::has(&navigator, &"serviceWorker".into()).unwrap_or(false) {
        return;
    }
    let Ok(ready) = navigator.service_worker().ready() else {
        return;
    };
    leptos::task::spawn_local(async move {
        let Ok(registration) = wasm_bindgen_futures::JsFuture::from(ready).await else {
            return;
        };
        let Ok(sync) = js_sys::Reflect::get(&registration, &"sync".into()) else {
            return;
        };
        if sync.is_undefined() {
            return;
        }
        let Ok(register) = js_sys::Reflect::get(&sync, &"register".into()) else {
            return;
        };
        if let Ok(register) = register.dyn_into::<js_sys::Function>() {
            if let Ok(promise) = register.call1(&sync, &veilig_core::outbox::SYNC_TAG.into()) {
                if let Ok(promise) = promise.dyn_into::<js_sys::Promise>() {
                    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
                }
            }
        }
    });
}
