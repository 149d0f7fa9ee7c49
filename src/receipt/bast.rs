//! The words of one BAST (Berita Acara Serah Terima), composed once as a [`BastPaper`] that both
//! the A4 PDF (`pdf::bast`) and the receipt viewer in the window draw, so paper and screen never
//! say different things.

use crate::distribution::EventKind;
use crate::error::{Error, Result};
use crate::facility::FacilityProfile;
use crate::family::model::parse_date;
use crate::handover::Handover;
use crate::locale::{self, Lang};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BastRow {
    pub label: String,
    pub value: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BastItem {
    pub name: String,
    /// "2,5"
    pub quantity: String,
    pub unit: String,
    pub source: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Signatory {
    /// "Yang Menerima,"
    pub caption: String,
    /// "PIHAK KEDUA" or "Kepala Rutan Kelas IIB Blora"
    pub role: String,
    pub name: String,
    /// "NIP 19…" or empty
    pub nip: String,
}

/// Everything printed on one BAST.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BastPaper {
    pub handover_id: i64,
    /// "SALINAN", "BATAL" or empty for the original.
    pub mark: String,
    /// Why it is void, printed under the mark.
    pub mark_note: String,
    pub letterhead: Vec<String>,
    pub title: String,
    pub number: String,
    pub opening: String,
    pub first_party: Vec<BastRow>,
    pub first_party_note: String,
    pub second_party: Vec<BastRow>,
    pub second_party_note: String,
    pub handover_sentence: String,
    pub items: Vec<BastItem>,
    pub statement: String,
    /// "Blora, 16 November 2024"
    pub place_date: String,
    pub receiver: Signatory,
    pub giver: Signatory,
    pub head: Signatory,
    pub qr_payload: String,
    /// The same QR code as an SVG picture, for the screen (empty on the way to a PDF).
    pub qr_svg: String,
    pub footer: Vec<String>,
    /// The QR code's modules, row by row (true = dark), `qr_size` on a side.
    #[serde(skip)]
    #[ts(skip)]
    pub qr_dark: Vec<bool>,
    #[serde(skip)]
    #[ts(skip)]
    pub qr_size: usize,
}

fn qr_code(payload: &str) -> Result<fast_qr::QRCode> {
    fast_qr::QRBuilder::new(payload)
        .ecl(fast_qr::ECL::M)
        .build()
        .map_err(|e| Error::internal(format!("QR code: {e:?}")))
}

impl BastPaper {
    /// Adds the SVG picture of the QR code (for the window).
    pub fn with_svg(mut self) -> Result<BastPaper> {
        use fast_qr::convert::Builder;
        let code = qr_code(&self.qr_payload)?;
        self.qr_svg = fast_qr::convert::svg::SvgBuilder::default()
            .margin(2)
            .to_str(&code);
        Ok(self)
    }
}

/// Which print this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Print {
    Original,
    Salinan,
}

fn kind_words(k: EventKind) -> &'static str {
    match k {
        EventKind::RutinBulanan => "penyaluran rutin bulanan",
        EventKind::SerentakNasional => "penyaluran serentak nasional",
        EventKind::HariBesar => "penyaluran hari besar",
        EventKind::KunjunganRumah => "kunjungan rumah",
    }
}

fn plain_date(iso: &str) -> String {
    use chrono::Datelike;
    parse_date(iso)
        .map(|d| {
            format!(
                "{} {} {}",
                d.day(),
                locale::month_name(d.month(), Lang::Id),
                d.year()
            )
        })
        .unwrap_or_else(|| iso.to_owned())
}

/// The town for "Blora, 16 November 2024": the facility name's last word ("Rutan Kelas IIB Blora").
fn town(f: &FacilityProfile) -> String {
    f.name
        .split_whitespace()
        .last()
        .unwrap_or_default()
        .to_owned()
}

fn row(label: &str, value: impl Into<String>) -> BastRow {
    BastRow {
        label: label.to_owned(),
        value: value.into(),
    }
}

/// How a proxy's BAST states the family's tie to the inmate: its head's, in a sentence of its own
/// ("Budi Santoso (kepala keluarga) adalah suami dari WBP …"), never read as the proxy's.
fn family_tie(head: &str, wbp_line: &str) -> String {
    if wbp_line.starts_with("Masyarakat sekitar") {
        return format!("keluarga {head}: masyarakat sekitar UPT (bukan keluarga WBP)");
    }
    let mut c = wbp_line.chars();
    let lowered = c
        .next()
        .map(|f| f.to_lowercase().collect::<String>() + c.as_str())
        .unwrap_or_default();
    format!("{head} (kepala keluarga) adalah {lowered}")
}

/// Composes the paper. `place` and `kind` come from the event; `fingerprint` is the facility
/// key's, printed so a reader can tell which key to check against.
pub fn compose(
    h: &Handover,
    place: &str,
    kind: EventKind,
    f: &FacilityProfile,
    fingerprint: &str,
    print: Print,
) -> Result<BastPaper> {
    let date = parse_date(&h.date)
        .ok_or_else(|| Error::internal(format!("hand-over date {} unreadable", h.date)))?;
    let (mark, mark_note) = if h.voided {
        ("BATAL".to_owned(), format!("Dibatalkan: {}", h.void_reason))
    } else if print == Print::Salinan {
        ("SALINAN".to_owned(), String::new())
    } else {
        (String::new(), String::new())
    };
    let nik = h.recipient_nik.clone().unwrap_or_else(|| "-".to_owned());
    // A proxy is PIHAK KEDUA in person, acting for the family named by its head; the address
    // and the tie to the inmate are the family's.
    let second = if h.to_proxy {
        vec![
            row("Nama", h.recipient_name.clone()),
            row("NIK", nik),
            row(
                "Bertindak untuk",
                format!(
                    "keluarga {} (No. Keluarga {}), sebagai {}",
                    h.head_name, h.family_code, h.proxy_relation
                ),
            ),
            row("Alamat keluarga", h.recipient_address.clone()),
            // The tie to the inmate is the family's (its head's), not the proxy's.
            row("Hubungan dengan WBP", family_tie(&h.head_name, &h.wbp_line)),
        ]
    } else {
        vec![
            row("Nama", h.recipient_name.clone()),
            row("NIK", nik),
            row("Alamat", h.recipient_address.clone()),
            row("No. Keluarga", h.family_code.clone()),
            row("Hubungan dengan WBP", h.wbp_line.clone()),
        ]
    };
    let items = h
        .items
        .iter()
        .map(|i| BastItem {
            name: i.item.clone(),
            quantity: locale::decimal(i.quantity, Lang::Id),
            unit: i.unit.clone(),
            source: i
                .sources
                .iter()
                .map(|s| s.label_id())
                .collect::<Vec<_>>()
                .join(", "),
        })
        .collect();
    let code = qr_code(&h.qr_payload)?;
    let qr_size = code.size;
    let qr_dark = code.data[..qr_size * qr_size]
        .iter()
        .map(|m| m.value())
        .collect();
    Ok(BastPaper {
        handover_id: h.id,
        mark,
        mark_note,
        letterhead: vec![
            "KEMENTERIAN IMIGRASI DAN PEMASYARAKATAN REPUBLIK INDONESIA".into(),
            f.kanwil.to_uppercase(),
            f.name.to_uppercase(),
            f.address.clone(),
        ],
        title: "BERITA ACARA SERAH TERIMA BANTUAN SOSIAL".into(),
        number: format!("Nomor: {}", h.bast_no),
        opening: format!(
            "{}, bertempat di {}, kami yang bertanda tangan di bawah ini:",
            locale::date_sentence(date),
            place.trim()
        ),
        first_party: vec![
            row("Nama", h.officer_name.clone()),
            row(
                "NIP",
                if h.officer_nip.is_empty() {
                    "-".to_owned()
                } else {
                    h.officer_nip.clone()
                },
            ),
            row("Jabatan", h.officer_position.clone()),
            row("Unit kerja", f.name.clone()),
        ],
        first_party_note: "Selanjutnya disebut PIHAK PERTAMA.".into(),
        second_party: second,
        second_party_note: "Selanjutnya disebut PIHAK KEDUA.".into(),
        handover_sentence: format!(
            "PIHAK PERTAMA menyerahkan kepada PIHAK KEDUA bantuan sosial (paket sembako) dalam rangka {} {} berupa:",
            kind_words(kind),
            f.name
        ),
        items,
        statement: "PIHAK KEDUA menyatakan telah menerima bantuan tersebut di atas dalam keadaan baik dan jumlah yang sesuai. Demikian berita acara ini dibuat dengan sebenarnya untuk dipergunakan sebagaimana mestinya.".into(),
        place_date: format!("{}, {}", town(f), plain_date(&h.date)),
        receiver: Signatory {
            caption: "Yang Menerima,".into(),
            role: "PIHAK KEDUA".into(),
            name: h.recipient_name.clone(),
            nip: String::new(),
        },
        giver: Signatory {
            caption: "Yang Menyerahkan,".into(),
            role: "PIHAK PERTAMA".into(),
            name: h.officer_name.clone(),
            nip: if h.officer_nip.is_empty() {
                String::new()
            } else {
                format!("NIP {}", h.officer_nip)
            },
        },
        head: Signatory {
            caption: "Mengetahui,".into(),
            role: format!("Kepala {}", f.name),
            name: f.head_name.clone(),
            nip: format!("NIP {}", f.head_nip),
        },
        qr_payload: h.qr_payload.clone(),
        qr_svg: String::new(),
        qr_dark,
        qr_size,
        // Broken so no line is longer than the space beside the QR allows (the facility's name,
        // of any length, on a line of its own).
        footer: vec![
            "Kode QR ini memuat tanda tangan elektronik".into(),
            format!("{} atas nomor, tanggal, penerima (tersandi)", f.name),
            "dan barang pada berita acara ini. Periksa keasliannya di menu Periksa BAST".into(),
            format!("aplikasi Bansos dengan kunci publik UPT (sidik kunci {fingerprint})."),
        ],
    })
}
