//! `lamplight watch`: stage every bundle the integration engine or IT drops into a folder.
//!
//! A file is staged once it is complete: it ends in `.json`, the folder has been quiet for a
//! moment, and it parses. A file still being written (it does not parse yet, and changed recently)
//! waits for its next change. Files whose names start with `.` or end in `.part`/`.tmp` are
//! ignored, so engines that write then rename work too.
//!
//! Moving processed files aside must not leave patient data readable: each bundle is sealed to the
//! same recipients as the snapshots (`processed/…json.age`, or `failed/…json.age` with a
//! `.error.txt` saying why) and the plain file is removed. IT can open them with `age -d`.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use anyhow::Context as _;
use chrono::Utc;
use lamplight_vault::{Recipient, Vault};
use notify_debouncer_full::notify::RecursiveMode;
use serde_json::json;

use crate::commands::stage::Recipients;
use lamplight_station::sync::{self, SyncError, WardScope};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The drop folder to watch.
    #[arg(long)]
    drop: PathBuf,
    /// The vault folder to stage into.
    #[arg(long)]
    vault: PathBuf,
    #[command(flatten)]
    recipients: Recipients,
    /// Sign each generation with IT's staging key (`lamplight keygen --signing`), for ward PCs
    /// given its public key with --trust.
    #[arg(long, value_name = "KEY")]
    sign_with: Option<PathBuf>,
    /// Stage only this ward from each bundle.
    #[arg(long)]
    ward: Option<String>,
    /// Process the files already there, then exit (for cron, and tests).
    #[arg(long)]
    once: bool,
    /// How long a still-unparseable file may sit unchanged before it is treated as broken, not half-written.
    #[arg(long, default_value_t = 30)]
    incomplete_after_secs: u64,
    /// One JSON line per file processed, on stdout.
    #[arg(long)]
    json: bool,
}

enum Outcome {
    Staged { generation: u64, patients: usize },
    NotYet,
    Failed(String),
}

fn is_candidate(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    !name.starts_with('.')
        && Path::new(name)
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"))
        && path.is_file()
}

fn candidates(drop: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut files: Vec<(SystemTime, PathBuf)> = std::fs::read_dir(drop)
        .with_context(|| format!("while listing the drop folder {}", drop.display()))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| is_candidate(p))
        .map(|p| {
            (
                std::fs::metadata(&p)
                    .and_then(|m| m.modified())
                    .unwrap_or(SystemTime::UNIX_EPOCH),
                p,
            )
        })
        .collect();
    files.sort();
    Ok(files.into_iter().map(|(_, p)| p).collect())
}

/// Seals a dropped file to the recipients in `dest_dir` and removes the plain file.
fn seal_aside(
    file: &Path,
    dest_dir: &Path,
    recipients: &[Recipient],
    note: Option<&str>,
) -> anyhow::Result<PathBuf> {
    std::fs::create_dir_all(dest_dir)?;
    let name = file.file_name().and_then(|n| n.to_str()).unwrap_or("bundle.json");
    let stamp = Utc::now().format("%Y%m%dT%H%M%SZ");
    let dest = dest_dir.join(format!("{stamp}-{name}.age"));
    let plain = zeroize::Zeroizing::new(std::fs::read(file)?);
    let sealed = lamplight_vault::seal_bytes(&plain, recipients)?;
    let mut out = std::fs::File::create(&dest)?;
    out.write_all(&sealed)?;
    out.sync_all()?;
    if let Some(note) = note {
        std::fs::write(
            dest_dir.join(format!("{stamp}-{name}.error.txt")),
            format!("{note}\n"),
        )?;
    }
    std::fs::remove_file(file)?;
    Ok(dest)
}

fn process(args: &Args, file: &Path, recipients: &[Recipient], quiet_for: Duration) -> Outcome {
    let from = file.to_string_lossy().into_owned();
    let scope = args
        .ward
        .as_ref()
        .map_or(WardScope::Site, |w| WardScope::Wards(vec![w.clone()]));
    match sync::read_bundle(&from, &scope) {
        Ok((site, report)) => {
            let source = format!(
                "drop {}",
                file.file_name().map(|n| n.to_string_lossy()).unwrap_or_default()
            );
            let mut vault = Vault::new(&args.vault);
            if let Some(key) = &args.sign_with {
                match lamplight_vault::SigningKey::load(key) {
                    Ok(k) => vault = vault.sign_with(k),
                    Err(e) => return Outcome::Failed(e.to_string()),
                }
            }
            match vault.stage(&site, &source, recipients, Utc::now()) {
                Ok(staged) => {
                    for w in report.warnings.iter().take(5) {
                        eprintln!("  warning: {w}");
                    }
                    Outcome::Staged {
                        generation: staged.header.generation,
                        patients: site.patients.len(),
                    }
                }
                Err(e) => Outcome::Failed(e.to_string()),
            }
        }
        Err(e) => {
            let half_written = matches!(e, SyncError::CutOff(_));
            if half_written && quiet_for < Duration::from_secs(args.incomplete_after_secs) {
                Outcome::NotYet
            } else {
                Outcome::Failed(e.to_string())
            }
        }
    }
}

fn report_line(json_out: bool, file: &Path, outcome: &Outcome) -> anyhow::Result<()> {
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    match outcome {
        Outcome::NotYet => Ok(()),
        Outcome::Staged { generation, patients } if json_out => crate::output::json_line(
            &json!({"file": name, "staged": true, "generation": generation, "patients": patients}),
        ),
        Outcome::Failed(why) if json_out => {
            crate::output::json_line(&json!({"file": name, "staged": false, "error": why}))
        }
        Outcome::Staged { generation, patients } => {
            eprintln!("{name}: staged as generation {generation} ({patients} patients)");
            Ok(())
        }
        Outcome::Failed(why) => {
            eprintln!(
                "{name}: NOT staged: {why}. Sealed into failed/; the previous snapshot is still the newest."
            );
            Ok(())
        }
    }
}

/// Processes every complete file now in the drop folder; returns the files still being written.
fn sweep(args: &Args, recipients: &[Recipient]) -> anyhow::Result<usize> {
    let mut waiting = 0;
    for file in candidates(&args.drop)? {
        let quiet_for = std::fs::metadata(&file)
            .and_then(|m| m.modified())
            .ok()
            .and_then(|m| SystemTime::now().duration_since(m).ok())
            .unwrap_or_default();
        let outcome = process(args, &file, recipients, quiet_for);
        match &outcome {
            Outcome::NotYet => waiting += 1,
            Outcome::Staged { .. } => {
                seal_aside(&file, &args.drop.join("processed"), recipients, None)?;
            }
            Outcome::Failed(why) => {
                seal_aside(&file, &args.drop.join("failed"), recipients, Some(why))?;
            }
        }
        report_line(args.json, &file, &outcome)?;
    }
    Ok(waiting)
}

pub fn run(args: &Args) -> anyhow::Result<()> {
    let recipients = args.recipients.load()?;
    anyhow::ensure!(
        args.drop.is_dir(),
        "the drop folder {} does not exist",
        args.drop.display()
    );
    if args.once {
        let waiting = sweep(args, &recipients)?;
        if waiting > 0 {
            eprintln!("{waiting} file(s) still being written: left for the next run");
        }
        return Ok(());
    }
    let (tx, rx) = std::sync::mpsc::channel();
    let mut debouncer = notify_debouncer_full::new_debouncer(Duration::from_millis(750), None, tx)
        .context("while starting to watch the drop folder")?;
    debouncer
        .watch(&args.drop, RecursiveMode::NonRecursive)
        .with_context(|| format!("while watching {}", args.drop.display()))?;
    eprintln!("Watching {} for bundles (Ctrl-C to stop)", args.drop.display());
    let mut waiting = sweep(args, &recipients)?;
    let mut last_sweep = Instant::now();
    let mut failures: BTreeMap<String, usize> = BTreeMap::new();
    loop {
        // Re-sweep on any change, and every few seconds while a file is still being written.
        let timeout = if waiting > 0 {
            Duration::from_secs(2)
        } else {
            Duration::from_secs(3600)
        };
        match rx.recv_timeout(timeout) {
            Ok(Ok(_events)) => {}
            Ok(Err(errors)) => {
                for e in errors {
                    *failures.entry(e.to_string()).or_default() += 1;
                    eprintln!("watch error: {e} (still watching)");
                }
            }
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
                anyhow::bail!("the folder watcher stopped")
            }
        }
        if last_sweep.elapsed() >= Duration::from_millis(200) {
            waiting = match sweep(args, &recipients) {
                Ok(w) => w,
                Err(e) => {
                    eprintln!("error while processing the drop folder: {e:#} (still watching)");
                    0
                }
            };
            last_sweep = Instant::now();
        }
    }
}
