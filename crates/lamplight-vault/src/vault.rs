//! A vault folder and its snapshot generations.
//!
//! ```text
//! VAULT/
//!   .lock                          held while staging, so two stagers never race
//!   snapshots/
//!     gen-00000012-20261121T1408Z.llsnap
//!     gen-00000012-20261121T1408Z.llsnap.sig   IT's staging signature (see `signing`)
//!     .tmp-gen-00000013.llsnap     only while being written
//! ```
//!
//! A bad snapshot never replaces a good one (DESIGN.md promise 5): a new generation is written to a
//! temporary name, fsync'd, read back and checked, renamed into place, and the folder fsync'd. Only
//! then are generations beyond the newest `keep` deleted. Opening walks from the newest generation
//! down and says which ones it skipped and why. A vault told to [`Vault::trust`] staging keys skips
//! every generation none of them signed, with the reason: a planted file is never shown.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use lamplight_model::Site;

use crate::VaultError;
use crate::format::{self, HeaderFields, PublicHeader};
use crate::keys::{Identity, Recipient};
use crate::signing::{self, Signed, SigningKey, TrustedKey};
use crate::store::{self, Database};

/// How many generations a vault keeps by default.
pub const DEFAULT_KEEP: usize = 8;
const EXTENSION: &str = "llsnap";
/// What a snapshot's signature says it signs.
pub const SNAPSHOT_KIND: &str = "snapshot";

/// A vault folder.
#[derive(Debug, Clone)]
pub struct Vault {
    dir: PathBuf,
    keep: usize,
    accept_shrink: bool,
    signer: Option<Arc<SigningKey>>,
    trust: Option<Arc<[TrustedKey]>>,
}

/// One generation file found in the vault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenerationFile {
    pub generation: u64,
    pub path: PathBuf,
}

/// A generation that could not be used, and why.
#[derive(Debug)]
pub struct Skipped {
    pub generation: u64,
    pub error: VaultError,
}

/// A generation opened for reading.
#[derive(Debug)]
pub struct Opened {
    pub header: PublicHeader,
    pub path: PathBuf,
    pub database: Database,
    /// Who signed it, when the vault was told whom to trust.
    pub signed: Option<Signed>,
    /// Newer generations that could not be opened: non-empty means the data is older than it
    /// should be, and every front end must say so.
    pub skipped: Vec<Skipped>,
}

/// The outcome of staging.
#[derive(Debug)]
pub struct Staged {
    pub header: PublicHeader,
    pub path: PathBuf,
    pub bytes: u64,
    /// Generations deleted because more than `keep` were held.
    pub pruned: Vec<PathBuf>,
}

/// What `verify` and `inspect` report for each generation.
#[derive(Debug)]
pub struct GenerationCheck {
    pub generation: u64,
    pub path: PathBuf,
    /// The header, and who signed it when the vault was told whom to trust.
    pub result: Result<(PublicHeader, Option<Signed>), VaultError>,
}

impl Vault {
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self {
            dir: dir.into(),
            keep: DEFAULT_KEEP,
            accept_shrink: false,
            signer: None,
            trust: None,
        }
    }

    /// Signs every generation staged with IT's staging key.
    #[must_use]
    pub fn sign_with(mut self, key: SigningKey) -> Self {
        self.signer = Some(Arc::new(key));
        self
    }

    /// Opens, verifies and counts only generations one of `keys` signed (an empty list trusts
    /// nothing, so nothing opens).
    #[must_use]
    pub fn trust(mut self, keys: Vec<TrustedKey>) -> Self {
        self.trust = Some(keys.into());
        self
    }

    /// Whether this vault checks signatures.
    pub fn checks_signatures(&self) -> bool {
        self.trust.is_some()
    }

    /// Before `tmp` (holding `bytes`) is renamed to `path`: when this vault signs, writes their
    /// signature (of `kind`, `generation`) to `<path>.sig` through `<tmp>.sig`, fsync'd, so a reader
    /// never meets the file without its signature; when it does not, removes a signature left
    /// beside `path`, which would no longer say anything true of it. One discipline for snapshots,
    /// rosters and planned downtimes.
    pub fn sign_beside(
        &self,
        tmp: &Path,
        path: &Path,
        (kind, generation): (&str, u64),
        bytes: &[u8],
        now: DateTime<Utc>,
    ) -> std::io::Result<()> {
        let Some(key) = &self.signer else {
            return match std::fs::remove_file(signing::signature_path(path)) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
                _ => Ok(()),
            };
        };
        let sig_tmp = signing::signature_path(tmp);
        let written = (|| {
            let mut f = File::create(&sig_tmp)?;
            f.write_all(&key.sign(kind, generation, bytes, now))?;
            f.sync_all()?;
            std::fs::rename(&sig_tmp, signing::signature_path(path))
        })();
        if written.is_err() {
            let _ = std::fs::remove_file(&sig_tmp);
        }
        written
    }

    /// Checks the signature beside `path` when this vault checks signatures (`Ok(None)` when it
    /// does not).
    pub fn check_signature(
        &self,
        path: &Path,
        kind: &str,
        generation: u64,
        bytes: &[u8],
    ) -> Result<Option<Signed>, VaultError> {
        match &self.trust {
            None => Ok(None),
            Some(keys) => signing::check_file(path, kind, generation, bytes, keys).map(Some),
        }
    }

    /// Stage a generation even when it holds no inpatients, or fewer than half of the newest good
    /// generation's: for a ward that really closed or emptied. Off by default (see [`Vault::stage`]).
    #[must_use]
    pub fn accept_shrink(mut self, accept: bool) -> Self {
        self.accept_shrink = accept;
        self
    }

    #[must_use]
    pub fn keep(mut self, generations: usize) -> Self {
        self.keep = generations.max(1);
        self
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The same settings (generations kept, signing, trust) for another folder: one per ward of
    /// the site share.
    #[must_use]
    pub fn at(mut self, dir: impl Into<PathBuf>) -> Self {
        self.dir = dir.into();
        self
    }

    fn snapshots_dir(&self) -> PathBuf {
        self.dir.join("snapshots")
    }

    /// Every generation file, newest first. Files that do not look like generations are ignored
    /// here and reported by `verify`.
    pub fn generations(&self) -> Result<Vec<GenerationFile>, VaultError> {
        let dir = self.snapshots_dir();
        let entries = match std::fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(VaultError::io(format!("listing {}", dir.display()), e)),
        };
        let mut out = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|e| VaultError::io(format!("listing {}", dir.display()), e))?;
            let name = entry.file_name();
            let Some(name) = name.to_str() else { continue };
            if let Some(generation) = parse_generation(name) {
                out.push(GenerationFile {
                    generation,
                    path: entry.path(),
                });
            }
        }
        out.sort_by_key(|g| std::cmp::Reverse(g.generation));
        Ok(out)
    }

    /// Seals `site` as a new generation.
    ///
    /// Bad data never displaces good data (DESIGN.md promise 5): a site with no inpatients, or with
    /// fewer than half of the newest good generation's (read from its public header, so no key is
    /// needed), is refused with [`VaultError::HeldBack`] and nothing is written, unless the vault was
    /// opened with [`Vault::accept_shrink`].
    pub fn stage(
        &self,
        site: &Site,
        source: &str,
        recipients: &[Recipient],
        now: DateTime<Utc>,
    ) -> Result<Staged, VaultError> {
        if recipients.is_empty() {
            return Err(VaultError::NoRecipients);
        }
        let dir = self.snapshots_dir();
        std::fs::create_dir_all(&dir).map_err(|e| self.write_error(&dir, e))?;
        let _lock = self.lock()?;
        remove_stale_temporaries(&dir);

        let generations = self.generations()?;
        if !self.accept_shrink {
            self.check_not_shrunk(site, &generations)?;
        }
        let generation = match generations.first() {
            None => 1,
            Some(g) => g
                .generation
                .checked_add(1)
                .ok_or_else(|| VaultError::NotASnapshot { path: g.path.clone() })?,
        };
        let database = store::build(site).map_err(|e| VaultError::Database {
            path: dir.clone(),
            detail: e.to_string(),
        })?;
        let fields = HeaderFields {
            generation,
            created_at: now,
            // Format 1 is frozen: an unknown time is written as the Unix epoch, as it always was
            // (`PublicHeader::data_as_of` reads it back as unknown).
            extracted_at: site.extracted_at.unwrap_or(DateTime::UNIX_EPOCH),
            source: source.to_owned(),
            wards: site.wards.iter().map(|w| w.code.clone()).collect(),
            counts: site.counts(),
        };
        let bytes = format::seal(&fields, &database, recipients)?;
        drop(database);

        let tmp = dir.join(format!(".tmp-gen-{generation:08}.{EXTENSION}"));
        let path = dir.join(format!(
            "gen-{generation:08}-{}.{EXTENSION}",
            now.format("%Y%m%dT%H%MZ")
        ));
        let written = (|| {
            let mut f = File::create(&tmp)?;
            f.write_all(&bytes)?;
            f.sync_all()
        })();
        if let Err(e) = written {
            let _ = std::fs::remove_file(&tmp);
            return Err(self.write_error(&tmp, e));
        }
        // Read back what the disk holds, not what we meant to write.
        let on_disk =
            std::fs::read(&tmp).map_err(|e| VaultError::io(format!("reading back {}", tmp.display()), e));
        let header = match on_disk.and_then(|b| format::check(&tmp, &b).map(|(h, _)| h)) {
            Ok(h) => h,
            Err(e) => {
                let _ = std::fs::remove_file(&tmp);
                return Err(e);
            }
        };
        // The signature goes in first: a reader never meets the new generation without it.
        if let Err(e) = self.sign_beside(&tmp, &path, (SNAPSHOT_KIND, generation), &bytes, now) {
            let _ = std::fs::remove_file(&tmp);
            return Err(self.write_error(&path, e));
        }
        std::fs::rename(&tmp, &path).map_err(|e| self.write_error(&path, e))?;
        sync_dir(&dir).map_err(|e| self.write_error(&dir, e))?;

        let mut pruned = Vec::new();
        for old in self.generations()?.into_iter().skip(self.keep) {
            if std::fs::remove_file(&old.path).is_ok() {
                let _ = std::fs::remove_file(signing::signature_path(&old.path));
                pruned.push(old.path);
            }
        }
        if !pruned.is_empty() {
            let _ = sync_dir(&dir);
        }
        Ok(Staged {
            header,
            path,
            bytes: bytes.len() as u64,
            pruned,
        })
    }

    /// Opens the newest generation that verifies and decrypts, saying which newer ones were skipped.
    pub fn open_newest(&self, identity: &Identity) -> Result<Opened, VaultError> {
        let generations = self.generations()?;
        if generations.is_empty() {
            return Err(VaultError::NoSnapshots {
                dir: self.dir.clone(),
            });
        }
        let mut skipped = Vec::new();
        for g in generations {
            match self.open_generation(&g, identity) {
                Ok((header, database, signed)) => {
                    return Ok(Opened {
                        header,
                        path: g.path,
                        database,
                        signed,
                        skipped,
                    });
                }
                Err(error) => skipped.push(Skipped {
                    generation: g.generation,
                    error,
                }),
            }
        }
        // One reason for all: said as itself (the wrong key; nothing a trusted key signed).
        if skipped
            .iter()
            .all(|s| matches!(s.error, VaultError::WrongKey { .. }))
            || skipped.iter().all(|s| s.error.is_untrusted())
        {
            return Err(skipped.swap_remove(0).error);
        }
        let problems = skipped
            .iter()
            .map(|s| format!("  generation {}: {}", s.generation, s.error))
            .collect::<Vec<_>>();
        Err(VaultError::NoGoodGeneration {
            dir: self.dir.clone(),
            problems: problems.join("\n"),
        })
    }

    /// Checks every generation: without an identity, what can be checked without a key (header,
    /// length, checksum); with one, also that it decrypts and its database reads.
    pub fn verify(&self, identity: Option<&Identity>) -> Result<Vec<GenerationCheck>, VaultError> {
        Ok(self
            .generations()?
            .into_iter()
            .map(|g| {
                let result = match identity {
                    Some(id) => self.open_generation(&g, id).map(|(h, _, s)| (h, s)),
                    None => self.read_trusted(&g).map(|(h, _, s)| (h, s)),
                };
                GenerationCheck {
                    generation: g.generation,
                    path: g.path,
                    result,
                }
            })
            .collect())
    }

    /// A generation's checked header and bytes, and its signature when this vault checks them.
    fn read_trusted(
        &self,
        g: &GenerationFile,
    ) -> Result<(PublicHeader, Vec<u8>, Option<Signed>), VaultError> {
        let (header, bytes) = read_checked(g)?;
        let signed = match &self.trust {
            None => None,
            Some(keys) => Some(signing::check_file(
                &g.path,
                SNAPSHOT_KIND,
                header.generation,
                &bytes,
                keys,
            )?),
        };
        Ok((header, bytes, signed))
    }

    fn open_generation(
        &self,
        g: &GenerationFile,
        identity: &Identity,
    ) -> Result<(PublicHeader, Database, Option<Signed>), VaultError> {
        let (header, bytes, signed) = self.read_trusted(g)?;
        let (_, ciphertext) = format::check(&g.path, &bytes)?;
        let database = format::open(&g.path, &header, ciphertext, identity, |r, len| {
            Database::load(&g.path, r, len)
        })?;
        Ok((header, database, signed))
    }

    fn lock(&self) -> Result<File, VaultError> {
        let path = self.dir.join(".lock");
        let f = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| self.write_error(&path, e))?;
        f.lock()
            .map_err(|e| VaultError::io(format!("locking {}", path.display()), e))?;
        Ok(f)
    }

    pub(crate) fn write_error(&self, path: &Path, e: std::io::Error) -> VaultError {
        if e.kind() == std::io::ErrorKind::StorageFull || e.raw_os_error() == Some(28) {
            VaultError::DiskFull {
                dir: self.dir.clone(),
            }
        } else {
            VaultError::io(format!("writing {}", path.display()), e)
        }
    }
}

/// What [`Vault::take_newest_from`] did.
#[derive(Debug)]
pub enum Taken {
    /// This vault already holds the share's newest good generation (or a newer one).
    UpToDate { generation: u64 },
    /// The share's newest good generation, copied in (with its signature).
    Copied {
        header: Box<PublicHeader>,
        path: PathBuf,
        /// Newer generations in the share that could not be used, and why.
        skipped: Vec<Skipped>,
    },
}

impl Vault {
    /// Copies the newest generation of `share` (a ward's folder on the site share, staged by the
    /// agent) that passes this vault's own checks into this vault, byte for byte with its
    /// signature: the ward PC then holds it even when the share is gone, and IT's signature still
    /// vouches for it. With `identity`, a generation must also open with it (a generation sealed to
    /// other PCs is useless here and is skipped, said in `skipped`).
    ///
    /// Generation numbers follow the share's, so a PC fed by a share should stage nothing itself.
    /// A share whose newest good generation is older than this vault's is not taken from: a share
    /// rebuilt from scratch restarts at 1, and taking it would hide it behind the higher numbers
    /// already here ([`VaultError::ShareBehind`] says what to do).
    pub fn take_newest_from(&self, share: &Vault, identity: Option<&Identity>) -> Result<Taken, VaultError> {
        // A share that has gone (unmounted, renamed) is not "no snapshot yet": say which it is.
        if let Err(e) = std::fs::metadata(&share.dir) {
            return Err(VaultError::io(
                format!(
                    "reaching the site share {} (this PC keeps what it holds; check the share is mounted)",
                    share.dir.display()
                ),
                e,
            ));
        }
        let candidates = share.generations()?;
        if candidates.is_empty() {
            return Err(VaultError::NoSnapshots {
                dir: share.dir.clone(),
            });
        }
        let mine = self.generations()?.first().map_or(0, |g| g.generation);
        let mut skipped: Vec<Skipped> = Vec::new();
        for g in candidates {
            if g.generation <= mine {
                return if skipped.is_empty() && g.generation == mine {
                    Ok(Taken::UpToDate { generation: mine })
                } else if skipped.is_empty() {
                    Err(VaultError::ShareBehind {
                        share: share.dir.clone(),
                        theirs: g.generation,
                        mine,
                    })
                } else {
                    // Every newer one was bad: what this PC holds stays its best.
                    Err(skipped.swap_remove(0).error)
                };
            }
            let checked = match identity {
                Some(id) => self.open_generation(&g, id).map(|(h, _, _)| h),
                None => self.read_trusted(&g).map(|(h, _, _)| h),
            };
            match checked {
                Ok(header) => {
                    let path = self.copy_in(&g, &header)?;
                    return Ok(Taken::Copied {
                        header: Box::new(header),
                        path,
                        skipped,
                    });
                }
                Err(error) => skipped.push(Skipped {
                    generation: g.generation,
                    error,
                }),
            }
        }
        Err(VaultError::NoGoodGeneration {
            dir: share.dir.clone(),
            problems: skipped
                .iter()
                .map(|s| format!("  generation {}: {}", s.generation, s.error))
                .collect::<Vec<_>>()
                .join("\n"),
        })
    }

    /// Copies one checked generation file (and its signature, first) in, fsync'd, then prunes.
    fn copy_in(&self, g: &GenerationFile, header: &PublicHeader) -> Result<PathBuf, VaultError> {
        let dir = self.snapshots_dir();
        std::fs::create_dir_all(&dir).map_err(|e| self.write_error(&dir, e))?;
        let _lock = self.lock()?;
        remove_stale_temporaries(&dir);
        let name = g.path.file_name().unwrap_or_default();
        let path = dir.join(name);
        let tmp = dir.join(format!(".tmp-gen-{:08}.{EXTENSION}", header.generation));
        let bytes =
            std::fs::read(&g.path).map_err(|e| VaultError::io(format!("reading {}", g.path.display()), e))?;
        // Read again after the check: the bytes copied must be the bytes checked.
        let (again, _) = format::check(&g.path, &bytes)?;
        if again != *header {
            return Err(VaultError::HeaderMismatch { path: g.path.clone() });
        }
        let copy = |to: &Path, bytes: &[u8]| -> std::io::Result<()> {
            let mut f = File::create(to)?;
            f.write_all(bytes)?;
            f.sync_all()
        };
        let sig = signing::signature_path(&g.path);
        match std::fs::read(&sig) {
            Ok(sig_bytes) => {
                let sig_tmp = signing::signature_path(&tmp);
                copy(&sig_tmp, &sig_bytes)
                    .and_then(|()| std::fs::rename(&sig_tmp, signing::signature_path(&path)))
                    .map_err(|e| self.write_error(&path, e))?;
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(VaultError::io(format!("reading {}", sig.display()), e)),
        }
        if let Err(e) = copy(&tmp, &bytes) {
            let _ = std::fs::remove_file(&tmp);
            return Err(self.write_error(&tmp, e));
        }
        std::fs::rename(&tmp, &path).map_err(|e| self.write_error(&path, e))?;
        sync_dir(&dir).map_err(|e| self.write_error(&dir, e))?;
        for old in self.generations()?.into_iter().skip(self.keep) {
            if std::fs::remove_file(&old.path).is_ok() {
                let _ = std::fs::remove_file(signing::signature_path(&old.path));
            }
        }
        Ok(path)
    }
}

impl Vault {
    /// Refuses a site with no inpatients, or fewer than half of the newest generation that checks:
    /// that a trusted key signed, where the vault checks signatures or signs (its own key), so a
    /// planted file claiming a full ward cannot hold back every real generation.
    fn check_not_shrunk(&self, site: &Site, generations: &[GenerationFile]) -> Result<(), VaultError> {
        let keys: Option<Vec<TrustedKey>> = match (&self.trust, &self.signer) {
            (Some(t), _) => Some(t.to_vec()),
            (None, Some(k)) => Some(vec![k.public()]),
            (None, None) => None,
        };
        let previous = generations
            .iter()
            .find_map(|g| {
                let (h, bytes) = read_checked(g).ok()?;
                if let Some(keys) = &keys {
                    signing::check_file(&g.path, SNAPSHOT_KIND, h.generation, &bytes, keys).ok()?;
                }
                Some(h)
            })
            .map(|h| (h.generation, h.counts.admissions));
        shrunk(site, previous)
    }
}

/// Refuses a site with no inpatients, or fewer than half of `previous`'s (generation, inpatients).
fn shrunk(site: &Site, previous: Option<(u64, usize)>) -> Result<(), VaultError> {
    let inpatients = site.admissions.len();
    let shrunk = match previous {
        _ if inpatients == 0 => true,
        Some((_, before)) => inpatients.saturating_mul(2) < before,
        None => false,
    };
    if shrunk {
        return Err(VaultError::HeldBack { inpatients, previous });
    }
    Ok(())
}

fn read_checked(g: &GenerationFile) -> Result<(PublicHeader, Vec<u8>), VaultError> {
    let bytes =
        std::fs::read(&g.path).map_err(|e| VaultError::io(format!("reading {}", g.path.display()), e))?;
    let (header, _) = format::check(&g.path, &bytes)?;
    if header.generation != g.generation {
        return Err(VaultError::HeaderMismatch { path: g.path.clone() });
    }
    Ok((header, bytes))
}

fn parse_generation(name: &str) -> Option<u64> {
    let rest = name
        .strip_prefix("gen-")?
        .strip_suffix(&format!(".{EXTENSION}"))?;
    rest.split('-').next()?.parse().ok()
}

fn remove_stale_temporaries(dir: &Path) {
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            if e.file_name().to_str().is_some_and(|n| n.starts_with(".tmp-gen-")) {
                let _ = std::fs::remove_file(e.path());
            }
        }
    }
}

pub(crate) fn sync_dir(dir: &Path) -> std::io::Result<()> {
    // Directories can be opened and fsync'd on Unix; Windows makes renames durable itself.
    #[cfg(unix)]
    File::open(dir)?.sync_all()?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::parse_generation;

    #[test]
    fn generation_numbers_come_from_file_names() {
        assert_eq!(parse_generation("gen-00000012-20261121T1408Z.llsnap"), Some(12));
        assert_eq!(parse_generation(".tmp-gen-00000013.llsnap"), None);
        assert_eq!(parse_generation("notes.txt"), None);
    }
}
