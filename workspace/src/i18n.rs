//! Dutch first, English second: the language is a signal (0 Dutch, 1 English, the index of
//! core's `Label`s), starting from the browser's language and switched in the header.

use leptos::prelude::*;

#[derive(Clone, Copy)]
pub struct Lang(pub RwSignal<usize>);

pub fn lang() -> RwSignal<usize> {
    expect_context::<Lang>().0
}

/// A text of the interface in the current language, as a reactive view or attribute value.
pub fn tx(nl: &'static str, en: &'static str) -> impl Fn() -> &'static str + Copy + Send + Sync {
    let l = lang();
    move || if l.get() == 0 { nl } else { en }
}

/// The browser's preference: English only when it asks for English first.
pub fn from_browser() -> usize {
    let asks = web_sys::window()
        .and_then(|w| w.navigator().language())
        .unwrap_or_default();
    usize::from(asks.to_ascii_lowercase().starts_with("en"))
}
