//! The exchange's files as the window handles them: saved where the person chose in the save
//! dialog (a registration, a bundle, an enrollment, the recap, a head answer), and read from the
//! files or folder they picked (an enrollment, answers, bundles — each within its limit, a
//! folder's files by their ending, not its subfolders).

use super::{App, SavedFile};
use crate::bundle::{self, BUNDLE_BYTES, FOLDER_FILES, SMALL_FILE_BYTES};
use crate::error::{Error, Result};
use crate::kanwil::Verdict;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use ts_rs::TS;

/// One file of several read at once: its name and what became of it.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FileOutcome<T> {
    pub file_name: String,
    pub ok: Option<T>,
    /// Why it was refused, in both languages (the window shows its own).
    pub error_id: Option<String>,
    pub error_en: Option<String>,
}

/// What importing bundles did: a verdict per file and where the answers were saved.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ImportReport {
    /// Key rotation statements found with the bundles, taken first.
    pub rotations: Vec<FileOutcome<super::RotationApplied>>,
    pub verdicts: Vec<Verdict>,
    /// Files that could not be read at all (too large, unreadable).
    pub unreadable: Vec<FileOutcome<String>>,
    pub answers_saved: Vec<String>,
}

fn name_of(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| p.display().to_string())
}

fn has_ext(p: &Path, ext: &str) -> bool {
    p.extension().is_some_and(|e| e == ext)
}

/// Files to read: each path a file, or a folder's files ending in `.ext`. A file named on its
/// own that is a key rotation statement is left to [`App::apply_rotation_files`].
pub fn files_in(paths: &[PathBuf], ext: &str) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for p in paths {
        if ext != bundle::ROTATION_EXT && p.is_file() && has_ext(p, bundle::ROTATION_EXT) {
            continue;
        }
        if p.is_dir() {
            let rd = std::fs::read_dir(p).map_err(|e| Error::io(p, e))?;
            let mut found: Vec<PathBuf> = rd
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|f| f.is_file() && f.extension().is_some_and(|e| e == ext))
                .collect();
            found.sort();
            out.extend(found);
        } else {
            out.push(p.clone());
        }
        if out.len() > FOLDER_FILES {
            return Err(Error::invalid(
                "files",
                format!("Terlalu banyak berkas sekaligus (paling banyak {FOLDER_FILES})."),
                format!("Too many files at once (at most {FOLDER_FILES})."),
            ));
        }
    }
    Ok(out)
}

/// Bundle files that could not be read, with why (filled from the reading thread).
pub type Unreadable = std::sync::Mutex<Vec<(PathBuf, Error)>>;

/// Bundle files read one at a time as an import reaches them (a province's year is hundreds of
/// megabytes), each within the bundle limit: (name, bytes). One that cannot be read is put in
/// `failed` and passed over.
pub fn bundles_read_in_turn<'a>(
    paths: &'a [PathBuf],
    failed: &'a Unreadable,
) -> impl Iterator<Item = (String, Vec<u8>)> + Send + 'a {
    paths.iter().filter_map(
        |p| match crate::files::read_bounded(p, BUNDLE_BYTES as usize) {
            Ok(b) => Some((name_of(p), b)),
            Err(e) => {
                if let Ok(mut f) = failed.lock() {
                    f.push((p.clone(), e));
                }
                None
            }
        },
    )
}

impl<T> FileOutcome<T> {
    fn of(p: &Path, r: Result<T>) -> FileOutcome<T> {
        match r {
            Ok(v) => FileOutcome {
                file_name: name_of(p),
                ok: Some(v),
                error_id: None,
                error_en: None,
            },
            Err(e) => FileOutcome {
                file_name: name_of(p),
                ok: None,
                error_id: Some(e.message(crate::locale::Lang::Id).to_owned()),
                error_en: Some(e.message(crate::locale::Lang::En).to_owned()),
            },
        }
    }
}

impl App {
    /// The registration file, saved at `path`.
    pub fn save_registration(&mut self, path: &Path) -> Result<SavedFile> {
        let (_, bytes) = self.registration_file()?;
        self.saved(path, &bytes)
    }

    /// Imports the enrollment file at `path`.
    pub fn import_enrollment_file(
        &mut self,
        path: &Path,
        fingerprint: Option<&str>,
    ) -> Result<super::EnrollmentInfo> {
        let bytes = crate::files::read_bounded(path, SMALL_FILE_BYTES as usize)?;
        self.import_enrollment(&bytes, fingerprint)
    }

    /// Bundle `seq`, saved at `path` (a folder, a stick): its stored bytes; the bundle is sent.
    pub fn save_bundle(&mut self, seq: u64, path: &Path) -> Result<SavedFile> {
        let (_, _, bytes) = self.bundle_file(Some(seq), None)?;
        let saved = self.saved(path, &bytes)?;
        self.bundle_sent(seq, &saved.path)?;
        Ok(saved)
    }

    /// Imports answer files (or a folder of them), each on its own.
    pub fn import_answer_files(
        &mut self,
        paths: &[PathBuf],
    ) -> Result<Vec<FileOutcome<super::AnswerOutcome>>> {
        let mut out = Vec::new();
        for p in files_in(paths, bundle::ANSWER_EXT)? {
            let r = crate::files::read_bounded(&p, SMALL_FILE_BYTES as usize)
                .and_then(|b| self.import_answer(&b));
            out.push(FileOutcome::of(&p, r));
        }
        Ok(out)
    }

    /// Reads a registration file at `path` (what to compare by telephone).
    pub fn read_registration_file(&mut self, path: &Path) -> Result<super::Registered> {
        let bytes = crate::files::read_bounded(path, SMALL_FILE_BYTES as usize)?;
        self.read_registration(&bytes)
    }

    /// Registers the facility whose registration is at `path` and saves its enrollment file at
    /// `enrollment`.
    pub fn register_facility_file(
        &mut self,
        path: &Path,
        fingerprint: &str,
        enrollment: &Path,
    ) -> Result<SavedFile> {
        self.refuse_store_files(enrollment)?;
        let bytes = crate::files::read_bounded(path, SMALL_FILE_BYTES as usize)?;
        let (_, file) = self.register_facility(&bytes, fingerprint)?;
        self.saved(enrollment, &file)
    }

    /// Imports bundle files (or folders of them); every answer is saved in `answers` (a file of
    /// the same bytes already there is not written twice).
    pub fn import_bundle_files(
        &mut self,
        paths: &[PathBuf],
        answers: &Path,
    ) -> Result<ImportReport> {
        // A file in that folder, as the answers will be: never in the backup folder.
        self.refuse_store_files(&answers.join("-"))?;
        // The answers' folder is there before anything is imported, not found missing after.
        std::fs::read_dir(answers).map_err(|e| Error::io(answers, e))?;
        let rotations = self.apply_rotation_files(paths)?;
        let found = files_in(paths, bundle::BUNDLE_EXT)?;
        let failed = Unreadable::default();
        let verdicts =
            self.import_bundle_stream(found.len() as u64, bundles_read_in_turn(&found, &failed))?;
        let unreadable = failed
            .into_inner()
            .unwrap_or_else(|e| e.into_inner())
            .into_iter()
            .map(|(p, e)| FileOutcome::of(&p, Err(e)))
            .collect();
        let mut saved = Vec::new();
        for v in verdicts
            .iter()
            .chain(verdicts.iter().flat_map(|v| v.released.iter()))
        {
            if let Some((name, bytes)) = &v.answer {
                let target = answers.join(name);
                if std::fs::read(&target).is_ok_and(|b| b == *bytes) {
                    continue;
                }
                crate::files::write_atomic(&target, bytes)?;
                saved.push(target.display().to_string());
            }
        }
        Ok(ImportReport {
            rotations,
            verdicts,
            unreadable,
            answers_saved: saved,
        })
    }

    /// Takes the key rotation statements among `paths` (files, or a folder's files ending in
    /// `.bansos-key-rotation`), before the bundles they come with.
    pub fn apply_rotation_files(
        &mut self,
        paths: &[PathBuf],
    ) -> Result<Vec<FileOutcome<super::RotationApplied>>> {
        let mut out = Vec::new();
        let mut waiting = Vec::new();
        for p in files_in(paths, bundle::ROTATION_EXT)?
            .into_iter()
            .filter(|p| has_ext(p, bundle::ROTATION_EXT))
        {
            match crate::files::read_bounded(&p, SMALL_FILE_BYTES as usize) {
                Ok(b) => waiting.push((p, b)),
                Err(e) => out.push(FileOutcome::of(&p, Err(e))),
            }
        }
        // Two changes in a row (A → B, then B → C) may lie on the stick in any order: the
        // second is taken once the first has made its old key known. Passes until none is.
        loop {
            let mut refused = Vec::new();
            let before = waiting.len();
            for (p, b) in waiting {
                match self.apply_key_rotation(&b) {
                    Ok(r) => out.push(FileOutcome::of(&p, Ok(r))),
                    Err(e) => refused.push((p, b, e)),
                }
            }
            if refused.len() == before || refused.is_empty() {
                out.extend(
                    refused
                        .into_iter()
                        .map(|(p, _, e)| FileOutcome::of(&p, Err(e))),
                );
                break;
            }
            waiting = refused.into_iter().map(|(p, b, _)| (p, b)).collect();
        }
        Ok(out)
    }

    /// The latest key rotation statement, saved at `path` (as often as needed).
    pub fn save_rotation(&mut self, path: &Path) -> Result<SavedFile> {
        self.refuse_store_files(path)?;
        let (_, bytes) = self.rotation_file()?;
        self.saved(path, &bytes)
    }

    /// The by-name list of a closed `period` for the Kanwil's request `reference`, saved at
    /// `path` (checked before the list is made).
    pub fn save_byname(
        &mut self,
        period: &str,
        reference: &str,
        path: &Path,
    ) -> Result<(super::ByNameMade, SavedFile)> {
        self.refuse_store_files(path)?;
        let (made, bytes) = self.byname_file(period, reference)?;
        Ok((made, self.saved(path, &bytes)?))
    }

    /// Opens the by-name list at `path` (at the Kanwil).
    pub fn open_byname_file(&mut self, path: &Path) -> Result<super::ByNameOpened> {
        let bytes = crate::files::read_bounded(path, bundle::BYNAME_BYTES as usize)?;
        self.open_byname(&bytes)
    }

    /// The by-name list at `source`, opened again (and so logged again) and saved as XLSX at
    /// `path`: the sheet is made from the file as checked and decrypted now.
    pub fn save_byname_xlsx(&mut self, source: &Path, path: &Path) -> Result<SavedFile> {
        self.refuse_store_files(path)?;
        let o = self.open_byname_file(source)?;
        let xlsx = crate::kanwil::xlsx::byname_xlsx(&o.facility, &o.period, &o.reference, &o.rows)?;
        self.saved(path, &xlsx)
    }

    /// The recap of `period` as PDF (`pdf`) or XLSX, saved at `path`.
    pub fn save_recap(&mut self, period: &str, pdf: bool, path: &Path) -> Result<SavedFile> {
        let r = self.regional_recap(period)?;
        let bytes = if pdf {
            crate::pdf::recap::recap_pdf(&r)?
        } else {
            crate::kanwil::xlsx::recap_xlsx(&r)?
        };
        self.saved(path, &bytes)
    }

    /// A facility's head as a fresh signed answer, saved at `path`.
    pub fn save_head_answer(&mut self, code: &str, path: &Path) -> Result<SavedFile> {
        let (_, bytes) = self.head_answer(code)?;
        self.saved(path, &bytes)
    }
}
