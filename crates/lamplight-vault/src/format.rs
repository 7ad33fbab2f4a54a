//! The sealed snapshot file, format 1. Frozen: `tests/format.rs` pins it and rejects `fail_*` files.
//!
//! ```text
//! lamplight-snapshot/1\n                 magic and format version (plain)
//! {public header JSON}\n                  no patient data: generation, times, wards, counts, and the
//!                                          ciphertext's length and SHA-256, so `verify` needs no key
//! <age ciphertext>                         sealed to every recipient; inside it:
//!     lamplight-sealed/1\n
//!     {sealed header JSON}\n               the public header again (so it cannot be swapped or edited)
//!                                          plus the database's length and SHA-256
//!     <SQLite database image>
//! ```
//!
//! age authenticates every 64 KiB chunk and the end of the stream, so a flipped or missing byte
//! anywhere in the ciphertext fails decryption; the outer SHA-256 lets IT find the same damage
//! without a key. Anyone holding a recipient can seal a snapshot: recipients are not secret, so
//! the vault folder must be writable only by Lamplight and IT (see DESIGN.md).

use std::io::{Read, Write};
use std::path::Path;

use chrono::{DateTime, Utc};
use lamplight_model::Counts;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::VaultError;
use crate::keys::{Identity, Recipient};

pub const MAGIC: &str = "lamplight-snapshot/";
pub const SEALED_MAGIC: &str = "lamplight-sealed/";
pub const FORMAT: u32 = 1;

/// What anyone may read about a generation without a key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublicHeader {
    pub generation: u64,
    /// When this generation was sealed.
    pub created_at: DateTime<Utc>,
    /// When the source extracted the data (what "data as of" shows). Format 1 writes the Unix epoch
    /// when the source gave no time, as every version has: read it through
    /// [`PublicHeader::data_as_of`], which says `None` for that.
    pub extracted_at: DateTime<Utc>,
    /// `bundle ward.json`, `fhir https://epr.example.nhs.uk/fhir`.
    pub source: String,
    /// Ward codes.
    pub wards: Vec<String>,
    pub counts: Counts,
    pub ciphertext_len: u64,
    /// SHA-256 of the ciphertext, lowercase hex.
    pub ciphertext_sha256: String,
}

impl PublicHeader {
    /// When the source extracted the data, or `None` when it did not say (the age is unknown).
    pub fn data_as_of(&self) -> Option<DateTime<Utc>> {
        known_time(self.extracted_at)
    }
}

/// An extraction time as format 1 stores it, read back: the Unix epoch (or earlier) stood for "not
/// known" in every version, since no EPR extract was ever taken in 1970.
pub fn known_time(t: DateTime<Utc>) -> Option<DateTime<Utc>> {
    (t > DateTime::UNIX_EPOCH).then_some(t)
}

/// The header sealed inside: the public one (minus what describes the ciphertext itself) and the
/// database's own length and hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SealedHeader {
    generation: u64,
    created_at: DateTime<Utc>,
    extracted_at: DateTime<Utc>,
    source: String,
    wards: Vec<String>,
    counts: Counts,
    database_len: u64,
    database_sha256: String,
}

impl SealedHeader {
    fn matches(&self, p: &PublicHeader) -> bool {
        self.generation == p.generation
            && self.created_at == p.created_at
            && self.extracted_at == p.extracted_at
            && self.source == p.source
            && self.wards == p.wards
            && self.counts == p.counts
    }
}

pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// The public part of a header before sealing.
#[derive(Debug, Clone)]
pub struct HeaderFields {
    pub generation: u64,
    pub created_at: DateTime<Utc>,
    pub extracted_at: DateTime<Utc>,
    pub source: String,
    pub wards: Vec<String>,
    pub counts: Counts,
}

/// Seals a database image into a complete snapshot file's bytes.
pub fn seal(fields: &HeaderFields, database: &[u8], recipients: &[Recipient]) -> Result<Vec<u8>, VaultError> {
    if recipients.is_empty() {
        return Err(VaultError::NoRecipients);
    }
    let sealed = SealedHeader {
        generation: fields.generation,
        created_at: fields.created_at,
        extracted_at: fields.extracted_at,
        source: fields.source.clone(),
        wards: fields.wards.clone(),
        counts: fields.counts,
        database_len: database.len() as u64,
        database_sha256: hex(&Sha256::digest(database)),
    };
    let encryptor =
        age::Encryptor::with_recipients(recipients.iter().map(Recipient::as_age)).map_err(|e| {
            VaultError::Decrypt {
                path: "(new snapshot)".into(),
                detail: e.to_string(),
            }
        })?;
    let mut ciphertext = Vec::with_capacity(database.len() + 4096);
    let mut w = encryptor
        .wrap_output(&mut ciphertext)
        .map_err(|e| VaultError::io("sealing a snapshot", e))?;
    let sealed_json = serde_json::to_string(&sealed).expect("headers always serialise");
    writeln!(w, "{SEALED_MAGIC}{FORMAT}")
        .and_then(|()| writeln!(w, "{sealed_json}"))
        .and_then(|()| w.write_all(database))
        .map_err(|e| VaultError::io("sealing a snapshot", e))?;
    w.finish().map_err(|e| VaultError::io("sealing a snapshot", e))?;

    let public = PublicHeader {
        generation: fields.generation,
        created_at: fields.created_at,
        extracted_at: fields.extracted_at,
        source: fields.source.clone(),
        wards: fields.wards.clone(),
        counts: fields.counts,
        ciphertext_len: ciphertext.len() as u64,
        ciphertext_sha256: hex(&Sha256::digest(&ciphertext)),
    };
    let mut out = format!(
        "{MAGIC}{FORMAT}\n{}\n",
        serde_json::to_string(&public).expect("headers serialise")
    )
    .into_bytes();
    out.extend_from_slice(&ciphertext);
    Ok(out)
}

/// Splits a file into its public header and ciphertext, checking length and checksum: everything
/// that can be checked without a key.
pub fn check<'a>(path: &Path, bytes: &'a [u8]) -> Result<(PublicHeader, &'a [u8]), VaultError> {
    let not = || VaultError::NotASnapshot {
        path: path.to_owned(),
    };
    let (first, rest) = split_line(bytes).ok_or_else(not)?;
    let version = first.strip_prefix(MAGIC.as_bytes()).ok_or_else(not)?;
    let version: u32 = std::str::from_utf8(version)
        .ok()
        .and_then(|v| v.parse().ok())
        .ok_or_else(not)?;
    if version > FORMAT {
        return Err(VaultError::NewerFormat {
            path: path.to_owned(),
            found: version,
            supported: FORMAT,
        });
    }
    let (header, ciphertext) = split_line(rest).ok_or_else(|| VaultError::Truncated {
        path: path.to_owned(),
        expected: 0,
        actual: 0,
    })?;
    let header: PublicHeader = serde_json::from_slice(header).map_err(|_| VaultError::Corrupt {
        path: path.to_owned(),
    })?;
    let actual = ciphertext.len() as u64;
    if actual < header.ciphertext_len {
        return Err(VaultError::Truncated {
            path: path.to_owned(),
            expected: header.ciphertext_len,
            actual,
        });
    }
    if actual > header.ciphertext_len || hex(&Sha256::digest(ciphertext)) != header.ciphertext_sha256 {
        return Err(VaultError::Corrupt {
            path: path.to_owned(),
        });
    }
    Ok((header, ciphertext))
}

/// Opens a checked file's ciphertext: decrypts in memory, checks the sealed header against the
/// public one, and hands the database image to `load` as a reader of `database_len` bytes, so the
/// plaintext goes straight into SQLite's memory and never onto disk.
pub fn open<T>(
    path: &Path,
    public: &PublicHeader,
    ciphertext: &[u8],
    identity: &Identity,
    load: impl FnOnce(&mut dyn Read, usize) -> Result<T, VaultError>,
) -> Result<T, VaultError> {
    let decryptor = age::Decryptor::new(ciphertext).map_err(|e| decrypt_error(path, e))?;
    let mut reader = decryptor
        .decrypt(identity.decrypting())
        .map_err(|e| decrypt_error(path, e))?;
    let mut line = Vec::new();
    read_line(&mut reader, &mut line, 64).map_err(|_| VaultError::Corrupt {
        path: path.to_owned(),
    })?;
    if line != format!("{SEALED_MAGIC}{FORMAT}").as_bytes() {
        return Err(VaultError::Corrupt {
            path: path.to_owned(),
        });
    }
    read_line(&mut reader, &mut line, 1 << 20).map_err(|_| VaultError::Corrupt {
        path: path.to_owned(),
    })?;
    let sealed: SealedHeader = serde_json::from_slice(&line).map_err(|_| VaultError::Corrupt {
        path: path.to_owned(),
    })?;
    if !sealed.matches(public) {
        return Err(VaultError::HeaderMismatch {
            path: path.to_owned(),
        });
    }
    let len = usize::try_from(sealed.database_len).map_err(|_| VaultError::Corrupt {
        path: path.to_owned(),
    })?;
    let mut hashing = HashingReader {
        inner: reader,
        hasher: Sha256::new(),
    };
    let value = load(&mut hashing, len)?;
    // Anything after the database, or a database that does not hash right, is damage.
    let mut extra = [0u8; 1];
    let trailing = hashing.read(&mut extra).map_err(|e| decrypt_error_io(path, &e))?;
    if trailing != 0 || hex(&hashing.hasher.finalize()) != sealed.database_sha256 {
        return Err(VaultError::Corrupt {
            path: path.to_owned(),
        });
    }
    Ok(value)
}

struct HashingReader<R> {
    inner: R,
    hasher: Sha256,
}

impl<R: Read> Read for HashingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }
}

pub(crate) fn decrypt_error(path: &Path, e: age::DecryptError) -> VaultError {
    match e {
        age::DecryptError::NoMatchingKeys => VaultError::WrongKey {
            path: path.to_owned(),
        },
        age::DecryptError::Io(io) => decrypt_error_io(path, &io),
        other => VaultError::Decrypt {
            path: path.to_owned(),
            detail: other.to_string(),
        },
    }
}

fn decrypt_error_io(path: &Path, e: &std::io::Error) -> VaultError {
    VaultError::Decrypt {
        path: path.to_owned(),
        detail: e.to_string(),
    }
}

fn split_line(bytes: &[u8]) -> Option<(&[u8], &[u8])> {
    let nl = bytes.iter().take(1 << 20).position(|b| *b == b'\n')?;
    Some((&bytes[..nl], &bytes[nl + 1..]))
}

fn read_line(r: &mut impl Read, out: &mut Vec<u8>, max: usize) -> std::io::Result<()> {
    out.clear();
    let mut byte = [0u8; 1];
    loop {
        r.read_exact(&mut byte)?;
        if byte[0] == b'\n' {
            return Ok(());
        }
        if out.len() >= max {
            return Err(std::io::ErrorKind::InvalidData.into());
        }
        out.push(byte[0]);
    }
}
