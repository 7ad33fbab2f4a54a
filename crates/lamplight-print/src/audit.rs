//! The audit report: an A4 record, for IT and governance, of who signed in, was refused, opened,
//! printed, recorded and filed what on a ward's PCs. Portrait: a title, what the report covers
//! (vault, period, when and by whom printed, the filters given) and a summary, then the lines to
//! look at first (emergency sign-ins with their reason, refusals, modes changed with nobody signed
//! in), then the whole trail in time order, then the records that could not be read.
//!
//! The station fills in [`AuditReport`] with every word and time already written (this crate
//! formats nothing); this module only lays it out. Each table's heading and column headings are
//! drawn again on every page it continues on. A cell wraps, and one longer than [`MAX_CELL_LINES`]
//! lines is cut with an ellipsis, so a pasted paragraph or a very long id never pushes a row off
//! the page or over its neighbour. Patients appear as the trail has them: by id only.
//!
//! The report has its own entry point, [`render`], rather than a [`crate::Document`] variant: it is
//! never part of a ward's print pack.

use crate::Pdf;
use crate::model::Stamp;
use crate::page::{
    Book, CONTENT_TOP, Face, Flow, Ink, MARGIN, Orientation, PT_PER_MM, Page, Section, line_height,
    text_width, wrap,
};

/// The audit report's content, every word and time already written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditReport {
    /// The stamp and footer of every page.
    pub stamp: Stamp,
    /// `Audit trail`: top right of every page.
    pub kind: String,
    /// `Audit trail: /srv/lamplight/vault`: top of every page's content.
    pub title: String,
    /// In the footer's `Ward:` place: which PCs' journals were read.
    pub scope: String,
    /// What the report covers, one `(label, value)` a line: `Period`, `Printed by`, `Filters`...
    pub header: Vec<(String, String)>,
    /// `42 lines, 3 people, 2 PCs, 2 to look at`.
    pub summary: String,
    /// What `!` and the shading mean, under the summary.
    pub legend: String,
    /// `To look at`: the highlighted lines, first.
    pub to_look_at: AuditSection,
    /// `The whole trail`, in time order.
    pub trail: AuditSection,
    /// `Could not be read`, and what could not.
    pub problems: AuditNotes,
    /// What an empty section says: `none`.
    pub none: String,
}

/// A table of trail lines.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditSection {
    pub heading: String,
    pub rows: Vec<AuditRow>,
}

/// A list of sentences under a heading.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditNotes {
    pub heading: String,
    pub notes: Vec<String>,
}

/// One line of the trail. Lines within a cell are separated by `\n`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditRow {
    /// `08:04 Tue 01/12/2026`, London.
    pub time: String,
    /// `WD7-PC1`, and the record's place in that PC's journal.
    pub pc: String,
    /// `Nurse Ada Audit (nurse)`.
    pub who: String,
    /// `refused-not-signed-in`, and `DRILL` on a drill record.
    pub event: String,
    /// What was refused, printed, recorded; an emergency sign-in's reason.
    pub detail: String,
    /// The patient's id, as the journal has it; empty when the line is about no patient.
    pub patient: String,
    /// Marked `!` and shaded.
    pub highlighted: bool,
}

/// A cell longer than this many lines is cut, its last line ending in an ellipsis.
pub const MAX_CELL_LINES: usize = 6;

const SIZE: f32 = 7.5;
const HEADING: f32 = 11.0;
const ELLIPSIS: &str = "…";
const SHADE: Ink = Ink::Grey(0.88);
/// Padding inside a cell, each side.
const PAD: f32 = 0.75;

/// Column headings and widths (mm); they add up to the portrait text width (210 - 2 × 12).
const COLUMNS: [(&str, f32); 7] = [
    ("", 4.0),
    ("Time (London)", 30.0),
    ("PC", 21.0),
    ("Who (role)", 34.0),
    ("Event", 34.0),
    ("Detail", 41.0),
    ("Patient id", 22.0),
];

fn texts(r: &AuditRow) -> [&str; 7] {
    let mark = if r.highlighted { "!" } else { "" };
    [mark, &r.time, &r.pc, &r.who, &r.event, &r.detail, &r.patient]
}

/// Text wrapped to `width`, at most `max` lines: a longer text keeps its first lines and ends in
/// an ellipsis that fits the width too.
pub(crate) fn fitted(face: Face, size: f32, text: &str, width: f32, max: usize) -> Vec<String> {
    let mut lines = wrap(face, size, text, width);
    if lines.len() <= max {
        return lines;
    }
    lines.truncate(max.max(1));
    let last = lines.last_mut().expect("at least one line is kept");
    let mut cut = format!("{last}{ELLIPSIS}");
    while text_width(face, size, &cut) > width && last.pop().is_some() {
        cut = format!("{}{ELLIPSIS}", last.trim_end());
    }
    *last = cut;
    lines
}

fn cells(texts: &[&str; 7], face: Face) -> Vec<Vec<String>> {
    texts
        .iter()
        .zip(COLUMNS)
        .map(|(t, (_, w))| fitted(face, SIZE, t, w - 2.0 * PAD, MAX_CELL_LINES))
        .collect()
}

fn height(lines: &[Vec<String>]) -> f32 {
    #[allow(clippy::cast_precision_loss)] // at most MAX_CELL_LINES lines
    let h = lines.iter().map(Vec::len).max().unwrap_or(1) as f32 * line_height(SIZE) + 1.2;
    h
}

/// Draws one table row at `y`; returns its height.
fn row(page: &mut Page, y: f32, lines: &[Vec<String>], face: Face, shade: Option<Ink>) -> f32 {
    let lh = line_height(SIZE);
    let h = height(lines);
    let total_w: f32 = COLUMNS.iter().map(|(_, w)| w).sum();
    if let Some(ink) = shade {
        page.rect(MARGIN, y, total_w, h, Some(ink), None);
    }
    let mut x = MARGIN;
    for (i, (cell, (_, w))) in lines.iter().zip(COLUMNS).enumerate() {
        // The mark column is bold, so a `!` is seen from across the desk.
        let face = if i == 0 { Face::Bold } else { face };
        for (n, l) in cell.iter().enumerate() {
            #[allow(clippy::cast_precision_loss)]
            let baseline = y + 0.6 + lh * (n as f32) + SIZE * 0.8 / PT_PER_MM;
            page.text(x + PAD, baseline, face, SIZE, l);
        }
        x += w;
    }
    page.line(MARGIN, y + h, MARGIN + total_w, y + h, 0.15);
    h
}

fn heading_height() -> f32 {
    2.0 + line_height(HEADING) + 0.5
}

/// A heading at `y`; returns the height used.
fn heading(page: &mut Page, y: f32, text: &str) -> f32 {
    let top = y + 2.0;
    page.text(MARGIN, top + HEADING * 0.8 / PT_PER_MM, Face::Bold, HEADING, text);
    heading_height()
}

fn column_heads() -> Vec<Vec<String>> {
    cells(&COLUMNS.map(|(h, _)| h), Face::Bold)
}

fn table_head(page: &mut Page, y: f32, text: &str) -> f32 {
    let h = heading(page, y, text);
    h + row(page, y + h, &column_heads(), Face::Bold, Some(Ink::Grey(0.8)))
}

fn table_head_height() -> f32 {
    heading_height() + height(&column_heads())
}

fn table(flow: &mut Flow<'_>, s: &AuditSection, none: &str) {
    let first = s.rows.first().map(|r| height(&cells(&texts(r), Face::Regular)));
    // The heading never stands alone at the foot of a page.
    flow.need(table_head_height() + first.unwrap_or(line_height(SIZE) + 2.0));
    let y = flow.y;
    flow.y += table_head(flow.page(), y, &s.heading);
    if s.rows.is_empty() {
        let y = flow.y + 1.0;
        flow.y = y
            + flow
                .page()
                .paragraph(MARGIN + PAD, y, 100.0, Face::Regular, SIZE, none)
            + 1.0;
        return;
    }
    for r in &s.rows {
        let lines = cells(&texts(r), Face::Regular);
        if flow.need(height(&lines)) {
            let y = flow.y;
            let continued = format!("{} (continued)", s.heading);
            flow.y += table_head(flow.page(), y, &continued);
        }
        let y = flow.y;
        let shade = r.highlighted.then_some(SHADE);
        flow.y += row(flow.page(), y, &lines, Face::Regular, shade);
    }
}

/// Wrapped, cut lines drawn from `flow.y`, on the next page if they do not fit here.
fn lines_block(flow: &mut Flow<'_>, x: f32, width: f32, face: Face, size: f32, text: &str) {
    let lines = fitted(face, size, text, width, MAX_CELL_LINES);
    let lh = line_height(size);
    #[allow(clippy::cast_precision_loss)] // at most MAX_CELL_LINES lines
    let h = lh * lines.len() as f32;
    flow.need(h + 0.5);
    let top = flow.y;
    for (i, l) in lines.iter().enumerate() {
        #[allow(clippy::cast_precision_loss)]
        let baseline = top + lh * (i as f32) + size * 0.8 / PT_PER_MM;
        flow.page().text(x, baseline, face, size, l);
    }
    flow.y = top + h + 0.5;
}

/// What the report covers: labels in bold, values beside them.
fn header(flow: &mut Flow<'_>, r: &AuditReport) {
    const LABEL: f32 = 28.0;
    let width = flow.width() - 2.0 * MARGIN;
    for (label, value) in &r.header {
        let label_lines = fitted(Face::Bold, 9.0, label, LABEL - 1.0, 2);
        let value_lines = fitted(Face::Regular, 9.0, value, width - LABEL, 3);
        let lh = line_height(9.0);
        #[allow(clippy::cast_precision_loss)] // at most 3 lines
        let h = lh * label_lines.len().max(value_lines.len()) as f32;
        flow.need(h + 0.5);
        let top = flow.y;
        for (x, face, lines) in [
            (MARGIN, Face::Bold, &label_lines),
            (MARGIN + LABEL, Face::Regular, &value_lines),
        ] {
            for (i, l) in lines.iter().enumerate() {
                #[allow(clippy::cast_precision_loss)]
                let baseline = top + lh * (i as f32) + 9.0 * 0.8 / PT_PER_MM;
                flow.page().text(x, baseline, face, 9.0, l);
            }
        }
        flow.y = top + h + 0.5;
    }
    flow.y += 1.5;
    lines_block(flow, MARGIN, width, Face::Bold, 9.5, &r.summary);
    lines_block(flow, MARGIN, width, Face::Regular, 8.0, &r.legend);
}

fn notes(flow: &mut Flow<'_>, n: &AuditNotes, none: &str) {
    let width = flow.width() - 2.0 * MARGIN;
    flow.need(heading_height() + line_height(SIZE) + 2.0);
    let y = flow.y;
    flow.y += heading(flow.page(), y, &n.heading) + 1.0;
    if n.notes.is_empty() {
        lines_block(flow, MARGIN + PAD, width, Face::Regular, SIZE, none);
    }
    for note in &n.notes {
        lines_block(
            flow,
            MARGIN + PAD,
            width - PAD,
            Face::Regular,
            SIZE,
            &format!("- {note}"),
        );
    }
}

/// The audit report as an A4 PDF.
pub fn render(r: &AuditReport) -> Pdf {
    let mut book = Book::new(&r.title);
    let id = book.section(Section {
        stamp: r.stamp.clone(),
        title: r.kind.clone(),
        ward: r.scope.clone(),
    });
    {
        let width = Orientation::Portrait.size().0 - 2.0 * MARGIN;
        let title = fitted(Face::Bold, 12.0, &r.title, width, 1).concat();
        let mut flow = Flow::new(&mut book, id, Orientation::Portrait, move |page| {
            page.text(MARGIN, CONTENT_TOP + 4.0, Face::Bold, 12.0, &title);
            CONTENT_TOP + 6.5
        });
        header(&mut flow, r);
        table(&mut flow, &r.to_look_at, &r.none);
        table(&mut flow, &r.trail, &r.none);
        notes(&mut flow, &r.problems, &r.none);
    }
    let pages = book.page_count();
    Pdf {
        bytes: book.finish(),
        pages,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(rows: usize) -> AuditReport {
        let row = |i: usize| AuditRow {
            time: format!("{:02}:{:02} Tue 01/12/2026", 8 + i / 60, i % 60),
            pc: format!("WD7-PC{}\n#{i}", 1 + i % 2),
            who: "Nurse Ada Audit (nurse)".to_owned(),
            event: if i % 10 == 3 {
                "refused-not-signed-in".to_owned()
            } else {
                "record-opened".to_owned()
            },
            detail: if i == 7 {
                "a reason typed by someone who went on and on ".repeat(40)
            } else {
                "open-record".to_owned()
            },
            patient: if i == 9 {
                "x".repeat(400)
            } else {
                format!("pat-{i:04}")
            },
            highlighted: i % 10 == 3,
        };
        let trail: Vec<AuditRow> = (0..rows).map(row).collect();
        AuditReport {
            stamp: Stamp {
                data_as_of: "09:00 01/12/2026".to_owned(),
                printed_at: "09:01 01/12/2026".to_owned(),
                printed_by: "lamplight audit (run by it-admin)".to_owned(),
                site: "Audit trail of vault /srv/vault".to_owned(),
                notice: None,
            },
            kind: "Audit trail".to_owned(),
            title: "Audit trail: /srv/vault".to_owned(),
            scope: "every PC of the ward folder".to_owned(),
            header: vec![("Period".to_owned(), "08:00 to 09:00".to_owned())],
            summary: format!("{rows} lines"),
            legend: "! and shading: to look at".to_owned(),
            to_look_at: AuditSection {
                heading: "To look at".to_owned(),
                rows: trail.iter().filter(|r| r.highlighted).cloned().collect(),
            },
            trail: AuditSection {
                heading: "The whole trail".to_owned(),
                rows: trail,
            },
            problems: AuditNotes {
                heading: "Could not be read".to_owned(),
                notes: vec!["record 4 of WD7-PC2 is not one this Lamplight reads".to_owned()],
            },
            none: "none".to_owned(),
        }
    }

    #[test]
    fn a_cell_too_long_for_its_lines_is_cut_with_an_ellipsis_inside_its_column() {
        let text = "word ".repeat(300);
        let lines = fitted(Face::Regular, SIZE, &text, 30.0, MAX_CELL_LINES);
        assert_eq!(
            lines.len(),
            MAX_CELL_LINES,
            "a long cell keeps only its first lines"
        );
        assert!(
            lines.last().unwrap().ends_with(ELLIPSIS),
            "and says it was cut: {lines:?}"
        );
        for l in &lines {
            assert!(
                text_width(Face::Regular, SIZE, l) <= 30.0 + 0.01,
                "{l:?} is wider than its column: it would print over the next"
            );
        }
        let short = fitted(Face::Regular, SIZE, "open-record", 30.0, MAX_CELL_LINES);
        assert_eq!(short, ["open-record"], "a cell that fits is printed whole");
    }

    #[test]
    fn the_columns_fill_the_portrait_page_between_its_margins() {
        let total: f32 = COLUMNS.iter().map(|(_, w)| w).sum();
        assert!(
            (total - (210.0 - 2.0 * MARGIN)).abs() < 0.01,
            "the table is as wide as the text, no wider: {total}"
        );
    }

    #[test]
    fn a_long_trail_runs_over_pages_each_numbered_with_its_table_head_again() {
        let r = report(200);
        let pdf = render(&r);
        assert!(pdf.pages >= 3, "200 lines take several pages: {}", pdf.pages);
        assert!(pdf.bytes.starts_with(b"%PDF-"), "a PDF");
        // Through a pipe: the PDF never touches the disk.
        let mut child = std::process::Command::new("pdftotext")
            .args(["-raw", "-enc", "UTF-8", "-", "-"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("pdftotext (poppler-utils) is installed by packaging/install-deps.sh --test");
        let mut stdin = child.stdin.take().unwrap();
        let bytes = pdf.bytes.clone();
        let writer = std::thread::spawn(move || std::io::Write::write_all(&mut stdin, &bytes));
        let out = child.wait_with_output().unwrap();
        writer.join().unwrap().unwrap();
        assert!(out.status.success(), "pdftotext reads the PDF");
        let text = String::from_utf8(out.stdout).unwrap();
        let pages: Vec<&str> = text.split('\u{c}').filter(|p| !p.trim().is_empty()).collect();
        assert_eq!(pages.len(), pdf.pages, "pdftotext sees every page drawn");
        for (i, p) in pages.iter().enumerate() {
            let n = format!("page {} of {}", i + 1, pdf.pages);
            assert!(p.contains(&n), "every page says {n:?}: {p}");
            assert!(
                p.contains("Time (London)") && p.contains("Patient id"),
                "every page of a table repeats its column headings: page {}",
                i + 1
            );
        }
        let look = text.find("To look at").unwrap();
        let whole = text.find("The whole trail").unwrap();
        let problems = text.find("Could not be read").unwrap();
        assert!(
            look < whole && whole < problems,
            "what to look at comes first, the problems last"
        );
        assert!(
            text.contains("The whole trail (continued)"),
            "a continued table says so"
        );
        assert!(
            text.contains(ELLIPSIS),
            "the over-long detail and id are cut, not overflowing"
        );
        assert!(!text.contains(&"x".repeat(200)), "an id of 400 characters is cut");
    }
}
