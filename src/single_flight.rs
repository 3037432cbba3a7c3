//! One run at a time, and a request that comes during a run makes it go round once more (so
//! the latest state is always handled, and runs never overlap). Written once for the form's
//! autosave (`drafts.rs`) and the outbox's sender (`sync.rs`).

use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

/// One round of a run; false ends the run. Boxed, so that the loop exists once in the wasm.
pub type Round<'a> = Pin<Box<dyn Future<Output = bool> + 'a>>;

#[derive(Clone, Default)]
pub struct SingleFlight {
    busy: Rc<Cell<bool>>,
    again: Rc<Cell<bool>>,
}

impl SingleFlight {
    /// Asks for a run. True when none is running and the caller should start one with
    /// [`SingleFlight::run`]; otherwise the running one goes round again.
    pub fn ask(&self) -> bool {
        self.again.set(true);
        !self.busy.get()
    }

    /// Whether a request came in since the current round started.
    pub fn asked_again(&self) -> bool {
        self.again.get()
    }

    /// Runs `round` as long as requests keep coming; a round that returns false ends the run.
    /// Returns at once when a run is already going (that run handles the request).
    pub async fn run(&self, round: &mut dyn FnMut() -> Round<'static>) {
        if self.busy.replace(true) {
            return;
        }
        while self.again.replace(false) {
            if !round().await {
                break;
            }
        }
        self.busy.set(false);
    }
}
