//! The downtime forms at the station's API, as the window calls them: each refusal the issue names
//! (wrong PIN, unknown user, an expired session, a bed manager recording a dose, a journal from
//! another ward's PC, a wristband of another patient) is clear and records nothing; what is recorded
//! shows on the drug chart form, the patient view and the other PC; the audit trail holds who
//! opened which record.

#![allow(clippy::unwrap_used)] // test code: a panic with its location is the clearest failure

mod common;

use chrono::{DateTime, TimeDelta, Utc};
use common::{BED_MANAGER, IT, NURSE, Ward};
use lamplight_model::{OrderStatus, Role, Site};
use lamplight_station::forms::{DoseState, EntryForm, ObservationsDraft, RecordRequest};
use lamplight_station::session::{
    EmergencySignIn, NewAccount, NewSecret, Pin, PinCost, Roster, SignInRequest,
};
use lamplight_station::{ErrorCode, Station, StationConfig, StationError};
use lamplight_vault::Vault;

fn sign_in(pc: &Station, (who, pin): (&str, &str), now: DateTime<Utc>) {
    pc.sign_in(
        &SignInRequest {
            name: who.into(),
            pin: pin.into(),
        },
        now,
    )
    .unwrap();
}

fn given((patient_id, order_id, due): &(String, String, DateTime<Utc>)) -> RecordRequest {
    request(EntryForm::DoseGiven {
        patient_id: patient_id.clone(),
        order_id: order_id.clone(),
        time: Some(lamplight_model::time::clock(*due)),
        dose: None,
        given_by: None,
        checked_by: None,
        due_at: Some(*due),
    })
}

fn request(entry: EntryForm) -> RecordRequest {
    RecordRequest {
        entry,
        corrects: None,
        scanned: None,
        confirmed_warnings: Vec::new(),
    }
}

fn code(e: &StationError) -> ErrorCode {
    e.to_api().code
}

fn nhs_digits(site: &Site, patient_id: &str) -> String {
    site.patients
        .iter()
        .find(|p| p.id == patient_id)
        .and_then(|p| p.nhs_number)
        .unwrap()
        .digits()
}

#[test]
fn a_wrong_pin_and_an_unknown_name_are_refused_alike_and_name_no_account() {
    let now = common::now();
    let ward = Ward::new(now);
    let pc = ward.pc("WD7-PC1");
    let wrong = pc
        .sign_in(
            &SignInRequest {
                name: NURSE.0.into(),
                pin: "0000".into(),
            },
            now,
        )
        .unwrap_err();
    let unknown = pc
        .sign_in(
            &SignInRequest {
                name: "Nobody Here".into(),
                pin: "4829".into(),
            },
            now,
        )
        .unwrap_err();
    assert_eq!(code(&wrong), ErrorCode::SignInRefused);
    assert_eq!(
        wrong.to_string(),
        unknown.to_string(),
        "a wrong PIN must not tell an onlooker the name exists"
    );
    assert!(wrong.to_string().contains("check both"), "{wrong}");
    assert!(pc.status(now).session.unwrap().signed_in.is_none());
    let refused = pc.record_form(&given(&ward.due_dose(now)), now).unwrap_err();
    assert_eq!(code(&refused), ErrorCode::NotSignedIn, "{refused}");
}

#[test]
fn an_expired_session_is_refused_and_signing_back_in_resumes_it() {
    let now = common::now();
    let ward = Ward::new(now);
    let pc = ward.pc("WD7-PC1");
    let dose = ward.due_dose(now);
    let patient = dose.0.clone();
    sign_in(&pc, NURSE, now);
    let session = pc.status(now).session.unwrap().signed_in.unwrap().session_id;
    let later = now + TimeDelta::minutes(11);
    let refused = pc.record_form(&given(&dose), later).unwrap_err();
    assert_eq!(code(&refused), ErrorCode::SessionLocked, "{refused}");
    assert!(refused.to_string().contains("sign in again"), "{refused}");
    let locked = pc.status(later).session.unwrap();
    assert!(locked.locked.unwrap().text.contains(NURSE.0));
    assert_eq!(
        code(&pc.open_record(&patient, later).unwrap_err()),
        ErrorCode::SessionLocked
    );
    sign_in(&pc, NURSE, later);
    assert_eq!(
        pc.status(later).session.unwrap().signed_in.unwrap().session_id,
        session,
        "the same person resumes the same session, so the window keeps its place"
    );
    pc.record_form(&given(&dose), later).unwrap();
}

#[test]
fn a_bed_manager_records_no_dose_but_moves_a_patient_and_it_sees_no_clinical_record() {
    let now = common::now();
    let ward = Ward::new(now);
    let pc = ward.pc("WD7-PC1");
    let dose = ward.due_dose(now);
    let patient = dose.0.clone();
    sign_in(&pc, BED_MANAGER, now);
    let refused = pc.record_form(&given(&dose), now).unwrap_err();
    assert_eq!(code(&refused), ErrorCode::NotPermitted, "{refused}");
    assert!(refused.to_string().contains("bed manager"), "{refused}");
    assert!(pc.data().entries().is_empty(), "nothing recorded by a refusal");
    // A bed manager may open the record and discharge.
    pc.open_record(&patient, now).unwrap();
    let out = pc
        .record_form(
            &request(EntryForm::Discharge {
                patient_id: patient.clone(),
                time: None,
                destination: Some("Home".into()),
            }),
            now,
        )
        .unwrap();
    assert!(out.saved_text.contains("discharged"), "{}", out.saved_text);

    sign_in(&pc, IT, now);
    let ward_id = ward.site.wards[0].id.clone();
    for e in [
        pc.open_record(&patient, now).unwrap_err(),
        pc.board(&ward_id, now).unwrap_err(),
        pc.drug_chart_form(&patient, now).unwrap_err(),
    ] {
        assert_eq!(
            code(&e),
            ErrorCode::NotPermitted,
            "IT sees no clinical record: {e}"
        );
    }
}

#[test]
fn a_wristband_of_another_patient_stops_the_entry_and_records_nothing() {
    let now = common::now();
    let ward = Ward::new(now);
    let pc = ward.pc("WD7-PC1");
    let dose = ward.due_dose(now);
    let patient = dose.0.clone();
    let other = ward
        .site
        .patients
        .iter()
        .find(|p| p.id != patient && p.nhs_number.is_some())
        .unwrap();
    sign_in(&pc, NURSE, now);
    let mismatch = pc
        .confirm_patient(&patient, &other.nhs_number.unwrap().digits(), now)
        .unwrap_err();
    assert_eq!(code(&mismatch), ErrorCode::WrongPatient);
    assert!(mismatch.to_string().starts_with("STOP"), "{mismatch}");
    let mut r = given(&dose);
    r.scanned = Some(other.nhs_number.unwrap().to_string());
    assert_eq!(
        code(&pc.record_form(&r, now).unwrap_err()),
        ErrorCode::WrongPatient
    );
    assert!(pc.data().entries().is_empty());
    // The right wristband, spaced or not, with a wristband's prefix, confirms.
    let digits = nhs_digits(&ward.site, &patient);
    pc.confirm_patient(&patient, &format!("NHS{digits}"), now)
        .unwrap();
    r.scanned = Some(digits);
    pc.record_form(&r, now).unwrap();
}

#[test]
fn a_journal_from_another_wards_pc_is_not_shown_and_is_said() {
    let now = common::now();
    let ward = Ward::new(now);
    let dose = ward.due_dose(now);
    let pc1 = ward.pc("WD7-PC1");
    // A PC of another ward, its share pointed at this ward's folder by mistake.
    let stray = ward.pc_of("WD8-PC1", "WD8");
    sign_in(&stray, NURSE, now);
    stray.record_form(&given(&dose), now).unwrap();
    pc1.check_vault(now);
    assert!(
        pc1.data().entries().is_empty(),
        "another ward's entries never join this ward's record"
    );
    let warnings = pc1.status(now).warnings;
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("WD8-PC1") && w.contains("not this PC's")),
        "{warnings:?}"
    );
}

#[test]
fn a_dose_given_on_the_form_fills_its_box_on_both_pcs_and_a_second_is_asked_about_first() {
    let now = common::now();
    let ward = Ward::new(now);
    let pc1 = ward.pc("WD7-PC1");
    let pc2 = ward.pc("WD7-PC2");
    sign_in(&pc1, NURSE, now);
    // A dose due now or overdue, with nothing recorded for it, of a medicine needing no checker.
    let mut found = None;
    for p in &ward.site.patients {
        for row in pc1.drug_chart_form(&p.id, now).unwrap().rows {
            if row.kind != "regular" || row.second_check.is_some() {
                continue;
            }
            for c in row.cells {
                if matches!(c.state, DoseState::DueNow | DoseState::Overdue) && c.due_at <= now {
                    found = Some((p.id.clone(), row.order_id.clone(), c));
                }
            }
        }
    }
    let (patient, order, cell) = found.expect("the demo ward has a dose due or overdue now");
    // Given now, for that box (late, if it is overdue): the box is filled however late.
    let r = request(EntryForm::DoseGiven {
        patient_id: patient.clone(),
        order_id: order.clone(),
        time: None,
        dose: None,
        given_by: None,
        checked_by: None,
        due_at: Some(cell.due_at),
    });
    let saved = pc1.record_form(&r, now).unwrap();
    assert!(saved.saved_text.starts_with("Saved"), "{}", saved.saved_text);
    assert!(saved.kept_in.contains("shared"), "{}", saved.kept_in);

    pc2.check_vault(now);
    sign_in(&pc2, NURSE, now);
    let box_on = |pc: &Station| {
        pc.drug_chart_form(&patient, now)
            .unwrap()
            .rows
            .into_iter()
            .find(|r| r.order_id == order)
            .unwrap()
            .cells
            .into_iter()
            .find(|c| c.due_at == cell.due_at)
            .unwrap()
    };
    for pc in [&pc1, &pc2] {
        let b = box_on(pc);
        assert_eq!(b.state, DoseState::Given);
        assert_eq!(b.mark, "SJ", "initials of who gave it");
        assert!(b.text.unwrap().contains("downtime entry"));
        assert_eq!(b.entry_id.as_deref(), Some(saved.entry_id.as_str()));
    }
    // The same dose again on the other PC: asked about, and only recorded once confirmed.
    let again = pc2.record_form(&r, now).unwrap_err();
    assert_eq!(code(&again), ErrorCode::NeedsConfirmation, "{again}");
    assert_eq!(again.to_api().warning.as_deref(), Some("already-given"));
    assert!(again.to_string().contains("second dose"), "{again}");
    let mut confirmed = r.clone();
    confirmed.confirmed_warnings = vec!["already-given".into()];
    pc2.record_form(&confirmed, now).unwrap();
    assert!(
        pc2.status(now)
            .warnings
            .iter()
            .any(|w| w.contains("POSSIBLE DOUBLE DOSE")),
        "a dose recorded twice is flagged on every screen"
    );
}

#[test]
fn a_controlled_drug_needs_a_second_checker_who_is_another_person() {
    let now = common::now();
    let ward = Ward::new(now);
    let pc = ward.pc("WD7-PC1");
    let Some(o) = ward.site.orders.iter().find(|o| {
        o.status == OrderStatus::Active && lamplight_model::medication::second_check_reason(o).is_some()
    }) else {
        panic!("the demo ward has insulin or a controlled drug");
    };
    sign_in(&pc, NURSE, now);
    let form = |checked_by: Option<&str>| {
        request(EntryForm::DoseGiven {
            patient_id: o.patient_id.clone(),
            order_id: o.id.clone(),
            time: None,
            dose: None,
            given_by: None,
            checked_by: checked_by.map(str::to_owned),
            due_at: None,
        })
    };
    let none = pc.record_form(&form(None), now).unwrap_err();
    assert_eq!(code(&none), ErrorCode::InvalidEntry);
    assert!(none.to_string().contains("second checker"), "{none}");
    let same = pc.record_form(&form(Some("sam jones")), now).unwrap_err();
    assert!(same.to_string().contains("another person"), "{same}");
    let mut ok = form(Some("Ruth Adeyemi"));
    ok.confirmed_warnings = vec![
        "already-given".into(),
        "prn-interval".into(),
        "prn-max-24h".into(),
    ];
    pc.record_form(&ok, now).unwrap();
}

#[test]
fn observations_are_scored_live_refused_when_implausible_and_shown_with_their_news2() {
    let now = common::now();
    let ward = Ward::new(now);
    let pc = ward.pc("WD7-PC1");
    let patient = ward.site.patients[0].id.clone();
    let mut draft = ObservationsDraft {
        patient_id: patient.clone(),
        respiration_rate: Some(24),
        spo2: Some(93),
        on_oxygen: Some(false),
        systolic_bp: Some(105),
        diastolic_bp: Some(70),
        pulse: Some(112),
        consciousness: Some(lamplight_model::Consciousness::Alert),
        temperature: Some("38.4".into()),
        ..ObservationsDraft::default()
    };
    let preview = pc.score_observations(&draft, now);
    // RR 24 → 2, SpO2 93 (scale 1) → 2, air 0, SBP 105 → 1, pulse 112 → 2, A 0, 38.4 → 1.
    if preview.spo2_scale == lamplight_model::Spo2Scale::Scale1 {
        assert_eq!(preview.total, 8, "{preview:?}");
        assert_eq!(preview.risk, lamplight_model::Risk::High);
    }
    assert!(preview.complete && preview.problems.is_empty());

    draft.temperature = Some("98.6".into());
    let p = pc.score_observations(&draft, now);
    assert!(p.problems[0].contains("Fahrenheit"), "{:?}", p.problems);
    sign_in(&pc, NURSE, now);
    let refused = pc
        .record_form(&request(EntryForm::Observations { draft: draft.clone() }), now)
        .unwrap_err();
    assert_eq!(code(&refused), ErrorCode::InvalidEntry);

    draft.temperature = Some("38.4".into());
    let saved = pc
        .record_form(&request(EntryForm::Observations { draft }), now)
        .unwrap();
    assert!(saved.saved_text.contains("NEWS2"), "{}", saved.saved_text);
    let view = pc.open_record(&patient, now).unwrap();
    assert_eq!(view.observations[0].taken_at, now, "newest first");
    assert!(view.downtime_entries.iter().any(|e| e.kind == "observations"
        && e.entry_id == saved.entry_id
        && e.recorded_text.contains("Sam Jones on WD7-PC1, downtime entry")));
}

#[test]
fn a_downtime_admission_takes_a_reserved_identifier_and_a_valid_nhs_number_or_none() {
    let now = common::now();
    let ward = Ward::new(now);
    let pc = ward.pc("WD7-PC1");
    sign_in(&pc, BED_MANAGER, now);
    let ward_id = ward.site.wards[0].id.clone();
    let admit = |nhs: Option<&str>| {
        request(EntryForm::Admission {
            family_name: "Testperson".into(),
            given_names: "Alex".into(),
            birth_date: "02/03/1961".into(),
            sex: lamplight_model::Sex::Female,
            nhs_number: nhs.map(str::to_owned),
            ward_id: ward_id.clone(),
            bed_id: None,
            reason: Some("Fall at home".into()),
            consultant: None,
        })
    };
    let bad = pc.record_form(&admit(Some("943 476 5910")), now).unwrap_err();
    assert_eq!(code(&bad), ErrorCode::InvalidEntry);
    assert!(bad.to_string().contains("check digit"), "{bad}");
    let first = pc.record_form(&admit(None), now).unwrap();
    let second = pc.record_form(&admit(None), now).unwrap();
    assert_eq!(first.patient_id.as_deref(), Some("DT-WD7-PC1-0001"));
    assert_eq!(second.patient_id.as_deref(), Some("DT-WD7-PC1-0002"));
    let board = pc.board(&ward_id, now).unwrap();
    let listed = board
        .rows
        .iter()
        .filter_map(|r| r.patient.as_ref())
        .filter(|p| p.patient_id.starts_with("DT-"))
        .count();
    assert_eq!(listed, 2, "a patient admitted with no bed yet is on the board");
    // The second admission withdrawn as entered in error: its identifier is never given again, so
    // what was recorded against it cannot attach to the next person admitted.
    let withdraw = RecordRequest {
        corrects: Some(second.entry_id.clone()),
        ..request(EntryForm::EnteredInError {
            reason: "admitted twice".into(),
        })
    };
    pc.record_form(&withdraw, now).unwrap();
    let third = pc.record_form(&admit(None), now).unwrap();
    assert_eq!(third.patient_id.as_deref(), Some("DT-WD7-PC1-0003"));
}

#[test]
fn opening_a_record_is_in_the_audit_trail_once_per_person_and_patient() {
    let now = common::now();
    let ward = Ward::new(now);
    let pc = ward.pc("WD7-PC1");
    let patient = ward.site.patients[0].id.clone();
    assert_eq!(
        code(&pc.open_record(&patient, now).unwrap_err()),
        ErrorCode::NotSignedIn,
        "nobody signed in opens no record"
    );
    sign_in(&pc, NURSE, now);
    for _ in 0..3 {
        pc.open_record(&patient, now).unwrap();
    }
    drop(pc);
    let vault = Vault::new(ward.dir.path().join("WD7-PC1"));
    let (journal, _) = lamplight_vault::Journal::open(vault.dir(), "WD7-PC1").unwrap();
    let texts: Vec<String> = journal
        .records(&ward.identity)
        .unwrap()
        .iter()
        .map(|r| String::from_utf8_lossy(&r.payload).into_owned())
        .collect();
    let opened = texts.iter().filter(|t| t.contains("\"record-opened\"")).count();
    assert_eq!(
        opened, 1,
        "the same record opened again is not audited again: {texts:?}"
    );
    assert!(texts.iter().any(|t| t.contains("\"signed-in\"")), "{texts:?}");
    assert!(texts.iter().any(|t| t.contains(&patient)));
}

#[test]
fn the_demo_ward_takes_an_emergency_sign_in_and_keeps_entries_in_memory() {
    let now = common::now();
    let pc = Station::demo(now);
    let session = pc.status(now).session.unwrap();
    assert!(session.emergency_allowed && !session.roster_available);
    pc.emergency_sign_in(
        &EmergencySignIn {
            full_name: "Alex Demo".into(),
            role: Role::Nurse,
            reason: "trying the demo".into(),
        },
        now,
    )
    .unwrap();
    let patient = pc.data().site().patients[0].id.clone();
    let out = pc
        .record_form(
            &request(EntryForm::Note {
                patient_id: patient.clone(),
                text: "Settled overnight".into(),
            }),
            now,
        )
        .unwrap();
    assert!(out.kept_in.contains("memory only"), "{}", out.kept_in);
    let view = pc.open_record(&patient, now).unwrap();
    assert_eq!(view.downtime_entries[0].text, "Settled overnight");
    let banner = pc.status(now).session.unwrap().signed_in.unwrap().banner;
    assert!(banner.is_some_and(|b| b.to_lowercase().contains("emergency")));
}

#[test]
fn a_roster_provisioned_while_the_window_is_open_is_taken_without_a_restart() {
    let now = common::now();
    let ward = Ward::new(now);
    let vault = Vault::new(ward.dir.path().join("WD7-PC9"));
    vault
        .stage(&ward.site, "test", &[ward.identity.recipient()], Utc::now())
        .unwrap();
    let config = StationConfig {
        vault: Some(vault.dir().to_owned()),
        identity: Some(ward.key.clone()),
        pc: "WD7-PC9".into(),
        ..StationConfig::default()
    };
    let pc = Station::launch(&config, now).unwrap();
    assert!(pc.status(now).session.unwrap().emergency_allowed, "no roster yet");
    let mut roster = Roster::new();
    roster
        .add(
            NewAccount {
                full_name: NURSE.0.into(),
                role: Role::Nurse,
                wards: vec!["WD7".into()],
                secret: NewSecret::Pin(Pin::new(NURSE.1)),
            },
            PinCost::FOR_TESTS,
            now,
        )
        .unwrap();
    roster.save(&vault, &[ward.identity.recipient()]).unwrap();
    assert!(
        pc.check_vault(now),
        "the new roster changes what the sign-in screen offers"
    );
    let session = pc.status(now).session.unwrap();
    assert!(session.roster_available && !session.emergency_allowed);
    sign_in(&pc, NURSE, now);
}

#[test]
fn paper_printed_during_downtime_shows_what_was_recorded_on_every_pc() {
    let now = common::now();
    let ward = Ward::new(now);
    let pc1 = ward.pc("WD7-PC1");
    let pc2 = ward.pc("WD7-PC2");
    let dose = ward.due_dose(now);
    let patient = dose.0.clone();
    sign_in(&pc1, NURSE, now);
    pc1.record_form(&given(&dose), now).unwrap();
    for entry in [
        EntryForm::Note {
            patient_id: patient.clone(),
            text: "Daughter phoned, will visit at 18:00".into(),
        },
        EntryForm::PhonedResult {
            patient_id: patient.clone(),
            test: "Potassium".into(),
            value: "5.9 mmol/L".into(),
            caller: "Biochemistry, ext 4410".into(),
            read_back: true,
        },
    ] {
        pc1.record_form(&request(entry), now).unwrap();
    }
    // Printed on the other PC of the ward, from the ward's record.
    pc2.check_vault(now);
    let options = lamplight_station::PrintOptions {
        patient: Some(patient.clone()),
        printed_by: "Sam Jones".into(),
        ..Default::default()
    };
    let chart = common::pdf_text(
        &pc2.print(lamplight_station::PrintDocument::DrugChart, &options, now)
            .unwrap(),
    );
    assert!(
        chart.contains("downtime entry"),
        "the drug chart shows the dose given in downtime"
    );
    assert!(chart.contains("by Sam Jones"), "{chart}");
    let handover = common::pdf_text(
        &pc2.print(lamplight_station::PrintDocument::Handover, &options, now)
            .unwrap(),
    );
    assert!(
        handover.contains("Daughter phoned, will visit at 18:00"),
        "{handover}"
    );
    assert!(handover.contains("Potassium 5.9 mmol/L"), "{handover}");
    assert!(handover.contains("read back and confirmed"), "{handover}");
}

#[test]
fn a_pc_that_has_recorded_nothing_reads_its_peers_and_writes_nothing() {
    let now = common::now();
    let ward = Ward::new(now);
    let pc1 = ward.pc("WD7-PC1");
    let reader = ward.pc("WD7-PC2");
    let journal_of = |pc: &str| {
        ward.dir
            .path()
            .join(pc)
            .join("journal")
            .join(format!("{pc}.lljournal"))
    };
    let share_of = |pc: &str| ward.dir.path().join("ward-folder").join("journals").join(pc);
    reader.check_vault(now);
    assert!(!journal_of("WD7-PC2").exists() && !share_of("WD7-PC2").exists());

    sign_in(&pc1, NURSE, now);
    let saved = pc1.record_form(&given(&ward.due_dose(now)), now).unwrap();
    assert!(
        reader.check_vault(now),
        "the peer's dose reaches a PC that has recorded nothing"
    );
    assert!(reader.data().entries().iter().any(|e| e.id == saved.entry_id));
    assert!(
        !journal_of("WD7-PC2").exists() && !share_of("WD7-PC2").exists(),
        "reading wrote nothing, in the vault or on the share"
    );
    // Its first entry makes its journal, and shares it.
    sign_in(&reader, NURSE, now);
    reader
        .record_form(
            &request(EntryForm::Note {
                patient_id: saved.patient_id.unwrap(),
                text: "Seen".into(),
            }),
            now,
        )
        .unwrap();
    assert!(journal_of("WD7-PC2").exists() && share_of("WD7-PC2").exists());
}

#[test]
fn a_dose_fills_the_box_it_was_given_for_however_late_and_a_box_not_yet_due_is_refused() {
    let now = common::now();
    let ward = Ward::new(now);
    let pc = ward.pc("WD7-PC1");
    sign_in(&pc, NURSE, now);
    let (patient, order, due) = ward.due_dose(now);
    let dose_for = |due_at, time: Option<&str>| {
        request(EntryForm::DoseGiven {
            patient_id: patient.clone(),
            order_id: order.clone(),
            time: time.map(str::to_owned),
            dose: None,
            given_by: None,
            checked_by: None,
            due_at: Some(due_at),
        })
    };
    // Three hours late: still that box's dose, and the box shows it.
    let late = now + TimeDelta::hours(3);
    sign_in(&pc, NURSE, late);
    pc.record_form(&dose_for(due, None), late).unwrap();
    let cell = pc
        .drug_chart_form(&patient, late)
        .unwrap()
        .rows
        .into_iter()
        .find(|r| r.order_id == order)
        .unwrap()
        .cells
        .into_iter()
        .find(|c| c.due_at == due)
        .unwrap();
    assert_eq!(cell.state, DoseState::Given, "the late dose fills its own box");
    // A second dose for the same box, whenever given, is asked about.
    let again = pc.record_form(&dose_for(due, None), late).unwrap_err();
    assert_eq!(code(&again), ErrorCode::NeedsConfirmation, "{again}");
    // The next box, hours ahead, is not due yet.
    let next = ward
        .site
        .orders
        .iter()
        .find(|o| o.id == order)
        .unwrap()
        .next_due(late + TimeDelta::hours(2))
        .unwrap();
    let early = pc.record_form(&dose_for(next, None), late).unwrap_err();
    assert_eq!(code(&early), ErrorCode::InvalidEntry);
    assert!(early.to_string().contains("not due yet"), "{early}");
    // A box that is not one of the order's due times is refused.
    let odd = pc
        .record_form(&dose_for(due + TimeDelta::minutes(7), None), late)
        .unwrap_err();
    assert!(odd.to_string().contains("is not due at"), "{odd}");
}

#[test]
fn a_bed_manager_withdraws_their_own_transfer_but_not_a_nurses_dose() {
    let now = common::now();
    let ward = Ward::new(now);
    let pc = ward.pc("WD7-PC1");
    let dose = ward.due_dose(now);
    sign_in(&pc, NURSE, now);
    let dose_id = pc.record_form(&given(&dose), now).unwrap().entry_id;
    sign_in(&pc, BED_MANAGER, now);
    let ward_id = ward.site.wards[0].id.clone();
    let moved = pc
        .record_form(
            &request(EntryForm::Transfer {
                patient_id: dose.0.clone(),
                ward_id,
                bed_id: None,
            }),
            now,
        )
        .unwrap()
        .entry_id;
    let withdraw = |id: &str| RecordRequest {
        corrects: Some(id.to_owned()),
        ..request(EntryForm::EnteredInError {
            reason: "wrong patient".into(),
        })
    };
    pc.record_form(&withdraw(&moved), now).unwrap();
    let refused = pc.record_form(&withdraw(&dose_id), now).unwrap_err();
    assert_eq!(code(&refused), ErrorCode::NotPermitted, "{refused}");
}

/// The journal's audit records of one PC, as text.
fn audit_trail(ward: &Ward, pc: &str) -> Vec<String> {
    let vault = Vault::new(ward.dir.path().join(pc));
    let (journal, _) = lamplight_vault::Journal::open(vault.dir(), pc).unwrap();
    journal
        .records(&ward.identity)
        .unwrap()
        .iter()
        .map(|r| String::from_utf8_lossy(&r.payload).into_owned())
        .filter(|t| t.contains("\"audit\""))
        .collect()
}

/// Issue 12: each role is refused, at the station's API, what it may not do, and each refusal is
/// in the audit trail (who, what was asked, why not); so is nobody signed in asking, and a change
/// of mode, signed in or not.
#[test]
#[allow(
    clippy::too_many_lines,
    reason = "one story: each role's refusals, then the trail read back"
)]
fn each_role_is_refused_what_it_may_not_do_and_each_refusal_is_audited() {
    let now = common::now();
    let ward = Ward::new(now);
    let pc = ward.pc("WD7-PC1");
    let (patient, order, due) = ward.due_dose(now);
    let ward_id = ward.site.wards[0].id.clone();
    let dose = request(EntryForm::DoseGiven {
        patient_id: patient.clone(),
        order_id: order.clone(),
        time: Some(lamplight_model::time::clock(due)),
        dose: None,
        given_by: None,
        checked_by: None,
        due_at: Some(due),
    });
    let note = request(EntryForm::Note {
        patient_id: patient.clone(),
        text: "settled".into(),
    });
    let transfer = request(EntryForm::Transfer {
        patient_id: patient.clone(),
        ward_id: ward_id.clone(),
        bed_id: None,
    });
    // Nobody signed in: no record opened, nothing recorded.
    assert_eq!(
        code(&pc.open_record(&patient, now).unwrap_err()),
        ErrorCode::NotSignedIn
    );
    assert_eq!(
        code(&pc.record_form(&note, now).unwrap_err()),
        ErrorCode::NotSignedIn
    );
    // A bed manager: no dose, no note; a transfer is theirs (checked, not refused for the role).
    sign_in(&pc, BED_MANAGER, now);
    for clinical in [&dose, &note] {
        assert_eq!(
            code(&pc.record_form(clinical, now).unwrap_err()),
            ErrorCode::NotPermitted
        );
    }
    assert_ne!(
        pc.record_form(&transfer, now).err().map(|e| code(&e)),
        Some(ErrorCode::NotPermitted)
    );
    // IT: no board, no record, no entry of any kind.
    sign_in(&pc, IT, now);
    assert_eq!(
        code(&pc.board(&ward_id, now).unwrap_err()),
        ErrorCode::NotPermitted
    );
    assert_eq!(
        code(&pc.open_record(&patient, now).unwrap_err()),
        ErrorCode::NotPermitted
    );
    for any in [&dose, &note, &transfer] {
        assert_eq!(
            code(&pc.record_form(any, now).unwrap_err()),
            ErrorCode::NotPermitted
        );
    }
    // A change of mode by a signed-in person is theirs, whatever name was typed.
    pc.change_mode(
        &lamplight_station::ModeRequest {
            action: lamplight_model::ModeAction::StartDrill,
            by: "Someone Else".into(),
            reason: "drill".into(),
        },
        now,
    )
    .unwrap();
    assert_eq!(pc.mode().by, "Lee Chan");
    pc.sign_out(now);
    pc.change_mode(
        &lamplight_station::ModeRequest {
            action: lamplight_model::ModeAction::EndDrill,
            by: "Dana Typed".into(),
            reason: String::new(),
        },
        now,
    )
    .unwrap();
    drop(pc);

    let trail = audit_trail(&ward, "WD7-PC1");
    let refusals = |event: &str, action: &str| {
        trail
            .iter()
            .filter(|t| {
                t.contains(&format!("\"event\":\"{event}\""))
                    && t.contains(&format!("\"detail\":\"{action}\""))
            })
            .count()
    };
    assert_eq!(refusals("refused-not-signed-in", "open-record"), 1, "{trail:#?}");
    assert_eq!(
        refusals("refused-not-signed-in", "record-clinical"),
        1,
        "{trail:#?}"
    );
    assert_eq!(
        refusals("refused-role-not-allowed", "record-clinical"),
        2 + 2,
        "{trail:#?}"
    );
    assert_eq!(
        refusals("refused-role-not-allowed", "view-board"),
        1,
        "{trail:#?}"
    );
    assert_eq!(
        refusals("refused-role-not-allowed", "open-record"),
        1,
        "{trail:#?}"
    );
    assert_eq!(
        refusals("refused-role-not-allowed", "record-bed-move"),
        1,
        "{trail:#?}"
    );
    assert_eq!(refusals("mode-changed", "start_drill"), 1, "{trail:#?}");
    assert_eq!(
        refusals("mode-changed-not-signed-in", "end_drill"),
        1,
        "{trail:#?}"
    );
}

/// A PC serving the whole site (two wards of the demo) whose roster has a nurse of the first ward
/// only: its folder, key, vault, the station and the site.
fn site_pc_with_a_nurse_of_one_ward(
    now: DateTime<Utc>,
) -> (tempfile::TempDir, lamplight_vault::Identity, Vault, Station, Site) {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("site.key");
    lamplight_vault::Identity::generate()
        .write_new(&key, None, 10, "test")
        .unwrap();
    let identity = lamplight_vault::Identity::load(&key, None).unwrap();
    let site = lamplight_demo::site(&lamplight_demo::DemoOptions {
        beds: 56,
        seed: 1,
        at: now - TimeDelta::minutes(10),
    });
    assert!(site.wards.len() >= 2, "the demo site has two wards");
    let own = &site.wards[0];
    let vault = Vault::new(dir.path().join("vault"));
    vault
        .stage(&site, "test", &[identity.recipient()], Utc::now())
        .unwrap();
    let mut roster = Roster::new();
    roster
        .add(
            NewAccount {
                full_name: NURSE.0.into(),
                role: Role::Nurse,
                wards: vec![own.code.clone()],
                secret: NewSecret::Pin(Pin::new(NURSE.1)),
            },
            PinCost::FOR_TESTS,
            Utc::now(),
        )
        .unwrap();
    roster.save(&vault, &[identity.recipient()]).unwrap();
    let pc = Station::launch(
        &StationConfig {
            vault: Some(vault.dir().to_owned()),
            identity: Some(key),
            pc: "SITE-PC1".into(),
            ..StationConfig::default()
        },
        Utc::now(),
    )
    .unwrap();
    (dir, identity, vault, pc, site)
}

#[test]
fn a_record_outside_the_persons_wards_opens_only_with_a_stated_reason_highlighted_in_the_audit() {
    let now = common::now();
    let (_dir, identity, vault, pc, site) = site_pc_with_a_nurse_of_one_ward(now);
    let (own, other) = (&site.wards[0], &site.wards[1]);
    let first_on = |ward: &lamplight_model::Ward| {
        pc.board(&ward.id, now)
            .unwrap()
            .rows
            .iter()
            .find_map(|r| r.patient.as_ref().map(|p| p.patient_id.clone()))
            .expect("a patient on the ward")
    };
    sign_in(&pc, NURSE, now);
    let mine = first_on(own);
    let theirs = first_on(other);

    // Her own ward: no reason asked, an ordinary audit line.
    pc.open_record(&mine, now).unwrap();
    // Another ward's patient: refused until she says why, and a reason must say something.
    let refused = pc.open_record(&theirs, now).unwrap_err();
    assert_eq!(code(&refused), ErrorCode::ReasonNeeded, "{refused}");
    assert!(
        refused.to_string().contains(&other.code) && refused.to_string().contains("break-glass"),
        "says whose ward and what this is: {refused}"
    );
    let short = pc
        .open_record_with_reason(&theirs, Some("moved"), now)
        .unwrap_err();
    assert_eq!(code(&short), ErrorCode::ReasonNeeded);
    let reason = "outreach call: patient moved from my ward at 13:30";
    let view = pc.open_record_with_reason(&theirs, Some(reason), now).unwrap();
    assert_eq!(view.identity.patient_id, theirs);
    // Following newer data in the same session does not ask again; a new session does.
    pc.open_record(&theirs, now + TimeDelta::minutes(1)).unwrap();
    pc.sign_out(now + TimeDelta::minutes(2));
    sign_in(&pc, NURSE, now + TimeDelta::minutes(3));
    assert_eq!(
        code(&pc.open_record(&theirs, now + TimeDelta::minutes(3)).unwrap_err()),
        ErrorCode::ReasonNeeded
    );

    let trail = lamplight_station::audit::read_trail(
        vault.dir(),
        None,
        &identity,
        &lamplight_station::audit::AuditQuery::default(),
        now + TimeDelta::minutes(4),
    )
    .unwrap();
    let glass: Vec<_> = trail
        .lines
        .iter()
        .filter(|l| l.event == lamplight_station::BREAK_GLASS_EVENT)
        .collect();
    assert_eq!(glass.len(), 1, "one break-glass opening: {:?}", trail.lines);
    assert_eq!(glass[0].patient_id.as_deref(), Some(theirs.as_str()));
    assert_eq!(
        glass[0].detail.as_deref(),
        Some(reason),
        "the reason is in the trail"
    );
    assert_eq!(glass[0].by, NURSE.0);
    assert!(glass[0].highlighted, "a reviewer is shown it first");
    let own_line = trail
        .lines
        .iter()
        .find(|l| l.event == "record-opened" && l.patient_id.as_deref() == Some(mine.as_str()))
        .expect("her own ward's record opening is audited too");
    assert!(!own_line.highlighted);
}

#[test]
fn save_as_pdf_writes_a_new_owner_only_file_each_time_and_every_save_is_audited_and_highlighted() {
    let now = common::now();
    let ward = Ward::new(now);
    drop(ward.pc("WD7-PC1")); // stages the vault and its roster
    let pdfs = ward.dir.path().join("pdfs");
    let pc = Station::launch(
        &StationConfig {
            vault: Some(ward.dir.path().join("WD7-PC1")),
            identity: Some(ward.key.clone()),
            pc: "WD7-PC1".into(),
            wards: vec!["WD7".into()],
            pdf_folder: Some(pdfs.clone()),
            ..StationConfig::default()
        },
        Utc::now(),
    )
    .unwrap();
    let census = lamplight_station::PrintOptions::default();
    // The census is for anyone on the ward: saved with nobody signed in, and audited as such.
    let first = pc
        .save_pdf(lamplight_station::PrintDocument::Census, &census, now)
        .unwrap();
    let second = pc
        .save_pdf(lamplight_station::PrintDocument::Census, &census, now)
        .unwrap();
    let (first, second) = (first.saved_to.unwrap(), second.saved_to.unwrap());
    assert_ne!(first, second, "never written over another");
    assert!(
        first.starts_with(&*pdfs.to_string_lossy())
            && std::path::Path::new(&first)
                .extension()
                .is_some_and(|e| e == "pdf"),
        "{first}"
    );
    let bytes = std::fs::read(&first).unwrap();
    assert!(bytes.starts_with(b"%PDF"), "a real PDF");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&first).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "owner-only: {mode:o}");
    }
    let text = common::pdf_text(&bytes);
    assert!(text.contains("DOWNTIME COPY"), "stamped with its data age");
    // A patient's drug chart needs someone who may open records: refused to nobody, saved for
    // a nurse, and the file name holds no patient's name or number.
    let (patient, _) = ward.first_regular();
    let chart = lamplight_station::PrintOptions {
        patient: Some(patient.clone()),
        ..lamplight_station::PrintOptions::default()
    };
    assert_eq!(
        code(
            &pc.save_pdf(lamplight_station::PrintDocument::DrugChart, &chart, now)
                .unwrap_err()
        ),
        ErrorCode::NotSignedIn
    );
    sign_in(&pc, NURSE, now);
    let saved = pc
        .save_pdf(lamplight_station::PrintDocument::DrugChart, &chart, now)
        .unwrap()
        .saved_to
        .unwrap();
    let name = std::path::Path::new(&saved)
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    assert!(name.starts_with("lamplight-drug-chart-patient-"), "{name}");
    assert!(!name.contains(&patient), "{name}");

    let trail = lamplight_station::audit::read_trail(
        &ward.dir.path().join("WD7-PC1"),
        None,
        &ward.identity,
        &lamplight_station::audit::AuditQuery::default(),
        now,
    )
    .unwrap();
    let exports: Vec<_> = trail
        .lines
        .iter()
        .filter(|l| l.event.starts_with("exported-pdf"))
        .collect();
    assert_eq!(exports.len(), 3, "every save is in the trail: {:?}", trail.lines);
    assert!(
        exports.iter().all(|l| l.highlighted),
        "each the one unencrypted copy: shown to reviewers"
    );
    assert_eq!(exports[0].event, "exported-pdf-not-signed-in");
    assert_eq!(exports[2].event, "exported-pdf");
    assert_eq!(exports[2].by, NURSE.0);
    assert_eq!(exports[2].patient_id.as_deref(), Some(patient.as_str()));
    assert!(exports[2].detail.as_deref().unwrap_or_default().contains(&name));
}

#[test]
fn save_as_pdf_into_a_folder_that_cannot_be_written_says_so_and_saves_nothing() {
    let now = common::now();
    let ward = Ward::new(now);
    drop(ward.pc("WD7-PC1"));
    let census = lamplight_station::PrintOptions::default();
    // A folder that cannot be written: said, and nothing saved.
    let blocked = ward.dir.path().join("blocked");
    std::fs::write(&blocked, b"a file where the folder should be").unwrap();
    let pc2 = Station::launch(
        &StationConfig {
            vault: Some(ward.dir.path().join("WD7-PC1")),
            identity: Some(ward.key.clone()),
            pc: "WD7-PC9".into(),
            pdf_folder: Some(blocked),
            ..StationConfig::default()
        },
        Utc::now(),
    )
    .unwrap();
    let err = pc2
        .save_pdf(lamplight_station::PrintDocument::Census, &census, now)
        .unwrap_err();
    assert_eq!(code(&err), ErrorCode::NotSaved, "{err}");
    assert!(err.to_string().contains("nothing was saved"), "{err}");
}

#[test]
fn a_print_goes_through_the_configured_print_command_as_a_file_and_is_audited() {
    let now = common::now();
    let ward = Ward::new(now);
    drop(ward.pc("WD7-PC1"));
    // `cp` stands in for the Windows route's PDF reader: it is handed the PDF's path.
    let printed = ward.dir.path().join("printed.pdf");
    let pc = Station::launch(
        &StationConfig {
            vault: Some(ward.dir.path().join("WD7-PC1")),
            identity: Some(ward.key.clone()),
            pc: "WD7-PC1".into(),
            wards: vec!["WD7".into()],
            print_command: Some(format!("cp {{file}} {}", printed.display())),
            ..StationConfig::default()
        },
        Utc::now(),
    )
    .unwrap();
    let census = lamplight_station::PrintOptions::default();
    let outcome = pc
        .print_to_printer(lamplight_station::PrintDocument::Census, &census, None, now)
        .unwrap();
    let bytes = std::fs::read(&printed).expect("the print command was handed the PDF");
    assert!(bytes.starts_with(b"%PDF") && outcome.pages >= 1);
    assert!(common::pdf_text(&bytes).contains("DOWNTIME COPY"));
    sign_in(&pc, NURSE, now);
    pc.print_to_printer(lamplight_station::PrintDocument::Census, &census, None, now)
        .unwrap();
    let trail = lamplight_station::audit::read_trail(
        &ward.dir.path().join("WD7-PC1"),
        None,
        &ward.identity,
        &lamplight_station::audit::AuditQuery::default(),
        now,
    )
    .unwrap();
    let prints: Vec<(&str, &str)> = trail
        .lines
        .iter()
        .filter(|l| l.event.starts_with("printed"))
        .map(|l| (l.event.as_str(), l.by.as_str()))
        .collect();
    assert_eq!(
        prints,
        [
            ("printed-not-signed-in", "nobody signed in"),
            ("printed", NURSE.0)
        ],
        "each print is in the audit trail, by whom"
    );
}
