//! `lamplight roster`: IT provisions the downtime accounts a ward PC signs people in with.
//!
//! - `add --name NAME --role ROLE --ward CODE… [--pin-file F]`: one account; the PIN comes from a
//!   file or is piped on standard input, never from the command line (where `ps` and shell history
//!   would show it).
//! - `remove ID_OR_NAME`, `list` (never shows hashes), `import --csv FILE` (`name,role,wards,pin-or-hash`;
//!   every bad line is named with its field, and nothing is imported if any line is bad).
//!
//! The roster is sealed in the vault (`state/roster.age`) to the identity given, every recipient it
//! was sealed to before, and any `--recipient` / `--recipients-file` (the ward PCs, IT's break-glass).
//! Reading and rules are the station's (`lamplight_station::session::roster`), as the window uses them.

use std::io::{IsTerminal as _, Read as _};
use std::path::PathBuf;

use anyhow::Context as _;
use chrono::Utc;
use lamplight_model::{PinRule, Role};
use lamplight_station::session::roster::{self, NewAccount, NewSecret, Pin, PinCost, Roster, RosterError};
use lamplight_vault::{Recipient, Vault};
use serde_json::json;

use crate::exit::BadInput;
use crate::secrets::OpenVault;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    what: What,
}

#[derive(Debug, clap::Args)]
struct Place {
    /// The vault the roster is sealed into, and the identity that opens it (and that it stays
    /// sealed to).
    #[command(flatten)]
    open: OpenVault,
    /// Also seal the roster to this recipient (age1…: a ward PC, IT's break-glass). Repeatable; remembered.
    #[arg(long = "recipient", value_name = "AGE1…")]
    recipients: Vec<String>,
    /// A file of more recipients, one per line. Remembered.
    #[arg(long = "recipients-file", value_name = "FILE")]
    recipients_files: Vec<PathBuf>,
    /// Sign it with IT's staging key (`lamplight keygen --signing`): ward PCs given its public
    /// key with --trust take only what it signed.
    #[arg(long, value_name = "KEY")]
    sign_with: Option<PathBuf>,
    #[arg(long)]
    json: bool,
}

#[derive(Debug, clap::Subcommand)]
enum What {
    /// Add one account. The PIN is read from --pin-file, or from standard input (piped, first line).
    Add {
        #[command(flatten)]
        place: Place,
        /// The person's full name, as shown on every entry they record.
        #[arg(long)]
        name: String,
        /// nurse, bed-manager or it.
        #[arg(long)]
        role: String,
        /// A ward code this person works on (repeatable), or * for every ward.
        #[arg(long = "ward", value_name = "CODE", required = true)]
        wards: Vec<String>,
        /// A file whose first line is the PIN or passphrase.
        #[arg(long)]
        pin_file: Option<PathBuf>,
    },
    /// Remove an account by user id (or full name, when only one account has it).
    Remove {
        #[command(flatten)]
        place: Place,
        /// The user id (`roster list` shows them) or full name.
        account: String,
    },
    /// List the accounts: id, name, role, wards (never the PIN hashes).
    List {
        #[command(flatten)]
        place: Place,
    },
    /// Add every account of a CSV file (name,role,wards,pin-or-hash), or none if any line is bad.
    Import {
        #[command(flatten)]
        place: Place,
        /// The CSV file. Wards separated by ; or spaces; pin-or-hash is a PIN, or an argon2id PHC hash.
        #[arg(long)]
        csv: PathBuf,
    },
}

impl Place {
    fn open(&self) -> anyhow::Result<(Vault, Roster, Vec<Recipient>)> {
        let identity = self.open.load_identity()?;
        let mut vault = self.open.trust.vault(&self.open.vault)?;
        if let Some(key) = &self.sign_with {
            vault = vault.sign_with(lamplight_vault::SigningKey::load(key)?);
        }
        let roster = Roster::load(&vault, &identity)
            .with_context(|| format!("while opening the roster in {}", self.open.vault.display()))?
            .unwrap_or_default();
        let mut recipients = vec![identity.recipient()];
        if !self.recipients.is_empty() || !self.recipients_files.is_empty() {
            recipients.extend(lamplight_station::sync::recipients(
                &self.recipients,
                &self.recipients_files,
            )?);
        }
        Ok((vault, roster, recipients))
    }
}

fn save(place: &Place, vault: &Vault, roster: &mut Roster, recipients: &[Recipient]) -> anyhow::Result<()> {
    roster
        .save(vault, recipients)
        .with_context(|| format!("while saving the roster in {}", place.open.vault.display()))?;
    Ok(())
}

/// The first line of `path`, or of standard input when it is piped.
fn read_pin(path: Option<&std::path::Path>) -> anyhow::Result<Pin> {
    let text = zeroize::Zeroizing::new(if let Some(p) = path {
        std::fs::read_to_string(p).with_context(|| format!("while reading the PIN file {}", p.display()))?
    } else {
        anyhow::ensure!(
            !std::io::stdin().is_terminal(),
            "give the PIN with --pin-file FILE, or pipe it on standard input: typed here it would show on screen"
        );
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .context("while reading the PIN from standard input")?;
        s
    });
    Ok(Pin::new(text.lines().next().unwrap_or_default()))
}

fn account_json(a: &roster::Account) -> serde_json::Value {
    json!({ "id": a.id, "name": a.full_name, "role": a.role.word(), "wards": a.wards, "added": a.added_at })
}

fn as_bad_input(e: RosterError) -> anyhow::Error {
    match e {
        RosterError::BadField { .. }
        | RosterError::Pin(_)
        | RosterError::NoSuchAccount(_)
        | RosterError::Ambiguous(_) => BadInput(e.to_string()).into(),
        other => other.into(),
    }
}

pub fn run(args: &Args) -> anyhow::Result<()> {
    match &args.what {
        What::Add {
            place,
            name,
            role,
            wards,
            pin_file,
        } => {
            let role = Role::parse(role).ok_or_else(|| {
                BadInput(format!("--role {role:?} is not a role: nurse, bed-manager or it"))
            })?;
            let pin = read_pin(pin_file.as_deref())?;
            let (vault, mut roster, recipients) = place.open()?;
            let new = NewAccount {
                full_name: name.clone(),
                role,
                wards: wards.clone(),
                secret: NewSecret::Pin(pin),
            };
            let added = roster
                .add(new, PinCost::DEFAULT, Utc::now())
                .map_err(as_bad_input)?
                .clone();
            save(place, &vault, &mut roster, &recipients)?;
            note(&format!(
                "Added {} ({}) to the roster",
                added.id,
                added.role.label()
            ));
            if place.json {
                return crate::output::json(&account_json(&added));
            }
            crate::output::line(&added.id)
        }
        What::Remove { place, account } => {
            let (vault, mut roster, recipients) = place.open()?;
            let removed = roster.remove(account).map_err(as_bad_input)?;
            save(place, &vault, &mut roster, &recipients)?;
            if place.json {
                return crate::output::json(&account_json(&removed));
            }
            crate::output::line(&format!("removed {}", removed.id))
        }
        What::List { place } => {
            let (_, roster, _) = place.open()?;
            if place.json {
                return crate::output::json(&json!({
                    "accounts": roster.accounts().iter().map(account_json).collect::<Vec<_>>(),
                }));
            }
            for a in roster.accounts() {
                crate::output::line(&format!(
                    "{}\t{}\t{}\t{}",
                    a.id,
                    a.full_name,
                    a.role.word(),
                    a.wards.join(";")
                ))?;
            }
            Ok(())
        }
        What::Import { place, csv } => import(place, csv),
    }
}

/// Every account of the CSV, or none.
fn import(place: &Place, csv: &std::path::Path) -> anyhow::Result<()> {
    let text = zeroize::Zeroizing::new(
        std::fs::read_to_string(csv).with_context(|| format!("while reading {}", csv.display()))?,
    );
    let bad_lines = |problems: &[roster::LineProblem]| -> anyhow::Error {
        for p in problems {
            eprintln!("lamplight: {}: {p}", csv.display());
        }
        BadInput(format!(
            "{} bad line(s) in {}, so nothing was imported: fix them and import again ({})",
            problems.len(),
            csv.display(),
            PinRule::default().describe()
        ))
        .into()
    };
    let lines = match roster::parse_csv(&text) {
        Ok(n) => n,
        Err(RosterError::Csv(problems)) => return Err(bad_lines(&problems)),
        Err(e) => return Err(as_bad_input(e)),
    };
    let (vault, mut roster, recipients) = place.open()?;
    let before = roster.accounts().len();
    let count = match roster.import(lines, PinCost::DEFAULT, Utc::now()) {
        Ok(n) => n,
        Err(RosterError::Csv(problems)) => return Err(bad_lines(&problems)),
        Err(e) => return Err(as_bad_input(e)),
    };
    save(place, &vault, &mut roster, &recipients)?;
    let added = &roster.accounts()[before..];
    if place.json {
        return crate::output::json(&json!({
            "imported": count,
            "accounts": added.iter().map(account_json).collect::<Vec<_>>(),
        }));
    }
    for a in added {
        crate::output::line(&a.id)?;
    }
    note(&format!("Imported {count} account(s) into the roster"));
    Ok(())
}

/// A note for the person at the terminal (stderr), apart from the results (stdout).
fn note(text: &str) {
    eprintln!("{text}");
}
