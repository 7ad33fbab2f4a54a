//! `lamplight`: Lamplight without a window, for IT staging, inspection and tests.
//!
//! Each subcommand lives in its own module under `commands/` with an `Args` struct (clap derive) and a
//! `run` function; this file only parses the command line and turns an error into a one-line reason on
//! stderr and a non-zero exit (docs/design.md, "The command line"). To add a subcommand: a module, a
//! variant of [`Command`], one arm in `main`.

#![forbid(unsafe_code)]

mod commands;
mod config;
mod exit;
mod output;
mod secrets;

use std::process::ExitCode;

use clap::{CommandFactory as _, FromArgMatches as _, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "lamplight",
    version,
    about = "Keeps a ward working when its EPR goes down: the command line for IT and tests.",
    after_help = exit::HELP
)]
struct Cli {
    /// The configuration file its settings come from when a flag does not give them (default:
    /// LAMPLIGHT_CONFIG, else /etc/lamplight/lamplight.toml or %ProgramData%\Lamplight\lamplight.toml
    /// when there is one; LAMPLIGHT_CONFIG=off for none).
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<std::path::PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Write a deterministic synthetic site (a demo ward by default) as a FHIR R4 transaction bundle.
    Demo(commands::demo::Args),
    /// Create a ward identity (the key that opens snapshots) and print its recipient (age1…).
    Keygen(commands::keygen::Args),
    /// The ward identity in this PC's OS key store (import, show, remove): --identity keystore:NAME.
    Keystore(commands::keystore::Args),
    /// Seal a new snapshot generation of a ward or site from a FHIR R4 bundle.
    Stage(commands::stage::Args),
    /// Show what the newest good snapshot holds, and the state of every generation.
    Inspect(commands::inspect::Args),
    /// Check every generation's integrity (no key needed); exit non-zero if the newest is not usable.
    Verify(commands::verify::Args),
    /// Stage every bundle dropped into a folder, sealing processed files aside.
    Watch(commands::watch::Args),
    /// Print a ward's downtime paper (handover, census, drug or NEWS2 charts, blank forms) as an A4 PDF.
    /// The PDF is the one unencrypted copy Lamplight makes, because you asked for it.
    Print(commands::print::Args),
    /// Measure how fast this machine stages and opens snapshots.
    Bench(commands::bench::Args),
    /// Keep a ward's snapshot fresh from the EPR: full, then incremental pulls, each sealed.
    Refresh(commands::refresh::Args),
    /// Plan, declare, end or look at a ward PC's downtime (schedule, status, declare, end, drill).
    Downtime(commands::downtime::Args),
    /// Provision the downtime accounts ward PCs sign people in with (add, remove, list, import --csv).
    Roster(commands::roster::Args),
    /// Record a drill's worth of synthetic downtime entries on a PC (demos, training, crash tests).
    /// One line per entry as it is saved, starting with its id; no patient name or NHS number.
    DemoEntries(commands::demo_entries::Args),
    /// List the ward's downtime entries (this PC's journal and its peers'), newest last.
    Journal(commands::journal::Args),
    /// The audit trail: who signed in, was refused, opened, printed, recorded, decided and filed
    /// what, from every PC's journal; `!` marks what a reviewer must look at.
    Audit(commands::audit::Args),
    /// File the ward's downtime entries back to the EPR: plan them against what it holds now, file
    /// what needs no person, list what does (exit 13).
    Reconcile(commands::reconcile::Args),
    /// Revoke a ward PC (stolen, lost, retired): the ward keeps the records it had shared and takes
    /// none after; the PC itself records nothing more.
    RevokePc(commands::revoke::Args),
    /// Which ward PCs would be ready if the EPR failed now (their status files): exit 15 if any is not.
    Fleet(commands::fleet::Args),
    /// The refresh agent (IT servers, ward PCs without the window): keeps snapshots fresh as the
    /// configuration file says; --check validates it and exits.
    Agent(commands::agent::Args),
}

fn main() -> ExitCode {
    let command_line: Vec<std::ffi::OsString> = std::env::args_os().collect();
    // Help and the version never depend on a configuration file being right.
    let asks_about_lamplight = command_line
        .iter()
        .skip(1)
        .any(|a| ["--help", "-h", "--version", "-V", "help"].iter().any(|h| a == h));
    let located = if asks_about_lamplight {
        None
    } else {
        config::locate(&command_line)
    };
    let file = match located
        .as_deref()
        .map(lamplight_station::settings::ConfigFile::load)
    {
        None => None,
        Some(Ok(f)) => Some(f),
        Some(Err(e)) => {
            eprintln!("lamplight: {e}");
            return ExitCode::from(exit::CONFIG);
        }
    };
    let command_line = match &file {
        Some(f) => config::fill(command_line, f),
        None => command_line,
    };
    let matches = Cli::command().get_matches_from(command_line);
    let log_days = file
        .as_ref()
        .and_then(|f| f.retention.as_ref()?.log_days)
        .and_then(|d| usize::try_from(d).ok())
        .unwrap_or(lamplight_station::logging::KEEP_DAYS);
    lamplight_station::logging::init_keeping("lamplight", log_days);
    tracing::info!(command = matches.subcommand_name(), "started");
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    let result = match cli.command {
        Command::Demo(args) => commands::demo::run(&args).map(|()| ExitCode::SUCCESS),
        Command::Keygen(args) => commands::keygen::run(&args).map(|()| ExitCode::SUCCESS),
        Command::RevokePc(args) => commands::revoke::run(&args).map(|()| ExitCode::SUCCESS),
        Command::Keystore(args) => commands::keystore::run(&args).map(|()| ExitCode::SUCCESS),
        Command::Stage(args) => commands::stage::run(&args).map(|()| ExitCode::SUCCESS),
        Command::Inspect(args) => commands::inspect::run(&args).map(|()| ExitCode::SUCCESS),
        Command::Verify(args) => commands::verify::run(&args).map(|()| ExitCode::SUCCESS),
        Command::Watch(args) => commands::watch::run(&args).map(|()| ExitCode::SUCCESS),
        Command::Print(args) => commands::print::run(&args).map(|()| ExitCode::SUCCESS),
        Command::Bench(args) => commands::bench::run(&args).map(|()| ExitCode::SUCCESS),
        Command::Refresh(args) => commands::refresh::run(&args).map(|()| ExitCode::SUCCESS),
        Command::Downtime(args) => commands::downtime::run(&args).map(|()| ExitCode::SUCCESS),
        Command::Roster(args) => commands::roster::run(&args).map(|()| ExitCode::SUCCESS),
        Command::DemoEntries(args) => commands::demo_entries::run(&args).map(|()| ExitCode::SUCCESS),
        Command::Journal(args) => commands::journal::run(&args).map(|()| ExitCode::SUCCESS),
        Command::Audit(args) => commands::audit::run(&args).map(|()| ExitCode::SUCCESS),
        Command::Reconcile(args) => commands::reconcile::run(&args),
        Command::Fleet(args) => commands::fleet::run(&args),
        Command::Agent(args) => commands::agent::run(&args, located.as_deref()),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            // One line: the reason, with its causes, for people and scripts alike; and in the log,
            // where the scan of `make test` checks that no error text carries patient data.
            let code = exit::code_for(&e);
            let reason = one_line(&e);
            tracing::error!(target: "lamplight_exit", exit = ?code, "{reason}");
            eprintln!("lamplight: {reason}");
            code
        }
    }
}

/// The error and its causes on one line, each cause said once: many of our errors already
/// include their cause's text (`"the snapshot could not be opened: {0}"`), and `{:#}` would then
/// say it twice.
fn one_line(e: &anyhow::Error) -> String {
    let mut line = String::new();
    for cause in e.chain() {
        let text = cause.to_string();
        if !line.contains(&text) {
            if !line.is_empty() {
                line.push_str(": ");
            }
            line.push_str(&text);
        }
    }
    line
}
