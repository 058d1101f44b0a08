//! Signatures checked with the test key pair's private key (`tests/fixtures/test_key_private.pem`),
//! which only the repository has: the package ships the public keys alone, so these tests live here,
//! outside it, and `src/signing.rs` keeps the tests that need no private key.

#![cfg(feature = "signing")]

use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64_STANDARD;
use cashfree_verification::signing::{Signer, SigningError};
use rsa::pkcs8::DecodePrivateKey as _;
use rsa::{Oaep, RsaPrivateKey};
use sha1::Sha1;

use crate::common::calls::{PRIVATE_KEY as PRIVATE_PKCS8, PUBLIC_KEY as PUBLIC_SPKI};

const PUBLIC_PKCS1: &str = include_str!("../fixtures/test_key_public_pkcs1.pem");

fn signer() -> Signer {
    Signer::from_pem(PUBLIC_SPKI).expect("fixture SPKI key parses")
}

/// Decrypts a signature with the test private key and returns the plaintext.
fn decrypt(signature: &str) -> String {
    let key = RsaPrivateKey::from_pkcs8_pem(PRIVATE_PKCS8).expect("fixture private key");
    let ciphertext = BASE64_STANDARD.decode(signature).expect("standard base64");
    assert_eq!(ciphertext.len(), 256, "one 2048-bit RSA block");
    let plain = key
        .decrypt(Oaep::new::<Sha1>(), &ciphertext)
        .expect("decrypts with OAEP-SHA1");
    String::from_utf8(plain).expect("ASCII plaintext")
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

#[test]
fn spki_signature_decrypts_to_client_id_dot_timestamp() {
    let signature = signer().signature("CF123CLIENT", 1_700_000_000).unwrap();
    assert_eq!(signature.len(), 344, "256 bytes as padded base64");
    assert!(signature.ends_with('='));
    assert_eq!(decrypt(&signature), "CF123CLIENT.1700000000");
}

#[test]
fn pkcs1_and_crlf_pems_load_the_same_key() {
    let pkcs1 = Signer::from_pem(PUBLIC_PKCS1).unwrap();
    assert_eq!(pkcs1.key_bits(), 2048);
    assert_eq!(decrypt(&pkcs1.signature("id", 42).unwrap()), "id.42");
    let crlf = format!("\n  {}  \n", PUBLIC_SPKI.replace('\n', "\r\n"));
    let crlf = Signer::from_pem(&crlf).unwrap();
    assert_eq!(decrypt(&crlf.signature("id", 7).unwrap()), "id.7");
}

#[test]
fn padding_is_random_for_each_signature() {
    let signer = signer();
    let first = signer.signature("CLIENT", 1_735_689_599).unwrap();
    let second = signer.signature("CLIENT", 1_735_689_599).unwrap();
    assert_ne!(first, second);
    assert_eq!(decrypt(&first), "CLIENT.1735689599");
    assert_eq!(decrypt(&second), "CLIENT.1735689599");
}

#[test]
fn signature_now_reuses_within_a_second_and_uses_the_clock() {
    let signer = signer();
    for _ in 0..5 {
        let before = unix_now();
        let first = signer.signature_now("NOWCLIENT").unwrap();
        let second = signer.clone().signature_now("NOWCLIENT").unwrap();
        let after = unix_now();
        if before != after {
            continue; // The second changed in between; try again.
        }
        assert_eq!(first, second, "same second, same client: cached");
        let plain = decrypt(&first);
        let stamp: u64 = plain.strip_prefix("NOWCLIENT.").unwrap().parse().unwrap();
        assert!(unix_now().abs_diff(stamp) <= 2, "{stamp} vs now");
        let other = signer.signature_now("OTHER").unwrap();
        assert!(decrypt(&other).starts_with("OTHER."));
        return;
    }
    panic!("the clock's second changed in every try");
}

#[test]
fn the_real_private_key_is_refused_without_being_echoed() {
    let err = Signer::from_pem(PRIVATE_PKCS8).unwrap_err();
    assert_eq!(err, SigningError::PrivateKeyPem);
    let shown = format!("{err} {err:?}");
    for line in PRIVATE_PKCS8.lines().skip(1).take(3) {
        assert!(!shown.contains(line), "error echoes key material");
    }
}

#[test]
fn the_longest_client_id_that_fits_is_signed_whole() {
    let exact = "y".repeat(214 - ".1".len());
    assert_eq!(
        decrypt(&signer().signature(&exact, 1).unwrap()),
        format!("{exact}.1")
    );
}
