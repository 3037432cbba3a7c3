//! Device settings: the personal choices (language, removal after delivery), and the
//! organisation's names and phone numbers as they were typed on this device before the
//! organisation kept them on the server (`organisation::ForDevice::in_use`: used until the
//! organisation's arrive, kept so that nothing typed is lost).

use serde::{Deserialize, Serialize};

use crate::Locale;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    pub locale: Locale,
    pub manager_phone: String,
    pub office_phone: String,
    /// The police when there is no emergency; 112 is fixed and never a setting.
    pub police_phone: String,
    /// The organisation's name, put where the protocol text names it.
    pub organisation: String,
    /// What the protocol calls the organisation ("de corporatie").
    pub organisation_kind: String,
    /// Remove a report from this device once the server gave its receipt (off by default).
    pub remove_after_delivery: bool,
}

/// The Dutch police's number for when there is no emergency.
pub const POLICE_NON_EMERGENCY: &str = "0900-8844";

impl Default for Settings {
    /// The organisation's names as the protocol has them; a missing stored value gets these.
    fn default() -> Self {
        Self {
            locale: Locale::default(),
            manager_phone: String::new(),
            office_phone: String::new(),
            police_phone: POLICE_NON_EMERGENCY.to_owned(),
            organisation: crate::protocol::content::DEFAULT_ORGANISATION.to_owned(),
            organisation_kind: crate::protocol::content::DEFAULT_ORGANISATION_KIND.to_owned(),
            remove_after_delivery: false,
        }
    }
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
    fn settings_stored_before_the_police_number_and_the_name_existed_get_the_defaults() {
        let old: Settings =
            serde_json::from_str(r#"{"locale":"nl","manager_phone":"010 1234567"}"#).unwrap();
        assert_eq!(old.manager_phone, "010 1234567");
        assert_eq!(old.police_phone, POLICE_NON_EMERGENCY);
        assert_eq!(tel_href(&old.police_phone).as_deref(), Some("tel:09008844"));
        assert_eq!(old.organisation, "Enjoy & Learn");
        assert_eq!(old.organisation_kind, "corporatie");
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
