//! The access log: one line per request with the method, the route *template* (never the
//! address as sent: a path can hold a setup token, a query string can hold anything), the
//! status, the duration and who asked (`device:<id>` or `person:<id>`, recorded by
//! `api::caller` once it knows). Never a body, a header, a cookie or a field value.

use std::time::Duration;

use axum::body::Body;
use axum::extract::MatchedPath;
use axum::http::{Request, Response};
use tower_http::classify::ServerErrorsFailureClass;
use tower_http::trace::TraceLayer;
use tracing::Span;

/// The route a request matched, as declared (`/api/v1/reports/{id}`); the app's files and
/// pages are all `static`.
fn route_of(request: &Request<Body>) -> &str {
    request
        .extensions()
        .get::<MatchedPath>()
        .map(MatchedPath::as_str)
        .unwrap_or("static")
}

// The type is tower-http's `TraceLayer` with this module's closures in it; naming it is the
// only way to return it.
#[allow(clippy::type_complexity)]
pub fn layer() -> TraceLayer<
    tower_http::classify::SharedClassifier<tower_http::classify::ServerErrorsAsFailures>,
    impl Fn(&Request<Body>) -> Span + Clone,
    (),
    impl Fn(&Response<Body>, Duration, &Span) + Clone,
    (),
    (),
    impl Fn(ServerErrorsFailureClass, Duration, &Span) + Clone,
> {
    TraceLayer::new_for_http()
        .make_span_with(|request: &Request<Body>| {
            tracing::info_span!(
                "request",
                method = %request.method(),
                route = route_of(request),
                actor = tracing::field::Empty,
            )
        })
        .on_request(())
        .on_response(|response: &Response<Body>, took: Duration, _: &Span| {
            tracing::info!(
                status = response.status().as_u16(),
                ms = took.as_secs_f64() * 1000.0,
                "answered"
            );
        })
        .on_body_chunk(())
        .on_eos(())
        .on_failure(
            |class: ServerErrorsFailureClass, took: Duration, _: &Span| {
                tracing::warn!(class = %class, ms = took.as_secs_f64() * 1000.0, "failed");
            },
        )
}

/// Names the caller in the current request's log line.
pub fn record_actor(actor: &str) {
    Span::current().record("actor", actor);
}
