//! How fast the ward's paper prints: `cargo bench -p lamplight-station --bench print`.
//!
//! - the whole downtime pack of the 28-bed demo ward (census, handover, every drug chart);
//! - the ward quick-reference card (one page);
//! - a site census of at least 1,500 inpatients;
//! - LibreOffice (`soffice --headless --convert-to pdf`) converting an HTML rendering of the same
//!   pack, when it is installed (`apt-get install libreoffice-writer`; not needed by CI).
//!
//! Reports medians over several runs, page counts and the ratio. A plain `main` (no criterion):
//! the figures are end-to-end seconds, and the workspace keeps its dev-dependencies light.

#![allow(clippy::print_stdout, clippy::unwrap_used, clippy::expect_used)] // a benchmark reports on stdout

use std::fmt::Write as _;
use std::process::Command;
use std::time::Instant;

use chrono::Utc;
use lamplight_print::{Cell, Document};
use lamplight_station::{PrintDocument, PrintOptions, SourceKind, Station};

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn time_runs(runs: usize, mut f: impl FnMut() -> usize) -> (f64, usize) {
    let mut pages = 0;
    let samples = (0..runs)
        .map(|_| {
            let t = Instant::now();
            pages = f();
            t.elapsed().as_secs_f64()
        })
        .collect();
    (median(samples), pages)
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

#[allow(clippy::too_many_lines)] // one flat HTML template per document kind reads best in one place
/// The same content as the PDF pack, as one HTML file with page breaks: what a LibreOffice route
/// would have to convert.
fn html(docs: &[Document]) -> String {
    let mut h = String::from(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><style>\
         body{font-family:'DejaVu Sans';font-size:8pt} table{border-collapse:collapse;width:100%}\
         td,th{border:1px solid #000;padding:1px} .page{page-break-before:always} .nd{background:#ccc}\
         </style></head><body>",
    );
    for d in docs {
        match d {
            Document::Census(c) => {
                for w in &c.wards {
                    let _ = write!(
                        h,
                        "<div class=page><p>{}</p><h2>{}</h2><table><tr>",
                        esc(&c.stamp.line()),
                        esc(&w.name)
                    );
                    for head in [
                        "Bay",
                        "Bed",
                        "Name",
                        "NHS number",
                        "Hospital no.",
                        "Age, DOB",
                        "Sex",
                        "Consultant",
                        "Admitted",
                        "Stay",
                        "EDD",
                        "Isolation",
                        "Status",
                    ] {
                        let _ = write!(h, "<th>{head}</th>");
                    }
                    h.push_str("</tr>");
                    for r in &w.rows {
                        h.push_str("<tr>");
                        for t in [
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
                        ] {
                            let _ = write!(h, "<td>{}</td>", esc(t));
                        }
                        h.push_str("</tr>");
                    }
                    let _ = write!(h, "</table><p><b>{}</b></p></div>", esc(&w.totals.line()));
                }
            }
            Document::Handover(ho) => {
                let _ = write!(
                    h,
                    "<div class=page><p>{}</p><h2>Handover: {}</h2>",
                    esc(&ho.stamp.line()),
                    esc(&ho.ward)
                );
                for b in &ho.beds {
                    let _ = write!(h, "<h3>{}</h3>", esc(&b.bed));
                    if let Some(p) = &b.patient {
                        let _ = write!(
                            h,
                            "<p><b>{} {} {}</b></p><p>{}</p><p>{}</p>",
                            esc(&p.name),
                            esc(&p.nhs_number),
                            esc(&p.age_sex),
                            esc(&p.alerts.join("; ")),
                            esc(&p.allergies)
                        );
                        for (l, items) in [
                            ("S", &p.situation),
                            ("B", &p.background),
                            ("A", &p.assessment),
                            ("R", &p.recommendation),
                        ] {
                            let _ = write!(h, "<p><b>{l}</b> {}</p>", esc(&items.join("<br>")));
                        }
                    } else {
                        let _ = write!(h, "<p>{}</p>", esc(b.empty_status.as_deref().unwrap_or("")));
                    }
                }
                h.push_str("</div>");
            }
            Document::DrugChart(c) => {
                let b = &c.banner;
                let _ = write!(
                    h,
                    "<div class=page><p>{}</p><h2>{}</h2><p>NHS {} DOB {} {}</p><p><b>{} {}</b></p><table><tr><th>Medicine</th>",
                    esc(&c.stamp.line()),
                    esc(&b.name),
                    esc(b.nhs_number.as_deref().unwrap_or("")),
                    esc(b.birth_date.as_deref().unwrap_or("")),
                    esc(&b.location),
                    esc(&b.allergies.heading),
                    esc(&b.allergies.entries.join("; "))
                );
                for col in &c.columns {
                    let _ = write!(h, "<th>{}<br>{}</th>", esc(&col.day), esc(&col.time));
                }
                h.push_str("</tr>");
                for m in &c.regular {
                    let _ = write!(
                        h,
                        "<tr><td><b>{}</b><br>{} {}<br>{}<br>{}</td>",
                        esc(&m.medicine),
                        esc(&m.dose_route),
                        esc(&m.times),
                        esc(&m.details),
                        esc(m.last_given.as_deref().unwrap_or(""))
                    );
                    for cell in &m.cells {
                        match cell {
                            Cell::NotDue => h.push_str("<td class=nd></td>"),
                            Cell::Due => h.push_str("<td></td>"),
                            Cell::Given(s) => {
                                let _ = write!(h, "<td>{}</td>", esc(s));
                            }
                            Cell::Omitted(code) => {
                                let _ = write!(h, "<td>{code}</td>");
                            }
                        }
                    }
                    h.push_str("</tr>");
                }
                h.push_str("</table><table>");
                for m in &c.when_required {
                    let _ = write!(
                        h,
                        "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                        esc(&m.medicine),
                        esc(&m.dose_route),
                        esc(&m.rules)
                    );
                }
                for m in &c.once_only {
                    let _ = write!(
                        h,
                        "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                        esc(&m.medicine),
                        esc(&m.dose_route),
                        esc(&m.due)
                    );
                }
                h.push_str("</table></div>");
            }
            Document::ObsChart(_)
            | Document::BlankForms(_)
            | Document::Reconciliation(_)
            | Document::Table(_)
            | Document::QuickReference(_) => {}
        }
    }
    h.push_str("</body></html>");
    h
}

fn soffice(docs: &[Document], runs: usize) -> Option<f64> {
    if Command::new("soffice").arg("--version").output().is_err() {
        println!("LibreOffice: soffice not found (apt-get install libreoffice-writer to compare)");
        return None;
    }
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("pack.html");
    std::fs::write(&input, html(docs)).unwrap();
    let profile = format!(
        "-env:UserInstallation=file://{}",
        dir.path().join("profile").display()
    );
    // One warm-up run creates LibreOffice's profile; then the measured runs.
    let run = || {
        let out = Command::new("soffice")
            .args([
                profile.as_str(),
                "--headless",
                "--convert-to",
                "pdf:writer_web_pdf_Export",
                "--outdir",
            ])
            .arg(dir.path())
            .arg(&input)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "soffice failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    run();
    let (t, _) = time_runs(runs, || {
        run();
        0
    });
    let pdf = dir.path().join("pack.pdf");
    let pages = Command::new("pdfinfo")
        .arg(&pdf)
        .output()
        .ok()
        .and_then(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .find_map(|l| l.strip_prefix("Pages:").map(|p| p.trim().to_owned()))
        })
        .unwrap_or_default();
    println!("LibreOffice, same pack from HTML: median {t:.3} s over {runs} runs ({pages} pages)");
    Some(t)
}

fn main() {
    // `cargo bench` passes --bench; any argument naming a filter is ignored.
    let now = Utc::now();
    let options = PrintOptions {
        printed_by: "Benchmark".into(),
        ..PrintOptions::default()
    };

    let ward = Station::demo(now);
    let (pack_s, pack_pages) = time_runs(15, || {
        ward.print_pdf(PrintDocument::DowntimePack, &options, now)
            .unwrap()
            .pages
    });
    let bytes = ward
        .print(PrintDocument::DowntimePack, &options, now)
        .unwrap()
        .len();
    println!(
        "Downtime pack, 28-bed demo ward (census + handover + {} drug charts): median {pack_s:.3} s over 15 runs, \
         {pack_pages} pages, {} KB",
        ward.data().site().admissions.len(),
        bytes / 1024
    );

    let (card_s, card_pages) = time_runs(15, || {
        ward.print_pdf(PrintDocument::QuickReference, &options, now)
            .unwrap()
            .pages
    });
    println!("Quick-reference card: median {card_s:.3} s over 15 runs, {card_pages} page(s)");

    let mut beds = 1500;
    let site = loop {
        let site = lamplight_demo::site(&lamplight_demo::DemoOptions {
            beds,
            seed: 1,
            at: now,
        });
        if site.admissions.len() >= 1500 || beds >= lamplight_demo::MAX_BEDS {
            break site;
        }
        beds += 100;
    };
    let inpatients = site.admissions.len();
    let wards = site.wards.len();
    let station = Station::new(site, SourceKind::Demo, "benchmark");
    let (census_s, census_pages) = time_runs(7, || {
        station
            .print_pdf(PrintDocument::Census, &options, now)
            .unwrap()
            .pages
    });
    println!(
        "Site census, {inpatients} inpatients on {wards} wards ({beds} beds): median {census_s:.3} s over 7 runs, \
         {census_pages} pages"
    );

    let docs = ward
        .print_documents(PrintDocument::DowntimePack, &options, now)
        .unwrap();
    if let Some(lo) = soffice(&docs, 5) {
        println!(
            "Ratio: LibreOffice takes {:.0} times as long as Lamplight for the ward pack",
            lo / pack_s
        );
    }
}
