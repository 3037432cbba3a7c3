//! The workspace's calls to the server's API. Same-origin, so the browser sends the session
//! cookie (HttpOnly: this code never sees it). Every call has a timeout; no answer is
//! `Err(Offline)`, which the pages turn into "what was last fetched". A 401 anywhere but the
//! login itself means the session is over: `app::signed_out` clears what was kept.

use serde::de::DeserializeOwned;
use veilig_core::sync::ApiError;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, Request, RequestInit, Response};

/// No answer from the server (no network, or none within the timeout).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Offline;

pub struct Answer {
    pub status: u16,
    pub body: String,
}

impl Answer {
    pub fn ok(&self) -> bool {
        (200..300).contains(&self.status)
    }

    pub fn json<T: DeserializeOwned>(&self) -> Option<T> {
        serde_json::from_str(&self.body).ok()
    }

    /// The server's explanation of a refusal (`{code, message, field?}`).
    pub fn error(&self) -> Option<ApiError> {
        self.json()
    }

    /// The refusal's code, or "" when the body is not an API error.
    pub fn code(&self) -> String {
        self.error().map(|e| e.code).unwrap_or_default()
    }
}

const TIMEOUT_MS: i32 = 15_000;

pub async fn get(path: &str) -> Result<Answer, Offline> {
    call("GET", path, None).await
}

pub async fn send(method: &str, path: &str, body: &str) -> Result<Answer, Offline> {
    call(method, path, Some(body)).await
}

pub async fn call(method: &str, path: &str, body: Option<&str>) -> Result<Answer, Offline> {
    let answer = exchange(method, path, body).await?;
    if answer.status == 401 && path != "/api/v1/session" {
        crate::app::signed_out();
    }
    Ok(answer)
}

async fn exchange(method: &str, path: &str, body: Option<&str>) -> Result<Answer, Offline> {
    let window = web_sys::window().ok_or(Offline)?;
    let controller = AbortController::new().map_err(|_| Offline)?;
    let init = RequestInit::new();
    init.set_method(method);
    init.set_signal(Some(&controller.signal()));
    // Never from the HTTP cache: the API says `no-store`, and a stale list would mislead.
    init.set_cache(web_sys::RequestCache::NoStore);
    if let Some(body) = body {
        init.set_body(&JsValue::from_str(body));
        let headers = web_sys::Headers::new().map_err(|_| Offline)?;
        let _ = headers.set("Content-Type", "application/json");
        init.set_headers(&headers);
    }
    let request = Request::new_with_str_and_init(path, &init).map_err(|_| Offline)?;
    let abort = Closure::once(move || controller.abort());
    let timer = window
        .set_timeout_with_callback_and_timeout_and_arguments_0(
            abort.as_ref().unchecked_ref(),
            TIMEOUT_MS,
        )
        .unwrap_or_default();
    let answer = async {
        let response: Response = JsFuture::from(window.fetch_with_request(&request))
            .await
            .map_err(|_| Offline)?
            .dyn_into()
            .map_err(|_| Offline)?;
        let text = JsFuture::from(response.text().map_err(|_| Offline)?)
            .await
            .map_err(|_| Offline)?
            .as_string()
            .unwrap_or_default();
        Ok(Answer {
            status: response.status(),
            body: text,
        })
    }
    .await;
    window.clear_timeout_with_handle(timer);
    drop(abort);
    answer
}
