//! Registers the service worker that keeps the app usable offline (public/sw.js).

pub fn register() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let navigator = window.navigator();
    // Older browsers and some private modes have no service workers; the app still runs online.
    let has_sw = js_sys::Reflect::has(&navigator, &"serviceWorker".into()).unwrap_or(false);
    if !has_sw {
        return;
    }
    let container = navigator.service_worker();
    let promise = container.register("/sw.js");
    let on_error = wasm_bindgen::closure::Closure::<dyn FnMut(wasm_bindgen::JsValue)>::new(|_| {
        web_sys::console::warn_1(&"veilig: service worker registration failed".into());
    });
    let _ = promise.catch(&on_error);
    on_error.forget();
}
