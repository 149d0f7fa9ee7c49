//! The monthly report (*laporan bulanan penyaluran bantuan sosial*) as an A4 PDF in Bahasa
//! Indonesia: letterhead, who was served, the goods handed over, the stock of each item, the
//! rupiah by funding source and donor, the events, the voided BASTs, the control totals and the
//! head's signature. Tables carry on across pages with their header repeated.
//!
//! The PDF is made once, when the month is closed, and its hash is stored beside the report
//! data: the same report must therefore give the same bytes however often and wherever it is
//! rendered (see [`reproducible`]).

use super::{bast::Logo, text_width, wrap_at_most, Align, Doc};
use crate::distribution::{EventKind, EventStatus, Official};
use crate::error::Result;
use crate::family::model::parse_date;
use crate::locale::{self, Lang, TimeZone};
use crate::month::report::MonthlyReport;
use crate::month::Month;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use rust_decimal::Decimal;

const L: f32 = 15.0;
const R: f32 = 195.0;
const CX: f32 = 105.0;
/// No row is drawn below this; the page number sits beneath it.
const BOTTOM: f32 = 276.0;
const FOOT: f32 = 287.0;
/// Where the text starts on a continued page, below its running head.
const TOP: f32 = 24.0;
const BODY: f32 = 9.0;
/// Table cells: size, line distance, padding.
const CELL: f32 = 8.0;
const LEAD: f32 = 3.7;
const PAD: f32 = 1.3;
/// A table cell wraps in at most this many lines unless its column says otherwise; the last is
/// cut with an ellipsis.
const CELL_LINES: usize = 4;

/// The event's kind as the report names it (in the PDF and the workbook).
pub(crate) fn kind_label(k: EventKind) -> &'static str {
    match k {
        EventKind::RutinBulanan => "Rutin bulanan",
        EventKind::SerentakNasional => "Serentak nasional",
        EventKind::HariBesar => "Hari besar",
        EventKind::KunjunganRumah => "Kunjungan rumah",
    }
}

pub(crate) fn status_label(s: EventStatus) -> &'static str {
    match s {
        EventStatus::Draft => "Draf",
        EventStatus::Approved => "Disetujui",
        EventStatus::Completed => "Selesai",
        EventStatus::Cancelled => "Dibatalkan",
    }
}

fn qty(d: Decimal) -> String {
    locale::decimal(d, Lang::Id)
}

fn count(n: i64) -> String {
    locale::decimal(Decimal::from(n), Lang::Id)
}

/// An adjustment with its sign: "+2", "-0,5", "0".
fn signed(d: Decimal) -> String {
    if d > Decimal::ZERO {
        format!("+{}", qty(d))
    } else {
        qty(d)
    }
}

/// "16 November 2024" (no weekday), as a place and date line is written.
fn plain_date(d: NaiveDate) -> String {
    format!(
        "{} {} {}",
        d.day(),
        locale::month_name(d.month(), Lang::Id),
        d.year()
    )
}

/// A stored ISO date as a long date, or as stored when it does not read.
fn long_date(s: &str) -> String {
    parse_date(s)
        .map(|d| locale::long_date(d, Lang::Id))
        .unwrap_or_else(|| s.to_owned())
}

/// A stored UTC instant (RFC 3339).
pub(crate) fn instant(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s.trim())
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// A stored UTC instant in the facility's time zone, or as stored when it does not read.
pub(crate) fn local_time(s: &str, tz: TimeZone) -> String {
    instant(s)
        .map(|t| locale::date_time(t, tz, Lang::Id))
        .unwrap_or_else(|| s.to_owned())
}

/// The pages drawn so far and how far down the last one is.
struct Pages {
    doc: Doc,
    y: f32,
    /// Printed at the top of every page after the first, so a loose sheet says what it is:
    /// the facility on the left, the month on the right.
    running: (String, String),
    /// A section heading to draw above what comes next.
    heading: Option<String>,
}

impl Pages {
    /// Makes room for `h` mm more (and a section heading waiting to be drawn above them):
    /// starts a new page when they would pass the bottom margin, and says whether it did.
    fn room(&mut self, h: f32) -> bool {
        const HEADING: f32 = 7.0;
        let heading = if self.heading.is_some() { HEADING } else { 0.0 };
        let broke = self.y + heading + h > BOTTOM;
        if broke {
            self.doc.new_page();
            let (left, right) = &self.running;
            let rw = text_width(right, 7.5, false).min(80.0);
            self.doc
                .text_fit(L, 14.0, 7.5, false, Align::Left, R - L - rw - 4.0, left);
            self.doc
                .text_fit(R, 14.0, 7.5, false, Align::Right, rw, right);
            self.doc.rule(L, 16.0, R, 16.0, 0.4, 0.0);
            self.y = TOP;
        }
        if let Some(t) = self.heading.take() {
            self.doc
                .text_fit(L, self.y + 3.5, 10.0, true, Align::Left, R - L, &t);
            self.y += HEADING;
        }
        broke
    }

    /// A numbered section's heading: drawn with what follows it, so it never stands alone at
    /// the foot of a page.
    fn section(&mut self, title: &str) {
        self.y += 3.0;
        self.heading = Some(title.to_owned());
    }

    /// A line of body text wrapped to the page width.
    fn para(&mut self, x: f32, s: &str, bold: bool) {
        let lines = wrap_at_most(s, BODY, bold, R - x, 6);
        for l in lines {
            self.room(4.6);
            self.doc.text(x, self.y + 3.4, BODY, bold, Align::Left, &l);
            self.y += 4.6;
        }
    }

    /// "label : value", the label indented `level` steps.
    fn pair(&mut self, level: usize, label: &str, value: &str) {
        self.room(5.0);
        let x = L + 4.0 + 6.0 * level as f32;
        let base = self.y + 3.5;
        self.doc
            .text_fit(x, base, BODY, false, Align::Left, L + 92.0 - x, label);
        self.doc.text(L + 94.0, base, BODY, false, Align::Left, ":");
        self.doc.text_fit(
            L + 97.0,
            base,
            BODY,
            false,
            Align::Left,
            R - L - 97.0,
            value,
        );
        self.y += 5.0;
    }

    /// "Tidak ada …" under a section with nothing in it.
    fn none(&mut self, s: &str) {
        self.room(6.0);
        self.doc.text_fit(
            L + 4.0,
            self.y + 3.5,
            BODY,
            false,
            Align::Left,
            R - L - 4.0,
            s,
        );
        self.y += 6.0;
    }
}

#[derive(Clone, Copy)]
struct Col {
    w: f32,
    align: Align,
    head: &'static str,
    /// At most this many lines in a cell.
    lines: usize,
}

const fn col(w: f32, align: Align, head: &'static str) -> Col {
    Col {
        w,
        align,
        head,
        lines: CELL_LINES,
    }
}

impl Col {
    /// A column whose texts may run longer (a reason, a list of officials).
    const fn lines(self, lines: usize) -> Col {
        Col { lines, ..self }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Style {
    Plain,
    /// An item, a funding source or a total.
    Bold,
    /// A line under the one before it (a funding source under an item, a donor under its
    /// source): the first column indented.
    Sub,
}

struct Row {
    cells: Vec<String>,
    style: Style,
}

fn row(style: Style, cells: Vec<String>) -> Row {
    Row { cells, style }
}

/// A group of rows is kept on one page when it is no taller than this; a longer one (a source
/// with many donors) runs on row by row, its first line repeated "(lanjutan)" on the new page.
const KEEP: f32 = 45.0;

/// A cell's text as drawn: its lines and their size.
struct Laid {
    lines: Vec<String>,
    size: f32,
}

/// A table the width of the page: rows with a light rule under each, the header drawn again at
/// the top of every page the table reaches.
struct Table {
    cols: Vec<Col>,
}

impl Table {
    fn new(cols: &[Col]) -> Table {
        Table {
            cols: cols.to_vec(),
        }
    }

    fn lefts(&self) -> Vec<f32> {
        let mut x = L;
        self.cols
            .iter()
            .map(|c| {
                let at = x;
                x += c.w;
                at
            })
            .collect()
    }

    fn header_height(&self) -> f32 {
        let lines = self
            .cols
            .iter()
            .map(|c| wrap_at_most(c.head, CELL, true, c.w - 2.0 * PAD, 2).len())
            .max()
            .unwrap_or(1);
        lines as f32 * LEAD + 2.6
    }

    fn header(&self, p: &mut Pages) {
        let top = p.y;
        let h = self.header_height();
        p.doc.rule(L, top, R, top, 0.6, 0.0);
        for (c, x) in self.cols.iter().zip(self.lefts()) {
            let lines = wrap_at_most(c.head, CELL, true, c.w - 2.0 * PAD, 2);
            for (i, l) in lines.iter().enumerate() {
                let (at, align) = anchor(x, c);
                p.doc
                    .text(at, top + 3.6 + i as f32 * LEAD, CELL, true, align, l);
            }
        }
        p.y = top + h;
        p.doc.rule(L, p.y, R, p.y, 0.6, 0.0);
    }

    /// Each cell as drawn. Text wraps (a '\n' starts a line) in at most the column's lines,
    /// the last cut with an ellipsis when there is more. A number (a right-aligned column) is
    /// never cut: it is set smaller until it fits.
    fn lay(&self, r: &Row) -> Vec<Laid> {
        let bold = r.style == Style::Bold;
        self.cols
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let s = r.cells.get(i).map_or("", String::as_str);
                let width = c.w - 2.0 * PAD - indent(r.style, i);
                if c.align == Align::Right {
                    let size = (CELL * width / text_width(s, CELL, bold).max(width)).max(4.5);
                    Laid {
                        lines: vec![super::fit(s, size, bold, width)],
                        size,
                    }
                } else {
                    Laid {
                        lines: cell_lines(s, bold, width, c.lines),
                        size: CELL,
                    }
                }
            })
            .collect()
    }

    fn height(cells: &[Laid]) -> f32 {
        let n = cells
            .iter()
            .map(|c| c.lines.len())
            .max()
            .unwrap_or(1)
            .max(1);
        4.9 + (n - 1) as f32 * LEAD
    }

    /// The height a group needs on the page it starts on: all of it when it is kept together,
    /// else its first row.
    fn keep(&self, rows: &[Row]) -> f32 {
        let hs: Vec<f32> = rows.iter().map(|r| Table::height(&self.lay(r))).collect();
        let total: f32 = hs.iter().sum();
        if total <= KEEP {
            total
        } else {
            hs.first().copied().unwrap_or(0.0)
        }
    }

    /// What must fit below a section's heading so it is not left alone at the foot of a page:
    /// the header and the first group.
    fn lead(&self, groups: &[Vec<Row>]) -> f32 {
        self.header_height() + groups.first().map_or(0.0, |g| self.keep(g))
    }

    fn row(&self, p: &mut Pages, r: &Row, cells: &[Laid]) {
        let top = p.y;
        let bold = r.style == Style::Bold;
        for (i, ((c, x), cell)) in self.cols.iter().zip(self.lefts()).zip(cells).enumerate() {
            let (at, align) = anchor(x + indent(r.style, i), c);
            for (k, l) in cell.lines.iter().enumerate() {
                p.doc
                    .text(at, top + 3.4 + k as f32 * LEAD, cell.size, bold, align, l);
            }
        }
        p.y = top + Table::height(cells);
        p.doc.rule(L, p.y, R, p.y, 0.2, 0.7);
    }

    /// A group of rows (an item with its funding sources, a source with its donors): on a new
    /// page with the header again when it is kept together and does not fit here.
    fn group(&self, p: &mut Pages, rows: &[Row]) {
        if p.room(self.keep(rows)) {
            self.header(p);
        }
        for (k, r) in rows.iter().enumerate() {
            let cells = self.lay(r);
            if p.room(Table::height(&cells)) {
                self.header(p);
                if k > 0 {
                    // Which item or source the rows on this page belong to.
                    let first = &rows[0];
                    let label = row(
                        first.style,
                        vec![format!(
                            "{} (lanjutan)",
                            first.cells.first().map_or("", String::as_str)
                        )],
                    );
                    let laid = self.lay(&label);
                    self.row(p, &label, &laid);
                }
            }
            self.row(p, r, &cells);
        }
    }

    /// A whole table of single rows.
    fn draw(&self, p: &mut Pages, rows: Vec<Row>) {
        let groups: Vec<Vec<Row>> = rows.into_iter().map(|r| vec![r]).collect();
        self.draw_groups(p, &groups);
    }

    /// A whole table of groups of rows, closed with a rule.
    fn draw_groups(&self, p: &mut Pages, groups: &[Vec<Row>]) {
        p.room(self.lead(groups));
        self.header(p);
        for g in groups {
            self.group(p, g);
        }
        p.doc.rule(L, p.y, R, p.y, 0.6, 0.0);
    }
}

/// Where a cell's text is anchored and how it is aligned.
fn anchor(x: f32, c: &Col) -> (f32, Align) {
    match c.align {
        Align::Left => (x + PAD, Align::Left),
        Align::Right => (x + c.w - PAD, Align::Right),
        Align::Center => (x + c.w / 2.0, Align::Center),
    }
}

/// A sub-line is set in from its first column, under the line it belongs to.
fn indent(style: Style, col: usize) -> f32 {
    if style == Style::Sub && col == 0 {
        4.0
    } else {
        0.0
    }
}

/// `s` with every word wider than `width` broken after its slashes and hyphens into lines that
/// fit ("013/BAST/RUTAN-BLORA/XI/2024" on two lines rather than cut): a document number is
/// read whole.
fn break_long_words(s: &str, bold: bool, width: f32) -> String {
    s.split(' ')
        .map(|w| {
            if text_width(w, CELL, bold) <= width {
                return w.to_owned();
            }
            let mut chunks: Vec<String> = Vec::new();
            let mut cur = String::new();
            for piece in w.split_inclusive(['/', '-']) {
                let joined = format!("{cur}{piece}");
                if !cur.is_empty() && text_width(&joined, CELL, bold) > width {
                    chunks.push(std::mem::take(&mut cur));
                    cur = piece.to_owned();
                } else {
                    cur = joined;
                }
            }
            chunks.push(cur);
            chunks.join("\n")
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A cell's text in at most `max` lines of `width` mm: its own lines (a '\n' starts one) each
/// wrapped, and the last line cut with an ellipsis when more did not fit.
fn cell_lines(s: &str, bold: bool, width: f32, max: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let s = break_long_words(s, bold, width);
    let parts: Vec<&str> = s.split('\n').collect();
    for (i, part) in parts.iter().enumerate() {
        let room = max.saturating_sub(out.len());
        if room == 0 {
            break;
        }
        let mut lines = wrap_at_most(part, CELL, bold, width, room);
        let more = i + 1 < parts.len();
        if more && out.len() + lines.len() >= max {
            // Another line follows that has no room left: say so on the last one.
            if let Some(last) = lines.last_mut() {
                if !last.ends_with('…') {
                    *last = super::fit(&format!("{last}…"), CELL, bold, width);
                }
            }
        }
        out.append(&mut lines);
    }
    if out.is_empty() {
        out.push(String::new());
    }
    out
}

/// Officials as "name — position", one a line.
fn officials(list: &[Official]) -> String {
    list.iter()
        .map(|o| {
            if o.position.trim().is_empty() {
                o.name.clone()
            } else {
                format!("{} — {}", o.name, o.position)
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Makes the bytes depend on the report only. printpdf names the font (and a picture) after a
/// counter shared by the whole process, and writes two such names as the file's /ID at the
/// end: two renderings of one report would differ. The font and logo get fixed names here,
/// the document's dates are the closing's (rather than 1970), and the /ID is replaced after
/// saving (see [`stable_id`]). `Doc`'s fields are private to `crate::pdf` and its modules, so
/// this stays beside the one document that needs it.
pub(crate) fn reproducible(doc: &mut Doc, closed: Option<DateTime<Utc>>) {
    let fixed = printpdf::FontId("BANSOSNOTOSANS".into());
    if let Some(font) = doc.pdf.resources.fonts.map.remove(&doc.regular) {
        doc.pdf.resources.fonts.map.insert(fixed.clone(), font);
        doc.regular = fixed;
    }
    if let Some(t) =
        closed.and_then(|t| printpdf::OffsetDateTime::from_unix_timestamp(t.timestamp()).ok())
    {
        let info = &mut doc.pdf.metadata.info;
        info.creation_date = t;
        info.modification_date = t;
        info.metadata_date = t;
    }
}

/// The logo added under a fixed name (see [`reproducible`]).
pub(crate) fn add_logo(doc: &mut Doc, l: &Logo) -> (printpdf::XObjectId, u32) {
    let id = doc.add_rgb_image(l.width, l.height, l.rgb.clone());
    let fixed = printpdf::XObjectId("BANSOSLOGO".into());
    match doc.pdf.resources.xobjects.map.remove(&id) {
        Some(x) => {
            doc.pdf.resources.xobjects.map.insert(fixed.clone(), x);
            (fixed, l.height)
        }
        None => (id, l.height),
    }
}

/// Replaces the two random strings of the trailer's /ID with the hash of everything else, the
/// same length, so no offset in the file moves. A file without that /ID is left as it is.
pub(crate) fn stable_id(mut pdf: Vec<u8>) -> Vec<u8> {
    use sha2::Digest;
    // Only in the trailer, never in a compressed stream that happens to hold those bytes.
    let Some(trailer) = pdf.windows(7).rposition(|w| w == b"trailer") else {
        return pdf;
    };
    let Some(at) = pdf[trailer..]
        .windows(4)
        .position(|w| w == b"/ID[" || w == b"/ID ")
        .map(|p| trailer + p)
    else {
        return pdf;
    };
    // The two literal strings after "/ID": their contents' spans.
    let mut spans = Vec::new();
    let mut i = at + 3;
    while spans.len() < 2 && i < pdf.len() {
        match pdf[i] {
            b'(' => {
                let start = i + 1;
                let Some(len) = pdf[start..].iter().position(|b| *b == b')') else {
                    return pdf;
                };
                spans.push((start, start + len));
                i = start + len + 1;
            }
            b'[' | b' ' | b'\n' | b'\r' => i += 1,
            _ => return pdf,
        }
    }
    let mut h = sha2::Sha256::new();
    h.update(&pdf[..at]);
    h.update(&pdf[spans.last().map_or(at, |s| s.1)..]);
    let digest = h.finalize();
    // Letters A–P from the hash's nibbles, as many as each string had.
    let letters: Vec<u8> = digest
        .iter()
        .flat_map(|b| [b >> 4, b & 15])
        .map(|n| b'A' + n)
        .collect();
    for (s, e) in spans {
        for (k, b) in pdf[s..e].iter_mut().enumerate() {
            *b = letters[k % letters.len()];
        }
    }
    pdf
}

/// The report as an A4 PDF. `logo` is the facility's letterhead logo, as on its BASTs.
pub fn report_pdf(r: &MonthlyReport, logo: Option<&Logo>) -> Result<Vec<u8>> {
    let f = &r.facility;
    let tz = TimeZone::parse(&f.time_zone).unwrap_or(TimeZone::Wib);
    let month = Month::parse(&r.period);
    let period = month.map_or_else(|| r.period.clone(), |m| m.words(Lang::Id));
    let closed = instant(&r.closed_at);
    let mut doc = Doc::new(&format!("Laporan bulanan {} {}", f.name, period))?;
    reproducible(&mut doc, closed);
    let logo = logo.map(|l| add_logo(&mut doc, l));

    // Letterhead: each line set smaller if need be, then cut, within the room beside the logo.
    let cx = if logo.is_some() { 113.0 } else { CX };
    let room = if logo.is_some() { 138.0 } else { R - L };
    if let Some((id, h)) = &logo {
        doc.image(id, *h, L, 11.0, 24.0);
    }
    let kanwil = f.kanwil.to_uppercase();
    let kind = f.kind.to_uppercase();
    let name = f.name.to_uppercase();
    let head: [(&str, f32, bool, f32); 5] = [
        (
            "KEMENTERIAN IMIGRASI DAN PEMASYARAKATAN REPUBLIK INDONESIA",
            9.0,
            true,
            14.5,
        ),
        (&kanwil, 10.0, true, 19.5),
        (&kind, 9.5, true, 24.5),
        (&name, 13.0, true, 30.5),
        (&f.address, 8.5, false, 35.5),
    ];
    for (line, size, bold, y) in head {
        let size = (size * room / text_width(line, size, bold).max(room)).max(size * 0.7);
        doc.text_fit(cx, y, size, bold, Align::Center, room, line);
    }
    doc.rule(L - 3.0, 38.5, R + 3.0, 38.5, 1.6, 0.0);
    doc.rule(L - 3.0, 39.6, R + 3.0, 39.6, 0.4, 0.0);

    let title = "LAPORAN BULANAN PENYALURAN BANTUAN SOSIAL";
    doc.text(CX, 49.0, 12.0, true, Align::Center, title);
    let tw = text_width(title, 12.0, true);
    doc.rule(CX - tw / 2.0, 50.2, CX + tw / 2.0, 50.2, 0.6, 0.0);
    doc.text_fit(
        CX,
        55.5,
        10.0,
        false,
        Align::Center,
        R - L,
        &format!("Bulan {period}"),
    );
    let mut y = 55.5;
    if r.revision > 1 {
        y += 5.0;
        doc.text(
            CX,
            y,
            9.5,
            true,
            Align::Center,
            &format!("Revisi {}", r.revision),
        );
    }
    y += 3.0;
    if r.nihil {
        let s = "NIHIL — tidak ada penyaluran pada bulan ini";
        let w = text_width(s, 11.0, true) + 10.0;
        doc.frame(CX - w / 2.0, y + 2.0, w, 9.0, 1.2);
        doc.text(CX, y + 8.3, 11.0, true, Align::Center, s);
        y += 12.0;
    }

    let rev = if r.revision > 1 {
        format!(", Revisi {}", r.revision)
    } else {
        String::new()
    };
    let mut p = Pages {
        doc,
        y,
        running: (
            format!("Laporan Bulanan Penyaluran Bantuan Sosial — {}", f.name),
            format!("{period}{rev} (lanjutan)"),
        ),
        heading: None,
    };

    // 1. Who was served.
    let s = &r.served;
    p.section("1. Penerima");
    p.pair(
        0,
        "Keluarga penerima",
        &format!("{} keluarga", count(s.families)),
    );
    p.pair(
        1,
        "Keluarga WBP",
        &format!("{} keluarga", count(s.keluarga_wbp)),
    );
    p.pair(
        1,
        "Masyarakat sekitar",
        &format!("{} keluarga", count(s.masyarakat_sekitar)),
    );
    p.pair(
        0,
        "Paket diserahkan",
        &format!("{} paket", count(s.packages)),
    );
    p.pair(
        1,
        "Diserahkan kepada wakil (diwakilkan)",
        &format!("{} paket", count(s.to_proxy)),
    );

    // 2. Goods handed over.
    let given: Vec<_> = r
        .items
        .iter()
        .filter(|i| !i.handed_over.is_zero())
        .collect();
    p.section("2. Barang yang disalurkan");
    if given.is_empty() {
        p.none("Tidak ada barang yang disalurkan.");
    } else {
        let t = Table::new(&[
            col(9.0, Align::Right, "No"),
            col(71.0, Align::Left, "Nama barang"),
            col(26.0, Align::Left, "Kode"),
            col(18.0, Align::Left, "Satuan"),
            col(28.0, Align::Right, "Jumlah disalurkan"),
            col(28.0, Align::Right, "Dari hasil panen"),
        ]);
        let rows = given
            .iter()
            .enumerate()
            .map(|(n, i)| {
                row(
                    Style::Plain,
                    vec![
                        (n + 1).to_string(),
                        i.name.clone(),
                        i.code.clone(),
                        i.unit.clone(),
                        qty(i.handed_over),
                        qty(i.from_harvest),
                    ],
                )
            })
            .collect();
        t.draw(&mut p, rows);
    }

    // 3. Stock, item by item, what came in by funding source.
    p.section("3. Persediaan");
    if r.items.is_empty() {
        p.none("Tidak ada persediaan maupun mutasi barang pada bulan ini.");
    } else {
        let t = Table::new(&[
            col(58.0, Align::Left, "Barang"),
            col(16.0, Align::Left, "Satuan"),
            col(21.0, Align::Right, "Saldo awal"),
            col(21.0, Align::Right, "Masuk"),
            col(21.0, Align::Right, "Keluar"),
            col(22.0, Align::Right, "Penyesuaian"),
            col(21.0, Align::Right, "Saldo akhir"),
        ]);
        let mut groups = Vec::new();
        for i in &r.items {
            let mut rows = vec![row(
                Style::Bold,
                vec![
                    format!("{} ({})", i.name, i.code),
                    i.unit.clone(),
                    qty(i.opening),
                    qty(i.received_total),
                    qty(i.out),
                    signed(i.adjustments),
                    qty(i.closing),
                ],
            )];
            for s in &i.received {
                rows.push(row(
                    Style::Sub,
                    vec![
                        format!("Masuk: {}", s.source.label_id()),
                        String::new(),
                        String::new(),
                        qty(s.quantity),
                    ],
                ));
            }
            groups.push(rows);
        }
        t.draw_groups(&mut p, &groups);
    }

    // 4. Rupiah by funding source and donor.
    p.section("4. Sumber dana");
    if r.sources.is_empty() {
        p.none("Tidak ada penerimaan maupun penyaluran bernilai rupiah.");
    } else {
        let t = Table::new(&[
            col(100.0, Align::Left, "Sumber dana / donatur"),
            col(40.0, Align::Right, "Nilai diterima"),
            col(40.0, Align::Right, "Nilai disalurkan"),
        ]);
        let mut groups = Vec::new();
        for s in &r.sources {
            let mut rows = vec![row(
                Style::Bold,
                vec![
                    s.source.label_id().to_owned(),
                    locale::rupiah(s.received_value),
                    locale::rupiah(s.issued_value),
                ],
            )];
            for d in &s.donors {
                rows.push(row(
                    Style::Sub,
                    vec![
                        d.name.clone(),
                        locale::rupiah(d.received_value),
                        locale::rupiah(d.issued_value),
                    ],
                ));
            }
            groups.push(rows);
        }
        groups.push(vec![row(
            Style::Bold,
            vec![
                "Jumlah".into(),
                locale::rupiah(r.totals.received_value),
                locale::rupiah(r.issued_value),
            ],
        )]);
        t.draw_groups(&mut p, &groups);
    }
    if !r.sources.is_empty() {
        p.y += 2.0;
        p.para(
            L,
            &format!(
                "Nilai bantuan yang disalurkan {}, di antaranya dari hasil panen UPT {} ({}% dari nilai yang disalurkan).",
            locale::rupiah(r.issued_value),
            locale::rupiah(r.harvest_value),
                qty(MonthlyReport::percent(r.harvest_value, r.issued_value))
            ),
            false,
        );
    }
    if !given.is_empty() {
        p.y += 2.0;
        p.room(20.0);
        p.para(L, "Porsi hasil panen UPT menurut kuantitas barang:", false);
        p.y += 1.0;
        let t = Table::new(&[
            col(86.0, Align::Left, "Barang"),
            col(18.0, Align::Left, "Satuan"),
            col(26.0, Align::Right, "Jumlah disalurkan"),
            col(26.0, Align::Right, "Dari hasil panen"),
            col(24.0, Align::Right, "Porsi"),
        ]);
        let rows = given
            .iter()
            .map(|i| {
                row(
                    Style::Plain,
                    vec![
                        i.name.clone(),
                        i.unit.clone(),
                        qty(i.handed_over),
                        qty(i.from_harvest),
                        format!(
                            "{}%",
                            qty(MonthlyReport::percent(i.from_harvest, i.handed_over))
                        ),
                    ],
                )
            })
            .collect();
        t.draw(&mut p, rows);
    }

    // 5. Events.
    p.section("5. Kegiatan");
    if r.events.is_empty() {
        p.none("Tidak ada kegiatan penyaluran pada bulan ini.");
    } else {
        let t = Table::new(&[
            col(9.0, Align::Right, "No"),
            col(29.0, Align::Left, "Tanggal"),
            col(38.0, Align::Left, "Tempat"),
            col(26.0, Align::Left, "Jenis"),
            col(62.0, Align::Left, "Petugas").lines(6),
            col(16.0, Align::Right, "Dilayani"),
        ]);
        let rows = r
            .events
            .iter()
            .enumerate()
            .map(|(n, e)| {
                let kind = if e.status == EventStatus::Completed {
                    kind_label(e.kind).to_owned()
                } else {
                    format!("{}\n({})", kind_label(e.kind), status_label(e.status))
                };
                row(
                    Style::Plain,
                    vec![
                        (n + 1).to_string(),
                        // The weekday on a line of its own, the date whole on the next.
                        long_date(&e.date).replacen(", ", ",\n", 1),
                        e.place.clone(),
                        kind,
                        officials(&e.officials),
                        count(e.served),
                    ],
                )
            })
            .collect();
        t.draw(&mut p, rows);
    }

    // 6. Voided BASTs.
    p.section("6. BAST dibatalkan");
    if r.voided.is_empty() {
        p.none("Tidak ada BAST yang dibatalkan pada bulan ini.");
    } else {
        let t = Table::new(&[
            col(9.0, Align::Right, "No"),
            col(33.0, Align::Left, "Nomor BAST"),
            col(25.0, Align::Left, "Tanggal serah terima"),
            col(31.0, Align::Left, "Dibatalkan pada"),
            col(28.0, Align::Left, "Oleh"),
            col(54.0, Align::Left, "Alasan").lines(8),
        ]);
        let rows = r
            .voided
            .iter()
            .enumerate()
            .map(|(n, v)| {
                row(
                    Style::Plain,
                    vec![
                        (n + 1).to_string(),
                        v.bast_no.clone(),
                        parse_date(&v.handover_date)
                            .map_or_else(|| v.handover_date.clone(), plain_date),
                        local_time(&v.voided_at, tz),
                        v.voided_by.clone(),
                        v.reason.clone(),
                    ],
                )
            })
            .collect();
        t.draw(&mut p, rows);
    }

    // Control totals and the closing.
    let c = &r.totals;
    p.y += 4.0;
    // With the signature below them, so it never stands alone on a last page.
    p.room(70.0);
    p.para(
        L,
        &format!(
            "Angka kendali: {} paket, {} keluarga, {} kegiatan, {} BAST dibatalkan, {} mutasi stok, jumlah kuantitas disalurkan {} (semua satuan), nilai diterima {}, nilai disalurkan {}.",
            count(c.packages),
            count(c.families),
            count(c.events),
            count(c.voids),
            count(c.movements),
            qty(crate::stock::from_milli(c.handed_over_milli)),
            locale::rupiah(c.received_value),
            locale::rupiah(c.issued_value),
        ),
        false,
    );
    p.para(
        L,
        &format!(
            "Ditutup oleh {} pada {}.",
            r.closed_by_name,
            local_time(&r.closed_at, tz)
        ),
        false,
    );

    // Signature: the head of the facility, on the right, room for the stamp.
    p.y += 4.0;
    p.room(46.0);
    let sx = 150.0;
    let sw = 84.0;
    let y = p.y;
    let town = f.name.split_whitespace().last().unwrap_or_default();
    let day = closed
        .map(|t| plain_date(tz.today(t)))
        .unwrap_or_else(|| r.closed_at.clone());
    let place_date = if town.is_empty() {
        day
    } else {
        format!("{town}, {day}")
    };
    let doc = &mut p.doc;
    doc.text_fit(sx, y + 4.0, BODY, false, Align::Center, sw, &place_date);
    // A long facility name takes a second line rather than a size too small to read.
    let role = format!("Kepala {}", f.name);
    for (i, l) in wrap_at_most(&role, BODY, true, sw, 2).iter().enumerate() {
        doc.text(sx, y + 9.0 + i as f32 * 4.5, BODY, true, Align::Center, l);
    }
    let ns = (BODY * sw / text_width(&f.head_name, BODY, true).max(sw)).max(7.0);
    let name = super::fit(&f.head_name, ns, true, sw);
    doc.text(sx, y + 33.0, ns, true, Align::Center, &name);
    let w = text_width(&name, ns, true);
    doc.rule(sx - w / 2.0, y + 34.0, sx + w / 2.0, y + 34.0, 0.5, 0.0);
    doc.text_fit(
        sx,
        y + 38.5,
        8.5,
        false,
        Align::Center,
        sw,
        &format!("NIP {}", f.head_nip),
    );

    // Footer: what the sheet is, and which of how many.
    let mut doc = p.doc;
    let pages = doc.page_count();
    // The month first: a long facility name is what gets cut.
    let what = format!("Laporan bulanan {period}{rev} — {}", f.name);
    for n in 0..pages {
        let s = super::fit(&what, 7.5, false, 130.0);
        doc.text_on(n, L, FOOT, 7.5, false, Align::Left, &s);
        doc.text_on(
            n,
            R,
            FOOT,
            7.5,
            false,
            Align::Right,
            &format!("Halaman {} dari {pages}", n + 1),
        );
    }
    Ok(stable_id(doc.save()))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::distribution::{EventKind, EventStatus, Official};
    use crate::month::report::*;
    use crate::stock::FundingSource;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn event(id: i64, day: u32) -> EventLine {
        EventLine {
            id,
            date: format!("2024-11-{day:02}"),
            place: "Aula Rutan Kelas IIB Blora, Jalan Pemuda".into(),
            kind: EventKind::RutinBulanan,
            status: EventStatus::Completed,
            officials: vec![
                Official {
                    name: "Budi Santoso".into(),
                    position: "Kasubsi Pelayanan Tahanan".into(),
                },
                Official {
                    name: "Siti Aminah".into(),
                    position: "Staf".into(),
                },
            ],
            served: 6,
        }
    }

    /// Two items, two funding sources with a donor, an event with officials, a void, revision 2.
    pub(crate) fn sample() -> MonthlyReport {
        MonthlyReport {
            format: FORMAT,
            facility: ReportFacility {
                name: "Rutan Kelas IIB Blora".into(),
                kind: "Rumah Tahanan Negara".into(),
                class: "IIB".into(),
                code: "RUTAN-BLORA".into(),
                province: "Jawa Tengah".into(),
                kanwil: "Kantor Wilayah Direktorat Jenderal Pemasyarakatan Jawa Tengah".into(),
                address: "Jl. Pemuda No. 1, Blora, Jawa Tengah 58211".into(),
                head_name: "Dr. Ahmad Fauzi, S.H., M.H.".into(),
                head_nip: "197001011990031001".into(),
                time_zone: "WIB".into(),
            },
            period: "2024-11".into(),
            revision: 2,
            nihil: false,
            closed_at: "2024-12-02T02:15:00Z".into(),
            closed_by_name: "Dr. Ahmad Fauzi, S.H., M.H.".into(),
            served: Served {
                families: 12,
                keluarga_wbp: 8,
                masyarakat_sekitar: 4,
                packages: 13,
                to_proxy: 2,
            },
            items: vec![
                ItemLine {
                    code: "BRS-01".into(),
                    name: "Beras premium".into(),
                    unit: "kg".into(),
                    handed_over: d("65"),
                    from_harvest: d("15.5"),
                    opening: d("100"),
                    received: vec![
                        SourceQty {
                            source: FundingSource::Csr,
                            quantity: d("50"),
                        },
                        SourceQty {
                            source: FundingSource::HasilPanen,
                            quantity: d("20.25"),
                        },
                    ],
                    received_total: d("70.25"),
                    out: d("65"),
                    adjustments: d("-0.5"),
                    closing: d("104.75"),
                },
                ItemLine {
                    code: "MYK-02".into(),
                    name: "Minyak goreng kemasan 1 liter".into(),
                    unit: "liter".into(),
                    handed_over: d("13"),
                    from_harvest: d("0"),
                    opening: d("20"),
                    received: vec![SourceQty {
                        source: FundingSource::Csr,
                        quantity: d("12"),
                    }],
                    received_total: d("12"),
                    out: d("13"),
                    adjustments: d("0"),
                    closing: d("19"),
                },
            ],
            sources: vec![
                SourceLine {
                    source: FundingSource::Csr,
                    received_value: d("1500000"),
                    issued_value: d("1200000.5"),
                    donors: vec![DonorLine {
                        name: "PT Bank Rakyat Indonesia (Persero) Tbk Cabang Blora".into(),
                        received_value: d("1500000"),
                        issued_value: d("1200000.5"),
                    }],
                },
                SourceLine {
                    source: FundingSource::HasilPanen,
                    received_value: d("300000"),
                    issued_value: d("232500"),
                    donors: vec![],
                },
            ],
            issued_value: d("1432500.5"),
            harvest_value: d("232500"),
            events: vec![event(7, 16)],
            voided: vec![VoidLine {
                bast_no: "013/BAST/RUTAN-BLORA/XI/2024".into(),
                handover_date: "2024-11-16".into(),
                voided_at: "2024-11-20T03:05:00Z".into(),
                voided_by: "Siti Aminah".into(),
                reason: "Penerima ganda: keluarga yang sama tercatat dua kali pada kegiatan yang sama, paket dikembalikan ke gudang.".into(),
            }],
            totals: ControlTotals {
                packages: 13,
                families: 12,
                events: 1,
                voids: 1,
                movements: 31,
                handed_over_milli: 78_000,
                received_value: d("1800000"),
                issued_value: d("1432500.5"),
            },
        }
    }

    /// The same month closed as nihil: nothing handed over, stock untouched.
    pub(crate) fn nihil() -> MonthlyReport {
        let mut r = sample();
        r.revision = 1;
        r.nihil = true;
        r.served = Served {
            families: 0,
            keluarga_wbp: 0,
            masyarakat_sekitar: 0,
            packages: 0,
            to_proxy: 0,
        };
        r.items.truncate(1);
        let i = &mut r.items[0];
        i.handed_over = Decimal::ZERO;
        i.from_harvest = Decimal::ZERO;
        i.received.clear();
        i.received_total = Decimal::ZERO;
        i.out = Decimal::ZERO;
        i.adjustments = Decimal::ZERO;
        i.closing = i.opening;
        r.sources.clear();
        r.issued_value = Decimal::ZERO;
        r.harvest_value = Decimal::ZERO;
        r.events.clear();
        r.voided.clear();
        r.totals = ControlTotals {
            packages: 0,
            families: 0,
            events: 0,
            voids: 0,
            movements: 0,
            handed_over_milli: 0,
            received_value: Decimal::ZERO,
            issued_value: Decimal::ZERO,
        };
        r
    }

    /// The page count the file declares ("/Type/Pages/Count 2").
    fn pages(pdf: &[u8]) -> usize {
        let text = String::from_utf8_lossy(pdf);
        let at = text.find("/Type/Pages/Count ").unwrap() + "/Type/Pages/Count ".len();
        text[at..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect::<String>()
            .parse()
            .unwrap()
    }

    /// Long texts everywhere and many items, sources and donors: nothing may leave its box.
    fn crowded() -> MonthlyReport {
        let mut r = sample();
        r.facility.name =
            "Lembaga Pemasyarakatan Perempuan Kelas IIA Semarang Jawa Tengah Bagian Utara".into();
        r.facility.kanwil = "Kantor Wilayah Direktorat Jenderal Pemasyarakatan Provinsi Daerah Khusus Ibukota Jakarta dan Sekitarnya".into();
        r.facility.address = "Jalan Raya Pemuda Nomor 123 RT 004 RW 011, Kelurahan Sekayu, Kecamatan Semarang Tengah, Kota Semarang, Jawa Tengah 50132".into();
        r.facility.head_name =
            "Prof. Dr. Hj. Raden Ayu Siti Nurhaliza Kusumawardhani, S.H., M.H., M.Si.".into();
        let base = r.items[0].clone();
        r.items = (0..40)
            .map(|i| {
                let mut it = base.clone();
                it.code = format!("BRG-{i:03}");
                it.name = format!(
                    "Barang nomor {i} dengan nama yang sangat panjang sekali untuk menguji pemotongan teks"
                );
                it.received.push(SourceQty {
                    source: FundingSource::BamaKantin,
                    quantity: d("1234567.125"),
                });
                it
            })
            .collect();
        r.sources[0].donors = (0..25)
            .map(|i| DonorLine {
                name: format!("Yayasan Dermawan Nusantara Sejahtera Bersama Cabang Nomor {i} Jawa Tengah dan DIY"),
                received_value: d("123456789.5"),
                issued_value: d("98765432.25"),
            })
            .collect();
        r.voided[0].bast_no = "0123/BAST/LPP-SEMARANG-UTARA/XI/2024/TAMBAHAN-PANJANG".into();
        r.voided[0].reason = "alasan ".repeat(80);
        r
    }

    #[test]
    fn a_report_renders_the_same_bytes_every_time() {
        let r = sample();
        let a = report_pdf(&r, None).unwrap();
        let b = report_pdf(&r, None).unwrap();
        assert!(a.starts_with(b"%PDF"));
        assert!(a == b, "two renderings of one report differ");
        let n = report_pdf(&nihil(), None).unwrap();
        assert!(n.starts_with(b"%PDF"));
        assert_eq!(pages(&n), 1);
        assert_eq!(n, report_pdf(&nihil(), None).unwrap());
    }

    #[test]
    fn a_logo_keeps_the_bytes_stable() {
        let logo = Logo {
            width: 2,
            height: 2,
            rgb: vec![0, 0, 0, 255, 255, 255, 255, 255, 255, 0, 0, 0],
        };
        let r = sample();
        let a = report_pdf(&r, Some(&logo)).unwrap();
        assert_eq!(a, report_pdf(&r, Some(&logo)).unwrap());
    }

    #[test]
    fn sixty_events_run_over_pages() {
        let mut r = sample();
        r.events = (0..60).map(|i| event(i, 1 + (i as u32 % 30))).collect();
        r.totals.events = 60;
        let pdf = report_pdf(&r, None).unwrap();
        assert!(pages(&pdf) > 1, "{} pages", pages(&pdf));
        assert_eq!(pdf, report_pdf(&r, None).unwrap());
    }

    #[test]
    fn a_crowded_report_renders_over_many_pages() {
        let pdf = report_pdf(&crowded(), None).unwrap();
        assert!(pages(&pdf) > 3, "{} pages", pages(&pdf));
    }

    #[test]
    fn the_file_id_is_the_hash_of_the_rest() {
        let t =
            b"%PDF-1.3\nstream\n/ID[(x)]\nendstream\ntrailer\n<</ID[(AAAA)(BBBB)]/Size 3>>\n%%EOF";
        let out = stable_id(t.to_vec());
        assert_eq!(out.len(), t.len());
        let text = String::from_utf8(out.clone()).unwrap();
        assert!(text.contains("/ID[(x)]"), "a stream is left alone");
        assert!(!text.contains("AAAA") && !text.contains("BBBB"), "{text}");
        // Another file gets another /ID.
        let other = stable_id(
            t.iter()
                .map(|b| if *b == b'x' { b'y' } else { *b })
                .collect(),
        );
        assert_ne!(out[t.len() - 30..], other[t.len() - 30..]);
        assert_eq!(stable_id(b"no trailer".to_vec()), b"no trailer");
    }

    #[test]
    fn every_character_the_report_prints_is_in_the_font() {
        for c in "—…%:,.()+-".chars() {
            assert!(crate::pdf::prints(c), "{c:?}");
        }
    }

    #[test]
    fn cells_wrap_and_cut_within_their_width() {
        let long = "kata ".repeat(60);
        let lines = cell_lines(&long, false, 30.0, CELL_LINES);
        assert_eq!(lines.len(), CELL_LINES);
        assert!(lines.iter().all(|l| text_width(l, CELL, false) <= 30.0));
        assert!(lines[CELL_LINES - 1].ends_with('…'));
        let many = (0..8)
            .map(|i| format!("Petugas {i}"))
            .collect::<Vec<_>>()
            .join("\n");
        let lines = cell_lines(&many, false, 40.0, CELL_LINES);
        assert_eq!(lines.len(), CELL_LINES);
        assert!(lines[CELL_LINES - 1].ends_with('…'));
        let no = cell_lines("013/BAST/RUTAN-BLORA/XI/2024", false, 25.0, CELL_LINES);
        assert_eq!(no.concat(), "013/BAST/RUTAN-BLORA/XI/2024");
        assert!(no.len() > 1 && no.iter().all(|l| text_width(l, CELL, false) <= 25.0));
    }
}
