//! How quickly a live station follows its data and the EPR, against a real FHIR server on loopback
//! (`make test`'s, `LAMPLIGHT_TEST_FHIR_URL`, or one of its own). Medians of several runs, each
//! against a floor measured in the same run; not a test (the machine is shared and noisy).
//!
//! ```text
//! cargo run --release -p lamplight-station --example live_bench -- follow [RUNS]
//! cargo run --release -p lamplight-station --example live_bench -- epr-to-board [RUNS]
//! cargo run --release -p lamplight-station --example live_bench -- propose [RUNS]
//! cargo run --release -p lamplight-station --example live_bench -- soak [PULLS]
//! ```
//!
//! - `follow`: a generation sealed into the vault → the station shows it (file events, the
//!   background thread, decrypt and open). Floor: opening the same generation directly.
//! - `epr-to-board`: a patient renamed on the EPR → the board shows it, with the refresh every
//!   `REFRESH_SECS`. Goal: within the refresh interval plus 5 s.
//! - `propose`: the EPR stopped → downtime proposed, with probes every `HEALTH_SECS` and
//!   `PROPOSE_SECS` of silence required. Goal: within PROPOSE_SECS plus one probe interval.
//! - `soak`: PULLS refreshes back to back (a day at one a minute is 1,440), each sealed and its
//!   newest generation verified with the key; the process's resident memory at the start and end.

#![allow(
    clippy::print_stdout,
    clippy::unwrap_used,
    reason = "a benchmark prints its results"
)]

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{TimeDelta, Utc};
use lamplight_demo::DemoOptions;
use lamplight_fhir::test_server::{FhirServer, namespaced, put_all, resource};
use lamplight_fhir::{Epr, EprConfig};
use lamplight_station::sync::{EprSettings, RefreshLoop, RefreshPolicy, Stager, WardScope};
use lamplight_station::{HealthPolicy, Station, StationConfig};
use lamplight_vault::{Identity, Vault};

const REFRESH_SECS: u64 = 5;
const HEALTH_SECS: u64 = 2;
const PROPOSE_SECS: u64 = 10;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        f64::midpoint(v[n / 2 - 1], v[n / 2])
    }
}

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or(0)
}

struct Pc {
    _dir: tempfile::TempDir,
    vault: PathBuf,
    key: PathBuf,
    identity: Identity,
}

fn pc() -> Pc {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("ward.key");
    Identity::generate().write_new(&key, None, 10, "bench").unwrap();
    let identity = Identity::load(&key, None).unwrap();
    Pc {
        vault: dir.path().join("vault"),
        _dir: dir,
        key,
        identity,
    }
}

fn wait(limit: Duration, mut done: impl FnMut() -> bool) -> Duration {
    let started = Instant::now();
    while !done() {
        assert!(started.elapsed() < limit, "gave up after {limit:?}");
        std::thread::sleep(Duration::from_millis(20));
    }
    started.elapsed()
}

fn follow(runs: usize) {
    let pc = pc();
    let site = lamplight_demo::site(&DemoOptions::ward(Utc::now()));
    let vault = Vault::new(&pc.vault);
    vault
        .stage(&site, "bench", &[pc.identity.recipient()], Utc::now())
        .unwrap();
    let config = StationConfig {
        vault: Some(pc.vault.clone()),
        identity: Some(pc.key.clone()),
        ..StationConfig::default()
    };
    let station = Arc::new(Station::launch(&config, Utc::now()).unwrap());
    let background = station.start();
    let (mut follow, mut floor) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        let staged = vault
            .stage(&site, "bench", &[pc.identity.recipient()], Utc::now())
            .unwrap();
        let generation = staged.header.generation;
        let took = wait(Duration::from_secs(30), || {
            station.data().generation() == Some(generation)
        });
        follow.push(took.as_secs_f64());
        let t = Instant::now();
        lamplight_station::WardData::open_vault(&vault, &pc.identity, &[]).unwrap();
        floor.push(t.elapsed().as_secs_f64());
    }
    background.stop();
    let (f, o) = (median(follow), median(floor));
    println!(
        "follow: generation sealed -> station shows it: median {f:.3} s over {runs} runs; opening it alone {o:.3} s; the window polls every 2 s on top"
    );
}

fn load_ward(server: &FhirServer, ns: &str) -> lamplight_model::Site {
    let site = namespaced(
        &lamplight_demo::site(&DemoOptions {
            beds: 28,
            seed: 77,
            at: Utc::now() + TimeDelta::minutes(5),
        }),
        ns,
    );
    Epr::new(EprConfig::new(&server.url))
        .unwrap()
        .transaction(&lamplight_fhir::export(&site))
        .unwrap();
    site
}

fn epr_to_board(runs: usize) {
    let server = FhirServer::get();
    let ns = format!("bench{}-", std::process::id());
    let site = load_ward(&server, &ns);
    let code = site.wards[0].code.clone();
    let pc = pc();
    let config = StationConfig {
        vault: Some(pc.vault.clone()),
        identity: Some(pc.key.clone()),
        wards: vec![code.clone()],
        epr: Some(EprSettings::new(&server.url)),
        refresh: Some(RefreshPolicy {
            every: Duration::from_secs(REFRESH_SECS),
            full_every: TimeDelta::hours(1),
        }),
        ..StationConfig::default()
    };
    let station = Arc::new(Station::launch(&config, Utc::now()).unwrap());
    let background = station.start();
    wait(Duration::from_secs(120), || station.data().generation().is_some());
    let epr = Epr::new(EprConfig::new(&server.url)).unwrap();
    let mut took = Vec::new();
    for run in 0..runs {
        let p = &site.patients[run % site.patients.len()];
        let family = format!("Benchmarkrun{run}");
        let mut r = resource(&site, &format!("Patient/{}", p.id));
        r["name"][0]["family"] = serde_json::json!(family);
        let upper = family.to_uppercase();
        let t = Instant::now();
        put_all(&epr, vec![r]);
        wait(Duration::from_secs(120), || {
            station
                .board(&code, Utc::now())
                .unwrap()
                .rows
                .iter()
                .filter_map(|r| r.patient.as_ref())
                .any(|p| p.name.starts_with(&upper))
        });
        took.push(t.elapsed().as_secs_f64());
    }
    background.stop();
    println!(
        "epr-to-board: change on the EPR -> on the board: median {:.2} s, max {:.2} s over {runs} runs; refresh every {REFRESH_SECS} s (goal <= {} s)",
        median(took.clone()),
        took.iter().copied().fold(0.0, f64::max),
        REFRESH_SECS + 5
    );
}

fn propose(runs: usize) {
    let mut took = Vec::new();
    let mut stopping = Vec::new();
    for _ in 0..runs {
        let server = FhirServer::start();
        let pc = pc();
        Vault::new(&pc.vault)
            .stage(
                &lamplight_demo::site(&DemoOptions::ward(Utc::now())),
                "bench",
                &[pc.identity.recipient()],
                Utc::now(),
            )
            .unwrap();
        let config = StationConfig {
            vault: Some(pc.vault.clone()),
            identity: Some(pc.key.clone()),
            epr: Some(EprSettings::new(&server.url)),
            refresh: None,
            health: HealthPolicy {
                every: Duration::from_secs(HEALTH_SECS),
                timeout: Duration::from_secs(1),
                slow_after: Duration::from_secs(2),
                propose_after: Duration::from_secs(PROPOSE_SECS),
            },
            ..StationConfig::default()
        };
        let station = Arc::new(Station::launch(&config, Utc::now()).unwrap());
        let background = station.start();
        wait(Duration::from_secs(30), || {
            station.status(Utc::now()).epr.state == lamplight_station::EprState::Answering
        });
        // The EPR is gone once its process has exited (the stop script waits for that).
        let asked = Instant::now();
        server.stop();
        stopping.push(asked.elapsed().as_secs_f64());
        let t = Instant::now();
        wait(Duration::from_secs(120), || {
            station.status(Utc::now()).mode.proposal.is_some()
        });
        took.push(t.elapsed().as_secs_f64());
        background.stop();
    }
    println!(
        "propose: EPR stopped -> downtime proposed: median {:.2} s, max {:.2} s over {runs} runs (propose after {PROPOSE_SECS} s, probe every {HEALTH_SECS} s: goal <= {} s); the server took {:.2} s to stop",
        median(took.clone()),
        took.iter().copied().fold(0.0, f64::max),
        PROPOSE_SECS + HEALTH_SECS,
        median(stopping)
    );
}

fn soak(pulls: usize) {
    let server = FhirServer::get();
    let ns = format!("soak{}-", std::process::id());
    let site = load_ward(&server, &ns);
    let pc = pc();
    let stager = Stager::new(Vault::new(&pc.vault), vec![pc.identity.recipient()]).unwrap();
    let mut refresh = RefreshLoop::new(
        &EprSettings::new(&server.url),
        WardScope::Wards(vec![site.wards[0].code.clone()]),
        stager,
        RefreshPolicy::default(),
    )
    .unwrap();
    let vault = Vault::new(&pc.vault);
    let mut pull_secs = Vec::new();
    let mut warm = 0;
    let started = Instant::now();
    for i in 0..pulls {
        let t = Instant::now();
        let pulled = refresh.pull_once(Utc::now()).unwrap();
        pull_secs.push(t.elapsed().as_secs_f64());
        let checks = vault.verify(Some(&pc.identity)).unwrap();
        let newest = checks.first().unwrap();
        assert_eq!(newest.generation, pulled.staged.header.generation);
        assert!(newest.result.is_ok(), "generation {} verifies", newest.generation);
        if i == 19 {
            warm = rss_kib();
        }
    }
    let end = rss_kib();
    #[allow(clippy::cast_precision_loss, reason = "display of a memory ratio")]
    let growth = (end as f64 / warm.max(1) as f64 - 1.0) * 100.0;
    println!(
        "soak: {pulls} refreshes in {:.0} s (median pull {:.3} s), every generation verified; resident memory after 20 pulls {} KiB, at the end {} KiB: {growth:+.1}% (goal < 10%)",
        started.elapsed().as_secs_f64(),
        median(pull_secs),
        warm,
        end
    );
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let n = |default: usize| args.get(1).and_then(|a| a.parse().ok()).unwrap_or(default);
    match args.first().map(String::as_str) {
        Some("follow") => follow(n(10)),
        Some("epr-to-board") => epr_to_board(n(5)),
        Some("propose") => propose(n(3)),
        Some("soak") => soak(n(1440)),
        _ => eprintln!("usage: live_bench follow|epr-to-board|propose|soak [N]"),
    }
}
