//! Filing downtime entries back to the EPR: each ready entry as FHIR R4 transaction entries
//! ([`build`], pure), and sending them, one patient at a time ([`file_patient`], I/O).
//!
//! The JSON is written by hand over `serde_json::Value`, as in [`crate::export`] and for the same
//! reason (docs/design.md, "FHIR mapping"): a record filed to the EPR must carry every value exactly as
//! the nurse entered it, and the FHIR model crates tried change values on the way through. The vital
//! signs and the admission's Encounter are the exporter's own functions, so one table of codes and
//! units serves export, import and filing.
//!
//! **Idempotence.** Every resource Lamplight creates carries `identifier` {system
//! [`FILING_ID_SYSTEM`], value: a UUID}: the entry's [`filing_id`] for its main resource, and a UUID v5
//! under that filing id for each other one (`Observation/pulse`, `Patient`, ...: [`sub_id`]). Each is
//! POSTed with `ifNoneExist: identifier=SYSTEM|VALUE`, and its `fullUrl` is `urn:uuid:` that same
//! UUID, so references inside a transaction resolve whether the resource is created or found.
//! `Provenance` has no `identifier` element in R4 (and the test server, rightly, refuses an
//! `identifier` search on it): it is written with `PUT Provenance/<sub id>`, a client-chosen id, which
//! is idempotent by itself. A transfer or a discharge changes the EPR's own Encounter: read, changed,
//! and written back with `PUT` and `ifMatch` (the version read), so a change made on the EPR meanwhile
//! fails with 412 instead of being overwritten, and filing stops with [`FileError::EncounterChanged`]
//! (reconcile again: where the EPR has the patient now is a person's to see, never merged by rule); the change carries the extension
//! [`ext::FILED_ENTRY`] (on the new `location[]` for a transfer, on the Encounter for a discharge) with
//! the filing id, so reading the Encounter again says whether it is already there. JSON Patch in a
//! transaction would avoid the read, but needs the `Binary`/`Parameters` forms not every EPR takes, and
//! could not say "already there".
//!
//! Before sending, [`file_patient`] searches the batch's filing ids (`identifier=S|a,S|b,…`, one
//! search per resource type) and leaves out what the EPR already holds, so a second run sends nothing
//! and no Provenance gains a version. Conditional create is not safe against concurrent requests on
//! several servers (docs, CLINICAL.md): writes are serialised per patient by taking one patient's
//! entries at a time, in order, one transaction at a time.
//!
//! Checked against the Helios FHIR Server 0.2.7 the tests use: `ifNoneExist` in a transaction (201 the
//! first time, 200 with the existing resource after), `urn:uuid` references to a resource found by
//! `ifNoneExist` rewritten to it, `PUT` with a client id creating, `identifier=S|a,S|b` as OR, and a
//! 400 for `identifier` on Provenance, and a stale `ifMatch` refused as a whole transaction with 400
//! and an OperationOutcome naming the entry's 412 ([`precondition_failed`] takes both). A nursing note and a phoned result are `Communication`s: a
//! phoned result names its test in free text and its value unparsed, which an `Observation` could
//! only carry by inventing a code and a unit.
//!
//! A transaction is sent again after a connection error, a timeout, 429 or 5xx (every create in it is
//! conditional, every Provenance a PUT to its own id); a 4xx stops filing with the server's
//! OperationOutcome. One known limit: if the EPR wrote a transaction that changed an Encounter but
//! its answer was lost, the resend reads as [`FileError::EncounterChanged`]; filing again then finds
//! the change's marker and acknowledges it as already there.
//!
//! No patient data goes into errors or logs: entry ids, filing ids, resource ids and counts only.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use lamplight_model::entry::{Entry, EntryKind};
use lamplight_model::news2::{self, Parameter};
use lamplight_model::reconcile::{FILING_ID_SYSTEM, FilingId, FilingPatient, filing_id};
use lamplight_model::{ObservationSet, OmissionReason, Spo2Scale};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::client::{Epr, EprError};
use crate::export;
use crate::ext;
use crate::json::instant;

const PROVENANCE_AGENT: &str = "http://terminology.hl7.org/CodeSystem/provenance-participant-type";
const DATA_OPERATION: &str = "http://terminology.hl7.org/CodeSystem/v3-DataOperation";
const NHS_VERIFICATION_SYSTEM: &str = crate::json::NHS_VERIFICATION_SYSTEM;

/// SNOMED CT codes of the NEWS2 sub-scores (docs: CLINICAL.md, "Filing back to the EPR").
fn subscore_code(p: Parameter, scale: Spo2Scale) -> (&'static str, &'static str) {
    match p {
        Parameter::RespirationRate => ("1104301000000104", "NEWS2 respiration rate score"),
        Parameter::Spo2 => match scale {
            Spo2Scale::Scale1 => ("1104311000000102", "NEWS2 SpO2 scale 1 score"),
            Spo2Scale::Scale2 => ("1104321000000108", "NEWS2 SpO2 scale 2 score"),
        },
        Parameter::AirOrOxygen => ("1104331000000105", "NEWS2 air or oxygen score"),
        Parameter::SystolicBp => ("1104341000000101", "NEWS2 systolic blood pressure score"),
        Parameter::Pulse => ("1104351000000103", "NEWS2 pulse score"),
        Parameter::Consciousness => ("1104361000000100", "NEWS2 consciousness score"),
        Parameter::Temperature => ("1104371000000107", "NEWS2 temperature score"),
    }
}

/// The exporter's id suffix of the vital-sign Observation a parameter is scored from.
fn vital_suffix(p: Parameter) -> &'static str {
    match p {
        Parameter::RespirationRate => "rr",
        Parameter::Spo2 => "spo2",
        Parameter::AirOrOxygen => "o2",
        Parameter::SystolicBp => "bp",
        Parameter::Pulse => "pulse",
        Parameter::Consciousness => "acvpu",
        Parameter::Temperature => "temp",
    }
}

fn param_key(p: Parameter) -> &'static str {
    match p {
        Parameter::RespirationRate => "respiration-rate",
        Parameter::Spo2 => "spo2",
        Parameter::AirOrOxygen => "air-or-oxygen",
        Parameter::SystolicBp => "systolic-bp",
        Parameter::Pulse => "pulse",
        Parameter::Consciousness => "consciousness",
        Parameter::Temperature => "temperature",
    }
}

/// The UUID of one more resource filed for an entry: v5 of `name` (`Observation/pulse`) under the
/// entry's filing id. The same entry and name always give the same one.
pub fn sub_id(filing: &FilingId, name: &str) -> Uuid {
    let ns = Uuid::parse_str(filing.as_str())
        .unwrap_or_else(|_| Uuid::new_v5(&Uuid::NAMESPACE_OID, filing.as_str().as_bytes()));
    Uuid::new_v5(&ns, name.as_bytes())
}

/// The identifier a patient filed as new (a downtime admission no EPR patient matched) carries: a
/// sub-id of its admission entry's filing id, so every PC and every entry on that patient finds the
/// same one, and the next downtime's `DT-<PC>-0001` (the counter starts again) never finds this one.
pub fn new_patient_filing_id(admission_entry_id: &str) -> FilingId {
    FilingId(sub_id(&filing_id(admission_entry_id), "Patient").to_string())
}

/// Why an entry cannot be turned into FHIR. Ids only.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    #[error(
        "entry {entry_id}: a dose needs the order's medicine as the EPR has it (MedicationRequest {order_id} not read)"
    )]
    NoMedication { entry_id: String, order_id: String },
    #[error(
        "entry {entry_id}: a {kind} changes the patient's encounter, and the EPR has none to change; a person must file it"
    )]
    NoEncounter { entry_id: String, kind: &'static str },
    #[error(
        "entry {entry_id}: the EPR's Encounter {encounter_id} is already finished; a person must file this {kind}"
    )]
    EncounterFinished {
        entry_id: String,
        encounter_id: String,
        kind: &'static str,
    },
    #[error(
        "entry {entry_id} is not filed as FHIR (an entered-in-error record withdraws an entry that was never filed)"
    )]
    NotFiled { entry_id: String },
    #[error("entry {entry_id}: the EPR's Encounter answered without an id or version")]
    EncounterWithoutVersion { entry_id: String },
}

/// What an entry is filed against, resolved to references.
#[derive(Debug, Clone, Default)]
pub struct Context<'a> {
    /// The patient's reference: `Patient/<EPR id>`, or `urn:uuid:…` when created in this transaction.
    pub patient: String,
    /// `Encounter/<id>` the resources are in, when known.
    pub encounter: Option<String>,
    /// The order's `medication[x]` as the EPR has it (`("medicationCodeableConcept", {…})`), copied to
    /// a MedicationAdministration unchanged.
    pub medication: Option<(&'a str, &'a Value)>,
    /// For a transfer or a discharge: the Encounter as the EPR has it now (with `id` and
    /// `meta.versionId`), possibly already changed by earlier entries of this batch.
    pub current_encounter: Option<&'a Value>,
    /// For a downtime admission filed as a new EPR patient.
    pub new_patient: bool,
}

/// An entry as FHIR.
#[derive(Debug, Clone, PartialEq)]
pub enum Built {
    /// Transaction entries, the main resource first, the Provenance last.
    Entries {
        entries: Vec<Value>,
        /// For a transfer or discharge: the Encounter as it will be (to build later entries on).
        encounter: Option<Value>,
    },
    /// A transfer or discharge the Encounter already shows (its [`ext::FILED_ENTRY`] is there).
    AlreadyThere,
}

/// `POST` with `ifNoneExist` on the resource's filing identifier, `fullUrl` its `urn:uuid:`.
fn create(mut resource: Value, id: &str) -> Value {
    let rtype = resource["resourceType"].as_str().unwrap_or_default().to_owned();
    if let Some(m) = resource.as_object_mut() {
        m.remove("id");
    }
    // The filing identifier goes after any the resource has (a new patient's NHS number).
    let mut ids = resource["identifier"].as_array().cloned().unwrap_or_default();
    ids.push(json!({ "system": FILING_ID_SYSTEM, "value": id }));
    resource["identifier"] = Value::Array(ids);
    json!({
        "fullUrl": format!("urn:uuid:{id}"),
        "resource": resource,
        "request": { "method": "POST", "url": rtype, "ifNoneExist": format!("identifier={FILING_ID_SYSTEM}|{id}") },
    })
}

fn reference(r: &str) -> Value {
    json!({ "reference": r })
}

fn marker(filing: &FilingId) -> Value {
    json!({ "url": ext::FILED_ENTRY, "valueIdentifier": { "system": FILING_ID_SYSTEM, "value": filing.as_str() } })
}

fn has_marker(v: &Value, filing: &FilingId) -> bool {
    v.get("extension").and_then(Value::as_array).is_some_and(|xs| {
        xs.iter().any(|x| {
            x["url"] == ext::FILED_ENTRY
                && x.pointer("/valueIdentifier/system").and_then(Value::as_str) == Some(FILING_ID_SYSTEM)
                && x.pointer("/valueIdentifier/value").and_then(Value::as_str) == Some(filing.as_str())
        })
    })
}

/// A dose as a Quantity when it is a number and a unit (`1 g`, `500mg`, `2 units`), else `None`.
fn dose_quantity(dose: &str) -> Option<Value> {
    let d = dose.trim();
    let split = d.find(|c: char| !(c.is_ascii_digit() || c == '.'))?;
    let (value, unit) = (d[..split].trim(), d[split..].trim());
    if value.is_empty() || unit.is_empty() || unit.contains(char::is_whitespace) {
        return None;
    }
    value.parse::<f64>().ok()?;
    let unit = match unit {
        "ml" | "mL" => "mL",
        "mcg" | "micrograms" | "microgram" => "microgram",
        "units" | "unit" => "unit",
        u => u,
    };
    Some(export::quantity(value, Some(unit)))
}

/// The transaction entries of one entry, against what [`Context`] resolved. Pure.
#[allow(
    clippy::too_many_lines,
    reason = "one arm per kind of entry, each read on its own"
)]
pub fn build(entry: &Entry, cx: &Context<'_>) -> Result<Built, BuildError> {
    let fid = filing_id(&entry.id);
    let main = fid.as_str().to_owned();
    let mut out: Vec<Value> = Vec::new();
    let mut encounter_after = None;
    // (target reference, performer display different from the enterer)
    let (targets, performer, occurred): (Vec<String>, Option<&str>, Option<DateTime<Utc>>) = match &entry.kind
    {
        EntryKind::DoseGiven {
            order_id,
            given_at,
            dose,
            given_by,
            checked_by,
            ..
        } => {
            let mut r = administration(entry, cx, order_id, *given_at, &fid)?;
            r["status"] = "completed".into();
            let mut dosage = json!({ "text": dose });
            if let Some(q) = dose_quantity(dose) {
                dosage["dose"] = q;
            }
            r["dosage"] = dosage;
            r["performer"] = json!([{ "actor": { "display": given_by } }]);
            if let Some(c) = checked_by {
                r["note"] = json!([{ "text": format!("Second check: {c}") }]);
            }
            out.push(create(r, &main));
            (
                vec![format!("urn:uuid:{main}")],
                Some(given_by.as_str()),
                Some(*given_at),
            )
        }
        EntryKind::DoseNotGiven {
            order_id,
            due_at,
            reason,
            note,
            ..
        } => {
            let mut r = administration(entry, cx, order_id, *due_at, &fid)?;
            r["status"] = "not-done".into();
            r["statusReason"] = status_reason(*reason);
            r["performer"] = json!([{ "actor": { "display": entry.recorded_by } }]);
            if let Some(n) = note {
                r["note"] = json!([{ "text": n }]);
            }
            out.push(create(r, &main));
            (vec![format!("urn:uuid:{main}")], None, Some(*due_at))
        }
        EntryKind::Observations { set } => {
            let targets = observations(set, cx, &fid, &mut out);
            let by = set.recorded_by.as_deref().filter(|b| *b != entry.recorded_by);
            (targets, by, Some(set.taken_at))
        }
        EntryKind::Admission { patient, admission } => {
            let mut targets = Vec::new();
            let patient_ref = if cx.new_patient {
                let pid = new_patient_filing_id(&entry.id);
                let mut p = export::patient(patient);
                // Keyed during downtime: an NHS number is present, not traced (never "verified").
                for id in p["identifier"].as_array_mut().into_iter().flatten() {
                    if let Some(x) = id.pointer_mut("/extension/0/valueCodeableConcept/coding/0") {
                        *x = json!({ "system": NHS_VERIFICATION_SYSTEM, "code": "02", "display": "Number present but not traced" });
                    }
                }
                out.push(create(p, pid.as_str()));
                targets.push(format!("urn:uuid:{}", pid.as_str()));
                format!("urn:uuid:{}", pid.as_str())
            } else {
                cx.patient.clone()
            };
            let mut e = export::encounter(admission);
            e["subject"] = reference(&patient_ref);
            if let Some(m) = e.as_object_mut() {
                // The exporter's Organization is Lamplight's own; the EPR's encounter names its own.
                m.remove("serviceProvider");
            }
            let start = instant(admission.admitted_at);
            for l in e["location"].as_array_mut().into_iter().flatten() {
                l["period"] = json!({ "start": start });
            }
            out.insert(0, create(e, &main));
            targets.insert(0, format!("urn:uuid:{main}"));
            (targets, None, Some(admission.admitted_at))
        }
        EntryKind::Transfer { ward_id, bed_id, .. } => {
            let current = cx.current_encounter.ok_or_else(|| BuildError::NoEncounter {
                entry_id: entry.id.clone(),
                kind: "transfer",
            })?;
            if current["location"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|l| has_marker(l, &fid))
            {
                return Ok(Built::AlreadyThere);
            }
            let (id, version) = encounter_version(entry, current)?;
            if current["status"] == "finished" {
                return Err(BuildError::EncounterFinished {
                    entry_id: entry.id.clone(),
                    encounter_id: id,
                    kind: "transfer",
                });
            }
            let at = instant(entry.recorded_at);
            let mut e = current.clone();
            close_locations(&mut e, &at);
            let mut locations = e["location"].as_array().cloned().unwrap_or_default();
            let place = |loc: &str, code: &str, display: &str| {
                json!({
                    "extension": [marker(&fid)],
                    "location": reference(&format!("Location/{loc}")),
                    "status": "active",
                    "physicalType": { "coding": [{ "system": crate::json::LOCATION_TYPE, "code": code, "display": display }] },
                    "period": { "start": at },
                })
            };
            locations.push(place(ward_id, "wa", "Ward"));
            if let Some(b) = bed_id {
                locations.push(place(b, "bd", "Bed"));
            }
            e["location"] = Value::Array(locations);
            out.push(update(&e, &id, &version));
            encounter_after = Some(e);
            (vec![format!("Encounter/{id}")], None, Some(entry.recorded_at))
        }
        EntryKind::Discharge { at, destination, .. } => {
            let current = cx.current_encounter.ok_or_else(|| BuildError::NoEncounter {
                entry_id: entry.id.clone(),
                kind: "discharge",
            })?;
            if has_marker(current, &fid) {
                return Ok(Built::AlreadyThere);
            }
            let (id, version) = encounter_version(entry, current)?;
            if current["status"] == "finished" {
                return Err(BuildError::EncounterFinished {
                    entry_id: entry.id.clone(),
                    encounter_id: id,
                    kind: "discharge",
                });
            }
            let end = instant(*at);
            let mut e = current.clone();
            close_locations(&mut e, &end);
            e["status"] = "finished".into();
            e["period"]["end"] = end.into();
            if let Some(d) = destination {
                e["hospitalization"]["dischargeDisposition"] = json!({ "text": d });
            }
            let mut exts = e["extension"].as_array().cloned().unwrap_or_default();
            exts.push(marker(&fid));
            e["extension"] = Value::Array(exts);
            out.push(update(&e, &id, &version));
            encounter_after = Some(e);
            (vec![format!("Encounter/{id}")], None, Some(*at))
        }
        EntryKind::Note { text, .. } => {
            let mut r = communication(cx, "Nursing note");
            r["sent"] = instant(entry.recorded_at).into();
            r["sender"] = json!({ "display": entry.recorded_by });
            r["payload"] = json!([{ "contentString": text }]);
            out.push(create(r, &main));
            (vec![format!("urn:uuid:{main}")], None, None)
        }
        EntryKind::PhonedResult {
            test,
            value,
            caller,
            read_back,
            ..
        } => {
            let mut r = communication(cx, "Result phoned to the ward");
            r["received"] = instant(entry.recorded_at).into();
            r["sender"] = json!({ "display": caller });
            r["recipient"] = json!([{ "display": entry.recorded_by }]);
            r["payload"] = json!([{ "contentString": format!("{test}: {value}") }]);
            r["note"] =
                json!([{ "text": if *read_back { "Read back and confirmed" } else { "Not read back" } }]);
            out.push(create(r, &main));
            (vec![format!("urn:uuid:{main}")], Some(caller.as_str()), None)
        }
        EntryKind::EnteredInError { .. } => {
            return Err(BuildError::NotFiled {
                entry_id: entry.id.clone(),
            });
        }
    };
    let updating = encounter_after.is_some();
    out.push(provenance(entry, &fid, &targets, performer, occurred, updating));
    Ok(Built::Entries {
        entries: out,
        encounter: encounter_after,
    })
}

fn administration(
    entry: &Entry,
    cx: &Context<'_>,
    order_id: &str,
    at: DateTime<Utc>,
    fid: &FilingId,
) -> Result<Value, BuildError> {
    let (key, medication) = cx.medication.ok_or_else(|| BuildError::NoMedication {
        entry_id: entry.id.clone(),
        order_id: order_id.to_owned(),
    })?;
    let mut r = json!({
        "resourceType": "MedicationAdministration",
        "meta": { "profile": [crate::json::profile("MedicationAdministration")] },
        "subject": reference(&cx.patient),
        "effectiveDateTime": instant(at),
        "request": reference(&format!("MedicationRequest/{order_id}")),
        "eventHistory": [reference(&format!("Provenance/{}", sub_id(fid, "Provenance")))],
    });
    r[key] = medication.clone();
    if let Some(e) = &cx.encounter {
        r["context"] = reference(e);
    }
    Ok(r)
}

/// The chart's omission code and words. No SNOMED CT "reason medication not given" code is added:
/// none could be checked against a release here, and a wrong code is worse than text.
fn status_reason(reason: OmissionReason) -> Value {
    json!([{
        "coding": [{ "system": ext::OMISSION_CODE_SYSTEM, "code": reason.code().to_string(), "display": reason.label() }],
        "text": reason.label(),
    }])
}

fn communication(cx: &Context<'_>, category: &str) -> Value {
    let mut r = json!({
        "resourceType": "Communication",
        "meta": { "profile": [crate::json::profile("Communication")] },
        "status": "completed",
        "category": [{ "text": category }],
        "subject": reference(&cx.patient),
    });
    if let Some(e) = &cx.encounter {
        r["encounter"] = reference(e);
    }
    r
}

/// The exporter's vital-sign Observations and NEWS2 total (the score from `news2::score`, nothing
/// recomputed), each with its own filing sub-id, plus one Observation per NEWS2 sub-score.
fn observations(set: &ObservationSet, cx: &Context<'_>, fid: &FilingId, out: &mut Vec<Value>) -> Vec<String> {
    let score = news2::score(set);
    let mut exported = export::observations(set);
    let urn = |suffix: &str| {
        if suffix == "news2" {
            format!("urn:uuid:{}", fid.as_str())
        } else {
            format!("urn:uuid:{}", sub_id(fid, &format!("Observation/{suffix}")))
        }
    };
    let suffix_of = |id: &str| -> String {
        if id == set.id {
            "news2".to_owned()
        } else {
            id.strip_prefix(&format!("{}-", set.id)).unwrap_or(id).to_owned()
        }
    };
    let mut targets = Vec::new();
    let mut subs = Vec::new();
    for p in &score.scores {
        let (code, display) = subscore_code(p.parameter, set.spo2_scale);
        let key = format!("news2-{}", param_key(p.parameter));
        let mut r = json!({
            "resourceType": "Observation",
            "meta": { "profile": [crate::json::profile("Observation")] },
            "status": "final",
            "category": [{ "coding": [{ "system": crate::json::OBS_CATEGORY, "code": "survey" }] }],
            "code": { "coding": [export::snomed(code, display)], "text": display },
            "subject": reference(&cx.patient),
            "effectiveDateTime": instant(set.taken_at),
            "valueInteger": p.score,
        });
        let from = vital_suffix(p.parameter);
        if exported
            .iter()
            .any(|o| o["id"].as_str().is_some_and(|id| suffix_of(id) == from))
        {
            r["derivedFrom"] = json!([reference(&urn(from))]);
        }
        if let Some(by) = &set.recorded_by {
            r["performer"] = json!([{ "display": by }]);
        }
        if let Some(e) = &cx.encounter {
            r["encounter"] = reference(e);
        }
        subs.push((key, r));
    }
    for o in &mut exported {
        let suffix = suffix_of(o["id"].as_str().unwrap_or_default());
        o["subject"] = reference(&cx.patient);
        if let Some(e) = &cx.encounter {
            o["encounter"] = reference(e);
        }
        if suffix == "news2" {
            // The total as an integer (CLINICAL.md); an incomplete set keeps the exporter's
            // dataAbsentReason: a lower bound is never filed as a score.
            if let Some(m) = o.as_object_mut()
                && m.remove("valueQuantity").is_some()
            {
                m.insert("valueInteger".into(), score.total.into());
            }
            let mut members: Vec<Value> = o["hasMember"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|m| m["reference"].as_str())
                .map(|r| reference(&urn(&suffix_of(r.trim_start_matches("Observation/")))))
                .collect();
            members.extend(subs.iter().map(|(k, _)| reference(&urn(k))));
            o["hasMember"] = Value::Array(members);
        }
    }
    for o in exported {
        let suffix = suffix_of(o["id"].as_str().unwrap_or_default());
        let url = urn(&suffix);
        targets.push(url.clone());
        out.push(create(o, url.trim_start_matches("urn:uuid:")));
    }
    for (k, r) in subs {
        let url = urn(&k);
        targets.push(url.clone());
        out.push(create(r, url.trim_start_matches("urn:uuid:")));
    }
    targets
}

fn encounter_version(entry: &Entry, e: &Value) -> Result<(String, String), BuildError> {
    let id = e["id"].as_str();
    let v = e.pointer("/meta/versionId").and_then(Value::as_str);
    match (id, v) {
        (Some(id), Some(v)) => Ok((id.to_owned(), v.to_owned())),
        _ => Err(BuildError::EncounterWithoutVersion {
            entry_id: entry.id.clone(),
        }),
    }
}

/// Every active location (or one with no status and no end) is completed at `at`.
fn close_locations(e: &mut Value, at: &str) {
    for l in e["location"].as_array_mut().into_iter().flatten() {
        let open = match l["status"].as_str() {
            Some("active") => true,
            None => l.pointer("/period/end").is_none(),
            _ => false,
        };
        if open {
            l["status"] = "completed".into();
            l["period"]["end"] = at.into();
        }
    }
}

fn update(e: &Value, id: &str, version: &str) -> Value {
    let mut resource = e.clone();
    // The server keeps `meta.versionId` and `lastUpdated`; the profiles the EPR's Encounter claims
    // stay claimed.
    if let Some(m) = resource.get_mut("meta").and_then(Value::as_object_mut) {
        m.retain(|k, _| k == "profile");
        if m.is_empty() {
            resource.as_object_mut().map(|r| r.remove("meta"));
        }
    }
    // No fullUrl: it would have to be the server's absolute URL, which a pure builder does not know
    // (it is optional in R4, and the request URL names the resource).
    json!({
        "resource": resource,
        "request": { "method": "PUT", "url": format!("Encounter/{id}"), "ifMatch": format!("W/\"{version}\"") },
    })
}

fn provenance(
    entry: &Entry,
    fid: &FilingId,
    targets: &[String],
    performer: Option<&str>,
    occurred: Option<DateTime<Utc>>,
    updating: bool,
) -> Value {
    let id = sub_id(fid, "Provenance").to_string();
    let agent = |code: &str, display: &str, who: &str| json!({ "type": { "coding": [{ "system": PROVENANCE_AGENT, "code": code, "display": display }] }, "who": { "display": who } });
    let mut agents = vec![agent("enterer", "Enterer", &entry.recorded_by)];
    if let Some(p) = performer.filter(|p| *p != entry.recorded_by) {
        agents.push(agent("performer", "Performer", p));
    }
    let (op, op_display) = if updating {
        ("UPDATE", "revise")
    } else {
        ("CREATE", "create")
    };
    let mut r = json!({
        "resourceType": "Provenance",
        "id": id,
        "meta": { "profile": [crate::json::profile("Provenance")] },
        "target": targets.iter().map(|t| reference(t)).collect::<Vec<_>>(),
        "recorded": instant(entry.recorded_at),
        "activity": {
            "coding": [{ "system": DATA_OPERATION, "code": op, "display": op_display }],
            "text": format!("Recorded during EPR downtime on PC {} (Lamplight entry {}), filed after the EPR returned", entry.pc, entry.id),
        },
        "agent": agents,
    });
    if let Some(t) = occurred {
        r["occurredDateTime"] = instant(t).into();
    }
    json!({
        "fullUrl": format!("urn:uuid:{id}"),
        "resource": r,
        "request": { "method": "PUT", "url": format!("Provenance/{id}") },
    })
}

// ---------------------------------------------------------------------------------------------
// Sending.
// ---------------------------------------------------------------------------------------------

/// One patient's ready entries, in time order (the plan's `Outcome::Ready`, grouped by patient).
#[derive(Debug, Clone)]
pub struct PatientFiling<'a> {
    /// Who they are filed against (the same for all of them).
    pub patient: FilingPatient,
    /// The patient's current encounter in the EPR (`EprState`), when there is one. A downtime
    /// admission among the entries gives the later ones its own.
    pub encounter: Option<String>,
    pub entries: Vec<&'a Entry>,
}

/// How to send.
#[derive(Debug, Clone)]
pub struct FileOptions {
    /// Entries per transaction.
    pub batch: usize,
    /// Tries again after a connection error, a timeout, 429 or 5xx (so at most `retries + 1` sends).
    pub retries: u32,
    /// The first wait; doubled each time, capped at 8 s.
    pub backoff: Duration,
    /// For benchmarks and tests: every transaction Bundle sent, in order, is pushed here.
    pub keep_sent: Option<Arc<Mutex<Vec<Value>>>>,
}

impl Default for FileOptions {
    fn default() -> Self {
        Self {
            batch: 50,
            retries: 4,
            backoff: Duration::from_millis(500),
            keep_sent: None,
        }
    }
}

/// What the EPR did with one entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ack {
    pub entry_id: String,
    pub filing_id: FilingId,
    pub status: AckStatus,
    /// The resources written or found, `Type/id` with their version when the EPR said.
    pub resources: Vec<FiledResource>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AckStatus {
    /// Written now.
    Filed,
    /// The EPR already held it (filed before, by this PC or another).
    AlreadyThere,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FiledResource {
    /// `MedicationAdministration/01a2…`.
    pub reference: String,
    pub version: Option<String>,
    /// Created by this transaction (not found by `ifNoneExist`, not an update).
    pub created: bool,
}

/// Why filing stopped. Ids only.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FileError {
    #[error(transparent)]
    Epr(#[from] EprError),
    #[error(transparent)]
    Build(#[from] BuildError),
    #[error(
        "entry {entry_id} names no EPR patient yet (the downtime admission is not filed); file the admission first"
    )]
    NoPatient { entry_id: String },
    #[error("the EPR has no MedicationRequest {order_id}; the plan should have held this dose for a person")]
    OrderNotInEpr { order_id: String },
    #[error("the EPR has no Encounter {encounter_id}")]
    EncounterNotFound { encounter_id: String },
    #[error("the EPR's answer to a transaction is not usable: {0}")]
    Answer(String),
    #[error(
        "the EPR's Encounter {encounter_id} changed while Lamplight was filing a transfer or discharge to it (412); nothing of that transaction was written: reconcile again, so a person sees where the EPR has the patient now"
    )]
    EncounterChanged { encounter_id: String },
}

/// Filing stopped: what was acknowledged before, and why. Running again is safe (idempotent).
#[derive(Debug, thiserror::Error)]
#[error("filing stopped after {} entries: {error}", acks.len())]
pub struct Stopped {
    pub acks: Vec<Ack>,
    pub error: FileError,
}

/// The resource types an entry's main resource is, for the search of what is already there.
fn main_type(kind: &EntryKind) -> Option<&'static str> {
    match kind {
        EntryKind::DoseGiven { .. } | EntryKind::DoseNotGiven { .. } => Some("MedicationAdministration"),
        EntryKind::Observations { .. } => Some("Observation"),
        EntryKind::Admission { .. } => Some("Encounter"),
        EntryKind::Note { .. } | EntryKind::PhonedResult { .. } => Some("Communication"),
        EntryKind::Transfer { .. } | EntryKind::Discharge { .. } | EntryKind::EnteredInError { .. } => None,
    }
}

/// Searches `rtype` by filing identifiers, a few dozen at a time: filing id → (`Type/id`, version).
pub fn find_filed(
    epr: &Epr,
    rtype: &str,
    ids: &[&str],
) -> Result<BTreeMap<String, (String, Option<String>)>, EprError> {
    let mut found = BTreeMap::new();
    for chunk in ids.chunks(40) {
        let value = chunk
            .iter()
            .map(|id| format!("{FILING_ID_SYSTEM}|{id}"))
            .collect::<Vec<_>>()
            .join(",");
        let result = epr.search(rtype, &[("identifier", value), ("_count", "200".into())])?;
        for r in result.resources {
            let Some(rid) = r["id"].as_str() else { continue };
            let version = r
                .pointer("/meta/versionId")
                .and_then(Value::as_str)
                .map(str::to_owned);
            for i in r["identifier"].as_array().into_iter().flatten() {
                if i["system"] == FILING_ID_SYSTEM
                    && let Some(v) = i["value"].as_str()
                    && chunk.contains(&v)
                {
                    found.insert(v.to_owned(), (format!("{rtype}/{rid}"), version.clone()));
                }
            }
        }
    }
    Ok(found)
}

struct Pending {
    entries: Vec<Value>,
    /// Per entry: (entry index, first transaction entry, count).
    spans: Vec<(usize, usize, usize)>,
    /// The Encounter whose PUT is in this transaction, and where.
    encounter_put: Option<(String, usize)>,
}

/// Files one patient's ready entries: one transaction per `batch` entries, one at a time, in order.
/// Idempotent: what the EPR already holds is acknowledged as [`AckStatus::AlreadyThere`] and not sent.
#[allow(
    clippy::too_many_lines,
    reason = "one loop over the entries, in order, with its flushes"
)]
pub fn file_patient(epr: &Epr, p: &PatientFiling<'_>, o: &FileOptions) -> Result<Vec<Ack>, Stopped> {
    let mut acks = Vec::new();
    match file_inner(epr, p, o, &mut acks) {
        Ok(()) => Ok(acks),
        Err(error) => Err(Stopped { acks, error }),
    }
}

#[allow(
    clippy::too_many_lines,
    reason = "one loop over the entries, in order, with its flushes"
)]
fn file_inner(
    epr: &Epr,
    p: &PatientFiling<'_>,
    o: &FileOptions,
    acks: &mut Vec<Ack>,
) -> Result<(), FileError> {
    // Who: the EPR patient, or a new one (found if an earlier run created it).
    let mut new_patient = false;
    let mut patient: Option<String> = match &p.patient {
        FilingPatient::Epr { id } => Some(format!("Patient/{id}")),
        FilingPatient::New { admission_entry, .. } => {
            let pid = new_patient_filing_id(admission_entry);
            let found = find_filed(epr, "Patient", &[pid.as_str()])?;
            if let Some((r, _)) = found.get(pid.as_str()) {
                Some(r.clone())
            } else {
                new_patient = true;
                None
            }
        }
        FilingPatient::None => None,
    };
    let mut encounter = p.encounter.as_ref().map(|e| format!("Encounter/{e}"));

    // What is there already, by type.
    let mut by_type: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for e in &p.entries {
        if let Some(t) = main_type(&e.kind) {
            by_type.entry(t).or_default().push(filing_id(&e.id).0);
        }
    }
    let mut there = BTreeMap::new();
    for (t, ids) in &by_type {
        let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
        there.extend(find_filed(epr, t, &ids)?);
    }

    // The orders' medicines, copied from the EPR's MedicationRequests.
    let mut orders: Vec<&str> = p
        .entries
        .iter()
        .filter(|e| !there.contains_key(filing_id(&e.id).as_str()))
        .filter_map(|e| match &e.kind {
            EntryKind::DoseGiven { order_id, .. } | EntryKind::DoseNotGiven { order_id, .. } => {
                Some(order_id.as_str())
            }
            _ => None,
        })
        .collect();
    orders.sort_unstable();
    orders.dedup();
    let mut medications: BTreeMap<String, (String, Value)> = BTreeMap::new();
    for chunk in orders.chunks(40) {
        let result = epr.search(
            "MedicationRequest",
            &[("_id", chunk.join(",")), ("_count", "200".into())],
        )?;
        for r in result.resources {
            let (Some(id), Some(m)) = (r["id"].as_str(), r.as_object()) else {
                continue;
            };
            if let Some((k, v)) = m.iter().find(|(k, _)| k.starts_with("medication")) {
                medications.insert(id.to_owned(), (k.clone(), v.clone()));
            }
        }
    }

    let mut pending = Pending {
        entries: Vec::new(),
        spans: Vec::new(),
        encounter_put: None,
    };
    let mut current: Option<Value> = None;
    for (i, e) in p.entries.iter().enumerate() {
        let fid = filing_id(&e.id);
        if let Some((r, v)) = there.get(fid.as_str()) {
            if matches!(e.kind, EntryKind::Admission { .. }) {
                encounter = Some(r.clone());
                current = None;
            }
            acks.push(Ack {
                entry_id: e.id.clone(),
                filing_id: fid,
                status: AckStatus::AlreadyThere,
                resources: vec![FiledResource {
                    reference: r.clone(),
                    version: v.clone(),
                    created: false,
                }],
            });
            continue;
        }
        let changes_encounter = matches!(e.kind, EntryKind::Transfer { .. } | EntryKind::Discharge { .. });
        let refers_to_pending = |r: &Option<String>| r.as_deref().is_some_and(|r| r.starts_with("urn:uuid:"));
        if changes_encounter && refers_to_pending(&encounter) {
            // The encounter is being created in this transaction: write it, then read it.
            let map = flush(epr, p, o, &mut pending, acks)?;
            resolve(&mut encounter, &map);
            resolve(&mut patient, &map);
        }
        if changes_encounter && current.is_none() {
            let Some(enc) = &encounter else {
                return Err(BuildError::NoEncounter {
                    entry_id: e.id.clone(),
                    kind: if matches!(e.kind, EntryKind::Transfer { .. }) {
                        "transfer"
                    } else {
                        "discharge"
                    },
                }
                .into());
            };
            let id = enc.trim_start_matches("Encounter/");
            let found = epr.search("Encounter", &[("_id", id.to_owned())])?;
            current = Some(
                found
                    .resources
                    .into_iter()
                    .find(|r| r["id"] == id)
                    .ok_or_else(|| FileError::EncounterNotFound {
                        encounter_id: id.to_owned(),
                    })?,
            );
        }
        let is_admission = matches!(e.kind, EntryKind::Admission { .. });
        if patient.is_none() && !(is_admission && new_patient) {
            return Err(FileError::NoPatient {
                entry_id: e.id.clone(),
            });
        }
        let medication = match &e.kind {
            EntryKind::DoseGiven { order_id, .. } | EntryKind::DoseNotGiven { order_id, .. } => Some(
                medications
                    .get(order_id)
                    .ok_or_else(|| FileError::OrderNotInEpr {
                        order_id: order_id.clone(),
                    })?,
            ),
            _ => None,
        };
        let cx = Context {
            patient: patient.clone().unwrap_or_default(),
            encounter: encounter.clone(),
            medication: medication.map(|(k, v)| (k.as_str(), v)),
            current_encounter: current.as_ref(),
            new_patient: is_admission && new_patient,
        };
        match build(e, &cx)? {
            Built::AlreadyThere => acks.push(Ack {
                entry_id: e.id.clone(),
                filing_id: fid,
                status: AckStatus::AlreadyThere,
                resources: encounter
                    .iter()
                    .map(|r| FiledResource {
                        reference: r.clone(),
                        version: None,
                        created: false,
                    })
                    .collect(),
            }),
            Built::Entries {
                entries,
                encounter: after,
            } => {
                let mut entries = entries;
                if let Some(after) = after {
                    let enc = encounter.clone().unwrap_or_default();
                    // One PUT of an Encounter per transaction: a second change replaces the first's.
                    if let Some((_, at)) = pending.encounter_put.as_ref().filter(|(r, _)| *r == enc) {
                        pending.entries[*at] = entries.remove(0);
                        // The span that owned it keeps counting it; this entry owns the rest.
                        let first = pending.entries.len();
                        let n = entries.len();
                        pending.entries.extend(entries);
                        pending.spans.push((i, first, n));
                    } else {
                        let first = pending.entries.len();
                        pending.encounter_put = Some((enc, first));
                        let n = entries.len();
                        pending.entries.extend(entries);
                        pending.spans.push((i, first, n));
                    }
                    current = Some(after);
                } else {
                    if is_admission {
                        encounter = Some(format!("urn:uuid:{}", fid.as_str()));
                        current = None;
                        if new_patient {
                            if matches!(e.kind, EntryKind::Admission { .. }) {
                                patient = Some(format!("urn:uuid:{}", new_patient_filing_id(&e.id).as_str()));
                            }
                            new_patient = false;
                        }
                    }
                    let first = pending.entries.len();
                    let n = entries.len();
                    pending.entries.extend(entries);
                    pending.spans.push((i, first, n));
                }
            }
        }
        if pending.spans.len() >= o.batch.max(1) {
            let map = flush(epr, p, o, &mut pending, acks)?;
            resolve(&mut encounter, &map);
            resolve(&mut patient, &map);
            // The version moved: read it again when next needed.
            current = None;
        }
    }
    flush(epr, p, o, &mut pending, acks)?;
    Ok(())
}

fn resolve(r: &mut Option<String>, map: &BTreeMap<String, String>) {
    if let Some(x) = r
        && let Some(real) = map.get(x.as_str())
    {
        *x = real.clone();
    }
}

/// Sends the pending transaction (with retries) and acknowledges its entries; `urn:uuid:` → `Type/id`.
fn flush(
    epr: &Epr,
    p: &PatientFiling<'_>,
    o: &FileOptions,
    pending: &mut Pending,
    acks: &mut Vec<Ack>,
) -> Result<BTreeMap<String, String>, FileError> {
    let mut map = BTreeMap::new();
    if pending.entries.is_empty() {
        return Ok(map);
    }
    let bundle = json!({ "resourceType": "Bundle", "type": "transaction", "entry": std::mem::take(&mut pending.entries) });
    let answer = match send(epr, &bundle, o) {
        Ok(a) => a,
        // Someone changed the Encounter since it was read: never merged by rule.
        Err(e) if pending.encounter_put.is_some() && precondition_failed(&e) => {
            return Err(FileError::EncounterChanged {
                encounter_id: pending
                    .encounter_put
                    .take()
                    .map(|(r, _)| r.trim_start_matches("Encounter/").to_owned())
                    .unwrap_or_default(),
            });
        }
        Err(e) => return Err(e.into()),
    };
    if let Some(keep) = &o.keep_sent {
        keep.lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(bundle.clone());
    }
    let replies = answer["entry"].as_array().cloned().unwrap_or_default();
    let sent = bundle["entry"].as_array().map_or(0, Vec::len);
    if replies.len() != sent {
        return Err(FileError::Answer(format!(
            "{} entries answered for {sent} sent",
            replies.len()
        )));
    }
    for (k, reply) in replies.iter().enumerate() {
        if let Some(url) = bundle["entry"][k]["fullUrl"].as_str()
            && url.starts_with("urn:uuid:")
            && let Some((r, _)) = location(reply)
        {
            map.insert(url.to_owned(), r);
        }
    }
    for (i, first, n) in std::mem::take(&mut pending.spans) {
        let e = p.entries[i];
        let mut resources = Vec::new();
        for (k, reply) in replies.iter().enumerate().skip(first).take(n) {
            if let Some((reference, version)) = location(reply) {
                let status = reply
                    .pointer("/response/status")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                // A PUT (Provenance, an Encounter changed) is not a create, whatever it answers.
                let post = bundle["entry"][k]
                    .pointer("/request/method")
                    .and_then(Value::as_str)
                    == Some("POST");
                resources.push(FiledResource {
                    reference,
                    version,
                    created: post && status.starts_with("201"),
                });
            }
        }
        let writes_encounter = matches!(e.kind, EntryKind::Transfer { .. } | EntryKind::Discharge { .. });
        let status = if writes_encounter || resources.iter().any(|r| r.created) {
            AckStatus::Filed
        } else {
            AckStatus::AlreadyThere
        };
        acks.push(Ack {
            entry_id: e.id.clone(),
            filing_id: filing_id(&e.id),
            status,
            resources,
        });
    }
    pending.encounter_put = None;
    Ok(map)
}

/// Whether the EPR refused a transaction because an `ifMatch` no longer held: 412 itself, or (as the
/// Helios server does, and R4 allows) 400 or 409 for the whole transaction with an OperationOutcome
/// naming the entry's 412.
pub fn precondition_failed(e: &EprError) -> bool {
    match e {
        EprError::Rejected { status: 412, .. } => true,
        EprError::Rejected {
            status: 400 | 409,
            outcome: Some(o),
            ..
        } => o.contains("412") || o.to_lowercase().contains("precondition"),
        _ => false,
    }
}

/// `Type/id` and version of a transaction-response entry (`response.location`, else the resource).
fn location(reply: &Value) -> Option<(String, Option<String>)> {
    if let Some(loc) = reply.pointer("/response/location").and_then(Value::as_str) {
        let loc = loc
            .split_once("://")
            .map_or(loc, |(_, rest)| rest.split_once('/').map_or(rest, |(_, p)| p));
        let parts: Vec<&str> = loc.split('/').collect();
        let n = parts.len();
        if let Some(h) = parts.iter().rposition(|s| *s == "_history")
            && h >= 2
        {
            return Some((
                format!("{}/{}", parts[h - 2], parts[h - 1]),
                parts.get(h + 1).map(|v| (*v).to_owned()),
            ));
        }
        if n >= 2 {
            return Some((format!("{}/{}", parts[n - 2], parts[n - 1]), None));
        }
    }
    let r = reply.get("resource")?;
    Some((
        format!("{}/{}", r["resourceType"].as_str()?, r["id"].as_str()?),
        r.pointer("/meta/versionId")
            .and_then(Value::as_str)
            .map(str::to_owned),
    ))
}

/// A transaction, tried again on what a busy or restarting server answers. Safe to resend: every
/// create is conditional, every Provenance a PUT to its own id, every Encounter change guarded by
/// `ifMatch`.
fn send(epr: &Epr, bundle: &Value, o: &FileOptions) -> Result<Value, EprError> {
    let mut attempt = 0;
    loop {
        attempt += 1;
        match epr.transaction(bundle) {
            Ok(v) => return Ok(v),
            Err(e) => {
                let retryable = match &e {
                    EprError::ServerError { .. }
                    | EprError::Timeout { .. }
                    | EprError::Unreachable { .. } => true,
                    EprError::Rejected { status, .. } => *status == 429,
                    _ => false,
                };
                if !retryable || attempt > o.retries {
                    return Err(e);
                }
                let wait = o
                    .backoff
                    .saturating_mul(1 << (attempt - 1).min(8))
                    .min(Duration::from_secs(8));
                std::thread::sleep(wait);
            }
        }
    }
}
