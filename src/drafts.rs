//! The open report and its autosave. Every change starts a write at once (no debounce); while a
//! write is in flight the next one waits for it and then writes the latest state, so writes
//! never overtake each other. Other tabs learn of each save through a BroadcastChannel and
//! merge it in; an open form's channel closes with the form.

use leptos::prelude::*;
use veilig_core::report::merge::merge;
use veilig_core::report::Report;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

use crate::clock::now;
use crate::single_flight::SingleFlight;
use crate::storage::reports;
use crate::storage::StorageError;

const CHANNEL_NAME: &str = "veilig-reports";

#[derive(Debug, Clone, PartialEq)]
pub enum SaveState {
    /// Everything typed is on the device, as of this time.
    Saved(chrono::DateTime<chrono::Utc>),
    Saving,
    Failed(StorageError),
}

#[derive(Clone, Copy)]
pub struct OpenReport {
    pub report: RwSignal<Report>,
    /// What is stored, as far as this tab knows: the base of the next save.
    base: StoredValue<Report, LocalStorage>,
    pub state: RwSignal<SaveState>,
    writes: StoredValue<SingleFlight, LocalStorage>,
}

impl OpenReport {
    pub fn new(stored: Report) -> Self {
        let this = Self {
            report: RwSignal::new(stored.clone()),
            base: StoredValue::new_local(stored),
            state: RwSignal::new(SaveState::Saved(now())),
            writes: StoredValue::new_local(SingleFlight::default()),
        };
        this.listen_to_other_tabs();
        this
    }

    /// Applies an edit and writes it.
    pub fn edit(&self, change: impl FnOnce(&mut Report)) {
        if self.report.with_untracked(Report::is_final) {
            return;
        }
        self.report.update(|report| {
            let before = report.values.clone();
            change(report);
            veilig_core::report::confirm::withdraw_if_changed(&before, report);
        });
        self.state.set(SaveState::Saving);
        if self.writes.with_value(SingleFlight::ask) {
            let this = *self;
            leptos::task::spawn_local(async move { this.write_loop().await });
        }
    }

    /// Writes what is typed, then the final version and its outbox entry together. After this
    /// the report is read-only.
    pub async fn finalize(&self) -> Result<(), StorageError> {
        self.flush().await?;
        let written = crate::storage::outbox::finalize(
            &self.base.get_value(),
            &self.report.get_untracked(),
            now(),
        )
        .await?;
        self.base.set_value(written.clone());
        self.report.set(written.clone());
        announce(&written);
        Ok(())
    }

    /// Writes until nothing is left unsaved; returns the last outcome.
    pub async fn flush(&self) -> Result<(), StorageError> {
        self.write_loop().await;
        match self.state.get_untracked() {
            SaveState::Failed(err) => Err(err),
            _ => Ok(()),
        }
    }

    async fn write_loop(&self) {
        let writes = self.writes.get_value();
        let this = *self;
        writes
            .run(&mut || {
                let writes = writes.clone();
                Box::pin(async move {
                    let sent = this.report.get_untracked();
                    let base = this.base.get_value();
                    match reports::save(&base, &sent, now()).await {
                        Ok(written) => {
                            // Edits made while the write was in flight stay; the rest is what
                            // was written.
                            let current = this.report.get_untracked();
                            let next = if current == sent {
                                written.clone()
                            } else {
                                merge(&sent, &current, &written)
                            };
                            this.base.set_value(written.clone());
                            this.report.set(next);
                            announce(&written);
                            if !writes.asked_again() {
                                this.state.set(SaveState::Saved(written.saved_at));
                            }
                            true
                        }
                        Err(err) => {
                            // The last good version stays in storage; the edit stays on screen.
                            this.state.set(SaveState::Failed(err));
                            false
                        }
                    }
                })
            })
            .await;
    }

    /// Listens for other tabs' saves of this report while the form is open: the channel is
    /// closed when the component that opened the form is gone (`Listening`'s drop).
    fn listen_to_other_tabs(&self) {
        let Ok(channel) = web_sys::BroadcastChannel::new(CHANNEL_NAME) else {
            return;
        };
        let this = *self;
        let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(
            move |event: web_sys::MessageEvent| {
                let Some(id) = event.data().as_string() else {
                    return;
                };
                if this.report.try_with_untracked(|r| r.id == id) != Some(true) {
                    return;
                }
                leptos::task::spawn_local(async move { this.adopt_stored().await });
            },
        );
        channel.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        StoredValue::new_local(Listening {
            channel,
            _on_message: on_message,
        });
    }

    /// Takes in what another tab saved, keeping this tab's unsaved edits.
    async fn adopt_stored(&self) {
        let id = self.report.with_untracked(|r| r.id.clone());
        let Ok(Some(stored)) = reports::load(&id).await else {
            return;
        };
        let base = self.base.get_value();
        if stored.revision <= base.revision {
            return;
        }
        let current = self.report.get_untracked();
        self.base.set_value(stored.clone());
        self.report.set(merge(&base, &current, &stored));
    }
}

/// An open form's channel to the other tabs; closed when the form's owner is disposed.
struct Listening {
    channel: web_sys::BroadcastChannel,
    _on_message: Closure<dyn FnMut(web_sys::MessageEvent)>,
}

impl Drop for Listening {
    fn drop(&mut self) {
        self.channel.set_onmessage(None);
        self.channel.close();
    }
}

fn announce(report: &Report) {
    if let Ok(channel) = web_sys::BroadcastChannel::new(CHANNEL_NAME) {
        let _ = channel.post_message(&report.id.clone().into());
        channel.close();
    }
}
