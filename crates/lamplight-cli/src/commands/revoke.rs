//! `lamplight revoke-pc`: IT revokes a ward PC (stolen, lost, sent away). Its peers keep the
//! records it had shared with the ward folder and take none it makes after
//! ([`lamplight_station::revoke`]); the PC itself, if it runs, records nothing more. Run it on
//! each vault of the ward's PCs (a site share: once), and rotate the ward identity as well, so
//! nothing staged from now on opens on the revoked PC.

use std::path::PathBuf;

use chrono::Utc;
use lamplight_station::revoke::{RevokedPc, write_revocation};
use lamplight_vault::journal::ward::WardFolder;
use serde_json::json;

use crate::exit::BadInput;
use crate::secrets::OpenVault;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    open: OpenVault,
    /// The PC revoked, as its journal names it (`WD7-PC2`).
    #[arg(long)]
    pc: String,
    /// The ward folder its peers meet it in: the records it has shared there now are the ones
    /// the ward keeps.
    #[arg(long, required_unless_present = "up_to")]
    ward_folder: Option<PathBuf>,
    /// Keep its records up to this sequence (0: none) instead of what the ward folder holds of it.
    #[arg(long)]
    up_to: Option<u64>,
    /// Why: shown on the ward's other PCs (no patient data).
    #[arg(long)]
    reason: String,
    /// Who in IT revoked it; by default the account running the command.
    #[arg(long)]
    by: Option<String>,
    /// Sign it with IT's staging key: PCs given --trust follow only a signed revocation.
    #[arg(long, value_name = "KEY")]
    sign_with: Option<PathBuf>,
    #[arg(long)]
    json: bool,
}

pub fn run(args: &Args) -> anyhow::Result<()> {
    lamplight_vault::journal::check_pc_name(&args.pc).map_err(|e| BadInput(e.to_string()))?;
    if args.reason.trim().is_empty() {
        return Err(
            BadInput("--reason says why the PC is revoked (it is shown on the ward's PCs)".into()).into(),
        );
    }
    let up_to = match (&args.ward_folder, args.up_to) {
        (_, Some(n)) => n,
        (Some(folder), None) => {
            let identity = args.open.load_identity()?;
            let mut ward = WardFolder::new(folder, "lamplight-revoke")?;
            let report = ward.pull_only(&identity, Utc::now());
            anyhow::ensure!(
                report.reachable,
                "the ward folder {} cannot be read: give --up-to N with the last record of {} to keep",
                folder.display(),
                args.pc
            );
            ward.peers()
                .find(|(pc, _)| pc.eq_ignore_ascii_case(&args.pc))
                .map_or(0, |(_, n)| n)
        }
        (None, None) => unreachable!("clap requires --ward-folder or --up-to"),
    };
    let revoked = RevokedPc {
        format: 1,
        pc: args.pc.clone(),
        up_to_sequence: up_to,
        revoked_at: Utc::now(),
        by: args.by.clone().unwrap_or_else(lamplight_station::paper::os_user),
        reason: args.reason.trim().to_owned(),
    };
    let mut vault = args.open.trust.vault(&args.open.vault)?;
    if let Some(key) = &args.sign_with {
        vault = vault.sign_with(lamplight_vault::SigningKey::load(key)?);
    }
    let path = write_revocation(&vault, &revoked)?;
    if args.json {
        return crate::output::json(&json!({
            "pc": revoked.pc, "up_to_sequence": up_to, "revoked_at": revoked.revoked_at,
            "by": revoked.by, "path": path,
        }));
    }
    eprintln!(
        "Revoked {}: the ward keeps its records up to {up_to} and takes none after. Rotate the ward identity too, so snapshots staged from now on do not open on it",
        revoked.pc
    );
    crate::output::line(&path.display().to_string())
}
