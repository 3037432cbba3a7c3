//! Passwords: the policy (at least 12 characters, not common or guessable: zxcvbn, whose lists
//! hold the common passwords) and Argon2id hashes with at least OWASP's parameters.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

pub const MIN_CHARS: usize = 12;
/// Longer passwords are refused before hashing: Argon2 of a megabyte is a denial of service.
pub const MAX_CHARS: usize = 256;

/// OWASP (Password Storage Cheat Sheet): Argon2id, m = 19 MiB, t = 2, p = 1.
fn argon2() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).expect("valid Argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Why a new password is refused, in one English sentence (the API's `message`).
pub fn check(password: &str, login: &str, name: &str) -> Result<(), &'static str> {
    let chars = password.chars().count();
    if chars < MIN_CHARS {
        return Err("The password needs at least 12 characters.");
    }
    if chars > MAX_CHARS {
        return Err("The password may have at most 256 characters.");
    }
    let estimate = zxcvbn::zxcvbn(password, &[login, name, "veilig", "agressie"]);
    if (estimate.score() as u8) < 3 {
        return Err("This password is too common or too easy to guess; choose a longer one, for example a few unrelated words.");
    }
    Ok(())
}

pub fn hash(password: &str) -> String {
    let mut bytes = [0u8; 16];
    rand::RngCore::fill_bytes(&mut rand::rng(), &mut bytes);
    let salt = SaltString::encode_b64(&bytes).expect("16 bytes make a valid salt");
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .expect("Argon2 hashes any password of allowed length")
        .to_string()
}

/// Compares in constant time (the argon2 crate's verifier). A stored hash that cannot be read
/// never matches.
pub fn verify(password: &str, stored: &str) -> bool {
    if password.chars().count() > MAX_CHARS {
        return false;
    }
    PasswordHash::new(stored)
        .map(|parsed| {
            argon2()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// Argon2 runs at most this many at once (the machine's cores): each takes 19 MiB and a core
/// for tens of milliseconds, so a flood of logins waits here instead of filling the memory and
/// the blocking pool that the database also uses.
fn slots() -> &'static tokio::sync::Semaphore {
    static SLOTS: std::sync::OnceLock<tokio::sync::Semaphore> = std::sync::OnceLock::new();
    SLOTS.get_or_init(|| {
        tokio::sync::Semaphore::new(std::thread::available_parallelism().map_or(2, |n| n.get()))
    })
}

/// `verify` off the async threads, one of at most `slots()` at a time.
pub async fn verify_limited(password: String, stored: Option<String>) -> bool {
    let Ok(_slot) = slots().acquire().await else {
        return false;
    };
    tokio::task::spawn_blocking(move || match stored {
        Some(hash) => verify(&password, &hash),
        None => {
            // As long as a real check, so the timing does not tell which logins exist.
            verify(&password, decoy());
            false
        }
    })
    .await
    .unwrap_or(false)
}

/// `hash` off the async threads, one of at most `slots()` at a time.
pub async fn hash_limited(password: String) -> Option<String> {
    let _slot = slots().acquire().await.ok()?;
    tokio::task::spawn_blocking(move || hash(&password))
        .await
        .ok()
}

/// Hashed once at start: verified against when a login names no account, so that the answer
/// takes as long as for a real one (the timing does not tell which logins exist).
pub fn decoy() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash("decoy password that matches nothing"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn argon2id_with_owasp_parameters() {
        let stored = hash("paard-batterij-nietje-correct");
        assert!(
            stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{stored}"
        );
        assert!(verify("paard-batterij-nietje-correct", &stored));
        assert!(!verify("paard-batterij-nietje-correcT", &stored));
        assert!(!verify("x", "not a hash"));
    }

    #[test]
    fn short_common_and_personal_passwords_are_refused() {
        assert!(check("kort", "ans", "Ans").is_err());
        assert!(check("welkom123456", "ans", "Ans").is_err());
        assert!(check("password1234", "ans", "Ans").is_err());
        assert!(check("ansdevries1234", "ansdevries", "Ans de Vries").is_err());
        assert!(check(&"a".repeat(300), "ans", "Ans").is_err());
        assert!(check("wolk fiets lantaarn koffie", "ans", "Ans").is_ok());
    }
}
