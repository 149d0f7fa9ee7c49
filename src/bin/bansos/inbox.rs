//! `bansos inbox serve`: the Kanwil's inbox server, over the regional database.

use super::{msg, ok, say, sign_in, Ctx, Out};
use bansos::inbox::Config;
use clap::Subcommand;
use std::net::SocketAddr;

#[derive(Subcommand)]
pub enum InboxCmd {
    /// Jalankan server kotak masuk Kanwil (mode regional): UPT mengunggah bundelnya lewat HTTP
    Serve {
        /// Alamat dan port yang didengar, mis. 127.0.0.1:8443 (di belakang proxy TLS) atau 0.0.0.0:8443
        #[arg(long, default_value = "127.0.0.1:8443")]
        listen: String,
        /// Permintaan yang dilayani sekaligus; lebih dari itu dijawab 503
        #[arg(long, default_value_t = 16)]
        concurrency: usize,
        /// Unggahan per UPT per alamat per menit; lebih dari itu dijawab 429
        #[arg(long, default_value_t = 30)]
        per_facility_per_minute: u32,
        /// Permintaan per alamat per menit; lebih dari itu dijawab 429
        #[arg(long, default_value_t = 120)]
        per_address_per_minute: u32,
    },
}

pub fn inbox(ctx: &Ctx, c: InboxCmd) -> Out {
    let InboxCmd::Serve {
        listen,
        concurrency,
        per_facility_per_minute,
        per_address_per_minute,
    } = c;
    let addr: SocketAddr = listen.parse().map_err(|_| {
        msg(
            format!("alamat --listen tidak sah: {listen} (contoh: 127.0.0.1:8443)"),
            format!("not a valid --listen address: {listen} (e.g. 127.0.0.1:8443)"),
        )
    })?;
    let mut app = sign_in(ctx)?;
    // Regional mode only: a facility has no inbox.
    app.members()?;
    let cfg = Config {
        concurrency,
        per_facility_per_minute,
        per_address_per_minute,
        ..Config::default()
    };
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .with_target(false)
        .init();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| bansos::Error::internal(format!("tokio runtime: {e}")))?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr).await.map_err(|e| {
            use std::io::ErrorKind as K;
            let (id, en) = match e.kind() {
                K::AddrInUse => (
                    "port itu sudah dipakai program lain; pilih port lain atau hentikan program itu",
                    "that port is taken by another program; choose another port or stop that program",
                ),
                K::AddrNotAvailable => (
                    "alamat itu tidak ada di PC ini; pakai 0.0.0.0 atau alamat kartu jaringannya",
                    "that address is not on this PC; use 0.0.0.0 or its network card's address",
                ),
                K::PermissionDenied => (
                    "port di bawah 1024 perlu hak administrator; pakai port 1024 ke atas (mis. 8443) di belakang proxy",
                    "ports below 1024 need administrator rights; use a port from 1024 up (e.g. 8443) behind a proxy",
                ),
                _ => (
                    "sistem menolak membuka alamat itu",
                    "the system refused to open that address",
                ),
            };
            msg(
                format!("tidak dapat mendengarkan di {addr}: {id}"),
                format!("cannot listen on {addr}: {en}"),
            )
        })?;
        let bound = listener
            .local_addr()
            .map_err(|e| bansos::Error::internal(format!("local address: {e}")))?;
        say!(
            "Kotak masuk Kanwil mendengarkan di http://{}/v1/ (Ctrl+C untuk berhenti)",
            "The Kanwil's inbox is listening on http://{}/v1/ (Ctrl+C to stop)",
            bound
        );
        bansos::inbox::serve(listener, app, cfg, shutdown()).await?;
        say!("Kotak masuk berhenti.", "The inbox stopped.");
        ok()
    })
}

/// Ctrl+C or SIGTERM (systemd's stop): requests in progress finish, then the server stops.
async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}
