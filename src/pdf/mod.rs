//! A4 documents with printpdf: a thin layer that places text (left, right or centred, measured
//! with the font's own advances) and rules on pages, in millimetres from the top-left corner.
//! The fonts are Noto Sans cut down ahead of time to the characters Bansos prints
//! (`assets/fonts/`), so each PDF embeds them whole and stays small.

pub mod stock_card;

use crate::error::{Error, Result};
use printpdf::{
    Color, FontId, Line, LinePoint, Mm, Op, ParsedFont, PdfDocument, PdfFontHandle, PdfPage,
    PdfSaveOptions, Point, Pt, Rgb, TextItem,
};
use std::sync::OnceLock;

const REGULAR: &[u8] = include_bytes!("../../assets/fonts/NotoSans-Regular-subset.ttf");
const BOLD: &[u8] = include_bytes!("../../assets/fonts/NotoSans-Bold-subset.ttf");

pub const A4_W: f32 = 210.0;
pub const A4_H: f32 = 297.0;

fn fonts() -> Result<&'static (ParsedFont, ParsedFont)> {
    static F: OnceLock<Option<(ParsedFont, ParsedFont)>> = OnceLock::new();
    F.get_or_init(|| {
        let r = ParsedFont::from_bytes(REGULAR, 0, &mut Vec::new())?;
        let b = ParsedFont::from_bytes(BOLD, 0, &mut Vec::new())?;
        Some((r, b))
    })
    .as_ref()
    .ok_or_else(|| Error::internal("the shipped PDF fonts do not parse"))
}

/// Width of `s` in millimetres at `size` points.
pub fn text_width(s: &str, size: f32, bold: bool) -> f32 {
    let Ok((r, b)) = fonts() else { return 0.0 };
    let f = if bold { b } else { r };
    let upm = f32::from(f.units_per_em.max(1));
    let units: f32 = s
        .chars()
        .map(|c| {
            f.codepoint_to_glyph
                .get(&(c as u32))
                .and_then(|g| f.glyph_widths.get(g))
                .map_or(upm / 2.0, |w| f32::from(*w))
        })
        .sum();
    units / upm * size * 25.4 / 72.0
}

/// Characters the shipped fonts lack are printed as '?', never dropped silently.
fn printable(s: &str) -> String {
    let Ok((r, _)) = fonts() else {
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

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
    Center,
}

pub struct Doc {
    pdf: PdfDocument,
    regular: FontId,
    bold: FontId,
    pages: Vec<Vec<Op>>,
}

impl Doc {
    pub fn new(title: &str) -> Result<Doc> {
        let (r, b) = fonts()?;
        let mut pdf = PdfDocument::new(title);
        let regular = pdf.add_font(r);
        let bold = pdf.add_font(b);
        Ok(Doc {
            pdf,
            regular,
            bold,
            pages: vec![Vec::new()],
        })
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
        let font = if bold {
            self.bold.clone()
        } else {
            self.regular.clone()
        };
        self.ops(page).extend([
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

    pub fn save(self) -> Vec<u8> {
        let pages = self
            .pages
            .into_iter()
            .map(|ops| PdfPage::new(Mm(A4_W), Mm(A4_H), ops))
            .collect();
        let mut pdf = self.pdf;
        pdf.with_pages(pages)
            .save(&PdfSaveOptions::default(), &mut Vec::new())
    }
}
