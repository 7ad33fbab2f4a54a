//! The ward identity in the OS key store, for real: on Linux the kernel's keyutils (the `keyring`
//! crate's native store), as a ward PC's user would have it. No mock store.

use std::path::PathBuf;

use lamplight_vault::{Identity, keystore, open_bytes, seal_bytes};

/// A name no other test (or earlier run) uses, taken out of the store when the test ends,
/// whatever happens.
struct Stored(String);

impl Stored {
    fn new() -> Self {
        Self(format!("lamplight-test-{}", uuid::Uuid::new_v4().simple()))
    }
    fn path(&self) -> PathBuf {
        format!("{}{}", keystore::PREFIX, self.0).into()
    }
}

impl Drop for Stored {
    fn drop(&mut self) {
        let _ = keystore::remove(&self.0);
    }
}

#[test]
fn the_ward_identity_loads_from_the_os_key_store_and_opens_what_was_sealed_for_it() {
    let name = Stored::new();
    let identity = Identity::generate();
    keystore::store(&name.0, &identity, false).unwrap_or_else(|e| {
        panic!(
            "the OS key store (Linux: kernel keyutils) is not usable here: {e}. \
             A container whose seccomp profile forbids add_key/keyctl cannot run this test"
        )
    });
    // Loaded where any identity is given: `--identity keystore:NAME`.
    let loaded = Identity::load(&name.path(), None).expect("the identity loads from the key store");
    assert_eq!(loaded.recipient(), identity.recipient(), "the same key came back");
    let sealed = seal_bytes(b"ward WD8 snapshot", &[identity.recipient()]).unwrap();
    let opened = open_bytes(&sealed, &loaded, &name.path()).expect("it opens what was sealed for it");
    assert_eq!(opened, b"ward WD8 snapshot");
    assert!(
        !format!("{loaded:?}").contains("AGE-SECRET-KEY"),
        "a key from the store is as redacted as one from a file"
    );
}

#[test]
fn a_stored_identity_is_never_silently_replaced_and_a_missing_one_says_how_to_load_it() {
    let name = Stored::new();
    let first = Identity::generate();
    keystore::store(&name.0, &first, false).expect("the key store is usable");
    let err = keystore::store(&name.0, &Identity::generate(), false).unwrap_err();
    assert_eq!(err.code(), "key_exists", "{err}");
    let still = Identity::load(&name.path(), None).unwrap();
    assert_eq!(
        still.recipient(),
        first.recipient(),
        "the first key is still there"
    );

    // Replacing is a choice IT makes out loud.
    let second = Identity::generate();
    keystore::store(&name.0, &second, true).unwrap();
    assert_eq!(
        Identity::load(&name.path(), None).unwrap().recipient(),
        second.recipient()
    );

    keystore::remove(&name.0).unwrap();
    let err = Identity::load(&name.path(), None).unwrap_err();
    assert_eq!(err.code(), "not_in_key_store", "{err}");
    let text = err.to_string();
    assert!(
        text.contains(&name.0) && text.contains("lamplight keystore import"),
        "says which identity is missing and how to load it: {text}"
    );
    assert!(!text.contains("AGE-SECRET-KEY"));
    assert_eq!(keystore::remove(&name.0).unwrap_err().code(), "not_in_key_store");
}

#[test]
fn a_bad_key_store_name_is_refused_before_the_store_is_asked() {
    let err = Identity::load(std::path::Path::new("keystore:../../etc"), None).unwrap_err();
    assert_eq!(err.code(), "key_store");
    assert!(err.to_string().contains("1 to 64 letters"), "{err}");
}
