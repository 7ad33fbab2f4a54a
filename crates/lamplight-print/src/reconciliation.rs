//! The reconciliation report: portrait, the title and a summary line, then one table per section
//! (still open, rejected, filed, not filed by rule), its heading and column headings drawn again on
//! every page it continues on. An empty section says "none".

use crate::model::{Reconciliation, ReconciliationRow, ReconciliationSection};
use crate::page::{
    Book, CONTENT_TOP, Face, Flow, Ink, MARGIN, Orientation, PT_PER_MM, Page, Section, line_height, wrap,
};

const SIZE: f32 = 8.0;

/// Column headings and widths (mm); they add up to the portrait text width.
const COLUMNS: [(&str, f32); 4] = [
    ("Time", 22.0),
    ("Patient", 36.0),
    ("Entry", 58.0),
    ("Outcome, who, why", 70.0),
];

fn cells(r: &ReconciliationRow) -> [&str; 4] {
    [&r.time, &r.patient, &r.entry, &r.outcome]
}

fn wrapped(texts: &[&str; 4], face: Face) -> Vec<Vec<String>> {
    texts
        .iter()
        .zip(COLUMNS)
        .map(|(t, (_, w))| wrap(face, SIZE, t, w - 1.5))
        .collect()
}

fn height(lines: &[Vec<String>]) -> f32 {
    #[allow(clippy::cast_precision_loss)] // a few lines
    let h = lines.iter().map(Vec::len).max().unwrap_or(1) as f32 * line_height(SIZE) + 1.2;
    h
}

/// Draws one table row; returns its height.
fn row(page: &mut Page, y: f32, lines: &[Vec<String>], face: Face, shade: Option<Ink>) -> f32 {
    let lh = line_height(SIZE);
    let h = height(lines);
    let total_w: f32 = COLUMNS.iter().map(|(_, w)| w).sum();
    if let Some(ink) = shade {
        page.rect(MARGIN, y, total_w, h, Some(ink), None);
    }
    let mut x = MARGIN;
    for (cell, (_, w)) in lines.iter().zip(COLUMNS) {
        for (i, l) in cell.iter().enumerate() {
            #[allow(clippy::cast_precision_loss)]
            let baseline = y + 0.6 + lh * (i as f32) + SIZE * 0.8 / PT_PER_MM;
            page.text(x + 0.75, baseline, face, SIZE, l);
        }
        x += w;
    }
    page.line(MARGIN, y + h, MARGIN + total_w, y + h, 0.15);
    h
}

const HEADING: f32 = 11.0;

/// The section's heading and its column headings at `y`; returns the height used.
fn section_head(page: &mut Page, y: f32, heading: &str) -> f32 {
    let top = y + 2.0;
    page.text(
        MARGIN,
        top + HEADING * 0.8 / PT_PER_MM,
        Face::Bold,
        HEADING,
        heading,
    );
    let below = top + line_height(HEADING) + 0.5;
    let headings: [&str; 4] = COLUMNS.map(|(h, _)| h);
    let h = row(
        page,
        below,
        &wrapped(&headings, Face::Bold),
        Face::Bold,
        Some(Ink::Grey(0.85)),
    );
    below + h - y
}

fn section_head_height() -> f32 {
    let headings: [&str; 4] = COLUMNS.map(|(h, _)| h);
    2.0 + line_height(HEADING) + 0.5 + height(&wrapped(&headings, Face::Bold))
}

fn section(flow: &mut Flow<'_>, s: &ReconciliationSection) {
    let first = s.rows.first().map(|r| height(&wrapped(&cells(r), Face::Regular)));
    // The heading never stands alone at the foot of a page.
    flow.need(section_head_height() + first.unwrap_or(line_height(SIZE) + 2.0));
    let y = flow.y;
    flow.y += section_head(flow.page(), y, &s.heading);
    if s.rows.is_empty() {
        let y = flow.y + 1.0;
        flow.y = y
            + flow
                .page()
                .paragraph(MARGIN + 0.75, y, 100.0, Face::Regular, SIZE, "none")
            + 1.0;
        return;
    }
    for r in &s.rows {
        let lines = wrapped(&cells(r), Face::Regular);
        if flow.need(height(&lines)) {
            let y = flow.y;
            let heading = format!("{} (continued)", s.heading);
            flow.y += section_head(flow.page(), y, &heading);
        }
        let y = flow.y;
        flow.y += row(flow.page(), y, &lines, Face::Regular, None);
    }
}

pub(crate) fn render(book: &mut Book, r: &Reconciliation) {
    let title = r.title();
    let id = book.section(Section {
        stamp: r.stamp.clone(),
        title: "Reconciliation report".to_owned(),
        ward: r.ward.clone(),
    });
    let head_title = title.clone();
    let mut flow = Flow::new(book, id, Orientation::Portrait, move |page| {
        page.text(MARGIN, CONTENT_TOP + 4.0, Face::Bold, 12.0, &head_title);
        CONTENT_TOP + 6.5
    });
    let width = flow.width() - 2.0 * MARGIN;
    let lines = wrap(Face::Regular, 9.0, &r.summary, width);
    #[allow(clippy::cast_precision_loss)]
    flow.need(line_height(9.0) * lines.len() as f32 + 2.0);
    let y = flow.y;
    flow.y = y
        + flow
            .page()
            .paragraph(MARGIN, y, width, Face::Regular, 9.0, &r.summary)
        + 1.0;
    for s in &r.sections {
        section(&mut flow, s);
    }
}
