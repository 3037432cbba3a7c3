//! "A tap is shown once it is stored" (ARCHITECTURE.md), written once for the flow page and the
//! extreme checklist: taps change `latest` at once, in order; each change's write starts at
//! once (IndexedDB completes writes in the order they were started); the screen (`shown`)
//! moves when the write completes, so it never shows more than is stored. If this device
//! cannot store at all, the change is shown anyway with a notice: in an incident the protocol
//! must go on.

use std::future::Future;

use leptos::prelude::*;
use veilig_core::protocol::checklist::Checklist;
use veilig_core::protocol::run::FlowRun;

use crate::state::{use_app, AppState};
use crate::storage::{self, StorageError};

/// A value that has its own record in browser storage.
pub trait Stored: Clone + Send + Sync + 'static {
    fn save(&self) -> impl Future<Output = Result<(), StorageError>>;
}

impl Stored for FlowRun {
    fn save(&self) -> impl Future<Output = Result<(), StorageError>> {
        storage::save_run(self)
    }
}

impl Stored for Checklist {
    fn save(&self) -> impl Future<Output = Result<(), StorageError>> {
        storage::save_checklist(self)
    }
}

pub struct Durable<T: Send + Sync + 'static> {
    /// What the screen shows: the stored value.
    pub shown: RwSignal<T>,
    /// Every change, also those whose write has not completed.
    latest: StoredValue<T>,
    app: AppState,
}

impl<T: Send + Sync + 'static> Clone for Durable<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for Durable<T> {}

impl<T: Stored> Durable<T> {
    /// Made when its component is made (it reads the app's context).
    pub fn new(value: T) -> Self {
        Self {
            shown: RwSignal::new(value.clone()),
            latest: StoredValue::new(value),
            app: use_app(),
        }
    }

    /// The value with every change so far.
    pub fn latest(&self) -> T {
        self.latest.get_value()
    }

    /// A value read from storage: shown at once, nothing written.
    pub fn reset(&self, value: T) {
        self.latest.set_value(value.clone());
        self.shown.set(value);
    }

    /// Writes `next` after every write started before it, and shows it when written.
    pub fn store(&self, next: T) {
        self.latest.set_value(next.clone());
        let (shown, app) = (self.shown, self.app);
        leptos::task::spawn_local(async move {
            if let Err(err) = next.save().await {
                app.notice.set(Some(crate::state::Notice::NotStored(err)));
            }
            shown.set(next);
        });
    }

    /// Applies a tap to the latest value; `false` from `tap` means it was refused (nothing to
    /// store).
    pub fn change(&self, tap: impl FnOnce(&mut T) -> bool) {
        let mut next = self.latest();
        if tap(&mut next) {
            self.store(next);
        }
    }
}
