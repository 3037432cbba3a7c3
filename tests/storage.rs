//! The storage module in real headless Chromium: IndexedDB round trip, old versions migrated,
//! garbage quarantined, a full quota that keeps the last good version, two tabs merged.
#![cfg(target_arch = "wasm32")]

use chrono::{TimeZone, Utc};
use veilig::storage::idb_store::{self, simulate_write_failure, QUARANTINE, REPORTS, RUNS};
use veilig::storage::{logs, outbox, reports, StorageError};
use veilig_core::report::{Report, Value};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn at(minute: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 30, 10, minute, 0).unwrap()
}

fn draft(id: &str, description: &str) -> Report {
    let mut r = Report::new(id, at(0));
    r.set("omschrijving", Value::Text(description.into()));
    r
}

/// Stores a new draft (nothing stored under its id yet) and returns what was written.
async fn store_new(report: &Report) -> Report {
    let base = Report {
        revision: 0,
        ..report.clone()
    };
    reports::save(&base, report, at(1)).await.unwrap()
}

/// Another tab ("A"), from the same `base`, saves a newer description.
async fn tab_a_saves_newer_text(base: &Report) {
    let mut a = base.clone();
    a.set(
        "omschrijving",
        Value::Text("nieuwere tekst van tab A".into()),
    );
    reports::save(base, &a, at(2)).await.unwrap();
}

/// Stored reports as version 1 of the app wrote them. Keep one fixture per released version
/// (core's native tests read the same files: `core/tests/migrate.rs`).
const FIXTURE_V1_FINAL: &str = include_str!("../core/tests/fixtures/report-v1-final.json");
const FIXTURE_V1_DRAFT: &str = include_str!("../core/tests/fixtures/report-v1-draft.json");
const FIXTURE_V1: &str = r#"{"v":1,"data":{"id":"fixture-v1","schema_version":1,"created_at":"2026-11-30T09:00:00Z","saved_at":"2026-11-30T09:05:00Z","revision":3,"status":"draft","values":{"omschrijving":"Huurder schreeuwde","soort":["verbaal","bedreiging"],"slachtoffers":[{"name":"Ans","detail":"Woonconsulent"}]},"flow_run":null}}"#;

#[wasm_bindgen_test]
async fn a_report_round_trips_through_indexeddb_in_its_envelope() {
    let mine = draft("rt-1", "  <b>exact</b>\n tekst ");
    let written = store_new(&mine).await;
    assert_eq!(written.revision, 1);
    let raw = idb_store::get(REPORTS, "rt-1").await.unwrap().unwrap();
    assert!(raw.starts_with(r#"{"v":2,"data":"#), "{raw}");
    let loaded = reports::load("rt-1").await.unwrap().unwrap();
    assert_eq!(loaded, written);
    assert_eq!(loaded.text("omschrijving"), "  <b>exact</b>\n tekst ");
}

#[wasm_bindgen_test]
async fn every_old_version_fixture_is_read() {
    idb_store::put(REPORTS, "fixture-v1", FIXTURE_V1)
        .await
        .unwrap();
    let loaded = reports::load("fixture-v1").await.unwrap().unwrap();
    assert_eq!(loaded.revision, 3);
    assert_eq!(loaded.text("omschrijving"), "Huurder schreeuwde");
    assert_eq!(loaded.many("soort"), ["verbaal", "bedreiging"]);
    assert_eq!(loaded.persons("slachtoffers")[0].name, "Ans");

    // Version 1 to 2: the tick for the address becomes the choice; a final report's bare "ja"
    // becomes who confirmed and when; a draft's is asked again; nothing is invented.
    for (raw, id) in [
        (FIXTURE_V1_FINAL, "0193a0b0-0000-7000-8000-0000000000f1"),
        (FIXTURE_V1_DRAFT, "0193a0b0-0000-7000-8000-0000000000d1"),
    ] {
        idb_store::put(REPORTS, id, raw).await.unwrap();
        let loaded = reports::load(id).await.unwrap().unwrap();
        assert_eq!(loaded.schema_version, 2);
        assert_eq!(loaded.text("adres_werkgever"), "werkgever");
        assert!(!loaded.values.contains_key("extreem"));
        if loaded.is_final() {
            assert_eq!(loaded.text("akkoord"), "2026-01-05T11:30:00Z");
            assert_eq!(loaded.text("akkoord_naam"), "Ans de Vries");
        } else {
            assert!(!loaded.values.contains_key("akkoord"));
        }
    }
}

#[wasm_bindgen_test]
async fn finalizing_removes_the_answers_that_no_longer_apply_from_the_report_and_the_bytes() {
    let mut mine = draft("prune-1", "tekst");
    // A weapon answered for a threat, then the kind changed to verbal only.
    mine.set("soort", Value::Many(vec!["verbaal".into()]));
    mine.set("wapen", Value::Text("getoond".into()));
    mine.set("wapen_wat", Value::Text("mes".into()));
    mine.set("verzuim", Value::Text("nee".into()));
    mine.set("verzuim_dagen", Value::Text("3".into()));
    let base = store_new(&mine).await;
    assert_eq!(base.text("wapen"), "getoond", "a draft keeps them");
    let fin = outbox::finalize(&base, &base, at(3)).await.unwrap();
    for key in ["wapen", "wapen_wat", "verzuim_dagen"] {
        assert!(!fin.values.contains_key(key), "{key}");
    }
    assert_eq!(fin.text("verzuim"), "nee");
    assert_eq!(reports::load("prune-1").await.unwrap().unwrap(), fin);
    let entry = outbox::all()
        .await
        .unwrap()
        .into_iter()
        .find(|e| e.id == "prune-1")
        .unwrap();
    assert!(!entry.body.contains("wapen"), "{}", entry.body);
}

#[wasm_bindgen_test]
async fn garbage_is_quarantined_kept_and_reported_never_fatal() {
    idb_store::put(REPORTS, "garbage-1", "{this is not a report")
        .await
        .unwrap();
    let (found, set_aside) = reports::list().await.unwrap();
    assert!(set_aside >= 1);
    assert!(found.iter().all(|r| r.id != "garbage-1"));
    // Kept aside, and the original is not deleted.
    let aside = idb_store::all(QUARANTINE).await.unwrap();
    assert!(aside
        .iter()
        .any(|(k, v)| k.starts_with("reports/garbage-1/") && v == "{this is not a report"));
    assert!(idb_store::get(REPORTS, "garbage-1")
        .await
        .unwrap()
        .is_some());
    assert_eq!(
        reports::load("garbage-1").await,
        Err(StorageError::Unreadable)
    );
    idb_store::delete(REPORTS, "garbage-1").await.unwrap();
}

#[wasm_bindgen_test]
async fn a_full_quota_is_reported_and_the_last_good_version_stays() {
    let first = draft("quota-1", "eerste versie");
    let saved = store_new(&first).await;
    let mut second = saved.clone();
    second.set("omschrijving", Value::Text("tweede versie".into()));
    simulate_write_failure(Some("QuotaExceededError"));
    let result = reports::save(&saved, &second, at(2)).await;
    simulate_write_failure(None);
    assert_eq!(result, Err(StorageError::QuotaExceeded));
    assert!(veilig::i18n::NL
        .storage_error(&StorageError::QuotaExceeded)
        .contains("vol"));
    let stored = reports::load("quota-1").await.unwrap().unwrap();
    assert_eq!(stored.text("omschrijving"), "eerste versie");
    assert_eq!(stored.revision, saved.revision);
}

#[wasm_bindgen_test]
async fn a_stale_tab_never_writes_older_text_over_newer() {
    let start = draft("tabs-1", "begin");
    let base = store_new(&start).await;
    tab_a_saves_newer_text(&base).await;
    // Tab B still has the old base and changes another field.
    let mut b = base.clone();
    b.set("plaats", Value::Text("Kerkstraat 2".into()));
    let written = reports::save(&base, &b, at(3)).await.unwrap();
    assert_eq!(written.text("omschrijving"), "nieuwere tekst van tab A");
    assert_eq!(written.text("plaats"), "Kerkstraat 2");
    assert_eq!(written.revision, 3);
}

#[wasm_bindgen_test]
async fn a_finalized_report_cannot_be_overwritten_by_a_draft() {
    let start = draft("final-1", "tekst");
    let base = store_new(&start).await;
    let mut fin = base.clone();
    fin.status = veilig_core::report::Status::Final {
        finalized_at: at(2),
    };
    reports::save(&base, &fin, at(2)).await.unwrap();
    let mut stale = base.clone();
    stale.set("omschrijving", Value::Text("later getypt".into()));
    assert_eq!(
        reports::save(&base, &stale, at(3)).await,
        Err(StorageError::ReadOnly)
    );
    assert!(reports::load("final-1").await.unwrap().unwrap().is_final());
}

#[wasm_bindgen_test]
async fn finalizing_from_a_stale_tab_keeps_the_other_tabs_newer_text_and_queues_those_bytes() {
    let base = store_new(&draft("fin-stale-1", "begin")).await;
    tab_a_saves_newer_text(&base).await;
    // Tab B, still on the old base, fills in another field and finalizes.
    let mut b = base.clone();
    b.set("plaats", Value::Text("Kerkstraat 2".into()));
    let fin = outbox::finalize(&base, &b, at(3)).await.unwrap();
    assert!(fin.is_final());
    assert_eq!(fin.text("omschrijving"), "nieuwere tekst van tab A");
    assert_eq!(fin.text("plaats"), "Kerkstraat 2");
    assert_eq!(reports::load("fin-stale-1").await.unwrap().unwrap(), fin);
    let entry = outbox::all()
        .await
        .unwrap()
        .into_iter()
        .find(|e| e.id == "fin-stale-1")
        .unwrap();
    assert_eq!(
        entry.body,
        serde_json::to_string(&fin).unwrap(),
        "the queued bytes are the stored final report"
    );
    // Finalizing again, or saving over it, is refused and changes nothing.
    assert_eq!(
        outbox::finalize(&fin, &fin, at(4)).await,
        Err(StorageError::ReadOnly)
    );
    assert_eq!(reports::load("fin-stale-1").await.unwrap().unwrap(), fin);
}

#[wasm_bindgen_test]
async fn a_full_quota_at_finalize_leaves_neither_a_final_report_nor_an_outbox_entry() {
    let base = store_new(&draft("fin-quota-1", "tekst")).await;
    simulate_write_failure(Some("QuotaExceededError"));
    let result = outbox::finalize(&base, &base, at(2)).await;
    simulate_write_failure(None);
    assert_eq!(result, Err(StorageError::QuotaExceeded));
    assert!(!reports::load("fin-quota-1")
        .await
        .unwrap()
        .unwrap()
        .is_final());
    assert!(outbox::all()
        .await
        .unwrap()
        .iter()
        .all(|e| e.id != "fin-quota-1"));
}

#[wasm_bindgen_test]
async fn an_unreadable_outbox_entry_is_kept_aside_and_its_report_queued_again() {
    let base = store_new(&draft("ob-garbage-1", "tekst")).await;
    let fin = outbox::finalize(&base, &base, at(2)).await.unwrap();
    idb_store::put(idb_store::OUTBOX, "ob-garbage-1", "{not json")
        .await
        .unwrap();
    // Not silently dropped: copied to the quarantine, and queued again at once from the final
    // report, with its exact bytes.
    let entry = outbox::all()
        .await
        .unwrap()
        .into_iter()
        .find(|e| e.id == "ob-garbage-1")
        .expect("queued again");
    assert_eq!(entry.body, serde_json::to_string(&fin).unwrap());
    let aside = idb_store::all(QUARANTINE).await.unwrap();
    assert!(
        aside
            .iter()
            .any(|(k, v)| k.starts_with("outbox/ob-garbage-1/") && v == "{not json"),
        "{aside:?}"
    );
    let stored = idb_store::get(idb_store::OUTBOX, "ob-garbage-1")
        .await
        .unwrap()
        .unwrap();
    assert!(
        stored.starts_with(r#"{"v":1,"data":{"id":"ob-garbage-1""#),
        "{stored}"
    );
}

#[wasm_bindgen_test]
async fn a_stale_copy_never_turns_a_delivered_entry_back_into_sending() {
    use veilig_core::outbox::{Entry, State};
    let stale = Entry::new("ob-stale-1", "{}", at(1));
    let mut delivered = stale.clone();
    delivered.state = State::Delivered {
        receipt: veilig_core::sync::Receipt {
            id: "ob-stale-1".into(),
            received_at: "2026-11-30T10:02:00Z".into(),
            seq: 7,
            content_hash: "ab".into(),
        },
    };
    // Another sender (the service worker) delivered it after this copy was read.
    outbox::put(&delivered).await.unwrap();
    let sent = outbox::send(stale, || at(3), 0.5).await.unwrap();
    assert_eq!(sent.entry, delivered, "the stored result stands");
    assert!(!sent.no_answer);
    let stored = outbox::all()
        .await
        .unwrap()
        .into_iter()
        .find(|e| e.id == "ob-stale-1")
        .unwrap();
    assert_eq!(stored, delivered, "nothing was written over it");
}

#[wasm_bindgen_test]
async fn a_conditional_delete_keeps_what_another_tab_wrote_meanwhile() {
    idb_store::put(idb_store::OUTBOX, "ob-cond-1", "{not json")
        .await
        .unwrap();
    // Another tab replaced the unreadable value with a fresh entry before this delete ran.
    idb_store::put(idb_store::OUTBOX, "ob-cond-1", "fresh")
        .await
        .unwrap();
    assert_eq!(
        idb_store::delete_if(idb_store::OUTBOX, "ob-cond-1", Some("{not json")).await,
        Ok(false)
    );
    assert_eq!(
        idb_store::get(idb_store::OUTBOX, "ob-cond-1")
            .await
            .unwrap()
            .as_deref(),
        Some("fresh")
    );
    assert_eq!(
        idb_store::delete_if(idb_store::OUTBOX, "ob-cond-1", Some("fresh")).await,
        Ok(true)
    );
    assert_eq!(
        idb_store::get(idb_store::OUTBOX, "ob-cond-1")
            .await
            .unwrap(),
        None
    );
}

#[wasm_bindgen_test]
async fn an_outbox_entry_from_a_newer_app_is_left_alone() {
    let newer = r#"{"v":99,"data":{"id":"ob-newer-1"}}"#;
    idb_store::put(idb_store::OUTBOX, "ob-newer-1", newer)
        .await
        .unwrap();
    assert!(outbox::all()
        .await
        .unwrap()
        .iter()
        .all(|e| e.id != "ob-newer-1"));
    assert_eq!(
        idb_store::get(idb_store::OUTBOX, "ob-newer-1")
            .await
            .unwrap()
            .as_deref(),
        Some(newer),
        "a newer version reads it"
    );
}

/// Flow runs and the extreme checklist as versions before 3 kept them: in localStorage.
const OLD_RUNS: &str = r#"{"v":1,"data":[{"id":"old-1","flow":"kantoor","started_at":"2026-11-30T09:00:00Z","events":[{"at":"2026-11-30T09:01:00Z","event":"answered","node":"kalmeren","answer":"agressief"}]},{"id":"old-2","flow":"telefoon","started_at":"2026-11-30T08:00:00Z","events":[]}]}"#;
const OLD_EXTREME: &str = r#"{"v":1,"data":{"started_at":"2026-11-30T09:10:00Z","events":[{"item":"during.0","at":"2026-11-30T09:10:00Z","done":true}]}}"#;

#[wasm_bindgen_test]
async fn flow_logs_and_the_checklist_move_from_local_storage_to_indexeddb() {
    let local = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    local.set_item("veilig.runs", OLD_RUNS).unwrap();
    local.set_item("veilig.extreme", OLD_EXTREME).unwrap();
    // A run already in IndexedDB under the same id is newer: the move never overwrites it.
    let mut newer = veilig_core::protocol::run::FlowRun::new(
        "old-2",
        veilig_core::protocol::FlowId::Telefoon,
        at(30),
    );
    newer.events.clear();
    logs::save_run(&newer).await.unwrap();

    logs::look_again_for_old_values();
    let loaded = logs::load_runs().await;
    assert_eq!(loaded.problem, None);
    let mut runs = loaded.value;
    runs.sort_by(|a, b| a.id.cmp(&b.id));
    let ids: Vec<_> = runs.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["old-1", "old-2"]);
    assert_eq!(runs[0].events.len(), 1);
    assert_eq!(runs[1].started_at, at(30), "the newer record stayed");
    assert!(idb_store::get(RUNS, "old-1").await.unwrap().is_some());
    assert_eq!(
        local.get_item("veilig.runs").unwrap(),
        None,
        "moved, then removed"
    );

    let checklists = logs::load_checklists().await.value;
    assert_eq!(checklists.len(), 1);
    let moved = &checklists[0];
    assert_eq!(
        moved.id, "extreme",
        "the old single checklist keeps its record's key"
    );
    assert_eq!(
        moved.done_at("during.0"),
        Some(Utc.with_ymd_and_hms(2026, 11, 30, 9, 10, 0).unwrap())
    );
    assert_eq!(local.get_item("veilig.extreme").unwrap(), None);

    // A new tick is written over its own incident and reads back.
    let mut ticked = moved.clone();
    ticked.toggle("after.1", at(40));
    logs::save_checklist(&ticked).await.unwrap();
    // A new incident is a checklist of its own: the earlier one stays as it was.
    let mut next = veilig_core::protocol::checklist::Checklist::new("incident-2", at(50));
    next.toggle("during.1", at(51));
    logs::save_checklist(&next).await.unwrap();
    let mut all = logs::load_checklists().await.value;
    all.sort_by(|a, b| a.id.cmp(&b.id));
    assert_eq!(all, vec![ticked, next]);
}

#[wasm_bindgen_test]
async fn an_unreadable_old_checklist_is_kept_aside_reported_and_not_moved() {
    let local = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    local.set_item("veilig.extreme", "{niet te lezen").unwrap();
    logs::look_again_for_old_values();
    let loaded = logs::load_checklists().await;
    let problem = loaded.problem.expect("the user is told");
    assert_eq!(
        problem,
        StorageError::SetAside {
            from_newer_app: false
        }
    );
    let said = veilig::i18n::NL.storage_error(&problem);
    assert!(said.contains("apart bewaard"), "{said}");
    assert_eq!(local.get_item("veilig.extreme").unwrap(), None);
    let kept: Vec<String> = (0..local.length().unwrap())
        .filter_map(|i| local.key(i).unwrap())
        .filter(|k| k.starts_with("veilig.quarantine.veilig.extreme."))
        .collect();
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert_eq!(
        local.get_item(&kept[0]).unwrap().as_deref(),
        Some("{niet te lezen")
    );
}

#[wasm_bindgen_test]
fn the_organisations_settings_are_kept_in_their_envelope_and_an_unreadable_copy_is_set_aside() {
    use veilig_core::organisation::{ForDevice, Organisation};
    let local = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    local.remove_item("veilig.organisation").unwrap();
    let nothing = veilig::storage::load_organisation();
    assert_eq!(
        (nothing.value, nothing.problem),
        (None, None),
        "not yet received"
    );

    let received = ForDevice::of(
        &Organisation {
            name: "Woonstad".into(),
            office_phone: "010 4408800".into(),
            ..Organisation::default()
        },
        "06 1234 5678",
    );
    veilig::storage::save_organisation(&received).unwrap();
    let raw = local.get_item("veilig.organisation").unwrap().unwrap();
    assert!(raw.starts_with(r#"{"v":1,"data":{"#), "{raw}");
    assert_eq!(veilig::storage::load_organisation().value, Some(received));

    // Unreadable: the device uses its own values again, says so, and keeps the copy.
    local.set_item("veilig.organisation", "{kapot").unwrap();
    let loaded = veilig::storage::load_organisation();
    assert_eq!(loaded.value, None);
    assert!(loaded.problem.is_some(), "the user is told");
    let kept: Vec<String> = (0..local.length().unwrap())
        .filter_map(|i| local.key(i).unwrap())
        .filter(|k| k.starts_with("veilig.quarantine.veilig.organisation."))
        .collect();
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert_eq!(local.get_item(&kept[0]).unwrap().as_deref(), Some("{kapot"));
    local.remove_item("veilig.organisation").unwrap();
}
