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
    /// A yes that must be given (the reporter confirms the content).
    Confirm,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Req {
    /// Must be filled to finalize (when the field applies).
    Required,
    Optional,
}

/// A field applies only when another field has one of these values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct When {
    pub field: &'static str,
    pub any_of: &'static [&'static str],
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldSpec {
    pub key: &'static str,
    pub section: Section,
    pub label: Label,
    pub help: Option<Label>,
    pub kind: FieldKind,
    pub req: Req,
    pub when: Option<When>,
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
        when: None,
        sensitive: false,
    }
}

impl FieldSpec {
    const fn help(mut self, help: Label) -> Self {
        self.help = Some(help);
        self
    }
    const fn when(mut self, field: &'static str, any_of: &'static [&'static str]) -> Self {
        self.when = Some(When { field, any_of });
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
];

pub const WEAPON: &[Choice] = &[
    c("nee", "Nee", "No"),
    c("getoond", "Getoond", "Shown"),
    c("gebruikt", "Gebruikt", "Used"),
];

pub const YES_NO: &[Choice] = &[c("ja", "Ja", "Yes"), c("nee", "Nee", "No")];

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
    c("melding", "Melding", "Notification"),
    c("aangifte", "Aangifte", "Police report"),
];

pub const REPORT_BY: &[Choice] = &[
    c("medewerker", "Door medewerker", "By the employee"),
    c("werkgever", "Door werkgever", "By the employer"),
];

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
        O,
    )
    .help(["Kruis aan wat van toepassing is", "Tick what applies"]),
    f(
        "wapen",
        S::Incident,
        ["Wapen of voorwerp", "Weapon or object"],
        K::Choice(WEAPON),
        R,
    )
    .when("soort", &["bedreiging", "fysiek"]),
    f(
        "wapen_wat",
        S::Incident,
        ["Welk wapen of voorwerp", "Which weapon or object"],
        K::Text,
        R,
    )
    .when("wapen", &["getoond", "gebruikt"]),
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
    .when("dader_bekend", &["ja"])
    .sensitive(),
    f(
        "dader_relatie",
        S::Dader,
        ["Relatie", "Relation"],
        K::Choice(RELATIONS),
        R,
    )
    .when("dader_bekend", &["ja"])
    .sensitive(),
    f(
        "dader_nummer",
        S::Dader,
        ["Klant- of huurdernummer", "Customer or tenant number"],
        K::Text,
        O,
    )
    .when("dader_bekend", &["ja"])
    .sensitive(),
    f(
        "dader_adres",
        S::Dader,
        ["Adres dader", "Aggressor's address"],
        K::Text,
        O,
    )
    .when("dader_bekend", &["ja"])
    .sensitive(),
    f(
        "dader_beschrijving",
        S::Dader,
        ["Beschrijving dader", "Description of the aggressor"],
        K::LongText,
        R,
    )
    .when("dader_bekend", &["nee"])
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
        K::Choice(YES_NO),
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
    .when("verzuim", &["ja"])
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
        ["Melding of aangifte", "Notification or report"],
        K::Choice(POLICE_REPORT),
        R,
    )
    .when("politie", &["gebeld", "ter_plaatse"])
    .sensitive(),
    f(
        "aangifte_door",
        S::Politie,
        ["Gedaan door", "Made by"],
        K::Choice(REPORT_BY),
        R,
    )
    .when("melding_aangifte", &["melding", "aangifte"])
    .sensitive(),
    f(
        "adres_werkgever",
        S::Politie,
        [
            "Het adres van de werkgever is gebruikt, niet het privéadres",
            "The employer's address was used, not the private address",
        ],
        K::Confirm,
        R,
    )
    .when("melding_aangifte", &["melding", "aangifte"]),
    f(
        "registratienummer",
        S::Politie,
        ["Registratienummer politie", "Police registration number"],
        K::Text,
        O,
    )
    .when("melding_aangifte", &["melding", "aangifte"])
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
    f(
        "akkoord",
        S::Afronding,
        [
            "Ik bevestig dat deze melding klopt",
            "I confirm this report is correct",
        ],
        K::Confirm,
        R,
    ),
];

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
            if let Some(when) = spec.when {
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
        }
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
