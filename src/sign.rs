//! Typed signatures. Every signature the facility makes, other than the BAST v1 payload's (kept
//! as it is, pinned by `tests/data/`), is over DSSE's pre-authentication encoding of a type tag
//! and the exact bytes:
//!
//! ```text
//! PAE(type, body) = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body
//! ```
//!
//! where LEN is the length in ASCII decimal. So a public summary's signature can never pass for
//! a bundle's or an acknowledgment's (their types differ), and no framing can begin with the
//! BAST payload's `BANSOS1|` (it begins with `DSSEv1 `).

use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};

/// What is signed. The tag is part of every signature; a new kind is a new tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A public summary of a month or an event (`report --public`).
    Summary,
    /// A facility's monthly bundle.
    Bundle,
    /// The regional office's acknowledgment of a bundle.
    Acknowledgment,
    /// A facility's registration with its regional office.
    Registration,
    /// The regional office's enrollment of a facility.
    Enrollment,
    /// A facility's change of signing key, signed by the old key and by the new.
    KeyRotation,
    /// A facility's by-name list of one period, asked for by its Kanwil.
    ByName,
}

impl Kind {
    pub fn tag(self) -> &'static str {
        match self {
            Kind::Summary => "application/vnd.bansos.summary+json;v=1",
            Kind::Bundle => "application/vnd.bansos.bundle+json;v=1",
            Kind::Acknowledgment => "application/vnd.bansos.ack+json;v=1",
            Kind::Registration => "application/vnd.bansos.registration+json;v=1",
            Kind::Enrollment => "application/vnd.bansos.enrollment+json;v=1",
            Kind::KeyRotation => "application/vnd.bansos.key-rotation+json;v=1",
            Kind::ByName => "application/vnd.bansos.byname+json;v=1",
        }
    }
}

/// The bytes a signature of `kind` over `body` covers.
pub fn pae(kind: Kind, body: &[u8]) -> Vec<u8> {
    let tag = kind.tag().as_bytes();
    let mut v = Vec::with_capacity(body.len() + tag.len() + 32);
    v.extend_from_slice(b"DSSEv1 ");
    v.extend_from_slice(tag.len().to_string().as_bytes());
    v.push(b' ');
    v.extend_from_slice(tag);
    v.push(b' ');
    v.extend_from_slice(body.len().to_string().as_bytes());
    v.push(b' ');
    v.extend_from_slice(body);
    v
}

/// Signs `body` as a `kind`.
pub fn sign(key: &SigningKey, kind: Kind, body: &[u8]) -> [u8; 64] {
    key.sign(&pae(kind, body)).to_bytes()
}

/// Whether `sig` is the holder of `public`'s signature of `body` as a `kind`.
pub fn verify(public: &VerifyingKey, kind: Kind, body: &[u8], sig: &[u8]) -> bool {
    let Ok(sig) = <[u8; 64]>::try_from(sig) else {
        return false;
    };
    public
        .verify(&pae(kind, body), &Signature::from_bytes(&sig))
        .is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_framing_is_dsse_pae_and_never_a_bast_payload() {
        assert_eq!(
            pae(Kind::Summary, b"hello"),
            b"DSSEv1 39 application/vnd.bansos.summary+json;v=1 5 hello".to_vec()
        );
        for k in [
            Kind::Summary,
            Kind::Bundle,
            Kind::Acknowledgment,
            Kind::Registration,
            Kind::Enrollment,
        ] {
            assert!(!pae(k, b"BANSOS1|x").starts_with(b"BANSOS1|"));
        }
    }

    #[test]
    fn a_signature_of_one_kind_does_not_pass_for_another() {
        let key = SigningKey::from_bytes(&[7; 32]);
        let body = br#"{"period":"2024-11"}"#;
        let sig = sign(&key, Kind::Summary, body);
        let public = key.verifying_key();
        assert!(verify(&public, Kind::Summary, body, &sig));
        assert!(!verify(&public, Kind::Bundle, body, &sig));
        assert!(!verify(&public, Kind::Acknowledgment, body, &sig));
        assert!(!verify(
            &public,
            Kind::Summary,
            br#"{"period":"2024-12"}"#,
            &sig
        ));
        assert!(!verify(&public, Kind::Summary, body, &sig[..63]));
    }
}
