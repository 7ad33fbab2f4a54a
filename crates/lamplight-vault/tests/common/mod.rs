//! A tiny synthetic site, written out by hand so the committed test vectors never depend on the
//! demo generator.
#![allow(dead_code)]
#![allow(clippy::unwrap_used)] // test code: a panic with its location is the clearest failure

use chrono::{DateTime, Utc};
use lamplight_model::*;

pub fn at(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

pub fn tiny_site() -> Site {
    let nhs = NhsNumber::from_first_nine([9, 9, 9, 0, 0, 0, 0, 0, 1]).unwrap();
    Site {
        name: "Vector General (synthetic)".into(),
        extracted_at: Some(at("2026-11-04T03:01:00Z")),
        wards: vec![Ward {
            id: "ward-1".into(),
            code: "WD1".into(),
            name: "Ward 1 (Test)".into(),
            bays: vec![Bay {
                id: "bay-1".into(),
                name: "Bay A".into(),
                beds: vec![
                    Bed {
                        id: "bed-1".into(),
                        label: "A1".into(),
                        status: BedStatus::Open,
                    },
                    Bed {
                        id: "bed-2".into(),
                        label: "A2".into(),
                        status: BedStatus::Open,
                    },
                ],
            }],
        }],
        patients: vec![Patient {
            id: "pat-1".into(),
            nhs_number: Some(nhs),
            hospital_number: Some("RXX0000001".into()),
            name: PersonName {
                family: "Vectorson".into(),
                given: vec!["Ada".into()],
                prefix: None,
            },
            birth_date: chrono::NaiveDate::from_ymd_opt(1940, 2, 29),
            sex: Sex::Female,
        }],
        admissions: vec![Admission {
            id: "enc-1".into(),
            patient_id: "pat-1".into(),
            ward_id: Some("ward-1".into()),
            bed_id: Some("bed-1".into()),
            admitted_at: at("2026-11-01T10:00:00Z"),
            consultant: Some("Dr A Example".into()),
            specialty: Some("General Medicine".into()),
            expected_discharge: None,
            reason: Some("Fall".into()),
        }],
        orders: vec![],
        administrations: vec![],
        tests: vec![],
        observations: vec![],
        weights: vec![],
        allergies: vec![Allergy {
            id: "alg-1".into(),
            patient_id: "pat-1".into(),
            substance: Concept::coded(Code::snomed("764146007", "Penicillin")),
            category: Some(AllergyCategory::Medication),
            criticality: Some(Criticality::High),
            verification: Verification::Confirmed,
            reactions: vec!["Anaphylaxis".into()],
            recorded_at: None,
        }],
        alerts: vec![],
        notes: vec![],
    }
}
