//! Settings: the personal choices (language, removal after delivery), the organisation's
//! name and numbers (read-only once the organisation's arrived from the server; until then the
//! ones typed on this device), the device's link and its storage.

use leptos::prelude::*;
use veilig_core::route::Route;
use veilig_core::settings::{tel_href, Settings};
use veilig_core::Locale;

use crate::state::{use_app, use_texts};

#[component]
pub fn SettingsPage() -> impl IntoView {
    let app = use_app();
    let t = use_texts();
    let sync = crate::sync::use_sync();
    let device = crate::storage::load_device();
    // "since": the enrollment's local date when the server's time reads as one.
    let since = device.as_ref().map(|d| {
        veilig_core::time::parse_utc(&d.enrolled_at)
            .map(crate::clock::local_moment)
            .unwrap_or_else(|| d.enrolled_at.clone())
    });
    let linked = device.is_some();
    let team = device.map(|d| match d.person {
        Some(person) => format!("{} ({person})", d.team),
        None => d.team,
    });
    let phone = move |id: &'static str,
                      label: fn(&'static crate::i18n::Texts) -> &'static str,
                      get: fn(&Settings) -> String,
                      set: fn(&mut Settings, String)| {
        let value = RwSignal::new(app.settings.with_untracked(get));
        let valid = move || value.with(|v| v.trim().is_empty() || tel_href(v).is_some());
        let saved = RwSignal::new(false);
        let error_id = format!("{id}-error");
        view! {
            <div class="field">
                <label for=id>{move || label(t())}</label>
                <input
                    id=id
                    type="tel"
                    inputmode="tel"
                    autocomplete="off"
                    prop:value=move || value.get()
                    aria-invalid=move || (!valid()).to_string()
                    aria-describedby=error_id.clone()
                    on:input=move |ev| {
                        let v = event_target_value(&ev);
                        value.set(v.clone());
                        saved.set(false);
                        if tel_href(&v).is_some() || v.trim().is_empty() {
                            saved.set(app.update_settings(|s| set(s, v)));
                        }
                    }
                />
                <p id=error_id class="field-error" aria-live="polite">
                    {move || (!valid()).then(|| t().invalid_number)}
                </p>
                <Show when=move || saved.get()>
                    <p class="field-ok">{move || t().saved}</p>
                </Show>
            </div>
        }
    };
    // A name as it should appear in the protocol text; blank means the protocol's own word.
    let text = move |id: &'static str,
                     label: fn(&'static crate::i18n::Texts) -> &'static str,
                     get: fn(&Settings) -> String,
                     set: fn(&mut Settings, String)| {
        let saved = RwSignal::new(false);
        view! {
            <div class="field">
                <label for=id>{move || label(t())}</label>
                <input
                    id=id
                    type="text"
                    autocomplete="organization"
                    maxlength="80"
                    prop:value=app.settings.with_untracked(get)
                    on:input=move |ev| {
                        let v = event_target_value(&ev);
                        saved.set(app.update_settings(|s| set(s, v)));
                    }
                />
                <Show when=move || saved.get()>
                    <p class="field-ok">{move || t().saved}</p>
                </Show>
            </div>
        }
    };
    // Set by the beheerder on the server: shown, not editable here. Markup in one string
    // (`html.rs`): a `view!` per element costs the first load.
    let from_organisation = move || {
        let t = t();
        let Some(org) = app.received.get() else {
            return String::new();
        };
        let mut h = crate::html::Html::default();
        h.el("legend", &[], t.settings_organisation)
            .el("p", &[("class", "muted")], t.set_by_organisation)
            .open("dl", &[]);
        for (label, value) in [
            (t.organisation_name, &org.name),
            (t.organisation_kind, &org.kind),
            (t.organisation_address, &org.address),
            (t.manager_phone, &org.manager_phone),
            (t.office_phone, &org.office_phone),
            (t.police_phone, &org.police_phone),
        ] {
            h.el("dt", &[], label)
                .el("dd", &[], if value.is_empty() { t.to_fill } else { value });
        }
        h.close("dl");
        h.0
    };
    // The fields typed on this device, until the organisation's arrive (hidden, not removed:
    // their values stay stored as they were).
    let own = move || app.received.with(Option::is_some);
    let language = move |locale: Locale, label: &'static str| {
        view! {
            <label class="radio">
                <input
                    type="radio"
                    name="lang"
                    prop:checked=move || app.locale() == locale
                    on:change=move |_| { app.update_settings(|s| s.locale = locale); }
                />
                {label}
            </label>
        }
    };
    view! {
        <article class="settings">
            <h1>{move || t().settings_title}</h1>
            <fieldset>
                <legend>{move || t().language}</legend>
                {language(Locale::Nl, "Nederlands")}
                {language(Locale::En, "English")}
            </fieldset>
            <fieldset class="org" hidden=move || !own() inner_html=from_organisation></fieldset>
            <fieldset hidden=own>
                <legend>{move || t().settings_numbers}</legend>
                <p class="muted">{move || t().settings_numbers_hint}</p>
                {phone("manager-phone", |t| t.manager_phone, |s| s.manager_phone.clone(), |s, v| s.manager_phone = v)}
                {phone("office-phone", |t| t.office_phone, |s| s.office_phone.clone(), |s, v| s.office_phone = v)}
                {phone("police-phone", |t| t.police_phone, |s| s.police_phone.clone(), |s, v| s.police_phone = v)}
            </fieldset>
            <fieldset hidden=own>
                <legend>{move || t().settings_organisation}</legend>
                <p class="muted">{move || t().settings_organisation_hint}</p>
                {text("organisation", |t| t.organisation_name, |s| s.organisation.clone(), |s, v| s.organisation = v)}
                {text("organisation-kind", |t| t.organisation_kind, |s| s.organisation_kind.clone(), |s, v| s.organisation_kind = v)}
            </fieldset>
            <fieldset>
                <legend>{move || t().delivery_title}</legend>
                <label class="check-inline">
                    <input
                        type="checkbox"
                        prop:checked=move || app.settings.with(|s| s.remove_after_delivery)
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            app.update_settings(|s| s.remove_after_delivery = on);
                        }
                    />
                    {move || t().remove_after_delivery}
                </label>
            </fieldset>
            <fieldset>
                <legend>{move || t().device_title}</legend>
                <p class="device-status">
                    {move || match (sync.held(), &team, &since) {
                        // What the server said last stands over what was stored at enrollment.
                        (Some(hold), ..) => t().held(hold).to_owned(),
                        (None, Some(team), Some(since)) => (t().device_linked)(team, since),
                        _ => t().device_not_linked.to_owned(),
                    }}
                </p>
                <a href=const { Route::Enroll.static_path() }>
                    {move || if linked { t().enroll_again } else { t().enroll_title }}
                </a>
            </fieldset>
            <fieldset>
                <legend>{move || t().storage_title}</legend>
                {crate::storage::safari_needs_home_screen().then(|| view! { <p class="notice notice-strong">{move || t().ios_hint}</p> })}
                <p class="storage-status">
                    {move || match app.persisted.get() {
                        Some(true) => t().storage_persisted,
                        Some(false) => t().storage_not_persisted,
                        None => t().storage_unknown,
                    }}
                </p>
            </fieldset>
        </article>
    }
}
