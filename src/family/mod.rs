//! The beneficiary registry: families, their members and the rules for their identity numbers.
//! Only the identity-number rules exist so far (`nik.rs`); the registry itself comes next.

pub mod nik;
