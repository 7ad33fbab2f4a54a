//! `lamplight refresh`: keep a ward's (or a site's) snapshot fresh from the EPR, the always-on part
//! of a ward PC without its window open.
//!
//! A full pull first, then every `--every-secs` an incremental one (`_lastUpdated`), with a full pull
//! every `--full-every-mins` as the safety net; each good pull is sealed as a new generation. When
//! the EPR stops answering, the newest snapshot stays exactly as it was, the failure is reported in
//! one line (no patient data), and the next pull tries again: an EPR that flaps costs nothing but
//! freshness, which every screen shows. The loop is the station's (`lamplight_station::sync`), the
//! same one the window runs.

use std::path::PathBuf;
use std::time::Duration;

use chrono::{TimeDelta, Utc};
use lamplight_fhir::PullKind;
use lamplight_station::sync::{EprSettings, RefreshLoop, RefreshPolicy, Stager};
use lamplight_vault::Vault;
use serde_json::json;

use crate::commands::stage::{Recipients, Wards};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The EPR's FHIR R4 base URL.
    #[arg(long)]
    from: String,
    #[command(flatten)]
    wards: Wards,
    #[command(flatten)]
    recipients: Recipients,
    /// The vault folder.
    #[arg(long)]
    vault: PathBuf,
    /// Seconds between pulls.
    #[arg(long, default_value_t = 60)]
    every_secs: u64,
    /// Minutes between full pulls (the safety net for what an incremental pull cannot see).
    #[arg(long, default_value_t = 60)]
    full_every_mins: i64,
    /// A file holding the bearer token for the EPR.
    #[arg(long)]
    token_file: Option<PathBuf>,
    /// Extra CA certificate (PEM) to trust for the EPR's TLS.
    #[arg(long)]
    ca_file: Option<PathBuf>,
    /// Stop after this many pulls (for drills and tests); by default, run until stopped.
    #[arg(long)]
    pulls: Option<u64>,
    /// How many generations to keep.
    #[arg(long, default_value_t = lamplight_vault::DEFAULT_KEEP)]
    keep: usize,
    /// Sign each generation with IT's staging key (`lamplight keygen --signing`), for ward PCs
    /// given its public key with --trust.
    #[arg(long, value_name = "KEY")]
    sign_with: Option<PathBuf>,
    /// One JSON line per pull on stdout.
    #[arg(long)]
    json: bool,
}

pub fn run(args: &Args) -> anyhow::Result<()> {
    let mut vault = Vault::new(&args.vault).keep(args.keep);
    if let Some(key) = &args.sign_with {
        vault = vault.sign_with(lamplight_vault::SigningKey::load(key)?);
    }
    let stager = Stager::new(vault, args.recipients.load()?)?;
    let settings = EprSettings {
        base_url: args.from.clone(),
        token_file: args.token_file.clone(),
        ca_file: args.ca_file.clone(),
    };
    let policy = RefreshPolicy {
        every: Duration::from_secs(args.every_secs),
        full_every: TimeDelta::try_minutes(args.full_every_mins.max(1)).ok_or_else(|| {
            crate::exit::BadInput(format!(
                "--full-every-mins {}: give a number of minutes a clock can count (60 is an hour)",
                args.full_every_mins
            ))
        })?,
    };
    let mut refresh = RefreshLoop::new(&settings, args.wards.scope(false)?, stager, policy)?;
    let mut pull = 0u64;
    loop {
        pull += 1;
        let failed = match refresh.pull_once(Utc::now()) {
            Ok(p) => {
                let kind = if p.kind == PullKind::Full {
                    "full"
                } else {
                    "incremental"
                };
                if args.json {
                    crate::output::json_line(&json!({
                        "pull": pull, "ok": true, "kind": kind, "generation": p.staged.header.generation,
                        "patients": p.patients, "requests": p.requests, "millis": p.millis,
                    }))?;
                } else {
                    eprintln!(
                        "pull {pull} ({kind}): {} patients in {} requests, {} ms; sealed as generation {}",
                        p.patients, p.requests, p.millis, p.staged.header.generation
                    );
                }
                None
            }
            Err(e) => {
                if args.json {
                    crate::output::json_line(&json!({"pull": pull, "ok": false, "error": e.to_string()}))?;
                } else {
                    eprintln!(
                        "pull {pull}: {e}. The newest snapshot is unchanged; trying again in {} s",
                        args.every_secs
                    );
                }
                Some(e)
            }
        };
        if args.pulls.is_some_and(|n| pull >= n) {
            return match failed {
                Some(e) => Err(e.into()),
                None => Ok(()),
            };
        }
        std::thread::sleep(Duration::from_secs(args.every_secs));
    }
}
