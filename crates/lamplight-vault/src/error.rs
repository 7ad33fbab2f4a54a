//! What can go wrong with a vault, each saying what happened and what to do.

use std::path::PathBuf;

/// An error of the vault. Every message names the file and says what to do next.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum VaultError {
    #[error(
        "no recipients were given: a snapshot nobody can open is useless. Pass --recipient age1… for the ward PC (and IT's break-glass recipient)"
    )]
    NoRecipients,
    #[error(
        "{0:?} is not an age X25519 recipient (they start `age1`): copy it again from `lamplight keygen`'s output"
    )]
    BadRecipient(String),
    #[error(
        "{path}: not a Lamplight snapshot (it does not start with the snapshot header). Move it out of the vault's snapshots folder"
    )]
    NotASnapshot { path: PathBuf },
    #[error(
        "{path}: made by a newer Lamplight (snapshot format {found}; this one reads format {supported}). Update Lamplight on this PC"
    )]
    NewerFormat {
        path: PathBuf,
        found: u32,
        supported: u32,
    },
    #[error(
        "{path}: truncated ({actual} of {expected} bytes): the write was interrupted or the copy is incomplete. Stage again; the previous generation is still usable"
    )]
    Truncated {
        path: PathBuf,
        expected: u64,
        actual: u64,
    },
    #[error(
        "{path}: damaged: its sealed contents do not match their checksum (a flipped byte, a disk fault, or tampering). Stage again; the previous generation is still usable"
    )]
    Corrupt { path: PathBuf },
    #[error(
        "{share}: the site share's newest generation is {theirs}, behind this PC's {mine}: the share was rebuilt or restored. This PC keeps what it has; once the agent has staged past {mine}, or after moving this PC's snapshots folder aside, it takes from the share again"
    )]
    ShareBehind { share: PathBuf, theirs: u64, mine: u64 },
    #[error(
        "{path}: its header was edited: the public header does not match the sealed one. Treat the vault as tampered with and stage again"
    )]
    HeaderMismatch { path: PathBuf },
    #[error(
        "{path}: this identity cannot open it: it was sealed to other recipients. Use this ward PC's identity or IT's break-glass identity"
    )]
    WrongKey { path: PathBuf },
    #[error(
        "{path}: could not be decrypted ({detail}). Stage again; the previous generation is still usable"
    )]
    Decrypt { path: PathBuf, detail: String },
    #[error(
        "{path}: its database is from a newer Lamplight (schema {found}; this one knows up to {supported}). Update Lamplight on this PC"
    )]
    NewerSchema {
        path: PathBuf,
        found: i64,
        supported: i64,
    },
    #[error(
        "{path}: its database could not be read ({detail}). Stage again; the previous generation is still usable"
    )]
    Database { path: PathBuf, detail: String },
    #[error(
        "the disk holding {dir} is full: the new generation was not written and nothing was replaced. Free some space and stage again"
    )]
    DiskFull { dir: PathBuf },
    #[error(
        "the new data holds {} and was held back: {}. Check the extract (a failed or partial export often looks like this); if the ward really closed or emptied, stage again with --accept-shrink",
        inpatients_words(*inpatients),
        still_newest(*previous)
    )]
    HeldBack {
        /// Inpatients (admissions) in the data that was held back.
        inpatients: usize,
        /// The newest good generation and its inpatients, from its public header.
        previous: Option<(u64, usize)>,
    },
    #[error("{dir} holds no snapshot yet: stage one with `lamplight stage`")]
    NoSnapshots { dir: PathBuf },
    #[error("{dir}: no generation could be opened:\n{problems}")]
    NoGoodGeneration { dir: PathBuf, problems: String },
    #[error("{path}: an identity file must hold an AGE-SECRET-KEY-1… line ({detail})")]
    BadIdentity { path: PathBuf, detail: String },
    #[error("{path}: this identity is protected by a passphrase: give it with --passphrase-file")]
    PassphraseNeeded { path: PathBuf },
    #[error("{path}: wrong passphrase for this identity file")]
    WrongPassphrase { path: PathBuf },
    #[error(
        "the OS key store could not be used for the identity keystore:{name}: {detail}. Check that this PC's key store is available to the user Lamplight runs as, or give --identity a key file"
    )]
    KeyStore { name: String, detail: String },
    #[error(
        "this PC's key store holds no identity keystore:{name} for this user (on Linux the kernel key store forgets at restart): IT loads it with `lamplight keystore import {name} --identity FILE`"
    )]
    NotInKeyStore { name: String },
    #[error(
        "{path} already exists: refusing to overwrite a key (move it aside first if you really mean to replace it)"
    )]
    KeyExists { path: PathBuf },
    #[error(
        "{path}: not a Lamplight journal (a record does not start with `lamplight-record/`). Move it out of the journal folder and tell IT"
    )]
    NotAJournal { path: PathBuf },
    #[error(
        "{path}: made by a newer Lamplight (journal record format {found}; this one reads format {supported}). Update Lamplight on this PC"
    )]
    NewerJournalFormat {
        path: PathBuf,
        found: u32,
        supported: u32,
    },
    #[error(
        "{path}: record {sequence} is damaged: its sealed contents do not match their checksum (a flipped byte, a disk fault, or tampering). Keep the file for IT; the records before it are intact"
    )]
    RecordCorrupt { path: PathBuf, sequence: u64 },
    #[error(
        "{path}: the chain is broken where record {expected} should be: record {found} is there instead (a record is missing or out of place). Keep the file for IT and report it: entries may have been removed"
    )]
    ChainGap {
        path: PathBuf,
        expected: u64,
        found: u64,
    },
    #[error(
        "{path}: the chain is broken at record {sequence}: it does not follow the record before it (the previous record's hash differs). Keep the file for IT and report it"
    )]
    ChainBroken { path: PathBuf, sequence: u64 },
    #[error(
        "{path}: record {sequence} belongs to another journal (PC {found_pc:?}, expected {expected_pc:?}, or another chain of that PC). Keep the file for IT and check which PC's records were copied here"
    )]
    ForeignRecord {
        path: PathBuf,
        sequence: u64,
        expected_pc: String,
        found_pc: String,
    },
    #[error(
        "{path}: record {sequence}'s public header was edited: it does not match the sealed one. Treat the journal as tampered with and report it to IT"
    )]
    RecordHeaderEdited { path: PathBuf, sequence: u64 },
    #[error(
        "{path}: the last record ({sequence}) is incomplete: a write was interrupted (a crash or power cut) before it was acknowledged. Opening the journal sets it aside; nothing acknowledged is lost"
    )]
    TornRecord { path: PathBuf, sequence: u64 },
    #[error(
        "{path} is already open for writing by another Lamplight on this PC: close the other one (a journal has one writer)"
    )]
    JournalInUse { path: PathBuf },
    #[error(
        "{0:?} cannot name a PC's journal: use up to 64 letters, digits, '-', '_' or '.', not starting with '.'"
    )]
    BadPcName(String),
    #[error(
        "{path}: not signed by a staging key. This PC shows only what IT staged with `lamplight stage --sign-with`; this file may have been planted, and it is not shown. Tell IT"
    )]
    Unsigned { path: PathBuf },
    #[error(
        "{path}: its signature does not hold ({detail}): the file or its signature was altered, swapped or replayed, and it is not shown. Tell IT, and stage again"
    )]
    BadSignature { path: PathBuf, detail: String },
    #[error(
        "{path}: signed by {key}, a key this PC does not trust, and not shown. Stage with the trust's staging key, or add its public key to --trust if IT made a new one"
    )]
    UntrustedSigner { path: PathBuf, key: String },
    #[error(
        "{path}: not a Lamplight signing key (it must hold a LAMPLIGHT-SIGNING-SECRET-1: line): make one with `lamplight keygen --signing`"
    )]
    BadSigningKey { path: PathBuf },
    #[error(
        "{0:?} is not a Lamplight public signing key (they start `lamplight-sign-1:`): copy it from `lamplight keygen --signing`'s output"
    )]
    BadTrustedKey(String),
    #[error(
        "{path} holds the secret staging key: a ward PC must trust only its public key (the `lamplight-sign-1:` line). Give that instead, and keep the secret key with IT"
    )]
    SecretKeyAsTrust { path: PathBuf },
    #[error("{context}: {source}")]
    Io {
        context: String,
        #[source]
        source: std::io::Error,
    },
}

impl VaultError {
    /// A short, stable name for scripts and for the IPC `{code, message}`.
    pub fn code(&self) -> &'static str {
        match self {
            VaultError::NoRecipients => "no_recipients",
            VaultError::BadRecipient(_) => "bad_recipient",
            VaultError::NotASnapshot { .. } => "not_a_snapshot",
            VaultError::NewerFormat { .. } | VaultError::NewerSchema { .. } => "newer_format",
            VaultError::Truncated { .. } => "truncated",
            VaultError::Corrupt { .. } | VaultError::Database { .. } => "corrupt",
            VaultError::HeaderMismatch { .. } => "tampered",
            VaultError::ShareBehind { .. } => "share_behind",
            VaultError::WrongKey { .. } => "wrong_key",
            VaultError::Decrypt { .. } => "decrypt_failed",
            VaultError::DiskFull { .. } => "disk_full",
            VaultError::HeldBack { .. } => "held_back",
            VaultError::NoSnapshots { .. } => "no_snapshots",
            VaultError::NoGoodGeneration { .. } => "no_good_generation",
            VaultError::BadIdentity { .. } => "bad_identity",
            VaultError::PassphraseNeeded { .. } => "passphrase_needed",
            VaultError::WrongPassphrase { .. } => "wrong_passphrase",
            VaultError::KeyExists { .. } => "key_exists",
            VaultError::KeyStore { .. } => "key_store",
            VaultError::NotInKeyStore { .. } => "not_in_key_store",
            VaultError::NotAJournal { .. } => "not_a_journal",
            VaultError::NewerJournalFormat { .. } => "newer_format",
            VaultError::RecordCorrupt { .. } => "corrupt",
            VaultError::ChainGap { .. } => "chain_gap",
            VaultError::ChainBroken { .. } => "chain_broken",
            VaultError::ForeignRecord { .. } => "foreign_record",
            VaultError::RecordHeaderEdited { .. } => "tampered",
            VaultError::TornRecord { .. } => "torn_record",
            VaultError::JournalInUse { .. } => "journal_in_use",
            VaultError::BadPcName(_) => "bad_pc_name",
            VaultError::Unsigned { .. } => "unsigned",
            VaultError::BadSignature { .. } => "bad_signature",
            VaultError::UntrustedSigner { .. } => "untrusted_signer",
            VaultError::BadSigningKey { .. } | VaultError::BadTrustedKey(_) => "bad_signing_key",
            VaultError::SecretKeyAsTrust { .. } => "secret_key_as_trust",
            VaultError::Io { .. } => "io",
        }
    }

    /// Not signed by a trusted staging key: unsigned, a signature that does not hold, another key's.
    pub fn is_untrusted(&self) -> bool {
        matches!(
            self,
            VaultError::Unsigned { .. }
                | VaultError::BadSignature { .. }
                | VaultError::UntrustedSigner { .. }
        )
    }

    pub(crate) fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        VaultError::Io {
            context: context.into(),
            source,
        }
    }
}

fn inpatients_words(n: usize) -> String {
    match n {
        0 => "no inpatients".to_owned(),
        1 => "1 inpatient".to_owned(),
        n => format!("{n} inpatients"),
    }
}

fn still_newest(previous: Option<(u64, usize)>) -> String {
    match previous {
        Some((generation, before)) => format!(
            "generation {generation} ({}) stays the newest",
            inpatients_words(before)
        ),
        None => "nothing was written".to_owned(),
    }
}
