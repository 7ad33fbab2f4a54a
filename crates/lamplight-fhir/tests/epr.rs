//! The EPR client and the ward census against a real FHIR R4 server on loopback (no mocks of the HTTP
//! layer), and against tiny loopback peers that answer as broken servers do.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic with its location is the clearest failure

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use chrono::{TimeDelta, Utc};
use lamplight_demo::DemoOptions;
use lamplight_fhir::census::{self, CensusOptions, PullKind, Refresher};
use lamplight_fhir::test_server::{FhirServer, namespaced, put_all, resource};
use lamplight_fhir::{Epr, EprConfig, EprError, export};
use lamplight_model::{OrderStatus, Site};
use serde_json::json;

fn epr(url: &str) -> Epr {
    let mut config = EprConfig::new(url);
    config.backoff = Duration::from_millis(50);
    Epr::new(config).unwrap()
}

/// A two-ward demo site (56 beds) whose ids and ward codes start with `ns`, as of a few minutes from
/// now (so nothing sits on the edge of the 24-hour window while the test runs), loaded into the server.
fn load_demo(server: &FhirServer, ns: &str, seed: u64) -> Site {
    let mut site = namespaced(
        &lamplight_demo::site(&DemoOptions {
            beds: 56,
            seed,
            at: Utc::now() + TimeDelta::minutes(5),
        }),
        ns,
    );
    // A pull keeps the last 24 hours of doses and observations, and the demo's reach a little past
    // that (a dose due 24 h ago, given a few minutes early): at some times of day one sat on the
    // edge and the counts differed (at 21:45 UTC, by three). Load only what is clear of the edge.
    let clear = Utc::now() - TimeDelta::hours(23);
    site.administrations.retain(|a| a.at >= clear);
    site.observations.retain(|o| o.taken_at >= clear);
    let answer = epr(&server.url)
        .transaction(&export(&site))
        .expect("the demo site loads");
    assert_eq!(
        answer["type"], "transaction-response",
        "the server took the bundle as a transaction"
    );
    site
}

/// What a census of one ward of `site` must hold.
fn expected_ward(site: &Site, code: &str) -> Site {
    let mut w = site.ward_subset(code).expect("the ward exists");
    census::normalise(&mut w);
    w
}

fn same_moment(mut a: Site, b: &Site) -> Site {
    a.extracted_at = b.extracted_at;
    a
}

#[test]
fn a_ward_pulled_from_the_epr_is_exactly_the_ward_that_was_loaded() {
    let server = FhirServer::get();
    let site = load_demo(&server, "pull-", 11);
    let code = site.wards[0].code.clone();
    let epr = epr(&server.url);
    let caps = epr.capabilities().expect("the test server is a FHIR R4 server");
    assert!(
        caps.fhir_version.starts_with("4.0"),
        "the health check reports the FHIR version"
    );

    let census = census::full_pull(&epr, &caps, &CensusOptions::ward(&code)).expect("the ward pulls");
    assert_eq!(census.kind, PullKind::Full);
    let expected = expected_ward(&site, &code);
    assert!(
        !expected.patients.is_empty(),
        "the demo ward has patients to pull"
    );
    assert_eq!(
        census.site.counts(),
        expected.counts(),
        "the census holds as many of each kind as were loaded for the ward"
    );
    assert_eq!(
        same_moment(census.site, &expected),
        expected,
        "what comes back from the EPR is what went in, value for value"
    );
    assert!(
        (Utc::now() - census.as_of).num_seconds().abs() < 60,
        "the census is dated by the server's clock"
    );
}

#[test]
fn an_unknown_ward_is_a_clear_error() {
    let server = FhirServer::get();
    let epr = epr(&server.url);
    let caps = epr.capabilities().unwrap();
    let err = census::full_pull(&epr, &caps, &CensusOptions::ward("NO-SUCH-WARD-42")).unwrap_err();
    assert!(
        matches!(err, EprError::NoSuchWard { .. }),
        "a ward the EPR does not know is named as such: {err}"
    );
}

#[test]
#[allow(
    clippy::too_many_lines,
    reason = "one story: ten changes made, then one comparison"
)]
fn after_ten_changes_on_the_epr_an_incremental_refresh_equals_a_fresh_full_pull() {
    let server = FhirServer::get();
    let site = load_demo(&server, "story-", 12);
    let ward = site.wards[0].clone();
    let epr = epr(&server.url);
    let caps = epr.capabilities().unwrap();
    let options = CensusOptions::ward(&ward.code);
    let first = census::full_pull(&epr, &caps, &options).unwrap();
    let on_ward = expected_ward(&site, &ward.code);
    let patients: Vec<&str> = on_ward.patients.iter().map(|p| p.id.as_str()).collect();
    assert!(patients.len() >= 8, "the story needs a ward with patients");
    std::thread::sleep(Duration::from_millis(1100)); // changes land after the pull's second

    // 1. Admit: a new patient into a free bed, with an order (the demo's first patient, copied).
    let free_bed = ward
        .beds()
        .map(|(_, b)| b)
        .find(|b| {
            !on_ward
                .admissions
                .iter()
                .any(|a| a.bed_id.as_deref() == Some(b.id.as_str()))
        })
        .expect("the demo ward has a free bed")
        .id
        .clone();
    let source = &on_ward.patients[0].id;
    let mut patient = resource(&site, &format!("Patient/{source}"));
    patient["id"] = "story-new-patient".into();
    let admission = on_ward
        .admissions
        .iter()
        .find(|a| &a.patient_id == source)
        .unwrap();
    let mut encounter = resource(&site, &format!("Encounter/{}", admission.id));
    encounter["id"] = "story-new-admission".into();
    encounter["subject"]["reference"] = "Patient/story-new-patient".into();
    encounter["location"][1]["location"]["reference"] = format!("Location/{free_bed}").into();
    let order_id = &on_ward
        .orders
        .iter()
        .find(|o| &o.patient_id == source)
        .unwrap()
        .id;
    let mut new_order = resource(&site, &format!("MedicationRequest/{order_id}"));
    new_order["id"] = "story-new-order".into();
    new_order["subject"]["reference"] = "Patient/story-new-patient".into();
    // 2. Discharge: an encounter finished.
    let discharged = &on_ward
        .admissions
        .iter()
        .find(|a| a.patient_id == patients[1])
        .unwrap()
        .id;
    let mut discharge = resource(&site, &format!("Encounter/{discharged}"));
    discharge["status"] = "finished".into();
    discharge["period"]["end"] = Utc::now().to_rfc3339().into();
    // 3. Transfer to the other ward.
    let moved = &on_ward
        .admissions
        .iter()
        .find(|a| a.patient_id == patients[2])
        .unwrap()
        .id;
    let mut transfer = resource(&site, &format!("Encounter/{moved}"));
    transfer["location"] = json!([{ "location": { "reference": format!("Location/{}", site.wards[1].id) }, "status": "active" }]);
    // 4. Stop an order; 5. give a dose of another.
    let orders: Vec<_> = on_ward
        .orders
        .iter()
        .filter(|o| o.patient_id == patients[3] && o.status == OrderStatus::Active)
        .collect();
    assert!(orders.len() >= 2, "the patient has two active orders");
    let mut stop = resource(&site, &format!("MedicationRequest/{}", orders[0].id));
    stop["status"] = "stopped".into();
    let given_order = orders[1].id.clone();
    let dose = json!({
        "resourceType": "MedicationAdministration", "id": "story-dose", "status": "completed",
        "medicationCodeableConcept": { "text": "as prescribed" },
        "subject": { "reference": format!("Patient/{}", patients[3]) },
        "effectiveDateTime": Utc::now().to_rfc3339(),
        "request": { "reference": format!("MedicationRequest/{given_order}") },
        "performer": [{ "actor": { "display": "Staff Nurse Test" } }],
    });
    // 6. A flag resolved; 7. a test resulted; 8. a new allergy; 9. a name corrected; 10. new obs.
    let mut changes = vec![patient, encounter, new_order, discharge, transfer, stop, dose];
    if let Some(alert) = on_ward
        .alerts
        .iter()
        .find(|a| patients[4..].contains(&a.patient_id.as_str()))
    {
        let mut flag = resource(&site, &format!("Flag/{}", alert.id));
        flag["status"] = "inactive".into();
        changes.push(flag);
    }
    if let Some(test) = on_ward
        .tests
        .iter()
        .find(|t| patients[4..].contains(&t.patient_id.as_str()))
    {
        let mut sr = resource(&site, &format!("ServiceRequest/{}", test.id));
        sr["status"] = "completed".into();
        changes.push(sr);
    }
    changes.push(json!({
        "resourceType": "AllergyIntolerance", "id": "story-allergy",
        "clinicalStatus": { "coding": [{ "system": "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical", "code": "active" }] },
        "verificationStatus": { "coding": [{ "system": "http://terminology.hl7.org/CodeSystem/allergyintolerance-verification", "code": "confirmed" }] },
        "code": { "text": "Penicillin" },
        "patient": { "reference": format!("Patient/{}", patients[5]) },
    }));
    let mut renamed = resource(&site, &format!("Patient/{}", patients[6]));
    renamed["name"][0]["family"] = "Corrected-Surname".into();
    changes.push(renamed);
    let obs = on_ward
        .observations
        .iter()
        .find(|o| o.patient_id == patients[7])
        .unwrap();
    let mut news2 = resource(&site, &format!("Observation/{}", obs.id));
    news2["id"] = "story-new-obs".into();
    news2["effectiveDateTime"] = Utc::now().to_rfc3339().into();
    news2["hasMember"] = json!([]);
    changes.push(news2);
    assert!(changes.len() >= 10, "ten changes or more are made on the EPR");
    put_all(&epr, changes);

    let refreshed = census::refresh(&epr, &caps, &first, &options).expect("the refresh runs");
    assert_eq!(refreshed.kind, PullKind::Incremental);
    let fresh = census::full_pull(&epr, &caps, &options).unwrap();
    assert_eq!(
        same_moment(refreshed.site.clone(), &fresh.site),
        fresh.site,
        "an incremental refresh must give exactly what a fresh full pull gives"
    );
    let s = &refreshed.site;
    assert!(
        s.patients.iter().any(|p| p.id == "story-new-patient"),
        "the admitted patient is on the ward"
    );
    assert!(
        s.orders.iter().any(|o| o.id == "story-new-order"),
        "with their drug chart"
    );
    assert!(
        !s.patients.iter().any(|p| p.id == patients[1]),
        "the discharged patient has left"
    );
    assert!(
        !s.patients.iter().any(|p| p.id == patients[2]),
        "the transferred patient has left"
    );
    assert!(
        !s.orders.iter().any(|o| o.patient_id == patients[1]),
        "and the discharged patient's records went with them"
    );
    assert_eq!(
        s.orders.iter().find(|o| o.id == orders[0].id).map(|o| o.status),
        Some(OrderStatus::Stopped),
        "the stopped order shows as stopped"
    );
    assert!(
        s.administrations.iter().any(|a| a.id == "story-dose"),
        "the dose given is charted"
    );
    assert!(
        s.patients.iter().any(|p| p.name.family == "Corrected-Surname"),
        "the corrected name shows"
    );
}

#[test]
fn a_full_pull_runs_on_schedule_as_the_safety_net() {
    let server = FhirServer::get();
    let site = load_demo(&server, "sched-", 13);
    let epr = epr(&server.url);
    let caps = epr.capabilities().unwrap();
    let mut r = Refresher::new(CensusOptions::ward(&site.wards[0].code), TimeDelta::hours(1));
    let t0 = Utc::now();
    assert_eq!(r.next_kind(t0), PullKind::Full, "the first pull is a full one");
    assert_eq!(r.pull(&epr, &caps, t0).unwrap().kind, PullKind::Full);
    assert_eq!(
        r.next_kind(t0 + TimeDelta::minutes(5)),
        PullKind::Incremental,
        "then incremental"
    );
    assert_eq!(
        r.pull(&epr, &caps, t0 + TimeDelta::minutes(5)).unwrap().kind,
        PullKind::Incremental
    );
    assert_eq!(
        r.next_kind(t0 + TimeDelta::minutes(61)),
        PullKind::Full,
        "and a full one again when the last is an hour old"
    );
}

// ---- Broken servers: real HTTP peers on loopback, answering as broken servers do. ----

/// A loopback HTTP server answering each request with `respond(n)` (n counts from 0).
fn peer(
    respond: impl Fn(usize) -> (u16, &'static str, String) + Send + Sync + 'static,
) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let count = Arc::new(AtomicUsize::new(0));
    let seen = count.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            let mut length = 0;
            while reader.read_line(&mut line).is_ok_and(|n| n > 0) {
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
            let (status, content_type, body) = respond(seen.fetch_add(1, Ordering::SeqCst));
            let _ = write!(
                stream,
                "HTTP/1.1 {status} X\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    (url, count)
}

#[test]
fn an_unreachable_epr_is_named_as_unreachable() {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port(); // closed once dropped
    let err = epr(&format!("http://127.0.0.1:{port}/fhir"))
        .capabilities()
        .unwrap_err();
    assert!(
        matches!(err, EprError::Unreachable { .. }),
        "a closed port is unreachable: {err}"
    );
    assert!(err.to_string().contains("unreachable"), "and says so: {err}");
}

#[test]
fn a_401_says_the_credentials_were_refused_with_the_servers_words() {
    let outcome = json!({ "resourceType": "OperationOutcome", "issue": [{ "severity": "error", "code": "login", "details": { "text": "token expired" } }] });
    let (url, _) = peer(move |_| (401, "application/fhir+json", outcome.to_string()));
    let err = epr(&url).capabilities().unwrap_err();
    assert!(
        matches!(err, EprError::Unauthorized { .. }),
        "401 is a credentials problem: {err}"
    );
    assert!(
        err.to_string().contains("token expired"),
        "the OperationOutcome's text is quoted: {err}"
    );
}

#[test]
fn a_server_answering_html_is_not_taken_for_a_fhir_server() {
    let (url, _) = peer(|_| {
        (
            200,
            "text/html",
            "<html><body>Please sign in</body></html>".into(),
        )
    });
    let err = epr(&url).capabilities().unwrap_err();
    assert!(
        matches!(err, EprError::NotFhir { .. }),
        "a login page is not FHIR: {err}"
    );
    assert!(
        err.to_string().contains("base URL"),
        "and the message says what to check: {err}"
    );
}

#[test]
fn a_search_answered_with_garbage_is_a_clear_error() {
    let (url, _) = peer(|_| {
        (
            200,
            "application/fhir+json",
            "{\"resourceType\":\"Patient\"".into(),
        )
    });
    let err = epr(&url).search("Encounter", &[]).unwrap_err();
    assert!(
        matches!(err, EprError::Garbage { .. }),
        "truncated JSON is garbage: {err}"
    );
}

#[test]
fn an_epr_that_fails_then_recovers_is_retried() {
    let statement =
        json!({ "resourceType": "CapabilityStatement", "fhirVersion": "4.0.1", "rest": [] }).to_string();
    let (url, count) = peer(move |n| {
        if n < 2 {
            (503, "text/plain", "restarting".into())
        } else {
            (200, "application/fhir+json", statement.clone())
        }
    });
    let caps = epr(&url).capabilities().expect("the third attempt succeeds");
    assert_eq!(caps.fhir_version, "4.0.1");
    assert_eq!(
        count.load(Ordering::SeqCst),
        3,
        "two failures were retried, then it stopped asking"
    );
}

#[test]
fn an_epr_that_stays_down_is_given_up_on_after_bounded_retries() {
    let (url, count) = peer(|_| (502, "text/plain", "bad gateway".into()));
    let err = epr(&url).capabilities().unwrap_err();
    assert!(matches!(err, EprError::ServerError { status: 502, .. }), "{err}");
    assert_eq!(
        count.load(Ordering::SeqCst),
        4,
        "one try and three retries, no more"
    );
}
