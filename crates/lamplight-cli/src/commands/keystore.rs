//! `lamplight keystore`: the ward identity in this PC's OS key store (Windows Credential Manager,
//! macOS Keychain, Linux keyutils) instead of a key file on its disk. Everything that takes
//! `--identity` then takes `keystore:NAME`. Run it as the user Lamplight runs as: key stores are
//! per user.

use std::path::PathBuf;

use anyhow::Context as _;
use lamplight_vault::keystore;

use crate::secrets::load_identity;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    action: Action,
}

#[derive(Debug, clap::Subcommand)]
enum Action {
    /// Put an identity file's key in the key store as NAME (then give --identity keystore:NAME,
    /// and remove the file from the PC). Never replaces one already there without --replace.
    Import {
        /// The name it is kept under (letters, digits, '.', '_', '-'), e.g. the PC's name.
        name: String,
        /// The identity file (from `lamplight keygen`).
        #[arg(long)]
        identity: PathBuf,
        /// The passphrase file, when the identity file is passphrase-protected.
        #[arg(long)]
        passphrase_file: Option<PathBuf>,
        /// Replace an identity already stored as NAME (snapshots sealed only for the old one will
        /// no longer open on this PC).
        #[arg(long)]
        replace: bool,
    },
    /// Print the recipient (age1…) of the identity stored as NAME: it is there and whole.
    Show { name: String },
    /// Take the identity stored as NAME out of the key store (a PC retired or re-keyed).
    Remove { name: String },
}

pub fn run(args: &Args) -> anyhow::Result<()> {
    match &args.action {
        Action::Import {
            name,
            identity,
            passphrase_file,
            replace,
        } => {
            let key = load_identity(identity, passphrase_file.as_deref())?;
            keystore::store(name, &key, *replace)
                .with_context(|| format!("while storing {} in the key store", identity.display()))?;
            crate::output::line(&key.recipient().to_string())?;
            eprintln!(
                "Stored as {}{name}: give --identity {}{name}, and take {} off this PC (keep IT's copy safe)",
                keystore::PREFIX,
                keystore::PREFIX,
                identity.display()
            );
        }
        Action::Show { name } => {
            let key = keystore::load(name)?;
            crate::output::line(&key.recipient().to_string())?;
        }
        Action::Remove { name } => {
            keystore::remove(name)?;
            eprintln!("Removed {}{name} from this PC's key store", keystore::PREFIX);
        }
    }
    Ok(())
}
