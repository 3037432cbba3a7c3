//! Serving the built PWA: precompressed assets, cache rules, app routes answered with index.html
//! (the workspace's routes, under `/werkruimte/`, with the workspace's own `index.html`).

use std::path::{Path, PathBuf};

use axum::body::Body;
use axum::http::{header, HeaderValue, Request, Response, StatusCode};
use axum::response::IntoResponse;
use axum::Router;
use tower::ServiceExt;
use tower_http::services::{ServeDir, ServeFile};

/// Trunk's `filehash` puts the build's hash (a u64 in hex, not zero-padded, so 8 to 16 digits)
/// before the extension: `veilig-56400b55695009b_bg.wasm`, `main-b091cbc68e84ee5d.css`.
fn is_hashed_asset(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.match_indices('-').any(|(at, _)| {
        let digits = name[at + 1..]
            .bytes()
            .take_while(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(b))
            .count();
        let after = name.as_bytes().get(at + 1 + digits);
        (8..=16).contains(&digits) && matches!(after, Some(b'.') | Some(b'_'))
    })
}

/// Hashed files never change under their name; everything else must be revalidated so that
/// a new build (index.html, sw.js, manifest) is seen at once.
pub fn cache_control_for(path: &str) -> &'static str {
    if is_hashed_asset(path) {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    }
}

/// A path without a file extension is an app route (the router lives in the browser).
fn is_app_route(path: &str) -> bool {
    let last = path.rsplit('/').next().unwrap_or("");
    !last.contains('.')
}

/// Paths answered 404 whatever the build holds, never a file and never the app shell:
/// - a segment starting with a dot (`/.env`, `/.git/config`, `/sub/.hidden`), also written
///   `%2e` (the file server decodes it): a stray dotfile in the build is a secret, not the app.
///   The build has none (a `/.well-known/` would need a named exception here).
/// - a path starting with `//` or `/\`: the file server answers a folder asked without its
///   slash with a redirect to the same path plus `/`, and a browser reads `Location: //host/`
///   (and `/\host/`) as another host: an open redirect.
fn never_served(path: &str) -> bool {
    let hidden = path.split('/').any(|segment| {
        segment.starts_with('.')
            || segment
                .get(..3)
                .is_some_and(|start| start.eq_ignore_ascii_case("%2e"))
    });
    hidden || path.starts_with("//") || path.starts_with("/\\")
}

pub fn router(dist: &Path) -> Router {
    let dist: PathBuf = dist.to_path_buf();
    Router::new().fallback(move |req: Request<Body>| serve(dist.clone(), req))
}

async fn serve(dist: PathBuf, req: Request<Body>) -> Response<Body> {
    let path = req.uri().path().to_owned();
    if never_served(&path) {
        return StatusCode::NOT_FOUND.into_response();
    }
    let accept_encoding = req.headers().get(header::ACCEPT_ENCODING).cloned();
    let files = ServeDir::new(&dist)
        .precompressed_br()
        .precompressed_gzip()
        .append_index_html_on_directories(true);
    let mut response = match files.oneshot(req).await {
        Ok(res) => res.map(Body::new),
        Err(never) => match never {},
    };
    let mut cache_path = path.as_str();
    if response.status() == StatusCode::NOT_FOUND && is_app_route(&path) {
        // The workspace is a page of its own, with its own router.
        let (file, name) = if crate::headers::is_workspace(&path) {
            (
                dist.join("werkruimte").join("index.html"),
                "/werkruimte/index.html",
            )
        } else {
            (dist.join("index.html"), "/index.html")
        };
        let index = ServeFile::new(file).precompressed_br().precompressed_gzip();
        let mut req = Request::new(Body::empty());
        if let Some(value) = accept_encoding {
            req.headers_mut().insert(header::ACCEPT_ENCODING, value);
        }
        response = match index.oneshot(req).await {
            Ok(res) => res.map(Body::new),
            Err(never) => match never {},
        };
        cache_path = name;
    }
    if response.status().is_success() {
        response.headers_mut().insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static(cache_control_for(cache_path)),
        );
    }
    response.into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trunk_hashed_names_are_immutable() {
        assert_eq!(
            cache_control_for("/veilig-1a2b3c4d5e6f7a8b_bg.wasm"),
            "public, max-age=31536000, immutable"
        );
        assert_eq!(
            cache_control_for("/main-0123456789abcdef.css"),
            "public, max-age=31536000, immutable"
        );
        // Trunk does not zero-pad its hash.
        assert_eq!(
            cache_control_for("/veilig-56400b55695009b.js"),
            "public, max-age=31536000, immutable"
        );
    }

    #[test]
    fn entry_points_are_revalidated() {
        for path in [
            "/",
            "/index.html",
            "/sw.js",
            "/manifest.webmanifest",
            "/icons/icon-192.png",
        ] {
            assert_eq!(cache_control_for(path), "no-cache", "{path}");
        }
    }

    #[test]
    fn dotfiles_and_other_hosts_are_never_served() {
        for path in ["/.env", "/%2Eenv", "/a/.b", "//host/x", "/\\host"] {
            assert!(never_served(path), "{path}");
        }
        for path in ["/", "/index.html", "/icons/icon-192.png", "/a.b/c", "/x%2e"] {
            assert!(!never_served(path), "{path}");
        }
    }

    #[test]
    fn app_routes_have_no_extension() {
        assert!(is_app_route("/protocol/kantoor"));
        assert!(is_app_route("/"));
        assert!(!is_app_route("/missing.js"));
    }
}
