//! `bansos inbox serve` as a child process on loopback, for the load bench and the tests that
//! kill and restart it: started, its address read from its first line, killed when dropped.

use crate::error::{Error, Result};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, ChildStdout, Command, Stdio};

pub struct ServerProcess {
    child: Child,
    /// `http://127.0.0.1:PORT`.
    pub url: String,
    /// Its standard output, kept open so the server never writes to a closed pipe.
    _out: BufReader<ChildStdout>,
}

impl ServerProcess {
    /// Starts `exe inbox serve --listen LISTEN EXTRA…` over the regional database `db`, signed
    /// in as `user`, and waits until it listens.
    pub fn start(
        exe: &Path,
        db: &Path,
        user: &str,
        password: &str,
        listen: &str,
        extra: &[&str],
    ) -> Result<ServerProcess> {
        let mut child = Command::new(exe)
            .args(["inbox", "serve", "--listen", listen])
            .args(extra)
            .env("BANSOS_DB", db)
            .env("BANSOS_USER", user)
            .env("BANSOS_PASSWORD", password)
            .env("BANSOS_LANG", "en")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| Error::internal(format!("starting the inbox: {e}")))?;
        let mut out = BufReader::new(
            child
                .stdout
                .take()
                .ok_or_else(|| Error::internal("the inbox's output"))?,
        );
        let mut line = String::new();
        let _ = out.read_line(&mut line);
        let Some(addr) = line
            .split("http://")
            .nth(1)
            .and_then(|r| r.split('/').next())
            .map(str::to_owned)
        else {
            let _ = child.kill();
            let _ = child.wait();
            return Err(Error::internal(format!("the inbox did not start: {line}")));
        };
        Ok(ServerProcess {
            child,
            url: format!("http://{addr}"),
            _out: out,
        })
    }

    /// `127.0.0.1:PORT`.
    pub fn addr(&self) -> &str {
        self.url.trim_start_matches("http://")
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// SIGKILL: no shutdown, nothing flushed beyond what was committed. Returns its address.
    pub fn kill(mut self) -> String {
        let addr = self.addr().to_owned();
        let _ = self.child.kill();
        let _ = self.child.wait();
        addr
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
