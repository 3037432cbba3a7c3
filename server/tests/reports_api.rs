//! The report API over real HTTP, on a real SQLite file.

mod common;

use std::io::{Read, Write};

use common::{id, report, start};
use serde_json::Value as Json;
use veilig_core::sync::{ApiError, Receipt, MAX_BODY_BYTES};

fn client() -> reqwest::Client {
    reqwest::Client::new()
}

async fn put(base: &str, id: &str, body: impl Into<reqwest::Body>) -> reqwest::Response {
    client()
        .put(format!("{base}/api/v1/reports/{id}"))
        .header("content-type", "application/json")
        .header("cookie", common::device_cookie(base))
        .body(body)
        .send()
        .await
        .unwrap()
}

async fn error_of(res: reqwest::Response) -> (u16, ApiError) {
    let status = res.status().as_u16();
    (
        status,
        res.json::<ApiError>().await.expect("every error is JSON"),
    )
}

async fn stored(base: &str) -> Vec<Receipt> {
    common::stored_receipts(base).await
}

struct Setup {
    _dist: tempfile::TempDir,
    data: tempfile::TempDir,
    server: common::Server,
}

async fn setup() -> Setup {
    let dist = tempfile::tempdir().unwrap();
    common::dist(dist.path());
    let data = tempfile::tempdir().unwrap();
    let server = start(dist.path(), data.path(), 0).await;
    Setup {
        _dist: dist,
        data,
        server,
    }
}

#[tokio::test]
async fn the_same_report_twice_is_stored_once_with_the_same_receipt() {
    let s = setup().await;
    let body = serde_json::to_string(&report(&id(1), "Eerste")).unwrap();
    let first = put(&s.server.base, &id(1), body.clone()).await;
    assert_eq!(first.status(), 201);
    let receipt: Receipt = first.json().await.unwrap();
    assert_eq!(receipt.id, id(1));
    assert_eq!(receipt.seq, 1);
    assert_eq!(
        receipt.content_hash,
        veilig_server::store::content_hash(body.as_bytes())
    );

    let again = put(&s.server.base, &id(1), body.clone()).await;
    assert_eq!(again.status(), 200);
    assert_eq!(again.json::<Receipt>().await.unwrap(), receipt);
    assert_eq!(stored(&s.server.base).await.len(), 1);
}

#[tokio::test]
async fn the_same_id_with_other_content_is_a_conflict_and_the_original_stays() {
    let s = setup().await;
    let original = serde_json::to_string(&report(&id(2), "Origineel")).unwrap();
    assert_eq!(
        put(&s.server.base, &id(2), original.clone()).await.status(),
        201
    );
    let changed = serde_json::to_string(&report(&id(2), "Gewijzigd")).unwrap();
    let (status, err) = error_of(put(&s.server.base, &id(2), changed).await).await;
    assert_eq!((status, err.code.as_str()), (409, "conflict"));
    assert!(err.message.contains("corrects"));
    let body = common::stored_body(&s.server.base, &id(2)).await;
    assert_eq!(body, original, "byte-identical original");
}

#[tokio::test]
async fn free_text_and_html_are_stored_byte_for_byte() {
    let s = setup().await;
    let body = serde_json::to_string(&report(
        &id(3),
        "  <script>alert('x')</script>\n “geïrriteerd” 😡 ",
    ))
    .unwrap();
    assert_eq!(
        put(&s.server.base, &id(3), body.clone()).await.status(),
        201
    );
    let back = common::admin_get(&s.server.base, &format!("/{}", id(3))).await;
    assert_eq!(back.headers()["content-type"], "application/json");
    assert_eq!(back.text().await.unwrap(), body);
}

#[tokio::test]
async fn malformed_json_is_400_and_names_the_place() {
    let s = setup().await;
    let (status, err) = error_of(put(&s.server.base, &id(4), "{\"id\": \n  oops}").await).await;
    assert_eq!((status, err.code.as_str()), (400, "malformed_json"));
    // One English sentence for API users (the app translates the code), naming the place.
    assert_eq!(err.message, "Malformed JSON at line 2, column 3.");
}

#[tokio::test]
async fn an_unknown_schema_version_is_422() {
    let s = setup().await;
    let mut value = serde_json::to_value(report(&id(5), "x")).unwrap();
    value["schema_version"] = Json::from(99);
    let (status, err) = error_of(put(&s.server.base, &id(5), value.to_string()).await).await;
    assert_eq!(
        (status, err.code.as_str(), err.field.as_deref()),
        (422, "unknown_schema_version", Some("schema_version"))
    );
}

#[tokio::test]
async fn an_invalid_report_is_422_naming_the_field() {
    let s = setup().await;
    let mut r = report(&id(6), "x");
    r.values.remove("plaats");
    let (status, err) =
        error_of(put(&s.server.base, &id(6), serde_json::to_string(&r).unwrap()).await).await;
    assert_eq!(
        (status, err.code.as_str(), err.field.as_deref()),
        (422, "invalid_report", Some("plaats"))
    );
    assert_eq!(err.message, "Please fill this in.");

    let mut draft = report(&id(7), "x");
    draft.status = veilig_core::report::Status::Draft;
    let (status, err) = error_of(
        put(
            &s.server.base,
            &id(7),
            serde_json::to_string(&draft).unwrap(),
        )
        .await,
    )
    .await;
    assert_eq!((status, err.code.as_str()), (422, "not_final"));

    let mut extra = serde_json::to_value(report(&id(8), "x")).unwrap();
    extra["values"]["bsn"] = Json::from("123456789");
    let (status, err) = error_of(put(&s.server.base, &id(8), extra.to_string()).await).await;
    assert_eq!(
        (status, err.code.as_str(), err.field.as_deref()),
        (422, "unknown_field", Some("bsn"))
    );
    assert!(stored(&s.server.base).await.is_empty());
}

#[tokio::test]
async fn the_path_id_must_be_a_uuid_and_match_the_body() {
    let s = setup().await;
    let body = serde_json::to_string(&report(&id(9), "x")).unwrap();
    let (status, err) = error_of(put(&s.server.base, &id(10), body.clone()).await).await;
    assert_eq!((status, err.code.as_str()), (400, "id_mismatch"));
    let (status, err) = error_of(put(&s.server.base, "not-a-uuid", body).await).await;
    assert_eq!((status, err.code.as_str()), (400, "invalid_id"));
}

#[tokio::test]
async fn a_body_over_the_limit_is_413() {
    let s = setup().await;
    let ten_mb = "x".repeat(10 * 1024 * 1024);
    let (status, err) = error_of(put(&s.server.base, &id(11), ten_mb).await).await;
    assert_eq!((status, err.code.as_str()), (413, "body_too_large"));
    assert!(err.message.contains(&MAX_BODY_BYTES.to_string()));
}

#[tokio::test]
async fn a_wrong_content_type_is_415() {
    let s = setup().await;
    let res = client()
        .put(format!("{}/api/v1/reports/{}", s.server.base, id(12)))
        .header("content-type", "text/plain")
        .header("cookie", common::device_cookie(&s.server.base))
        .body(serde_json::to_string(&report(&id(12), "x")).unwrap())
        .send()
        .await
        .unwrap();
    let (status, err) = error_of(res).await;
    assert_eq!((status, err.code.as_str()), (415, "unsupported_media_type"));
}

#[tokio::test]
async fn a_request_cut_off_halfway_leaves_nothing_behind() {
    let s = setup().await;
    let body = serde_json::to_string(&report(&id(13), "Afgebroken")).unwrap();
    let port = s.server.port;
    let half = body.len() / 2;
    let head = format!(
        "PUT /api/v1/reports/{} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        id(13),
        body.len()
    );
    let sent = body[..half].to_owned();
    tokio::task::spawn_blocking(move || {
        let mut tcp = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
        tcp.write_all(head.as_bytes()).unwrap();
        tcp.write_all(sent.as_bytes()).unwrap();
        tcp.shutdown(std::net::Shutdown::Write).unwrap();
        let mut rest = Vec::new();
        let _ = tcp.read_to_end(&mut rest);
    })
    .await
    .unwrap();
    assert!(
        stored(&s.server.base).await.is_empty(),
        "nothing stored from half a request"
    );
    // The whole request afterwards is stored normally.
    assert_eq!(put(&s.server.base, &id(13), body).await.status(), 201);
}

#[tokio::test]
async fn reading_needs_the_admin_token() {
    let s = setup().await;
    let list = format!("{}/api/v1/reports", s.server.base);
    let (status, err) = error_of(client().get(&list).send().await.unwrap()).await;
    assert_eq!((status, err.code.as_str()), (401, "unauthorized"));
    let (status, _) = error_of(
        client()
            .get(&list)
            .header("cookie", "veilig_session=wrong")
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 401);
    // A device's credential is not a session.
    let (status, _) = error_of(
        client()
            .get(&list)
            .header("cookie", common::device_cookie(&s.server.base))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 401);
    assert_eq!(common::admin_get(&s.server.base, "").await.status(), 200);
}

#[tokio::test]
async fn a_restart_keeps_everything() {
    let dist = tempfile::tempdir().unwrap();
    common::dist(dist.path());
    let data = tempfile::tempdir().unwrap();
    let server = start(dist.path(), data.path(), 0).await;
    let mut receipts = Vec::new();
    for n in 20..25 {
        let body = serde_json::to_string(&report(&id(n), &format!("melding {n}"))).unwrap();
        receipts.push(
            put(&server.base, &id(n), body)
                .await
                .json::<Receipt>()
                .await
                .unwrap(),
        );
    }
    let before = server.base.clone();
    server.stop().await;
    let server = common::start_again(dist.path(), data.path(), &before).await;
    assert_eq!(stored(&server.base).await, receipts);
    // And idempotency holds across the restart.
    let body = serde_json::to_string(&report(&id(20), "melding 20")).unwrap();
    let again = put(&server.base, &id(20), body).await;
    assert_eq!(again.status(), 200);
    assert_eq!(again.json::<Receipt>().await.unwrap(), receipts[0]);
    assert!(data.path().join(veilig_server::db::DB_FILE).is_file());
    server.stop().await;
}

#[tokio::test]
async fn a_report_put_does_not_leave_the_data_folder() {
    let s = setup().await;
    let body = serde_json::to_string(&report(&id(30), "x")).unwrap();
    assert_eq!(put(&s.server.base, &id(30), body).await.status(), 201);
    let files: Vec<String> = std::fs::read_dir(s.data.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert!(
        files
            .iter()
            .all(|f| f.starts_with(veilig_server::db::DB_FILE)),
        "{files:?}"
    );
}

#[tokio::test]
async fn the_openapi_document_describes_the_report_endpoints() {
    let s = setup().await;
    let doc: Json = client()
        .get(format!("{}/api/openapi.json", s.server.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let put = &doc["paths"]["/api/v1/reports/{id}"]["put"]["responses"];
    for status in ["200", "201", "400", "409", "413", "415", "422"] {
        assert!(put.get(status).is_some(), "PUT documents {status}");
    }
    assert!(doc["components"]["schemas"]["Receipt"]["properties"]["content_hash"].is_object());
    assert!(doc["paths"]["/api/v1/reports"]["get"].is_object());
}

/// The body a version 1 app sends: its stored fixture's report (core keeps the fixture).
fn v1_body(id: &str) -> Json {
    let stored: Json = serde_json::from_str(include_str!(
        "../../core/tests/fixtures/report-v1-final.json"
    ))
    .unwrap();
    let mut body = stored["data"].clone();
    body["id"] = Json::from(id);
    body
}

#[tokio::test]
async fn a_version_1_report_is_migrated_then_validated_and_stored_byte_for_byte() {
    let s = setup().await;
    let body = v1_body(&id(40));
    assert_eq!(body["schema_version"], 1);
    assert!(
        body["values"].get("extreem").is_none(),
        "version 1 did not ask"
    );
    let text = body.to_string();
    assert_eq!(
        put(&s.server.base, &id(40), text.clone()).await.status(),
        201
    );
    assert_eq!(common::stored_body(&s.server.base, &id(40)).await, text);
    // The same bytes again: the same receipt, as for any report.
    assert_eq!(put(&s.server.base, &id(40), text).await.status(), 200);
}

#[tokio::test]
async fn a_version_1_report_still_needs_what_version_1_asked() {
    let s = setup().await;
    let mut body = v1_body(&id(41));
    body["values"].as_object_mut().unwrap().remove("plaats");
    let (status, err) = error_of(put(&s.server.base, &id(41), body.to_string()).await).await;
    assert_eq!(
        (status, err.code.as_str(), err.field.as_deref()),
        (422, "invalid_report", Some("plaats"))
    );
    // Its old tick for the address became a choice; an answer that never was one is refused.
    let mut body = v1_body(&id(42));
    body["values"]["adres_werkgever"] = Json::from("nee");
    let (status, err) = error_of(put(&s.server.base, &id(42), body.to_string()).await).await;
    assert_eq!(
        (status, err.code.as_str(), err.field.as_deref()),
        (422, "invalid_report", Some("adres_werkgever"))
    );
    assert!(stored(&s.server.base).await.is_empty());
}

#[tokio::test]
async fn a_current_report_must_say_whether_it_was_extreme() {
    let s = setup().await;
    let mut r = report(&id(43), "x");
    r.values.remove("extreem");
    let (status, err) =
        error_of(put(&s.server.base, &id(43), serde_json::to_string(&r).unwrap()).await).await;
    assert_eq!(
        (status, err.code.as_str(), err.field.as_deref()),
        (422, "invalid_report", Some("extreem"))
    );
    // A version 0 does not exist.
    let mut body = v1_body(&id(44));
    body["schema_version"] = Json::from(0);
    let (status, err) = error_of(put(&s.server.base, &id(44), body.to_string()).await).await;
    assert_eq!((status, err.code.as_str()), (422, "unknown_schema_version"));
}

#[tokio::test]
async fn a_correction_is_a_second_report_and_both_stay() {
    let s = setup().await;
    let original = report(&id(45), "Eerste versie");
    let mut correction = report(&id(46), "Verbeterde versie");
    correction.corrects = Some(id(45));
    for r in [&original, &correction] {
        let body = serde_json::to_string(r).unwrap();
        assert_eq!(put(&s.server.base, &r.id, body).await.status(), 201);
    }
    let back: Json =
        serde_json::from_str(&common::stored_body(&s.server.base, &id(46)).await).unwrap();
    assert_eq!(back["corrects"], Json::from(id(45)));
    assert_eq!(stored(&s.server.base).await.len(), 2);
}
