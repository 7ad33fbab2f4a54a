//! A site indexed by patient, so a pack of charts (or a site census) reads each list once.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use lamplight_model::clinical::{allergy_status, current_allergies};
use lamplight_model::time;
use lamplight_model::{
    AdministrationOutcome, Admission, AllergyStatus, Criticality, MedicationOrder, ObservationSet, Patient,
    Site, Ward,
};
use lamplight_print::{AllergyBox, Cell, PatientBanner};

use super::initials;
use crate::wording::NO_BED_RECORDED;

/// A patient's records, gathered once.
pub(crate) struct Records<'a> {
    pub(crate) patient: &'a Patient,
    pub(crate) admission: Option<&'a Admission>,
    pub(crate) ward: Option<&'a Ward>,
    pub(crate) orders: Vec<&'a MedicationOrder>,
    pub(crate) administrations: Vec<&'a lamplight_model::Administration>,
    pub(crate) observations: Vec<&'a ObservationSet>,
}

/// Site indexes by patient, so a pack of 28 charts (or a site census) reads each list once.
pub(crate) struct Index<'a> {
    pub(crate) site: &'a Site,
    pub(crate) patients: HashMap<&'a str, &'a Patient>,
    pub(crate) admissions: HashMap<&'a str, &'a Admission>,
    pub(crate) orders: HashMap<&'a str, Vec<&'a MedicationOrder>>,
    pub(crate) administrations: HashMap<&'a str, Vec<&'a lamplight_model::Administration>>,
    pub(crate) observations: HashMap<&'a str, Vec<&'a ObservationSet>>,
    pub(crate) allergies: HashMap<&'a str, Vec<&'a lamplight_model::Allergy>>,
    pub(crate) alerts: HashMap<&'a str, Vec<&'a lamplight_model::Alert>>,
}

pub(crate) fn group<'a, T>(items: &'a [T], key: impl Fn(&'a T) -> &'a str) -> HashMap<&'a str, Vec<&'a T>> {
    let mut map: HashMap<&str, Vec<&T>> = HashMap::new();
    for i in items {
        map.entry(key(i)).or_default().push(i);
    }
    map
}

impl<'a> Index<'a> {
    pub(crate) fn new(site: &'a Site) -> Self {
        let mut administrations = group(&site.administrations, |a| a.patient_id.as_str());
        for list in administrations.values_mut() {
            list.sort_by_key(|a| a.at);
        }
        let mut observations = group(&site.observations, |o| o.patient_id.as_str());
        for list in observations.values_mut() {
            list.sort_by_key(|o| o.taken_at);
        }
        Self {
            site,
            patients: site.patients.iter().map(|p| (p.id.as_str(), p)).collect(),
            admissions: site
                .admissions
                .iter()
                .map(|a| (a.patient_id.as_str(), a))
                .collect(),
            orders: group(&site.orders, |o| o.patient_id.as_str()),
            administrations,
            observations,
            allergies: group(&site.allergies, |a| a.patient_id.as_str()),
            alerts: group(&site.alerts, |a| a.patient_id.as_str()),
        }
    }

    pub(crate) fn records(&self, patient: &'a Patient) -> Records<'a> {
        let id = patient.id.as_str();
        let admission = self.admissions.get(id).copied();
        Records {
            patient,
            admission,
            ward: admission
                .and_then(|a| a.ward_id.as_deref())
                .and_then(|id| self.site.wards.iter().find(|w| w.id == id)),
            orders: self.orders.get(id).cloned().unwrap_or_default(),
            administrations: self.administrations.get(id).cloned().unwrap_or_default(),
            observations: self.observations.get(id).cloned().unwrap_or_default(),
        }
    }

    pub(crate) fn allergy_box(&self, patient_id: &str) -> AllergyBox {
        let records = self.allergies.get(patient_id).cloned().unwrap_or_default();
        match allergy_status(records.iter().copied()) {
            AllergyStatus::NotRecorded => AllergyBox {
                heading: "ALLERGIES NOT RECORDED - ask the patient before giving any medicine".to_owned(),
                entries: Vec::new(),
                warn: true,
            },
            AllergyStatus::NoneKnown => AllergyBox {
                heading: "NO KNOWN ALLERGIES".to_owned(),
                entries: Vec::new(),
                warn: false,
            },
            AllergyStatus::Known => {
                let current = current_allergies(records.iter().copied());
                AllergyBox {
                    heading: "ALLERGIES:".to_owned(),
                    entries: current
                        .iter()
                        .map(|a| {
                            let mut t = a.substance.text.clone();
                            if a.criticality == Some(Criticality::High) {
                                t.push_str(" (HIGH criticality)");
                            }
                            if !a.reactions.is_empty() {
                                t = format!("{t}: {}", a.reactions.join(", "));
                            }
                            t
                        })
                        .collect(),
                    warn: true,
                }
            }
        }
    }

    pub(crate) fn allergy_line(&self, patient_id: &str) -> String {
        let b = self.allergy_box(patient_id);
        if b.entries.is_empty() {
            b.heading
        } else {
            format!("ALLERGIES: {}", b.entries.join("; "))
        }
    }

    pub(crate) fn banner(&self, r: &Records<'_>, now: DateTime<Utc>) -> PatientBanner {
        let p = r.patient;
        let age = p.birth_date.map(|d| time::age_years(d, time::london_date(now)));
        let age_sex = match age {
            Some(a) => format!("{a} y, {}", p.sex.label()),
            None => p.sex.label().to_owned(),
        };
        PatientBanner {
            name: p.name.clinical(),
            nhs_number: p.nhs_number.map(|n| n.to_string()),
            birth_date: p.birth_date.map(time::date),
            age_sex,
            hospital_number: p.hospital_number.clone(),
            ward: r
                .ward
                .map_or_else(|| "Ward not known".to_owned(), |w| w.name.clone()),
            location: location(r),
            allergies: self.allergy_box(&p.id),
        }
    }
}

pub(crate) fn location(r: &Records<'_>) -> String {
    let bed = r.admission.and_then(|a| a.bed_id.as_deref()).and_then(|id| {
        r.ward
            .and_then(|w| w.beds().find(|(_, b)| b.id == id))
            .map(|(bay, bed)| format!("{}, bed {}", bay.name, bed.label))
    });
    bed.unwrap_or_else(|| NO_BED_RECORDED.to_lowercase())
}

/// A dose due at `at` is marked by the administration that covers it ([`MedicationOrder::covering`]).
pub(crate) fn cell_for(r: &Records<'_>, order: &MedicationOrder, at: DateTime<Utc>) -> Cell {
    match order.covering(at, r.administrations.iter().copied()) {
        None => Cell::Due,
        Some(a) => match &a.outcome {
            AdministrationOutcome::Given { .. } => {
                let mark = a.performer.as_deref().map(initials).filter(|i| !i.is_empty());
                Cell::Given(mark.unwrap_or_else(|| "✓".to_owned()))
            }
            AdministrationOutcome::NotGiven { reason } => Cell::Omitted(reason.code()),
        },
    }
}
