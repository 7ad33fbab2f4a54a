//! The ward quick-reference card: one portrait A4 page, a title and a shaded strip naming this PC,
//! its ward and its data's age, then boxed sections in two columns (down the left, then down the
//! right), balanced so neither runs long. The same card as Markdown, for the docs.
//!
//! The card is meant to fit one page, and a test holds it to that; should its words ever grow past
//! the page, the columns go on over the next one rather than being cut or shrunk. Its type sizes
//! are those of the other documents: 8.5 pt text (the census prints 8, the handover 9), 10 pt
//! headings.

use std::fmt::Write as _;

use crate::model::{CardItem, CardSection, QuickReference, WriteIn};
use crate::page::{
    Book, CONTENT_TOP, Face, Ink, MARGIN, Orientation, Page, Section, line_height, text_width, wrap,
};

const SIZE: f32 = 8.5;
const HEADING: f32 = 10.0;
const TITLE: f32 = 15.0;
const GUTTER: f32 = 6.0;
/// Space between two sections of a column.
const GAP: f32 = 2.6;
const HEADING_H: f32 = 5.3;
/// Inside a section's box: above the first item and below the last.
const PAD: f32 = 1.1;
/// Between two items.
const ITEM_GAP: f32 = 0.6;
/// Text starts this far in from the box, after the bullet.
const INDENT: f32 = 4.2;

/// A run of words in one face; the runs of a line are separated by a space.
type Line = Vec<(Face, String)>;

/// Fills lines no wider than `width` with words that each have their face (bold lead, regular
/// text). A word wider than the line is broken as [`wrap`] breaks it: nothing is dropped.
fn wrap_runs(words: &[(Face, &str)], size: f32, width: f32) -> Vec<Line> {
    fn append(line: &mut Line, face: Face, word: &str) {
        match line.last_mut() {
            Some((f, run)) if *f == face => {
                run.push(' ');
                run.push_str(word);
            }
            _ => line.push((face, word.to_owned())),
        }
    }
    let space = text_width(Face::Regular, size, " ");
    let mut lines: Vec<Line> = Vec::new();
    let mut line: Line = Vec::new();
    let mut line_w = 0.0;
    for &(face, word) in words {
        let w = text_width(face, size, word);
        let fits = if line.is_empty() {
            w <= width
        } else {
            line_w + space + w <= width
        };
        if !fits && !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        if w > width {
            // Longer than a whole line: its pieces, each on a line of its own but the last.
            let mut pieces = wrap(face, size, word, width);
            let last = pieces.pop().unwrap_or_default();
            lines.extend(pieces.into_iter().map(|p| vec![(face, p)]));
            line_w = text_width(face, size, &last);
            line = vec![(face, last)];
            continue;
        }
        line_w = if line.is_empty() { w } else { line_w + space + w };
        append(&mut line, face, word);
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

fn draw_lines(page: &mut Page, x: f32, top: f32, size: f32, lines: &[Line]) -> f32 {
    let lh = line_height(size);
    let space = text_width(Face::Regular, size, " ");
    let mut y = top;
    for line in lines {
        let baseline = y + size * 0.8 / crate::page::PT_PER_MM;
        let mut cx = x;
        for (face, run) in line {
            page.text(cx, baseline, *face, size, run);
            cx += text_width(*face, size, run) + space;
        }
        y += lh;
    }
    y - top
}

/// A write-in as lines: the label in bold, then its value, or underscores to the end of the line
/// (on a line of their own when the label leaves too little room to write in).
fn write_in_lines(w: &WriteIn, size: f32, width: f32) -> Vec<Line> {
    let label = format!("{}:", w.label);
    let mut words: Vec<(Face, &str)> = label.split_whitespace().map(|t| (Face::Bold, t)).collect();
    if let Some(value) = &w.value {
        words.extend(value.split_whitespace().map(|t| (Face::Regular, t)));
        return wrap_runs(&words, size, width);
    }
    let mut lines = wrap_runs(&words, size, width);
    let underscore = text_width(Face::Regular, size, "_");
    let space = text_width(Face::Regular, size, " ");
    let last = lines.last_mut().expect("wrap_runs gives at least one line");
    let used: f32 = last.iter().map(|(f, r)| text_width(*f, size, r) + space).sum();
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // a few dozen, never negative
    let fill = |room: f32| "_".repeat((room / underscore).floor().max(0.0) as usize);
    if width - used >= 15.0 {
        last.push((Face::Regular, fill(width - used)));
    } else {
        lines.push(vec![(Face::Regular, fill(width))]);
    }
    lines
}

fn item_lines(item: &CardItem, width: f32) -> Vec<Line> {
    match item {
        CardItem::Point { lead, text } => {
            let words: Vec<(Face, &str)> = lead
                .split_whitespace()
                .map(|w| (Face::Bold, w))
                .chain(text.split_whitespace().map(|w| (Face::Regular, w)))
                .collect();
            wrap_runs(&words, SIZE, width)
        }
        CardItem::WriteIn(w) => write_in_lines(w, SIZE, width),
    }
}

/// A section laid out for a column `width` wide: each item's lines, in rows of `columns` items.
struct Laid<'s> {
    section: &'s CardSection,
    /// Per row, per item of the row: its lines.
    rows: Vec<Vec<Vec<Line>>>,
    item_w: f32,
}

impl<'s> Laid<'s> {
    fn new(section: &'s CardSection, width: f32) -> Self {
        let columns = usize::from(section.columns.max(1));
        #[allow(clippy::cast_precision_loss)] // a few columns
        let item_w = (width - INDENT - 1.5) / columns as f32;
        let rows = section
            .items
            .chunks(columns)
            .map(|row| row.iter().map(|i| item_lines(i, item_w - 1.0)).collect())
            .collect();
        Self {
            section,
            rows,
            item_w,
        }
    }

    fn row_height(row: &[Vec<Line>]) -> f32 {
        #[allow(clippy::cast_precision_loss)] // a few lines
        let lines = row.iter().map(Vec::len).max().unwrap_or(1) as f32;
        lines * line_height(SIZE)
    }

    fn height(&self) -> f32 {
        #[allow(clippy::cast_precision_loss)] // a few rows
        let gaps = self.rows.len().saturating_sub(1) as f32 * ITEM_GAP;
        HEADING_H + 2.0 * PAD + self.rows.iter().map(|r| Self::row_height(r)).sum::<f32>() + gaps
    }

    fn draw(&self, page: &mut Page, x: f32, y: f32, width: f32) {
        let h = self.height();
        page.rect(x, y, width, HEADING_H, Some(Ink::Grey(0.82)), None);
        page.rect(x, y, width, h, None, Some(0.35));
        page.text(x + 1.8, y + 4.1, Face::Bold, HEADING, &self.section.heading);
        let mut top = y + HEADING_H + PAD;
        let bullets = self.section.columns <= 1;
        for row in &self.rows {
            let mut cx = x + INDENT;
            for lines in row {
                if bullets {
                    page.text(
                        x + 1.6,
                        top + SIZE * 0.8 / crate::page::PT_PER_MM,
                        Face::Bold,
                        SIZE,
                        "•",
                    );
                }
                draw_lines(page, cx, top, SIZE, lines);
                cx += self.item_w;
            }
            top += Self::row_height(row) + ITEM_GAP;
        }
    }
}

/// The title, the line under it and the strip naming this PC; returns where the columns start.
fn head(page: &mut Page, card: &QuickReference) -> f32 {
    let width = page.width() - 2.0 * MARGIN;
    let mut y = CONTENT_TOP;
    y += page.paragraph(MARGIN, y, width, Face::Bold, TITLE, &card.title);
    y += page.paragraph(MARGIN, y + 0.5, width, Face::Regular, 9.5, &card.subtitle) + 2.0;
    if card.identity.is_empty() {
        return y + 1.0;
    }
    let cells = strip_cells(card, width);
    let laid: Vec<Vec<Line>> = card
        .identity
        .iter()
        .zip(&cells)
        .map(|(w, cell)| write_in_lines(w, 9.5, cell - 4.0))
        .collect();
    #[allow(clippy::cast_precision_loss)] // a line or two
    let h = laid.iter().map(Vec::len).max().unwrap_or(1) as f32 * line_height(9.5) + 3.4;
    page.rect(MARGIN, y, width, h, Some(Ink::Grey(0.9)), Some(0.35));
    let mut x = MARGIN + 2.0;
    for (lines, cell) in laid.iter().zip(&cells) {
        draw_lines(page, x, y + 1.7, 9.5, lines);
        x += cell;
    }
    y + h + 3.5
}

/// The widths of the strip's cells: each as wide as its words need when they all fit on one
/// line, else shared out in proportion to what each needs (a long PC name wraps, the time does
/// not).
fn strip_cells(card: &QuickReference, width: f32) -> Vec<f32> {
    let natural: Vec<f32> = card
        .identity
        .iter()
        .map(|w| {
            let value = w.value.as_deref().unwrap_or("________________");
            text_width(Face::Bold, 9.5, &format!("{}: ", w.label))
                + text_width(Face::Regular, 9.5, value)
                + 6.0
        })
        .collect();
    let total: f32 = natural.iter().sum();
    if total <= width {
        #[allow(clippy::cast_precision_loss)] // three or so
        let spare = (width - total) / natural.len().max(1) as f32;
        natural.iter().map(|n| n + spare).collect()
    } else {
        natural.iter().map(|n| n / total * width).collect()
    }
}

/// The index at which the right column starts, so that the taller column is as short as it can be.
fn split(heights: &[f32]) -> usize {
    let total: f32 = heights.iter().sum();
    let mut best = (f32::INFINITY, heights.len());
    let mut left: f32 = 0.0;
    for k in 0..=heights.len() {
        let taller = left.max(total - left);
        if taller < best.0 {
            best = (taller, k);
        }
        if let Some(h) = heights.get(k) {
            left += h;
        }
    }
    best.1
}

pub(crate) fn render(book: &mut Book, card: &QuickReference) {
    let section = book.section(Section {
        stamp: card.stamp.clone(),
        title: "Quick reference".to_owned(),
        // No ward known: a line to write it on, as in the strip.
        ward: if card.ward.is_empty() {
            "____________".to_owned()
        } else {
            card.ward.clone()
        },
    });
    let page = book.new_page(section, Orientation::Portrait);
    let mut top = head(page, card);
    let bottom = page.bottom();
    let width = (page.width() - 2.0 * MARGIN - GUTTER) / 2.0;
    let laid: Vec<Laid<'_>> = card.sections.iter().map(|s| Laid::new(s, width)).collect();
    let heights: Vec<f32> = laid.iter().map(|l| l.height() + GAP).collect();
    let right_from = split(&heights);
    let (mut column, mut y) = (0, top);
    for (i, l) in laid.iter().enumerate() {
        let h = l.height();
        let overflows = y + h > bottom && y > top;
        if (column == 0 && i == right_from && i > 0) || overflows {
            column += 1;
            y = top;
            if column == 2 {
                // Past the page: the columns go on over the next one, never cut.
                book.new_page(section, Orientation::Portrait);
                (column, top, y) = (0, CONTENT_TOP, CONTENT_TOP);
            }
        }
        #[allow(clippy::cast_precision_loss)] // column 0 or 1
        let x = MARGIN + column as f32 * (width + GUTTER);
        l.draw(book.last_page(), x, y, width);
        y += h + GAP;
    }
}

impl QuickReference {
    /// The card as Markdown (for `docs/quick-reference.md`): the same words, a heading per section
    /// and a list item per point; a line to write on is `____`.
    pub fn markdown(&self) -> String {
        let write_in = |w: &WriteIn| match &w.value {
            Some(v) => format!("**{}:** {v}", w.label),
            None => format!("**{}:** ____", w.label),
        };
        let mut out = format!("# {}\n\n{}\n\n", self.title, self.subtitle);
        for w in &self.identity {
            let _ = writeln!(out, "- {}", write_in(w));
        }
        for s in &self.sections {
            let _ = write!(out, "\n## {}\n\n", s.heading);
            for item in &s.items {
                let line = match item {
                    CardItem::Point { lead, text } if lead.is_empty() => text.clone(),
                    CardItem::Point { lead, text } => format!("**{lead}** {text}"),
                    CardItem::WriteIn(w) => write_in(w),
                };
                let _ = writeln!(out, "- {line}");
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapped_runs_keep_every_word_in_order_and_within_the_line() {
        let words: Vec<(Face, &str)> = "Drug chart: record doses then press the box of the dose and Not-given-with-a-very-long-hyphenated-word-that-cannot-fit"
            .split(' ')
            .enumerate()
            .map(|(i, w)| (if i < 3 { Face::Bold } else { Face::Regular }, w))
            .collect();
        let lines = wrap_runs(&words, SIZE, 40.0);
        let space = text_width(Face::Regular, SIZE, " ");
        for l in &lines {
            #[allow(clippy::cast_precision_loss)] // a few runs
            let w: f32 = l.iter().map(|(f, r)| text_width(*f, SIZE, r)).sum::<f32>()
                + space * (l.len().saturating_sub(1)) as f32;
            assert!(w <= 40.0 + 0.01, "{l:?} is wider than its column ({w} mm)");
        }
        let joined: String = lines.iter().flatten().map(|(_, r)| r.as_str()).collect();
        let original: String = words.iter().map(|(_, w)| *w).collect();
        assert_eq!(
            joined.replace(' ', ""),
            original,
            "wrapping moves words to the next line, never drops one"
        );
        assert_eq!(
            lines[0][0],
            (Face::Bold, "Drug chart: record".to_owned()),
            "the lead is bold"
        );
    }

    #[test]
    fn the_columns_split_where_the_taller_is_shortest() {
        assert_eq!(split(&[10.0, 10.0, 10.0, 10.0]), 2);
        assert_eq!(split(&[30.0, 5.0, 5.0, 5.0, 5.0]), 1);
        assert_eq!(split(&[]), 0);
    }
}
