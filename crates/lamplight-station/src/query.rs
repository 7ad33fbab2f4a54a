//! Turning a site into what screens show. Pure functions of (site, now).

use std::collections::HashMap;

use chrono::{DateTime, TimeDelta, Utc};
use lamplight_model::clinical::allergy_status;
use lamplight_model::time;
use lamplight_model::{
    Administration, AdministrationOutcome, Alert, Allergy, Criticality, MedicationOrder, News2,
    ObservationSet, OrderStatus, Oxygen, Patient, PendingTest, Schedule, Site, Verification, Ward,
};

use crate::view::{
    AdmissionLine, AlertBadge, AllergyLine, BoardPatient, BoardRow, DataStatus, DueMedicine, Identity,
    Location, MedicineLine, News2Summary, ObservationLine, PatientView, PendingTestLine, WardBoard, WardList,
    WardSummary,
};
use crate::{Station, StationError};

/// The board shows medicines due in the next two hours...
const DUE_AHEAD: TimeDelta = TimeDelta::hours(2);
/// ...and those whose time passed in the last two hours with nothing recorded.
const OVERDUE_BEHIND: TimeDelta = TimeDelta::hours(2);
/// A dose counts as recorded by an administration from one hour before its due time...
const COVER_BEFORE: TimeDelta = TimeDelta::hours(1);
/// ...to two hours after.
const COVER_AFTER: TimeDelta = TimeDelta::hours(2);

pub(crate) fn status(station: &Station, now: DateTime<Utc>) -> DataStatus {
    let extracted_at = station.site.extracted_at;
    let age_minutes = (now - extracted_at).num_minutes();
    let extracted_at_text = time::clinical(extracted_at);
    let age_text = time::age_words(extracted_at, now);
    DataStatus {
        source: station.source,
        source_label: station.source_label.clone(),
        site_name: station.site.name.clone(),
        extracted_at,
        stamp: format!("data as of {extracted_at_text} ({age_text})"),
        extracted_at_text,
        age_text,
        age_minutes,
        stale: age_minutes > station.stale_after_minutes,
        stale_after_minutes: station.stale_after_minutes,
        warnings: station.warnings.clone(),
    }
}

fn ward_summary(site: &Site, ward: &Ward) -> WardSummary {
    let on_ward: Vec<_> = site.admissions.iter().filter(|a| a.ward_id == ward.id).collect();
    let bed_ids: std::collections::HashSet<&str> = ward.beds().map(|(_, b)| b.id.as_str()).collect();
    let occupied = on_ward
        .iter()
        .filter(|a| a.bed_id.as_deref().is_some_and(|b| bed_ids.contains(b)))
        .count();
    WardSummary {
        id: ward.id.clone(),
        code: ward.code.clone(),
        name: ward.name.clone(),
        beds: ward.bed_count(),
        occupied,
        unallocated: on_ward.len() - occupied,
    }
}

pub(crate) fn wards(station: &Station, now: DateTime<Utc>) -> WardList {
    WardList {
        status: status(station, now),
        wards: station
            .site
            .wards
            .iter()
            .map(|w| ward_summary(&station.site, w))
            .collect(),
    }
}

/// One patient's records, gathered once per query.
struct Chart<'a> {
    orders: Vec<&'a MedicationOrder>,
    administrations: Vec<&'a Administration>,
    tests: Vec<&'a PendingTest>,
    observations: Vec<&'a ObservationSet>,
    allergies: Vec<&'a Allergy>,
    alerts: Vec<&'a Alert>,
}

impl<'a> Chart<'a> {
    fn of(site: &'a Site, patient: &'a Patient) -> Self {
        let id = patient.id.as_str();
        let mut observations: Vec<_> = site.observations.iter().filter(|o| o.patient_id == id).collect();
        observations.sort_by_key(|o| std::cmp::Reverse(o.taken_at));
        let mut administrations: Vec<_> = site
            .administrations
            .iter()
            .filter(|a| a.patient_id == id)
            .collect();
        administrations.sort_by_key(|a| a.at);
        let mut tests: Vec<_> = site.tests.iter().filter(|t| t.patient_id == id).collect();
        tests.sort_by_key(|t| (std::cmp::Reverse(t.priority), t.requested_at));
        Self {
            orders: site.orders.iter().filter(|o| o.patient_id == id).collect(),
            administrations,
            tests,
            observations,
            allergies: site.allergies.iter().filter(|a| a.patient_id == id).collect(),
            alerts: site.alerts.iter().filter(|a| a.patient_id == id).collect(),
        }
    }

    fn administrations_of(&self, order_id: &str) -> impl Iterator<Item = &&'a Administration> {
        self.administrations
            .iter()
            .filter(move |a| a.order_id == order_id)
    }

    /// Whether an administration (given or not) was recorded for this due dose.
    fn covered(&self, order_id: &str, due_at: DateTime<Utc>) -> bool {
        self.administrations_of(order_id)
            .any(|a| a.at >= due_at - COVER_BEFORE && a.at <= due_at + COVER_AFTER)
    }

    /// Current allergies, high criticality first; refuted and entered-in-error ones are left out.
    fn current_allergies(&self) -> Vec<&'a Allergy> {
        let mut list: Vec<_> = self
            .allergies
            .iter()
            .copied()
            .filter(|a| a.is_current() && !a.is_no_known_allergy())
            .collect();
        list.sort_by_key(|a| (a.criticality != Some(Criticality::High), a.substance.text.clone()));
        list
    }

    fn alert_badges(&self) -> Vec<AlertBadge> {
        self.alerts
            .iter()
            .map(|a| AlertBadge {
                kind: a.kind,
                badge: a.kind.badge().to_owned(),
                text: a.text.clone(),
            })
            .collect()
    }

    fn due_medicines(&self, now: DateTime<Utc>) -> Vec<DueMedicine> {
        let mut due = Vec::new();
        for order in self.orders.iter().filter(|o| o.status == OrderStatus::Active) {
            for at in order.due_between(now - OVERDUE_BEHIND, now + DUE_AHEAD) {
                if self.covered(&order.id, at) {
                    continue;
                }
                due.push(DueMedicine {
                    order_id: order.id.clone(),
                    medicine: order.medicine.text.clone(),
                    dose: order.dose.text.clone(),
                    route: order.route.as_ref().map(|r| r.text.clone()),
                    due_at: at,
                    due_text: time::clock(at),
                    time_critical: order.time_critical,
                    overdue: at < now,
                });
            }
        }
        due.sort_by(|a, b| a.due_at.cmp(&b.due_at).then_with(|| a.medicine.cmp(&b.medicine)));
        due
    }

    fn pending_tests(&self) -> Vec<PendingTestLine> {
        self.tests
            .iter()
            .map(|t| PendingTestLine {
                test_id: t.id.clone(),
                name: t.test.text.clone(),
                category: t.category,
                priority: t.priority,
                priority_label: t.priority.label().to_owned(),
                requested_at_text: time::clinical(t.requested_at),
            })
            .collect()
    }
}

fn news2_summary(set: &ObservationSet, now: DateTime<Utc>) -> News2Summary {
    let News2 {
        total, risk, missing, ..
    } = set.news2();
    News2Summary {
        total,
        risk,
        response: risk.response().to_owned(),
        complete: missing.is_empty(),
        missing: missing.iter().map(|p| p.label().to_owned()).collect(),
        taken_at: set.taken_at,
        taken_at_text: time::clinical(set.taken_at),
        age_text: time::age_words(set.taken_at, now),
    }
}

fn age_years(patient: &Patient, now: DateTime<Utc>) -> Option<u32> {
    patient
        .birth_date
        .map(|dob| time::age_years(dob, time::london_date(now)))
}

pub(crate) fn board(station: &Station, ward_id: &str, now: DateTime<Utc>) -> Result<WardBoard, StationError> {
    let site = &station.site;
    let ward = site
        .wards
        .iter()
        .find(|w| w.id == ward_id || w.code == ward_id)
        .ok_or_else(|| StationError::NotFound {
            what: "ward",
            id: ward_id.to_owned(),
        })?;
    let patients: HashMap<&str, &Patient> = site.patients.iter().map(|p| (p.id.as_str(), p)).collect();
    let on_ward: Vec<_> = site.admissions.iter().filter(|a| a.ward_id == ward.id).collect();

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
            consultant: on_ward
                .iter()
                .find(|a| a.patient_id == patient.id)
                .and_then(|a| a.consultant.clone()),
        })
    };
    // An admission whose patient is missing from the data still gets a row, saying so: never drop one.
    let row_patient = |patient_id: &str| {
        board_patient(patient_id).unwrap_or_else(|| BoardPatient {
            patient_id: patient_id.to_owned(),
            name: format!(
                "UNKNOWN PATIENT (record {patient_id} missing from the data: check the EPR or paper)"
            ),
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
        })
    };

    let mut rows = Vec::with_capacity(ward.bed_count());
    let mut placed = std::collections::HashSet::new();
    for (bay, bed) in ward.beds() {
        // Two admissions in one bed is a data error: show both rows rather than hide one.
        let mut in_bed = on_ward
            .iter()
            .filter(|a| a.bed_id.as_deref() == Some(bed.id.as_str()))
            .peekable();
        if in_bed.peek().is_none() {
            rows.push(BoardRow {
                bed_id: Some(bed.id.clone()),
                bed_label: bed.label.clone(),
                bay_name: Some(bay.name.clone()),
                bed_status: Some(bed.status),
                patient: None,
            });
        }
        for admission in in_bed {
            placed.insert(admission.id.as_str());
            rows.push(BoardRow {
                bed_id: Some(bed.id.clone()),
                bed_label: bed.label.clone(),
                bay_name: Some(bay.name.clone()),
                bed_status: Some(bed.status),
                patient: Some(row_patient(&admission.patient_id)),
            });
        }
    }
    for admission in on_ward.iter().filter(|a| !placed.contains(a.id.as_str())) {
        rows.push(BoardRow {
            bed_id: None,
            bed_label: "No bed".to_owned(),
            bay_name: None,
            bed_status: None,
            patient: Some(row_patient(&admission.patient_id)),
        });
    }

    Ok(WardBoard {
        status: status(station, now),
        ward: ward_summary(site, ward),
        due_window_minutes: DUE_AHEAD.num_minutes(),
        rows,
    })
}

/// A when-required order's limits: `at least 4 h apart`, `max 4 in 24 h`, for screen and paper alike.
pub(crate) fn prn_limits(min_interval_minutes: Option<u32>, max_doses_per_24h: Option<u32>) -> Vec<String> {
    let mut parts = Vec::new();
    if let Some(m) = min_interval_minutes {
        parts.push(if m % 60 == 0 {
            format!("at least {} h apart", m / 60)
        } else {
            format!("at least {m} min apart")
        });
    }
    if let Some(n) = max_doses_per_24h {
        parts.push(format!("max {n} in 24 h"));
    }
    parts
}

fn schedule_text(order: &MedicationOrder) -> String {
    match &order.schedule {
        Schedule::Regular { times, frequency } => {
            let times: Vec<String> = times.iter().map(|t| t.format("%H:%M").to_string()).collect();
            if times.is_empty() {
                frequency.clone()
            } else {
                times.join(", ")
            }
        }
        Schedule::WhenRequired {
            indication,
            min_interval_minutes,
            max_doses_per_24h,
        } => {
            let mut parts = vec![match indication {
                Some(i) => format!("PRN for {i}"),
                None => "PRN".to_owned(),
            }];
            parts.extend(crate::query::prn_limits(
                *min_interval_minutes,
                *max_doses_per_24h,
            ));
            parts.join("; ")
        }
        Schedule::OnceOnly { at } => format!("Once at {}", time::clinical(*at)),
    }
}

fn administration_text(a: &Administration) -> String {
    administration_words(a, &time::clinical(a.at))
}

/// `Given 08:02 … by RN J Okafor`, or `Not given (2: Nil by mouth: note) …`, with `when` already
/// formatted for the screen or the paper.
pub(crate) fn administration_words(a: &Administration, when: &str) -> String {
    let by = a
        .performer
        .as_ref()
        .map(|p| format!(" by {p}"))
        .unwrap_or_default();
    match &a.outcome {
        AdministrationOutcome::Given { .. } => format!("Given {when}{by}"),
        AdministrationOutcome::NotGiven { reason } => {
            let note = a.note.as_ref().map(|n| format!(": {n}")).unwrap_or_default();
            format!(
                "Not given ({}: {}{note}) {when}{by}",
                reason.code(),
                reason.label()
            )
        }
    }
}

fn oxygen_text(o: &Oxygen) -> String {
    match o {
        Oxygen::Air => "Air".to_owned(),
        Oxygen::Supplemental {
            litres_per_minute,
            device,
        } => {
            let mut parts = vec!["O2".to_owned()];
            parts.extend(litres_per_minute.map(|l| format!("{l} L/min")));
            parts.extend(device.clone());
            parts.join(" ")
        }
    }
}

/// Every order, active regular first, then once-only, when-required, and the rest.
fn medicine_lines(chart: &Chart<'_>, now: DateTime<Utc>) -> Vec<MedicineLine> {
    let mut orders = chart.orders.clone();
    let rank = |o: &MedicationOrder| {
        let status = u8::from(o.status != OrderStatus::Active);
        let kind = match o.schedule {
            Schedule::Regular { .. } => 0,
            Schedule::OnceOnly { .. } => 1,
            Schedule::WhenRequired { .. } => 2,
        };
        (status, kind, o.medicine.text.clone())
    };
    orders.sort_by_key(|o| rank(o));
    orders
        .iter()
        .map(|o| {
            let last = chart.administrations_of(&o.id).filter(|a| a.at <= now).last();
            let next_due = if o.status == OrderStatus::Active {
                o.next_due(now)
            } else {
                None
            };
            let overdue = o.status == OrderStatus::Active
                && o.due_between(now - OVERDUE_BEHIND, now)
                    .iter()
                    .any(|at| !chart.covered(&o.id, *at));
            MedicineLine {
                order_id: o.id.clone(),
                medicine: o.medicine.text.clone(),
                dose: o.dose.text.clone(),
                route: o.route.as_ref().map(|r| r.text.clone()),
                schedule_label: o.schedule.label().to_owned(),
                schedule_text: schedule_text(o),
                time_critical: o.time_critical,
                status: o.status,
                indication: o.indication.clone(),
                instructions: o.instructions.clone(),
                last_administration_text: last.map(|a| administration_text(a)),
                next_due_at: next_due,
                next_due_text: next_due.map(time::clinical),
                overdue,
            }
        })
        .collect()
}

fn observation_line(o: &ObservationSet, now: DateTime<Utc>) -> ObservationLine {
    ObservationLine {
        taken_at: o.taken_at,
        taken_at_text: time::clinical(o.taken_at),
        respiration_rate: o.respiration_rate,
        spo2: o.spo2,
        oxygen_text: o.oxygen.as_ref().map(oxygen_text),
        blood_pressure_text: o.systolic_bp.map(|s| match o.diastolic_bp {
            Some(d) => format!("{s}/{d}"),
            None => s.to_string(),
        }),
        pulse: o.pulse,
        consciousness: o.consciousness.map(|c| c.letter().to_string()),
        temperature_text: o.temperature_c.map(|t| format!("{t:.1}")),
        news2: news2_summary(o, now),
    }
}

pub(crate) fn patient(
    station: &Station,
    patient_id: &str,
    now: DateTime<Utc>,
) -> Result<PatientView, StationError> {
    let site = &station.site;
    let patient =
        site.patients
            .iter()
            .find(|p| p.id == patient_id)
            .ok_or_else(|| StationError::NotFound {
                what: "patient",
                id: patient_id.to_owned(),
            })?;
    let chart = Chart::of(site, patient);
    let admission = site.admissions.iter().find(|a| a.patient_id == patient.id);
    let ward = admission.and_then(|a| site.wards.iter().find(|w| w.id == a.ward_id));
    let bay_bed = admission
        .and_then(|a| a.bed_id.as_deref())
        .and_then(|bed_id| ward.and_then(|w| w.beds().find(|(_, b)| b.id == bed_id)));

    let today = time::london_date(now);
    let admission_line = admission.map(|a| AdmissionLine {
        admitted_at_text: time::clinical(a.admitted_at),
        length_of_stay_text: format!(
            "Day {}",
            (today - time::london_date(a.admitted_at)).num_days() + 1
        ),
        consultant: a.consultant.clone(),
        specialty: a.specialty.clone(),
        expected_discharge_text: a.expected_discharge.map(time::date),
        reason: a.reason.clone(),
    });

    let medicines = medicine_lines(&chart, now);
    let observations = chart
        .observations
        .iter()
        .map(|o| observation_line(o, now))
        .collect();

    Ok(PatientView {
        status: status(station, now),
        identity: Identity {
            patient_id: patient.id.clone(),
            name: patient.name.clinical(),
            nhs_number: patient.nhs_number.map(|n| n.to_string()),
            hospital_number: patient.hospital_number.clone(),
            birth_date_text: patient.birth_date.map(time::date),
            age_years: age_years(patient, now),
            sex: patient.sex,
        },
        location: Location {
            ward_id: ward.map(|w| w.id.clone()),
            ward_name: ward.map(|w| w.name.clone()),
            bay_name: bay_bed.map(|(bay, _)| bay.name.clone()),
            bed_label: bay_bed.map(|(_, bed)| bed.label.clone()),
        },
        admission: admission_line,
        allergy_status: allergy_status(chart.allergies.iter().copied()),
        allergies: chart
            .current_allergies()
            .iter()
            .map(|a| AllergyLine {
                substance: a.substance.text.clone(),
                reactions: a.reactions.clone(),
                criticality: a.criticality,
                verification_text: match a.verification {
                    Verification::Confirmed => "Confirmed",
                    Verification::Unconfirmed => "Unconfirmed",
                    Verification::Refuted => "Refuted",
                    Verification::EnteredInError => "Entered in error",
                }
                .to_owned(),
            })
            .collect(),
        alerts: chart.alert_badges(),
        medicines,
        pending_tests: chart.pending_tests(),
        observations,
    })
}
