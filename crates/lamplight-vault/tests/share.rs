//! A ward PC taking its ward's newest generation from the site share (`Vault::take_newest_from`),
//! with real keys and files: what it takes is byte for byte what IT signed; a damaged, unsigned or
//! foreign newest generation is passed over for the newest good one, and said; a share that went
//! backwards or has gone is a clear error that leaves the PC's vault as it was.

#![allow(clippy::unwrap_used)] // test code: a panic with its location is the clearest failure

mod common;

use common::{at, tiny_site};
use lamplight_vault::signing::signature_path;
use lamplight_vault::{Identity, SigningKey, Taken, Vault, VaultError};

struct Setup {
    _dir: tempfile::TempDir,
    share: std::path::PathBuf,
    pc: std::path::PathBuf,
    key_file: std::path::PathBuf,
    id: Identity,
    key: SigningKey,
}

impl Setup {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let key = SigningKey::generate().unwrap();
        let key_file = dir.path().join("staging.key");
        key.write_new(&key_file, "2026-12-02").unwrap();
        Self {
            key_file,
            share: dir.path().join("share/WD1"),
            pc: dir.path().join("pc-vault"),
            _dir: dir,
            id: Identity::generate(),
            key,
        }
    }

    /// The site agent's side: a signed generation for this PC's recipient.
    fn stage(&self, minute: u32) -> std::path::PathBuf {
        let signer = SigningKey::load(&self.key_file).unwrap();
        Vault::new(&self.share)
            .sign_with(signer)
            .stage(
                &tiny_site(),
                "test",
                &[self.id.recipient()],
                at(&format!("2026-12-02T10:{minute:02}:00Z")),
            )
            .unwrap()
            .path
    }

    fn pc(&self) -> Vault {
        Vault::new(&self.pc).trust(vec![self.key.public()])
    }

    fn take(&self) -> Result<Taken, VaultError> {
        self.pc()
            .take_newest_from(&Vault::new(&self.share), Some(&self.id))
    }
}

#[test]
fn the_newest_signed_generation_is_copied_byte_for_byte_and_then_is_up_to_date() {
    let s = Setup::new();
    s.stage(1);
    let newest = s.stage(2);
    let Taken::Copied {
        header,
        path,
        skipped,
    } = s.take().unwrap()
    else {
        panic!("an empty PC vault takes the share's newest")
    };
    assert_eq!(header.generation, 2);
    assert!(skipped.is_empty());
    assert_eq!(
        std::fs::read(&path).unwrap(),
        std::fs::read(&newest).unwrap(),
        "byte for byte"
    );
    assert_eq!(
        std::fs::read(signature_path(&path)).unwrap(),
        std::fs::read(signature_path(&newest)).unwrap(),
        "IT's signature comes with it"
    );
    // The PC now opens it on its own, checking the signature, with the share gone.
    std::fs::remove_dir_all(&s.share).unwrap();
    assert_eq!(s.pc().open_newest(&s.id).unwrap().header.generation, 2);
}

#[test]
fn taking_again_with_nothing_new_is_up_to_date_and_copies_nothing() {
    let s = Setup::new();
    s.stage(1);
    s.take().unwrap();
    assert!(matches!(s.take().unwrap(), Taken::UpToDate { generation: 1 }));
    assert_eq!(s.pc().generations().unwrap().len(), 1);
}

#[test]
fn a_damaged_or_unsigned_newest_is_passed_over_for_the_newest_good_one_and_said() {
    let s = Setup::new();
    s.stage(1);
    let damaged = s.stage(2);
    let unsigned = s.stage(3);
    let mut bytes = std::fs::read(&damaged).unwrap();
    let i = bytes.len() - 50;
    bytes[i] ^= 0x01;
    std::fs::write(&damaged, bytes).unwrap();
    std::fs::remove_file(signature_path(&unsigned)).unwrap();

    let Taken::Copied { header, skipped, .. } = s.take().unwrap() else {
        panic!("generation 1 is good")
    };
    assert_eq!(header.generation, 1);
    let passed: Vec<u64> = skipped.iter().map(|k| k.generation).collect();
    assert_eq!(passed, [3, 2], "both bad ones are named, newest first");
    assert_eq!(
        s.pc().generations().unwrap().len(),
        1,
        "nothing bad was copied in"
    );
}

#[test]
fn a_generation_sealed_to_other_pcs_is_not_taken() {
    let s = Setup::new();
    let signer = SigningKey::load(&s.key_file).unwrap();
    Vault::new(&s.share)
        .sign_with(signer)
        .stage(
            &tiny_site(),
            "test",
            &[Identity::generate().recipient()],
            at("2026-12-02T10:00:00Z"),
        )
        .unwrap();
    let e = s.take().unwrap_err();
    assert_eq!(e.code(), "no_good_generation", "{e}");
    assert!(s.pc().generations().unwrap().is_empty());
}

#[test]
fn a_share_rebuilt_from_scratch_is_refused_loudly_not_hidden() {
    let s = Setup::new();
    s.stage(1);
    s.stage(2);
    s.take().unwrap();
    std::fs::remove_dir_all(&s.share).unwrap();
    s.stage(3); // generation 1 again, in a new share
    let e = s.take().unwrap_err();
    assert_eq!(e.code(), "share_behind", "{e}");
    assert_eq!(
        s.pc().open_newest(&s.id).unwrap().header.generation,
        2,
        "the PC keeps its own"
    );
}

#[test]
fn a_share_that_has_gone_says_so_and_the_pc_keeps_what_it_holds() {
    let s = Setup::new();
    s.stage(1);
    s.take().unwrap();
    std::fs::remove_dir_all(&s.share).unwrap();
    let e = s.take().unwrap_err().to_string();
    assert!(e.contains("site share") && e.contains("mounted"), "{e}");
    assert_eq!(s.pc().open_newest(&s.id).unwrap().header.generation, 1);
}
