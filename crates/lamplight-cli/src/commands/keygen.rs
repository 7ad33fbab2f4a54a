//! `lamplight keygen`: a new ward identity, printing its recipient for `stage --recipient`; or, with
//! `--signing`, IT's staging key, printing its public key for `--trust`.

use std::path::PathBuf;

use anyhow::Context as _;
use lamplight_vault::{DEFAULT_WORK_FACTOR, Identity};

use crate::secrets::read_passphrase_file;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Where to write the identity (created with owner-only permissions; never overwritten), or
    /// `keystore:NAME` to keep it in this PC's OS key store instead of a file.
    #[arg(long)]
    out: PathBuf,
    /// Protect the identity with the passphrase in this file (age scrypt, about a second to unlock).
    #[arg(long)]
    passphrase_file: Option<PathBuf>,
    /// scrypt work factor (log2 N) for --passphrase-file. Lower only for tests.
    #[arg(long, default_value_t = DEFAULT_WORK_FACTOR, hide = true)]
    work_factor: u8,
    /// Make IT's staging signing key instead (for `stage --sign-with`); prints the public key that
    /// ward PCs are given with --trust.
    #[arg(long, conflicts_with = "passphrase_file")]
    signing: bool,
    /// Print {"recipient": …, "identity": path} (or {"public_key": …, "signing_key": path}) as JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(args: &Args) -> anyhow::Result<()> {
    if args.signing {
        return signing(args);
    }
    let passphrase = args
        .passphrase_file
        .as_deref()
        .map(read_passphrase_file)
        .transpose()?;
    let identity = Identity::generate();
    if let Some(name) = lamplight_vault::keystore::name_in(&args.out) {
        // The OS protects what it stores (the user's account): no passphrase on top.
        anyhow::ensure!(
            passphrase.is_none(),
            "--passphrase-file is for a key file: a key in the OS key store is protected by the user's account"
        );
        lamplight_vault::keystore::store(name, &identity, false)?;
    } else {
        let created = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        identity
            .write_new(&args.out, passphrase.as_ref(), args.work_factor, &created)
            .with_context(|| format!("while creating the identity {}", args.out.display()))?;
    }
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

fn signing(args: &Args) -> anyhow::Result<()> {
    anyhow::ensure!(
        lamplight_vault::keystore::name_in(&args.out).is_none(),
        "the staging signing key is IT's, kept off ward PCs: write it to a file (--out FILE), not a ward PC's key store"
    );
    let key = lamplight_vault::SigningKey::generate()?;
    let created = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    key.write_new(&args.out, &created)
        .with_context(|| format!("while creating the signing key {}", args.out.display()))?;
    let public = key.public().to_string();
    if args.json {
        crate::output::json(&serde_json::json!({ "public_key": public, "signing_key": args.out }))?;
    } else {
        crate::output::line(&public)?;
        eprintln!(
            "Wrote {}: keep it with IT, never on a ward PC. Stage with --sign-with {}, and give ward PCs --trust {public}",
            args.out.display(),
            args.out.display()
        );
    }
    Ok(())
}
