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
            msg(
                format!("tidak dapat mendengarkan di {addr}: alamat dipakai program lain atau tidak ada di PC ini ({})", e.kind()),
                format!("cannot listen on {addr}: the address is taken by another program or is not on this PC ({})", e.kind()),
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
