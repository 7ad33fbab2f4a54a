//! What goes on the paper, checked on the view models (no PDF): the census lists every bed, the
//! drug chart's grid starts now and marks recorded doses, every page about a patient says who
//! they are and what they are allergic to.

#![allow(clippy::unwrap_used)] // test code: a panic with its location is the clearest failure

use chrono::{DateTime, TimeDelta, Utc};
use lamplight_model::{Administration, AdministrationOutcome, OmissionReason, OrderStatus, Schedule};
use lamplight_print::{Cell, Document};
use lamplight_station::{PrintDocument, PrintOptions, SourceKind, Station, StationError};

fn now() -> DateTime<Utc> {
    "2026-11-21T14:05:00Z".parse().unwrap()
}

fn options() -> PrintOptions {
    PrintOptions {
        printed_by: "RN Test Printer".into(),
        ..PrintOptions::default()
    }
}

#[test]
fn the_census_lists_every_bed_of_the_ward_including_empty_and_closed_ones() {
    let station = Station::demo(now());
    let docs = station
        .print_documents(PrintDocument::Census, &options(), now())
        .unwrap();
    let [Document::Census(census)] = docs.as_slice() else {
        panic!("a ward census is one document")
    };
    let data = station.data();
    let ward = &data.site().wards[0];
    let w = &census.wards[0];
    let bed_rows = w.rows.iter().filter(|r| r.bay != "No bed").count();
    assert!(bed_rows >= ward.bed_count(), "every bed has a row, empty or not");
    assert_eq!(w.totals.beds, ward.bed_count());
    assert_eq!(
        w.totals.occupied + w.totals.empty_open + w.totals.unavailable,
        w.totals.beds,
        "every bed is counted once as occupied, empty or unavailable"
    );
    assert!(
        w.rows
            .iter()
            .any(|r| r.name.is_empty() && r.status.starts_with("Empty")),
        "the demo ward has empty beds and the census shows them"
    );
    for a in &data.site().admissions {
        let p = data
            .site()
            .patients
            .iter()
            .find(|p| p.id == a.patient_id)
            .unwrap();
        assert!(
            w.rows
                .iter()
                .any(|r| r.name == p.name.clinical() && r.nhs_number == p.nhs_number.unwrap().to_string()),
            "{} must be on the census",
            p.name.clinical()
        );
    }
    assert!(census.site_totals.is_none(), "one ward has no site totals");
    assert_eq!(census.wards[0].rows[0].bay, ward.bays[0].name);
}

#[test]
fn a_site_census_covers_every_ward_with_totals_that_add_up() {
    let site = lamplight_demo::site(&lamplight_demo::DemoOptions {
        beds: 90,
        seed: 3,
        at: now(),
    });
    let station = Station::new(site, SourceKind::Demo, "test");
    let docs = station
        .print_documents(PrintDocument::Census, &options(), now())
        .unwrap();
    let [Document::Census(census)] = docs.as_slice() else {
        panic!("one census")
    };
    assert_eq!(census.wards.len(), station.data().site().wards.len());
    let totals = census.site_totals.unwrap();
    assert_eq!(totals.beds, 90, "the site totals count every bed of every ward");
    assert_eq!(
        totals.occupied + totals.no_bed,
        station.data().site().admissions.len(),
        "every inpatient is counted"
    );
}

#[test]
fn a_handover_needs_a_ward_when_the_data_holds_several() {
    let site = lamplight_demo::site(&lamplight_demo::DemoOptions {
        beds: 60,
        seed: 3,
        at: now(),
    });
    let station = Station::new(site, SourceKind::Demo, "test");
    let err = station
        .print_documents(PrintDocument::Handover, &options(), now())
        .unwrap_err();
    assert!(matches!(err, StationError::PrintNeeds(_)), "{err}");
    assert!(
        err.to_string().contains("WD7"),
        "the message lists the ward codes: {err}"
    );
}

#[test]
fn the_drug_chart_grid_starts_now_runs_72_hours_and_marks_recorded_doses_with_their_code() {
    let mut site = lamplight_demo::site(&lamplight_demo::DemoOptions::ward(now()));
    // An omission recorded for the first dose due after now, and a dose given for the next one.
    let order = site
        .orders
        .iter()
        .find(|o| o.status == OrderStatus::Active && matches!(o.schedule, Schedule::Regular { .. }))
        .unwrap()
        .clone();
    let due = order.due_between(now(), now() + TimeDelta::hours(72));
    assert!(
        due.len() >= 2,
        "a regular order is due at least twice in three days"
    );
    for (i, (at, outcome)) in [
        (
            due[0],
            AdministrationOutcome::NotGiven {
                reason: OmissionReason::NilByMouth,
            },
        ),
        (due[1], AdministrationOutcome::Given { dose: None }),
    ]
    .into_iter()
    .enumerate()
    {
        site.administrations.push(Administration {
            id: format!("test-{i}"),
            order_id: order.id.clone(),
            patient_id: order.patient_id.clone(),
            at,
            outcome,
            performer: Some("RN Jo Bloggs".into()),
            note: None,
            entry: None,
            due: None,
        });
    }
    let station = Station::new(site, SourceKind::Demo, "test");
    let opts = PrintOptions {
        patient: Some(order.patient_id.clone()),
        ..options()
    };
    let docs = station
        .print_documents(PrintDocument::DrugChart, &opts, now())
        .unwrap();
    let [Document::DrugChart(chart)] = docs.as_slice() else {
        panic!("one patient, one chart")
    };
    assert!(!chart.columns.is_empty());
    let line = chart
        .regular
        .iter()
        .find(|m| m.medicine == order.medicine.text)
        .unwrap();
    assert_eq!(line.cells.len(), chart.columns.len(), "one box per column");
    let marked: Vec<&Cell> = line.cells.iter().filter(|c| !matches!(c, Cell::NotDue)).collect();
    assert_eq!(
        marked.len(),
        due.len(),
        "a box for every dose due in the 72 hours"
    );
    assert_eq!(
        marked[0],
        &Cell::Omitted(2),
        "the omission shows its code (2: nil by mouth)"
    );
    assert_eq!(
        marked[1],
        &Cell::Given("JB".into()),
        "a given dose shows who gave it"
    );
    assert!(chart.grid_caption.contains("72 hours"));
    assert_eq!(
        chart.omission_codes.len(),
        8,
        "the legend lists all eight omission codes"
    );
    assert!(
        !chart.banner.allergies.heading.is_empty(),
        "allergies are on every page, even when none are known"
    );
    assert!(chart.banner.nhs_number.is_some());
}

#[test]
fn the_downtime_pack_is_census_handover_and_a_drug_chart_per_patient() {
    let station = Station::demo(now());
    let docs = station
        .print_documents(PrintDocument::DowntimePack, &options(), now())
        .unwrap();
    assert!(matches!(docs[0], Document::Census(_)));
    assert!(matches!(docs[1], Document::Handover(_)));
    let charts = docs
        .iter()
        .filter(|d| matches!(d, Document::DrugChart(_)))
        .count();
    assert_eq!(
        charts,
        station.data().site().admissions.len(),
        "every patient on the ward has a chart in the pack"
    );
}

#[test]
fn every_page_is_stamped_with_the_age_of_its_data_and_who_printed_it() {
    let station = Station::demo(now() - TimeDelta::minutes(42));
    let docs = station
        .print_documents(PrintDocument::Handover, &options(), now())
        .unwrap();
    let Document::Handover(h) = &docs[0] else { panic!() };
    assert_eq!(h.stamp.line(), "DOWNTIME COPY - data as of 13:23 21/11/2026");
    assert_eq!(h.stamp.printed_by, "RN Test Printer");
    let notice = h.stamp.notice.clone().unwrap();
    assert!(
        notice.contains("SYNTHETIC"),
        "demo paper says it is synthetic: {notice}"
    );
    assert!(
        notice.contains("42 min"),
        "the page says how old the data was when printed: {notice}"
    );
}

#[test]
fn the_preview_says_what_will_print_and_how_many_pages() {
    let station = Station::demo(now());
    // The pack holds patients' records: printed by a signed-in person.
    station
        .emergency_sign_in(
            &lamplight_station::session::EmergencySignIn {
                full_name: "Test Nurse".into(),
                role: lamplight_model::Role::Nurse,
                reason: "no roster in this test".into(),
            },
            now(),
        )
        .unwrap();
    let preview = station
        .print_preview(PrintDocument::DowntimePack, &options(), now())
        .unwrap();
    assert_eq!(preview.stamp, "DOWNTIME COPY - data as of 14:05 21/11/2026");
    assert!(
        preview.pages > station.data().site().admissions.len(),
        "at least a page per drug chart"
    );
    assert!(preview.parts[0].starts_with("Bed census"), "{:?}", preview.parts);
    assert!(preview.parts[1].starts_with("Handover"), "{:?}", preview.parts);
    for p in &station.data().site().patients {
        assert!(
            preview.parts.iter().any(|line| line.contains(&p.name.clinical())),
            "the preview names {}",
            p.name.clinical()
        );
    }
}
