//! The bed census: every bed of a ward, or of every ward of the site.

use chrono::{DateTime, Utc};
use lamplight_model::time;
use lamplight_model::{Admission, AlertKind, Placement, Ward};
use lamplight_print::{Census, CensusRow, CensusTotals, CensusWard, Stamp};

use super::PrintOptions;
use super::index::Index;
use crate::wording::NO_BED_RECORDED;
use crate::{StationError, WardData};

impl WardData {
    pub(crate) fn census(
        &self,
        index: &Index<'_>,
        options: &PrintOptions,
        stamp: Stamp,
        now: DateTime<Utc>,
    ) -> Result<Census, StationError> {
        let site = self.site();
        let wards: Vec<&Ward> = match self.print_ward(options)? {
            Some(w) => vec![w],
            None => site.wards.iter().collect(),
        };
        let whole_site = wards.len() > 1;
        let mut census_wards: Vec<CensusWard> = wards.iter().map(|w| census_ward(index, w, now)).collect();
        // The site census also lists every inpatient whose ward is not known: never left off.
        if options.ward.is_none() {
            census_wards.extend(no_ward(index, now));
        }
        let site_totals = whole_site.then(|| {
            census_wards
                .iter()
                .fold(CensusTotals::default(), |acc, w| acc.plus(w.totals))
        });
        Ok(Census {
            stamp,
            title: if whole_site {
                "Site bed census".to_owned()
            } else {
                "Bed census".to_owned()
            },
            wards: census_wards,
            site_totals,
        })
    }
}

/// Infection alerts, which decide isolation: `MRSA positive: side room`.
pub(crate) fn isolation_of(index: &Index<'_>, patient_id: &str) -> String {
    index
        .alerts
        .get(patient_id)
        .map(|list| {
            list.iter()
                .filter(|a| a.kind == AlertKind::Infection)
                .map(|a| a.text.clone())
                .collect::<Vec<_>>()
                .join("; ")
        })
        .unwrap_or_default()
}

/// One patient's census line, at `bay` and `bed`.
fn patient_row(index: &Index<'_>, a: &Admission, bay: &str, bed: &str, now: DateTime<Utc>) -> CensusRow {
    let today = time::london_date(now);
    let mut row = CensusRow {
        bay: bay.to_owned(),
        bed: bed.to_owned(),
        ..CensusRow::default()
    };
    let Some(p) = index.patients.get(a.patient_id.as_str()) else {
        row.name = format!("UNKNOWN PATIENT (record {} missing)", a.patient_id);
        return row;
    };
    row.name = p.name.clinical();
    row.nhs_number = p
        .nhs_number
        .map_or_else(|| "not known".to_owned(), |n| n.to_string());
    row.hospital_number = p.hospital_number.clone().unwrap_or_default();
    row.age_dob = match p.birth_date {
        Some(d) => format!("{} y {}", time::age_years(d, today), time::date(d)),
        None => "DOB not known".to_owned(),
    };
    p.sex.label().clone_into(&mut row.sex);
    row.consultant_specialty = [a.consultant.clone(), a.specialty.clone()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" / ");
    row.admitted = time::date(time::london_date(a.admitted_at));
    row.length_of_stay = format!(
        "Day {}",
        (today - time::london_date(a.admitted_at)).num_days() + 1
    );
    row.expected_discharge = a.expected_discharge.map(time::date).unwrap_or_default();
    row.isolation = isolation_of(index, &p.id);
    row
}

/// A patient with no bed recorded: listed by that, not by a bay.
fn no_bed_row(index: &Index<'_>, a: &Admission, now: DateTime<Utc>) -> CensusRow {
    let mut row = patient_row(index, a, NO_BED_RECORDED, "", now);
    NO_BED_RECORDED.clone_into(&mut row.status);
    row
}

/// The inpatients whose ward is not known (no location, or one not in the data), as a part of the
/// site census of their own; `None` when every inpatient has a ward.
fn no_ward(index: &Index<'_>, now: DateTime<Utc>) -> Option<CensusWard> {
    let rows: Vec<CensusRow> = index
        .site
        .admissions
        .iter()
        .filter(|a| a.ward_id.is_none())
        .map(|a| no_bed_row(index, a, now))
        .collect();
    (!rows.is_empty()).then(|| CensusWard {
        name: "No ward recorded".to_owned(),
        totals: CensusTotals {
            no_bed: rows.len(),
            isolation: rows.iter().filter(|r| !r.isolation.is_empty()).count(),
            ..CensusTotals::default()
        },
        rows,
    })
}

pub(crate) fn census_ward(index: &Index<'_>, ward: &Ward, now: DateTime<Utc>) -> CensusWard {
    let mut rows = Vec::new();
    let mut totals = CensusTotals::default();
    for place in ward.places(&index.site.admissions) {
        let (bay, bed, admissions) = match place {
            Placement::Bed { bay, bed, admissions } => (bay, bed, admissions),
            Placement::NoBed(a) => {
                totals.no_bed += 1;
                rows.push(no_bed_row(index, a, now));
                continue;
            }
        };
        totals.beds += 1;
        for a in &admissions {
            let mut row = patient_row(index, a, &bay.name, &bed.label, now);
            if bed.status != lamplight_model::BedStatus::Open {
                bed.status.label().clone_into(&mut row.status);
            }
            rows.push(row);
        }
        if admissions.is_empty() {
            let open = bed.status == lamplight_model::BedStatus::Open;
            if open {
                totals.empty_open += 1;
            } else {
                totals.unavailable += 1;
            }
            rows.push(CensusRow {
                bay: bay.name.clone(),
                bed: bed.label.clone(),
                status: if open {
                    "Empty".to_owned()
                } else {
                    format!("Empty: {}", bed.status.label())
                },
                ..CensusRow::default()
            });
        } else {
            totals.occupied += 1;
        }
    }
    totals.isolation = rows.iter().filter(|r| !r.isolation.is_empty()).count();
    CensusWard {
        name: format!("{} - {}", ward.code, ward.name),
        rows,
        totals,
    }
}
