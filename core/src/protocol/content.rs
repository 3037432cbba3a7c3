//! The protocol content: one JSON file per locale, parsed once.
//!
//! The Dutch source is compiled in. The English translation is not: the PWA fetches it from
//! [`ENGLISH_URL`] when English is chosen (the service worker precaches it, so it works
//! offline), which keeps 5 KB of brotli off every first load.

use std::sync::OnceLock;

use super::model::Protocol;

/// The Dutch content, as written in the source protocol.
pub const DUTCH_JSON: &str = include_str!("../../content/protocol.nl.json");

/// Where the built app serves `content/protocol.en.json` (copied there by Trunk).
pub const ENGLISH_URL: &str = "/protocol.en.json";

/// The organisation as the source protocol names it; a setting can change both.
pub const DEFAULT_ORGANISATION: &str = "Enjoy & Learn";
/// What the source calls the organisation in "een taak van de corporatie zelf".
pub const DEFAULT_ORGANISATION_KIND: &str = "corporatie";

/// Where the content names the organisation, it says `{organisatie}` or `{corporatie}`: the
/// names come from one place (the settings), not from sentences in the content.
const NAME: &str = "{organisatie}";
const KIND: &str = "{corporatie}";

/// Parses one locale's content with the source's own names for the organisation. For the
/// compiled-in Dutch, errors are build defects caught by the native tests; for the fetched
/// English, the caller shows Dutch and says why.
pub fn parse(json: &str) -> Result<Protocol, serde_json::Error> {
    parse_for(json, DEFAULT_ORGANISATION, DEFAULT_ORGANISATION_KIND)
}

/// Parses one locale's content with the organisation's name and kind put in. A blank setting
/// keeps the source's own words.
pub fn parse_for(json: &str, name: &str, kind: &str) -> Result<Protocol, serde_json::Error> {
    let escaped = |text: &str, default: &str| {
        let text = if text.trim().is_empty() {
            default
        } else {
            text.trim()
        };
        let quoted = serde_json::to_string(text).unwrap_or_default();
        quoted[1..quoted.len() - 1].to_owned()
    };
    let json = json
        .replace(NAME, &escaped(name, DEFAULT_ORGANISATION))
        .replace(KIND, &escaped(kind, DEFAULT_ORGANISATION_KIND));
    serde_json::from_str(&json)
}

/// The Dutch protocol, parsed on first use.
pub fn dutch() -> &'static Protocol {
    static DUTCH: OnceLock<Protocol> = OnceLock::new();
    DUTCH.get_or_init(|| {
        // Compiled in and guarded by the content tests: cannot fail in a build that passed them.
        parse(DUTCH_JSON).unwrap_or_else(|err| panic!("protocol.nl.json: {err}"))
    })
}

/// The English protocol, parsed on first use. Compiled in only where it is called (the server's
/// aftercare checklists); the app fetches it from [`ENGLISH_URL`] instead, to stay small.
pub fn english() -> &'static Protocol {
    static ENGLISH: OnceLock<Protocol> = OnceLock::new();
    ENGLISH.get_or_init(|| {
        parse(include_str!("../../content/protocol.en.json"))
            .unwrap_or_else(|err| panic!("protocol.en.json: {err}"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::texts::all_texts;

    fn texts(p: &Protocol) -> String {
        all_texts(p)
            .iter()
            .map(|(_, t)| *t)
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn by_default_the_organisation_has_the_names_the_source_gives_it() {
        let all = texts(dutch());
        assert!(all.contains("Dit is primair een taak van de corporatie zelf."));
        assert!(all.contains("Enjoy & Learn kan dit vorderen in een gerechtelijke procedure."));
        assert!(!all.contains('{'), "no placeholder is left");
    }

    #[test]
    fn the_names_come_from_the_settings_even_with_quotes_in_them() {
        let p = parse_for(
            DUTCH_JSON,
            "Woonstede \"Het Anker\" \\ Zuid",
            "woningstichting",
        )
        .unwrap();
        let all = texts(&p);
        assert!(all.contains("Woonstede \"Het Anker\" \\ Zuid kan dit vorderen"));
        assert!(all.contains("een taak van de woningstichting zelf"));
        assert!(!all.contains("Enjoy & Learn") && !all.contains("corporatie zelf"));
        let blank = parse_for(DUTCH_JSON, "  ", "").unwrap();
        assert_eq!(texts(&blank), texts(dutch()));
    }
}
