//! The beheerder's page "Organisatie": the organisation's settings (name, address, phone
//! numbers, the aftercare windows) and, per team, the manager's phone number that the team's
//! devices call. The same checks as the server (core's `Organisation::problem`,
//! `phone_problem`) run before anything is sent; a refusal names the field.

use leptos::prelude::*;
use veilig_core::aftercare::Windows;
use veilig_core::organisation::{phone_problem, Organisation};

use crate::api;
use crate::i18n::{lang, tx};

#[derive(serde::Deserialize, Clone)]
struct Team {
    id: String,
    name: String,
    #[serde(default)]
    manager_phone: String,
}

/// Where a message belongs: the field the server or core named.
fn field_of(name: &str) -> &str {
    name.split(['.', '[']).next().unwrap_or(name)
}

#[component]
pub fn OrganisationPage() -> impl IntoView {
    let lang = lang();
    let loaded = RwSignal::new(None::<Result<(), String>>);
    let name = RwSignal::new(String::new());
    let kind = RwSignal::new(String::new());
    let address = RwSignal::new(String::new());
    let office_phone = RwSignal::new(String::new());
    let police_phone = RwSignal::new(String::new());
    let w = Windows::default();
    let windows: [(&'static str, [&'static str; 2], RwSignal<String>); 7] = [
        (
            "at_once_hours",
            [
                "Eerste opvang en wat direct moet: binnen (uren)",
                "First care and what must happen at once: within (hours)",
            ],
            RwSignal::new(w.at_once_hours.to_string()),
        ),
        (
            "second_from_days",
            ["Tweede gesprek: vanaf dag", "Second conversation: from day"],
            RwSignal::new(w.second_from_days.to_string()),
        ),
        (
            "second_to_days",
            [
                "Tweede gesprek: tot en met dag",
                "Second conversation: until day",
            ],
            RwSignal::new(w.second_to_days.to_string()),
        ),
        (
            "third_from_days",
            ["Derde gesprek: vanaf dag", "Third conversation: from day"],
            RwSignal::new(w.third_from_days.to_string()),
        ),
        (
            "third_to_days",
            [
                "Derde gesprek: tot en met dag",
                "Third conversation: until day",
            ],
            RwSignal::new(w.third_to_days.to_string()),
        ),
        (
            "team_meeting_days",
            ["Werkoverleg: binnen (dagen)", "Team meeting: within (days)"],
            RwSignal::new(w.team_meeting_days.to_string()),
        ),
        (
            "po_days",
            [
                "P&O: personeelsdossier en Arbodienst binnen (dagen)",
                "P&O: personnel file and occupational health within (days)",
            ],
            RwSignal::new(w.po_days.to_string()),
        ),
    ];
    let set_all = move |o: Organisation| {
        name.set(o.name);
        kind.set(o.kind);
        address.set(o.address);
        office_phone.set(o.office_phone);
        police_phone.set(o.police_phone);
        let v = [
            o.windows.at_once_hours,
            o.windows.second_from_days,
            o.windows.second_to_days,
            o.windows.third_from_days,
            o.windows.third_to_days,
            o.windows.team_meeting_days,
            o.windows.po_days,
        ];
        for ((_, _, s), n) in windows.iter().zip(v) {
            s.set(n.to_string());
        }
    };
    let problem = RwSignal::new(None::<(String, String)>);
    let saved = RwSignal::new(false);
    let teams = RwSignal::new(Vec::<Team>::new());

    let l = lang.get_untracked();
    leptos::task::spawn_local(async move {
        match api::get("/api/v1/organisation").await {
            Ok(a) if a.ok() => match a.json::<Organisation>() {
                Some(o) => {
                    set_all(o);
                    loaded.set(Some(Ok(())));
                }
                None => loaded.set(Some(Err([
                    "De instellingen konden niet worden gelezen.",
                    "The settings could not be read.",
                ][l]
                    .into()))),
            },
            Ok(a) => loaded.set(Some(Err(format!(
                "{} (HTTP {})",
                [
                    "De instellingen konden niet worden opgehaald",
                    "The settings could not be fetched"
                ][l],
                a.status
            )))),
            Err(_) => loaded.set(Some(Err([
                "Geen verbinding met de server.",
                "No connection to the server.",
            ][l]
                .into()))),
        }
        if let Ok(a) = api::get("/api/v1/teams").await {
            if let Some(list) = a.json::<Vec<Team>>().filter(|_| a.ok()) {
                teams.set(list);
            }
        }
    });

    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let l = lang.get_untracked();
        saved.set(false);
        let number = |i: usize| windows[i].2.get_untracked().trim().parse::<u32>();
        let mut values = [0u32; 7];
        for (i, v) in values.iter_mut().enumerate() {
            match number(i) {
                Ok(n) => *v = n,
                Err(_) => {
                    problem.set(Some((
                        windows[i].0.into(),
                        ["Vul een heel getal in.", "Fill in a whole number."][l].into(),
                    )));
                    return;
                }
            }
        }
        let org = Organisation {
            name: name.get_untracked(),
            kind: kind.get_untracked(),
            address: address.get_untracked(),
            office_phone: office_phone.get_untracked(),
            police_phone: police_phone.get_untracked(),
            windows: Windows {
                at_once_hours: values[0],
                second_from_days: values[1],
                second_to_days: values[2],
                third_from_days: values[3],
                third_to_days: values[4],
                team_meeting_days: values[5],
                po_days: values[6],
            },
        };
        if let Some((field, why)) = org.problem() {
            problem.set(Some((field.into(), why[l].into())));
            return;
        }
        problem.set(None);
        let Ok(body) = serde_json::to_string(&org) else {
            return;
        };
        leptos::task::spawn_local(async move {
            match api::send("PUT", "/api/v1/organisation", &body).await {
                Ok(a) if a.ok() => saved.set(true),
                Ok(a) => {
                    let e = a.error();
                    let field = e.as_ref().and_then(|e| e.field.clone()).unwrap_or_default();
                    let message = e
                        .map(|e| e.message)
                        .unwrap_or_else(|| format!("HTTP {}", a.status));
                    problem.set(Some((field_of(&field).to_owned(), message)));
                }
                Err(_) => problem.set(Some((
                    String::new(),
                    [
                        "Geen verbinding: niets opgeslagen.",
                        "No connection: nothing saved.",
                    ][l]
                        .into(),
                ))),
            }
        });
    };

    // The message next to the field it is about (or above the button when it names none).
    let message_for = move |field: &'static str| {
        move || {
            problem
                .get()
                .filter(|(f, _)| {
                    // A window's own key (`second_to_days`) is shown with the windows.
                    let window = f.ends_with("_days") || f.ends_with("_hours");
                    f == field || (field == "windows" && window)
                })
                .map(|(_, m)| {
                    view! { <p class="error" role="alert">{m}</p> }
                })
        }
    };
    let text_field = move |key: &'static str,
                           label: [&'static str; 2],
                           value: RwSignal<String>,
                           kind_: &'static str| {
        let id = format!("org-{key}");
        view! {
            <div class="field">
                <label for=id.clone()>{move || label[lang.get()]}</label>
                <input id=id type=kind_ bind:value=value/>
                {message_for(key)}
            </div>
        }
    };

    view! {
        <h1>{tx("Organisatie", "Organisation")}</h1>
        {move || match loaded.get() {
            None => view! { <p class="muted">{tx("Laden…", "Loading…")}</p> }.into_any(),
            Some(Err(e)) => view! { <p class="error" role="alert">{e}</p> }.into_any(),
            Some(Ok(())) => ().into_any(),
        }}
        <form class="settings" on:submit=save>
            {text_field("name", ["Naam van de organisatie", "Name of the organisation"], name, "text")}
            {text_field("kind", ["Soort organisatie (zoals in het protocol: corporatie)", "Kind of organisation (as the protocol says: corporatie)"], kind, "text")}
            {text_field("address", ["Adres (dit adres krijgt de politie, niet het adres van de medewerker)", "Address (given to the police instead of the employee's own)"], address, "text")}
            {text_field("office_phone", ["Telefoon kantoor", "Office phone"], office_phone, "tel")}
            {text_field("police_phone", ["Politie, geen spoed", "Police, non-emergency"], police_phone, "tel")}
            <fieldset>
                <legend>{tx("Termijnen van de nazorg", "Aftercare windows")}</legend>
                {windows.into_iter().map(|(key, label, value)| {
                    let id = format!("org-{key}");
                    view! {
                        <div class="field">
                            <label for=id.clone()>{move || label[lang.get()]}</label>
                            <input id=id type="number" min="0" inputmode="numeric" bind:value=value/>
                        </div>
                    }
                }).collect_view()}
                {message_for("windows")}
            </fieldset>
            {move || problem.get().filter(|(f, _)| f.is_empty()).map(|(_, m)| view! { <p class="error" role="alert">{m}</p> })}
            <Show when=move || saved.get()>
                <p class="ok" role="status">{tx("Opgeslagen.", "Saved.")}</p>
            </Show>
            <button type="submit" class="primary">{tx("Opslaan", "Save")}</button>
        </form>
        <section aria-labelledby="teams">
            <h2 id="teams">{tx("Telefoon van de leidinggevende per team", "Manager's phone per team")}</h2>
            <p class="help">{tx("De apparaten van het team bellen dit nummer.", "The team's devices call this number.")}</p>
            {move || teams.get().into_iter().map(|t| view! { <TeamPhone team=t/> }).collect_view()}
        </section>
    }
}

#[component]
fn TeamPhone(team: Team) -> impl IntoView {
    let lang = lang();
    let phone = RwSignal::new(team.manager_phone.clone());
    let message = RwSignal::new(None::<(bool, String)>);
    let id = format!("phone-{}", team.id);
    let path = format!("/api/v1/teams/{}/phone", team.id);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let l = lang.get_untracked();
        let number = phone.get_untracked();
        if let Some(why) = phone_problem(&number) {
            message.set(Some((false, why[l].into())));
            return;
        }
        let body = serde_json::json!({ "manager_phone": number }).to_string();
        let path = path.clone();
        leptos::task::spawn_local(async move {
            message.set(Some(match api::send("PUT", &path, &body).await {
                Ok(a) if a.ok() => (true, ["Opgeslagen.", "Saved."][l].into()),
                Ok(a) => (
                    false,
                    a.error()
                        .map(|e| e.message)
                        .unwrap_or_else(|| format!("HTTP {}", a.status)),
                ),
                Err(_) => (
                    false,
                    [
                        "Geen verbinding: niets opgeslagen.",
                        "No connection: nothing saved.",
                    ][l]
                        .into(),
                ),
            }));
        });
    };
    view! {
        <form class="team-phone" on:submit=save>
            <label for=id.clone()>{team.name}</label>
            <input id=id type="tel" bind:value=phone/>
            <button type="submit">{tx("Opslaan", "Save")}</button>
            {move || message.get().map(|(ok, m)| view! { <span class:ok=ok class:error=!ok role="status">{m}</span> })}
        </form>
    }
}
