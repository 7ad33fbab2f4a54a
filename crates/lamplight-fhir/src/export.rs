//! Site → FHIR R4 transaction Bundle, shaped like UK Core.
//!
//! Entries come kind by kind in the site's own order (organisation, locations, patients, encounters,
//! allergies, flags, medication requests and administrations, service requests, observations), so the
//! same site always gives the same bytes and [`crate::import`] gives back the same lists.

use chrono::NaiveTime;
use lamplight_model::news2;
use lamplight_model::{
    Administration, AdministrationOutcome, Admission, Alert, AlertKind, Allergy, AllergyCategory, BedStatus,
    BodyWeight, Code, Concept, Consciousness, Criticality, MedicationOrder, ObservationSet, OrderStatus,
    Oxygen, Patient, PendingTest, Priority, Schedule, Sex, Site, Spo2Scale, TestCategory, Verification,
    nhs_number::NHS_NUMBER_SYSTEM,
};
use serde_json::{Map, Value, json};

use crate::ext;
use crate::json::{self, instant, profile, vital};

/// The id of the Organization standing for the site.
pub(crate) const SITE_ORGANIZATION_ID: &str = "site";

/// The site as a FHIR R4 `transaction` Bundle. `Bundle.timestamp` is when the data was extracted.
pub fn export(site: &Site) -> Value {
    let mut entries = Vec::new();
    let mut push = |resource: Value| {
        let rtype = resource["resourceType"].as_str().unwrap_or_default().to_owned();
        let id = resource["id"].as_str().unwrap_or_default().to_owned();
        let url = format!("{rtype}/{id}");
        entries.push(json!({
            "fullUrl": json::urn_uuid(&url),
            "resource": resource,
            "request": { "method": "PUT", "url": url },
        }));
    };
    push(json!({
        "resourceType": "Organization",
        "id": SITE_ORGANIZATION_ID,
        "meta": { "profile": [profile("Organization")] },
        "active": true,
        "name": site.name,
    }));
    for ward in &site.wards {
        let occupied: std::collections::HashSet<&str> = site
            .admissions
            .iter()
            .filter_map(|a| a.bed_id.as_deref())
            .collect();
        push(location(
            &ward.id,
            &ward.name,
            "wa",
            "Ward",
            None,
            Some(&ward.code),
            None,
        ));
        for bay in &ward.bays {
            push(location(
                &bay.id,
                &bay.name,
                "ro",
                "Room",
                Some(&ward.id),
                None,
                None,
            ));
            for bed in &bay.beds {
                let status = match bed.status {
                    BedStatus::Open if occupied.contains(bed.id.as_str()) => ("O", "Occupied"),
                    BedStatus::Open => ("U", "Unoccupied"),
                    BedStatus::Closed => ("C", "Closed"),
                    BedStatus::Cleaning => ("H", "Housekeeping"),
                    BedStatus::Contaminated => ("K", "Contaminated"),
                };
                push(location(
                    &bed.id,
                    &bed.label,
                    "bd",
                    "Bed",
                    Some(&bay.id),
                    None,
                    Some(status),
                ));
            }
        }
    }
    site.patients.iter().map(patient).for_each(&mut push);
    site.admissions.iter().map(encounter).for_each(&mut push);
    site.allergies.iter().map(allergy).for_each(&mut push);
    site.alerts.iter().map(flag).for_each(&mut push);
    site.orders.iter().map(medication_request).for_each(&mut push);
    site.administrations
        .iter()
        .map(|a| medication_administration(site, a))
        .for_each(&mut push);
    site.tests.iter().map(service_request).for_each(&mut push);
    for set in &site.observations {
        observations(set).into_iter().for_each(&mut push);
    }
    site.weights.iter().map(body_weight).for_each(&mut push);
    let mut bundle = json!({
        "resourceType": "Bundle",
        "type": "transaction",
        "entry": entries,
    });
    // A site whose extraction time is unknown goes out without one, as it came in: never as 1970.
    if let Some(at) = site.extracted_at {
        bundle["meta"] = json!({ "lastUpdated": instant(at) });
        bundle["timestamp"] = instant(at).into();
    }
    bundle
}

/// The bundle as pretty JSON with a final newline: what `lamplight demo` writes.
pub fn export_pretty(site: &Site) -> String {
    let mut s = serde_json::to_string_pretty(&export(site)).unwrap_or_default();
    s.push('\n');
    s
}

fn reference(rtype: &str, id: &str) -> Value {
    json!({ "reference": format!("{rtype}/{id}") })
}

fn coding(c: &Code) -> Value {
    let mut m = Map::new();
    m.insert("system".into(), c.system.clone().into());
    m.insert("code".into(), c.code.clone().into());
    if let Some(d) = &c.display {
        m.insert("display".into(), d.clone().into());
    }
    Value::Object(m)
}

pub(crate) fn codeable(c: &Concept) -> Value {
    let mut m = Map::new();
    if !c.codes.is_empty() {
        m.insert("coding".into(), c.codes.iter().map(coding).collect());
    }
    m.insert("text".into(), c.text.clone().into());
    Value::Object(m)
}

pub(crate) fn snomed(code: &str, display: &str) -> Value {
    json!({ "system": lamplight_model::code::SNOMED, "code": code, "display": display })
}

fn location(
    id: &str,
    name: &str,
    physical: &str,
    physical_display: &str,
    part_of: Option<&str>,
    ward_code: Option<&str>,
    bed_status: Option<(&str, &str)>,
) -> Value {
    let mut r = json!({
        "resourceType": "Location",
        "id": id,
        "meta": { "profile": [profile("Location")] },
        "status": "active",
        "name": name,
        "mode": "instance",
        "physicalType": { "coding": [{ "system": json::LOCATION_TYPE, "code": physical, "display": physical_display }] },
        "managingOrganization": reference("Organization", SITE_ORGANIZATION_ID),
    });
    if let Some(code) = ward_code {
        r["identifier"] = json!([{ "system": ext::WARD_CODE_SYSTEM, "value": code }]);
    }
    if let Some(parent) = part_of {
        r["partOf"] = reference("Location", parent);
    }
    if let Some((code, display)) = bed_status {
        r["operationalStatus"] = json!({ "system": json::BED_STATUS, "code": code, "display": display });
    }
    r
}

pub(crate) fn patient(p: &Patient) -> Value {
    let mut identifiers = Vec::new();
    if let Some(n) = p.nhs_number {
        identifiers.push(json!({
            "extension": [{
                "url": json::NHS_VERIFICATION_EXT,
                "valueCodeableConcept": { "coding": [{
                    "system": json::NHS_VERIFICATION_SYSTEM, "code": "01", "display": "Number present and verified"
                }] }
            }],
            "system": NHS_NUMBER_SYSTEM,
            "value": n.digits(),
        }));
    }
    if let Some(h) = &p.hospital_number {
        identifiers.push(json!({
            "use": "usual",
            "type": { "coding": [{ "system": json::ID_TYPE, "code": "MR", "display": "Medical record number" }] },
            "system": ext::HOSPITAL_NUMBER_SYSTEM,
            "value": h,
        }));
    }
    let mut name = json!({ "use": "official", "family": p.name.family, "given": p.name.given });
    if let Some(prefix) = &p.name.prefix {
        name["prefix"] = json!([prefix]);
    }
    let mut r = json!({
        "resourceType": "Patient",
        "id": p.id,
        "meta": { "profile": [profile("Patient")] },
        "name": [name],
        "gender": match p.sex { Sex::Male => "male", Sex::Female => "female", Sex::Other => "other", Sex::Unknown => "unknown" },
    });
    if !identifiers.is_empty() {
        r["identifier"] = Value::Array(identifiers);
    }
    if let Some(d) = p.birth_date {
        r["birthDate"] = d.format("%Y-%m-%d").to_string().into();
    }
    r
}

pub(crate) fn encounter(a: &Admission) -> Value {
    let mut locations: Vec<Value> = a
        .ward_id
        .iter()
        .map(|ward| {
            json!({
                "location": reference("Location", ward),
                "status": "active",
                "physicalType": { "coding": [{ "system": json::LOCATION_TYPE, "code": "wa", "display": "Ward" }] },
            })
        })
        .collect();
    if let Some(bed) = &a.bed_id {
        locations.push(json!({
            "location": reference("Location", bed),
            "status": "active",
            "physicalType": { "coding": [{ "system": json::LOCATION_TYPE, "code": "bd", "display": "Bed" }] },
        }));
    }
    let mut r = json!({
        "resourceType": "Encounter",
        "id": a.id,
        "meta": { "profile": [profile("Encounter")] },
        "status": "in-progress",
        "class": { "system": json::ACT_CODE, "code": "IMP", "display": "inpatient encounter" },
        "subject": reference("Patient", &a.patient_id),
        "period": { "start": instant(a.admitted_at) },
        "location": locations,
        "serviceProvider": reference("Organization", SITE_ORGANIZATION_ID),
    });
    if let Some(d) = a.expected_discharge {
        r["extension"] =
            json!([{ "url": ext::EXPECTED_DISCHARGE, "valueDate": d.format("%Y-%m-%d").to_string() }]);
    }
    if let Some(c) = &a.consultant {
        r["participant"] = json!([{
            "type": [{ "coding": [{ "system": json::PARTICIPATION, "code": "ATND", "display": "attender" }] }],
            "individual": { "display": c },
        }]);
    }
    if let Some(s) = &a.specialty {
        r["serviceType"] = json!({ "text": s });
    }
    if let Some(reason) = &a.reason {
        r["reasonCode"] = json!([{ "text": reason }]);
    }
    r
}

fn allergy(a: &Allergy) -> Value {
    let (verification, display) = match a.verification {
        Verification::Confirmed => ("confirmed", "Confirmed"),
        Verification::Unconfirmed => ("unconfirmed", "Unconfirmed"),
        Verification::Refuted => ("refuted", "Refuted"),
        Verification::EnteredInError => ("entered-in-error", "Entered in Error"),
    };
    let mut r = json!({
        "resourceType": "AllergyIntolerance",
        "id": a.id,
        "meta": { "profile": [profile("AllergyIntolerance")] },
        "verificationStatus": { "coding": [{ "system": json::ALLERGY_VERIFICATION, "code": verification, "display": display }] },
        "code": codeable(&a.substance),
        "patient": reference("Patient", &a.patient_id),
    });
    // R4: clinicalStatus is required unless the record was entered in error, and forbidden then.
    if a.verification != Verification::EnteredInError {
        let status = if a.verification == Verification::Refuted {
            "inactive"
        } else {
            "active"
        };
        r["clinicalStatus"] = json!({ "coding": [{ "system": json::ALLERGY_CLINICAL, "code": status }] });
    }
    if let Some(c) = a.category {
        r["category"] = json!([match c {
            AllergyCategory::Medication => "medication",
            AllergyCategory::Food => "food",
            AllergyCategory::Environment => "environment",
            AllergyCategory::Biologic => "biologic",
        }]);
    }
    if let Some(c) = a.criticality {
        r["criticality"] = match c {
            Criticality::Low => "low",
            Criticality::High => "high",
            Criticality::UnableToAssess => "unable-to-assess",
        }
        .into();
    }
    if let Some(t) = a.recorded_at {
        r["recordedDate"] = instant(t).into();
    }
    if !a.reactions.is_empty() {
        r["reaction"] = a
            .reactions
            .iter()
            .map(|text| json!({ "manifestation": [{ "text": text }] }))
            .collect();
    }
    r
}

pub(crate) fn alert_kind_code(kind: AlertKind) -> &'static str {
    match kind {
        AlertKind::Dnacpr => "dnacpr",
        AlertKind::FallsRisk => "falls-risk",
        AlertKind::Infection => "infection",
        AlertKind::Safeguarding => "safeguarding",
        AlertKind::PressureUlcerRisk => "pressure-ulcer-risk",
        AlertKind::Cognition => "cognition",
        AlertKind::Other => "other",
    }
}

fn flag(a: &Alert) -> Value {
    let hl7 = match a.kind {
        AlertKind::Safeguarding => "behavioral",
        AlertKind::Infection | AlertKind::FallsRisk => "safety",
        _ => "clinical",
    };
    // The flag's code carries the alert's words as its text (what the EPR shows) with its codes.
    let mut code = codeable(&a.concept);
    code["text"] = a.text.clone().into();
    let mut r = json!({
        "resourceType": "Flag",
        "id": a.id,
        "meta": { "profile": [profile("Flag")] },
        "status": "active",
        "category": [{ "coding": [
            { "system": json::FLAG_CATEGORY, "code": hl7 },
            { "system": ext::ALERT_KIND_SYSTEM, "code": alert_kind_code(a.kind), "display": a.kind.badge() },
        ] }],
        "code": code,
        "subject": reference("Patient", &a.patient_id),
    });
    if let Some(t) = a.since {
        r["period"] = json!({ "start": instant(t) });
    }
    r
}

fn time_of_day(t: NaiveTime) -> String {
    t.format("%H:%M:%S").to_string()
}

/// A decimal as a JSON number, exactly as the model holds it when JSON can say it.
fn decimal(s: &str) -> Value {
    s.parse::<serde_json::Number>()
        .map_or_else(|_| Value::String(s.to_owned()), Value::Number)
}

pub(crate) fn quantity(value: &str, unit: Option<&str>) -> Value {
    let mut q = json!({ "value": decimal(value) });
    if let Some(u) = unit {
        q["unit"] = u.into();
        let ucum = match u {
            "mg" | "g" | "mL" | "h" | "min" => Some(u),
            "microgram" => Some("ug"),
            "unit" => Some("[iU]"),
            _ => None,
        };
        if let Some(code) = ucum {
            q["system"] = json::UCUM.into();
            q["code"] = code.into();
        }
    }
    q
}

fn medication_request(o: &MedicationOrder) -> Value {
    let mut bounds = json!({ "start": instant(o.start) });
    if let Some(end) = o.end {
        bounds["end"] = instant(end).into();
    }
    let mut dosage = json!({ "sequence": 1, "text": o.dose.text });
    let mut repeat = json!({ "boundsPeriod": bounds });
    match &o.schedule {
        Schedule::Regular { times, frequency } => {
            if !times.is_empty() {
                repeat["frequency"] = times.len().into();
                repeat["period"] = 1.into();
                repeat["periodUnit"] = "d".into();
                repeat["timeOfDay"] = times.iter().map(|t| Value::from(time_of_day(*t))).collect();
            }
            dosage["timing"] = json!({ "repeat": repeat, "code": { "text": frequency } });
        }
        Schedule::WhenRequired {
            indication,
            min_interval_minutes,
            max_doses_per_24h,
        } => {
            if let Some(m) = min_interval_minutes {
                repeat["frequency"] = 1.into();
                if m % 60 == 0 {
                    repeat["period"] = (m / 60).into();
                    repeat["periodUnit"] = "h".into();
                } else {
                    repeat["period"] = (*m).into();
                    repeat["periodUnit"] = "min".into();
                }
            }
            dosage["timing"] = json!({ "repeat": repeat });
            match indication {
                Some(i) => dosage["asNeededCodeableConcept"] = json!({ "text": i }),
                None => dosage["asNeededBoolean"] = true.into(),
            }
            if let Some(n) = max_doses_per_24h {
                dosage["maxDosePerPeriod"] = json!({
                    "numerator": { "value": n },
                    "denominator": { "value": 24, "unit": "h", "system": json::UCUM, "code": "h" },
                });
            }
        }
        Schedule::OnceOnly { at } => {
            repeat["count"] = 1.into();
            dosage["timing"] = json!({ "event": [instant(*at)], "repeat": repeat });
        }
    }
    if let Some(route) = &o.route {
        dosage["route"] = codeable(route);
    }
    if let Some(i) = &o.instructions {
        dosage["additionalInstruction"] = json!([{ "text": i }]);
    }
    if let Some(v) = &o.dose.value {
        dosage["doseAndRate"] = json!([{ "doseQuantity": quantity(v, o.dose.unit.as_deref()) }]);
    }
    let mut r = json!({
        "resourceType": "MedicationRequest",
        "id": o.id,
        "meta": { "profile": [profile("MedicationRequest")] },
        "extension": [{ "url": ext::TIME_CRITICAL, "valueBoolean": o.time_critical }],
        "status": match o.status {
            OrderStatus::Active => "active",
            OrderStatus::OnHold => "on-hold",
            OrderStatus::Stopped => "stopped",
            OrderStatus::Completed => "completed",
        },
        "intent": "order",
        "category": [{ "coding": [{ "system": json::MED_REQUEST_CATEGORY, "code": "inpatient", "display": "Inpatient" }] }],
        "medicationCodeableConcept": codeable(&o.medicine),
        "subject": reference("Patient", &o.patient_id),
        "authoredOn": instant(o.start),
        "dosageInstruction": std::iter::once(dosage)
            .chain(o.further_dosage_lines.iter().enumerate().map(|(i, line)| {
                json!({ "sequence": i + 2, "text": line })
            }))
            .collect::<Vec<_>>(),
    });
    if let Some(p) = &o.prescriber {
        r["requester"] = json!({ "display": p });
    }
    if let Some(i) = &o.indication {
        r["reasonCode"] = json!([{ "text": i }]);
    }
    r
}

fn medication_administration(site: &Site, a: &Administration) -> Value {
    let medicine = site.orders.iter().find(|o| o.id == a.order_id).map_or_else(
        || json!({ "text": "Medicine of the referenced request" }),
        |o| codeable(&o.medicine),
    );
    let mut r = json!({
        "resourceType": "MedicationAdministration",
        "id": a.id,
        "meta": { "profile": [profile("MedicationAdministration")] },
        "medicationCodeableConcept": medicine,
        "subject": reference("Patient", &a.patient_id),
        "effectiveDateTime": instant(a.at),
        "request": reference("MedicationRequest", &a.order_id),
    });
    match &a.outcome {
        AdministrationOutcome::Given { dose } => {
            r["status"] = "completed".into();
            if let Some(d) = dose {
                r["dosage"] = json!({ "text": d });
            }
        }
        AdministrationOutcome::NotGiven { reason } => {
            r["status"] = "not-done".into();
            r["statusReason"] = json!([{
                "coding": [{ "system": ext::OMISSION_CODE_SYSTEM, "code": reason.code().to_string(), "display": reason.label() }],
                "text": reason.label(),
            }]);
        }
    }
    if let Some(p) = &a.performer {
        r["performer"] = json!([{ "actor": { "display": p } }]);
    }
    if let Some(n) = &a.note {
        r["note"] = json!([{ "text": n }]);
    }
    r
}

fn service_request(t: &PendingTest) -> Value {
    let mut r = json!({
        "resourceType": "ServiceRequest",
        "id": t.id,
        "meta": { "profile": [profile("ServiceRequest")] },
        "status": "active",
        "intent": "order",
        "priority": match t.priority { Priority::Routine => "routine", Priority::Urgent => "urgent", Priority::Asap => "asap", Priority::Stat => "stat" },
        "code": codeable(&t.test),
        "subject": reference("Patient", &t.patient_id),
        "authoredOn": instant(t.requested_at),
    });
    match t.category {
        TestCategory::Laboratory => {
            r["category"] = json!([{ "coding": [snomed("108252007", "Laboratory procedure")] }]);
        }
        TestCategory::Imaging => {
            r["category"] = json!([{ "coding": [snomed("363679005", "Imaging")] }]);
        }
        TestCategory::Other => {}
    }
    if let Some(by) = &t.requested_by {
        r["requester"] = json!({ "display": by });
    }
    if let Some(n) = &t.note {
        r["note"] = json!([{ "text": n }]);
    }
    r
}

/// A body weight, in kilograms, as UK Core's body weight Observation.
fn body_weight(w: &BodyWeight) -> Value {
    let (sct, loinc, display) = vital::WEIGHT;
    json!({
        "resourceType": "Observation",
        "id": w.id,
        "meta": { "profile": [profile("Observation")] },
        "status": "final",
        "category": [{ "coding": [{ "system": json::OBS_CATEGORY, "code": "vital-signs" }] }],
        "code": { "coding": [
            { "system": lamplight_model::code::SNOMED, "code": sct, "display": display },
            { "system": json::LOINC, "code": loinc, "display": display },
        ], "text": display },
        "subject": reference("Patient", &w.patient_id),
        "effectiveDateTime": instant(w.taken_at),
        "valueQuantity": { "value": w.kilograms, "unit": "kg", "system": json::UCUM, "code": "kg" },
    })
}

/// One vital-sign Observation per parameter, and a NEWS2 total that groups them (`hasMember`).
#[allow(
    clippy::too_many_lines,
    reason = "one Observation per NEWS2 parameter, in chart order"
)]
pub(crate) fn observations(set: &ObservationSet) -> Vec<Value> {
    let base = |suffix: &str, code: Value, category: &str| {
        let mut r = json!({
            "resourceType": "Observation",
            "id": format!("{}-{suffix}", set.id),
            "meta": { "profile": [profile("Observation")] },
            "status": "final",
            "category": [{ "coding": [{ "system": json::OBS_CATEGORY, "code": category }] }],
            "code": code,
            "subject": reference("Patient", &set.patient_id),
            "effectiveDateTime": instant(set.taken_at),
        });
        if let Some(by) = &set.recorded_by {
            r["performer"] = json!([{ "display": by }]);
        }
        r
    };
    let vital_code = |(sct, loinc, display): (&str, &str, &str)| {
        json!({ "coding": [
            { "system": lamplight_model::code::SNOMED, "code": sct, "display": display },
            { "system": json::LOINC, "code": loinc, "display": display },
        ], "text": display })
    };
    let qty = |value: Value, unit: &str, code: &str| json!({ "value": value, "unit": unit, "system": json::UCUM, "code": code });
    let mut members = Vec::new();
    if let Some(v) = set.respiration_rate {
        let mut r = base("rr", vital_code(vital::RESPIRATION), "vital-signs");
        r["valueQuantity"] = qty(v.into(), "breaths/minute", "/min");
        members.push(r);
    }
    if let Some(v) = set.spo2 {
        let mut r = base("spo2", vital_code(vital::SPO2), "vital-signs");
        r["valueQuantity"] = qty(v.into(), "%", "%");
        members.push(r);
    }
    if let Some(o) = &set.oxygen {
        let r = match o {
            Oxygen::Air => base(
                "o2",
                json!({ "coding": [snomed(vital::ROOM_AIR.0, vital::ROOM_AIR.1)], "text": "Air" }),
                "vital-signs",
            ),
            Oxygen::Supplemental {
                litres_per_minute,
                device,
            } => {
                let mut r = base(
                    "o2",
                    json!({ "coding": [snomed(vital::ON_OXYGEN.0, vital::ON_OXYGEN.1)], "text": "Oxygen" }),
                    "vital-signs",
                );
                if let Some(l) = litres_per_minute {
                    r["valueQuantity"] = qty(json!(l), "L/min", "L/min");
                }
                if let Some(d) = device {
                    r["device"] = json!({ "display": d });
                }
                r
            }
        };
        members.push(r);
    }
    if set.systolic_bp.is_some() || set.diastolic_bp.is_some() {
        let mut r = base("bp", vital_code(vital::BP), "vital-signs");
        let mut components = Vec::new();
        for (value, code) in [
            (set.systolic_bp, vital::SYSTOLIC),
            (set.diastolic_bp, vital::DIASTOLIC),
        ] {
            if let Some(v) = value {
                components.push(
                    json!({ "code": vital_code(code), "valueQuantity": qty(v.into(), "mmHg", "mm[Hg]") }),
                );
            }
        }
        r["component"] = Value::Array(components);
        members.push(r);
    }
    if let Some(v) = set.pulse {
        let mut r = base("pulse", vital_code(vital::PULSE), "vital-signs");
        r["valueQuantity"] = qty(v.into(), "beats/minute", "/min");
        members.push(r);
    }
    if let Some(c) = set.consciousness {
        let mut r = base(
            "acvpu",
            json!({ "coding": [snomed(vital::ACVPU.0, vital::ACVPU.1)], "text": "ACVPU" }),
            "survey",
        );
        r["valueCodeableConcept"] = match c {
            Consciousness::Alert => {
                json!({ "coding": [snomed(vital::ALERT.0, vital::ALERT.1)], "text": "Alert" })
            }
            Consciousness::NewConfusion => json!({ "text": "New confusion" }),
            Consciousness::Voice => json!({ "text": "Voice" }),
            Consciousness::Pain => json!({ "text": "Pain" }),
            Consciousness::Unresponsive => json!({ "text": "Unresponsive" }),
        };
        members.push(r);
    }
    if let Some(t) = set.temperature_c {
        let mut r = base("temp", vital_code(vital::TEMPERATURE), "vital-signs");
        r["valueQuantity"] = qty(json!(t), "°C", "Cel");
        members.push(r);
    }

    let score = news2::score(set);
    let mut total = base(
        "news2",
        json!({ "coding": [snomed(vital::NEWS2_TOTAL.0, vital::NEWS2_TOTAL.1)], "text": "NEWS2 total" }),
        "survey",
    );
    total["id"] = set.id.clone().into();
    total["extension"] = json!([{
        "url": ext::SPO2_SCALE,
        "valueCode": match set.spo2_scale { Spo2Scale::Scale1 => "scale-1", Spo2Scale::Scale2 => "scale-2" },
    }]);
    if score.is_complete() {
        total["valueQuantity"] =
            json!({ "value": score.total, "unit": "score", "system": json::UCUM, "code": "{score}" });
    } else {
        total["dataAbsentReason"] =
            json!({ "text": "Incomplete set: not every NEWS2 parameter was recorded" });
    }
    total["hasMember"] = members
        .iter()
        .map(|m| reference("Observation", m["id"].as_str().unwrap_or_default()))
        .collect();
    let mut out = vec![total];
    out.extend(members);
    out
}
