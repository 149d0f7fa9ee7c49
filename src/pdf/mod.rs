//! A4 documents with printpdf: a thin layer that places text (left, right or centred, measured
//! with the font's own advances) and rules on pages, in millimetres from the top-left corner.
//! The font is Noto Sans cut down ahead of time to the characters Bansos prints
//! (`assets/fonts/`), so each PDF embeds it whole and stays small; bold is the same outline
//! filled and stroked, so one font serves both.

pub mod attendance;
pub mod bast;
pub mod monthly;
pub mod recap;
pub mod stock_card;
pub mod summary;

use crate::error::{Error, Result};
use printpdf::{
    Color, FontId, ImageCompression, ImageOptimizationOptions, Line, LinePoint, Mm, Op, ParsedFont,
    PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions, Point, Pt, RawImage, RawImageData,
    RawImageFormat, Rgb, TextItem, TextRenderingMode, XObjectId, XObjectTransform,
};
use std::sync::OnceLock;

const REGULAR: &[u8] = include_bytes!("../../assets/fonts/NotoSans-Regular-subset.ttf");

pub const A4_W: f32 = 210.0;
pub const A4_H: f32 = 297.0;

fn font() -> Result<&'static ParsedFont> {
    static F: OnceLock<Option<ParsedFont>> = OnceLock::new();
    F.get_or_init(|| ParsedFont::from_bytes(REGULAR, 0, &mut Vec::new()))
        .as_ref()
        .ok_or_else(|| Error::internal("the shipped PDF font does not parse"))
}

/// The advance of a character in font units (half an em when the font lacks it).
fn advance(f: &ParsedFont, c: char) -> f32 {
    let upm = f32::from(f.units_per_em.max(1));
    f.codepoint_to_glyph
        .get(&(c as u32))
        .and_then(|g| f.glyph_widths.get(g))
        .map_or(upm / 2.0, |w| f32::from(*w))
}

/// Advances of the first 256 characters (all the font has but a few dashes and quotes), looked
/// up once: a page of text measures every character several times while it is fitted.
fn latin_advances() -> &'static [f32; 256] {
    static A: OnceLock<[f32; 256]> = OnceLock::new();
    A.get_or_init(|| {
        let mut a = [0.0; 256];
        if let Ok(f) = font() {
            for (i, w) in a.iter_mut().enumerate() {
                *w = advance(f, char::from(i as u8));
            }
        }
        a
    })
}

/// Width of `s` in millimetres at `size` points.
pub fn text_width(s: &str, size: f32, bold: bool) -> f32 {
    let Ok(f) = font() else { return 0.0 };
    let upm = f32::from(f.units_per_em.max(1));
    let latin = latin_advances();
    let units: f32 = s
        .chars()
        .map(|c| match latin.get(c as usize) {
            Some(w) => *w,
            None => advance(f, c),
        })
        .sum();
    // Bold is the regular outline stroked (see `Doc::text_on`): a hair wider.
    let stroke = if bold {
        size * 0.035 * 25.4 / 72.0
    } else {
        0.0
    };
    units / upm * size * 25.4 / 72.0 + stroke
}

/// Whether the shipped font can print `c` (names are refused where they are typed otherwise).
pub fn prints(c: char) -> bool {
    font().is_ok_and(|f| f.codepoint_to_glyph.contains_key(&(c as u32)))
}

/// Characters the shipped fonts lack are printed as '?', never dropped silently.
fn printable(s: &str) -> String {
    let Ok(r) = font() else {
        return s.to_owned();
    };
    s.chars()
        .map(|c| {
            if r.codepoint_to_glyph.contains_key(&(c as u32)) {
                c
            } else {
                '?'
            }
        })
        .collect()
}

/// `s` as it fits in `width` mm: whole, or cut with an ellipsis.
pub fn fit(s: &str, size: f32, bold: bool, width: f32) -> String {
    if text_width(s, size, bold) <= width {
        return s.to_owned();
    }
    let chars: Vec<char> = s.chars().collect();
    // The longest prefix that fits with the ellipsis, by halving.
    let (mut lo, mut hi) = (0usize, chars.len());
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        let cand: String = chars[..mid].iter().collect::<String>() + "…";
        if text_width(&cand, size, bold) <= width {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    chars[..lo].iter().collect::<String>().trim_end().to_owned() + "…"
}

/// `s` wrapped to `width` mm in at most `max_lines` lines: a word wider than the line is cut, and
/// what does not fit ends the last line with an ellipsis. Nothing drawn leaves its box.
pub fn wrap_at_most(s: &str, size: f32, bold: bool, width: f32, max_lines: usize) -> Vec<String> {
    let mut lines: Vec<String> = wrap(s, size, bold, width)
        .into_iter()
        .map(|l| fit(&l, size, bold, width))
        .collect();
    if lines.len() > max_lines.max(1) {
        let rest = lines.split_off(max_lines.max(1) - 1).join(" ");
        let mut last = fit(&rest, size, bold, width);
        if !last.ends_with('…') {
            last = fit(&format!("{last}…"), size, bold, width);
        }
        lines.push(last);
    }
    lines
}

/// Splits `s` into lines no wider than `width` mm (a word longer than the line stands alone).
pub fn wrap(s: &str, size: f32, bold: bool, width: f32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut cur = String::new();
    for w in s.split_whitespace() {
        let candidate = if cur.is_empty() {
            w.to_owned()
        } else {
            format!("{cur} {w}")
        };
        if !cur.is_empty() && text_width(&candidate, size, bold) > width {
            lines.push(std::mem::take(&mut cur));
            cur = w.to_owned();
        } else {
            cur = candidate;
        }
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    lines
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
    Center,
}

pub struct Doc {
    pdf: PdfDocument,
    regular: FontId,
    pages: Vec<Vec<Op>>,
}

/// A point in a document's drawing to go back to ([`Doc::mark`], [`Doc::rollback`]).
pub struct Mark {
    pages: usize,
    ops: usize,
}

impl Doc {
    pub fn new(title: &str) -> Result<Doc> {
        let r = font()?;
        let mut pdf = PdfDocument::new(title);
        let regular = pdf.add_font(r);
        Ok(Doc {
            pdf,
            regular,
            pages: vec![Vec::new()],
        })
    }

    /// Where the drawing is now: a layout tried from here can be taken back.
    pub fn mark(&self) -> Mark {
        Mark {
            pages: self.pages.len(),
            ops: self.pages.last().map_or(0, Vec::len),
        }
    }

    /// Takes back everything drawn since `m`.
    pub fn rollback(&mut self, m: &Mark) {
        self.pages.truncate(m.pages);
        if let Some(last) = self.pages.last_mut() {
            last.truncate(m.ops);
        }
    }

    pub fn new_page(&mut self) {
        self.pages.push(Vec::new());
    }

    pub fn page_count(&self) -> usize {
        self.pages.len()
    }

    fn ops(&mut self, page: usize) -> &mut Vec<Op> {
        while self.pages.len() <= page {
            self.pages.push(Vec::new());
        }
        &mut self.pages[page]
    }

    /// Text with its baseline at `y` mm from the top; `x` is the left edge, right edge or centre.
    #[allow(clippy::too_many_arguments)]
    pub fn text_on(
        &mut self,
        page: usize,
        x: f32,
        y: f32,
        size: f32,
        bold: bool,
        align: Align,
        s: &str,
    ) {
        let s = printable(s);
        let w = text_width(&s, size, bold);
        let left = match align {
            Align::Left => x,
            Align::Right => x - w,
            Align::Center => x - w / 2.0,
        };
        let font = self.regular.clone();
        let (mode, stroke) = if bold {
            (TextRenderingMode::FillStroke, size * 0.035)
        } else {
            (TextRenderingMode::Fill, 0.0)
        };
        self.ops(page).extend([
            // The stroke that makes bold must be the text's black, not the last rule's grey.
            Op::SetOutlineColor {
                col: Color::Rgb(Rgb {
                    r: 0.0,
                    g: 0.0,
                    b: 0.0,
                    icc_profile: None,
                }),
            },
            Op::SetTextRenderingMode { mode },
            Op::SetOutlineThickness { pt: Pt(stroke) },
            Op::StartTextSection,
            Op::SetFont {
                font: PdfFontHandle::External(font),
                size: Pt(size),
            },
            Op::SetTextCursor {
                pos: Point::new(Mm(left), Mm(A4_H - y)),
            },
            Op::ShowText {
                items: vec![TextItem::Text(s)],
            },
            Op::EndTextSection,
        ]);
    }

    /// Text on the last page.
    pub fn text(&mut self, x: f32, y: f32, size: f32, bold: bool, align: Align, s: &str) {
        let p = self.pages.len() - 1;
        self.text_on(p, x, y, size, bold, align, s);
    }

    /// A straight rule from (x1, y1) to (x2, y2), `width` points thick, grey `shade` (0 = black).
    pub fn rule(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, width: f32, shade: f32) {
        let p = self.pages.len() - 1;
        self.ops(p).extend([
            Op::SetOutlineColor {
                col: Color::Rgb(Rgb {
                    r: shade,
                    g: shade,
                    b: shade,
                    icc_profile: None,
                }),
            },
            Op::SetOutlineThickness { pt: Pt(width) },
            Op::DrawLine {
                line: Line {
                    points: vec![
                        LinePoint {
                            p: Point::new(Mm(x1), Mm(A4_H - y1)),
                            bezier: false,
                        },
                        LinePoint {
                            p: Point::new(Mm(x2), Mm(A4_H - y2)),
                            bezier: false,
                        },
                    ],
                    is_closed: false,
                },
            },
        ]);
    }

    /// Adds an RGB picture to the document once; place it on any page with [`Doc::image`].
    pub fn add_rgb_image(&mut self, width: u32, height: u32, rgb: Vec<u8>) -> XObjectId {
        self.pdf.add_image(&RawImage {
            pixels: RawImageData::U8(rgb),
            width: width as usize,
            height: height as usize,
            data_format: RawImageFormat::RGB8,
            tag: Vec::new(),
        })
    }

    /// Adds a grey picture (one byte per pixel, 0 = black) to the document.
    pub fn add_gray_image(&mut self, width: u32, height: u32, grey: Vec<u8>) -> XObjectId {
        self.pdf.add_image(&RawImage {
            pixels: RawImageData::U8(grey),
            width: width as usize,
            height: height as usize,
            data_format: RawImageFormat::R8,
            tag: Vec::new(),
        })
    }

    /// Places a picture of `px_w`×`px_h` pixels `h` mm tall with its top-left corner at (x, y).
    pub fn image(&mut self, id: &XObjectId, px_h: u32, x: f32, y: f32, h: f32) {
        let dpi = px_h as f32 / (h / 25.4);
        let p = self.pages.len() - 1;
        self.ops(p).push(Op::UseXobject {
            id: id.clone(),
            transform: XObjectTransform {
                translate_x: Some(Mm(x).into_pt()),
                translate_y: Some(Mm(A4_H - y - h).into_pt()),
                dpi: Some(dpi),
                ..Default::default()
            },
        });
    }

    /// A rectangle's outline.
    pub fn frame(&mut self, x: f32, y: f32, w: f32, h: f32, width: f32) {
        self.rule(x, y, x + w, y, width, 0.0);
        self.rule(x + w, y, x + w, y + h, width, 0.0);
        self.rule(x + w, y + h, x, y + h, width, 0.0);
        self.rule(x, y + h, x, y, width, 0.0);
    }

    /// Text cut with an ellipsis to `width` mm, placed as [`Doc::text`] places it.
    #[allow(clippy::too_many_arguments)]
    pub fn text_fit(
        &mut self,
        x: f32,
        y: f32,
        size: f32,
        bold: bool,
        align: Align,
        width: f32,
        s: &str,
    ) {
        let s = fit(s, size, bold, width);
        self.text(x, y, size, bold, align, &s);
    }

    /// Left-aligned text wrapped to `width` mm in at most `max_lines` lines (the last cut with an
    /// ellipsis); returns the baseline of the last line.
    #[allow(clippy::too_many_arguments)]
    pub fn paragraph(
        &mut self,
        x: f32,
        y: f32,
        width: f32,
        size: f32,
        bold: bool,
        leading: f32,
        max_lines: usize,
        s: &str,
    ) -> f32 {
        let lines = wrap_at_most(s, size, bold, width, max_lines);
        let mut at = y;
        for (i, l) in lines.iter().enumerate() {
            at = y + i as f32 * leading;
            self.text(x, at, size, bold, Align::Left, l);
        }
        at
    }

    pub fn save(self) -> Vec<u8> {
        let pages = self
            .pages
            .into_iter()
            .map(|ops| PdfPage::new(Mm(A4_W), Mm(A4_H), ops))
            .collect();
        let mut pdf = self.pdf;
        // Lossless pictures only: a QR code or a logo must not pass through JPEG.
        let opts = PdfSaveOptions {
            image_optimization: Some(ImageOptimizationOptions {
                format: Some(ImageCompression::Flate),
                auto_optimize: Some(false),
                ..Default::default()
            }),
            ..Default::default()
        };
        pdf.with_pages(pages).save(&opts, &mut Vec::new())
    }
}
