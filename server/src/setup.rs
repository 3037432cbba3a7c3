//! The first beheerder. On a data folder without one, the server makes a one-time setup
//! address (`/setup/<token>`, 256 random bits, kept as a hash, valid until used or until the
//! server makes a new one) and prints it. The page is plain HTML served by the server (no
//! script: it works under the CSP and before the workspace exists); the form posts back to
//! the same address.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{Form, Router};
use serde::Deserialize;
use veilig_core::report::access::Role;

use crate::accounts::{self, Created};
use crate::api::caller::Address;
use crate::audit::Event;
use crate::auth::{self, password};
use crate::state::AppState;

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/setup/{token}", get(form).post(submit))
        .with_state(state)
}

fn page(status: StatusCode, body: &str) -> Response {
    let html = format!(
        "<!doctype html><html lang=\"nl\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta name=\"referrer\" content=\"no-referrer\">\
         <title>Veilig – eerste beheerder</title></head><body><main>{body}</main></body></html>"
    );
    let mut response = (status, Html(html)).into_response();
    response.headers_mut().insert(
        axum::http::header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    response
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn form_html(error: Option<&str>, login: &str, name: &str) -> String {
    let error = error
        .map(|e| format!("<p role=\"alert\"><strong>{}</strong></p>", escape(e)))
        .unwrap_or_default();
    format!(
        "<h1>Eerste beheerder</h1>\
         <p>Maak het account van de beheerder. Dit adres werkt één keer. \
         <i lang=\"en\">Create the administrator's account. This address works once.</i></p>{error}\
         <form method=\"post\">\
         <p><label>Inlognaam / <i lang=\"en\">login</i><br><input name=\"login\" required maxlength=\"100\" autocomplete=\"username\" value=\"{}\"></label></p>\
         <p><label>Naam / <i lang=\"en\">name</i><br><input name=\"name\" required maxlength=\"200\" value=\"{}\"></label></p>\
         <p><label>Wachtwoord, minstens 12 tekens / <i lang=\"en\">password, at least 12 characters</i><br>\
         <input name=\"password\" type=\"password\" required minlength=\"12\" autocomplete=\"new-password\"></label></p>\
         <p><label>Nog een keer / <i lang=\"en\">again</i><br>\
         <input name=\"again\" type=\"password\" required minlength=\"12\" autocomplete=\"new-password\"></label></p>\
         <p><button type=\"submit\">Maak beheerder</button></p></form>",
        escape(login),
        escape(name)
    )
}

const USED: &str =
    "<h1>Dit adres werkt niet meer</h1><p>Er is al een beheerder, of dit adres is al gebruikt. \
    Start de server opnieuw voor een nieuw adres zolang er geen beheerder is, of gebruik \
    <code>veilig-server add-user</code>.</p>";

async fn valid(state: &AppState, token: &str) -> bool {
    let hash = auth::secret::hash(token);
    state
        .with_db(move |conn| {
            if accounts::has_administrator(conn)? {
                return Ok(false);
            }
            conn.query_row(
                "SELECT EXISTS(SELECT 1 FROM setup_tokens WHERE token_hash = ?1 AND used_at IS NULL)",
                [hash],
                |r| r.get(0),
            )
        })
        .await
        .unwrap_or(false)
}

async fn form(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    if !valid(&state, &token).await {
        return page(StatusCode::GONE, USED);
    }
    page(StatusCode::OK, &form_html(None, "", ""))
}

#[derive(Deserialize)]
struct SetupForm {
    login: String,
    name: String,
    password: String,
    again: String,
}

async fn submit(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Address(address): Address,
    method: Method,
    headers: HeaderMap,
    Form(input): Form<SetupForm>,
) -> Response {
    if !auth::same_origin(&method, &headers) {
        return page(StatusCode::FORBIDDEN, "<h1>Geweigerd</h1>");
    }
    if !valid(&state, &token).await {
        return page(StatusCode::GONE, USED);
    }
    let login = input.login.trim().to_owned();
    let name = input.name.trim().to_owned();
    let again = |msg: &str| {
        page(
            StatusCode::UNPROCESSABLE_ENTITY,
            &form_html(Some(msg), &login, &name),
        )
    };
    if login.is_empty()
        || login.chars().count() > 100
        || name.is_empty()
        || name.chars().count() > 200
    {
        return again("Vul een inlognaam en een naam in.");
    }
    if input.password != input.again {
        return again("De twee wachtwoorden zijn niet gelijk.");
    }
    if let Err(why) = password::check(&input.password, &login, &name) {
        return again(why);
    }
    let password = input.password;
    let Ok(hash) = tokio::task::spawn_blocking(move || password::hash(&password)).await else {
        return page(
            StatusCode::SERVICE_UNAVAILABLE,
            "<h1>Probeer het opnieuw</h1>",
        );
    };
    let now = state.clock.now();
    let outcome = state
        .with_db(move |conn| {
            if accounts::person_id_by_login(conn, &login)?.is_some() {
                return Ok(Some(Created::AlreadyExists));
            }
            if !accounts::use_setup_token(conn, &token, now)? {
                return Ok(None);
            }
            let created = accounts::create_person(
                conn,
                &login,
                &name,
                &[Role::Administrator],
                Some(&hash),
                now,
            )?;
            if let Created::Created(id) = &created {
                crate::audit::note(
                    conn,
                    now,
                    "setup",
                    Event::SetupUsed,
                    Some(&format!("person:{id}")),
                    Some(&address),
                    "ok",
                )?;
            }
            Ok(Some(created))
        })
        .await;
    match outcome {
        Ok(Some(Created::Created(_))) => page(
            StatusCode::CREATED,
            "<h1>De beheerder is gemaakt</h1><p>Log in met je inlognaam en wachtwoord. Daarna stel je \
             een tweede stap in met een app voor inlogcodes. \
             <i lang=\"en\">The administrator exists. Log in, then set up an authenticator app.</i></p>",
        ),
        Ok(Some(Created::AlreadyExists)) => page(
            StatusCode::CONFLICT,
            &form_html(Some("Deze inlognaam bestaat al; kies een andere."), "", ""),
        ),
        Ok(None) => page(StatusCode::GONE, USED),
        Err(_) => page(StatusCode::SERVICE_UNAVAILABLE, "<h1>Probeer het opnieuw</h1>"),
    }
}
