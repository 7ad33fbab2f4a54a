//! NEWS2 observation chart, portrait: each parameter's score bands as shaded rows, one column per
//! set of observations with the newest on the right, and empty columns after it to carry on by hand.

use crate::banner;
use crate::model::{ObsBlock, ObsChart, ObsColumn, PatientBanner, Stamp};
use crate::page::{Book, Face, Flow, Ink, MARGIN, Orientation, Page, Section};

const LABEL_W: f32 = 30.0;
const BAND_W: f32 = 22.0;
const SCORE_W: f32 = 6.0;
const ROW_H: f32 = 4.3;
/// Columns per page: 11 of about 11.6 mm fit the portrait width.
pub(crate) const COLUMNS_PER_PAGE: usize = 11;

/// The RCP chart's colours, light enough to write on; they stay distinct in grey.
pub(crate) fn band_ink(score: u8) -> Option<Ink> {
    match score {
        0 => None,
        1 => Some(Ink::Rgb(1.0, 0.95, 0.62)),
        2 => Some(Ink::Rgb(0.99, 0.8, 0.58)),
        _ => Some(Ink::Rgb(0.96, 0.62, 0.58)),
    }
}

fn col_w(page: &Page) -> f32 {
    #[allow(clippy::cast_precision_loss)]
    let w = (page.width() - 2.0 * MARGIN - LABEL_W - BAND_W - SCORE_W) / COLUMNS_PER_PAGE as f32;
    w
}

fn column_head(page: &mut Page, y: f32, cols: &[Option<&ObsColumn>]) -> f32 {
    let x0 = MARGIN + LABEL_W + BAND_W + SCORE_W;
    let cw = col_w(page);
    for (row, label) in ["Date", "Time"].iter().enumerate() {
        #[allow(clippy::cast_precision_loss)]
        let ry = y + ROW_H * row as f32;
        page.rect(
            MARGIN,
            ry,
            LABEL_W + BAND_W + SCORE_W,
            ROW_H,
            Some(Ink::Grey(0.85)),
            Some(0.2),
        );
        page.text(MARGIN + 1.0, ry + 3.2, Face::Bold, 8.0, label);
        for (i, c) in cols.iter().enumerate() {
            #[allow(clippy::cast_precision_loss)]
            let x = x0 + cw * i as f32;
            page.rect(x, ry, cw, ROW_H, Some(Ink::Grey(0.85)), Some(0.2));
            if let Some(c) = c {
                let t = if row == 0 { &c.date } else { &c.time };
                page.text_center(x + cw / 2.0, ry + 3.2, Face::Bold, 7.5, t);
            }
        }
    }
    y + 2.0 * ROW_H
}

fn block(page: &mut Page, y: f32, index: usize, b: &ObsBlock, cols: &[Option<&ObsColumn>]) -> f32 {
    let x0 = MARGIN + LABEL_W + BAND_W + SCORE_W;
    let cw = col_w(page);
    #[allow(clippy::cast_precision_loss)]
    let h = ROW_H * b.bands.len() as f32;
    page.rect(MARGIN, y, LABEL_W, h, None, Some(0.5));
    page.paragraph(MARGIN + 1.0, y + 0.8, LABEL_W - 2.0, Face::Bold, 8.0, &b.label);
    for (k, band) in b.bands.iter().enumerate() {
        #[allow(clippy::cast_precision_loss)]
        let ry = y + ROW_H * k as f32;
        let ink = band_ink(band.score);
        page.rect(MARGIN + LABEL_W, ry, BAND_W + SCORE_W, ROW_H, ink, Some(0.15));
        page.text(MARGIN + LABEL_W + 1.0, ry + 3.2, Face::Regular, 7.5, &band.label);
        page.text_center(
            MARGIN + LABEL_W + BAND_W + SCORE_W / 2.0,
            ry + 3.2,
            Face::Bold,
            7.5,
            &band.score.to_string(),
        );
        for (i, c) in cols.iter().enumerate() {
            #[allow(clippy::cast_precision_loss)]
            let x = x0 + cw * i as f32;
            page.rect(x, ry, cw, ROW_H, ink, Some(0.15));
            if let Some((band_index, value)) = c.and_then(|c| c.marks.get(index).cloned().flatten())
                && band_index == k
            {
                page.text_center(x + cw / 2.0, ry + 3.2, Face::Bold, 7.5, &value);
            }
        }
    }
    #[allow(clippy::cast_precision_loss)]
    let grid_w = cw * COLUMNS_PER_PAGE as f32;
    page.rect(MARGIN, y, x0 - MARGIN + grid_w, h, None, Some(0.5));
    y + h
}

fn footer_rows(page: &mut Page, y: f32, cols: &[Option<&ObsColumn>]) -> f32 {
    let x0 = MARGIN + LABEL_W + BAND_W + SCORE_W;
    let cw = col_w(page);
    let rows = ["NEWS2 TOTAL", "Initials"];
    for (r, label) in rows.iter().enumerate() {
        #[allow(clippy::cast_precision_loss)]
        let ry = y + (ROW_H + 1.0) * r as f32;
        page.rect(
            MARGIN,
            ry,
            LABEL_W + BAND_W + SCORE_W,
            ROW_H + 1.0,
            Some(Ink::Grey(0.85)),
            Some(0.3),
        );
        page.text(MARGIN + 1.0, ry + 3.8, Face::Bold, 8.5, label);
        for (i, c) in cols.iter().enumerate() {
            #[allow(clippy::cast_precision_loss)]
            let x = x0 + cw * i as f32;
            let ink = if r == 0 {
                c.and_then(|c| band_ink(c.risk_level))
            } else {
                None
            };
            page.rect(x, ry, cw, ROW_H + 1.0, ink, Some(0.3));
            if let Some(c) = c {
                let text = if r == 0 {
                    c.total.clone()
                } else {
                    c.recorded_by.clone().unwrap_or_default()
                };
                let size = if r == 0 { 9.5 } else { 7.5 };
                let text = crate::page::wrap(Face::Bold, size, &text, cw - 0.8)
                    .into_iter()
                    .next()
                    .unwrap_or_default();
                page.text_center(x + cw / 2.0, ry + 3.9, Face::Bold, size, &text);
            }
        }
    }
    y + 2.0 * (ROW_H + 1.0)
}

/// Draws the chart grid for `cols` (padded with empty columns) under `head`.
pub(crate) fn grid(
    book: &mut Book,
    section: usize,
    head: impl Fn(&mut Page) -> f32,
    note: &str,
    blocks: &[ObsBlock],
    cols: &[Option<&ObsColumn>],
) {
    let mut flow = Flow::new(book, section, Orientation::Portrait, head);
    let w = flow.width() - 2.0 * MARGIN;
    let y = flow.y;
    flow.y += flow
        .page()
        .paragraph(MARGIN, y - 1.0, w, Face::Regular, 8.0, note)
        + 0.5;
    let y = flow.y;
    flow.y = column_head(flow.page(), y, cols);
    for (i, b) in blocks.iter().enumerate() {
        #[allow(clippy::cast_precision_loss)]
        let h = ROW_H * b.bands.len() as f32 + 1.0;
        if flow.need(h) {
            let y = flow.y;
            flow.y = column_head(flow.page(), y, cols);
        }
        let y = flow.y;
        flow.y = block(flow.page(), y, i, b, cols) + 1.0;
    }
    if flow.need(2.0 * (ROW_H + 1.0)) {
        let y = flow.y;
        flow.y = column_head(flow.page(), y, cols);
    }
    let y = flow.y;
    flow.y = footer_rows(flow.page(), y, cols);
}

pub(crate) fn render(book: &mut Book, chart: &ObsChart) {
    render_with(book, &chart.stamp, &chart.banner, chart, banner::draw);
}

fn render_with(
    book: &mut Book,
    stamp: &Stamp,
    b: &PatientBanner,
    chart: &ObsChart,
    draw_banner: fn(&mut Page, &PatientBanner) -> f32,
) {
    let section = book.section(Section {
        stamp: stamp.clone(),
        title: "NEWS2 observation chart".to_owned(),
        ward: b.ward.clone(),
    });
    // Pages of up to 11 columns; the newest set lands on the right of the last page.
    let n = chart.columns.len();
    let mut chunks = Vec::new();
    let mut end = n;
    while end > 0 {
        let start = end.saturating_sub(COLUMNS_PER_PAGE);
        chunks.push(start..end);
        end = start;
    }
    chunks.reverse();
    if chunks.is_empty() {
        chunks.push(0..0);
    }
    let note = format!(
        "{}.  Newest observations on the right; empty columns are for observations taken during downtime.  \
         Total shading: yellow low-medium, orange medium, red high.",
        chart.scale_note
    );
    for range in chunks {
        let mut cols: Vec<Option<&ObsColumn>> = chart.columns[range].iter().map(Some).collect();
        cols.resize(COLUMNS_PER_PAGE, None);
        let bb = b.clone();
        grid(
            book,
            section,
            move |p| draw_banner(p, &bb),
            &note,
            &chart.blocks,
            &cols,
        );
    }
}
