//! The BAST's A4 page: the words composed in `receipt::bast`, drawn with the letterhead, the item
//! table, the three signature blocks and the QR code.

use super::{text_width, Align, Doc};
use crate::error::Result;
use crate::receipt::bast::{BastPaper, BastRow, Signatory};
use printpdf::XObjectId;

/// A logo ready for the letterhead: decoded, shrunk to at most 240 px, flattened on white.
pub struct Logo {
    pub width: u32,
    pub height: u32,
    pub rgb: Vec<u8>,
}

impl Logo {
    pub fn from_bytes(bytes: &[u8]) -> Option<Logo> {
        let img = image::load_from_memory(bytes).ok()?;
        let img = img.thumbnail(240, 240).to_rgba8();
        let (width, height) = img.dimensions();
        let mut rgb = Vec::with_capacity((width * height * 3) as usize);
        for p in img.pixels() {
            let a = u16::from(p[3]);
            for c in &p.0[..3] {
                rgb.push(((u16::from(*c) * a + 255 * (255 - a)) / 255) as u8);
            }
        }
        Some(Logo { width, height, rgb })
    }

    /// The same picture as a PNG, for the window.
    pub fn png(&self) -> Vec<u8> {
        let mut out = std::io::Cursor::new(Vec::new());
        let _ = image::RgbImage::from_raw(self.width, self.height, self.rgb.clone())
            .map(|i| i.write_to(&mut out, image::ImageFormat::Png));
        out.into_inner()
    }
}

const L: f32 = 18.0;
const R: f32 = 192.0;
const BODY: f32 = 10.0;
const LEAD: f32 = 5.0;

/// Rows of "label : value"; a value wraps in at most `lines` lines.
fn rows(doc: &mut Doc, mut y: f32, rows: &[BastRow], lines: usize) -> f32 {
    for r in rows {
        let ls = sized(&r.label, BODY, false, 39.5, 8.0);
        doc.text_fit(L + 4.0, y, ls, false, Align::Left, 39.5, &r.label);
        doc.text(L + 44.0, y, BODY, false, Align::Left, ":");
        y = doc.paragraph(
            L + 47.0,
            y,
            R - L - 47.0,
            BODY,
            false,
            LEAD,
            lines,
            &r.value,
        ) + 5.3;
    }
    y
}

/// The size at which `t` fits `width` mm, from `size` down to `min` (then it is cut to fit).
fn sized(t: &str, size: f32, bold: bool, width: f32, min: f32) -> f32 {
    (size * width / text_width(t, size, bold).max(width)).max(min)
}

/// A signature block centred on `x`, 60 mm wide; returns the bottom of its last line.
fn signatory(doc: &mut Doc, x: f32, y: f32, s: &Signatory) -> f32 {
    const W: f32 = 60.0;
    // A long facility or person's name is set smaller so the three columns never collide, and
    // cut with an ellipsis if even the smallest size is too wide.
    doc.text_fit(x, y, BODY, false, Align::Center, W, &s.caption);
    let rs = sized(&s.role, BODY, true, W, 6.5);
    doc.text_fit(x, y + 5.0, rs, true, Align::Center, W, &s.role);
    let ns = sized(&s.name, BODY, true, W, 6.5);
    let name = super::fit(&s.name, ns, true, W);
    doc.text(x, y + 27.0, ns, true, Align::Center, &name);
    let w = text_width(&name, ns, true);
    doc.rule(x - w / 2.0, y + 28.0, x + w / 2.0, y + 28.0, 0.5, 0.0);
    if !s.nip.is_empty() {
        doc.text_fit(x, y + 32.0, 9.0, false, Align::Center, W, &s.nip);
    }
    y + 33.0
}

/// The QR code as a grey picture, `SCALE` pixels per module, `side` mm wide with its top-left at
/// (x, y). Enlarged ahead of time, the modules stay sharp in viewers that smooth pictures, and it
/// costs one image instead of hundreds of paths.
fn qr(doc: &mut Doc, p: &BastPaper, x: f32, y: f32, side: f32) -> f32 {
    const SCALE: usize = 4;
    let n = p.qr_size;
    if n == 0 {
        return 0.0;
    }
    let w = n * SCALE;
    let mut px = Vec::with_capacity(w * w);
    for r in 0..n {
        let row: Vec<u8> = p.qr_dark[r * n..(r + 1) * n]
            .iter()
            .flat_map(|d| [if *d { 0u8 } else { 255u8 }; SCALE])
            .collect();
        for _ in 0..SCALE {
            px.extend_from_slice(&row);
        }
    }
    let id = doc.add_gray_image(w as u32, w as u32, px);
    doc.image(&id, w as u32, x, y, side);
    side
}

/// The signatures end at most this far down, so the QR code (at least 28 mm) fits below them.
const SIGNATURES_END: f32 = 253.0;

/// Draws one BAST on the current (empty) page of `doc`, every text wrapped in at most `lines`
/// lines or cut to its box; returns where the signatures end.
fn draw(
    doc: &mut Doc,
    p: &BastPaper,
    logo: Option<(&XObjectId, u32)>,
    lines: usize,
) -> Result<f32> {
    // Letterhead: each line set smaller if need be, then cut, within the room beside the logo.
    let cx = if logo.is_some() { 113.0 } else { 105.0 };
    let room = if logo.is_some() { 138.0 } else { 180.0 };
    if let Some((id, px_h)) = logo {
        doc.image(id, px_h, L, 11.0, 24.0);
    }
    let sizes = [(9.0, true), (10.0, true), (13.0, true), (8.5, false)];
    let ys = [16.0, 21.5, 28.5, 34.0];
    for ((line, (size, bold)), y) in p.letterhead.iter().zip(sizes).zip(ys) {
        let size = sized(line, size, bold, room, size * 0.7);
        doc.text_fit(cx, y, size, bold, Align::Center, room, line);
    }
    doc.rule(L - 3.0, 37.5, R + 3.0, 37.5, 1.6, 0.0);
    doc.rule(L - 3.0, 38.6, R + 3.0, 38.6, 0.4, 0.0);

    // Title, number, and the mark of a copy or a void receipt
    doc.text(105.0, 48.0, 12.0, true, Align::Center, &p.title);
    let tw = text_width(&p.title, 12.0, true);
    doc.rule(105.0 - tw / 2.0, 49.2, 105.0 + tw / 2.0, 49.2, 0.6, 0.0);
    doc.text_fit(105.0, 54.5, BODY, false, Align::Center, 120.0, &p.number);
    if !p.mark.is_empty() {
        let w = text_width(&p.mark, 15.0, true) + 8.0;
        doc.frame(R + 3.0 - w, 41.5, w, 10.0, 1.4);
        doc.text(R + 3.0 - w / 2.0, 49.0, 15.0, true, Align::Center, &p.mark);
    }

    let mut y = doc.paragraph(L, 64.0, R - L, BODY, false, LEAD, lines, &p.opening) + 7.0;
    y = rows(doc, y, &p.first_party, lines);
    doc.text_fit(L, y, BODY, false, Align::Left, R - L, &p.first_party_note);
    y += 7.5;
    y = rows(doc, y, &p.second_party, lines);
    doc.text_fit(L, y, BODY, false, Align::Left, R - L, &p.second_party_note);
    y += 7.5;
    y = doc.paragraph(L, y, R - L, BODY, false, LEAD, lines, &p.handover_sentence) + 4.0;

    // Item table: every item, each cell within its column.
    let cols = [L, L + 10.0, L + 78.0, L + 104.0, L + 124.0, R];
    let cell = |i: usize| cols[i + 1] - cols[i] - 3.0;
    // Up to four items at full height; more share about the same room.
    let row_h = if p.items.len() > 4 {
        (30.0 / p.items.len() as f32).max(4.2)
    } else {
        6.5
    };
    let top = y;
    let heads = ["No", "Nama barang", "Jumlah", "Satuan", "Sumber dana"];
    for (i, h) in heads.iter().enumerate() {
        doc.text_fit(cols[i] + 1.5, y + 4.6, 9.0, true, Align::Left, cell(i), h);
    }
    y += 6.5;
    doc.rule(L, top, R, top, 0.6, 0.0);
    doc.rule(L, y, R, y, 0.6, 0.0);
    for (n, it) in p.items.iter().enumerate() {
        let base = y + row_h - 1.9;
        doc.text(
            cols[0] + 1.5,
            base,
            9.0,
            false,
            Align::Left,
            &(n + 1).to_string(),
        );
        doc.text_fit(
            cols[1] + 1.5,
            base,
            9.0,
            false,
            Align::Left,
            cell(1),
            &it.name,
        );
        doc.text_fit(
            cols[3] - 2.0,
            base,
            9.0,
            false,
            Align::Right,
            cell(2),
            &it.quantity,
        );
        doc.text_fit(
            cols[3] + 1.5,
            base,
            9.0,
            false,
            Align::Left,
            cell(3),
            &it.unit,
        );
        doc.text_fit(
            cols[4] + 1.5,
            base,
            8.5,
            false,
            Align::Left,
            cell(4),
            &it.source,
        );
        y += row_h;
        doc.rule(L, y, R, y, 0.3, 0.0);
    }
    for x in cols {
        doc.rule(x, top, x, y, 0.4, 0.0);
    }
    y += 7.0;
    y = doc.paragraph(L, y, R - L, BODY, false, LEAD, lines, &p.statement) + 8.0;

    // Signatures in one row: receiver, the head who knows of it (room for the stamp), giver.
    doc.text_fit(172.0, y, BODY, false, Align::Center, 60.0, &p.place_date);
    y += 5.5;
    signatory(doc, 40.0, y, &p.receiver);
    signatory(doc, 105.0, y, &p.head);
    Ok(signatory(doc, 172.0, y, &p.giver))
}

/// The QR code and how to check it, below the signatures that end at `end`.
fn foot(doc: &mut Doc, p: &BastPaper, end: f32) {
    // QR code and how to check it, at the foot of the page (lower when the page is full). It is
    // printed 40 mm wide (about 0.65 mm a module), so that a scan at 150 dpi or a phone photo
    // still gives each module several pixels; a page full of items gives it less room.
    let qy = (end + 6.0).max(245.0);
    let side = (287.0 - qy).clamp(28.0, 40.0);
    let size = qr(doc, p, L - 2.0, qy.min(287.0 - side), side);
    let text_room = R - L - size - 3.0;
    let mut fy = qy + 6.0;
    for line in &p.footer {
        doc.text_fit(L + size + 3.0, fy, 7.5, false, Align::Left, text_room, line);
        fy += 4.0;
    }
    if !p.mark_note.is_empty() {
        doc.paragraph(
            L + size + 3.0,
            fy + 2.0,
            text_room,
            8.5,
            true,
            4.0,
            3,
            &p.mark_note,
        );
    }
}

/// Draws one BAST so that it fits its page: texts wrap in up to three lines, and when the page
/// would not then hold the signatures and the QR code, what was drawn is taken back and drawn
/// again with fewer.
pub fn draw_fitted(doc: &mut Doc, p: &BastPaper, logo: Option<(&XObjectId, u32)>) -> Result<()> {
    let start = doc.mark();
    for lines in [3, 2, 1] {
        let end = draw(doc, p, logo, lines)?;
        if end <= SIGNATURES_END || lines == 1 {
            foot(doc, p, end);
            return Ok(());
        }
        doc.rollback(&start);
    }
    Ok(())
}

/// Renders BASTs, one per page, into one PDF.
pub fn render(papers: &[BastPaper], logo: Option<&Logo>, title: &str) -> Result<Vec<u8>> {
    render_with(papers, logo, title, &mut |_| {})
}

/// [`render`], telling `on_page` how many pages are drawn after each one.
pub fn render_with(
    papers: &[BastPaper],
    logo: Option<&Logo>,
    title: &str,
    on_page: &mut dyn FnMut(usize),
) -> Result<Vec<u8>> {
    let mut doc = Doc::new(title)?;
    let logo = logo.map(|l| {
        (
            doc.add_rgb_image(l.width, l.height, l.rgb.clone()),
            l.height,
        )
    });
    for (i, p) in papers.iter().enumerate() {
        if i > 0 {
            doc.new_page();
        }
        draw_fitted(&mut doc, p, logo.as_ref().map(|(id, h)| (id, *h)))?;
        on_page(i + 1);
    }
    Ok(doc.save())
}
