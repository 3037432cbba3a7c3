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
//! And who may do what at all: [`can`], the one access decision of the server (ODK Central's
//! shape: one function of actor, action and resource; the server's role-matrix test has a row
//! for every endpoint). The server finds the actor (an enrolled device, a person with a
//! session, nobody) and the resource (a report's team and author); this decides.

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

    /// How the role is stored and sent (`people_roles.role`, the API).
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Employee => "medewerker",
            Role::Manager => "leidinggevende",
            Role::HumanResources => "po",
            Role::Administrator => "beheerder",
        }
    }

    pub fn parse(text: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == text)
    }

    /// Whether a person with this role can read reports of other people (or run the system),
    /// and so needs a second factor to log in (OWASP ASVS 2).
    pub fn needs_second_factor(self) -> bool {
        !matches!(self, Role::Employee)
    }

    pub fn label(self) -> Label {
        match self {
            Role::Employee => ["Medewerker", "Employee"],
            Role::Manager => ["Leidinggevende", "Manager"],
            Role::HumanResources => ["P&O", "HR"],
            Role::Administrator => ["Beheerder", "Administrator"],
        }
    }
}

/// Who asks. Built by the server from a credential it has checked; nothing here trusts input.
#[derive(Debug, Clone, Copy)]
pub enum Actor<'a> {
    /// No credential, or one that is unknown, expired or revoked.
    Nobody,
    /// An enrolled device of `team` (sending only: a device reads nothing).
    Device { team: &'a str },
    /// A person logged in with every factor their roles need. `manages`: the ids of the
    /// teams they are the manager of.
    Person {
        id: &'a str,
        roles: &'a [Role],
        manages: &'a [String],
    },
}

/// A received report as far as access is concerned: the team of the device it came from and
/// the person that device is bound to (its author), when it is bound to one.
#[derive(Debug, Clone, Copy)]
pub struct ReportRef<'a> {
    pub team: &'a str,
    pub author: Option<&'a str>,
}

/// Everything the API lets someone do. A new endpoint names its action here, so that its
/// decision is made by [`can`] like every other.
#[derive(Debug, Clone, Copy)]
pub enum Action<'a> {
    /// Send a finalized report.
    SendReport,
    /// Ask for the list of reports (each row then needs `ReadReport`).
    ListReports,
    /// Read one report whole.
    ReadReport(ReportRef<'a>),
    /// Read the audit trail.
    ReadAudit,
    /// Create, change or disable accounts, end someone's sessions.
    ManageAccounts,
    /// Create teams and name their managers.
    ManageTeams,
    /// See the devices of a team, create an enrollment code for it, revoke one of its devices.
    ManageDevicesOf { team: &'a str },
    /// See every device of every team.
    ListAllDevices,
    /// The person's own account: log out, set up the second factor, change the password.
    OwnAccount,
    /// A device asks how the server knows it (enrolled, for which team).
    OwnDevice,
    /// Read the aftercare plan of a report, with the notes of its conversations (sensitive),
    /// and record a task of it: the team's manager and P&O (protocol 2 and 2.1).
    Aftercare(ReportRef<'a>),
    /// Record a task of a report's aftercare that is `owner`'s: P&O may record any (they stand
    /// in for an absent manager); the team's manager records the manager's tasks.
    RecordTask(ReportRef<'a>, crate::aftercare::Owner),
    /// Read the organisation's settings (a device, when it syncs; anyone signed in).
    ReadOrganisation,
    /// Change the organisation's settings and a team's phone number.
    ManageOrganisation,
}

/// The one access decision. Deny unless a rule below allows.
pub fn can(actor: &Actor<'_>, action: &Action<'_>) -> bool {
    match (*actor, *action) {
        (Actor::Nobody, _) => false,
        (
            Actor::Device { .. },
            Action::SendReport | Action::OwnDevice | Action::ReadOrganisation,
        ) => true,
        (Actor::Device { .. }, _) => false,
        // A person sends through an enrolled device, never with a session.
        (Actor::Person { .. }, Action::SendReport | Action::OwnDevice) => false,
        (
            Actor::Person { .. },
            Action::OwnAccount | Action::ListReports | Action::ReadOrganisation,
        ) => true,
        (Actor::Person { id, roles, manages }, Action::ReadReport(report)) => {
            roles.iter().any(|role| match role {
                Role::HumanResources => true,
                Role::Manager => manages.iter().any(|t| t == report.team),
                Role::Employee => report.author == Some(id),
                // Runs the system; reads no report content.
                Role::Administrator => false,
            })
        }
        (Actor::Person { roles, .. }, Action::ReadAudit) => roles
            .iter()
            .any(|r| matches!(r, Role::HumanResources | Role::Administrator)),
        (Actor::Person { roles, .. }, Action::ManageAccounts | Action::ManageTeams)
        | (Actor::Person { roles, .. }, Action::ListAllDevices) => {
            roles.contains(&Role::Administrator)
        }
        (Actor::Person { roles, manages, .. }, Action::Aftercare(report)) => {
            roles.iter().any(|role| match role {
                Role::HumanResources => true,
                Role::Manager => manages.iter().any(|t| t == report.team),
                // The employee is the one the conversations are with; their notes are the
                // manager's and P&O's. The beheerder reads no report content.
                Role::Employee | Role::Administrator => false,
            })
        }
        (Actor::Person { roles, manages, .. }, Action::RecordTask(report, owner)) => {
            roles.iter().any(|role| match role {
                Role::HumanResources => true,
                Role::Manager => {
                    owner == crate::aftercare::Owner::Leidinggevende
                        && manages.iter().any(|t| t == report.team)
                }
                Role::Employee | Role::Administrator => false,
            })
        }
        (Actor::Person { roles, .. }, Action::ManageOrganisation) => {
            roles.contains(&Role::Administrator)
        }
        (Actor::Person { roles, manages, .. }, Action::ManageDevicesOf { team }) => {
            roles.contains(&Role::Administrator)
                || (roles.contains(&Role::Manager) && manages.iter().any(|t| t == team))
        }
    }
}

/// Which reports a person's list holds, as the database can select them. Must agree with
/// [`can`]`(ReadReport)` for every report (tested below); the server still asks `can` for each
/// report it returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    /// Every report (P&O).
    pub all: bool,
    /// Reports of these teams (a manager's).
    pub teams: Vec<String>,
    /// Reports made by this person (an employee's own).
    pub author: Option<String>,
}

impl Scope {
    pub fn of(actor: &Actor<'_>) -> Scope {
        let mut scope = Scope {
            all: false,
            teams: Vec::new(),
            author: None,
        };
        if let Actor::Person { id, roles, manages } = *actor {
            for role in roles {
                match role {
                    Role::HumanResources => scope.all = true,
                    Role::Manager => scope.teams.extend(manages.iter().cloned()),
                    Role::Employee => scope.author = Some(id.to_owned()),
                    Role::Administrator => {}
                }
            }
        }
        scope
    }

    pub fn holds(&self, report: ReportRef<'_>) -> bool {
        self.all
            || self.teams.iter().any(|t| t == report.team)
            || (self.author.is_some() && self.author.as_deref() == report.author)
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

    fn person<'a>(roles: &'a [Role], manages: &'a [String]) -> Actor<'a> {
        Actor::Person {
            id: "p1",
            roles,
            manages,
        }
    }

    const NOORD: ReportRef<'static> = ReportRef {
        team: "noord",
        author: Some("someone-else"),
    };

    #[test]
    fn who_reads_which_report() {
        let noord = vec!["noord".to_owned()];
        let zuid = vec!["zuid".to_owned()];
        let read = |actor: Actor<'_>, report| can(&actor, &Action::ReadReport(report));
        // A manager reads the reports of their teams, not those of another team.
        assert!(read(person(&[Role::Manager], &noord), NOORD));
        assert!(!read(person(&[Role::Manager], &zuid), NOORD));
        // Managing a team without the manager's role gives nothing.
        assert!(!read(person(&[Role::Employee], &noord), NOORD));
        // P&O reads all.
        assert!(read(person(&[Role::HumanResources], &[]), NOORD));
        // An employee reads their own, from a device bound to them, and nobody else's.
        let own = ReportRef {
            team: "noord",
            author: Some("p1"),
        };
        assert!(read(person(&[Role::Employee], &[]), own));
        assert!(!read(person(&[Role::Employee], &[]), NOORD));
        // A report from a shared device (no author) is nobody's own.
        let shared = ReportRef {
            team: "noord",
            author: None,
        };
        assert!(!read(person(&[Role::Employee], &[]), shared));
        // A beheerder reads none, not even of a team they would manage; holding the manager's
        // role as well gives the manager's reading, no more.
        assert!(!read(person(&[Role::Administrator], &noord), NOORD));
        assert!(read(
            person(&[Role::Administrator, Role::Manager], &noord),
            NOORD
        ));
        assert!(!read(
            person(&[Role::Administrator, Role::Manager], &zuid),
            NOORD
        ));
        // Devices and nobody read nothing.
        assert!(!read(Actor::Device { team: "noord" }, NOORD));
        assert!(!read(Actor::Nobody, NOORD));
    }

    #[test]
    fn only_a_device_sends_and_a_device_does_nothing_else() {
        let device = Actor::Device { team: "noord" };
        assert!(can(&device, &Action::SendReport));
        assert!(can(&device, &Action::OwnDevice));
        for action in [
            Action::ListReports,
            Action::ReadAudit,
            Action::ManageAccounts,
            Action::ManageTeams,
            Action::ListAllDevices,
            Action::ManageDevicesOf { team: "noord" },
            Action::OwnAccount,
        ] {
            assert!(!can(&device, &action), "{action:?}");
            assert!(!can(&Actor::Nobody, &action), "{action:?}");
        }
        for role in Role::ALL {
            assert!(!can(&person(&[role], &[]), &Action::SendReport), "{role:?}");
        }
    }

    #[test]
    fn who_runs_the_system_and_reads_the_audit_trail() {
        let noord = vec!["noord".to_owned()];
        let admin = person(&[Role::Administrator], &[]);
        let hr = person(&[Role::HumanResources], &[]);
        let manager = person(&[Role::Manager], &noord);
        let employee = person(&[Role::Employee], &[]);
        for action in [
            Action::ManageAccounts,
            Action::ManageTeams,
            Action::ListAllDevices,
        ] {
            assert!(can(&admin, &action));
            for other in [hr, manager, employee] {
                assert!(!can(&other, &action), "{action:?}");
            }
        }
        assert!(can(&admin, &Action::ReadAudit));
        assert!(can(&hr, &Action::ReadAudit));
        assert!(!can(&manager, &Action::ReadAudit));
        assert!(!can(&employee, &Action::ReadAudit));
        // A manager enrolls and revokes the devices of their own teams only.
        assert!(can(&manager, &Action::ManageDevicesOf { team: "noord" }));
        assert!(!can(&manager, &Action::ManageDevicesOf { team: "zuid" }));
        assert!(can(&admin, &Action::ManageDevicesOf { team: "zuid" }));
        assert!(!can(&hr, &Action::ManageDevicesOf { team: "noord" }));
    }

    #[test]
    fn the_list_scope_agrees_with_the_reading_rule() {
        let teams = [
            vec![],
            vec!["noord".to_owned()],
            vec!["noord".to_owned(), "zuid".to_owned()],
        ];
        let reports = [
            ReportRef {
                team: "noord",
                author: Some("ans"),
            },
            ReportRef {
                team: "noord",
                author: Some("bert"),
            },
            ReportRef {
                team: "zuid",
                author: None,
            },
            ReportRef {
                team: "west",
                author: Some("ans"),
            },
        ];
        let role_sets: Vec<Vec<Role>> = vec![
            vec![],
            vec![Role::Employee],
            vec![Role::Manager],
            vec![Role::HumanResources],
            vec![Role::Administrator],
            vec![Role::Administrator, Role::Manager],
            vec![Role::Employee, Role::Manager],
        ];
        for roles in &role_sets {
            for manages in &teams {
                let actor = Actor::Person {
                    id: "ans",
                    roles,
                    manages,
                };
                let scope = Scope::of(&actor);
                for report in reports {
                    assert_eq!(
                        scope.holds(report),
                        can(&actor, &Action::ReadReport(report)),
                        "{roles:?} {manages:?} {report:?}"
                    );
                }
            }
        }
        assert!(!Scope::of(&Actor::Device { team: "noord" }).holds(reports[0]));
    }

    #[test]
    fn aftercare_is_for_the_teams_manager_and_p_and_o_and_settings_for_the_beheerder() {
        let noord = vec!["noord".to_owned()];
        let zuid = vec!["zuid".to_owned()];
        let report = ReportRef {
            team: "noord",
            author: Some("ans"),
        };
        let aftercare = |a: Actor<'_>| can(&a, &Action::Aftercare(report));
        assert!(aftercare(person(&[Role::Manager], &noord)));
        assert!(!aftercare(person(&[Role::Manager], &zuid)));
        assert!(aftercare(person(&[Role::HumanResources], &[])));
        // The author reads their report, not the notes about them.
        assert!(!aftercare(Actor::Person {
            id: "ans",
            roles: &[Role::Employee],
            manages: &[]
        }));
        assert!(!aftercare(person(&[Role::Administrator], &noord)));
        assert!(!aftercare(Actor::Device { team: "noord" }));
        assert!(can(
            &person(&[Role::Administrator], &[]),
            &Action::ManageOrganisation
        ));
        for role in [Role::Employee, Role::Manager, Role::HumanResources] {
            assert!(!can(&person(&[role], &noord), &Action::ManageOrganisation));
            assert!(can(&person(&[role], &noord), &Action::ReadOrganisation));
        }
        assert!(can(
            &Actor::Device { team: "noord" },
            &Action::ReadOrganisation
        ));
        assert!(!can(
            &Actor::Device { team: "noord" },
            &Action::ManageOrganisation
        ));
        assert!(!can(&Actor::Nobody, &Action::ReadOrganisation));
    }

    #[test]
    fn roles_read_back_and_who_needs_a_second_factor() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("admin"), None);
        assert!(!Role::Employee.needs_second_factor());
        assert!(Role::Manager.needs_second_factor());
        assert!(Role::HumanResources.needs_second_factor());
        assert!(Role::Administrator.needs_second_factor());
    }

    #[test]
    fn every_role_is_named_in_both_languages() {
        for role in Role::ALL {
            assert!(role.label().iter().all(|l| !l.is_empty()), "{role:?}");
        }
    }
}
