//! A point ticked off with its time: a checkbox, its text, and "(gedaan om 14:05:09)" once the
//! tick is stored. Used for a step's actions (flow page) and the extreme checklist.

use chrono::{DateTime, Utc};
use leptos::prelude::*;

use crate::clock::local_time;
use crate::state::use_texts;

/// The checkbox and its label; the caller wraps them (`li`, `div`) and adds what belongs beside.
pub fn tick(
    id: String,
    text: String,
    done_at: Memo<Option<DateTime<Utc>>>,
    disabled: impl Fn() -> bool + Send + Sync + 'static,
    on_toggle: impl Fn() + 'static,
) -> impl IntoView {
    let t = use_texts();
    view! {
        <input
            type="checkbox"
            id=id.clone()
            prop:checked=move || done_at.get().is_some()
            disabled=disabled
            on:change=move |_| on_toggle()
        />
        <label for=id>
            {text}
            {move || done_at.get().map(|at| view! {
                <small class="done-at">{format!(" ({} {})", t().checked_at, local_time(at))}</small>
            })}
        </label>
    }
}
