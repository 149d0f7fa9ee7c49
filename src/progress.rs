//! How far long work has come, for a progress bar: importing a sheet, printing an event's
//! receipts, closing a month, importing bundles. The use case counts; whoever drives it (the
//! window, the command line) sets a sink on the session and draws the bar.

use serde::Serialize;
use std::sync::Arc;
use std::time::{Duration, Instant};
use ts_rs::TS;

/// Which long work is reporting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum Work {
    /// A sheet's rows written to the registry (`done` rows of `total`).
    ImportRows,
    /// Receipts printed into one PDF (`done` pages of `total`).
    PrintReceipts,
    /// A month's closing, in steps (`done` of `total`, the step named by `stage`).
    CloseMonth,
    /// Bundle files imported at the Kanwil (`done` files of `total`).
    ImportBundles,
}

/// The step of a month's closing that is running.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Checklist,
    Report,
    Pdf,
    Xlsx,
    Bundle,
}

/// One report: `done` of `total` units of `work`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Progress {
    pub work: Work,
    #[ts(type = "number")]
    pub done: u64,
    #[ts(type = "number")]
    pub total: u64,
    pub stage: Option<Stage>,
}

/// Where reports go: called on the working thread, so it must be quick (send an event, draw a
/// bar) and never block on the session.
pub type Sink = Arc<dyn Fn(&Progress) + Send + Sync>;

/// Reports of one piece of work, at most one every [`Reporter::EVERY`] besides the first and the
/// last, so a bar is drawn smoothly and a window's channel is not flooded.
pub struct Reporter {
    sink: Option<Sink>,
    work: Work,
    total: u64,
    last: std::cell::Cell<Option<Instant>>,
}

impl Reporter {
    pub const EVERY: Duration = Duration::from_millis(40);

    pub fn new(sink: Option<Sink>, work: Work, total: u64) -> Reporter {
        Reporter {
            sink,
            work,
            total,
            last: std::cell::Cell::new(None),
        }
    }

    /// A reporter that says nothing.
    pub fn silent(work: Work) -> Reporter {
        Reporter::new(None, work, 0)
    }

    pub fn total(&self) -> u64 {
        self.total
    }

    /// `done` units are finished (the first, the last, and otherwise when due).
    pub fn step(&self, done: u64) {
        self.emit(done, None, false);
    }

    /// A named step has begun: always reported.
    pub fn stage(&self, done: u64, stage: Stage) {
        self.emit(done, Some(stage), true);
    }

    fn emit(&self, done: u64, stage: Option<Stage>, always: bool) {
        let Some(sink) = &self.sink else { return };
        let now = Instant::now();
        let due = always
            || done == 0
            || done >= self.total
            || self
                .last
                .get()
                .is_none_or(|t| now.duration_since(t) >= Self::EVERY);
        if !due {
            return;
        }
        self.last.set(Some(now));
        sink(&Progress {
            work: self.work,
            done: done.min(self.total),
            total: self.total,
            stage,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    #[test]
    fn the_first_and_last_step_are_always_reported_and_the_rest_at_most_every_40_ms() {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let s = seen.clone();
        let r = Reporter::new(
            Some(Arc::new(move |p: &Progress| s.lock().unwrap().push(p.done))),
            Work::ImportRows,
            1000,
        );
        for i in 0..=1000 {
            r.step(i);
        }
        let v = seen.lock().unwrap().clone();
        assert_eq!(v.first(), Some(&0));
        assert_eq!(v.last(), Some(&1000));
        assert!(v.len() < 100, "throttled: {} reports", v.len());
        assert!(v.windows(2).all(|w| w[0] < w[1]));
        Reporter::silent(Work::ImportRows).step(5); // no sink, nothing happens
    }
}
