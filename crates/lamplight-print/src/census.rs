//! Bed census: every bed of a ward (or of every ward, for bed managers), landscape, one table per
//! ward with its header repeated on every page and the ward's totals at the end.

use crate::model::{Census, CensusRow, CensusWard};
use crate::page::{
    Book, CONTENT_TOP, Face, Flow, Ink, MARGIN, Orientation, Page, Section, line_height, wrap,
};

const SIZE: f32 = 8.0;

/// Column headings and widths (mm); they add up to the landscape text width.
const COLUMNS: [(&str, f32); 13] = [
    ("Bay", 14.0),
    ("Bed", 9.0),
    ("Name", 38.0),
    ("NHS number", 23.0),
    ("Hospital no.", 20.0),
    ("Age, DOB", 21.0),
    ("Sex", 13.0),
    ("Consultant / specialty", 34.0),
    ("Admitted", 19.0),
    ("Stay", 12.0),
    ("Expected discharge", 19.0),
    ("Isolation", 26.0),
    ("Bed status", 25.0),
];

fn cells(r: &CensusRow) -> [&str; 13] {
    [
        &r.bay,
        &r.bed,
        &r.name,
        &r.nhs_number,
        &r.hospital_number,
        &r.age_dob,
        &r.sex,
        &r.consultant_specialty,
        &r.admitted,
        &r.length_of_stay,
        &r.expected_discharge,
        &r.isolation,
        &r.status,
    ]
}

/// Draws one table row; returns its height.
fn row(page: &mut Page, y: f32, texts: &[&str; 13], face: Face, shade: Option<Ink>) -> f32 {
    let wrapped: Vec<Vec<String>> = texts
        .iter()
        .zip(COLUMNS)
        .map(|(t, (_, w))| wrap(face, SIZE, t, w - 1.5))
        .collect();
    let lh = line_height(SIZE);
    #[allow(clippy::cast_precision_loss)]
    let h = wrapped.iter().map(Vec::len).max().unwrap_or(1) as f32 * lh + 1.2;
    let total_w: f32 = COLUMNS.iter().map(|(_, w)| w).sum();
    if let Some(ink) = shade {
        page.rect(MARGIN, y, total_w, h, Some(ink), None);
    }
    let mut x = MARGIN;
    for (lines, (_, w)) in wrapped.iter().zip(COLUMNS) {
        for (i, l) in lines.iter().enumerate() {
            #[allow(clippy::cast_precision_loss)]
            let baseline = y + 0.6 + lh * (i as f32) + SIZE * 0.8 / crate::page::PT_PER_MM;
            page.text(x + 0.75, baseline, face, SIZE, l);
        }
        x += w;
    }
    page.line(MARGIN, y + h, MARGIN + total_w, y + h, 0.15);
    h
}

fn row_height(texts: &[&str; 13], face: Face) -> f32 {
    let n = texts
        .iter()
        .zip(COLUMNS)
        .map(|(t, (_, w))| wrap(face, SIZE, t, w - 1.5).len())
        .max()
        .unwrap_or(1);
    #[allow(clippy::cast_precision_loss)]
    let h = n as f32 * line_height(SIZE) + 1.2;
    h
}

fn ward_table(book: &mut Book, c: &Census, w: &CensusWard) {
    let section = book.section(Section {
        stamp: c.stamp.clone(),
        title: c.title.clone(),
        ward: w.name.clone(),
    });
    let name = w.name.clone();
    let mut flow = Flow::new(book, section, Orientation::Landscape, move |page| {
        page.text(
            MARGIN,
            CONTENT_TOP + 4.0,
            Face::Bold,
            12.0,
            &format!("Bed census: {name}"),
        );
        let headings: [&str; 13] = COLUMNS.map(|(h, _)| h);
        let h = row(
            page,
            CONTENT_TOP + 6.5,
            &headings,
            Face::Bold,
            Some(Ink::Grey(0.85)),
        );
        CONTENT_TOP + 6.5 + h
    });
    for r in &w.rows {
        let texts = cells(r);
        flow.need(row_height(&texts, Face::Regular));
        let y = flow.y;
        let shade = (r.name.is_empty()).then_some(Ink::Grey(0.94));
        flow.y += row(flow.page(), y, &texts, Face::Regular, shade);
    }
    let totals = format!("Totals for {}:  {}", w.name, w.totals.line());
    let width = flow.width() - 2.0 * MARGIN;
    let lines = wrap(Face::Bold, 9.0, &totals, width);
    #[allow(clippy::cast_precision_loss)]
    flow.need(line_height(9.0) * lines.len() as f32 + 3.0);
    let y = flow.y + 2.0;
    flow.y = y + flow.page().paragraph(MARGIN, y, width, Face::Bold, 9.0, &totals);
}

pub(crate) fn render(book: &mut Book, c: &Census) {
    for w in &c.wards {
        ward_table(book, c, w);
    }
    let Some(site) = c.site_totals else {
        return;
    };
    let section = book.section(Section {
        stamp: c.stamp.clone(),
        title: c.title.clone(),
        ward: "All wards".to_owned(),
    });
    let mut flow = Flow::new(book, section, Orientation::Landscape, |page| {
        page.text(MARGIN, CONTENT_TOP + 4.0, Face::Bold, 12.0, "Site totals");
        CONTENT_TOP + 8.0
    });
    let width = flow.width() - 2.0 * MARGIN;
    for w in &c.wards {
        let text = format!("{}:  {}", w.name, w.totals.line());
        flow.need(line_height(9.0) * 2.0);
        let y = flow.y;
        flow.y += flow.page().paragraph(MARGIN, y, width, Face::Regular, 9.0, &text) + 0.8;
    }
    flow.need(line_height(10.0) * 3.0);
    let y = flow.y + 2.0;
    let text = format!("All wards:  {}", site.line());
    flow.y = y + flow.page().paragraph(MARGIN, y, width, Face::Bold, 10.0, &text);
}
