//! What a demo site promises: the same options give the same site, and a ward looks like a real one.

use std::collections::HashSet;

use chrono::{DateTime, TimeDelta, Utc};
use lamplight_demo::{DemoOptions, site};
use lamplight_model::clinical::allergy_status;
use lamplight_model::{AllergyStatus, BedStatus, OmissionReason, Schedule, Site, Spo2Scale};

fn at() -> DateTime<Utc> {
    "2026-11-04T10:00:00Z".parse().expect("a valid instant")
}

fn ward() -> Site {
    site(&DemoOptions::ward(at()))
}

#[test]
fn the_same_options_give_the_identical_site() {
    for beds in [1, 28, 61] {
        let o = DemoOptions {
            beds,
            seed: 7,
            at: at(),
        };
        assert_eq!(site(&o), site(&o), "{beds} beds, seed 7 must be reproducible");
    }
    let other = site(&DemoOptions {
        seed: 2,
        ..DemoOptions::ward(at())
    });
    assert_ne!(
        ward().patients,
        other.patients,
        "another seed gives other patients"
    );
}

#[test]
fn the_site_has_the_beds_asked_for_in_wards_named_as_a_uk_hospital_names_them() {
    for beds in [1, 5, 28, 100, 2000] {
        let s = site(&DemoOptions {
            beds,
            seed: 3,
            at: at(),
        });
        assert_eq!(s.counts().beds, beds, "asked for {beds} beds");
    }
    let s = ward();
    assert_eq!(s.wards.len(), 1);
    assert_eq!(s.wards[0].name, "Ward 7 (Acute Medicine)");
    assert_eq!(s.wards[0].code, "WD7");
}

#[test]
fn every_nhs_number_in_a_2000_bed_site_is_a_valid_unique_test_number() {
    let s = site(&DemoOptions {
        beds: 2000,
        seed: 1,
        at: at(),
    });
    let mut seen = HashSet::new();
    for p in &s.patients {
        let n = p.nhs_number.expect("every demo patient is traced");
        assert!(
            n.is_test_number(),
            "{n} must be in the 999 test range: never a real person's number"
        );
        assert_eq!(
            n.to_string().parse::<lamplight_model::NhsNumber>(),
            Ok(n),
            "{n} must pass Modulus 11"
        );
        assert!(seen.insert(n), "{n} is given to two patients");
    }
    assert!(s.patients.len() > 1500, "a 2,000-bed site is mostly full");
}

#[test]
fn a_ward_has_some_empty_beds_and_a_patient_waiting_for_one() {
    let s = site(&DemoOptions {
        beds: 280,
        seed: 1,
        at: at(),
    });
    let beds = s.counts().beds;
    let occupied = s.admissions.iter().filter(|a| a.bed_id.is_some()).count();
    let empty = beds - occupied;
    let share = empty * 100 / beds;
    assert!(
        (5..=20).contains(&share),
        "about one bed in ten is empty, got {share}%"
    );
    assert!(
        s.wards
            .iter()
            .flat_map(lamplight_model::Ward::beds)
            .any(|(_, b)| b.status != BedStatus::Open),
        "the odd bed is closed or awaiting a clean"
    );
    assert!(
        ward().admissions.iter().any(|a| a.bed_id.is_none()),
        "the demo ward has a patient awaiting a bed"
    );
}

#[test]
fn the_demo_ward_has_deteriorating_patients_and_one_on_scale_2() {
    let s = ward();
    let latest: Vec<_> = s
        .patients
        .iter()
        .filter_map(|p| {
            s.observations
                .iter()
                .filter(|o| o.patient_id == p.id)
                .max_by_key(|o| o.taken_at)
        })
        .collect();
    assert_eq!(latest.len(), s.patients.len(), "every patient has observations");
    let scores: Vec<u8> = latest.iter().map(|o| o.news2().total).collect();
    assert!(
        scores.iter().filter(|t| **t >= 5).count() >= 2,
        "a couple score 5 or more: {scores:?}"
    );
    assert!(scores.iter().any(|t| *t >= 7), "one scores 7 or more: {scores:?}");
    assert!(
        latest.iter().any(|o| o.spo2_scale == Spo2Scale::Scale2),
        "one COPD patient is scored on SpO2 scale 2"
    );
    assert!(
        s.observations
            .iter()
            .all(|o| o.taken_at <= at() && o.taken_at > at() - TimeDelta::hours(25)),
        "observations are from the last 24 hours"
    );
}

#[test]
fn drug_charts_are_realistic_and_consistent_with_their_schedules() {
    let s = site(&DemoOptions {
        beds: 84,
        seed: 5,
        at: at(),
    });
    for p in &s.patients {
        let n = s.orders.iter().filter(|o| o.patient_id == p.id).count();
        assert!(
            (2..=12).contains(&n),
            "{} has {n} orders: a chart has 2 to 12",
            p.id
        );
    }
    assert!(
        s.orders.iter().any(|o| o.time_critical),
        "some medicines are time-critical"
    );
    assert!(
        s.orders
            .iter()
            .any(|o| matches!(o.schedule, Schedule::WhenRequired { .. }))
    );
    assert!(
        s.orders
            .iter()
            .any(|o| matches!(o.schedule, Schedule::OnceOnly { .. }))
    );
    for a in &s.administrations {
        let order = s
            .orders
            .iter()
            .find(|o| o.id == a.order_id)
            .expect("every administration has its order");
        assert_eq!(a.patient_id, order.patient_id);
        assert!(a.at <= at(), "nothing is recorded in the future");
        assert!(a.at >= order.start, "nothing is given before the order starts");
    }
    let omissions: Vec<_> = s
        .administrations
        .iter()
        .filter_map(|a| match a.outcome {
            lamplight_model::AdministrationOutcome::NotGiven { reason } => Some((reason, a.note.is_some())),
            lamplight_model::AdministrationOutcome::Given { .. } => None,
        })
        .collect();
    assert!(!omissions.is_empty(), "some doses are omitted with a code");
    assert!(
        omissions
            .iter()
            .filter(|(r, _)| matches!(r, OmissionReason::Withheld | OmissionReason::Other))
            .all(|(_, noted)| *noted),
        "codes 5 and 8 always say why"
    );
    // When-required doses respect their minimum interval.
    for o in &s.orders {
        if let Schedule::WhenRequired {
            min_interval_minutes: Some(min),
            ..
        } = o.schedule
        {
            let times: Vec<_> = s
                .administrations
                .iter()
                .filter(|a| a.order_id == o.id)
                .map(|a| a.at)
                .collect();
            for pair in times.windows(2) {
                assert!(
                    pair[1] - pair[0] >= TimeDelta::minutes(i64::from(min)),
                    "{}: PRN doses closer than {min} min",
                    o.id
                );
            }
        }
    }
}

#[test]
fn no_penicillin_allergic_patient_is_prescribed_a_penicillin() {
    let s = site(&DemoOptions {
        beds: 500,
        seed: 9,
        at: at(),
    });
    for allergy in s.allergies.iter().filter(|a| a.substance.text == "Penicillin") {
        for o in s.orders.iter().filter(|o| o.patient_id == allergy.patient_id) {
            let name = o.medicine.text.to_lowercase();
            assert!(
                !(name.contains("cillin") || name.contains("co-amoxiclav")),
                "{} is allergic to penicillin but has {}",
                allergy.patient_id,
                o.medicine.text
            );
        }
    }
}

#[test]
fn allergy_records_cover_known_none_known_and_not_recorded() {
    let s = site(&DemoOptions {
        beds: 84,
        seed: 1,
        at: at(),
    });
    let statuses: Vec<AllergyStatus> = s
        .patients
        .iter()
        .map(|p| allergy_status(s.allergies.iter().filter(|a| a.patient_id == p.id)))
        .collect();
    for wanted in [
        AllergyStatus::Known,
        AllergyStatus::NoneKnown,
        AllergyStatus::NotRecorded,
    ] {
        assert!(statuses.contains(&wanted), "some patients are {wanted:?}");
    }
    assert!(!s.alerts.is_empty(), "alerts are raised");
    assert!(!s.tests.is_empty(), "tests are pending");
}
