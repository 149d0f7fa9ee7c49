//! Times Bansos's BAST receipt PDF in-process (SPEC §3: one receipt under 5 ms and 35 KB, an
//! event's 500 receipts in one PDF under 1 s), for `scripts/bench-receipt.sh`, which runs the
//! peers (ReportLab, wkhtmltopdf) on the same content and prints the table. Not part of the tests.
//!
//! ```sh
//! cargo run --release --example bench_receipt -- DB OUTDIR [RUNS] [PAGES]
//! ```
//!
//! `DB` is a demo facility (`bansos demo`, users' password `demo-bansos-2024`). Writes to
//! `OUTDIR`: `receipt.json` (the one receipt's words, as the window gets them, QR payload and SVG
//! included), `papers.json` (the `PAGES` receipts of the big document), the PDFs made
//! (`bansos-one.pdf`, `bansos-500.pdf`, `bansos-event.pdf`, `bansos-one-usecase.pdf`), and
//! `results.jsonl` (one line per measurement, also printed).
//!
//! Measured, in this order:
//! - `event`: `App::event_receipts_pdf` of the demo's largest event, once: the real use case
//!   (hand-overs read, every print recorded with its audit entry in one transaction, papers
//!   composed with their QR codes, rendered).
//! - `render`: `pdf::bast::render` of papers already composed (QR modules included) — what the
//!   peers do from `receipt.json`: one receipt `RUNS` times, then the `PAGES` receipts once.
//! - `use-case`: `App::receipt_pdf` of one hand-over `RUNS` times (each a recorded print, a
//!   SALINAN after the first, so its page carries the framed mark).

use bansos::clock::SystemClock;
use bansos::pdf::bast;
use bansos::receipt::bast::BastPaper;
use bansos::{App, Credentials};
use std::error::Error;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

const PW: &str = "demo-bansos-2024";

type Res<T> = std::result::Result<T, Box<dyn Error>>;

/// Milliseconds of each run, sorted.
fn times(runs: usize, mut f: impl FnMut() -> Res<Vec<u8>>) -> Res<(Vec<f64>, Vec<u8>)> {
    let mut ms = Vec::with_capacity(runs);
    let mut last = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        last = f()?;
        ms.push(t.elapsed().as_secs_f64() * 1e3);
    }
    ms.sort_by(f64::total_cmp);
    Ok((ms, last))
}

/// Nearest-rank percentile of sorted values.
fn pct(sorted: &[f64], p: f64) -> f64 {
    let i = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[i]
}

struct Out {
    dir: PathBuf,
    lines: Vec<String>,
}

impl Out {
    fn result(&mut self, v: serde_json::Value) {
        println!("{v}");
        self.lines.push(v.to_string());
    }

    fn write(&self, name: &str, bytes: &[u8]) -> Res<()> {
        std::fs::write(self.dir.join(name), bytes)?;
        Ok(())
    }
}

fn main() -> Res<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [db, dir, rest @ ..] = args.as_slice() else {
        return Err("usage: bench_receipt DB OUTDIR [RUNS] [PAGES]".into());
    };
    let runs: usize = rest.first().map_or(Ok(100), |s| s.parse())?;
    let want: usize = rest.get(1).map_or(Ok(500), |s| s.parse())?;
    let mut out = Out {
        dir: PathBuf::from(dir),
        lines: Vec::new(),
    };
    std::fs::create_dir_all(&out.dir)?;
    let mut app = App::open(
        Path::new(db),
        Arc::new(SystemClock),
        &Credentials::new("petugas", PW),
    )?;

    // The hand-overs of every event, the largest event first.
    let mut events = Vec::new();
    for e in app.events()? {
        let hs = app.handovers_of_event(e.id)?;
        if !hs.is_empty() {
            events.push((e.id, hs));
        }
    }
    events.sort_by_key(|(_, hs)| std::cmp::Reverse(hs.len()));
    let all: Vec<_> = events.iter().flat_map(|(_, hs)| hs.iter()).collect();
    let Some(one) = all
        .iter()
        .find(|h| !h.voided && !h.to_proxy && h.items.len() >= 3)
        .or_else(|| all.first())
        .map(|h| h.id)
    else {
        return Err("the database has no hand-overs: make it with `bansos demo`".into());
    };

    // The papers as they print, composed before any print is recorded: originals (BATAL where
    // void), cycled to `want` if the demo has fewer.
    let mut papers: Vec<BastPaper> = Vec::with_capacity(want);
    let distinct = all.len().min(want);
    for h in all.iter().take(distinct) {
        papers.push(app.bast_paper(h.id)?);
    }
    for i in distinct..want {
        papers.push(papers[i % distinct].clone());
    }
    let paper = app.bast_paper(one)?;
    out.write("receipt.json", &serde_json::to_vec_pretty(&paper)?)?;
    out.write("papers.json", &serde_json::to_vec(&papers)?)?;

    // 1. The real use case: a whole event's receipts from the database.
    let (event_id, hs) = &events[0];
    let t = Instant::now();
    let pdf = app.event_receipts_pdf(*event_id)?;
    let ms = t.elapsed().as_secs_f64() * 1e3;
    out.write("bansos-event.pdf", &pdf)?;
    out.result(serde_json::json!({
        "tool": "bansos", "what": "event", "receipts": hs.len(),
        "ms": ms, "bytes": pdf.len(),
    }));

    // 2. Render only, from composed papers (warmed up: the font is parsed once per process).
    let title = format!("BAST {}", paper.number);
    bast::render(std::slice::from_ref(&paper), None, &title)?;
    let (ms, pdf) = times(runs, || {
        Ok(bast::render(std::slice::from_ref(&paper), None, &title)?)
    })?;
    out.write("bansos-one.pdf", &pdf)?;
    out.result(serde_json::json!({
        "tool": "bansos", "what": "one", "runs": runs, "p50": pct(&ms, 0.5), "p95": pct(&ms, 0.95),
        "max": pct(&ms, 1.0), "bytes": pdf.len(),
    }));
    let t = Instant::now();
    let pdf = bast::render(&papers, None, "BAST kegiatan")?;
    let ms = t.elapsed().as_secs_f64() * 1e3;
    out.write("bansos-500.pdf", &pdf)?;
    out.result(serde_json::json!({
        "tool": "bansos", "what": "big", "receipts": papers.len(), "distinct": distinct, "ms": ms, "bytes": pdf.len(),
    }));

    // 3. One receipt through the app, `runs` recorded prints.
    app.receipt_pdf(one)?;
    let (ms, pdf) = times(runs, || Ok(app.receipt_pdf(one)?))?;
    out.write("bansos-one-usecase.pdf", &pdf)?;
    out.result(serde_json::json!({
        "tool": "bansos", "what": "use-case", "runs": runs, "p50": pct(&ms, 0.5),
        "p95": pct(&ms, 0.95), "max": pct(&ms, 1.0), "bytes": pdf.len(),
    }));

    let mut f = std::fs::File::create(out.dir.join("results.jsonl"))?;
    for l in &out.lines {
        writeln!(f, "{l}")?;
    }
    Ok(())
}
