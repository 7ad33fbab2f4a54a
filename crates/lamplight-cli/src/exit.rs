//! Exit codes: each kind of failure has its own, so IT scripts can branch without parsing text.
//! Documented in `lamplight --help` and the README.

use std::process::ExitCode;

use lamplight_station::session::RosterError;
use lamplight_station::{StationError, SyncError};
use lamplight_vault::VaultError;

/// Anything not listed below.
pub const FAILURE: u8 = 1;
// 2 is clap's usage error.
pub const WRONG_KEY: u8 = 3;
pub const DAMAGED: u8 = 4;
pub const NOT_A_SNAPSHOT: u8 = 5;
pub const NEWER_FORMAT: u8 = 6;
pub const NO_RECIPIENTS: u8 = 7;
pub const DISK_FULL: u8 = 8;
pub const NO_SNAPSHOT: u8 = 9;
pub const BAD_INPUT: u8 = 10;
pub const EPR_UNAVAILABLE: u8 = 11;
/// The new data holds no inpatients, or fewer than half of the newest good generation's: not
/// staged, so the previous generation stays the newest (`stage --accept-shrink` for a ward that
/// really closed).
pub const HELD_BACK: u8 = 12;
/// `reconcile` filed what needs no person; the rest waits for a person's decision (the worklist).
pub const NEEDS_PERSON: u8 = 13;
/// Not signed by a trusted staging key (unsigned, a bad signature, another key's): never shown.
pub const UNTRUSTED: u8 = 14;
/// `fleet`: a PC is not ready (or no PC reported).
pub const NOT_READY: u8 = 15;
/// The configuration file (or the settings together) cannot work: every problem said, one line each.
pub const CONFIG: u8 = 16;

pub const HELP: &str = "Exit codes: 0 ok; 1 failure; 2 usage; 3 wrong key or passphrase; 4 damaged or tampered snapshot, roster or journal (a broken chain); \
5 not a snapshot or journal; 6 made by a newer Lamplight; 7 no or bad recipients; 8 disk full; 9 no usable snapshot; \
10 bad input (a bundle, a roster CSV line, an account or PIN refused); 11 EPR unreachable or refused (the newest snapshot is left as it was); \
12 held back: no inpatients, or under half the previous generation's (the previous one stays the newest; \
stage --accept-shrink if the ward really closed); 13 reconcile: entries still wait (for a person's decision, or another PC of the ward was filing them: run again); \
14 not signed by a trusted staging key (--trust): unsigned, altered, replayed or signed by another key; \
15 fleet: a PC is not ready (stale, silent, no snapshot) or none reported; \
16 the configuration cannot work (the file's problems, one line each: key and fix).";

/// The exit code for an error chain: the first vault error found decides.
pub fn code_for(err: &anyhow::Error) -> ExitCode {
    for cause in err.chain() {
        if let Some(v) = cause.downcast_ref::<VaultError>() {
            return ExitCode::from(vault_code(v));
        }
        if let Some(s) = cause.downcast_ref::<SyncError>() {
            return ExitCode::from(match s {
                SyncError::Vault(v) => vault_code(v),
                SyncError::Epr(_) => EPR_UNAVAILABLE,
                _ => BAD_INPUT,
            });
        }
        if cause.downcast_ref::<lamplight_station::ConfigError>().is_some()
            || cause
                .downcast_ref::<lamplight_station::agent::AgentError>()
                .is_some_and(|a| {
                    !matches!(
                        a,
                        lamplight_station::agent::AgentError::Sync(_)
                            | lamplight_station::agent::AgentError::Station(_)
                    )
                })
        {
            return ExitCode::from(CONFIG);
        }
        if let Some(s) = cause.downcast_ref::<StationError>() {
            return ExitCode::from(match s {
                StationError::Config(_) => CONFIG,
                StationError::Snapshot(v) | StationError::NotSaved(v) => vault_code(v),
                StationError::Mode(_) | StationError::NoSuchWard(_) => BAD_INPUT,
                _ => FAILURE,
            });
        }
        if let Some(r) = cause.downcast_ref::<RosterError>() {
            return ExitCode::from(match r {
                RosterError::Vault(v) => vault_code(v),
                RosterError::NewerFormat(_) => NEWER_FORMAT,
                RosterError::Damaged(_) => DAMAGED,
                _ => BAD_INPUT,
            });
        }
        if let Some(f) = cause.downcast_ref::<lamplight_fhir::backfile::FileError>() {
            return ExitCode::from(match f {
                lamplight_fhir::backfile::FileError::Epr(_) => EPR_UNAVAILABLE,
                _ => FAILURE,
            });
        }
        if cause.downcast_ref::<BadInput>().is_some() {
            return ExitCode::from(BAD_INPUT);
        }
    }
    ExitCode::from(FAILURE)
}

pub fn vault_code(e: &VaultError) -> u8 {
    match e {
        VaultError::WrongKey { .. }
        | VaultError::WrongPassphrase { .. }
        | VaultError::PassphraseNeeded { .. }
        | VaultError::BadIdentity { .. }
        | VaultError::NotInKeyStore { .. }
        | VaultError::KeyStore { .. } => WRONG_KEY,
        VaultError::Corrupt { .. }
        | VaultError::Truncated { .. }
        | VaultError::HeaderMismatch { .. }
        | VaultError::Decrypt { .. }
        | VaultError::Database { .. }
        | VaultError::RecordCorrupt { .. }
        | VaultError::ChainGap { .. }
        | VaultError::ChainBroken { .. }
        | VaultError::ForeignRecord { .. }
        | VaultError::RecordHeaderEdited { .. }
        | VaultError::TornRecord { .. } => DAMAGED,
        VaultError::Unsigned { .. }
        | VaultError::BadSignature { .. }
        | VaultError::UntrustedSigner { .. } => UNTRUSTED,
        VaultError::BadSigningKey { .. }
        | VaultError::BadTrustedKey(_)
        | VaultError::SecretKeyAsTrust { .. } => BAD_INPUT,
        VaultError::NotASnapshot { .. } | VaultError::NotAJournal { .. } => NOT_A_SNAPSHOT,
        VaultError::NewerFormat { .. }
        | VaultError::NewerSchema { .. }
        | VaultError::NewerJournalFormat { .. } => NEWER_FORMAT,
        VaultError::NoRecipients | VaultError::BadRecipient(_) => NO_RECIPIENTS,
        VaultError::DiskFull { .. } => DISK_FULL,
        VaultError::NoSnapshots { .. } | VaultError::NoGoodGeneration { .. } => NO_SNAPSHOT,
        VaultError::HeldBack { .. } => HELD_BACK,
        _ => FAILURE,
    }
}

/// Marks an error as the input's fault (a malformed bundle), for exit code 10.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct BadInput(pub String);
