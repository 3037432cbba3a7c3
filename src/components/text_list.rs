//! A list of protocol sentences.

use leptos::prelude::*;

#[component]
pub fn TextList(items: Vec<String>, #[prop(optional)] ordered: bool) -> impl IntoView {
    let rows = items
        .into_iter()
        .map(|item| view! { <li>{item}</li> })
        .collect_view();
    if ordered {
        view! { <ol class="textlist">{rows}</ol> }.into_any()
    } else {
        view! { <ul class="textlist">{rows}</ul> }.into_any()
    }
}
