//! The one door to browser storage. No component touches localStorage or IndexedDB itself.
//!
//! Everything is stored in a versioned envelope (`veilig_core::envelope`). What cannot be read
//! is copied to a quarantine key (kept for recovery, never deleted) and reported; the app
//! carries on with defaults.

mod codec;
mod error;
pub mod idb_store;
mod local;
pub mod logs;
pub mod outbox;
mod quarantine;
pub mod reports;

pub use error::StorageError;
pub use logs::{load_checklists, load_runs, save_checklist, save_run};
use veilig_core::device::{Device, DEVICE_VERSION};
use veilig_core::envelope::{DecodeError, Migration};
use veilig_core::organisation::{ForDevice, FOR_DEVICE_VERSION};
use veilig_core::settings::{Settings, SETTINGS_VERSION};

const SETTINGS_KEY: &str = "veilig.settings";
const SETTINGS_MIGRATIONS: &[Migration] = &[];

/// A value read back, plus what to tell the user when something had to be set aside.
pub struct Loaded<T> {
    pub value: T,
    pub problem: Option<StorageError>,
}

fn load<T: serde::de::DeserializeOwned + Default>(
    key: &str,
    migrations: &[Migration],
) -> Loaded<T> {
    load_with(key, |raw| codec::decode::<T>(raw, migrations))
}

fn load_with<T: Default>(key: &str, read: impl Fn(&str) -> Result<T, DecodeError>) -> Loaded<T> {
    match local::get(key) {
        Ok(None) => Loaded {
            value: T::default(),
            problem: None,
        },
        Ok(Some(raw)) => match read(&raw) {
            Ok(value) => Loaded {
                value,
                problem: None,
            },
            Err(err) => {
                let (problem, _) = quarantine::keep(key, &raw, &err);
                Loaded {
                    value: T::default(),
                    problem: Some(problem),
                }
            }
        },
        Err(err) => Loaded {
            value: T::default(),
            problem: Some(err),
        },
    }
}

fn save<T: serde::Serialize>(key: &str, version: u32, value: &T) -> Result<(), StorageError> {
    let raw = codec::encode(version, value)?;
    local::set(key, &raw)
}

const DEVICE_KEY: &str = "veilig.device";

/// What the server said about this device when it was enrolled (`None`: never, here).
/// The credential itself is an HttpOnly cookie: the app never sees or stores it.
pub fn load_device() -> Option<Device> {
    load::<Option<Device>>(DEVICE_KEY, &[]).value
}

pub fn save_device(device: &Device) -> Result<(), StorageError> {
    save(DEVICE_KEY, DEVICE_VERSION, device)
}

const ORGANISATION_KEY: &str = "veilig.organisation";

/// The organisation's settings as this device last received them (`None`: not yet). An
/// unreadable copy is set aside like any other (`quarantine`), and the next sync fetches them
/// again.
pub fn load_organisation() -> Loaded<Option<ForDevice>> {
    load_with(ORGANISATION_KEY, |raw| {
        let data = codec::decode_value(raw, &[])?;
        ForDevice::from_json(&data)
            .map(Some)
            .ok_or_else(|| DecodeError::Shape("not the organisation's settings".into()))
    })
}

pub fn save_organisation(org: &ForDevice) -> Result<(), StorageError> {
    save(ORGANISATION_KEY, FOR_DEVICE_VERSION, org)
}

pub fn load_settings() -> Loaded<Settings> {
    load(SETTINGS_KEY, SETTINGS_MIGRATIONS)
}

pub fn save_settings(settings: &Settings) -> Result<(), StorageError> {
    save(SETTINGS_KEY, SETTINGS_VERSION, settings)
}

/// Asks the browser not to evict this origin's storage; resolves to its answer.
/// Safari may ignore it; an installed home-screen app is evicted less.
pub async fn request_persistence() -> Option<bool> {
    let storage = web_sys::window()?.navigator().storage();
    let already = wasm_bindgen_futures::JsFuture::from(storage.persisted().ok()?)
        .await
        .ok()?;
    if already.as_bool() == Some(true) {
        return Some(true);
    }
    let answer = wasm_bindgen_futures::JsFuture::from(storage.persist().ok()?)
        .await
        .ok()?;
    answer.as_bool()
}

/// Safari on iPhone or iPad, in a browser tab rather than from the home screen: the one case
/// where the browser may erase this origin's storage after a week without use.
pub fn safari_needs_home_screen() -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let agent = window.navigator().user_agent().unwrap_or_default();
    let apple_touch = agent.contains("iPhone") || agent.contains("iPad") || agent.contains("iPod");
    let safari = agent.contains("Safari") && !agent.contains("CriOS") && !agent.contains("FxiOS");
    let standalone = js_sys::Reflect::get(&window.navigator(), &"standalone".into())
        .ok()
        .and_then(|v| v.as_bool())
        .unwrap_or(false)
        || window
            .match_media("(display-mode: standalone)")
            .ok()
            .flatten()
            .is_some_and(|m| m.matches());
    apple_touch && safari && !standalone
}
