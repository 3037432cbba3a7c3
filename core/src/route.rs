//! The app's screens and their addresses. The PWA's router parses `location.pathname` with
//! [`Route::parse`] and builds links with [`Route::path`]; both directions live here so that they
//! cannot disagree and are tested natively.

use crate::protocol::FlowId;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    Home,
    /// A flow runner; `None` when the slug names no flow (the page says so).
    Flow(Option<FlowId>),
    Extreme,
    Reference,
    Card,
    Settings,
    Reports,
    /// One report, by id.
    Report(String),
    Outbox,
    /// Enrolling this device with a code from a manager (`/koppelen#CODE` from a QR code).
    Enroll,
    NotFound,
}

impl Route {
    /// The screen for a path. A trailing slash is ignored; anything unknown is `NotFound`.
    pub fn parse(path: &str) -> Route {
        let trimmed = path.trim_end_matches('/');
        let mut parts = trimmed.split('/').skip(1);
        match (parts.next(), parts.next(), parts.next()) {
            (None, ..) => Route::Home,
            (Some("protocol"), Some(slug), None) if !slug.is_empty() => {
                Route::Flow(FlowId::from_slug(slug))
            }
            (Some("extreem"), None, _) => Route::Extreme,
            (Some("naslag"), None, _) => Route::Reference,
            (Some("kaart"), None, _) => Route::Card,
            (Some("instellingen"), None, _) => Route::Settings,
            // "meldingen" was the address before a report became a "registratie" (a melding is
            // the police's word); kept so that bookmarks and links already sent still open.
            (Some("registraties" | "meldingen"), None, _) => Route::Reports,
            (Some("registraties" | "meldingen"), Some(id), None) if !id.is_empty() => {
                Route::Report(id.to_owned())
            }
            (Some("verzenden"), None, _) => Route::Outbox,
            (Some("koppelen"), None, _) => Route::Enroll,
            _ => Route::NotFound,
        }
    }

    /// The address of a screen (`NotFound` and an unknown flow have none and give home).
    pub fn path(&self) -> String {
        match self {
            Route::Report(id) => format!("/registraties/{id}"),
            other => other.static_path().into(),
        }
    }

    /// The address of a screen without an id, as text fixed at compile time: in a `const`
    /// (`const { Route::Extreme.static_path() }`) it costs the wasm no more than the literal
    /// would, where `path` builds a `String` at run time wherever it is called. One report's
    /// address holds its id: `Route::Report` has only `path` (here it stops the build, or
    /// panics at run time).
    pub const fn static_path(&self) -> &'static str {
        match self {
            Route::Home | Route::NotFound | Route::Flow(None) => "/",
            Route::Flow(Some(FlowId::Kantoor)) => "/protocol/kantoor",
            Route::Flow(Some(FlowId::Woning)) => "/protocol/woning",
            Route::Flow(Some(FlowId::Telefoon)) => "/protocol/telefoon",
            Route::Extreme => "/extreem",
            Route::Reference => "/naslag",
            Route::Card => "/kaart",
            Route::Settings => "/instellingen",
            Route::Reports => "/registraties",
            Route::Outbox => "/verzenden",
            Route::Enroll => "/koppelen",
            Route::Report(_) => panic!("a report's address holds its id: use Route::path"),
        }
    }

    /// Whether a navigation link to `self` marks the page at `current` as its own
    /// (`aria-current`): one report belongs under "Registraties".
    pub fn is_section_of(&self, current: &Route) -> bool {
        match (self, current) {
            (Route::Reports, Route::Report(_)) => true,
            _ => self == current,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every screen that has an address and no id.
    fn fixed_screens() -> Vec<Route> {
        let mut screens = vec![
            Route::Home,
            Route::Extreme,
            Route::Reference,
            Route::Card,
            Route::Settings,
            Route::Reports,
            Route::Outbox,
            Route::Enroll,
        ];
        screens.extend(FlowId::ALL.into_iter().map(|f| Route::Flow(Some(f))));
        screens
    }

    #[test]
    fn every_screen_round_trips_through_its_path() {
        let mut screens = fixed_screens();
        screens.push(Route::Report("0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b".into()));
        for screen in screens {
            assert_eq!(Route::parse(&screen.path()), screen, "{}", screen.path());
        }
    }

    #[test]
    fn fixed_addresses_are_the_paths_and_parse_back() {
        for screen in fixed_screens() {
            let fixed = screen.static_path();
            assert_eq!(fixed, screen.path());
            assert_eq!(Route::parse(fixed), screen, "{fixed}");
        }
        // A flow's address is made of the slug it is parsed by.
        for id in FlowId::ALL {
            assert_eq!(
                Route::Flow(Some(id)).static_path(),
                format!("/protocol/{}", id.slug())
            );
        }
        assert_eq!(Route::NotFound.static_path(), "/");
        assert_eq!(Route::Flow(None).static_path(), "/");
        // Usable where the text must be known when compiling.
        const EXTREME: &str = Route::Extreme.static_path();
        assert_eq!(EXTREME, "/extreem");
    }

    #[test]
    #[should_panic(expected = "holds its id")]
    fn a_reports_address_is_never_fixed() {
        let _ = Route::Report("abc".into()).static_path();
    }

    #[test]
    fn the_old_address_of_the_reports_still_opens_them() {
        assert_eq!(Route::parse("/meldingen"), Route::Reports);
        assert_eq!(Route::parse("/meldingen/abc"), Route::Report("abc".into()));
        assert_eq!(Route::Report("abc".into()).path(), "/registraties/abc");
    }

    #[test]
    fn trailing_slash_is_the_same_screen() {
        assert_eq!(Route::parse("/naslag/"), Route::Reference);
        assert_eq!(Route::parse("/koppelen/"), Route::Enroll);
        assert_eq!(Route::parse(""), Route::Home);
        assert_eq!(Route::parse("/"), Route::Home);
    }

    #[test]
    fn unknown_addresses_are_not_found() {
        for path in [
            "/onbekend",
            "/naslag/extra",
            "/registraties/a/b",
            "/meldingen/a/b",
            "/protocol",
            "/protocol/",
            "/koppelen/extra",
        ] {
            assert_eq!(Route::parse(path), Route::NotFound, "{path}");
        }
        assert_eq!(Route::parse("/protocol/bestaat-niet"), Route::Flow(None));
    }

    #[test]
    fn reports_link_is_current_on_one_report() {
        let reports = Route::Reports;
        assert!(reports.is_section_of(&Route::Reports));
        assert!(reports.is_section_of(&Route::Report("x".into())));
        assert!(!reports.is_section_of(&Route::Home));
        assert!(!Route::Home.is_section_of(&Route::Reports));
    }
}
