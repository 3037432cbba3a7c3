//! Components mounted in real headless Chromium (`cargo test --target wasm32-unknown-unknown`).
#![cfg(target_arch = "wasm32")]

use veilig::App;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window()
        .and_then(|w| w.document())
        .expect("a document")
}

/// Lets the router and effects run (they render after the current task).
async fn settle() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 50);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// The app at `/` with empty storage, or with `stored` settings text.
fn fresh_start(stored: Option<&str>) {
    let window = web_sys::window().unwrap();
    let storage = window.local_storage().unwrap().unwrap();
    storage.clear().unwrap();
    if let Some(raw) = stored {
        storage.set_item("veilig.settings", raw).unwrap();
    }
    window
        .history()
        .unwrap()
        .replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some("/"))
        .unwrap();
}

/// A fresh container per test, so tests do not see each other's DOM.
fn container() -> web_sys::HtmlElement {
    let el: web_sys::HtmlElement = document().create_element("div").unwrap().unchecked_into();
    document().body().unwrap().append_child(&el).unwrap();
    el
}

#[wasm_bindgen_test]
async fn the_shell_shows_the_emergency_call_and_the_four_procedures() {
    fresh_start(None);
    let el = container();
    let _handle = leptos::mount::mount_to(el.clone(), App);
    settle().await;

    let call = el
        .query_selector("a.call-112")
        .unwrap()
        .expect("112 button");
    assert_eq!(call.get_attribute("href").as_deref(), Some("tel:112"));

    let buttons: Vec<(String, String)> = {
        let list = el.query_selector_all(".bigbuttons a").unwrap();
        (0..list.length())
            .filter_map(|i| list.item(i))
            .map(|n| {
                let a: web_sys::Element = n.unchecked_into();
                (
                    a.text_content().unwrap_or_default(),
                    a.get_attribute("href").unwrap_or_default(),
                )
            })
            .collect()
    };
    assert_eq!(
        buttons,
        vec![
            ("Op kantoor".to_owned(), "/protocol/kantoor".to_owned()),
            ("Huisbezoek".to_owned(), "/protocol/woning".to_owned()),
            ("Telefoon".to_owned(), "/protocol/telefoon".to_owned()),
            ("Extreem incident".to_owned(), "/extreem".to_owned()),
        ]
    );
    let nav = el
        .query_selector("nav.mainnav")
        .unwrap()
        .expect("navigation");
    assert_eq!(
        nav.get_attribute("aria-label").as_deref(),
        Some("Hoofdmenu")
    );
    el.remove();
}

#[wasm_bindgen_test]
async fn the_language_switch_changes_the_interface_and_is_remembered() {
    fresh_start(None);
    let el = container();
    let handle = leptos::mount::mount_to(el.clone(), App);
    settle().await;
    let lang: web_sys::HtmlElement = el
        .query_selector("button.lang")
        .unwrap()
        .unwrap()
        .unchecked_into();
    lang.click();
    settle().await;
    let h1 = el.query_selector("main h1").unwrap().unwrap();
    assert_eq!(h1.text_content().as_deref(), Some("What is happening?"));
    drop(handle);
    el.remove();

    // A new mount reads the stored choice.
    let el = container();
    let _handle = leptos::mount::mount_to(el.clone(), App);
    settle().await;
    let h1 = el.query_selector("main h1").unwrap().unwrap();
    assert_eq!(h1.text_content().as_deref(), Some("What is happening?"));
    el.remove();
}

#[wasm_bindgen_test]
async fn unreadable_settings_are_kept_aside_and_reported_not_fatal() {
    fresh_start(Some("{not json"));
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    let el = container();
    let _handle = leptos::mount::mount_to(el.clone(), App);
    settle().await;
    let notice = el.query_selector(".notice").unwrap().expect("a notice");
    assert!(notice
        .text_content()
        .unwrap_or_default()
        .contains("apart bewaard"));
    // Dutch defaults, and the unreadable text kept under a quarantine key.
    assert_eq!(
        el.query_selector("main h1")
            .unwrap()
            .unwrap()
            .text_content()
            .as_deref(),
        Some("Wat gebeurt er?")
    );
    let kept = (0..storage.length().unwrap())
        .filter_map(|i| storage.key(i).ok().flatten())
        .filter(|k| k.starts_with("veilig.quarantine.veilig.settings."))
        .map(|k| storage.get_item(&k).unwrap())
        .collect::<Vec<_>>();
    assert_eq!(kept, vec![Some("{not json".to_owned())]);
    el.remove();
}

/// Waits (up to 5 s) for an element the app renders after reading storage.
async fn find(el: &web_sys::HtmlElement, selector: &str) -> web_sys::Element {
    for _ in 0..100 {
        if let Some(found) = el.query_selector(selector).unwrap() {
            return found;
        }
        settle().await;
    }
    panic!("{selector} did not appear");
}

#[wasm_bindgen_test]
async fn a_tap_that_cannot_be_stored_still_moves_the_flow_on_and_says_so() {
    fresh_start(None);
    web_sys::window()
        .unwrap()
        .history()
        .unwrap()
        .replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some("/protocol/telefoon"))
        .unwrap();
    let el = container();
    let _handle = leptos::mount::mount_to(el.clone(), App);
    let calm: web_sys::HtmlElement = find(&el, "button.btn-answer").await.unchecked_into();
    assert_eq!(
        calm.text_content().as_deref(),
        Some("Persoon past gedrag aan")
    );
    veilig::storage::idb_store::simulate_write_failure(Some("QuotaExceededError"));
    calm.click();
    let end = find(&el, "h2.end-text").await;
    veilig::storage::idb_store::simulate_write_failure(None);
    assert_eq!(
        end.text_content().as_deref(),
        Some("Gesprek wordt voortgezet, mits gedrag rustig blijft")
    );
    let notice = find(&el, "p.notice[role=alert]").await;
    assert!(
        notice
            .text_content()
            .unwrap_or_default()
            .contains("Niet opgeslagen op dit apparaat"),
        "{:?}",
        notice.text_content()
    );
}

/// The app opened at `path` (after `fresh_start`).
fn open_at(path: &str) {
    web_sys::window()
        .unwrap()
        .history()
        .unwrap()
        .replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(path))
        .unwrap();
}

#[wasm_bindgen_test]
async fn the_enroll_page_takes_the_code_from_the_qr_links_fragment_and_clears_it() {
    fresh_start(None);
    open_at("/koppelen#K7QM-4TXP");
    let el = container();
    let _handle = leptos::mount::mount_to(el.clone(), App);
    let input: web_sys::HtmlInputElement = find(&el, "#enroll-code").await.unchecked_into();
    assert_eq!(input.value(), "K7QM-4TXP");
    for (name, value) in [
        ("autocomplete", "off"),
        ("autocapitalize", "characters"),
        ("spellcheck", "false"),
    ] {
        assert_eq!(input.get_attribute(name).as_deref(), Some(value), "{name}");
    }
    let location = web_sys::window().unwrap().location();
    assert_eq!(
        location.hash().unwrap(),
        "",
        "the single-use code left the address"
    );
    assert_eq!(location.pathname().unwrap(), "/koppelen");
    el.remove();
}

#[wasm_bindgen_test]
async fn a_held_outbox_says_why_whom_to_ask_and_offers_the_file() {
    use veilig_core::outbox::{Entry, State};
    fresh_start(None);
    let far = veilig_core::time::parse_utc("2999-01-01T00:00:00Z").unwrap();
    let mut entry = Entry::new("held-1", r#"{"id":"held-1"}"#, far);
    entry.state = State::Waiting {
        next_attempt_at: far,
    };
    entry.last_error = Some("device_revoked".into());
    veilig::storage::outbox::put(&entry).await.unwrap();
    open_at("/verzenden");
    let el = container();
    let _handle = leptos::mount::mount_to(el.clone(), App);
    let held = find(&el, ".held").await;
    let text = held.text_content().unwrap_or_default();
    assert!(text.contains(veilig::i18n::NL.held_revoked), "{text}");
    let link = held.query_selector("a").unwrap().expect("a link to enroll");
    assert_eq!(link.get_attribute("href").as_deref(), Some("/koppelen"));
    let button = held
        .query_selector("button")
        .unwrap()
        .expect("the file button");
    assert_eq!(
        button.text_content().as_deref(),
        Some(veilig::i18n::NL.save_unsent)
    );
    let badge = find(&el, ".sync-badge").await;
    assert_eq!(
        badge.text_content().as_deref(),
        Some(veilig::i18n::NL.held_revoked)
    );
    veilig::storage::idb_store::delete(veilig::storage::idb_store::OUTBOX, "held-1")
        .await
        .unwrap();
    el.remove();
}

#[wasm_bindgen_test]
async fn the_settings_say_to_which_team_this_device_is_linked() {
    fresh_start(None);
    veilig::storage::save_device(&veilig_core::device::Device {
        device_id: "d-1".into(),
        team: "Wijkteam Noord".into(),
        person: Some("Ans de Vries".into()),
        enrolled_at: "2026-11-30T21:54:11Z".into(),
    })
    .unwrap();
    assert_eq!(
        veilig::storage::load_device().map(|d| d.team).as_deref(),
        Some("Wijkteam Noord")
    );
    open_at("/instellingen");
    let el = container();
    let _handle = leptos::mount::mount_to(el.clone(), App);
    let status = find(&el, ".device-status").await;
    let text = status.text_content().unwrap_or_default();
    assert!(
        text.starts_with(
            "Dit apparaat is gekoppeld aan team Wijkteam Noord (Ans de Vries) sinds 2026-1"
        ),
        "{text}"
    );
    fresh_start(None);
    el.remove();
}
