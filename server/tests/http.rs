//! The server over real HTTP on loopback, with a real SQLite file in a temporary folder.

mod common;

use std::path::Path;

use veilig_server::{prepare, StartupError};

const WASM: &str = "veilig-56400b55695009b_bg.wasm";

/// A minimal built app: index.html, a hashed asset with its brotli and gzip copies, sw.js.
fn fake_dist(dir: &Path) {
    std::fs::write(
        dir.join("index.html"),
        "<!doctype html><title>Veilig</title>",
    )
    .unwrap();
    std::fs::write(dir.join(WASM), b"\0asm-plain").unwrap();
    std::fs::write(dir.join(format!("{WASM}.br")), b"brotli-bytes").unwrap();
    std::fs::write(dir.join(format!("{WASM}.gz")), b"gzip-bytes").unwrap();
    std::fs::write(dir.join("sw.js"), "// sw").unwrap();
    // The workspace: a bundle of its own under /werkruimte/.
    std::fs::create_dir_all(dir.join("werkruimte")).unwrap();
    std::fs::write(
        dir.join("werkruimte/index.html"),
        "<!doctype html><title>Werkruimte</title><script>workspace()</script>",
    )
    .unwrap();
    std::fs::write(dir.join("werkruimte/style-0123456789abcdef.css"), "p{}").unwrap();
}

struct Running {
    base: String,
    server: common::Server,
    _dist: tempfile::TempDir,
    data: tempfile::TempDir,
}

async fn start() -> Running {
    let dist = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    fake_dist(dist.path());
    let server = common::start_with(config(dist.path(), data.path(), 0)).await;
    Running {
        base: server.base.clone(),
        server,
        _dist: dist,
        data,
    }
}

impl Running {
    /// GET `path`, with `accept-encoding` when given (none otherwise: the bytes on the wire).
    async fn get(&self, path: &str, accept_encoding: Option<&str>) -> reqwest::Response {
        let mut request = client().get(format!("{}{path}", self.base));
        if let Some(encodings) = accept_encoding {
            request = request.header("accept-encoding", encodings);
        }
        request.send().await.unwrap()
    }
}

/// Why the server refuses to start with these settings (it must refuse).
async fn startup_error(dist: &Path, data: &Path, port: u16) -> StartupError {
    prepare(&config(dist, data, port))
        .await
        .err()
        .expect("must fail")
}

fn config(dist: &Path, data: &Path, port: u16) -> veilig_server::Config {
    common::config(dist, data, port)
}

fn client() -> reqwest::Client {
    // No automatic decompression: the test looks at the bytes on the wire.
    reqwest::Client::builder().build().unwrap()
}

#[tokio::test]
async fn health_answers_with_the_schema_version() {
    let s = start().await;
    let res = s.get("/api/health", None).await;
    assert_eq!(res.status(), 200);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["status"], "ok");
    assert_eq!(body["schema_version"], veilig_server::db::latest_version());
    assert!(
        s.data.path().join(veilig_server::db::DB_FILE).is_file(),
        "the SQLite file exists"
    );
}

#[tokio::test]
async fn app_routes_get_the_shell_and_are_never_cached() {
    let s = start().await;
    for path in ["/", "/protocol/kantoor", "/naslag"] {
        let res = s.get(path, None).await;
        assert_eq!(res.status(), 200, "{path}");
        assert_eq!(res.headers()["cache-control"], "no-cache", "{path}");
        assert!(
            res.text().await.unwrap().contains("<title>Veilig</title>"),
            "{path}"
        );
    }
    let sw = s.get("/sw.js", None).await;
    assert_eq!(sw.headers()["cache-control"], "no-cache");
}

#[tokio::test]
async fn workspace_routes_get_the_workspace_page_with_its_own_policy() {
    let s = start().await;
    let own_script = format!(
        "'sha256-{}'",
        veilig_server::headers::sha256_base64("workspace()")
    );
    for path in [
        "/werkruimte/",
        "/werkruimte/registratie/0193a0b0-0000-7000-8000-000000000001",
        "/werkruimte/organisatie",
    ] {
        let res = s.get(path, None).await;
        assert_eq!(res.status(), 200, "{path}");
        assert_eq!(res.headers()["cache-control"], "no-cache", "{path}");
        let csp = res.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(csp.contains(&own_script), "{path}: {csp}");
        assert!(
            res.text()
                .await
                .unwrap()
                .contains("<title>Werkruimte</title>"),
            "{path}"
        );
    }
    // Its files are files (immutable by their hash); a missing file is a 404, not the page.
    let css = s.get("/werkruimte/style-0123456789abcdef.css", None).await;
    assert_eq!(css.status(), 200);
    assert_eq!(
        css.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(s.get("/werkruimte/missing.js", None).await.status(), 404);
    // The field app's pages keep the field app's page and policy.
    let app = s.get("/registraties", None).await;
    let csp = app.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(!csp.contains(&own_script), "{csp}");
    assert!(app.text().await.unwrap().contains("<title>Veilig</title>"));
}

#[tokio::test]
async fn hashed_assets_are_immutable_and_sent_precompressed() {
    let s = start().await;
    let url = format!("/{WASM}");
    let br = s.get(&url, Some("br, gzip")).await;
    assert_eq!(
        br.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(br.headers()["content-encoding"], "br");
    assert_eq!(br.bytes().await.unwrap().as_ref(), b"brotli-bytes");

    let gz = s.get(&url, Some("gzip")).await;
    assert_eq!(gz.headers()["content-encoding"], "gzip");
    assert_eq!(gz.bytes().await.unwrap().as_ref(), b"gzip-bytes");

    let plain = s.get(&url, None).await;
    assert!(plain.headers().get("content-encoding").is_none());
    assert_eq!(plain.bytes().await.unwrap().as_ref(), b"\0asm-plain");
}

#[tokio::test]
async fn missing_files_and_api_paths_are_404_not_the_shell() {
    let s = start().await;
    let asset = s.get("/gone-0123456789abcdef.js", None).await;
    assert_eq!(asset.status(), 404);
    let api = s.get("/api/nope", None).await;
    assert_eq!(api.status(), 404);
    let body: serde_json::Value = api.json().await.unwrap();
    assert_eq!(body["code"], "not_found");
    // The API's own root is not the app shell either.
    for path in ["/api", "/api/"] {
        let root = s.get(path, None).await;
        assert_eq!(root.status(), 404, "{path}");
        let body: serde_json::Value = root.json().await.unwrap();
        assert_eq!(body["code"], "not_found", "{path}");
    }
}

#[tokio::test]
async fn a_method_an_address_does_not_take_is_a_json_405_with_allow() {
    let s = start().await;
    let cases = [
        ("/api/health", reqwest::Method::POST, "GET,HEAD"),
        (
            "/api/v1/reports/0193a0b0-0000-7000-8000-000000000001",
            reqwest::Method::DELETE,
            "GET,HEAD,PUT",
        ),
    ];
    for (path, method, allow) in cases {
        let res = client()
            .request(method.clone(), format!("{}{path}", s.base))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 405, "{method} {path}");
        assert_eq!(res.headers()["allow"], allow, "{method} {path}");
        let body: serde_json::Value = res.json().await.unwrap();
        assert_eq!(body["code"], "method_not_allowed", "{method} {path}");
    }
}

#[tokio::test]
async fn a_taken_port_is_a_clear_error() {
    let s = start().await;
    let port = s.server.port;
    let dist = tempfile::tempdir().unwrap();
    fake_dist(dist.path());
    let data = tempfile::tempdir().unwrap();
    let err = startup_error(dist.path(), data.path(), port).await;
    assert!(matches!(err, StartupError::PortInUse { .. }), "{err}");
    assert!(err.to_string().contains("already in use"), "{err}");
    assert!(err.to_string().contains("--port"), "{err}");
}

#[tokio::test]
async fn an_unusable_data_folder_is_a_clear_error() {
    let dist = tempfile::tempdir().unwrap();
    fake_dist(dist.path());
    // A folder below a regular file can never be created, even by root.
    let file = tempfile::NamedTempFile::new().unwrap();
    let data = file.path().join("data");
    let err = startup_error(dist.path(), &data, 0).await;
    assert!(matches!(err, StartupError::DataDir { .. }), "{err}");
    assert!(err.to_string().contains("--data-dir"), "{err}");
}

#[tokio::test]
async fn a_missing_build_is_a_clear_error() {
    let dist = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    let err = startup_error(dist.path(), data.path(), 0).await;
    assert!(matches!(err, StartupError::DistMissing { .. }), "{err}");
    assert!(err.to_string().contains("trunk build"), "{err}");
}

#[tokio::test]
async fn shutdown_is_graceful_and_the_port_is_released() {
    let s = start().await;
    let res = s.get("/api/health", None).await;
    assert_eq!(res.status(), 200);
    let ended = tokio::time::timeout(std::time::Duration::from_secs(10), s.server.shutdown()).await;
    assert!(matches!(ended, Ok(Some(Ok(())))), "server stopped cleanly");
    assert!(client()
        .get(format!("{}/api/health", s.base))
        .send()
        .await
        .is_err());
}

/// The headers `headers.rs` puts on every response, besides the policy.
const SECURITY_HEADERS: [(&str, &str); 5] = [
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "no-referrer"),
    ("x-frame-options", "DENY"),
    ("cross-origin-opener-policy", "same-origin"),
    (
        "permissions-policy",
        "camera=(self), microphone=(), geolocation=()",
    ),
];

/// An index.html as Trunk writes it: its module loader and the boot script inline, the rest by
/// address. The hashes are `printf '%s' SCRIPT | openssl dgst -sha256 -binary | base64`.
const INDEX_WITH_SCRIPTS: &str = "<!doctype html><title>Veilig</title>\
    <script type=module>import init from '/veilig-0123456789abcdef.js';\nawait init();</script>\
    <link href=/main-0123456789abcdef.css rel=stylesheet>\
    <script src=/elsewhere.js></script><body><script>boot();</script>";
const LOADER_HASH: &str = "'sha256-3brrqMwAxPOqCaEhZUdq4fA2cj7Pkci5q1kINTx/JSM='";
const BOOT_HASH: &str = "'sha256-BoYdILVZAmAQfhxvCgsBo5rtKe9f5WOaIkiGVKr7Y94='";

/// A server that starts with inline scripts in its index.html.
async fn start_with_scripts() -> Running {
    let dist = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    fake_dist(dist.path());
    std::fs::write(dist.path().join("index.html"), INDEX_WITH_SCRIPTS).unwrap();
    let server = common::start_with(config(dist.path(), data.path(), 0)).await;
    Running {
        base: server.base.clone(),
        server,
        _dist: dist,
        data,
    }
}

fn policy(res: &reqwest::Response) -> String {
    res.headers()
        .get("content-security-policy")
        .expect("a Content-Security-Policy")
        .to_str()
        .unwrap()
        .to_owned()
}

fn assert_security_headers(res: &reqwest::Response, what: &str) {
    for (name, value) in SECURITY_HEADERS {
        assert_eq!(
            res.headers().get(name).map(|v| v.to_str().unwrap()),
            Some(value),
            "{name} on {what}"
        );
    }
    assert_eq!(
        policy(res),
        format!(
            "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' {LOADER_HASH} {BOOT_HASH}; \
             style-src 'self'; img-src 'self' data:; connect-src 'self'; worker-src 'self'; \
             manifest-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; \
             form-action 'self'"
        ),
        "{what}"
    );
}

#[tokio::test]
async fn every_response_carries_the_security_headers_and_api_answers_are_never_stored() {
    let s = start_with_scripts().await;
    // (what, method, path, status, cache-control)
    let cases = [
        ("app shell", "GET", "/", 200, "no-cache"),
        ("app route", "GET", "/protocol/kantoor", 200, "no-cache"),
        (
            "hashed asset",
            "GET",
            &format!("/{WASM}") as &str,
            200,
            "public, max-age=31536000, immutable",
        ),
        ("service worker", "GET", "/sw.js", 200, "no-cache"),
        ("API 200", "GET", "/api/health", 200, "no-store"),
        ("API 404", "GET", "/api/nope", 404, "no-store"),
        ("API root", "GET", "/api/", 404, "no-store"),
        ("API 405", "POST", "/api/health", 405, "no-store"),
        ("OpenAPI", "GET", "/api/openapi.json", 200, "no-store"),
    ];
    for (what, method, path, status, cache) in cases {
        let res = client()
            .request(method.parse().unwrap(), format!("{}{path}", s.base))
            .header("accept-encoding", "br, gzip")
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), status, "{what}: {method} {path}");
        assert_security_headers(&res, what);
        assert_eq!(
            res.headers()["cache-control"],
            cache,
            "{what}: {method} {path}"
        );
    }
    // A missing file: the headers too (no cache rule of its own).
    let missing = s.get("/gone-0123456789abcdef.js", None).await;
    assert_eq!(missing.status(), 404);
    assert_security_headers(&missing, "missing file");
}

#[tokio::test]
async fn a_new_build_copied_over_a_running_server_gets_its_own_hashes() {
    let s = start_with_scripts().await;
    let first = policy(&s.get("/", None).await);
    assert!(
        first.contains(LOADER_HASH) && first.contains(BOOT_HASH),
        "{first}"
    );

    std::fs::write(
        s._dist.path().join("index.html"),
        "<!doctype html><title>Veilig</title><script>nextBuild();</script>",
    )
    .unwrap();
    let next = policy(&s.get("/", None).await);
    assert!(
        next.contains("'sha256-enNffb5Rm+be/wemOVFtFcgQ4JVq6WEBAFkslOnBzrA='"),
        "{next}"
    );
    assert!(
        !next.contains(LOADER_HASH) && !next.contains(BOOT_HASH),
        "{next}"
    );
    // Every response carries the new policy, not only index.html's.
    assert_eq!(policy(&s.get("/api/health", None).await), next);
}

/// One request over raw TCP, the path sent exactly as written (an HTTP client would clean up a
/// `\` or a `//`); the status and the headers of the answer, names in lower case.
async fn raw_get(base: &str, path: &str) -> (u16, Vec<(String, String)>, String) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let host = base.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(host).await.unwrap();
    let request = format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.unwrap();
    let answer = String::from_utf8_lossy(&answer).into_owned();
    let (head, body) = answer.split_once("\r\n\r\n").unwrap_or((&answer, ""));
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status line for {path}: {answer:?}"));
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    (status, headers, body.to_owned())
}

#[tokio::test]
async fn dotfiles_in_the_build_are_never_served() {
    let s = start().await;
    let dist = s._dist.path();
    let secret = "SECRET=do-not-serve";
    std::fs::write(dist.join(".env"), secret).unwrap();
    std::fs::create_dir_all(dist.join(".git")).unwrap();
    std::fs::write(dist.join(".git/config"), secret).unwrap();
    std::fs::create_dir_all(dist.join("sub")).unwrap();
    std::fs::write(dist.join("sub/.hidden"), secret).unwrap();
    std::fs::write(dist.join("sub/visible.txt"), "shown").unwrap();
    for path in [
        "/.env",
        "/%2eenv",
        "/%2Eenv",
        "/.git/config",
        "/%2egit/config",
        "/.git/",
        "/sub/.hidden",
        "/sub/%2ehidden",
        "/sub/./.hidden",
    ] {
        let (status, _, body) = raw_get(&s.base, path).await;
        assert_eq!(status, 404, "{path}");
        assert!(!body.contains("do-not-serve"), "{path} leaked: {body}");
        assert!(
            !body.contains("<title>Veilig"),
            "{path} is not an app route"
        );
    }
    // Files that do not start with a dot are served as before.
    let (status, _, body) = raw_get(&s.base, "/sub/visible.txt").await;
    assert_eq!((status, body.as_str()), (200, "shown"));
}

#[tokio::test]
async fn a_path_starting_with_two_slashes_never_redirects_to_another_host() {
    let s = start().await;
    let dist = s._dist.path();
    // Folders as a build has them (`icons/`), and one named like a host.
    for dir in ["icons", "evil.example/x"] {
        std::fs::create_dir_all(dist.join(dir)).unwrap();
    }
    std::fs::write(dist.join("icons/icon-192.png"), "png").unwrap();
    for path in [
        "//icons",
        "/\\icons",
        "//evil.example",
        "//evil.example/x",
        "/\\evil.example/x",
        "///evil.example/x",
        "//evil.example/x?y=1",
    ] {
        let (status, headers, _) = raw_get(&s.base, path).await;
        let location = headers.iter().find(|(n, _)| n == "location");
        assert!(
            !(300..400).contains(&status) && location.is_none(),
            "{path}: {status} {location:?}"
        );
        assert_eq!(status, 404, "{path}");
    }
    // A folder asked without its slash is still sent to itself, on this host.
    let (status, headers, _) = raw_get(&s.base, "/icons").await;
    let location = headers
        .iter()
        .find(|(n, _)| n == "location")
        .map(|(_, v)| v.as_str());
    assert_eq!((status, location), (307, Some("/icons/")));
}

#[tokio::test]
async fn settings_that_cannot_work_stop_the_start_with_a_clear_error() {
    let dist = tempfile::tempdir().unwrap();
    common::dist(dist.path());
    let data = tempfile::tempdir().unwrap();
    let refused = |config: veilig_server::Config| async move {
        prepare(&config).await.err().expect("must fail")
    };
    // The test clock is never for a server people reach over HTTPS.
    let mut c = config(dist.path(), data.path(), 0);
    c.public_url = Some("https://veilig.example.nl".into());
    c.test_clock_offset_days = 4;
    let err = refused(c).await;
    assert!(matches!(err, StartupError::Setting { .. }), "{err}");
    assert!(err.to_string().contains("tests only"), "{err}");
    // A mail relay must be host:port, the sender an address.
    for (smtp, from, says) in [
        ("mail.example.nl", "veilig@example.nl", "host:port"),
        ("mail.example.nl:smtp", "veilig@example.nl", "host:port"),
        ("mail.example.nl:25", "geen adres", "--mail-from"),
    ] {
        let mut c = config(dist.path(), data.path(), 0);
        c.smtp = Some(smtp.into());
        c.mail_from = from.into();
        let err = refused(c).await;
        assert!(err.to_string().contains(says), "{smtp} {from}: {err}");
    }
}
