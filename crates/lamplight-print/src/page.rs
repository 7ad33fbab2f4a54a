//! The drawing layer: A4 pages in millimetres from the top left, embedded DejaVu fonts, text that
//! wraps instead of being clipped, and the stamp, ward, printer and "page x of y" on every page.
//!
//! Documents draw onto [`Page`]s through a [`Flow`], which starts a new page (redrawing the patient
//! banner or table header) whenever the next line would not fit. Page numbers are filled in at the
//! end, once each section knows how many pages it has.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use printpdf::{
    Color, FontId, Greyscale, Line, LinePoint, Mm, Op, PaintMode, ParsedFont, PdfDocument, PdfFont,
    PdfFontHandle, PdfPage, PdfSaveOptions, Point, Pt, Rect, Rgb, TextItem, WindingOrder,
};

use crate::model::Stamp;

const REGULAR_TTF: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");
const BOLD_TTF: &[u8] = include_bytes!("../fonts/DejaVuSans-Bold.ttf");

/// Points per millimetre.
pub(crate) const PT_PER_MM: f32 = 72.0 / 25.4;
/// Content keeps this far from every paper edge; most printers cannot ink the outer 5 mm and
/// the tests check nothing is drawn in the outer 10 mm.
pub(crate) const MARGIN: f32 = 12.0;
/// Where content starts below the page header.
pub(crate) const CONTENT_TOP: f32 = 25.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Face {
    Regular,
    Bold,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Orientation {
    Portrait,
    Landscape,
}

impl Orientation {
    pub(crate) fn size(self) -> (f32, f32) {
        match self {
            Orientation::Portrait => (210.0, 297.0),
            Orientation::Landscape => (297.0, 210.0),
        }
    }
}

/// Ink colours. Shades are light enough that text on them stays readable in black and white.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Ink {
    Black,
    Grey(f32),
    Rgb(f32, f32, f32),
}

impl Ink {
    fn color(self) -> Color {
        match self {
            Ink::Black => Color::Greyscale(Greyscale::new(0.0, None)),
            Ink::Grey(g) => Color::Greyscale(Greyscale::new(g, None)),
            Ink::Rgb(r, g, b) => Color::Rgb(Rgb::new(r, g, b, None)),
        }
    }
}

struct Fonts {
    regular: ParsedFont,
    bold: ParsedFont,
    /// Advance widths (font units) of the Basic Multilingual Plane, per face, 0 where the face
    /// has no glyph: measuring text is the hot loop of layout, and the parsed font's maps are trees.
    widths: [Vec<u16>; 2],
}

fn width_table(font: &ParsedFont) -> Vec<u16> {
    (0..=0xFFFF_u32)
        .map(|cp| {
            font.lookup_glyph_index(cp)
                .filter(|g| *g != 0)
                .and_then(|g| font.get_glyph_width(g))
                .unwrap_or(0)
        })
        .collect()
}

fn fonts() -> &'static Fonts {
    static FONTS: OnceLock<Fonts> = OnceLock::new();
    FONTS.get_or_init(|| {
        let parse = |bytes: &[u8]| {
            ParsedFont::from_bytes(bytes, 0, &mut Vec::new())
                .expect("the DejaVu fonts embedded in this crate parse (they are committed, not downloaded)")
        };
        let regular = parse(REGULAR_TTF);
        let bold = parse(BOLD_TTF);
        Fonts {
            widths: [width_table(&regular), width_table(&bold)],
            regular,
            bold,
        }
    })
}

fn parsed(face: Face) -> &'static ParsedFont {
    match face {
        Face::Regular => &fonts().regular,
        Face::Bold => &fonts().bold,
    }
}

/// Replaces characters the font lacks, so nothing prints as an invisible box.
fn printable(text: &str) -> String {
    let widths = &fonts().widths[Face::Regular as usize];
    text.chars()
        .map(|c| {
            let known = widths.get(c as usize).is_some_and(|w| *w != 0);
            if c == ' ' || known { c } else { '?' }
        })
        .collect()
}

/// The width of `text` in millimetres.
pub(crate) fn text_width(face: Face, size: f32, text: &str) -> f32 {
    let widths = &fonts().widths[face as usize];
    // Characters the face lacks print as `?` (see `printable`): measure them as that.
    let question = u32::from(widths[usize::from(b'?')]);
    let units: u32 = text
        .chars()
        .map(|c| match widths.get(c as usize).copied().unwrap_or(0) {
            0 => question,
            w => u32::from(w),
        })
        .sum();
    #[allow(clippy::cast_precision_loss)] // widths of a line of text are far below 2^24 units
    let em = units as f32 / f32::from(parsed(face).units_per_em);
    em * size / PT_PER_MM
}

/// Line height in millimetres for a text size in points.
pub(crate) fn line_height(size: f32) -> f32 {
    size * 1.25 / PT_PER_MM
}

/// Splits text into lines no wider than `width`: at spaces, or inside a word too long for a line.
/// Nothing is ever cut off.
pub(crate) fn wrap(face: Face, size: f32, text: &str, width: f32) -> Vec<String> {
    let mut lines = Vec::new();
    let space = text_width(face, size, " ");
    for paragraph in text.split('\n') {
        let mut line = String::new();
        let mut line_w = 0.0;
        for word in paragraph.split_whitespace() {
            let word_w = text_width(face, size, word);
            let candidate_w = if line.is_empty() {
                word_w
            } else {
                line_w + space + word_w
            };
            if candidate_w <= width {
                if !line.is_empty() {
                    line.push(' ');
                }
                line.push_str(word);
                line_w = candidate_w;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            // A word longer than the line: break it after a hyphen where one fits, else
            // between characters.
            let mut piece = String::new();
            for part in word.split_inclusive('-') {
                let joined = format!("{piece}{part}");
                if text_width(face, size, &joined) <= width {
                    piece = joined;
                    continue;
                }
                if !piece.is_empty() {
                    lines.push(std::mem::take(&mut piece));
                }
                for c in part.chars() {
                    piece.push(c);
                    if text_width(face, size, &piece) > width && piece.chars().count() > 1 {
                        piece.pop();
                        lines.push(std::mem::take(&mut piece));
                        piece.push(c);
                    }
                }
            }
            line_w = text_width(face, size, &piece);
            line = piece;
        }
        lines.push(line);
    }
    lines
}

/// One page being drawn.
#[derive(Debug)]
pub(crate) struct Page {
    pub orientation: Orientation,
    pub section: usize,
    ops: Vec<Op>,
    regular: FontId,
    bold: FontId,
    /// Characters drawn in each face, so each PDF embeds only their glyphs.
    used: [BTreeSet<char>; 2],
}

impl Page {
    pub(crate) fn width(&self) -> f32 {
        self.orientation.size().0
    }

    pub(crate) fn height(&self) -> f32 {
        self.orientation.size().1
    }

    /// The lowest baseline content may use (the footer sits below it).
    pub(crate) fn bottom(&self) -> f32 {
        self.height() - MARGIN - 8.0
    }

    fn point(&self, x: f32, y: f32) -> Point {
        Point {
            x: Mm(x).into(),
            y: Mm(self.height() - y).into(),
        }
    }

    /// Text with its baseline at `y` (from the top).
    pub(crate) fn text(&mut self, x: f32, y: f32, face: Face, size: f32, text: &str) {
        let font = match face {
            Face::Regular => self.regular.clone(),
            Face::Bold => self.bold.clone(),
        };
        let text = printable(text);
        self.used[face as usize].extend(text.chars());
        let pos = self.point(x, y);
        self.ops.extend([
            Op::StartTextSection,
            Op::SetFillColor {
                col: Ink::Black.color(),
            },
            Op::SetFont {
                font: PdfFontHandle::External(font),
                size: Pt(size),
            },
            Op::SetTextCursor { pos },
            Op::ShowText {
                items: vec![TextItem::Text(text)],
            },
            Op::EndTextSection,
        ]);
    }

    pub(crate) fn text_right(&mut self, right: f32, y: f32, face: Face, size: f32, text: &str) {
        let w = text_width(face, size, text);
        self.text(right - w, y, face, size, text);
    }

    pub(crate) fn text_center(&mut self, center: f32, y: f32, face: Face, size: f32, text: &str) {
        let w = text_width(face, size, text);
        self.text(center - w / 2.0, y, face, size, text);
    }

    /// Wrapped text whose first line's top is at `top`; returns the height used.
    pub(crate) fn paragraph(
        &mut self,
        x: f32,
        top: f32,
        width: f32,
        face: Face,
        size: f32,
        text: &str,
    ) -> f32 {
        let lh = line_height(size);
        let lines = wrap(face, size, text, width);
        for (i, l) in lines.iter().enumerate() {
            #[allow(clippy::cast_precision_loss)] // a few lines
            let baseline = top + lh * (i as f32) + size * 0.8 / PT_PER_MM;
            self.text(x, baseline, face, size, l);
        }
        #[allow(clippy::cast_precision_loss)]
        let h = lh * lines.len() as f32;
        h
    }

    #[allow(clippy::many_single_char_names)] // x, y, w, h: a rectangle's own names
    pub(crate) fn rect(&mut self, x: f32, y: f32, w: f32, h: f32, fill: Option<Ink>, stroke: Option<f32>) {
        let bottom = self.height() - y - h;
        let rect = |mode| Rect {
            x: Mm(x).into(),
            y: Mm(bottom).into(),
            width: Mm(w).into(),
            height: Mm(h).into(),
            mode: Some(mode),
            winding_order: Some(WindingOrder::NonZero),
        };
        if let Some(ink) = fill {
            let r = rect(PaintMode::Fill);
            self.ops.extend([
                Op::SetFillColor { col: ink.color() },
                Op::DrawRectangle { rectangle: r },
            ]);
        }
        if let Some(thickness) = stroke {
            let r = rect(PaintMode::Stroke);
            self.ops.extend([
                Op::SetOutlineColor {
                    col: Ink::Black.color(),
                },
                Op::SetOutlineThickness {
                    pt: Pt(thickness * PT_PER_MM),
                },
                Op::DrawRectangle { rectangle: r },
            ]);
        }
    }

    pub(crate) fn line(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, thickness: f32) {
        let line = Line {
            points: vec![
                LinePoint {
                    p: self.point(x1, y1),
                    bezier: false,
                },
                LinePoint {
                    p: self.point(x2, y2),
                    bezier: false,
                },
            ],
            is_closed: false,
        };
        self.ops.extend([
            Op::SetOutlineColor {
                col: Ink::Black.color(),
            },
            Op::SetOutlineThickness {
                pt: Pt(thickness * PT_PER_MM),
            },
            Op::DrawLine { line },
        ]);
    }

    /// A Code 128 set C barcode of `digits`, bars `module` mm wide and `height` tall, with its
    /// quiet zones inside `x..`; returns the width used. Drawn as vector bars, so it scans sharp.
    pub(crate) fn barcode(&mut self, x: f32, y: f32, module: f32, height: f32, digits: &str) -> f32 {
        let Ok(widths) = crate::code128::widths(digits) else {
            return 0.0;
        };
        let quiet = 10.0 * module;
        let mut cursor = x + quiet;
        for (i, w) in widths.iter().enumerate() {
            let bar_w = f32::from(*w) * module;
            if i % 2 == 0 {
                self.rect(cursor, y, bar_w, height, Some(Ink::Black), None);
            }
            cursor += bar_w;
        }
        cursor + quiet - x
    }
}

/// Each section (a document, or one patient's chart in a pack) numbers its own pages.
#[derive(Debug, Clone)]
pub(crate) struct Section {
    pub stamp: Stamp,
    /// `Drug chart`, `Handover`.
    pub title: String,
    pub ward: String,
}

/// A PDF being assembled.
#[derive(Debug)]
pub(crate) struct Book {
    doc: PdfDocument,
    regular: FontId,
    bold: FontId,
    pages: Vec<Page>,
    sections: Vec<Section>,
}

impl Book {
    pub(crate) fn new(title: &str) -> Self {
        // The fonts themselves are added at the end, subset to the characters the pages used.
        let doc = PdfDocument::new(title);
        let regular = FontId::new();
        let bold = FontId::new();
        Self {
            doc,
            regular,
            bold,
            pages: Vec::new(),
            sections: Vec::new(),
        }
    }

    pub(crate) fn section(&mut self, section: Section) -> usize {
        self.sections.push(section);
        self.sections.len() - 1
    }

    pub(crate) fn new_page(&mut self, section: usize, orientation: Orientation) -> &mut Page {
        self.pages.push(Page {
            orientation,
            section,
            ops: Vec::new(),
            regular: self.regular.clone(),
            bold: self.bold.clone(),
            used: [BTreeSet::new(), BTreeSet::new()],
        });
        self.pages.last_mut().expect("a page was just pushed")
    }

    pub(crate) fn last_page(&mut self) -> &mut Page {
        self.pages.last_mut().expect("a flow always has a page")
    }

    pub(crate) fn drop_last_page(&mut self) {
        self.pages.pop();
    }

    pub(crate) fn page_count(&self) -> usize {
        self.pages.len()
    }

    /// Adds the header and footer to every page and writes the PDF.
    pub(crate) fn finish(mut self) -> Vec<u8> {
        let mut totals = vec![0usize; self.sections.len()];
        for p in &self.pages {
            totals[p.section] += 1;
        }
        let mut seen = vec![0usize; self.sections.len()];
        let sections = std::mem::take(&mut self.sections);
        let mut pdf_pages = Vec::with_capacity(self.pages.len());
        let mut used = [BTreeSet::new(), BTreeSet::new()];
        for mut page in std::mem::take(&mut self.pages) {
            let k = page.section;
            seen[k] += 1;
            decorate(&mut page, &sections[k], seen[k], totals[k]);
            for (all, here) in used.iter_mut().zip(&page.used) {
                all.extend(here);
            }
            let (w, h) = page.orientation.size();
            pdf_pages.push(PdfPage::new(Mm(w), Mm(h), page.ops));
        }
        for (face, id, chars) in [
            (Face::Regular, self.regular.clone(), &used[0]),
            (Face::Bold, self.bold.clone(), &used[1]),
        ] {
            self.doc
                .resources
                .fonts
                .map
                .insert(id, PdfFont::new(subset(face, chars)));
        }
        let options = PdfSaveOptions {
            // Already subset above; printpdf would otherwise embed the whole font again.
            subset_fonts: false,
            ..PdfSaveOptions::default()
        };
        self.doc.with_pages(pdf_pages).save(&options, &mut Vec::new())
    }
}

/// The face cut down to the glyphs of `chars` (a few KB instead of 700), keeping its Unicode cmap
/// so text maps to glyphs and reads back with `pdftotext`. Falls back to the whole face if the
/// subsetter refuses, so a page is never blank.
fn subset(face: Face, chars: &BTreeSet<char>) -> ParsedFont {
    use allsorts::binary::read::ReadScope;
    use allsorts::font_data::FontData;
    use allsorts::subset::{CmapTarget, SubsetProfile};

    let full = parsed(face);
    let bytes = match face {
        Face::Regular => REGULAR_TTF,
        Face::Bold => BOLD_TTF,
    };
    let mut ids: Vec<u16> = chars
        .iter()
        .filter_map(|c| full.lookup_glyph_index(u32::from(*c)))
        .filter(|g| *g != 0)
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids.insert(0, 0); // .notdef first, as allsorts requires
    let subset = ReadScope::new(bytes)
        .read::<FontData<'_>>()
        .ok()
        .and_then(|f| f.table_provider(0).ok())
        .and_then(|p| allsorts::subset::subset(&p, &ids, &SubsetProfile::Pdf, CmapTarget::Unicode).ok())
        .and_then(|b| ParsedFont::from_bytes(&b, 0, &mut Vec::new()));
    subset.unwrap_or_else(|| full.clone())
}

/// The stamp across the top, and ward, printer and page number across the bottom.
fn decorate(page: &mut Page, s: &Section, n: usize, of: usize) {
    let (w, h) = page.orientation.size();
    let right = w - MARGIN;
    page.text(MARGIN, MARGIN + 3.5, Face::Bold, 11.0, &s.stamp.line());
    page.text_right(right, MARGIN + 3.5, Face::Bold, 11.0, &s.title);
    let mut second = s.stamp.site.clone();
    if let Some(notice) = &s.stamp.notice {
        second = format!("{second}  ·  {notice}");
    }
    page.text(MARGIN, MARGIN + 8.0, Face::Regular, 8.0, &second);
    page.line(MARGIN, MARGIN + 10.0, right, MARGIN + 10.0, 0.4);

    let base = h - MARGIN - 1.0;
    page.line(MARGIN, base - 4.5, right, base - 4.5, 0.3);
    let left = format!(
        "Ward: {}  ·  Printed by {} at {}",
        s.ward, s.stamp.printed_by, s.stamp.printed_at
    );
    let number = format!("page {n} of {of}");
    let room = right - MARGIN - text_width(Face::Bold, 9.0, &number) - 4.0;
    let left = fit(Face::Regular, 8.0, &left, room);
    page.text(MARGIN, base, Face::Regular, 8.0, &left);
    page.text_right(right, base, Face::Bold, 9.0, &number);
}

/// Shortens a one-line footer to fit, keeping its start (ward and printer come first).
fn fit(face: Face, size: f32, text: &str, width: f32) -> String {
    if text_width(face, size, text) <= width {
        return text.to_owned();
    }
    let mut out = String::new();
    for c in text.chars() {
        out.push(c);
        if text_width(face, size, &format!("{out}...")) > width {
            out.pop();
            break;
        }
    }
    format!("{out}...")
}

/// Content flowing down pages of one section: [`Flow::need`] starts a new page, drawing its head
/// again, when the next piece would not fit.
pub(crate) struct Flow<'b> {
    pub book: &'b mut Book,
    section: usize,
    orientation: Orientation,
    head: Box<dyn Fn(&mut Page) -> f32 + 'b>,
    /// The top of the free space on the current page.
    pub y: f32,
}

impl std::fmt::Debug for Flow<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Flow")
            .field("section", &self.section)
            .field("y", &self.y)
            .finish()
    }
}

impl<'b> Flow<'b> {
    /// Starts the first page. `head` draws what every page of the section repeats (a patient
    /// banner, a table header) below the stamp, and returns where content may start.
    pub(crate) fn new(
        book: &'b mut Book,
        section: usize,
        orientation: Orientation,
        head: impl Fn(&mut Page) -> f32 + 'b,
    ) -> Self {
        let mut flow = Self {
            book,
            section,
            orientation,
            head: Box::new(head),
            y: 0.0,
        };
        flow.break_page();
        flow
    }

    pub(crate) fn break_page(&mut self) {
        let page = self.book.new_page(self.section, self.orientation);
        self.y = (self.head)(page);
    }

    /// Makes room for `height` mm, on a new page if need be; true when a new page was started.
    pub(crate) fn need(&mut self, height: f32) -> bool {
        let bottom = self.page().bottom();
        if self.y + height > bottom {
            self.break_page();
            return true;
        }
        false
    }

    pub(crate) fn page(&mut self) -> &mut Page {
        self.book.last_page()
    }

    pub(crate) fn width(&self) -> f32 {
        self.orientation.size().0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_never_loses_a_character() {
        let text = "Supercalifragilisticexpialidocious-medicine-name-that-is-far-too-long for one line of a narrow column";
        let lines = wrap(Face::Regular, 9.0, text, 30.0);
        assert!(lines.len() > 2, "a narrow column wraps: {lines:?}");
        for l in &lines {
            assert!(
                text_width(Face::Regular, 9.0, l) <= 30.0 + 0.01,
                "{l:?} is wider than its column"
            );
        }
        let joined: String = lines.concat();
        assert_eq!(
            joined.replace(' ', ""),
            text.replace(' ', ""),
            "wrapping must only move text to the next line, never drop it"
        );
    }

    #[test]
    fn bold_text_is_wider_than_regular() {
        assert!(text_width(Face::Bold, 10.0, "SMITH, Mary") > text_width(Face::Regular, 10.0, "SMITH, Mary"));
        let w = text_width(Face::Regular, 10.0, "0000000000");
        assert!(
            (w - 22.4).abs() < 1.0,
            "ten DejaVu digits at 10 pt are about 22.4 mm, got {w}"
        );
    }
}
