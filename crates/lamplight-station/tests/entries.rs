//! Recording downtime entries at the station's API, as two PCs of one ward do: attributed to the
//! person signed in, refused for the wrong role or a locked session, durable across a restart, seen
//! by the other PC through the ward folder, and a dose recorded on both flagged on both.

#![allow(clippy::unwrap_used)] // test code: a panic with its location is the clearest failure

mod common;

use chrono::{DateTime, TimeDelta, Utc};
use common::Ward;
use lamplight_model::entry::EntryKind;
use lamplight_station::session::Pin;
use lamplight_station::{Station, StationConfig};

fn dose(patient_id: &str, order_id: &str, at: DateTime<Utc>) -> EntryKind {
    EntryKind::DoseGiven {
        patient_id: patient_id.into(),
        order_id: order_id.into(),
        given_at: at,
        dose: "as prescribed".into(),
        given_by: "Sam Jones".into(),
        checked_by: None,
        due_at: None,
    }
}

fn sign_in(pc: &Station, who: &str, pin: &str, now: DateTime<Utc>) {
    pc.sessions().sign_in(who, &Pin::new(pin), now).unwrap();
}

#[test]
fn a_dose_recorded_on_one_pc_is_saved_attributed_and_seen_on_the_other_and_a_second_is_flagged() {
    let now = common::now();
    let ward = Ward::new(now);
    let (patient, order, due) = ward.due_dose(now);
    let pc1 = ward.pc("WD7-PC1");
    let pc2 = ward.pc("WD7-PC2");

    let refused = pc1.record(dose(&patient, &order, due), None, now).unwrap_err();
    assert!(
        refused.to_string().contains("sign in"),
        "nobody signed in: {refused}"
    );

    sign_in(&pc1, "Sam Jones", "4829", now);
    let entry = pc1.record(dose(&patient, &order, due), None, now).unwrap();
    assert_eq!(
        entry.recorded_by, "Sam Jones",
        "attributed to the person signed in"
    );
    assert_eq!(entry.pc, "WD7-PC1");
    let text = |pc: &Station| {
        pc.patient(&patient, now)
            .unwrap()
            .medicines
            .iter()
            .find(|m| m.order_id == order)
            .and_then(|m| m.last_administration_text.clone())
            .unwrap_or_default()
    };
    assert!(text(&pc1).ends_with("downtime entry"), "{}", text(&pc1));

    assert!(pc2.check_vault(now), "the other PC reads the ward folder");
    assert!(
        text(&pc2).ends_with("downtime entry"),
        "the dose reaches the other PC of the ward: {}",
        text(&pc2)
    );

    sign_in(&pc2, "Sam Jones", "4829", now);
    pc2.record(dose(&patient, &order, due + TimeDelta::minutes(3)), None, now)
        .unwrap();
    pc1.check_vault(now);
    for pc in [&pc1, &pc2] {
        let warnings = pc.status(now).warnings;
        assert!(
            warnings
                .iter()
                .any(|w| w.starts_with("POSSIBLE DOUBLE DOSE") && w.contains("WD7-PC1, WD7-PC2")),
            "the same due dose recorded on two PCs is flagged on both: {warnings:?}"
        );
    }

    drop(pc1);
    let restarted = ward.pc("WD7-PC1");
    assert!(
        restarted.data().entries().iter().any(|e| e.id == entry.id),
        "a saved entry survives a restart"
    );
}

#[test]
fn a_bed_manager_cannot_record_a_dose_and_a_locked_session_records_nothing() {
    let now = common::now();
    let ward = Ward::new(now);
    let (patient, order) = ward.first_regular();
    let pc = ward.pc("WD7-PC1");
    sign_in(&pc, "Pat Okafor", "7314", now);
    let err = pc.record(dose(&patient, &order, now), None, now).unwrap_err();
    assert!(err.to_string().contains("bed manager"), "{err}");
    assert!(pc.data().entries().is_empty(), "nothing was saved");

    pc.sessions().sign_out(now);
    sign_in(&pc, "Sam Jones", "4829", now);
    let later = now + TimeDelta::hours(1);
    let err = pc.record(dose(&patient, &order, later), None, later).unwrap_err();
    assert!(
        err.to_string().contains("idle"),
        "an expired session is refused: {err}"
    );
    assert!(pc.data().entries().is_empty());
}

#[test]
fn a_second_window_on_the_same_pc_does_not_take_the_journal() {
    let now = common::now();
    let ward = Ward::new(now);
    let (patient, order) = ward.first_regular();
    let window = ward.pc("WD7-PC1");
    window.claim_journal().unwrap(); // as Station::start does for a window
    let other = ward.pc("WD7-PC1");
    sign_in(&other, "Sam Jones", "4829", now);
    let err = other.record(dose(&patient, &order, now), None, now).unwrap_err();
    assert!(err.to_string().contains("holds its journal"), "{err}");
    sign_in(&window, "Sam Jones", "4829", now);
    assert!(
        window.record(dose(&patient, &order, now), None, now).is_ok(),
        "the first one records"
    );
}

#[test]
fn opening_a_station_to_read_writes_nothing_and_the_first_entry_makes_the_journal() {
    let now = common::now();
    let ward = Ward::new(now);
    let (patient, order) = ward.first_regular();
    drop(ward.pc("WD7-PC3")); // stages the snapshot and the roster
    let vault = ward.dir.path().join("WD7-PC3");
    let config = StationConfig {
        vault: Some(vault.clone()),
        identity: Some(ward.key.clone()),
        pc: "WD7-PC4".to_owned(),
        ..StationConfig::default()
    };
    let reader = Station::launch(&config, now).unwrap();
    let journal = vault.join("journal").join("WD7-PC4.lljournal");
    assert!(
        !journal.exists(),
        "a command that only reads (downtime status, print) leaves the vault as it was"
    );
    sign_in(&reader, "Sam Jones", "4829", now);
    reader.record(dose(&patient, &order, now), None, now).unwrap();
    assert!(journal.exists(), "the first entry makes this PC's journal");
    drop(reader);
    let again = Station::launch(&config, now).unwrap();
    assert_eq!(
        again.data().entries().len(),
        1,
        "and it is read back at the next start"
    );
}
