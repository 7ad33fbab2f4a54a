//! Journal record format 1 is frozen. `tests/vectors/journal/` holds a three-record journal sealed
//! to the test-only identity beside the snapshot vectors, and `fail_*` journals damaged in every
//! way we know; each must be rejected with its own error. Regenerate (only when deliberately
//! changing the format) with `UPDATE_VECTORS=1 cargo test -p lamplight-vault --test journal_vectors`.

#![allow(clippy::unwrap_used)] // test code: a panic with its location is the clearest failure

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use lamplight_vault::journal::{GENESIS, check_file};
use lamplight_vault::{Identity, Journal, NewRecord, RecordHeader, VaultError};
use sha2::{Digest, Sha256};
use uuid::Uuid;

fn vectors() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/vectors")
}

fn test_identity() -> Identity {
    Identity::load(&vectors().join("test-identity.key"), None).unwrap()
}

fn at(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

fn entry_id(n: u8) -> Uuid {
    Uuid::from_bytes([
        0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x47, 0x77, 0x88, 0x99, 0, 0, 0, 0, 0, n,
    ])
}

/// A fail vector, whether it needs the key to be caught, and the error it must get.
type Case = (&'static str, bool, fn(&VaultError) -> bool);

/// Entry id, what it corrects, author, role, time recorded, payload.
type Expected = (
    Uuid,
    Option<Uuid>,
    &'static str,
    &'static str,
    &'static str,
    &'static [u8],
);

/// What the good vector holds, record by record.
fn expected() -> Vec<Expected> {
    vec![
        (
            entry_id(1),
            None,
            "Test Nurse One",
            "nurse",
            "2026-10-25T00:30:00Z",
            b"{\"kind\":\"given\",\"v\":1}",
        ),
        (
            entry_id(2),
            None,
            "Test Nurse One",
            "nurse",
            "2026-10-25T01:30:00Z",
            b"{\"kind\":\"observations\",\"v\":1}",
        ),
        (
            entry_id(3),
            Some(entry_id(1)),
            "Test Nurse Two",
            "nurse",
            "2026-10-25T01:10:00Z",
            b"{\"kind\":\"correction\",\"v\":1}",
        ),
    ]
}

/// A journal's bytes split into (header, ciphertext) per record, with no help from the crate.
fn split(bytes: &[u8]) -> Vec<(RecordHeader, Vec<u8>)> {
    let mut out = Vec::new();
    let mut rest = bytes;
    while !rest.is_empty() {
        let nl1 = rest.iter().position(|b| *b == b'\n').unwrap();
        let after = &rest[nl1 + 1..];
        let nl2 = after.iter().position(|b| *b == b'\n').unwrap();
        let header: RecordHeader = serde_json::from_slice(&after[..nl2]).unwrap();
        let len = usize::try_from(header.ciphertext_len).unwrap();
        let ct = after[nl2 + 1..nl2 + 1 + len].to_vec();
        rest = &after[nl2 + 1 + len..];
        out.push((header, ct));
    }
    out
}

fn join(records: &[(RecordHeader, Vec<u8>)]) -> Vec<u8> {
    records
        .iter()
        .flat_map(|(h, ct)| [h.to_bytes(), ct.clone()].concat())
        .collect()
}

fn hex(b: &[u8]) -> String {
    lamplight_vault::format::hex(b)
}

/// Rewrites every `previous` so the chain links again (what a careful forger would do).
fn relink(records: &mut [(RecordHeader, Vec<u8>)]) {
    let mut previous = GENESIS.to_vec();
    for (h, ct) in records.iter_mut() {
        h.previous = hex(&previous);
        previous = Sha256::digest([h.to_bytes(), ct.clone()].concat()).to_vec();
    }
}

fn regenerate(dir: &Path) {
    let id = test_identity();
    let seal = |vault: &Path, pc: &str| {
        let (mut j, _) = Journal::open(vault, pc).unwrap();
        for (entry_id, corrects, author, role, time, payload) in expected() {
            j.append(
                &NewRecord {
                    entry_id,
                    corrects,
                    author,
                    role,
                    recorded_at: at(time),
                    payload,
                },
                &[id.recipient()],
            )
            .unwrap();
        }
        std::fs::read(j.path()).unwrap()
    };
    let work = tempfile::tempdir().unwrap();
    let good = seal(&work.path().join("a"), "WD1-PC1");
    let foreign = seal(&work.path().join("b"), "WD1-PC1");
    let records = split(&good);
    let write = |name: &str, bytes: &[u8]| std::fs::write(dir.join(name), bytes).unwrap();
    std::fs::create_dir_all(dir).unwrap();
    write("good_format1.lljournal", &good);

    write("fail_truncated.lljournal", &good[..good.len() - 50]);

    let mut flipped = records.clone();
    let n = flipped[1].1.len() - 20;
    flipped[1].1[n] ^= 0x01;
    write("fail_flipped_byte.lljournal", &join(&flipped));

    let swapped = vec![records[0].clone(), records[2].clone(), records[1].clone()];
    write("fail_swapped_sequence.lljournal", &join(&swapped));

    let mut mixed = records.clone();
    mixed[1] = split(&foreign)[1].clone();
    write("fail_from_another_chain.lljournal", &join(&mixed));

    let mut unlinked = records.clone();
    unlinked[2].0.previous = hex(&[0xab; 32]);
    write("fail_previous_hash_edited.lljournal", &join(&unlinked));

    let mut forged = records.clone();
    let other = Uuid::from_bytes([0xee; 16]);
    for (h, _) in &mut forged {
        h.journal = other;
    }
    relink(&mut forged);
    write("fail_header_edited.lljournal", &join(&forged));

    let newer = String::from_utf8_lossy(&good[..20]).replace("lamplight-record/1", "lamplight-record/2");
    write(
        "fail_newer_format.lljournal",
        &[newer.as_bytes(), &good[20..]].concat(),
    );
    write("fail_not_a_journal.lljournal", b"lamplight-snapshot/1\n{}\n");
}

fn journal_vectors() -> PathBuf {
    let dir = vectors().join("journal");
    if std::env::var_os("UPDATE_VECTORS").is_some() {
        regenerate(&dir);
    }
    dir
}

#[test]
fn the_record_header_is_pinned_byte_for_byte() {
    let header = RecordHeader {
        journal: Uuid::from_bytes([0x0f; 16]),
        pc: "WD1-PC1".to_owned(),
        sequence: 42,
        previous: hex(&[0xa5; 32]),
        ciphertext_len: 321,
        ciphertext_sha256: hex(&[0x5a; 32]),
    };
    let expected = concat!(
        "lamplight-record/1\n",
        r#"{"journal":"0f0f0f0f-0f0f-0f0f-0f0f-0f0f0f0f0f0f","pc":"WD1-PC1","sequence":42,"#,
        r#""previous":"a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5","#,
        r#""ciphertext_len":321,"#,
        r#""ciphertext_sha256":"5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a"}"#,
        "\n"
    );
    assert_eq!(
        String::from_utf8(header.to_bytes()).unwrap(),
        expected,
        "format 1 is frozen: a changed header makes every journal on every ward PC unreadable"
    );
}

#[test]
fn the_good_journal_of_format_1_still_opens_record_for_record() {
    let dir = journal_vectors();
    let path = dir.join("good_format1.lljournal");
    let id = test_identity();
    let check = check_file(&path, Some("WD1-PC1"), Some(&id)).unwrap();
    assert_eq!((check.records, check.torn), (3, None));
    assert_eq!(
        check_file(&path, None, None).unwrap().records,
        3,
        "the chain verifies with no key"
    );

    let vault = tempfile::tempdir().unwrap();
    let jdir = vault.path().join("journal");
    std::fs::create_dir_all(&jdir).unwrap();
    std::fs::copy(&path, jdir.join("WD1-PC1.lljournal")).unwrap();
    let (journal, _) = Journal::open(vault.path(), "WD1-PC1").unwrap();
    let records = journal.records(&id).unwrap();
    assert_eq!(records.len(), 3);
    for (i, (r, (entry_id, corrects, author, role, time, payload))) in
        records.iter().zip(expected()).enumerate()
    {
        assert_eq!(r.sequence, i as u64 + 1);
        assert_eq!(r.pc, "WD1-PC1");
        assert_eq!((r.entry_id, r.corrects), (entry_id, corrects));
        assert_eq!((r.author.as_str(), r.role.as_str()), (author, role));
        assert_eq!(r.recorded_at, at(time));
        assert_eq!(r.payload, payload);
    }
}

#[test]
fn every_fail_vector_is_rejected_with_its_own_error() {
    let dir = journal_vectors();
    let id = test_identity();
    let check = |name: &str, key: bool| {
        let path = dir.join(name);
        check_file(&path, Some("WD1-PC1"), key.then_some(&id)).and_then(|c| c.into_strict(&path))
    };
    let cases: Vec<Case> = vec![
        ("fail_truncated.lljournal", false, |e| {
            matches!(e, VaultError::TornRecord { sequence: 3, .. })
        }),
        ("fail_flipped_byte.lljournal", false, |e| {
            matches!(e, VaultError::RecordCorrupt { sequence: 2, .. })
        }),
        ("fail_swapped_sequence.lljournal", false, |e| {
            matches!(
                e,
                VaultError::ChainGap {
                    expected: 2,
                    found: 3,
                    ..
                }
            )
        }),
        ("fail_from_another_chain.lljournal", false, |e| {
            matches!(e, VaultError::ForeignRecord { sequence: 2, .. })
        }),
        ("fail_previous_hash_edited.lljournal", false, |e| {
            matches!(e, VaultError::ChainBroken { sequence: 3, .. })
        }),
        ("fail_header_edited.lljournal", true, |e| {
            matches!(e, VaultError::RecordHeaderEdited { sequence: 1, .. })
        }),
        ("fail_newer_format.lljournal", false, |e| {
            matches!(e, VaultError::NewerJournalFormat { found: 2, .. })
        }),
        ("fail_not_a_journal.lljournal", false, |e| {
            matches!(e, VaultError::NotAJournal { .. })
        }),
    ];
    let mut seen = Vec::new();
    for (name, key, ok) in &cases {
        let err = check(name, *key).expect_err(name);
        assert!(ok(&err), "{name}: wrong error: {err}");
        assert!(
            err.to_string().contains(name),
            "{name}: the message names the file: {err}"
        );
        if *key {
            // Keyless, this file is a consistent forgery; with the key, a wrong one.
            assert!(check(name, false).is_ok(), "{name}: needs the key by design");
        } else {
            let with_key = check(name, true).expect_err(name);
            assert_eq!(
                with_key.code(),
                err.code(),
                "{name}: the same verdict with the key"
            );
        }
        seen.push(name.to_string());
    }
    let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.starts_with("fail_"))
        .collect();
    on_disk.sort();
    seen.sort();
    assert_eq!(on_disk, seen, "every fail_* vector has a case here");
}
