//! Drug chart: regular medicines on a 72-hour administration grid, then once-only and
//! when-required medicines, landscape. The banner (with allergies) and the omission codes are on
//! every page; a long list of medicines continues on the next page with the grid's header again.

use crate::banner;
use crate::model::{Cell, DrugChart, GridColumn, RegularMedicine};
use crate::page::{Book, Face, Flow, Ink, MARGIN, Orientation, Page, Section, line_height, text_width, wrap};

/// Medicine details column of the grid.
const INFO_W: f32 = 92.0;
/// Narrowest grid column: `08:00` at 7.5 pt needs about 7.6 mm.
const MIN_COL_W: f32 = 9.0;
const MAX_COL_W: f32 = 14.0;
const GRID_HEAD_H: f32 = 11.0;
/// Over an order's further dosage lines: the grid charts only the first.
const FULL_INSTRUCTIONS: &str = "SEE FULL INSTRUCTIONS (the grid charts the first line only):";

/// A dose and route with the order's further dosage lines after it, for the once-only and
/// when-required tables: wrapped in its cell, never cut.
fn with_further(dose_route: &str, further: &[String]) -> String {
    if further.is_empty() {
        return dose_route.to_owned();
    }
    let also: Vec<String> = further.iter().map(|l| format!("also: {l}")).collect();
    format!("{dose_route}  ·  {FULL_INSTRUCTIONS} {}", also.join("; "))
}

fn legend(codes: &[(u8, String)]) -> String {
    let list: Vec<String> = codes.iter().map(|(c, l)| format!("{c} {l}")).collect();
    format!(
        "Omission codes: {}.   Shaded box: not due; empty box: due - initial when given, or write the code. \
         Record every dose in the EPR when it returns.",
        list.join("  ·  ")
    )
}

/// Draws the legend line under the banner; returns where content starts.
fn head(page: &mut Page, chart: &DrugChart) -> f32 {
    let y = banner::draw(page, &chart.banner);
    let w = page.width() - 2.0 * MARGIN;
    y + page.paragraph(
        MARGIN,
        y - 1.5,
        w,
        Face::Regular,
        7.5,
        &legend(&chart.omission_codes),
    ) + 0.5
}

struct Info {
    lines: Vec<(Face, f32, String)>,
    height: f32,
}

fn info(m: &RegularMedicine) -> Info {
    let w = INFO_W - 3.0;
    let mut lines = Vec::new();
    let mut add = |face: Face, size: f32, text: &str| {
        for l in wrap(face, size, text, w) {
            lines.push((face, size, l));
        }
    };
    add(Face::Bold, 9.0, &m.medicine);
    if m.time_critical {
        add(Face::Bold, 8.0, "TIME-CRITICAL: give on time");
    }
    add(Face::Regular, 8.0, &format!("{}  ·  {}", m.dose_route, m.times));
    if !m.further_instructions.is_empty() {
        add(Face::Bold, 8.0, FULL_INSTRUCTIONS);
        for line in &m.further_instructions {
            add(Face::Regular, 8.0, &format!("also: {line}"));
        }
    }
    if !m.details.is_empty() {
        add(Face::Regular, 7.5, &m.details);
    }
    add(
        Face::Regular,
        7.5,
        &format!("Last: {}", m.last_given.as_deref().unwrap_or("none recorded")),
    );
    let height = lines.iter().map(|(_, s, _)| line_height(*s)).sum::<f32>() + 1.5;
    Info {
        lines,
        height: height.max(9.0),
    }
}

fn grid_head(page: &mut Page, y: f32, cols: &[GridColumn], col_w: f32) {
    let x0 = MARGIN + INFO_W;
    page.rect(MARGIN, y, INFO_W, GRID_HEAD_H, Some(Ink::Grey(0.85)), Some(0.2));
    page.text(MARGIN + 1.5, y + 6.8, Face::Bold, 9.0, "Regular medicine");
    let mut last_day = "";
    for (i, c) in cols.iter().enumerate() {
        #[allow(clippy::cast_precision_loss)]
        let x = x0 + col_w * i as f32;
        page.rect(x, y, col_w, GRID_HEAD_H, Some(Ink::Grey(0.85)), Some(0.2));
        if c.day != last_day {
            // A new day: a heavy rule, and the weekday over the date (`Sat` / `21/11`).
            page.line(x, y, x, y + GRID_HEAD_H, 0.8);
            let (weekday, date) = c.day.split_once(' ').unwrap_or(("", &c.day));
            page.text_center(x + col_w / 2.0, y + 3.0, Face::Bold, 7.5, weekday);
            page.text_center(x + col_w / 2.0, y + 6.3, Face::Bold, 7.5, date);
            last_day = &c.day;
        }
        page.text_center(x + col_w / 2.0, y + 9.8, Face::Regular, 7.5, &c.time);
    }
}

fn regular_row(
    page: &mut Page,
    y: f32,
    m: &RegularMedicine,
    info: &Info,
    range: std::ops::Range<usize>,
    col_w: f32,
) {
    let h = info.height;
    page.rect(MARGIN, y, INFO_W, h, None, Some(0.25));
    if m.time_critical {
        page.rect(MARGIN, y, 1.6, h, Some(Ink::Black), None);
    }
    let mut ty = y + 0.6;
    for (face, size, text) in &info.lines {
        let lh = line_height(*size);
        page.text(
            MARGIN + 2.4,
            ty + size * 0.8 / crate::page::PT_PER_MM,
            *face,
            *size,
            text,
        );
        ty += lh;
    }
    let x0 = MARGIN + INFO_W;
    for (i, cell) in m.cells[range].iter().enumerate() {
        #[allow(clippy::cast_precision_loss)]
        let x = x0 + col_w * i as f32;
        match cell {
            Cell::NotDue => page.rect(x, y, col_w, h, Some(Ink::Grey(0.82)), Some(0.2)),
            Cell::Due => page.rect(x, y, col_w, h, None, Some(0.35)),
            Cell::Given(mark) => {
                page.rect(x, y, col_w, h, None, Some(0.35));
                let size = if text_width(Face::Regular, 8.0, mark) > col_w - 1.0 {
                    7.5
                } else {
                    8.0
                };
                let lines = wrap(Face::Regular, size, mark, col_w - 1.0);
                for (k, l) in lines.iter().enumerate() {
                    #[allow(clippy::cast_precision_loss)]
                    let by = y + 3.5 + line_height(size) * k as f32;
                    page.text_center(x + col_w / 2.0, by, Face::Regular, size, l);
                }
            }
            Cell::Omitted(code) => {
                page.rect(x, y, col_w, h, None, Some(0.35));
                page.text_center(x + col_w / 2.0, y + 4.5, Face::Bold, 10.0, &code.to_string());
            }
        }
    }
}

/// A simple table with wrapped cells, its header repeated after a page break.
fn table(flow: &mut Flow<'_>, title: &str, heads: &[(&str, f32)], rows: &[Vec<String>], empty: &str) {
    let size = 8.0;
    let lh = line_height(size);
    flow.need(line_height(10.0) + 2.0 * lh + 6.0);
    let y = flow.y + 2.0;
    flow.page().text(MARGIN, y + 3.5, Face::Bold, 10.0, title);
    flow.y = y + line_height(10.0) + 1.0;
    let draw_head = |flow: &mut Flow<'_>| {
        let y = flow.y;
        let mut x = MARGIN;
        for (h, w) in heads {
            flow.page()
                .rect(x, y, *w, lh + 1.2, Some(Ink::Grey(0.85)), Some(0.2));
            flow.page().text(
                x + 1.0,
                y + 0.6 + size * 0.8 / crate::page::PT_PER_MM,
                Face::Bold,
                size,
                h,
            );
            x += w;
        }
        flow.y += lh + 1.2;
    };
    draw_head(flow);
    if rows.is_empty() {
        let y = flow.y;
        flow.page()
            .text(MARGIN + 1.0, y + 3.5, Face::Regular, size, empty);
        flow.y += lh + 1.5;
        return;
    }
    for row in rows {
        let wrapped: Vec<Vec<String>> = row
            .iter()
            .zip(heads)
            .enumerate()
            .map(|(i, (t, (_, w)))| wrap(if i == 0 { Face::Bold } else { Face::Regular }, size, t, w - 2.0))
            .collect();
        #[allow(clippy::cast_precision_loss)]
        let h = wrapped.iter().map(Vec::len).max().unwrap_or(1) as f32 * lh + 1.4;
        if flow.need(h) {
            draw_head(flow);
        }
        let y = flow.y;
        let mut x = MARGIN;
        for (i, (lines, (_, w))) in wrapped.iter().zip(heads).enumerate() {
            flow.page().rect(x, y, *w, h, None, Some(0.2));
            for (k, l) in lines.iter().enumerate() {
                let face = if i == 0 { Face::Bold } else { Face::Regular };
                #[allow(clippy::cast_precision_loss)]
                let by = y + 0.7 + lh * k as f32 + size * 0.8 / crate::page::PT_PER_MM;
                flow.page().text(x + 1.0, by, face, size, l);
            }
            x += w;
        }
        flow.y += h;
    }
}

pub(crate) fn render(book: &mut Book, chart: &DrugChart) {
    let section = book.section(Section {
        stamp: chart.stamp.clone(),
        title: "Drug chart".to_owned(),
        ward: chart.banner.ward.clone(),
    });
    let c = chart.clone();
    let mut flow = Flow::new(book, section, Orientation::Landscape, move |page| head(page, &c));
    let grid_w = flow.width() - 2.0 * MARGIN - INFO_W;
    let n = chart.columns.len();
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // a small positive count
    let per_chunk = ((grid_w / MIN_COL_W).floor() as usize).max(1);
    let chunks: Vec<std::ops::Range<usize>> = if n == 0 {
        std::iter::once(0..0).collect()
    } else {
        (0..n)
            .step_by(per_chunk)
            .map(|s| s..(s + per_chunk).min(n))
            .collect()
    };
    let infos: Vec<Info> = chart.regular.iter().map(info).collect();
    for (k, range) in chunks.iter().enumerate() {
        #[allow(clippy::cast_precision_loss)]
        let col_w = (grid_w / range.len().max(1) as f32).min(MAX_COL_W);
        let mut caption = format!("REGULAR MEDICINES  ·  {}", chart.grid_caption);
        if chunks.len() > 1 {
            caption = format!("{caption}  ·  part {} of {} of the grid", k + 1, chunks.len());
        }
        flow.need(line_height(10.0) + GRID_HEAD_H + 10.0);
        let y = flow.y;
        flow.page().text(MARGIN, y + 3.5, Face::Bold, 10.0, &caption);
        flow.y += line_height(10.0) + 0.5;
        let y = flow.y;
        grid_head(flow.page(), y, &chart.columns[range.clone()], col_w);
        flow.y += GRID_HEAD_H;
        if chart.regular.is_empty() {
            let y = flow.y;
            flow.page()
                .text(MARGIN + 1.0, y + 4.0, Face::Regular, 8.0, "No regular medicines.");
            flow.y += 6.0;
        }
        for (m, inf) in chart.regular.iter().zip(&infos) {
            if flow.need(inf.height) {
                let y = flow.y;
                grid_head(flow.page(), y, &chart.columns[range.clone()], col_w);
                flow.y += GRID_HEAD_H;
            }
            let y = flow.y;
            regular_row(flow.page(), y, m, inf, range.clone(), col_w);
            flow.y += inf.height;
        }
        flow.y += 2.0;
    }
    other_medicines(&mut flow, chart);
}

/// Once-only and when-required medicines.
fn other_medicines(flow: &mut Flow<'_>, chart: &DrugChart) {
    let tc = |m: &str, critical: bool| {
        if critical {
            format!("{m} (TIME-CRITICAL)")
        } else {
            m.to_owned()
        }
    };
    let once: Vec<Vec<String>> = chart
        .once_only
        .iter()
        .map(|m| {
            vec![
                tc(&m.medicine, m.time_critical),
                with_further(&m.dose_route, &m.further_instructions),
                m.due.clone(),
                m.outcome.clone().unwrap_or_default(),
                String::new(),
            ]
        })
        .collect();
    table(
        flow,
        "ONCE-ONLY MEDICINES",
        &[
            ("Medicine", 80.0),
            ("Dose, route", 50.0),
            ("Due", 45.0),
            ("Recorded", 68.0),
            ("Given by", 30.0),
        ],
        &once,
        "No once-only medicines.",
    );
    let prn: Vec<Vec<String>> = chart
        .when_required
        .iter()
        .map(|m| {
            vec![
                tc(&m.medicine, m.time_critical),
                with_further(&m.dose_route, &m.further_instructions),
                m.rules.clone(),
                m.last_given.clone().unwrap_or_else(|| "none recorded".to_owned()),
            ]
        })
        .collect();
    table(
        flow,
        "WHEN REQUIRED (PRN) MEDICINES",
        &[
            ("Medicine", 80.0),
            ("Dose, route", 50.0),
            ("Indication and limits", 78.0),
            ("Last given", 65.0),
        ],
        &prn,
        "No when-required medicines.",
    );
}
