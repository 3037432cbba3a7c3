//! HTTP from the PWA and its service worker: every request has a timeout; the answer becomes
//! an outbox outcome (`Outcome::from_answer`, in core). Only globals that a window and a worker
//! both have are used, so that `src/bin/veilig-sw.rs` sends with this same code.

use veilig_core::device::{enroll_body, Enrollment};
use veilig_core::outbox::Outcome;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, Request, RequestInit, Response};

#[wasm_bindgen]
extern "C" {
    /// `fetch`, `setTimeout` and `clearTimeout` of the global scope (window or worker).
    #[wasm_bindgen(js_name = fetch)]
    fn global_fetch(request: &Request) -> js_sys::Promise;
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(handler: &js_sys::Function, ms: i32) -> i32;
    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(handle: i32);
}

/// An answer read to its end: status and body.
struct Answer {
    status: u16,
    body: String,
}

impl Answer {
    fn ok(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

/// Runs a request and reads its whole body, aborting after `timeout_ms` in total: a server that
/// accepts and never answers, or stops halfway through the body, is "no answer", never a hang.
async fn exchange(url: &str, init: RequestInit, timeout_ms: i32) -> Result<Answer, String> {
    let controller = AbortController::new().map_err(|_| "no AbortController")?;
    init.set_signal(Some(&controller.signal()));
    let request = Request::new_with_str_and_init(url, &init).map_err(|_| "bad request")?;
    let abort = wasm_bindgen::closure::Closure::once(move || controller.abort());
    let timer = set_timeout(abort.as_ref().unchecked_ref(), timeout_ms);
    let answer = async {
        let response: Response = JsFuture::from(global_fetch(&request))
            .await
            .map_err(|err| failure(&err))?
            .dyn_into()
            .map_err(|_| "not a response".to_owned())?;
        let body = JsFuture::from(response.text().map_err(|_| "answer cut off".to_owned())?)
            .await
            .map_err(|err| match failure(&err).as_str() {
                "timeout" => "timeout".to_owned(),
                _ => "answer cut off".to_owned(),
            })?
            .as_string()
            .ok_or("answer cut off")?;
        Ok(Answer {
            status: response.status(),
            body,
        })
    }
    .await;
    clear_timeout(timer);
    drop(abort);
    answer
}

/// What went wrong, by name only (an abort by our timer is "timeout").
fn failure(err: &JsValue) -> String {
    err.dyn_ref::<web_sys::DomException>()
        .map(|e| {
            if e.name() == "AbortError" {
                "timeout".to_owned()
            } else {
                e.name()
            }
        })
        .unwrap_or_else(|| "network".to_owned())
}

/// A file of the app (the service worker answers from its cache when offline).
pub async fn get_text(url: &str) -> Result<String, String> {
    let init = RequestInit::new();
    init.set_method("GET");
    let answer = exchange(url, init, 10_000).await?;
    if !answer.ok() {
        return Err(format!("HTTP {}", answer.status));
    }
    Ok(answer.body)
}

/// A real request to the server, not `navigator.onLine`: true only when the API answers.
pub async fn server_reachable() -> bool {
    let init = RequestInit::new();
    init.set_method("GET");
    init.set_cache(web_sys::RequestCache::NoStore);
    matches!(exchange("/api/health", init, 5_000).await, Ok(a) if a.ok())
}

/// How long one report may take, request and answer together. A report is at most 1 MiB; on a
/// poor mobile connection that still fits, and a hung server costs a retry, not the outbox.
pub const PUT_TIMEOUT_MS: i32 = 20_000;

/// A request with a JSON body. Same-origin, so the browser sends the device's cookie (which
/// the app never sees) and keeps the one an enrollment sets.
fn json_request(method: &str, body: &str, device_time: bool) -> RequestInit {
    let init = RequestInit::new();
    init.set_method(method);
    init.set_body(&JsValue::from_str(body));
    let headers = web_sys::Headers::new().ok();
    if let Some(h) = &headers {
        let _ = h.set("Content-Type", "application/json");
        if device_time {
            // This device's clock: a report stamped by a clock that runs days ahead is still
            // taken, because its times agree with the clock that sent it.
            let now = String::from(js_sys::Date::new_0().to_iso_string());
            let _ = h.set(veilig_core::sync::DEVICE_TIME_HEADER, &now);
        }
        init.set_headers(h);
    }
    init
}

pub async fn put_report(id: &str, body: &str) -> Outcome {
    let init = json_request("PUT", body, true);
    match exchange(&format!("/api/v1/reports/{id}"), init, PUT_TIMEOUT_MS).await {
        Ok(answer) => Outcome::from_answer(id, answer.status, &answer.body),
        Err(reason) => Outcome::NoAnswer(reason),
    }
}

/// Trades a typed enrollment code for this device's credential (an HttpOnly cookie the server
/// sets); `Err` when the server could not be reached.
pub async fn enroll(typed: &str) -> Result<Enrollment, String> {
    let init = json_request("POST", &enroll_body(typed), false);
    let answer = exchange("/api/v1/devices/enroll", init, 10_000).await?;
    Ok(Enrollment::from_answer(answer.status, &answer.body))
}
