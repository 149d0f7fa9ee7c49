//! The public summary as one self-contained HTML file: no external asset (fonts, styles and the
//! QR code are inside), the signed data in a `<script type="application/json">` block, the QR
//! code's text in a `<meta>`. The page is made only from the data, so the verifier makes it
//! again from the data it carries and requires the same page.

use super::summary::{words, PublicSummary};
use crate::error::{Error, Result};

/// Where the data block starts and ends (its content is base64, so it can never hold `<`).
const DATA_OPEN: &str = "<script type=\"application/json\" id=\"bansos-ringkasan\">";
const DATA_CLOSE: &str = "</script>";
const QR_META: &str = "<meta name=\"bansos-ringkasan-qr\" content=\"";

fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

const STYLE: &str = "body{font-family:'Noto Sans','DejaVu Sans',Arial,sans-serif;color:#1d2733;background:#fff;margin:0}\
main{max-width:46rem;margin:2rem auto;padding:0 1.25rem}\
.kop{text-align:center;border-bottom:2px solid #1d2733;padding-bottom:.6rem;margin-bottom:1.2rem}\
.kop p{margin:.1rem 0;font-size:.85rem}.kop p:last-child{font-size:1.1rem;font-weight:700}\
h1{font-size:1.15rem;text-align:center;margin:.4rem 0}\
.scope{text-align:center;margin:0 0 1rem}.nihil{text-align:center;font-weight:700;color:#8a1c1c}\
h2{font-size:1rem;margin:1.3rem 0 .4rem;border-bottom:1px solid #c9d1da;padding-bottom:.2rem}\
table{width:100%;border-collapse:collapse}td{padding:.25rem .3rem;border-bottom:1px solid #eef1f4}\
td.v{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}td.part{padding-left:1.6rem}\
.qr{display:flex;gap:1rem;align-items:center;margin-top:1.5rem}.qr svg{width:9rem;height:9rem;flex:none}\
.notes p{font-size:.85rem;color:#44515e;margin:.3rem 0}";

/// The page for `s`, whose QR code carries `qr_text`.
pub fn html(s: &PublicSummary, qr_text: &str) -> Result<String> {
    use fast_qr::convert::Builder;
    let w = words(s);
    let data = crate::encode_base64(&s.to_bytes()?);
    let qr = fast_qr::QRBuilder::new(qr_text)
        .ecl(fast_qr::ECL::M)
        .build()
        .map_err(|e| Error::internal(format!("QR code: {e:?}")))?;
    let svg = fast_qr::convert::svg::SvgBuilder::default()
        .margin(2)
        .to_str(&qr);
    let mut o = String::new();
    o.push_str("<!DOCTYPE html>\n<html lang=\"id\">\n<head>\n<meta charset=\"utf-8\">\n");
    o.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    o.push_str(&format!("{QR_META}{}\">\n", esc(qr_text)));
    o.push_str(&format!(
        "<title>{} — {}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n",
        esc(&w.title),
        esc(&w.scope)
    ));
    o.push_str("<header class=\"kop\">\n");
    for l in &w.letterhead {
        o.push_str(&format!("<p>{}</p>\n", esc(l)));
    }
    o.push_str("</header>\n");
    o.push_str(&format!("<h1>{}</h1>\n", esc(&w.title)));
    o.push_str(&format!("<p class=\"scope\">{}</p>\n", esc(&w.scope)));
    if let Some(n) = &w.nihil {
        o.push_str(&format!("<p class=\"nihil\">{}</p>\n", esc(n)));
    }
    for sec in &w.sections {
        o.push_str(&format!("<h2>{}</h2>\n<table>\n", esc(&sec.title)));
        for r in &sec.rows {
            let class = if r.part { " class=\"part\"" } else { "" };
            o.push_str(&format!(
                "<tr><td{class}>{}</td><td class=\"v\">{}</td></tr>\n",
                esc(&r.label),
                esc(&r.value)
            ));
        }
        o.push_str("</table>\n");
    }
    o.push_str("<section class=\"qr\">\n");
    o.push_str(&svg);
    o.push_str("\n<div class=\"notes\">\n");
    for n in &w.notes {
        o.push_str(&format!("<p>{}</p>\n", esc(n)));
    }
    o.push_str("</div>\n</section>\n</main>\n");
    o.push_str(&format!(
        "{DATA_OPEN}\"{data}\"{DATA_CLOSE}\n</body>\n</html>\n"
    ));
    Ok(o)
}

/// The signed data and the QR code's text an HTML summary carries, if it carries them.
pub fn extract(page: &str) -> Option<(Vec<u8>, String)> {
    let start = page.find(DATA_OPEN)? + DATA_OPEN.len();
    let end = start + page[start..].find(DATA_CLOSE)?;
    let b64 = page[start..end].trim().trim_matches('"');
    let data = crate::decode_base64("file", b64).ok()?;
    let q = page.find(QR_META)? + QR_META.len();
    let q_end = q + page[q..].find('"')?;
    let qr = page[q..q_end]
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
    Some((data, qr))
}
