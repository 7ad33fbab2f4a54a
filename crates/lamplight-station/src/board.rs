//! The ward list and the ward board: every bed at a glance, then every patient without one.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use lamplight_model::clinical::allergy_status;
use lamplight_model::{Patient, Placement, Site, Ward};

use crate::chart::{Chart, DUE_AHEAD, age_years, news2_summary};
use crate::status::{import_notice, status};
use crate::view::{BoardPatient, BoardRow, WardBoard, WardList, WardSummary};
use crate::wording::NO_BED_RECORDED;
use crate::{StationError, WardData};

/// The id of the board of inpatients whose ward is not known (no location, or one not in the data):
/// listed after the wards so that nobody in the snapshot is on no board.
pub const NO_WARD_ID: &str = "no-ward-recorded";

/// The row of an admission whose patient record is missing from the data.
fn missing(patient_id: &str) -> BoardPatient {
    BoardPatient {
        patient_id: patient_id.to_owned(),
        name: format!("UNKNOWN PATIENT (record {patient_id} missing from the data: check the EPR or paper)"),
        nhs_number: None,
        age_years: None,
        sex: lamplight_model::Sex::Unknown,
        allergy_status: lamplight_model::AllergyStatus::NotRecorded,
        allergies: Vec::new(),
        alerts: Vec::new(),
        news2: None,
        due_medicines: Vec::new(),
        pending_tests: Vec::new(),
        consultant: None,
    }
}

/// The "No ward recorded" board's summary, when any inpatient has no ward.
fn no_ward_summary(site: &Site) -> Option<WardSummary> {
    let n = site.admissions.iter().filter(|a| a.ward_id.is_none()).count();
    (n > 0).then(|| WardSummary {
        id: NO_WARD_ID.to_owned(),
        code: "NO WARD".to_owned(),
        name: "No ward recorded".to_owned(),
        beds: 0,
        occupied: 0,
        unallocated: n,
    })
}

fn ward_summary(site: &Site, ward: &Ward) -> WardSummary {
    let places = ward.places(&site.admissions);
    let occupied = places
        .iter()
        .filter(|p| matches!(p, Placement::Bed { admissions, .. } if !admissions.is_empty()))
        .count();
    WardSummary {
        id: ward.id.clone(),
        code: ward.code.clone(),
        name: ward.name.clone(),
        beds: ward.bed_count(),
        occupied,
        unallocated: places.iter().filter(|p| matches!(p, Placement::NoBed(_))).count(),
    }
}

pub(crate) fn wards(station: &WardData, now: DateTime<Utc>) -> WardList {
    WardList {
        status: status(station, now),
        wards: station
            .site
            .wards
            .iter()
            .map(|w| ward_summary(&station.site, w))
            .chain(no_ward_summary(&station.site))
            .collect(),
    }
}

pub(crate) fn board(
    station: &WardData,
    ward_id: &str,
    now: DateTime<Utc>,
) -> Result<WardBoard, StationError> {
    let site = &station.site;
    let not_found = || StationError::NotFound {
        what: "ward",
        id: ward_id.to_owned(),
    };
    let (ward, summary, places) = if ward_id == NO_WARD_ID {
        let places: Vec<Placement<'_>> = site
            .admissions
            .iter()
            .filter(|a| a.ward_id.is_none())
            .map(Placement::NoBed)
            .collect();
        (None, no_ward_summary(site).ok_or_else(not_found)?, places)
    } else {
        let ward = site
            .wards
            .iter()
            .find(|w| w.id == ward_id || w.code == ward_id)
            .ok_or_else(not_found)?;
        (
            Some(ward),
            ward_summary(site, ward),
            ward.places(&site.admissions),
        )
    };
    let on_this_board = |a: &lamplight_model::Admission| match ward {
        Some(w) => a.is_on(&w.id),
        None => a.ward_id.is_none(),
    };
    let patients: HashMap<&str, &Patient> = site.patients.iter().map(|p| (p.id.as_str(), p)).collect();

    let board_patient = |patient_id: &str| -> Option<BoardPatient> {
        let patient = patients.get(patient_id)?;
        let chart = Chart::of(site, patient);
        Some(BoardPatient {
            patient_id: patient.id.clone(),
            name: patient.name.clinical(),
            nhs_number: patient.nhs_number.map(|n| n.to_string()),
            age_years: age_years(patient, now),
            sex: patient.sex,
            allergy_status: allergy_status(chart.allergies.iter().copied()),
            allergies: chart
                .current_allergies()
                .iter()
                .map(|a| a.substance.text.clone())
                .collect(),
            alerts: chart.alert_badges(),
            news2: chart.observations.first().map(|o| news2_summary(o, now)),
            due_medicines: chart.due_medicines(now),
            pending_tests: chart.pending_tests(),
            consultant: site
                .admissions
                .iter()
                .find(|a| a.patient_id == patient.id && on_this_board(a))
                .and_then(|a| a.consultant.clone()),
        })
    };
    // An admission whose patient is missing from the data still gets a row, saying so: never drop one.
    let row_patient = |patient_id: &str| board_patient(patient_id).unwrap_or_else(|| missing(patient_id));

    let mut rows = Vec::with_capacity(places.len());
    for place in &places {
        match place {
            Placement::Bed { bay, bed, admissions } => {
                let row = |patient| BoardRow {
                    bed_id: Some(bed.id.clone()),
                    bed_label: bed.label.clone(),
                    bay_name: Some(bay.name.clone()),
                    bed_status: Some(bed.status),
                    patient,
                };
                if admissions.is_empty() {
                    rows.push(row(None));
                }
                // Two admissions in one bed is a data error: show both rows rather than hide one.
                rows.extend(admissions.iter().map(|a| row(Some(row_patient(&a.patient_id)))));
            }
            Placement::NoBed(a) => rows.push(BoardRow {
                bed_id: None,
                bed_label: NO_BED_RECORDED.to_owned(),
                bay_name: None,
                bed_status: None,
                patient: Some(row_patient(&a.patient_id)),
            }),
        }
    }

    Ok(WardBoard {
        status: status(station, now),
        import_notice: import_notice(station, Some(ward.map_or(NO_WARD_ID, |w| w.id.as_str()))),
        ward: summary,
        due_window_minutes: DUE_AHEAD.num_minutes(),
        rows,
    })
}
