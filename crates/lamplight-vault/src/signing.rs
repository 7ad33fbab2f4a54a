//! Staging signatures: a ward PC shows only what IT's staging key signed.
//!
//! Recipients are public, so anyone who can write to a vault or a drop folder can seal a snapshot
//! of invented patients that a ward PC would open. A signature by the staging key, which only IT
//! holds, is what makes a snapshot trusted; a PC configured with the key's public half (`--trust`)
//! refuses every snapshot it did not sign, with the reason, and never shows it.
//!
//! Ed25519 (RFC 8032) through `ed25519-dalek`: well kept and audited, built on the
//! `curve25519-dalek` that age already brings in, with 32-byte keys that fit on one configuration
//! line, deterministic signatures (no random number at signing time), and `verify_strict`, which
//! refuses the malleable and small-order encodings.
//!
//! A signature is a small detached file beside what it signs, `<file>.sig`:
//!
//! ```text
//! lamplight-signature/1
//! {"kind":"snapshot","generation":12,"sha256":"…","signed_at":"…","key":"lamplight-sign-1:…"}
//! <base64 of the Ed25519 signature over the two lines above, newlines included>
//! ```
//!
//! Detached, so that snapshot format 1 stays frozen and what was staged before still reads (and is
//! refused as unsigned where trust is configured). The statement names what it signs (its kind,
//! its generation and the SHA-256 of its every byte), so a signature cannot be moved to another
//! file, and a signed older generation copied under a newer name fails twice: its header names its
//! own generation, and so does its signature. The signature is written before the file it signs
//! is renamed into place, so a reader never meets a staged file without its signature.

use std::fmt;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use chrono::{DateTime, Utc};
use ed25519_dalek::{Signer as _, SigningKey as DalekSigning, VerifyingKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::VaultError;
use crate::format::hex;

/// The first line of a signature file.
pub const SIGNATURE_MAGIC: &str = "lamplight-signature/1";
/// How a public signing key is written: `lamplight-sign-1:` and the key's 32 bytes in base64.
pub const PUBLIC_PREFIX: &str = "lamplight-sign-1:";
/// How the secret signing key is written in its file.
pub const SECRET_PREFIX: &str = "LAMPLIGHT-SIGNING-SECRET-1:";
/// The largest signature file read.
const MAX_SIGNATURE_BYTES: u64 = 4096;

/// IT's staging key. Its `Debug` never shows the secret.
pub struct SigningKey(DalekSigning);

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SigningKey({})", self.public())
    }
}

/// A public signing key a ward PC trusts.
#[derive(Clone, PartialEq, Eq)]
pub struct TrustedKey(VerifyingKey);

impl fmt::Display for TrustedKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{PUBLIC_PREFIX}{}", B64.encode(self.0.as_bytes()))
    }
}

impl fmt::Debug for TrustedKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TrustedKey({self})")
    }
}

impl SigningKey {
    /// A new random staging key, from the operating system's random source.
    pub fn generate() -> Result<Self, VaultError> {
        let mut seed = Zeroizing::new([0u8; 32]);
        getrandom::getrandom(seed.as_mut()).map_err(|e| {
            VaultError::io(
                "asking the operating system for random bytes".to_owned(),
                std::io::Error::other(e.to_string()),
            )
        })?;
        Ok(Self(DalekSigning::from_bytes(&seed)))
    }

    /// The public half, which ward PCs are configured to trust.
    pub fn public(&self) -> TrustedKey {
        TrustedKey(self.0.verifying_key())
    }

    /// Writes the key to a new file (mode 0600 on Unix; never overwrites).
    pub fn write_new(&self, path: &Path, created: &str) -> Result<(), VaultError> {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options.open(path).map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => VaultError::KeyExists {
                path: path.to_owned(),
            },
            _ => VaultError::io(format!("creating {}", path.display()), e),
        })?;
        let text = Zeroizing::new(format!(
            "# Lamplight staging signing key, created {created}: IT keeps it; never copy it to a ward PC\n# public key (for --trust): {}\n{SECRET_PREFIX}{}\n",
            self.public(),
            B64.encode(self.0.to_bytes())
        ));
        file.write_all(text.as_bytes())
            .and_then(|()| file.sync_all())
            .map_err(|e| {
                let _ = std::fs::remove_file(path);
                VaultError::io(format!("writing {}", path.display()), e)
            })
    }

    /// Loads a signing key file written by [`SigningKey::write_new`].
    pub fn load(path: &Path) -> Result<Self, VaultError> {
        let text = Zeroizing::new(
            std::fs::read_to_string(path)
                .map_err(|e| VaultError::io(format!("reading signing key {}", path.display()), e))?,
        );
        let bad = || VaultError::BadSigningKey {
            path: path.to_owned(),
        };
        let line = text
            .lines()
            .map(str::trim)
            .find_map(|l| l.strip_prefix(SECRET_PREFIX))
            .ok_or_else(bad)?;
        let bytes = Zeroizing::new(B64.decode(line).map_err(|_| bad())?);
        let seed: &[u8; 32] = bytes.as_slice().try_into().map_err(|_| bad())?;
        Ok(Self(DalekSigning::from_bytes(seed)))
    }

    /// The signature file for `bytes`, the `kind` (`snapshot`, `roster`) of its `generation`.
    pub fn sign(&self, kind: &str, generation: u64, bytes: &[u8], now: DateTime<Utc>) -> Vec<u8> {
        let statement = Statement {
            kind: kind.to_owned(),
            generation,
            sha256: hex(&Sha256::digest(bytes)),
            signed_at: now,
            key: self.public().to_string(),
        };
        let signed = format!(
            "{SIGNATURE_MAGIC}\n{}\n",
            serde_json::to_string(&statement).expect("a statement serialises")
        );
        let signature = self.0.sign(signed.as_bytes());
        format!("{signed}{}\n", B64.encode(signature.to_bytes())).into_bytes()
    }
}

impl TrustedKey {
    /// A public key as written (`lamplight-sign-1:…`).
    pub fn parse(text: &str) -> Result<Self, VaultError> {
        let t = text.trim();
        let bad = || VaultError::BadTrustedKey(t.chars().take(60).collect());
        let b64 = t.strip_prefix(PUBLIC_PREFIX).ok_or_else(bad)?;
        let bytes: [u8; 32] = B64
            .decode(b64)
            .map_err(|_| bad())?
            .try_into()
            .map_err(|_| bad())?;
        VerifyingKey::from_bytes(&bytes).map(Self).map_err(|_| bad())
    }

    /// `--trust` as given: the key itself, or a file holding it (one key per line; `#` comments).
    /// A file holding the secret key is refused: a ward PC must never hold it.
    pub fn from_arg(arg: &str) -> Result<Vec<Self>, VaultError> {
        let t = arg.trim();
        if t.starts_with(PUBLIC_PREFIX) {
            return Ok(vec![Self::parse(t)?]);
        }
        let path = Path::new(t);
        let text = std::fs::read_to_string(path)
            .map_err(|e| VaultError::io(format!("reading trusted keys {}", path.display()), e))?;
        if text.contains(SECRET_PREFIX) {
            return Err(VaultError::SecretKeyAsTrust {
                path: path.to_owned(),
            });
        }
        let keys = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(Self::parse)
            .collect::<Result<Vec<_>, _>>()?;
        if keys.is_empty() {
            return Err(VaultError::BadTrustedKey(format!(
                "{} holds no key",
                path.display()
            )));
        }
        Ok(keys)
    }
}

/// What a signature says, once checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signed {
    /// The trusted key that signed.
    pub key: TrustedKey,
    pub signed_at: DateTime<Utc>,
}

/// The signed statement. Frozen with the signature format.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Statement {
    kind: String,
    generation: u64,
    sha256: String,
    signed_at: DateTime<Utc>,
    key: String,
}

/// Where the signature of `path` is kept.
pub fn signature_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".sig");
    path.with_file_name(name)
}

/// Checks that `bytes` (the file at `path`, of `kind` and `generation`) carry a good signature by
/// one of `trusted`, read from the file beside it.
pub fn check_file(
    path: &Path,
    kind: &str,
    generation: u64,
    bytes: &[u8],
    trusted: &[TrustedKey],
) -> Result<Signed, VaultError> {
    let sig_path = signature_path(path);
    let sig = match std::fs::File::open(&sig_path) {
        Ok(f) => {
            let mut buf = Vec::new();
            std::io::Read::read_to_end(&mut std::io::Read::take(f, MAX_SIGNATURE_BYTES + 1), &mut buf)
                .map_err(|e| VaultError::io(format!("reading {}", sig_path.display()), e))?;
            buf
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(VaultError::Unsigned {
                path: path.to_owned(),
            });
        }
        Err(e) => return Err(VaultError::io(format!("reading {}", sig_path.display()), e)),
    };
    check(path, &sig, kind, generation, bytes, trusted)
}

/// Checks the signature file text `sig` for `bytes` (see [`check_file`]).
pub fn check(
    path: &Path,
    sig: &[u8],
    kind: &str,
    generation: u64,
    bytes: &[u8],
    trusted: &[TrustedKey],
) -> Result<Signed, VaultError> {
    let bad = |detail: &str| VaultError::BadSignature {
        path: path.to_owned(),
        detail: detail.to_owned(),
    };
    if sig.len() as u64 > MAX_SIGNATURE_BYTES {
        return Err(bad("the signature file is too large to be one"));
    }
    let text = std::str::from_utf8(sig).map_err(|_| bad("the signature file is not text"))?;
    let mut lines = text.split_inclusive('\n');
    let (Some(magic), Some(statement), Some(signature)) = (lines.next(), lines.next(), lines.next()) else {
        return Err(bad("the signature file is incomplete"));
    };
    if magic.trim_end() != SIGNATURE_MAGIC || lines.any(|l| !l.trim().is_empty()) {
        return Err(bad("not a Lamplight signature file, format 1"));
    }
    let parsed: Statement =
        serde_json::from_str(statement.trim_end()).map_err(|_| bad("its statement does not read"))?;
    let key = TrustedKey::parse(&parsed.key).map_err(|_| bad("it names no readable key"))?;
    let Some(key) = trusted.iter().find(|t| **t == key).cloned() else {
        return Err(VaultError::UntrustedSigner {
            path: path.to_owned(),
            key: key.to_string(),
        });
    };
    let raw: [u8; 64] = B64
        .decode(signature.trim())
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| bad("its signature does not read"))?;
    let signed_text = format!("{magic}{statement}");
    key.0
        .verify_strict(
            signed_text.as_bytes(),
            &ed25519_dalek::Signature::from_bytes(&raw),
        )
        .map_err(|_| bad("the signature is not the key's over its statement"))?;
    if parsed.kind != kind {
        return Err(bad(&format!("it signs a {}, not a {kind}", parsed.kind)));
    }
    if parsed.generation != generation {
        return Err(bad(&format!(
            "it signs generation {}, not generation {generation}",
            parsed.generation
        )));
    }
    if parsed.sha256 != hex(&Sha256::digest(bytes)) {
        return Err(bad("the file is not the one signed (its SHA-256 differs)"));
    }
    Ok(Signed {
        key,
        signed_at: parsed.signed_at,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn now() -> DateTime<Utc> {
        "2026-12-01T14:05:00Z".parse().unwrap()
    }

    #[test]
    fn a_signature_holds_for_its_own_bytes_kind_and_generation_only() {
        let key = SigningKey::generate().unwrap();
        let trusted = [key.public()];
        let p = Path::new("gen.llsnap");
        let sig = key.sign("snapshot", 12, b"the file", now());
        let ok = check(p, &sig, "snapshot", 12, b"the file", &trusted).unwrap();
        assert_eq!(ok.key, key.public());
        assert_eq!(ok.signed_at, now());
        for (kind, generation, bytes, why) in [
            ("snapshot", 12, &b"the filE"[..], "SHA-256"),
            ("snapshot", 13, &b"the file"[..], "generation 12"),
            ("roster", 12, &b"the file"[..], "not a roster"),
        ] {
            let e = check(p, &sig, kind, generation, bytes, &trusted).unwrap_err();
            assert!(e.to_string().contains(why), "{e}");
        }
        let other = SigningKey::generate().unwrap();
        assert!(matches!(
            check(p, &sig, "snapshot", 12, b"the file", &[other.public()]),
            Err(VaultError::UntrustedSigner { .. })
        ));
    }

    #[test]
    fn an_edited_statement_or_signature_is_refused() {
        let key = SigningKey::generate().unwrap();
        let p = Path::new("gen.llsnap");
        let sig = String::from_utf8(key.sign("snapshot", 12, b"x", now())).unwrap();
        // The generation changed in the statement: the signature no longer covers it.
        let edited = sig.replace("\"generation\":12", "\"generation\":99");
        let e = check(p, edited.as_bytes(), "snapshot", 99, b"x", &[key.public()]).unwrap_err();
        assert!(e.to_string().contains("not the key's"), "{e}");
        // A flipped character of the signature.
        let mut lines: Vec<String> = sig.lines().map(str::to_owned).collect();
        let last = lines.last_mut().unwrap();
        let flipped = if last.starts_with('A') { "B" } else { "A" };
        last.replace_range(0..1, flipped);
        let e = check(
            p,
            (lines.join("\n") + "\n").as_bytes(),
            "snapshot",
            12,
            b"x",
            &[key.public()],
        )
        .unwrap_err();
        assert!(matches!(e, VaultError::BadSignature { .. }), "{e}");
        for junk in [&b""[..], b"lamplight-signature/1\n", &[0xff, 0xfe, 0x00][..]] {
            assert!(matches!(
                check(p, junk, "snapshot", 12, b"x", &[key.public()]),
                Err(VaultError::BadSignature { .. })
            ));
        }
    }

    #[test]
    fn keys_round_trip_through_their_files_and_a_secret_is_never_taken_as_trust() {
        let dir = tempfile::tempdir().unwrap();
        let key = SigningKey::generate().unwrap();
        let path = dir.path().join("staging.key");
        key.write_new(&path, "2026-12-01").unwrap();
        assert!(matches!(
            key.write_new(&path, "2026-12-01"),
            Err(VaultError::KeyExists { .. })
        ));
        let loaded = SigningKey::load(&path).unwrap();
        assert_eq!(loaded.public(), key.public());
        assert!(!format!("{loaded:?}").contains(SECRET_PREFIX));
        assert!(matches!(
            TrustedKey::from_arg(path.to_str().unwrap()),
            Err(VaultError::SecretKeyAsTrust { .. })
        ));
        let public = key.public().to_string();
        assert_eq!(TrustedKey::from_arg(&public).unwrap(), vec![key.public()]);
        let pubfile = dir.path().join("trusted.pub");
        std::fs::write(&pubfile, format!("# the trust's staging key\n{public}\n")).unwrap();
        assert_eq!(
            TrustedKey::from_arg(pubfile.to_str().unwrap()).unwrap(),
            vec![key.public()]
        );
        assert!(TrustedKey::parse("lamplight-sign-1:AAAA").is_err());
        assert!(TrustedKey::parse("age1qqqq").is_err());
    }
}
