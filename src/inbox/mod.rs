//! The network, both ends: the Kanwil's inbox server (`bansos inbox serve`, this file), where
//! facilities upload their bundles over HTTP and get the same verdicts and signed answers as a
//! file import gives (`docs/inbox-api.md`); the wire both share (`api.rs`); and the facility's
//! upload to it (`upload.rs`). Like the command line, they drive the use cases (`App`).
//!
//! axum on tokio. One database session, held by the server for its life, does every import in
//! turn (SQLite takes one writer at a time anyway), on a blocking thread; a request that waits
//! for it longer than `busy_after` is answered 503. An import commits (WAL, synchronous=FULL)
//! before its answer is written, so an accepted bundle survives the server being killed at any
//! moment, and the facility's retry of it is answered `already_received` with the same answer.
//! Limits, all checked before the work they guard: the body's size (by its Content-Length, then
//! while it is read), its read time, the whole request's time, requests in progress (more are
//! shed with 503), requests per address and per facility per minute (429).

pub mod api;
pub mod process;
pub mod upload;

use crate::app::App;
use crate::bundle::{wire, BUNDLE_BYTES, BUNDLE_ENTRIES};
use crate::error::{Error, ErrorKind, Result};
use api::{File, Reply, Status};
use axum::body::Body;
use axum::extract::rejection::PathRejection;
use axum::extract::{ConnectInfo, Path, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How the server runs; `Config::default()` is what `bansos inbox serve` uses.
#[derive(Debug, Clone)]
pub struct Config {
    /// A bundle's body, at most (the bundle format's own limit).
    pub max_body: u64,
    /// Requests handled at once; more are answered 503 at once.
    pub concurrency: usize,
    /// Bundles being received at once (each held in memory, up to `max_body`); more wait up to
    /// `busy_after`, then 503.
    pub uploads: usize,
    /// Requests per minute from one address.
    pub per_address_per_minute: u32,
    /// Uploads per minute for one facility from one address. The facility is the one a bundle's
    /// signature line names before it is verified, and facility codes are printed on every
    /// BAST: counted per address too, someone else's junk under a facility's code cannot use up
    /// the facility's own uploads.
    pub per_facility_per_minute: u32,
    /// Reading the body, at most.
    pub body_timeout: Duration,
    /// A whole request, at most.
    pub request_timeout: Duration,
    /// Waiting for the database, at most, before 503.
    pub busy_after: Duration,
    /// Seconds a 429 or 503 asks the client to wait.
    pub retry_after: u64,
    /// Connections open at once; more are closed as they come.
    pub max_connections: usize,
    /// Reading a request's headers, at most (a client that trickles them is cut off).
    pub header_timeout: Duration,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            max_body: BUNDLE_BYTES,
            concurrency: 16,
            uploads: 4,
            per_address_per_minute: 120,
            per_facility_per_minute: 30,
            body_timeout: Duration::from_secs(120),
            request_timeout: Duration::from_secs(300),
            busy_after: Duration::from_secs(20),
            retry_after: 30,
            max_connections: 512,
            header_timeout: Duration::from_secs(30),
        }
    }
}

struct Shared {
    app: Arc<tokio::sync::Mutex<App>>,
    uploads: Arc<tokio::sync::Semaphore>,
    cfg: Config,
    per_address: DefaultKeyedRateLimiter<IpAddr>,
    per_facility: DefaultKeyedRateLimiter<(String, IpAddr)>,
}

fn per_minute(n: u32) -> Quota {
    Quota::per_minute(NonZeroU32::new(n.max(1)).unwrap_or(NonZeroU32::MIN))
}

/// The server's routes over a signed-in regional session.
pub fn router(app: App, cfg: Config) -> Router {
    let shared = Arc::new(Shared {
        app: Arc::new(tokio::sync::Mutex::new(app.into_service())),
        uploads: Arc::new(tokio::sync::Semaphore::new(cfg.uploads.max(1))),
        per_address: RateLimiter::keyed(per_minute(cfg.per_address_per_minute)),
        per_facility: RateLimiter::keyed(per_minute(cfg.per_facility_per_minute)),
        cfg: cfg.clone(),
    });
    let overload = tower::ServiceBuilder::new()
        .layer(axum::error_handling::HandleErrorLayer::new(
            move |e: tower::BoxError| async move { overloaded(&e) },
        ))
        .load_shed()
        .concurrency_limit(cfg.concurrency.max(1))
        .timeout(cfg.request_timeout);
    Router::new()
        .route("/v1/bundles", post(post_bundle))
        .route("/v1/facilities/{code}/head", get(get_head))
        .route("/v1/answers/{hash}", get(get_answer))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(shared)
        .layer(tower_http::timeout::RequestBodyTimeoutLayer::new(
            cfg.body_timeout,
        ))
        .layer(overload)
}

/// Serves on `listener` until `shutdown` completes, then lets the requests in progress finish
/// (up to a minute). Writes one log line per request.
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: App,
    cfg: Config,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<()> {
    use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
    let (max, header_timeout) = (cfg.max_connections.max(1), cfg.header_timeout);
    let router = router(app, cfg);
    let open = Arc::new(tokio::sync::Semaphore::new(max));
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut builder = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(header_timeout)
        .keep_alive(true);
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    // Out of file descriptors and the like: wait a moment, keep serving.
                    tracing::warn!(target: "bansos::inbox", error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let Ok(permit) = open.clone().try_acquire_owned() else {
            tracing::warn!(target: "bansos::inbox", remote = %peer.ip(), "too many connections: closed");
            drop(stream);
            continue;
        };
        let svc = tower::ServiceExt::map_request(
            router.clone(),
            move |mut req: axum::http::Request<hyper::body::Incoming>| {
                req.extensions_mut().insert(ConnectInfo(peer));
                req
            },
        );
        let conn = builder.serve_connection(
            TokioIo::new(stream),
            hyper_util::service::TowerToHyperService::new(svc),
        );
        let conn = graceful.watch(conn.into_owned());
        tokio::spawn(async move {
            let _ = conn.await;
            drop(permit);
        });
    }
    drop(listener);
    if tokio::time::timeout(Duration::from_secs(60), graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!(target: "bansos::inbox", "requests still running after a minute: stopped");
    }
    Ok(())
}

fn reply(r: &Reply) -> Response {
    let mut res = (
        StatusCode::from_u16(r.status.http()).unwrap_or(StatusCode::SERVICE_UNAVAILABLE),
        [(header::CONTENT_TYPE, "application/json")],
        r.to_bytes(),
    )
        .into_response();
    if let Some(s) = r.retry_after {
        if let Ok(v) = HeaderValue::from_str(&s.to_string()) {
            res.headers_mut().insert(header::RETRY_AFTER, v);
        }
    }
    res
}

fn busy(retry_after: u64) -> Reply {
    let mut r = Reply::plain(
        Status::Busy,
        "Server Kanwil sedang sibuk; coba lagi nanti.",
        "The regional office's server is busy; try again later.",
    );
    r.retry_after = Some(retry_after);
    r
}

fn overloaded(e: &tower::BoxError) -> Response {
    if e.is::<tower::timeout::error::Elapsed>() {
        return reply(&Reply::plain(
            Status::Timeout,
            "Permintaan terlalu lama; coba lagi.",
            "The request took too long; try again.",
        ));
    }
    reply(&busy(30))
}

async fn not_found() -> Response {
    reply(&Reply::plain(
        Status::NotFound,
        "Alamat ini tidak ada di kotak masuk Kanwil.",
        "There is no such address in the regional office's inbox.",
    ))
}

async fn method_not_allowed() -> Response {
    reply(&Reply::plain(
        Status::MethodNotAllowed,
        "Cara permintaan ini tidak dipakai di alamat itu.",
        "That method is not used at that address.",
    ))
}

fn too_many(retry_after: u64) -> Reply {
    let mut r = Reply::plain(
        Status::TooManyRequests,
        "Terlalu banyak permintaan; tunggu sebentar lalu coba lagi.",
        "Too many requests; wait a moment and try again.",
    );
    r.retry_after = Some(retry_after);
    r
}

/// One structured line per request.
fn log(ip: IpAddr, method: &str, path: &str, r: &Reply, started: Instant) {
    tracing::info!(
        target: "bansos::inbox",
        remote = %ip,
        method,
        path,
        status = r.status.http(),
        verdict = ?r.status,
        facility = r.facility.as_deref().unwrap_or("-"),
        seq = r.seq.unwrap_or(0),
        reason = r.reason.as_ref().map_or("-", |x| x.code.as_str()),
        ms = started.elapsed().as_millis() as u64,
    );
}

/// Runs `f` on the database session, on a blocking thread, if it is free within `busy_after`.
async fn with_app<T: Send + 'static>(
    s: &Shared,
    f: impl FnOnce(&mut App) -> Result<T> + Send + 'static,
) -> std::result::Result<Result<T>, Reply> {
    let guard = tokio::time::timeout(s.cfg.busy_after, s.app.clone().lock_owned())
        .await
        .map_err(|_| busy(s.cfg.retry_after))?;
    tokio::task::spawn_blocking(move || {
        let mut app = guard;
        f(&mut app)
    })
    .await
    .map_err(|_| busy(s.cfg.retry_after))
}

/// A database error as a reply: busy, unknown, or (for anything else) busy too, so the client
/// tries again and nothing is lost.
fn failed(e: &Error, retry_after: u64) -> Reply {
    let status = match e.kind {
        ErrorKind::NotFound => Status::NotFound,
        ErrorKind::Invalid => Status::BadRequest,
        _ => Status::Busy,
    };
    let mut r = Reply::plain(
        status,
        e.message(crate::locale::Lang::Id),
        e.message(crate::locale::Lang::En),
    );
    if status == Status::Busy {
        tracing::warn!(target: "bansos::inbox", error = e.message(crate::locale::Lang::En));
        r.retry_after = Some(retry_after);
    }
    r
}

/// The signing facility's code, read from the signature line without checking anything: only
/// to count its requests.
fn signer_code(bytes: &[u8]) -> Option<String> {
    let entries = wire::unzip(bytes, BUNDLE_ENTRIES, ("bundel", "bundle")).ok()?;
    let (_, sig) = entries.iter().find(|(n, _)| n == "manifest.sig")?;
    wire::SigLine::parse(sig).map(|s| s.code)
}

/// The client a request counts against. Behind the reverse proxy the documentation sets up
/// (`docs/inbox-server.md`), every connection comes from the loopback address, and the proxy
/// names the client in the last entry of `X-Forwarded-For` (Caddy by default; nginx as
/// configured there). That entry is taken from a loopback peer only: a client on the network
/// cannot choose the address it is counted under.
fn client_ip(peer: SocketAddr, headers: &axum::http::HeaderMap) -> IpAddr {
    if !peer.ip().is_loopback() {
        return peer.ip();
    }
    headers
        .get_all("x-forwarded-for")
        .iter()
        .next_back()
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.rsplit(',').next())
        .and_then(|a| a.trim().parse::<IpAddr>().ok())
        .unwrap_or(peer.ip())
}

async fn post_bundle(
    State(s): State<Arc<Shared>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    req: Request,
) -> Response {
    let started = Instant::now();
    let ip = client_ip(peer, req.headers());
    let r = upload(&s, ip, req).await;
    log(ip, "POST", "/v1/bundles", &r, started);
    reply(&r)
}

async fn upload(s: &Arc<Shared>, ip: IpAddr, req: Request) -> Reply {
    if s.per_address.check_key(&ip).is_err() {
        return too_many(s.cfg.retry_after);
    }
    let max = s.cfg.max_body;
    let too_large = |n: Option<u64>| {
        let mut r = Reply::plain(
            Status::TooLarge,
            format!(
                "Berkas terlalu besar{}: paling besar {} MB.",
                n.map(|n| format!(" ({} MB)", n.div_ceil(1024 * 1024)))
                    .unwrap_or_default(),
                max / (1024 * 1024)
            ),
            format!(
                "The file is too large{}: at most {} MB.",
                n.map(|n| format!(" ({} MB)", n.div_ceil(1024 * 1024)))
                    .unwrap_or_default(),
                max / (1024 * 1024)
            ),
        );
        r.reason = Some(crate::bundle::check::too_large(
            n.unwrap_or(max + 1),
            max,
            ("bundel", "bundle"),
        ));
        r
    };
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > max) {
        return too_large(declared);
    }
    // Bodies held in memory at once are bounded: wait for a turn, or 503.
    let Ok(Ok(_turn)) =
        tokio::time::timeout(s.cfg.busy_after, s.uploads.clone().acquire_owned()).await
    else {
        return busy(s.cfg.retry_after);
    };
    let body: Body = req.into_body();
    let bytes = match axum::body::to_bytes(body, usize::try_from(max).unwrap_or(usize::MAX)).await {
        Ok(b) => b,
        Err(e) => {
            let source = std::error::Error::source(&e).map(|x| x.to_string());
            if source
                .as_deref()
                .is_some_and(|t| t.contains("length limit"))
            {
                return too_large(None);
            }
            if source.as_deref().is_some_and(|t| t.contains("timed out"))
                || e.to_string().contains("timed out")
            {
                return Reply::plain(
                    Status::Timeout,
                    "Berkas tidak selesai terkirim pada waktunya; kirim lagi.",
                    "The file did not arrive in time; send it again.",
                );
            }
            return Reply::plain(
                Status::BadRequest,
                "Berkas terputus di tengah jalan; kirim lagi.",
                "The file was cut off on the way; send it again.",
            );
        }
    };
    if bytes.is_empty() {
        return Reply::plain(
            Status::BadRequest,
            "Tidak ada berkas bundel dalam permintaan.",
            "The request carries no bundle file.",
        );
    }
    let code = signer_code(&bytes);
    let (shared, retry) = (s.clone(), s.cfg.retry_after);
    let res = with_app(s, move |app| {
        if let Some(c) = &code {
            if app.is_member(c)? && shared.per_facility.check_key(&(c.clone(), ip)).is_err() {
                return Ok(None);
            }
        }
        let name = format!(
            "inbox-{}.bansos-bundle",
            code.as_deref().unwrap_or("unknown")
        );
        let v = app.import_bundles(vec![(name, Vec::from(bytes))])?;
        Ok(v.into_iter().next())
    })
    .await;
    match res {
        Err(r) => r,
        Ok(Err(e)) => failed(&e, retry),
        Ok(Ok(None)) => too_many(retry),
        Ok(Ok(Some(v))) => Reply::of_verdict(&v),
    }
}

async fn get_head(
    State(s): State<Arc<Shared>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: axum::http::HeaderMap,
    code: std::result::Result<Path<String>, PathRejection>,
) -> Response {
    let started = Instant::now();
    let ip = client_ip(peer, &headers);
    // A path that does not decode (not UTF-8) names no facility.
    let code = code.map(|Path(c)| c).unwrap_or_default();
    let r = if s.per_address.check_key(&ip).is_err() {
        too_many(s.cfg.retry_after)
    } else if code.len() > crate::limits::CODE || code.is_empty() {
        Reply::plain(
            Status::NotFound,
            "Kode UPT tidak dikenal.",
            "Unknown facility code.",
        )
    } else {
        let c = code.clone();
        match with_app(&s, move |app| app.head_answer_for_inbox(&c)).await {
            Err(r) => r,
            Ok(Err(e)) => failed(&e, s.cfg.retry_after),
            Ok(Ok((name, bytes))) => {
                let mut r = Reply::plain(
                    Status::Head,
                    format!("Posisi rantai {code} di Kanwil."),
                    format!("Where the chain of {code} stands at the regional office."),
                );
                r.facility = Some(code.clone());
                r.answer = Some(File::new(&name, &bytes));
                r
            }
        }
    };
    log(ip, "GET", "/v1/facilities/{code}/head", &r, started);
    reply(&r)
}

async fn get_answer(
    State(s): State<Arc<Shared>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: axum::http::HeaderMap,
    hash: std::result::Result<Path<String>, PathRejection>,
) -> Response {
    let hash = hash.map(|Path(h)| h).unwrap_or_default();
    let started = Instant::now();
    let ip = client_ip(peer, &headers);
    let unknown = || {
        Reply::plain(
            Status::NotFound,
            "Tidak ada jawaban untuk bundel itu.",
            "There is no answer for that bundle.",
        )
    };
    let r = if s.per_address.check_key(&ip).is_err() {
        too_many(s.cfg.retry_after)
    } else if hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
        unknown()
    } else {
        let h = hash.to_ascii_lowercase();
        match with_app(&s, move |app| app.answer_for_bundle(&h)).await {
            Err(r) => r,
            Ok(Err(e)) => failed(&e, s.cfg.retry_after),
            Ok(Ok(None)) => unknown(),
            Ok(Ok(Some((name, bytes)))) => {
                let mut r = Reply::plain(
                    Status::Answer,
                    "Jawaban Kanwil atas bundel itu.",
                    "The regional office's answer to that bundle.",
                );
                r.answer = Some(File::new(&name, &bytes));
                r
            }
        }
    };
    log(ip, "GET", "/v1/answers/{hash}", &r, started);
    reply(&r)
}

#[cfg(test)]
mod tests {
    use super::client_ip;
    use axum::http::HeaderMap;

    #[test]
    fn the_forwarded_client_is_believed_from_the_proxy_only() {
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", "10.9.8.7, 203.0.113.7".parse().unwrap());
        let proxy = "127.0.0.1:40000".parse().unwrap();
        let client = "192.0.2.10:40000".parse().unwrap();
        assert_eq!(client_ip(proxy, &h).to_string(), "203.0.113.7");
        assert_eq!(client_ip(client, &h).to_string(), "192.0.2.10");
        assert_eq!(client_ip(proxy, &HeaderMap::new()).to_string(), "127.0.0.1");
        h.insert("x-forwarded-for", "bukan-alamat".parse().unwrap());
        assert_eq!(client_ip(proxy, &h).to_string(), "127.0.0.1");
    }
}
