//! The core's integration suite: one binary, one module per concern.

// A failing unwrap is a failing test; that is what tests are for.
#![allow(clippy::unwrap_used)]

mod common;

mod audit;
mod backup;
mod cli;
mod crash;
mod distribution;
mod facility;
mod import;
mod locale;
mod nik;
mod receipt;
mod registry;
mod staff;
mod stock;
mod store;
mod tidy;
