//! The registration form (agressieregistratieformulier), declared once. This table drives the
//! form in the browser, validation in the browser and on the server, and export labels.
//! Source: `shared/design/registration-form.md`.

/// Dutch first, English second.
pub type Label = [&'static str; 2];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Melder,
    Incident,
    Betrokkenen,
    Dader,
    Gevolgen,
    Politie,
    Opvang,
    Afronding,
}

impl Section {
    pub const ALL: [Section; 8] = [
        Section::Melder,
        Section::Incident,
        Section::Betrokkenen,
        Section::Dader,
        Section::Gevolgen,
        Section::Politie,
        Section::Opvang,
        Section::Afronding,
    ];

    pub fn label(self) -> Label {
        match self {
            Section::Melder => ["Melder", "Reporter"],
            Section::Incident => ["Incident", "Incident"],
            Section::Betrokkenen => ["Betrokkenen", "People involved"],
            Section::Dader => ["Dader", "Aggressor"],
            Section::Gevolgen => ["Gevolgen", "Consequences"],
            Section::Politie => ["Politie", "Police"],
            Section::Opvang => ["Opvang", "Support"],
            Section::Afronding => ["Afronding", "Completion"],
        }
    }

    pub fn slug(self) -> &'static str {
        match self {
            Section::Melder => "melder",
            Section::Incident => "incident",
            Section::Betrokkenen => "betrokkenen",
            Section::Dader => "dader",
            Section::Gevolgen => "gevolgen",
            Section::Politie => "politie",
            Section::Opvang => "opvang",
            Section::Afronding => "afronding",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Choice {
    pub key: &'static str,
    pub label: Label,
}

/// A condition for `FieldSpec::when`.
const fn on(field: &'static str, any_of: &'static [&'static str]) -> When {
    When { field, any_of }
}

const fn c(key: &'static str, nl: &'static str, en: &'static str) -> Choice {
    Choice {
        key,
        label: [nl, en],
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    Text,
    LongText,
    Choice(&'static [Choice]),
    Multi(&'static [Choice]),
    /// A local date and time as typed in `<input type="datetime-local">`: `2026-11-30T14:05`.
    DateTime,
    /// A whole number or amount within bounds.
    Number {
        min: u32,
        max: u32,
    },
    /// People with a name and a detail (function; internal/external and how to reach).
    Persons,
    /// A confirmation given by ticking. Its value is the moment it was given, as the app
    /// writes it (RFC 3339 UTC, `2026-11-30T13:05:00Z`), never a bare "ja": the report records
    /// when the content was confirmed. Who confirmed is the field `by` (a text field declared
    /// before it, prefilled from the reporter's name).
    Confirm {
        by: &'static str,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Req {
    /// Must be filled to finalize (when the field applies).
    Required,
    Optional,
}

/// One condition: another (earlier, choice) field has one of these values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct When {
    pub field: &'static str,
    pub any_of: &'static [&'static str],
}

/// The one option of a multiple choice that says "none of the others": it cannot be ticked
/// together with another option (`validate` refuses that), so that a blank is never read as
/// "none" and "none" is always a choice someone made.
pub const NONE_OF_THESE: &str = "geen";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldSpec {
    pub key: &'static str,
    pub section: Section,
    pub label: Label,
    pub help: Option<Label>,
    pub kind: FieldKind,
    pub req: Req,
    /// The field applies when this list is empty or when ANY of its conditions holds (and the
    /// field it names applies itself). `validate::applies` is the one function that decides.
    pub when: &'static [When],
    /// A tighter limit than `limits::MAX_TEXT` for a short text (characters).
    pub max_chars: Option<usize>,
    /// Health, criminal-offence or behaviour data of a named person: never logged, shown and
    /// exported only to roles that need it.
    pub sensitive: bool,
}

const fn f(
    key: &'static str,
    section: Section,
    label: Label,
    kind: FieldKind,
    req: Req,
) -> FieldSpec {
    FieldSpec {
        key,
        section,
        label,
        help: None,
        kind,
        req,
        when: &[],
        max_chars: None,
        sensitive: false,
    }
}

impl FieldSpec {
    const fn help(mut self, help: Label) -> Self {
        self.help = Some(help);
        self
    }
    /// Applies when any of these conditions holds: `.when(&[on("soort", &["fysiek"])])`.
    const fn when(mut self, any: &'static [When]) -> Self {
        self.when = any;
        self
    }
    const fn max_chars(mut self, max: usize) -> Self {
        self.max_chars = Some(max);
        self
    }
    const fn sensitive(mut self) -> Self {
        self.sensitive = true;
        self
    }
}

pub const REPORTER_ROLES: &[Choice] = &[
    c("slachtoffer", "Slachtoffer", "Victim"),
    c("getuige", "Getuige", "Witness"),
    c(
        "leidinggevende",
        "Leidinggevende namens medewerker",
        "Manager on behalf of the employee",
    ),
];

pub const SITUATIONS: &[Choice] = &[
    c("kantoor", "Kantoor / balie", "Office / front desk"),
    c("huisbezoek", "Huisbezoek", "Home visit"),
    c("telefoon", "Telefoon", "Phone"),
    c(
        "online",
        "E-mail / brief / online",
        "Email / letter / online",
    ),
    c(
        "openbaar",
        "Complex / openbare ruimte",
        "Building complex / public space",
    ),
    c("anders", "Anders", "Other"),
];

pub const AGGRESSION_TYPES: &[Choice] = &[
    c("verbaal", "Verbaal / schelden", "Verbal / abuse"),
    c("bedreiging", "Bedreiging", "Threat"),
    c("intimidatie", "Intimidatie", "Intimidation"),
    c("discriminatie", "Discriminatie", "Discrimination"),
    c("seksueel", "Seksuele intimidatie", "Sexual harassment"),
    c("fysiek", "Fysiek geweld", "Physical violence"),
    c(
        "vernieling",
        "Vernieling / zaakschade",
        "Vandalism / property damage",
    ),
    c("anders", "Anders", "Other"),
];

pub const NATURES: &[Choice] = &[
    c("frustratie", "Frustratieagressie", "Frustration aggression"),
    c(
        "instrumenteel",
        "Instrumentele agressie",
        "Instrumental aggression",
    ),
    c("weet_niet", "Weet niet", "Don't know"),
];

pub const EXTREME_KINDS: &[Choice] = &[
    c(
        "ernstig_fysiek",
        "Ernstig fysiek geweld",
        "Serious physical violence",
    ),
    c(
        "wapen",
        "Dreigen met (vuur)wapen",
        "Threat with a (fire)arm",
    ),
    c("gijzeling", "Gijzeling", "Hostage-taking"),
    c("bommelding", "Bommelding", "Bomb threat"),
    c(NONE_OF_THESE, "Geen van deze", "None of these"),
];

pub const WEAPON: &[Choice] = &[
    c("nee", "Nee", "No"),
    c("getoond", "Getoond", "Shown"),
    c("gebruikt", "Gebruikt", "Used"),
];

pub const YES_NO: &[Choice] = &[c("ja", "Ja", "Yes"), c("nee", "Nee", "No")];

/// Sick leave is often not known yet when the report is made: that is an answer too.
pub const SICK_LEAVE: &[Choice] = &[
    c("ja", "Ja", "Yes"),
    c("nee", "Nee", "No"),
    c("nog_niet_bekend", "Nog niet bekend", "Not known yet"),
];

pub const RELATIONS: &[Choice] = &[
    c("huurder", "Huurder", "Tenant"),
    c("woningzoekende", "Woningzoekende", "Home seeker"),
    c("bezoeker", "Bezoeker", "Visitor"),
    c("anders", "Anders", "Other"),
];

pub const INJURIES: &[Choice] = &[
    c("geen", "Geen", "None"),
    c("ehbo", "EHBO", "First aid"),
    c("huisarts", "Huisarts", "GP"),
    c("poliklinisch", "Poliklinisch", "Outpatient treatment"),
    c("ziekenhuisopname", "Ziekenhuisopname", "Hospital admission"),
    c("blijvend", "Blijvend letsel", "Permanent injury"),
    c("overleden", "Overleden", "Death"),
];

pub const POLICE: &[Choice] = &[
    c("niet", "Niet ingeschakeld", "Not called"),
    c("gebeld", "Gebeld (112)", "Called (112)"),
    c("ter_plaatse", "Ter plaatse geweest", "Came to the scene"),
];

pub const POLICE_REPORT: &[Choice] = &[
    c("geen", "Geen", "None"),
    // "Melding" is only ever the police's word in this app (the report is a "registratie"):
    // the options still say "bij de politie", for the reader of an exported report.
    c(
        "melding",
        "Melding bij de politie",
        "Notification to the police",
    ),
    c("aangifte", "Aangifte bij de politie", "Police report"),
];

pub const REPORT_BY: &[Choice] = &[
    c("medewerker", "Door medewerker", "By the employee"),
    c("werkgever", "Door werkgever", "By the employer"),
];

/// Who holds the aftercare conversations (protocol 2.1): the manager, or P&O when the manager is
/// absent (first care) or when the employee prefers not to talk with the manager (all three).
pub const AFTERCARE_BY: &[Choice] = &[
    c("leidinggevende", "Mijn leidinggevende", "My manager"),
    c(
        "po_afwezig",
        "P&O, want mijn leidinggevende is afwezig",
        "P&O, because my manager is absent",
    ),
    c(
        "po_voorkeur",
        "P&O, ik praat liever niet met mijn leidinggevende",
        "P&O, I would rather not talk with my manager",
    ),
];

/// Which address was given to the police. The protocol says the employer's address is used,
/// not the employee's private address; if the private one was used after all, that is said
/// here truthfully (never a tick on a false statement to be able to finish) and the manager
/// sees it (`derive::private_address_used`).
pub const ADDRESS_USED: &[Choice] = &[
    c(
        "werkgever",
        "Adres van de werkgever gebruikt",
        "The employer's address was used",
    ),
    c(
        "prive",
        "Mijn privéadres is gebruikt",
        "My private address was used",
    ),
];

/// Limits of a report, declared once: the form (`validate`) and the server (`accept`) read
/// them here. Counted in characters (Unicode scalar values) for texts, in items for lists.
pub mod limits {
    /// Free text of one field (a field's own `max_chars` may be tighter).
    pub const MAX_TEXT: usize = 20_000;
    /// Persons in one field (victims, witnesses).
    pub const MAX_PERSONS: usize = 50;
    /// A person's name.
    pub const MAX_PERSON_NAME: usize = 200;
    /// A person's detail (function; internal or external and how to reach).
    pub const MAX_PERSON_DETAIL: usize = 1_000;
    /// Events in a report's protocol flow run (every tap is one; a long incident has tens).
    pub const MAX_FLOW_EVENTS: usize = 2_000;
    /// Ticks in a report's extreme-incident checklist.
    pub const MAX_CHECKLIST_EVENTS: usize = 2_000;
    /// Kinds of extreme incident a checklist names.
    pub const MAX_CHECKLIST_KINDS: usize = 20;
    /// An id or a key the app writes (a UUID, a step or an action of the protocol, a checklist
    /// item): never typed by a person.
    pub const MAX_KEY: usize = 100;
    /// No date in a report is before this year (a device whose clock was reset reads 1970).
    pub const EARLIEST_YEAR: i32 = 2000;
}

/// A warning for colleagues is at most this long: one or two sentences.
pub const WARNING_MAX_CHARS: usize = 280;

use FieldKind as K;
use Req::{Optional as O, Required as R};
use Section as S;

/// Every field of the form, in form order.
pub const FIELDS: &[FieldSpec] = &[
    f(
        "melder_naam",
        S::Melder,
        ["Naam melder", "Reporter's name"],
        K::Text,
        R,
    ),
    f(
        "melder_functie",
        S::Melder,
        ["Functie / afdeling", "Function / department"],
        K::Text,
        R,
    ),
    f(
        "melder_rol",
        S::Melder,
        ["Rol", "Role"],
        K::Choice(REPORTER_ROLES),
        R,
    ),
    f(
        "datum_tijd",
        S::Incident,
        ["Datum en tijd", "Date and time"],
        K::DateTime,
        R,
    ),
    f(
        "situatie",
        S::Incident,
        ["Situatie", "Setting"],
        K::Choice(SITUATIONS),
        R,
    ),
    f("plaats", S::Incident, ["Plaats", "Place"], K::Text, R).help([
        "Kantoor, of het adres van het huisbezoek",
        "Office, or the address of the home visit",
    ]),
    f(
        "soort",
        S::Incident,
        ["Soort agressie", "Kind of aggression"],
        K::Multi(AGGRESSION_TYPES),
        R,
    ),
    f(
        "aard",
        S::Incident,
        ["Aard", "Nature"],
        K::Choice(NATURES),
        O,
    ),
    f(
        "extreem",
        S::Incident,
        ["Extreem incident", "Extreme incident"],
        K::Multi(EXTREME_KINDS),
        R,
    )
    .help([
        "Kruis aan wat van toepassing is. Niets van deze? Kies dan 'Geen van deze'.",
        "Tick what applies. None of them? Then choose 'None of these'.",
    ]),
    f(
        "wapen",
        S::Incident,
        ["Wapen of voorwerp", "Weapon or object"],
        K::Choice(WEAPON),
        R,
    )
    // Asked for threats and violence, and whenever a weapon threat was ticked as extreme.
    .when(&[
        on("soort", &["bedreiging", "fysiek"]),
        on("extreem", &["wapen"]),
    ]),
    f(
        "wapen_wat",
        S::Incident,
        ["Welk wapen of voorwerp", "Which weapon or object"],
        K::Text,
        R,
    )
    .when(&[on("wapen", &["getoond", "gebruikt"])]),
    f(
        "omschrijving",
        S::Incident,
        ["Omschrijving", "Description"],
        K::LongText,
        R,
    )
    .help([
        "In eigen woorden: wie, wat, waar, waarmee, op welke wijze, wanneer, waarom",
        "In your own words: who, what, where, with what, how, when, why",
    ])
    .sensitive(),
    f(
        "slachtoffers",
        S::Betrokkenen,
        ["Slachtoffer(s)", "Victim(s)"],
        K::Persons,
        R,
    )
    .help([
        "Naam en functie van de getroffen medewerkers",
        "Name and function of the employees affected",
    ]),
    f(
        "getuigen",
        S::Betrokkenen,
        ["Getuigen", "Witnesses"],
        K::Persons,
        O,
    )
    .help([
        "Naam; intern of extern en hoe bereikbaar",
        "Name; internal or external and how to reach",
    ])
    .sensitive(),
    f(
        "dader_bekend",
        S::Dader,
        ["Dader bekend", "Aggressor known"],
        K::Choice(YES_NO),
        R,
    ),
    f(
        "dader_naam",
        S::Dader,
        ["Naam dader", "Aggressor's name"],
        K::Text,
        R,
    )
    .when(&[on("dader_bekend", &["ja"])])
    .sensitive(),
    f(
        "dader_relatie",
        S::Dader,
        ["Relatie", "Relation"],
        K::Choice(RELATIONS),
        R,
    )
    .when(&[on("dader_bekend", &["ja"])])
    .sensitive(),
    f(
        "dader_nummer",
        S::Dader,
        ["Klant- of huurdernummer", "Customer or tenant number"],
        K::Text,
        O,
    )
    .when(&[on("dader_bekend", &["ja"])])
    .sensitive(),
    f(
        "dader_adres",
        S::Dader,
        ["Adres dader", "Aggressor's address"],
        K::Text,
        O,
    )
    .when(&[on("dader_bekend", &["ja"])])
    .sensitive(),
    f(
        "dader_beschrijving",
        S::Dader,
        ["Beschrijving dader", "Description of the aggressor"],
        K::LongText,
        R,
    )
    .when(&[on("dader_bekend", &["nee"])])
    .sensitive(),
    f(
        "letsel",
        S::Gevolgen,
        ["Letsel", "Injury"],
        K::Choice(INJURIES),
        R,
    )
    .sensitive(),
    f(
        "verzuim",
        S::Gevolgen,
        ["Verzuim", "Sick leave"],
        K::Choice(SICK_LEAVE),
        R,
    )
    .sensitive(),
    f(
        "verzuim_dagen",
        S::Gevolgen,
        ["Aantal dagen verzuim", "Days of sick leave"],
        K::Number { min: 1, max: 3650 },
        R,
    )
    .when(&[on("verzuim", &["ja"])])
    .sensitive(),
    f(
        "schade",
        S::Gevolgen,
        ["Materiële schade", "Material damage"],
        K::Text,
        O,
    ),
    f(
        "schade_bedrag",
        S::Gevolgen,
        ["Geschat bedrag (euro)", "Estimated amount (euros)"],
        K::Number {
            min: 0,
            max: 10_000_000,
        },
        O,
    ),
    f(
        "politie",
        S::Politie,
        ["Politie", "Police"],
        K::Choice(POLICE),
        R,
    ),
    f(
        "melding_aangifte",
        S::Politie,
        [
            "Melding of aangifte bij de politie",
            "Notification or report to the police",
        ],
        K::Choice(POLICE_REPORT),
        R,
    )
    // Asked whatever `politie` says: in the protocol an aangifte or melding is a sanction
    // afterwards (section 3), also when the police never came.
    .help([
        "Ook als de politie niet is gebeld. Later toch aangifte gedaan? Maak dan een correctie.",
        "Also when the police were not called. Reported later after all? Then make a correction.",
    ])
    .sensitive(),
    f(
        "aangifte_door",
        S::Politie,
        ["Gedaan door", "Made by"],
        K::Choice(REPORT_BY),
        R,
    )
    .when(&[on("melding_aangifte", &["melding", "aangifte"])])
    .sensitive(),
    f(
        "adres_werkgever",
        S::Politie,
        [
            "Welk adres is aan de politie gegeven?",
            "Which address was given to the police?",
        ],
        K::Choice(ADDRESS_USED),
        R,
    )
    .help([
        "Gebruik het adres van de werkgever, niet je eigen adres.",
        "Use the employer's address, not your own.",
    ])
    .when(&[on("melding_aangifte", &["melding", "aangifte"])]),
    f(
        "registratienummer",
        S::Politie,
        ["Registratienummer politie", "Police registration number"],
        K::Text,
        O,
    )
    .when(&[on("melding_aangifte", &["melding", "aangifte"])])
    .sensitive(),
    f(
        "leidinggevende_naam",
        S::Opvang,
        [
            "Leidinggevende geïnformeerd: naam",
            "Manager informed: name",
        ],
        K::Text,
        R,
    ),
    f(
        "leidinggevende_tijd",
        S::Opvang,
        [
            "Leidinggevende geïnformeerd: wanneer",
            "Manager informed: when",
        ],
        K::DateTime,
        R,
    ),
    f(
        "opvang_door",
        S::Opvang,
        ["Eerste opvang door", "First support by"],
        K::Text,
        R,
    )
    .sensitive(),
    f(
        "opvang_tijd",
        S::Opvang,
        ["Eerste opvang: wanneer", "First support: when"],
        K::DateTime,
        R,
    )
    .sensitive(),
    f(
        "nazorg_gewenst",
        S::Opvang,
        ["Nazorg gewenst", "Aftercare wanted"],
        K::Choice(YES_NO),
        R,
    )
    .sensitive(),
    // Who holds the aftercare conversations (protocol 2 and 2.1). Blank means the manager, the
    // protocol's rule; the workspace gives the task to P&O on either P&O answer
    // (`aftercare::plan`).
    f(
        "nazorg_door",
        S::Opvang,
        ["Nazorg door", "Aftercare by"],
        K::Choice(AFTERCARE_BY),
        O,
    )
    .help([
        "Liever niet met je leidinggevende praten? Dat mag: P&O doet het dan.",
        "Rather not talk with your manager? That is fine: P&O will do it.",
    ])
    .sensitive(),
    f(
        "waarschuwing",
        S::Afronding,
        ["Waarschuwing voor collega's", "Warning for colleagues"],
        K::Choice(YES_NO),
        O,
    )
    .help([
        "Moeten collega's gewaarschuwd worden voor deze persoon of dit adres?",
        "Should colleagues be warned about this person or this address?",
    ]),
    f(
        "waarschuwing_tekst",
        S::Afronding,
        ["Tekst van de waarschuwing", "Text of the warning"],
        K::LongText,
        R,
    )
    .help([
        "Kort: waar moeten collega's op letten? Schrijf geen gegevens over gezondheid of letsel.",
        "Short: what should colleagues look out for? Do not write anything about health or injury.",
    ])
    .max_chars(WARNING_MAX_CHARS)
    .when(&[on("waarschuwing", &["ja"])]),
    f(
        "akkoord_naam",
        S::Afronding,
        ["Naam van wie bevestigt", "Name of who confirms"],
        K::Text,
        R,
    ),
    f(
        "akkoord",
        S::Afronding,
        [
            "Ik bevestig dat deze registratie klopt",
            "I confirm this report is correct",
        ],
        K::Confirm { by: "akkoord_naam" },
        R,
    ),
];

/// The field with this key (the one way a field is looked up by key).
pub fn field(key: &str) -> Option<&'static FieldSpec> {
    FIELDS.iter().find(|f| f.key == key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn keys_are_unique_and_conditions_point_at_earlier_choices() {
        let mut seen = HashSet::new();
        for spec in FIELDS {
            assert!(seen.insert(spec.key), "duplicate {}", spec.key);
            for when in spec.when {
                assert!(
                    seen.contains(when.field),
                    "{} depends on a later field",
                    spec.key
                );
                let target = field(when.field).unwrap();
                let options = match target.kind {
                    FieldKind::Choice(o) | FieldKind::Multi(o) => o,
                    _ => panic!("{} depends on a field without options", spec.key),
                };
                for value in when.any_of {
                    assert!(
                        options.iter().any(|o| o.key == *value),
                        "{}: {value}",
                        spec.key
                    );
                }
            }
            if let FieldKind::Confirm { by } = spec.kind {
                assert!(seen.contains(by), "{}: `{by}` comes before it", spec.key);
                assert!(matches!(field(by).unwrap().kind, FieldKind::Text));
            }
        }
    }

    #[test]
    fn none_of_these_is_the_last_option_of_extreme_only() {
        let keys: Vec<&str> = EXTREME_KINDS.iter().map(|o| o.key).collect();
        assert_eq!(keys.last(), Some(&NONE_OF_THESE));
        assert!(!AGGRESSION_TYPES.iter().any(|o| o.key == NONE_OF_THESE));
    }

    #[test]
    fn every_section_has_fields_and_every_label_both_languages() {
        for section in Section::ALL {
            assert!(FIELDS.iter().any(|f| f.section == section), "{section:?}");
        }
        for spec in FIELDS {
            assert!(spec.label.iter().all(|l| !l.is_empty()), "{}", spec.key);
        }
    }
}
