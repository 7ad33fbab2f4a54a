//! `lamplight bench`: how fast this machine stages and opens snapshots (medians over several runs).
//!
//! Each measured run is a separate child process (`lamplight bench run …`), so its peak memory
//! (Linux VmHWM) is its own. Figures are for comparing like with like on one machine: quote
//! medians and ratios, never a single run.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::Context as _;
use chrono::Utc;
use lamplight_vault::{Identity, Vault};
use serde::{Deserialize, Serialize};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    what: What,
}

#[derive(Debug, clap::Subcommand)]
enum What {
    /// Stage a demo site from its bundle, against the floor of age-encrypting the same bundle bytes.
    Stage {
        /// Beds in the demo site (1,500 is a whole hospital site).
        #[arg(long, default_value_t = 1500)]
        beds: usize,
        #[arg(long, default_value_t = 5)]
        runs: usize,
        #[arg(long)]
        json: bool,
    },
    /// Open the newest snapshot of a site and build one 28-bed ward's board, as a ward PC does.
    Open {
        #[arg(long, default_value_t = 1500)]
        beds: usize,
        #[arg(long, default_value_t = 10)]
        runs: usize,
        #[arg(long)]
        json: bool,
    },
    /// One measured run (used by the others; prints JSON).
    #[command(hide = true)]
    Run {
        #[arg(long)]
        kind: String,
        #[arg(long)]
        dir: PathBuf,
    },
}

#[derive(Debug, Serialize, Deserialize)]
struct Sample {
    seconds: f64,
    peak_memory_bytes: Option<u64>,
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n == 0 {
        return f64::NAN;
    }
    if n % 2 == 1 {
        v[n / 2]
    } else {
        f64::midpoint(v[n / 2 - 1], v[n / 2])
    }
}

fn child(kind: &str, dir: &Path) -> anyhow::Result<Sample> {
    let out = Command::new(std::env::current_exe()?)
        .args(["bench", "run", "--kind", kind, "--dir"])
        .arg(dir)
        .output()
        .context("while running a benchmark child")?;
    anyhow::ensure!(
        out.status.success(),
        "benchmark run failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Ok(serde_json::from_slice(&out.stdout)?)
}

/// Prepares a folder with a demo site bundle and a key.
fn prepare(beds: usize) -> anyhow::Result<tempfile::TempDir> {
    let dir = tempfile::tempdir()?;
    let site = lamplight_demo::site(&lamplight_demo::DemoOptions {
        beds,
        seed: 1,
        at: Utc::now(),
    });
    std::fs::write(dir.path().join("site.json"), lamplight_fhir::export_pretty(&site))?;
    Identity::generate().write_new(&dir.path().join("bench.key"), None, 10, "benchmark")?;
    Ok(dir)
}

fn run_one(kind: &str, dir: &Path) -> anyhow::Result<()> {
    let identity = Identity::load(&dir.join("bench.key"), None)?;
    let recipients = [identity.recipient()];
    let started = Instant::now();
    match kind {
        "floor" => {
            let bytes = std::fs::read(dir.join("site.json"))?;
            let sealed = lamplight_vault::seal_bytes(&bytes, &recipients)?;
            let path = dir.join("floor.age");
            let mut f = std::fs::File::create(&path)?;
            std::io::Write::write_all(&mut f, &sealed)?;
            f.sync_all()?;
        }
        "stage" => {
            let from = dir.join("site.json").to_string_lossy().into_owned();
            let (site, _) = lamplight_station::sync::read_bundle(&from, &lamplight_station::WardScope::Site)?;
            Vault::new(dir.join("vault")).stage(&site, "bench", &recipients, Utc::now())?;
        }
        "open" => {
            let station = lamplight_station::Station::open_vault(
                &Vault::new(dir.join("vault")),
                &identity,
                Some("WD7"),
            )?;
            let board = station.board("WD7", Utc::now())?;
            anyhow::ensure!(!board.rows.is_empty());
        }
        other => anyhow::bail!("unknown benchmark run {other}"),
    }
    let sample = Sample {
        seconds: started.elapsed().as_secs_f64(),
        peak_memory_bytes: super::stage::peak_memory_bytes(),
    };
    crate::output::json_line(&sample)
}

fn summary(samples: &[Sample]) -> (f64, f64) {
    let t = median(samples.iter().map(|s| s.seconds).collect());
    let m = median(
        samples
            .iter()
            .filter_map(|s| s.peak_memory_bytes)
            .map(mb)
            .collect(),
    );
    (t, m)
}

#[allow(clippy::cast_precision_loss, reason = "memory sizes in MB for display")]
fn mb(bytes: u64) -> f64 {
    bytes as f64 / 1e6
}

pub fn run(args: &Args) -> anyhow::Result<()> {
    match &args.what {
        What::Run { kind, dir } => run_one(kind, dir),
        What::Stage { beds, runs, json } => {
            let dir = prepare(*beds)?;
            let bundle_mb = mb(std::fs::metadata(dir.path().join("site.json"))?.len());
            let mut floor = Vec::new();
            let mut stage = Vec::new();
            for _ in 0..*runs {
                floor.push(child("floor", dir.path())?);
                stage.push(child("stage", dir.path())?);
            }
            let (ft, fm) = summary(&floor);
            let (st, sm) = summary(&stage);
            let report = serde_json::json!({
                "beds": beds, "runs": runs, "bundle_mb": bundle_mb,
                "floor": {"median_seconds": ft, "median_peak_mb": fm},
                "stage": {"median_seconds": st, "median_peak_mb": sm},
                "stage_over_floor": st / ft,
            });
            if *json {
                return crate::output::json(&report);
            }
            crate::output::line(&format!(
                "Staging a {beds}-bed demo site ({bundle_mb:.1} MB bundle), median of {runs}:\n  \
                 age-encrypt the bundle alone (floor): {ft:.3} s, peak {fm:.0} MB\n  \
                 lamplight stage: {st:.3} s, peak {sm:.0} MB\n  ratio stage/floor: {:.2}×",
                st / ft
            ))
        }
        What::Open { beds, runs, json } => {
            let dir = prepare(*beds)?;
            let id = Identity::load(&dir.path().join("bench.key"), None)?;
            let from = dir.path().join("site.json").to_string_lossy().into_owned();
            let (site, _) = lamplight_station::sync::read_bundle(&from, &lamplight_station::WardScope::Site)?;
            Vault::new(dir.path().join("vault")).stage(&site, "bench", &[id.recipient()], Utc::now())?;
            let samples = (0..*runs)
                .map(|_| child("open", dir.path()))
                .collect::<anyhow::Result<Vec<_>>>()?;
            let (t, m) = summary(&samples);
            let report =
                serde_json::json!({"beds": beds, "runs": runs, "median_seconds": t, "median_peak_mb": m});
            if *json {
                return crate::output::json(&report);
            }
            crate::output::line(&format!(
                "Opening the newest snapshot of a {beds}-bed site and building ward WD7's board, median of {runs}: \
                 {:.0} ms, peak {m:.0} MB",
                t * 1000.0
            ))
        }
    }
}
