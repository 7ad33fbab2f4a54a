//! Format 1 is frozen. `tests/vectors/` holds a good snapshot sealed to a test-only identity and
//! `fail_*` files damaged in every way we know; each must be rejected with its own error, with and
//! without the key. Regenerate (only when deliberately changing the format) with
//! `UPDATE_VECTORS=1 cargo test -p lamplight-vault --test vectors`.

#![allow(clippy::unwrap_used)] // test code: a panic with its location is the clearest failure

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::{at, tiny_site};
use lamplight_vault::{Identity, Vault};

fn vectors() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/vectors")
}

/// Name the file gets inside a one-file vault: generation 1.
const SLOT: &str = "gen-00000001-20261104T0305Z.llsnap";

fn regenerate(dir: &Path) {
    let id = Identity::generate();
    let key = dir.join("test-identity.key");
    let _ = std::fs::remove_file(&key);
    id.write_new(
        &key,
        None,
        10,
        "test vectors: NOT a real key, never use it for patient data",
    )
    .unwrap();
    let work = tempfile::tempdir().unwrap();
    let vault = Vault::new(work.path());
    let good = vault
        .stage(
            &tiny_site(),
            "test vectors",
            &[id.recipient()],
            at("2026-11-04T03:05:00Z"),
        )
        .unwrap();
    let good = std::fs::read(good.path).unwrap();
    let other = Vault::new(work.path().join("other"));
    let foreign = other
        .stage(
            &tiny_site(),
            "test vectors",
            &[Identity::generate().recipient()],
            at("2026-11-04T03:05:00Z"),
        )
        .unwrap();
    let second = vault
        .stage(
            &tiny_site(),
            "test vectors",
            &[id.recipient()],
            at("2026-11-04T04:05:00Z"),
        )
        .unwrap();

    let header_end = good
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .nth(1)
        .unwrap()
        .0
        + 1;
    let mut files: BTreeMap<&str, Vec<u8>> = BTreeMap::new();
    files.insert("good_format1.llsnap", good.clone());
    let mut flipped = good.clone();
    let n = flipped.len() - 40;
    flipped[n] ^= 0x20;
    files.insert("fail_flipped_ciphertext_byte.llsnap", flipped);
    let mut flipped_age_header = good.clone();
    flipped_age_header[header_end + 30] ^= 0x01;
    files.insert("fail_flipped_age_header_byte.llsnap", flipped_age_header);
    let text = String::from_utf8_lossy(&good[..header_end])
        .replace("\"source\":\"test vectors\"", "\"source\":\"edited!!!!!!\"");
    let mut edited = text.into_bytes();
    edited.extend_from_slice(&good[header_end..]);
    files.insert("fail_edited_public_header.llsnap", edited);
    files.insert("fail_truncated.llsnap", good[..good.len() - 500].to_vec());
    files.insert(
        "fail_truncated_in_header.llsnap",
        good[..header_end - 20].to_vec(),
    );
    files.insert("fail_empty.llsnap", Vec::new());
    files.insert(
        "fail_not_a_snapshot.llsnap",
        b"ward list, printed 04/11/2026\nbed A1 ...\n".to_vec(),
    );
    files.insert(
        "fail_newer_format.llsnap",
        [b"lamplight-snapshot/2\n".as_slice(), &good[header_end..]].concat(),
    );
    files.insert(
        "fail_sealed_to_another_key.llsnap",
        std::fs::read(foreign.path).unwrap(),
    );
    files.insert(
        "fail_generation_renumbered.llsnap",
        std::fs::read(second.path).unwrap(),
    );
    for (name, bytes) in &files {
        std::fs::write(dir.join(name), bytes).unwrap();
    }
}

/// The error code each vector must give without a key, and with the test identity.
const EXPECTED: &[(&str, &str, &str)] = &[
    ("fail_flipped_ciphertext_byte.llsnap", "corrupt", "corrupt"),
    ("fail_flipped_age_header_byte.llsnap", "corrupt", "corrupt"),
    ("fail_edited_public_header.llsnap", "ok", "tampered"),
    ("fail_truncated.llsnap", "truncated", "truncated"),
    ("fail_truncated_in_header.llsnap", "truncated", "truncated"),
    ("fail_empty.llsnap", "not_a_snapshot", "not_a_snapshot"),
    ("fail_not_a_snapshot.llsnap", "not_a_snapshot", "not_a_snapshot"),
    ("fail_newer_format.llsnap", "newer_format", "newer_format"),
    ("fail_sealed_to_another_key.llsnap", "ok", "wrong_key"),
    ("fail_generation_renumbered.llsnap", "tampered", "tampered"),
];

fn check_in_vault(file: &Path, identity: Option<&Identity>) -> String {
    let work = tempfile::tempdir().unwrap();
    std::fs::create_dir(work.path().join("snapshots")).unwrap();
    std::fs::copy(file, work.path().join("snapshots").join(SLOT)).unwrap();
    let checks = Vault::new(work.path()).verify(identity).unwrap();
    assert_eq!(checks.len(), 1);
    match &checks[0].result {
        Ok(_) => "ok".to_owned(),
        Err(e) => e.code().to_owned(),
    }
}

#[test]
fn every_damaged_snapshot_is_rejected_with_its_own_error_and_the_good_one_still_opens() {
    let dir = vectors();
    if std::env::var_os("UPDATE_VECTORS").is_some() {
        regenerate(&dir);
    }
    let id = Identity::load(&dir.join("test-identity.key"), None).unwrap();

    let good = dir.join("good_format1.llsnap");
    assert_eq!(
        check_in_vault(&good, Some(&id)),
        "ok",
        "a format-1 snapshot must keep opening"
    );
    let work = tempfile::tempdir().unwrap();
    std::fs::create_dir(work.path().join("snapshots")).unwrap();
    std::fs::copy(&good, work.path().join("snapshots").join(SLOT)).unwrap();
    let opened = Vault::new(work.path()).open_newest(&id).unwrap();
    assert_eq!(
        opened.database.site().unwrap(),
        tiny_site(),
        "format 1 must decode to the same site"
    );

    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.starts_with("fail_"))
        .collect();
    names.sort();
    let listed: Vec<&str> = EXPECTED.iter().map(|(n, _, _)| *n).collect();
    assert_eq!(
        names.len(),
        listed.len(),
        "every fail_* vector needs an expected error: {names:?}"
    );
    for (name, without_key, with_key) in EXPECTED {
        let file = dir.join(name);
        assert_eq!(
            &check_in_vault(&file, None),
            without_key,
            "{name} checked without a key"
        );
        assert_eq!(
            &check_in_vault(&file, Some(&id)),
            with_key,
            "{name} opened with the test identity"
        );
    }
}

#[test]
fn the_public_header_of_format_1_is_pinned() {
    let bytes = std::fs::read(vectors().join("good_format1.llsnap")).unwrap();
    let end = bytes
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .nth(1)
        .unwrap()
        .0;
    let text = String::from_utf8_lossy(&bytes[..end]);
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("lamplight-snapshot/1"));
    let header: serde_json::Value = serde_json::from_str(lines.next().unwrap()).unwrap();
    let mut keys: Vec<&str> = header.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "ciphertext_len",
            "ciphertext_sha256",
            "counts",
            "created_at",
            "extracted_at",
            "generation",
            "source",
            "wards"
        ]
    );
    assert!(
        !text.contains("Vectorson"),
        "no patient data in the public header"
    );
}
