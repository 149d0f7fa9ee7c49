//! The public summary as an A4 PDF: the same words as its HTML twin, its QR code, and the signed
//! data and QR text attached as embedded files (`ringkasan.json`, `ringkasan-qr.txt`), so the
//! file carries what the verifier needs. printpdf draws the page; lopdf adds the attachments
//! and reads them (and the page's text) back.

use super::monthly::{add_logo, reproducible, stable_id};
use super::{bast::Logo, Align, Doc};
use crate::error::{Error, Result};
use crate::month::summary::{not_a_summary, words, PublicSummary};
use lopdf::{dictionary, Object, Stream};

const L: f32 = 20.0;
const R: f32 = 190.0;
const CX: f32 = 105.0;
const DATA_NAME: &str = "ringkasan.json";
/// The most any one stream of a summary PDF being checked may inflate to (a real summary's
/// largest, its page, is a few tens of KB).
const INFLATED_BYTES: usize = 4 * 1024 * 1024;
const QR_NAME: &str = "ringkasan-qr.txt";

/// The QR code as a grey picture, 4 pixels a module, `side` mm wide.
fn qr(doc: &mut Doc, text: &str, x: f32, y: f32, side: f32) -> Result<()> {
    const SCALE: usize = 4;
    const QUIET: usize = 2;
    let code = fast_qr::QRBuilder::new(text)
        .ecl(fast_qr::ECL::M)
        .build()
        .map_err(|e| Error::internal(format!("QR code: {e:?}")))?;
    let n = code.size;
    let w = (n + 2 * QUIET) * SCALE;
    let mut px = vec![255u8; w * w];
    for r in 0..n {
        for c in 0..n {
            if code[r][c].value() {
                for dy in 0..SCALE {
                    let row = (r + QUIET) * SCALE + dy;
                    let col = (c + QUIET) * SCALE;
                    px[row * w + col..row * w + col + SCALE].fill(0);
                }
            }
        }
    }
    let id = doc.add_gray_image(w as u32, w as u32, px);
    // Under a fixed name: printpdf names pictures from a counter shared by the process, and the
    // same summary must be the same bytes (see `monthly::reproducible`).
    let fixed = printpdf::XObjectId("BANSOSQR".into());
    let id = match doc.pdf.resources.xobjects.map.remove(&id) {
        Some(x) => {
            doc.pdf.resources.xobjects.map.insert(fixed.clone(), x);
            fixed
        }
        None => id,
    };
    doc.image(&id, w as u32, x, y, side);
    Ok(())
}

/// The summary as a PDF whose QR code carries `qr_text`, with the data and the QR text attached.
pub fn summary_pdf(s: &PublicSummary, qr_text: &str, logo: Option<&Logo>) -> Result<Vec<u8>> {
    let w = words(s);
    let mut doc = Doc::new(&format!("{} — {}", w.title, w.scope))?;
    reproducible(&mut doc, super::monthly::instant(&s.as_of));
    let logo = logo.map(|l| add_logo(&mut doc, l));
    let cx = if logo.is_some() { 113.0 } else { CX };
    if let Some((id, h)) = &logo {
        doc.image(id, *h, L, 12.0, 22.0);
    }
    let mut y = 16.0;
    for (i, line) in w.letterhead.iter().enumerate() {
        let (size, bold) = if i + 1 == w.letterhead.len() {
            (12.0, true)
        } else {
            (9.0, true)
        };
        doc.text_fit(cx, y, size, bold, Align::Center, R - L - 10.0, line);
        y += 5.5;
    }
    y += 2.0;
    doc.rule(L, y, R, y, 1.2, 0.0);
    y += 9.0;
    doc.text_fit(CX, y, 12.0, true, Align::Center, R - L, &w.title);
    y += 6.5;
    doc.text_fit(CX, y, 10.0, false, Align::Center, R - L, &w.scope);
    y += 6.0;
    if let Some(n) = &w.nihil {
        y += 2.0;
        doc.text_fit(CX, y, 11.0, true, Align::Center, R - L, n);
        y += 6.0;
    }
    for sec in &w.sections {
        y += 5.0;
        doc.text(L, y, 10.5, true, Align::Left, &sec.title);
        y += 1.8;
        doc.rule(L, y, R, y, 0.5, 0.6);
        y += 5.2;
        for r in &sec.rows {
            let x = if r.part { L + 8.0 } else { L + 2.0 };
            doc.text_fit(x, y, 10.0, false, Align::Left, 120.0, &r.label);
            doc.text_fit(R - 2.0, y, 10.0, false, Align::Right, 50.0, &r.value);
            y += 5.6;
        }
    }
    y += 6.0;
    let side = 38.0;
    let y_qr = y.min(297.0 - 20.0 - side);
    qr(&mut doc, qr_text, L, y_qr, side)?;
    let mut ny = y_qr + 5.0;
    for n in &w.notes {
        ny = doc.paragraph(
            L + side + 6.0,
            ny,
            R - L - side - 6.0,
            8.5,
            false,
            4.2,
            6,
            n,
        ) + 6.0;
    }
    let pdf = doc.save();
    attach(&pdf, &s.to_bytes()?, qr_text)
}

/// Adds the data and the QR text as embedded files, then fixes the /ID again.
fn attach(pdf: &[u8], data: &[u8], qr_text: &str) -> Result<Vec<u8>> {
    let mut d = lopdf::Document::load_mem(pdf).map_err(Error::internal)?;
    let mut spec = |name: &str, mime: &str, bytes: Vec<u8>| {
        let file = d.add_object(Stream::new(
            dictionary! { "Type" => "EmbeddedFile", "Subtype" => Object::Name(mime.as_bytes().to_vec()) },
            bytes,
        ));
        d.add_object(dictionary! {
            "Type" => "Filespec",
            "F" => Object::string_literal(name),
            "UF" => Object::string_literal(name),
            "EF" => dictionary! { "F" => file },
        })
    };
    let data_spec = spec(DATA_NAME, "application/json", data.to_vec());
    let qr_spec = spec(QR_NAME, "text/plain", qr_text.as_bytes().to_vec());
    let names = dictionary! {
        "EmbeddedFiles" => dictionary! {
            "Names" => vec![
                Object::string_literal(DATA_NAME), Object::Reference(data_spec),
                Object::string_literal(QR_NAME), Object::Reference(qr_spec),
            ],
        },
    };
    let root = d
        .trailer
        .get(b"Root")
        .and_then(Object::as_reference)
        .map_err(Error::internal)?;
    d.get_object_mut(root)
        .and_then(Object::as_dict_mut)
        .map_err(Error::internal)?
        .set("Names", names);
    let mut out = Vec::new();
    d.save_to(&mut out).map_err(Error::internal)?;
    Ok(stable_id(out))
}

/// What a summary PDF carries: its data, its QR text and the text of its pages.
pub struct Carried {
    pub data: Vec<u8>,
    pub qr_text: String,
    pub text: String,
}

/// Reads the attachments and the visible text of a summary PDF.
pub fn extract(pdf: &[u8]) -> Result<Carried> {
    // Every stream is decompressed against a limit: a small PDF may inflate to gigabytes.
    let d = lopdf::Document::load_mem_with_options(
        pdf,
        lopdf::LoadOptions::with_max_decompressed_size(INFLATED_BYTES),
    )
    .map_err(|_| not_a_summary())?;
    let catalog = d.catalog().map_err(|_| not_a_summary())?;
    let names = catalog
        .get_deref(b"Names", &d)
        .and_then(Object::as_dict)
        .and_then(|n| n.get_deref(b"EmbeddedFiles", &d))
        .and_then(Object::as_dict)
        .and_then(|e| e.get_deref(b"Names", &d))
        .and_then(Object::as_array)
        .map_err(|_| not_a_summary())?;
    let (mut data, mut qr_text) = (None, None);
    for pair in names.chunks(2) {
        let [name, spec] = pair else { continue };
        let Ok(name) = name.as_str() else { continue };
        let file = spec
            .as_reference()
            .and_then(|r| d.get_dictionary(r))
            .and_then(|s| s.get_deref(b"EF", &d))
            .and_then(Object::as_dict)
            .and_then(|ef| ef.get_deref(b"F", &d))
            .and_then(Object::as_stream);
        let Ok(stream) = file else { continue };
        let bytes = if stream.filters().is_ok_and(|f| !f.is_empty()) {
            match stream.decompressed_content_with_limit(INFLATED_BYTES) {
                Ok(b) => b,
                Err(_) => return Err(not_a_summary()),
            }
        } else {
            stream.content.clone()
        };
        if name == DATA_NAME.as_bytes() {
            data = Some(bytes);
        } else if name == QR_NAME.as_bytes() {
            qr_text = String::from_utf8(bytes).ok();
        }
    }
    let pages: Vec<u32> = d.get_pages().keys().copied().collect();
    let text = d
        .extract_text_with_limit(&pages, INFLATED_BYTES)
        .map_err(|_| not_a_summary())?;
    Ok(Carried {
        data: data.ok_or_else(not_a_summary)?,
        qr_text: qr_text.ok_or_else(not_a_summary)?,
        text,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A "summary" of 40 KB whose data inflates to 32 MB (a decompression bomb: gigabytes when
    /// nested) is not a summary; it was inflated whole, without a limit.
    #[test]
    fn a_summary_whose_data_inflates_past_the_limit_is_not_a_summary() {
        let mut d = lopdf::Document::with_version("1.7");
        let pages = d.new_object_id();
        let page = d.add_object(dictionary! { "Type" => "Page", "Parent" => pages });
        d.objects.insert(
            pages,
            Object::Dictionary(dictionary! {
                "Type" => "Pages", "Kids" => vec![Object::Reference(page)], "Count" => 1,
            }),
        );
        let mut bomb = Stream::new(
            dictionary! { "Type" => "EmbeddedFile" },
            vec![b' '; 32 * 1024 * 1024],
        );
        bomb.compress().unwrap();
        assert!(bomb.content.len() < 200 * 1024, "{}", bomb.content.len());
        let file = d.add_object(bomb);
        let spec = d.add_object(dictionary! {
            "Type" => "Filespec", "F" => Object::string_literal(DATA_NAME), "EF" => dictionary! { "F" => file },
        });
        let catalog = d.add_object(dictionary! {
            "Type" => "Catalog",
            "Pages" => pages,
            "Names" => dictionary! { "EmbeddedFiles" => dictionary! {
                "Names" => vec![Object::string_literal(DATA_NAME), Object::Reference(spec)],
            } },
        });
        d.trailer.set("Root", catalog);
        let mut pdf = Vec::new();
        d.save_to(&mut pdf).unwrap();
        assert!(pdf.len() < crate::limits::SUMMARY_FILE_BYTES);
        let e = extract(&pdf).err().expect("refused");
        assert_eq!(e.kind, not_a_summary().kind, "{e:?}");
    }
}
