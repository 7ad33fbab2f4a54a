//! Filing downtime entries back to a real FHIR R4 server (no mocks): one of each kind, filed twice,
//! and filed half then all; every resource exactly once, found by its filing identifier.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic with its location is the clearest failure

use std::collections::BTreeSet;
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use lamplight_demo::DemoOptions;
use lamplight_fhir::backfile::{AckStatus, FileOptions, PatientFiling, file_patient};
use lamplight_fhir::test_server::{FhirServer, namespaced};
use lamplight_fhir::{Epr, EprConfig, export};
use lamplight_model::entry::{Entry, EntryKind};
use lamplight_model::reconcile::{FILING_ID_SYSTEM, FilingPatient};
use lamplight_model::{
    Admission, Consciousness, ObservationSet, OmissionReason, Oxygen, Patient, PersonName, Sex, Site,
    Spo2Scale,
};
use serde_json::Value;

fn epr(url: &str) -> Epr {
    let mut config = EprConfig::new(url);
    config.backoff = Duration::from_millis(50);
    Epr::new(config).unwrap()
}

/// A 28-bed demo ward (ids starting `ns`) loaded into the server.
fn load(server: &FhirServer, ns: &str) -> Site {
    let site = namespaced(
        &lamplight_demo::site(&DemoOptions::ward(Utc::now() - TimeDelta::hours(6))),
        ns,
    );
    epr(&server.url)
        .transaction(&export(&site))
        .expect("the demo ward loads");
    site
}

fn entry(n: u32, at: DateTime<Utc>, kind: EntryKind) -> Entry {
    Entry {
        id: uuid::Uuid::new_v4().to_string(),
        recorded_at: at + TimeDelta::minutes(i64::from(n)),
        recorded_by: "Nurse A Keyer".into(),
        pc: "WD1-PC1".into(),
        drill: false,
        corrects: None,
        kind,
    }
}

/// One patient's entries of every kind (two doses, a set, a note, a phoned result, a transfer, a
/// discharge), and a downtime admission with a note and a transfer of its own.
struct Scenario {
    patient: String,
    encounter: String,
    entries: Vec<Entry>,
    dt_patient: String,
    dt_entries: Vec<Entry>,
}

#[allow(clippy::too_many_lines, reason = "one entry of each kind, written out")]
fn scenario(site: &Site) -> Scenario {
    let at = site.extracted_at.unwrap();
    let order = site
        .orders
        .iter()
        .find(|o| site.admissions.iter().any(|a| a.patient_id == o.patient_id))
        .unwrap()
        .clone();
    let admission = site
        .admissions
        .iter()
        .find(|a| a.patient_id == order.patient_id)
        .unwrap()
        .clone();
    let ward = admission.ward_id.clone().unwrap();
    let occupied: BTreeSet<&str> = site
        .admissions
        .iter()
        .filter_map(|a| a.bed_id.as_deref())
        .collect();
    let free: Vec<String> = site
        .wards
        .iter()
        .flat_map(|w| w.bays.iter().flat_map(|b| b.beds.iter()))
        .filter(|b| !occupied.contains(b.id.as_str()))
        .map(|b| b.id.clone())
        .collect();
    let p = admission.patient_id.clone();
    let mut set = ObservationSet::empty("set1", &p, at + TimeDelta::minutes(20));
    set.respiration_rate = Some(22);
    set.spo2 = Some(94);
    set.oxygen = Some(Oxygen::Air);
    set.systolic_bp = Some(104);
    set.diastolic_bp = Some(66);
    set.pulse = Some(112);
    set.consciousness = Some(Consciousness::Alert);
    set.temperature_c = Some(38.4);
    set.spo2_scale = Spo2Scale::Scale1;
    set.recorded_by = Some("Nurse B Observer".into());
    let entries = vec![
        entry(
            1,
            at,
            EntryKind::DoseGiven {
                patient_id: p.clone(),
                order_id: order.id.clone(),
                given_at: at + TimeDelta::minutes(10),
                dose: "1 g".into(),
                given_by: "Nurse C Giver".into(),
                checked_by: Some("Nurse D Checker".into()),
                due_at: None,
            },
        ),
        entry(
            2,
            at,
            EntryKind::DoseNotGiven {
                patient_id: p.clone(),
                order_id: order.id.clone(),
                due_at: at + TimeDelta::minutes(15),
                reason: OmissionReason::Refused,
                note: Some("Declined, says it upsets the stomach".into()),
            },
        ),
        entry(30, at, EntryKind::Observations { set }),
        entry(
            31,
            at,
            EntryKind::Note {
                patient_id: p.clone(),
                text: "Settled overnight.".into(),
            },
        ),
        entry(
            32,
            at,
            EntryKind::PhonedResult {
                patient_id: p.clone(),
                test: "Potassium".into(),
                value: "5.9 mmol/L".into(),
                caller: "Lab Caller".into(),
                read_back: true,
            },
        ),
        entry(
            40,
            at,
            EntryKind::Transfer {
                patient_id: p.clone(),
                ward_id: ward.clone(),
                bed_id: Some(free[0].clone()),
            },
        ),
        entry(
            50,
            at,
            EntryKind::Discharge {
                patient_id: p.clone(),
                at: at + TimeDelta::minutes(50),
                destination: Some("Home".into()),
            },
        ),
    ];
    let dt = format!("DT-WD1-PC1-{}", &uuid::Uuid::new_v4().to_string()[..8]);
    let dt_entries = vec![
        entry(
            5,
            at,
            EntryKind::Admission {
                patient: Patient {
                    id: dt.clone(),
                    nhs_number: None,
                    hospital_number: None,
                    name: PersonName {
                        family: "Testpatient".into(),
                        given: vec!["Synthetic".into()],
                        prefix: None,
                    },
                    birth_date: None,
                    sex: Sex::Unknown,
                },
                admission: Admission {
                    id: dt.clone(),
                    patient_id: dt.clone(),
                    ward_id: Some(ward.clone()),
                    bed_id: Some(free[1].clone()),
                    admitted_at: at + TimeDelta::minutes(5),
                    consultant: None,
                    specialty: None,
                    expected_discharge: None,
                    reason: Some("Fall at home".into()),
                },
            },
        ),
        entry(
            6,
            at,
            EntryKind::Note {
                patient_id: dt.clone(),
                text: "Arrived on the ward.".into(),
            },
        ),
        entry(
            7,
            at,
            EntryKind::Transfer {
                patient_id: dt.clone(),
                ward_id: ward,
                bed_id: Some(free[2].clone()),
            },
        ),
    ];
    Scenario {
        encounter: admission.id,
        patient: p,
        entries,
        dt_patient: dt,
        dt_entries,
    }
}

/// How many resources of `rtype` the server holds.
fn total(epr: &Epr, rtype: &str) -> usize {
    let url = format!("{}/{rtype}?_summary=count", epr.base_url());
    let v: Value = serde_json::from_slice(&reqwest::blocking::get(url).unwrap().bytes().unwrap()).unwrap();
    usize::try_from(v["total"].as_u64().unwrap()).unwrap()
}

const TYPES: [&str; 6] = [
    "MedicationAdministration",
    "Observation",
    "Communication",
    "Encounter",
    "Patient",
    "Provenance",
];

fn totals(epr: &Epr) -> Vec<usize> {
    TYPES.iter().map(|t| total(epr, t)).collect()
}

fn file_all(
    epr: &Epr,
    s: &Scenario,
    entries: &[Entry],
    dt: &[Entry],
    batch: usize,
) -> Vec<lamplight_fhir::backfile::Ack> {
    let o = FileOptions {
        batch,
        ..FileOptions::default()
    };
    let mut acks = file_patient(
        epr,
        &PatientFiling {
            patient: FilingPatient::Epr {
                id: s.patient.clone(),
            },
            encounter: Some(s.encounter.clone()),
            entries: entries.iter().collect(),
        },
        &o,
    )
    .unwrap();
    acks.extend(
        file_patient(
            epr,
            &PatientFiling {
                patient: FilingPatient::New {
                    downtime_id: s.dt_patient.clone(),
                    admission_entry: dt
                        .iter()
                        .find(|e| matches!(e.kind, EntryKind::Admission { .. }))
                        .map(|e| e.id.clone())
                        .unwrap(),
                },
                encounter: None,
                entries: dt.iter().collect(),
            },
            &o,
        )
        .unwrap(),
    );
    acks
}

/// Every filing identifier on the server's resources of `rtype`, with how many resources carry it.
fn filing_ids(epr: &Epr, rtype: &str) -> Vec<(String, usize)> {
    let r = epr.search(rtype, &[("_count", "500".into())]).unwrap();
    let mut counts = std::collections::BTreeMap::<String, usize>::new();
    for res in r.resources {
        for i in res["identifier"].as_array().into_iter().flatten() {
            if i["system"] == FILING_ID_SYSTEM {
                *counts.entry(i["value"].as_str().unwrap().to_owned()).or_default() += 1;
            }
        }
    }
    counts.into_iter().collect()
}

#[test]
fn one_of_each_kind_is_filed_once_and_filing_again_creates_nothing() {
    let server = FhirServer::start();
    let epr = epr(&server.url);
    let s = scenario(&load(&server, "bf1-"));
    let before = totals(&epr);

    let acks = file_all(&epr, &s, &s.entries, &s.dt_entries, 50);
    assert_eq!(acks.len(), s.entries.len() + s.dt_entries.len());
    assert!(acks.iter().all(|a| a.status == AckStatus::Filed), "{acks:#?}");
    for a in &acks {
        let main_created = a.resources.iter().filter(|r| r.created).count();
        let e = s
            .entries
            .iter()
            .chain(&s.dt_entries)
            .find(|e| e.id == a.entry_id)
            .unwrap();
        let writes_encounter = matches!(e.kind, EntryKind::Transfer { .. } | EntryKind::Discharge { .. });
        assert_eq!(
            main_created == 0,
            writes_encounter,
            "entry {}: created resources are POSTs, never the PUT of a Provenance or an Encounter: {a:?}",
            a.entry_id
        );
        assert!(
            a.resources
                .iter()
                .any(|r| r.reference.starts_with("Provenance/") && !r.created)
        );
    }
    let admission = acks.iter().find(|a| a.entry_id == s.dt_entries[0].id).unwrap();
    assert!(
        admission
            .resources
            .iter()
            .any(|r| r.reference.starts_with("Encounter/") && r.created),
        "the downtime admission's Encounter is created: {admission:?}"
    );
    let after = totals(&epr);
    let added: Vec<usize> = after.iter().zip(&before).map(|(a, b)| a - b).collect();
    // 2 doses; 8 vital signs + 1 total + 7 sub-scores; note + result + DT note; the DT admission's
    // Encounter and Patient; one Provenance per entry.
    assert_eq!(added, [2, 15, 3, 1, 1, 10], "{TYPES:?}");

    // The patient's Encounter: transferred (old bed completed, new one active) and discharged.
    let enc = epr
        .search("Encounter", &[("_id", s.encounter.clone())])
        .unwrap()
        .resources
        .remove(0);
    assert_eq!(enc["status"], "finished");
    assert!(enc["period"]["end"].is_string());
    assert_eq!(enc["hospitalization"]["dischargeDisposition"]["text"], "Home");
    let locations = enc["location"].as_array().unwrap();
    assert!(
        locations.iter().all(|l| l["status"] == "completed"),
        "{locations:#?}"
    );
    assert!(
        locations
            .iter()
            .any(|l| l["extension"][0]["url"] == lamplight_fhir::ext::FILED_ENTRY)
    );
    let version = enc["meta"]["versionId"].clone();

    // Again: nothing new, every entry already there, the Encounter untouched.
    let again = file_all(&epr, &s, &s.entries, &s.dt_entries, 50);
    assert!(
        again.iter().all(|a| a.status == AckStatus::AlreadyThere),
        "{again:#?}"
    );
    assert_eq!(totals(&epr), after, "filing twice creates nothing");
    let enc = epr
        .search("Encounter", &[("_id", s.encounter.clone())])
        .unwrap()
        .resources
        .remove(0);
    assert_eq!(
        enc["meta"]["versionId"], version,
        "the Encounter is not written again"
    );
    assert_eq!(
        filing_ids(&epr, "Observation").len(),
        15,
        "each Observation has its own filing id"
    );
    for t in &TYPES[..5] {
        for (id, n) in filing_ids(&epr, t) {
            assert_eq!(n, 1, "{t} with filing id {id}");
        }
    }
}

#[test]
fn filing_half_then_all_files_each_entry_exactly_once() {
    let server = FhirServer::start();
    let epr = epr(&server.url);
    let s = scenario(&load(&server, "bf2-"));
    let before = totals(&epr);
    let half = file_all(&epr, &s, &s.entries[..3], &s.dt_entries[..1], 1);
    assert!(half.iter().all(|a| a.status == AckStatus::Filed));
    let all = file_all(&epr, &s, &s.entries, &s.dt_entries, 2);
    let already: Vec<&str> = all
        .iter()
        .filter(|a| a.status == AckStatus::AlreadyThere)
        .map(|a| a.entry_id.as_str())
        .collect();
    let first: Vec<&str> = half.iter().map(|a| a.entry_id.as_str()).collect();
    assert_eq!(
        already, first,
        "what the first run filed is found, the rest filed"
    );
    let added: Vec<usize> = totals(&epr).iter().zip(&before).map(|(a, b)| a - b).collect();
    assert_eq!(added, [2, 15, 3, 1, 1, 10], "{TYPES:?}");
    for t in &TYPES[..5] {
        for (id, n) in filing_ids(&epr, t) {
            assert_eq!(n, 1, "{t} with filing id {id}");
        }
    }
}

#[test]
fn the_epr_state_shows_what_was_filed_and_where_the_patient_is() {
    use lamplight_fhir::epr_state::{StateQuery, fetch};
    use lamplight_model::reconcile::{EncounterStatus, filing_id};
    let server = FhirServer::start();
    let epr = epr(&server.url);
    let site = load(&server, "bf3-");
    let s = scenario(&site);
    // Before: the orders and the patient's encounter as loaded, nothing filed.
    let q = StateQuery::for_entries(&s.entries);
    let state = fetch(&epr, &q).unwrap();
    assert!(state.fetched_at.is_some());
    assert_eq!(state.orders.len(), 1);
    let enc = state
        .encounters
        .iter()
        .find(|e| e.patient_id == s.patient)
        .unwrap();
    assert_eq!(
        (enc.id.as_str(), enc.status),
        (s.encounter.as_str(), EncounterStatus::InProgress)
    );
    let admission = site.admissions.iter().find(|a| a.id == s.encounter).unwrap();
    assert_eq!(enc.place.ward_id, admission.ward_id);
    assert_eq!(enc.place.bed_id, admission.bed_id);
    assert!(state.filed.is_empty(), "{:?}", state.filed);

    file_all(&epr, &s, &s.entries, &s.dt_entries, 50);
    let state = fetch(&epr, &q).unwrap();
    for e in &s.entries {
        assert!(
            state.filed.contains(&filing_id(&e.id)),
            "entry {} is seen as filed",
            e.id
        );
    }
    let filed_doses: Vec<_> = state
        .administrations
        .iter()
        .filter(|a| !a.filing_ids.is_empty())
        .collect();
    assert_eq!(filed_doses.len(), 2);
    let enc = state
        .encounters
        .iter()
        .find(|e| e.patient_id == s.patient)
        .unwrap();
    assert_eq!(enc.status, EncounterStatus::Finished);
    assert!(enc.ended_at.is_some());

    // Candidates for a downtime admission: by NHS number, and by family name and birth date.
    let by_number = site.patients.iter().find(|p| p.nhs_number.is_some()).unwrap();
    let by_name = site
        .patients
        .iter()
        .find(|p| p.birth_date.is_some() && p.id != by_number.id)
        .unwrap();
    let mut a = by_number.clone();
    a.id = "DT-X-1".into();
    a.name.family = "Different".into();
    let mut b = by_name.clone();
    b.id = "DT-X-2".into();
    b.nhs_number = None;
    let q = StateQuery {
        downtime_patients: vec![&a, &b],
        ..StateQuery::default()
    };
    let state = fetch(&epr, &q).unwrap();
    let ids: BTreeSet<&str> = state.patients.iter().map(|p| p.id.as_str()).collect();
    assert!(ids.contains(by_number.id.as_str()), "{ids:?}");
    assert!(ids.contains(by_name.id.as_str()), "{ids:?}");
    let found = state.patients.iter().find(|p| p.id == by_number.id).unwrap();
    assert_eq!(found.nhs_number, by_number.nhs_number);
}

#[test]
fn a_transfer_built_on_an_encounter_the_epr_changed_since_is_refused_not_merged() {
    use lamplight_fhir::backfile::{Built, Context, build};
    let server = FhirServer::start();
    let epr = epr(&server.url);
    let s = scenario(&load(&server, "bf4-"));
    let read = || {
        epr.search("Encounter", &[("_id", s.encounter.clone())])
            .unwrap()
            .resources
            .remove(0)
    };
    let before = read();
    // The EPR moves the patient itself after Lamplight read the Encounter.
    let mut changed = before.clone();
    changed["location"][0]["status"] = "completed".into();
    lamplight_fhir::test_server::put_all(&epr, vec![changed]);
    let transfer = s
        .entries
        .iter()
        .find(|e| matches!(e.kind, EntryKind::Transfer { .. }))
        .unwrap();
    let cx = Context {
        patient: format!("Patient/{}", s.patient),
        encounter: Some(format!("Encounter/{}", s.encounter)),
        current_encounter: Some(&before),
        ..Context::default()
    };
    let Built::Entries { entries, .. } = build(transfer, &cx).unwrap() else {
        panic!("a transfer to file")
    };
    let bundle = serde_json::json!({ "resourceType": "Bundle", "type": "transaction", "entry": entries });
    let err = epr.transaction(&bundle).unwrap_err();
    assert!(lamplight_fhir::backfile::precondition_failed(&err), "{err}");
    let after = read();
    assert!(
        after["location"]
            .as_array()
            .unwrap()
            .iter()
            .all(|l| l.get("extension").is_none()),
        "nothing of the transaction was written"
    );
    assert_eq!(total(&epr, "Provenance"), 0, "nor its Provenance");
}

#[test]
fn filing_waits_for_an_epr_that_is_restarting_and_files_each_entry_once() {
    let server = FhirServer::start();
    let s = scenario(&load(&server, "bf5-"));
    let mut config = EprConfig::new(&server.url);
    config.backoff = Duration::from_millis(500);
    config.retries = 5;
    let epr = Epr::new(config).unwrap();
    let before = totals(&epr);
    server.stop();
    std::thread::scope(|scope| {
        scope.spawn(|| {
            std::thread::sleep(Duration::from_millis(700));
            server.restart();
        });
        let o = FileOptions {
            backoff: Duration::from_millis(500),
            retries: 5,
            ..FileOptions::default()
        };
        let acks = file_patient(
            &epr,
            &PatientFiling {
                patient: FilingPatient::Epr {
                    id: s.patient.clone(),
                },
                encounter: Some(s.encounter.clone()),
                entries: s.entries.iter().collect(),
            },
            &o,
        )
        .expect("filed once the EPR is back");
        assert!(acks.iter().all(|a| a.status == AckStatus::Filed));
    });
    let added: Vec<usize> = totals(&epr).iter().zip(&before).map(|(a, b)| a - b).collect();
    assert_eq!(added, [2, 15, 2, 0, 0, 7], "{TYPES:?}");
}

/// A loopback peer that answers as `respond` says, given the request number, method and body.
fn peer(
    respond: impl Fn(usize, &str, &[u8]) -> (u16, String) + Send + Sync + 'static,
) -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use std::io::{BufRead, BufReader, Read, Write};
    use std::sync::atomic::Ordering;
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let count = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let seen = count.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            let mut length = 0;
            let mut method = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 0) {
                if method.is_empty() {
                    line.split(' ').next().unwrap_or_default().clone_into(&mut method);
                }
                if line == "\r\n" {
                    break;
                }
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap_or(0);
                }
                line.clear();
            }
            let mut body = vec![0; length];
            let _ = reader.read_exact(&mut body);
            let (status, body) = respond(seen.fetch_add(1, Ordering::SeqCst), &method, &body);
            let _ = write!(
                stream,
                "HTTP/1.1 {status} X\r\nContent-Type: application/fhir+json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    (url, count)
}

fn notes(n: u32) -> Vec<Entry> {
    (0..n)
        .map(|i| {
            entry(
                i,
                Utc::now(),
                EntryKind::Note {
                    patient_id: "p1".into(),
                    text: "Synthetic note.".into(),
                },
            )
        })
        .collect()
}

fn file_notes(
    url: &str,
    entries: &[Entry],
) -> Result<Vec<lamplight_fhir::backfile::Ack>, lamplight_fhir::backfile::Stopped> {
    file_patient(
        &epr(url),
        &PatientFiling {
            patient: FilingPatient::Epr { id: "p1".into() },
            encounter: None,
            entries: entries.iter().collect(),
        },
        &FileOptions {
            backoff: Duration::from_millis(20),
            ..FileOptions::default()
        },
    )
}

#[test]
fn a_transaction_answered_503_is_sent_again_and_a_422_stops_with_the_servers_words() {
    static POSTS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let (url, count) = peer(|_, method, body| {
        if method == "GET" {
            return (200, r#"{"resourceType":"Bundle","type":"searchset"}"#.into());
        }
        if POSTS.fetch_add(1, std::sync::atomic::Ordering::SeqCst) < 2 {
            return (503, String::new());
        }
        let sent: Value = serde_json::from_slice(body).unwrap();
        let replies: Vec<Value> = sent["entry"]
            .as_array()
            .unwrap()
            .iter()
            .enumerate()
            .map(|(i, e)| {
                let t = e["request"]["url"].as_str().unwrap().split('/').next().unwrap();
                serde_json::json!({ "response": { "status": "201 Created", "location": format!("{t}/x{i}/_history/1") } })
            })
            .collect();
        (
            200,
            serde_json::json!({ "resourceType": "Bundle", "type": "transaction-response", "entry": replies })
                .to_string(),
        )
    });
    let entries = notes(2);
    let acks = file_notes(&url, &entries).unwrap();
    assert_eq!(acks.len(), 2);
    assert!(acks.iter().all(|a| a.status == AckStatus::Filed));
    assert_eq!(
        count.load(std::sync::atomic::Ordering::SeqCst),
        1 + 3,
        "one search, then the transaction three times"
    );

    let (url, count) = peer(|_, method, _| {
        if method == "GET" {
            return (200, r#"{"resourceType":"Bundle","type":"searchset"}"#.into());
        }
        (
            422,
            r#"{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"invalid","details":{"text":"Communication.category is not in the value set"}}]}"#.into(),
        )
    });
    let stopped = file_notes(&url, &entries).unwrap_err();
    assert!(stopped.acks.is_empty());
    let words = stopped.to_string();
    assert!(
        words.contains("Communication.category is not in the value set"),
        "{words}"
    );
    assert!(
        !words.contains("Synthetic note"),
        "no patient data in the error: {words}"
    );
    assert_eq!(
        count.load(std::sync::atomic::Ordering::SeqCst),
        2,
        "a 4xx is not sent again"
    );
}
