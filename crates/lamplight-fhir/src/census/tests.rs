//! The pure rules of a refresh, by table: applying changes, who stays on the ward, what a census holds.

#![allow(clippy::unwrap_used)] // test code

use chrono::{DateTime, TimeDelta, Utc};
use lamplight_demo::DemoOptions;
use lamplight_model::{OrderStatus, Site};
use serde_json::json;

use super::*;

fn at() -> DateTime<Utc> {
    "2026-11-04T03:00:00Z".parse().unwrap()
}

fn ward() -> Site {
    let mut s = lamplight_demo::site(&DemoOptions::ward(at()));
    normalise(&mut s);
    s
}

fn empty(site: &Site) -> Site {
    Site {
        wards: Vec::new(),
        patients: Vec::new(),
        admissions: Vec::new(),
        orders: Vec::new(),
        administrations: Vec::new(),
        tests: Vec::new(),
        observations: Vec::new(),
        weights: Vec::new(),
        allergies: Vec::new(),
        alerts: Vec::new(),
        ..site.clone()
    }
}

fn changed(kind: Kind, ids: &[&str]) -> BTreeMap<Kind, BTreeSet<String>> {
    BTreeMap::from([(kind, ids.iter().map(|s| (*s).to_owned()).collect())])
}

fn refreshed(site: &Site, changes: Changes) -> Site {
    let mut s = site.clone();
    apply_changes(&mut s, changes);
    let wards: Vec<String> = site.wards.iter().map(|w| w.id.clone()).collect();
    retain_census(&mut s, &wards, at() - TimeDelta::hours(24));
    normalise(&mut s);
    s
}

#[test]
fn a_finished_encounter_takes_the_patient_and_all_their_records_off_the_ward() {
    let site = ward();
    let leaving = site.admissions[0].clone();
    let after = refreshed(
        &site,
        Changes {
            fragment: empty(&site),
            changed: changed(Kind::Admission, &[&leaving.id]),
            observations_of: BTreeSet::new(),
        },
    );
    let theirs = |pid: &str| {
        after.patients.iter().any(|p| p.id == pid)
            || after.orders.iter().any(|o| o.patient_id == pid)
            || after.observations.iter().any(|o| o.patient_id == pid)
            || after.allergies.iter().any(|a| a.patient_id == pid)
    };
    assert!(
        !theirs(&leaving.patient_id),
        "nothing of a discharged patient stays on the board"
    );
    assert_eq!(
        after.patients.len(),
        site.patients.len() - 1,
        "everyone else stays"
    );
}

#[test]
fn a_changed_record_replaces_the_old_one_and_nothing_else_moves() {
    let site = ward();
    let mut stopped = site.orders[0].clone();
    stopped.status = OrderStatus::Stopped;
    let mut fragment = empty(&site);
    fragment.orders.push(stopped.clone());
    let after = refreshed(
        &site,
        Changes {
            fragment,
            changed: changed(Kind::MedicationOrder, &[&stopped.id]),
            observations_of: BTreeSet::new(),
        },
    );
    let mut expected = site.clone();
    expected.orders[0] = stopped;
    assert_eq!(after, expected, "one order changed, one order differs");
}

#[test]
fn a_changed_record_that_no_longer_belongs_leaves() {
    let site = ward();
    let flag = site.alerts[0].id.clone();
    let after = refreshed(
        &site,
        Changes {
            fragment: empty(&site),
            changed: changed(Kind::Alert, &[&flag]),
            observations_of: BTreeSet::new(),
        },
    );
    assert!(
        !after.alerts.iter().any(|a| a.id == flag),
        "a resolved flag is gone"
    );
    assert_eq!(after.alerts.len(), site.alerts.len() - 1);
}

#[test]
fn a_patients_observations_are_replaced_whole() {
    let site = ward();
    let patient = site.observations[0].patient_id.clone();
    let mut fragment = empty(&site);
    let latest = site
        .observations
        .iter()
        .rfind(|o| o.patient_id == patient)
        .unwrap()
        .clone();
    fragment.observations.push(latest.clone());
    let after = refreshed(
        &site,
        Changes {
            fragment,
            changed: BTreeMap::new(),
            observations_of: BTreeSet::from([patient.clone()]),
        },
    );
    let theirs: Vec<_> = after
        .observations
        .iter()
        .filter(|o| o.patient_id == patient)
        .collect();
    assert_eq!(
        theirs,
        vec![&latest],
        "the refetched sets stand for the patient's chart"
    );
}

#[test]
fn records_older_than_the_window_age_out() {
    let site = ward();
    let mut s = site.clone();
    let wards: Vec<String> = site.wards.iter().map(|w| w.id.clone()).collect();
    retain_census(&mut s, &wards, at());
    assert!(
        s.administrations.iter().all(|a| a.at >= at()) && s.observations.iter().all(|o| o.taken_at >= at()),
        "nothing before the cutoff stays"
    );
    assert_eq!(s.orders, site.orders, "orders do not age out by time");
}

#[test]
fn the_census_holds_by_the_same_rules_the_searches_ask_for() {
    let cutoff = at() - TimeDelta::hours(24);
    let table = [
        (
            json!({ "resourceType": "Encounter", "status": "in-progress" }),
            true,
        ),
        (
            json!({ "resourceType": "Encounter", "status": "finished" }),
            false,
        ),
        (
            json!({ "resourceType": "MedicationRequest", "status": "stopped" }),
            true,
        ),
        (
            json!({ "resourceType": "MedicationRequest", "status": "draft" }),
            false,
        ),
        (
            json!({ "resourceType": "ServiceRequest", "status": "completed" }),
            false,
        ),
        (json!({ "resourceType": "Flag", "status": "inactive" }), false),
        (
            json!({ "resourceType": "MedicationAdministration", "effectiveDateTime": "2026-11-03T04:00:00Z" }),
            true,
        ),
        (
            json!({ "resourceType": "MedicationAdministration", "effectiveDateTime": "2026-11-02T04:00:00Z" }),
            false,
        ),
        (
            json!({ "resourceType": "Observation", "category": [{ "coding": [{ "code": "laboratory" }] }], "effectiveDateTime": "2026-11-04T01:00:00Z" }),
            false,
        ),
        (
            json!({ "resourceType": "Observation", "category": [{ "coding": [{ "code": "vital-signs" }] }], "effectiveDateTime": "2026-11-04T01:00:00Z" }),
            true,
        ),
        (json!({ "resourceType": "AllergyIntolerance" }), true),
    ];
    for (resource, held) in table {
        assert_eq!(in_census(&resource, cutoff), held, "{resource}");
    }
}
