//! `lamplight bench`: how fast this machine stages and opens snapshots (medians over several runs).
//!
//! Each measured run is a separate child process (`lamplight bench run …`), so its peak memory
//! (Linux VmHWM) is its own. Figures are for comparing like with like on one machine: quote
//! medians and ratios, never a single run. `bench journal` runs in one process: what it measures is
//! time per entry and per open, each against its floor measured in the same run, interleaved.

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
    /// Record entries durably, against the floor of writing and fsyncing the same bytes in the same
    /// folder; then open and verify a journal of `--entries`, against age-decrypting the same bytes.
    Journal {
        /// Entries recorded one by one (each timed, interleaved with the floor).
        #[arg(long, default_value_t = 500)]
        appends: usize,
        /// Entries in the journal that is opened.
        #[arg(long, default_value_t = 10_000)]
        entries: usize,
        #[arg(long, default_value_t = 5)]
        runs: usize,
        /// The folder to measure in (a vault's disk, not a RAM disk); a temporary folder inside it is used.
        #[arg(long)]
        dir: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// The site agent serving a whole demo site from a test EPR: CPU, memory and the freshness it keeps.
    Agent(super::bench_agent::AgentBench),
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
        What::Agent(b) => super::bench_agent::run(b),
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
        What::Journal {
            appends,
            entries,
            runs,
            dir,
            json,
        } => run_journal(*appends, *entries, *runs, dir.as_deref(), *json),
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

/// The 99th percentile (nearest rank).
fn p99(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    if v.is_empty() {
        return f64::NAN;
    }
    let rank = (v.len() * 99).div_ceil(100).max(1);
    v[rank - 1]
}

/// A downtime entry's payload: about the size of the station's JSON for a dose given.
const ENTRY_PAYLOAD: &[u8] = br#"{"kind":"administration","v":1,"patient":"pat-000123","order":"ord-000456","dose":{"value":"5","unit":"mg"},"route":"oral","given_at":"2026-11-04T08:04:00Z","checked_by":null,"note":"given with food; patient confirmed by wristband barcode","drill":true,"ward":"WD7","bed":"A3","scanned":"9990000018","omission":null,"site":"left arm","batch":"B12345","expiry":"2027-06","witness":null}"#;

fn bench_entry(i: usize) -> lamplight_vault::NewRecord<'static> {
    lamplight_vault::NewRecord {
        entry_id: lamplight_vault::journal::Uuid::new_v4(),
        corrects: None,
        author: "Bench Nurse",
        role: "nurse",
        recorded_at: Utc::now() + chrono::Duration::seconds(i64::try_from(i).unwrap_or(0)),
        payload: ENTRY_PAYLOAD,
    }
}

#[allow(clippy::cast_precision_loss, reason = "durations and ratios for display")]
fn run_journal(
    appends: usize,
    entries: usize,
    runs: usize,
    dir: Option<&Path>,
    json: bool,
) -> anyhow::Result<()> {
    use std::io::Write as _;
    let work = match dir {
        Some(d) => tempfile::tempdir_in(d)?,
        None => tempfile::tempdir()?,
    };
    let identity = Identity::generate();
    let recipients = [identity.recipient()];

    // 1. Recording one entry, interleaved with the floor: the same bytes appended to a file in the
    //    same folder and fsync'd the same way (fdatasync).
    let vault = work.path().join("append");
    let (mut journal, _) = lamplight_vault::Journal::open(&vault, "BENCH-PC1")?;
    let mut floor_file = std::fs::File::options()
        .create(true)
        .append(true)
        .open(vault.join("journal").join("floor.bin"))?;
    let (mut append_times, mut floor_times) = (Vec::new(), Vec::new());
    let mut record_bytes = 0;
    for i in 0..appends + 10 {
        let entry = bench_entry(i);
        let t = Instant::now();
        let appended = journal.append(&entry, &recipients)?;
        let recorded = t.elapsed().as_secs_f64();
        let same = vec![0x5a_u8; appended.bytes];
        let t = Instant::now();
        floor_file.write_all(&same)?;
        floor_file.sync_data()?;
        let floor = t.elapsed().as_secs_f64();
        if i >= 10 {
            // The first few warm the disk and the caches.
            append_times.push(recorded);
            floor_times.push(floor);
            record_bytes = appended.bytes;
        }
    }
    drop(journal);

    // 2. Opening and verifying a journal of `entries`, against age-decrypting the same bytes.
    let vault = work.path().join("open");
    let (mut journal, _) = lamplight_vault::Journal::open(&vault, "BENCH-PC1")?;
    for i in 0..entries {
        journal.append(&bench_entry(i), &recipients)?;
    }
    let own = journal.records(&identity)?;
    drop(journal);
    let journal_bytes = std::fs::metadata(vault.join("journal").join("BENCH-PC1.lljournal"))?.len();
    // The floor: the same plaintext sizes, each sealed alone, decrypted one by one.
    let sealed: Vec<Vec<u8>> = own
        .iter()
        .map(|r| lamplight_vault::seal_bytes(&vec![0u8; r.payload.len() + 240], &recipients))
        .collect::<Result<_, _>>()?;
    let (mut open_s, mut decrypt_s) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        let t = Instant::now();
        let (journal, check) = lamplight_vault::Journal::open(&vault, "BENCH-PC1")?;
        let records = journal.records(&identity)?;
        anyhow::ensure!(records.len() == entries && check.torn.is_none());
        open_s.push(t.elapsed().as_secs_f64());
        drop(journal);
        let t = Instant::now();
        for s in &sealed {
            std::hint::black_box(lamplight_vault::open_bytes(s, &identity, Path::new("floor"))?);
        }
        decrypt_s.push(t.elapsed().as_secs_f64());
    }

    let ms = |v: f64| v * 1000.0;
    let (rm, rp, fm, fp) = (
        median(append_times.clone()),
        p99(append_times),
        median(floor_times.clone()),
        p99(floor_times),
    );
    let (om, dm) = (median(open_s), median(decrypt_s));
    let report = serde_json::json!({
        "folder": work.path(),
        "record": {"entries": appends, "bytes_per_record": record_bytes,
                   "median_ms": ms(rm), "p99_ms": ms(rp),
                   "floor_median_ms": ms(fm), "floor_p99_ms": ms(fp),
                   "median_over_floor": rm / fm, "p99_over_floor": rp / fp},
        "open": {"entries": entries, "journal_bytes": journal_bytes, "runs": runs,
                 "median_seconds": om, "decrypt_floor_median_seconds": dm, "over_floor": om / dm},
    });
    if json {
        return crate::output::json(&report);
    }
    crate::output::line(&format!(
        "Recording one entry durably ({appends} entries, {record_bytes} bytes each, in {}):\n  \
         journal append: median {:.3} ms, p99 {:.3} ms\n  \
         floor, write + fdatasync of the same bytes: median {:.3} ms, p99 {:.3} ms\n  \
         ratio: median {:.2}×, p99 {:.2}× (goal ≤ 1.5×)\n\
         Opening and verifying a journal of {entries} entries ({:.1} MB), median of {runs}:\n  \
         open + verify + decrypt every record: {:.3} s\n  \
         age-decrypting the same records alone (floor): {:.3} s\n  ratio: {:.2}× (goal ≤ 2×)",
        work.path().display(),
        ms(rm),
        ms(rp),
        ms(fm),
        ms(fp),
        rm / fm,
        rp / fp,
        mb(journal_bytes),
        om,
        dm,
        om / dm
    ))
}
