//! The real desktop window measured on a big database (SPEC §3): start to a usable sign-in
//! screen, sign-in to Beranda, every screen of the side menu from the click to its content, a
//! Keluarga search, and the idle memory of the app with its WebKit processes. Not a test: run
//! `scripts/bench-window.sh --db PATH` (it builds this example and runs it under Xvfb).
//!
//! It drives `bansos-desktop` through tauri-driver and WebKitWebDriver as the window test does
//! (tests/window/window.rs), but the times are taken inside the page, so WebDriver's own round
//! trips are not in them: a listener notes the click (or the last keystroke), a wrapper of `fetch`
//! notes every IPC command (Tauri's IPC is a fetch of `ipc://localhost/<command>`), and a
//! MutationObserver notes when the screen's content is in the page with no command in flight and
//! at least one asked since the click. The time reported is the end of the next frame after
//! that (`requestAnimationFrame`, then a task): the content on screen.
//!
//! The start is timed from a wrapper script that WebKitWebDriver launches in the app's place: it
//! writes the clock and execs the app; once the page answers, it waits inside it for the sign-in's
//! user name input, enabled and laid out, and answers at the end of the frame that shows it.
//!
//! Memory is the proportional set size of the app and every process under it (its WebKit web and
//! network processes), read from /proc/<pid>/smaps_rollup after a few quiet seconds (with
//! BENCH_SMAPS_DIR set, each process's whole smaps at each point is copied there).

mod driver;

use driver::{free_port, tauri_driver, Driver};
use fantoccini::{wd::TimeoutConfiguration, Client, ClientBuilder, Locator};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

type Res<T = ()> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

const USAGE: &str = "usage: bench-window --db PATH [--kanwil PATH [--kanwil-user U]] [--runs N] [--only IDS]
                    [--password P] [--bin-dir DIR] [--settle SECONDS] [--shots DIR [--shot-width PX]]

  --db PATH        a facility's database, e.g. the full data set of `bansos bench --keep DIR` (DIR/bench.db)
  --kanwil PATH    also a Kanwil's database (regional mode): its screens, signed in as --kanwil-user
  --kanwil-user U  the Kanwil's user (default kanwil, the bench's Admin; same password)
  --runs N         starts, sign-ins as kepala, and visits of each screen (default 5)
  --password P     the password of `kepala` and `admin` (default bench-password-2024, the bench's)
  --bin-dir DIR    where bansos-desktop is (default $BANSOS_BIN_DIR, else target/debug)
  --settle S       seconds of quiet before memory is read (default 5)
  --shots DIR      a photograph of the screen (PNG) after each screen's first visit, to look at
  --shot-width PX  narrow the window to PX for each photograph (e.g. 1000, its minimum), and name
                   each frame on the screen that then scrolls sideways
  --only IDS       only these screens (side menu ids, comma-separated; `search` for Keluarga's search, `charts` for Beranda's charts)";

struct Opts {
    db: PathBuf,
    kanwil: Option<PathBuf>,
    kanwil_user: String,
    runs: usize,
    password: String,
    bin_dir: PathBuf,
    settle: Duration,
    only: Option<Vec<String>>,
    shots: Option<PathBuf>,
    shot_width: Option<u32>,
}

impl Opts {
    fn wants(&self, id: &str) -> bool {
        self.only.as_ref().is_none_or(|o| o.iter().any(|x| x == id))
    }
}

fn opts() -> Res<Opts> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut o = Opts {
        db: PathBuf::new(),
        kanwil: None,
        kanwil_user: "kanwil".into(),
        runs: 5,
        password: "bench-password-2024".into(),
        bin_dir: std::env::var_os("BANSOS_BIN_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| root.join("target/debug")),
        settle: Duration::from_secs(5),
        only: None,
        shots: None,
        shot_width: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = || {
            args.next()
                .ok_or_else(|| format!("{a} needs a value\n{USAGE}"))
        };
        match a.as_str() {
            "--db" => o.db = value()?.into(),
            "--kanwil" => o.kanwil = Some(value()?.into()),
            "--kanwil-user" => o.kanwil_user = value()?,
            "--runs" => o.runs = value()?.parse()?,
            "--password" => o.password = value()?,
            "--bin-dir" => o.bin_dir = value()?.into(),
            "--settle" => o.settle = Duration::from_secs_f64(value()?.parse()?),
            "--shots" => o.shots = Some(value()?.into()),
            "--shot-width" => o.shot_width = Some(value()?.parse()?),
            "--only" => o.only = Some(value()?.split(',').map(str::to_owned).collect()),
            "-h" | "--help" => {
                println!("{USAGE}");
                std::process::exit(0);
            }
            _ => return Err(format!("unknown argument {a}\n{USAGE}").into()),
        }
    }
    if o.db.as_os_str().is_empty() {
        return Err(format!("--db is needed\n{USAGE}").into());
    }
    if o.runs == 0 {
        return Err("--runs must be at least 1".into());
    }
    for db in std::iter::once(&o.db).chain(o.kanwil.as_ref()) {
        if !db.exists() {
            return Err(format!("{} does not exist", db.display()).into());
        }
    }
    o.bin_dir = o.bin_dir.canonicalize().unwrap_or(o.bin_dir);
    Ok(o)
}

// ---------------------------------------------------------------------------------------------
// tauri-driver, as the window test starts it.

/// Starts tauri-driver for the app over `db`; the driver's (and the app's) output goes to `log`.
fn start_driver(db: &Path, log: &Path) -> Res<Driver> {
    let (port, native) = (free_port(), free_port());
    let log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log)?;
    let child = Command::new(tauri_driver())
        .args([
            "--port",
            &port.to_string(),
            "--native-port",
            &native.to_string(),
        ])
        .env("BANSOS_DB", db)
        .env("BANSOS_LANG", "id")
        .env("WEBKIT_DISABLE_DMABUF_RENDERER", "1")
        .env_remove("BANSOS_TEST_SAVE_DIR")
        .env_remove("BANSOS_TEST_OPEN_DIR")
        .stdout(log.try_clone()?)
        .stderr(log)
        .spawn()
        .map_err(|e| {
            format!("tauri-driver does not start ({e}): cargo install tauri-driver --locked")
        })?;
    let driver = Driver { child, port };
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let deadline = Instant::now() + Duration::from_secs(20);
    while TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_err() {
        if Instant::now() > deadline {
            return Err(format!("tauri-driver did not listen on {port}").into());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Ok(driver)
}

async fn connect(driver: &Driver, app: &Path) -> Res<Client> {
    let mut caps = serde_json::Map::new();
    caps.insert("browserName".into(), "wry".into());
    caps.insert(
        "tauri:options".into(),
        json!({ "application": app.display().to_string() }),
    );
    let url = format!("http://127.0.0.1:{}", driver.port);
    let mut last = String::new();
    for attempt in 1..=3 {
        let mut builder = ClientBuilder::native();
        builder.capabilities(caps.clone());
        match tokio::time::timeout(Duration::from_secs(60), builder.connect(&url)).await {
            Ok(Ok(client)) => {
                // Long enough for a sign-in that checks a big store first.
                client
                    .update_timeouts(TimeoutConfiguration::new(
                        Some(Duration::from_secs(600)),
                        Some(Duration::from_secs(60)),
                        Some(Duration::ZERO),
                    ))
                    .await?;
                return Ok(client);
            }
            Ok(Err(e)) => last = e.to_string(),
            Err(_) => last = "no answer within 60 s".into(),
        }
        eprintln!("bench: session attempt {attempt} failed: {last}");
        tokio::time::sleep(Duration::from_secs(2)).await;
    }
    Err(format!("no WebDriver session: {last}").into())
}

// ---------------------------------------------------------------------------------------------
// Timing inside the page.

/// Installed once per page (again after a reload, which it notices itself): notes IPC commands,
/// the console's errors and warnings, and measures one step at a time (`arm`, then `wait`).
const INSTRUMENT: &str = r#"
if (!window.__bench) {
  const B = { calls: [], inflight: 0, console: [], run: null };
  window.__bench = B;
  const realFetch = window.fetch.bind(window);
  window.fetch = function (input, init) {
    const url = typeof input === 'string' ? input : (input && input.url) || String(input);
    if (!/^ipc:|ipc\.localhost/.test(url)) return realFetch(input, init);
    const cmd = decodeURIComponent(url.replace(/^[a-z]+:\/\/[^/]*\//, '').split('?')[0]);
    const rec = { cmd, start: performance.now(), head: null, end: null, bytes: null };
    B.calls.push(rec);
    B.inflight++;
    const p = realFetch(input, init);
    // The answer is in when its body is read and decoded (Tauri reads it right after the headers).
    const done = () => {
      if (rec.end !== null) return;
      rec.end = performance.now();
      B.inflight--;
      if (B.run) B.run.check();
    };
    p.then((resp) => {
      rec.head = performance.now();
      const length = resp.headers.get('content-length');
      if (length !== null) rec.bytes = Number(length);
      for (const k of ['json', 'text', 'arrayBuffer']) {
        const read = resp[k].bind(resp);
        resp[k] = () => {
          const body = read();
          body.then(done, done);
          return body;
        };
      }
    }, done);
    return p;
  };
  for (const k of ['error', 'warn']) {
    const orig = console[k].bind(console);
    console[k] = (...a) => { B.console.push(k + ': ' + a.map(String).join(' ').slice(0, 300)); orig(...a); };
  }
  window.addEventListener('error', (e) => B.console.push('error event: ' + e.message));
  window.addEventListener('unhandledrejection', (e) =>
    B.console.push('unhandled rejection: ' + String(e.reason && (e.reason.message || e.reason)).slice(0, 300)));

  // css: the content that shows the screen is ready; needIpc: a command asked after the trigger
  // must have answered; trigger: 'click' (the first) or 'input' (the one that makes `expect`).
  B.arm = function (css, needIpc, trigger, expect) {
    if (B.run) B.run.stop();
    const run = { css, t0: null, dom: null, frame: null, shown: null, from: B.calls.length, error: null, waiters: [] };
    B.run = run;
    const onTrigger = (e) => {
      if (run.dom !== null) return;
      if ((trigger === 'click' || trigger === 'scroll') && run.t0 === null) run.t0 = performance.now();
      if (trigger === 'input' && e.target && e.target.value === expect) run.t0 = performance.now();
      // What a scroll brings into view may be there already (drawn while the page was idle):
      // then nothing changes in the page, and the step ends with the frame after the scroll.
      if (trigger === 'scroll') setTimeout(() => run.check(), 0);
    };
    window.addEventListener(trigger, onTrigger, true);
    const observer = new MutationObserver(() => run.check());
    observer.observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
    run.stop = () => { observer.disconnect(); window.removeEventListener(trigger, onTrigger, true); };
    run.mine = () => B.calls.slice(run.from).filter((c) => c.start >= run.t0);
    run.check = () => {
      if (run.t0 === null || run.dom !== null || B.inflight > 0) return;
      if (needIpc && run.mine().length === 0) return;
      const el = document.querySelector(css);
      const err = (document.querySelector('main') || document).querySelector('[role=alert]');
      if (!el && !err) return;
      if (!el) run.error = err.textContent.trim().slice(0, 300);
      run.dom = performance.now();
      requestAnimationFrame(() => {
        run.frame = performance.now();
        setTimeout(() => {
          run.shown = performance.now();
          run.stop();
          for (const w of run.waiters) w();
        }, 0);
      });
    };
    return true;
  };
  B.wait = function (limit) {
    const run = B.run;
    const stuck = () => ({
      timeout: true, clicked: run.t0 !== null, inflight: B.inflight, t0: run.t0, dom: run.dom,
      frame: run.frame, shownAt: run.shown, now: performance.now(), css: run.css,
      pending: B.calls.filter((c) => c.end === null).map((c) => c.cmd),
      content: document.querySelector(run.css) !== null,
      asked: run.t0 === null ? [] : run.mine().map((c) => c.cmd),
      shows: (document.querySelector('main') || document.body).innerText.slice(0, 300),
      console: B.console.slice(-5),
      controls: [...document.querySelectorAll('main input, main textarea, main button')]
        .map((e) => e.id || e.getAttribute('data-testid') || e.tagName).slice(0, 20),
    });
    const summary = () => ({
      t0: run.t0, dom: run.dom, frame: run.frame, shown: run.shown, error: run.error,
      rows: document.querySelectorAll('main tbody tr, main li').length,
      calls: run.mine().filter((c) => c.start <= run.shown)
        .map((c) => [c.cmd, c.start - run.t0, (c.end === null ? run.shown : c.end) - c.start,
                     c.head === null ? null : c.head - c.start, c.bytes]),
    });
    return new Promise((res) => {
      if (run.shown !== null) return res(summary());
      run.waiters.push(() => res(summary()));
      setTimeout(() => res(stuck()), limit);
    });
  };
  B.quiet = function () {
    const last = B.calls.reduce((m, c) => Math.max(m, c.start, c.end === null ? Infinity : c.end), 0);
    return { inflight: B.inflight, since: performance.now() - last };
  };
}
return true;
"#;

/// One measured step: times in ms from the click (or keystroke).
#[derive(Debug, Clone)]
struct Sample {
    /// Content in the page (the DOM).
    dom: f64,
    /// The end of the frame after it: on screen.
    shown: f64,
    /// When the last IPC command asked since the click answered (0 with none).
    ipc_end: f64,
    /// The commands asked since the click.
    calls: Vec<Call>,
    error: Option<String>,
    /// Table rows and list items on the screen once shown.
    rows: u64,
}

/// One IPC command: its name, when it was asked (ms after the click), how long until its
/// answer was read and decoded, until its headers came, and its size when the answer says.
#[derive(Debug, Clone)]
struct Call {
    cmd: String,
    at: f64,
    took: f64,
    head: Option<f64>,
    bytes: Option<f64>,
}

impl Call {
    /// `name@start+duration`, with the headers' time and the size when the body was long.
    fn describe(&self) -> String {
        let mut s = format!("{}@{:.0}+{:.0}", self.cmd, self.at, self.took);
        if let Some(h) = self.head.filter(|h| self.took - h > 20.0) {
            s.push_str(&format!(" (headers after {h:.0})"));
        }
        if let Some(b) = self.bytes.filter(|b| *b > 100_000.0) {
            s.push_str(&format!(" ({:.1} MB)", b / 1e6));
        }
        s
    }
}

async fn instrument(c: &Client) -> Res {
    c.execute(INSTRUMENT, vec![]).await?;
    Ok(())
}

/// Prepares the page to time the next `trigger` until `ready` shows (see INSTRUMENT).
async fn arm(c: &Client, ready: &str, need_ipc: bool, trigger: &str, expect: &str) -> Res {
    instrument(c).await?;
    c.execute(
        "return window.__bench.arm(arguments[0], arguments[1], arguments[2], arguments[3]);",
        vec![ready.into(), need_ipc.into(), trigger.into(), expect.into()],
    )
    .await?;
    Ok(())
}

async fn wait(c: &Client, what: &str, limit: Duration) -> Res<Sample> {
    let script = format!(
        "const done = arguments[arguments.length - 1]; \
         window.__bench.wait({}).then(done);",
        limit.as_millis()
    );
    let v = tokio::time::timeout(
        limit + Duration::from_secs(30),
        c.execute_async(&script, vec![]),
    )
    .await
    .map_err(|_| format!("{what}: no answer"))??;
    if v["timeout"].as_bool() == Some(true) {
        return Err(format!("{what}: not ready within {} s: {v}", limit.as_secs()).into());
    }
    let t0 = v["t0"]
        .as_f64()
        .ok_or_else(|| format!("{what}: no click seen: {v}"))?;
    let at = |k: &str| v[k].as_f64().map(|t| t - t0).unwrap_or(f64::NAN);
    let calls: Vec<Call> = v["calls"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| Call {
            cmd: c[0].as_str().unwrap_or("?").to_owned(),
            at: c[1].as_f64().unwrap_or(f64::NAN),
            took: c[2].as_f64().unwrap_or(f64::NAN),
            head: c[3].as_f64(),
            bytes: c[4].as_f64(),
        })
        .collect();
    let ipc_end = calls.iter().map(|c| c.at + c.took).fold(0.0, f64::max);
    let s = Sample {
        dom: at("dom"),
        shown: at("shown"),
        ipc_end,
        calls,
        error: v["error"].as_str().map(str::to_owned),
        rows: v["rows"].as_u64().unwrap_or(0),
    };
    let slow = if s.shown > 100.0 {
        let calls: Vec<String> = s.calls.iter().map(Call::describe).collect();
        format!(" [IPC: {}]", calls.join(" "))
    } else {
        String::new()
    };
    eprintln!(
        "bench: {what}: {:.0} ms (dom {:.0}, last IPC answer {:.0}, {} rows){}{slow}",
        s.shown,
        s.dom,
        s.ipc_end,
        s.rows,
        s.error
            .as_deref()
            .map(|e| format!(" ERROR SHOWN: {e}"))
            .unwrap_or_default()
    );
    Ok(s)
}

/// How long a sign-in (which may check and back up the store first) and a screen may take.
const SIGN_IN_LIMIT: Duration = Duration::from_secs(600);
const SCREEN_LIMIT: Duration = Duration::from_secs(120);

/// Clicks `click` and times it until `ready` is on screen.
async fn timed_click(
    c: &Client,
    click: &str,
    ready: &str,
    need_ipc: bool,
    what: &str,
    limit: Duration,
) -> Res<Sample> {
    let button = c
        .wait()
        .at_most(Duration::from_secs(30))
        .for_element(Locator::Css(click))
        .await
        .map_err(|e| format!("{what}: {click} not found: {e}"))?;
    arm(c, ready, need_ipc, "click", "").await?;
    button.click().await?;
    wait(c, what, limit).await
}

/// Waits until no IPC command is in flight and none has come or gone for 300 ms.
async fn quiet(c: &Client) -> Res {
    instrument(c).await?;
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let v = c.execute("return window.__bench.quiet();", vec![]).await?;
        if v["inflight"].as_i64() == Some(0) && v["since"].as_f64().unwrap_or(0.0) > 300.0 {
            return Ok(());
        }
        if Instant::now() > deadline {
            return Err(format!("the page did not go quiet: {v}").into());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn console(c: &Client) -> Vec<String> {
    let v = c
        .execute(
            "return window.__bench ? window.__bench.console.splice(0) : [];",
            vec![],
        )
        .await
        .unwrap_or(Value::Null);
    v.as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s.as_str().map(str::to_owned))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// The start.

/// A script WebKitWebDriver starts instead of the app: it notes its pid and the clock (ns since
/// the epoch) in `started`, then becomes the app.
fn write_launcher(dir: &Path, app: &Path) -> Res<PathBuf> {
    let (d, a) = (dir.display().to_string(), app.display().to_string());
    if d.contains('\'') || a.contains('\'') {
        return Err("paths with a ' are not supported".into());
    }
    let path = dir.join("bansos-desktop");
    std::fs::write(
        &path,
        format!("#!/bin/sh\necho \"$$ $(date +%s%N)\" > '{d}/started'\nexec '{a}' \"$@\"\n"),
    )?;
    Command::new("chmod").arg("+x").arg(&path).status()?;
    Ok(path)
}

#[derive(Debug, Clone)]
struct Start {
    /// The app's pid.
    pid: u32,
    /// ms from the process start: to the page's navigation, its DOMContentLoaded, and the end of
    /// the frame that shows the sign-in's input usable (or the look that saw it, when the page
    /// was already complete at WebDriver's first look).
    nav: f64,
    dcl: Option<f64>,
    ready: f64,
    /// When only a look saw it: ms between that look and the one before it (its resolution).
    gap: Option<f64>,
}

const SIGNIN_READY: &str = "
const e = document.querySelector('#signin-username');
const now = performance.timeOrigin + performance.now();
if (!e || e.disabled || e.getClientRects().length === 0 || !document.querySelector('[data-testid=signin-submit]')) return { ready: false, now };
const nav = performance.getEntriesByType('navigation')[0];
return { ready: true, now, origin: performance.timeOrigin, dcl: nav ? nav.domContentLoadedEventEnd : null };
";

/// The same, waited for inside the page: answers at the end of the frame that shows the input.
const SIGNIN_WAIT: &str = "
const done = arguments[arguments.length - 1];
const usable = () => {
  const e = document.querySelector('#signin-username');
  return e && !e.disabled && e.getClientRects().length > 0 && document.querySelector('[data-testid=signin-submit]');
};
const finish = () => requestAnimationFrame(() => setTimeout(() => {
  const nav = performance.getEntriesByType('navigation')[0];
  done({ ready: true, exact: true, now: performance.timeOrigin + performance.now(), origin: performance.timeOrigin,
         dcl: nav ? nav.domContentLoadedEventEnd : null });
}, 0));
if (usable()) finish();
else {
  const mo = new MutationObserver(() => { if (usable()) { mo.disconnect(); finish(); } });
  mo.observe(document, { subtree: true, childList: true, attributes: true });
}
";

/// Starts the app over `db` and waits for a usable sign-in screen; the window stays open.
async fn start(dir: &Path, launcher: &Path, db: &Path, log: &Path) -> Res<(Driver, Client, Start)> {
    let started = dir.join("started");
    let _ = std::fs::remove_file(&started);
    let driver = start_driver(db, log)?;
    let client = connect(&driver, launcher).await?;
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut before: Option<f64> = None;
    let v = loop {
        match client.execute(SIGNIN_READY, vec![]).await {
            Ok(v) if v["ready"].as_bool() == Some(true) => break v,
            Ok(v) => {
                // The page is there: wait inside it (exact), looking again should that fail.
                before = v["now"].as_f64();
                let waited = client.execute_async(SIGNIN_WAIT, vec![]);
                if let Ok(Ok(v)) = tokio::time::timeout(Duration::from_secs(60), waited).await {
                    if v["ready"].as_bool() == Some(true) {
                        break v;
                    }
                }
            }
            Err(_) => tokio::time::sleep(Duration::from_millis(5)).await,
        }
        if Instant::now() > deadline {
            return Err("the sign-in screen did not come within 120 s".into());
        }
    };
    let line = std::fs::read_to_string(&started)?;
    let mut it = line.split_whitespace();
    let pid: u32 = it.next().ok_or("no pid")?.parse()?;
    let spawned = it.next().ok_or("no clock")?.parse::<f64>()? / 1e6;
    let origin = v["origin"].as_f64().ok_or("no timeOrigin")?;
    let now = v["now"].as_f64().ok_or("no clock in the page")?;
    let s = Start {
        pid,
        nav: origin - spawned,
        dcl: v["dcl"].as_f64().map(|t| origin + t - spawned),
        ready: now - spawned,
        gap: before
            .filter(|_| v["exact"].as_bool() != Some(true))
            .map(|b| now - b),
    };
    Ok((driver, client, s))
}

// ---------------------------------------------------------------------------------------------
// Memory.

/// Every process under `root` (itself included): pid, program, PSS in kB.
fn process_tree(root: u32) -> Vec<(u32, String, u64)> {
    let mut parent = Vec::new();
    for e in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Ok(pid) = e.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(e.path().join("stat")) else {
            continue;
        };
        // "pid (comm) state ppid ...": the name may hold spaces and parentheses.
        let Some(after) = stat.rfind(')').map(|i| &stat[i + 1..]) else {
            continue;
        };
        if let Some(ppid) = after
            .split_whitespace()
            .nth(1)
            .and_then(|p| p.parse::<u32>().ok())
        {
            parent.push((pid, ppid));
        }
    }
    let mut tree = vec![root];
    let mut i = 0;
    while i < tree.len() {
        let p = tree[i];
        tree.extend(parent.iter().filter(|(_, pp)| *pp == p).map(|(c, _)| *c));
        i += 1;
    }
    tree.into_iter()
        .map(|pid| {
            let name = std::fs::read(format!("/proc/{pid}/cmdline"))
                .ok()
                .and_then(|b| {
                    let first = b.split(|c| *c == 0).next()?.to_vec();
                    let s = String::from_utf8_lossy(&first).into_owned();
                    Some(s.rsplit('/').next().unwrap_or(&s).to_owned())
                })
                .unwrap_or_default();
            let pss = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup"))
                .ok()
                .and_then(|s| {
                    s.lines()
                        .find(|l| l.starts_with("Pss:"))
                        .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
                })
                .unwrap_or(0);
            (pid, name, pss)
        })
        .collect()
}

/// WebKit processes on this machine that are not under `root` (another browser's, or ours
/// started some other way): named so a reader can tell.
fn stray_webkit(root: u32) -> usize {
    let ours: Vec<u32> = process_tree(root).iter().map(|p| p.0).collect();
    std::fs::read_dir("/proc")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| e.file_name().to_string_lossy().parse::<u32>().ok())
        .filter(|p| !ours.contains(p))
        .filter(|p| {
            std::fs::read_to_string(format!("/proc/{p}/comm"))
                .map(|c| c.starts_with("WebKitWebProces") || c.starts_with("WebKitNetworkPr"))
                .unwrap_or(false)
        })
        .count()
}

struct Memory {
    when: String,
    total_kb: u64,
    parts: Vec<(String, u64, usize)>,
}

fn memory(root: u32, when: &str) -> Memory {
    let mut parts: BTreeMap<String, (u64, usize)> = BTreeMap::new();
    let tree = process_tree(root);
    for (pid, name, pss) in &tree {
        let key = if *pid == root {
            "app".to_owned()
        } else {
            name.clone()
        };
        let e = parts.entry(key).or_default();
        e.0 += pss;
        e.1 += 1;
    }
    // For a closer look: every process's whole smaps at this point, into $BENCH_SMAPS_DIR.
    if let Some(dir) = std::env::var_os("BENCH_SMAPS_DIR") {
        let dir = std::path::PathBuf::from(dir);
        let _ = std::fs::create_dir_all(&dir);
        let tag: String = when
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect();
        for (pid, name, _) in &tree {
            let _ = std::fs::copy(
                format!("/proc/{pid}/smaps"),
                dir.join(format!("{tag}.{name}.{pid}.smaps")),
            );
        }
    }
    let m = Memory {
        when: when.to_owned(),
        total_kb: tree.iter().map(|p| p.2).sum(),
        parts: parts.into_iter().map(|(k, (kb, n))| (k, kb, n)).collect(),
    };
    eprintln!("bench: PSS {when}: {} MB", m.total_kb / 1024);
    m
}

// ---------------------------------------------------------------------------------------------
// The screens.

struct Screen {
    /// The side menu's entry (`nav-<id>`).
    id: &'static str,
    /// What shows the screen's content: its list's first row, its figures, or its form.
    ready: &'static str,
    /// Whether the screen asks the core for something when it opens.
    ipc: bool,
}

const BERANDA: &str = "[data-testid=dash-month-packages]";
const BERANDA_KANWIL: &str = "[data-testid=dash-k-packages], [data-testid=dash-k-period]";

const FACILITY: &[Screen] = &[
    Screen {
        id: "beranda",
        ready: BERANDA,
        ipc: true,
    },
    Screen {
        id: "keluarga",
        ready: "[data-testid=family-row], [data-testid=family-empty]",
        ipc: true,
    },
    Screen {
        id: "duplikat",
        ready: "[data-testid^=duplicate-row-], [data-testid=duplicate-empty]",
        ipc: true,
    },
    Screen {
        id: "stok",
        ready: "[data-testid^=stock-row-], [data-testid=stock-empty]",
        ipc: true,
    },
    Screen {
        id: "penyaluran",
        ready: "[data-testid^=event-row-], [data-testid=event-empty]",
        ipc: true,
    },
    Screen {
        id: "tutup_buku",
        ready: "[data-testid^=month-row-]",
        ipc: true,
    },
    Screen {
        id: "kirim_kanwil",
        ready: "[data-testid^=outbox-row-], [data-testid=outbox-empty]",
        ipc: true,
    },
    Screen {
        id: "periksa",
        ready: "#verify-payload",
        ipc: false,
    },
    Screen {
        id: "audit",
        ready: "[data-testid=audit-table] tbody tr",
        ipc: true,
    },
];

const ADMIN: &[Screen] = &[
    Screen {
        id: "staf",
        ready: "[data-testid^=staff-row-]",
        ipc: true,
    },
    Screen {
        id: "cadangan",
        ready: "[data-testid=backup-table] tbody tr, [data-testid=backup-empty]",
        ipc: true,
    },
    Screen {
        id: "pengaturan",
        ready: "[data-testid=settings-fingerprint]",
        ipc: true,
    },
];

const REGIONAL: &[Screen] = &[
    Screen {
        id: "beranda",
        ready: BERANDA_KANWIL,
        ipc: true,
    },
    Screen {
        id: "upt_terdaftar",
        ready: "[data-testid^=members-row-], [data-testid=members-empty]",
        ipc: true,
    },
    Screen {
        id: "impor_bundel",
        ready: "[data-testid=bundles-folder], [data-testid=bundles-files]",
        ipc: false,
    },
    Screen {
        id: "rekap",
        ready: "[data-testid=recap-table], [data-testid=recap-empty]",
        ipc: true,
    },
    Screen {
        id: "kelengkapan",
        ready: "[data-testid^=complete-row-], [data-testid=complete-empty]",
        ipc: true,
    },
    Screen {
        id: "duplikat_upt",
        ready: "[data-testid=crossdup-row], [data-testid=crossdup-empty]",
        ipc: true,
    },
    Screen {
        id: "daftar_nama",
        ready: "[data-testid=kbyname-open]",
        ipc: false,
    },
    Screen {
        id: "audit",
        ready: "[data-testid=audit-table] tbody tr",
        ipc: true,
    },
];

/// Types into an input as a person does (WebDriver's keys).
async fn type_into(c: &Client, css: &str, text: &str) -> Res {
    let e = c
        .wait()
        .at_most(Duration::from_secs(30))
        .for_element(Locator::Css(css))
        .await?;
    e.clear().await?;
    e.send_keys(text).await?;
    Ok(())
}

/// Signs in from the sign-in screen and times the click until Beranda's figures show.
async fn sign_in(c: &Client, user: &str, password: &str, beranda: &str, what: &str) -> Res<Sample> {
    type_into(c, "#signin-username", user).await?;
    type_into(c, "#signin-password", password).await?;
    let s = timed_click(
        c,
        "[data-testid=signin-submit]",
        beranda,
        true,
        what,
        SIGN_IN_LIMIT,
    )
    .await?;
    if let Some(e) = &s.error {
        return Err(format!("{what}: {e}").into());
    }
    Ok(s)
}

async fn sign_out(c: &Client) -> Res {
    c.wait()
        .at_most(Duration::from_secs(30))
        .for_element(Locator::Css("[data-testid=signout]"))
        .await?
        .click()
        .await?;
    c.wait()
        .at_most(Duration::from_secs(60))
        .for_element(Locator::Css("#signin-username"))
        .await?;
    Ok(())
}

/// Visits every screen of `menu` `runs` times, in turn, and answers each one's samples.
/// Screens whose answer on the full data set is so big that it stays in memory: visited after
/// the others, so that the memory is read once before them and once after.
const HEAVY: &[&str] = &["penyaluran"];

/// Visits the screens of `menu` that `o` wants and `heavy` selects (HEAVY or not), `runs` times
/// each, cycling through them; a row of samples for each.
async fn visit(
    c: &Client,
    o: &Opts,
    menu: &[Screen],
    heavy: bool,
    who: &str,
    out: &mut Vec<Row>,
) -> Res {
    let menu: Vec<&Screen> = menu
        .iter()
        .filter(|s| o.wants(s.id) && HEAVY.contains(&s.id) == heavy)
        .collect();
    let runs = o.runs;
    let mut samples: Vec<Vec<Sample>> = vec![Vec::new(); menu.len()];
    for run in 0..runs {
        for (i, s) in menu.iter().enumerate() {
            let what = format!("{who} {} #{}", s.id, run + 1);
            let sample = timed_click(
                c,
                &format!("[data-testid=nav-{}]", s.id),
                s.ready,
                s.ipc,
                &what,
                SCREEN_LIMIT,
            )
            .await?;
            samples[i].push(sample);
            quiet(c).await?;
            tokio::time::sleep(Duration::from_millis(200)).await;
            if run == 0 {
                photograph(c, o, &format!("{}-{}", who.replace(' ', "-"), s.id)).await?;
            }
        }
    }
    for (s, samples) in menu.iter().zip(samples) {
        out.push(Row {
            what: format!("{who}: {}", s.id),
            samples,
        });
    }
    Ok(())
}

/// The whole screen as it shows now, as `--shots DIR/<name>.png` (with `import`, ImageMagick);
/// with `--shot-width`, in a window that narrow, naming on stderr each frame (the screen's
/// content, a table's frame) that scrolls sideways there.
async fn photograph(c: &Client, o: &Opts, name: &str) -> Res {
    let Some(dir) = &o.shots else { return Ok(()) };
    std::fs::create_dir_all(dir)?;
    let path = dir.join(format!("{name}.png"));
    if let Some(width) = o.shot_width {
        c.set_window_size(width, 800).await?;
        tokio::time::sleep(Duration::from_millis(500)).await;
        let wide = c
            .execute(
                "return [...document.querySelectorAll('.content, .table-wrap')] \
                   .filter((e) => e.scrollWidth > e.clientWidth + 1) \
                   .map((e) => `${e.className} ${e.scrollWidth} > ${e.clientWidth} px`);",
                vec![],
            )
            .await?;
        let wide = wide.as_array().cloned().unwrap_or_default();
        if wide.is_empty() {
            eprintln!("bench: {name} at {width} px: nothing scrolls sideways");
        }
        for w in wide {
            eprintln!("bench: {name} at {width} px scrolls sideways: {w}");
        }
    }
    let status = tokio::process::Command::new("import")
        .args(["-window", "root"])
        .arg(&path)
        .status()
        .await?;
    if !status.success() {
        return Err(format!(
            "import could not photograph the screen as {}",
            path.display()
        )
        .into());
    }
    if o.shot_width.is_some() {
        c.set_window_size(1280, 800).await?;
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    Ok(())
}

/// Keluarga's search: the head names of the list's first rows, typed whole and by first word,
/// timed from the last keystroke to the results on screen (the screen asks at once; while one
/// question is out, only the newest keystroke waits for it).
async fn search(c: &Client, runs: usize, out: &mut Vec<Row>) -> Res {
    timed_click(
        c,
        "[data-testid=nav-keluarga]",
        FACILITY[1].ready,
        true,
        "kepala keluarga (for search)",
        SCREEN_LIMIT,
    )
    .await?;
    quiet(c).await?;
    let names = c
        .execute(
            "return [...document.querySelectorAll('[data-testid=family-row] .head')].map((e) => e.textContent.trim());",
            vec![],
        )
        .await?;
    let names: Vec<String> = names
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .filter(|n| !n.is_empty())
        .collect();
    if names.is_empty() {
        return Err("Keluarga shows no head names to search for".into());
    }
    let ready = "[data-testid=family-row], [data-testid=family-empty]";
    for (label, whole) in [("search, whole name", true), ("search, first name", false)] {
        let mut samples = Vec::new();
        for run in 0..runs {
            let name = &names[(run * 7 + usize::from(!whole)) % names.len()];
            let query = if whole {
                name.clone()
            } else {
                name.split_whitespace().next().unwrap_or(name).to_owned()
            };
            let input = c.find(Locator::Css("#family-search")).await?;
            input.clear().await?;
            quiet(c).await?;
            arm(c, ready, true, "input", &query).await?;
            input.send_keys(&query).await?;
            let s = wait(c, &format!("kepala {label} {query:?}"), SCREEN_LIMIT).await?;
            let shown: i64 = c
                .execute(
                    "return document.querySelectorAll('[data-testid=family-row]').length;",
                    vec![],
                )
                .await?
                .as_i64()
                .unwrap_or(0);
            eprintln!("bench:   {shown} rows shown");
            samples.push(s);
            quiet(c).await?;
        }
        out.push(Row {
            what: format!("kepala: keluarga {label} (type → results)"),
            samples,
        });
    }
    let input = c.find(Locator::Css("#family-search")).await?;
    input.clear().await?;
    quiet(c).await
}

/// Beranda's charts lie below its cards and are drawn once it has been shown, or at once when
/// they come near: timed from the scroll that brings them into the window until the last of the
/// three is drawn (Chart.js sizes its canvas when it draws) and on screen; the frame after the
/// scroll when they were drawn before it. Beranda is opened afresh each run.
async fn charts(c: &Client, runs: usize, out: &mut Vec<Row>) -> Res {
    let ready = "[data-testid=dash-chart-sources] canvas[width]";
    let mut samples = Vec::new();
    for run in 0..runs {
        timed_click(
            c,
            "[data-testid=nav-keluarga]",
            FACILITY[1].ready,
            true,
            "kepala keluarga (to leave Beranda)",
            SCREEN_LIMIT,
        )
        .await?;
        quiet(c).await?;
        timed_click(
            c,
            "[data-testid=nav-beranda]",
            BERANDA,
            true,
            "kepala beranda (for its charts)",
            SCREEN_LIMIT,
        )
        .await?;
        quiet(c).await?;
        arm(c, ready, false, "scroll", "").await?;
        c.execute(
            "const e = document.querySelector('[data-testid=dash-chart-months]'); const m = e.closest('main'); \
             m.scrollTop += e.getBoundingClientRect().top - m.getBoundingClientRect().top - 16; return true;",
            vec![],
        )
        .await?;
        samples.push(
            wait(
                c,
                &format!("kepala beranda charts #{}", run + 1),
                SCREEN_LIMIT,
            )
            .await?,
        );
        quiet(c).await?;
    }
    out.push(Row {
        what: "kepala: beranda's charts (scroll → drawn)".into(),
        samples,
    });
    Ok(())
}

/// The commands that took over a second (median) on some screen.
fn slow_commands(rows: &[Row]) -> Vec<String> {
    let mut by: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
    for r in rows {
        for s in &r.samples {
            for c in &s.calls {
                by.entry(c.cmd.as_str()).or_default().push(c.took);
            }
        }
    }
    by.into_iter()
        .filter(|(_, t)| pct(&sorted(t.iter().copied()), 50.0) > 1000.0)
        .map(|(c, _)| c.to_owned())
        .collect()
}

/// Asks `cmd` (without arguments) from the page and weighs its answer: time, size as JSON, and
/// for a list, its length and its nested lists' total length.
async fn weigh(c: &Client, cmd: &str) -> String {
    let script = "
      const done = arguments[arguments.length - 1];
      const t0 = performance.now();
      window.__TAURI_INTERNALS__.invoke(arguments[0], {}).then((r) => {
        const took = performance.now() - t0;
        const json = JSON.stringify(r);
        let nested = 0;
        if (Array.isArray(r)) for (const x of r) for (const v of Object.values(x || {})) if (Array.isArray(v)) nested += v.length;
        done({ took, bytes: json.length, items: Array.isArray(r) ? r.length : null, nested });
      }, (e) => done({ error: String((e && e.message) || e) }));";
    let answer =
        tokio::time::timeout(SCREEN_LIMIT, c.execute_async(script, vec![cmd.into()])).await;
    let line = match answer {
        Ok(Ok(v)) if v["error"].is_string() => format!("{cmd}: {}", v["error"]),
        Ok(Ok(v)) => {
            let mut s = format!(
                "{cmd}: {:.0} ms, {:.1} MB of JSON",
                v["took"].as_f64().unwrap_or(f64::NAN),
                v["bytes"].as_f64().unwrap_or(f64::NAN) / 1e6
            );
            if let Some(n) = v["items"].as_u64() {
                s.push_str(&format!(
                    ", {n} items holding {} items in their lists",
                    v["nested"].as_u64().unwrap_or(0)
                ));
            }
            s
        }
        Ok(Err(e)) => format!("{cmd}: {e}"),
        Err(_) => format!("{cmd}: no answer"),
    };
    eprintln!("bench: {line}");
    line
}

// ---------------------------------------------------------------------------------------------
// The table.

struct Row {
    what: String,
    samples: Vec<Sample>,
}

/// Nearest-rank percentile of sorted values.
fn pct(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil().max(1.0) as usize;
    sorted[rank.min(sorted.len()) - 1]
}

fn sorted(v: impl IntoIterator<Item = f64>) -> Vec<f64> {
    let mut v: Vec<f64> = v.into_iter().filter(|x| x.is_finite()).collect();
    v.sort_by(f64::total_cmp);
    v
}

/// The commands of a row's samples: name, how many per visit, median duration (ms).
fn commands(samples: &[Sample]) -> String {
    let mut by: BTreeMap<&str, Vec<&Call>> = BTreeMap::new();
    for s in samples {
        for c in &s.calls {
            by.entry(c.cmd.as_str()).or_default().push(c);
        }
    }
    let mut list: Vec<(String, f64)> = by
        .into_iter()
        .map(|(cmd, calls)| {
            let n = calls.len() as f64 / samples.len().max(1) as f64;
            let med = pct(&sorted(calls.iter().map(|c| c.took)), 50.0);
            let times = if (n - 1.0).abs() < 1e-9 {
                String::new()
            } else {
                format!("×{n:.1} ")
            };
            let mut s = format!("{cmd} {times}{med:.0}");
            // A long answer: when its headers came (the core's work), and its size.
            let head = pct(&sorted(calls.iter().filter_map(|c| c.head)), 50.0);
            if med - head > 20.0 {
                s.push_str(&format!(" (core {head:.0})"));
            }
            let bytes = pct(&sorted(calls.iter().filter_map(|c| c.bytes)), 50.0);
            if bytes > 100_000.0 {
                s.push_str(&format!(" ({:.1} MB)", bytes / 1e6));
            }
            (s, med)
        })
        .collect();
    list.sort_by(|a, b| b.1.total_cmp(&a.1));
    list.into_iter()
        .map(|(s, _)| s)
        .collect::<Vec<_>>()
        .join(", ")
}

fn print_rows(title: &str, rows: &[Row]) {
    println!("\n{title}");
    println!(
        "{:<52} {:>3} {:>7} {:>7} {:>7} {:>7} {:>5} {:>7} {:>7} {:>6}  IPC commands (median ms)",
        "", "n", "first", "p50", "p95", "max", ">100", "ipc p50", "draw", "rows"
    );
    for r in rows {
        let shown = sorted(r.samples.iter().map(|s| s.shown));
        let over = r.samples.iter().filter(|s| s.shown > 100.0).count();
        let ipc = sorted(r.samples.iter().map(|s| s.ipc_end));
        // From the last answer to the content on screen: the UI's own work and the frame.
        let draw = sorted(r.samples.iter().map(|s| s.shown - s.ipc_end));
        let errors = r.samples.iter().filter(|s| s.error.is_some()).count();
        println!(
            "{:<52} {:>3} {:>7.0} {:>7.0} {:>7.0} {:>7.0} {:>5} {:>7.0} {:>7.0} {:>6}  {}{}",
            r.what,
            r.samples.len(),
            r.samples.first().map(|s| s.shown).unwrap_or(f64::NAN),
            pct(&shown, 50.0),
            pct(&shown, 95.0),
            pct(&shown, 100.0),
            over,
            pct(&ipc, 50.0),
            pct(&draw, 50.0),
            r.samples.last().map(|s| s.rows).unwrap_or(0),
            commands(&r.samples),
            if errors > 0 {
                format!("  [{errors} showed an error]")
            } else {
                String::new()
            }
        );
    }
}

fn print_starts(starts: &[Start]) {
    println!("\n1. Start → usable sign-in screen (ms from the process's start, as a wrapper script exec'd it)");
    println!(
        "{:<40} {:>3} {:>7} {:>7} {:>7}   runs",
        "", "n", "p50", "max", "min"
    );
    let line = |label: &str, v: Vec<f64>| {
        let s = sorted(v.iter().copied());
        println!(
            "{:<40} {:>3} {:>7.0} {:>7.0} {:>7.0}   {}",
            label,
            s.len(),
            pct(&s, 50.0),
            pct(&s, 100.0),
            s.first().copied().unwrap_or(f64::NAN),
            v.iter()
                .map(|x| format!("{x:.0}"))
                .collect::<Vec<_>>()
                .join(" ")
        );
    };
    line(
        "  → page navigation starts",
        starts.iter().map(|s| s.nav).collect(),
    );
    line(
        "  → DOMContentLoaded",
        starts.iter().filter_map(|s| s.dcl).collect(),
    );
    line(
        "  → sign-in input usable, on screen",
        starts.iter().map(|s| s.ready).collect(),
    );
    let looked = starts.iter().filter(|s| s.gap.is_some()).count();
    if looked > 0 {
        line(
            "  (runs only seen by a look: between looks)",
            starts.iter().filter_map(|s| s.gap).collect(),
        );
    }
}

fn print_memory(mem: &[Memory]) {
    println!("\n4. Idle memory: PSS of the app and every process under it (WebKit's), after the page is quiet");
    for m in mem {
        let parts = m
            .parts
            .iter()
            .map(|(k, kb, n)| {
                if *n > 1 {
                    format!("{k} ×{n} {:.0}", *kb as f64 / 1024.0)
                } else {
                    format!("{k} {:.0}", *kb as f64 / 1024.0)
                }
            })
            .collect::<Vec<_>>()
            .join(", ");
        println!(
            "  {:<52} {:>5.0} MB   ({parts})",
            m.when,
            m.total_kb as f64 / 1024.0
        );
    }
}

// ---------------------------------------------------------------------------------------------

fn sh(cmd: &str, args: &[&str]) -> String {
    Command::new(cmd)
        .args(args)
        .stderr(Stdio::null())
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default()
}

fn mtime(p: &Path) -> Option<SystemTime> {
    std::fs::metadata(p).and_then(|m| m.modified()).ok()
}

/// The newest file under `dir`.
fn newest(dir: &Path, t: &mut Option<(SystemTime, PathBuf)>) {
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            newest(&p, t);
        } else if let Some(m) = mtime(&p) {
            if t.as_ref().is_none_or(|(old, _)| m > *old) {
                *t = Some((m, p));
            }
        }
    }
}

fn describe(o: &Opts, app: &Path) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mem_total = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("MemTotal:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
        })
        .unwrap_or(0);
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_owned())
        })
        .unwrap_or_default();
    let size = |p: &Path| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0) as f64 / 1e6;
    println!("Bansos desktop window on a big database (SPEC §3)");
    println!(
        "machine: {} CPUs ({cpu}), {:.1} GB memory, load {}",
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(0),
        mem_total as f64 / 1024.0 / 1024.0,
        std::fs::read_to_string("/proc/loadavg")
            .unwrap_or_default()
            .trim()
    );
    println!(
        "WebKitGTK: {}",
        sh(
            "dpkg-query",
            &["-W", "-f=${Version}", "libwebkit2gtk-4.1-0"]
        )
    );
    let built = mtime(app);
    println!(
        "app: {} ({:.0} MB, built {})",
        app.display(),
        size(app),
        sh("date", &["-r", &app.display().to_string(), "+%F %T"])
    );
    let mut src = None;
    for d in ["src", "src-tauri/src", "ui/dist"] {
        newest(&root.join(d), &mut src);
    }
    if let (Some(built), Some((t, p))) = (built, src) {
        if t > built {
            println!(
                "WARNING: the app is older than {} (changed since it was built)",
                p.strip_prefix(&root).unwrap_or(&p).display()
            );
        }
    }
    println!("database: {} ({:.0} MB)", o.db.display(), size(&o.db));
    if let Some(k) = &o.kanwil {
        println!("kanwil database: {} ({:.0} MB)", k.display(), size(k));
    }
    println!(
        "times in ms from the click (or the last keystroke) to the end of the frame that shows the content; runs: {}",
        o.runs
    );
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    if let Err(e) = run().await {
        eprintln!("bench-window: {e}");
        std::process::exit(1);
    }
}

async fn run() -> Res {
    let o = opts()?;
    if std::env::var_os("DISPLAY").is_none() {
        return Err("no display: run it through scripts/bench-window.sh (Xvfb)".into());
    }
    let app = o.bin_dir.join("bansos-desktop");
    if !app.exists() {
        return Err(format!(
            "{} is missing: cargo build -p bansos-desktop",
            app.display()
        )
        .into());
    }
    let dir = tempfile::tempdir()?;
    let log = dir.path().join("driver.log");
    let launcher = write_launcher(dir.path(), &app)?;

    let mut starts = Vec::new();
    let mut memory_rows = Vec::new();
    let mut sign_ins = Vec::new();
    let mut admin_sign_ins = Vec::new();
    let mut failures: Vec<String> = Vec::new();
    let mut notes: Vec<String> = Vec::new();
    let mut screens = Vec::new();
    let mut console_lines = Vec::new();

    // 1. Starts: a fresh app each time; the last one goes on.
    let mut session = None;
    for run in 0..o.runs {
        let (driver, client, s) = start(dir.path(), &launcher, &o.db, &log).await?;
        eprintln!(
            "bench: start #{}: sign-in usable after {:.0} ms (navigation at {:.0})",
            run + 1,
            s.ready,
            s.nav
        );
        starts.push(s);
        if run + 1 < o.runs {
            let _ = tokio::time::timeout(Duration::from_secs(10), client.close()).await;
            drop(driver);
            tokio::time::sleep(Duration::from_millis(500)).await;
        } else {
            session = Some((driver, client));
        }
    }
    let (driver, c) = session.ok_or("no session")?;
    let pid = starts.last().map(|s| s.pid).ok_or("no start")?;
    let outcome = async {
        instrument(&c).await?;
        tokio::time::sleep(o.settle).await;
        memory_rows.push(memory(pid, "at the sign-in screen"));

        // 2. Sign-in as the Kepala UPT, `runs` times.
        for run in 0..o.runs {
            if run > 0 {
                sign_out(&c).await?;
                quiet(&c).await?;
            }
            let s = sign_in(
                &c,
                "kepala",
                &o.password,
                BERANDA,
                &format!("sign-in kepala #{}", run + 1),
            )
            .await?;
            sign_ins.push(s);
            quiet(&c).await?;
        }
        tokio::time::sleep(o.settle).await;
        memory_rows.push(memory(pid, "kepala signed in, Beranda"));

        // 3. Every screen of the Kepala's menu, then the search.
        visit(&c, &o, FACILITY, false, "kepala", &mut screens).await?;
        if o.wants("search") {
            search(&c, o.runs, &mut screens).await?;
        }
        if o.wants("charts") {
            charts(&c, o.runs, &mut screens).await?;
        }
        console_lines.extend(console(&c).await);
        tokio::time::sleep(o.settle).await;
        memory_rows.push(memory(pid, "kepala after every screen but Penyaluran"));
        visit(&c, &o, FACILITY, true, "kepala", &mut screens).await?;
        console_lines.extend(console(&c).await);
        tokio::time::sleep(o.settle).await;
        memory_rows.push(memory(pid, "kepala after Penyaluran too"));

        // The Admin's own screens.
        sign_out(&c).await?;
        quiet(&c).await?;
        let s = sign_in(&c, "admin", &o.password, BERANDA, "sign-in admin").await?;
        admin_sign_ins.push(s);
        quiet(&c).await?;
        visit(&c, &o, ADMIN, false, "admin", &mut screens).await?;
        console_lines.extend(console(&c).await);
        tokio::time::sleep(o.settle).await;
        memory_rows.push(memory(pid, "admin after Staf, Cadangan, Pengaturan"));
        // Signed out (by hand, or by the idle limit): what stays of the session.
        sign_out(&c).await?;
        quiet(&c).await?;
        tokio::time::sleep(o.settle).await;
        memory_rows.push(memory(pid, "signed out after all that"));
        // What the slow commands answer: asked again (as kepala, after the memory was read).
        let slow = slow_commands(&screens);
        if !slow.is_empty() {
            sign_in(
                &c,
                "kepala",
                &o.password,
                BERANDA,
                "sign-in kepala (to weigh answers)",
            )
            .await?;
            quiet(&c).await?;
            for cmd in slow {
                notes.push(weigh(&c, &cmd).await);
            }
        }
        let stray = stray_webkit(pid);
        if stray > 0 {
            eprintln!("bench: note: {stray} WebKit processes run outside the app (not counted)");
        }
        Res::Ok(())
    }
    .await;
    let _ = tokio::time::timeout(Duration::from_secs(10), c.close()).await;
    drop(driver);
    if let Err(e) = outcome {
        eprintln!("bench-window: {e}");
        failures.push(e.to_string());
    }

    // The Kanwil's screens, in a window of their own.
    let mut regional_sign_in = Vec::new();
    if let Some(kanwil) = &o.kanwil {
        let (driver, c, s) = start(dir.path(), &launcher, kanwil, &log).await?;
        eprintln!(
            "bench: kanwil start: sign-in usable after {:.0} ms",
            s.ready
        );
        let outcome = async {
            instrument(&c).await?;
            let what = format!("kanwil sign-in {}", o.kanwil_user);
            let si = sign_in(&c, &o.kanwil_user, &o.password, BERANDA_KANWIL, &what).await?;
            regional_sign_in.push(si);
            quiet(&c).await?;
            let who = format!("kanwil {}", o.kanwil_user);
            visit(&c, &o, REGIONAL, false, &who, &mut screens).await?;
            console_lines.extend(console(&c).await);
            tokio::time::sleep(o.settle).await;
            memory_rows.push(memory(s.pid, &format!("{who} after every screen")));
            Res::Ok(())
        }
        .await;
        let _ = tokio::time::timeout(Duration::from_secs(10), c.close()).await;
        drop(driver);
        if let Err(e) = outcome {
            eprintln!("bench-window: {e}");
            failures.push(e.to_string());
        }
    }

    println!();
    describe(&o, &app);
    print_starts(&starts);
    let mut sign_in_rows = vec![Row {
        what: "kepala: sign-in click → Beranda's figures".into(),
        samples: sign_ins,
    }];
    sign_in_rows.push(Row {
        what: "admin: sign-in click → Beranda's figures".into(),
        samples: admin_sign_ins,
    });
    if !regional_sign_in.is_empty() {
        sign_in_rows.push(Row {
            what: format!("kanwil {}: sign-in click → Beranda", o.kanwil_user),
            samples: regional_sign_in,
        });
    }
    print_rows("2. Sign-in → Beranda (ms)", &sign_in_rows);
    print_rows(
        "3. Side menu click → the screen's content (ms); SPEC: within 100 ms",
        &screens,
    );
    print_memory(&memory_rows);
    println!(
        "\nload at the end: {}",
        std::fs::read_to_string("/proc/loadavg")
            .unwrap_or_default()
            .trim()
    );
    if !notes.is_empty() {
        println!("\nthe slow commands' answers, asked again without arguments:");
        for n in &notes {
            println!("  {n}");
        }
    }
    if !console_lines.is_empty() {
        println!("\nthe page's console (errors and warnings):");
        for l in console_lines.iter().take(40) {
            println!("  {l}");
        }
    }
    // The app's, WebKit's and the drivers' own complaints (their output went to the log).
    let logged = std::fs::read_to_string(&log).unwrap_or_default();
    let mut complaints: Vec<&str> = Vec::new();
    for l in logged.lines() {
        let low = l.to_lowercase();
        let complaint = ["error", "warn", "critical", "panic"]
            .iter()
            .any(|w| low.contains(w));
        if complaint && !complaints.contains(&l) {
            complaints.push(l);
        }
    }
    if !complaints.is_empty() {
        println!("\nthe app's and the drivers' output (errors and warnings, once each):");
        for l in complaints.iter().take(20) {
            println!("  {}", l.chars().take(300).collect::<String>());
        }
    }
    if !failures.is_empty() {
        println!("\nNOT MEASURED (failed):");
        for f in &failures {
            println!("  {f}");
        }
        return Err(format!("{} part(s) failed", failures.len()).into());
    }
    Ok(())
}
