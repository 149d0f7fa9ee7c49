//! The public summary (*ringkasan publik*) of a closed month or of one event: what a facility
//! puts on its public-relations page and gives the Ombudsman. It holds no name, NIK, family
//! code, address or WBP data; a count from 1 to 4 is shown as "< 5", and a figure from which
//! such a count could be worked out (a total less the rest) is hidden too.
//!
//! The summary's data is canonical JSON (this struct). What is signed is a short statement —
//! facility, scope, key totals and the data's SHA-256 — framed as a [`crate::sign::Kind::Summary`]
//! so the QR code can carry it whole with its signature, and the embedded data is bound to it by
//! the hash.

use super::report::MonthlyReport;
use crate::error::{Error, ErrorKind, Result};
use crate::stock::FundingSource;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The format of the summary data and its statement; a later version reads every earlier one.
pub const FORMAT: u32 = 1;

/// Counts below this are shown as "< 5".
pub const SMALL: i64 = 5;

/// A figure as the public may see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "shown", content = "value", rename_all = "snake_case")]
#[ts(export)]
pub enum Shown {
    /// The exact figure (a count, a quantity or rupiah).
    Exact(#[ts(type = "string")] Decimal),
    /// A count from 1 to 4.
    Under5,
    /// Hidden because a small count could be worked out from it.
    Hidden,
}

impl Shown {
    fn count(n: i64) -> Shown {
        if n > 0 && n < SMALL {
            Shown::Under5
        } else {
            Shown::Exact(Decimal::from(n))
        }
    }

    /// As printed: "12", "< 5", "—"; quantities and rupiah by the caller's formatter.
    pub fn text(self, exact: impl Fn(Decimal) -> String) -> String {
        match self {
            Shown::Exact(d) => exact(d),
            Shown::Under5 => "< 5".into(),
            Shown::Hidden => "—".into(),
        }
    }
}

/// What a summary is of.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "of", rename_all = "snake_case")]
#[ts(export)]
pub enum Scope {
    Month {
        /// `2024-11`.
        period: String,
        revision: u32,
    },
    Event {
        id: i64,
        /// ISO date.
        date: String,
        place: String,
        kind: crate::distribution::EventKind,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SummaryFacility {
    pub code: String,
    pub name: String,
    pub kind: String,
    pub province: String,
    pub kanwil: String,
    /// WIB, WITA or WIT: the zone `as_of` is read in.
    pub time_zone: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SummaryItem {
    pub name: String,
    pub unit: String,
    pub quantity: Shown,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SummarySource {
    pub source: FundingSource,
    /// Rupiah issued from this source.
    pub value: Shown,
}

/// What one event's public summary is made from.
pub struct EventFigures {
    pub id: i64,
    pub date: String,
    pub place: String,
    pub kind: crate::distribution::EventKind,
    pub counts: Counts,
    /// (item, unit, quantity handed over).
    pub items: Vec<(String, String, Decimal)>,
    /// When the event was completed (UTC, RFC 3339).
    pub completed_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PublicSummary {
    pub format: u32,
    pub facility: SummaryFacility,
    pub scope: Scope,
    /// No hand-over at all (a nihil month).
    pub nihil: bool,
    pub families: Shown,
    pub keluarga_wbp: Shown,
    pub masyarakat_sekitar: Shown,
    pub packages: Shown,
    pub to_proxy: Shown,
    /// Events of the month (a month's summary only).
    pub events: Option<i64>,
    pub items: Vec<SummaryItem>,
    pub sources: Vec<SummarySource>,
    /// Rupiah issued in all (a month's summary only).
    pub value_issued: Option<Shown>,
    /// When the figures were fixed (the closing, UTC RFC 3339): the same summary is the same
    /// bytes however often it is made.
    pub as_of: String,
}

/// The figures before suppression.
pub struct Counts {
    pub families: i64,
    pub wbp: i64,
    pub sekitar: i64,
    pub packages: i64,
    pub to_proxy: i64,
}

/// Applies the small-count rule: 1–4 as "< 5", a part hidden when its sibling is small and the
/// total is shown (the total less the part would give the small one), and every part of a small
/// total shown "< 5" (0 included).
pub fn suppress(c: &Counts) -> [Shown; 5] {
    let families = Shown::count(c.families);
    let (mut wbp, mut sekitar) = (Shown::count(c.wbp), Shown::count(c.sekitar));
    if families != Shown::Under5 {
        if wbp == Shown::Under5 && sekitar != Shown::Under5 {
            sekitar = Shown::Hidden;
        }
        if sekitar == Shown::Under5 && wbp != Shown::Under5 {
            wbp = Shown::Hidden;
        }
    }
    // A small total: every part of it is small too, and an exact 0 beside it would tell which
    // kind of family the few were; all are shown "< 5".
    if families == Shown::Under5 {
        (wbp, sekitar) = (Shown::Under5, Shown::Under5);
    }
    let packages = Shown::count(c.packages);
    let to_proxy = if packages == Shown::Under5 {
        Shown::Under5
    } else {
        Shown::count(c.to_proxy)
    };
    [families, wbp, sekitar, packages, to_proxy]
}

/// Quantities and rupiah are shown only when the packages are not a small count (a quantity
/// divided by the package's would give it).
fn amount(packages: i64, d: Decimal) -> Shown {
    if packages > 0 && packages < SMALL {
        Shown::Hidden
    } else {
        Shown::Exact(d)
    }
}

/// The public summary of a closed month, from its stored report.
pub fn of_month(r: &MonthlyReport, facility_kind: &str) -> PublicSummary {
    let s = &r.served;
    let [families, keluarga_wbp, masyarakat_sekitar, packages, to_proxy] = suppress(&Counts {
        families: s.families,
        wbp: s.keluarga_wbp,
        sekitar: s.masyarakat_sekitar,
        packages: s.packages,
        to_proxy: s.to_proxy,
    });
    PublicSummary {
        format: FORMAT,
        facility: SummaryFacility {
            code: r.facility.code.clone(),
            name: r.facility.name.clone(),
            kind: facility_kind.to_owned(),
            province: r.facility.province.clone(),
            kanwil: r.facility.kanwil.clone(),
            time_zone: r.facility.time_zone.clone(),
        },
        scope: Scope::Month {
            period: r.period.clone(),
            revision: r.revision,
        },
        nihil: r.nihil,
        families,
        keluarga_wbp,
        masyarakat_sekitar,
        packages,
        to_proxy,
        events: Some(r.events.len() as i64),
        items: r
            .items
            .iter()
            .filter(|i| !i.handed_over.is_zero())
            .map(|i| SummaryItem {
                name: i.name.clone(),
                unit: i.unit.clone(),
                quantity: amount(s.packages, i.handed_over),
            })
            .collect(),
        sources: r
            .sources
            .iter()
            .filter(|x| !x.issued_value.is_zero())
            .map(|x| SummarySource {
                source: x.source,
                value: amount(s.packages, x.issued_value),
            })
            .collect(),
        value_issued: Some(amount(s.packages, r.issued_value)),
        as_of: r.closed_at.clone(),
    }
}

/// The public summary of one completed event.
pub fn of_event(e: EventFigures, facility: SummaryFacility) -> PublicSummary {
    let [families, keluarga_wbp, masyarakat_sekitar, packages, to_proxy] = suppress(&e.counts);
    PublicSummary {
        format: FORMAT,
        facility,
        scope: Scope::Event {
            id: e.id,
            date: e.date,
            // A home visit's place is a family's address: never in a public summary.
            place: if e.kind == crate::distribution::EventKind::KunjunganRumah {
                "rumah keluarga penerima".into()
            } else {
                e.place
            },
            kind: e.kind,
        },
        nihil: e.counts.packages == 0,
        families,
        keluarga_wbp,
        masyarakat_sekitar,
        packages,
        to_proxy,
        events: None,
        items: e
            .items
            .into_iter()
            .filter(|(_, _, q)| !q.is_zero())
            .map(|(name, unit, q)| SummaryItem {
                name,
                unit,
                quantity: amount(e.counts.packages, q),
            })
            .collect(),
        sources: Vec::new(),
        value_issued: None,
        as_of: e.completed_at,
    }
}

impl PublicSummary {
    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        serde_json::to_vec(self).map_err(Error::internal)
    }

    /// Reads summary data, refusing what is not one.
    pub fn from_bytes(b: &[u8]) -> Result<PublicSummary> {
        serde_json::from_slice(b).map_err(|_| not_a_summary())
    }

    /// The statement that is signed and carried by the QR code.
    pub fn statement(&self) -> Result<Statement> {
        let data = self.to_bytes()?;
        Ok(Statement {
            format: FORMAT,
            facility: self.facility.code.clone(),
            scope: match &self.scope {
                Scope::Month { period, revision } => format!("{period}/r{revision}"),
                Scope::Event { id, date, .. } => format!("event-{id}/{date}"),
            },
            families: self.families.text(|d| d.to_string()),
            packages: self.packages.text(|d| d.to_string()),
            sha256: super::sha256_hex(&data),
        })
    }
}

/// What the facility signs: who, of what, the key totals as shown, and the data's hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    pub format: u32,
    pub facility: String,
    pub scope: String,
    pub families: String,
    pub packages: String,
    pub sha256: String,
}

/// The QR code's text begins with this.
pub const QR_PREFIX: &str = "BANSOS-RINGKASAN";

impl Statement {
    /// The signed bytes: one line, fields separated by `|` (none may hold one).
    pub fn body(&self) -> String {
        format!(
            "{QR_PREFIX}{}|{}|{}|{}|{}|{}",
            self.format, self.facility, self.scope, self.families, self.packages, self.sha256
        )
    }

    /// The QR code's text: the body and its signature (base64url).
    pub fn qr_text(&self, signature: &[u8; 64]) -> String {
        format!("{}|{}", self.body(), crate::b64url(signature))
    }

    /// Reads a QR code's text back into the statement and its signature.
    pub fn parse_qr(s: &str) -> Result<(Statement, Vec<u8>)> {
        let parts: Vec<&str> = s.trim().split('|').collect();
        let [head, facility, scope, families, packages, sha256, sig] = parts[..] else {
            return Err(not_a_summary());
        };
        let format = head
            .strip_prefix(QR_PREFIX)
            .and_then(|f| f.parse::<u32>().ok())
            .ok_or_else(not_a_summary)?;
        let sig = crate::b64url_decode(sig).ok_or_else(not_a_summary)?;
        Ok((
            Statement {
                format,
                facility: facility.into(),
                scope: scope.into(),
                families: families.into(),
                packages: packages.into(),
                sha256: sha256.into(),
            },
            sig,
        ))
    }
}

pub fn not_a_summary() -> Error {
    Error::new(
        ErrorKind::Invalid,
        "Berkas ini bukan ringkasan publik Bansos, atau isinya rusak.",
        "This file is not a Bansos public summary, or its content is damaged.",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(families: i64, wbp: i64, sekitar: i64, packages: i64, to_proxy: i64) -> [Shown; 5] {
        suppress(&Counts {
            families,
            wbp,
            sekitar,
            packages,
            to_proxy,
        })
    }

    #[test]
    fn small_counts_and_what_would_reveal_them_are_hidden() {
        let e = |n: i64| Shown::Exact(Decimal::from(n));
        assert_eq!(
            c(12, 8, 4, 13, 2),
            [e(12), Shown::Hidden, Shown::Under5, e(13), Shown::Under5]
        );
        assert_eq!(
            c(12, 3, 9, 12, 0),
            [e(12), Shown::Under5, Shown::Hidden, e(12), e(0)]
        );
        assert_eq!(
            c(3, 1, 2, 3, 0),
            [
                Shown::Under5,
                Shown::Under5,
                Shown::Under5,
                Shown::Under5,
                Shown::Under5
            ]
        );
        // Three families, all of inmates: the 0 beside them would say so.
        assert_eq!(c(3, 3, 0, 3, 1), [Shown::Under5; 5]);
        assert_eq!(c(20, 20, 0, 20, 5), [e(20), e(20), e(0), e(20), e(5)]);
        assert_eq!(c(0, 0, 0, 0, 0), [e(0), e(0), e(0), e(0), e(0)]);
    }
}

/// One row of the summary as printed: a label, its figure, and whether it is a part of the row
/// above (indented).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub label: String,
    pub value: String,
    pub part: bool,
}

/// A titled group of rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub title: String,
    pub rows: Vec<Row>,
}

/// What the summary says, in the order both the PDF and the HTML print it (Bahasa Indonesia,
/// the language of the facility's public page). The verifier compares the file's visible text
/// with these words made from the signed data.
pub struct Words {
    /// Ministry, Kanwil, facility.
    pub letterhead: Vec<String>,
    pub title: String,
    /// "Bulan November 2024" or the event's day, place and kind.
    pub scope: String,
    pub nihil: Option<String>,
    pub sections: Vec<Section>,
    pub notes: Vec<String>,
}

fn row(label: &str, value: String, part: bool) -> Row {
    Row {
        label: label.to_owned(),
        value,
        part,
    }
}

pub fn words(s: &PublicSummary) -> Words {
    use crate::locale::{self, Lang};
    let count = |x: Shown| x.text(|d| locale::decimal(d, Lang::Id));
    let scope = match &s.scope {
        Scope::Month { period, revision } => {
            let m =
                super::Month::parse(period).map_or_else(|| period.clone(), |m| m.words(Lang::Id));
            if *revision > 1 {
                format!("Bulan {m} (revisi {revision})")
            } else {
                format!("Bulan {m}")
            }
        }
        Scope::Event {
            date, place, kind, ..
        } => {
            let day = crate::family::model::parse_date(date)
                .map_or_else(|| date.clone(), |d| locale::long_date(d, Lang::Id));
            format!(
                "Kegiatan {} — {day}, {place}",
                crate::pdf::monthly::kind_label(*kind).to_lowercase()
            )
        }
    };
    let mut served = vec![
        row("Keluarga penerima", count(s.families), false),
        row("Keluarga WBP", count(s.keluarga_wbp), true),
        row("Masyarakat sekitar", count(s.masyarakat_sekitar), true),
        row("Paket disalurkan", count(s.packages), false),
        row("Diterima oleh wakil keluarga", count(s.to_proxy), true),
    ];
    if let Some(n) = s.events {
        served.push(row(
            "Kegiatan penyaluran",
            locale::decimal(Decimal::from(n), Lang::Id),
            false,
        ));
    }
    let mut sections = vec![Section {
        title: "Penerima".into(),
        rows: served,
    }];
    if !s.items.is_empty() {
        sections.push(Section {
            title: "Barang disalurkan".into(),
            rows: s
                .items
                .iter()
                .map(|i| {
                    let q = i
                        .quantity
                        .text(|d| format!("{} {}", locale::decimal(d, Lang::Id), i.unit));
                    row(&i.name, q, false)
                })
                .collect(),
        });
    }
    if !s.sources.is_empty() {
        let mut rows: Vec<Row> = s
            .sources
            .iter()
            .map(|x| row(x.source.label_id(), x.value.text(locale::rupiah), false))
            .collect();
        if let Some(v) = s.value_issued {
            rows.push(row("Jumlah", v.text(locale::rupiah), false));
        }
        sections.push(Section {
            title: "Nilai bantuan menurut sumber dana".into(),
            rows,
        });
    }
    let tz = locale::TimeZone::parse(&s.facility.time_zone).unwrap_or_default();
    let as_of = chrono::DateTime::parse_from_rfc3339(&s.as_of)
        .map(|t| locale::date_time(t.with_timezone(&chrono::Utc), tz, Lang::Id))
        .unwrap_or_else(|_| s.as_of.clone());
    Words {
        letterhead: vec![
            "KEMENTERIAN IMIGRASI DAN PEMASYARAKATAN REPUBLIK INDONESIA".into(),
            s.facility.kanwil.to_uppercase(),
            format!("{} {}", s.facility.kind, s.facility.name).to_uppercase(),
        ],
        title: "RINGKASAN PUBLIK PENYALURAN BANTUAN SOSIAL".into(),
        scope,
        nihil: s
            .nihil
            .then(|| "NIHIL — tidak ada penyaluran pada periode ini.".to_owned()),
        sections,
        notes: vec![
            "Ringkasan ini tidak memuat nama, NIK, alamat, atau data warga binaan. Angka 1 sampai 4 ditulis \"< 5\", dan angka yang dapat dipakai untuk menghitungnya ditulis \"—\", agar tidak ada keluarga yang dapat dikenali.".into(),
            format!(
                "Angka per {as_of}, ditandatangani secara elektronik oleh {}. Pindai kode QR atau jalankan `bansos report verify-summary` untuk memeriksa keasliannya.",
                s.facility.name
            ),
        ],
    }
}

/// What a check of a summary file found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum SummaryVerdict {
    /// Signed by the facility, and the page shows exactly the signed figures.
    Valid,
    /// The signature does not hold, or the page or its QR code differ from the signed data.
    Altered,
    /// No public key is known for the facility it names.
    UnknownFacility,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SummaryCheck {
    pub verdict: SummaryVerdict,
    /// Why, in both languages (empty when valid).
    pub why_id: String,
    pub why_en: String,
    pub summary: PublicSummary,
}

/// Everything but whitespace: the PDF's text comes back with its own spacing and line breaks.
fn squeezed(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Checks a summary file (PDF or HTML): the data it carries, the QR code's statement of it, the
/// signature of the facility whose key `key_of` knows, and that the visible page is the one the
/// signed data makes. A file that is not a summary is refused as such.
pub fn verify(
    bytes: &[u8],
    key_of: impl Fn(&str) -> Option<ed25519_dalek::VerifyingKey>,
) -> Result<SummaryCheck> {
    enum Page {
        Pdf(String),
        Html(String),
    }
    let (data, qr_text, page) = if bytes.starts_with(b"%PDF") {
        let c = crate::pdf::summary::extract(bytes)?;
        (c.data, c.qr_text, Page::Pdf(c.text))
    } else {
        let text = std::str::from_utf8(bytes).map_err(|_| not_a_summary())?;
        let (data, qr) = super::summary_html::extract(text).ok_or_else(not_a_summary)?;
        (data, qr, Page::Html(text.replace("\r\n", "\n")))
    };
    let summary = PublicSummary::from_bytes(&data)?;
    if summary.format != FORMAT {
        return Err(Error::new(
            ErrorKind::Invalid,
            format!(
                "Ringkasan ini berformat {}, lebih baru dari program ini: perbarui Bansos.",
                summary.format
            ),
            format!(
                "This summary has format {}, newer than this program: update Bansos.",
                summary.format
            ),
        ));
    }
    let altered = |id: &str, en: &str, summary: PublicSummary| SummaryCheck {
        verdict: SummaryVerdict::Altered,
        why_id: id.into(),
        why_en: en.into(),
        summary,
    };
    let (stated, sig) = Statement::parse_qr(&qr_text)?;
    if stated != summary.statement()? {
        return Ok(altered(
            "Kode QR tidak cocok dengan data ringkasan (angka atau data telah diubah).",
            "The QR code does not match the summary's data (figures or data were changed).",
            summary,
        ));
    }
    let Some(key) = key_of(&summary.facility.code) else {
        return Ok(SummaryCheck {
            verdict: SummaryVerdict::UnknownFacility,
            why_id: format!("Kunci publik {} belum dikenal.", summary.facility.code),
            why_en: format!("No public key is known for {}.", summary.facility.code),
            summary,
        });
    };
    if !crate::sign::verify(
        &key,
        crate::sign::Kind::Summary,
        stated.body().as_bytes(),
        &sig,
    ) {
        return Ok(altered(
            "Tanda tangan tidak cocok: ringkasan ini bukan buatan UPT tersebut atau telah diubah.",
            "The signature does not hold: this summary was not made by that facility, or it was changed.",
            summary,
        ));
    }
    let same_page = match page {
        Page::Html(text) => text == super::summary_html::html(&summary, &qr_text)?,
        Page::Pdf(text) => {
            let made = crate::pdf::summary::summary_pdf(&summary, &qr_text, None)?;
            squeezed(&text) == squeezed(&crate::pdf::summary::extract(&made)?.text)
        }
    };
    if !same_page {
        return Ok(altered(
            "Angka atau tulisan yang tampak berbeda dari data yang ditandatangani.",
            "The figures or words shown differ from the signed data.",
            summary,
        ));
    }
    Ok(SummaryCheck {
        verdict: SummaryVerdict::Valid,
        why_id: String::new(),
        why_en: String::new(),
        summary,
    })
}
