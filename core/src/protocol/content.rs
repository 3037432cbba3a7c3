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

/// Parses one locale's content. For the compiled-in Dutch, errors are build defects caught by
/// the native tests; for the fetched English, the caller shows Dutch and says why.
pub fn parse(json: &str) -> Result<Protocol, serde_json::Error> {
    serde_json::from_str(json)
}

/// The Dutch protocol, parsed on first use.
pub fn dutch() -> &'static Protocol {
    static DUTCH: OnceLock<Protocol> = OnceLock::new();
    DUTCH.get_or_init(|| {
        // Compiled in and guarded by the content tests: cannot fail in a build that passed them.
        parse(DUTCH_JSON).unwrap_or_else(|err| panic!("protocol.nl.json: {err}"))
    })
}
