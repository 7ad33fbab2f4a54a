//! Reconciliation at the station: the plan is computed from the ward's record (both PCs' entries),
//! a person's decision and the EPR's acknowledgements are kept in the journal, and every PC of the
//! ward plans the same from them (the EPR's state here is built by hand; filing to a real FHIR
//! server is `lamplight-fhir`'s and `lamplight reconcile`'s).

#![allow(clippy::unwrap_used)] // test code: a panic with its location is the clearest failure

mod common;

use chrono::{TimeDelta, Utc};
use common::{BED_MANAGER, NURSE, Ward};
use lamplight_model::reconcile::{Choice, Conflict, EprState, Outcome};
use lamplight_station::forms::{EntryForm, RecordRequest};
use lamplight_station::reconcile::FiledAck;
use lamplight_station::session::SignInRequest;
use lamplight_station::{ErrorCode, Station};

fn sign_in(pc: &Station, (who, pin): (&str, &str), now: chrono::DateTime<Utc>) {
    pc.sign_in(
        &SignInRequest {
            name: who.into(),
            pin: pin.into(),
        },
        now,
    )
    .unwrap();
}

/// The EPR as the snapshot had it: every order active, every patient where the snapshot put them.
fn epr_as_staged(ward: &Ward) -> EprState {
    EprState::as_of(&ward.site)
}

/// A dose given at its due time, the "second dose?" warning confirmed (as a nurse would on the
/// second PC).
fn dose_given(patient: &str, order: &str, due: chrono::DateTime<Utc>) -> RecordRequest {
    RecordRequest {
        entry: EntryForm::DoseGiven {
            patient_id: patient.into(),
            order_id: order.into(),
            time: Some(lamplight_model::time::clock(due)),
            dose: None,
            given_by: None,
            checked_by: None,
            due_at: None,
        },
        corrects: None,
        scanned: None,
        confirmed_warnings: vec!["already-given".into()],
    }
}

fn outcome_on(pc: &Station, epr: &EprState, entry_id: &str) -> Outcome {
    pc.reconciliation_plan(epr, false)
        .entries
        .into_iter()
        .find(|p| p.entry_id == entry_id)
        .unwrap()
        .outcome
}

#[test]
fn a_dose_recorded_on_two_pcs_waits_for_a_person_whose_decision_and_the_filing_every_pc_sees() {
    let now = common::now();
    let ward = Ward::new(now);
    let pc1 = ward.pc("WD7-PC1");
    let pc2 = ward.pc("WD7-PC2");
    let (patient, order, due) = ward.due_dose(now);
    let dose = dose_given(&patient, &order, due);
    sign_in(&pc1, NURSE, now);
    sign_in(&pc2, NURSE, now);
    let first = pc1.record_form(&dose, now).unwrap().entry_id;
    pc2.check_vault(now);
    let second = pc2.record_form(&dose, now).unwrap().entry_id;
    pc1.check_vault(now);
    let epr = epr_as_staged(&ward);

    for pc in [&pc1, &pc2] {
        let plan = pc.reconciliation_plan(&epr, false);
        for id in [&first, &second] {
            let p = plan.entries.iter().find(|p| &p.entry_id == id).unwrap();
            let Outcome::NeedsPerson { conflicts } = &p.outcome else {
                panic!("the same dose twice waits for a person: {:?}", p.outcome);
            };
            assert!(
                conflicts
                    .iter()
                    .any(|c| matches!(c, Conflict::SameDoseTwice { .. }))
            );
        }
    }
    // A bed manager may not decide about a dose; the nurse may.
    sign_in(&pc1, BED_MANAGER, now);
    let refused = pc1.decide(&first, Choice::Accept, Vec::new(), now).unwrap_err();
    assert_eq!(refused.to_api().code, ErrorCode::NotPermitted);
    sign_in(&pc1, NURSE, now);
    let conflicts = |pc: &Station, id: &str| match outcome_on(pc, &epr, id) {
        Outcome::NeedsPerson { conflicts } => conflicts,
        _ => Vec::new(),
    };
    let seen = conflicts(&pc1, &first);
    pc1.decide(&first, Choice::Accept, seen.clone(), now).unwrap();
    pc1.decide(
        &second,
        Choice::Reject {
            reason: "the same dose, recorded twice".into(),
        },
        conflicts(&pc1, &second),
        now,
    )
    .unwrap();

    pc2.check_vault(now + TimeDelta::seconds(1));
    let plan2 = pc2.reconciliation_plan(&epr, false);
    let outcome = |id: &str| {
        plan2
            .entries
            .iter()
            .find(|p| p.entry_id == id)
            .unwrap()
            .outcome
            .clone()
    };
    assert!(
        matches!(outcome(&first), Outcome::Ready { .. }),
        "{:?}",
        outcome(&first)
    );
    assert!(
        matches!(outcome(&second), Outcome::Rejected { .. }),
        "{:?}",
        outcome(&second)
    );
    assert_eq!(pc2.decisions().len(), 2, "the other PC holds both decisions");

    // The EPR acknowledges the first: every PC now plans it as filed, never again.
    let filing_id = plan2
        .entries
        .iter()
        .find(|p| p.entry_id == first)
        .unwrap()
        .filing_id
        .0
        .clone();
    pc2.record_filed(
        FiledAck {
            entry_id: first.clone(),
            filing_id,
            resources: vec!["MedicationAdministration/1/_history/1".into()],
            already_there: false,
            at: now,
        },
        "lamplight reconcile (IT)",
        now,
    )
    .unwrap();
    pc1.check_vault(now + TimeDelta::seconds(2));
    for pc in [&pc1, &pc2] {
        assert_eq!(outcome_on(pc, &epr, &first), Outcome::AlreadyFiled);
    }
    // And a restart reads it all back from the journal.
    drop(pc2);
    let pc2 = ward.pc("WD7-PC2");
    assert_eq!(pc2.filed().len(), 1, "its own acknowledgement, from its journal");
    pc2.check_vault(now);
    assert_eq!(pc2.decisions().len(), 2);
}

#[test]
fn the_pc_returns_to_normal_only_once_every_entry_is_filed_or_decided() {
    use lamplight_model::ModeAction::{DeclareDowntime, ReturnToNormal, StartRecovery};
    let now = common::now();
    let ward = Ward::new(now);
    let pc = ward.pc("WD7-PC1");
    let mode = |action| lamplight_station::ModeRequest {
        action,
        by: "Sam Jones".into(),
        reason: "test".into(),
    };
    pc.change_mode(&mode(DeclareDowntime), now).unwrap();
    sign_in(&pc, NURSE, now);
    let (patient, order, due) = ward.due_dose(now);
    let entry = pc
        .record_form(&dose_given(&patient, &order, due), now)
        .unwrap()
        .entry_id;
    pc.change_mode(&mode(StartRecovery), now).unwrap();
    let refused = pc.change_mode(&mode(ReturnToNormal), now).unwrap_err();
    assert!(
        refused
            .to_string()
            .contains("1 downtime entries are not yet filed"),
        "{refused}"
    );
    assert_eq!(pc.unreconciled(), 1);
    pc.decide(
        &entry,
        Choice::Reject {
            reason: "recorded on paper and entered in the EPR by hand".into(),
        },
        Vec::new(),
        now,
    )
    .unwrap();
    assert_eq!(pc.unreconciled(), 0, "a decided entry is reconciled");
    pc.change_mode(&mode(ReturnToNormal), now).unwrap();
}

#[test]
fn an_entry_corrected_in_the_worklist_is_checked_as_a_form_and_filed_as_edited_even_after_an_accept() {
    use lamplight_station::reconcile::EditRequest;
    let now = common::now();
    let ward = Ward::new(now);
    let pc = ward.pc("WD7-PC1");
    sign_in(&pc, NURSE, now);
    let (patient, order, due) = ward.due_dose(now);
    let entry = pc
        .record_form(&dose_given(&patient, &order, due), now)
        .unwrap()
        .entry_id;
    let epr = epr_as_staged(&ward);
    let later = now + TimeDelta::hours(3);
    sign_in(&pc, NURSE, later);
    let view = pc.worklist_view(&pc.reconciliation_plan(&epr, false), None, later);
    let row = view
        .patients
        .iter()
        .flat_map(|p| &p.entries)
        .find(|e| e.entry_id == entry)
        .unwrap();
    assert!(row.was_text.is_none());
    let Some(EntryForm::DoseGiven { time, dose, .. }) = row.form.clone() else {
        panic!("a dose comes back as its form: {:?}", row.form);
    };
    assert_eq!(
        lamplight_model::time::parse_input(time.as_deref().unwrap()).unwrap(),
        due,
        "the form's time reads back as the time given"
    );
    let form = |time: &str| EntryForm::DoseGiven {
        patient_id: patient.clone(),
        order_id: order.clone(),
        time: Some(time.into()),
        dose: dose.clone(),
        given_by: Some("Sam Jones".into()),
        checked_by: None,
        due_at: Some(due),
    };
    let edit = |form: EntryForm| EditRequest {
        entry_id: entry.clone(),
        form,
        seen: Vec::new(),
        confirmed_warnings: Vec::new(),
    };
    // The same checks as a new entry: a time in the future is refused, nothing is decided.
    let future = lamplight_model::time::london(later + TimeDelta::hours(2))
        .format("%Y-%m-%d %H:%M")
        .to_string();
    let refused = pc.edit(&edit(form(&future)), later).unwrap_err();
    assert_eq!(refused.to_api().code, ErrorCode::InvalidEntry, "{refused}");
    assert!(pc.decisions().is_empty());
    // Another kind of entry is not an edit.
    let note = EntryForm::Note {
        patient_id: patient.clone(),
        text: "given".into(),
    };
    assert_eq!(
        pc.edit(&edit(note), later).unwrap_err().to_api().code,
        ErrorCode::InvalidEntry
    );
    // Ten minutes later than keyed: its own dose is not "already given".
    let corrected_at = due + TimeDelta::minutes(10);
    let typed = lamplight_model::time::london(corrected_at)
        .format("%Y-%m-%d %H:%M")
        .to_string();
    pc.edit(&edit(form(&typed)), later).unwrap();
    let given_at = |pc: &Station| match outcome_on(pc, &epr, &entry) {
        Outcome::Ready { entry, .. } => match entry.kind {
            lamplight_model::EntryKind::DoseGiven { given_at, .. } => given_at,
            other => panic!("{other:?}"),
        },
        other => panic!("ready once edited: {other:?}"),
    };
    assert_eq!(given_at(&pc), corrected_at);
    let view = pc.worklist_view(&pc.reconciliation_plan(&epr, false), None, later);
    let row = view
        .patients
        .iter()
        .flat_map(|p| &p.entries)
        .find(|e| e.entry_id == entry)
        .unwrap();
    assert!(
        row.was_text.is_some(),
        "the entry as recorded is shown beside the edit"
    );
    assert_ne!(row.was_text.as_deref(), Some(row.text.as_str()));
    // A later plain accept keeps the correction instead of filing the dose as first keyed.
    pc.decide(&entry, Choice::Accept, Vec::new(), later + TimeDelta::minutes(1))
        .unwrap();
    assert_eq!(given_at(&pc), corrected_at);
    // A bed manager may not correct a dose.
    sign_in(&pc, BED_MANAGER, later);
    assert_eq!(
        pc.edit(&edit(form(&typed)), later).unwrap_err().to_api().code,
        ErrorCode::NotPermitted
    );
}
