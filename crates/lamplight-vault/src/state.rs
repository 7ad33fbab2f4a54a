//! Small sealed state files beside the snapshots: the ward PC's mode, and what comes after it.
//!
//! ```text
//! VAULT/
//!   state/
//!     mode.age            the mode, who set it and why (sealed: it names staff)
//!     .tmp-mode.age       only while being written
//! ```
//!
//! Each file is one age message (`age -d -i KEY` opens it) holding a versioned JSON document that
//! the caller owns. Writing is the snapshots' discipline in small: a temporary name, fsync, atomic
//! rename, folder fsync; so a crash leaves the old state or the new one, never half of either. A
//! file that does not open is an error the caller shows, never an empty state silently assumed.

use std::fs::File;
use std::io::{Read as _, Write as _};
use std::path::PathBuf;

use crate::keys::{Identity, Recipient, seal_bytes};
use crate::{Vault, VaultError};

/// The largest state file read (a mode is a few hundred bytes).
const MAX_STATE_BYTES: u64 = 1 << 20;
/// State files IT writes and ward PCs only read: signed by the staging key like snapshots
/// (`<name>.age.sig`), and refused where the vault checks signatures. The PC's own mode is not
/// among them: the PC writes it itself.
pub const SIGNED_STATES: &[&str] = &["roster"];

impl Vault {
    fn state_path(&self, name: &str) -> PathBuf {
        debug_assert!(
            name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'),
            "state names are plain words"
        );
        self.dir().join("state").join(format!("{name}.age"))
    }

    /// Seals `plain` to `recipients` as the state file `name`, replacing the old one atomically.
    pub fn write_state(
        &self,
        name: &str,
        plain: &[u8],
        recipients: &[Recipient],
    ) -> Result<PathBuf, VaultError> {
        let sealed = seal_bytes(plain, recipients)?;
        let path = self.state_path(name);
        let dir = path
            .parent()
            .expect("a state file lives in the state folder")
            .to_owned();
        std::fs::create_dir_all(&dir).map_err(|e| self.write_error(&dir, e))?;
        let tmp = dir.join(format!(".tmp-{name}.age"));
        let written = (|| {
            let mut f = File::create(&tmp)?;
            f.write_all(&sealed)?;
            f.sync_all()
        })();
        if let Err(e) = written {
            let _ = std::fs::remove_file(&tmp);
            return Err(self.write_error(&tmp, e));
        }
        if SIGNED_STATES.contains(&name)
            && let Err(e) = self.sign_beside(&tmp, &path, (name, 0), &sealed, chrono::Utc::now())
        {
            let _ = std::fs::remove_file(&tmp);
            return Err(self.write_error(&path, e));
        }
        std::fs::rename(&tmp, &path).map_err(|e| self.write_error(&path, e))?;
        crate::vault::sync_dir(&dir).map_err(|e| self.write_error(&dir, e))?;
        Ok(path)
    }

    /// The state file `name`, opened with `identity`; `None` when there is none yet.
    pub fn read_state(&self, name: &str, identity: &Identity) -> Result<Option<Vec<u8>>, VaultError> {
        let path = self.state_path(name);
        let file = match File::open(&path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(VaultError::io(format!("reading {}", path.display()), e)),
        };
        let mut sealed = Vec::new();
        file.take(MAX_STATE_BYTES)
            .read_to_end(&mut sealed)
            .map_err(|e| VaultError::io(format!("reading {}", path.display()), e))?;
        if SIGNED_STATES.contains(&name) {
            self.check_signature(&path, name, 0, &sealed)?;
        }
        let decryptor =
            age::Decryptor::new(&sealed[..]).map_err(|e| crate::format::decrypt_error(&path, e))?;
        let mut reader = decryptor
            .decrypt(identity.decrypting())
            .map_err(|e| crate::format::decrypt_error(&path, e))?;
        let mut plain = Vec::new();
        reader.read_to_end(&mut plain).map_err(|e| VaultError::Decrypt {
            path: path.clone(),
            detail: e.to_string(),
        })?;
        Ok(Some(plain))
    }

    /// When the state file `name` was last replaced (for followers that poll), if it exists.
    pub fn state_modified(&self, name: &str) -> Option<std::time::SystemTime> {
        std::fs::metadata(self.state_path(name))
            .and_then(|m| m.modified())
            .ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_state_file_round_trips_sealed_and_is_replaced_whole() {
        let dir = tempfile::tempdir().unwrap();
        let vault = Vault::new(dir.path());
        let id = Identity::generate();
        assert_eq!(
            vault.read_state("mode", &id).unwrap(),
            None,
            "no state yet is not an error"
        );
        let path = vault
            .write_state("mode", b"{\"v\":1}", &[id.recipient()])
            .unwrap();
        let on_disk = std::fs::read(&path).unwrap();
        assert!(
            !on_disk.windows(5).any(|w| w == b"\"v\":1"),
            "the state is sealed at rest"
        );
        assert_eq!(
            vault.read_state("mode", &id).unwrap().as_deref(),
            Some(&b"{\"v\":1}"[..])
        );
        vault
            .write_state("mode", b"{\"v\":2}", &[id.recipient()])
            .unwrap();
        assert_eq!(
            vault.read_state("mode", &id).unwrap().as_deref(),
            Some(&b"{\"v\":2}"[..])
        );
        let leftovers: Vec<_> = std::fs::read_dir(path.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(
            leftovers.len(),
            1,
            "no temporary file is left behind: {leftovers:?}"
        );
    }

    #[test]
    fn a_state_file_sealed_to_another_pc_or_damaged_is_an_error_not_an_empty_state() {
        let dir = tempfile::tempdir().unwrap();
        let vault = Vault::new(dir.path());
        let path = vault
            .write_state("mode", b"{}", &[Identity::generate().recipient()])
            .unwrap();
        assert!(matches!(
            vault.read_state("mode", &Identity::generate()),
            Err(VaultError::WrongKey { .. })
        ));
        std::fs::write(&path, b"not age").unwrap();
        assert!(vault.read_state("mode", &Identity::generate()).is_err());
    }
}
