//! The beneficiary registry: families, their members, the rules for their identity numbers,
//! duplicates, search, import and export.

pub mod db;
pub mod export;
pub mod import;
pub mod model;
pub mod nik;
pub mod search;
pub mod view;

pub use model::{Category, FamilyCheck, FamilyInput, MemberInput, Notice, Relationship};
pub use view::{family_code, FamilyDetail, FamilyFilter, FamilyPage, FamilyRow};
