//! The reconciliation report: a plan with an entry of every outcome (needs a person, ready, filed,
//! already in the EPR, rejected, not filed by rule) printed, and read back from the PDF.

#![allow(clippy::unwrap_used)] // test code: a panic with its location is the clearest failure

mod common;

use chrono::TimeDelta;
use common::{NURSE, Ward};
use lamplight_model::reconcile::{Choice, EprState, Outcome, Plan};
use lamplight_model::{EntryKind, Role};
use lamplight_station::paper::reconciliation::{FILED, NOT_FILED, READY, REJECTED, STILL_OPEN};
use lamplight_station::reconcile::FiledAck;
use lamplight_station::session::{Actor, SignInRequest};

fn nurse() -> Actor {
    Actor {
        session_id: "test-nurse".into(),
        account_id: None,
        full_name: NURSE.0.into(),
        role: Role::Nurse,
        emergency_reason: None,
    }
}

/// The EPR as the snapshot had it, but `moved` in another bed.
fn epr_with_moved(ward: &Ward, moved: &str) -> EprState {
    let mut epr = EprState::as_of(&ward.site);
    for e in epr.encounters.iter_mut().filter(|e| e.patient_id == moved) {
        e.place.bed_id = Some("somewhere-else".into());
    }
    epr
}

#[test]
#[allow(clippy::too_many_lines, reason = "one ward's record, read top to bottom")]
fn the_report_lists_what_is_open_rejected_filed_and_not_filed_in_the_wards_words() {
    let now = common::now();
    let ward = Ward::new(now);
    let pc = ward.pc("WD7-PC1");
    pc.sign_in(
        &SignInRequest {
            name: NURSE.0.into(),
            pin: NURSE.1.into(),
        },
        now,
    )
    .unwrap();
    let (dosed, order, due) = ward.due_dose(now);
    let others: Vec<String> = ward
        .site
        .admissions
        .iter()
        .map(|a| a.patient_id.clone())
        .filter(|p| *p != dosed)
        .take(3)
        .collect();
    let (moved, ready_patient, corrected_patient) = (&others[0], &others[1], &others[2]);
    let note = |p: &str, text: &str| EntryKind::Note {
        patient_id: p.into(),
        text: text.into(),
    };
    let dose = EntryKind::DoseGiven {
        patient_id: dosed.clone(),
        order_id: order.clone(),
        given_at: due,
        dose: "as prescribed".into(),
        given_by: NURSE.0.into(),
        checked_by: None,
        due_at: None,
    };
    let kept = pc.record_as(&nurse(), dose.clone(), None, now).unwrap().id;
    let twice = pc.record_as(&nurse(), dose, None, now).unwrap().id;
    let open = pc
        .record_as(&nurse(), note(moved, "Settled overnight"), None, now)
        .unwrap()
        .id;
    pc.record_as(&nurse(), note(ready_patient, "Mobilising with frame"), None, now)
        .unwrap();
    let wrong = pc
        .record_as(&nurse(), note(corrected_patient, "Tolerating diet"), None, now)
        .unwrap()
        .id;
    let correction = pc
        .record_as(
            &nurse(),
            note(corrected_patient, "Tolerating soft diet only"),
            Some(&wrong),
            now,
        )
        .unwrap()
        .id;
    let epr = epr_with_moved(&ward, moved);

    // The same dose twice: the nurse keeps one and rejects the other.
    let conflicts = |id: &str| match pc
        .reconciliation_plan(&epr, false)
        .get(id)
        .map(|p| p.outcome.clone())
    {
        Some(Outcome::NeedsPerson { conflicts }) => conflicts,
        other => panic!("{id} needs a person: {other:?}"),
    };
    pc.decide(&kept, Choice::Accept, conflicts(&kept), now).unwrap();
    pc.decide(
        &twice,
        Choice::Reject {
            reason: "the same dose, recorded twice".into(),
        },
        conflicts(&twice),
        now,
    )
    .unwrap();
    // The EPR takes the kept dose, and already held the correction.
    let plan = pc.reconciliation_plan(&epr, false);
    let filing_id = |id: &str| plan.get(id).unwrap().filing_id.0.clone();
    for (id, resource, already_there) in [
        (&kept, "MedicationAdministration/1/_history/1", false),
        (&correction, "Communication/7/_history/1", true),
    ] {
        pc.record_filed(
            FiledAck {
                entry_id: id.clone(),
                filing_id: filing_id(id),
                resources: vec![resource.into()],
                already_there,
                at: now + TimeDelta::minutes(1),
            },
            "lamplight reconcile",
            now,
        )
        .unwrap();
    }

    // The report of the plan as it was before filing: acknowledged entries are reported as filed.
    let report = pc.reconciliation_report_document(&plan, epr.fetched_at, "Lee Chan", now);
    let sections: Vec<(&str, usize)> = report
        .sections
        .iter()
        .map(|s| (s.heading.as_str(), s.rows.len()))
        .collect();
    assert_eq!(
        sections,
        [
            (STILL_OPEN, 1),
            (READY, 1),
            (REJECTED, 1),
            (FILED, 2),
            (NOT_FILED, 1)
        ],
        "{report:#?}"
    );
    assert!(
        report.summary.starts_with(
            "6 entries: 1 filed, 1 already in the EPR, 1 need a person, 1 rejected, 1 not filed by rule, 1 ready but not filed yet; EPR read at"
        ),
        "{}",
        report.summary
    );

    assert!(
        matches!(plan.get(&open).unwrap().outcome, Outcome::NeedsPerson { .. }),
        "the moved patient's note is the one still open"
    );

    let pdf = pc.reconciliation_report(&plan, epr.fetched_at, "Lee Chan", now);
    assert!(pdf.pages >= 1);
    let text = common::pdf_text(&pdf.bytes);
    let moved_name = ward
        .site
        .patients
        .iter()
        .find(|p| p.id == *moved)
        .unwrap()
        .name
        .clinical();
    for expected in [
        "Reconciliation report: ",
        STILL_OPEN,
        READY,
        REJECTED,
        FILED,
        NOT_FILED,
        "Printed by Lee Chan",
        "page 1 of",
        // The conflict in words, on the patient the ward knows by name.
        "the EPR has the patient at",
        moved_name.as_str(),
        "Settled overnight",
        // Rejected: by whom and why.
        "Rejected by Sam Jones",
        "the same dose, recorded twice",
        // Filed: when, the EPR's ids, who decided; already there says so.
        "MedicationAdministration/1/_history/1",
        "filed by lamplight reconcile or the worklist",
        "Decided by Sam Jones",
        "accepted as recorded",
        "Already in the EPR",
        "Communication/7/_history/1",
        // Not filed by rule.
        "replaced by the correction",
    ] {
        assert!(text.contains(expected), "{expected:?} is on the report: {text}");
    }
    assert!(!text.contains("none"), "no section is empty: {text}");
    let heading_order: Vec<usize> = [STILL_OPEN, READY, REJECTED, "Filed Time", NOT_FILED]
        .iter()
        .map(|h| text.find(h).unwrap_or_else(|| panic!("{h:?} in {text}")))
        .collect();
    assert!(heading_order.is_sorted(), "sections in order: {heading_order:?}");
}

#[test]
fn an_empty_plan_prints_every_section_as_none() {
    let now = common::now();
    let ward = Ward::new(now);
    let pc = ward.pc("WD7-PC1");
    let plan = Plan {
        entries: Vec::new(),
        ignored_decisions: Vec::new(),
    };
    let pdf = pc.reconciliation_report(&plan, None, "Lee Chan", now);
    assert_eq!(pdf.pages, 1);
    let text = common::pdf_text(&pdf.bytes);
    assert!(text.contains("0 entries: 0 filed"), "{text}");
    assert!(
        !text.contains(READY),
        "no ready section unless something is ready: {text}"
    );
    for heading in [STILL_OPEN, REJECTED, FILED, NOT_FILED] {
        assert!(
            text.contains(&format!("{heading} Time Patient Entry Outcome, who, why none")),
            "{heading:?} says none: {text}"
        );
    }
}
