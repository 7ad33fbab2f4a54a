//! `lamplight refresh`: keep a ward's snapshot fresh from the EPR, the always-on part of a ward PC.
//!
//! A full pull first, then every `--every-secs` an incremental one (`_lastUpdated`), with a full pull
//! every `--full-every-mins` as the safety net; each good pull is sealed as a new generation. When
//! the EPR stops answering, the newest snapshot stays exactly as it was, the failure is reported in
//! one line (no patient data), and the next pull tries again: an EPR that flaps costs nothing but
//! freshness, which every screen shows.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context as _;
use chrono::{TimeDelta, Utc};
use lamplight_fhir::{BearerToken, CensusOptions, Epr, EprConfig, PullKind, Refresher};
use lamplight_vault::Vault;
use serde_json::json;

use crate::commands::stage::Recipients;
use crate::exit::EprUnavailable;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The EPR's FHIR R4 base URL.
    #[arg(long)]
    from: String,
    /// The ward to keep (its Location code, e.g. WD7).
    #[arg(long)]
    ward: String,
    #[command(flatten)]
    recipients: Recipients,
    /// The vault folder.
    #[arg(long)]
    vault: PathBuf,
    /// Seconds between pulls.
    #[arg(long, default_value_t = 300)]
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
    /// One JSON line per pull on stdout.
    #[arg(long)]
    json: bool,
}

pub fn run(args: &Args) -> anyhow::Result<()> {
    let recipients = args.recipients.load()?;
    let mut config = EprConfig::new(&args.from);
    if let Some(f) = &args.token_file {
        config.token = Some(
            BearerToken::from_file(f)
                .with_context(|| format!("while reading the token file {}", f.display()))?,
        );
    }
    config.ca_file.clone_from(&args.ca_file);
    let epr = Epr::new(config).map_err(EprUnavailable)?;
    let vault = Vault::new(&args.vault).keep(args.keep);
    let mut refresher = Refresher::new(
        CensusOptions::ward(args.ward.clone()),
        TimeDelta::minutes(args.full_every_mins.max(1)),
    );
    let source = format!("EPR {}", args.from);
    let mut pull = 0u64;
    loop {
        pull += 1;
        let now = Utc::now();
        let kind = refresher.next_kind(now);
        let outcome = epr.capabilities().and_then(|caps| {
            refresher
                .pull(&epr, &caps, now)
                .map(|c| (c.site.clone(), c.stats))
        });
        let failed = match outcome {
            Ok((site, stats)) => {
                let staged = vault.stage(&site, &source, &recipients, Utc::now())?;
                let kind = if kind == PullKind::Full {
                    "full"
                } else {
                    "incremental"
                };
                if args.json {
                    crate::output::json_line(&json!({
                        "pull": pull, "ok": true, "kind": kind, "generation": staged.header.generation,
                        "patients": site.patients.len(), "requests": stats.requests, "millis": stats.millis,
                    }))?;
                } else {
                    eprintln!(
                        "pull {pull} ({kind}): {} patients in {} requests, {} ms; sealed as generation {}",
                        site.patients.len(),
                        stats.requests,
                        stats.millis,
                        staged.header.generation
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
                Some(e) => Err(EprUnavailable(e).into()),
                None => Ok(()),
            };
        }
        std::thread::sleep(Duration::from_secs(args.every_secs));
    }
}
