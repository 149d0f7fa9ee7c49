//! The core's integration suite: one binary, one module per concern.

// A failing unwrap is a failing test; that is what tests are for.
#![allow(clippy::unwrap_used)]
// `App` holds the data key and is deliberately not `Debug`, so `expect_err` cannot print it.
#![allow(clippy::err_expect)]

mod common;

mod audit;
mod backup;
mod cli;
mod concurrency;
mod crash;
mod dashboard;
mod demo;
mod distribution;
mod exchange;
mod facility;
mod faults;
mod fuzz;
mod golden;
mod handover;
mod hostile;
mod import;
mod inbox;
mod limits;
mod locale;
mod month;
mod nik;
mod progress;
mod readme;
mod receipt;
mod registry;
mod staff;
mod stock;
mod store;
mod summary;
mod sweep;
mod tidy;
