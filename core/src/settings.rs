//! Device settings: language and the organisation's phone numbers for the call buttons.

use serde::{Deserialize, Serialize};

use crate::Locale;

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    pub locale: Locale,
    pub manager_phone: String,
    pub office_phone: String,
    /// Remove a report from this device once the server gave its receipt (off by default).
    pub remove_after_delivery: bool,
}

/// Version of the stored settings envelope; bump it and add a migration when the shape changes.
pub const SETTINGS_VERSION: u32 = 1;

/// A `tel:` link for a typed phone number, or `None` when it has no digits to dial.
/// Keeps `+` (international) and digits; drops spaces, dashes, dots and brackets.
pub fn tel_href(number: &str) -> Option<String> {
    let mut out = String::new();
    for (i, c) in number.trim().chars().enumerate() {
        match c {
            '0'..='9' => out.push(c),
            '+' if i == 0 => out.push(c),
            ' ' | '-' | '.' | '(' | ')' | '/' => {}
            _ => return None,
        }
    }
    let digits = out.chars().filter(char::is_ascii_digit).count();
    (3..=15).contains(&digits).then(|| format!("tel:{out}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_numbers_become_dialable_links() {
        assert_eq!(
            tel_href("010 - 123 45 67").as_deref(),
            Some("tel:0101234567")
        );
        assert_eq!(
            tel_href("+31 (0)10 1234567").as_deref(),
            Some("tel:+310101234567")
        );
        assert_eq!(tel_href("112").as_deref(), Some("tel:112"));
    }

    #[test]
    fn nonsense_is_not_dialled() {
        for bad in [
            "",
            "  ",
            "bel Ans",
            "12",
            "06-1234<script>",
            "1+2345",
            "1234567890123456",
        ] {
            assert_eq!(tel_href(bad), None, "{bad:?}");
        }
    }
}
