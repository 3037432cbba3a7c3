//! App-wide reactive state, provided once at the root and read through these hooks.

use leptos::prelude::*;
use veilig_core::protocol::{dutch, Protocol};
use veilig_core::settings::Settings;
use veilig_core::Locale;

use crate::i18n::{texts, Texts};
use crate::storage;

#[derive(Clone, Copy)]
pub struct AppState {
    pub settings: RwSignal<Settings>,
    /// One plain sentence about something the user should know (storage trouble).
    pub notice: RwSignal<Option<String>>,
    /// The browser's answer to `navigator.storage.persist()`; `None` while unknown.
    pub persisted: RwSignal<Option<bool>>,
    /// The English protocol text once fetched (`crate::translation`); Dutch is shown until then.
    pub english: RwSignal<Option<&'static Protocol>>,
}

impl AppState {
    pub fn load() -> Self {
        let loaded = storage::load_settings();
        Self {
            settings: RwSignal::new(loaded.value),
            notice: RwSignal::new(loaded.problem),
            persisted: RwSignal::new(None),
            english: RwSignal::new(None),
        }
    }

    pub fn locale(&self) -> Locale {
        self.settings.with(|s| s.locale)
    }

    /// Changes and stores the settings; a failure keeps the change for this session and says so.
    pub fn update_settings(&self, change: impl FnOnce(&mut Settings)) -> bool {
        self.settings.update(change);
        match self.settings.with_untracked(storage::save_settings) {
            Ok(()) => true,
            Err(err) => {
                self.notice.set(Some(err.to_string()));
                false
            }
        }
    }
}

pub fn use_app() -> AppState {
    expect_context::<AppState>()
}

pub fn use_texts() -> impl Fn() -> &'static Texts + Copy + Send + Sync + 'static {
    let app = use_app();
    move || texts(app.locale())
}

pub fn use_protocol() -> impl Fn() -> &'static Protocol + Copy + Send + Sync + 'static {
    let app = use_app();
    move || match app.locale() {
        Locale::En => app.english.get().unwrap_or_else(dutch),
        Locale::Nl => dutch(),
    }
}
