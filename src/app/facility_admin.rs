//! The facility's profile and settings, logo, the regional office's keys, and the home screen
//! (SPEC §2 item 1).

use super::{App, FacilitySettings, Overview, ADMIN, ANYONE};
use crate::audit::{self, Entry};
use crate::backup;
use crate::db;
use crate::error::{Error, Result};
use crate::facility::{self, keys, Facility, RegionalKeyInput};
use crate::staff::{self, Role};

pub(super) fn validate_regional_key(k: &RegionalKeyInput) -> Result<(String, [u8; 32])> {
    let label = crate::family::model::tidy(&k.label);
    crate::limits::check_text(
        "label",
        &label,
        crate::limits::NAME,
        ("Nama kunci Kanwil", "The regional key's label"),
    )?;
    if label.is_empty() {
        return Err(Error::invalid(
            "label",
            "Nama Kanwil untuk kunci ini wajib diisi.",
            "A label for this regional key is required.",
        ));
    }
    Ok((label, keys::parse_public_key(&k.public_key)?))
}

/// The facility's code and kind as far as they may change: a facility never becomes the Kanwil
/// or the Kanwil a facility (regional mode is chosen at setup), and the code, once a BAST, a
/// closed month or the Kanwil exchange carries it, stays — every BAST, report and bundle signed
/// under it is checked by it.
fn identity_kept(
    old: &facility::FacilityProfile,
    new: &facility::FacilityProfile,
    used: Option<facility::db::CodeUse>,
) -> Result<()> {
    use facility::db::CodeUse;
    use facility::FacilityKind::Kanwil;
    if (old.kind == Kanwil) != (new.kind == Kanwil) {
        return Err(Error::invalid(
            "kind",
            "Jenis tidak dapat diubah antara UPT dan Kanwil; mode regional dipilih saat penyiapan.",
            "The kind cannot change between a facility and a Kanwil; regional mode is chosen at setup.",
        ));
    }
    if old.code == new.code {
        return Ok(());
    }
    let Some(used) = used else { return Ok(()) };
    let (id, en) = match used {
        CodeUse::Bast => (
            "sudah tertulis di BAST yang diterbitkan",
            "it is already written on BASTs issued",
        ),
        CodeUse::ClosedMonth => (
            "sudah tertulis di laporan bulan yang ditutup",
            "it is already written in closed months' reports",
        ),
        CodeUse::Registration => (
            "sudah dikirim ke Kanwil dalam pendaftaran atau bundel",
            "it has already gone to the Kanwil in a registration or a bundle",
        ),
        CodeUse::Members => (
            "UPT yang terdaftar sudah mengenal Kanwil dengan kode ini",
            "the registered facilities already know the Kanwil by this code",
        ),
    };
    Err(Error::invalid(
        "code",
        format!(
            "Kode {} tidak dapat diubah lagi: {id}, dan semuanya diperiksa dengan kode itu.",
            old.code
        ),
        format!(
            "The code {} can no longer change: {en}, and all of it is checked by that code.",
            old.code
        ),
    ))
}

impl App {
    pub fn facility(&mut self) -> Result<Facility> {
        self.guard(ANYONE)?;
        Ok(facility::db::load(&self.conn)?.facility)
    }

    pub fn update_facility(&mut self, s: &FacilitySettings) -> Result<Facility> {
        self.guard(ADMIN)?;
        let profile = s.profile.validated()?;
        let pattern = s.receipt_pattern.trim().to_owned();
        facility::validate_receipt_pattern_for(&pattern, &profile.code)?;
        if !(1..=240).contains(&s.idle_minutes) {
            return Err(Error::invalid(
                "idle_minutes",
                "Batas tidak aktif harus antara 1 dan 240 menit.",
                "The idle limit must be between 1 and 240 minutes.",
            ));
        }
        let f = self.tx_keyed(|tx, at, actor, keys| {
            let old = facility::db::load(tx)?.facility;
            identity_kept(&old.profile, &profile, facility::db::code_in_use(tx)?)?;
            facility::db::update(tx, &profile, &pattern, s.idle_minutes)?;
            let new = facility::db::load(tx)?.facility;
            App::log(
                tx,
                at,
                actor,
                Entry::new("facility.update", "facility", &new.profile.code)
                    .before(&old)
                    .after(&new),
            )?;
            // The sign-in screen reads the name from the key file: written last, while the
            // database's write lock is held, so two admins renaming at once leave the name of
            // the rename that committed last (as staff changes do, `staff_admin`).
            keys.update(|ring| {
                ring.facility_label = new.profile.name.clone();
                Ok(())
            })?;
            Ok(new)
        })?;
        self.idle_minutes = f.idle_minutes;
        Ok(f)
    }

    pub fn set_logo(&mut self, logo_base64: Option<&str>) -> Result<Facility> {
        self.guard(ADMIN)?;
        let logo = logo_base64
            .filter(|s| !s.trim().is_empty())
            .map(facility::decode_logo)
            .transpose()?;
        self.tx(|tx, at, actor| {
            let had = facility::db::logo(tx)?.map(|l| l.len());
            facility::db::set_logo(tx, logo.as_deref())?;
            let mut e = Entry::new("facility.logo", "facility", "logo");
            if let Some(n) = had {
                e = e.before(&serde_json::json!({ "logo_bytes": n }));
            }
            if let Some(l) = &logo {
                e = e.after(&serde_json::json!({ "logo_bytes": l.len() }));
            }
            App::log(tx, at, actor, e)?;
            Ok(facility::db::load(tx)?.facility)
        })
    }

    /// The facility logo bytes (PNG or JPEG), for letterheads.
    pub fn logo(&mut self) -> Result<Option<Vec<u8>>> {
        self.guard(ANYONE)?;
        facility::db::logo(&self.conn)
    }

    pub fn add_regional_key(&mut self, k: &RegionalKeyInput) -> Result<Facility> {
        self.guard(ADMIN)?;
        let (label, pk) = validate_regional_key(k)?;
        self.tx(|tx, at, actor| {
            let id = facility::db::add_regional_key(tx, &label, &pk, at)?;
            App::log(
                tx,
                at,
                actor,
                Entry::new("regional_key.add", "regional_key", id).after(&serde_json::json!({
                    "label": label,
                    "public_key": hex::encode(pk),
                    "fingerprint": keys::fingerprint(&pk),
                })),
            )?;
            Ok(facility::db::load(tx)?.facility)
        })
    }

    pub fn remove_regional_key(&mut self, id: i64) -> Result<Facility> {
        self.guard(ADMIN)?;
        self.tx(|tx, at, actor| {
            let old = facility::db::remove_regional_key(tx, id, at)?;
            App::log(
                tx,
                at,
                actor,
                Entry::new("regional_key.remove", "regional_key", id).before(&old),
            )?;
            Ok(facility::db::load(tx)?.facility)
        })
    }

    /// How many days ahead an expiry is alerted (1–365).
    pub fn set_expiry_alert_days(&mut self, days: u32) -> Result<()> {
        self.guard(&[Role::Verifikator, Role::Admin])?;
        if !(1..=365).contains(&days) {
            return Err(Error::invalid(
                "expiry_alert_days",
                "Peringatan kedaluwarsa 1–365 hari.",
                "The expiry alert is 1–365 days.",
            ));
        }
        self.tx(|tx, at, actor| {
            let old = App::settings_in(tx)?.expiry_alert_days;
            facility::db::set_expiry_alert_days(tx, days)?;
            App::log(
                tx,
                at,
                actor,
                Entry::new("stock.expiry_alert_days", "setting", "expiry_alert_days")
                    .before(&old)
                    .after(&days),
            )?;
            Ok(())
        })
    }

    // ----- home ----------------------------------------------------------------------------

    pub fn overview(&mut self) -> Result<Overview> {
        self.guard(ANYONE)?;
        let facility = facility::db::load(&self.conn)?.facility;
        let (staff_total, staff_active) = staff::db::counts(&self.conn)?;
        Ok(Overview {
            facility,
            staff_total,
            staff_active,
            audit_entries: audit::db::count(&self.conn)?,
            audit_ok: audit::db::head_matches(&self.conn)?,
            last_backup: backup::list(&backup::dir_for(&self.db_path))
                .into_iter()
                .next(),
            db_path: self.db_path.display().to_string(),
            schema_version: db::user_version(&self.conn)?,
        })
    }
}
