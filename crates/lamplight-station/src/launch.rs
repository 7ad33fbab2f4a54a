//! How a ward PC's window finds its data: the built-in demo ward when nothing is configured, or
//! the newest snapshot of its vault.
//!
//! Configuration comes from the command line (`--vault DIR --identity KEY [--passphrase-file F]
//! [--ward CODE]`) or, for shortcuts and services, the environment (`LAMPLIGHT_VAULT`,
//! `LAMPLIGHT_IDENTITY`, `LAMPLIGHT_PASSPHRASE_FILE`, `LAMPLIGHT_WARD`); the command line wins.
//! When a vault is configured but cannot be opened, that is an error the window shows: it never
//! falls back to the demo ward, which would put invented patients where real ones are expected.

use std::ffi::OsString;
use std::path::PathBuf;

use chrono::{DateTime, Utc};

use crate::{Station, StationError};

/// Where a station's data comes from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LaunchConfig {
    pub vault: Option<PathBuf>,
    pub identity: Option<PathBuf>,
    pub passphrase_file: Option<PathBuf>,
    pub ward: Option<String>,
}

/// A launch configuration that cannot work, said plainly.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LaunchError {
    #[error("{0} needs a value")]
    MissingValue(String),
    #[error(
        "unknown option {0:?}: the app takes --vault DIR --identity KEY [--passphrase-file F] [--ward CODE]"
    )]
    UnknownOption(String),
    #[error("a vault is configured but no identity to open it: give --identity KEY (or LAMPLIGHT_IDENTITY)")]
    NoIdentity,
    #[error("reading the passphrase file {0}: {1}")]
    Passphrase(PathBuf, std::io::Error),
}

impl LaunchConfig {
    /// From the environment, then the command line (which wins). `args` excludes the program name.
    pub fn from_env_and_args(
        env: impl Fn(&str) -> Option<OsString>,
        args: impl IntoIterator<Item = OsString>,
    ) -> Result<Self, LaunchError> {
        let mut c = Self {
            vault: env("LAMPLIGHT_VAULT").map(PathBuf::from),
            identity: env("LAMPLIGHT_IDENTITY").map(PathBuf::from),
            passphrase_file: env("LAMPLIGHT_PASSPHRASE_FILE").map(PathBuf::from),
            ward: env("LAMPLIGHT_WARD").and_then(|w| w.into_string().ok()),
        };
        let mut args = args.into_iter();
        while let Some(flag) = args.next() {
            let flag = flag.to_string_lossy().into_owned();
            let mut value = || args.next().ok_or_else(|| LaunchError::MissingValue(flag.clone()));
            match flag.as_str() {
                "--vault" => c.vault = Some(value()?.into()),
                "--identity" => c.identity = Some(value()?.into()),
                "--passphrase-file" => c.passphrase_file = Some(value()?.into()),
                "--ward" => c.ward = Some(value()?.to_string_lossy().into_owned()),
                _ => return Err(LaunchError::UnknownOption(flag)),
            }
        }
        Ok(c)
    }
}

impl Station {
    /// The station a window opens with this configuration.
    pub fn launch(config: &LaunchConfig, now: DateTime<Utc>) -> Result<Self, StationError> {
        let Some(vault) = &config.vault else {
            return Ok(Self::demo(now));
        };
        let identity = config
            .identity
            .as_ref()
            .ok_or(StationError::Launch(LaunchError::NoIdentity))?;
        let passphrase = config
            .passphrase_file
            .as_ref()
            .map(|f| {
                std::fs::read_to_string(f)
                    .map(|t| {
                        lamplight_vault::SecretString::from(t.lines().next().unwrap_or_default().to_owned())
                    })
                    .map_err(|e| StationError::Launch(LaunchError::Passphrase(f.clone(), e)))
            })
            .transpose()?;
        let identity = lamplight_vault::Identity::load(identity, passphrase.as_ref())?;
        Self::open_vault(
            &lamplight_vault::Vault::new(vault),
            &identity,
            config.ward.as_deref(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<OsString> {
        list.iter().map(OsString::from).collect()
    }

    #[test]
    fn the_command_line_wins_over_the_environment() {
        let env = |k: &str| match k {
            "LAMPLIGHT_VAULT" => Some(OsString::from("/env/vault")),
            "LAMPLIGHT_WARD" => Some(OsString::from("WD1")),
            _ => None,
        };
        let c = LaunchConfig::from_env_and_args(env, args(&["--vault", "/cli/vault", "--identity", "k"]))
            .unwrap();
        assert_eq!(c.vault, Some(PathBuf::from("/cli/vault")));
        assert_eq!(c.ward.as_deref(), Some("WD1"));
        assert_eq!(c.identity, Some(PathBuf::from("k")));
    }

    #[test]
    fn nothing_configured_opens_the_demo_ward() {
        let c = LaunchConfig::from_env_and_args(|_| None, args(&[])).unwrap();
        let s = Station::launch(&c, Utc::now()).unwrap();
        assert_eq!(s.status(Utc::now()).source, crate::SourceKind::Demo);
    }

    #[test]
    fn a_configured_vault_that_cannot_open_is_an_error_never_the_demo() {
        let dir = tempfile::tempdir().unwrap();
        let c = LaunchConfig {
            vault: Some(dir.path().into()),
            ..Default::default()
        };
        assert!(matches!(
            Station::launch(&c, Utc::now()),
            Err(StationError::Launch(LaunchError::NoIdentity))
        ));
        let key = dir.path().join("k");
        lamplight_vault::Identity::generate()
            .write_new(&key, None, 10, "test")
            .unwrap();
        let c = LaunchConfig {
            vault: Some(dir.path().into()),
            identity: Some(key),
            ..Default::default()
        };
        let err = Station::launch(&c, Utc::now()).unwrap_err();
        assert_eq!(err.to_api().code, crate::ErrorCode::SnapshotUnavailable, "{err}");
    }

    #[test]
    fn bad_options_are_named() {
        assert!(matches!(
            LaunchConfig::from_env_and_args(|_| None, args(&["--vualt", "x"])),
            Err(LaunchError::UnknownOption(o)) if o == "--vualt"
        ));
        assert!(matches!(
            LaunchConfig::from_env_and_args(|_| None, args(&["--vault"])),
            Err(LaunchError::MissingValue(_))
        ));
    }
}
