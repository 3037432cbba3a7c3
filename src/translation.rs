//! The English protocol text: fetched the first time English is chosen, not compiled in
//! (see `veilig_core::protocol::content`). Until it is loaded, and if it cannot be, the Dutch
//! source is shown; the rest of the interface is English at once (`i18n`).

use leptos::prelude::*;
use veilig_core::protocol::content::{parse, ENGLISH_URL};
use veilig_core::Locale;

use crate::state::AppState;

/// Loads the translation whenever English is the language and it is not loaded yet.
pub fn install(state: AppState) {
    let loading = StoredValue::new(false);
    Effect::new(move |_| {
        if state.locale() != Locale::En
            || state.english.get_untracked().is_some()
            || loading.get_value()
        {
            return;
        }
        loading.set_value(true);
        leptos::task::spawn_local(async move {
            match load().await {
                Ok(english) => state.english.set(Some(english)),
                Err(_) => state
                    .notice
                    .set(Some(crate::state::Notice::EnglishUnavailable)),
            }
            loading.set_value(false);
        });
    });
}

/// The translation's JSON, checked by parsing it once; `state::use_protocol` puts the
/// organisation's names in.
async fn load() -> Result<&'static str, String> {
    let json = crate::net::get_text(ENGLISH_URL).await?;
    parse(&json).map_err(|err| err.to_string())?;
    // Loaded once per session and kept for its whole life.
    Ok(Box::leak(json.into_boxed_str()))
}
