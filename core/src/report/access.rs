//! Who may see which field of a report, and what a log may say about one. The one place that
//! reads `FieldSpec::sensitive`: nothing else decides either question.
//!
//! - A beheerder (administrator) runs the system and sees no report content.
//! - A medewerker (employee) sees every field of their own reports, and none of anyone else's.
//! - A leidinggevende (manager) and P&O see every field, the sensitive ones included: the
//!   manager arranges the aftercare, P&O keeps the form in the personnel file (the protocol).
//! - A log never holds a field's value, of any field. It may name a field only when the form
//!   declares it and it is not sensitive: the name of a sensitive field can already say
//!   something about a person (`dader_naam`, `verzuim_dagen`), and a key the form does not
//!   know is text the sender chose.
//!
//! Accounts arrive in a later issue; until then the server's reading token acts as P&O.

use super::schema::{field, Label};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// Medewerker.
    Employee,
    /// Leidinggevende.
    Manager,
    /// P&O (personeel en organisatie).
    HumanResources,
    /// Beheerder.
    Administrator,
}

impl Role {
    pub const ALL: [Role; 4] = [
        Role::Employee,
        Role::Manager,
        Role::HumanResources,
        Role::Administrator,
    ];

    pub fn label(self) -> Label {
        match self {
            Role::Employee => ["Medewerker", "Employee"],
            Role::Manager => ["Leidinggevende", "Manager"],
            Role::HumanResources => ["P&O", "HR"],
            Role::Administrator => ["Beheerder", "Administrator"],
        }
    }
}

/// Whose report it is, seen from the person asking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Whose {
    /// They made it (they are its reporter).
    Own,
    Others,
}

/// Whether `role` may see the field `key` of a report that is `whose`. A key the form does not
/// declare is never shown.
pub fn may_see(role: Role, whose: Whose, key: &str) -> bool {
    if field(key).is_none() {
        return false;
    }
    match role {
        Role::Administrator => false,
        Role::Employee => whose == Whose::Own,
        // Sensitive or not.
        Role::Manager | Role::HumanResources => true,
    }
}

/// Whether `role` may see every field of such a report: only then may it be given the report
/// whole (the server returns the exact bytes received, never a filtered copy).
pub fn sees_whole_report(role: Role, whose: Whose) -> bool {
    super::schema::FIELDS
        .iter()
        .all(|spec| may_see(role, whose, spec.key))
}

/// What a log line may say to name the field `key`: the form's own key (a `&'static str` from
/// the schema, never the sender's text) when the field is declared and not sensitive; `None`
/// otherwise. There is no function for a field's value: no value is ever logged.
pub fn loggable_field(key: &str) -> Option<&'static str> {
    field(key)
        .filter(|spec| !spec.sensitive)
        .map(|spec| spec.key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::schema::FIELDS;

    #[test]
    fn an_administrator_sees_no_report_content() {
        for whose in [Whose::Own, Whose::Others] {
            assert!(FIELDS
                .iter()
                .all(|f| !may_see(Role::Administrator, whose, f.key)));
            assert!(!sees_whole_report(Role::Administrator, whose));
        }
    }

    #[test]
    fn an_employee_sees_every_field_of_their_own_reports_only() {
        assert!(FIELDS
            .iter()
            .all(|f| may_see(Role::Employee, Whose::Own, f.key)));
        assert!(sees_whole_report(Role::Employee, Whose::Own));
        assert!(FIELDS
            .iter()
            .all(|f| !may_see(Role::Employee, Whose::Others, f.key)));
    }

    #[test]
    fn a_manager_and_hr_see_the_sensitive_fields_too() {
        let sensitive: Vec<_> = FIELDS.iter().filter(|f| f.sensitive).collect();
        assert!(sensitive.iter().any(|f| f.key == "letsel"));
        for role in [Role::Manager, Role::HumanResources] {
            for whose in [Whose::Own, Whose::Others] {
                assert!(sensitive.iter().all(|f| may_see(role, whose, f.key)));
                assert!(sees_whole_report(role, whose));
            }
        }
    }

    #[test]
    fn a_key_the_form_does_not_declare_is_never_shown_nor_logged() {
        for role in Role::ALL {
            assert!(!may_see(role, Whose::Own, "bsn"));
        }
        assert_eq!(loggable_field("bsn"), None);
        assert_eq!(loggable_field(""), None);
    }

    #[test]
    fn a_log_may_name_a_plain_field_but_not_a_sensitive_one() {
        assert_eq!(loggable_field("plaats"), Some("plaats"));
        for spec in FIELDS {
            assert_eq!(
                loggable_field(spec.key).is_some(),
                !spec.sensitive,
                "{}",
                spec.key
            );
        }
        for key in ["omschrijving", "dader_naam", "letsel", "verzuim_dagen"] {
            assert_eq!(loggable_field(key), None, "{key}");
        }
    }

    #[test]
    fn every_role_is_named_in_both_languages() {
        for role in Role::ALL {
            assert!(role.label().iter().all(|l| !l.is_empty()), "{role:?}");
        }
    }
}
