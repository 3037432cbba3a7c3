//! "Wat voor agressie is het?": the matching effective responses at hand during a flow. The
//! choice is handed to the flow's log (`on_choose`), which carries it into the report.

use leptos::prelude::*;
use veilig_core::protocol::KindId;

use super::text_list::TextList;
use crate::state::{use_protocol, use_texts};

#[component]
pub fn Guidance(on_choose: Callback<KindId>) -> impl IntoView {
    let t = use_texts();
    let p = use_protocol();
    let shown = RwSignal::new(None::<KindId>);
    let choose = move |kind: KindId| {
        let open = shown.get_untracked() != Some(kind);
        shown.set(open.then_some(kind));
        if open {
            on_choose.run(kind);
        }
    };
    let button = move |kind: KindId, label: fn(&'static crate::i18n::Texts) -> &'static str| {
        view! {
            <button
                type="button"
                class="btn btn-secondary"
                aria-pressed=move || (shown.get() == Some(kind)).to_string()
                on:click=move |_| choose(kind)
            >
                {move || label(t())}
            </button>
        }
    };
    view! {
        <section class="guidance" aria-label=move || t().guidance_question>
            <p class="guidance-q">{move || t().guidance_question}</p>
            <div class="btn-row">
                {button(KindId::Frustratie, |t| t.frustration)}
                {button(KindId::Instrumenteel, |t| t.instrumental)}
            </div>
            {move || {
                shown.get().and_then(|kind| p().kinds.iter().find(|k| k.id == kind)).map(|k| {
                    view! {
                        <div class="panel">
                            <h2>{k.title.clone()}</h2>
                            <p class="muted">{k.definition.clone()}</p>
                            <p>{k.key_point.clone()}</p>
                            <h3>{k.responses_title.clone()}</h3>
                            <TextList items=k.responses.clone()/>
                        </div>
                    }
                })
            }}
        </section>
    }
}
