//! The protocol content, embedded at compile time (one JSON file per locale) and parsed once.

use std::sync::OnceLock;

use super::model::Protocol;
use crate::Locale;

const NL: &str = include_str!("../../content/protocol.nl.json");
const EN: &str = include_str!("../../content/protocol.en.json");

/// The raw embedded content of a locale (the native tests check it parses and is complete).
pub fn source_json(locale: Locale) -> &'static str {
    match locale {
        Locale::Nl => NL,
        Locale::En => EN,
    }
}

/// Parses one locale's content. Errors here are build defects, caught by the native tests.
pub fn parse(locale: Locale) -> Result<Protocol, serde_json::Error> {
    serde_json::from_str(source_json(locale))
}

/// The protocol in a locale, parsed on first use.
pub fn protocol(locale: Locale) -> &'static Protocol {
    static CELLS: [OnceLock<Protocol>; 2] = [OnceLock::new(), OnceLock::new()];
    let index = match locale {
        Locale::Nl => 0,
        Locale::En => 1,
    };
    CELLS[index].get_or_init(|| {
        // The content is compiled in and `tests::every_locale_parses` guards it, so this
        // cannot fail in a build that passed its tests.
        parse(locale).unwrap_or_else(|err| panic!("protocol.{}.json: {err}", locale.code()))
    })
}
