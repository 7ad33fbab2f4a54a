//! Only trusted snapshots are shown: a vault told to trust IT's staging key opens, verifies and
//! counts only what that key signed, with real keys and real files, whatever else lands in the
//! folder (a file sealed to the right recipients but unsigned, a signature moved to another file,
//! an older signed generation copied in as the newest).

#![allow(clippy::unwrap_used)] // test code: a panic with its location is the clearest failure

mod common;

use common::{at, tiny_site};
use lamplight_vault::signing::signature_path;
use lamplight_vault::{Identity, SigningKey, Vault, VaultError};

struct Setup {
    _dir: tempfile::TempDir,
    dir: std::path::PathBuf,
    id: Identity,
    key: SigningKey,
}

fn setup() -> Setup {
    let dir = tempfile::tempdir().unwrap();
    Setup {
        dir: dir.path().to_owned(),
        _dir: dir,
        id: Identity::generate(),
        key: SigningKey::generate().unwrap(),
    }
}

fn staging(s: &Setup) -> Vault {
    Vault::new(&s.dir).sign_with(SigningKey::load(&key_file(s)).unwrap())
}

fn key_file(s: &Setup) -> std::path::PathBuf {
    let p = s.dir.join("staging.key");
    if !p.exists() {
        s.key.write_new(&p, "2026-12-01").unwrap();
    }
    p
}

fn ward_pc(s: &Setup) -> Vault {
    Vault::new(&s.dir).trust(vec![s.key.public()])
}

#[test]
fn a_signed_generation_opens_on_a_pc_that_trusts_its_key_and_says_who_signed() {
    let s = setup();
    let staged = staging(&s)
        .stage(
            &tiny_site(),
            "test",
            &[s.id.recipient()],
            at("2026-12-01T14:00:00Z"),
        )
        .unwrap();
    assert!(signature_path(&staged.path).is_file());
    let opened = ward_pc(&s).open_newest(&s.id).unwrap();
    assert_eq!(opened.header.generation, 1);
    let signed = opened.signed.unwrap();
    assert_eq!(signed.key, s.key.public());
    assert_eq!(signed.signed_at, at("2026-12-01T14:00:00Z"));
    // A PC that does not check signatures still reads it (and says nothing of who signed).
    assert!(Vault::new(&s.dir).open_newest(&s.id).unwrap().signed.is_none());
}

#[test]
fn unsigned_snapshot_is_refused() {
    let s = setup();
    staging(&s)
        .stage(
            &tiny_site(),
            "IT",
            &[s.id.recipient()],
            at("2026-12-01T14:00:00Z"),
        )
        .unwrap();
    // Someone who can write to the vault seals invented patients to the PC's public recipient.
    let planted = Vault::new(&s.dir)
        .stage(
            &tiny_site(),
            "planted",
            &[s.id.recipient()],
            at("2026-12-01T14:10:00Z"),
        )
        .unwrap();
    assert_eq!(planted.header.generation, 2);
    let opened = ward_pc(&s).open_newest(&s.id).unwrap();
    assert_eq!(
        opened.header.generation, 1,
        "the planted generation is never shown"
    );
    assert_eq!(opened.skipped.len(), 1);
    let why = &opened.skipped[0].error;
    assert!(matches!(why, VaultError::Unsigned { .. }), "{why}");
    assert!(why.to_string().contains("not signed by a staging key"), "{why}");
    // And verify, which needs no key, says so too.
    let checks = ward_pc(&s).verify(None).unwrap();
    assert!(matches!(checks[0].result, Err(VaultError::Unsigned { .. })));
    assert!(checks[1].result.is_ok());
    // Signed by another key (someone made their own): refused, naming the key.
    let other = SigningKey::generate().unwrap();
    let p = s.dir.join("other.key");
    other.write_new(&p, "2026-12-01").unwrap();
    Vault::new(&s.dir)
        .sign_with(SigningKey::load(&p).unwrap())
        .stage(
            &tiny_site(),
            "rogue",
            &[s.id.recipient()],
            at("2026-12-01T14:20:00Z"),
        )
        .unwrap();
    let opened = ward_pc(&s).open_newest(&s.id).unwrap();
    assert_eq!(opened.header.generation, 1);
    match &opened.skipped[0].error {
        VaultError::UntrustedSigner { key, .. } => assert_eq!(*key, other.public().to_string()),
        e => panic!("{e}"),
    }
    // Nothing trusted at all: nothing opens, and the reason is said as itself.
    let none = Vault::new(&s.dir)
        .trust(Vec::new())
        .open_newest(&s.id)
        .unwrap_err();
    assert!(none.is_untrusted(), "{none}");
}

#[test]
fn replayed_older_generation_is_not_taken_as_newest() {
    let s = setup();
    let v = staging(&s);
    let first = v
        .stage(
            &tiny_site(),
            "IT",
            &[s.id.recipient()],
            at("2026-12-01T10:00:00Z"),
        )
        .unwrap();
    let second = v
        .stage(
            &tiny_site(),
            "IT",
            &[s.id.recipient()],
            at("2026-12-01T14:00:00Z"),
        )
        .unwrap();
    // Generation 1, signed, copied in with its signature as generation 3.
    let replay = s.dir.join("snapshots/gen-00000003-20261201T1500Z.llsnap");
    std::fs::copy(&first.path, &replay).unwrap();
    std::fs::copy(signature_path(&first.path), signature_path(&replay)).unwrap();
    let opened = ward_pc(&s).open_newest(&s.id).unwrap();
    assert_eq!(opened.header.generation, 2, "the replay is not the newest");
    assert_eq!(opened.skipped[0].generation, 3);
    // Generation 2's signature moved onto generation 1's bytes: the bytes are not the ones signed.
    std::fs::remove_file(&replay).unwrap();
    std::fs::remove_file(signature_path(&replay)).unwrap();
    std::fs::copy(signature_path(&second.path), signature_path(&first.path)).unwrap();
    let checks = ward_pc(&s).verify(None).unwrap();
    assert!(checks[0].result.is_ok());
    match &checks[1].result {
        Err(VaultError::BadSignature { detail, .. }) => assert!(detail.contains("generation 2"), "{detail}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn pruned_generations_take_their_signatures_with_them() {
    let s = setup();
    let v = staging(&s).keep(2);
    for h in 10..14 {
        v.stage(
            &tiny_site(),
            "IT",
            &[s.id.recipient()],
            at(&format!("2026-12-01T{h}:00:00Z")),
        )
        .unwrap();
    }
    let names: Vec<String> = std::fs::read_dir(s.dir.join("snapshots"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 4, "two generations and their signatures: {names:?}");
    assert!(
        names
            .iter()
            .all(|n| n.starts_with("gen-00000003") || n.starts_with("gen-00000004")),
        "{names:?}"
    );
}

#[test]
fn a_planted_file_neither_holds_back_nor_numbers_the_real_generations() {
    let s = setup();
    let big = lamplight_demo::site(&lamplight_demo::DemoOptions {
        beds: 28,
        seed: 3,
        at: at("2026-12-01T09:00:00Z"),
    });
    // A planted, unsigned generation claiming a full ward, after which IT's one-patient ward would
    // look "shrunk" and be held back.
    Vault::new(&s.dir)
        .stage(&big, "planted", &[s.id.recipient()], at("2026-12-01T09:00:00Z"))
        .unwrap();
    let staged = staging(&s)
        .stage(
            &tiny_site(),
            "IT",
            &[s.id.recipient()],
            at("2026-12-01T10:00:00Z"),
        )
        .unwrap();
    assert_eq!(
        staged.header.generation, 2,
        "compared with what IT's key signed (nothing yet)"
    );
    // A planted file with the last generation number: staging says so, never panics or wraps.
    let last = s
        .dir
        .join(format!("snapshots/gen-{}-20261201T1100Z.llsnap", u64::MAX));
    std::fs::copy(&staged.path, &last).unwrap();
    let e = staging(&s)
        .stage(
            &tiny_site(),
            "IT",
            &[s.id.recipient()],
            at("2026-12-01T11:00:00Z"),
        )
        .unwrap_err();
    assert!(matches!(e, VaultError::NotASnapshot { .. }), "{e}");
    assert!(e.to_string().contains(&u64::MAX.to_string()), "{e}");
}
