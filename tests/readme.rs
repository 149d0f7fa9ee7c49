//! The README's command-line walk-through, run as written: the fenced block after the marker
//! line, every command in order in one `sh` (so its `export`s carry on), in a fresh folder, with
//! the `bansos` just built first on the PATH. The first command that fails is named, with its
//! output.
#![cfg(unix)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The line right above the walk-through's block in README.md.
const MARKER: &str = "<!-- walk-through:";

/// Longer than this and the run is stopped (a command waiting for a password it was not given,
/// say), naming the command it was at.
const DEADLINE: Duration = Duration::from_secs(300);

/// The commands of the fenced block after the marker line: a line ending in `\` continues on the
/// next; blank lines and comment lines are left out. Each command keeps its text as written.
fn walk_through(readme: &str) -> Result<Vec<String>, String> {
    let mut lines = readme.lines();
    lines
        .by_ref()
        .find(|l| l.trim_start().starts_with(MARKER))
        .ok_or(format!("README.md has no line starting with {MARKER:?}"))?;
    let fence = lines
        .by_ref()
        .find(|l| !l.trim().is_empty())
        .unwrap_or_default();
    if !fence.trim_start().starts_with("```") {
        return Err(format!(
            "the marker is not followed by a fenced block but by {fence:?}"
        ));
    }
    let mut commands = Vec::new();
    let mut current = String::new();
    let mut closed = false;
    for line in lines {
        if line.trim_start().starts_with("```") {
            closed = true;
            break;
        }
        if current.is_empty() && (line.trim().is_empty() || line.trim_start().starts_with('#')) {
            continue;
        }
        current.push_str(line);
        current.push('\n');
        if !line.trim_end().ends_with('\\') {
            commands.push(std::mem::take(&mut current));
        }
    }
    if !closed {
        return Err("the walk-through's block is never closed with ```".into());
    }
    if !current.is_empty() {
        return Err(format!(
            "the last command continues past the end of the block: {current}"
        ));
    }
    Ok(commands)
}

/// How a run of commands ended badly: which one, how, and what it printed.
#[derive(Debug)]
struct Failed {
    /// 1-based, as a person counts the commands.
    number: usize,
    command: String,
    how: String,
    output: String,
}

impl std::fmt::Display for Failed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "command {} of the walk-through {}:\n{}--- its output ---\n{}",
            self.number, self.how, self.command, self.output
        )
    }
}

/// Runs `commands` in order in one `sh`, in `work`, each one's output in its own file under
/// `logs`; stops at the first that exits non-zero.
fn run(commands: &[String], work: &Path, logs: &Path, home: &Path) -> Result<(), Failed> {
    let mut script = String::new();
    for (i, c) in commands.iter().enumerate() {
        let log = logs.join(format!("{i}.out"));
        let rc = logs.join(format!("{i}.rc"));
        // The command on its own lines inside { }, so a comment after it ends nothing but itself.
        script.push_str(&format!(
            "{{\n{c}}} >'{}' 2>&1 || {{ echo \"$?\" >'{}'; exit 1; }}\n",
            log.display(),
            rc.display()
        ));
    }
    let script_file = logs.join("walk-through.sh");
    std::fs::write(&script_file, script).unwrap();
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_bansos"));
    let path = std::env::join_paths(std::iter::once(bin.parent().unwrap().to_path_buf()).chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .unwrap();
    let mut child = Command::new("sh")
        .arg(&script_file)
        .current_dir(work)
        .env("PATH", path)
        .env("HOME", home)
        .env("BANSOS_DB", work.join("bansos.db"))
        .env("BANSOS_LANG", "id")
        .env_remove("XDG_DATA_HOME")
        .env_remove("BANSOS_USER")
        .env_remove("BANSOS_PASSWORD")
        .env_remove("BANSOS_NEW_PASSWORD")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break Some(s);
        }
        if started.elapsed() > DEADLINE {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let output =
        |i: usize| std::fs::read_to_string(logs.join(format!("{i}.out"))).unwrap_or_default();
    // The last command that started: the one that failed or hung.
    let last = (0..commands.len())
        .rev()
        .find(|i| logs.join(format!("{i}.out")).exists());
    match (status, last) {
        (Some(s), Some(i)) if s.success() && i + 1 == commands.len() => Ok(()),
        (None, Some(i)) => Err(Failed {
            number: i + 1,
            command: commands[i].clone(),
            how: format!("was still running after {} s", DEADLINE.as_secs()),
            output: output(i),
        }),
        (_, Some(i)) => {
            let rc = std::fs::read_to_string(logs.join(format!("{i}.rc"))).unwrap_or_default();
            Err(Failed {
                number: i + 1,
                command: commands[i].clone(),
                how: format!("failed (exit code {})", rc.trim()),
                output: output(i),
            })
        }
        (_, None) => Err(Failed {
            number: 1,
            command: commands.first().cloned().unwrap_or_default(),
            how: "did not start".into(),
            output: String::new(),
        }),
    }
}

/// A fresh folder to work in, one for the logs and one as HOME (so nothing touches the real
/// one), then the run.
fn run_fresh(commands: &[String]) -> (tempfile::TempDir, Result<(), Failed>) {
    let dir = tempfile::tempdir().unwrap();
    let (work, logs, home) = (
        dir.path().join("kerja"),
        dir.path().join("log"),
        dir.path().join("home"),
    );
    for d in [&work, &logs, &home] {
        std::fs::create_dir(d).unwrap();
    }
    let r = run(commands, &work, &logs, &home);
    (dir, r)
}

#[test]
fn the_readme_walk_through_runs_as_written() {
    let readme_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
    let readme = std::fs::read_to_string(&readme_path).unwrap();
    let commands = walk_through(&readme).unwrap_or_else(|e| panic!("README.md: {e}"));
    assert!(
        commands.len() >= 10,
        "the walk-through holds {} commands: {commands:?}",
        commands.len()
    );
    let started = Instant::now();
    let (dir, r) = run_fresh(&commands);
    if let Err(f) = r {
        panic!("README.md: {f}");
    }
    // What it says it writes is there.
    let work = dir.path().join("kerja");
    for file in [
        "bansos.db",
        "keluarga.xlsx",
        "kartu-beras.pdf",
        "bast-1.png",
    ] {
        assert!(work.join(file).exists(), "{file} was not written");
    }
    eprintln!(
        "the README's walk-through: {} commands in {:.1} s",
        commands.len(),
        started.elapsed().as_secs_f64()
    );
}

/// The runner notices a failing command, names it and shows what it printed; continued lines
/// and comments are read as a person reads them.
#[test]
fn a_failing_command_of_a_walk_through_is_named_with_its_output() {
    let readme = "Intro\n\n<!-- walk-through: test -->\n```sh\n# a comment line\nexport BANSOS_PASSWORD=salah\n\nbansos status   # not set up\nbansos --user admin \\\n  facility show   # no database\necho never\n```\n";
    let commands = walk_through(readme).unwrap();
    assert_eq!(commands.len(), 4, "{commands:?}");
    assert_eq!(
        commands[2],
        "bansos --user admin \\\n  facility show   # no database\n"
    );
    let (_dir, r) = run_fresh(&commands);
    let f = r.expect_err("the third command fails");
    assert_eq!(f.number, 3, "{f}");
    let said = f.to_string();
    assert!(
        said.contains("command 3 of the walk-through failed (exit code 1)")
            && said.contains("facility show")
            && said.contains("galat: "),
        "{said}"
    );
    assert!(walk_through("no marker here").is_err());
    assert!(walk_through("<!-- walk-through: x -->\nnot a block\n").is_err());
}
