//! Invariants of the code base that a type cannot hold, checked by reading the sources.

use std::fs;
use std::path::{Path, PathBuf};

/// The PWA shell's sources (`../src` from this crate).
fn shell() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// String literals in `source` that begin like an address of the app: `"/` followed by a
/// letter, a digit, `"`, `#` or `?` (so `"/>` at the end of an SVG element is no address).
/// Comments are skipped. Returns (line number, line).
fn app_paths(source: &str) -> Vec<(usize, String)> {
    source
        .lines()
        .enumerate()
        .filter(|(_, line)| !line.trim_start().starts_with("//"))
        .filter(|(_, line)| {
            line.match_indices("\"/").any(|(i, _)| {
                line[i + 2..]
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, '"' | '#' | '?'))
            })
        })
        .map(|(i, line)| (i + 1, line.trim().to_owned()))
        .collect()
}

/// Addresses only through `veilig_core::route::Route` (`path`, or `static_path` where the
/// text is fixed): a page or component that writes "/verzenden" itself can point to a screen
/// the router no longer knows.
#[test]
fn pages_and_components_name_no_address_of_their_own() {
    let mut files = Vec::new();
    for dir in ["pages", "components"] {
        rust_files(&shell().join(dir), &mut files);
    }
    assert!(
        files.len() > 10,
        "the shell's pages and components are read: {files:?}"
    );
    let found: Vec<String> = files
        .iter()
        .flat_map(|file| {
            let source = fs::read_to_string(file).expect("source");
            app_paths(&source)
                .into_iter()
                .map(move |(n, line)| format!("{}:{n}: {line}", file.display()))
        })
        .collect();
    assert!(
        found.is_empty(),
        "addresses written by hand; use Route::path or Route::static_path:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_address_check_sees_what_it_must_and_nothing_else() {
    for bad in [
        r#"<a href="/verzenden">"#,
        r#"<a class="brand" href="/">"#,
        r#"router.go("/registraties");"#,
        r#"format!("/registraties/{id}")"#,
        r##"<a href="/naslag#sancties">"##,
    ] {
        assert_eq!(app_paths(bad).len(), 1, "{bad}");
    }
    for fine in [
        r#"<a href=const { Route::Outbox.static_path() }>"#,
        r##"<a href="#main">"##,
        r#"<a href="tel:112">"#,
        r##"r#"<path d="M0 0L10 5L0 10z"/></marker>"#"##,
        r#"// the address "/verzenden" in a comment"#,
    ] {
        assert!(app_paths(fine).is_empty(), "{fine}");
    }
}

/// The crates that tie code to a browser or a server. Core is plain Rust, so that every rule
/// runs (and is tested) natively, in the PWA and in the server alike.
const WEB_OR_SERVER: &[&str] = &[
    "web-sys",
    "js-sys",
    "wasm-bindgen",
    "wasm-bindgen-futures",
    "leptos",
    "gloo-storage",
    "gloo",
    "axum",
    "tokio",
    "tower",
    "tower-http",
    "hyper",
    "rusqlite",
    "reqwest",
];

/// The dependency names of a `[dependencies]`-like table in a Cargo.toml text.
fn dependencies(manifest: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut in_deps = false;
    for line in manifest.lines().map(str::trim) {
        if line.starts_with('[') {
            in_deps = line.ends_with("dependencies]");
            continue;
        }
        if in_deps {
            if let Some((name, _)) = line.split_once('=') {
                let name = name.trim();
                if !name.is_empty() && !name.starts_with('#') {
                    names.push(name.trim_end_matches(".workspace").to_owned());
                }
            }
        }
    }
    names
}

#[test]
fn core_depends_on_no_web_or_server_crate() {
    let manifest = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml"))
        .expect("core/Cargo.toml");
    let deps = dependencies(&manifest);
    assert!(
        deps.contains(&"serde".to_owned()),
        "the table is read: {deps:?}"
    );
    let bad: Vec<&String> = deps
        .iter()
        .filter(|d| WEB_OR_SERVER.contains(&d.as_str()))
        .collect();
    assert!(bad.is_empty(), "core must stay pure: {bad:?}");
    // And the check sees one when it is there.
    let with_web = "[dependencies]\nserde.workspace = true\nweb-sys = { version = \"0.3\" }\n";
    assert!(dependencies(with_web)
        .iter()
        .any(|d| WEB_OR_SERVER.contains(&d.as_str())));
}

/// What touches browser storage: localStorage, IndexedDB, gloo-storage.
fn touches_storage(line: &str) -> bool {
    let code = line.split("//").next().unwrap_or("");
    [
        "local_storage",
        "session_storage",
        "indexed_db",
        "\"indexedDB\"",
        "IdbFactory",
        "IdbDatabase",
        "gloo_storage",
    ]
    .iter()
    .any(|needle| code.contains(needle))
}

/// Only `src/storage/` touches browser storage: the one door where versioning, quarantine
/// and (later) encryption live.
#[test]
fn only_the_storage_module_touches_browser_storage() {
    let mut files = Vec::new();
    rust_files(&shell(), &mut files);
    let storage = shell().join("storage");
    assert!(
        files.iter().any(|f| f.starts_with(&storage)),
        "the shell is read"
    );
    let found: Vec<String> = files
        .iter()
        .filter(|f| !f.starts_with(&storage))
        .flat_map(|file| {
            let source = fs::read_to_string(file).expect("source");
            source
                .lines()
                .enumerate()
                .filter(|(_, line)| touches_storage(line))
                .map(|(n, line)| format!("{}:{}: {}", file.display(), n + 1, line.trim()))
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(
        found.is_empty(),
        "browser storage outside src/storage/:\n{}",
        found.join("\n")
    );
    assert!(touches_storage("let s = window.local_storage();"));
    assert!(!touches_storage("// not local_storage here"));
}
