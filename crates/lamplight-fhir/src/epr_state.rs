//! What the EPR holds now, for reconciliation: the model's [`EprState`], fetched for the patients
//! and orders the downtime entries name.
//!
//! Read by hand over `serde_json::Value`, like [`crate::import`] (docs/design.md, "FHIR mapping"):
//! ids and codes are copied, never reinterpreted. Statuses are FHIR's codes one for one; an unknown one is
//! read as `unknown`/`other`, never dropped.
//!
//! Searches, each in chunks of 40 values joined with `,` (FHIR's OR), all checked against the Helios
//! FHIR Server the tests use: `MedicationRequest?_id=`, `Encounter?subject=`,
//! `MedicationAdministration?request=` and `?subject=…&identifier=SYSTEM|` (every filing id in the
//! system, of those patients), `Observation` and `Communication` likewise, and `Patient?identifier=`
//! (NHS number) and `?family=&birthdate=` for a downtime admission's candidates. A transfer or a
//! discharge filed to an Encounter counts as filed by its [`ext::FILED_ENTRY`] marker.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, NaiveDate, Utc};
use lamplight_model::entry::{Entry, EntryKind};
use lamplight_model::nhs_number::NHS_NUMBER_SYSTEM;
use lamplight_model::reconcile::{
    EncounterStatus, EprAdministration, EprAdministrationStatus, EprEncounter, EprOrder, EprOrderStatus,
    EprPatient, EprState, FILING_ID_SYSTEM, FilingId, Place,
};
use lamplight_model::{NhsNumber, Patient};
use serde_json::Value;

use crate::client::{Epr, EprError};
use crate::ext;

/// What to fetch: the EPR patients, the orders, and the downtime patients to find candidates for.
#[derive(Debug, Clone, Default)]
pub struct StateQuery<'a> {
    pub patients: BTreeSet<&'a str>,
    pub orders: BTreeSet<&'a str>,
    pub downtime_patients: Vec<&'a Patient>,
}

impl<'a> StateQuery<'a> {
    /// Everything the entries name: their patients (a downtime id matches nothing, harmlessly), the
    /// orders of their doses, and the patients of their admissions.
    pub fn for_entries(entries: &'a [Entry]) -> Self {
        let mut q = Self::default();
        for e in entries {
            match &e.kind {
                EntryKind::Admission { patient, .. } => q.downtime_patients.push(patient),
                EntryKind::DoseGiven { order_id, .. } | EntryKind::DoseNotGiven { order_id, .. } => {
                    q.orders.insert(order_id);
                }
                _ => {}
            }
            if let Some(p) = e.kind.patient_id()
                && !matches!(e.kind, EntryKind::Admission { .. })
            {
                q.patients.insert(p);
            }
        }
        q
    }
}

fn chunks(values: impl IntoIterator<Item = String>) -> Vec<String> {
    let all: Vec<String> = values.into_iter().collect();
    all.chunks(40).map(|c| c.join(",")).collect::<Vec<_>>()
}

fn tail(reference: Option<&str>) -> Option<String> {
    reference.and_then(|r| r.rsplit('/').next()).map(str::to_owned)
}

fn time(v: Option<&Value>) -> Option<DateTime<Utc>> {
    v.and_then(Value::as_str)
        .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
        .map(|t| t.with_timezone(&Utc))
}

fn filing_ids(r: &Value) -> Vec<FilingId> {
    r["identifier"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|i| i["system"] == FILING_ID_SYSTEM)
        .filter_map(|i| i["value"].as_str().map(|v| FilingId(v.to_owned())))
        .collect()
}

fn order_status(r: &Value) -> EprOrderStatus {
    match r["status"].as_str() {
        Some("active") => EprOrderStatus::Active,
        Some("on-hold") => EprOrderStatus::OnHold,
        Some("cancelled") => EprOrderStatus::Cancelled,
        Some("completed") => EprOrderStatus::Completed,
        Some("entered-in-error") => EprOrderStatus::EnteredInError,
        Some("stopped") => EprOrderStatus::Stopped,
        Some("draft") => EprOrderStatus::Draft,
        _ => EprOrderStatus::Unknown,
    }
}

fn administration_status(r: &Value) -> EprAdministrationStatus {
    match r["status"].as_str() {
        Some("in-progress") => EprAdministrationStatus::InProgress,
        Some("not-done") => EprAdministrationStatus::NotDone,
        Some("on-hold") => EprAdministrationStatus::OnHold,
        Some("completed") => EprAdministrationStatus::Completed,
        Some("entered-in-error") => EprAdministrationStatus::EnteredInError,
        Some("stopped") => EprAdministrationStatus::Stopped,
        _ => EprAdministrationStatus::Unknown,
    }
}

/// Fetches the EPR's state for `q`. `fetched_at` is the server's clock at the first answer.
#[allow(
    clippy::too_many_lines,
    reason = "one search per part of the state, in the state's order"
)]
pub fn fetch(epr: &Epr, q: &StateQuery<'_>) -> Result<EprState, EprError> {
    let mut state = EprState::default();
    let note_time = |t: Option<DateTime<Utc>>, state: &mut EprState| {
        if state.fetched_at.is_none() {
            state.fetched_at = t;
        }
    };

    for ids in chunks(q.orders.iter().map(|s| (*s).to_owned())) {
        let r = epr.search("MedicationRequest", &[("_id", ids), ("_count", "200".into())])?;
        note_time(r.server_time, &mut state);
        for o in r.resources {
            let Some(id) = o["id"].as_str() else { continue };
            state.orders.push(EprOrder {
                id: id.to_owned(),
                patient_id: tail(o.pointer("/subject/reference").and_then(Value::as_str)).unwrap_or_default(),
                status: order_status(&o),
                changed_at: time(o.pointer("/meta/lastUpdated")),
            });
        }
    }

    let subjects = || chunks(q.patients.iter().map(|p| format!("Patient/{p}")));
    let mut encounters: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for s in subjects() {
        let r = epr.search("Encounter", &[("subject", s), ("_count", "200".into())])?;
        note_time(r.server_time, &mut state);
        for e in r.resources {
            if let Some(p) = tail(e.pointer("/subject/reference").and_then(Value::as_str)) {
                encounters.entry(p).or_default().push(e);
            }
        }
    }
    for (patient, list) in &encounters {
        for e in list {
            // Transfers and discharges filed before: their markers.
            let markers = std::iter::once(e).chain(e["location"].as_array().into_iter().flatten());
            for m in markers.flat_map(|x| x["extension"].as_array().into_iter().flatten()) {
                if m["url"] == ext::FILED_ENTRY
                    && let Some(v) = m.pointer("/valueIdentifier/value").and_then(Value::as_str)
                {
                    state.filed.insert(FilingId(v.to_owned()));
                }
            }
        }
        // The current one: in progress before finished, then the latest start.
        let current = list.iter().max_by_key(|e| {
            let st = encounter_status(e);
            (
                st == EncounterStatus::InProgress,
                time(e.pointer("/period/start")),
            )
        });
        if let Some(e) = current {
            state.encounters.push(EprEncounter {
                id: e["id"].as_str().unwrap_or_default().to_owned(),
                patient_id: patient.clone(),
                status: encounter_status(e),
                place: place(e),
                ended_at: time(e.pointer("/period/end")),
            });
        }
    }

    for ids in chunks(q.orders.iter().map(|o| format!("MedicationRequest/{o}"))) {
        let r = epr.search(
            "MedicationAdministration",
            &[("request", ids), ("_count", "200".into())],
        )?;
        for a in r.resources {
            let Some(id) = a["id"].as_str() else { continue };
            let at = time(a.get("effectiveDateTime")).or_else(|| time(a.pointer("/effectivePeriod/start")));
            let Some(at) = at else { continue };
            let ids = filing_ids(&a);
            state.filed.extend(ids.iter().cloned());
            state.administrations.push(EprAdministration {
                id: id.to_owned(),
                order_id: tail(a.pointer("/request/reference").and_then(Value::as_str)).unwrap_or_default(),
                patient_id: tail(a.pointer("/subject/reference").and_then(Value::as_str)).unwrap_or_default(),
                at,
                status: administration_status(&a),
                filing_ids: ids,
            });
        }
    }

    // Everything else filed before for these patients (any PC): by the identifier system alone.
    for (rtype, param) in [
        ("MedicationAdministration", "subject"),
        ("Observation", "subject"),
        ("Communication", "subject"),
        ("Encounter", "subject"),
    ] {
        for s in subjects() {
            let r = epr.search(
                rtype,
                &[
                    (param, s),
                    ("identifier", format!("{FILING_ID_SYSTEM}|")),
                    ("_count", "500".into()),
                ],
            )?;
            for x in r.resources {
                state.filed.extend(filing_ids(&x));
            }
        }
    }

    let mut seen = BTreeSet::new();
    for p in &q.downtime_patients {
        let mut found = Vec::new();
        if let Some(n) = p.nhs_number {
            found.extend(
                epr.search(
                    "Patient",
                    &[("identifier", format!("{NHS_NUMBER_SYSTEM}|{}", n.digits()))],
                )?
                .resources,
            );
        }
        if let (false, Some(b)) = (p.name.family.is_empty(), p.birth_date) {
            found.extend(
                epr.search(
                    "Patient",
                    &[
                        ("family", p.name.family.clone()),
                        ("birthdate", b.format("%Y-%m-%d").to_string()),
                    ],
                )?
                .resources,
            );
        }
        for r in found {
            let Some(id) = r["id"].as_str() else { continue };
            if seen.insert(id.to_owned()) {
                state.patients.push(epr_patient(&r, id));
            }
        }
    }
    Ok(state)
}

fn encounter_status(e: &Value) -> EncounterStatus {
    match e["status"].as_str() {
        Some("in-progress" | "planned" | "arrived" | "triaged" | "onleave") => EncounterStatus::InProgress,
        Some("finished") => EncounterStatus::Finished,
        _ => EncounterStatus::Other,
    }
}

/// The active locations of an encounter: ward and bed by the element's `physicalType` (`wa`, `bd`);
/// an active location without one is taken as the ward when no ward is named.
fn place(e: &Value) -> Place {
    let mut place = Place::default();
    let mut untyped = None;
    for l in e["location"].as_array().into_iter().flatten() {
        let active = match l["status"].as_str() {
            Some("active") => true,
            None => l.pointer("/period/end").is_none(),
            _ => false,
        };
        if !active {
            continue;
        }
        let id = tail(l.pointer("/location/reference").and_then(Value::as_str));
        match l.pointer("/physicalType/coding/0/code").and_then(Value::as_str) {
            Some("wa") => place.ward_id = id,
            Some("bd") => place.bed_id = id,
            _ => untyped = untyped.or(id),
        }
    }
    if place.ward_id.is_none() {
        place.ward_id = untyped;
    }
    place
}

fn epr_patient(r: &Value, id: &str) -> EprPatient {
    let nhs_number = r["identifier"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|i| i["system"] == NHS_NUMBER_SYSTEM)
        .find_map(|i| i["value"].as_str().and_then(|v| v.parse::<NhsNumber>().ok()));
    let names = r["name"].as_array().cloned().unwrap_or_default();
    let name = names
        .iter()
        .find(|n| n["use"] == "official")
        .or_else(|| names.first())
        .cloned()
        .unwrap_or(Value::Null);
    EprPatient {
        id: id.to_owned(),
        nhs_number,
        family: name["family"].as_str().unwrap_or_default().to_owned(),
        given: name["given"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|g| g.as_str().map(str::to_owned))
            .collect(),
        birth_date: r["birthDate"]
            .as_str()
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()),
    }
}
