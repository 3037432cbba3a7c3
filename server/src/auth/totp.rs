//! The second factor: time-based one-time codes (RFC 6238: SHA-1, 6 digits, 30 seconds, as
//! every authenticator app reads them), one step of drift either way, and never the same step
//! twice (a code seen over a shoulder cannot be used again).

use totp_rs::{Algorithm, Secret, TOTP};

const ISSUER: &str = "Veilig";

fn totp(secret_base32: &str, account: &str) -> Option<TOTP> {
    let bytes = Secret::Encoded(secret_base32.to_owned()).to_bytes().ok()?;
    TOTP::new(
        Algorithm::SHA1,
        6,
        1,
        30,
        bytes,
        Some(ISSUER.to_owned()),
        account.to_owned(),
    )
    .ok()
}

/// A new secret (160 bits, base32, as RFC 4226 recommends).
pub fn new_secret() -> String {
    Secret::generate_secret().to_encoded().to_string()
}

/// The `otpauth://` address an authenticator app reads from a QR code.
pub fn otpauth_url(secret_base32: &str, account: &str) -> Option<String> {
    totp(secret_base32, account).map(|t| t.get_url())
}

/// The time step a code is valid for, if it is valid at `unix_seconds` and newer than
/// `last_step` (the last one used).
pub fn accept(
    secret_base32: &str,
    code: &str,
    unix_seconds: u64,
    last_step: Option<i64>,
) -> Option<i64> {
    let code = code.trim().replace(' ', "");
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let t = totp(secret_base32, "")?;
    let now_step = (unix_seconds / 30) as i64;
    for step in [now_step - 1, now_step, now_step + 1] {
        if last_step.is_some_and(|last| step <= last) || step < 0 {
            continue;
        }
        let expected = t.generate(step as u64 * 30);
        if subtle::ConstantTimeEq::ct_eq(expected.as_bytes(), code.as_bytes()).into() {
            return Some(step);
        }
    }
    None
}

/// The code an authenticator shows at `unix_seconds` (for tests and the command line).
pub fn code_at(secret_base32: &str, unix_seconds: u64) -> Option<String> {
    totp(secret_base32, "").map(|t| t.generate(unix_seconds))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238, appendix B: the SHA-1 secret "12345678901234567890" at 59 s gives 94287082
    /// (8 digits); its last 6 digits are what a 6-digit authenticator shows.
    #[test]
    fn the_rfc_6238_test_vector() {
        let secret = Secret::Raw(b"12345678901234567890".to_vec())
            .to_encoded()
            .to_string();
        assert_eq!(code_at(&secret, 59).as_deref(), Some("287082"));
        assert_eq!(code_at(&secret, 1111111109).as_deref(), Some("081804"));
    }

    #[test]
    fn a_code_counts_once_within_one_step_of_drift() {
        let secret = new_secret();
        let now = 1_800_000_000;
        let code = code_at(&secret, now).unwrap();
        let step = accept(&secret, &code, now, None).expect("valid now");
        assert_eq!(accept(&secret, &code, now + 30, None), Some(step));
        assert_eq!(accept(&secret, &code, now + 90, None), None, "too old");
        assert_eq!(accept(&secret, &code, now, Some(step)), None, "used");
        assert_eq!(accept(&secret, "12345", now, None), None);
        assert_eq!(accept(&secret, "abcdef", now, None), None);
    }
}
