//! The workspace's frame: who is logged in, the header (language, print, logout), the
//! navigation and which page the address opens. Addresses live under `/werkruimte/`; the
//! server answers every one of them with this bundle's `index.html`.

use std::cell::Cell;

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::i18n::{self, tx, Lang};
use crate::keep::{self, Person};

pub const BASE: &str = "/werkruimte";

/// Where the session stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Gate {
    /// Asking the server who is logged in.
    Checking,
    /// No session: the login page.
    Out,
    /// Logged in with the password, but the account must set up its authenticator first.
    SetUp(Person),
    In(Person),
    /// The server could not be reached; the person kept on this device reads what was kept.
    Offline(Person),
}

impl Gate {
    pub fn person(&self) -> Option<&Person> {
        match self {
            Gate::In(p) | Gate::Offline(p) | Gate::SetUp(p) => Some(p),
            _ => None,
        }
    }
}

#[derive(Clone, Copy)]
pub struct Ctx {
    pub gate: RwSignal<Gate>,
    pub path: RwSignal<String>,
}

pub fn ctx() -> Ctx {
    expect_context::<Ctx>()
}

thread_local! {
    /// The app's signals, for `signed_out` and `go` called from an API answer or an event
    /// handler (after an await, or outside a component, where no reactive owner is at hand).
    static CTX: Cell<Option<Ctx>> = const { Cell::new(None) };
}

/// The server says the session is over (401): forget everything kept, back to the login.
pub fn signed_out() {
    keep::clear();
    if let Some(ctx) = CTX.with(Cell::get) {
        ctx.gate.set(Gate::Out);
    }
}

/// Opens a path of the workspace in this tab (a new history entry).
pub fn go(href: &str) {
    let Some(window) = web_sys::window() else {
        return;
    };
    if let Ok(history) = window.history() {
        let _ = history.push_state_with_url(&JsValue::NULL, "", Some(href));
    }
    if let Some(ctx) = CTX.with(Cell::get) {
        ctx.path.set(current_path());
    }
    window.scroll_to_with_x_and_y(0.0, 0.0);
}

/// The address's path and query (the inbox keeps its filter in the query, so back and forward
/// and a copied link keep it too).
fn current_path() -> String {
    web_sys::window()
        .map(|w| {
            let l = w.location();
            format!(
                "{}{}",
                l.pathname().unwrap_or_default(),
                l.search().unwrap_or_default()
            )
        })
        .unwrap_or_default()
}

/// A plain left click on a link to another page of the workspace (not a download, not the
/// API's calendar file, not another tab).
fn in_workspace_link(ev: &web_sys::MouseEvent) -> Option<String> {
    if ev.default_prevented()
        || ev.button() != 0
        || ev.meta_key()
        || ev.ctrl_key()
        || ev.shift_key()
        || ev.alt_key()
    {
        return None;
    }
    let target: web_sys::Element = ev.target()?.dyn_into().ok()?;
    let anchor: web_sys::HtmlAnchorElement = target.closest("a[href]").ok()??.dyn_into().ok()?;
    if !anchor.target().is_empty() || anchor.has_attribute("download") {
        return None;
    }
    let location = web_sys::window()?.location();
    let path = anchor.pathname();
    (anchor.origin() == location.origin().ok()? && path.starts_with(BASE))
        .then(|| format!("{path}{}", anchor.search()))
}

fn listen(ctx: Ctx) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let path = ctx.path;
    let on_pop = Closure::<dyn Fn()>::new(move || path.set(current_path()));
    let _ = window.add_event_listener_with_callback("popstate", on_pop.as_ref().unchecked_ref());
    on_pop.forget();
    if let Some(document) = window.document() {
        let on_click = Closure::<dyn Fn(web_sys::MouseEvent)>::new(move |ev| {
            if let Some(href) = in_workspace_link(&ev) {
                ev.prevent_default();
                go(&href);
            }
        });
        let _ =
            document.add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref());
        on_click.forget();
    }
}

/// Asks the server who is logged in; without an answer, the person kept here reads offline.
pub async fn check_session(gate: RwSignal<Gate>) {
    match crate::api::get("/api/v1/session").await {
        Ok(a) if a.ok() => match a.json::<Session>() {
            Some(s) => {
                keep::set_person(&s.person);
                gate.set(if s.complete {
                    Gate::In(s.person)
                } else {
                    Gate::SetUp(s.person)
                });
            }
            None => gate.set(Gate::Out),
        },
        Ok(a) if a.status == 401 => {
            keep::clear();
            gate.set(Gate::Out);
        }
        // No answer, or the server cannot answer now (a 503): what was kept stays readable.
        _ => gate.set(match keep::person() {
            Some(p) => Gate::Offline(p),
            None => Gate::Out,
        }),
    }
}

#[derive(serde::Deserialize)]
pub struct Session {
    pub person: Person,
    pub complete: bool,
}

#[component]
pub fn App() -> impl IntoView {
    provide_context(Lang(RwSignal::new(i18n::from_browser())));
    let gate = RwSignal::new(Gate::Checking);
    let ctx = Ctx {
        gate,
        path: RwSignal::new(current_path()),
    };
    CTX.with(|c| c.set(Some(ctx)));
    provide_context(ctx);
    listen(ctx);
    leptos::task::spawn_local(check_session(gate));

    let lang = i18n::lang();
    Effect::new(move |_| {
        if let Some(html) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        {
            let _ = html.set_attribute("lang", if lang.get() == 0 { "nl" } else { "en" });
        }
    });

    view! {
        <Header/>
        <main id="inhoud">
            {move || match gate.get() {
                Gate::Checking => view! { <p class="muted">{tx("Even geduld…", "One moment…")}</p> }.into_any(),
                Gate::Out => view! { <crate::login::Login/> }.into_any(),
                Gate::SetUp(_) => view! { <crate::login::SetUp/> }.into_any(),
                Gate::In(p) | Gate::Offline(p) => view! { <Pages person=p/> }.into_any(),
            }}
        </main>
    }
}

#[component]
fn Header() -> impl IntoView {
    let Ctx { gate, path } = ctx();
    let lang = i18n::lang();
    let person = move || gate.with(|g| g.person().cloned());
    let logged_in = move || matches!(gate.get(), Gate::In(_) | Gate::Offline(_));
    let logout = move |_| {
        leptos::task::spawn_local(async move {
            // Whatever the server answers, nothing stays on this device.
            let _ = crate::api::call("DELETE", "/api/v1/session", None).await;
            keep::clear();
            gate.set(Gate::Out);
            go(&format!("{BASE}/"));
        });
    };
    let current = move |href: &'static str| {
        move || {
            let here = path.get();
            let here = here.split('?').next().unwrap_or_default();
            let on = if href == "/werkruimte/" {
                here == "/werkruimte/"
                    || here == "/werkruimte"
                    || here.starts_with("/werkruimte/registratie/")
            } else {
                here.starts_with(href)
            };
            on.then_some("page")
        }
    };
    view! {
        <header class="topbar">
            <a class="brand" href="/werkruimte/">
                <span class="brand-name">"Veilig"</span>
                " "
                <span class="brand-tag">{tx("Werkruimte", "Workspace")}</span>
            </a>
            <div class="tools">
                <button type="button" class="link-button"
                    on:click=move |_| lang.update(|l| *l = 1 - *l)
                    aria-label=tx("Switch to English", "Naar het Nederlands")>
                    {tx("English", "Nederlands")}
                </button>
                <Show when=logged_in>
                    <span class="who">{move || person().map(|p| p.name).unwrap_or_default()}</span>
                    <button type="button" on:click=logout>{tx("Uitloggen", "Log out")}</button>
                </Show>
            </div>
        </header>
        <Show when=logged_in>
            <nav class="mainnav" aria-label=tx("Werkruimte", "Workspace")>
                <Show when=move || person().is_some_and(|p| p.reads_reports())>
                    <a href="/werkruimte/" aria-current=current("/werkruimte/")>{tx("Registraties", "Reports")}</a>
                </Show>
                <Show when=move || person().is_some_and(|p| p.has("beheerder"))>
                    <a href="/werkruimte/organisatie" aria-current=current("/werkruimte/organisatie")>{tx("Organisatie", "Organisation")}</a>
                </Show>
            </nav>
        </Show>
    }
}

/// Which page the address opens.
#[component]
fn Pages(person: Person) -> impl IntoView {
    let full = ctx().path;
    // The page by its path only: a new filter in the query keeps the inbox (and its form).
    let path =
        Memo::new(move |_| full.with(|p| p.split('?').next().unwrap_or_default().to_owned()));
    let person = StoredValue::new(person);
    move || {
        let p = path.get();
        let rest = p
            .strip_prefix(BASE)
            .unwrap_or(&p)
            .trim_end_matches('/')
            .to_owned();
        let person = person.get_value();
        if let Some(id) = rest.strip_prefix("/registratie/") {
            return view! { <crate::report::ReportPage id=id.to_owned() person=person/> }
                .into_any();
        }
        match rest.as_str() {
            "" if person.reads_reports() => view! { <crate::inbox::Inbox/> }.into_any(),
            "" | "/organisatie" if person.has("beheerder") => {
                view! { <crate::organisation::OrganisationPage/> }.into_any()
            }
            "" => view! {
                <h1>{tx("Werkruimte", "Workspace")}</h1>
                <p>{tx(
                    "Registraties lezen leidinggevenden en P&O. Je account heeft die rol niet.",
                    "Reports are read by managers and P&O. Your account does not have that role.",
                )}</p>
            }
            .into_any(),
            _ => view! {
                <h1>{tx("Deze pagina bestaat niet", "This page does not exist")}</h1>
                <p><a href="/werkruimte/">{tx("Naar de werkruimte", "To the workspace")}</a></p>
            }
            .into_any(),
        }
    }
}

/// The line shown when a fetch failed and the page shows what was kept.
#[component]
pub fn OfflineNote(fetched_at: String) -> impl IntoView {
    let when = crate::time::local_text(&fetched_at);
    let when2 = when.clone();
    let lang = i18n::lang();
    view! {
        <p class="offline" role="status">
            {move || if lang.get() == 0 {
                format!("Offline: je ziet wat het laatst is opgehaald ({when})")
            } else {
                format!("Offline: you see what was fetched last ({when2})")
            }}
        </p>
    }
}
