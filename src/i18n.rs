//! The interface's own words (the protocol's words live in `core/content`). One struct per
//! language, so a missing translation is a compile error rather than a blank button.

use veilig_core::Locale;

pub struct Texts {
    pub app_name: &'static str,
    pub tagline: &'static str,
    pub skip_to_content: &'static str,
    pub nav_label: &'static str,
    pub nav_home: &'static str,
    pub nav_reference: &'static str,
    pub nav_card: &'static str,
    pub nav_settings: &'static str,
    pub call_112: &'static str,
    pub call_112_label: &'static str,
    pub language_switch: &'static str,
    pub language_switch_label: &'static str,

    pub home_title: &'static str,
    pub home_lead: &'static str,
    pub flow_office: &'static str,
    pub flow_home_visit: &'static str,
    pub flow_phone: &'static str,
    pub flow_extreme: &'static str,
    pub home_more: &'static str,

    pub general_points: &'static str,
    pub close: &'static str,
    pub back: &'static str,
    pub restart: &'static str,
    pub restart_confirm: &'static str,
    pub step: &'static str,
    pub guidance_question: &'static str,
    pub frustration: &'static str,
    pub instrumental: &'static str,
    pub requests_made: fn(usize) -> String,
    pub request_again: &'static str,
    pub request_nth: fn(usize) -> String,
    pub opens_after: fn(u8) -> String,
    pub police_next: &'static str,
    pub what_follows: &'static str,
    pub police_involved: &'static str,
    pub run_log: &'static str,
    pub run_started: &'static str,
    pub undone: &'static str,
    pub request_logged: &'static str,
    pub new_run: &'static str,
    pub read_sanctions: &'static str,
    pub register_every_incident: &'static str,
    pub flow_not_found: &'static str,
    pub before_you_start: &'static str,

    pub call_manager: &'static str,
    pub call_office: &'static str,
    pub call_police: &'static str,
    pub no_number: &'static str,

    pub extreme_lead: &'static str,
    pub checked_at: &'static str,

    pub reference_title: &'static str,
    pub search_label: &'static str,
    pub search_placeholder: &'static str,
    pub search_none: &'static str,
    pub search_results: fn(usize) -> String,
    pub contents: &'static str,
    pub procedures: &'static str,

    pub card_title: &'static str,
    pub card_numbers: &'static str,
    pub print: &'static str,

    pub settings_title: &'static str,
    pub settings_numbers: &'static str,
    pub settings_numbers_hint: &'static str,
    pub manager_phone: &'static str,
    pub office_phone: &'static str,
    pub language: &'static str,
    pub saved: &'static str,
    pub invalid_number: &'static str,
    pub storage_error: &'static str,

    pub not_found_title: &'static str,
    pub not_found_body: &'static str,
    pub translation_badge: &'static str,
}

pub static NL: Texts = Texts {
    app_name: "Veilig",
    tagline: "Agressieprotocol",
    skip_to_content: "Naar de inhoud",
    nav_label: "Hoofdmenu",
    nav_home: "Start",
    nav_reference: "Naslag",
    nav_card: "Kaart",
    nav_settings: "Instellingen",
    call_112: "112",
    call_112_label: "Bel 112 (politie, ambulance, brandweer)",
    language_switch: "EN",
    language_switch_label: "Switch to English",

    home_title: "Wat gebeurt er?",
    home_lead: "Kies waar je bent. Je krijgt steeds één stap.",
    flow_office: "Op kantoor",
    flow_home_visit: "Huisbezoek",
    flow_phone: "Telefoon",
    flow_extreme: "Extreem incident",
    home_more: "Meer",

    general_points: "Algemene aandachtspunten",
    close: "Sluiten",
    back: "Terug",
    restart: "Opnieuw beginnen",
    restart_confirm: "Deze doorloop afsluiten en opnieuw beginnen? Het verslag blijft bewaard.",
    step: "Stap",
    guidance_question: "Frustratie of instrumenteel?",
    frustration: "Frustratie",
    instrumental: "Instrumenteel",
    requests_made: |n| match n {
        0 => "Nog geen verzoek gedaan".to_owned(),
        1 => "1 verzoek gedaan".to_owned(),
        n => format!("{n} verzoeken gedaan"),
    },
    request_again: "Verzoek gedaan",
    request_nth: |n| format!("{n}e verzoek"),
    opens_after: |n| format!("Kan na {n} verzoeken"),
    police_next: "Na het derde verzoek: leidinggevende en zo nodig politie.",
    what_follows: "Wat volgt",
    police_involved: "Politie ingeschakeld",
    run_log: "Verloop",
    run_started: "Gestart",
    undone: "Teruggezet",
    request_logged: "Verzoek om het pand te verlaten",
    new_run: "Nieuwe doorloop",
    read_sanctions: "Lees over sancties",
    register_every_incident: "Ieder voorval registreren",
    flow_not_found: "Deze procedure bestaat niet.",
    before_you_start: "Vooraf",

    call_manager: "Bel leidinggevende",
    call_office: "Bel kantoor",
    call_police: "Bel 112",
    no_number: "Nummer nog niet ingesteld (Instellingen)",

    extreme_lead: "Bel 112 als dat kan. Vink af wat gedaan is; de tijd wordt bewaard.",
    checked_at: "gedaan om",

    reference_title: "Naslag",
    search_label: "Zoeken in het protocol",
    search_placeholder: "bijv. politie, sancties, beëindig",
    search_none: "Niets gevonden.",
    search_results: |n| {
        if n == 1 {
            "1 resultaat".to_owned()
        } else {
            format!("{n} resultaten")
        }
    },
    contents: "Inhoud",
    procedures: "Procedures",

    card_title: "Kaart receptie: agressie op kantoor",
    card_numbers: "Noodnummers",
    print: "Afdrukken",

    settings_title: "Instellingen",
    settings_numbers: "Telefoonnummers van de organisatie",
    settings_numbers_hint:
        "Voor de belknoppen in de procedures en op de kaart. Alleen op dit apparaat bewaard.",
    manager_phone: "Leidinggevende",
    office_phone: "Kantoor (receptie, balie)",
    language: "Taal",
    saved: "Opgeslagen",
    invalid_number: "Dit is geen telefoonnummer. Gebruik cijfers, eventueel met + ervoor.",
    storage_error: "Opslaan op dit apparaat lukt niet. Wat je eerder opsloeg, is nog intact.",

    not_found_title: "Pagina niet gevonden",
    not_found_body: "Deze pagina bestaat niet. Ga terug naar het begin.",
    translation_badge: "",
};

pub static EN: Texts = Texts {
    app_name: "Veilig",
    tagline: "Aggression protocol",
    skip_to_content: "Skip to content",
    nav_label: "Main menu",
    nav_home: "Start",
    nav_reference: "Reference",
    nav_card: "Card",
    nav_settings: "Settings",
    call_112: "112",
    call_112_label: "Call 112 (police, ambulance, fire brigade)",
    language_switch: "NL",
    language_switch_label: "Naar Nederlands",

    home_title: "What is happening?",
    home_lead: "Choose where you are. You get one step at a time.",
    flow_office: "At the office",
    flow_home_visit: "Home visit",
    flow_phone: "Phone",
    flow_extreme: "Extreme incident",
    home_more: "More",

    general_points: "General points of attention",
    close: "Close",
    back: "Back",
    restart: "Start again",
    restart_confirm: "Close this run and start again? Its log is kept.",
    step: "Step",
    guidance_question: "Frustration or instrumental?",
    frustration: "Frustration",
    instrumental: "Instrumental",
    requests_made: |n| match n {
        0 => "No request made yet".to_owned(),
        1 => "1 request made".to_owned(),
        n => format!("{n} requests made"),
    },
    request_again: "Request made",
    request_nth: |n| match n {
        1 => "1st request".to_owned(),
        2 => "2nd request".to_owned(),
        3 => "3rd request".to_owned(),
        n => format!("{n}th request"),
    },
    opens_after: |n| format!("Possible after {n} requests"),
    police_next: "After the third request: the manager and, if needed, the police.",
    what_follows: "What follows",
    police_involved: "Police called in",
    run_log: "Log",
    run_started: "Started",
    undone: "Undone",
    request_logged: "Request to leave the building",
    new_run: "New run",
    read_sanctions: "Read about sanctions",
    register_every_incident: "Register every incident",
    flow_not_found: "This procedure does not exist.",
    before_you_start: "Before you start",

    call_manager: "Call manager",
    call_office: "Call office",
    call_police: "Call 112",
    no_number: "Number not set yet (Settings)",

    extreme_lead: "Call 112 if you can. Tick what is done; the time is kept.",
    checked_at: "done at",

    reference_title: "Reference",
    search_label: "Search the protocol",
    search_placeholder: "e.g. police, sanctions, leave",
    search_none: "Nothing found.",
    search_results: |n| {
        if n == 1 {
            "1 result".to_owned()
        } else {
            format!("{n} results")
        }
    },
    contents: "Contents",
    procedures: "Procedures",

    card_title: "Reception card: aggression at the office",
    card_numbers: "Emergency numbers",
    print: "Print",

    settings_title: "Settings",
    settings_numbers: "The organisation's phone numbers",
    settings_numbers_hint:
        "For the call buttons in the procedures and on the card. Kept on this device only.",
    manager_phone: "Manager",
    office_phone: "Office (reception, front desk)",
    language: "Language",
    saved: "Saved",
    invalid_number: "This is not a phone number. Use digits, optionally starting with +.",
    storage_error: "Saving on this device failed. What you saved before is still intact.",

    not_found_title: "Page not found",
    not_found_body: "This page does not exist. Go back to the start.",
    translation_badge: "Translation",
};

pub fn texts(locale: Locale) -> &'static Texts {
    match locale {
        Locale::Nl => &NL,
        Locale::En => &EN,
    }
}
