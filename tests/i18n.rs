//! The interface's words for what the server and storage say.
#![cfg(target_arch = "wasm32")]

use veilig::i18n::{EN, NL};
use veilig_core::sync::ErrorCode;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn every_translated_refusal_is_a_code_the_server_sends_in_both_languages() {
    for t in [&NL, &EN] {
        for (code, sentence) in t.refusals {
            assert!(
                ErrorCode::parse(code).is_some(),
                "{code} is not a server code"
            );
            assert!(!sentence.is_empty());
        }
    }
    let codes = |t: &veilig::i18n::Texts| t.refusals.iter().map(|(c, _)| *c).collect::<Vec<_>>();
    assert_eq!(codes(&NL), codes(&EN));
}

#[wasm_bindgen_test]
fn a_refusal_names_the_field_in_the_readers_language_and_an_unknown_code_its_status() {
    assert_eq!(
        NL.refusal("invalid_report", Some("plaats"), 422),
        format!(
            "Niet goed ingevuld. ({})",
            veilig_core::report::schema::field("plaats").unwrap().label[0]
        )
    );
    assert_eq!(
        EN.refusal("no_such_code", None, 418),
        "The server refused the report (HTTP 418)."
    );
    assert_eq!(NL.attempt_error("timeout"), NL.no_answer_timeout);
    // Retried: not "refused".
    assert_eq!(
        NL.attempt_error("http_502"),
        "De server kon de registratie nu niet aannemen (HTTP 502). De app probeert het later opnieuw."
    );
    assert_eq!(EN.attempt_error("TypeError"), EN.no_answer);
    assert_eq!(EN.attempt_error("network"), EN.no_answer);
    // A sentence an earlier version kept is shown as it is.
    assert_eq!(NL.attempt_error("HTTP 500"), "HTTP 500");
}

#[wasm_bindgen_test]
fn a_held_outbox_is_said_in_one_sentence_that_names_whom_to_ask() {
    use veilig_core::outbox::Hold;
    for t in [&NL, &EN] {
        let (not_enrolled, revoked) = (t.held(Hold::NotEnrolled), t.held(Hold::Revoked));
        assert_ne!(not_enrolled, revoked);
        for sentence in [not_enrolled, revoked] {
            assert!(!sentence.is_empty());
        }
        // The last error of a held entry is words, not the code.
        for code in ["device_not_enrolled", "device_revoked"] {
            let said = t.attempt_error(code);
            assert!(!said.contains('_'), "{said}");
        }
    }
    assert!(NL.held(Hold::NotEnrolled).contains("leidinggevende"));
    assert!(NL.held(Hold::Revoked).contains("nieuwe koppelcode"));
    assert_eq!(
        (NL.enrolled_to)("Wijkteam Noord"),
        "Gekoppeld aan Wijkteam Noord"
    );
}
