//! The fuzzers' seeds, replayed through the same readers on the ordinary toolchain: what `make test`
//! runs on a machine without the nightly toolchain `cargo fuzz` needs (CI's), so every reader of a
//! file someone else wrote still meets every real and hostile file in `fuzz/corpus/` (and each
//! crash input kept there once fixed) in every run. Each must give an answer or an error, never a
//! panic. The fuzz targets themselves are in `fuzz/fuzz_targets/` (docs/fuzzing.md).

#![allow(clippy::unwrap_used)] // test code: a panic with its location is the clearest failure

use std::ffi::OsString;
use std::os::unix::ffi::OsStringExt as _;
use std::path::{Path, PathBuf};

fn corpus(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fuzz/corpus")
        .join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "{} has seeds", dir.display());
    files
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect()
}

fn key(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fuzz/keys")
        .join(name)
}

/// Each seed, and each of its first 64 prefixes and a few bytes flipped: what a torn or damaged
/// copy of a real file looks like.
fn variants(bytes: &[u8]) -> Vec<Vec<u8>> {
    let mut out = vec![bytes.to_vec()];
    let step = (bytes.len() / 64).max(1);
    out.extend((0..bytes.len()).step_by(step).map(|n| bytes[..n].to_vec()));
    for i in (0..bytes.len()).step_by(step.max(97)) {
        let mut b = bytes.to_vec();
        b[i] ^= 0x5a;
        out.push(b);
    }
    out
}

#[test]
fn every_fhir_seed_imports_or_is_refused_without_a_panic() {
    for (path, bytes) in corpus("fhir_import") {
        for v in variants(&bytes).iter().take(40) {
            let _ = lamplight_fhir::import_bytes(v);
        }
        eprintln!("{}: replayed", path.display());
    }
}

#[test]
fn every_snapshot_seed_checks_and_opens_or_is_refused_without_a_panic() {
    let identity = lamplight_vault::Identity::load(&key("fuzz-identity.key"), None).unwrap();
    for (_, bytes) in corpus("snapshot_reader") {
        for v in variants(&bytes) {
            let path = Path::new("fuzzed.llsnap");
            if let Ok((header, ciphertext)) = lamplight_vault::format::check(path, &v) {
                let _ = lamplight_vault::format::open(path, &header, ciphertext, &identity, |r, len| {
                    lamplight_vault::Database::load(path, r, len)
                });
            }
        }
    }
}

#[test]
fn every_journal_seed_reads_or_is_refused_without_a_panic() {
    let identity = lamplight_vault::Identity::load(&key("fuzz-identity.key"), None).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("WD1-PC1.lljournal");
    let peer = dir.path().join("ward/journals/WD1-PC2");
    std::fs::create_dir_all(&peer).unwrap();
    let record = peer.join(lamplight_vault::journal::ward::record_name(1));
    let now = chrono::DateTime::from_timestamp(1_795_000_000, 0).unwrap();
    for (_, bytes) in corpus("journal_reader") {
        for v in variants(&bytes) {
            std::fs::write(&journal, &v).unwrap();
            let _ = lamplight_vault::journal::check_file(&journal, None, Some(&identity));
            let _ = lamplight_vault::journal::read_file(&journal, None, &identity);
            std::fs::write(&record, &v).unwrap();
            let mut folder = lamplight_vault::WardFolder::new(&dir.path().join("ward"), "WD1-PC9").unwrap();
            let _ = folder.pull_only(&identity, now);
        }
    }
}

#[test]
fn every_signature_seed_is_checked_or_refused_without_a_panic() {
    let trusted = lamplight_vault::TrustedKey::from_arg(key("fuzz-signing.pub").to_str().unwrap()).unwrap();
    let signed = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/corpus/snapshot_reader/demo-4-beds.llsnap"),
    )
    .unwrap();
    let mut good = 0;
    for (_, bytes) in corpus("signature_reader") {
        for v in variants(&bytes) {
            if lamplight_vault::signing::check(Path::new("f.llsnap"), &v, "snapshot", 1, &signed, &trusted)
                .is_ok()
            {
                good += 1;
            }
        }
    }
    assert!(
        good >= 1,
        "the seed signature of the seed snapshot holds: the replay reaches the check"
    );
}

#[test]
fn every_roster_and_configuration_seed_reads_or_is_refused_without_a_panic() {
    for (_, bytes) in corpus("roster_reader") {
        for v in variants(&bytes) {
            let _ = lamplight_station::session::roster::decode_for_fuzzing(&v);
            if let Ok(text) = std::str::from_utf8(&v) {
                let _ = lamplight_station::session::roster::parse_csv(text);
            }
            let mut env = Vec::new();
            let mut args = Vec::new();
            for line in v.strip_suffix(b"\n").unwrap_or(&v).split(|b| *b == b'\n') {
                match line.strip_prefix(b"LAMPLIGHT_").and_then(|l| {
                    let eq = l.iter().position(|b| *b == b'=')?;
                    Some((&line[..10 + eq], &l[eq + 1..]))
                }) {
                    Some((k, val)) => env.push((k.to_vec(), OsString::from_vec(val.to_vec()))),
                    None => args.push(OsString::from_vec(line.to_vec())),
                }
            }
            let _ = lamplight_station::StationConfig::from_env_and_args(
                |k| {
                    env.iter()
                        .rev()
                        .find(|(key, _)| key == k.as_bytes())
                        .map(|(_, v)| v.clone())
                },
                args,
            );
        }
    }
}
