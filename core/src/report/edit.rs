//! The form's edits that are more than typing one text: ticking an option of a multi-choice
//! field, and adding, changing and removing persons. An edit that leaves a field empty removes
//! it (`Report::set`).

use super::model::{Person, Report, Value};
use super::schema::{field, FieldKind};

/// Ticks (`on`) or unticks `option` of the multi-choice field `key`. The values keep the
/// schema's order, whatever the order of tapping; a repeated tick is no second value.
pub fn toggle_option(report: &mut Report, key: &str, option: &str, on: bool) {
    let options = match field(key).map(|f| f.kind) {
        Some(FieldKind::Multi(options)) => options,
        _ => &[],
    };
    // Built in the schema's order rather than sorted: the standard sort costs the wasm ~2 KB.
    let current = report.many(key);
    let known = |k: &str| options.iter().any(|c| c.key == k);
    let chosen = |k: &str| {
        if k == option {
            on
        } else {
            current.iter().any(|x| x == k)
        }
    };
    // A value the schema does not know (none today) stays, first, as a sort would have left it.
    let mut values: Vec<String> = current
        .iter()
        .filter(|x| !known(x) && chosen(x))
        .cloned()
        .collect();
    if on && !known(option) && !values.iter().any(|x| x == option) {
        values.push(option.to_owned());
    }
    values.extend(
        options
            .iter()
            .filter(|c| chosen(c.key))
            .map(|c| c.key.to_owned()),
    );
    report.set(key, Value::Many(values));
}

/// One of the two texts of a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PersonPart {
    Name,
    /// Function, role or how to reach them.
    Detail,
}

impl Person {
    pub fn part(&self, part: PersonPart) -> &str {
        match part {
            PersonPart::Name => &self.name,
            PersonPart::Detail => &self.detail,
        }
    }
}

/// Adds an empty person at the end of the list in `key` (the form then shows its inputs).
pub fn add_person(report: &mut Report, key: &str) {
    let mut people = report.persons(key).to_vec();
    people.push(Person {
        name: String::new(),
        detail: String::new(),
    });
    report.set(key, Value::Persons(people));
}

/// Removes the person at `index` (nothing when there is none); the last one out removes the
/// field.
pub fn remove_person(report: &mut Report, key: &str, index: usize) {
    let mut people = report.persons(key).to_vec();
    if index < people.len() {
        people.remove(index);
    }
    report.set(key, Value::Persons(people));
}

/// Sets the name or the detail of the person at `index` (nothing when there is none).
pub fn set_person(report: &mut Report, key: &str, index: usize, part: PersonPart, text: String) {
    let mut people = report.persons(key).to_vec();
    if let Some(p) = people.get_mut(index) {
        match part {
            PersonPart::Name => p.name = text,
            PersonPart::Detail => p.detail = text,
        }
    }
    report.set(key, Value::Persons(people));
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    fn report() -> Report {
        Report::new("r", Utc.with_ymd_and_hms(2026, 11, 30, 10, 0, 0).unwrap())
    }

    #[test]
    fn ticked_options_keep_the_schemas_order_whatever_the_order_of_tapping() {
        let mut r = report();
        toggle_option(&mut r, "soort", "fysiek", true);
        toggle_option(&mut r, "soort", "verbaal", true);
        toggle_option(&mut r, "soort", "bedreiging", true);
        assert_eq!(r.many("soort"), ["verbaal", "bedreiging", "fysiek"]);
        // A second tick on a ticked option (a double event) adds nothing.
        toggle_option(&mut r, "soort", "verbaal", true);
        assert_eq!(r.many("soort"), ["verbaal", "bedreiging", "fysiek"]);
    }

    #[test]
    fn unticking_removes_the_option_and_the_last_one_removes_the_field() {
        let mut r = report();
        toggle_option(&mut r, "soort", "verbaal", true);
        toggle_option(&mut r, "soort", "fysiek", true);
        toggle_option(&mut r, "soort", "verbaal", false);
        assert_eq!(r.many("soort"), ["fysiek"]);
        toggle_option(&mut r, "soort", "fysiek", false);
        assert!(!r.values.contains_key("soort"), "{:?}", r.values);
        // Unticking what is not ticked changes nothing.
        toggle_option(&mut r, "soort", "fysiek", false);
        assert!(r.values.is_empty());
    }

    #[test]
    fn persons_are_added_empty_changed_in_place_and_removed() {
        let mut r = report();
        add_person(&mut r, "getuigen");
        assert_eq!(
            r.persons("getuigen"),
            [Person {
                name: String::new(),
                detail: String::new()
            }],
            "an empty person is kept, so the form shows its inputs"
        );
        set_person(&mut r, "getuigen", 0, PersonPart::Name, "Sanne".into());
        add_person(&mut r, "getuigen");
        set_person(&mut r, "getuigen", 1, PersonPart::Name, "Ali".into());
        set_person(&mut r, "getuigen", 1, PersonPart::Detail, "collega".into());
        let people = r.persons("getuigen");
        assert_eq!(people.len(), 2);
        assert_eq!(people[0].part(PersonPart::Name), "Sanne");
        assert_eq!(people[0].part(PersonPart::Detail), "");
        assert_eq!(people[1].part(PersonPart::Name), "Ali");
        assert_eq!(people[1].part(PersonPart::Detail), "collega");

        remove_person(&mut r, "getuigen", 0);
        assert_eq!(r.persons("getuigen")[0].name, "Ali");
        remove_person(&mut r, "getuigen", 0);
        assert!(
            !r.values.contains_key("getuigen"),
            "the last one out removes the field"
        );
    }

    #[test]
    fn a_person_that_is_not_there_is_left_alone() {
        let mut r = report();
        add_person(&mut r, "slachtoffers");
        set_person(&mut r, "slachtoffers", 0, PersonPart::Name, "Sanne".into());
        set_person(
            &mut r,
            "slachtoffers",
            3,
            PersonPart::Name,
            "Niemand".into(),
        );
        remove_person(&mut r, "slachtoffers", 3);
        assert_eq!(r.persons("slachtoffers").len(), 1);
        assert_eq!(r.persons("slachtoffers")[0].name, "Sanne");
        // Other fields are untouched.
        assert_eq!(r.values.len(), 1);
    }
}
