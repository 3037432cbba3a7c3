//! The app's languages: Dutch is the source and the default; English is a translation.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Locale {
    #[default]
    Nl,
    En,
}

impl Locale {
    pub const ALL: [Locale; 2] = [Locale::Nl, Locale::En];

    /// BCP 47 code, as used in `<html lang>` and in storage.
    pub fn code(self) -> &'static str {
        match self {
            Locale::Nl => "nl",
            Locale::En => "en",
        }
    }

    /// Reads a stored or browser-given code; anything unknown falls back to Dutch.
    pub fn from_code(code: &str) -> Locale {
        match code.get(..2).map(str::to_ascii_lowercase).as_deref() {
            Some("en") => Locale::En,
            _ => Locale::Nl,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_codes_fall_back_to_dutch() {
        assert_eq!(Locale::from_code("en-GB"), Locale::En);
        assert_eq!(Locale::from_code("nl"), Locale::Nl);
        assert_eq!(Locale::from_code("fr"), Locale::Nl);
        assert_eq!(Locale::from_code(""), Locale::Nl);
    }

    #[test]
    fn codes_round_trip() {
        for locale in Locale::ALL {
            assert_eq!(Locale::from_code(locale.code()), locale);
        }
    }
}
