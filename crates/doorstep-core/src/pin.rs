//! The device PIN: what lets a worker (or a supervisor on the same phone) leave customer mode
//! and sign off. Kept only as a salted, slow hash (PBKDF2-HMAC-SHA256), never as the digits;
//! the salt comes from the caller (the device's random source), so this stays pure.
//!
//! A PIN is 6 digits: shorter ones are guessed in minutes on a lost phone, and the obvious ones
//! (one digit repeated, a run up or down) are refused.

use serde::{Deserialize, Serialize};
use sha2::Sha256;
use thiserror::Error;

pub const PIN_LEN: usize = 6;
/// PBKDF2 rounds: about a tenth of a second on a mid-range phone in wasm.
pub const ROUNDS: u32 = 60_000;
pub const SALT_LEN: usize = 16;

/// A stored PIN: salt, rounds and hash, hex.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PinHash {
    pub salt: String,
    pub rounds: u32,
    pub hash: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum PinError {
    #[error("a PIN is {PIN_LEN} digits")]
    Format,
    #[error("this PIN is too easy to guess")]
    TooEasy,
    #[error("the two PINs differ")]
    Mismatch,
}

impl crate::Explain for PinError {
    fn explain(&self, lang: crate::Lang) -> String {
        match (self, lang) {
            (PinError::Format, crate::Lang::Zh) => format!("PIN 须为 {PIN_LEN} 位数字"),
            (PinError::TooEasy, crate::Lang::Zh) => {
                "PIN 太容易被猜到（如 111111、123456），请换一个".into()
            }
            (PinError::Mismatch, crate::Lang::Zh) => "两次输入的 PIN 不一致".into(),
            (e, crate::Lang::En) => {
                let mut s = e.to_string();
                if let Some(first) = s.get_mut(0..1) {
                    first.make_ascii_uppercase();
                }
                s
            }
        }
    }
}

/// Whether `pin` may be set (and typed the same twice).
pub fn check_new_pin(pin: &str, again: &str) -> Result<(), PinError> {
    let digits: Vec<u8> = pin.bytes().map(|b| b.wrapping_sub(b'0')).collect();
    if pin.len() != PIN_LEN || digits.iter().any(|d| *d > 9) {
        return Err(PinError::Format);
    }
    let steps: Vec<i16> = digits
        .windows(2)
        .map(|w| i16::from(w[1]) - i16::from(w[0]))
        .collect();
    let run = |d: i16| steps.iter().all(|s| *s == d);
    if run(0) || run(1) || run(-1) {
        return Err(PinError::TooEasy);
    }
    if pin != again {
        return Err(PinError::Mismatch);
    }
    Ok(())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn derive(pin: &str, salt: &[u8], rounds: u32) -> [u8; 32] {
    let mut out = [0u8; 32];
    pbkdf2::pbkdf2_hmac::<Sha256>(pin.as_bytes(), salt, rounds, &mut out);
    out
}

/// The stored form of `pin` with this `salt`.
pub fn hash_pin(pin: &str, salt: &[u8; SALT_LEN]) -> PinHash {
    PinHash {
        salt: hex(salt),
        rounds: ROUNDS,
        hash: hex(&derive(pin, salt, ROUNDS)),
    }
}

/// Whether `pin` is the one `stored` was made from (a damaged record never matches).
pub fn verify_pin(pin: &str, stored: &PinHash) -> bool {
    let salt: Option<Vec<u8>> = (0..stored.salt.len())
        .step_by(2)
        .map(|i| {
            stored
                .salt
                .get(i..i + 2)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        })
        .collect();
    let Some(salt) = salt.filter(|s| !s.is_empty()) else {
        return false;
    };
    if stored.rounds == 0 {
        return false;
    }
    let got = hex(&derive(pin, &salt, stored.rounds));
    // Compared in full whatever the first difference (no early exit).
    got.len() == stored.hash.len()
        && got
            .bytes()
            .zip(stored.hash.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}
