//! The real desktop window, driven end to end: tauri-driver starts `bansos-desktop` under
//! WebKitWebDriver, and the test clicks through the first-run wizard, signs out, meets a wrong
//! password, and signs in again, reading what a person would see.
//!
//! Needs a display (the test command runs it under `xvfb-run`), WebKitWebDriver
//! (`webkit2gtk-driver`) and `tauri-driver` (`cargo install tauri-driver --locked`).

mod driver;

use driver::{free_port, tauri_driver, Driver};
use fantoccini::{elements::Element, Client, ClientBuilder, Locator};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

type Res<T = ()> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

/// The app `cargo build -p bansos-desktop` made (in CARGO_TARGET_DIR, else `target/`). It must be
/// newer than every source it is built from, or the test would drive an old window.
fn app_binary() -> String {
    built("bansos-desktop", &["src", "src-tauri/src", "ui/dist"])
}

/// The command line `cargo build --workspace --bins` made, for the Kanwil's inbox server; as
/// fresh as the core.
fn bansos_binary() -> String {
    built("bansos", &["src"])
}

/// The binary `name` of this workspace's debug build, refused when older than `sources`.
fn built(name: &str, sources: &[&str]) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    let bin = target.join("debug").join(name);
    let built = std::fs::metadata(&bin)
        .and_then(|m| m.modified())
        .unwrap_or_else(|_| {
            panic!(
                "{} is missing: build it first with `cargo build --workspace --bins` (scripts/test.sh does)",
                bin.display()
            )
        });
    fn newest(dir: &Path, t: &mut std::time::SystemTime) {
        for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                newest(&p, t);
            } else if let Ok(m) = e.metadata().and_then(|m| m.modified()) {
                *t = (*t).max(m);
            }
        }
    }
    let mut newest_source = std::time::SystemTime::UNIX_EPOCH;
    for d in sources {
        newest(&root.join(d), &mut newest_source);
    }
    assert!(
        built >= newest_source,
        "{} is older than its sources: rebuild it with `cargo build --workspace --bins` (scripts/test.sh does)",
        bin.display()
    );
    bin.canonicalize().unwrap_or(bin).display().to_string()
}

/// Starts tauri-driver for the app over `db`. `saves` stands in for the system's save dialog,
/// which WebDriver cannot drive: the shell's test-only `BANSOS_TEST_SAVE_DIR` saves every file
/// there under the name the dialog would suggest. `opens`, when given, stands in for the open
/// dialog the same way (`BANSOS_TEST_OPEN_DIR`): a choice of files answers its files with the
/// asked ending, a choice of folder the folder itself.
fn start_driver(db: &Path, saves: &Path, opens: Option<&Path>) -> Driver {
    assert!(
        std::env::var_os("DISPLAY").is_some(),
        "the window test needs a display: run it through scripts/test.sh (xvfb-run)"
    );
    let (port, native) = (free_port(), free_port());
    let mut command = Command::new(tauri_driver());
    command
        .args([
            "--port",
            &port.to_string(),
            "--native-port",
            &native.to_string(),
        ])
        .env("BANSOS_DB", db)
        .env("BANSOS_TEST_SAVE_DIR", saves)
        .env("BANSOS_LANG", "id")
        .env("WEBKIT_DISABLE_DMABUF_RENDERER", "1");
    match opens {
        Some(dir) => command.env("BANSOS_TEST_OPEN_DIR", dir),
        None => command.env_remove("BANSOS_TEST_OPEN_DIR"),
    };
    let child = command
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("tauri-driver starts (cargo install tauri-driver --locked)");
    let driver = Driver { child, port };
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let deadline = Instant::now() + Duration::from_secs(20);
    while TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_err() {
        assert!(
            Instant::now() < deadline,
            "tauri-driver did not listen on {port}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    driver
}

async fn connect(driver: &Driver) -> Client {
    let mut caps = serde_json::Map::new();
    caps.insert("browserName".into(), "wry".into());
    caps.insert(
        "tauri:options".into(),
        serde_json::json!({ "application": app_binary() }),
    );
    let url = format!("http://127.0.0.1:{}", driver.port);
    // A session can be refused while a previous run's WebKit processes are still ending; a
    // second try a moment later is what a person would do too.
    let mut last = String::new();
    for attempt in 1..=3 {
        let mut builder = ClientBuilder::native();
        builder.capabilities(caps.clone());
        let connecting = builder.connect(&url);
        match tokio::time::timeout(Duration::from_secs(60), connecting).await {
            Ok(Ok(client)) => return client,
            Ok(Err(e)) => last = e.to_string(),
            Err(_) => last = "no answer within 60 s".into(),
        }
        eprintln!("window: session attempt {attempt} failed: {last}");
        tokio::time::sleep(Duration::from_secs(2)).await;
    }
    panic!("no WebDriver session: {last}");
}

/// Every WebDriver round trip is bounded: a hung call fails the test with the step it hung on,
/// instead of holding CI until its limit.
async fn bounded<T>(what: &str, f: impl std::future::Future<Output = Res<T>>) -> Res<T> {
    let started = Instant::now();
    let out = tokio::time::timeout(Duration::from_secs(30), f)
        .await
        .map_err(|_| format!("{what}: no answer within 30 s"))?;
    eprintln!("window: {what} ({} ms)", started.elapsed().as_millis());
    out
}

async fn find(c: &Client, css: &str) -> Res<Element> {
    bounded(&format!("find {css}"), async {
        Ok(c.wait()
            .at_most(Duration::from_secs(15))
            .for_element(Locator::Css(css))
            .await?)
    })
    .await
}

async fn fill(c: &Client, css: &str, text: &str) -> Res {
    let e = find(c, css).await?;
    bounded(&format!("type into {css}"), async {
        e.clear().await?;
        e.send_keys(text).await?;
        Ok(())
    })
    .await
}

/// Sets an input's value as a person picking it would (a date picker's typing differs between
/// engines), then tells the page, as its own input event would.
async fn set_value(c: &Client, css: &str, value: &str) -> Res {
    bounded(&format!("set {css}"), async {
        c.execute(
            "const e = document.querySelector(arguments[0]); e.value = arguments[1]; \
             e.dispatchEvent(new Event('input', { bubbles: true })); return true;",
            vec![css.into(), value.into()],
        )
        .await?;
        Ok(())
    })
    .await
}

async fn click(c: &Client, css: &str) -> Res {
    let e = find(c, css).await?;
    bounded(&format!("click {css}"), async { Ok(e.click().await?) }).await
}

/// Waits until the element's text satisfies `pred`; returns the text.
async fn text_until(c: &Client, css: &str, pred: impl Fn(&str) -> bool) -> Res<String> {
    bounded(&format!("read {css}"), text_until_inner(c, css, pred)).await
}

/// Reads `textContent` through script: WebKitWebDriver's "element text" answered "" for
/// visible text here, so the test asks the page itself, as a person's eyes would.
async fn text_until_inner(c: &Client, css: &str, pred: impl Fn(&str) -> bool) -> Res<String> {
    let deadline = Instant::now() + Duration::from_secs(15);
    let mut last = None;
    loop {
        let v = c
            .execute(
                "const e = document.querySelector(arguments[0]); return e ? e.textContent.trim() : null;",
                vec![css.into()],
            )
            .await?;
        if let Some(t) = v.as_str() {
            if pred(t) {
                return Ok(t.to_owned());
            }
            last = Some(t.to_owned());
        }
        if Instant::now() > deadline {
            return Err(match last {
                Some(t) => format!("{css} shows {t:?}"),
                None => format!("{css} never appeared"),
            }
            .into());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Waits until nothing on the page matches `css`.
async fn gone(c: &Client, css: &str) -> Res {
    bounded(&format!("wait for {css} to go"), async {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let v = c
                .execute(
                    "return document.querySelector(arguments[0]) === null;",
                    vec![css.into()],
                )
                .await?;
            if v.as_bool() == Some(true) {
                return Ok(());
            }
            if Instant::now() > deadline {
                return Err(format!("{css} is still shown").into());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    })
    .await
}

/// Photographs the X screen with ImageMagick's `import`. WebDriver's own screenshot waits for the
/// page's next paint, and a still page may not paint: that call then blocked every later command.
async fn screenshot(_c: &Client, name: &str) -> Res {
    // Let the last click's rendering settle first.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("window");
    std::fs::create_dir_all(&dir)?;
    let status = tokio::process::Command::new("import")
        .args(["-window", "root"])
        .arg(dir.join(name))
        .status()
        .await?;
    if !status.success() {
        return Err(format!("import could not photograph the screen for {name}").into());
    }
    Ok(())
}

async fn first_run_then_sign_in(c: &Client) -> Res {
    // Step 1: the facility profile.
    find(c, "#profile-name").await?;
    screenshot(c, "wizard.png").await?;
    fill(c, "#profile-name", "Rutan Kelas IIB Blora").await?;
    find(c, "#profile-kind")
        .await?
        .select_by_value("RUTAN")
        .await?;
    fill(c, "#profile-class", "IIB").await?;
    fill(c, "#profile-code", "RUTAN-BLORA").await?;
    fill(c, "#profile-province", "Jawa Tengah").await?;
    fill(c, "#profile-kanwil", "Kanwil Ditjenpas Jawa Tengah").await?;
    fill(c, "#profile-address", "Jl. Pemuda No. 1, Blora").await?;
    fill(c, "#profile-head_name", "Budi Hardiono").await?;
    fill(c, "#profile-head_nip", "197001012000031001").await?;
    screenshot(c, "wizard-profile.png").await?;
    click(c, "[data-testid=wizard-next]").await?;
    // Step 2: numbering and regional keys. The core previews the number as the pattern is typed
    // and explains a pattern it would refuse; then the default is put back.
    text_until(c, "[data-testid=receipt-preview]", |t| {
        t.starts_with("001/BAST-BANSOS/RUTAN-BLORA/")
    })
    .await?;
    fill(c, "#setup-receipt_pattern", "{seq}/BAST").await?;
    let why = text_until(c, "[data-testid=error-setup-receipt_pattern]", |t| {
        !t.is_empty()
    })
    .await?;
    assert!(
        why.contains("{year}"),
        "a pattern without the year is explained: {why:?}"
    );
    fill(
        c,
        "#setup-receipt_pattern",
        "{seq:3}/BAST-BANSOS/{code}/{month_roman}/{year}",
    )
    .await?;
    text_until(c, "[data-testid=receipt-preview]", |t| {
        t.starts_with("001/BAST-BANSOS/RUTAN-BLORA/")
    })
    .await?;
    click(c, "[data-testid=wizard-next]").await?;
    // Step 3: the first admin.
    fill(c, "#admin-full_name", "Siti Rahmawati").await?;
    fill(c, "#admin-position", "Kasubsi Pelayanan Tahanan").await?;
    fill(c, "#admin-username", "siti").await?;
    fill(c, "#admin-password", "kopi-tubruk-2024").await?;
    fill(c, "#admin-password_confirm", "kopi-tubruk-2024").await?;
    click(c, "[data-testid=wizard-next]").await?;
    // Step 4: review, then save.
    click(c, "[data-testid=wizard-finish]").await?;
    text_until(c, "[data-testid=current-user]", |t| {
        t.contains("Siti Rahmawati")
    })
    .await?;
    text_until(c, "[data-testid=screen-title]", |t| t == "Beranda").await?;
    text_until(c, "[data-testid=facility-name]", |t| {
        t.contains("Rutan Kelas IIB Blora")
    })
    .await?;
    screenshot(c, "beranda-baru.png").await?;

    // Sign out, meet a wrong password, then sign in.
    click(c, "[data-testid=signout]").await?;
    fill(c, "#signin-username", "siti").await?;
    fill(c, "#signin-password", "bukan-ini").await?;
    click(c, "[data-testid=signin-submit]").await?;
    let msg = text_until(c, "[data-testid=signin-error]", |t| !t.is_empty()).await?;
    assert!(
        msg.contains("kata sandi salah"),
        "the refusal is explained in Indonesian: {msg:?}"
    );
    screenshot(c, "masuk-gagal.png").await?;
    fill(c, "#signin-password", "kopi-tubruk-2024").await?;
    click(c, "[data-testid=signin-submit]").await?;
    text_until(c, "[data-testid=current-user]", |t| {
        t.contains("Siti Rahmawati")
    })
    .await?;

    // The page speaks the window's language to WebKit too, which orders a date field's day and
    // month by it: Indonesian, day first (not the American month first of a "C" locale).
    page_language_until(c, "id-ID").await?;

    // The English switch changes the words on screen, and the page's language with them (British
    // English, so a date field keeps the day first).
    click(c, "[data-testid=lang-en]").await?;
    text_until(c, "[data-testid=screen-title]", |t| t == "Home").await?;
    page_language_until(c, "en-GB").await?;
    click(c, "[data-testid=lang-id]").await?;
    text_until(c, "[data-testid=screen-title]", |t| t == "Beranda").await?;
    page_language_until(c, "id-ID").await?;
    Ok(())
}

/// Waits until WebKit's language for the page (`navigator.language`, and the default locale of
/// `Intl`, which a date field's order follows) is `want`.
async fn page_language_until(c: &Client, want: &str) -> Res {
    let mut seen = String::new();
    for _ in 0..50 {
        let v = c
            .execute(
                "return navigator.language + ' ' + new Intl.DateTimeFormat().resolvedOptions().locale \
                 + ' ' + new Date(Date.UTC(2026, 11, 2, 12)).toLocaleDateString();",
                vec![],
            )
            .await?;
        seen = v.as_str().unwrap_or_default().to_string();
        let mut parts = seen.split(' ');
        if parts.next() == Some(want) && parts.next() == Some(want) {
            // Day before month: 2 December reads 02/12/2026 (or 2/12/2026), never 12/2/2026.
            let date = parts.next().unwrap_or_default();
            assert!(
                date.starts_with('2') || date.starts_with("02"),
                "{want}: a date is written day first, not {date:?}"
            );
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the page's language is {seen:?}, not {want}");
}

/// The admin's other screens: add a staff member (and meet a taken user name), check the audit
/// chain, make a backup, open the settings.
async fn admin_screens(c: &Client) -> Res {
    click(c, "[data-testid=nav-staf]").await?;
    text_until(c, "[data-testid=screen-title]", |t| t == "Staf").await?;
    let add_budi = || async {
        fill(c, "#staff-username", "budi").await?;
        fill(c, "#staff-full_name", "Budi Santoso").await?;
        fill(c, "#staff-position", "Petugas Registrasi").await?;
        find(c, "#staff-role")
            .await?
            .select_by_value("petugas")
            .await?;
        fill(c, "#staff-password", "nasi-goreng-pedas").await?;
        fill(c, "#staff-password_confirm", "nasi-goreng-pedas").await?;
        click(c, "[data-testid=staff-add-submit]").await
    };
    add_budi().await?;
    text_until(c, "[data-testid=staff-table]", |t| {
        t.contains("Budi Santoso")
    })
    .await?;
    add_budi().await?;
    let taken = text_until(c, "[data-testid=error-staff-username]", |t| !t.is_empty()).await?;
    assert!(
        taken.contains("sudah dipakai"),
        "a taken user name is named at its field: {taken:?}"
    );
    screenshot(c, "staf.png").await?;

    click(c, "[data-testid=nav-audit]").await?;
    text_until(c, "[data-testid=audit-table]", |t| t.contains("staff.add")).await?;
    click(c, "[data-testid=audit-verify]").await?;
    text_until(c, "main", |t| t.contains("Rantai utuh")).await?;
    screenshot(c, "audit.png").await?;
    fits_narrowest(c, ".audit-wrap", "audit-sempit.png").await?;

    click(c, "[data-testid=nav-cadangan]").await?;
    click(c, "[data-testid=backup-now]").await?;
    text_until(c, "[data-testid=backup-table]", |t| t.contains("Manual")).await?;
    screenshot(c, "cadangan.png").await?;
    // The restore command names the newest backup's whole path: it wraps inside its box.
    fits_narrowest(c, ".content", "cadangan-sempit.png").await?;

    click(c, "[data-testid=nav-pengaturan]").await?;
    text_until(c, "[data-testid=screen-title]", |t| t == "Pengaturan").await?;
    screenshot(c, "pengaturan.png").await?;
    Ok(())
}

/// Narrows the window to its minimum width (tauri.conf.json's `minWidth`), checks that the
/// frame `wrap` (a list) does not scroll sideways, photographs it as `shot`, and widens the window
/// again.
async fn fits_narrowest(c: &Client, wrap: &str, shot: &str) -> Res {
    bounded("narrow window", async {
        Ok(c.set_window_size(1000, 800).await?)
    })
    .await?;
    bounded(&format!("the width of {wrap}"), async {
        let mut last = serde_json::Value::Null;
        for _ in 0..50 {
            last = c
                .execute(
                    "const w = document.querySelector(arguments[0]); \
                     return [window.innerWidth, w.scrollWidth, w.clientWidth];",
                    vec![wrap.into()],
                )
                .await?;
            let n = |i: usize| last[i].as_f64().unwrap_or(f64::MAX);
            if n(0) <= 1000.0 && n(1) <= n(2) {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Err(format!("{wrap} scrolls sideways in a 1000 px window: {last}").into())
    })
    .await?;
    screenshot(c, shot).await?;
    bounded("wide window", async {
        Ok(c.set_window_size(1280, 800).await?)
    })
    .await
}

/// Picks a value in a select once its options have arrived (the region lists load on demand).
async fn choose(c: &Client, select: &str, value: &str) -> Res {
    find(c, &format!("{select} option[value='{value}']")).await?;
    let e = find(c, select).await?;
    bounded(&format!("choose {value} in {select}"), async {
        Ok(e.select_by_value(value).await?)
    })
    .await
}

/// The petugas registers a family through the form, meets the duplicate-NIK refusal on a second
/// one, and finds the first by a misspelt name.
async fn registry_screens(c: &Client) -> Res {
    click(c, "[data-testid=signout]").await?;
    fill(c, "#signin-username", "budi").await?;
    fill(c, "#signin-password", "nasi-goreng-pedas").await?;
    click(c, "[data-testid=signin-submit]").await?;
    text_until(c, "[data-testid=current-user]", |t| {
        t.contains("Budi Santoso")
    })
    .await?;
    click(c, "[data-testid=nav-keluarga]").await?;
    text_until(c, "[data-testid=screen-title]", |t| t == "Keluarga").await?;

    click(c, "[data-testid=family-new]").await?;
    fill(c, "#member-0-name", "Siti Rahayu").await?;
    fill(c, "#member-0-nik", "3316014708900003").await?;
    fill(c, "#family-kk", "3316010101100007").await?;
    fill(c, "#family-address", "Dukuh Krajan").await?;
    choose(c, "#region-province", "33").await?;
    choose(c, "#region-regency", "3316").await?;
    choose(c, "#region-district", "331601").await?;
    choose(c, "#region-village", "3316012001").await?;
    fill(c, "#family-wbp_name", "Slamet Riyadi").await?;
    fill(c, "#family-wbp_reg_no", "BI.123/2024").await?;
    choose(c, "#family-wbp_status", "ditahan").await?;
    click(c, "#reason-pencari_nafkah_ditahan").await?;
    screenshot(c, "keluarga-form.png").await?;
    click(c, "[data-testid=family-save]").await?;
    text_until(c, "[data-testid=family-code]", |t| t.contains("KLG-000001")).await?;
    let detail = text_until(c, "[data-testid=family-detail]", |t| {
        t.contains("Bangkleyan")
    })
    .await?;
    assert!(
        detail.contains("3316014708900003"),
        "a petugas sees the NIK in the full record"
    );
    screenshot(c, "keluarga-rincian.png").await?;

    // The same NIK in a second family is refused at the NIK field, naming the first family.
    click(c, "[data-testid=family-back]").await?;
    click(c, "[data-testid=family-new]").await?;
    fill(c, "#member-0-name", "Siti R").await?;
    fill(c, "#member-0-nik", "3316014708900003").await?;
    fill(c, "#family-wbp_name", "Slamet").await?;
    choose(c, "#family-wbp_status", "ditahan").await?;
    click(c, "[data-testid=family-save]").await?;
    let refusal = text_until(c, "[data-testid=error-member-0-nik]", |t| {
        t.contains("KLG-000001")
    })
    .await?;
    assert!(refusal.contains("sudah terdaftar"), "{refusal:?}");
    screenshot(c, "keluarga-duplikat.png").await?;
    click(c, "[data-testid=family-cancel]").await?;

    // Found as you type, despite the typo; the list masks the NIK for a petugas.
    fill(c, "#family-search", "siti rahyu").await?;
    let table = text_until(c, "[data-testid=family-table]", |t| {
        t.contains("Siti Rahayu")
    })
    .await?;
    assert!(
        table.contains("331601********03"),
        "masked in the list: {table:?}"
    );
    screenshot(c, "keluarga.png").await?;
    // Found by the inmate's name: the row says so, in the window's language.
    fill(c, "#family-search", "slamet riyadi").await?;
    text_until(c, "[data-testid=family-matched]", |t| {
        t == "WBP: Slamet Riyadi"
    })
    .await?;
    click(c, "[data-testid=lang-en]").await?;
    text_until(c, "[data-testid=family-matched]", |t| {
        t == "Inmate: Slamet Riyadi"
    })
    .await?;
    click(c, "[data-testid=lang-id]").await?;
    text_until(c, "[data-testid=screen-title]", |t| t == "Keluarga").await?;
    fill(c, "#family-search", "siti rahyu").await?;
    text_until(c, "[data-testid=family-table]", |t| {
        t.contains("Siti Rahayu")
    })
    .await?;

    // The window at its narrowest: the list still fits its frame, the names taking what room
    // is left, rather than scrolling sideways.
    fits_narrowest(c, ".families-wrap", "keluarga-sempit.png").await?;

    // A BNBA sheet: one good row (same No. KK as Siti's family), one bad NIK, one NIK taken.
    let sheet = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("bnba-window.csv");
    std::fs::write(
        &sheet,
        "NIK;NAMA;NO KK\n3316011203850001;Budi Hartono;3316010101100007\n33160112038;Pendek;\n3316014708900003;Siti Lagi;\n",
    )?;
    click(c, "[data-testid=family-import]").await?;
    // A sheet over the core's limit is refused by its size before the window reads it.
    let big = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("bnba-besar.csv");
    std::fs::File::create(&big)?.set_len(21 * 1024 * 1024)?;
    let input = find(c, "#import-file").await?;
    let path = big.display().to_string();
    bounded("choose the large sheet", async {
        Ok(input.send_keys(&path).await?)
    })
    .await?;
    let refused = text_until(c, "[data-testid=error-import-file]", |t| !t.is_empty()).await?;
    assert_eq!(
        refused,
        "Berkas bnba-besar.csv terlalu besar (21 MB; paling besar 20 MB)."
    );
    screenshot(c, "impor-terlalu-besar.png").await?;
    let input = find(c, "#import-file").await?;
    let path = sheet.display().to_string();
    bounded("choose the sheet", async {
        Ok(input.send_keys(&path).await?)
    })
    .await?;
    let preview = text_until(c, "[data-testid=import-preview]", |t| {
        t.contains("KLG-000001")
    })
    .await?;
    assert!(
        preview.contains("16 angka"),
        "the bad NIK is named: {preview:?}"
    );
    text_until(c, "[data-testid=import-count-ok]", |t| t == "1").await?;
    screenshot(c, "impor.png").await?;
    click(c, "[data-testid=import-commit]").await?;
    text_until(c, "[data-testid=import-summary]", |t| {
        t.contains("KLG-000002")
    })
    .await?;

    // The same No. KK became a pair for the verifikator's review.
    click(c, "[data-testid=nav-duplikat]").await?;
    text_until(c, "[data-testid=duplicate-table]", |t| {
        t.contains("KLG-000002") && t.contains("KLG-000001")
    })
    .await?;
    screenshot(c, "duplikat.png").await?;
    Ok(())
}

/// The petugas looks at the rice's stock card (empty), receives rice from a CSR donor, and sees
/// the balance and the card change.
async fn stock_screens(c: &Client) -> Res {
    click(c, "[data-testid=nav-stok]").await?;
    text_until(c, "[data-testid=screen-title]", |t| t == "Stok").await?;
    click(c, "[data-testid=stock-open-beras]").await?;
    text_until(c, "[data-testid=card-closing]", |t| t.contains('0')).await?;
    let before = text_until(c, "[data-testid=card-table]", |_| true).await?;
    assert!(!before.contains("SJ-001/XI/2024"));
    click(c, "[data-testid=stock-back]").await?;

    click(c, "[data-testid=stock-receive]").await?;
    choose(c, "#receive-source", "csr").await?;
    fill(c, "#receive-donor_name", "PT Bank Jateng").await?;
    fill(c, "#receive-doc_ref", "SJ-001/XI/2024").await?;
    choose(c, "#line-0-item_id", "1").await?;
    fill(c, "#line-0-quantity", "250,5").await?;
    fill(c, "#line-0-value", "3.000.000").await?;
    fill(c, "#line-0-lot_code", "B-01").await?;
    screenshot(c, "stok-terima.png").await?;
    click(c, "[data-testid=receive-save]").await?;
    text_until(c, "[data-testid=stock-outcome]", |t| !t.is_empty()).await?;
    let qty = text_until(c, "[data-testid=stock-qty-beras]", |t| t.contains("250,5")).await?;
    assert!(qty.contains("kg"), "{qty:?}");
    screenshot(c, "stok.png").await?;

    click(c, "[data-testid=stock-open-beras]").await?;
    let card = text_until(c, "[data-testid=card-table]", |t| {
        t.contains("SJ-001/XI/2024")
    })
    .await?;
    assert!(card.contains("250,5") && card.contains("B-01"), "{card:?}");
    text_until(c, "[data-testid=card-closing]", |t| t.contains("250,5")).await?;
    screenshot(c, "kartu-stok.png").await?;
    click(c, "[data-testid=stock-back]").await?;
    click(c, "[data-testid=stock-donors]").await?;
    text_until(c, "[data-testid=donor-table]", |t| {
        t.contains("PT Bank Jateng") && t.contains("Rp3.000.000")
    })
    .await?;
    Ok(())
}

/// The window's flows in order, each starting where the one before left the window.
async fn steps(c: &Client, db: &Path, saves: &Path) -> Res {
    first_run_then_sign_in(c).await?;
    admin_screens(c).await?;
    registry_screens(c).await?;
    stock_screens(c).await?;
    distribution_screens(c, db).await?;
    month_screens(c, db, saves).await?;
    print_receipt(c).await
}

/// One window at a time: the tests share the X display (and its screenshots) and two cores.
static ONE_WINDOW: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

#[tokio::test(flavor = "multi_thread")]
async fn first_run_wizard_sets_up_the_facility_and_the_admin_signs_in() {
    let _window = ONE_WINDOW.lock().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("bansos.db");
    // Where the window saves, instead of the save dialog; apart from the database's folder.
    let saves = tempfile::tempdir().expect("temp dir for saved files");
    let driver = start_driver(&db, saves.path(), None);
    let client = connect(&driver).await;
    // Run the checks first and close the session whatever they found, so a failure leaves no
    // window or driver behind.
    let outcome = steps(&client, &db, saves.path()).await;
    if outcome.is_err() {
        let _ =
            tokio::time::timeout(Duration::from_secs(10), screenshot(&client, "failure.png")).await;
    }
    let _ = tokio::time::timeout(Duration::from_secs(10), client.close()).await;
    drop(driver);
    if let Err(e) = outcome {
        panic!(
            "window test failed: {e} (screenshot in {}/window)",
            env!("CARGO_TARGET_TMPDIR")
        );
    }
    assert!(db.exists(), "the wizard created the encrypted database");
    assert!(bansos::App::status(&db).expect("status").initialized);
}

/// Meanwhile, at the verifikator's desk (another session on the same PC, through the same core the
/// window uses): her account, two families with consent registered by the petugas and verified.
fn prepare_recipients(db: &Path) -> bansos::Result<Vec<i64>> {
    use bansos::family::model::{Category, MemberInput, PoorReason, Relationship, WbpStatus};
    use bansos::family::FamilyInput;
    use bansos::staff::{NewStaff, Role};
    use bansos::{App, Credentials};
    let clock = std::sync::Arc::new(bansos::clock::SystemClock);
    let mut admin = App::open(
        db,
        clock.clone(),
        &Credentials::new("siti", "kopi-tubruk-2024"),
    )?;
    admin.add_staff(&NewStaff {
        username: "sri".into(),
        full_name: "Sri Wahyuningsih".into(),
        nip: "198503152010012001".into(),
        position: "Kepala Subseksi Pelayanan Tahanan".into(),
        role: Role::Verifikator,
        password: "sayur-lodeh-enak".into(),
    })?;
    admin.sign_out()?;
    let mut p = App::open(
        db,
        clock.clone(),
        &Credentials::new("budi", "nasi-goreng-pedas"),
    )?;
    let mut ids = Vec::new();
    for (name, nik, kk, category) in [
        (
            "Wahyuni Lestari",
            "3316014506880002",
            "3316010505150009",
            Category::KeluargaWbp,
        ),
        (
            "Sutrisno Hadi",
            "3316010703750004",
            "3316010606160008",
            Category::MasyarakatSekitar,
        ),
    ] {
        let mut f = FamilyInput::blank(category);
        f.members = vec![MemberInput {
            id: None,
            name: name.into(),
            nik: nik.into(),
            nik_temporary: false,
            sex: None,
            birth_date: None,
            relationship: Relationship::KepalaKeluarga,
        }];
        f.kk = kk.into();
        f.address = "Dukuh Krajan".into();
        f.rt = "2".into();
        f.rw = "4".into();
        f.region_code = "3316012001".into();
        if category == Category::KeluargaWbp {
            f.wbp_name = "Agus Prasetyo".into();
            f.wbp_reg_no = "BI.77/2026".into();
            f.wbp_status = Some(WbpStatus::Ditahan);
            f.wbp_relation = "Istri".into();
            f.reasons = vec![PoorReason::PencariNafkahDitahan];
        } else {
            f.reasons = vec![PoorReason::Lansia];
        }
        f.consent_date = Some(
            (chrono::Utc::now() + chrono::Duration::hours(7))
                .date_naive()
                .to_string(),
        );
        ids.push(p.family_add(&f)?.id);
    }
    p.sign_out()?;
    let mut v = App::open(db, clock, &Credentials::new("sri", "sayur-lodeh-enak"))?;
    for id in &ids {
        v.family_verify(*id, "KTP, KK dan SKTM diperiksa di kantor")?;
    }
    v.sign_out()?;
    Ok(ids)
}

/// The signed payload of a BAST, as a scanner would read it off the paper.
fn payload_of(db: &Path, bast_no: &str) -> bansos::Result<String> {
    let clock = std::sync::Arc::new(bansos::clock::SystemClock);
    let mut v = bansos::App::open(
        db,
        clock,
        &bansos::Credentials::new("sri", "sayur-lodeh-enak"),
    )?;
    let p = v.handover_by_number(bast_no)?.qr_payload;
    v.sign_out()?;
    Ok(p)
}

/// A petugas plans an event through the window: a package, the event, two verified families
/// picked (an unverified one is refused with the rule named), the shortage report; the
/// verifikator approves; at the hall two hand-overs (one to a proxy) get their BAST numbers,
/// the receipt opens, and Periksa BAST finds it genuine (its print comes last: `print_receipt`).
async fn distribution_screens(c: &Client, db: &Path) -> Res {
    let ids = prepare_recipients(db)?;
    let (wahyuni, sutrisno) = (ids[0], ids[1]);
    click(c, "[data-testid=nav-penyaluran]").await?;
    text_until(c, "[data-testid=screen-title]", |t| t == "Penyaluran").await?;

    // The package: 5 kg of rice per family.
    click(c, "[data-testid=templates-open]").await?;
    click(c, "[data-testid=template-new]").await?;
    fill(c, "#template-name", "Paket sembako bulanan").await?;
    choose(c, "#tline-0-item_id", "1").await?;
    fill(c, "#tline-0-quantity", "5").await?;
    click(c, "[data-testid=template-save]").await?;
    text_until(c, "[data-testid=template-table]", |t| {
        t.contains("Paket sembako bulanan") && t.contains("Beras")
    })
    .await?;
    // A package of 1.500 kg (fifteen hundred, as Indonesian writes it), edited after switching
    // to English: the stored quantity is written "1,500" there and saved as such, not as one
    // and a half (the core reads a quantity in the window's language).
    click(c, "[data-testid=template-new]").await?;
    fill(c, "#template-name", "Paket uji bahasa").await?;
    choose(c, "#tline-0-item_id", "1").await?;
    fill(c, "#tline-0-quantity", "1.500").await?;
    click(c, "[data-testid=template-save]").await?;
    text_until(c, "[data-testid=template-lines-2]", |t| t.contains("1.500")).await?;
    click(c, "[data-testid=template-edit-2]").await?;
    find(c, "#tline-0-quantity").await?;
    click(c, "[data-testid=lang-en]").await?;
    let shown = in_page(
        c,
        "read the quantity in English",
        "return document.querySelector('#tline-0-quantity').value;",
        vec![],
    )
    .await?;
    assert_eq!(
        shown.as_str(),
        Some("1,500"),
        "the stored quantity in English"
    );
    screenshot(c, "paket-ubah-en.png").await?;
    click(c, "[data-testid=template-save]").await?;
    text_until(c, "[data-testid=template-table]", |t| {
        t.contains("Paket uji bahasa") && t.contains("1,500") && !t.contains("1.5 ")
    })
    .await?;
    click(c, "[data-testid=lang-id]").await?;
    text_until(c, "[data-testid=screen-title]", |t| t == "Paket sembako").await?;
    click(c, "[data-testid=templates-back]").await?;

    // The event, planned for today at the hall.
    click(c, "[data-testid=event-new]").await?;
    fill(c, "#event-place", "Aula Rutan Blora").await?;
    choose(c, "#event-kind", "rutin_bulanan").await?;
    choose(c, "#event-template_id", "1").await?;
    fill(c, "#official-0-name", "Budi Hardiono").await?;
    fill(c, "#official-0-position", "Kepala Rutan").await?;
    click(c, "[data-testid=event-save]").await?;
    text_until(c, "[data-testid=event-status]", |t| t.contains("Draf")).await?;

    // The picker says why an unverified family cannot be added, and adds the verified ones.
    fill(c, "#recipient-search", "siti rahayu").await?;
    let why = text_until(c, "[data-testid=recipient-results]", |t| {
        t.contains("Siti Rahayu") && t.contains("verifikasi")
    })
    .await?;
    assert!(why.contains("belum diverifikasi"), "{why:?}");
    fill(c, "#recipient-search", "wahyuni").await?;
    click(c, &format!("[data-testid=recipient-add-{wahyuni}]")).await?;
    text_until(c, "[data-testid=recipient-table]", |t| {
        t.contains("Wahyuni Lestari")
    })
    .await?;
    fill(c, "#recipient-search", "sutrisno").await?;
    click(c, &format!("[data-testid=recipient-add-{sutrisno}]")).await?;
    text_until(c, "[data-testid=recipient-table]", |t| {
        t.contains("Sutrisno Hadi")
    })
    .await?;
    let shortage = text_until(c, "[data-testid=shortage]", |t| t.contains("10")).await?;
    assert!(shortage.contains("Stok cukup"), "{shortage:?}");
    screenshot(c, "kegiatan.png").await?;

    // The verifikator approves from her desk; the window shows it when the event is opened again.
    approve_event(db, 1)?;
    click(c, "[data-testid=nav-penyaluran]").await?;
    click(c, "[data-testid=event-open-1]").await?;
    text_until(c, "[data-testid=event-status]", |t| t.contains("Disetujui")).await?;

    // A Petugas corrects Sutrisno's RT after the approval: back in draft, the desk marks him and
    // says why before Serahkan is pressed; the Verifikator looks again and the package goes.
    edit_family(db, sutrisno, "budi", "nasi-goreng-pedas", |f| {
        f.rt = "3".into()
    })?;
    click(c, "[data-testid=handover-open]").await?;
    let marked = text_until(c, &format!("[data-testid=candidate-{sutrisno}]"), |t| {
        t.contains("Perlu diverifikasi lagi")
    })
    .await?;
    assert!(marked.contains("Sutrisno Hadi"), "{marked:?}");
    click(c, &format!("[data-testid=candidate-{sutrisno}]")).await?;
    let why = text_until(c, "[data-testid=handover-preview-error]", |t| !t.is_empty()).await?;
    assert!(why.contains("belum terverifikasi lagi"), "{why:?}");
    screenshot(c, "serah-terima-perlu-verifikasi.png").await?;
    // Verified again at the Verifikator's desk: picked again, the desk asks once more, and the
    // mark and the refusal go.
    verify_family(db, sutrisno)?;
    click(c, &format!("[data-testid=candidate-{sutrisno}]")).await?;
    gone(c, "[data-testid=handover-preview-error]").await?;
    text_until(c, &format!("[data-testid=candidate-{sutrisno}]"), |t| {
        t.contains("Belum") && !t.contains("Perlu diverifikasi lagi")
    })
    .await?;

    // At the hall: find the family by typing, confirm, the number comes back.
    fill(c, "#handover-search", "wahyu").await?;
    click(c, &format!("[data-testid=candidate-{wahyuni}]")).await?;
    // A hand-over is never dated in the future: the desk says so at the date before confirming.
    let later = (chrono::Utc::now() + chrono::Duration::hours(7) + chrono::Duration::days(2))
        .format("%Y-%m-%d")
        .to_string();
    set_value(c, "#handover-date", &later).await?;
    let future = text_until(c, "[data-testid=error-handover-date]", |t| !t.is_empty()).await?;
    assert!(future.contains("sesudah hari ini"), "{future:?}");
    screenshot(c, "serah-terima-tanggal.png").await?;
    set_value(c, "#handover-date", "").await?;
    click(c, "[data-testid=handover-confirm]").await?;
    let done = text_until(c, "[data-testid=handover-done]", |t| t.contains("BAST")).await?;
    assert!(done.contains("001/BAST-BANSOS/RUTAN-BLORA/"), "{done:?}");
    // The second family sends a neighbour with a letter.
    fill(c, "#handover-search", "sutris").await?;
    click(c, &format!("[data-testid=candidate-{sutrisno}]")).await?;
    click(c, "#handover-proxy").await?;
    fill(c, "#proxy-name", "Dewi Lestari").await?;
    // A NIK with digits missing is named at its field and nothing is handed over.
    fill(c, "#proxy-nik", "331601550595").await?;
    fill(c, "#proxy-relation", "tetangga").await?;
    click(c, "[data-testid=handover-confirm]").await?;
    let bad = text_until(c, "[data-testid=error-proxy-nik]", |t| !t.is_empty()).await?;
    assert!(bad.contains("16"), "{bad:?}");
    fill(c, "#proxy-nik", "3316015505950002").await?;
    // The message goes once the field is corrected.
    gone(c, "[data-testid=error-proxy-nik]").await?;
    fill(c, "#proxy-relation", "tetangga").await?;
    screenshot(c, "serah-terima.png").await?;
    click(c, "[data-testid=handover-confirm]").await?;
    let done = text_until(c, "[data-testid=handover-done]", |t| t.contains("002/")).await?;
    let second = done
        .split_whitespace()
        .find(|w| w.starts_with("002/"))
        .unwrap_or_default()
        .trim_end_matches(['.', ',', ')'])
        .to_owned();
    // Served already: the desk says so instead of a second package.
    let list = text_until(c, "[data-testid=handover-candidates]", |t| {
        t.matches("001/").count() + t.matches("002/").count() >= 2
    })
    .await?;
    assert!(list.contains("Sudah"), "{list:?}");

    // The receipt: number, the proxy, the masked NIK, the QR code.
    click(c, "[data-testid=handover-view]").await?;
    let no = text_until(c, "[data-testid=bast-number]", |t| t.contains("002/")).await?;
    assert!(no.contains(&second), "{no:?} vs {second:?}");
    let sheet = text_until(c, "[data-testid=bast-sheet]", |t| {
        t.contains("Dewi Lestari")
    })
    .await?;
    assert!(
        sheet.contains("Bertindak untuk")
            && sheet.contains("keluarga Sutrisno Hadi (No. Keluarga KLG-000004)")
            && sheet.contains("331601********02")
            && !sheet.contains("3316015505950002")
            && sheet.contains("Yang Menerima"),
        "{sheet:?}"
    );
    find(c, "[data-testid=bast-qr] svg").await?;
    screenshot(c, "bast-layar.png").await?;
    // The scan of the signed paper is kept with the receipt.
    let scan = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/bast.png");
    let input = find(c, "#handover-attach-file").await?;
    let path = scan.canonicalize()?.display().to_string();
    bounded("choose the scan", async {
        Ok(input.send_keys(&path).await?)
    })
    .await?;
    fill(c, "#handover-attach-note", "BAST bertanda tangan").await?;
    click(c, "[data-testid=handover-attach-add]").await?;
    text_until(c, "[data-testid=handover-attach-list]", |t| {
        t.contains("bast.png") && t.contains("BAST bertanda tangan")
    })
    .await?;

    // Periksa BAST: the scanned payload is genuine; one changed character is not.
    let payload = payload_of(db, &second)?;
    click(c, "[data-testid=nav-periksa]").await?;
    fill(c, "#verify-payload", "halo, ini bukan kode").await?;
    click(c, "[data-testid=verify-check]").await?;
    text_until(c, "[data-testid=verify-verdict]", |t| {
        t.contains("Bukan kode BAST")
    })
    .await?;
    fill(c, "#verify-payload", &payload).await?;
    click(c, "[data-testid=verify-check]").await?;
    let v = text_until(c, "[data-testid=verify-verdict]", |t| !t.is_empty()).await?;
    assert!(v.contains("ASLI"), "{v:?}");
    screenshot(c, "periksa-bast.png").await?;
    fill(
        c,
        "#verify-payload",
        &payload.replacen("beras:5", "beras:9", 1),
    )
    .await?;
    click(c, "[data-testid=verify-check]").await?;
    text_until(c, "[data-testid=verify-verdict]", |t| {
        t.contains("TIDAK ASLI")
    })
    .await?;
    Ok(())
}

/// Last, because the dialog is modal: all the event's BASTs are saved as one PDF under a bar
/// counting them; then Cetak records the print of one (a copy now) and opens the system's print
/// dialog (seen as a top-level X window), and the receipt counts as printed.
async fn print_receipt(c: &Client) -> Res {
    click(c, "[data-testid=nav-penyaluran]").await?;
    click(c, "[data-testid=event-open-1]").await?;
    click(c, "[data-testid=event-receipts-pdf]").await?;
    text_until(c, "[data-testid=event-receipts-progress-text]", |t| {
        t == "BAST 2 dari 2 dicetak"
    })
    .await?;
    text_until(c, "[data-testid=event-export-path]", |t| {
        t.ends_with(".pdf")
    })
    .await?;
    click(c, "[data-testid=handover-bast-1]").await?;
    text_until(c, "[data-testid=bast-number]", |t| t.contains("001/")).await?;
    click(c, "[data-testid=receipt-print]").await?;
    text_until(c, "[data-testid=receipt-status]", |t| {
        t.contains("Sudah dicetak")
    })
    .await?;
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let tree = Command::new("xwininfo").args(["-root", "-tree"]).output()?;
        let tree = String::from_utf8_lossy(&tree.stdout).into_owned();
        if tree.contains("\"Print\"") || tree.contains("\"Cetak\"") {
            break;
        }
        if Instant::now() > deadline {
            return Err(format!("no print dialog among the windows:\n{tree}").into());
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    let _ = Command::new("import")
        .args(["-window", "root"])
        .arg(
            Path::new(env!("CARGO_TARGET_TMPDIR"))
                .join("window")
                .join("cetak.png"),
        )
        .status();
    Ok(())
}

/// `username` does `work` through the core, from another desk, and signs out.
fn at_desk(
    db: &Path,
    username: &str,
    password: &str,
    work: impl FnOnce(&mut bansos::App) -> bansos::Result<()>,
) -> bansos::Result<()> {
    let clock = std::sync::Arc::new(bansos::clock::SystemClock);
    let mut a = bansos::App::open(db, clock, &bansos::Credentials::new(username, password))?;
    work(&mut a)?;
    a.sign_out()
}

/// The verifikator approves the event from her own desk.
fn approve_event(db: &Path, id: i64) -> bansos::Result<()> {
    at_desk(db, "sri", "sayur-lodeh-enak", |v| {
        v.approve_event(id).map(|_| ())
    })
}

/// `username` edits family `id` through the core (`change` applied to its recorded form).
fn edit_family(
    db: &Path,
    id: i64,
    username: &str,
    password: &str,
    change: impl FnOnce(&mut bansos::family::FamilyInput),
) -> bansos::Result<()> {
    at_desk(db, username, password, |p| {
        let mut input = p.family_get(id)?.as_input();
        change(&mut input);
        p.family_update(id, &input).map(|_| ())
    })
}

/// The verifikator checks family `id` again.
fn verify_family(db: &Path, id: i64) -> bansos::Result<()> {
    at_desk(db, "sri", "sayur-lodeh-enak", |v| {
        v.family_verify(id, "RT diperiksa ulang").map(|_| ())
    })
}

/// Signs the window out and `username` in, and waits for the top bar to name them.
async fn sign_in_as(c: &Client, username: &str, password: &str, name: &str) -> Res {
    click(c, "[data-testid=signout]").await?;
    fill(c, "#signin-username", username).await?;
    fill(c, "#signin-password", password).await?;
    click(c, "[data-testid=signin-submit]").await?;
    text_until(c, "[data-testid=current-user]", |t| t.contains(name)).await?;
    Ok(())
}

/// The Kepala UPT's account, and last month as the office recorded it from the desks (through
/// the same core the window uses): rice received from the harvest, an event with both families
/// and their hand-overs (one to a proxy, neither scan attached), all dated in the previous
/// calendar month; the verifikator approved the event and nobody completed it. Answers the
/// month ("2026-10") and the event's id.
fn prepare_previous_month(db: &Path) -> bansos::Result<(String, i64)> {
    use bansos::distribution::{EventInput, EventKind, Official};
    use bansos::handover::Proxy;
    use bansos::locale::Lang;
    use bansos::staff::{NewStaff, Role};
    use bansos::stock::{FundingSource, ReceiptInput, ReceiptLineInput};
    use bansos::{App, Credentials};
    use chrono::Datelike;
    let clock = std::sync::Arc::new(bansos::clock::SystemClock);
    // The facility's calendar (WIB), as the hand-over dates in the test above.
    let today = (chrono::Utc::now() + chrono::Duration::hours(7)).date_naive();
    let last_month = today
        .with_day(1)
        .and_then(|d| d.pred_opt())
        .expect("a day before the 1st");
    let day = |d: u32| {
        last_month
            .with_day(d)
            .expect("a day of last month")
            .to_string()
    };
    let period = last_month.format("%Y-%m").to_string();
    let on = day(12);

    let mut admin = App::open(
        db,
        clock.clone(),
        &Credentials::new("siti", "kopi-tubruk-2024"),
    )?;
    admin.add_staff(&NewStaff {
        username: "hardiono".into(),
        full_name: "Budi Hardiono".into(),
        nip: "197001012000031001".into(),
        position: "Kepala Rutan".into(),
        role: Role::KepalaUpt,
        password: "soto-kudus-enak".into(),
    })?;
    admin.sign_out()?;

    let mut p = App::open(
        db,
        clock.clone(),
        &Credentials::new("budi", "nasi-goreng-pedas"),
    )?;
    p.receive(
        &ReceiptInput {
            date: day(3),
            source: FundingSource::HasilPanen,
            donor_name: String::new(),
            source_note: String::new(),
            doc_ref: "PANEN-01".into(),
            received_by: "Budi Santoso".into(),
            note: String::new(),
            lines: vec![ReceiptLineInput {
                item_id: 1,
                quantity: "40".into(),
                value: "600000".into(),
                lot_code: "P-01".into(),
                expiry: None,
            }],
        },
        Lang::Id,
    )?;
    let event = p
        .create_event(&EventInput {
            date: on.clone(),
            place: "Aula Rutan Blora".into(),
            kind: EventKind::RutinBulanan,
            source: None,
            template_id: 1,
            officials: vec![Official {
                name: "Budi Hardiono".into(),
                position: "Kepala Rutan".into(),
            }],
            note: String::new(),
        })?
        .id;
    let filter = bansos::family::FamilyFilter {
        query: String::new(),
        category: None,
        verification: None,
        active: Some(true),
    };
    let families: Vec<i64> = p
        .family_list(&filter, 100, 0)?
        .rows
        .iter()
        .filter(|f| f.head_name == "Wahyuni Lestari" || f.head_name == "Sutrisno Hadi")
        .map(|f| f.id)
        .collect();
    assert_eq!(families.len(), 2, "both verified families are found");
    for f in &families {
        p.add_recipient(event, *f)?;
    }
    p.sign_out()?;
    approve_event(db, event)?;
    let mut p = App::open(db, clock, &Credentials::new("budi", "nasi-goreng-pedas"))?;
    p.hand_over(event, families[0], None, Some(on.as_str()))?;
    let proxy = Proxy {
        name: "Dewi Lestari".into(),
        nik: "3316015505950002".into(),
        relation: "tetangga".into(),
    };
    p.hand_over(event, families[1], Some(&proxy), Some(on.as_str()))?;
    p.sign_out()?;
    Ok((period, event))
}

/// The file the window says it saved at `shown`: in the test's save folder (where the save
/// dialog would have put it), named as the dialog would suggest (`<stem><local time>.<ext>`).
/// Answers its bytes.
fn saved_in(saves: &Path, shown: &str, stem: &str) -> Res<Vec<u8>> {
    let path = Path::new(shown);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    assert_eq!(
        path.parent().map(Path::canonicalize).transpose()?,
        Some(saves.canonicalize()?),
        "{shown} is not in the save folder"
    );
    assert!(name.starts_with(stem), "{name} is not named {stem}…");
    Ok(std::fs::read(path)?)
}

/// The petugas completes an event from his desk.
fn complete_event(db: &Path, id: i64) -> bansos::Result<()> {
    let clock = std::sync::Arc::new(bansos::clock::SystemClock);
    let mut p = bansos::App::open(
        db,
        clock,
        &bansos::Credentials::new("budi", "nasi-goreng-pedas"),
    )?;
    p.complete_event(id)?;
    p.sign_out()
}

/// Tutup Buku: the petugas sees last month waiting but cannot close it; the Kepala UPT opens
/// it, meets the unfinished event as a blocking point with its record as a link (which opens the
/// event), the BASTs without a scan as a warning and the proxy as a note; once the petugas has
/// completed the event, a refresh lets the month close, after a confirmation that its records
/// will be locked. The report's preview shows who was served; reopening asks for a reason.
async fn month_screens(c: &Client, db: &Path, saves: &Path) -> Res {
    let (period, event) = prepare_previous_month(db)?;
    let words = bansos::month::Month::parse(&period)
        .map(|m| m.words(bansos::locale::Lang::Id))
        .unwrap_or_default();
    let state = format!("[data-testid=month-state-{period}]");

    click(c, "[data-testid=nav-tutup_buku]").await?;
    text_until(c, "[data-testid=screen-title]", |t| t == "Tutup Buku").await?;
    text_until(c, &state, |t| t == "Belum ditutup").await?;
    text_until(c, "[data-testid=month-detail-title]", |t| t == words).await?;
    text_until(c, "[data-testid=month-head-only]", |t| {
        t.contains("Kepala UPT")
    })
    .await?;
    gone(c, "[data-testid=month-close]").await?;

    sign_in_as(c, "hardiono", "soto-kudus-enak", "Budi Hardiono").await?;
    click(c, "[data-testid=nav-tutup_buku]").await?;
    click(c, &format!("[data-testid=month-open-{period}]")).await?;
    let point = text_until(c, "[data-testid=check-point-event_not_finished]", |t| {
        t.contains("masih draf atau disetujui")
    })
    .await?;
    assert!(point.contains(&format!("Kegiatan #{event}")), "{point:?}");
    let warning = text_until(c, "[data-testid=check-point-handover_without_scan]", |t| {
        t.contains("pindaian")
    })
    .await?;
    assert!(warning.contains("/BAST-BANSOS/"), "{warning:?}");
    text_until(c, "[data-testid=check-point-handover_to_proxy]", |t| {
        t.contains("wakil")
    })
    .await?;
    let disabled = bounded("read the close button", async {
        Ok(c.execute(
            "return document.querySelector('[data-testid=month-close]').disabled;",
            vec![],
        )
        .await?)
    })
    .await?;
    assert_eq!(
        disabled.as_bool(),
        Some(true),
        "a blocked month cannot be closed"
    );
    screenshot(c, "tutup-buku.png").await?;

    // The point's record opens the event; the way back leads to the same month.
    click(c, &format!("[data-testid=check-record-event-{event}]")).await?;
    text_until(c, "[data-testid=event-status]", |t| t.contains("Disetujui")).await?;
    click(c, "[data-testid=month-back]").await?;
    text_until(c, "[data-testid=month-detail-title]", |t| t == words).await?;

    // The petugas completes it from his desk; a refresh shows the month ready.
    complete_event(db, event)?;
    click(c, "[data-testid=month-refresh]").await?;
    text_until(c, "[data-testid=month-ready]", |t| {
        t.contains("dapat ditutup")
    })
    .await?;
    gone(c, "[data-testid=check-point-event_not_finished]").await?;
    click(c, "[data-testid=month-close]").await?;
    let explain = text_until(c, "[data-testid=month-close-explain]", |t| !t.is_empty()).await?;
    assert!(
        explain.contains("dikunci") && explain.contains(&words),
        "{explain:?}"
    );
    click(c, "[data-testid=month-close-confirm]").await?;
    text_until(c, "[data-testid=month-detail-state]", |t| t == "Ditutup").await?;
    text_until(c, &state, |t| t == "Ditutup").await?;
    text_until(c, "[data-testid=month-notice]", |t| t.contains("ditutup")).await?;
    text_until(c, "[data-testid=month-close-progress-text]", |t| {
        t == "Tutup buku selesai (5 dari 5)"
    })
    .await?;
    text_until(c, "[data-testid=month-closed-by]", |t| t == "Budi Hardiono").await?;
    text_until(c, "[data-testid=report-families]", |t| t == "2 keluarga").await?;
    text_until(c, "[data-testid=report-to-proxy]", |t| t == "1 paket").await?;
    let stock = text_until(c, "[data-testid=report-stock]", |t| t.contains("Beras")).await?;
    assert!(stock.contains("Masuk: Hasil panen UPT"), "{stock:?}");
    text_until(c, "[data-testid=report-sources]", |t| {
        t.contains("Rp600.000")
    })
    .await?;
    bounded("show the report", async {
        c.execute(
            "document.querySelector('[data-testid=month-detail]').scrollIntoView();",
            vec![],
        )
        .await?;
        Ok(())
    })
    .await?;
    screenshot(c, "laporan-bulanan.png").await?;
    // The stored PDF and workbook are saved where the save dialog would have said (the test's
    // folder stands in for it), under the name it would have suggested.
    for (button, ext, magic) in [
        ("month-save-pdf", ".pdf", &b"%PDF"[..]),
        ("month-save-xlsx", ".xlsx", &b"PK"[..]),
    ] {
        click(c, &format!("[data-testid={button}]")).await?;
        let path = text_until(c, "[data-testid=month-save-path]", |t| t.ends_with(ext)).await?;
        let bytes = saved_in(saves, &path, &format!("laporan-bulanan-{period}-"))?;
        assert!(bytes.starts_with(magic), "{path} is not a {ext} file");
    }

    // The public summary beside the report: the words its PDF prints, two families as "< 5".
    click(c, "[data-testid=month-tab-summary]").await?;
    text_until(c, "[data-testid=summary-scope]", |t| {
        t == format!("Bulan {words}")
    })
    .await?;
    text_until(
        c,
        "[data-testid=summary-row][data-label='Keluarga penerima'] td",
        |t| t == "< 5",
    )
    .await?;
    let preview = text_until(c, "[data-testid=summary-preview]", |t| {
        t.contains("Barang disalurkan")
    })
    .await?;
    assert!(
        preview.contains("RINGKASAN PUBLIK")
            && preview.contains("Beras")
            && !preview.contains("Wahyuni"),
        "{preview:?}"
    );
    gone(c, "[data-testid=month-save-pdf]").await?;
    bounded("show the summary", async {
        c.execute(
            "document.querySelector('[data-testid=month-tab-summary]').scrollIntoView(); \
             document.querySelector('main.content').scrollBy(0, -16);",
            vec![],
        )
        .await?;
        Ok(())
    })
    .await?;
    screenshot(c, "ringkasan-publik.png").await?;
    click(c, "[data-testid=summary-save-pdf]").await?;
    let summary = text_until(c, "[data-testid=summary-save-path]", |t| {
        t.ends_with(".pdf")
    })
    .await?;
    let bytes = saved_in(saves, &summary, &format!("ringkasan-publik-{period}-"))?;
    assert!(bytes.starts_with(b"%PDF"), "{summary} is not a PDF");

    // The completed event has a public summary of its own, here as HTML.
    click(c, "[data-testid=nav-penyaluran]").await?;
    click(c, &format!("[data-testid=event-open-{event}]")).await?;
    text_until(c, "[data-testid=event-status]", |t| t.contains("Selesai")).await?;
    click(c, "[data-testid=event-summary-html]").await?;
    let html = text_until(c, "[data-testid=event-export-path]", |t| {
        t.ends_with(".html")
    })
    .await?;
    let page = saved_in(saves, &html, &format!("ringkasan-publik-kegiatan-{event}-"))?;
    let page = String::from_utf8(page)?;
    assert!(
        page.starts_with("<!DOCTYPE html>"),
        "{html} is not a web page"
    );
    // Someone "improves" a figure on the published page.
    let tampered = saves.join("ringkasan-diubah.html");
    std::fs::write(
        &tampered,
        page.replacen("<td class=\"v\">&lt; 5</td>", "<td class=\"v\">7</td>", 1),
    )?;

    // Periksa BAST checks the saved summary: genuine, this facility's, this month's.
    click(c, "[data-testid=nav-periksa]").await?;
    let input = find(c, "#verify-summary-file").await?;
    bounded("choose the summary", async {
        Ok(input.send_keys(&summary).await?)
    })
    .await?;
    text_until(c, "[data-testid=summary-file-chosen]", |t| {
        t.ends_with(".pdf")
    })
    .await?;
    click(c, "[data-testid=summary-check]").await?;
    let verdict = text_until(c, "[data-testid=summary-verdict]", |t| !t.is_empty()).await?;
    assert!(
        verdict.starts_with("ASLI") && verdict.contains("Rutan Kelas IIB Blora"),
        "{verdict:?}"
    );
    text_until(c, "[data-testid=summary-check-scope]", |t| {
        t == format!("Bulan {words}")
    })
    .await?;
    text_until(c, "[data-testid=summary-check-families]", |t| t == "< 5").await?;
    screenshot(c, "periksa-ringkasan.png").await?;
    // The changed page is not genuine, and says why.
    let input = find(c, "#verify-summary-file").await?;
    let tampered = tampered.display().to_string();
    bounded("choose the changed summary", async {
        Ok(input.send_keys(&tampered).await?)
    })
    .await?;
    click(c, "[data-testid=summary-check]").await?;
    let verdict = text_until(c, "[data-testid=summary-verdict]", |t| {
        t.starts_with("TIDAK ASLI")
    })
    .await?;
    assert!(verdict.contains("berbeda dari data"), "{verdict:?}");

    click(c, "[data-testid=nav-tutup_buku]").await?;
    click(c, &format!("[data-testid=month-open-{period}]")).await?;
    text_until(c, "[data-testid=month-detail-state]", |t| t == "Ditutup").await?;

    // Reopening asks why; the month waits to be closed again.
    click(c, "[data-testid=month-reopen]").await?;
    fill(
        c,
        "#month-reopen-reason",
        "Koreksi penerimaan beras hasil panen",
    )
    .await?;
    click(c, "[data-testid=month-reopen-confirm]").await?;
    text_until(c, "[data-testid=month-detail-state]", |t| {
        t == "Dibuka kembali"
    })
    .await?;
    text_until(c, &state, |t| t == "Dibuka kembali").await?;
    text_until(c, "[data-testid=month-reopen-reason]", |t| {
        t.contains("Koreksi penerimaan")
    })
    .await?;

    // Back to the petugas for the print that ends the run.
    sign_in_as(c, "budi", "nasi-goreng-pedas", "Budi Santoso").await
}

// ---- The exchange with the Kanwil ----------------------------------------------------------

const DEMO_PASSWORD: &str = "demo-bansos-2024";

/// Opens `db` as `user` through the same core the window uses.
fn open_as(db: &Path, user: &str) -> bansos::Result<bansos::App> {
    bansos::App::open(
        db,
        std::sync::Arc::new(bansos::clock::SystemClock),
        &bansos::Credentials::new(user, DEMO_PASSWORD),
    )
}

/// What `prepare_province` made.
struct Province {
    /// The facilities' first month ("2026-08").
    period: String,
    kanwil_fingerprint: String,
    /// The second facility's key fingerprint, as its Kepala UPT reads it out.
    pati_fingerprint: String,
}

/// Two demo facilities (Rutan Blora and Lapas Pati, two months each made and closed by their
/// staff, ending two months ago) and a Kanwil set up in regional mode. Rutan Blora is already
/// registered there (after the fingerprint was compared on the telephone) and has imported its
/// enrollment, which made its closed months' bundles; Lapas Pati has not started yet.
fn prepare_province(blora: &Path, pati: &Path, kanwil: &Path) -> bansos::Result<Province> {
    use bansos::facility::{FacilityKind, FacilityProfile, FacilitySetup, DEFAULT_RECEIPT_PATTERN};
    use bansos::locale::TimeZone;
    use bansos::month::Month;
    use bansos::staff::{NewStaff, Role};
    let now = Month::of(TimeZone::Wib.today(chrono::Utc::now()));
    let until = now.prev().prev();
    for (db, facility) in [(blora, 0), (pati, 1)] {
        bansos::demo::make(
            db,
            &bansos::demo::Options {
                families: 10,
                months: 2,
                seed: 7,
                until,
                facility,
            },
            |_| {},
        )?;
    }
    let staff = |username: &str, full_name: &str, role: Role| NewStaff {
        username: username.into(),
        full_name: full_name.into(),
        nip: String::new(),
        position: "Kanwil Ditjenpas Jawa Tengah".into(),
        role,
        password: DEMO_PASSWORD.into(),
    };
    let mut admin = bansos::App::init(
        kanwil,
        std::sync::Arc::new(bansos::clock::SystemClock),
        &FacilitySetup {
            profile: FacilityProfile {
                name: "Kanwil Ditjenpas Jawa Tengah".into(),
                kind: FacilityKind::Kanwil,
                class: "Kanwil".into(),
                code: "KANWIL-JATENG".into(),
                province: "Jawa Tengah".into(),
                kanwil: "Kanwil Ditjenpas Jawa Tengah".into(),
                address: "Jl. Dr. Cipto No. 64, Semarang".into(),
                time_zone: TimeZone::Wib,
                head_name: "Tri Wahyuni".into(),
                head_nip: "197105052000032001".into(),
            },
            receipt_pattern: DEFAULT_RECEIPT_PATTERN.into(),
            logo_base64: None,
            regional_keys: Vec::new(),
        },
        &staff("admin", "Rina Kusuma", Role::Admin),
    )?;
    admin.add_staff(&staff("kepala", "Tri Wahyuni", Role::KepalaUpt))?;
    let kanwil_fingerprint = admin.facility()?.fingerprint;
    let mut k = open_as(blora, "kepala")?;
    let (_, registration) = k.registration_file()?;
    let fp = k.facility()?.fingerprint;
    let (_, enrollment) = admin.register_facility(&registration, &fp)?;
    let info = k.import_enrollment(&enrollment, Some(&kanwil_fingerprint))?;
    assert_eq!(info.bundles_made, vec![1, 2], "the two closed months");
    k.sign_out()?;
    admin.sign_out()?;
    let mut p = open_as(pati, "kepala")?;
    let pati_fingerprint = p.facility()?.fingerprint;
    p.sign_out()?;
    Ok(Province {
        period: until.prev().key(),
        kanwil_fingerprint,
        pati_fingerprint,
    })
}

/// Signs in at the sign-in screen the window opens with, and waits for the top bar.
async fn sign_in_first(c: &Client, username: &str, name: &str) -> Res {
    fill(c, "#signin-username", username).await?;
    fill(c, "#signin-password", DEMO_PASSWORD).await?;
    click(c, "[data-testid=signin-submit]").await?;
    text_until(c, "[data-testid=current-user]", |t| t.contains(name)).await?;
    Ok(())
}

/// Runs `steps` in a window over `db` and closes it whatever they found; a failure leaves
/// `failure-<name>.png` and fails the test with what went wrong.
async fn in_window<F, Fut>(db: &Path, saves: &Path, opens: Option<&Path>, name: &str, steps: F)
where
    F: FnOnce(Client) -> Fut,
    Fut: std::future::Future<Output = Res>,
{
    let driver = start_driver(db, saves, opens);
    let client = connect(&driver).await;
    let outcome = steps(client.clone()).await;
    if outcome.is_err() {
        let shot = format!("failure-{name}.png");
        let _ = tokio::time::timeout(Duration::from_secs(10), screenshot(&client, &shot)).await;
    }
    let _ = tokio::time::timeout(Duration::from_secs(10), client.close()).await;
    drop(driver);
    if let Err(e) = outcome {
        panic!(
            "window test ({name}) failed: {e} (screenshot in {}/window)",
            env!("CARGO_TARGET_TMPDIR")
        );
    }
}

/// The files in `dir` whose names end in `ending`.
fn files_ending(dir: &Path, ending: &str) -> std::io::Result<Vec<PathBuf>> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(ending))
        .collect();
    found.sort();
    Ok(found)
}

/// The exchange with the Kanwil, by file on a stick. At Rutan Blora (enrolled), the Kepala UPT
/// opens Kirim ke Kanwil, sees its Kanwil and two bundles, and sends the first: it is saved where
/// the save dialog would have said, byte for byte the stored bundle, and becomes "dikirim". At
/// Lapas Pati (not enrolled) the Kepala UPT saves the registration file onto the stick and sees
/// the fingerprint to read out. At the Kanwil (regional mode: its own screens, none of a
/// facility's) the Kepala reads that registration, meets the refusal of a fingerprint that
/// differs, registers Lapas Pati with the right one and saves its enrollment file; imports the
/// bundle from the stick ("diterima", its answer saved beside it); the recap shows Rutan Blora's
/// packages as its own report counted them and Lapas Pati as not reported; Kelengkapan shows one
/// of two reported. Back at Lapas Pati, the enrollment is refused until the Kanwil's
/// fingerprint is typed, then makes its bundles; Rutan Blora's answer acknowledges its bundle.
#[tokio::test(flavor = "multi_thread")]
async fn facilities_and_their_kanwil_exchange_files() {
    let _window = ONE_WINDOW.lock().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let blora = dir.path().join("blora").join("bansos.db");
    let pati = dir.path().join("pati").join("bansos.db");
    let kanwil = dir.path().join("kanwil").join("bansos.db");
    let province = prepare_province(&blora, &pati, &kanwil).expect("the province is prepared");
    let period = province.period.clone();
    let words = bansos::month::Month::parse(&period)
        .map(|m| m.words(bansos::locale::Lang::Id))
        .unwrap_or_default();
    let (stored, packages) = {
        let mut k = open_as(&blora, "kepala").expect("the facility opens");
        let (_, name, bytes) = k.bundle_file(Some(1), None).expect("bundle 1");
        let packages = k
            .month_report(&period, None)
            .expect("the first month's report")
            .served
            .packages;
        k.sign_out().expect("sign out");
        assert!(name.ends_with(".bansos-bundle"), "{name}");
        (bytes, packages)
    };
    assert!(packages > 0, "the demo handed packages over in {period}");
    // The stick: where the facilities save their files and the Kanwil reads them and writes
    // its answers; the Kanwil's own saves (enrollment files) go to a folder of its own.
    let stick = tempfile::tempdir().expect("temp dir for the stick");
    let kanwil_saves = tempfile::tempdir().expect("temp dir for the Kanwil's saves");

    let (stick_path, month) = (stick.path().to_owned(), words.clone());
    in_window(&blora, stick.path(), None, "kirim", |c| async move {
        let c = &c;
        sign_in_first(c, "kepala", "Budi Hardiono").await?;
        click(c, "[data-testid=nav-kirim_kanwil]").await?;
        text_until(c, "[data-testid=screen-title]", |t| t == "Kirim ke Kanwil").await?;
        text_until(c, "[data-testid=outbox-kanwil]", |t| {
            t.contains("Kanwil Ditjenpas Jawa Tengah") && t.contains("KANWIL-JATENG")
        })
        .await?;
        text_until(c, "[data-testid=outbox-due-day]", |t| {
            t == "tanggal 5 bulan berikutnya"
        })
        .await?;
        text_until(c, "[data-testid=outbox-period-1]", |t| t == month).await?;
        text_until(c, "[data-testid=outbox-kind-1]", |t| t == "bulanan").await?;
        text_until(c, "[data-testid=outbox-state-1]", |t| t == "dibuat").await?;
        text_until(c, "[data-testid=outbox-state-2]", |t| t == "dibuat").await?;
        click(c, "[data-testid=outbox-send-1]").await?;
        let shown = text_until(c, "[data-testid=outbox-save-path]", |t| {
            t.ends_with(".bansos-bundle")
        })
        .await?;
        let saved = saved_in(&stick_path, &shown, "RUTAN-BLORA_")?;
        assert!(saved == stored, "{shown} holds the stored bundle's bytes");
        text_until(c, "[data-testid=outbox-state-1]", |t| t == "dikirim").await?;
        text_until(c, "[data-testid=outbox-state-2]", |t| t == "dibuat").await?;
        screenshot(c, "kirim-ke-kanwil.png").await?;
        Ok(())
    })
    .await;

    let (pati_fp, month) = (province.pati_fingerprint.clone(), words.clone());
    in_window(&pati, stick.path(), None, "daftar", |c| async move {
        let c = &c;
        sign_in_first(c, "kepala", "Budi Hardiono").await?;
        click(c, "[data-testid=nav-kirim_kanwil]").await?;
        text_until(c, "[data-testid=outbox-not-enrolled]", |t| {
            t.contains("belum terdaftar")
        })
        .await?;
        text_until(c, "[data-testid=outbox-waiting]", |t| t.contains(&month)).await?;
        click(c, "[data-testid=outbox-registration]").await?;
        text_until(c, "[data-testid=outbox-registration-saved]", |t| {
            t.contains("LAPAS-PATI.bansos-registration")
        })
        .await?;
        text_until(c, "[data-testid=outbox-own-fingerprint]", |t| t == pati_fp).await?;
        screenshot(c, "kirim-ke-kanwil-daftar.png").await?;
        Ok(())
    })
    .await;

    let recap_packages = packages.to_string();
    let (stick_path, pati_fp) = (stick.path().to_owned(), province.pati_fingerprint.clone());
    let (month, period_k) = (words.clone(), period.clone());
    let kanwil_saved = kanwil_saves.path().to_owned();
    in_window(
        &kanwil,
        kanwil_saves.path(),
        Some(stick.path()),
        "kanwil",
        |c| async move {
            let c = &c;
            sign_in_first(c, "kepala", "Tri Wahyuni").await?;
            text_until(c, "[data-testid=screen-title]", |t| t == "Beranda").await?;
            screenshot(c, "beranda-kanwil-baru.png").await?;
            // Regional mode: the Kanwil's screens, none of a facility's registry or stock.
            find(c, "[data-testid=nav-upt_terdaftar]").await?;
            gone(c, "[data-testid=nav-keluarga]").await?;
            gone(c, "[data-testid=nav-stok]").await?;
            gone(c, "[data-testid=nav-kirim_kanwil]").await?;
            click(c, "[data-testid=nav-upt_terdaftar]").await?;
            text_until(c, "[data-testid=screen-title]", |t| t == "UPT terdaftar").await?;
            text_until(c, "[data-testid=members-row-RUTAN-BLORA]", |t| {
                t.contains("Rutan Kelas IIB Blora")
            })
            .await?;
            text_until(c, "[data-testid=members-head-RUTAN-BLORA]", |t| {
                t == "Belum ada"
            })
            .await?;

            // Lapas Pati's registration from the stick: compared on the telephone first.
            click(c, "[data-testid=members-register]").await?;
            text_until(c, "[data-testid=members-reg-name]", |t| {
                t == "Lapas Kelas IIB Pati"
            })
            .await?;
            text_until(c, "[data-testid=members-reg-fingerprint]", |t| t == pati_fp).await?;
            fill(c, "#members-fingerprint", &pati_fp).await?;
            screenshot(c, "daftarkan-upt.png").await?;
            fill(c, "#members-fingerprint", "0000-0000-0000-0000").await?;
            click(c, "[data-testid=members-register-confirm]").await?;
            let refused = text_until(c, "[data-testid=error-members-fingerprint]", |t| {
                !t.is_empty()
            })
            .await?;
            assert!(
                refused.contains("Tidak ada yang didaftarkan"),
                "{refused:?}"
            );
            fill(c, "#members-fingerprint", &pati_fp).await?;
            click(c, "[data-testid=members-register-confirm]").await?;
            text_until(c, "[data-testid=members-save-path]", |t| {
                t.ends_with("LAPAS-PATI.bansos-enrollment")
            })
            .await?;
            text_until(c, "[data-testid=members-state-LAPAS-PATI]", |t| {
                t == "Aktif"
            })
            .await?;

            // The bundle from the stick; the answers go back onto it.
            click(c, "[data-testid=nav-impor_bundel]").await?;
            text_until(c, "[data-testid=screen-title]", |t| t == "Impor bundel").await?;
            click(c, "[data-testid=bundles-files]").await?;
            text_until(c, "[data-testid=bundles-chosen]", |t| {
                t.contains("1 berkas dipilih") && t.contains("RUTAN-BLORA_")
            })
            .await?;
            click(c, "[data-testid=bundles-import]").await?;
            text_until(c, "[data-testid=bundles-verdict-0]", |t| t == "diterima").await?;
            text_until(c, "[data-testid=bundles-progress-text]", |t| {
                t == "Bundel 1 dari 1 diimpor"
            })
            .await?;
            text_until(c, "[data-testid=bundles-summary]", |t| {
                t == "1 berkas diperiksa, 1 bundel diterima."
            })
            .await?;
            text_until(c, "[data-testid=bundles-answers]", |t| {
                t.contains("1 berkas jawaban disimpan")
            })
            .await?;
            screenshot(c, "impor-bundel.png").await?;
            let answers = files_ending(&stick_path, ".bansos-answer")?;
            assert_eq!(answers.len(), 1, "one answer on the stick: {answers:?}");

            // The recap of that month: Rutan Blora's packages as its own report counted them.
            click(c, "[data-testid=nav-rekap]").await?;
            text_until(c, "[data-testid=screen-title]", |t| t == "Rekap").await?;
            choose(c, "#recap-month", &period_k).await?;
            text_until(c, "[data-testid=recap-period]", |t| {
                t == format!("Rekap {month}")
            })
            .await?;
            text_until(c, "[data-testid=recap-packages-RUTAN-BLORA]", |t| {
                t == recap_packages
            })
            .await?;
            text_until(c, "[data-testid=recap-packages-total]", |t| {
                t == recap_packages
            })
            .await?;
            text_until(c, "[data-testid=recap-not-reported]", |t| {
                t.contains("LAPAS-PATI")
            })
            .await?;
            screenshot(c, "rekap.png").await?;
            for (button, ext, magic) in [
                ("recap-save-pdf", ".pdf", &b"%PDF"[..]),
                ("recap-save-xlsx", ".xlsx", &b"PK"[..]),
            ] {
                click(c, &format!("[data-testid={button}]")).await?;
                let path =
                    text_until(c, "[data-testid=recap-save-path]", |t| t.ends_with(ext)).await?;
                let bytes = saved_in(
                    &kanwil_saved,
                    &path,
                    &format!("rekap-KANWIL-JATENG-{period_k}"),
                )?;
                assert!(bytes.starts_with(magic), "{path} is not a {ext} file");
            }

            // Kelengkapan keeps the month chosen.
            click(c, "[data-testid=nav-kelengkapan]").await?;
            text_until(c, "[data-testid=screen-title]", |t| t == "Kelengkapan").await?;
            text_until(c, "[data-testid=complete-state-RUTAN-BLORA]", |t| {
                t == "diterima"
            })
            .await?;
            text_until(c, "[data-testid=complete-state-LAPAS-PATI]", |t| {
                t == "belum ada"
            })
            .await?;
            text_until(c, "[data-testid=complete-count]", |t| {
                t == "1 dari 2 UPT sudah melapor."
            })
            .await?;
            screenshot(c, "kelengkapan.png").await?;

            click(c, "[data-testid=nav-duplikat_upt]").await?;
            text_until(c, "[data-testid=crossdup-empty]", |t| {
                t.contains("Tidak ada orang yang dilayani dua UPT")
            })
            .await?;
            click(c, "[data-testid=nav-upt_terdaftar]").await?;
            text_until(c, "[data-testid=members-head-RUTAN-BLORA]", |t| {
                t.contains(&month) && t.contains("nomor urut 1")
            })
            .await?;
            Ok(())
        },
    )
    .await;

    // Lapas Pati imports the enrollment the Kanwil saved: its key is not known there yet.
    let kanwil_fp = province.kanwil_fingerprint.clone();
    in_window(
        &pati,
        stick.path(),
        Some(kanwil_saves.path()),
        "pengesahan",
        |c| async move {
            let c = &c;
            sign_in_first(c, "kepala", "Budi Hardiono").await?;
            click(c, "[data-testid=nav-kirim_kanwil]").await?;
            click(c, "[data-testid=outbox-enroll]").await?;
            let ask = text_until(c, "[data-testid=error-outbox-fingerprint]", |t| {
                !t.is_empty()
            })
            .await?;
            assert!(
                ask.contains(&kanwil_fp) && ask.contains("telepon"),
                "{ask:?}"
            );
            fill(c, "#outbox-fingerprint", &kanwil_fp).await?;
            click(c, "[data-testid=outbox-enroll]").await?;
            text_until(c, "[data-testid=outbox-result]", |t| {
                t.contains("Terdaftar di Kanwil Ditjenpas Jawa Tengah")
            })
            .await?;
            text_until(c, "[data-testid=outbox-state-2]", |t| t == "dibuat").await?;
            gone(c, "[data-testid=outbox-waiting]").await?;
            // The same screen in English.
            click(c, "[data-testid=lang-en]").await?;
            text_until(c, "[data-testid=screen-title]", |t| t == "Send to Kanwil").await?;
            text_until(c, "[data-testid=outbox-state-1]", |t| t == "created").await?;
            screenshot(c, "send-to-kanwil-en.png").await?;
            click(c, "[data-testid=lang-id]").await?;
            text_until(c, "[data-testid=screen-title]", |t| t == "Kirim ke Kanwil").await?;
            Ok(())
        },
    )
    .await;

    // Back at Rutan Blora, the Kanwil's answer from the stick acknowledges the bundle.
    let answers = files_ending(stick.path(), ".bansos-answer").expect("the stick");
    let mut k = open_as(&blora, "kepala").expect("the facility opens");
    let outcome = k.import_answer_files(&answers).expect("the answer is read");
    assert!(
        outcome[0]
            .ok
            .as_ref()
            .is_some_and(|a| a.verdict == "accepted"),
        "{outcome:?}"
    );
    assert_eq!(
        k.outbox().expect("the outbox").bundles[0].state,
        "acknowledged"
    );
}

/// Runs `script` (which returns what it finds) in the page, bounded like every round trip.
async fn in_page(
    c: &Client,
    what: &str,
    script: &str,
    args: Vec<serde_json::Value>,
) -> Res<serde_json::Value> {
    bounded(what, async { Ok(c.execute(script, args).await?) }).await
}

/// Waits until Chart.js has drawn `n` charts on their canvases (each inked, not left blank).
async fn charts_drawn(c: &Client, n: usize) -> Res {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let drawn = in_page(
            c,
            "charts drawn",
            "return [...document.querySelectorAll('figure.chart canvas')].map(cv => { \
               const d = cv.getContext('2d').getImageData(0, 0, cv.width, cv.height).data; \
               let inked = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) inked++; return inked; });",
            vec![],
        )
        .await?;
        let drawn: Vec<u64> = serde_json::from_value(drawn)?;
        if drawn.len() == n && drawn.iter().all(|&i| i > 500) {
            return Ok(());
        }
        if Instant::now() > deadline {
            return Err(format!("{n} charts drawn: {drawn:?}").into());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// How many elements on the page match `css`.
async fn how_many(c: &Client, css: &str) -> Res<u64> {
    let n = in_page(
        c,
        &format!("count {css}"),
        "return document.querySelectorAll(arguments[0]).length;",
        vec![css.into()],
    )
    .await?;
    Ok(n.as_u64().unwrap_or_default())
}

/// Scrolls the screen's content (the top bar and navigation stay) until the element is at its
/// top, as a person would before looking at it (and before a screenshot of it).
async fn scroll_to(c: &Client, css: &str) -> Res {
    find(c, css).await?;
    in_page(
        c,
        &format!("scroll to {css}"),
        "const e = document.querySelector(arguments[0]); const m = e.closest('main'); \
         m.scrollTop += e.getBoundingClientRect().top - m.getBoundingClientRect().top - 16; \
         return true;",
        vec![css.into()],
    )
    .await?;
    Ok(())
}

/// A facility changes its signing key, and answers the Kanwil's request for a by-name list. At
/// Rutan Blora (enrolled, two bundles made) the Kepala UPT sends bundle 1 to the stick, then
/// changes the key in Kirim ke Kanwil: a reason too short is refused at its field; the
/// confirmation says what happens; the statement is saved onto the stick; old → new is shown,
/// the old key is listed as retired after bundle 2. She then makes the by-name list of the
/// first month for the Kanwil's letter: as many rows as the month's report has hand-overs (live
/// and void). At the Kanwil the Kepala imports the stick's folder: the statement is taken first
/// (old → new, the old key good up to seq 2), then bundle 1 signed by the old key is accepted;
/// UPT terdaftar shows the new key. In Daftar nama she opens the list (signed by the new key):
/// its facility, month, letter and every row; saves it as XLSX; the screen reads in English too.
#[tokio::test(flavor = "multi_thread")]
async fn a_facility_changes_its_key_and_sends_a_by_name_list_the_kanwil_opens() {
    let _window = ONE_WINDOW.lock().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let blora = dir.path().join("blora").join("bansos.db");
    let pati = dir.path().join("pati").join("bansos.db");
    let kanwil = dir.path().join("kanwil").join("bansos.db");
    let province = prepare_province(&blora, &pati, &kanwil).expect("the province is prepared");
    let period = province.period.clone();
    let words = bansos::month::Month::parse(&period)
        .map(|m| m.words(bansos::locale::Lang::Id))
        .unwrap_or_default();
    let (old_fp, rows) = {
        let mut k = open_as(&blora, "kepala").expect("the facility opens");
        let fp = k.facility().expect("the facility").fingerprint;
        let report = k
            .month_report(&period, None)
            .expect("the first month's report");
        let voided = report
            .voided
            .iter()
            .filter(|v| v.handover_date.starts_with(&period))
            .count();
        k.sign_out().expect("sign out");
        (fp, report.served.packages as usize + voided)
    };
    assert!(rows > 0, "the demo handed packages over in {period}");
    let reference = "W13-PK.01.01-0417";
    let stick = tempfile::tempdir().expect("temp dir for the stick");
    let kanwil_saves = tempfile::tempdir().expect("temp dir for the Kanwil's saves");

    let (stick_path, old, period_f) = (stick.path().to_owned(), old_fp.clone(), period.clone());
    in_window(&blora, stick.path(), None, "ganti-kunci", |c| async move {
        let c = &c;
        sign_in_first(c, "kepala", "Budi Hardiono").await?;
        click(c, "[data-testid=nav-kirim_kanwil]").await?;
        text_until(c, "[data-testid=screen-title]", |t| t == "Kirim ke Kanwil").await?;
        click(c, "[data-testid=outbox-send-1]").await?;
        text_until(c, "[data-testid=outbox-state-1]", |t| t == "dikirim").await?;

        // The key: a reason too short is the core's refusal, at the field.
        text_until(c, "[data-testid=rotate-current]", |t| t == old).await?;
        click(c, "[data-testid=rotate-start]").await?;
        let explain = text_until(c, "[data-testid=rotate-explain]", |t| !t.is_empty()).await?;
        assert!(
            explain.contains("bundel terakhir") && explain.contains("sebelum bundel berikutnya"),
            "the confirmation says what happens: {explain:?}"
        );
        fill(c, "#rotate-reason", "PC").await?;
        click(c, "[data-testid=rotate-confirm]").await?;
        let refused = text_until(c, "[data-testid=error-rotate-reason]", |t| !t.is_empty()).await?;
        assert!(refused.contains("paling sedikit 5 huruf"), "{refused:?}");
        screenshot(c, "ganti-kunci-konfirmasi.png").await?;
        fill(
            c,
            "#rotate-reason",
            "Penggantian berkala; pemegang kunci pindah tugas",
        )
        .await?;
        click(c, "[data-testid=rotate-confirm]").await?;
        let shown = text_until(c, "[data-testid=rotate-save-path]", |t| {
            t.ends_with(".bansos-key-rotation")
        })
        .await?;
        let statement = saved_in(&stick_path, &shown, &format!("RUTAN-BLORA-{old}"))?;
        assert!(
            statement.starts_with(b"PK"),
            "{shown} is the statement (a zip)"
        );
        text_until(c, "[data-testid=rotate-old]", |t| t == old).await?;
        let new = text_until(c, "[data-testid=rotate-new]", |t| !t.is_empty()).await?;
        assert_ne!(new, old, "a new key");
        text_until(c, "[data-testid=rotate-result]", |t| {
            t.contains("sampai nomor urut 2")
        })
        .await?;
        text_until(c, "[data-testid=rotate-current]", |t| t == new).await?;
        text_until(c, &format!("[data-testid=rotate-retired-{old}]"), |t| {
            t.contains("nomor urut 2") && t.contains("pindah tugas") && t.contains("oleh kepala")
        })
        .await?;
        scroll_to(c, "[data-testid=rotate]").await?;
        screenshot(c, "ganti-kunci.png").await?;

        // The by-name list of the first month, for the Kanwil's letter.
        scroll_to(c, "[data-testid=byname]").await?;
        choose(c, "#byname-period", &period_f).await?;
        fill(c, "#byname-reference", reference).await?;
        click(c, "[data-testid=byname-make]").await?;
        let shown = text_until(c, "[data-testid=byname-save-path]", |t| {
            t.ends_with(".bansos-byname")
        })
        .await?;
        let list = saved_in(&stick_path, &shown, &format!("RUTAN-BLORA_{period_f}_"))?;
        assert!(!list.is_empty(), "{shown} is empty");
        let made = text_until(c, "[data-testid=byname-result]", |t| t.contains("baris")).await?;
        assert!(
            made.contains(&format!("{rows} baris")),
            "{rows} rows for the month's hand-overs: {made:?}"
        );
        screenshot(c, "daftar-nama-upt.png").await?;
        Ok(())
    })
    .await;

    // The core agrees: a new key, the old one kept as retired after bundle 2.
    let new_fp = {
        let mut k = open_as(&blora, "kepala").expect("the facility opens");
        let f = k.facility().expect("the facility");
        k.sign_out().expect("sign out");
        assert_eq!(f.retired_keys.len(), 1, "{:?}", f.retired_keys);
        assert_eq!(f.retired_keys[0].fingerprint, old_fp);
        assert_eq!(f.retired_keys[0].last_seq, Some(2));
        assert_ne!(f.fingerprint, old_fp);
        f.fingerprint
    };

    let kanwil_saved = kanwil_saves.path().to_owned();
    let (old, new, month, period_k) = (
        old_fp.clone(),
        new_fp.clone(),
        words.clone(),
        period.clone(),
    );
    in_window(
        &kanwil,
        kanwil_saves.path(),
        Some(stick.path()),
        "daftar-nama",
        |c| async move {
            let c = &c;
            sign_in_first(c, "kepala", "Tri Wahyuni").await?;
            // The stick's folder: the statement first, then the bundle the old key signed.
            click(c, "[data-testid=nav-impor_bundel]").await?;
            click(c, "[data-testid=bundles-folder]").await?;
            text_until(c, "[data-testid=bundles-chosen]", |t| t.contains("Folder:")).await?;
            click(c, "[data-testid=bundles-import]").await?;
            text_until(c, "[data-testid=bundles-rotation-0]", |t| {
                t.contains(&format!("kunci {old} diganti dengan {new}"))
                    && t.contains("sampai nomor urut 2")
            })
            .await?;
            text_until(c, "[data-testid=bundles-verdict-0]", |t| t == "diterima").await?;
            let above = in_page(
                c,
                "the rotations come before the verdicts",
                "const r = document.querySelector('[data-testid=bundles-rotations]'); \
                 const v = document.querySelector('[data-testid=bundles-table]'); \
                 const after = Node.DOCUMENT_POSITION_FOLLOWING; \
                 return !!(r && v && (r.compareDocumentPosition(v) & after));",
                vec![],
            )
            .await?;
            assert_eq!(above.as_bool(), Some(true), "rotations above the verdicts");
            screenshot(c, "impor-bundel-kunci.png").await?;
            click(c, "[data-testid=nav-upt_terdaftar]").await?;
            text_until(c, "[data-testid=members-row-RUTAN-BLORA]", |t| {
                t.contains(&new) && t.contains("1 kunci lama")
            })
            .await?;

            // The by-name list from the stick, signed by the new key.
            click(c, "[data-testid=nav-daftar_nama]").await?;
            text_until(c, "[data-testid=screen-title]", |t| t == "Daftar nama").await?;
            click(c, "[data-testid=kbyname-open]").await?;
            text_until(c, "[data-testid=kbyname-facility]", |t| {
                t.contains("Rutan Kelas IIB Blora") && t.contains("RUTAN-BLORA")
            })
            .await?;
            text_until(c, "[data-testid=kbyname-period]", |t| t == month).await?;
            text_until(c, "[data-testid=kbyname-reference]", |t| t == reference).await?;
            text_until(c, "[data-testid=kbyname-made]", |t| {
                t.contains("oleh kepala")
            })
            .await?;
            text_until(c, "[data-testid=kbyname-count]", |t| {
                t.starts_with(&format!("{rows} serah terima"))
            })
            .await?;
            let shown = how_many(c, "[data-testid=kbyname-row]").await?;
            assert_eq!(shown as usize, rows, "every row of the list is shown");
            let first = text_until(c, "[data-testid=kbyname-row] td:nth-child(2)", |t| {
                !t.is_empty()
            })
            .await?;
            assert!(
                first.len() == 10
                    && first.ends_with(&period_k[..4])
                    && first[3..5] == period_k[5..],
                "a date as dd/mm/yyyy in {period_k}: {first:?}"
            );
            screenshot(c, "daftar-nama.png").await?;
            click(c, "[data-testid=kbyname-save-xlsx]").await?;
            let path = text_until(c, "[data-testid=kbyname-save-path]", |t| {
                t.ends_with(".xlsx")
            })
            .await?;
            let bytes = saved_in(
                &kanwil_saved,
                &path,
                &format!("daftar-nama-RUTAN-BLORA-{period_k}"),
            )?;
            assert!(
                bytes.starts_with(b"PK") && bytes.len() > 1000,
                "{path} is a workbook"
            );

            // The same screen in English.
            click(c, "[data-testid=lang-en]").await?;
            text_until(c, "[data-testid=screen-title]", |t| t == "By-name lists").await?;
            text_until(c, "[data-testid=kbyname-count]", |t| {
                t.starts_with(&format!("{rows} hand-overs"))
            })
            .await?;
            click(c, "[data-testid=lang-id]").await?;
            text_until(c, "[data-testid=screen-title]", |t| t == "Daftar nama").await?;
            Ok(())
        },
    )
    .await;
}

/// The first-run wizard's other choice: this PC is the Kanwil. No numbering step; the Admin
/// lands in regional mode with the Kanwil's screens and none of a facility's.
async fn first_run_as_kanwil(c: &Client) -> Res {
    find(c, "#profile-name").await?;
    click(c, "[data-testid=wizard-mode-regional]").await?;
    gone(c, "#profile-kind").await?;
    gone(c, "#profile-kanwil").await?;
    fill(c, "#profile-name", "Kanwil Ditjenpas Jawa Tengah").await?;
    fill(c, "#profile-code", "KANWIL-JATENG").await?;
    fill(c, "#profile-province", "Jawa Tengah").await?;
    fill(c, "#profile-address", "Jl. Dr. Cipto No. 64, Semarang").await?;
    fill(c, "#profile-head_name", "Budi Hardiono").await?;
    screenshot(c, "wizard-kanwil.png").await?;
    click(c, "[data-testid=wizard-next]").await?;
    // Straight to the first admin: a Kanwil numbers no BAST.
    fill(c, "#admin-full_name", "Tri Wahyuni").await?;
    fill(c, "#admin-position", "Pranata Komputer").await?;
    fill(c, "#admin-username", "tri").await?;
    fill(c, "#admin-password", "kanwil-jateng-2024").await?;
    fill(c, "#admin-password_confirm", "kanwil-jateng-2024").await?;
    click(c, "[data-testid=wizard-next]").await?;
    click(c, "[data-testid=wizard-finish]").await?;
    text_until(c, "[data-testid=current-user]", |t| {
        t.contains("Tri Wahyuni")
    })
    .await?;
    find(c, "[data-testid=nav-upt_terdaftar]").await?;
    find(c, "[data-testid=nav-rekap]").await?;
    gone(c, "[data-testid=nav-keluarga]").await?;
    gone(c, "[data-testid=nav-kirim_kanwil]").await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn first_run_wizard_sets_up_a_kanwil_in_regional_mode() {
    let _window = ONE_WINDOW.lock().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("bansos.db");
    let saves = tempfile::tempdir().expect("temp dir for saved files");
    let driver = start_driver(&db, saves.path(), None);
    let client = connect(&driver).await;
    let outcome = first_run_as_kanwil(&client).await;
    if outcome.is_err() {
        let _ =
            tokio::time::timeout(Duration::from_secs(10), screenshot(&client, "failure.png")).await;
    }
    let _ = tokio::time::timeout(Duration::from_secs(10), client.close()).await;
    drop(driver);
    if let Err(e) = outcome {
        panic!("window test failed: {e}");
    }
    // The core agrees: a Kanwil, with its province key and exchange identity.
    let mut a = bansos::App::open(
        &db,
        std::sync::Arc::new(bansos::clock::SystemClock),
        &bansos::Credentials::new("tri", "kanwil-jateng-2024"),
    )
    .expect("sign in");
    assert!(a.session_info().expect("session").regional);
    assert!(a.members().expect("members").is_empty());
}

// ---- The Kanwil's inbox --------------------------------------------------------------------

/// `bansos inbox serve` on a free loopback port over a Kanwil's database, killed when dropped.
struct Inbox {
    child: Child,
    url: String,
    /// Its standard output, kept open so the server never writes to a closed pipe.
    _out: std::io::BufReader<std::process::ChildStdout>,
}

impl Inbox {
    /// Starts the server as the Kanwil's Kepala and reads its address from the first line it
    /// prints ("… http://ADDR/v1/ …"), within 60 s.
    fn start(kanwil: &Path) -> Inbox {
        use std::io::BufRead;
        let mut child = Command::new(bansos_binary())
            .args(["inbox", "serve", "--listen", "127.0.0.1:0"])
            .env("BANSOS_DB", kanwil)
            .env("BANSOS_USER", "kepala")
            .env("BANSOS_PASSWORD", bansos::demo::PASSWORD)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("bansos inbox serve starts");
        let Some(stdout) = child.stdout.take() else {
            let _ = child.kill();
            panic!("the inbox server's output is not piped");
        };
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut out = std::io::BufReader::new(stdout);
            let mut line = String::new();
            let _ = out.read_line(&mut line);
            let _ = tx.send((line, out));
        });
        let Ok((line, out)) = rx.recv_timeout(Duration::from_secs(60)) else {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the inbox server printed no address within 60 s");
        };
        let Some(addr) = line
            .split("http://")
            .nth(1)
            .and_then(|r| r.split('/').next())
        else {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the inbox server did not start: {line:?}");
        };
        Inbox {
            url: format!("http://{addr}"),
            child,
            _out: out,
        }
    }
}

impl Drop for Inbox {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A facility sends its bundles to the Kanwil's inbox from Kirim ke Kanwil. A demo Kanwil with
/// Rutan Blora enrolled, its two bundles unsent, and the real `bansos inbox serve` over the
/// Kanwil's database. The Kepala UPT sees both bundles "dibuat" and no upload column yet; a plain
/// http address away from this PC is warned about, a malformed one refused at its field. An
/// address no server listens on is saved: "Kirim sekarang" says the first bundle was not sent,
/// and the table shows one try, the next one, and the error, in English too. With the inbox's
/// address, "Kirim sekarang" has both bundles acknowledged ("diterima Kanwil"), each answer's
/// signature checked, and the Kanwil's database holds each bundle accepted once.
#[tokio::test(flavor = "multi_thread")]
async fn a_facility_sends_its_bundles_to_the_kanwils_inbox() {
    use bansos::demo::{province_unsent, Options};
    use bansos::month::Month;
    let _window = ONE_WINDOW.lock().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let kanwil = dir.path().join("kanwil").join("bansos.db");
    let now = Month::of(bansos::locale::TimeZone::Wib.today(chrono::Utc::now()));
    let made = province_unsent(
        &kanwil,
        1,
        &Options {
            families: 10,
            months: 2,
            seed: 7,
            until: now.prev(),
            facility: 0,
        },
    )
    .expect("a Kanwil with Rutan Blora enrolled, its bundles unsent");
    assert_eq!(made.bundles, 2, "two closed months, two bundles");
    let blora = PathBuf::from(&made.facilities[0].1);
    let first = now.prev().prev().words(bansos::locale::Lang::Id);
    let inbox = Inbox::start(&kanwil);
    // A loopback port no one listens on: the connection is refused at once.
    let nobody = format!("http://127.0.0.1:{}", free_port());
    let saves = tempfile::tempdir().expect("temp dir for saved files");

    let (url, address) = (inbox.url.clone(), inbox.url.clone());
    in_window(&blora, saves.path(), None, "unggah", |c| async move {
        let c = &c;
        sign_in_first(c, "kepala", "Budi Hardiono").await?;
        click(c, "[data-testid=nav-kirim_kanwil]").await?;
        text_until(c, "[data-testid=screen-title]", |t| t == "Kirim ke Kanwil").await?;
        text_until(c, "[data-testid=outbox-period-1]", |t| t == first).await?;
        text_until(c, "[data-testid=outbox-state-1]", |t| t == "dibuat").await?;
        text_until(c, "[data-testid=outbox-state-2]", |t| t == "dibuat").await?;
        // No address yet: no upload column and nothing to send to.
        gone(c, "[data-testid=outbox-upload-1]").await?;
        gone(c, "[data-testid=outbox-send-now]").await?;

        // Plain http to another machine: a warning while typing; a malformed address: refused.
        fill(c, "#inbox-url", "http://bansos.kanwil-jateng.go.id").await?;
        text_until(c, "[data-testid=warning-inbox-url]", |t| {
            t.contains("http biasa")
        })
        .await?;
        fill(c, "#inbox-url", "kanwil jateng").await?;
        gone(c, "[data-testid=warning-inbox-url]").await?;
        click(c, "[data-testid=inbox-url-save]").await?;
        text_until(c, "[data-testid=error-inbox-url]", |t| {
            t.contains("tidak sah")
        })
        .await?;
        gone(c, "[data-testid=outbox-send-now]").await?;

        // An address where nobody answers: the first bundle waits, with its try and its error.
        fill(c, "#inbox-url", &nobody).await?;
        click(c, "[data-testid=inbox-url-save]").await?;
        text_until(c, "[data-testid=inbox-url-saved]", |t| {
            t.contains("disimpan")
        })
        .await?;
        gone(c, "[data-testid=warning-inbox-url]").await?;
        gone(c, "[data-testid=error-inbox-url]").await?;
        text_until(c, "[data-testid=outbox-tries-1]", |t| t == "—").await?;
        click(c, "[data-testid=outbox-send-now]").await?;
        text_until(c, "[data-testid=inbox-line-1]", |t| {
            t.contains("belum terkirim") && t.contains("dicoba lagi mulai")
        })
        .await?;
        text_until(c, "[data-testid=outbox-state-1]", |t| t == "dibuat").await?;
        text_until(c, "[data-testid=outbox-tries-1]", |t| t == "dicoba 1 kali").await?;
        text_until(c, "[data-testid=outbox-next-1]", |t| {
            t.starts_with("coba lagi: ") && t.ends_with(" WIB")
        })
        .await?;
        text_until(c, "[data-testid=outbox-error-1]", |t| {
            t.contains("server Kanwil")
        })
        .await?;
        // The round stops at the first bundle that waits: the second was not tried.
        text_until(c, "[data-testid=outbox-tries-2]", |t| t == "—").await?;
        scroll_to(c, "[data-testid=outbox-send-now]").await?;
        screenshot(c, "kirim-ke-kanwil-unggah-gagal.png").await?;
        click(c, "[data-testid=lang-en]").await?;
        text_until(c, "[data-testid=outbox-state-1]", |t| t == "created").await?;
        text_until(c, "[data-testid=outbox-tries-1]", |t| t == "tried once").await?;
        text_until(c, "[data-testid=outbox-next-1]", |t| {
            t.starts_with("next try: ")
        })
        .await?;
        text_until(c, "[data-testid=outbox-error-1]", |t| {
            t.contains("Kanwil's server")
        })
        .await?;
        text_until(c, "[data-testid=inbox-line-1]", |t| {
            t.contains("not sent yet")
        })
        .await?;
        click(c, "[data-testid=lang-id]").await?;
        text_until(c, "[data-testid=outbox-state-1]", |t| t == "dibuat").await?;

        // The Kanwil's inbox: "Kirim sekarang" sends both, and each answer is imported.
        fill(c, "#inbox-url", &url).await?;
        click(c, "[data-testid=inbox-url-save]").await?;
        text_until(c, "[data-testid=inbox-url-saved]", |t| {
            t.contains("disimpan")
        })
        .await?;
        click(c, "[data-testid=outbox-send-now]").await?;
        for seq in [1, 2] {
            text_until(c, &format!("[data-testid=inbox-line-{seq}]"), |t| {
                t.contains(&format!("nomor urut {seq}")) && t.contains("diterima Kanwil")
            })
            .await?;
            text_until(c, &format!("[data-testid=outbox-state-{seq}]"), |t| {
                t == "diterima Kanwil"
            })
            .await?;
        }
        text_until(c, "[data-testid=outbox-tries-1]", |t| t == "dicoba 2 kali").await?;
        text_until(c, "[data-testid=outbox-tries-2]", |t| t == "dicoba 1 kali").await?;
        gone(c, "[data-testid=outbox-error-1]").await?;
        gone(c, "[data-testid=outbox-next-1]").await?;
        scroll_to(c, "[data-testid=outbox-send-now]").await?;
        screenshot(c, "kirim-ke-kanwil-unggah.png").await?;

        // Pressed again: nothing is due, nothing goes twice.
        click(c, "[data-testid=outbox-send-now]").await?;
        text_until(c, "[data-testid=inbox-nothing-due]", |t| {
            t.contains("semuanya sudah dijawab")
        })
        .await?;
        Ok(())
    })
    .await;

    // The Kanwil's side, as its own desk reads it beside the running server.
    let mut k = bansos::App::open(
        &kanwil,
        std::sync::Arc::new(bansos::clock::SystemClock),
        &bansos::Credentials::new("kepala", bansos::demo::PASSWORD),
    )
    .expect("the Kanwil opens");
    let (received, refused) = k.inbox_list().expect("the Kanwil's inbox");
    for seq in [1, 2] {
        let accepted = received
            .iter()
            .filter(|r| r.member == "RUTAN-BLORA" && r.seq == seq && r.status == "accepted")
            .count();
        assert_eq!(
            accepted, 1,
            "bundle {seq} is held accepted once: {received:?}"
        );
    }
    assert_eq!(received.len(), 2, "nothing else arrived: {received:?}");
    assert!(refused.is_empty(), "nothing was refused: {refused:?}");
    k.sign_out().expect("sign out");
    drop(inbox);
    let mut f = open_as(&blora, "kepala").expect("the facility opens");
    let out = f.outbox().expect("the outbox");
    assert!(
        out.bundles.iter().all(|b| b.state == "acknowledged"),
        "both bundles acknowledged at the facility"
    );
    assert_eq!(
        out.inbox_url,
        Some(address),
        "the address as saved in the window"
    );
}

// ---- Beranda: the dashboard against the core's own figures ----------------------------------

/// An integer as the window writes it in Indonesian ("1.234").
fn id_int(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(ch);
    }
    if n < 0 {
        format!("-{out}")
    } else {
        out
    }
}

/// What Beranda must show at the demo facility, each figure as the core computes it, in the
/// window's Indonesian words.
struct FacilityFigures {
    range: String,
    month: (String, String, String),
    /// (category, served, eligible, registered).
    categories: Vec<(String, String, String, String)>,
    /// (event id, progress words, short words).
    events: Vec<(i64, String, String)>,
    /// (period, packages) for the months shown, oldest first.
    months: Vec<(String, String)>,
    to_close: Vec<String>,
    /// (state, count) and the closed months waiting for a bundle.
    outbox: Vec<(&'static str, String)>,
    /// (item code, quantity with unit, below minimum).
    stock: Vec<(String, String, bool)>,
    /// (item code, handed over this month with unit).
    items: Vec<(String, String)>,
    /// (funding source, received, issued) over the months shown.
    sources: Vec<(String, String, String)>,
    first_event: i64,
}

/// A demo province of three facilities (four months each, made, closed, sent and acknowledged,
/// the last one ending last month) and its Kanwil. At the first facility (Rutan Blora) this
/// month is under way: an event today, approved, with five families planned and three served;
/// another planned a week ahead as a draft; last month was reopened by the Kepala UPT for a
/// correction. Answers the Kanwil's database, the facility's, and the figures Beranda must show.
fn prepare_dashboard(dir: &Path) -> bansos::Result<(PathBuf, PathBuf, FacilityFigures)> {
    use bansos::family::model::Verification;
    use bansos::family::FamilyFilter;
    use bansos::locale::{decimal, month_name, rupiah, Lang, TimeZone};
    use bansos::month::Month;
    use chrono::Datelike;
    let today = TimeZone::Wib.today(chrono::Utc::now());
    let now = Month::of(today);
    let kanwil = dir.join("kanwil").join("bansos.db");
    let made = bansos::demo::province(
        &kanwil,
        3,
        &bansos::demo::Options {
            families: 12,
            months: 4,
            seed: 7,
            until: now.prev(),
            facility: 0,
        },
        |_| {},
    )?;
    let blora = PathBuf::from(&made.facilities[0].1);

    // This month at the hall: five families planned today, three served; a home visit a week on.
    let mut p = open_as(&blora, "petugas")?;
    let template = p.templates(false)?[0].id;
    let event = |date: String, place: &str| routine_event(template, date, place);
    let verified = FamilyFilter {
        query: String::new(),
        category: None,
        verification: Some(Verification::Verified),
        active: Some(true),
    };
    let families = p.family_list(&verified, 100, 0)?.rows;
    assert!(families.len() >= 9, "the demo verified its families");
    let today_event = p
        .create_event(&event(today.to_string(), "Aula Rutan Blora"))?
        .id;
    for f in &families[..5] {
        p.add_recipient(today_event, f.id)?;
    }
    let next = today + chrono::Duration::days(7);
    let next_event = p
        .create_event(&event(next.to_string(), "Kunjungan rumah, Kec. Cepu"))?
        .id;
    for f in &families[5..9] {
        p.add_recipient(next_event, f.id)?;
    }
    p.sign_out()?;
    let mut v = open_as(&blora, "verifikator")?;
    v.approve_event(today_event)?;
    v.sign_out()?;
    let mut p = open_as(&blora, "petugas")?;
    let today_text = today.to_string();
    for f in &families[..3] {
        p.hand_over(today_event, f.id, None, Some(&today_text))?;
    }
    p.sign_out()?;
    // The storeroom keeps at least 50 kg of rice: what is left is below that.
    let mut v = open_as(&blora, "verifikator")?;
    let rice = v
        .stock_overview(None)?
        .items
        .iter()
        .find(|b| b.item.name == "Beras")
        .map(|b| b.item.id)
        .expect("the demo stocks rice");
    v.set_item_minimum(rice, "50", Lang::Id)?;
    v.sign_out()?;
    let mut k = open_as(&blora, "kepala")?;
    let last = now.prev().key();
    k.reopen_month(&last, "Koreksi nilai penerimaan bulan lalu")?;

    // The figures, as the core has them.
    let dash = k.dashboard()?;
    let range = if today.day() == 1 {
        format!("1 {} {}", month_name(today.month(), Lang::Id), today.year())
    } else {
        format!(
            "1–{} {} {}",
            today.day(),
            month_name(today.month(), Lang::Id),
            today.year()
        )
    };
    let served = &families[..3];
    let month = (
        id_int(served.len() as i64),
        id_int(served.len() as i64),
        rupiah(dash.this_month.issued_value),
    );
    let mut categories = Vec::new();
    for c in [
        bansos::family::model::Category::KeluargaWbp,
        bansos::family::model::Category::MasyarakatSekitar,
    ] {
        let key = serde_json::to_value(c)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        let of = |verification| FamilyFilter {
            query: String::new(),
            category: Some(c),
            verification,
            active: Some(true),
        };
        let registered = k.family_list(&of(None), 1, 0)?.total;
        if registered == 0 {
            continue;
        }
        let eligible = k
            .family_list(&of(Some(Verification::Verified)), 1, 0)?
            .total;
        let served = served.iter().filter(|f| f.category == c).count() as i64;
        categories.push((
            key,
            id_int(served),
            id_int(eligible),
            format!("{} terdaftar aktif", id_int(registered)),
        ));
    }
    let mut events = Vec::new();
    for (id, handed) in [(today_event, 3), (next_event, 0)] {
        let planned = k.event(id)?.recipients.len() as i64;
        let short = k.shortage_report(id)?;
        let words = if short.short {
            let lines: Vec<String> = short
                .lines
                .iter()
                .filter(|l| !l.short.is_zero())
                .map(|l| format!("{} {} {}", l.item, decimal(l.short, Lang::Id), l.unit))
                .collect();
            format!("Kurang: {}", lines.join(", "))
        } else {
            "Stok cukup untuk keluarga yang direncanakan".to_owned()
        };
        events.push((
            id,
            format!(
                "{} dari {} keluarga sudah menerima",
                id_int(handed),
                id_int(planned)
            ),
            words,
        ));
    }
    // The months the core lists (twelve, or from the facility's first): a closed month's
    // packages from its stored report, the reopened one's from its last report (nothing in it
    // changed), this month's the three hand-overs above.
    let closed: Vec<String> = k
        .months()?
        .iter()
        .filter(|l| {
            matches!(
                l.state,
                bansos::month::MonthState::Closed | bansos::month::MonthState::Nihil
            )
        })
        .map(|l| l.period.clone())
        .collect();
    assert_eq!(
        dash.months.len(),
        5,
        "four demo months and this one: {:?}",
        dash.months.iter().map(|m| &m.period).collect::<Vec<_>>()
    );
    let mut months = Vec::new();
    let mut sums: Vec<(bansos::stock::FundingSource, Vec<_>, Vec<_>)> = Vec::new();
    for shown in &dash.months {
        let period = shown.period.clone();
        let (packages, lines) = if period == now.key() {
            (3, dash.this_month.sources.clone())
        } else {
            assert!(
                closed.contains(&period) || period == last,
                "{period} was closed"
            );
            let r = k.month_report(&period, None)?;
            let lines = r
                .sources
                .iter()
                .map(|s| bansos::dashboard::SourceFigure {
                    source: s.source,
                    received_value: s.received_value,
                    issued_value: s.issued_value,
                })
                .collect();
            (r.served.packages, lines)
        };
        for s in lines {
            match sums.iter_mut().find(|e| e.0 == s.source) {
                Some(e) => {
                    e.1.push(s.received_value);
                    e.2.push(s.issued_value);
                }
                None => sums.push((s.source, vec![s.received_value], vec![s.issued_value])),
            }
        }
        months.push((period, id_int(packages)));
    }
    let sources = sums
        .into_iter()
        .filter_map(|(source, received, issued)| {
            let received = received.into_iter().reduce(|a, b| a + b)?;
            let issued = issued.into_iter().reduce(|a, b| a + b)?;
            (!received.is_zero() || !issued.is_zero()).then(|| {
                let key = serde_json::to_value(source)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default();
                (key, rupiah(received), rupiah(issued))
            })
        })
        .collect();
    let outbox = k.outbox()?;
    let count =
        |state: &str| id_int(outbox.bundles.iter().filter(|b| b.state == state).count() as i64);
    let outbox = vec![
        ("created", count("created")),
        ("sent", count("sent")),
        ("acknowledged", count("acknowledged")),
        ("refused", count("refused")),
        ("waiting", id_int(outbox.waiting.len() as i64)),
    ];
    let stock = k
        .stock_overview(None)?
        .items
        .iter()
        .map(|b| {
            (
                b.item.code.clone(),
                format!("{} {}", decimal(b.quantity, Lang::Id), b.item.unit),
                b.below_minimum,
            )
        })
        .collect();
    let items = dash
        .this_month
        .items
        .iter()
        .map(|i| {
            (
                i.code.clone(),
                format!("{} {}", decimal(i.handed_over, Lang::Id), i.unit),
            )
        })
        .collect();
    k.sign_out()?;
    Ok((
        kanwil,
        blora,
        FacilityFigures {
            range,
            month,
            categories,
            events,
            months,
            to_close: vec![last],
            outbox,
            stock,
            items,
            sources,
            first_event: today_event,
        },
    ))
}

/// Waits until `css` reads exactly `want`.
async fn reads(c: &Client, css: &str, want: &str) -> Res {
    text_until(c, css, |t| t == want).await.map(|_| ())
}

/// Beranda on demo data reads as the core computes: at Rutan Blora the Kepala UPT sees this month
/// live with its exact days, the families served against those eligible and registered by
/// category, the two coming events with how many have received and what is short, last month
/// (reopened) to close, the outbox as acknowledged by the Kanwil, every item's stock with its
/// alerts, and the three charts' tables — packages by month from the stored reports, items
/// handed over this month, funding sources over the months shown summed exactly. The cards open
/// Stok and the event; the page reads in English too. At the Kanwil the dashboard shows the
/// last ended month: every facility reported (late, by the days Kelengkapan counts), the
/// province's totals and each facility's packages from the recap, the cross-facility pairs.
#[tokio::test(flavor = "multi_thread")]
async fn beranda_shows_the_cores_own_figures_at_a_facility_and_at_its_kanwil() {
    let _window = ONE_WINDOW.lock().await;
    let started = Instant::now();
    let dir = tempfile::tempdir().expect("temp dir");
    let (kanwil, blora, f) = prepare_dashboard(dir.path()).expect("the demo province is made");
    eprintln!(
        "window: demo province made in {} ms",
        started.elapsed().as_millis()
    );
    let saves = tempfile::tempdir().expect("temp dir for saved files");

    in_window(&blora, saves.path(), None, "beranda", |c| async move {
        let c = &c;
        sign_in_first(c, "kepala", "Budi Hardiono").await?;
        reads(c, "[data-testid=screen-title]", "Beranda").await?;
        reads(
            c,
            "[data-testid=dash-month-range]",
            &format!("{} (berjalan)", f.range),
        )
        .await?;
        reads(c, "[data-testid=dash-month-families]", &f.month.0).await?;
        reads(c, "[data-testid=dash-month-packages]", &f.month.1).await?;
        reads(c, "[data-testid=dash-month-value]", &f.month.2).await?;
        for (cat, served, eligible, registered) in &f.categories {
            reads(c, &format!("[data-testid=dash-cat-{cat}-served]"), served).await?;
            reads(c, &format!("[data-testid=dash-cat-{cat}-eligible]"), eligible).await?;
            reads(
                c,
                &format!("[data-testid=dash-cat-{cat}-registered]"),
                registered,
            )
            .await?;
        }
        assert_eq!(
            how_many(c, "[data-testid^=dash-event-][data-testid$=-progress]").await?,
            f.events.len() as u64,
            "the two coming events"
        );
        for (id, progress, short) in &f.events {
            reads(c, &format!("[data-testid=dash-event-{id}-progress]"), progress).await?;
            reads(c, &format!("[data-testid=dash-event-{id}-short]"), short).await?;
        }
        for (period, packages) in &f.months {
            reads(
                c,
                &format!("[data-testid=dash-months-packages-{period}]"),
                packages,
            )
            .await?;
        }
        // The live months are marked as such: this one and the reopened one.
        let live = in_page(
            c,
            "live months",
            "return [...document.querySelectorAll('[data-testid=dash-months-table] tr[data-live=true]')].map(r => r.dataset.period);",
            vec![],
        )
        .await?;
        let mut want_live = f.to_close.clone();
        want_live.extend(f.months.last().map(|m| m.0.clone()));
        assert_eq!(live, serde_json::json!(want_live), "the months computed now");
        let to_close = in_page(
            c,
            "months to close",
            "return [...document.querySelectorAll('[data-testid=dash-to-close] li')].map(l => l.dataset.period);",
            vec![],
        )
        .await?;
        assert_eq!(to_close, serde_json::json!(f.to_close));
        for (state, count) in &f.outbox {
            reads(c, &format!("[data-testid=dash-outbox-{state}]"), count).await?;
        }
        for (code, quantity, below) in &f.stock {
            reads(c, &format!("[data-testid=dash-stock-{code}-qty]"), quantity).await?;
            let marked = in_page(
                c,
                "below minimum",
                "return document.querySelector(arguments[0]).classList.contains('alert-row');",
                vec![format!("[data-testid=dash-stock-{code}]").into()],
            )
            .await?;
            assert_eq!(marked.as_bool(), Some(*below), "{code} below its minimum");
        }
        assert!(
            f.stock.iter().any(|s| s.2),
            "rice is below its minimum"
        );
        assert!(!f.items.is_empty(), "three packages were handed over today");
        for (code, quantity) in &f.items {
            reads(c, &format!("[data-testid=dash-items-{code}]"), quantity).await?;
        }
        assert!(!f.sources.is_empty(), "the demo received stock with rupiah values");
        for (source, received, issued) in &f.sources {
            reads(
                c,
                &format!("[data-testid=dash-sources-{source}-received]"),
                received,
            )
            .await?;
            reads(
                c,
                &format!("[data-testid=dash-sources-{source}-issued]"),
                issued,
            )
            .await?;
        }
        text_until(c, "[data-testid=home-audit-state]", |t| t.starts_with("Cocok")).await?;
        screenshot(c, "beranda.png").await?;
        // The charts lie below the cards: drawn as they come near, so scrolled to first.
        scroll_to(c, "[data-testid=dash-chart-months]").await?;
        charts_drawn(c, 3).await?;
        screenshot(c, "beranda-grafik.png").await?;

        // The cards open their screens: Stok, and the event itself.
        click(c, "[data-testid=dash-stock-open]").await?;
        reads(c, "[data-testid=screen-title]", "Stok").await?;
        click(c, "[data-testid=nav-beranda]").await?;
        click(
            c,
            &format!("[data-testid=dash-event-{}] button", f.first_event),
        )
        .await?;
        reads(c, "[data-testid=event-place]", "Aula Rutan Blora").await?;
        click(c, "[data-testid=nav-beranda]").await?;
        click(c, "[data-testid=dash-outbox-open]").await?;
        reads(c, "[data-testid=screen-title]", "Kirim ke Kanwil").await?;

        // In English.
        click(c, "[data-testid=nav-beranda]").await?;
        click(c, "[data-testid=lang-en]").await?;
        text_until(c, "[data-testid=dash-month-range]", |t| {
            t.ends_with("(in progress)")
        })
        .await?;
        reads(c, "[data-testid=screen-title]", "Home").await?;
        click(c, "[data-testid=lang-id]").await?;
        reads(c, "[data-testid=screen-title]", "Beranda").await?;
        Ok(())
    })
    .await;

    // The Kanwil's figures for the last ended month, as its own use cases give them.
    let (period, recap, rows, pairs) = {
        let mut k = open_as(&kanwil, "kepala").expect("the Kanwil opens");
        let period =
            bansos::month::Month::of(bansos::locale::TimeZone::Wib.today(chrono::Utc::now()))
                .prev()
                .key();
        let recap = k.regional_recap(&period).expect("the recap");
        let rows = k.regional_completeness(&period).expect("the completeness");
        let pairs = k.regional_duplicates(&period).expect("the pairs").len();
        k.sign_out().expect("sign out");
        (period, recap, rows, pairs)
    };
    let done = |s: &str| matches!(s, "accepted" | "nihil");
    let expected = rows.iter().filter(|r| r.state != "not_expected").count() as i64;
    let reported = rows.iter().filter(|r| done(&r.state)).count() as i64;
    assert_eq!(reported, 3, "every demo facility reported {period}");
    let month = bansos::month::Month::parse(&period)
        .map(|m| m.words(bansos::locale::Lang::Id))
        .unwrap_or_default();
    in_window(
        &kanwil,
        saves.path(),
        None,
        "beranda-kanwil",
        |c| async move {
            let c = &c;
            sign_in_first(c, "kepala", "Budi Hardiono").await?;
            reads(c, "[data-testid=screen-title]", "Beranda").await?;
            reads(
                c,
                "[data-testid=dash-k-period]",
                &format!("Laporan bulan {month}: bulan terakhir yang sudah berakhir"),
            )
            .await?;
            reads(c, "[data-testid=dash-k-reported]", &id_int(reported)).await?;
            reads(c, "[data-testid=dash-k-members]", &id_int(expected)).await?;
            for r in rows.iter().filter(|r| done(&r.state) && r.days_late > 0) {
                reads(
                    c,
                    &format!("[data-testid=dash-k-late-{}]", r.code),
                    &format!("{} terlambat {} hari", r.code, id_int(r.days_late)),
                )
                .await?;
            }
            assert_eq!(
                how_many(c, "[data-testid^=dash-k-outstanding-]").await?,
                0,
                "nobody is outstanding"
            );
            reads(
                c,
                "[data-testid=dash-k-families]",
                &id_int(recap.total.families),
            )
            .await?;
            reads(
                c,
                "[data-testid=dash-k-packages]",
                &id_int(recap.total.packages),
            )
            .await?;
            reads(
                c,
                "[data-testid=dash-k-value]",
                &bansos::locale::rupiah(recap.total.issued_value),
            )
            .await?;
            for row in &recap.facilities {
                reads(
                    c,
                    &format!("[data-testid=dash-k-row-{}-packages]", row.code),
                    &id_int(row.packages),
                )
                .await?;
            }
            reads(c, "[data-testid=dash-k-pairs-count]", &id_int(pairs as i64)).await?;
            screenshot(c, "beranda-kanwil.png").await?;
            scroll_to(c, "[data-testid=dash-k-chart-facilities]").await?;
            charts_drawn(c, 1).await?;
            scroll_to(c, "[data-testid=dash-k-complete-open]").await?;
            click(c, "[data-testid=dash-k-complete-open]").await?;
            reads(c, "[data-testid=screen-title]", "Kelengkapan").await?;
            click(c, "[data-testid=nav-beranda]").await?;
            click(c, "[data-testid=dash-k-pairs-open]").await?;
            reads(c, "[data-testid=screen-title]", "Duplikat antar-UPT").await?;
            Ok(())
        },
    )
    .await;
    eprintln!(
        "window: Beranda checked in {} ms",
        started.elapsed().as_millis()
    );
}

// ---- Progress of long work ------------------------------------------------------------------

/// The families of the generated sheet.
const SHEET_ROWS: u32 = 1_500;

/// A new facility (Rutan Blora) with its admin and a petugas, through the same core the window
/// uses, and nobody in the registry yet.
fn prepare_registrar(db: &Path) -> bansos::Result<()> {
    use bansos::facility::{FacilityKind, FacilityProfile, FacilitySetup, DEFAULT_RECEIPT_PATTERN};
    use bansos::locale::TimeZone;
    use bansos::staff::{NewStaff, Role};
    let staff = |username: &str, full_name: &str, role: Role| NewStaff {
        username: username.into(),
        full_name: full_name.into(),
        nip: String::new(),
        position: "Rutan Kelas IIB Blora".into(),
        role,
        password: DEMO_PASSWORD.into(),
    };
    let mut admin = bansos::App::init(
        db,
        std::sync::Arc::new(bansos::clock::SystemClock),
        &FacilitySetup {
            profile: FacilityProfile {
                name: "Rutan Kelas IIB Blora".into(),
                kind: FacilityKind::Rutan,
                class: "IIB".into(),
                code: "RUTAN-BLORA".into(),
                province: "Jawa Tengah".into(),
                kanwil: "Kanwil Ditjenpas Jawa Tengah".into(),
                address: "Jl. Pemuda No. 1, Blora".into(),
                time_zone: TimeZone::Wib,
                head_name: "Budi Hardiono".into(),
                head_nip: "197001012000031001".into(),
            },
            receipt_pattern: DEFAULT_RECEIPT_PATTERN.into(),
            logo_base64: None,
            regional_keys: Vec::new(),
        },
        &staff("admin", "Siti Rahmawati", Role::Admin),
    )?;
    admin.add_staff(&staff("petugas", "Budi Santoso", Role::Petugas))?;
    admin.sign_out()
}

/// A BNBA sheet (`NIK;NAMA;ALAMAT`) of `rows` (at most 1,600) valid families: a name of letters
/// only, each its own, and a NIK each its own (Blora's district, a birth date in 1980, a sequence
/// number of its own). Two people born the same day are 336 rows apart and have names unlike each
/// other, so the sheet holds few possible duplicates. Answers each family's (NIK, name).
fn write_sheet(path: &Path, rows: u32) -> std::io::Result<Vec<(String, String)>> {
    const FIRST: [&str; 40] = [
        "Agus", "Budi", "Dewi", "Eko", "Fitri", "Gunawan", "Hadi", "Indah", "Joko", "Kartini",
        "Lestari", "Mulyono", "Nur", "Purwanti", "Rahmat", "Sari", "Teguh", "Utami", "Wahyu",
        "Yuli", "Ahmad", "Bambang", "Dwi", "Endang", "Fajar", "Heru", "Iwan", "Jumadi", "Kusnadi",
        "Lina", "Marni", "Nanik", "Puji", "Rini", "Slamet", "Tri", "Umi", "Wati", "Yanto",
        "Zainal",
    ];
    const LAST: [&str; 40] = [
        "Santoso",
        "Wibowo",
        "Permata",
        "Susanto",
        "Hartono",
        "Purnomo",
        "Rahayu",
        "Setiawan",
        "Prasetyo",
        "Kurniawan",
        "Wijaya",
        "Saputra",
        "Hidayat",
        "Nugroho",
        "Suryani",
        "Handayani",
        "Sulistyo",
        "Wulandari",
        "Pratama",
        "Utomo",
        "Mulyadi",
        "Sutrisno",
        "Haryanto",
        "Kusuma",
        "Permana",
        "Anggraini",
        "Setiyono",
        "Subagyo",
        "Sugiarto",
        "Wahyudi",
        "Riyanto",
        "Maryati",
        "Sumarni",
        "Suharto",
        "Darmawan",
        "Firmansyah",
        "Gunadi",
        "Iskandar",
        "Jayadi",
        "Listyorini",
    ];
    assert!(rows as usize <= FIRST.len() * LAST.len(), "one name each");
    let families: Vec<(String, String)> = (0..rows as usize)
        .map(|i| {
            let nik = format!(
                "331601{:02}{:02}80{:04}",
                1 + i % 28,
                1 + (i / 28) % 12,
                i + 1
            );
            let name = format!("{} {}", FIRST[i % 40], LAST[(i / 40) % 40]);
            (nik, name)
        })
        .collect();
    let mut csv = String::from("NIK;NAMA;ALAMAT\n");
    for (i, (nik, name)) in families.iter().enumerate() {
        csv.push_str(&format!("{nik};{name};Dukuh Krajan No. {}\n", i + 1));
    }
    std::fs::write(path, csv)?;
    Ok(families)
}

/// What the import's bar shows at one look: `value` of `max` (None while it waits for the first
/// count), its words, and whether the result (step 3) is on screen.
#[derive(Debug)]
struct BarReading {
    value: Option<f64>,
    max: Option<f64>,
    text: Option<String>,
    finished: bool,
}

async fn read_bar(c: &Client, bar: &str, finished: &str) -> Res<BarReading> {
    let v = c
        .execute(
            "const w = document.querySelector(arguments[0]); \
             const p = w && w.querySelector('progress'); \
             const t = w && w.querySelector(arguments[0].replace(']', '-text]')); \
             return { counted: !!p && p.position !== -1, value: p ? p.value : null, \
                      max: p ? p.max : null, text: t ? t.textContent.trim() : null, \
                      finished: document.querySelector(arguments[1]) !== null };",
            vec![bar.into(), finished.into()],
        )
        .await?;
    let counted = v["counted"].as_bool() == Some(true);
    Ok(BarReading {
        value: v["value"].as_f64().filter(|_| counted),
        max: v["max"].as_f64().filter(|_| counted),
        text: v["text"].as_str().map(str::to_owned),
        finished: v["finished"].as_bool() == Some(true),
    })
}

/// A petugas imports a generated sheet of 1,500 families through Keluarga's import, and watches
/// the bar while the rows are written: its end is the sheet's count of valid rows, it never goes
/// back, it was seen below that count (it moved, not jumped), and it ends full, saying so in
/// words ("1.500 dari 1.500 baris diimpor", "1,500 of 1,500 rows imported") beside the result.
/// The registry then holds those families, each under its NIK and name.
#[tokio::test(flavor = "multi_thread")]
async fn a_sheet_of_families_is_imported_under_a_bar_counting_its_rows() {
    let _window = ONE_WINDOW.lock().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("bansos.db");
    prepare_registrar(&db).expect("a facility with a petugas");
    let sheet = dir.path().join("bnba-1500.csv");
    let families = write_sheet(&sheet, SHEET_ROWS).expect("the sheet is written");
    let saves = tempfile::tempdir().expect("temp dir for saved files");

    in_window(&db, saves.path(), None, "impor-progres", |c| async move {
        let c = &c;
        sign_in_first(c, "petugas", "Budi Santoso").await?;
        click(c, "[data-testid=nav-keluarga]").await?;
        text_until(c, "[data-testid=screen-title]", |t| t == "Keluarga").await?;
        click(c, "[data-testid=family-import]").await?;
        let input = find(c, "#import-file").await?;
        let path = sheet.display().to_string();
        bounded("choose the sheet", async {
            Ok(input.send_keys(&path).await?)
        })
        .await?;
        text_until(c, "[data-testid=import-count-ok]", |t| t == "1.500").await?;
        text_until(c, "[data-testid=import-count-errors]", |t| t == "0").await?;
        text_until(c, "[data-testid=import-count-empty]", |t| t == "0").await?;

        // Click, then look at the bar as often as WebDriver answers until the result shows.
        let bar = "[data-testid=import-progress]";
        let started = Instant::now();
        click(c, "[data-testid=import-commit]").await?;
        let mut readings = Vec::new();
        let mut photo = None;
        let last = loop {
            let r = bounded_quiet(read_bar(c, bar, "[data-testid=import-summary]")).await?;
            let rows = f64::from(SHEET_ROWS);
            let midway = r.value.is_some_and(|v| v >= rows / 3.0 && v < rows);
            if midway && photo.is_none() {
                // The bar on its way, photographed while the rows are still being written.
                photo = Some(photograph("impor-progres-jalan.png")?);
            }
            let finished = r.finished;
            readings.push((started.elapsed(), r));
            if finished {
                break readings.last().map(|(_, r)| r);
            }
            if started.elapsed() > Duration::from_secs(120) {
                return Err("the import did not finish within 120 s".into());
            }
        };
        let took = started.elapsed();
        let last = last.ok_or("no reading")?;
        let counted: Vec<(Duration, f64, f64)> = readings
            .iter()
            .filter_map(|(at, r)| Some((*at, r.value?, r.max?)))
            .collect();
        let first_count = counted.first().map(|(at, ..)| at.as_millis());
        let mut seen: Vec<f64> = counted.iter().map(|(_, v, _)| *v).collect();
        seen.dedup();
        let midway = seen
            .iter()
            .filter(|v| **v > 0.0 && **v < f64::from(SHEET_ROWS))
            .count();
        eprintln!(
            "window: import of {SHEET_ROWS} rows answered in {} ms; {} looks at the bar, {} with a count (the first at {:?} ms); counts seen: {seen:?}",
            took.as_millis(),
            readings.len(),
            counted.len(),
            first_count,
        );
        assert!(!counted.is_empty(), "the bar showed a count: {readings:?}");
        assert!(
            counted.iter().all(|(_, _, max)| *max == f64::from(SHEET_ROWS)),
            "the bar's end is the sheet's valid rows: {counted:?}"
        );
        assert!(
            counted.windows(2).all(|w| w[0].1 <= w[1].1),
            "the bar never goes back: {counted:?}"
        );
        assert!(
            midway > 0,
            "the bar was seen between 0 and the count, moving: {counted:?}"
        );
        assert_eq!(
            (last.value, last.max),
            (Some(f64::from(SHEET_ROWS)), Some(f64::from(SHEET_ROWS))),
            "the bar ends full beside the result: {last:?}"
        );
        assert_eq!(
            last.text.as_deref(),
            Some("1.500 dari 1.500 baris diimpor"),
            "{last:?}"
        );
        if let Some(photo) = photo {
            let status = photo.await?;
            if !status.success() {
                return Err("import could not photograph the bar half-way".into());
            }
        }
        text_until(c, "[data-testid=import-imported]", |t| t == "1.500").await?;
        text_until(c, "[data-testid=import-codes]", |t| {
            t == "KLG-000001 s.d. KLG-001500"
        })
        .await?;
        screenshot(c, "impor-progres.png").await?;

        // The same count in English, which writes its thousands with a comma.
        click(c, "[data-testid=lang-en]").await?;
        text_until(c, "[data-testid=import-progress-text]", |t| {
            t == "1,500 of 1,500 rows imported"
        })
        .await?;
        click(c, "[data-testid=lang-id]").await?;
        text_until(c, "[data-testid=import-progress-text]", |t| {
            t == "1.500 dari 1.500 baris diimpor"
        })
        .await?;

        // The next action takes the bar away: back to the list, which counts the families.
        click(c, "[data-testid=import-to-list]").await?;
        text_until(c, "[data-testid=screen-title]", |t| t == "Keluarga").await?;
        gone(c, bar).await?;
        Ok(())
    })
    .await;

    // The registry holds every family of the sheet, each found by its whole NIK under its name.
    let mut p = open_as(&db, "petugas").expect("the facility opens");
    let all = p
        .family_list(&bansos::family::FamilyFilter::default(), 10, 0)
        .expect("the family list");
    assert_eq!(all.total, i64::from(SHEET_ROWS));
    for (nik, name) in families.iter().step_by(149) {
        let found = p
            .family_list(
                &bansos::family::FamilyFilter {
                    query: nik.clone(),
                    ..Default::default()
                },
                10,
                0,
            )
            .expect("a search by NIK");
        assert_eq!(found.total, 1, "{nik}");
        assert_eq!(&found.rows[0].head_name, name, "{nik}");
    }
    p.sign_out().expect("sign out");
}

/// A WebDriver round trip bounded like the others, without a log line for each of many looks.
async fn bounded_quiet<T>(f: impl std::future::Future<Output = Res<T>>) -> Res<T> {
    tokio::time::timeout(Duration::from_secs(30), f)
        .await
        .map_err(|_| "no answer within 30 s")?
}

/// Starts photographing the X screen into `name` (beside `screenshot`'s) without waiting for it:
/// the window goes on working meanwhile. Await the answer for the photo's outcome.
fn photograph(
    name: &str,
) -> Res<impl std::future::Future<Output = std::io::Result<std::process::ExitStatus>>> {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("window");
    std::fs::create_dir_all(&dir)?;
    let mut child = tokio::process::Command::new("import")
        .args(["-window", "root"])
        .arg(dir.join(name))
        .spawn()?;
    Ok(async move { child.wait().await })
}

/// A demo facility of fourteen months, the last reopened, and 35 more events than it had (made
/// and cancelled today): what the core lists, and how the two long lists show it.
struct LongLists {
    db: PathBuf,
    /// The months as the core lists them (oldest first).
    months: Vec<bansos::month::MonthLine>,
    /// The events' ids as the core lists them (newest first).
    events: Vec<i64>,
}

/// A monthly routine event of the demo's package on `date` at `place`, the Kepala Rutan its official.
fn routine_event(template: i64, date: String, place: &str) -> bansos::distribution::EventInput {
    use bansos::distribution::{EventInput, EventKind, Official};
    EventInput {
        date,
        place: place.into(),
        kind: EventKind::RutinBulanan,
        source: None,
        template_id: template,
        officials: vec![Official {
            name: "Budi Hardiono".into(),
            position: "Kepala Rutan".into(),
        }],
        note: String::new(),
    }
}

fn prepare_long_lists(dir: &Path) -> bansos::Result<LongLists> {
    use bansos::locale::TimeZone;
    use bansos::month::Month;
    let today = TimeZone::Wib.today(chrono::Utc::now());
    let last = Month::of(today).prev();
    let db = dir.join("bansos.db");
    bansos::demo::make(
        &db,
        &bansos::demo::Options {
            families: 12,
            months: 14,
            seed: 11,
            until: last,
            facility: 0,
        },
        |_| {},
    )?;
    let mut k = open_as(&db, "kepala")?;
    k.reopen_month(&last.key(), "BAST terlewat dicatat")?;
    let months = k.months()?;
    k.sign_out()?;
    let mut p = open_as(&db, "petugas")?;
    let template = p.templates(false)?[0].id;
    for i in 0..35 {
        let e = p.create_event(&routine_event(
            template,
            today.to_string(),
            &format!("Blok {}", i + 1),
        ))?;
        p.cancel_event(e.id, "jadwal digabung")?;
    }
    let events = p.events()?.iter().map(|e| e.id).collect();
    p.sign_out()?;
    Ok(LongLists { db, months, events })
}

/// The `data-testid`s of what matches `css`, in page order, without their `prefix`.
async fn ids_of(c: &Client, css: &str, prefix: &str) -> Res<Vec<String>> {
    let v = in_page(
        c,
        &format!("the ids of {css}"),
        "return [...document.querySelectorAll(arguments[0])].map(e => e.dataset.testid);",
        vec![css.into()],
    )
    .await?;
    let ids: Vec<String> = serde_json::from_value(v)?;
    Ok(ids
        .into_iter()
        .map(|s| s.strip_prefix(prefix).unwrap_or(&s).to_owned())
        .collect())
}

/// Ten years of months and events made lists too long to draw within SPEC's 100 ms: Tutup Buku
/// lists one year at a time, from a row of years (newest first, each with how many of its months
/// are not closed), starting on the year of the month waiting to be closed; Penyaluran lists
/// the newest 30 events and the older ones on request.
#[tokio::test(flavor = "multi_thread")]
async fn long_lists_show_one_year_of_months_and_the_newest_events_first() {
    use bansos::month::MonthState;
    let _window = ONE_WINDOW.lock().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let l = prepare_long_lists(dir.path()).expect("the demo facility is made");
    let saves = tempfile::tempdir().expect("temp dir for saved files");
    let year_of = |p: &str| p[..4].to_owned();
    let mut years: Vec<(String, usize)> = Vec::new();
    for m in l.months.iter().rev() {
        let y = year_of(&m.period);
        if years.last().map(|(last, _)| last) != Some(&y) {
            years.push((y, 0));
        }
        if matches!(m.state, MonthState::Open | MonthState::Reopened) {
            if let Some(last) = years.last_mut() {
                last.1 += 1;
            }
        }
    }
    assert!(
        years.len() >= 2,
        "fourteen months span two years: {years:?}"
    );
    let waiting = l
        .months
        .iter()
        .find(|m| m.can_close)
        .map(|m| m.period.clone())
        .expect("the reopened month waits to be closed");
    let waiting_words = bansos::month::Month::parse(&waiting)
        .map(|m| m.words(bansos::locale::Lang::Id))
        .unwrap_or_default();
    let months_of = |y: &str| -> Vec<String> {
        l.months
            .iter()
            .rev()
            .filter(|m| m.period.starts_with(y))
            .map(|m| m.period.clone())
            .collect()
    };
    let events = l.events.clone();

    in_window(&l.db, saves.path(), None, "long-lists", |c| async move {
        let c = &c;
        sign_in_first(c, "kepala", "Budi Hardiono").await?;
        click(c, "[data-testid=nav-tutup_buku]").await?;
        find(c, "[data-testid^=month-row-]").await?;
        let shown: Vec<String> = ids_of(c, "[data-testid^=month-year-]", "month-year-").await?;
        let want: Vec<String> = years.iter().map(|(y, _)| y.clone()).collect();
        assert_eq!(shown, want, "the years, newest first");
        for (y, open) in &years {
            let badge = in_page(
                c,
                "a year's months not closed",
                "const b = document.querySelector(arguments[0]); \
                 return [b.querySelector('.year-open')?.textContent ?? '', b.getAttribute('aria-pressed')];",
                vec![format!("[data-testid=month-year-{y}]").into()],
            )
            .await?;
            let want_badge = if *open > 0 { open.to_string() } else { String::new() };
            let pressed = if *y == year_of(&waiting) { "true" } else { "false" };
            assert_eq!(badge, serde_json::json!([want_badge, pressed]), "year {y}");
        }
        // The waiting month's year, its months only, newest first; the month itself is chosen.
        let rows = ids_of(c, "tr[data-testid^=month-row-]", "month-row-").await?;
        assert_eq!(rows, months_of(&year_of(&waiting)));
        reads(c, "[data-testid=month-detail-title]", &waiting_words).await?;
        reads(c, &format!("[data-testid=month-state-{waiting}]"), "Dibuka kembali").await?;
        screenshot(c, "tutup-buku-tahun.png").await?;
        // Another year lists its own months.
        let other = years
            .iter()
            .map(|(y, _)| y.clone())
            .find(|y| *y != year_of(&waiting))
            .unwrap_or_default();
        click(c, &format!("[data-testid=month-year-{other}]")).await?;
        let rows = ids_of(c, "tr[data-testid^=month-row-]", "month-row-").await?;
        assert_eq!(rows, months_of(&other));

        // Penyaluran: the newest 30 in the core's order, then the rest on request.
        click(c, "[data-testid=nav-penyaluran]").await?;
        find(c, "tr[data-testid^=event-row-]").await?;
        let rows = ids_of(c, "tr[data-testid^=event-row-]", "event-row-").await?;
        let want: Vec<String> = events.iter().map(|id| id.to_string()).collect();
        assert!(want.len() > 30, "{} events", want.len());
        assert_eq!(rows, want[..30].to_vec());
        let more = (want.len() - 30).min(30);
        reads(
            c,
            "[data-testid=event-more]",
            &format!("Tampilkan {more} kegiatan lebih lama (dari {})", want.len()),
        )
        .await?;
        while how_many(c, "[data-testid=event-more]").await? > 0 {
            click(c, "[data-testid=event-more]").await?;
        }
        let rows = ids_of(c, "tr[data-testid^=event-row-]", "event-row-").await?;
        assert_eq!(rows, want, "every event once the older are asked for");
        Ok(())
    })
    .await;
}

/// Rutan Blora restored from a backup taken before its last month was closed, sent (bundle 3)
/// and received by the Kanwil; the Kanwil's head answer imported and the month closed again.
/// Answers that month in words.
fn prepare_restored(
    blora: &Path,
    pati: &Path,
    kanwil: &Path,
    backups: &Path,
) -> bansos::Result<String> {
    use bansos::locale::TimeZone;
    use bansos::month::Month;
    prepare_province(blora, pati, kanwil)?;
    let last = Month::of(TimeZone::Wib.today(chrono::Utc::now())).prev();
    let backup = open_as(blora, "admin")?.backup_to(backups)?;
    let mut k = open_as(blora, "kepala")?;
    k.close_month(&last.key())?;
    let mut files = Vec::new();
    for seq in 1..=3 {
        let (_, name, bytes) = k.bundle_file(Some(seq), None)?;
        files.push((name, bytes));
    }
    k.sign_out()?;
    let mut kw = open_as(kanwil, "kepala")?;
    let verdicts = kw.import_bundles(files)?;
    assert!(
        verdicts
            .iter()
            .all(|v| v.verdict == "accepted" || v.verdict == "nihil"),
        "{verdicts:?}"
    );
    let (_, head) = kw.head_answer("RUTAN-BLORA")?;
    kw.sign_out()?;
    bansos::App::restore(
        blora,
        Path::new(&backup.path),
        std::sync::Arc::new(bansos::clock::SystemClock),
        &bansos::Credentials::new("admin", DEMO_PASSWORD),
    )?;
    let mut k = open_as(blora, "kepala")?;
    k.import_answer(&head)?;
    k.close_month(&last.key())?;
    k.sign_out()?;
    Ok(last.words(bansos::locale::Lang::Id))
}

/// The restored PC's Kirim ke Kanwil: the month closed again has no bundle, and the screen says
/// which bundle the Kanwil has and how to send this PC's figures (reopen, close again until
/// revision 2); the outbox lists bundles 1 and 2 only.
#[tokio::test(flavor = "multi_thread")]
async fn a_restored_facility_is_told_what_its_kanwil_already_has() {
    let _window = ONE_WINDOW.lock().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let blora = dir.path().join("blora").join("bansos.db");
    let pati = dir.path().join("pati").join("bansos.db");
    let kanwil = dir.path().join("kanwil").join("bansos.db");
    let month = prepare_restored(&blora, &pati, &kanwil, &dir.path().join("backups"))
        .expect("the restored facility is prepared");
    let saves = tempfile::tempdir().expect("temp dir for saves");
    in_window(&blora, saves.path(), None, "pulih", |c| async move {
        let c = &c;
        sign_in_first(c, "kepala", "Budi Hardiono").await?;
        click(c, "[data-testid=nav-kirim_kanwil]").await?;
        text_until(c, "[data-testid=screen-title]", |t| t == "Kirim ke Kanwil").await?;
        let told = text_until(c, "[data-testid=outbox-held-at-head]", |t| !t.is_empty()).await?;
        assert!(
            told.contains(&format!(
                "Laporan terakhir yang sampai di Kanwil adalah {month} (bundel #3)"
            )) && told.contains("hingga revisi 2"),
            "{told:?}"
        );
        text_until(c, "[data-testid=outbox-state-2]", |t| !t.is_empty()).await?;
        assert_eq!(
            how_many(c, "[data-testid=outbox-state-3]").await?,
            0,
            "no bundle 3 made again"
        );
        screenshot(c, "kirim-ke-kanwil-pulih.png").await?;
        Ok(())
    })
    .await;
}
