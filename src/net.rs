//! HTTP from the PWA: every request has a timeout; the answer becomes an outbox outcome.

use veilig_core::outbox::Outcome;
use veilig_core::sync::{ApiError, Receipt};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, Request, RequestInit, Response};

/// Runs a request and aborts it after `timeout_ms`.
async fn fetch(url: &str, init: RequestInit, timeout_ms: i32) -> Result<Response, String> {
    let window = web_sys::window().ok_or("no window")?;
    let controller = AbortController::new().map_err(|_| "no AbortController")?;
    init.set_signal(Some(&controller.signal()));
    let request = Request::new_with_str_and_init(url, &init).map_err(|_| "bad request")?;
    let abort = wasm_bindgen::closure::Closure::once(move || controller.abort());
    let timer = window
        .set_timeout_with_callback_and_timeout_and_arguments_0(
            abort.as_ref().unchecked_ref(),
            timeout_ms,
        )
        .unwrap_or(0);
    let result = JsFuture::from(window.fetch_with_request(&request)).await;
    window.clear_timeout_with_handle(timer);
    drop(abort);
    match result {
        Ok(value) => value
            .dyn_into::<Response>()
            .map_err(|_| "not a response".to_owned()),
        Err(err) => Err(err
            .dyn_ref::<web_sys::DomException>()
            .map(|e| {
                if e.name() == "AbortError" {
                    "timeout".to_owned()
                } else {
                    e.name()
                }
            })
            .unwrap_or_else(|| "network".to_owned())),
    }
}

async fn text(response: &Response) -> Option<String> {
    JsFuture::from(response.text().ok()?)
        .await
        .ok()?
        .as_string()
}

/// A file of the app (the service worker answers from its cache when offline).
pub async fn get_text(url: &str) -> Result<String, String> {
    let init = RequestInit::new();
    init.set_method("GET");
    let response = fetch(url, init, 10_000).await?;
    if !response.ok() {
        return Err(format!("HTTP {}", response.status()));
    }
    text(&response)
        .await
        .ok_or_else(|| "answer cut off".to_owned())
}

/// A real request to the server, not `navigator.onLine`: true only when the API answers.
pub async fn server_reachable() -> bool {
    let init = RequestInit::new();
    init.set_method("GET");
    init.set_cache(web_sys::RequestCache::NoStore);
    matches!(fetch("/api/health", init, 5_000).await, Ok(r) if r.ok())
}

pub async fn put_report(id: &str, body: &str) -> Outcome {
    let init = RequestInit::new();
    init.set_method("PUT");
    init.set_body(&JsValue::from_str(body));
    let headers = web_sys::Headers::new().ok();
    if let Some(h) = &headers {
        let _ = h.set("Content-Type", "application/json");
        init.set_headers(h);
    }
    let response = match fetch(&format!("/api/v1/reports/{id}"), init, 20_000).await {
        Ok(r) => r,
        Err(reason) => return Outcome::NoAnswer(reason),
    };
    let status = response.status();
    let Some(body) = text(&response).await else {
        return Outcome::NoAnswer("answer cut off".into());
    };
    if response.ok() {
        match serde_json::from_str::<Receipt>(&body) {
            Ok(receipt) if receipt.id == id => Outcome::Stored(receipt),
            // A 2xx without our receipt (a proxy, a captive portal) proves nothing: try later.
            _ => Outcome::NoAnswer("unexpected answer".into()),
        }
    } else {
        Outcome::Failed {
            status,
            error: serde_json::from_str::<ApiError>(&body).ok(),
        }
    }
}
