//! The words people read for the core's enums, in this run's language (the same words as the
//! window's `ui/src/i18n`), and the value parser for a code typed on the command line. The core
//! has Indonesian labels only (`label_id`); the English ones live here until it has both.

use super::{refuse, tr, Refusal};
use bansos::distribution::{EventKind, EventStatus};
use bansos::family::import::ImportField;
use bansos::family::model::{Category, PoorReason, Relationship, Verification, WbpStatus};
use bansos::family::nik::Sex;
use bansos::family::view::{DuplicateKind, DuplicateStatus};
use bansos::stock::{AdjustmentReason, AdjustmentStatus, FundingSource, OpnameStatus};

/// A code typed on the command line (`rutin_bulanan`, `bama-kantin`, `Hasil Panen`), or a refusal
/// naming `what` (Indonesian, English) and the codes to choose from.
pub(crate) fn code<T: serde::de::DeserializeOwned>(
    s: &str,
    what: (&str, &str),
    choices: &str,
) -> Result<T, Refusal> {
    let c = s.trim().to_lowercase().replace(['-', ' ', '/'], "_");
    bansos::family::model::from_code(&c).ok_or_else(|| {
        refuse(
            format!("{} '{s}' tidak dikenal; pilih {choices}", what.0),
            format!("unknown {} '{s}'; choose {choices}", what.1),
        )
    })
}

pub(crate) const EVENT_KINDS: &str =
    "rutin_bulanan, serentak_nasional, hari_besar, kunjungan_rumah";
pub(crate) const SOURCES: &str = "csr, bama_kantin, koperasi, hasil_panen, lainnya";

pub(crate) fn event_kind(k: EventKind) -> &'static str {
    match k {
        EventKind::RutinBulanan => tr!("Rutin bulanan", "Monthly routine"),
        EventKind::SerentakNasional => tr!("Serentak nasional", "Nationwide"),
        EventKind::HariBesar => tr!("Hari besar", "Holiday"),
        EventKind::KunjunganRumah => tr!("Kunjungan rumah", "Home visit"),
    }
}

pub(crate) fn event_status(s: EventStatus) -> &'static str {
    match s {
        EventStatus::Draft => tr!("draf", "draft"),
        EventStatus::Approved => tr!("disetujui", "approved"),
        EventStatus::Completed => tr!("selesai", "completed"),
        EventStatus::Cancelled => tr!("dibatalkan", "cancelled"),
    }
}

pub(crate) fn source(s: FundingSource) -> &'static str {
    match s {
        FundingSource::Csr => tr!("CSR pihak ketiga", "Third-party CSR"),
        FundingSource::BamaKantin => tr!("Keuntungan bama/kantin", "Food and canteen profits"),
        FundingSource::Koperasi => tr!("Koperasi", "Cooperative"),
        FundingSource::HasilPanen => tr!("Hasil panen UPT", "Facility harvest"),
        FundingSource::Lainnya => tr!("Lainnya", "Other"),
    }
}

pub(crate) fn adjustment_reason(r: AdjustmentReason) -> &'static str {
    match r {
        AdjustmentReason::Rusak => tr!("rusak", "damaged"),
        AdjustmentReason::Kedaluwarsa => tr!("kedaluwarsa", "expired"),
        AdjustmentReason::Hilang => tr!("hilang", "lost"),
        AdjustmentReason::Koreksi => tr!("koreksi", "correction"),
        AdjustmentReason::Opname => tr!("stock opname", "stock-take"),
    }
}

pub(crate) fn adjustment_status(s: AdjustmentStatus) -> &'static str {
    match s {
        AdjustmentStatus::Pending => tr!("menunggu persetujuan", "awaiting approval"),
        AdjustmentStatus::Approved => tr!("disetujui", "approved"),
        AdjustmentStatus::Rejected => tr!("ditolak", "rejected"),
    }
}

pub(crate) fn opname_status(s: OpnameStatus) -> &'static str {
    match s {
        OpnameStatus::Counting => tr!("sedang dihitung", "counting"),
        OpnameStatus::Approved => tr!("disetujui", "approved"),
        OpnameStatus::Cancelled => tr!("dibatalkan", "cancelled"),
    }
}

pub(crate) fn category(c: Category) -> &'static str {
    match c {
        Category::KeluargaWbp => tr!("Keluarga WBP", "Family of an inmate"),
        Category::MasyarakatSekitar => tr!("Masyarakat sekitar", "Local community"),
    }
}

pub(crate) fn verification(v: Verification) -> &'static str {
    match v {
        Verification::Draft => tr!("draf", "draft"),
        Verification::Verified => tr!("terverifikasi", "verified"),
    }
}

pub(crate) fn relationship(r: Relationship) -> &'static str {
    match r {
        Relationship::KepalaKeluarga => tr!("Kepala keluarga", "Head of family"),
        Relationship::Istri => tr!("Istri", "Wife"),
        Relationship::Suami => tr!("Suami", "Husband"),
        Relationship::Anak => tr!("Anak", "Child"),
        Relationship::Menantu => tr!("Menantu", "Child-in-law"),
        Relationship::Cucu => tr!("Cucu", "Grandchild"),
        Relationship::OrangTua => tr!("Orang tua", "Parent"),
        Relationship::Mertua => tr!("Mertua", "Parent-in-law"),
        Relationship::FamiliLain => tr!("Famili lain", "Other relative"),
        Relationship::Lainnya => tr!("Lainnya", "Other"),
    }
}

pub(crate) fn wbp_status(s: WbpStatus) -> &'static str {
    match s {
        WbpStatus::Ditahan => tr!("Ditahan", "Held"),
        WbpStatus::Bebas => tr!("Bebas", "Released"),
        WbpStatus::Pindah => tr!("Pindah", "Transferred"),
    }
}

pub(crate) fn poor_reason(r: PoorReason) -> &'static str {
    match r {
        PoorReason::PencariNafkahDitahan => tr!(
            "Pencari nafkah sedang ditahan",
            "The breadwinner is in custody"
        ),
        PoorReason::PenghasilanTidakTetap => tr!("Penghasilan tidak tetap", "No steady income"),
        PoorReason::Lansia => tr!("Lansia", "Elderly"),
        PoorReason::Disabilitas => tr!("Penyandang disabilitas", "Person with a disability"),
        PoorReason::SakitMenahun => tr!("Sakit menahun", "Chronic illness"),
        PoorReason::TanggunganAnakBanyak => {
            tr!("Banyak tanggungan anak", "Many dependent children")
        }
        PoorReason::RumahTidakLayak => tr!("Rumah tidak layak huni", "Substandard housing"),
        PoorReason::TerdaftarDtks => tr!("Terdaftar di DTKS/DTSEN", "Listed in DTKS/DTSEN"),
        PoorReason::Lainnya => tr!("Lainnya", "Other"),
    }
}

/// "L"/"P" as on the KTP; "M"/"F" in English.
pub(crate) fn sex(s: Sex) -> &'static str {
    match s {
        Sex::L => tr!("L", "M"),
        Sex::P => tr!("P", "F"),
    }
}

pub(crate) fn import_field(f: ImportField) -> &'static str {
    tr!(f.label_id(), f.label_en())
}

pub(crate) fn duplicate_kind(k: DuplicateKind) -> &'static str {
    match k {
        DuplicateKind::SameKk => tr!("No. KK sama", "Same family card no."),
        DuplicateKind::SimilarPerson => tr!("Orang mirip", "Similar person"),
    }
}

pub(crate) fn duplicate_status(s: DuplicateStatus) -> &'static str {
    match s {
        DuplicateStatus::Open => tr!("belum diperiksa", "open"),
        DuplicateStatus::Merged => tr!("digabung", "merged"),
        DuplicateStatus::Distinct => tr!("keluarga berbeda", "different families"),
    }
}

/// A number with its noun: "3 penerima"; "1 recipient", "3 recipients".
pub(crate) fn count(n: usize, id: &str, en_one: &str, en_many: &str) -> String {
    let word = tr!(id, if n == 1 { en_one } else { en_many });
    format!("{n} {word}")
}

/// A note the program itself writes into the store in Indonesian (an opname's difference, a
/// merge's reason), in this run's language, as the window says it (`ui/src/lib/writtenNote.ts`);
/// a note a person typed, as typed.
pub(crate) fn written_note(text: &str) -> String {
    written_note_in(text, crate::lang())
}

fn written_note_in(text: &str, lang: bansos::locale::Lang) -> String {
    if lang == bansos::locale::Lang::Id {
        return text.to_owned();
    }
    if text == "selisih stock opname" {
        return "stock-take difference".to_owned();
    }
    if let Some((code, note)) = text
        .strip_prefix("Digabung ke ")
        .and_then(|r| r.split_once(": "))
        .filter(|(code, _)| code.starts_with("KLG-"))
    {
        return format!("Merged into {code}: {note}");
    }
    if let Some(n) = text
        .strip_prefix("Ikut diselesaikan oleh penggabungan pasangan #")
        .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    {
        return format!("Settled with the merge of pair #{n}");
    }
    text.to_owned()
}

#[cfg(test)]
mod tests {
    use super::written_note_in;
    use bansos::locale::Lang::{En, Id};

    #[test]
    fn notes_the_program_writes_are_said_in_english_and_typed_ones_as_typed() {
        assert_eq!(
            written_note_in("selisih stock opname", En),
            "stock-take difference"
        );
        assert_eq!(
            written_note_in("Digabung ke KLG-000012: orang yang sama", En),
            "Merged into KLG-000012: orang yang sama"
        );
        assert_eq!(
            written_note_in("Ikut diselesaikan oleh penggabungan pasangan #7", En),
            "Settled with the merge of pair #7"
        );
        assert_eq!(
            written_note_in("Digabung ke kantor lain", En),
            "Digabung ke kantor lain"
        );
        assert_eq!(
            written_note_in("selisih stock opname", Id),
            "selisih stock opname"
        );
        assert_eq!(written_note_in("karung robek", En), "karung robek");
    }
}
