//! `bansos demo`: a realistic facility made through the program's own use cases, as its staff
//! would have made it month by month — families registered and verified, stock received by
//! funding source into lots with expiries, a monthly event, hand-overs (some through a proxy),
//! a few voids and adjustments, every month closed by the Kepala UPT. The clock is simulated, so
//! the records, their times and the months' reports are the same for the same seed; only the
//! keys (drawn at setup) differ from run to run.

use crate::bench::{Gen, DISTRICTS, FIRST, LAST};
use crate::clock::FixedClock;
use crate::distribution::{EventInput, EventKind, Official, TemplateInput, TemplateLineInput};
use crate::error::{Error, Result};
use crate::facility::{FacilityKind, FacilityProfile, FacilitySetup, DEFAULT_RECEIPT_PATTERN};
use crate::family::model::{Category, FamilyInput, MemberInput, PoorReason, Relationship};
use crate::locale::{Lang, TimeZone};
use crate::month::Month;
use crate::staff::{NewStaff, Role};
use crate::stock::{
    AdjustmentInput, AdjustmentReason, FundingSource, ReceiptInput, ReceiptLineInput,
};
use crate::{App, Credentials};
use chrono::{NaiveDate, TimeZone as _, Utc};
use std::path::Path;
use std::sync::Arc;

/// What to make.
#[derive(Clone, Copy)]
pub struct Options {
    pub families: usize,
    /// Months of history, ending with `until`.
    pub months: u32,
    pub seed: u64,
    /// The last month made and closed.
    pub until: Month,
    /// Which facility of the province (0: Rutan Blora, the default demo); each has its own
    /// code, name and people, except one family registered at every facility (it moved).
    pub facility: usize,
}

/// Facilities of the demo province, after which `UPT-nn` codes are used.
const FACILITIES: [(&str, &str, FacilityKind, &str); 10] = [
    (
        "RUTAN-BLORA",
        "Rutan Kelas IIB Blora",
        FacilityKind::Rutan,
        "IIB",
    ),
    (
        "LAPAS-PATI",
        "Lapas Kelas IIB Pati",
        FacilityKind::Lapas,
        "IIB",
    ),
    (
        "RUTAN-KUDUS",
        "Rutan Kelas IIB Kudus",
        FacilityKind::Rutan,
        "IIB",
    ),
    (
        "LAPAS-KENDAL",
        "Lapas Kelas IIA Kendal",
        FacilityKind::Lapas,
        "IIA",
    ),
    (
        "RUTAN-PURWODADI",
        "Rutan Kelas IIB Purwodadi",
        FacilityKind::Rutan,
        "IIB",
    ),
    (
        "LAPAS-SEMARANG",
        "Lapas Kelas I Semarang",
        FacilityKind::Lapas,
        "I",
    ),
    (
        "RUTAN-SALATIGA",
        "Rutan Kelas IIB Salatiga",
        FacilityKind::Rutan,
        "IIB",
    ),
    (
        "LAPAS-MAGELANG",
        "Lapas Kelas IIA Magelang",
        FacilityKind::Lapas,
        "IIA",
    ),
    (
        "LPKA-KUTOARJO",
        "LPKA Kelas I Kutoarjo",
        FacilityKind::Lpka,
        "I",
    ),
    (
        "RUTAN-PATI",
        "Rutan Kelas IIB Pati",
        FacilityKind::Rutan,
        "IIB",
    ),
];

/// What was made, and how to sign in.
#[derive(Debug, serde::Serialize)]
pub struct Made {
    pub families: usize,
    pub handovers: usize,
    pub voids: usize,
    pub months_closed: Vec<String>,
    /// (user name, role, password).
    pub users: Vec<(String, Role, String)>,
}

/// The fewest and most families a demo makes (every family is registered through the form's
/// rules, one at a time, so a ten-year registry is the bench's job). 12,000 families make a
/// large facility's month: a bundle of about 10 MB, which the inbox's load run uses.
pub const FAMILIES: std::ops::RangeInclusive<usize> = 10..=12_000;
/// At most this many months of history.
pub const MONTHS: std::ops::RangeInclusive<u32> = 1..=60;

/// Every demo user's password.
pub const PASSWORD: &str = "demo-bansos-2024";
const USERS: [(&str, &str, &str, Role); 4] = [
    ("admin", "Agus Salim", "Pengelola Sistem", Role::Admin),
    (
        "petugas",
        "Budi Santoso",
        "Staf Pelayanan Tahanan",
        Role::Petugas,
    ),
    (
        "verifikator",
        "Siti Rahmawati",
        "Kasubsi Pelayanan Tahanan",
        Role::Verifikator,
    ),
    ("kepala", "Budi Hardiono", "Kepala Rutan", Role::KepalaUpt),
];

fn profile(n: usize) -> FacilityProfile {
    let (code, name, kind, class) = FACILITIES.get(n).map_or_else(
        || {
            (
                format!("UPT-JATENG-{n:02}"),
                format!("Rutan Kelas IIB Jawa Tengah {n}"),
                FacilityKind::Rutan,
                "IIB",
            )
        },
        |(c, nm, k, cl)| ((*c).to_owned(), (*nm).to_owned(), *k, *cl),
    );
    FacilityProfile {
        name,
        kind,
        class: class.into(),
        code,
        province: "Jawa Tengah".into(),
        kanwil: "Kanwil Ditjenpas Jawa Tengah".into(),
        address: "Jl. Pemuda No. 1, Blora".into(),
        time_zone: TimeZone::Wib,
        head_name: "Budi Hardiono".into(),
        head_nip: "197001012000031001".into(),
    }
}

/// Day `d` of month `m` at `hour`.00 WIB, on the simulated clock; never after today began (the
/// last month is closed on the 2nd of this one, which may not have come yet).
fn at(clock: &FixedClock, m: Month, d: u32, hour: u32) {
    let wib = |day: NaiveDate, hour: u32| {
        Utc.from_utc_datetime(
            &(day.and_hms_opt(hour, 0, 0).unwrap_or_default() - chrono::Duration::hours(7)),
        )
    };
    let day = m.first() + chrono::Duration::days(i64::from(d) - 1);
    let today = TimeZone::Wib.today(Utc::now());
    clock.set(wib(day, hour).min(wib(today, 0)));
}

fn sign_in(db: &Path, clock: &Arc<FixedClock>, user: &str) -> Result<App> {
    App::open(db, clock.clone(), &Credentials::new(user, PASSWORD))
}

/// A NIK of Kabupaten Blora: district, birth date (day + 40 for women), a sequence unique in
/// the demo.
fn nik(district: &str, born: chrono::NaiveDate, female: bool, seq: usize) -> String {
    use chrono::Datelike;
    let day = born.day() + if female { 40 } else { 0 };
    format!(
        "{district}{day:02}{:02}{:02}{:04}",
        born.month(),
        born.year() % 100,
        1 + seq % 9999
    )
}

/// A NIK no one in this registry has yet: the first free serial from `seq` on. Below 9,999
/// people every serial is new, so a small demo's NIKs are the plain sequence; a large one (a
/// demo of 12,000 families has some 30,000 people) would otherwise repeat one.
fn fresh_nik(
    taken: &mut std::collections::HashSet<String>,
    district: &str,
    born: chrono::NaiveDate,
    female: bool,
    seq: usize,
) -> String {
    let mut s = seq;
    loop {
        let n = nik(district, born, female, s);
        if taken.insert(n.clone()) {
            return n;
        }
        s += 1;
    }
}

fn born(g: &mut Gen, from_year: i32, years: u64) -> chrono::NaiveDate {
    let y = from_year + (g.next() % years) as i32;
    let m = 1 + (g.next() % 12) as u32;
    let d = 1 + (g.next() % 28) as u32;
    chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

fn name(g: &mut Gen) -> String {
    format!("{} {}", g.pick(FIRST), g.pick(LAST))
}

/// How far the demo has come, for a progress bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Progress {
    /// Families registered and verified so far, of `total`.
    Families { done: usize, total: usize },
    /// A month's events, hand-overs and closing done (`period`), `done` of `total` months.
    Month {
        period: String,
        done: usize,
        total: usize,
    },
    /// A province's facility made, enrolled and (unless left unsent) its bundles received.
    Facility {
        code: String,
        done: usize,
        total: usize,
    },
}

/// Makes the demo facility in a new database at `db` (which must not exist yet).
/// A demo's size, checked before anything is made (a province's Kanwil too).
fn check_options(o: &Options) -> Result<()> {
    if !FAMILIES.contains(&o.families) || !MONTHS.contains(&o.months) {
        return Err(Error::invalid(
            "families",
            format!(
                "Demo: keluarga {}–{} dan bulan {}–{}.",
                FAMILIES.start(),
                crate::limits::count(*FAMILIES.end() as u64),
                MONTHS.start(),
                MONTHS.end()
            ),
            format!(
                "Demo: {}–{} families and {}–{} months.",
                FAMILIES.start(),
                crate::limits::count_en(*FAMILIES.end() as u64),
                MONTHS.start(),
                MONTHS.end()
            ),
        ));
    }
    Ok(())
}

pub fn make(db: &Path, o: &Options, mut progress: impl FnMut(&Progress)) -> Result<Made> {
    check_options(o)?;
    if db.exists() {
        return Err(Error::new(
            crate::ErrorKind::Conflict,
            format!(
                "{} sudah ada: demo dibuat di basis data baru saja.",
                db.display()
            ),
            format!(
                "{} already exists: a demo is made in a new database only.",
                db.display()
            ),
        ));
    }
    // Each facility its own people; facility 0 keeps the seed as given.
    let mut g = Gen(o.seed.wrapping_add(o.facility as u64 * 7_919));
    let mut first = o.until;
    for _ in 1..o.months {
        first = first.prev();
    }
    let clock = Arc::new(FixedClock::new(Utc::now()));
    at(&clock, first, 1, 8);
    let staff = |(u, n, p, r): (&str, &str, &str, Role)| NewStaff {
        username: u.into(),
        full_name: n.into(),
        nip: String::new(),
        position: p.into(),
        role: r,
        password: PASSWORD.into(),
    };
    let mut admin = App::init(
        db,
        clock.clone(),
        &FacilitySetup {
            profile: profile(o.facility),
            receipt_pattern: DEFAULT_RECEIPT_PATTERN.into(),
            logo_base64: None,
            regional_keys: Vec::new(),
        },
        &staff(USERS[0]),
    )?;
    for u in &USERS[1..] {
        admin.add_staff(&staff(*u))?;
    }
    drop(admin);

    // The registry, on the first day: every family registered by the petugas, verified.
    let mut p = sign_in(db, &clock, "petugas")?;
    let mut v = sign_in(db, &clock, "verifikator")?;
    let consent = first.first().to_string();
    let mut families = Vec::new();
    let mut seq = 0usize;
    let mut taken = std::collections::HashSet::new();
    for i in 0..o.families {
        let district = DISTRICTS[(g.next() % DISTRICTS.len() as u64) as usize];
        let wbp = g.next() % 10 < 7;
        let head_female = g.next().is_multiple_of(2);
        let head_born = born(&mut g, 1960, 35);
        seq += 1;
        // The first family is the same household at every facility of the province (it moved
        // between them), so the Kanwil has a person served twice to find.
        let shared = i == 0;
        let head = MemberInput {
            id: None,
            name: if shared {
                "Slamet Riyadi".into()
            } else {
                name(&mut g)
            },
            nik: if shared {
                fresh_nik(
                    &mut taken,
                    DISTRICTS[0],
                    chrono::NaiveDate::from_ymd_opt(1971, 5, 17).unwrap_or_default(),
                    false,
                    9_998,
                )
            } else {
                fresh_nik(&mut taken, district, head_born, head_female, seq)
            },
            nik_temporary: false,
            sex: None,
            birth_date: None,
            relationship: Relationship::KepalaKeluarga,
        };
        let mut f = FamilyInput::blank(if wbp {
            Category::KeluargaWbp
        } else {
            Category::MasyarakatSekitar
        });
        // A KK number: district, the day it was issued (DDMMYY), a sequence.
        f.kk = format!(
            "{district}{:02}{:02}{:02}{:04}",
            1 + i % 28,
            1 + (i / 28) % 12,
            10 + (i / 336) % 14,
            1 + (i + o.facility * 2_000) % 9999
        );
        f.address = format!("Dusun {} RT {:02}", g.pick(LAST), 1 + g.next() % 9);
        f.region_code = format!("{}.{}.{}", &district[..2], &district[2..4], &district[4..]);
        f.consent_date = Some(consent.clone());
        f.reasons = if wbp {
            vec![PoorReason::PencariNafkahDitahan]
        } else {
            vec![PoorReason::PenghasilanTidakTetap]
        };
        if wbp {
            f.wbp_name = name(&mut g);
            f.wbp_reg_no = format!("BI.{}/{}", 100 + i, 2020 + (g.next() % 5));
            f.wbp_status = Some(crate::family::model::WbpStatus::Ditahan);
            f.wbp_relation = if head_female { "istri" } else { "ayah" }.into();
        }
        f.members = vec![head];
        for _ in 0..(g.next() % 4) {
            seq += 1;
            let female = g.next().is_multiple_of(2);
            f.members.push(MemberInput {
                id: None,
                name: name(&mut g),
                nik: fresh_nik(&mut taken, district, born(&mut g, 2004, 18), female, seq),
                nik_temporary: false,
                sex: None,
                birth_date: None,
                relationship: Relationship::Anak,
            });
        }
        let id = p.family_add(&f)?.id;
        v.family_verify(id, "KTP, KK dan SKTM diperiksa")?;
        families.push(id);
        if i % 20 == 19 || i + 1 == o.families {
            progress(&Progress::Families {
                done: i + 1,
                total: o.families,
            });
        }
    }
    let template = p.create_template(
        &TemplateInput {
            name: "Paket sembako bulanan".into(),
            per_person: false,
            cap_members: None,
            lines: [(1, "5"), (2, "1"), (3, "1")]
                .iter()
                .map(|(item, q)| TemplateLineInput {
                    item_id: *item,
                    quantity: (*q).into(),
                })
                .collect(),
        },
        Lang::Id,
    )?;
    drop((p, v));

    let donors = [
        "PT Bank Jateng",
        "PT Semen Gresik",
        "Baznas Kabupaten Blora",
    ];
    let mut made = Made {
        families: families.len(),
        handovers: 0,
        voids: 0,
        months_closed: Vec::new(),
        users: USERS
            .iter()
            .map(|(u, _, _, r)| ((*u).to_owned(), *r, PASSWORD.to_owned()))
            .collect(),
    };
    let mut m = first;
    let mut k_month = 0u32;
    loop {
        // Stock on the 2nd, from the month's funding source (and some of the rice from the
        // facility's own farm every third month).
        at(&clock, m, 2, 9);
        let mut p = sign_in(db, &clock, "petugas")?;
        let planned: Vec<i64> = families
            .iter()
            .copied()
            .filter(|_| g.next() % 100 < 65)
            .collect();
        let n = planned.len().max(1) as u64;
        let source = [
            FundingSource::Csr,
            FundingSource::Koperasi,
            FundingSource::BamaKantin,
        ][(k_month % 3) as usize];
        let expiry = (m.last() + chrono::Duration::days(300)).to_string();
        let harvest_rice = if k_month % 3 == 2 { n } else { 0 };
        let line =
            |item: i64, q: u64, rp_per: u64, code: &str, exp: Option<String>| ReceiptLineInput {
                item_id: item,
                quantity: q.to_string(),
                value: (q * rp_per).to_string(),
                lot_code: code.into(),
                expiry: exp,
            };
        p.receive(
            &ReceiptInput {
                date: m.first().succ_opt().unwrap_or(m.first()).to_string(),
                source,
                donor_name: if source == FundingSource::Csr {
                    donors[(k_month / 3) as usize % donors.len()].into()
                } else {
                    String::new()
                },
                source_note: String::new(),
                doc_ref: format!("SJ-{}/{}", k_month + 1, m.key()),
                received_by: "Budi Santoso".into(),
                note: String::new(),
                lines: vec![
                    line(
                        1,
                        5 * n + 10 - harvest_rice,
                        12_000,
                        &format!("B-{}", m.key()),
                        None,
                    ),
                    line(2, n + 5, 16_000, &format!("G-{}", m.key()), None),
                    line(3, n + 5, 18_000, &format!("M-{}", m.key()), Some(expiry)),
                ],
            },
            Lang::Id,
        )?;
        if harvest_rice > 0 {
            p.receive(
                &ReceiptInput {
                    date: m.first().succ_opt().unwrap_or(m.first()).to_string(),
                    source: FundingSource::HasilPanen,
                    donor_name: String::new(),
                    source_note: "Sawah pembinaan kemandirian".into(),
                    doc_ref: format!("PANEN-{}", m.key()),
                    received_by: "Budi Santoso".into(),
                    note: String::new(),
                    lines: vec![line(
                        1,
                        harvest_rice,
                        10_000,
                        &format!("P-{}", m.key()),
                        None,
                    )],
                },
                Lang::Id,
            )?;
        }
        // The event on the 10th: planned, approved, handed over that day, completed.
        at(&clock, m, 10, 8);
        let mut p = {
            drop(p);
            sign_in(db, &clock, "petugas")?
        };
        let mut v = sign_in(db, &clock, "verifikator")?;
        let e = p.create_event(&EventInput {
            date: (m.first() + chrono::Duration::days(9)).to_string(),
            place: "Aula Rutan Kelas IIB Blora".into(),
            kind: if k_month % 6 == 5 {
                EventKind::SerentakNasional
            } else {
                EventKind::RutinBulanan
            },
            source: None,
            template_id: template.id,
            officials: vec![
                Official {
                    name: "Budi Hardiono".into(),
                    position: "Kepala Rutan".into(),
                },
                Official {
                    name: "Siti Rahmawati".into(),
                    position: "Kasubsi Pelayanan Tahanan".into(),
                },
            ],
            note: String::new(),
        })?;
        for id in &planned {
            p.add_recipient(e.id, *id)?;
        }
        v.approve_event(e.id)?;
        let mut given = Vec::new();
        for (j, id) in planned.iter().enumerate() {
            let proxy = (g.next() % 100 < 8).then(|| {
                let female = g.next().is_multiple_of(2);
                crate::handover::Proxy {
                    name: name(&mut g),
                    nik: nik("331601", born(&mut g, 1965, 30), female, 9000 + j),
                    relation: if female { "tetangga" } else { "anak" }.into(),
                }
            });
            given.push(p.hand_over(e.id, *id, proxy.as_ref(), None)?.id);
        }
        for h in &given {
            if g.next().is_multiple_of(100) {
                v.void_handover(*h, "Salah catat penerima; paket dikembalikan ke gudang")?;
                made.voids += 1;
            }
        }
        made.handovers += given.len();
        p.complete_event(e.id)?;
        // A bag of rice found torn every third month: asked by the petugas, approved by the
        // verifikator.
        if k_month % 3 == 1 {
            let lot = p
                .stock_overview(None)?
                .items
                .into_iter()
                .find(|i| i.item.id == 1)
                .and_then(|i| i.lots.into_iter().next());
            if let Some(lot) = lot {
                let a = p.request_adjustment(
                    &AdjustmentInput {
                        lot_id: lot.lot_id,
                        quantity: "-1".into(),
                        reason: AdjustmentReason::Rusak,
                        note: "Karung sobek".into(),
                    },
                    Lang::Id,
                )?;
                v.decide_adjustment(a.id, true, "")?;
            }
        }
        drop((p, v));
        // The month closed on the 2nd of the next.
        let next = m.next();
        at(&clock, next, 2, 8);
        let mut k = sign_in(db, &clock, "kepala")?;
        k.close_month(&m.key())?;
        made.months_closed.push(m.key());
        progress(&Progress::Month {
            period: m.key(),
            done: made.months_closed.len(),
            total: o.months as usize,
        });
        if m == o.until {
            break;
        }
        m = next;
        k_month += 1;
    }
    Ok(made)
}

/// What `province` made.
#[derive(Debug, serde::Serialize)]
pub struct ProvinceMade {
    pub kanwil_db: String,
    /// (code, database) of every facility.
    pub facilities: Vec<(String, String)>,
    pub bundles: usize,
    pub accepted: usize,
    pub users: Vec<(String, Role, String)>,
}

/// The most facilities a demo province has.
pub const PROVINCE_FACILITIES: std::ops::RangeInclusive<usize> = 1..=60;

/// Makes a demo Kanwil (regional mode) at `kanwil_db` with `facilities` demo facilities beside
/// it (`upt/<code>/bansos.db`), each registered, enrolled, and with every month's bundle imported
/// and its answer taken back — through the same use cases as the window and the command line.
pub fn province(
    kanwil_db: &Path,
    facilities: usize,
    o: &Options,
    progress: impl FnMut(&Progress),
) -> Result<ProvinceMade> {
    province_with(kanwil_db, facilities, o, true, progress)
}

/// As [`province`], with every bundle left in its facility's outbox, not yet sent (the bench
/// times the Kanwil's import of them all).
pub fn province_unsent(kanwil_db: &Path, facilities: usize, o: &Options) -> Result<ProvinceMade> {
    province_with(kanwil_db, facilities, o, false, |_| {})
}

fn province_with(
    kanwil_db: &Path,
    facilities: usize,
    o: &Options,
    send: bool,
    mut progress: impl FnMut(&Progress),
) -> Result<ProvinceMade> {
    check_options(o)?;
    if !PROVINCE_FACILITIES.contains(&facilities) {
        return Err(Error::invalid(
            "province",
            format!(
                "Demo provinsi: {}–{} UPT.",
                PROVINCE_FACILITIES.start(),
                PROVINCE_FACILITIES.end()
            ),
            format!(
                "Demo province: {}–{} facilities.",
                PROVINCE_FACILITIES.start(),
                PROVINCE_FACILITIES.end()
            ),
        ));
    }
    if kanwil_db.exists() {
        return Err(Error::new(
            crate::ErrorKind::Conflict,
            format!(
                "{} sudah ada: demo dibuat di basis data baru saja.",
                kanwil_db.display()
            ),
            format!(
                "{} already exists: a demo is made in a new database only.",
                kanwil_db.display()
            ),
        ));
    }
    let clock: Arc<dyn crate::clock::Clock> = Arc::new(crate::clock::SystemClock);
    let staff = |(u, n, p, r): (&str, &str, &str, Role)| NewStaff {
        username: u.into(),
        full_name: n.into(),
        nip: String::new(),
        position: p.into(),
        role: r,
        password: PASSWORD.into(),
    };
    let mut kw = App::init(
        kanwil_db,
        clock.clone(),
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
                head_name: "Budi Hardiono".into(),
                head_nip: "197001012000031001".into(),
            },
            receipt_pattern: DEFAULT_RECEIPT_PATTERN.into(),
            logo_base64: None,
            regional_keys: Vec::new(),
        },
        &staff(USERS[0]),
    )?;
    for u in &USERS[1..] {
        kw.add_staff(&staff(*u))?;
    }
    drop(kw);
    let mut kw = App::open(
        kanwil_db,
        clock.clone(),
        &Credentials::new("kepala", PASSWORD),
    )?;
    let kanwil_fp = kw.facility()?.fingerprint;
    let root = kanwil_db.parent().unwrap_or(Path::new(".")).join("upt");
    let mut made = ProvinceMade {
        kanwil_db: kanwil_db.display().to_string(),
        facilities: Vec::new(),
        bundles: 0,
        accepted: 0,
        users: USERS
            .iter()
            .map(|u| (u.0.to_owned(), u.3, PASSWORD.to_owned()))
            .collect(),
    };
    for n in 0..facilities {
        let code = profile(n).code;
        let db = root.join(&code).join("bansos.db");
        make(&db, &Options { facility: n, ..*o }, |_| {})?;
        let mut k = App::open(&db, clock.clone(), &Credentials::new("kepala", PASSWORD))?;
        let (_, registration) = k.registration_file()?;
        let fp = k.facility()?.fingerprint;
        let (_, enrollment) = kw.register_facility(&registration, &fp)?;
        k.import_enrollment(&enrollment, Some(&kanwil_fp))?;
        if !send {
            made.bundles += k.outbox()?.bundles.len();
            made.facilities
                .push((code.clone(), db.display().to_string()));
            progress(&Progress::Facility {
                code: code.clone(),
                done: n + 1,
                total: facilities,
            });
            continue;
        }
        let mut files = Vec::new();
        for b in k.outbox()?.bundles {
            let (seq, name, bytes) = k.bundle_file(Some(b.seq), None)?;
            k.bundle_sent(seq, "demo")?;
            files.push((name, bytes));
        }
        made.bundles += files.len();
        for v in kw.import_bundles(files)? {
            for v in std::iter::once(&v).chain(v.released.iter()) {
                if matches!(v.verdict.as_str(), "accepted" | "revision") {
                    made.accepted += 1;
                }
                if let Some((_, a)) = &v.answer {
                    k.import_answer(a)?;
                }
            }
        }
        made.facilities
            .push((code.clone(), db.display().to_string()));
        progress(&Progress::Facility {
            code: code.clone(),
            done: n + 1,
            total: facilities,
        });
    }
    Ok(made)
}
