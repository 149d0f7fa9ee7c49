//! The window's commands, one file per domain, mirroring `ui/src/ipc/*.ts` (and the command
//! line's files): each command is a few lines that call one `App` method. No SQL, no rule, no
//! clock lives here. Commands run off the main thread (`async`), so database and file work never
//! freezes the window.

pub mod app;
pub mod attachment;
pub mod audit;
pub mod backup;
pub mod dashboard;
pub mod distribution;
pub mod exchange;
pub mod facility;
pub mod family;
pub mod month;
pub mod receipt;
pub mod save;
pub mod staff;
pub mod stock;
