//! The patient banner at the top of every page about one patient: name, NHS number (with its
//! barcode), date of birth, hospital number, where they are, and their allergies.

use crate::model::PatientBanner;
use crate::page::{CONTENT_TOP, Face, Ink, MARGIN, Page, line_height, text_width};

/// Width of one barcode module (bar unit), mm: 0.38 mm scans well on office laser printers.
pub(crate) const BARCODE_MODULE: f32 = 0.38;
const BARCODE_HEIGHT: f32 = 10.0;

/// Draws the banner below the page stamp; returns where the page's content may start.
pub(crate) fn draw(page: &mut Page, b: &PatientBanner) -> f32 {
    if b.name.is_empty() {
        return draw_blank(page);
    }
    let left = MARGIN;
    let right = page.width() - MARGIN;
    let digits = b.nhs_number.as_ref().map(|n| n.replace(' ', ""));
    let barcode_w = digits.as_ref().map_or(0.0, |_| 100.0 * BARCODE_MODULE);
    let text_w = right - left - barcode_w - 6.0;
    let top = CONTENT_TOP;

    let mut y = top + 1.5;
    y += page.paragraph(left + 2.0, y, text_w, Face::Bold, 14.0, &b.name);
    let nhs = b.nhs_number.as_ref().map_or_else(
        || "NHS number: NOT KNOWN".to_owned(),
        |n| format!("NHS number: {n}"),
    );
    let dob = b.birth_date.as_deref().unwrap_or("not recorded");
    let hosp = b.hospital_number.as_deref().unwrap_or("not recorded");
    let ids = format!("{nhs}    DOB: {dob} ({})    Hospital no.: {hosp}", b.age_sex);
    y += page.paragraph(left + 2.0, y + 0.5, text_w, Face::Bold, 10.0, &ids) + 0.5;
    y += page.paragraph(
        left + 2.0,
        y,
        text_w,
        Face::Regular,
        9.0,
        &format!("{}  ·  {}", b.ward, b.location),
    );

    let mut bottom = y + 1.0;
    if let (Some(digits), Some(shown)) = (digits, b.nhs_number.as_ref()) {
        let x = right - barcode_w;
        page.barcode(x, top + 2.0, BARCODE_MODULE, BARCODE_HEIGHT, &digits);
        page.text_center(
            x + barcode_w / 2.0,
            top + BARCODE_HEIGHT + 5.5,
            Face::Regular,
            8.0,
            shown,
        );
        bottom = bottom.max(top + BARCODE_HEIGHT + 7.0);
    }
    page.rect(left, top, right - left, bottom - top, None, Some(0.4));

    // Allergies on every page: boxed, bold when there are any or nobody has asked.
    let a = &b.allergies;
    let box_top = bottom + 1.5;
    let entries = a.entries.join(";  ");
    let heading_w = text_width(Face::Bold, 10.0, &a.heading) + 3.0;
    let mut h = line_height(10.0) + 2.0;
    let inner = right - left - 4.0;
    let entries_h = if entries.is_empty() {
        0.0
    } else {
        let lines = crate::page::wrap(Face::Bold, 9.5, &entries, inner - heading_w);
        #[allow(clippy::cast_precision_loss)]
        let lh = line_height(9.5) * lines.len() as f32;
        lh
    };
    h = h.max(entries_h + 2.0);
    if a.warn {
        page.rect(left, box_top, right - left, h, Some(Ink::Grey(0.9)), Some(0.8));
    } else {
        page.rect(left, box_top, right - left, h, None, Some(0.3));
    }
    page.paragraph(left + 2.0, box_top + 1.0, heading_w, Face::Bold, 10.0, &a.heading);
    if !entries.is_empty() {
        page.paragraph(
            left + 2.0 + heading_w,
            box_top + 1.2,
            inner - heading_w,
            Face::Bold,
            9.5,
            &entries,
        );
    }
    box_top + h + 3.0
}

/// A banner to fill in by hand, for the blank forms.
pub(crate) fn draw_blank(page: &mut Page) -> f32 {
    let left = MARGIN;
    let right = page.width() - MARGIN;
    let top = CONTENT_TOP;
    let w = right - left;
    let rows: [&[(&str, f32)]; 3] = [
        &[("Surname", 0.5), ("Forenames", 0.5)],
        &[
            ("NHS number", 0.35),
            ("Date of birth", 0.3),
            ("Hospital no.", 0.35),
        ],
        &[("Ward", 0.35), ("Bed", 0.15), ("Consultant", 0.5)],
    ];
    let row_h = 8.0;
    let mut y = top;
    for row in rows {
        let mut x = left;
        for (label, share) in row {
            let cw = w * share;
            page.rect(x, y, cw, row_h, None, Some(0.3));
            page.text(x + 1.0, y + 2.8, Face::Regular, 7.5, label);
            x += cw;
        }
        y += row_h;
    }
    let h = 10.0;
    page.rect(left, y + 1.5, w, h, Some(Ink::Grey(0.92)), Some(0.8));
    page.text(
        left + 2.0,
        y + 5.5,
        Face::Bold,
        10.0,
        "ALLERGIES (write NKDA if none known):",
    );
    y + 1.5 + h + 3.0
}
