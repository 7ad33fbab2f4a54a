//! `lamplight keygen`: a new ward identity; prints its recipient for `stage --recipient`.

use std::path::PathBuf;

use anyhow::Context as _;
use lamplight_vault::{DEFAULT_WORK_FACTOR, Identity};

use crate::secrets::read_passphrase_file;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Where to write the identity (created with owner-only permissions; never overwritten).
    #[arg(long)]
    out: PathBuf,
    /// Protect the identity with the passphrase in this file (age scrypt, about a second to unlock).
    #[arg(long)]
    passphrase_file: Option<PathBuf>,
    /// scrypt work factor (log2 N) for --passphrase-file. Lower only for tests.
    #[arg(long, default_value_t = DEFAULT_WORK_FACTOR, hide = true)]
    work_factor: u8,
    /// Print {"recipient": …, "identity": path} as JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(args: &Args) -> anyhow::Result<()> {
    let passphrase = args
        .passphrase_file
        .as_deref()
        .map(read_passphrase_file)
        .transpose()?;
    let identity = Identity::generate();
    let created = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    identity
        .write_new(&args.out, passphrase.as_ref(), args.work_factor, &created)
        .with_context(|| format!("while creating the identity {}", args.out.display()))?;
    let recipient = identity.recipient().to_string();
    if args.json {
        crate::output::json(&serde_json::json!({ "recipient": recipient, "identity": args.out }))?;
    } else {
        crate::output::line(&recipient)?;
        eprintln!(
            "Wrote {}{}. Stage snapshots for this PC with --recipient {recipient}",
            args.out.display(),
            if passphrase.is_some() {
                " (passphrase-protected)"
            } else {
                ""
            }
        );
    }
    Ok(())
}
