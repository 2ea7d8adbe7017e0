//! The device PIN: which PINs may be set, and that only the salted hash is kept.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use doorstep_core::pin::{check_new_pin, hash_pin, verify_pin, PinError, PinHash};

/// A new PIN typed twice → accepted or the reason.
fn check(pin: &str, again: &str, expected: Result<(), PinError>) {
    assert_eq!(check_new_pin(pin, again), expected, "{pin:?} / {again:?}");
}

#[test]
fn which_pins_may_be_set() {
    check("480275", "480275", Ok(()));
    check("48027", "48027", Err(PinError::Format));
    check("4802755", "4802755", Err(PinError::Format));
    check("48o275", "48o275", Err(PinError::Format));
    check("４８０２７５", "４８０２７５", Err(PinError::Format));
    check("", "", Err(PinError::Format));
    check("111111", "111111", Err(PinError::TooEasy));
    check("123456", "123456", Err(PinError::TooEasy));
    check("987654", "987654", Err(PinError::TooEasy));
    check("480275", "480276", Err(PinError::Mismatch));
}

#[test]
fn only_a_salted_hash_is_kept() {
    let salt = [7u8; 16];
    let h = hash_pin("480275", &salt);
    assert!(!format!("{h:?}").contains("480275"));
    assert_eq!(h.salt.len(), 32);
    assert_eq!(h.hash.len(), 64);
    assert!(verify_pin("480275", &h));
    assert!(!verify_pin("480276", &h));
    // Another salt, another hash for the same PIN.
    assert_ne!(hash_pin("480275", &[8u8; 16]).hash, h.hash);
    // A damaged record never matches.
    for broken in [
        PinHash {
            salt: "zz".into(),
            ..h.clone()
        },
        PinHash {
            salt: String::new(),
            ..h.clone()
        },
        PinHash {
            rounds: 0,
            ..h.clone()
        },
        PinHash {
            hash: h.hash[..10].to_owned(),
            ..h.clone()
        },
    ] {
        assert!(!verify_pin("480275", &broken), "{broken:?}");
    }
}
