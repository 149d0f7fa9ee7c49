//! The Kanwil's inbox server and the facilities' upload (issue 14), on loopback only, bounded in
//! count and time: the server is the real `bansos inbox serve` process, killed and restarted;
//! the facility's client is the real `bansos outbox send`, killed at each step; the link is
//! refused, slow, or cut; a bundle also goes by stick; a tampered one is refused by name. After
//! each, every bundle is accepted exactly once at the Kanwil, every outbox says acknowledged, and
//! the Kanwil's recap equals the facilities' own reports.

use bansos::demo::{province_unsent, Options};
use bansos::inbox::api::{Reply, Status};
use bansos::inbox::process::ServerProcess;
use bansos::inbox::upload::{send_due, Http, SendReport, Transport};
use bansos::month::Month;
use bansos::{App, Credentials};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

const PW: &str = "demo-bansos-2024";

fn open(db: &Path, user: &str) -> App {
    App::open(
        db,
        Arc::new(bansos::clock::SystemClock),
        &Credentials::new(user, PW),
    )
    .unwrap()
}

/// `bansos inbox serve` on a loopback port, killed when dropped.
struct Server(ServerProcess);

impl Server {
    fn start(kdb: &Path, extra: &[&str]) -> Server {
        Server::start_on(kdb, "127.0.0.1:0", extra)
    }

    fn start_on(kdb: &Path, listen: &str, extra: &[&str]) -> Server {
        let exe = Path::new(env!("CARGO_BIN_EXE_bansos"));
        Server(ServerProcess::start(exe, kdb, "kepala", PW, listen, extra).unwrap())
    }
}

impl std::ops::Deref for Server {
    type Target = ServerProcess;
    fn deref(&self) -> &ServerProcess {
        &self.0
    }
}

impl Server {
    fn kill(self) -> String {
        self.0.kill()
    }
}

/// A province of `n` facilities with `months` closed months each, every bundle still in its
/// facility's outbox, and every facility's inbox address set to `url` (a port no one listens
/// on, until the server starts).
fn province(dir: &Path, n: usize, months: u32) -> (PathBuf, Vec<PathBuf>) {
    let kdb = dir.join("kanwil").join("bansos.db");
    let until = Month::of(bansos::locale::TimeZone::Wib.today(chrono::Utc::now())).prev();
    let made = province_unsent(
        &kdb,
        n,
        &Options {
            families: 12,
            months,
            seed: 3,
            until,
            facility: 0,
        },
    )
    .unwrap();
    let dbs = made
        .facilities
        .iter()
        .map(|(_, db)| PathBuf::from(db))
        .collect();
    (kdb, dbs)
}

fn set_url(db: &Path, url: &str) {
    open(db, "kepala").set_inbox_url(Some(url)).unwrap();
}

fn send(db: &Path) -> SendReport {
    let cell = std::cell::RefCell::new(open(db, "petugas"));
    send_due(&|| Ok(cell.borrow_mut()), &Http::default(), true).unwrap()
}

/// `bansos outbox send` as its own process, optionally killed at a step.
fn send_process(db: &Path, crash_at: Option<&str>) -> std::process::Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_bansos"));
    c.args(["outbox", "send"])
        .env("BANSOS_DB", db)
        .env("BANSOS_USER", "petugas")
        .env("BANSOS_PASSWORD", PW)
        .env("BANSOS_LANG", "en");
    if let Some(step) = crash_at {
        c.env("BANSOS_TEST_UPLOAD_CRASH", step);
    }
    c.output().unwrap()
}

/// Every facility's bundles accepted exactly once at the Kanwil, every outbox acknowledged, and
/// the recap of each month equal to the facilities' own reports.
fn all_delivered_once(kdb: &Path, dbs: &[PathBuf]) {
    let mut kw = open(kdb, "kepala");
    for db in dbs {
        let mut f = open(db, "kepala");
        let code = f.facility().unwrap().profile.code;
        let out = f.outbox().unwrap();
        for b in &out.bundles {
            assert_eq!(b.state, "acknowledged", "{code} seq {}: {b:?}", b.seq);
        }
        let inbox: Vec<_> = kw
            .inbox_list()
            .unwrap()
            .0
            .into_iter()
            .filter(|r| r.member == code)
            .collect();
        for b in &out.bundles {
            let taken: Vec<_> = inbox
                .iter()
                .filter(|r| r.seq == b.seq && r.status == "accepted")
                .collect();
            assert_eq!(
                taken.len(),
                1,
                "{code} seq {} accepted once: {inbox:?}",
                b.seq
            );
            assert_eq!(taken[0].sha256, b.sha256);
        }
        assert_eq!(
            inbox.iter().filter(|r| r.status == "accepted").count(),
            out.bundles.len(),
            "{code}: nothing else was accepted"
        );
    }
    let periods: std::collections::BTreeSet<String> = dbs
        .iter()
        .flat_map(|db| {
            open(db, "kepala")
                .outbox()
                .unwrap()
                .bundles
                .into_iter()
                .map(|b| b.period)
        })
        .collect();
    for p in periods {
        let recap = kw.regional_recap(&p).unwrap();
        let mut packages = 0;
        for db in dbs {
            packages += open(db, "kepala")
                .month_report(&p, None)
                .unwrap()
                .served
                .packages;
        }
        assert_eq!(recap.total.packages, packages, "{p}");
    }
}

#[test]
fn bundles_reach_the_kanwil_exactly_once_through_outages() {
    let dir = tempfile::tempdir().unwrap();
    let (kdb, dbs) = province(dir.path(), 2, 3);
    // A port that was free a moment ago: nothing listens there yet.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}");
    for db in &dbs {
        set_url(db, &url);
    }

    // Connection refused: each facility's first bundle waits its backoff, with the reason.
    let r = send(&dbs[0]);
    assert_eq!(r.lines.len(), 1, "the round stops at the first failure");
    assert_eq!(r.lines[0].outcome, "failed");
    assert!(
        r.lines[0].message_en.contains("refused the connection"),
        "{r:?}"
    );
    let b = &open(&dbs[0], "kepala").outbox().unwrap().bundles[0];
    assert_eq!((b.upload_tries, b.state.as_str()), (1, "created"));
    assert!(b.next_try_at.is_some() && b.last_error.is_some());
    // Not due yet: a round that is not asked for by a person sends nothing.
    let cell = std::cell::RefCell::new(open(&dbs[0], "petugas"));
    let quiet = send_due(&|| Ok(cell.borrow_mut()), &Http::default(), false).unwrap();
    assert!(quiet.lines.is_empty(), "{quiet:?}");
    drop(cell);

    // A server that accepts the connection and never answers: the client gives up in time.
    let silent = TcpListener::bind("127.0.0.1:0").unwrap();
    let silent_url = format!("http://{}", silent.local_addr().unwrap());
    let hold = std::thread::spawn(move || {
        let (s, _) = silent.accept().unwrap();
        std::thread::sleep(Duration::from_secs(4));
        drop(s);
    });
    let slow = Http::new(Duration::from_secs(1), Duration::from_secs(2));
    let started = Instant::now();
    let e = slow
        .post_bundle(&silent_url, b"PK")
        .expect_err("a silent server is a failure");
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "it waited {:?}",
        started.elapsed()
    );
    assert!(e.contains("did not answer in time"), "{e}");
    hold.join().unwrap();

    let server = Server::start_on(&kdb, &format!("127.0.0.1:{port}"), &[]);

    // The client killed at each step of facility 0's round, then run to the end.
    for step in ["before_send", "after_send", "after_answer"] {
        let out = send_process(&dbs[0], Some(step));
        assert!(!out.status.success(), "{step}: the client was killed");
    }
    let out = send_process(&dbs[0], None);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // Facility 1: its first bundle by stick, the Kanwil imports it, then the upload of all.
    let mut f1 = open(&dbs[1], "petugas");
    let (_, name, bytes) = f1.bundle_file(Some(1), None).unwrap();
    let mut kw = open(&kdb, "kepala");
    let stick = kw.import_bundles(vec![(name, bytes.clone())]);
    // The server holds the database between requests; the desk waits its turn.
    assert_eq!(stick.unwrap()[0].verdict, "accepted");
    drop(kw);
    // A tampered copy of its second bundle, uploaded: refused, naming the part.
    let (_, _, second) = f1.bundle_file(Some(2), None).unwrap();
    let mut tampered = second.clone();
    let i = tampered.len() / 2;
    tampered[i] ^= 1;
    let r = Http::default().post_bundle(&server.url, &tampered).unwrap();
    assert_eq!(r.status, Status::Refused, "{r:?}");
    assert!(r.reason.is_some(), "named: {r:?}");
    drop(f1);
    // The server killed in the middle of an upload (half the body sent), then restarted.
    let mut s = TcpStream::connect(server.addr()).unwrap();
    write!(
        s,
        "POST /v1/bundles HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\n\r\n",
        second.len()
    )
    .unwrap();
    s.write_all(&second[..second.len() / 2]).unwrap();
    s.flush().unwrap();
    let addr = server.kill();
    drop(s);
    let server = Server::start_on(&kdb, &addr, &[]);
    let r = send(&dbs[1]);
    assert!(r.lines.iter().all(|l| l.outcome == "acknowledged"), "{r:?}");
    // The answer to the stick's copy is the same file: importing it changes nothing.
    let mut kw = open(&kdb, "kepala");
    let sha = open(&dbs[1], "kepala").outbox().unwrap().bundles[0]
        .sha256
        .clone();
    let (_, answer) = kw.answer_for_bundle(&sha).unwrap().unwrap();
    drop(kw);
    assert!(
        !open(&dbs[1], "petugas")
            .import_answer(&answer)
            .unwrap()
            .changed
    );

    // A body cut short: answered, nothing stored, the server still up.
    let mut s = TcpStream::connect(server.addr()).unwrap();
    write!(
        s,
        "POST /v1/bundles HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    s.write_all(&[7u8; 10]).unwrap();
    s.shutdown(std::net::Shutdown::Write).unwrap();
    let mut text = String::new();
    let _ = s.read_to_string(&mut text);
    assert!(
        text.is_empty() || text.starts_with("HTTP/1.1 400"),
        "{text}"
    );
    let code = open(&dbs[1], "kepala").facility().unwrap().profile.code;
    let again = Http::default().get_head(&server.url, &code).unwrap();
    assert_eq!(again.status, Status::Head);

    drop(server);
    all_delivered_once(&kdb, &dbs);
}

#[test]
fn an_accepted_bundle_survives_the_server_killed_right_after_its_answer() {
    let dir = tempfile::tempdir().unwrap();
    let (kdb, dbs) = province(dir.path(), 1, 2);
    let server = Server::start(&kdb, &[]);
    set_url(&dbs[0], &server.url);
    let mut f = open(&dbs[0], "petugas");
    let (_, _, b1) = f.bundle_file(Some(1), None).unwrap();
    let sha = f.outbox().unwrap().bundles[0].sha256.clone();
    drop(f);
    let r = Http::default().post_bundle(&server.url, &b1).unwrap();
    assert_eq!(r.status, Status::Accepted);
    let addr = server.kill();
    // Restarted: the bundle is there, its answer the same, and the retry is no duplicate.
    let server = Server::start_on(&kdb, &addr, &[]);
    let again = Http::default().post_bundle(&server.url, &b1).unwrap();
    assert_eq!(again.status, Status::AlreadyReceived);
    assert_eq!(again.answer, r.answer, "the stored answer, byte for byte");
    let stored = ureq::get(&format!("{}/v1/answers/{sha}", server.url))
        .call()
        .unwrap()
        .body_mut()
        .read_to_string()
        .unwrap();
    let stored: Reply = serde_json::from_str(&stored).unwrap();
    assert_eq!(stored.status, Status::Answer);
    assert_eq!(stored.answer, r.answer);
    let r = send(&dbs[0]);
    assert!(r.lines.iter().all(|l| l.outcome == "acknowledged"), "{r:?}");
    drop(server);
    all_delivered_once(&kdb, &dbs);
}

#[test]
fn the_inbox_refuses_an_oversized_body_and_a_flood_and_stays_up() {
    let dir = tempfile::tempdir().unwrap();
    let (kdb, dbs) = province(dir.path(), 1, 1);
    let code = open(&dbs[0], "kepala").facility().unwrap().profile.code;
    let server = Server::start(&kdb, &["--per-address-per-minute", "5"]);
    // Too large, by its declared length: refused before a byte of it is read.
    let mut s = TcpStream::connect(server.addr()).unwrap();
    write!(
        s,
        "POST /v1/bundles HTTP/1.1\r\nHost: x\r\nContent-Length: 999999999999\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut text = String::new();
    s.read_to_string(&mut text).unwrap();
    assert!(text.starts_with("HTTP/1.1 413"), "{text}");
    assert!(text.contains("\"too_large\""), "{text}");
    // The facility's first bundle, so that its head exists.
    let (_, _, b1) = open(&dbs[0], "petugas").bundle_file(Some(1), None).unwrap();
    let r = Http::default().post_bundle(&server.url, &b1).unwrap();
    assert_eq!(r.status, Status::Accepted);
    // A flood from one address: 429 with Retry-After, and the server answers on.
    let mut codes = Vec::new();
    for _ in 0..8 {
        let res = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .new_agent()
            .get(&format!("{}/v1/facilities/{code}/head", server.url))
            .call()
            .unwrap();
        if res.status() == 429 {
            assert!(res.headers().get("retry-after").is_some());
        }
        codes.push(res.status().as_u16());
    }
    assert!(codes.contains(&429), "{codes:?}");
    assert!(codes.iter().all(|c| [200, 429].contains(c)), "{codes:?}");
    // Anyone may ask for a head over the network: the answers leave no rows in the audit log.
    assert!(codes.contains(&200), "{codes:?}");
    let logged = open(&kdb, "kepala")
        .audit_list(None, 500)
        .unwrap()
        .iter()
        .filter(|e| e.action == "kanwil.head_answer")
        .count();
    assert_eq!(logged, 0);
}

/// A raw upload of `body` from the loopback address `source` (127.0.0.2: another machine, as the
/// server sees it); the reply's status line and body.
fn post_from(source: &str, to: &str, body: &[u8]) -> String {
    post_via(source, to, body, None)
}

/// The same, through a reverse proxy naming the client in `X-Forwarded-For`.
fn post_via(source: &str, to: &str, body: &[u8], forwarded_for: Option<&str>) -> String {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .build()
        .unwrap();
    let mut s = rt.block_on(async {
        let socket = tokio::net::TcpSocket::new_v4().unwrap();
        socket.bind(source.parse().unwrap()).unwrap();
        let stream = socket.connect(to.parse().unwrap()).await.unwrap();
        let s = stream.into_std().unwrap();
        s.set_nonblocking(false).unwrap();
        s
    });
    let forwarded = forwarded_for
        .map(|a| format!("X-Forwarded-For: {a}\r\n"))
        .unwrap_or_default();
    write!(
        s,
        "POST /v1/bundles HTTP/1.1\r\nHost: x\r\nContent-Type: application/vnd.bansos.bundle\r\n\
         {forwarded}Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .unwrap();
    s.write_all(body).unwrap();
    let mut text = String::new();
    s.read_to_string(&mut text).unwrap();
    text
}

/// The facility's uploads are counted per address: another address sending bundles under the
/// facility's code (printed on every BAST) reaches its own limit, and the facility's uploads from
/// its own address are still taken.
#[test]
fn uploads_under_a_facilitys_code_from_elsewhere_do_not_use_up_its_turns() {
    let dir = tempfile::tempdir().unwrap();
    let (kdb, dbs) = province(dir.path(), 1, 1);
    let server = Server::start(&kdb, &["--per-facility-per-minute", "2"]);
    let (_, _, b1) = open(&dbs[0], "petugas").bundle_file(Some(1), None).unwrap();
    let replies: Vec<String> = (0..3)
        .map(|_| post_from("127.0.0.2:0", server.addr(), &b1))
        .collect();
    assert!(replies[0].starts_with("HTTP/1.1 201"), "{}", replies[0]);
    assert!(replies[1].starts_with("HTTP/1.1 200"), "{}", replies[1]);
    assert!(
        replies[2].starts_with("HTTP/1.1 429"),
        "the third from there: {}",
        replies[2]
    );
    let r = Http::default().post_bundle(&server.url, &b1).unwrap();
    assert_eq!(
        r.status,
        Status::AlreadyReceived,
        "from the facility's own address: {r:?}"
    );
}

/// Behind the reverse proxy every connection comes from 127.0.0.1: the client the proxy names
/// is the one counted, so uploads under a facility's code from one client do not use up the
/// facility's turns from another (a client on the network writing the header itself is not
/// believed: `client_ip`'s unit test).
#[test]
fn behind_a_proxy_each_client_is_counted_apart() {
    let dir = tempfile::tempdir().unwrap();
    let (kdb, dbs) = province(dir.path(), 1, 1);
    let server = Server::start(&kdb, &["--per-facility-per-minute", "2"]);
    let (_, _, b1) = open(&dbs[0], "petugas").bundle_file(Some(1), None).unwrap();
    let from = |client: &str| post_via("127.0.0.1:0", server.addr(), &b1, Some(client));
    let replies: Vec<String> = (0..3).map(|_| from("10.9.8.7, 203.0.113.7")).collect();
    assert!(replies[0].starts_with("HTTP/1.1 201"), "{}", replies[0]);
    assert!(
        replies[2].starts_with("HTTP/1.1 429"),
        "the third from that client: {}",
        replies[2]
    );
    let other = from("198.51.100.4");
    assert!(other.starts_with("HTTP/1.1 200"), "another client: {other}");
}

#[test]
fn five_facilities_upload_three_months_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let (kdb, dbs) = province(dir.path(), 5, 3);
    let server = Server::start(&kdb, &[]);
    for db in &dbs {
        set_url(db, &server.url);
    }
    let handles: Vec<_> = dbs
        .iter()
        .cloned()
        .map(|db| std::thread::spawn(move || send(&db)))
        .collect();
    for h in handles {
        let r = h.join().unwrap();
        assert!(r.lines.iter().all(|l| l.outcome == "acknowledged"), "{r:?}");
    }
    drop(server);
    all_delivered_once(&kdb, &dbs);
}

#[test]
fn a_restored_facility_asks_the_inbox_for_its_head_first() {
    let dir = tempfile::tempdir().unwrap();
    let last = Month::of(bansos::locale::TimeZone::Wib.today(chrono::Utc::now())).prev();
    let kdb = dir.path().join("kanwil").join("bansos.db");
    let made = province_unsent(
        &kdb,
        1,
        &Options {
            families: 12,
            months: 2,
            seed: 4,
            until: last.prev(),
            facility: 0,
        },
    )
    .unwrap();
    let db = PathBuf::from(&made.facilities[0].1);
    let server = Server::start(&kdb, &[]);
    set_url(&db, &server.url);
    // A backup at seq 2; then last month closed (seq 3) and everything uploaded.
    let backup = open(&db, "admin").backup_to(&dir.path().join("b")).unwrap();
    open(&db, "kepala").close_month(&last.key()).unwrap();
    let r = send(&db);
    assert_eq!(r.lines.len(), 3, "{r:?}");
    assert!(r.lines.iter().all(|l| l.outcome == "acknowledged"), "{r:?}");
    // Restored from the backup: held; last month closed again, no bundle yet.
    crate::exchange::restore_demo(&db, Path::new(&backup.path));
    open(&db, "kepala").close_month(&last.key()).unwrap();
    assert!(open(&db, "kepala").outbox().unwrap().held_after_restore);
    // The round asks the inbox for the head first, then sends what the restored outbox holds
    // (seqs 1 and 2 again: already received, acknowledged). The Kanwil has last month already
    // (seq 3, its head), so no monthly bundle is made for it again: one could only be refused as
    // out of order, taking a seq. Closed again at revision 2 it would go as a revision of seq 3,
    // at seq 4, never 3 (`exchange.rs`).
    let r = send(&db);
    assert!(r.head_imported, "{r:?}");
    assert_eq!(
        r.lines.iter().map(|l| l.seq).collect::<Vec<_>>(),
        [1, 2],
        "{r:?}"
    );
    assert!(r.lines.iter().all(|l| l.outcome == "acknowledged"), "{r:?}");
    let out = open(&db, "kepala").outbox().unwrap();
    assert!(!out.held_after_restore);
    assert_eq!(out.bundles.last().unwrap().seq, 2);
    assert_eq!(out.held_at_head.unwrap().closings, vec![last.key()]);
}

/// The server's routes in this process, over `app`, as a client at 127.0.0.1 would reach them:
/// (HTTP status, reply).
pub(crate) struct InProcess {
    rt: tokio::runtime::Runtime,
    router: axum::Router,
}

impl InProcess {
    pub(crate) fn new(app: App, cfg: bansos::inbox::Config) -> InProcess {
        let router =
            bansos::inbox::router(app, cfg).layer(axum::extract::connect_info::MockConnectInfo(
                std::net::SocketAddr::from(([127, 0, 0, 1], 40000)),
            ));
        InProcess {
            rt: tokio::runtime::Builder::new_multi_thread()
                .worker_threads(1)
                .enable_all()
                .build()
                .unwrap(),
            router,
        }
    }

    pub(crate) fn call(&self, method: &str, path: &str, body: Vec<u8>) -> (u16, Reply) {
        use tower::ServiceExt;
        let req = axum::http::Request::builder()
            .method(method)
            .uri(path)
            .body(axum::body::Body::from(body))
            .unwrap();
        let router = self.router.clone();
        self.rt.block_on(async move {
            let res = router.oneshot(req).await.unwrap();
            let status = res.status().as_u16();
            let bytes = axum::body::to_bytes(res.into_body(), 4 << 20)
                .await
                .unwrap();
            let reply: Reply = serde_json::from_slice(&bytes)
                .unwrap_or_else(|_| panic!("not a reply: {}", String::from_utf8_lossy(&bytes)));
            (status, reply)
        })
    }
}

#[test]
fn a_client_that_trickles_its_headers_or_opens_too_many_connections_is_cut_off() {
    let dir = tempfile::tempdir().unwrap();
    let (kdb, _) = province(dir.path(), 1, 1);
    let app = open(&kdb, "kepala");
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let listener = rt
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = rt.spawn(bansos::inbox::serve(
        listener,
        app,
        bansos::inbox::Config {
            max_connections: 3,
            header_timeout: Duration::from_secs(1),
            ..Default::default()
        },
        async move {
            let _ = stopped.await;
        },
    ));
    // Half a request line, then nothing: closed after the header timeout.
    let mut slow = TcpStream::connect(addr).unwrap();
    slow.write_all(b"POST /v1/bun").unwrap();
    slow.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let started = Instant::now();
    let mut buf = Vec::new();
    let _ = slow.read_to_end(&mut buf);
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_millis(900) && waited < Duration::from_secs(4),
        "closed after {waited:?}"
    );
    // Three idle connections fill the cap: a fourth is closed at once, unanswered.
    let idle: Vec<TcpStream> = (0..3).map(|_| TcpStream::connect(addr).unwrap()).collect();
    std::thread::sleep(Duration::from_millis(200));
    let mut extra = TcpStream::connect(addr).unwrap();
    extra
        .set_read_timeout(Some(Duration::from_secs(3)))
        .unwrap();
    let _ = extra.write_all(b"GET /v1/answers/00 HTTP/1.1\r\nHost: x\r\n\r\n");
    let mut text = String::new();
    let _ = extra.read_to_string(&mut text);
    assert!(text.is_empty(), "{text}");
    // Once they go, the server answers again.
    drop(idle);
    std::thread::sleep(Duration::from_millis(200));
    let mut s = TcpStream::connect(addr).unwrap();
    s.write_all(b"GET /v1/answers/00 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut text = String::new();
    s.read_to_string(&mut text).unwrap();
    assert!(text.starts_with("HTTP/1.1 404"), "{text}");
    stop.send(()).unwrap();
    rt.block_on(server).unwrap().unwrap();
}

/// A link that is always down.
struct Down;

impl Transport for Down {
    fn post_bundle(&self, _: &str, _: &[u8]) -> Result<Reply, String> {
        Err("tidak dapat terhubung|cannot connect".into())
    }
    fn get_head(&self, _: &str, _: &str) -> Result<Reply, String> {
        Err("tidak dapat terhubung|cannot connect".into())
    }
}

#[test]
fn background_rounds_never_keep_an_idle_session_alive() {
    let dir = tempfile::tempdir().unwrap();
    let (_, dbs) = province(dir.path(), 1, 1);
    set_url(&dbs[0], "http://127.0.0.1:9");
    for person_asks in [false, true] {
        let clock = Arc::new(bansos::clock::FixedClock::new(chrono::Utc::now()));
        let app = App::open(&dbs[0], clock.clone(), &Credentials::new("petugas", PW)).unwrap();
        let idle = open(&dbs[0], "kepala").facility().unwrap().idle_minutes;
        let cell = std::cell::RefCell::new(app);
        // A round every 30 s for longer than the idle limit.
        let mut expired = false;
        for _ in 0..(idle * 2 + 4) {
            clock.advance(chrono::Duration::seconds(30));
            match send_due(&|| Ok(cell.borrow_mut()), &Down, person_asks) {
                Ok(_) => {}
                Err(e) => {
                    assert_eq!(e.kind, bansos::ErrorKind::SessionExpired, "{e:?}");
                    expired = true;
                    break;
                }
            }
        }
        // The background's rounds are not the person's activity: the session times out. A
        // person pressing send every 30 s is.
        assert_eq!(expired, !person_asks);
    }
}

/// An inbox that answers with a file that is not a genuine answer (a misconfigured server, a
/// Kanwil reinstalled with another key).
struct Junk;

impl Transport for Junk {
    fn post_bundle(&self, _: &str, _: &[u8]) -> Result<Reply, String> {
        let mut r = Reply::plain(Status::Accepted, "diterima", "accepted");
        r.answer = Some(bansos::inbox::api::File::new(
            "x.bansos-answer",
            b"bukan jawaban",
        ));
        Ok(r)
    }
    fn get_head(&self, _: &str, _: &str) -> Result<Reply, String> {
        Err("tidak dapat terhubung|cannot connect".into())
    }
}

/// An answer that does not verify is a failed try, said as such; the round lets go of the
/// session before it records the failure (it used to take it twice: a deadlock in the window, a
/// panic here).
#[test]
fn an_answer_that_does_not_verify_is_a_failed_try_not_a_deadlock() {
    let dir = tempfile::tempdir().unwrap();
    let (_, dbs) = province(dir.path(), 1, 1);
    set_url(&dbs[0], "http://127.0.0.1:9");
    let cell = std::cell::RefCell::new(open(&dbs[0], "kepala"));
    let report = send_due(&|| Ok(cell.borrow_mut()), &Junk, true).unwrap();
    assert_eq!(
        report
            .lines
            .iter()
            .map(|l| l.outcome.as_str())
            .collect::<Vec<_>>(),
        ["failed"],
        "{report:?}"
    );
    let outbox = cell.borrow_mut().outbox().unwrap();
    assert!(
        outbox.bundles.iter().all(|b| b.answered_at.is_none()),
        "nothing counts as acknowledged"
    );
}
