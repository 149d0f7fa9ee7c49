//! SQL for the registry. Every writer is called inside the use case's transaction.

use super::model::{
    code_of, from_code, Category, KkChangeReason, NoticeKind, Problem, ValidFamily, ValidMember,
    Verification,
};
use super::nik::Sex;
use super::view::{
    family_code, DuplicateKind, DuplicatePair, DuplicateStatus, FamilyFilter, FamilyRow,
    KkHistoryEntry, MatchKind, Matched, Member, PairSide,
};
use crate::error::{Error, ErrorKind, Result};
use crate::region::{Regions, TABLE_VERSION};
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};

/// The full stored record (NIKs unmasked); `App` masks it for the reader.
#[derive(Debug, Clone)]
pub struct Stored {
    pub id: i64,
    pub category: Category,
    pub kk: Option<String>,
    pub address: String,
    pub rt: String,
    pub rw: String,
    pub region_code: Option<String>,
    pub region_table: Option<String>,
    pub phone: String,
    pub wbp_name: String,
    pub wbp_reg_no: String,
    pub wbp_status: Option<String>,
    pub wbp_relation: String,
    pub reasons: String,
    pub reason_note: String,
    pub dtks_decile: Option<u8>,
    pub consent_date: Option<String>,
    pub verification: Verification,
    pub verified_by: Option<String>,
    pub verified_at: Option<String>,
    pub evidence_note: String,
    pub active: bool,
    pub inactive_reason: String,
    pub merged_into: Option<i64>,
    pub created_at: String,
    pub created_by: String,
    pub updated_at: String,
    pub members: Vec<Member>,
}

/// A key for matching registration numbers however they are typed: "BI.123/2024" = "bi 123 2024".
pub fn reg_key(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Marks the registry changed (see `meta.registry_rev`); returns the new revision.
pub fn bump_rev(tx: &Transaction) -> Result<i64> {
    tx.execute(
        "UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'registry_rev'",
        [],
    )?;
    rev(tx)
}

pub fn rev(conn: &Connection) -> Result<i64> {
    let v: Option<String> = conn
        .query_row(
            "SELECT value FROM meta WHERE key = 'registry_rev'",
            [],
            |r| r.get(0),
        )
        .optional()?;
    Ok(v.and_then(|v| v.parse().ok()).unwrap_or(0))
}

fn write_member(tx: &Transaction, family_id: i64, pos: usize, m: &ValidMember) -> Result<i64> {
    let sex = m.sex.map(|s| if s == Sex::L { "L" } else { "P" });
    let birth = m.birth_date.map(|d| d.to_string());
    match m.id {
        Some(id) => {
            let n = tx.execute(
                "UPDATE person SET name = ?2, name_key = ?3, nik = ?4, nik_temporary = ?5, sex = ?6,
                        birth_date = ?7, relationship = ?8, position = ?9
                 WHERE id = ?1 AND family_id = ?10",
                params![
                    id,
                    m.name,
                    m.name_key,
                    m.nik,
                    m.nik_temporary,
                    sex,
                    birth,
                    code_of(&m.relationship),
                    pos as i64,
                    family_id
                ],
            )?;
            if n == 0 {
                return Err(Error::new(
                    ErrorKind::NotFound,
                    format!("Anggota #{id} bukan anggota keluarga ini."),
                    format!("Member #{id} is not a member of this family."),
                ));
            }
            Ok(id)
        }
        None => {
            tx.execute(
                "INSERT INTO person (family_id, name, name_key, nik, nik_temporary, sex, birth_date,
                                     relationship, position)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                params![
                    family_id,
                    m.name,
                    m.name_key,
                    m.nik,
                    m.nik_temporary,
                    sex,
                    birth,
                    code_of(&m.relationship),
                    pos as i64
                ],
            )?;
            Ok(tx.last_insert_rowid())
        }
    }
}

/// Inserts a new family with its members and its first No. KK entry.
pub fn insert(
    tx: &Transaction,
    v: &ValidFamily,
    at: &str,
    actor: &str,
    source: &str,
) -> Result<i64> {
    tx.execute(
        "INSERT INTO family (category, kk, address, rt, rw, region_code, region_table, phone,
                             wbp_name, wbp_reg_no, wbp_reg_key, wbp_status, wbp_relation, reasons,
                             reason_note, dtks_decile, consent_date, source, created_at, created_by,
                             updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,
                 ?19, ?20, ?19)",
        params![
            code_of(&v.category),
            v.kk,
            v.address,
            v.rt,
            v.rw,
            v.region_code,
            v.region_code.as_ref().map(|_| TABLE_VERSION),
            v.phone,
            v.wbp_name,
            v.wbp_reg_no,
            reg_key(&v.wbp_reg_no),
            v.wbp_status.map(|s| code_of(&s)),
            v.wbp_relation,
            serde_json::to_string(&v.reasons).unwrap_or_else(|_| "[]".into()),
            v.reason_note,
            v.dtks_decile,
            v.consent_date.map(|d| d.to_string()),
            source,
            at,
            actor
        ],
    )?;
    let id = tx.last_insert_rowid();
    for (pos, m) in v.members.iter().enumerate() {
        let mut m = m.clone();
        m.id = None;
        write_member(tx, id, pos, &m)?;
    }
    tx.execute(
        "INSERT INTO kk_history (family_id, kk, reason, at, by_user) VALUES (?1, ?2, 'awal', ?3, ?4)",
        params![id, v.kk, at, actor],
    )?;
    Ok(id)
}

/// Replaces a family's data and members with `v`. Members missing from `v` are removed.
pub fn update(
    tx: &Transaction,
    id: i64,
    v: &ValidFamily,
    old_kk: &Option<String>,
    at: &str,
    actor: &str,
) -> Result<()> {
    tx.execute(
        "UPDATE family SET category = ?2, kk = ?3, address = ?4, rt = ?5, rw = ?6, region_code = ?7,
                region_table = CASE WHEN ?7 IS NULL THEN NULL
                                    WHEN ?7 IS region_code THEN region_table ELSE ?8 END,
                phone = ?9, wbp_name = ?10, wbp_reg_no = ?11, wbp_reg_key = ?12, wbp_status = ?13,
                wbp_relation = ?14, reasons = ?15, reason_note = ?16, dtks_decile = ?17,
                consent_date = ?18, updated_at = ?19
         WHERE id = ?1",
        params![
            id,
            code_of(&v.category),
            v.kk,
            v.address,
            v.rt,
            v.rw,
            v.region_code,
            TABLE_VERSION,
            v.phone,
            v.wbp_name,
            v.wbp_reg_no,
            reg_key(&v.wbp_reg_no),
            v.wbp_status.map(|s| code_of(&s)),
            v.wbp_relation,
            serde_json::to_string(&v.reasons).unwrap_or_else(|_| "[]".into()),
            v.reason_note,
            v.dtks_decile,
            v.consent_date.map(|d| d.to_string()),
            at
        ],
    )?;
    let keep: Vec<i64> = v.members.iter().filter_map(|m| m.id).collect();
    let stored: Vec<i64> = {
        let mut st = tx.prepare("SELECT id FROM person WHERE family_id = ?1")?;
        let ids = st
            .query_map([id], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<i64>>>()?;
        ids
    };
    // Removed members first, and NIKs cleared before they are written again, so a NIK moving
    // between two rows of the same family does not trip the unique index midway.
    for gone in stored.iter().filter(|s| !keep.contains(s)) {
        tx.execute("DELETE FROM person WHERE id = ?1", [gone])?;
    }
    tx.execute("UPDATE person SET nik = NULL WHERE family_id = ?1", [id])?;
    for (pos, m) in v.members.iter().enumerate() {
        write_member(tx, id, pos, m)?;
    }
    if &v.kk != old_kk {
        let reason = v
            .kk_change_reason
            .map(|r| code_of(&r))
            .unwrap_or_else(|| "perubahan_data".into());
        tx.execute(
            "INSERT INTO kk_history (family_id, kk, reason, at, by_user) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![id, v.kk, reason, at, actor],
        )?;
    }
    Ok(())
}

fn member_row(r: &Row) -> rusqlite::Result<Member> {
    let sex: Option<String> = r.get("sex")?;
    Ok(Member {
        id: r.get("id")?,
        name: r.get("name")?,
        nik: r.get("nik")?,
        nik_temporary: r.get("nik_temporary")?,
        sex: sex.map(|s| if s == "P" { Sex::P } else { Sex::L }),
        birth_date: r.get("birth_date")?,
        relationship: from_code(&r.get::<_, String>("relationship")?)
            .unwrap_or(super::model::Relationship::Lainnya),
    })
}

pub fn members(conn: &Connection, family_id: i64) -> Result<Vec<Member>> {
    let mut st = conn.prepare_cached(
        "SELECT id, name, nik, nik_temporary, sex, birth_date, relationship
         FROM person WHERE family_id = ?1 ORDER BY position, id",
    )?;
    let v = st
        .query_map([family_id], member_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(v)
}

pub fn load(conn: &Connection, id: i64) -> Result<Stored> {
    let s = conn
        .query_row("SELECT * FROM family WHERE id = ?1", [id], |r| {
            Ok(Stored {
                id: r.get("id")?,
                category: from_code(&r.get::<_, String>("category")?)
                    .unwrap_or(Category::MasyarakatSekitar),
                kk: r.get("kk")?,
                address: r.get("address")?,
                rt: r.get("rt")?,
                rw: r.get("rw")?,
                region_code: r.get("region_code")?,
                region_table: r.get("region_table")?,
                phone: r.get("phone")?,
                wbp_name: r.get("wbp_name")?,
                wbp_reg_no: r.get("wbp_reg_no")?,
                wbp_status: r.get("wbp_status")?,
                wbp_relation: r.get("wbp_relation")?,
                reasons: r.get("reasons")?,
                reason_note: r.get("reason_note")?,
                dtks_decile: r.get("dtks_decile")?,
                consent_date: r.get("consent_date")?,
                verification: from_code(&r.get::<_, String>("verification")?)
                    .unwrap_or(Verification::Draft),
                verified_by: r.get("verified_by")?,
                verified_at: r.get("verified_at")?,
                evidence_note: r.get("evidence_note")?,
                active: r.get("active")?,
                inactive_reason: r.get("inactive_reason")?,
                merged_into: r.get("merged_into")?,
                created_at: r.get("created_at")?,
                created_by: r.get("created_by")?,
                updated_at: r.get("updated_at")?,
                members: Vec::new(),
            })
        })
        .optional()?;
    let mut s = s.ok_or_else(|| not_found(id))?;
    s.members = members(conn, id)?;
    Ok(s)
}

pub fn not_found(id: i64) -> Error {
    Error::new(
        ErrorKind::NotFound,
        format!("Keluarga {} tidak ada.", family_code(id)),
        format!("There is no family {}.", family_code(id)),
    )
}

pub fn kk_history(conn: &Connection, id: i64) -> Result<Vec<KkHistoryEntry>> {
    let mut st = conn.prepare(
        "SELECT kk, reason, at, by_user FROM kk_history WHERE family_id = ?1 ORDER BY id DESC",
    )?;
    let v = st
        .query_map([id], |r| {
            let reason: String = r.get("reason")?;
            Ok(KkHistoryEntry {
                kk: r.get("kk")?,
                reason: from_code::<KkChangeReason>(&reason),
                at: r.get("at")?,
                by_user: r.get("by_user")?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(v)
}

/// Who already holds `nik`, outside family `except`: (family id, person name, head name, active).
pub fn nik_owner(
    conn: &Connection,
    nik: &str,
    except: Option<i64>,
) -> Result<Option<(i64, String, String, bool)>> {
    let mut st = conn.prepare_cached(
        "SELECT p.family_id, p.name,
                (SELECT h.name FROM person h WHERE h.family_id = p.family_id ORDER BY h.position LIMIT 1) AS head_name,
                f.active
         FROM person p JOIN family f ON f.id = p.family_id
         WHERE p.nik = ?1 AND p.family_id IS NOT ?2",
    )?;
    Ok(st
        .query_row(params![nik, except], |r| {
            Ok((
                r.get("family_id")?,
                r.get("name")?,
                r.get::<_, Option<String>>("head_name")?.unwrap_or_default(),
                r.get("active")?,
            ))
        })
        .optional()?)
}

/// The NIK is taken: the refusal names the family that holds it.
pub fn nik_taken(field: &str, owner: &(i64, String, String, bool)) -> Error {
    let (fid, name, head, active) = owner;
    let (state_id, state_en) = if *active {
        ("", "")
    } else {
        (" (nonaktif)", " (inactive)")
    };
    Error::new(
        ErrorKind::Conflict,
        format!(
            "NIK ini sudah terdaftar atas nama {name} di keluarga {}{state_id}, kepala keluarga {head}. Buka keluarga itu alih-alih mendaftar ulang.",
            family_code(*fid)
        ),
        format!(
            "This NIK is already registered to {name} in family {}{state_en}, head {head}. Open that family instead of registering it again.",
            family_code(*fid)
        ),
    )
    .with_field(field)
}

/// Refusals and warnings that need the rest of the registry: NIKs held elsewhere (refused),
/// the same No. KK elsewhere and similar people elsewhere (warned, with a score).
pub fn registry_problems(
    conn: &Connection,
    v: &ValidFamily,
    except: Option<i64>,
) -> Result<(Vec<Error>, Vec<Problem>)> {
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    for (i, m) in v.members.iter().enumerate() {
        if let Some(nik) = &m.nik {
            if let Some(owner) = nik_owner(conn, nik, except)? {
                errors.push(nik_taken(&format!("member.{i}.nik"), &owner));
            }
        }
    }
    if let Some(kk) = &v.kk {
        let mut st = conn.prepare_cached(
            "SELECT f.id, (SELECT h.name FROM person h WHERE h.family_id = f.id ORDER BY h.position LIMIT 1)
             FROM family f WHERE f.kk = ?1 AND f.id IS NOT ?2 LIMIT 5",
        )?;
        let rows = st
            .query_map(params![kk, except], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, Option<String>>(1)?.unwrap_or_default(),
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        for (fid, head) in rows {
            warnings.push(Problem {
                field: Some("kk".into()),
                kind: NoticeKind::SameKk,
                family_id: Some(fid),
                score: Some(100),
                id: format!("No. KK yang sama sudah dipakai keluarga {} (kepala keluarga {head}). Satu KK biasanya satu keluarga penerima.", family_code(fid)),
                en: format!("The same family card number is used by family {} (head {head}). One card is usually one recipient family.", family_code(fid)),
            });
        }
    }
    for (i, m) in v.members.iter().enumerate() {
        for (fid, name, birth, score) in similar_people(conn, m, v, except)? {
            warnings.push(Problem {
                field: Some(format!("member.{i}.name")),
                kind: NoticeKind::SimilarPerson,
                family_id: Some(fid),
                score: Some(score),
                id: format!("Mirip ({score}%) dengan {name}, lahir {}, di keluarga {} dengan alamat yang sama. Mungkin orang yang sama.", born(&birth), family_code(fid)),
                en: format!("Similar ({score}%) to {name}, born {}, in family {} at the same address. Perhaps the same person.", born(&birth), family_code(fid)),
            });
        }
    }
    Ok((errors, warnings))
}

/// A birth date as the forms write it in both languages ("07/08/1990").
fn born(iso: &str) -> String {
    chrono::NaiveDate::parse_from_str(iso, "%Y-%m-%d")
        .map(crate::locale::short_date)
        .unwrap_or_else(|_| iso.to_owned())
}

/// Similarity of two folded names, 0–100 (Jaro–Winkler, the usual measure for personal names).
pub fn name_score(a: &str, b: &str) -> u8 {
    (strsim::jaro_winkler(a, b) * 100.0).round() as u8
}

/// A name this close, with the same birth date and address, is probably the same person.
pub const SIMILAR_SCORE: u8 = 88;

/// People elsewhere with the same birth date, the same village (or the same written address when
/// either has no village code) and a similar name: (family, name, birth date, score).
pub fn similar_people(
    conn: &Connection,
    m: &ValidMember,
    v: &ValidFamily,
    except: Option<i64>,
) -> Result<Vec<(i64, String, String, u8)>> {
    let Some(birth) = m.birth_date else {
        return Ok(Vec::new());
    };
    let mut st = conn.prepare_cached(
        "SELECT p.family_id, p.name, p.name_key, p.nik, f.region_code, f.address
         FROM person p JOIN family f ON f.id = p.family_id
         WHERE p.birth_date = ?1 AND p.family_id IS NOT ?2",
    )?;
    let rows = st
        .query_map(params![birth.to_string(), except], |r| {
            Ok((
                r.get::<_, i64>("family_id")?,
                r.get::<_, String>("name")?,
                r.get::<_, String>("name_key")?,
                r.get::<_, Option<String>>("nik")?,
                r.get::<_, Option<String>>("region_code")?,
                r.get::<_, String>("address")?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let addr = super::model::name_key(&v.address);
    let mut out = Vec::new();
    for (fid, name, key, nik, region, address) in rows {
        if nik.is_some() && nik == m.nik {
            continue; // the same NIK is refused, not warned
        }
        let same_place = match (&v.region_code, &region) {
            (Some(a), Some(b)) => a == b,
            _ => !addr.is_empty() && super::model::name_key(&address) == addr,
        };
        if !same_place {
            continue;
        }
        let score = name_score(&m.name_key, &key);
        if score >= SIMILAR_SCORE {
            out.push((fid, name, birth.to_string(), score));
        }
    }
    Ok(out)
}

/// Records a pair for review unless it is already known (an earlier "distinct" stays settled).
pub fn record_pair(
    tx: &Transaction,
    a: i64,
    b: i64,
    kind: DuplicateKind,
    score: u8,
    detail: (&str, &str),
    at: &str,
) -> Result<()> {
    let (a, b) = if a < b { (a, b) } else { (b, a) };
    tx.execute(
        "INSERT INTO duplicate_pair (family_a, family_b, kind, score, detail, detail_en, found_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT DO NOTHING",
        params![a, b, code_of(&kind), score, detail.0, detail.1, at],
    )?;
    Ok(())
}

/// Records the warnings of a saved family as pairs for the duplicates review.
pub fn record_pairs(
    tx: &Transaction,
    family_id: i64,
    warnings: &[Problem],
    at: &str,
) -> Result<()> {
    for w in warnings {
        let (Some(other), kind) = (w.family_id, w.kind) else {
            continue;
        };
        let kind = match kind {
            NoticeKind::SameKk => DuplicateKind::SameKk,
            NoticeKind::SimilarPerson => DuplicateKind::SimilarPerson,
            _ => continue,
        };
        record_pair(
            tx,
            family_id,
            other,
            kind,
            w.score.unwrap_or(0),
            (&w.id, &w.en),
            at,
        )?;
    }
    Ok(())
}

fn side(conn: &Connection, id: i64, regions: &Regions) -> Result<PairSide> {
    let s = load(conn, id)?;
    let head = s.members.first();
    Ok(PairSide {
        family_id: id,
        code: family_code(id),
        head_name: head.map(|h| h.name.clone()).unwrap_or_default(),
        head_nik: head.and_then(|h| h.nik.clone()),
        kk: s.kk.clone(),
        village: s
            .region_code
            .as_deref()
            .and_then(|c| regions.path(c))
            .map(|p| p.label()),
        address: s.address,
        active: s.active,
        verification: s.verification,
    })
}

pub fn pairs(
    conn: &Connection,
    status: Option<DuplicateStatus>,
    regions: &Regions,
) -> Result<Vec<DuplicatePair>> {
    let mut st = conn.prepare(
        "SELECT id, family_a, family_b, kind, score, detail, detail_en, status, found_at,
                resolved_by, resolved_at, note
         FROM duplicate_pair WHERE ?1 IS NULL OR status = ?1 ORDER BY status = 'open' DESC, id DESC
         LIMIT 500",
    )?;
    let raw = st
        .query_map([status.map(|s| code_of(&s))], |r| {
            Ok((
                r.get::<_, i64>("id")?,
                r.get::<_, i64>("family_a")?,
                r.get::<_, i64>("family_b")?,
                r.get::<_, String>("kind")?,
                r.get::<_, i64>("score")?,
                (
                    r.get::<_, String>("detail")?,
                    r.get::<_, String>("detail_en")?,
                ),
                r.get::<_, String>("status")?,
                r.get::<_, String>("found_at")?,
                r.get::<_, Option<String>>("resolved_by")?,
                r.get::<_, Option<String>>("resolved_at")?,
                r.get::<_, String>("note")?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    raw.into_iter()
        .map(
            |(id, a, b, kind, score, detail, status, found_at, resolved_by, resolved_at, note)| {
                Ok(DuplicatePair {
                    id,
                    kind: from_code(&kind).unwrap_or(DuplicateKind::SimilarPerson),
                    score: score.clamp(0, 100) as u8,
                    // Pairs found before 0022 were said in Indonesian only.
                    detail_en: if detail.1.is_empty() {
                        detail.0.clone()
                    } else {
                        detail.1
                    },
                    detail: detail.0,
                    status: from_code(&status).unwrap_or(DuplicateStatus::Open),
                    found_at,
                    resolved_by,
                    resolved_at,
                    note,
                    a: side(conn, a, regions)?,
                    b: side(conn, b, regions)?,
                })
            },
        )
        .collect()
}

pub fn open_pairs_of(conn: &Connection, id: i64) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM duplicate_pair WHERE status = 'open' AND (family_a = ?1 OR family_b = ?1)",
        [id],
        |r| r.get(0),
    )?)
}

/// The rows of the family list for the given ids (in that order), or for the filter alone.
pub fn rows(
    conn: &Connection,
    f: &FamilyFilter,
    ids: Option<&[i64]>,
    limit: u32,
    offset: u32,
    regions: &Regions,
) -> Result<(Vec<FamilyRow>, i64)> {
    let keep = |r: &FamilyRow| {
        f.category.is_none_or(|c| c == r.category)
            && f.verification.is_none_or(|v| v == r.verification)
            && f.active.is_none_or(|a| a == r.active)
    };
    if let Some(ids) = ids {
        // A search's candidates, in their order: fetched one by one by rowid and filtered here,
        // which stays fast whatever the filter (an IN list lets the planner pick a poor index).
        // Past a page's worth only the filter's columns are read, to count them: a whole row
        // reads the head and the members too, each page decrypted and checked.
        let mut out = Vec::new();
        let mut total = 0;
        for id in ids {
            if out.len() < limit as usize {
                if let Some(r) = row_by_id(conn, *id, regions)? {
                    if keep(&r) {
                        out.push(r);
                        total += 1;
                    }
                }
            } else if filter_match(conn, *id, f)? {
                total += 1;
            }
        }
        return Ok((out, total));
    }
    let mut cond = vec!["1 = 1".to_owned()];
    if let Some(c) = f.category {
        cond.push(format!("category = '{}'", code_of(&c)));
    }
    if let Some(v) = f.verification {
        cond.push(format!("verification = '{}'", code_of(&v)));
    }
    if let Some(a) = f.active {
        cond.push(format!("active = {}", i32::from(a)));
    }
    let where_ = cond.join(" AND ");
    let total = match (f.active, f.verification) {
        (Some(true), None) => active_count(conn, f.category)?,
        _ => conn.query_row(
            &format!("SELECT count(*) FROM family WHERE {where_}"),
            [],
            |r| r.get(0),
        )?,
    };
    // The page's ids first (newest first, walking the rowid backwards), then each row.
    // `+column` keeps the planner on the rowid (newest first, stop after a page) instead of
    // the filter index, which would sort every matching family before taking fifty.
    let page_where = where_
        .replace("category", "+category")
        .replace("verification", "+verification")
        .replace("active", "+active");
    let mut st = conn.prepare_cached(&format!(
        "SELECT id FROM family WHERE {page_where} ORDER BY id DESC LIMIT ?1 OFFSET ?2"
    ))?;
    let page = st
        .query_map(params![limit, offset], |r| r.get::<_, i64>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut out = Vec::with_capacity(page.len());
    for id in page {
        if let Some(r) = row_by_id(conn, id, regions)? {
            out.push(r);
        }
    }
    Ok((out, total))
}

/// Active families (of one category): the list's total with its default filter. Counting the
/// rows read 100,000 index entries on a large registry (half of the list's time); the store keeps
/// the active, unmerged families by category in `family_tally` (migration 0018), so this adds the
/// active ones that are merged, which the program never makes (a merge deactivates) and the index
/// `family_by_category` finds without reading the others.
fn active_count(conn: &Connection, category: Option<Category>) -> Result<i64> {
    let c = category.map(|c| code_of(&c));
    Ok(conn.query_row(
        "SELECT (SELECT coalesce(sum(registered), 0) FROM family_tally
                 WHERE ?1 IS NULL OR category = ?1)
              + (SELECT count(*) FROM family
                 WHERE active = 1 AND merged_into IS NOT NULL AND (?1 IS NULL OR category = ?1))",
        [c],
        |r| r.get(0),
    )?)
}

/// Whether the family `id` passes the list's filter (category, verification, active).
fn filter_match(conn: &Connection, id: i64, f: &FamilyFilter) -> Result<bool> {
    let mut st =
        conn.prepare_cached("SELECT category, verification, active FROM family WHERE id = ?1")?;
    let row = st
        .query_row([id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, bool>(2)?,
            ))
        })
        .optional()?;
    Ok(row.is_some_and(|(c, v, a)| {
        f.category.is_none_or(|x| code_of(&x) == c)
            && f.verification.is_none_or(|x| code_of(&x) == v)
            && f.active.is_none_or(|x| x == a)
    }))
}

/// One line of the family list.
pub fn row_by_id(conn: &Connection, id: i64, regions: &Regions) -> Result<Option<FamilyRow>> {
    let mut st = conn.prepare_cached(
        "SELECT f.id, f.kk, f.category, f.verification, f.active, f.region_code, f.wbp_name, f.wbp_reg_no,
                h.name AS head_name, h.nik AS head_nik, h.nik_temporary,
                (SELECT count(*) FROM person c WHERE c.family_id = f.id) AS members
         FROM family f LEFT JOIN person h ON h.family_id = f.id AND h.position = 0
         WHERE f.id = ?1",
    )?;
    Ok(st
        .query_row([id], |r| {
            let region: Option<String> = r.get("region_code")?;
            Ok(FamilyRow {
                id: r.get("id")?,
                code: family_code(r.get("id")?),
                kk: r.get("kk")?,
                category: from_code(&r.get::<_, String>("category")?)
                    .unwrap_or(Category::MasyarakatSekitar),
                verification: from_code(&r.get::<_, String>("verification")?)
                    .unwrap_or(Verification::Draft),
                active: r.get("active")?,
                village: region
                    .as_deref()
                    .and_then(|c| regions.name(c))
                    .map(str::to_owned),
                wbp_name: r.get("wbp_name")?,
                wbp_reg_no: r.get("wbp_reg_no")?,
                head_name: r.get::<_, Option<String>>("head_name")?.unwrap_or_default(),
                head_nik: r.get("head_nik")?,
                head_nik_temporary: r.get::<_, Option<bool>>("nik_temporary")?.unwrap_or(false),
                members: r.get("members")?,
                matched: None,
            })
        })
        .optional()?)
}

/// Families whose head or member NIK, or No. KK, starts with `digits`; at most `limit`.
pub fn by_number_prefix(
    conn: &Connection,
    digits: &str,
    limit: u32,
) -> Result<Vec<(i64, Option<Matched>)>> {
    let hi = format!("{digits}\u{7f}");
    let mut out: Vec<(i64, Option<Matched>)> = Vec::new();
    let mut st = conn.prepare_cached(
        "SELECT family_id, name, position FROM person WHERE nik >= ?1 AND nik < ?2 ORDER BY nik LIMIT ?3",
    )?;
    for r in st.query_map(params![digits, hi, limit], |r| {
        Ok((
            r.get::<_, i64>("family_id")?,
            r.get::<_, String>("name")?,
            r.get::<_, i64>("position")?,
        ))
    })? {
        let (fid, name, pos) = r?;
        if !out.iter().any(|(f, _)| *f == fid) {
            out.push((
                fid,
                (pos > 0).then(|| Matched::new(MatchKind::MemberNik, Some(&name))),
            ));
        }
    }
    let mut st = conn
        .prepare_cached("SELECT id FROM family WHERE kk >= ?1 AND kk < ?2 ORDER BY kk LIMIT ?3")?;
    for r in st.query_map(params![digits, hi, limit], |r| r.get::<_, i64>(0))? {
        let fid = r?;
        if !out.iter().any(|(f, _)| *f == fid) {
            out.push((fid, Some(Matched::new(MatchKind::Kk, None))));
        }
    }
    Ok(out)
}

/// Families whose WBP registration number starts with `key` (see `reg_key`).
pub fn by_reg_prefix(conn: &Connection, key: &str, limit: u32) -> Result<Vec<i64>> {
    if key.is_empty() {
        return Ok(Vec::new());
    }
    let hi = format!("{key}\u{7f}");
    let mut st = conn.prepare_cached(
        "SELECT id FROM family WHERE wbp_reg_key >= ?1 AND wbp_reg_key < ?2 ORDER BY wbp_reg_key LIMIT ?3",
    )?;
    let v = st
        .query_map(params![key, hi, limit], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<i64>>>()?;
    Ok(v)
}

/// A petugas's edit sends a verified family back to draft: the verifikator looks again.
pub fn back_to_draft(conn: &Connection, id: i64) -> Result<()> {
    conn.execute(
        "UPDATE family SET verification = 'draft', verified_by = NULL, verified_at = NULL WHERE id = ?1",
        [id],
    )?;
    Ok(())
}

pub fn set_verified(
    conn: &Connection,
    id: i64,
    actor: &str,
    at: &str,
    evidence: &str,
) -> Result<()> {
    conn.execute(
        "UPDATE family SET verification = 'verified', verified_by = ?2, verified_at = ?3,
                evidence_note = ?4, updated_at = ?3 WHERE id = ?1",
        params![id, actor, at, evidence],
    )?;
    Ok(())
}

pub fn set_active(conn: &Connection, id: i64, active: bool, reason: &str, at: &str) -> Result<()> {
    conn.execute(
        "UPDATE family SET active = ?2, inactive_reason = ?3, updated_at = ?4 WHERE id = ?1",
        params![id, active, if active { "" } else { reason }, at],
    )?;
    Ok(())
}

/// A duplicate pair's families and status.
pub struct PairHead {
    pub family_a: i64,
    pub family_b: i64,
    pub status: DuplicateStatus,
}

pub fn pair_head(conn: &Connection, id: i64) -> Result<Option<PairHead>> {
    Ok(conn
        .prepare_cached("SELECT family_a, family_b, status FROM duplicate_pair WHERE id = ?1")?
        .query_row([id], |r| {
            Ok(PairHead {
                family_a: r.get("family_a")?,
                family_b: r.get("family_b")?,
                status: from_code(&r.get::<_, String>("status")?).unwrap_or(DuplicateStatus::Open),
            })
        })
        .optional()?)
}

/// Settles an open pair; false when it was no longer open.
pub fn resolve_pair(
    conn: &Connection,
    id: i64,
    status: DuplicateStatus,
    actor: &str,
    at: &str,
    note: &str,
) -> Result<bool> {
    Ok(conn.execute(
        "UPDATE duplicate_pair SET status = ?2, resolved_by = ?3, resolved_at = ?4, note = ?5
         WHERE id = ?1 AND status = 'open'",
        params![id, code_of(&status), actor, at, note],
    )? == 1)
}

/// Retires `drop` into `keep` and settles the other open pairs between the two.
pub fn merge(
    conn: &Connection,
    drop: i64,
    keep: i64,
    pair_id: i64,
    actor: &str,
    at: &str,
    note: &str,
) -> Result<()> {
    conn.execute(
        "UPDATE family SET active = 0, merged_into = ?2, inactive_reason = ?3, updated_at = ?4 WHERE id = ?1",
        params![drop, keep, format!("Digabung ke {}: {note}", family_code(keep)), at],
    )?;
    conn.execute(
        "UPDATE duplicate_pair SET status = 'merged', resolved_by = ?2, resolved_at = ?3,
                note = 'Ikut diselesaikan oleh penggabungan pasangan #' || ?4
         WHERE status = 'open' AND family_a = ?1 AND family_b = ?5 OR
               status = 'open' AND family_b = ?1 AND family_a = ?5",
        params![drop, actor, at, pair_id, keep],
    )?;
    Ok(())
}

/// The column mapping remembered for a sheet with these headers (JSON), if any.
pub fn remembered_mapping(conn: &Connection, header_key: &str) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT mapping FROM import_mapping WHERE header_key = ?1")?
        .query_row([header_key], |r| r.get("mapping"))
        .optional()?)
}

pub fn remember_mapping(
    conn: &Connection,
    header_key: &str,
    mapping: &str,
    at: &str,
) -> Result<()> {
    conn.execute(
        "INSERT INTO import_mapping (header_key, mapping, used_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (header_key) DO UPDATE SET mapping = excluded.mapping, used_at = excluded.used_at",
        params![header_key, mapping, at],
    )?;
    Ok(())
}

/// Every person's name and folded key, for the search index: (family, position, name, key).
pub fn each_person_name(
    conn: &Connection,
    mut f: impl FnMut(i64, i64, String, String),
) -> Result<()> {
    let mut st = conn.prepare("SELECT family_id, name, name_key, position FROM person")?;
    let mut rows = st.query([])?;
    while let Some(r) = rows.next()? {
        f(
            r.get("family_id")?,
            r.get("position")?,
            r.get("name")?,
            r.get("name_key")?,
        );
    }
    Ok(())
}

/// Every linked inmate's name, for the search index: (family, name).
pub fn each_wbp_name(conn: &Connection, mut f: impl FnMut(i64, String)) -> Result<()> {
    let mut st = conn.prepare("SELECT id, wbp_name FROM family WHERE wbp_name <> ''")?;
    let mut rows = st.query([])?;
    while let Some(r) = rows.next()? {
        f(r.get("id")?, r.get("wbp_name")?);
    }
    Ok(())
}

pub fn wbp_name(conn: &Connection, family_id: i64) -> Result<String> {
    Ok(conn
        .prepare_cached("SELECT wbp_name FROM family WHERE id = ?1")?
        .query_row([family_id], |r| r.get("wbp_name"))?)
}

/// One family as the registry export writes it.
pub struct ExportFamily {
    pub id: i64,
    pub head_name: Option<String>,
    pub head_nik: Option<String>,
    pub nik_temporary: Option<bool>,
    pub kk: Option<String>,
    pub category: String,
    pub address: String,
    pub rt: String,
    pub rw: String,
    pub region_code: Option<String>,
    pub phone: String,
    pub wbp_name: String,
    pub wbp_reg_no: String,
    pub wbp_status: Option<String>,
    pub reasons: String,
    pub dtks_decile: Option<i64>,
    pub consent_date: Option<String>,
    pub verification: String,
    pub active: bool,
    pub inactive_reason: String,
}

/// Every family in id order, streamed to `f` (the export never holds the registry in memory).
pub fn each_export_family(
    conn: &Connection,
    mut f: impl FnMut(ExportFamily) -> Result<()>,
) -> Result<()> {
    let mut st = conn.prepare(
        "SELECT f.*, h.name AS head_name, h.nik AS head_nik, h.nik_temporary
         FROM family f LEFT JOIN person h ON h.family_id = f.id AND h.position = 0
         ORDER BY f.id",
    )?;
    let mut rows = st.query([])?;
    while let Some(r) = rows.next()? {
        f(ExportFamily {
            id: r.get("id")?,
            head_name: r.get("head_name")?,
            head_nik: r.get("head_nik")?,
            nik_temporary: r.get("nik_temporary")?,
            kk: r.get("kk")?,
            category: r.get("category")?,
            address: r.get("address")?,
            rt: r.get("rt")?,
            rw: r.get("rw")?,
            region_code: r.get("region_code")?,
            phone: r.get("phone")?,
            wbp_name: r.get("wbp_name")?,
            wbp_reg_no: r.get("wbp_reg_no")?,
            wbp_status: r.get("wbp_status")?,
            reasons: r.get("reasons")?,
            dtks_decile: r.get("dtks_decile")?,
            consent_date: r.get("consent_date")?,
            verification: r.get("verification")?,
            active: r.get("active")?,
            inactive_reason: r.get("inactive_reason")?,
        })?;
    }
    Ok(())
}

/// One person as the registry export writes it.
pub struct ExportMember {
    pub family_id: i64,
    pub name: String,
    pub nik: Option<String>,
    pub nik_temporary: bool,
    pub sex: Option<String>,
    pub birth_date: Option<String>,
    pub relationship: String,
    pub kk: Option<String>,
}

/// Every person, family by family, streamed to `f`.
pub fn each_export_member(
    conn: &Connection,
    mut f: impl FnMut(ExportMember) -> Result<()>,
) -> Result<()> {
    let mut st = conn.prepare(
        "SELECT p.family_id, p.name, p.nik, p.nik_temporary, p.sex, p.birth_date, p.relationship, f.kk
         FROM person p JOIN family f ON f.id = p.family_id ORDER BY p.family_id, p.position",
    )?;
    let mut rows = st.query([])?;
    while let Some(r) = rows.next()? {
        f(ExportMember {
            family_id: r.get("family_id")?,
            name: r.get("name")?,
            nik: r.get("nik")?,
            nik_temporary: r.get("nik_temporary")?,
            sex: r.get("sex")?,
            birth_date: r.get("birth_date")?,
            relationship: r.get("relationship")?,
            kk: r.get("kk")?,
        })?;
    }
    Ok(())
}
