//! The FHIR each kind of downtime entry is filed as, pinned as JSON files in `tests/data/backfile/`.
//! `LAMPLIGHT_BLESS=1 cargo test -p lamplight-fhir --test backfile_golden` writes them again; read the
//! diff before committing it.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic with its location is the clearest failure

use std::path::PathBuf;

use chrono::{DateTime, TimeZone, Utc};
use lamplight_fhir::backfile::{BuildError, Built, Context, build};
use lamplight_model::entry::{Entry, EntryKind};
use lamplight_model::{
    Admission, Consciousness, NhsNumber, ObservationSet, OmissionReason, Oxygen, Patient, PersonName, Sex,
    Spo2Scale,
};
use serde_json::{Value, json};

fn at(h: u32, m: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 1, h, m, 0).unwrap()
}

fn entry(id: &str, kind: EntryKind) -> Entry {
    Entry {
        id: id.into(),
        recorded_at: at(15, 30),
        recorded_by: "Nurse A Keyer".into(),
        pc: "WD7-PC1".into(),
        drill: false,
        corrects: None,
        kind,
    }
}

fn golden(name: &str, built: &Built) {
    let Built::Entries { entries, .. } = built else {
        panic!("{name}: expected transaction entries, got {built:?}");
    };
    let actual = serde_json::to_string_pretty(&Value::Array(entries.clone())).unwrap() + "\n";
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("tests/data/backfile/{name}.json"));
    if std::env::var_os("LAMPLIGHT_BLESS").is_some() {
        std::fs::write(&path, &actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("no {}: run with LAMPLIGHT_BLESS=1 once", path.display()));
    assert!(
        expected == actual,
        "{name} differs from {}; if the change is meant, run with LAMPLIGHT_BLESS=1 and read the diff",
        path.display()
    );
}

fn medication() -> Value {
    json!({ "coding": [{ "system": "http://snomed.info/sct", "code": "322236009", "display": "Paracetamol 500mg tablets" }], "text": "Paracetamol 500 mg tablets" })
}

fn cx(m: &Value) -> Context<'_> {
    Context {
        patient: "Patient/p1".into(),
        encounter: Some("Encounter/e1".into()),
        medication: Some(("medicationCodeableConcept", m)),
        ..Context::default()
    }
}

#[test]
fn a_dose_given_is_a_completed_administration_with_its_dose_performer_and_checker() {
    let m = medication();
    let e = entry(
        "6f1c2d3e-0000-4000-8000-000000000001",
        EntryKind::DoseGiven {
            patient_id: "p1".into(),
            order_id: "o1".into(),
            given_at: at(14, 2),
            dose: "1 g".into(),
            given_by: "Nurse C Giver".into(),
            checked_by: Some("Nurse D Checker".into()),
            due_at: None,
        },
    );
    golden("dose_given", &build(&e, &cx(&m)).unwrap());
}

#[test]
fn a_dose_not_given_is_not_done_with_the_charts_omission_code() {
    let m = medication();
    let e = entry(
        "6f1c2d3e-0000-4000-8000-000000000002",
        EntryKind::DoseNotGiven {
            patient_id: "p1".into(),
            order_id: "o1".into(),
            due_at: at(14, 0),
            reason: OmissionReason::NilByMouth,
            note: Some("Theatre at 16:00".into()),
        },
    );
    golden("dose_not_given", &build(&e, &cx(&m)).unwrap());
}

#[test]
fn a_dose_without_the_orders_medicine_is_refused_not_guessed() {
    let e = entry(
        "6f1c2d3e-0000-4000-8000-000000000009",
        EntryKind::DoseGiven {
            patient_id: "p1".into(),
            order_id: "o1".into(),
            given_at: at(14, 2),
            dose: "1 g".into(),
            given_by: "Nurse C Giver".into(),
            checked_by: None,
            due_at: None,
        },
    );
    let cx = Context {
        patient: "Patient/p1".into(),
        ..Context::default()
    };
    assert!(matches!(build(&e, &cx), Err(BuildError::NoMedication { .. })));
}

fn set(complete: bool) -> ObservationSet {
    let mut s = ObservationSet::empty("s1", "p1", at(14, 10));
    s.respiration_rate = Some(22);
    s.spo2 = Some(93);
    s.spo2_scale = Spo2Scale::Scale2;
    s.oxygen = Some(Oxygen::Supplemental {
        litres_per_minute: Some(2.0),
        device: Some("Nasal cannula".into()),
    });
    s.systolic_bp = Some(104);
    s.diastolic_bp = Some(66);
    s.pulse = Some(112);
    s.consciousness = Some(Consciousness::Alert);
    s.temperature_c = complete.then_some(38.4);
    s.recorded_by = Some("Nurse B Observer".into());
    s
}

#[test]
fn observations_are_one_per_vital_sign_with_the_news2_total_and_sub_scores() {
    let s = set(true);
    let score = lamplight_model::news2::score(&s);
    let e = entry(
        "6f1c2d3e-0000-4000-8000-000000000003",
        EntryKind::Observations { set: s },
    );
    let built = build(&e, &cx(&medication())).unwrap();
    golden("observations", &built);
    let Built::Entries { entries, .. } = &built else {
        unreachable!()
    };
    let total = entries
        .iter()
        .find(|x| x["resource"]["code"]["coding"][0]["code"] == "1104051000000101")
        .unwrap();
    assert_eq!(
        total["resource"]["valueInteger"], score.total,
        "the model's score, as it is"
    );
    let subs: u64 = entries
        .iter()
        .filter(|x| x["resource"]["category"][0]["coding"][0]["code"] == "survey")
        .filter_map(|x| x["resource"]["valueInteger"].as_u64())
        .sum::<u64>()
        - u64::from(score.total);
    assert_eq!(subs, u64::from(score.total), "the sub-scores add up to the total");
}

#[test]
fn an_incomplete_set_files_no_total_score() {
    let e = entry(
        "6f1c2d3e-0000-4000-8000-000000000004",
        EntryKind::Observations { set: set(false) },
    );
    let Built::Entries { entries, .. } = build(&e, &cx(&medication())).unwrap() else {
        unreachable!()
    };
    let total = &entries[0]["resource"];
    assert_eq!(total["code"]["coding"][0]["code"], "1104051000000101");
    assert!(
        total.get("valueInteger").is_none(),
        "a lower bound is not a score"
    );
    assert!(total["dataAbsentReason"].is_object());
}

fn downtime_patient() -> (Patient, Admission) {
    (
        Patient {
            id: "DT-WD7-PC1-0001".into(),
            nhs_number: Some("9434765919".parse::<NhsNumber>().unwrap()),
            hospital_number: None,
            name: PersonName {
                family: "Testpatient".into(),
                given: vec!["Synthetic".into()],
                prefix: None,
            },
            birth_date: None,
            sex: Sex::Female,
        },
        Admission {
            id: "DT-WD7-PC1-0001".into(),
            patient_id: "DT-WD7-PC1-0001".into(),
            ward_id: Some("w1".into()),
            bed_id: Some("b7".into()),
            admitted_at: at(13, 40),
            consultant: Some("Dr E Consultant".into()),
            specialty: None,
            expected_discharge: None,
            reason: Some("Fall at home".into()),
        },
    )
}

#[test]
fn an_admission_is_an_in_progress_encounter_against_the_matched_patient() {
    let (patient, admission) = downtime_patient();
    let e = entry(
        "6f1c2d3e-0000-4000-8000-000000000005",
        EntryKind::Admission { patient, admission },
    );
    let cx = Context {
        patient: "Patient/matched-7".into(),
        ..Context::default()
    };
    golden("admission_matched", &build(&e, &cx).unwrap());
}

#[test]
fn an_admission_filed_as_a_new_patient_creates_the_patient_untraced() {
    let (patient, admission) = downtime_patient();
    let e = entry(
        "6f1c2d3e-0000-4000-8000-000000000005",
        EntryKind::Admission { patient, admission },
    );
    let cx = Context {
        new_patient: true,
        ..Context::default()
    };
    golden("admission_new_patient", &build(&e, &cx).unwrap());
}

fn epr_encounter() -> Value {
    json!({
        "resourceType": "Encounter",
        "id": "e1",
        "meta": { "versionId": "3", "lastUpdated": "2026-12-01T09:00:00Z" },
        "status": "in-progress",
        "class": { "system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "IMP" },
        "subject": { "reference": "Patient/p1" },
        "period": { "start": "2026-11-29T09:00:00Z" },
        "location": [
            { "location": { "reference": "Location/w1" }, "status": "active", "period": { "start": "2026-11-29T09:00:00Z" } },
            { "location": { "reference": "Location/b1" }, "status": "active", "period": { "start": "2026-11-29T09:00:00Z" } }
        ]
    })
}

#[test]
fn a_transfer_completes_the_old_locations_and_adds_the_new_marked_with_the_entry() {
    let current = epr_encounter();
    let e = entry(
        "6f1c2d3e-0000-4000-8000-000000000006",
        EntryKind::Transfer {
            patient_id: "p1".into(),
            ward_id: "w2".into(),
            bed_id: Some("b9".into()),
        },
    );
    let cx = Context {
        patient: "Patient/p1".into(),
        encounter: Some("Encounter/e1".into()),
        current_encounter: Some(&current),
        ..Context::default()
    };
    let built = build(&e, &cx).unwrap();
    golden("transfer", &built);
    let Built::Entries {
        encounter: Some(after),
        ..
    } = built
    else {
        unreachable!()
    };
    let again = Context {
        current_encounter: Some(&after),
        ..cx
    };
    assert_eq!(
        build(&e, &again).unwrap(),
        Built::AlreadyThere,
        "the marker says it is there"
    );
}

#[test]
fn a_discharge_finishes_the_encounter_with_its_destination() {
    let current = epr_encounter();
    let e = entry(
        "6f1c2d3e-0000-4000-8000-000000000007",
        EntryKind::Discharge {
            patient_id: "p1".into(),
            at: at(15, 0),
            destination: Some("Home with carers".into()),
        },
    );
    let cx = Context {
        patient: "Patient/p1".into(),
        encounter: Some("Encounter/e1".into()),
        current_encounter: Some(&current),
        ..Context::default()
    };
    golden("discharge", &build(&e, &cx).unwrap());
    let mut finished = epr_encounter();
    finished["status"] = "finished".into();
    let cx = Context {
        current_encounter: Some(&finished),
        ..cx
    };
    assert!(
        matches!(build(&e, &cx), Err(BuildError::EncounterFinished { .. })),
        "an encounter the EPR finished is a person's to reconcile"
    );
}

#[test]
fn a_note_and_a_phoned_result_are_communications() {
    let m = medication();
    let note = entry(
        "6f1c2d3e-0000-4000-8000-000000000008",
        EntryKind::Note {
            patient_id: "p1".into(),
            text: "Settled overnight.".into(),
        },
    );
    golden("note", &build(&note, &cx(&m)).unwrap());
    let result = entry(
        "6f1c2d3e-0000-4000-8000-00000000000a",
        EntryKind::PhonedResult {
            patient_id: "p1".into(),
            test: "Potassium".into(),
            value: "5.9 mmol/L".into(),
            caller: "Lab Caller".into(),
            read_back: true,
        },
    );
    golden("phoned_result", &build(&result, &cx(&m)).unwrap());
}
