//! How a ward PC's station is set up: where its data comes from, whether it keeps itself fresh
//! from the EPR, and how it checks the EPR's health.
//!
//! Configuration comes from the configuration file ([`crate::settings`]: `--config F`,
//! `LAMPLIGHT_CONFIG`, or the system's place), then the environment, then the command line; each
//! overrides the one before:
//!
//! | option | environment | meaning |
//! |---|---|---|
//! | `--config F` | `LAMPLIGHT_CONFIG` (`off`: none) | the configuration file (default: the system's, when there is one) |
//! | `--vault DIR` | `LAMPLIGHT_VAULT` | the vault this PC reads (and, with `--epr`, keeps fresh) |
//! | `--identity KEY` | `LAMPLIGHT_IDENTITY` | the key that opens it |
//! | `--passphrase-file F` | `LAMPLIGHT_PASSPHRASE_FILE` | the key's passphrase (none: a window asks for it, `unlock`) |
//! | `--previous-identity KEY` (repeatable) | | a key this PC's identity replaced: it still opens older generations and journal records (rotation); nothing new is sealed to it |
//! | `--ward CODE` (repeatable) | `LAMPLIGHT_WARD` (comma-separated) | the wards shown (and pulled); all when none |
//! | `--epr URL` | `LAMPLIGHT_EPR` | the EPR's FHIR R4 base: refresh and health checks |
//! | `--token-file F` | `LAMPLIGHT_EPR_TOKEN_FILE` | the EPR's bearer token |
//! | `--ca-file F` | `LAMPLIGHT_EPR_CA_FILE` | the trust's certificate authority (PEM) |
//! | `--recipients-file F` | `LAMPLIGHT_RECIPIENTS_FILE` | more recipients for what this PC stages (IT's break-glass) |
//! | `--refresh-secs N` | `LAMPLIGHT_REFRESH_SECS` | between pulls (60); `0`: only check health, an agent keeps the vault fresh |
//! | `--full-every-mins N` | | a full pull at least this often (60) |
//! | `--health-secs N` | | between health probes (15) |
//! | `--health-timeout-secs N` | | per probe request (5) |
//! | `--propose-after-secs N` | | how long the EPR must be silent before downtime is proposed (60) |
//! | `--stale-after-mins N` | | when screens turn red (60) |
//! | `--idle-lock-mins N` | `LAMPLIGHT_IDLE_LOCK_MINS` | a signed-in session locks after this long idle (10; 1–120) |
//! | `--pc NAME` | `LAMPLIGHT_PC` | this PC's name in its journal and entries (the host name) |
//! | `--ward-folder DIR` | `LAMPLIGHT_WARD_FOLDER` | where the ward's PCs share their entries |
//! | `--pdf-folder DIR` | `LAMPLIGHT_PDF_FOLDER` | where "Save as PDF" writes (`Documents/Lamplight` in the home folder) |
//! | `--print-command CMD` | `LAMPLIGHT_PRINT_COMMAND` | how this PC prints a PDF (`lp -t {title} -`; on Windows `SumatraPDF.exe -print-to-default -silent {file}`): `paper::PrintRoute` |
//! | `--status-dir DIR` | `LAMPLIGHT_STATUS_DIR` | where this PC writes its status file every minute, for `lamplight fleet` (no patient data) |
//! | `--site-share DIR` | `LAMPLIGHT_SITE_SHARE` | the site share the agent stages every ward into; the PC takes its wards' newest generations from it |
//!
//! The file alone sets the omission codes offered, the generations kept and the days of logs kept.
//!
//! When a vault is configured but cannot be opened, that is an error the window shows: it never
//! falls back to the demo ward, which would put invented patients where real ones are expected.

use std::ffi::OsString;
use std::path::PathBuf;
use std::time::Duration;

use chrono::TimeDelta;

use crate::health::HealthPolicy;
use crate::settings::{ConfigFile, SettingsError};
use crate::sync::{EprSettings, RefreshPolicy};

/// Everything a station is set up with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StationConfig {
    pub vault: Option<PathBuf>,
    pub identity: Option<PathBuf>,
    pub passphrase_file: Option<PathBuf>,
    /// Keys the identity replaced (rotation), newest first: files (opened with the same
    /// passphrase when wrapped) or `keystore:NAME`.
    pub previous_identities: Vec<PathBuf>,
    /// The wards shown (and pulled); every ward of the snapshot when empty.
    pub wards: Vec<String>,
    pub epr: Option<EprSettings>,
    pub recipients_file: Option<PathBuf>,
    /// `None`: the PC only checks the EPR's health; an agent keeps its vault fresh.
    pub refresh: Option<RefreshPolicy>,
    pub health: HealthPolicy,
    pub stale_after_minutes: i64,
    /// Where "Save as PDF" writes; `None`: `Documents/Lamplight` in the user's home.
    pub pdf_folder: Option<PathBuf>,
    /// Where this PC writes its status file for IT's `lamplight fleet` ([`crate::fleet`]).
    pub status_dir: Option<PathBuf>,
    /// How this PC prints ([`crate::paper::PrintRoute`]); `None`: the system's own.
    pub print_command: Option<String>,
    /// A signed-in session locks after this many minutes without activity.
    pub idle_lock_minutes: i64,
    /// How often the vault is looked at even when no file event came (a share that drops events).
    pub check_every: Duration,
    /// This PC's name: its journal's, and what its entries say they were recorded on.
    pub pc: String,
    /// The folder the ward's PCs share their entries through (a network share in a hospital).
    pub ward_folder: Option<PathBuf>,
    /// The staging keys whose signatures this PC requires (`--trust`, repeatable): `None` shows
    /// unsigned snapshots too (IT's `inspect` and `verify` say that signatures were not checked).
    pub trust: Option<Vec<lamplight_vault::TrustedKey>>,
    /// The key this PC signs what it stages itself with (`--sign-with`: a PC that pulls from the
    /// EPR), its public half among `trust`.
    pub signing_key: Option<PathBuf>,
    /// The site share ([`crate::sync::share`]): the agent stages every ward into it, a ward PC
    /// takes its wards' newest generations from it into its own vault.
    pub site_share: Option<PathBuf>,
    /// The omission codes the drug chart offers, in order (a trust's own subset of the known ones).
    pub omission_codes: Vec<lamplight_model::OmissionReason>,
    /// Snapshot generations kept in the vault.
    pub keep_generations: usize,
    /// Days of log files kept.
    pub log_days: usize,
    /// The configuration file this was read from, if any.
    pub config_file: Option<PathBuf>,
}

/// This computer's name, as the journal and entries name it: its host name, or `ward-pc`.
fn this_pc() -> String {
    ["COMPUTERNAME", "HOSTNAME"]
        .iter()
        .find_map(|k| std::env::var(k).ok())
        .or_else(|| std::fs::read_to_string("/etc/hostname").ok())
        .map(|n| n.trim().to_owned())
        .filter(|n| lamplight_vault::journal::check_pc_name(n).is_ok())
        .unwrap_or_else(|| "ward-pc".to_owned())
}

impl Default for StationConfig {
    fn default() -> Self {
        Self {
            vault: None,
            identity: None,
            passphrase_file: None,
            previous_identities: Vec::new(),
            wards: Vec::new(),
            epr: None,
            recipients_file: None,
            refresh: Some(RefreshPolicy::default()),
            health: HealthPolicy::default(),
            stale_after_minutes: crate::DEFAULT_STALE_AFTER_MINUTES,
            pdf_folder: None,
            status_dir: None,
            print_command: None,
            idle_lock_minutes: 10,
            check_every: Duration::from_secs(5),
            pc: this_pc(),
            ward_folder: None,
            trust: None,
            signing_key: None,
            site_share: None,
            omission_codes: lamplight_model::OmissionReason::ALL.to_vec(),
            keep_generations: lamplight_vault::DEFAULT_KEEP,
            log_days: crate::logging::KEEP_DAYS,
            config_file: None,
        }
    }
}

/// A configuration that cannot work, said plainly.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    #[error("{0}")]
    File(#[from] SettingsError),
    #[error("{0} needs a value")]
    MissingValue(String),
    #[error(
        "unknown option {0:?}: the app takes --vault DIR --identity KEY [--passphrase-file F] [--previous-identity KEY]… [--trust KEY]… [--ward CODE]… [--epr URL [--token-file F] [--ca-file F] [--recipients-file F] [--refresh-secs N] [--sign-with KEY]] [--config FILE]: see docs/configuration.md"
    )]
    UnknownOption(String),
    #[error("{option} takes a whole number of seconds or minutes, not {value:?}")]
    NotANumber { option: String, value: String },
    #[error("{option} {value}: a session locks after 1 to 120 minutes idle; give a number in that range")]
    IdleOutOfRange { option: String, value: u64 },
    #[error(
        "{option} {value}: more minutes than a clock can count between full pulls; give a number such as 60 (an hour)"
    )]
    FullEveryOutOfRange { option: String, value: u64 },
    #[error("a vault is configured but no identity to open it: give --identity KEY (or LAMPLIGHT_IDENTITY)")]
    NoIdentity,
    #[error("--epr needs --vault and --identity: the PC seals what it pulls into its vault for its own key")]
    EprWithoutVault,
    #[error(
        "{0:?} is not a PC name Lamplight can use: letters, digits, '-', '_' and '.', at most 64 (give --pc NAME)"
    )]
    BadPcName(String),
    #[error("reading the passphrase file {0}: {1}")]
    Passphrase(PathBuf, std::io::Error),
    #[error("the recipients file {0} is not usable ({1}): it must hold age1… recipients, one per line")]
    Recipients(PathBuf, String),
    #[error("--trust: {0}")]
    Trust(String),
    #[error(
        "--trust with --epr needs --sign-with KEY: this PC stages what it pulls, and would refuse its own unsigned snapshots. Give it a staging key whose public half is trusted"
    )]
    TrustWithoutSigning,
    #[error(
        "--sign-with {0}: its public key is not among --trust, so this PC would refuse what it stages itself. Add the key's public half (from `lamplight keygen --signing`) to --trust"
    )]
    SignerNotTrusted(PathBuf),
}

/// Minutes before an idle session locks: 1–120 (a session that never locks is a session anyone walking
/// past can use).
fn idle_minutes(option: &str, value: &str) -> Result<i64, ConfigError> {
    let n = number(option, value)?;
    if !(1..=120).contains(&n) {
        return Err(ConfigError::IdleOutOfRange {
            option: option.to_owned(),
            value: n,
        });
    }
    Ok(i64::try_from(n).unwrap_or(120))
}

fn number(option: &str, value: &str) -> Result<u64, ConfigError> {
    value.trim().parse().map_err(|_| ConfigError::NotANumber {
        option: option.to_owned(),
        value: value.to_owned(),
    })
}

fn words(value: &str) -> impl Iterator<Item = String> + '_ {
    value
        .split(',')
        .map(str::trim)
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
}

impl StationConfig {
    /// From the environment, then the command line (which wins). `args` excludes the program name.
    pub fn from_env_and_args(
        env: impl Fn(&str) -> Option<OsString>,
        args: impl IntoIterator<Item = OsString>,
    ) -> Result<Self, ConfigError> {
        let args: Vec<OsString> = args.into_iter().collect();
        let flag_file = args
            .windows(2)
            .rev()
            .find(|w| w[0] == "--config")
            .map(|w| PathBuf::from(&w[1]));
        let mut c = Self::default();
        if let Some(path) = crate::settings::locate(flag_file.as_deref(), &env) {
            ConfigFile::load(&path)?.apply(&mut c);
            c.config_file = Some(path);
        }
        let (mut token_file, mut ca_file) = c.apply_env(&env)?;
        let mut cli_wards = Vec::new();
        let mut args = args.into_iter();
        while let Some(flag) = args.next() {
            let flag = flag.to_string_lossy().into_owned();
            let mut value = || {
                args.next()
                    .map(|v| v.to_string_lossy().into_owned())
                    .ok_or_else(|| ConfigError::MissingValue(flag.clone()))
            };
            match flag.as_str() {
                "--config" => {
                    value()?; // read above, before the environment
                }
                "--vault" => c.vault = Some(value()?.into()),
                "--identity" => c.identity = Some(value()?.into()),
                "--passphrase-file" => c.passphrase_file = Some(value()?.into()),
                "--previous-identity" => c.previous_identities.push(value()?.into()),
                "--ward" => cli_wards.extend(words(&value()?)),
                "--epr" => c.epr = Some(EprSettings::new(value()?)),
                "--token-file" => token_file = Some(value()?.into()),
                "--ca-file" => ca_file = Some(value()?.into()),
                "--recipients-file" => c.recipients_file = Some(value()?.into()),
                "--refresh-secs" => c.set_refresh_secs(number(&flag, &value()?)?),
                "--full-every-mins" => {
                    let mins = number(&flag, &value()?)?.max(1);
                    let full_every = i64::try_from(mins)
                        .ok()
                        .and_then(TimeDelta::try_minutes)
                        .ok_or_else(|| ConfigError::FullEveryOutOfRange {
                            option: flag.clone(),
                            value: mins,
                        })?;
                    c.refresh.get_or_insert_with(RefreshPolicy::default).full_every = full_every;
                }
                "--health-secs" => c.health.every = Duration::from_secs(number(&flag, &value()?)?.max(1)),
                "--health-timeout-secs" => {
                    c.health.timeout = Duration::from_secs(number(&flag, &value()?)?.max(1));
                }
                "--propose-after-secs" => {
                    c.health.propose_after = Duration::from_secs(number(&flag, &value()?)?);
                }
                "--pc" => c.pc = value()?,
                "--trust" => {
                    let keys = lamplight_vault::TrustedKey::from_arg(&value()?)
                        .map_err(|e| ConfigError::Trust(e.to_string()))?;
                    c.trust.get_or_insert_with(Vec::new).extend(keys);
                }
                "--sign-with" => c.signing_key = Some(value()?.into()),
                "--ward-folder" => c.ward_folder = Some(value()?.into()),
                "--pdf-folder" => c.pdf_folder = Some(value()?.into()),
                "--status-dir" => c.status_dir = Some(value()?.into()),
                "--site-share" => c.site_share = Some(value()?.into()),
                "--print-command" => c.print_command = Some(value()?),
                "--idle-lock-mins" => c.idle_lock_minutes = idle_minutes(&flag, &value()?)?,
                "--stale-after-mins" => {
                    c.stale_after_minutes = i64::try_from(number(&flag, &value()?)?).unwrap_or(i64::MAX);
                }
                _ => return Err(ConfigError::UnknownOption(flag)),
            }
        }
        if !cli_wards.is_empty() {
            c.wards = cli_wards;
        }
        if let Some(epr) = &mut c.epr {
            // A token or CA given by flag or environment replaces the file's; otherwise the file's stays.
            if token_file.is_some() {
                epr.token_file = token_file;
            }
            if ca_file.is_some() {
                epr.ca_file = ca_file;
            }
        }
        c.check()?;
        Ok(c)
    }

    /// The environment's overrides (over the file, under the flags). Returns the token and CA
    /// files it names, which apply to whichever EPR the flags leave.
    fn apply_env(
        &mut self,
        env: &impl Fn(&str) -> Option<OsString>,
    ) -> Result<(Option<PathBuf>, Option<PathBuf>), ConfigError> {
        let text = |k: &str| env(k).and_then(|v| v.into_string().ok());
        let over = |slot: &mut Option<PathBuf>, k: &str| {
            if let Some(v) = env(k) {
                *slot = Some(PathBuf::from(v));
            }
        };
        over(&mut self.vault, "LAMPLIGHT_VAULT");
        over(&mut self.identity, "LAMPLIGHT_IDENTITY");
        over(&mut self.passphrase_file, "LAMPLIGHT_PASSPHRASE_FILE");
        over(&mut self.recipients_file, "LAMPLIGHT_RECIPIENTS_FILE");
        over(&mut self.ward_folder, "LAMPLIGHT_WARD_FOLDER");
        over(&mut self.pdf_folder, "LAMPLIGHT_PDF_FOLDER");
        over(&mut self.status_dir, "LAMPLIGHT_STATUS_DIR");
        over(&mut self.site_share, "LAMPLIGHT_SITE_SHARE");
        over(&mut self.signing_key, "LAMPLIGHT_SIGN_WITH");
        if let Some(w) = text("LAMPLIGHT_WARD") {
            self.wards = words(&w).collect();
        }
        if let Some(url) = text("LAMPLIGHT_EPR") {
            self.epr = Some(EprSettings::new(url));
        }
        if let Some(p) = text("LAMPLIGHT_PRINT_COMMAND") {
            self.print_command = Some(p);
        }
        if let Some(pc) = text("LAMPLIGHT_PC") {
            self.pc = pc;
        }
        if let Some(t) = text("LAMPLIGHT_TRUST") {
            self.trust = Some(
                lamplight_vault::TrustedKey::from_arg(&t).map_err(|e| ConfigError::Trust(e.to_string()))?,
            );
        }
        if let Some(m) = text("LAMPLIGHT_IDLE_LOCK_MINS") {
            self.idle_lock_minutes = idle_minutes("LAMPLIGHT_IDLE_LOCK_MINS", &m)?;
        }
        if let Some(secs) = text("LAMPLIGHT_REFRESH_SECS") {
            self.set_refresh_secs(number("LAMPLIGHT_REFRESH_SECS", &secs)?);
        }
        Ok((
            env("LAMPLIGHT_EPR_TOKEN_FILE").map(PathBuf::from),
            env("LAMPLIGHT_EPR_CA_FILE").map(PathBuf::from),
        ))
    }

    fn set_refresh_secs(&mut self, secs: u64) {
        self.refresh = (secs > 0).then(|| RefreshPolicy {
            every: Duration::from_secs(secs),
            ..self.refresh.unwrap_or_default()
        });
    }

    /// Combinations that cannot work.
    pub fn check(&self) -> Result<(), ConfigError> {
        if self.vault.is_some() && self.identity.is_none() {
            return Err(ConfigError::NoIdentity);
        }
        // A site agent (EPR and site share) seals into the share for the recipients it is given.
        if self.epr.is_some()
            && self.site_share.is_none()
            && (self.vault.is_none() || self.identity.is_none())
        {
            return Err(ConfigError::EprWithoutVault);
        }
        if self.trust.is_some() && self.epr.is_some() && self.refresh.is_some() && self.signing_key.is_none()
        {
            return Err(ConfigError::TrustWithoutSigning);
        }
        if lamplight_vault::journal::check_pc_name(&self.pc).is_err() {
            return Err(ConfigError::BadPcName(self.pc.clone()));
        }
        Ok(())
    }

    /// The identity's passphrase, when a file gives one.
    pub(crate) fn passphrase(&self) -> Result<Option<lamplight_vault::SecretString>, ConfigError> {
        self.passphrase_file
            .as_ref()
            .map(|f| {
                std::fs::read_to_string(f)
                    .map(|t| {
                        lamplight_vault::SecretString::from(t.lines().next().unwrap_or_default().to_owned())
                    })
                    .map_err(|e| ConfigError::Passphrase(f.clone(), e))
            })
            .transpose()
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
            "LAMPLIGHT_WARD" => Some(OsString::from("WD1, WD2")),
            _ => None,
        };
        let c = StationConfig::from_env_and_args(env, args(&["--vault", "/cli/vault", "--identity", "k"]))
            .unwrap();
        assert_eq!(c.vault, Some(PathBuf::from("/cli/vault")));
        assert_eq!(c.wards, ["WD1", "WD2"]);
        assert_eq!(c.identity, Some(PathBuf::from("k")));
        let c = StationConfig::from_env_and_args(
            env,
            args(&["--identity", "k", "--ward", "WD7", "--ward", "WD8"]),
        )
        .unwrap();
        assert_eq!(
            c.wards,
            ["WD7", "WD8"],
            "--ward on the command line replaces the environment's"
        );
    }

    #[test]
    fn an_epr_configures_refresh_and_health_with_the_documented_defaults() {
        let c = StationConfig::from_env_and_args(
            |_| None,
            args(&[
                "--vault",
                "v",
                "--identity",
                "k",
                "--epr",
                "https://epr.example/fhir",
                "--token-file",
                "t",
            ]),
        )
        .unwrap();
        let epr = c.epr.unwrap();
        assert_eq!(epr.token_file, Some(PathBuf::from("t")));
        assert_eq!(c.refresh.unwrap().every, Duration::from_secs(60));
        assert_eq!(c.health.propose_after, Duration::from_secs(60));
        let c = StationConfig::from_env_and_args(
            |_| None,
            args(&[
                "--vault",
                "v",
                "--identity",
                "k",
                "--epr",
                "https://e/f",
                "--refresh-secs",
                "0",
            ]),
        )
        .unwrap();
        assert_eq!(c.refresh, None, "0: health only, an agent keeps the vault fresh");
    }

    #[test]
    fn bad_options_are_named() {
        assert!(matches!(
            StationConfig::from_env_and_args(|_| None, args(&["--vualt", "x"])),
            Err(ConfigError::UnknownOption(o)) if o == "--vualt"
        ));
        assert!(matches!(
            StationConfig::from_env_and_args(|_| None, args(&["--vault"])),
            Err(ConfigError::MissingValue(_))
        ));
        assert!(matches!(
            StationConfig::from_env_and_args(|_| None, args(&["--health-secs", "soon"])),
            Err(ConfigError::NotANumber { .. })
        ));
        assert!(matches!(
            StationConfig::from_env_and_args(|_| None, args(&["--epr", "https://e/f"])),
            Err(ConfigError::EprWithoutVault)
        ));
        assert!(matches!(
            StationConfig::from_env_and_args(|_| None, args(&["--vault", "v"])),
            Err(ConfigError::NoIdentity)
        ));
    }

    /// Found by `fuzz/fuzz_targets/roster_reader.rs`: `TimeDelta::minutes` panics beyond about
    /// 1.5e14 minutes, and the old guard only caught values too large for an i64.
    #[test]
    fn a_full_pull_interval_beyond_any_clock_is_refused_not_a_panic() {
        for huge in ["77777777797777760", "153722867280913", &u64::MAX.to_string()] {
            let e = StationConfig::from_env_and_args(|_| None, args(&["--full-every-mins", huge]))
                .expect_err("an interval no TimeDelta holds cannot configure refresh");
            assert!(
                matches!(e, ConfigError::FullEveryOutOfRange { .. }),
                "{huge} minutes must be refused with its reason: {e}"
            );
        }
        let c = StationConfig::from_env_and_args(|_| None, args(&["--full-every-mins", "153722867280912"]))
            .expect("the largest interval a TimeDelta holds is still a setting");
        assert_eq!(
            c.refresh.map(|r| r.full_every.num_minutes()),
            Some(153_722_867_280_912),
            "the largest whole number of minutes is kept as given"
        );
    }

    #[test]
    fn the_idle_lock_is_configurable_within_bounds() {
        let c = StationConfig::from_env_and_args(|_| None, args(&["--idle-lock-mins", "5"])).unwrap();
        assert_eq!(c.idle_lock_minutes, 5);
        let env = |k: &str| (k == "LAMPLIGHT_IDLE_LOCK_MINS").then(|| OsString::from("20"));
        assert_eq!(
            StationConfig::from_env_and_args(env, args(&[]))
                .unwrap()
                .idle_lock_minutes,
            20
        );
        assert_eq!(StationConfig::default().idle_lock_minutes, 10);
        for bad in ["0", "121"] {
            let e = StationConfig::from_env_and_args(|_| None, args(&["--idle-lock-mins", bad])).unwrap_err();
            assert!(e.to_string().contains("1 to 120 minutes"), "{e}");
        }
    }
}
