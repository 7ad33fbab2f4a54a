//! `lamplight agent`: the refresh agent, for IT servers and for ward PCs without the window open
//! (`lamplight_station::agent` holds what it does; this is its command line and its signals).
//!
//! Everything comes from the configuration file (`--config`, `LAMPLIGHT_CONFIG` or the system's);
//! `--check` reads it, says every problem one line each (exit 16), says what the agent would do,
//! and exits without starting. Running, it stops cleanly on SIGTERM or SIGINT (Ctrl-C, or the
//! service manager's stop on Windows): between pulls at once, during one as soon as the
//! generation being written is whole.

use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use chrono::Utc;
use lamplight_station::agent::{AgentPlan, SiteAgent};
use lamplight_station::{Station, StationConfig};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Check the configuration, say what the agent would do, and exit without starting.
    #[arg(long)]
    check: bool,
    /// With --check, also fail when a file the configuration names is not there yet.
    #[arg(long, requires = "check")]
    strict: bool,
    /// Stop after this many pulls (drills and tests); by default, run until stopped.
    #[arg(long)]
    pulls: Option<u64>,
    /// One JSON line per pull on stdout (a site agent).
    #[arg(long)]
    json: bool,
}

/// `file`: the configuration file `lamplight` found (`--config`, `LAMPLIGHT_CONFIG` or the system's).
pub fn run(args: &Args, file: Option<&Path>) -> anyhow::Result<ExitCode> {
    let config_args: Vec<std::ffi::OsString> = file
        .iter()
        .flat_map(|f| ["--config".into(), f.as_os_str().to_owned()])
        .collect();
    let config = StationConfig::from_env_and_args(|k| std::env::var_os(k), config_args)?;
    let plan = AgentPlan::from_config(&config)?;
    if args.check {
        return Ok(check(&config, &plan, args.strict));
    }
    let stop = Arc::new(AtomicBool::new(false));
    {
        let stop = Arc::clone(&stop);
        ctrlc::set_handler(move || stop.store(true, Ordering::SeqCst))
            .map_err(|e| anyhow::anyhow!("cannot listen for SIGTERM: {e}"))?;
    }
    tracing::info!(plan = %plan.describe(&config), "agent started");
    eprintln!("lamplight agent: will {}", plan.describe(&config));
    match plan {
        AgentPlan::Site { share } => run_site(&config, &share, args, &stop)?,
        AgentPlan::WardPc => run_ward_pc(&config, args, &stop)?,
    }
    tracing::info!("agent stopped");
    eprintln!("lamplight agent: stopped");
    Ok(ExitCode::SUCCESS)
}

fn run_site(config: &StationConfig, share: &Path, args: &Args, stop: &AtomicBool) -> anyhow::Result<()> {
    let mut agent = SiteAgent::new(config, share)?;
    let every = agent.every().as_secs();
    let json = args.json;
    agent.run(stop, args.pulls, |c| {
        if json {
            let _ = crate::output::json_line(&serde_json::to_value(c).unwrap_or_default());
        } else if c.ok {
            eprintln!(
                "pull: {} patients in {} requests, {} ms; generation {} and {} wards staged into the share",
                c.patients,
                c.requests,
                c.millis,
                c.generation.unwrap_or_default(),
                c.wards_staged
            );
        } else {
            for p in &c.problems {
                eprintln!("pull: {p}; trying again in {every} s");
            }
        }
    });
    Ok(())
}

fn run_ward_pc(config: &StationConfig, args: &Args, stop: &AtomicBool) -> anyhow::Result<()> {
    let station = Arc::new(Station::launch(config, Utc::now())?);
    let background = station.start_agent();
    let every = config.refresh.unwrap_or_default().every;
    let deadline = args
        .pulls
        .map(|n| std::time::Instant::now() + every * u32::try_from(n).unwrap_or(u32::MAX));
    while !stop.load(Ordering::SeqCst) && deadline.is_none_or(|d| std::time::Instant::now() < d) {
        std::thread::sleep(Duration::from_millis(200));
    }
    background.stop();
    if let Some(dir) = &config.status_dir {
        // The last word: what the PC holds as the agent stops.
        let _ = station.write_status(dir, Utc::now());
    }
    Ok(())
}

/// `--check`: the file is valid (or `from_env_and_args` refused it already); what the agent would
/// do; and which files it names are not there yet (failures with `--strict`).
#[allow(clippy::print_stdout, reason = "the check's verdict is this command's output")]
fn check(config: &StationConfig, plan: &AgentPlan, strict: bool) -> ExitCode {
    let source = config.config_file.as_deref().map_or_else(
        || "no configuration file (flags and environment only)".to_owned(),
        |p| p.display().to_string(),
    );
    println!("{source}: valid");
    println!("the agent would {}", plan.describe(config));
    let mut missing = Vec::new();
    let mut want = |key: &str, path: Option<&Path>, folder: bool| {
        if let Some(p) = path
            && !p.to_string_lossy().starts_with("keystore:")
            && !(if folder { p.is_dir() } else { p.is_file() })
        {
            missing.push(format!("{key}: {} is not there yet", p.display()));
        }
    };
    want("identity", config.identity.as_deref(), false);
    want("passphrase_file", config.passphrase_file.as_deref(), false);
    want("recipients_file", config.recipients_file.as_deref(), false);
    want("sign_with", config.signing_key.as_deref(), false);
    want(
        "epr.token_file",
        config.epr.as_ref().and_then(|e| e.token_file.as_deref()),
        false,
    );
    want(
        "epr.ca_file",
        config.epr.as_ref().and_then(|e| e.ca_file.as_deref()),
        false,
    );
    want("site_share", config.site_share.as_deref(), true);
    want("status_dir", config.status_dir.as_deref(), true);
    for m in &missing {
        eprintln!("{}: {m}", if strict { "problem" } else { "warning" });
    }
    if strict && !missing.is_empty() {
        ExitCode::from(crate::exit::CONFIG)
    } else {
        ExitCode::SUCCESS
    }
}
