//! Two tabs on one draft: a three-way merge so that a save never puts older text over newer.

use std::collections::BTreeSet;

use super::model::Report;

/// `base` is what this tab last loaded or saved, `mine` what it holds now, `theirs` what is
/// stored (written by another tab since). Fields this tab changed take its value; every other
/// field takes the stored one.
pub fn merge(base: &Report, mine: &Report, theirs: &Report) -> Report {
    let mut merged = theirs.clone();
    let keys: BTreeSet<&String> = base.values.keys().chain(mine.values.keys()).collect();
    for key in keys {
        if base.values.get(key) != mine.values.get(key) {
            match mine.values.get(key) {
                Some(v) => {
                    merged.values.insert(key.clone(), v.clone());
                }
                None => {
                    merged.values.remove(key);
                }
            }
        }
    }
    if base.flow_run != mine.flow_run {
        merged.flow_run = mine.flow_run.clone();
    }
    merged
}
