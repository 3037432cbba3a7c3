//! What the workspace keeps on this device, so that it stays readable when the connection
//! drops: all of it in `sessionStorage` under one prefix, [`PREFIX`], and nothing else
//! anywhere. `sessionStorage`, not `localStorage`: the workspace has no service worker, so
//! only an open tab can read it offline, and the browser removes it when the tab is closed:
//! reports and aftercare notes are not kept on the device a minute longer than that.
//!
//! - `veilig.werkruimte.persoon`: the logged-in person (name, roles) as the server gave it;
//! - `veilig.werkruimte.inbox`: the last list page fetched (its query), the summary and
//!   "Mijn taken", with when they were fetched;
//! - `veilig.werkruimte.registratie.<id>`: each report opened in this session (its JSON as
//!   the server sent it) and its aftercare page, with when they were fetched.
//!
//! All of it is removed at logout and whenever the server answers 401; a report is removed
//! when the server answers 403 or 404 for it. (ARCHITECTURE.md lists the same.)

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use veilig_core::inbox::{AftercareView, MyTask, Page, Summary};

pub const PREFIX: &str = "veilig.werkruimte.";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok()?
}

/// Raised by every [`clear`] (logout, 401, a new login). A fetch notes it when it starts and
/// keeps its answer only while it is unchanged: an answer that arrives after the person was
/// signed out is never written back.
static GENERATION: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);

pub fn generation() -> u32 {
    GENERATION.load(std::sync::atomic::Ordering::Relaxed)
}

fn read<T: DeserializeOwned>(key: &str) -> Option<T> {
    let text = storage()?.get_item(&format!("{PREFIX}{key}")).ok()??;
    serde_json::from_str(&text).ok()
}

/// Best effort: a full or blocked storage only means less is readable offline.
fn write<T: Serialize>(key: &str, value: &T) {
    if let (Some(s), Ok(text)) = (storage(), serde_json::to_string(value)) {
        let _ = s.set_item(&format!("{PREFIX}{key}"), &text);
    }
}

fn remove(key: &str) {
    if let Some(s) = storage() {
        let _ = s.remove_item(&format!("{PREFIX}{key}"));
    }
}

/// Removes everything the workspace kept (logout, 401).
pub fn clear() {
    GENERATION.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let Some(s) = storage() else { return };
    let keys: Vec<String> = (0..s.length().unwrap_or(0))
        .filter_map(|i| s.key(i).ok().flatten())
        .filter(|k| k.starts_with(PREFIX))
        .collect();
    for k in keys {
        let _ = s.remove_item(&k);
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub id: String,
    pub login: String,
    pub name: String,
    pub roles: Vec<String>,
    #[serde(default)]
    pub manages: Vec<String>,
}

impl Person {
    pub fn has(&self, role: &str) -> bool {
        self.roles.iter().any(|r| r == role)
    }

    /// Reads reports: a manager or P&O (a beheerder sees no report content).
    pub fn reads_reports(&self) -> bool {
        self.has("leidinggevende") || self.has("po")
    }
}

pub fn person() -> Option<Person> {
    read("persoon")
}

pub fn set_person(p: &Person) {
    write("persoon", p);
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Inbox {
    pub fetched_at: String,
    pub query: String,
    pub page: Option<Page>,
    pub summary: Option<Summary>,
    pub tasks: Option<Vec<MyTask>>,
}

pub fn inbox() -> Option<Inbox> {
    read("inbox")
}

/// Keeps the list fetched since `since` (a [`generation`]), unless the person was signed
/// out meanwhile.
pub fn set_inbox(since: u32, inbox: &Inbox) {
    if since == generation() {
        write("inbox", inbox);
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Opened {
    pub fetched_at: String,
    /// The report's JSON exactly as the server sent it.
    pub report: String,
    pub aftercare: Option<AftercareView>,
}

pub fn report(id: &str) -> Option<Opened> {
    read(&format!("registratie.{id}"))
}

/// Keeps a report fetched since `since` (a [`generation`]), unless the person was signed out
/// meanwhile.
pub fn set_report(since: u32, id: &str, opened: &Opened) {
    if since == generation() {
        write(&format!("registratie.{id}"), opened);
    }
}

pub fn drop_report(id: &str) {
    remove(&format!("registratie.{id}"));
}
