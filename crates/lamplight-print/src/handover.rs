//! SBAR handover sheet: one block per bed, portrait.

use crate::banner;
use crate::model::{Handover, HandoverBed};
use crate::page::{Book, CONTENT_TOP, Face, Flow, Ink, MARGIN, Orientation, Section, line_height, wrap};

const LABEL_W: f32 = 7.0;

/// One line of a block, already wrapped.
struct Line {
    label: Option<&'static str>,
    /// SBAR lines (and their wrapped continuations) sit right of the letter column.
    indent: bool,
    face: Face,
    size: f32,
    text: String,
    shade: bool,
}

fn lines_of(bed: &HandoverBed, width: f32) -> Vec<Line> {
    let mut out = Vec::new();
    let mut push = |label: Option<&'static str>, face: Face, size: f32, text: &str, shade: bool| {
        let w = width - if label.is_some() { LABEL_W } else { 0.0 } - 2.0;
        for (i, t) in wrap(face, size, text, w).into_iter().enumerate() {
            out.push(Line {
                label: if i == 0 { label } else { None },
                indent: label.is_some(),
                face,
                size,
                text: t,
                shade,
            });
        }
    };
    let Some(p) = &bed.patient else {
        let status = bed.empty_status.as_deref().unwrap_or("Empty");
        push(
            None,
            Face::Bold,
            10.0,
            &format!("{}   -   {status}", bed.bed),
            true,
        );
        return out;
    };
    let mut head = format!("{}   {}   {}   {}", bed.bed, p.name, p.nhs_number, p.age_sex);
    if let Some(n) = &p.news2 {
        head = format!("{head}   {n}");
    }
    push(None, Face::Bold, 10.0, &head, true);
    if !p.alerts.is_empty() {
        push(
            None,
            Face::Bold,
            9.0,
            &format!("ALERTS: {}", p.alerts.join("; ")),
            false,
        );
    }
    push(None, Face::Bold, 9.0, &p.allergies, false);
    for (label, items) in [
        ("S", &p.situation),
        ("B", &p.background),
        ("A", &p.assessment),
        ("R", &p.recommendation),
    ] {
        let text = if items.is_empty() {
            "-".to_owned()
        } else {
            items.join("\n")
        };
        push(Some(label), Face::Regular, 9.0, &text, false);
    }
    out
}

pub(crate) fn render(book: &mut Book, h: &Handover) {
    let section = book.section(Section {
        stamp: h.stamp.clone(),
        title: "Handover (SBAR)".to_owned(),
        ward: h.ward.clone(),
    });
    let ward = h.ward.clone();
    let patient = h.patient.clone();
    let mut flow = Flow::new(book, section, Orientation::Portrait, move |page| {
        if let Some(b) = &patient {
            banner::draw(page, b)
        } else {
            page.text(
                MARGIN,
                CONTENT_TOP + 4.0,
                Face::Bold,
                13.0,
                &format!("Handover: {ward}"),
            );
            CONTENT_TOP + 8.0
        }
    });
    let width = flow.width() - 2.0 * MARGIN;
    for bed in &h.beds {
        let lines = lines_of(bed, width);
        let total: f32 = lines.iter().map(|l| line_height(l.size)).sum::<f32>() + 3.0;
        let fresh_page = flow.page().bottom() - (CONTENT_TOP + 60.0);
        // Keep a block on one page when it fits on one; a longer one continues line by line.
        if total <= fresh_page {
            flow.need(total);
        }
        let block_top = flow.y;
        for line in &lines {
            let lh = line_height(line.size);
            if flow.need(lh + 1.0) {
                let y = flow.y;
                let cont = format!("{} (continued)", bed.bed);
                flow.page()
                    .text(MARGIN + 1.0, y + lh * 0.8, Face::Bold, 9.0, &cont);
                flow.y += lh;
            }
            let y = flow.y;
            let page = flow.page();
            if line.shade {
                page.rect(MARGIN, y, width, lh + 0.6, Some(Ink::Grey(0.88)), None);
            }
            let mut x = MARGIN + 1.0;
            if let Some(label) = line.label {
                page.text(x, y + lh * 0.8, Face::Bold, line.size + 1.0, label);
            }
            if line.indent {
                x += LABEL_W;
            }
            page.text(x, y + lh * 0.8, line.face, line.size, &line.text);
            flow.y += lh;
        }
        flow.y += 1.5;
        let y = flow.y;
        if y > block_top {
            flow.page().line(MARGIN, y - 0.7, MARGIN + width, y - 0.7, 0.3);
        }
    }
}
