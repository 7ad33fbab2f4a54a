//! Real PDFs, read back with poppler (`pdftotext`, `pdftoppm`) and a barcode scanner (`zbarimg`):
//! what a nurse holding the paper would see. Needs poppler-utils and zbar-tools
//! (`packaging/install-deps.sh --test`).
//!
//! The PDFs hold synthetic patients only and live in a temporary folder that is removed.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic with its location is the clearest failure

use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::{DateTime, NaiveTime, TimeDelta, Utc};
use lamplight_model::{Concept, Dose, MedicationOrder, OrderStatus, PersonName, Schedule};
use lamplight_station::{PrintDocument, PrintOptions, SourceKind, Station};

fn now() -> DateTime<Utc> {
    "2026-11-21T14:05:00Z".parse().unwrap()
}

const STAMP: &str = "DOWNTIME COPY - data as of 14:05 21/11/2026";

fn options() -> PrintOptions {
    PrintOptions {
        printed_by: "RN Test Printer".into(),
        ..PrintOptions::default()
    }
}

fn tool(name: &str) -> Command {
    let probe = Command::new(name).arg("-v").output();
    assert!(
        probe.is_ok(),
        "{name} is needed to read PDFs back: run packaging/install-deps.sh --test (poppler-utils, zbar-tools)"
    );
    Command::new(name)
}

struct Printed {
    _dir: tempfile::TempDir,
    path: PathBuf,
    pages: usize,
}

fn print(station: &Station, doc: PrintDocument, opts: &PrintOptions) -> Printed {
    let pdf = station.print_pdf(doc, opts, now()).unwrap();
    assert!(pdf.bytes.starts_with(b"%PDF-"), "{doc:?} is a PDF");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("doc.pdf");
    std::fs::write(&path, &pdf.bytes).unwrap();
    Printed {
        _dir: dir,
        path,
        pages: pdf.pages,
    }
}

/// The text of each page, in drawing order, whitespace collapsed.
fn pages_text(p: &Printed) -> Vec<String> {
    let out = tool("pdftotext")
        .args(["-raw", "-enc", "UTF-8"])
        .arg(&p.path)
        .arg("-")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "pdftotext failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let mut pages: Vec<String> = text
        .split('\u{c}')
        .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    if pages.last().is_some_and(String::is_empty) {
        pages.pop();
    }
    pages
}

fn all_text(p: &Printed) -> String {
    pages_text(p).join(" ")
}

/// Every page carries the stamp, the printer's name and "page x of y" counting within its section.
fn check_every_page(p: &Printed, what: &str) {
    let pages = pages_text(p);
    assert_eq!(
        pages.len(),
        p.pages,
        "{what}: pdftotext sees as many pages as were drawn"
    );
    let mut expect_next = 1;
    for (i, t) in pages.iter().enumerate() {
        assert!(
            t.contains(STAMP),
            "{what} page {}: every page says how old its data is",
            i + 1
        );
        assert!(
            t.contains("Printed by RN Test Printer"),
            "{what} page {}: says who printed it",
            i + 1
        );
        let (n, of) =
            page_number(t).unwrap_or_else(|| panic!("{what} page {} has no 'page x of y': {t}", i + 1));
        assert_eq!(
            n,
            expect_next,
            "{what} page {}: numbering runs on within a section",
            i + 1
        );
        assert!(n <= of, "{what} page {}: page {n} of {of}", i + 1);
        expect_next = if n == of { 1 } else { n + 1 };
    }
    assert_eq!(expect_next, 1, "{what}: the last page is 'page y of y'");
}

fn page_number(t: &str) -> Option<(usize, usize)> {
    let at = t.rfind("page ")?;
    let mut words = t[at + 5..].split_whitespace();
    let n = words.next()?.parse().ok()?;
    (words.next()? == "of").then_some(())?;
    let of = words.next()?.parse().ok()?;
    Some((n, of))
}

fn demo_names(station: &Station) -> Vec<(String, String)> {
    station
        .data()
        .site()
        .patients
        .iter()
        .map(|p| (p.name.clinical(), p.nhs_number.unwrap().to_string()))
        .collect()
}

#[test]
fn every_document_of_the_demo_ward_reads_back_with_every_patient_nhs_number_and_the_stamp() {
    let station = Station::demo(now());
    let names = demo_names(&station);
    for doc in [
        PrintDocument::Handover,
        PrintDocument::Census,
        PrintDocument::DrugChart,
        PrintDocument::ObsChart,
    ] {
        let p = print(&station, doc, &options());
        check_every_page(&p, &format!("{doc:?}"));
        let text = all_text(&p);
        for (name, nhs) in &names {
            assert!(text.contains(name.as_str()), "{doc:?} must name {name}");
            assert!(
                text.contains(nhs.as_str()),
                "{doc:?} must show {name}'s NHS number {nhs} as 3-3-4"
            );
        }
    }
    let blank = print(&station, PrintDocument::BlankForms, &options());
    check_every_page(&blank, "blank forms");
    let text = all_text(&blank);
    for form in [
        "Admission (downtime)",
        "Drug chart",
        "NEWS2 observation chart",
        "Downtime log",
    ] {
        assert!(text.contains(form), "the blank pack holds the {form} form");
    }
}

#[test]
fn the_drug_charts_list_every_medicine_in_force() {
    let station = Station::demo(now());
    let p = print(&station, PrintDocument::DrugChart, &options());
    let text = all_text(&p);
    for o in station
        .data()
        .site()
        .orders
        .iter()
        .filter(|o| o.status == OrderStatus::Active)
    {
        let charted = match o.schedule {
            Schedule::OnceOnly { .. } => true,
            _ => o.end.is_none_or(|e| e > now()),
        };
        if charted {
            assert!(
                text.contains(&o.medicine.text),
                "{} must be on its patient's chart",
                o.medicine.text
            );
        }
    }
    for legend in ["1 Refused", "2 Nil by mouth", "8 Other"] {
        assert!(text.contains(legend), "the omission-code legend shows {legend}");
    }
    assert!(
        text.contains("TIME-CRITICAL"),
        "time-critical medicines are marked"
    );
}

/// Reads a greyscale PGM (P5) as produced by `pdftoppm -gray`.
fn read_pgm(path: &Path) -> (usize, usize, Vec<u8>) {
    let data = std::fs::read(path).unwrap();
    let mut fields = Vec::new();
    let mut i = 0;
    while fields.len() < 4 {
        while data[i].is_ascii_whitespace() {
            i += 1;
        }
        let start = i;
        while !data[i].is_ascii_whitespace() {
            i += 1;
        }
        fields.push(String::from_utf8_lossy(&data[start..i]).into_owned());
    }
    assert_eq!(fields[0], "P5");
    let (w, h) = (fields[1].parse().unwrap(), fields[2].parse().unwrap());
    (w, h, data[i + 1..].to_vec())
}

/// Renders every page at `dpi` into `dir`, returning the PGM files in page order.
fn rasterise(p: &Printed, dpi: u32, first_only: bool) -> Vec<PathBuf> {
    let dir = p.path.parent().unwrap().join(format!("r{dpi}"));
    std::fs::create_dir_all(&dir).unwrap();
    let mut cmd = tool("pdftoppm");
    cmd.args(["-gray", "-r", &dpi.to_string()]);
    if first_only {
        cmd.args(["-f", "1", "-l", "1"]);
    }
    let out = cmd.arg(&p.path).arg(dir.join("p")).output().unwrap();
    assert!(
        out.status.success(),
        "pdftoppm failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
}

#[test]
fn no_page_has_ink_within_10_mm_of_the_paper_edge() {
    let station = Station::demo(now());
    for doc in [
        PrintDocument::DowntimePack,
        PrintDocument::ObsChart,
        PrintDocument::BlankForms,
        PrintDocument::QuickReference,
    ] {
        let p = print(&station, doc, &options());
        let dpi = 30;
        let files = rasterise(&p, dpi, false);
        assert_eq!(files.len(), p.pages);
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let edge = (10.0 / 25.4 * f64::from(dpi)).floor() as usize;
        for (n, f) in files.iter().enumerate() {
            let (w, h, px) = read_pgm(f);
            for y in 0..h {
                for x in 0..w {
                    let inside = x >= edge && x < w - edge && y >= edge && y < h - edge;
                    assert!(
                        inside || px[y * w + x] > 240,
                        "{doc:?} page {}: ink at ({x}, {y}) px, within 10 mm of the edge where printers clip",
                        n + 1
                    );
                }
            }
        }
    }
}

#[test]
fn a_patient_with_40_medicines_and_a_60_character_name_prints_completely() {
    let mut site = lamplight_demo::site(&lamplight_demo::DemoOptions::ward(now()));
    let patient = site.patients[2].clone();
    let long = PersonName {
        family: "Featherstonehaugh-Montgomery-Wolstenholme".into(),
        given: vec!["Maximilian".into(), "Bartholomew".into()],
        prefix: None,
    };
    let name = long.clinical();
    assert!(
        name.chars().count() >= 60,
        "{name} is {} characters",
        name.chars().count()
    );
    site.patients[2].name = long;
    site.orders.retain(|o| o.patient_id != patient.id);
    let times = [(8, 0), (12, 0), (18, 0), (22, 0)];
    let mut medicines = Vec::new();
    for i in 0..40u8 {
        let medicine = format!(
            "Testamedicine {:02} {}mg modified-release tablets",
            i + 1,
            (i + 1) * 5
        );
        let schedule = match i % 8 {
            6 => Schedule::WhenRequired {
                indication: Some("breathlessness".into()),
                min_interval_minutes: Some(240),
                max_doses_per_24h: Some(4),
            },
            7 => Schedule::OnceOnly {
                at: now() + TimeDelta::hours(i64::from(i % 5) + 1),
            },
            k => Schedule::Regular {
                times: times[..=usize::from(k % 4)]
                    .iter()
                    .map(|(h, m)| NaiveTime::from_hms_opt(*h, *m, 0).unwrap())
                    .collect(),
                frequency: "regularly".into(),
            },
        };
        site.orders.push(MedicationOrder {
            id: format!("long-{i}"),
            patient_id: patient.id.clone(),
            medicine: Concept::text(&medicine),
            dose: Dose::quantity("1", "tablet"),
            route: Some(Concept::text("Oral")),
            schedule,
            time_critical: i % 9 == 0,
            status: OrderStatus::Active,
            start: now() - TimeDelta::days(2),
            end: None,
            prescriber: Some("Dr T. Ester".into()),
            indication: Some(
                "a very long indication that needs to wrap onto a second line of its cell".into(),
            ),
            instructions: None,
            further_dosage_lines: Vec::new(),
        });
        medicines.push(medicine);
    }
    let station = Station::new(site, SourceKind::Demo, "test");
    let nhs = patient.nhs_number.unwrap().to_string();
    let opts = PrintOptions {
        patient: Some(nhs.clone()),
        ..options()
    };
    for doc in [
        PrintDocument::DrugChart,
        PrintDocument::Handover,
        PrintDocument::ObsChart,
    ] {
        let p = print(&station, doc, &opts);
        check_every_page(&p, &format!("{doc:?} of the long patient"));
        let pages = pages_text(&p);
        let squeezed = |t: &str| t.split_whitespace().collect::<String>();
        for (i, t) in pages.iter().enumerate() {
            // A name too long for one line wraps (at a hyphen or a space): every character is there.
            assert!(
                squeezed(t).contains(&squeezed(&name)),
                "{doc:?} page {}: the whole 60-character name, not truncated",
                i + 1
            );
            assert!(
                t.contains(&nhs),
                "{doc:?} page {}: the NHS number on every page",
                i + 1
            );
            assert!(
                t.contains("ALLERGIES"),
                "{doc:?} page {}: allergies on every page",
                i + 1
            );
        }
        if doc == PrintDocument::DrugChart {
            assert!(p.pages > 1, "40 medicines continue onto further pages");
            let text = pages.join(" ");
            for m in &medicines {
                assert!(text.contains(m.as_str()), "{m} must be on the chart");
            }
        }
    }
}

#[test]
fn the_barcode_on_a_patient_page_scans_as_the_nhs_number() {
    let station = Station::demo(now());
    let data = station.data();
    let patient = &data.site().patients[0];
    let digits = patient.nhs_number.unwrap().digits();
    let opts = PrintOptions {
        patient: Some(patient.id.clone()),
        ..options()
    };
    for doc in [
        PrintDocument::DrugChart,
        PrintDocument::ObsChart,
        PrintDocument::Handover,
    ] {
        let p = print(&station, doc, &opts);
        let page = &rasterise(&p, 200, true)[0];
        let out = tool("zbarimg")
            .args(["--quiet", "--raw", "-Sdisable", "-Scode128.enable"])
            .arg(page)
            .output()
            .unwrap();
        let read = String::from_utf8_lossy(&out.stdout);
        assert_eq!(
            read.trim(),
            digits,
            "{doc:?}: a scanner must read the NHS number from the barcode (zbarimg said {:?})",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
