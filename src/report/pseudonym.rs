//! Pseudonyms that cannot be reversed by hashing ids: a person's pseudonym
//! is HMAC-SHA-256 of their id under a secret key. The key is random for
//! each run, or kept in a key file by a user who needs the same pseudonyms
//! across runs (`--pseudonym-key FILE`; created with a fresh key when it
//! does not exist, readable by its owner only). Without the key, the
//! pseudonyms of p000–p999 cannot be computed, so a report cannot be
//! matched back to ids.
//!
//! Also here: SHA-256 checksums of scenario files for the report.

use std::path::Path;

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use crate::domain::{Person, Scenario};
use crate::input::UsageError;

/// Hex digits of a pseudonym: 8 give 4.3 × 10⁹ codes, so 10,000 people
/// collide with a chance of about 1%; a collision lengthens every code.
const CODE_DIGITS: usize = 8;

/// SHA-256 of `data` as lower-case hex.
pub fn sha256_hex(data: &[u8]) -> String {
    Sha256::digest(data)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A secret key and the pseudonyms it gives.
#[derive(Clone)]
pub struct Pseudonymiser {
    key: [u8; 32],
    digits: usize,
}

impl std::fmt::Debug for Pseudonymiser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Pseudonymiser { key: <secret> }")
    }
}

fn random_key() -> Result<[u8; 32], UsageError> {
    let mut key = [0u8; 32];
    getrandom::getrandom(&mut key)
        .map_err(|e| UsageError(format!("cannot draw a random pseudonym key: {e}")))?;
    Ok(key)
}

impl Pseudonymiser {
    /// A fresh random key: pseudonyms that hold for this run only.
    pub fn random() -> Result<Pseudonymiser, UsageError> {
        Ok(Pseudonymiser::with_key(random_key()?))
    }

    pub fn with_key(key: [u8; 32]) -> Pseudonymiser {
        Pseudonymiser {
            key,
            digits: CODE_DIGITS,
        }
    }

    /// The key in `path` (64 hex digits), or a new random key written
    /// there when the file does not exist.
    pub fn from_key_file(path: &Path) -> Result<Pseudonymiser, UsageError> {
        if !path.exists() {
            let key = random_key()?;
            let hex: String = key.iter().map(|b| format!("{b:02x}")).collect();
            let mut options = std::fs::OpenOptions::new();
            options.write(true).create_new(true);
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
            let mut f = options.open(path).map_err(|e| {
                UsageError(format!(
                    "cannot create the key file {}: {e}",
                    path.display()
                ))
            })?;
            std::io::Write::write_all(&mut f, format!("{hex}\n").as_bytes()).map_err(|e| {
                UsageError(format!("cannot write the key file {}: {e}", path.display()))
            })?;
            return Ok(Pseudonymiser::with_key(key));
        }
        let text = crate::input::read_file(path, &path.display().to_string())
            .map_err(|e| UsageError(e.to_string()))?;
        let text = String::from_utf8_lossy(&text);
        let hex = text.trim();
        let bad = || {
            UsageError(format!(
                "{} is not a pseudonym key: it must hold 64 hex digits (ploeg writes one when the file does not exist)",
                path.display()
            ))
        };
        if hex.len() != 64 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(bad());
        }
        let mut key = [0u8; 32];
        for (i, k) in key.iter_mut().enumerate() {
            *k = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).map_err(|_| bad())?;
        }
        Ok(Pseudonymiser::with_key(key))
    }

    /// The code of an id: upper-case hex digits of HMAC-SHA-256(key, id).
    pub fn code(&self, id: &str) -> String {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.key)
            .expect("HMAC takes a key of any length");
        mac.update(id.as_bytes());
        let d = mac.finalize().into_bytes();
        d.iter()
            .map(|b| format!("{b:02X}"))
            .collect::<String>()
            .chars()
            .take(self.digits)
            .collect()
    }

    /// Lengthens the codes until the given ids all get different ones.
    pub fn fit(&mut self, ids: &[&str]) {
        while self.digits < 64 {
            let mut seen = std::collections::HashSet::new();
            if ids.iter().all(|id| seen.insert(self.code(id))) {
                return;
            }
            self.digits += 2;
        }
    }

    /// A person's pseudonymous id, e.g. `P-7F3A1C0D`.
    pub fn id(&self, id: &str) -> String {
        format!("P-{}", self.code(id))
    }

    /// A person's pseudonymous name, e.g. `Person 7F3A1C0D`.
    pub fn name(&self, id: &str, person_word: &str) -> String {
        format!("{person_word} {}", self.code(id))
    }

    /// A person with id and name replaced.
    pub fn person(&self, p: &Person) -> Person {
        let mut q = p.clone();
        q.id = self.id(&p.id);
        q.name = self.name(&p.id, "Person");
        q
    }

    /// The scenario with every person's id and name replaced (indices stay,
    /// so plans and preferences keep pointing at the same people).
    pub fn scenario(&mut self, s: &Scenario) -> Scenario {
        let ids: Vec<&str> = s.people.iter().map(|p| p.id.as_str()).collect();
        self.fit(&ids);
        let mut t = s.clone();
        t.people = s.people.iter().map(|p| self.person(p)).collect();
        t.absence = s.absence.iter().map(|(id, q)| (self.id(id), *q)).collect();
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pseudonyms_depend_on_the_key() {
        let a = Pseudonymiser::with_key([1; 32]);
        let b = Pseudonymiser::with_key([2; 32]);
        assert_eq!(a.code("p001"), a.code("p001"));
        assert_ne!(a.code("p001"), b.code("p001"));
        assert_ne!(a.code("p001"), a.code("p002"));
        assert_eq!(a.code("p001").len(), CODE_DIGITS);
        // Hashing the id without the key does not give the code.
        let plain = sha256_hex(b"p001").to_uppercase();
        assert!(!plain.starts_with(&a.code("p001")));
    }

    #[test]
    fn a_key_file_is_created_once_and_then_reused() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("key");
        let first = Pseudonymiser::from_key_file(&path).unwrap();
        let again = Pseudonymiser::from_key_file(&path).unwrap();
        assert_eq!(first.code("p7"), again.code("p7"));
        std::fs::write(&path, "not a key").unwrap();
        assert!(Pseudonymiser::from_key_file(&path).is_err());
    }

    #[test]
    fn sha256_of_abc() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
