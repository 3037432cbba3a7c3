//! App-wide reactive state, provided once at the root and read through these hooks.

use leptos::prelude::*;
use veilig_core::organisation::ForDevice;
use veilig_core::protocol::content::{parse_for, DUTCH_JSON};
use veilig_core::protocol::{dutch, Protocol};
use veilig_core::settings::Settings;
use veilig_core::Locale;

use crate::i18n::{texts, Texts};
use crate::storage::{self, StorageError};

#[derive(Clone, Copy)]
pub struct AppState {
    pub settings: RwSignal<Settings>,
    /// The organisation's settings as last received from the server (`None`: not yet).
    pub received: RwSignal<Option<ForDevice>>,
    /// One plain sentence about something the user should know (storage trouble).
    pub notice: RwSignal<Option<Notice>>,
    /// The browser's answer to `navigator.storage.persist()`; `None` while unknown.
    pub persisted: RwSignal<Option<bool>>,
    /// The English protocol's JSON once fetched and checked (`crate::translation`); Dutch is
    /// shown until then.
    pub english: RwSignal<Option<&'static str>>,
}

impl AppState {
    pub fn load() -> Self {
        let loaded = storage::load_settings();
        let org = storage::load_organisation();
        Self {
            settings: RwSignal::new(loaded.value),
            received: RwSignal::new(org.value),
            notice: RwSignal::new(loaded.problem.or(org.problem).map(Notice::from)),
            persisted: RwSignal::new(None),
            english: RwSignal::new(None),
        }
    }

    pub fn locale(&self) -> Locale {
        self.settings.with(|s| s.locale)
    }

    /// The organisation's name and numbers this device uses (the server's once received).
    pub fn organisation(&self) -> ForDevice {
        self.received
            .with(|r| self.settings.with(|own| ForDevice::in_use(r.as_ref(), own)))
    }

    /// Keeps what the server sent, for use without signal; only a change is written.
    pub fn receive_organisation(&self, org: ForDevice) {
        if self.received.with_untracked(|r| r.as_ref() == Some(&org)) {
            return;
        }
        if let Err(err) = storage::save_organisation(&org) {
            self.notice.set(Some(err.into()));
        }
        self.received.set(Some(org));
    }

    /// Changes and stores the settings; a failure keeps the change for this session and says so.
    pub fn update_settings(&self, change: impl FnOnce(&mut Settings)) -> bool {
        self.settings.update(change);
        match self.settings.with_untracked(storage::save_settings) {
            Ok(()) => true,
            Err(err) => {
                self.notice.set(Some(err.into()));
                false
            }
        }
    }
}

/// What the notice line says, kept as a value and put into words when shown, so that it
/// follows the reader's language (`crate::i18n`).
#[derive(Debug, Clone, PartialEq)]
pub enum Notice {
    Storage(StorageError),
    /// A tap moved the screen on, but could not be stored.
    NotStored(StorageError),
    /// Another window of an older version holds the database (`idb_store::on_blocked`).
    Blocked,
    EnglishUnavailable,
}

impl From<StorageError> for Notice {
    fn from(err: StorageError) -> Self {
        Notice::Storage(err)
    }
}

impl Notice {
    pub fn say(&self, t: &Texts) -> String {
        match self {
            Notice::Storage(err) => t.storage_error(err),
            Notice::NotStored(err) => format!("{} {}", t.not_stored, t.storage_error(err)),
            Notice::Blocked => t.storage_blocked.into(),
            Notice::EnglishUnavailable => t.english_protocol_unavailable.into(),
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

/// The protocol in the chosen language, with the organisation's names from the settings.
pub fn use_protocol() -> impl Fn() -> &'static Protocol + Copy + Send + Sync + 'static {
    let app = use_app();
    move || {
        let json = match app.locale() {
            Locale::En => app.english.get().unwrap_or(DUTCH_JSON),
            Locale::Nl => DUTCH_JSON,
        };
        let org = app.organisation();
        personalised(json, &org.name, &org.kind)
    }
}

/// Which content (by address) with which name and kind of organisation.
type PersonalisedKey = (usize, String, String);

thread_local! {
    /// Each (content, name, kind) parsed once and kept: names change rarely, and every screen
    /// reads the protocol many times.
    static PERSONALISED: std::cell::RefCell<Vec<(PersonalisedKey, &'static Protocol)>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

fn personalised(json: &'static str, name: &str, kind: &str) -> &'static Protocol {
    let key = (json.as_ptr() as usize, name.to_owned(), kind.to_owned());
    PERSONALISED.with(|cache| {
        if let Some((_, p)) = cache.borrow().iter().find(|(k, _)| *k == key) {
            return *p;
        }
        // The content was checked when it was loaded; a name cannot break the JSON (escaped).
        let Ok(parsed) = parse_for(json, name, kind) else {
            return dutch();
        };
        let leaked: &'static Protocol = Box::leak(Box::new(parsed));
        cache.borrow_mut().push((key, leaked));
        leaked
    })
}
