//! Client-side navigation: the current screen as a signal, `history.pushState` for links and
//! `Router::go`, `popstate` for back/forward. Which path is which screen is
//! `veilig_core::route::Route` (tested natively); `e2e/tests/navigation.test.mjs` tests the rest.
//!
//! Hand-written instead of `leptos_router` for size: nine flat routes need none of its nesting,
//! and dropping it took the wasm from 298.3 to 258.8 KB of brotli (measured with this change).

use leptos::prelude::*;
use veilig_core::route::Route;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[derive(Clone, Copy)]
pub struct Router {
    path: RwSignal<String>,
    route: Memo<Route>,
}

impl Router {
    /// Starts listening for link clicks and back/forward, and provides the router to the app.
    pub fn install() -> Router {
        let path = RwSignal::new(current_path());
        let router = Router {
            path,
            route: Memo::new(move |_| path.with(|p| Route::parse(p))),
        };
        provide_context(router);
        if let Some(window) = web_sys::window() {
            let on_pop = Closure::<dyn Fn()>::new(move || path.set(current_path()));
            let _ = window
                .add_event_listener_with_callback("popstate", on_pop.as_ref().unchecked_ref());
            on_pop.forget();
            if let Some(document) = window.document() {
                let on_click = Closure::<dyn Fn(web_sys::MouseEvent)>::new(move |ev| {
                    if let Some(href) = in_app_link(&ev) {
                        ev.prevent_default();
                        router.go(&href);
                    }
                });
                let _ = document
                    .add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref());
                on_click.forget();
            }
            // A procedure tapped on index.html's plain home screen while the app was starting.
            let tapped = js_sys::Reflect::get(&window, &JsValue::from_str("veiligBootTap"));
            if let Some(href) = tapped.ok().and_then(|v| v.as_string()) {
                router.go(&href);
            }
        }
        router
    }

    pub fn route(&self) -> Memo<Route> {
        self.route
    }

    /// Opens `href` (a path on this origin) at the top of the page: a new history entry, unless
    /// it is the address already open (tapping "Start" twice adds nothing to go back through).
    pub fn go(&self, href: &str) {
        let Some(window) = web_sys::window() else {
            return;
        };
        let location = window.location();
        let open = [location.pathname(), location.search(), location.hash()]
            .into_iter()
            .collect::<Result<String, _>>();
        if let Ok(history) = window.history() {
            let _ = if open.as_deref() == Ok(href) {
                history.replace_state_with_url(&JsValue::NULL, "", Some(href))
            } else {
                history.push_state_with_url(&JsValue::NULL, "", Some(href))
            };
        }
        self.path.set(current_path());
        window.scroll_to_with_x_and_y(0.0, 0.0);
    }
}

pub fn use_router() -> Router {
    expect_context::<Router>()
}

fn current_path() -> String {
    web_sys::window()
        .and_then(|w| w.location().pathname().ok())
        .unwrap_or_else(|| "/".into())
}

/// The href of a plain left click on a link to another page of this app; `None` for everything
/// the browser should handle itself (new tab, download, `tel:`, another origin, `#anchor`).
fn in_app_link(ev: &web_sys::MouseEvent) -> Option<String> {
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
    if anchor.origin() != location.origin().ok()? {
        return None;
    }
    // Same page with a fragment: let the browser scroll to it (error summary links).
    if anchor.pathname() == location.pathname().ok()? && !anchor.hash().is_empty() {
        return None;
    }
    Some(format!(
        "{}{}{}",
        anchor.pathname(),
        anchor.search(),
        anchor.hash()
    ))
}

/// A navigation link that tells screen readers (and the style) which section is open.
#[component]
pub fn NavLink(to: Route, children: Children) -> impl IntoView {
    let route = use_router().route();
    let href = to.path();
    let current = move || route.with(|r| to.is_section_of(r)).then_some("page");
    view! { <a href=href aria-current=current>{children()}</a> }
}
