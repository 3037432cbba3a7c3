//! The organisation's settings, kept by the beheerder on the server: its name and address (put
//! where the protocol text names the organisation), the phone numbers staff call, and the
//! aftercare windows. Every enrolled device receives them when it syncs and keeps them for use
//! without signal; a device's own settings keep only personal choices.

use serde::{Deserialize, Serialize};

use crate::aftercare::Windows;
use crate::protocol::content::{DEFAULT_ORGANISATION, DEFAULT_ORGANISATION_KIND};
use crate::report::schema::Label;
use crate::settings::{tel_href, Settings, POLICE_NON_EMERGENCY};

/// Longest name or address, in characters.
pub const MAX_NAME: usize = 200;
pub const MAX_PHONE: usize = 40;

/// As stored on the server and edited by the beheerder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct Organisation {
    /// "Enjoy & Learn": put where the protocol names the organisation.
    pub name: String,
    /// What the protocol calls it ("corporatie").
    pub kind: String,
    /// The employer's address: the one given to the police instead of an employee's own.
    pub address: String,
    pub office_phone: String,
    /// The police when there is no emergency; 112 is fixed and never a setting.
    pub police_phone: String,
    pub windows: Windows,
}

impl Default for Organisation {
    fn default() -> Self {
        Organisation {
            name: DEFAULT_ORGANISATION.to_owned(),
            kind: DEFAULT_ORGANISATION_KIND.to_owned(),
            address: String::new(),
            office_phone: String::new(),
            police_phone: POLICE_NON_EMERGENCY.to_owned(),
            windows: Windows::default(),
        }
    }
}

impl Organisation {
    /// Why these settings cannot be kept, naming the field; the server refuses what this
    /// refuses and the workspace shows the same sentence.
    pub fn problem(&self) -> Option<(&'static str, Label)> {
        for (key, value, max) in [
            ("name", &self.name, MAX_NAME),
            ("kind", &self.kind, 60),
            ("address", &self.address, MAX_NAME),
        ] {
            if value.chars().count() > max || value.chars().any(char::is_control) {
                return Some((
                    key,
                    [
                        "Te lang, of met tekens die niet in een naam horen.",
                        "Too long, or with characters that do not belong in a name.",
                    ],
                ));
            }
        }
        if self.name.trim().is_empty() || self.kind.trim().is_empty() {
            return Some((
                if self.name.trim().is_empty() {
                    "name"
                } else {
                    "kind"
                },
                ["Vul dit in.", "Fill this in."],
            ));
        }
        for (key, value) in [
            ("office_phone", &self.office_phone),
            ("police_phone", &self.police_phone),
        ] {
            if let Some(problem) = phone_problem(value) {
                return Some((key, problem));
            }
        }
        self.windows.problem().map(|p| ("windows", p))
    }
}

/// A phone number is empty (not set) or one a phone can dial.
pub fn phone_problem(number: &str) -> Option<Label> {
    (!number.is_empty() && (number.chars().count() > MAX_PHONE || tel_href(number).is_none()))
        .then_some([
            "Dit is geen telefoonnummer dat een telefoon kan bellen.",
            "This is not a phone number a phone can dial.",
        ])
}

/// What a device receives: the organisation's settings and the phone of its own team's
/// manager. No windows (a device has no use for them) and nothing about any person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct ForDevice {
    pub name: String,
    pub kind: String,
    pub address: String,
    pub office_phone: String,
    pub police_phone: String,
    /// The phone of the manager of this device's team (set per team by the beheerder).
    pub manager_phone: String,
}

impl Default for ForDevice {
    fn default() -> Self {
        ForDevice::of(&Organisation::default(), "")
    }
}

/// Version of the received settings as a device stores them (`veilig.organisation`); bump it
/// and add a migration when the shape changes.
pub const FOR_DEVICE_VERSION: u32 = 1;

impl ForDevice {
    /// What a device uses: the organisation's settings once it received them, whole (an
    /// empty phone then means the organisation set none); until then, never enrolled or
    /// before the first sync, the values typed on this device before the organisation kept
    /// them (still in its stored settings, so nothing typed is lost).
    pub fn in_use(received: Option<&ForDevice>, own: &Settings) -> ForDevice {
        match received {
            Some(org) => org.clone(),
            None => ForDevice {
                name: own.organisation.clone(),
                kind: own.organisation_kind.clone(),
                address: String::new(),
                office_phone: own.office_phone.clone(),
                police_phone: own.police_phone.clone(),
                manager_phone: own.manager_phone.clone(),
            },
        }
    }

    /// Reads what the server sent or the device stored, by hand: serde's derived reader
    /// cost the PWA's first load about 1 KB of brotli for this one flat shape. `None` when it
    /// is not the settings (no name or kind); a key a newer server adds is no error.
    pub fn from_json(value: &serde_json::Value) -> Option<ForDevice> {
        let text = |key: &str| -> Option<String> {
            match value.get(key) {
                None => Some(String::new()),
                Some(v) => v.as_str().map(str::to_owned),
            }
        };
        let org = ForDevice {
            name: text("name")?,
            kind: text("kind")?,
            address: text("address")?,
            office_phone: text("office_phone")?,
            police_phone: text("police_phone")?,
            manager_phone: text("manager_phone")?,
        };
        (!org.name.is_empty() && !org.kind.is_empty()).then_some(org)
    }

    pub fn of(org: &Organisation, manager_phone: &str) -> ForDevice {
        ForDevice {
            name: org.name.clone(),
            kind: org.kind.clone(),
            address: org.address.clone(),
            office_phone: org.office_phone.clone(),
            police_phone: org.police_phone.clone(),
            manager_phone: manager_phone.to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_are_the_protocols_names_and_can_be_kept() {
        let org = Organisation::default();
        assert_eq!(org.name, "Enjoy & Learn");
        assert_eq!(org.police_phone, "0900-8844");
        assert_eq!(org.problem(), None);
    }

    #[test]
    fn settings_that_a_device_could_not_use_are_refused_with_the_field_named() {
        let ok = Organisation {
            office_phone: "+31 20 123 45 67".into(),
            ..Organisation::default()
        };
        assert_eq!(ok.problem(), None);
        let field = |o: Organisation| o.problem().map(|(k, _)| k);
        assert_eq!(
            field(Organisation {
                name: " ".into(),
                ..ok.clone()
            }),
            Some("name")
        );
        assert_eq!(
            field(Organisation {
                name: "x".repeat(201),
                ..ok.clone()
            }),
            Some("name")
        );
        assert_eq!(
            field(Organisation {
                address: "a\u{0}b".into(),
                ..ok.clone()
            }),
            Some("address")
        );
        assert_eq!(
            field(Organisation {
                office_phone: "bel Piet".into(),
                ..ok.clone()
            }),
            Some("office_phone")
        );
        assert_eq!(
            field(Organisation {
                police_phone: String::new(),
                ..ok.clone()
            }),
            None,
            "empty is 'not set'"
        );
        let mut windows = ok.windows;
        windows.second_from_days = 9;
        assert_eq!(field(Organisation { windows, ..ok }), Some("windows"));
    }

    #[test]
    fn a_device_uses_its_own_numbers_until_the_organisations_arrive_and_then_only_those() {
        let own = Settings {
            manager_phone: "06 1111 2222".into(),
            office_phone: "010 1234567".into(),
            organisation: "Eigen naam".into(),
            ..Settings::default()
        };
        let before = ForDevice::in_use(None, &own);
        assert_eq!(before.manager_phone, "06 1111 2222");
        assert_eq!(before.office_phone, "010 1234567");
        assert_eq!(before.name, "Eigen naam");
        assert_eq!(before.police_phone, POLICE_NON_EMERGENCY);
        let received = ForDevice::of(
            &Organisation {
                name: "Woonstad".into(),
                office_phone: "010 4408800".into(),
                ..Organisation::default()
            },
            "",
        );
        let after = ForDevice::in_use(Some(&received), &own);
        assert_eq!(after, received);
        // The organisation set no manager phone for this team: the device does not dial an
        // old number the organisation may have replaced.
        assert_eq!(after.manager_phone, "");
    }

    #[test]
    fn what_a_device_stores_reads_back_and_a_newer_servers_extra_key_is_no_error() {
        let received = ForDevice::of(&Organisation::default(), "06 1234 5678");
        let stored = crate::envelope::encode(FOR_DEVICE_VERSION, &received).unwrap();
        let data = crate::envelope::decode_value(&stored, &[]).unwrap();
        assert_eq!(ForDevice::from_json(&data), Some(received.clone()));
        // The hand-written reader and serde's agree.
        assert_eq!(
            crate::envelope::decode::<ForDevice>(&stored, &[]).unwrap(),
            received
        );
        let read = |json: &str| ForDevice::from_json(&serde_json::from_str(json).unwrap());
        let newer = read(r#"{"name":"X","kind":"corporatie","fax":"1"}"#).unwrap();
        assert_eq!(
            (newer.name.as_str(), newer.office_phone.as_str()),
            ("X", "")
        );
        // Not the settings: the device keeps what it has.
        assert_eq!(read(r#"{"code":"device_revoked","message":"x"}"#), None);
        assert_eq!(read(r#"{"name":"X","kind":"k","office_phone":112}"#), None);
        assert_eq!(read("[1]"), None);
    }
}
