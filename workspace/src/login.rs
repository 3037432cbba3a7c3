//! Logging in: login name and password, then the authenticator's code; an account that has no
//! authenticator yet sets one up first (QR code or the secret typed in, then its first code),
//! and is shown its recovery codes once.

use leptos::prelude::*;
use serde::Deserialize;

use crate::api;
use crate::app::{check_session, ctx, Gate, Session};
use crate::i18n::{lang, tx};
use crate::keep;

/// What the server's refusal means for the person at the keyboard.
fn refusal(code: &str, lang: usize) -> &'static str {
    let [nl, en] = match code {
        "login_failed" => [
            "Loginnaam of wachtwoord klopt niet.",
            "Login name or password is wrong.",
        ],
        "too_many_attempts" => [
            "Te veel pogingen. Wacht een paar minuten en probeer het opnieuw.",
            "Too many attempts. Wait a few minutes and try again.",
        ],
        "second_factor_required" => [
            "Deze code klopt niet. Typ de code die je app nu laat zien.",
            "This code is not right. Type the code your app shows now.",
        ],
        "invalid_request" => [
            "Deze code klopt niet. Typ de code die je app nu laat zien.",
            "This code is not right. Type the code your app shows now.",
        ],
        _ => [
            "Inloggen lukte niet. Probeer het opnieuw.",
            "Logging in failed. Try again.",
        ],
    };
    if lang == 0 {
        nl
    } else {
        en
    }
}

const NO_CONNECTION: [&str; 2] = [
    "Geen verbinding met de server. Probeer het opnieuw.",
    "No connection to the server. Try again.",
];

#[component]
pub fn Login() -> impl IntoView {
    let gate = ctx().gate;
    let lang = lang();
    let login = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    // The password was right and the account has an authenticator: ask for its code.
    let asks_code = RwSignal::new(false);
    let problem = RwSignal::new(None::<&'static str>);
    let busy = RwSignal::new(false);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        problem.set(None);
        let mut body = serde_json::json!({ "login": login.get_untracked(), "password": password.get_untracked() });
        if asks_code.get_untracked() {
            body["code"] = code.get_untracked().replace(' ', "").into();
        }
        let l = lang.get_untracked();
        let had_code = asks_code.get_untracked();
        leptos::task::spawn_local(async move {
            match api::send("POST", "/api/v1/session", &body.to_string()).await {
                Ok(a) if a.status == 201 => match a.json::<Session>() {
                    Some(s) => {
                        keep::clear();
                        keep::set_person(&s.person);
                        password.set(String::new());
                        gate.set(if s.complete {
                            Gate::In(s.person)
                        } else {
                            Gate::SetUp(s.person)
                        });
                    }
                    None => problem.set(Some(refusal("", l))),
                },
                Ok(a) => {
                    let code_ = a.code();
                    if code_ == "second_factor_required" && !had_code {
                        asks_code.set(true);
                    } else {
                        problem.set(Some(refusal(&code_, l)));
                    }
                    code.set(String::new());
                }
                Err(_) => problem.set(Some(NO_CONNECTION[l])),
            }
            busy.set(false);
        });
    };

    view! {
        <section class="login">
            <h1>{tx("Inloggen", "Log in")}</h1>
            <p class="lead">{tx(
                "De werkruimte is voor leidinggevenden, P&O en de beheerder.",
                "The workspace is for managers, P&O and the administrator.",
            )}</p>
            <form on:submit=submit>
                <div class="field">
                    <label for="login">{tx("Loginnaam", "Login name")}</label>
                    <input id="login" name="username" type="text" autocomplete="username" required
                        bind:value=login disabled=move || asks_code.get()/>
                </div>
                <div class="field">
                    <label for="password">{tx("Wachtwoord", "Password")}</label>
                    <input id="password" name="password" type="password" autocomplete="current-password" required
                        bind:value=password disabled=move || asks_code.get()/>
                </div>
                <Show when=move || asks_code.get()>
                    <div class="field">
                        <label for="code">{tx("Code uit je authenticator-app", "Code from your authenticator app")}</label>
                        <p class="help" id="code-help">{tx(
                            "6 cijfers. Kwijt? Typ een van je herstelcodes.",
                            "6 digits. Lost it? Type one of your recovery codes.",
                        )}</p>
                        <input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code"
                            aria-describedby="code-help" required bind:value=code/>
                    </div>
                </Show>
                <Show when=move || problem.get().is_some()>
                    <p class="error" role="alert">{move || problem.get()}</p>
                </Show>
                <button type="submit" class="primary" disabled=move || busy.get()>
                    {move || if asks_code.get() { tx("Verder", "Continue")() } else { tx("Inloggen", "Log in")() }}
                </button>
            </form>
        </section>
    }
}

#[derive(Deserialize, Clone)]
struct Setup {
    secret: String,
    qr_svg: String,
}

#[derive(Deserialize, Clone)]
struct RecoveryCodes {
    recovery_codes: Vec<String>,
}

/// The first login of an account that needs a second factor: set up the authenticator.
#[component]
pub fn SetUp() -> impl IntoView {
    let gate = ctx().gate;
    let lang = lang();
    let setup = RwSignal::new(None::<Setup>);
    let code = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<&'static str>);
    let codes = RwSignal::new(None::<Vec<String>>);
    let busy = RwSignal::new(false);

    let l = lang.get_untracked();
    leptos::task::spawn_local(async move {
        match api::call("POST", "/api/v1/session/second-factor", None).await {
            Ok(a) if a.status == 201 => setup.set(a.json()),
            Ok(_) => problem.set(Some(refusal("", l))),
            Err(_) => problem.set(Some(NO_CONNECTION[l])),
        }
    });

    let confirm = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        problem.set(None);
        let body = serde_json::json!({ "code": code.get_untracked().replace(' ', "") }).to_string();
        let l = lang.get_untracked();
        leptos::task::spawn_local(async move {
            match api::send("POST", "/api/v1/session/second-factor/confirm", &body).await {
                Ok(a) if a.ok() => codes.set(a.json::<RecoveryCodes>().map(|c| c.recovery_codes)),
                Ok(a) => problem.set(Some(refusal(&a.code(), l))),
                Err(_) => problem.set(Some(NO_CONNECTION[l])),
            }
            code.set(String::new());
            busy.set(false);
        });
    };
    let done = move |_| leptos::task::spawn_local(check_session(gate));

    // The SVG as an image address: `img-src data:` is allowed, and an image runs no code.
    let qr = move || {
        setup.get().map(|s| {
            let svg = String::from(js_sys::encode_uri_component(&s.qr_svg));
            format!("data:image/svg+xml,{svg}")
        })
    };

    view! {
        <section class="login">
            {move || match codes.get() {
                Some(list) => view! {
                    <h1>{tx("Bewaar je herstelcodes", "Keep your recovery codes")}</h1>
                    <p>{tx(
                        "Elke code werkt één keer in plaats van je app, als je telefoon kwijt is. Je ziet ze nu en nooit meer: schrijf ze op of print ze.",
                        "Each code works once instead of your app, should you lose your phone. You see them now and never again: write them down or print them.",
                    )}</p>
                    <ul class="codes">{list.into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}</ul>
                    <button type="button" class="primary" on:click=done>{tx("Ik heb ze bewaard, verder", "I kept them, continue")}</button>
                }.into_any(),
                None => view! {
                    <h1>{tx("Stel je authenticator-app in", "Set up your authenticator app")}</h1>
                    <p>{tx(
                        "Je account heeft een tweede stap nodig. Scan de QR-code met je authenticator-app, of typ de geheime sleutel over. Typ daarna de code die de app laat zien.",
                        "Your account needs a second step. Scan the QR code with your authenticator app, or type in the secret key. Then type the code the app shows.",
                    )}</p>
                    <Show when=move || setup.get().is_some()>
                        <img class="qr" src=qr alt=tx("QR-code voor je authenticator-app", "QR code for your authenticator app")/>
                        <p>{tx("Geheime sleutel: ", "Secret key: ")}<code class="secret">{move || setup.get().map(|s| s.secret)}</code></p>
                    </Show>
                    <form on:submit=confirm>
                        <div class="field">
                            <label for="setup-code">{tx("Code uit de app", "Code from the app")}</label>
                            <input id="setup-code" type="text" inputmode="numeric" autocomplete="one-time-code" required bind:value=code/>
                        </div>
                        <Show when=move || problem.get().is_some()>
                            <p class="error" role="alert">{move || problem.get()}</p>
                        </Show>
                        <button type="submit" class="primary" disabled=move || busy.get() || setup.get().is_none()>{tx("Bevestigen", "Confirm")}</button>
                    </form>
                }.into_any(),
            }}
        </section>
    }
}
