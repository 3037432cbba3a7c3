//! Random credentials and how they are kept: made from the operating system's random source,
//! shown once, stored only as a SHA-256 hash. These values have 128 bits or more (enrollment
//! codes: 36 bits, single use, 15 minutes, attempts limited), so a fast hash is enough and a
//! check costs no Argon2 per request (the ingest benchmark depends on it).

use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// A device credential, session token or setup token: 256 random bits, base64url.
pub fn token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// What the database keeps of a secret.
pub fn hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// Letters and digits that cannot be mistaken for each other when read aloud or typed from a
/// screen (no 0/O, 1/I/L, 2/Z, 5/S, 8/B, U/V).
const CODE_ALPHABET: &[u8] = b"34679ACDEFGHJKMNPQRTWXY";

/// An enrollment code to type: 8 characters in two groups, `K7QM-4TXP`.
pub fn short_code() -> String {
    let mut code = String::with_capacity(9);
    let mut rng = rand::rng();
    for i in 0..8 {
        if i == 4 {
            code.push('-');
        }
        let n = (rng.next_u32() as usize) % CODE_ALPHABET.len();
        code.push(CODE_ALPHABET[n] as char);
    }
    code
}

/// A typed code as it is compared: case, spaces and dashes ignored.
pub fn normalize_code(typed: &str) -> String {
    typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .flat_map(char::to_uppercase)
        .collect()
}

/// A recovery code: 16 characters (80 bits), in four groups.
pub fn recovery_code() -> String {
    let mut bytes = [0u8; 10];
    rand::rng().fill_bytes(&mut bytes);
    let text = base32_crockford(&bytes);
    text.as_bytes()
        .chunks(4)
        .map(|c| std::str::from_utf8(c).unwrap_or_default())
        .collect::<Vec<_>>()
        .join("-")
}

fn base32_crockford(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let mut out = String::new();
    let mut buffer = 0u32;
    let mut bits = 0;
    for &b in bytes {
        buffer = (buffer << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(ALPHABET[((buffer >> bits) & 31) as usize] as char);
        }
    }
    if bits > 0 {
        out.push(ALPHABET[((buffer << (5 - bits)) & 31) as usize] as char);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_and_never_repeat() {
        let a = token();
        assert_eq!(a.len(), 43, "256 bits in base64url");
        assert_ne!(a, token());
        assert_eq!(hash(&a).len(), 64);
        assert_ne!(hash(&a), a);
    }

    #[test]
    fn a_short_code_reads_back_however_it_is_typed() {
        let code = short_code();
        assert_eq!(code.len(), 9);
        let typed = format!(" {} ", code.to_lowercase().replace('-', " "));
        assert_eq!(normalize_code(&typed), normalize_code(&code));
        assert!(normalize_code(&code)
            .bytes()
            .all(|b| CODE_ALPHABET.contains(&b)));
    }

    #[test]
    fn recovery_codes_have_80_bits_in_four_groups() {
        let code = recovery_code();
        assert_eq!(code.len(), 19, "{code}");
        assert_eq!(code.matches('-').count(), 3);
        assert_ne!(code, recovery_code());
    }
}
