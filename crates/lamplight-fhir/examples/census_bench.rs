//! Benchmark: a full census pull of a 1,500-bed demo site from the real FHIR test server, against an
//! incremental refresh after ten changes, and against fetching the same URLs raw with curl.
//!
//! `cargo run --release -p lamplight-fhir --features test-server --example census_bench [BEDS] [RUNS]`
//! Loading the site into the server takes minutes, so this is not part of `make test`.

#![allow(
    clippy::print_stdout,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::cast_precision_loss
)]

use std::fmt::Write as _;
use std::io::Write as _;
use std::process::{Command, Stdio};
use std::time::Instant;

use chrono::{TimeDelta, Utc};
use lamplight_demo::DemoOptions;
use lamplight_fhir::census::{self, CensusOptions};
use lamplight_fhir::test_server::FhirServer;
use lamplight_fhir::{Epr, EprConfig, export};
use serde_json::json;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

#[allow(clippy::too_many_lines, reason = "one benchmark, read top to bottom")]
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let beds: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(1500);
    let runs: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(5);
    let server = FhirServer::start();
    let epr = Epr::new(EprConfig::new(&server.url)).unwrap();
    let site = lamplight_demo::site(&DemoOptions {
        beds,
        seed: 1,
        at: Utc::now() + TimeDelta::minutes(30),
    });
    let started = Instant::now();
    for w in &site.wards {
        epr.transaction(&export(&site.ward_subset(&w.id).unwrap()))
            .expect("a ward loads");
    }
    let load = started.elapsed().as_secs_f64();
    let c = site.counts();
    println!(
        "loaded {} wards, {} beds, {} patients, {} orders, {} administrations, {} observation sets in {load:.0} s",
        c.wards, c.beds, c.patients, c.medication_orders, c.administrations, c.observations
    );
    let caps = epr.capabilities().unwrap();
    let options = CensusOptions::wards(site.wards.iter().map(|w| w.code.clone()).collect());

    let mut full = Vec::new();
    let mut last = None;
    for _ in 0..runs {
        let t = Instant::now();
        let c = census::full_pull(&epr, &caps, &options).unwrap();
        full.push(t.elapsed().as_secs_f64() * 1000.0);
        assert_eq!(
            c.site.patients.len(),
            site.patients.len(),
            "the whole site comes back"
        );
        last = Some(c);
    }
    let mut census = last.unwrap();
    println!(
        "full pull: {} requests, {:.1} MB, {} resources",
        census.stats.requests,
        census.stats.bytes as f64 / 1e6,
        census.stats.resources
    );

    // The same URLs, fetched raw by one curl over one connection (its list on stdin: no temp file).
    let mut config = String::new();
    for u in &census.urls {
        let _ = writeln!(config, "url = \"{u}\"\noutput = \"/dev/null\"");
    }
    let mut raw = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        let mut curl = Command::new("curl")
            .args(["-s", "-f", "-H", "Accept: application/fhir+json", "--config", "-"])
            .stdin(Stdio::piped())
            .spawn()
            .unwrap();
        curl.stdin.take().unwrap().write_all(config.as_bytes()).unwrap();
        assert!(curl.wait().unwrap().success(), "curl fetched every URL");
        raw.push(t.elapsed().as_secs_f64() * 1000.0);
    }

    // Ten changes (doses given), then an incremental refresh; repeated.
    let mut incremental = Vec::new();
    let mut requests = 0;
    for run in 0..runs {
        std::thread::sleep(std::time::Duration::from_millis(2100));
        let entries: Vec<_> = census
            .site
            .orders
            .iter()
            .step_by(97)
            .take(10)
            .enumerate()
            .map(|(i, o)| {
                let id = format!("bench-dose-{run}-{i}");
                json!({ "resource": {
                    "resourceType": "MedicationAdministration", "id": id, "status": "completed",
                    "medicationCodeableConcept": { "text": "as prescribed" },
                    "subject": { "reference": format!("Patient/{}", o.patient_id) },
                    "effectiveDateTime": Utc::now().to_rfc3339(),
                    "request": { "reference": format!("MedicationRequest/{}", o.id) },
                }, "request": { "method": "PUT", "url": format!("MedicationAdministration/{id}") } })
            })
            .collect();
        epr.transaction(&json!({ "resourceType": "Bundle", "type": "transaction", "entry": entries }))
            .unwrap();
        let t = Instant::now();
        let next = census::refresh(&epr, &caps, &census, &options).unwrap();
        incremental.push(t.elapsed().as_secs_f64() * 1000.0);
        requests = next.stats.requests;
        census = next;
    }
    let check = census::full_pull(&epr, &caps, &options).unwrap();
    let mut refreshed = census.site.clone();
    refreshed.extracted_at = check.site.extracted_at;
    assert!(
        refreshed == check.site,
        "the refreshed site equals a fresh full pull"
    );

    let (f, i, r) = (median(full), median(incremental), median(raw));
    println!(
        "full pull median {f:.0} ms; incremental after 10 changes median {i:.0} ms ({requests} requests); curl raw median {r:.0} ms"
    );
    println!(
        "incremental / full = {:.1}% (goal <= 5%); full / curl raw = {:.2}x (goal <= 1.5x)",
        i / f * 100.0,
        f / r
    );
}
