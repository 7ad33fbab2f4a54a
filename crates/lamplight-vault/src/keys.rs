//! Keys: who can read a vault.
//!
//! Staging needs only recipients (public keys, `age1…`): the always-on part of Lamplight can seal
//! snapshots it cannot open (DESIGN.md promise 2). Reading needs an [`Identity`], which cannot be
//! cloned, serialised or printed, and whose secret text is zeroed when dropped.
//!
//! Identity files are ordinary age identity files (`age-keygen`'s format), so IT can open a
//! break-glass copy with the stock `age` tool. A passphrase-protected identity is that file sealed
//! with age's scrypt passphrase mode (what `age -p` writes).

use std::fmt;
use std::io::{Read, Write};
use std::path::Path;

use age::secrecy::{ExposeSecret, SecretString};
use zeroize::Zeroizing;

use crate::VaultError;

/// A recipient: the public half of a ward PC's or IT's key.
#[derive(Clone, PartialEq, Eq)]
pub struct Recipient(age::x25519::Recipient);

impl Recipient {
    pub fn parse(s: &str) -> Result<Self, VaultError> {
        s.trim()
            .parse()
            .map(Recipient)
            .map_err(|_| VaultError::BadRecipient(s.trim().to_owned()))
    }

    pub(crate) fn as_age(&self) -> &dyn age::Recipient {
        &self.0
    }
}

impl fmt::Display for Recipient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl fmt::Debug for Recipient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Recipient({})", self.0)
    }
}

/// Seals any bytes to recipients as a standard age file (`age -d -i KEY` opens it): for what must
/// be kept but not left readable, such as a processed bundle moved out of a drop folder.
pub fn seal_bytes(plain: &[u8], recipients: &[Recipient]) -> Result<Vec<u8>, VaultError> {
    if recipients.is_empty() {
        return Err(VaultError::NoRecipients);
    }
    let encryptor = age::Encryptor::with_recipients(recipients.iter().map(Recipient::as_age))
        .map_err(|e| VaultError::io("sealing", std::io::Error::other(e)))?;
    let mut out = Vec::with_capacity(plain.len() + 512);
    let mut w = encryptor
        .wrap_output(&mut out)
        .map_err(|e| VaultError::io("sealing", e))?;
    w.write_all(plain).map_err(|e| VaultError::io("sealing", e))?;
    w.finish().map_err(|e| VaultError::io("sealing", e))?;
    Ok(out)
}

/// Opens bytes sealed by [`seal_bytes`] (for benchmarks and tools; `what` names them in errors).
pub fn open_bytes(sealed: &[u8], identity: &Identity, what: &Path) -> Result<Vec<u8>, VaultError> {
    let decryptor = age::Decryptor::new(sealed).map_err(|e| crate::format::decrypt_error(what, e))?;
    let mut reader = decryptor
        .decrypt(identity.decrypting())
        .map_err(|e| crate::format::decrypt_error(what, e))?;
    let mut plain = Vec::with_capacity(sealed.len());
    reader.read_to_end(&mut plain).map_err(|e| VaultError::Decrypt {
        path: what.to_owned(),
        detail: e.to_string(),
    })?;
    Ok(plain)
}

/// A secret key that opens snapshots. Not `Clone`, not `Serialize`; `Debug` shows only the recipient.
pub struct Identity {
    inner: age::x25519::Identity,
    /// Keys this one replaced (a rotated ward identity): they still open what was sealed for them
    /// (older generations, journal records written before the change); nothing new is sealed to
    /// them.
    previous: Vec<age::x25519::Identity>,
}

impl fmt::Debug for Identity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Identity(recipient {}, secret redacted", self.recipient())?;
        if !self.previous.is_empty() {
            write!(f, ", {} previous", self.previous.len())?;
        }
        write!(f, ")")
    }
}

/// How hard a passphrase-wrapped identity is to brute-force: scrypt log2(N). age's own default
/// targets about a second; tests lower it.
pub const DEFAULT_WORK_FACTOR: u8 = 18;

impl Identity {
    /// A new random identity.
    pub fn generate() -> Self {
        Self {
            previous: Vec::new(),
            inner: age::x25519::Identity::generate(),
        }
    }

    /// The recipient that seals to this identity.
    pub fn recipient(&self) -> Recipient {
        Recipient(self.inner.to_public())
    }

    /// This identity, still able to open what was sealed for `older` (and for the keys `older`
    /// itself replaced): a ward identity after rotation. What is sealed from now on goes to
    /// [`Identity::recipient`], this one's alone.
    #[must_use]
    pub fn with_previous(mut self, older: Identity) -> Self {
        let Identity { inner, previous } = older;
        self.previous.push(inner);
        self.previous.extend(previous);
        self
    }

    /// The recipients of the keys this one replaced, newest first.
    pub fn previous_recipients(&self) -> Vec<Recipient> {
        self.previous.iter().map(|p| Recipient(p.to_public())).collect()
    }

    /// Every key that may open a file: this one first, then those it replaced.
    pub(crate) fn decrypting(&self) -> impl Iterator<Item = &dyn age::Identity> {
        std::iter::once(&self.inner as &dyn age::Identity)
            .chain(self.previous.iter().map(|p| p as &dyn age::Identity))
    }

    /// The identity file text (`# public key: age1…` and the `AGE-SECRET-KEY-1…` line), zeroed on drop.
    fn file_text(&self, created: &str) -> Zeroizing<String> {
        Zeroizing::new(format!(
            "# Lamplight ward identity, created {created}\n# public key: {}\n{}\n",
            self.recipient(),
            self.inner.to_string().expose_secret()
        ))
    }

    /// Writes this identity to a new file (mode 0600 on Unix; never overwrites). With a passphrase,
    /// the file is sealed with age's scrypt mode at `work_factor` (log2 N).
    pub fn write_new(
        &self,
        path: &Path,
        passphrase: Option<&SecretString>,
        work_factor: u8,
        created: &str,
    ) -> Result<(), VaultError> {
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
        let text = self.file_text(created);
        let write = |file: &mut std::fs::File| -> std::io::Result<()> {
            match passphrase {
                None => file.write_all(text.as_bytes())?,
                Some(p) => {
                    let mut recipient = age::scrypt::Recipient::new(p.clone());
                    recipient.set_work_factor(work_factor);
                    let encryptor =
                        age::Encryptor::with_recipients(std::iter::once(&recipient as &dyn age::Recipient))
                            .map_err(std::io::Error::other)?;
                    let armored =
                        age::armor::ArmoredWriter::wrap_output(&mut *file, age::armor::Format::AsciiArmor)?;
                    let mut w = encryptor.wrap_output(armored)?;
                    w.write_all(text.as_bytes())?;
                    w.finish()?.finish()?;
                }
            }
            file.sync_all()
        };
        write(&mut file).map_err(|e| {
            let _ = std::fs::remove_file(path);
            VaultError::io(format!("writing {}", path.display()), e)
        })
    }

    /// The `AGE-SECRET-KEY-1…` line alone (for the OS key store).
    pub(crate) fn secret_line(&self) -> SecretString {
        self.inner.to_string()
    }

    /// Loads an identity: a file, plain (`AGE-SECRET-KEY-1…`) or passphrase-sealed (give the
    /// passphrase); or `keystore:NAME`, from the OS key store ([`crate::keystore`]).
    pub fn load(path: &Path, passphrase: Option<&SecretString>) -> Result<Self, VaultError> {
        if let Some(name) = crate::keystore::name_in(path) {
            return crate::keystore::load(name);
        }
        let bytes = Zeroizing::new(
            std::fs::read(path)
                .map_err(|e| VaultError::io(format!("reading identity {}", path.display()), e))?,
        );
        let sealed = bytes.starts_with(b"age-encryption.org/")
            || bytes.starts_with(b"-----BEGIN AGE ENCRYPTED FILE-----");
        let text: Zeroizing<Vec<u8>> = if sealed {
            let passphrase = passphrase.ok_or_else(|| VaultError::PassphraseNeeded {
                path: path.to_owned(),
            })?;
            let reader = age::armor::ArmoredReader::new(&bytes[..]);
            let decryptor = age::Decryptor::new(reader).map_err(|e| VaultError::BadIdentity {
                path: path.to_owned(),
                detail: e.to_string(),
            })?;
            let mut identity = age::scrypt::Identity::new(passphrase.clone());
            identity.set_max_work_factor(30);
            let mut out = Zeroizing::new(Vec::new());
            decryptor
                .decrypt(std::iter::once(&identity as &dyn age::Identity))
                .map_err(|e| match e {
                    age::DecryptError::NoMatchingKeys | age::DecryptError::DecryptionFailed => {
                        VaultError::WrongPassphrase {
                            path: path.to_owned(),
                        }
                    }
                    other => VaultError::BadIdentity {
                        path: path.to_owned(),
                        detail: other.to_string(),
                    },
                })?
                .read_to_end(&mut out)
                .map_err(|e| VaultError::BadIdentity {
                    path: path.to_owned(),
                    detail: e.to_string(),
                })?;
            out
        } else {
            bytes
        };
        Self::from_text(&text, path)
    }

    /// The identity in an identity file's text (`what` names where it came from in errors).
    pub(crate) fn from_text(text: &[u8], path: &Path) -> Result<Self, VaultError> {
        let line = std::str::from_utf8(text)
            .ok()
            .and_then(|t| {
                t.lines()
                    .map(str::trim)
                    .find(|l| l.starts_with("AGE-SECRET-KEY-1"))
                    .map(str::to_owned)
            })
            .map(Zeroizing::new);
        let line = line.ok_or_else(|| VaultError::BadIdentity {
            path: path.to_owned(),
            detail: "no AGE-SECRET-KEY-1 line found".to_owned(),
        })?;
        let inner = line
            .parse::<age::x25519::Identity>()
            .map_err(|e| VaultError::BadIdentity {
                path: path.to_owned(),
                detail: e.to_owned(),
            })?;
        Ok(Self {
            inner,
            previous: Vec::new(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_secret() {
        let id = Identity::generate();
        let shown = format!("{id:?}");
        assert!(
            !shown.contains("AGE-SECRET-KEY"),
            "a secret key must never reach a log line: {shown}"
        );
        assert!(shown.contains("age1"));
    }

    #[test]
    fn a_rotated_identity_opens_what_its_previous_key_sealed_and_names_only_its_own_recipient() {
        let old = Identity::generate();
        let old_recipient = old.recipient();
        let sealed = seal_bytes(b"before the change", std::slice::from_ref(&old_recipient)).unwrap();
        let new = Identity::generate();
        let new_recipient = new.recipient();
        assert!(
            open_bytes(&sealed, &new, Path::new("x")).is_err(),
            "the new key alone cannot"
        );
        let rotated = new.with_previous(old);
        assert_eq!(
            rotated.recipient(),
            new_recipient,
            "new things are sealed to the new key"
        );
        assert_eq!(rotated.previous_recipients(), vec![old_recipient]);
        assert_eq!(
            open_bytes(&sealed, &rotated, Path::new("x")).unwrap(),
            b"before the change"
        );
        let shown = format!("{rotated:?}");
        assert!(
            shown.contains("1 previous") && !shown.contains("AGE-SECRET-KEY"),
            "{shown}"
        );
    }

    #[test]
    fn a_bad_recipient_is_named() {
        let err = Recipient::parse("not-a-key").unwrap_err();
        assert!(err.to_string().contains("not-a-key"));
    }
}
