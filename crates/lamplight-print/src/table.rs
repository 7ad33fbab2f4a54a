//! A report that is tables: portrait, the title and a summary line, then one table per section,
//! its heading and column headings drawn again on every page it continues on. An empty section
//! says "none". The reconciliation report and IT's fleet readiness page are such reports
//! ([`TableReport`]); each names its own columns.

use crate::model::{Reconciliation, TableReport, TableSection};
use crate::page::{
    Book, CONTENT_TOP, Face, Flow, Ink, MARGIN, Orientation, PT_PER_MM, Page, Section, line_height, wrap,
};

const SIZE: f32 = 8.0;
const HEADING: f32 = 11.0;

/// The reconciliation report's columns (mm); they add up to the portrait text width.
const RECONCILIATION_COLUMNS: [(&str, u16); 4] = [
    ("Time", 22),
    ("Patient", 36),
    ("Entry", 58),
    ("Outcome, who, why", 70),
];

impl From<&Reconciliation> for TableReport {
    fn from(r: &Reconciliation) -> Self {
        TableReport {
            stamp: r.stamp.clone(),
            kind: "Reconciliation report".to_owned(),
            title: r.title(),
            scope: r.ward.clone(),
            summary: r.summary.clone(),
            columns: RECONCILIATION_COLUMNS
                .iter()
                .map(|(h, w)| ((*h).to_owned(), *w))
                .collect(),
            sections: r
                .sections
                .iter()
                .map(|s| TableSection {
                    heading: s.heading.clone(),
                    rows: s
                        .rows
                        .iter()
                        .map(|row| {
                            vec![
                                row.time.clone(),
                                row.patient.clone(),
                                row.entry.clone(),
                                row.outcome.clone(),
                            ]
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}

struct Table {
    columns: Vec<(String, f32)>,
}

impl Table {
    fn wrapped(&self, texts: &[String], face: Face) -> Vec<Vec<String>> {
        self.columns
            .iter()
            .enumerate()
            .map(|(i, (_, w))| wrap(face, SIZE, texts.get(i).map_or("", String::as_str), w - 1.5))
            .collect()
    }

    fn height(lines: &[Vec<String>]) -> f32 {
        #[allow(clippy::cast_precision_loss)] // a few lines
        let h = lines.iter().map(Vec::len).max().unwrap_or(1) as f32 * line_height(SIZE) + 1.2;
        h
    }

    /// Draws one table row; returns its height.
    fn row(&self, page: &mut Page, y: f32, lines: &[Vec<String>], face: Face, shade: Option<Ink>) -> f32 {
        let lh = line_height(SIZE);
        let h = Self::height(lines);
        let total_w: f32 = self.columns.iter().map(|(_, w)| w).sum();
        if let Some(ink) = shade {
            page.rect(MARGIN, y, total_w, h, Some(ink), None);
        }
        let mut x = MARGIN;
        for (cell, (_, w)) in lines.iter().zip(&self.columns) {
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

    fn headings(&self) -> Vec<String> {
        self.columns.iter().map(|(h, _)| h.clone()).collect()
    }

    /// The section's heading and its column headings at `y`; returns the height used.
    fn section_head(&self, page: &mut Page, y: f32, heading: &str) -> f32 {
        let top = y + 2.0;
        page.text(
            MARGIN,
            top + HEADING * 0.8 / PT_PER_MM,
            Face::Bold,
            HEADING,
            heading,
        );
        let below = top + line_height(HEADING) + 0.5;
        let h = self.row(
            page,
            below,
            &self.wrapped(&self.headings(), Face::Bold),
            Face::Bold,
            Some(Ink::Grey(0.85)),
        );
        below + h - y
    }

    fn section_head_height(&self) -> f32 {
        2.0 + line_height(HEADING) + 0.5 + Self::height(&self.wrapped(&self.headings(), Face::Bold))
    }

    fn section(&self, flow: &mut Flow<'_>, s: &TableSection) {
        let first = s
            .rows
            .first()
            .map(|r| Self::height(&self.wrapped(r, Face::Regular)));
        // The heading never stands alone at the foot of a page.
        flow.need(self.section_head_height() + first.unwrap_or(line_height(SIZE) + 2.0));
        let y = flow.y;
        flow.y += self.section_head(flow.page(), y, &s.heading);
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
            let lines = self.wrapped(r, Face::Regular);
            if flow.need(Self::height(&lines)) {
                let y = flow.y;
                let heading = format!("{} (continued)", s.heading);
                flow.y += self.section_head(flow.page(), y, &heading);
            }
            let y = flow.y;
            flow.y += self.row(flow.page(), y, &lines, Face::Regular, None);
        }
    }
}

pub(crate) fn render(book: &mut Book, r: &TableReport) {
    let id = book.section(Section {
        stamp: r.stamp.clone(),
        title: r.kind.clone(),
        ward: r.scope.clone(),
    });
    let head_title = r.title.clone();
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
    let table = Table {
        columns: r
            .columns
            .iter()
            .map(|(h, w)| (h.clone(), f32::from(*w)))
            .collect(),
    };
    for s in &r.sections {
        table.section(&mut flow, s);
    }
}
