//! Two tabs on one draft: a three-way merge so that a save never puts older text over newer.

use super::model::Report;

/// `base` is what this tab last loaded or saved, `mine` what it holds now, `theirs` what is
/// stored (written by another tab since). Fields this tab changed take its value; every other
/// field takes the stored one.
pub fn merge(base: &Report, mine: &Report, theirs: &Report) -> Report {
    let mut merged = theirs.clone();
    // Every key of either side once, without collecting into a set (a set sorts: 2 KB of wasm).
    let added = mine.values.keys().filter(|k| !base.values.contains_key(*k));
    for key in base.values.keys().chain(added) {
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
