//! What the board and the patient view show, on a small ward built by hand so every expectation
//! is visible in the test.

#![allow(clippy::unwrap_used)] // test code: a panic with its location is the clearest failure

use chrono::{DateTime, NaiveTime, Utc};
use lamplight_model::*;
use lamplight_station::{SourceKind, Station};

fn at(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

fn hm(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap()
}

fn bed(id: &str, label: &str, status: BedStatus) -> Bed {
    Bed {
        id: id.into(),
        label: label.into(),
        status,
    }
}

fn patient(id: &str, family: &str, given: &str, last: u8) -> Patient {
    Patient {
        id: id.into(),
        nhs_number: NhsNumber::from_first_nine([9, 9, 9, 1, 2, 3, 4, 5, last]),
        hospital_number: Some(format!("H{id}")),
        name: PersonName {
            family: family.into(),
            given: vec![given.into()],
            prefix: None,
        },
        birth_date: chrono::NaiveDate::from_ymd_opt(1950, 3, 15),
        sex: Sex::Female,
    }
}

fn admission(id: &str, patient: &str, bed: Option<&str>) -> Admission {
    Admission {
        id: id.into(),
        patient_id: patient.into(),
        ward_id: Some("w1".into()),
        bed_id: bed.map(Into::into),
        admitted_at: at("2026-11-02T10:00:00Z"),
        consultant: Some("Dr R Patel".into()),
        specialty: Some("Respiratory".into()),
        expected_discharge: chrono::NaiveDate::from_ymd_opt(2026, 11, 6),
        reason: Some("Exacerbation of COPD".into()),
    }
}

fn order(id: &str, patient: &str, name: &str, times: &[(u32, u32)], time_critical: bool) -> MedicationOrder {
    MedicationOrder {
        id: id.into(),
        patient_id: patient.into(),
        medicine: Concept::text(name),
        dose: Dose::quantity("1", "g"),
        route: Some(Concept::text("Oral")),
        schedule: Schedule::Regular {
            times: times.iter().map(|(h, m)| hm(*h, *m)).collect(),
            frequency: "regular".into(),
        },
        time_critical,
        status: OrderStatus::Active,
        start: at("2026-11-01T00:00:00Z"),
        end: None,
        prescriber: None,
        indication: None,
        instructions: None,
        further_dosage_lines: Vec::new(),
    }
}

fn allergy(id: &str, patient: &str, code: &str, text: &str, verification: Verification) -> Allergy {
    Allergy {
        id: id.into(),
        patient_id: patient.into(),
        substance: Concept::coded(Code::snomed(code, text)),
        category: None,
        criticality: Some(Criticality::High),
        verification,
        reactions: vec!["Anaphylaxis".into()],
        recorded_at: None,
    }
}

fn obs(patient: &str, taken: &str, rr: u16, spo2: u8) -> ObservationSet {
    ObservationSet {
        id: format!("obs-{patient}-{taken}"),
        patient_id: patient.into(),
        taken_at: at(taken),
        respiration_rate: Some(rr),
        spo2: Some(spo2),
        spo2_scale: Spo2Scale::Scale1,
        oxygen: Some(Oxygen::Air),
        systolic_bp: Some(120),
        diastolic_bp: Some(70),
        pulse: Some(80),
        consciousness: Some(Consciousness::Alert),
        temperature_c: Some(37.0),
        recorded_by: None,
        entry: None,
    }
}

/// 04/11/2026 (GMT): now is 10:30.
const NOW: &str = "2026-11-04T10:30:00Z";

fn ward() -> Site {
    Site {
        name: "Test General".into(),
        extracted_at: Some(at("2026-11-04T10:00:00Z")),
        wards: vec![Ward {
            id: "w1".into(),
            code: "WD1".into(),
            name: "Ward 1".into(),
            bays: vec![Bay {
                id: "b1".into(),
                name: "Bay A".into(),
                beds: vec![
                    bed("bed1", "A1", BedStatus::Open),
                    bed("bed2", "A2", BedStatus::Open),
                    bed("bed3", "A3", BedStatus::Closed),
                ],
            }],
        }],
        patients: vec![
            patient("p1", "Okafor", "Grace", 0),
            patient("p2", "Hughes", "Derek", 1),
        ],
        admissions: vec![
            admission("e1", "p1", Some("bed1")),
            admission("e2", "p2", None),
            admission("e3", "p-missing", Some("bed2")),
        ],
        orders: vec![
            // Due 10:00 (overdue, nothing recorded) and 12:00 (due soon).
            order("o1", "p1", "Co-amoxiclav 1.2g IV", &[(10, 0), (12, 0)], true),
            // Due 10:00 but given at 10:05: not shown.
            order("o2", "p1", "Paracetamol 1g", &[(10, 0)], false),
            // Due 18:00: outside the two-hour window.
            order("o3", "p1", "Amlodipine 5mg", &[(18, 0)], false),
        ],
        administrations: vec![Administration {
            id: "a1".into(),
            order_id: "o2".into(),
            patient_id: "p1".into(),
            at: at("2026-11-04T10:05:00Z"),
            outcome: AdministrationOutcome::Given {
                dose: Some("1 g".into()),
            },
            performer: Some("RN J Okafor".into()),
            note: None,
            entry: None,
            due: None,
        }],
        tests: vec![],
        observations: vec![
            obs("p1", "2026-11-04T06:00:00Z", 16, 97),
            obs("p1", "2026-11-04T09:00:00Z", 25, 91),
        ],
        allergies: vec![
            allergy("al1", "p1", "764146007", "Penicillin", Verification::Confirmed),
            allergy(
                "al2",
                "p1",
                "227493005",
                "Cashew nuts",
                Verification::EnteredInError,
            ),
            allergy(
                "al3",
                "p2",
                "716186003",
                "No known allergy",
                Verification::Confirmed,
            ),
        ],
        alerts: vec![],
        weights: vec![],
        notes: vec![],
    }
}

fn station() -> Station {
    Station::new(ward(), SourceKind::Snapshot, "test")
}

#[test]
fn the_board_has_a_row_for_every_bed_and_for_patients_without_one() {
    let board = station().board("WD1", at(NOW)).unwrap();
    let labels: Vec<&str> = board.rows.iter().map(|r| r.bed_label.as_str()).collect();
    assert_eq!(
        labels,
        ["A1", "A2", "A3", "No bed recorded"],
        "every bed, in ward order, then the unallocated"
    );
    assert_eq!(board.rows[0].patient.as_ref().unwrap().name, "OKAFOR, Grace");
    assert_eq!(board.rows[2].bed_status, Some(BedStatus::Closed));
    assert!(
        board.rows[2].patient.is_none(),
        "a closed empty bed is shown empty"
    );
    assert_eq!(board.rows[3].patient.as_ref().unwrap().name, "HUGHES, Derek");
    assert_eq!(
        (board.ward.beds, board.ward.occupied, board.ward.unallocated),
        (3, 2, 1)
    );
}

#[test]
fn an_admission_whose_patient_is_missing_is_shown_loudly_not_dropped() {
    let board = station().board("WD1", at(NOW)).unwrap();
    let row = &board.rows[1];
    assert!(
        row.patient.as_ref().unwrap().name.starts_with("UNKNOWN PATIENT"),
        "{row:?}"
    );
}

#[test]
fn due_medicines_show_overdue_and_due_soon_but_not_doses_already_recorded() {
    let board = station().board("w1", at(NOW)).unwrap();
    let due = &board.rows[0].patient.as_ref().unwrap().due_medicines;
    let shown: Vec<(&str, &str, bool)> = due
        .iter()
        .map(|d| (d.medicine.as_str(), d.due_text.as_str(), d.overdue))
        .collect();
    assert_eq!(
        shown,
        [
            ("Co-amoxiclav 1.2g IV", "10:00", true),
            ("Co-amoxiclav 1.2g IV", "12:00", false)
        ]
    );
    assert!(due.iter().all(|d| d.time_critical));
}

#[test]
fn the_latest_news2_is_on_the_board_with_its_risk() {
    let board = station().board("w1", at(NOW)).unwrap();
    let news = board.rows[0].patient.as_ref().unwrap().news2.as_ref().unwrap();
    // RR 25 → 3, SpO2 91 → 3: total 6, medium.
    assert_eq!((news.total, news.risk), (6, Risk::Medium));
    assert!(news.complete);
    assert_eq!(news.taken_at_text, "09:00 Wed 04/11/2026");
}

#[test]
fn allergy_status_distinguishes_known_none_known_and_not_recorded() {
    let board = station().board("w1", at(NOW)).unwrap();
    let p1 = board.rows[0].patient.as_ref().unwrap();
    assert_eq!(p1.allergy_status, AllergyStatus::Known);
    assert_eq!(
        p1.allergies,
        ["Penicillin"],
        "an allergy entered in error must not be shown as current"
    );
    let p2 = board.rows[3].patient.as_ref().unwrap();
    assert_eq!(p2.allergy_status, AllergyStatus::NoneKnown);
    assert!(p2.allergies.is_empty());
    let missing = board.rows[1].patient.as_ref().unwrap();
    assert_eq!(missing.allergy_status, AllergyStatus::NotRecorded);
}

#[test]
fn the_patient_view_lists_allergies_medicines_and_observations() {
    let view = station().patient("p1", at(NOW)).unwrap();
    let nhs = patient("p1", "", "", 0).nhs_number.unwrap();
    assert_eq!(view.identity.nhs_number, Some(nhs.to_string()));
    assert_eq!(
        view.identity
            .nhs_number
            .as_deref()
            .map(|n| n.split(' ').map(str::len).collect::<Vec<_>>()),
        Some(vec![3, 3, 4])
    );
    assert_eq!(view.identity.birth_date_text.as_deref(), Some("15/03/1950"));
    assert_eq!(view.identity.age_years, Some(76));
    assert_eq!(view.location.bed_label.as_deref(), Some("A1"));
    assert_eq!(view.admission.as_ref().unwrap().length_of_stay_text, "Day 3");
    assert_eq!(view.allergies.len(), 1);
    let para = view.medicines.iter().find(|m| m.order_id == "o2").unwrap();
    assert_eq!(
        para.last_administration_text.as_deref(),
        Some("Given 10:05 Wed 04/11/2026 by RN J Okafor")
    );
    assert!(!para.overdue);
    let coamox = view.medicines.iter().find(|m| m.order_id == "o1").unwrap();
    assert!(coamox.overdue, "the 10:00 dose has nothing recorded");
    assert_eq!(coamox.next_due_text.as_deref(), Some("12:00 Wed 04/11/2026"));
    assert_eq!(view.observations.len(), 2);
    assert_eq!(
        view.observations[0].taken_at_text, "09:00 Wed 04/11/2026",
        "newest first"
    );
}

#[test]
fn the_data_age_is_stamped_and_turns_stale_after_the_threshold() {
    let s = station();
    let fresh = s.status(at("2026-11-04T10:42:00Z"));
    assert_eq!(fresh.stamp, "data as of 10:00 Wed 04/11/2026 (42 min ago)");
    assert!(!fresh.stale);
    let old = s.status(at("2026-11-04T11:01:00Z"));
    assert!(old.stale, "past the threshold every screen must turn red");
}

#[test]
fn unknown_ids_are_errors_with_a_code() {
    let err = station().patient("nobody", at(NOW)).unwrap_err();
    let api = err.to_api();
    assert_eq!(api.code, lamplight_station::ErrorCode::NotFound);
    assert!(api.message.contains("nobody"));
}

/// The test ward with the situations the importer notes: a patient on the ward whose bed is not in
/// the data, one with no ward at all, and an order with three dosage lines.
fn ward_with_gaps() -> Site {
    let mut site = ward();
    site.patients.push(patient("p3", "Quinn", "Ada", 2));
    site.patients.push(patient("p4", "Nowhere", "Noor", 3));
    site.admissions
        .push(admission("e4", "p3", Some("bed-not-in-the-data")));
    site.admissions.push(Admission {
        ward_id: None,
        ..admission("e5", "p4", None)
    });
    let mut tapering = order("o4", "p1", "Prednisolone 5mg tablets", &[(8, 0)], false);
    tapering.further_dosage_lines = vec![
        "then 20 mg at 08:00 from 08/11/2026".into(),
        "then 10 mg at 08:00 from 12/11/2026".into(),
    ];
    site.orders.push(tapering);
    let note = |kind, resource: &str, patient: &str| ImportNote {
        kind,
        resource: resource.into(),
        patient_id: Some(patient.into()),
        detail: format!("entry 9 ({resource}): test"),
    };
    site.notes = vec![
        note(NoteKind::NoBedRecorded, "Encounter/e4", "p3"),
        note(NoteKind::NoBedRecorded, "Encounter/e5", "p4"),
        note(NoteKind::InstructionsNotCharted, "MedicationRequest/o4", "p1"),
    ];
    site
}

fn census_of(station: &Station, ward: Option<&str>) -> lamplight_print::Census {
    let options = lamplight_station::PrintOptions {
        ward: ward.map(str::to_owned),
        printed_by: "RN Test".into(),
        ..Default::default()
    };
    let docs = station
        .print_documents(lamplight_station::PrintDocument::Census, &options, at(NOW))
        .unwrap();
    match docs.into_iter().next() {
        Some(lamplight_print::Document::Census(c)) => c,
        other => panic!("a census, not {other:?}"),
    }
}

#[test]
fn a_patient_whose_bed_is_not_in_the_data_is_on_the_board_and_census_as_no_bed_recorded() {
    let station = Station::new(ward_with_gaps(), SourceKind::Snapshot, "test");
    let board = station.board("WD1", at(NOW)).unwrap();
    let row = board
        .rows
        .iter()
        .find(|r| r.patient.as_ref().is_some_and(|p| p.patient_id == "p3"))
        .expect("a patient whose bed is unknown must still be on their ward's board");
    assert_eq!(row.bed_label, "No bed recorded");
    assert_eq!(row.bed_id, None);
    let census = census_of(&station, Some("WD1"));
    let line = census.wards[0]
        .rows
        .iter()
        .find(|r| r.name == "QUINN, Ada")
        .expect("and on the ward's census");
    assert_eq!(
        (line.bay.as_str(), line.status.as_str()),
        ("No bed recorded", "No bed recorded")
    );
    assert_eq!(
        census.wards[0].totals.no_bed, 2,
        "Derek Hughes (no bed) and Ada Quinn"
    );
}

#[test]
fn a_patient_with_no_ward_recorded_is_on_the_site_census_not_dropped() {
    let station = Station::new(ward_with_gaps(), SourceKind::Snapshot, "test");
    let census = census_of(&station, None);
    let no_ward = census
        .wards
        .iter()
        .find(|w| w.name == "No ward recorded")
        .expect("the site census has a part for patients whose ward is not known");
    assert_eq!(no_ward.rows.len(), 1);
    assert_eq!(no_ward.rows[0].name, "NOWHERE, Noor");
    assert_eq!(no_ward.rows[0].bay, "No bed recorded");
    assert_eq!(no_ward.totals.no_bed, 1);
    assert!(
        !census_of(&station, Some("WD1"))
            .wards
            .iter()
            .any(|w| w.rows.iter().any(|r| r.name == "NOWHERE, Noor")),
        "a ward's own census lists that ward's patients"
    );
    let board = station.board("WD1", at(NOW)).unwrap();
    assert!(
        !board
            .rows
            .iter()
            .any(|r| r.patient.as_ref().is_some_and(|p| p.patient_id == "p4")),
        "a patient with no ward is on no real ward's board"
    );
    let list = station.wards(at(NOW));
    let no_ward = list
        .wards
        .last()
        .filter(|w| w.name == "No ward recorded")
        .expect("the ward list ends with a board of patients whose ward is not known");
    assert_eq!((no_ward.beds, no_ward.unallocated), (0, 1));
    let board = station.board(&no_ward.id, at(NOW)).unwrap();
    assert_eq!(board.rows.len(), 1, "{:?}", board.rows);
    assert_eq!(board.rows[0].bed_label, "No bed recorded");
    assert_eq!(
        board.rows[0].patient.as_ref().map(|p| p.name.as_str()),
        Some("NOWHERE, Noor"),
        "the patient with no location is on a board, as 'no bed recorded'"
    );
}

#[test]
fn a_site_where_every_inpatient_has_a_ward_lists_no_extra_board() {
    let station = Station::new(ward(), SourceKind::Snapshot, "test");
    assert!(
        station
            .wards(at(NOW))
            .wards
            .iter()
            .all(|w| w.name != "No ward recorded"),
        "the extra board is there only when someone needs it"
    );
}

#[test]
fn the_board_says_what_the_import_left_out_in_a_nurses_words_with_the_details_for_it() {
    let station = Station::new(ward_with_gaps(), SourceKind::Snapshot, "test");
    let notice = station
        .board("WD1", at(NOW))
        .unwrap()
        .import_notice
        .expect("notes in the snapshot make a notice");
    assert_eq!(
        notice.text,
        "2 patients have no bed recorded; 1 order's instructions are not fully charted"
    );
    assert_eq!(notice.details.len(), 3, "one line for IT per note");
    assert!(
        !notice.text.contains("Quinn") && !notice.text.contains("QUINN"),
        "counts only: no patient data"
    );
    // Another ward's patient's note is that ward's business; the site census's notice counts it.
    let mut site = ward_with_gaps();
    site.wards.push(Ward {
        id: "w2".into(),
        code: "WD2".into(),
        name: "Ward 2".into(),
        bays: vec![],
    });
    site.patients.push(patient("p5", "Elsewhere", "Eli", 4));
    site.admissions.push(Admission {
        ward_id: Some("w2".into()),
        ..admission("e6", "p5", None)
    });
    site.notes.push(ImportNote {
        kind: NoteKind::VitalSignNotCharted,
        resource: "Observation/t1".into(),
        patient_id: Some("p5".into()),
        detail: "entry 12 (Observation/t1): test".into(),
    });
    let two_wards = Station::new(site, SourceKind::Snapshot, "test");
    assert_eq!(
        two_wards
            .board("WD1", at(NOW))
            .unwrap()
            .import_notice
            .unwrap()
            .text,
        notice.text,
        "a ward's board counts its own patients, those on no ward, and the data's own notes"
    );
    let ward2 = two_wards
        .board("WD2", at(NOW))
        .unwrap()
        .import_notice
        .unwrap()
        .text;
    assert_eq!(
        ward2,
        "1 patient has no bed recorded; 1 vital sign is not charted because its unit could not be read",
        "ward 2's board: its own vital sign, and the patient on no ward"
    );
    assert!(
        Station::new(ward(), SourceKind::Snapshot, "test")
            .board("WD1", at(NOW))
            .unwrap()
            .import_notice
            .is_none(),
        "no notes, no notice"
    );
}

#[test]
fn every_dosage_line_of_an_order_is_on_the_screen_and_on_the_drug_chart() {
    let station = Station::new(ward_with_gaps(), SourceKind::Snapshot, "test");
    let view = station.patient("p1", at(NOW)).unwrap();
    let line = view.medicines.iter().find(|m| m.order_id == "o4").unwrap();
    assert_eq!(
        line.further_dosage_lines,
        [
            "then 20 mg at 08:00 from 08/11/2026",
            "then 10 mg at 08:00 from 12/11/2026"
        ],
        "the screen shows every line, not only the first"
    );
    let options = lamplight_station::PrintOptions {
        patient: Some("p1".into()),
        printed_by: "RN Test".into(),
        ..Default::default()
    };
    let docs = station
        .print_documents(lamplight_station::PrintDocument::DrugChart, &options, at(NOW))
        .unwrap();
    let Some(lamplight_print::Document::DrugChart(chart)) = docs.first() else {
        panic!("a drug chart")
    };
    let row = chart
        .regular
        .iter()
        .find(|m| m.medicine == "Prednisolone 5mg tablets")
        .unwrap();
    assert_eq!(
        row.further_instructions, line.further_dosage_lines,
        "the drug chart prints every line too, under SEE FULL INSTRUCTIONS"
    );
    let pdf = station
        .print(lamplight_station::PrintDocument::DrugChart, &options, at(NOW))
        .unwrap();
    assert!(pdf.len() > 1000, "the chart with its further lines lays out");
}

#[test]
fn data_of_unknown_age_says_age_unknown_on_every_screen_and_page_and_is_stale() {
    let mut site = ward();
    site.extracted_at = None;
    let station = Station::new(site, SourceKind::Snapshot, "test");
    let status = station.status(at(NOW));
    assert!(status.stale, "data of unknown age is never shown as fresh");
    assert!(!status.age_known);
    assert_eq!((status.extracted_at, status.age_minutes), (None, None));
    assert_eq!(status.age_text, "age unknown");
    assert!(
        status.stamp.contains("age unknown") && !status.stamp.contains("1970"),
        "{}",
        status.stamp
    );
    assert_eq!(
        station.board("WD1", at(NOW)).unwrap().status.age_text,
        "age unknown"
    );
    assert_eq!(
        station.patient("p1", at(NOW)).unwrap().status.age_text,
        "age unknown"
    );
    // A patient's record on paper is printed by a signed-in person.
    station
        .emergency_sign_in(
            &lamplight_station::session::EmergencySignIn {
                full_name: "Test Nurse".into(),
                role: lamplight_model::Role::Nurse,
                reason: "no roster in this test".into(),
            },
            at(NOW),
        )
        .unwrap();
    for document in [
        lamplight_station::PrintDocument::Census,
        lamplight_station::PrintDocument::Handover,
        lamplight_station::PrintDocument::DrugChart,
        lamplight_station::PrintDocument::ObsChart,
        lamplight_station::PrintDocument::BlankForms,
    ] {
        let options = lamplight_station::PrintOptions {
            printed_by: "RN Test".into(),
            ..Default::default()
        };
        let preview = station.print_preview(document, &options, at(NOW)).unwrap();
        assert!(
            preview.stamp.to_lowercase().contains("age unknown") && !preview.stamp.contains("1970"),
            "{document:?}: every page's stamp says the age is unknown: {}",
            preview.stamp
        );
    }
}

#[test]
fn the_board_the_patient_view_and_the_handover_agree_on_which_doses_are_recorded() {
    // Paracetamol is due at 10:00; a dose recorded from an hour before to two hours after marks it:
    // not due on the board, not overdue on the patient view, not "OVERDUE" on the paper handover.
    let now = at("2026-11-04T12:00:00Z");
    for (given, covered) in [
        ("2026-11-04T08:59:00Z", false),
        ("2026-11-04T09:00:00Z", true),
        ("2026-11-04T12:00:00Z", true),
        ("2026-11-04T12:01:00Z", false),
    ] {
        let mut site = ward();
        site.administrations[0].at = at(given);
        let station = Station::new(site, SourceKind::Snapshot, "test");
        let board = station.board("WD1", now).unwrap();
        let due = &board.rows[0].patient.as_ref().unwrap().due_medicines;
        let on_board = !due.iter().any(|d| d.order_id == "o2" && d.due_text == "10:00");
        let view = station.patient("p1", now).unwrap();
        let para = view.medicines.iter().find(|m| m.order_id == "o2").unwrap();
        let options = lamplight_station::PrintOptions {
            patient: Some("p1".into()),
            printed_by: "RN Test".into(),
            ..Default::default()
        };
        let docs = station
            .print_documents(lamplight_station::PrintDocument::Handover, &options, now)
            .unwrap();
        let Some(lamplight_print::Document::Handover(h)) = docs.first() else {
            panic!("a handover")
        };
        let on_paper = !h.beds[0]
            .patient
            .as_ref()
            .unwrap()
            .recommendation
            .iter()
            .any(|l| l.contains("10:00 Paracetamol"));
        assert_eq!(on_board, covered, "board, dose recorded at {given}");
        assert_eq!(!para.overdue, covered, "patient view, dose recorded at {given}");
        assert_eq!(on_paper, covered, "handover, dose recorded at {given}");
    }
}

#[test]
fn the_patient_view_shows_the_latest_weight_in_kilograms_with_when_it_was_taken() {
    let mut site = ward();
    let weight = |id: &str, taken: &str, kilograms| BodyWeight {
        id: id.into(),
        patient_id: "p1".into(),
        taken_at: at(taken),
        kilograms,
    };
    site.weights = vec![
        weight("w-new", "2026-11-04T08:00:00Z", 69.853_225),
        weight("w-old", "2026-11-02T08:00:00Z", 72.0),
    ];
    let view = Station::new(site, SourceKind::Snapshot, "test")
        .patient("p1", at(NOW))
        .unwrap();
    assert_eq!(
        view.weight_text.as_deref(),
        Some("69.9 kg, weighed 08:00 Wed 04/11/2026"),
        "the newest weight, whatever order the source sent them in"
    );
    assert_eq!(station().patient("p2", at(NOW)).unwrap().weight_text, None);
}
