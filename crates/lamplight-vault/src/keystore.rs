//! The ward identity in the operating system's key store, not in a file on the PC's disk.
//!
//! Anywhere an identity is given (`--identity`, `LAMPLIGHT_IDENTITY`), `keystore:NAME` names one
//! held by the OS for the user Lamplight runs as: the Windows Credential Manager (what NHS ward
//! PCs have; it persists and is protected by the Windows account), the macOS Keychain, or on Linux
//! the kernel's key retention service (keyutils). Through the `keyring` crate (3.x), which wraps
//! each native store behind one `Entry` API: nothing here talks to an OS API by hand.
//!
//! What is stored is the identity's own `AGE-SECRET-KEY-1…` text, under the service
//! [`SERVICE`] and the account `NAME`, so a stolen copy of the disk holds no key at all.
//!
//! On Linux the kernel store is memory, not disk: it forgets at restart (and the user's persistent
//! keyring expires after some days unused), so there it is a secure cache that IT (or a boot
//! script, `pam_exec`, or `systemd-ask-password`) fills with `lamplight keystore import`, and
//! Lamplight says plainly when the identity is no longer there. The Secret Service (GNOME Keyring)
//! is left out: it needs a D-Bus session and an unlocked desktop keyring, which a shared ward PC
//! signed in as a kiosk user does not reliably have.

use std::path::Path;

use age::secrecy::ExposeSecret as _;
use zeroize::Zeroizing;

use crate::{Identity, VaultError};

/// What names an identity in the key store where a path is expected: `keystore:NAME`.
pub const PREFIX: &str = "keystore:";

/// The key store service name Lamplight's ward identities are kept under.
pub const SERVICE: &str = "lamplight-ward-identity";

/// The key-store name in an identity given as `keystore:NAME`, or `None` for a file path.
pub fn name_in(identity: &Path) -> Option<&str> {
    identity.to_str()?.strip_prefix(PREFIX)
}

/// A key-store name: 1–64 of letters, digits, `.`, `_` and `-` (it is part of what the OS shows
/// in its own key manager, and of a Linux key description).
pub fn check_name(name: &str) -> Result<(), VaultError> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if ok {
        Ok(())
    } else {
        Err(VaultError::KeyStore {
            name: name.to_owned(),
            detail:
                "a key-store name is 1 to 64 letters, digits, '.', '_' or '-' (for example keystore:WD8-PC1)"
                    .to_owned(),
        })
    }
}

fn entry(name: &str) -> Result<keyring::Entry, VaultError> {
    check_name(name)?;
    #[cfg(target_os = "linux")]
    join_a_session_keyring(name)?;
    keyring::Entry::new(SERVICE, name).map_err(|e| store_error(name, &e))
}

/// On Linux, a key is usable (linked into the user's persistent keyring, found again by the next
/// process) only from a session keyring the process possesses. A desktop or SSH login has one
/// (pam_keyinit); a service, a container or a kiosk session may not, and then the kernel answers
/// with the user's session keyring without making the process its possessor, so linking fails
/// with "permission denied". Asking for the session keyring with `create` joins a new one in that
/// case, as pam_keyinit would, and changes nothing when there is one already.
#[cfg(target_os = "linux")]
fn join_a_session_keyring(name: &str) -> Result<(), VaultError> {
    use linux_keyutils::{KeyRing, KeyRingIdentifier};
    KeyRing::from_special_id(KeyRingIdentifier::Session, true)
        .map(drop)
        .map_err(|e| VaultError::KeyStore {
            name: name.to_owned(),
            detail: format!("the kernel key store gave no session keyring ({e})"),
        })
}

fn store_error(name: &str, e: &keyring::Error) -> VaultError {
    VaultError::KeyStore {
        name: name.to_owned(),
        // The platform's words (a keyring error never holds the secret: it is never given one
        // to report).
        detail: e.to_string(),
    }
}

/// Puts `identity` in the key store as `name`. Refuses to replace one already there unless
/// `replace` (as a key file is never overwritten: replacing the ward identity makes every
/// snapshot sealed for the old one unreadable on this PC).
pub fn store(name: &str, identity: &Identity, replace: bool) -> Result<(), VaultError> {
    let entry = entry(name)?;
    if !replace {
        match entry.get_password() {
            Ok(_) => {
                return Err(VaultError::KeyExists {
                    path: format!("{PREFIX}{name}").into(),
                });
            }
            Err(keyring::Error::NoEntry) => {}
            Err(e) => return Err(store_error(name, &e)),
        }
    }
    let secret = Zeroizing::new(identity.secret_line().expose_secret().to_owned());
    entry.set_password(&secret).map_err(|e| store_error(name, &e))
}

/// The identity the key store holds as `name`.
pub fn load(name: &str) -> Result<Identity, VaultError> {
    let text = Zeroizing::new(entry(name)?.get_password().map_err(|e| match e {
        keyring::Error::NoEntry => VaultError::NotInKeyStore {
            name: name.to_owned(),
        },
        other => store_error(name, &other),
    })?);
    Identity::from_text(text.as_bytes(), Path::new(&format!("{PREFIX}{name}")))
}

/// Takes `name` out of the key store (for a PC being retired or re-keyed). Not there is an error.
pub fn remove(name: &str) -> Result<(), VaultError> {
    entry(name)?.delete_credential().map_err(|e| match e {
        keyring::Error::NoEntry => VaultError::NotInKeyStore {
            name: name.to_owned(),
        },
        other => store_error(name, &other),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_recognised_and_checked() {
        assert_eq!(name_in(Path::new("keystore:WD8-PC1")), Some("WD8-PC1"));
        assert_eq!(name_in(Path::new("/etc/lamplight/ward.key")), None);
        assert!(check_name("WD8-PC1").is_ok());
        for bad in ["", "a b", "../x", &"x".repeat(65), "wd8:pc1"] {
            let e = check_name(bad).unwrap_err();
            assert_eq!(e.code(), "key_store", "{bad:?}");
        }
    }
}
