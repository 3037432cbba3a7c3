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
