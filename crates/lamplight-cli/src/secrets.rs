//! Reading secrets given on the command line: never the secret itself, always a file.

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use lamplight_vault::{Identity, SecretString};

/// A passphrase from a file: its first line, without the line ending.
pub fn read_passphrase_file(path: &Path) -> anyhow::Result<SecretString> {
    let text = zeroize::Zeroizing::new(
        std::fs::read_to_string(path)
            .with_context(|| format!("while reading the passphrase file {}", path.display()))?,
    );
    let line = text.lines().next().unwrap_or_default();
    anyhow::ensure!(
        !line.is_empty(),
        "the passphrase file {} is empty",
        path.display()
    );
    Ok(SecretString::from(line.to_owned()))
}

/// Loads `--identity`, with `--passphrase-file` when it is wrapped.
pub fn load_identity(path: &Path, passphrase_file: Option<&Path>) -> anyhow::Result<Identity> {
    load_rotated(path, &[], passphrase_file)
}

/// Loads `--identity` and the `--previous-identity` keys it replaced (opened with the same
/// passphrase file when wrapped): the keys of a vault whose ward identity was rotated.
pub fn load_rotated(
    path: &Path,
    previous: &[PathBuf],
    passphrase_file: Option<&Path>,
) -> anyhow::Result<Identity> {
    let passphrase = passphrase_file.map(read_passphrase_file).transpose()?;
    let mut identity = Identity::load(path, passphrase.as_ref())?;
    for older in previous {
        identity = identity.with_previous(Identity::load(older, passphrase.as_ref())?);
    }
    Ok(identity)
}

/// Whose staging signatures to require: `--trust KEY` (repeatable; the `lamplight-sign-1:` public
/// key itself, or a file holding such keys one per line).
#[derive(Debug, Clone, Default, clap::Args)]
pub struct Trust {
    /// Show only snapshots signed by this staging key: the public key (`lamplight-sign-1:…`, from
    /// `lamplight keygen --signing`) or a file holding it. Repeatable (a new key beside the old
    /// while IT rotates it).
    #[arg(long = "trust", value_name = "KEY")]
    pub trust: Vec<String>,
}

impl Trust {
    /// The keys, or `None` when none was given (signatures are then not checked).
    pub fn keys(&self) -> anyhow::Result<Option<Vec<lamplight_vault::TrustedKey>>> {
        if self.trust.is_empty() {
            return Ok(None);
        }
        let mut keys = Vec::new();
        for t in &self.trust {
            keys.extend(lamplight_vault::TrustedKey::from_arg(t)?);
        }
        Ok(Some(keys))
    }

    /// `dir` as a vault that checks these signatures.
    pub fn vault(&self, dir: &Path) -> anyhow::Result<lamplight_vault::Vault> {
        let vault = lamplight_vault::Vault::new(dir);
        Ok(match self.keys()? {
            Some(keys) => vault.trust(keys),
            None => vault,
        })
    }
}

/// A vault and the key that opens it: `--vault DIR --identity KEY [--passphrase-file F]`
/// (inspect, downtime, roster).
#[derive(Debug, clap::Args)]
pub struct OpenVault {
    /// The vault folder.
    #[arg(long)]
    pub vault: PathBuf,
    /// The identity that opens it (this ward PC's, or IT's break-glass one).
    #[arg(long)]
    pub identity: PathBuf,
    /// The passphrase file, when the identity is passphrase-protected.
    #[arg(long)]
    pub passphrase_file: Option<PathBuf>,
    /// A key the identity replaced (the ward identity was rotated): it still opens older
    /// generations and journal records. Repeatable.
    #[arg(long = "previous-identity", value_name = "KEY")]
    pub previous_identities: Vec<PathBuf>,
    #[command(flatten)]
    pub trust: Trust,
}

impl OpenVault {
    /// The station configuration of a command that opens this vault as PC `pc` (default: the host
    /// name) of the ward, meeting its peers in `ward_folder` when one is given.
    pub fn station_config(
        &self,
        pc: Option<&str>,
        ward_folder: Option<&std::path::Path>,
    ) -> anyhow::Result<lamplight_station::StationConfig> {
        let mut config = lamplight_station::StationConfig {
            vault: Some(self.vault.clone()),
            identity: Some(self.identity.clone()),
            passphrase_file: self.passphrase_file.clone(),
            previous_identities: self.previous_identities.clone(),
            ward_folder: ward_folder.map(std::path::Path::to_path_buf),
            trust: self.trust.keys()?,
            ..lamplight_station::StationConfig::default()
        };
        if let Some(pc) = pc {
            pc.clone_into(&mut config.pc);
        }
        Ok(config)
    }

    /// The identity, unlocked with the passphrase file when one is given.
    pub fn load_identity(&self) -> anyhow::Result<Identity> {
        load_rotated(
            &self.identity,
            &self.previous_identities,
            self.passphrase_file.as_deref(),
        )
    }
}
