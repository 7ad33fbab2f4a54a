//! `lamplight`: Lamplight without a window, for IT staging, inspection and tests.
//!
//! Each subcommand lives in its own module under `commands/` with an `Args` struct (clap derive) and a
//! `run` function; this file only parses the command line and turns an error into a one-line reason on
//! stderr and a non-zero exit (shared/DESIGN.md, "The command line"). To add a subcommand: a module, a
//! variant of [`Command`], one arm in `main`.

#![forbid(unsafe_code)]

mod commands;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "lamplight",
    version,
    about = "Keeps a ward working when its EPR goes down: the command line for IT and tests."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Write a deterministic synthetic site (a demo ward by default) as a FHIR R4 transaction bundle.
    Demo(commands::demo::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Demo(args) => commands::demo::run(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // One line: the reason, with its causes, for people and scripts alike.
            eprintln!("lamplight: {e:#}");
            ExitCode::FAILURE
        }
    }
}
