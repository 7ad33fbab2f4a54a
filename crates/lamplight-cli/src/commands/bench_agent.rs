//! `lamplight bench agent --epr URL`: the site agent serving a whole demo site from a real FHIR
//! server, measured from outside as IT would see it on the agent's server.
//!
//! The benchmark loads a demo site into the EPR (ward by ward), starts `lamplight agent --json` as a
//! child with a configuration that stages every ward into a site share, and, while the agent pulls
//! once a `--every-secs`, gives the EPR `--changes` new doses a minute (so each incremental pull has
//! something to fetch). Every `--sample-secs` it reads the child's CPU time
//! (`/proc/PID/schedstat`, nanoseconds on CPU), its memory (`VmRSS`, `VmHWM`) and the freshness the
//! share holds: the age of the newest staged generation, counted from the agent's own line for that
//! pull. Linux only (it reads `/proc`). The first pull is a full one and is reported apart: the
//! steady state is what a site lives with, and the full pull is the floor each incremental one is
//! compared with.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::Context as _;
use chrono::Utc;
use lamplight_fhir::{Epr, EprConfig, export};
use lamplight_vault::Identity;
use serde_json::{Value, json};

#[derive(Debug, clap::Args)]
pub struct AgentBench {
    /// The FHIR R4 base URL of a test EPR the benchmark may load the demo site into (never a real
    /// EPR: it writes to it).
    #[arg(long)]
    epr: String,
    /// Beds in the demo site (1,500 is a whole hospital site).
    #[arg(long, default_value_t = 1500)]
    beds: usize,
    /// The agent's refresh interval.
    #[arg(long, default_value_t = 60)]
    every_secs: u64,
    /// How long to measure after the first (full) pull.
    #[arg(long, default_value_t = 10)]
    minutes: u64,
    /// New doses given in the EPR each minute.
    #[arg(long, default_value_t = 10)]
    changes: usize,
    #[arg(long, default_value_t = 5)]
    sample_secs: u64,
    /// Do not load the demo site: the EPR already holds it (from an earlier run with the same --beds).
    #[arg(long)]
    loaded: bool,
    #[arg(long)]
    json: bool,
}

/// One line the agent printed, stamped when it was read.
struct Seen {
    at: Instant,
    cycle: Value,
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    match v.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => v[n / 2],
        n => f64::midpoint(v[n / 2 - 1], v[n / 2]),
    }
}

/// Nanoseconds the process has spent on a CPU.
fn cpu_ns(pid: u32) -> Option<u64> {
    std::fs::read_to_string(format!("/proc/{pid}/schedstat"))
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// `VmRSS` and `VmHWM` in bytes.
fn memory(pid: u32) -> Option<(u64, u64)> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.split_whitespace().next()?.parse::<u64>().ok())
            .map(|kb| kb * 1024)
    };
    Some((field("VmRSS:")?, field("VmHWM:")?))
}

fn load(epr: &Epr, site: &lamplight_model::Site) -> anyhow::Result<f64> {
    let started = Instant::now();
    for (i, w) in site.wards.iter().enumerate() {
        let ward = site.ward_subset(&w.id).context("a demo ward")?;
        epr.transaction(&export(&ward))
            .with_context(|| format!("loading ward {} into the EPR", w.code))?;
        eprintln!(
            "bench agent: loaded ward {}/{} into the EPR",
            i + 1,
            site.wards.len()
        );
    }
    Ok(started.elapsed().as_secs_f64())
}

/// `changes` doses given now, as a ward would record them in the EPR.
fn give_doses(epr: &Epr, site: &lamplight_model::Site, round: usize, changes: usize) -> anyhow::Result<()> {
    if changes == 0 {
        return Ok(());
    }
    let step = (site.orders.len() / changes).max(1);
    let entries: Vec<Value> = site
        .orders
        .iter()
        .skip(round % step)
        .step_by(step)
        .take(changes)
        .enumerate()
        .map(|(i, o)| {
            let id = format!("bench-agent-dose-{round}-{i}");
            json!({ "resource": {
                "resourceType": "MedicationAdministration", "id": id, "status": "completed",
                "medicationCodeableConcept": { "text": "as prescribed" },
                "subject": { "reference": format!("Patient/{}", o.patient_id) },
                "effectiveDateTime": Utc::now().to_rfc3339(),
                "request": { "reference": format!("MedicationRequest/{}", o.id) },
            }, "request": { "method": "PUT", "url": format!("MedicationAdministration/{id}") } })
        })
        .collect();
    epr.transaction(&json!({ "resourceType": "Bundle", "type": "transaction", "entry": entries }))?;
    Ok(())
}

fn write_config(dir: &Path, b: &AgentBench) -> anyhow::Result<std::path::PathBuf> {
    let identity = Identity::generate();
    identity.write_new(&dir.join("ward.key"), None, 10, "benchmark")?;
    std::fs::write(dir.join("recipients.txt"), format!("{}\n", identity.recipient()))?;
    lamplight_vault::SigningKey::generate()?.write_new(&dir.join("staging.key"), "benchmark")?;
    std::fs::create_dir_all(dir.join("status"))?;
    let config = dir.join("agent.toml");
    let p = |name: &str| dir.join(name).display().to_string();
    std::fs::write(
        &config,
        format!(
            "pc = \"bench-agent\"\nsite_share = \"{}\"\nrecipients_file = \"{}\"\nsign_with = \"{}\"\n\
             status_dir = \"{}\"\n[epr]\nurl = \"{}\"\n[refresh]\nevery_secs = {}\n",
            p("share"),
            p("recipients.txt"),
            p("staging.key"),
            p("status"),
            b.epr,
            b.every_secs
        ),
    )?;
    Ok(config)
}

#[allow(clippy::too_many_lines, reason = "one benchmark, read top to bottom")]
#[allow(
    clippy::cast_precision_loss,
    reason = "byte and nanosecond counts far below 2^52"
)]
pub fn run(b: &AgentBench) -> anyhow::Result<()> {
    let epr = Epr::new(EprConfig::new(&b.epr))?;
    let site = lamplight_demo::site(&lamplight_demo::DemoOptions {
        beds: b.beds,
        seed: 1,
        at: Utc::now(),
    });
    let load_secs = if b.loaded { 0.0 } else { load(&epr, &site)? };
    let dir = tempfile::tempdir()?;
    let config = write_config(dir.path(), b)?;
    let mut child = Command::new(std::env::current_exe()?)
        .args(["agent", "--json", "--config"])
        .arg(&config)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .context("starting the agent")?;
    let pid = child.id();
    let seen: Arc<Mutex<Vec<Seen>>> = Arc::default();
    {
        let seen = Arc::clone(&seen);
        let out = child.stdout.take().context("the agent's output")?;
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                if let Ok(cycle) = serde_json::from_str(&line) {
                    seen.lock().expect("not poisoned").push(Seen {
                        at: Instant::now(),
                        cycle,
                    });
                }
            }
        });
    }
    let started = Instant::now();
    let ok_count = |s: &[Seen]| s.iter().filter(|c| c.cycle["ok"] == true).count();
    while ok_count(&seen.lock().expect("not poisoned")) == 0 {
        anyhow::ensure!(
            child.try_wait()?.is_none(),
            "the agent stopped before its first pull"
        );
        anyhow::ensure!(
            started.elapsed() < Duration::from_secs(1800),
            "no full pull within 30 minutes"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    let first_secs = started.elapsed().as_secs_f64();
    eprintln!(
        "bench agent: first (full) pull and staging took {first_secs:.1} s; measuring for {} min",
        b.minutes
    );

    let steady = Instant::now();
    let cpu_start = cpu_ns(pid).context("reading /proc (Linux only)")?;
    let (mut rss, mut freshness) = (Vec::new(), Vec::new());
    let mut peak = 0;
    let mut round = 0;
    let mut next_change = Instant::now();
    while steady.elapsed() < Duration::from_secs(b.minutes * 60) {
        if Instant::now() >= next_change {
            give_doses(&epr, &site, round, b.changes)?;
            round += 1;
            next_change += Duration::from_secs(60);
        }
        std::thread::sleep(Duration::from_secs(b.sample_secs));
        if let Some((now_rss, hwm)) = memory(pid) {
            rss.push(now_rss as f64);
            peak = peak.max(hwm);
        }
        let s = seen.lock().expect("not poisoned");
        if let Some(last) = s.iter().rev().find(|c| c.cycle["ok"] == true) {
            freshness.push(last.at.elapsed().as_secs_f64());
        }
    }
    let cpu_secs = cpu_ns(pid).unwrap_or(cpu_start).saturating_sub(cpu_start) as f64 / 1e9;
    let wall = steady.elapsed().as_secs_f64();
    let _ = Command::new("kill").args(["-TERM", &pid.to_string()]).status();
    let stopped = child.wait()?;

    let s = seen.lock().expect("not poisoned");
    let ok: Vec<&Value> = s.iter().map(|c| &c.cycle).filter(|c| c["ok"] == true).collect();
    let failed = s.len() - ok.len();
    let full_ms = ok.first().and_then(|c| c["millis"].as_f64()).unwrap_or(f64::NAN);
    let incremental: Vec<f64> = ok.iter().skip(1).filter_map(|c| c["millis"].as_f64()).collect();
    let requests: Vec<f64> = ok.iter().skip(1).filter_map(|c| c["requests"].as_f64()).collect();
    let wards = ok.first().and_then(|c| c["wards_staged"].as_u64()).unwrap_or(0);
    let worst = freshness.iter().copied().fold(0.0, f64::max);
    let report = json!({
        "beds": b.beds, "wards": site.wards.len(), "inpatients": site.admissions.len(),
        "every_secs": b.every_secs, "minutes": b.minutes, "changes_per_minute": b.changes,
        "load_secs": load_secs, "first_pull_and_stage_secs": first_secs, "full_pull_ms": full_ms,
        "incremental_pulls": incremental.len(), "failed_pulls": failed,
        "incremental_median_ms": median(incremental.clone()),
        "incremental_over_full": median(incremental) / full_ms,
        "incremental_median_requests": median(requests),
        "wards_staged_per_pull": wards,
        "cpu_share_of_one_core": cpu_secs / wall,
        "rss_median_mb": median(rss) / 1e6, "rss_peak_mb": peak as f64 / 1e6,
        "freshness_median_secs": median(freshness.clone()), "freshness_worst_secs": worst,
        "stopped_cleanly": stopped.success(),
    });
    if b.json {
        return crate::output::json(&report);
    }
    crate::output::line(&format!(
        "The site agent on a {}-bed demo site ({} wards, {} inpatients), one pull every {} s for {} min, \
         {} new doses a minute:\n  \
         first pull (full) and staging: {first_secs:.1} s (pull {:.1} s); loading the EPR took {load_secs:.0} s\n  \
         incremental pulls: {}, median {:.0} ms in {} requests, {:.2}% of the full pull; {failed} failed\n  \
         each pull staged the whole site and {wards} wards into the share\n  \
         CPU: {:.1}% of one core; memory: median {:.0} MB, peak {:.0} MB\n  \
         freshness (age of the newest generation, every {} s): median {:.0} s, worst {worst:.0} s",
        b.beds,
        site.wards.len(),
        site.admissions.len(),
        b.every_secs,
        b.minutes,
        b.changes,
        full_ms / 1000.0,
        report["incremental_pulls"],
        report["incremental_median_ms"].as_f64().unwrap_or(f64::NAN),
        report["incremental_median_requests"],
        report["incremental_over_full"].as_f64().unwrap_or(f64::NAN) * 100.0,
        report["cpu_share_of_one_core"].as_f64().unwrap_or(f64::NAN) * 100.0,
        report["rss_median_mb"].as_f64().unwrap_or(f64::NAN),
        report["rss_peak_mb"].as_f64().unwrap_or(f64::NAN),
        b.sample_secs,
        report["freshness_median_secs"].as_f64().unwrap_or(f64::NAN),
    ))
}
