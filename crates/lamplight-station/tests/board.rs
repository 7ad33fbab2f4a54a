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
        ward_id: "w1".into(),
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
    }
}

/// 04/11/2026 (GMT): now is 10:30.
const NOW: &str = "2026-11-04T10:30:00Z";

fn ward() -> Site {
    Site {
        name: "Test General".into(),
        extracted_at: at("2026-11-04T10:00:00Z"),
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
        ["A1", "A2", "A3", "No bed"],
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
