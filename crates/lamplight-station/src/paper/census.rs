//! The bed census: every bed of a ward, or of every ward of the site.

use chrono::{DateTime, Utc};
use lamplight_model::time;
use lamplight_model::{Admission, AlertKind, Ward};
use lamplight_print::{Census, CensusRow, CensusTotals, CensusWard, Stamp};

use super::PrintOptions;
use super::index::Index;
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
        let census_wards: Vec<CensusWard> = wards.iter().map(|w| census_ward(index, w, now)).collect();
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

pub(crate) fn census_ward(index: &Index<'_>, ward: &Ward, now: DateTime<Utc>) -> CensusWard {
    let site = index.site;
    let on_ward: Vec<&Admission> = site.admissions.iter().filter(|a| a.ward_id == ward.id).collect();
    let today = time::london_date(now);
    let patient_row = |a: &Admission, bay: &str, bed: &str| -> CensusRow {
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
    };
    let mut rows = Vec::new();
    let mut totals = CensusTotals::default();
    let mut placed = std::collections::HashSet::new();
    for (bay, bed) in ward.beds() {
        totals.beds += 1;
        let mut any = false;
        for a in on_ward
            .iter()
            .filter(|a| a.bed_id.as_deref() == Some(bed.id.as_str()))
        {
            placed.insert(a.id.as_str());
            any = true;
            let mut row = patient_row(a, &bay.name, &bed.label);
            if bed.status != lamplight_model::BedStatus::Open {
                bed.status.label().clone_into(&mut row.status);
            }
            rows.push(row);
        }
        if any {
            totals.occupied += 1;
        } else {
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
        }
    }
    for a in on_ward.iter().filter(|a| !placed.contains(a.id.as_str())) {
        totals.no_bed += 1;
        let mut row = patient_row(a, "No bed", "");
        "Awaiting bed".clone_into(&mut row.status);
        rows.push(row);
    }
    totals.isolation = rows.iter().filter(|r| !r.isolation.is_empty()).count();
    CensusWard {
        name: format!("{} - {}", ward.code, ward.name),
        rows,
        totals,
    }
}
