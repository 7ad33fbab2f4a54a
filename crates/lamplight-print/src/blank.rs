//! The blank forms pack, for when even the PC is gone: an admission form, a drug chart, a NEWS2
//! chart and the downtime log, each ready to fill in by hand.

use crate::banner;
use crate::model::{AllergyBox, BlankForms, Cell, DrugChart, GridColumn, PatientBanner, RegularMedicine};
use crate::obs_chart;
use crate::page::{Book, CONTENT_TOP, Face, Flow, Ink, MARGIN, Orientation, Page, Section};

fn blank_banner(ward: &str) -> PatientBanner {
    PatientBanner {
        name: String::new(),
        nhs_number: None,
        birth_date: None,
        age_sex: String::new(),
        hospital_number: None,
        ward: ward.to_owned(),
        location: String::new(),
        allergies: AllergyBox {
            heading: String::new(),
            entries: Vec::new(),
            warn: true,
        },
    }
}

/// Labelled boxes to write in, `rows` of (label, share of the width, height).
fn boxes(page: &mut Page, mut y: f32, rows: &[&[(&str, f32)]], h: f32) -> f32 {
    let w = page.width() - 2.0 * MARGIN;
    for row in rows {
        let mut x = MARGIN;
        for (label, share) in *row {
            page.rect(x, y, w * share, h, None, Some(0.3));
            page.text(x + 1.0, y + 2.8, Face::Regular, 7.5, label);
            x += w * share;
        }
        y += h;
    }
    y
}

fn heading(page: &mut Page, y: f32, text: &str) -> f32 {
    page.text(MARGIN, y + 4.5, Face::Bold, 11.0, text);
    y + 7.0
}

fn admission(book: &mut Book, f: &BlankForms) {
    let section = book.section(Section {
        stamp: f.stamp.clone(),
        title: "Admission (downtime)".to_owned(),
        ward: f.ward.clone(),
    });
    let page = book.new_page(section, Orientation::Portrait);
    let mut y = banner::draw_blank(page);
    y = boxes(
        page,
        y,
        &[
            &[("Address", 0.7), ("Sex", 0.3)],
            &[("Next of kin and telephone", 0.6), ("GP", 0.4)],
            &[
                ("Admitted (date and time)", 0.35),
                ("From (ED, GP, transfer...)", 0.35),
                ("Specialty", 0.3),
            ],
        ],
        10.0,
    );
    y = heading(page, y + 2.0, "Reason for admission / presenting complaint");
    page.rect(MARGIN, y, page.width() - 2.0 * MARGIN, 22.0, None, Some(0.3));
    y += 24.0;
    y = heading(page, y, "Alerts");
    y = boxes(
        page,
        y,
        &[&[
            ("DNACPR (yes / no / not discussed)", 0.34),
            ("Falls risk", 0.33),
            ("Infection / isolation", 0.33),
        ]],
        10.0,
    );
    y = heading(page, y + 2.0, "Medicines on admission");
    let w = page.width() - 2.0 * MARGIN;
    let cols = [
        ("Medicine", 0.4),
        ("Dose", 0.15),
        ("Route", 0.1),
        ("Frequency", 0.15),
        ("Last taken", 0.2),
    ];
    let mut x = MARGIN;
    for (label, share) in cols {
        page.rect(x, y, w * share, 6.0, Some(Ink::Grey(0.85)), Some(0.3));
        page.text(x + 1.0, y + 4.2, Face::Bold, 8.0, label);
        x += w * share;
    }
    y += 6.0;
    for _ in 0..8 {
        let mut x = MARGIN;
        for (_, share) in cols {
            page.rect(x, y, w * share, 7.0, None, Some(0.2));
            x += w * share;
        }
        y += 7.0;
    }
    y = heading(page, y + 2.0, "Observations on arrival");
    y = boxes(
        page,
        y,
        &[&[
            ("Resp rate", 0.14),
            ("SpO2 / air or O2", 0.18),
            ("BP", 0.14),
            ("Pulse", 0.12),
            ("ACVPU", 0.12),
            ("Temp", 0.12),
            ("NEWS2", 0.18),
        ]],
        10.0,
    );
    boxes(
        page,
        y + 3.0,
        &[&[
            ("Admitted by (name, role, signature)", 0.7),
            ("Entered in EPR (date, initials)", 0.3),
        ]],
        12.0,
    );
}

fn drug_chart(book: &mut Book, f: &BlankForms) {
    let columns = (0..18)
        .map(|_| GridColumn {
            day: String::new(),
            time: String::new(),
        })
        .collect();
    let row = RegularMedicine {
        medicine: "Medicine:".to_owned(),
        dose_route: "Dose, route:".to_owned(),
        times: "Times:".to_owned(),
        time_critical: false,
        details: "Start date, prescriber, signature:".to_owned(),
        further_instructions: Vec::new(),
        last_given: Some(String::new()),
        cells: vec![Cell::Due; 18],
    };
    let chart = DrugChart {
        stamp: f.stamp.clone(),
        banner: blank_banner(&f.ward),
        grid_caption: "write the date above each day and the times in the boxes".to_owned(),
        columns,
        regular: vec![row; 8],
        once_only: Vec::new(),
        when_required: Vec::new(),
        omission_codes: f.omission_codes.clone(),
    };
    crate::drug_chart::render(book, &chart);
}

fn obs_chart(book: &mut Book, f: &BlankForms) {
    let section = book.section(Section {
        stamp: f.stamp.clone(),
        title: "NEWS2 observation chart".to_owned(),
        ward: f.ward.clone(),
    });
    let cols = vec![None; obs_chart::COLUMNS_PER_PAGE];
    obs_chart::grid(
        book,
        section,
        banner::draw_blank,
        "Circle the SpO2 scale in use: scale 1, or scale 2 only if prescribed (target 88-92%).  Write each value in its band; \
         add the scores for the total.",
        &f.obs_blocks,
        &cols,
    );
}

fn downtime_log(book: &mut Book, f: &BlankForms) {
    let section = book.section(Section {
        stamp: f.stamp.clone(),
        title: "Downtime log".to_owned(),
        ward: f.ward.clone(),
    });
    let cols: [(&str, f32); 7] = [
        ("Date, time", 26.0),
        ("Patient (name, NHS number)", 52.0),
        ("Bed", 14.0),
        (
            "What happened (medicine given, obs, admission, transfer, result...)",
            95.0,
        ),
        ("By (name, role)", 36.0),
        ("Signature", 22.0),
        ("In EPR (date, initials)", 28.0),
    ];
    let head = move |page: &mut Page| {
        page.text(
            MARGIN,
            CONTENT_TOP + 4.0,
            Face::Bold,
            12.0,
            "Downtime log: everything done while the EPR was down, to enter when it returns",
        );
        let mut x = MARGIN;
        let y = CONTENT_TOP + 7.0;
        for (label, w) in cols {
            page.rect(x, y, w, 10.0, Some(Ink::Grey(0.85)), Some(0.3));
            page.paragraph(x + 1.0, y + 0.8, w - 2.0, Face::Bold, 8.0, label);
            x += w;
        }
        y + 10.0
    };
    let mut flow = Flow::new(book, section, Orientation::Landscape, head);
    let row_h = 9.5;
    while !flow.need(row_h) {
        let y = flow.y;
        let mut x = MARGIN;
        for (_, w) in cols {
            flow.page().rect(x, y, w, row_h, None, Some(0.2));
            x += w;
        }
        flow.y += row_h;
    }
    // `need` started a second page; one page of log is what a ward photocopies, so drop it.
    flow.book.drop_last_page();
}

pub(crate) fn render(book: &mut Book, f: &BlankForms) {
    admission(book, f);
    drug_chart(book, f);
    obs_chart(book, f);
    downtime_log(book, f);
}
