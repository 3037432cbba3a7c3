//! Security headers on every response: the Content Security Policy the app runs under, and the
//! headers that keep the app out of frames, other windows and other sites' referrers.
//!
//! The policy allows scripts from this origin only, plus the inline scripts of the `index.html`
//! being served (Trunk's module loader and the boot script), each by its SHA-256 hash. The hashes
//! are read from `dist/index.html` itself: at start, and again whenever that file changes (a new
//! build copied over a running server's folder), so any build works and nothing is kept in sync
//! by hand. The workspace (`/werkruimte/`, a bundle of its own) gets the same policy with the
//! hashes of its own `dist/werkruimte/index.html`: each page allows only its own scripts.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use axum::extract::{Request, State};
use axum::http::{header, HeaderName, HeaderValue};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::Router;
use sha2::{Digest, Sha256};

/// The policy's directives after `script-src` (whose sources depend on the build).
/// `style-src 'self'`: the app has no inline style, only `main.css`. `img-src data:`: images
/// written into the page as `data:` addresses (such as an enrollment QR code); the app shows
/// none yet, and an image cannot run code.
const AFTER_SCRIPT_SRC: &str = "style-src 'self'; img-src 'self' data:; connect-src 'self'; \
     worker-src 'self'; manifest-src 'self'; object-src 'none'; base-uri 'none'; \
     frame-ancestors 'none'; form-action 'self'";

/// Headers that are the same on every response.
const FIXED: [(HeaderName, &str); 5] = [
    (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
    (header::REFERRER_POLICY, "no-referrer"),
    (header::X_FRAME_OPTIONS, "DENY"),
    (
        HeaderName::from_static("cross-origin-opener-policy"),
        "same-origin",
    ),
    (
        HeaderName::from_static("permissions-policy"),
        "camera=(self), microphone=(), geolocation=()",
    ),
];

/// The whole policy for a page whose inline scripts have these texts.
///
/// `'wasm-unsafe-eval'` lets the page and the service worker compile WebAssembly (and nothing
/// else: `eval` stays blocked). The service worker gets this policy from `sw.js`'s own response.
pub fn content_security_policy<S: AsRef<str>>(inline_scripts: &[S]) -> String {
    let mut script_src = String::from("'self' 'wasm-unsafe-eval'");
    for script in inline_scripts {
        let source = format!(" 'sha256-{}'", sha256_base64(script.as_ref()));
        if !script_src.contains(&source) {
            script_src.push_str(&source);
        }
    }
    format!("default-src 'self'; script-src {script_src}; {AFTER_SCRIPT_SRC}")
}

/// The base64 SHA-256 of a script's text, as CSP's `'sha256-…'` source names it.
pub fn sha256_base64(text: &str) -> String {
    base64(&Sha256::digest(text.as_bytes()))
}

/// Standard base64 with padding (RFC 4648 §4).
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i)) as usize & 63]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The text of every `<script>` element without a `src` attribute, in document order, as the
/// browser hashes it: the raw text between the tags (no entity decoding inside a script), with
/// line breaks normalized to `\n` as the HTML parser does before anything else. Comments are
/// skipped. Enough HTML for what Trunk writes and what a person writes in `index.html`; not a
/// general parser.
pub fn inline_scripts(html: &str) -> Vec<String> {
    // ASCII lowercase keeps every byte offset.
    let lower = html.to_ascii_lowercase();
    let bytes = lower.as_bytes();
    let mut scripts = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        let comment = lower[at..].find("<!--").map(|i| at + i);
        let script = lower[at..].find("<script").map(|i| at + i);
        let start = match (comment, script) {
            (Some(c), Some(s)) if c < s => {
                at = match lower[c + 4..].find("-->") {
                    Some(end) => c + 4 + end + 3,
                    None => break,
                };
                continue;
            }
            (_, Some(s)) => s,
            (_, None) => break,
        };
        let after_name = start + "<script".len();
        if !bytes
            .get(after_name)
            .is_some_and(|&b| is_space(b) || b == b'/' || b == b'>')
        {
            at = after_name;
            continue;
        }
        let Some((has_src, content_start)) = open_tag(bytes, after_name) else {
            break;
        };
        let content_end = end_tag(&lower, content_start).unwrap_or(bytes.len());
        if !has_src {
            let text = &html[content_start..content_end];
            scripts.push(text.replace("\r\n", "\n").replace('\r', "\n"));
        }
        at = content_end;
    }
    scripts
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c')
}

/// Reads a start tag's attributes from just after its name: whether one is `src`, and where
/// the tag ends (after its `>`). `None` if the tag never ends.
fn open_tag(lower: &[u8], mut at: usize) -> Option<(bool, usize)> {
    let mut has_src = false;
    loop {
        while at < lower.len() && (is_space(lower[at]) || lower[at] == b'/') {
            at += 1;
        }
        match lower.get(at)? {
            b'>' => return Some((has_src, at + 1)),
            _ => {
                let name_start = at;
                while at < lower.len() && !matches!(lower[at], b'/' | b'>' | b'=') {
                    if is_space(lower[at]) {
                        break;
                    }
                    at += 1;
                }
                has_src |= &lower[name_start..at] == b"src";
                while at < lower.len() && is_space(lower[at]) {
                    at += 1;
                }
                if lower.get(at) == Some(&b'=') {
                    at += 1;
                    while at < lower.len() && is_space(lower[at]) {
                        at += 1;
                    }
                    match lower.get(at)? {
                        &quote @ (b'"' | b'\'') => {
                            let close = lower[at + 1..].iter().position(|&b| b == quote)?;
                            at += 1 + close + 1;
                        }
                        _ => {
                            while at < lower.len() && !is_space(lower[at]) && lower[at] != b'>' {
                                at += 1;
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Where the script's text ends: at `</script` followed by a space, `/` or `>`.
fn end_tag(lower: &str, mut at: usize) -> Option<usize> {
    loop {
        let found = at + lower[at..].find("</script")?;
        let after = lower.as_bytes().get(found + "</script".len());
        if after.is_none_or(|&b| is_space(b) || b == b'/' || b == b'>') {
            return Some(found);
        }
        at = found + 1;
    }
}

/// Where the workspace is served, and its build's folder inside `dist/`.
pub const WORKSPACE_PATH: &str = "/werkruimte";

/// Whether `path` is the workspace's (its page or its files).
pub fn is_workspace(path: &str) -> bool {
    path.strip_prefix(WORKSPACE_PATH)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// The policies of the two pages: the field app's and the workspace's.
#[derive(Clone)]
pub struct SecurityHeaders {
    app: PagePolicy,
    workspace: PagePolicy,
}

impl SecurityHeaders {
    pub fn new(dist: &Path) -> Self {
        SecurityHeaders {
            app: PagePolicy::new(dist.join("index.html")),
            workspace: PagePolicy::new(dist.join("werkruimte").join("index.html")),
        }
    }

    /// The policy for a response to `path`.
    pub fn csp_for(&self, path: &str) -> HeaderValue {
        if is_workspace(path) {
            self.workspace.csp()
        } else {
            self.app.csp()
        }
    }
}

/// The policy for one `index.html` on disk, read again when that file changes.
#[derive(Clone)]
pub struct PagePolicy {
    index: PathBuf,
    current: Arc<Mutex<Current>>,
}

struct Current {
    /// What the file looked like when the policy was made (`None`: not read yet).
    stamp: Option<(SystemTime, u64)>,
    csp: HeaderValue,
}

impl PagePolicy {
    pub fn new(index: PathBuf) -> Self {
        let headers = PagePolicy {
            index,
            current: Arc::new(Mutex::new(Current {
                stamp: None,
                // Until index.html is read: no inline script runs.
                csp: policy_value(&[] as &[&str]),
            })),
        };
        headers.csp();
        headers
    }

    /// The policy for the `index.html` there is now. One `stat` per response; the file is read
    /// only when its modification time or length changed. Should it be unreadable (in the
    /// middle of a deployment), the last policy stays and the next response tries again.
    pub fn csp(&self) -> HeaderValue {
        let stamp = std::fs::metadata(&self.index)
            .ok()
            .and_then(|m| Some((m.modified().ok()?, m.len())));
        let mut current = self.current.lock().unwrap_or_else(|e| e.into_inner());
        if stamp.is_some() && stamp != current.stamp {
            if let Ok(html) = std::fs::read_to_string(&self.index) {
                current.csp = policy_value(&inline_scripts(&html));
                current.stamp = stamp;
            }
        }
        current.csp.clone()
    }
}

fn policy_value<S: AsRef<str>>(inline_scripts: &[S]) -> HeaderValue {
    HeaderValue::from_str(&content_security_policy(inline_scripts))
        .expect("a policy is ASCII: keywords and base64")
}

/// Whether `path` is the API's (its answers can carry special-category personal data).
fn is_api(path: &str) -> bool {
    path == "/api" || path.starts_with("/api/")
}

/// Adds the headers to every response of `router` (apply it last, over everything).
pub fn apply(router: Router, dist: &Path) -> Router {
    router.layer(middleware::from_fn_with_state(
        SecurityHeaders::new(dist),
        add_headers,
    ))
}

async fn add_headers(
    State(security): State<SecurityHeaders>,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path().to_owned();
    let api = is_api(&path);
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_SECURITY_POLICY, security.csp_for(&path));
    for (name, value) in FIXED {
        headers.insert(name, HeaderValue::from_static(value));
    }
    // Never stored by the browser or a proxy. Static files keep their own rules
    // (`static_files::cache_control_for`).
    if api {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_follows_rfc_4648() {
        for (plain, encoded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(plain.as_bytes()), encoded, "{plain:?}");
        }
        assert_eq!(base64(&[0xfb, 0xff, 0xbf]), "+/+/");
    }

    #[test]
    fn a_known_script_has_its_known_hash() {
        // `printf 'alert(1);' | openssl dgst -sha256 -binary | base64`
        assert_eq!(
            sha256_base64("alert(1);"),
            "5jFwrAK0UV47oFbVg/iCCBbxD8X1w+QvoOUepu4C2YA="
        );
        let html = "<p>x</p><script>alert(1);</script>";
        assert_eq!(inline_scripts(html), ["alert(1);"]);
        assert!(content_security_policy(&inline_scripts(html)).contains(
            "script-src 'self' 'wasm-unsafe-eval' 'sha256-5jFwrAK0UV47oFbVg/iCCBbxD8X1w+QvoOUepu4C2YA=';"
        ));
    }

    #[test]
    fn only_scripts_without_src_in_document_order() {
        let html = r#"<!doctype html><head>
<script type=module>import init from '/a.js';
await init();</script>
<script src="/b.js"></script>
<SCRIPT SRC=/c.js defer></SCRIPT>
<script data-x='a > b' nonce="src">one()</script>
</head><body><script>two()</script></body>"#;
        assert_eq!(
            inline_scripts(html),
            ["import init from '/a.js';\nawait init();", "one()", "two()"]
        );
    }

    #[test]
    fn the_text_is_taken_as_the_browser_hashes_it() {
        // Raw text: no entity decoding, a `</scripts` or `</p>` inside does not end it.
        assert_eq!(
            inline_scripts("<script>a = '&amp;</p></scripts';</script >"),
            ["a = '&amp;</p></scripts';"]
        );
        // Line breaks as the parser normalizes them.
        assert_eq!(inline_scripts("<script>a\r\nb\rc</script>"), ["a\nb\nc"]);
        // An empty inline script is still one.
        assert_eq!(inline_scripts("<script></script>"), [""]);
    }

    #[test]
    fn comments_and_lookalikes_are_not_scripts() {
        let html = "<!-- <script>old()</script> --><scripts>no</scripts><noscript>x</noscript>\
                    <template-script>no</template-script><script>yes()</script>";
        assert_eq!(inline_scripts(html), ["yes()"]);
        // Unfinished input ends the search without a panic.
        assert!(inline_scripts("<script type='module").is_empty());
        assert_eq!(inline_scripts("<script>never closed"), ["never closed"]);
        assert!(inline_scripts("<!-- never closed <script>x</script>").is_empty());
    }

    #[test]
    fn the_policy_lists_each_hash_once() {
        let csp = content_security_policy(&["a()", "b()", "a()"]);
        assert_eq!(csp.matches("'sha256-").count(), 2, "{csp}");
        assert_eq!(
            content_security_policy(&[] as &[&str]),
            "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
             img-src 'self' data:; connect-src 'self'; worker-src 'self'; manifest-src 'self'; \
             object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
        );
        assert!(!csp.contains("unsafe-inline"));
    }

    #[test]
    fn workspace_paths() {
        assert!(is_workspace("/werkruimte"));
        assert!(is_workspace("/werkruimte/"));
        assert!(is_workspace("/werkruimte/registratie/x"));
        assert!(!is_workspace("/werkruimtes"));
        assert!(!is_workspace("/"));
        assert!(!is_workspace("/registraties"));
    }

    #[test]
    fn each_page_allows_only_its_own_inline_scripts() {
        let dist = std::env::temp_dir().join(format!("veilig-csp-{}", std::process::id()));
        std::fs::create_dir_all(dist.join("werkruimte")).unwrap();
        std::fs::write(dist.join("index.html"), "<script>app()</script>").unwrap();
        std::fs::write(
            dist.join("werkruimte/index.html"),
            "<script>workspace()</script>",
        )
        .unwrap();
        let headers = SecurityHeaders::new(&dist);
        let app = sha256_base64("app()");
        let workspace = sha256_base64("workspace()");
        let csp = |path| headers.csp_for(path).to_str().unwrap().to_owned();
        assert!(csp("/").contains(&app) && !csp("/").contains(&workspace));
        for path in ["/werkruimte/", "/werkruimte/registratie/x"] {
            assert!(csp(path).contains(&workspace), "{path}");
            assert!(!csp(path).contains(&app), "{path}");
        }
        std::fs::remove_dir_all(&dist).unwrap();
    }

    #[test]
    fn api_paths() {
        assert!(is_api("/api"));
        assert!(is_api("/api/"));
        assert!(is_api("/api/v1/reports"));
        assert!(!is_api("/apix"));
        assert!(!is_api("/"));
        assert!(!is_api("/protocol/api"));
    }
}
