//! `lamplight verify` checks the journals it finds in a vault, as it checks generations: with no
//! key the chain, with `--identity` every record opened; a torn tail is said, a broken chain fails.

#![allow(clippy::unwrap_used)] // test code: a panic with its location is the clearest failure

use std::path::Path;
use std::process::{Command, Output};

use lamplight_vault::journal::Uuid;
use lamplight_vault::{Identity, Journal, NewRecord};
use serde_json::Value;

fn lamplight(dir: &Path, args: &[&str]) -> Output {
    let tmp = dir.join("tmp");
    std::fs::create_dir_all(&tmp).unwrap();
    Command::new(env!("CARGO_BIN_EXE_lamplight"))
        .args(args)
        .env("TMPDIR", tmp)
        .output()
        .unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A staged vault with a three-record journal for WD1-PC1; returns the vault and the key file.
fn vault_with_journal(dir: &Path) -> (String, String, Vec<usize>) {
    let s = |p: &str| dir.join(p).to_string_lossy().into_owned();
    let site = s("site.json");
    assert!(
        lamplight(dir, &["demo", "--beds", "28", "--seed", "2", "--out", &site])
            .status
            .success()
    );
    let key = s("ward.key");
    let o = lamplight(dir, &["keygen", "--out", &key]);
    let recipient = String::from_utf8(o.stdout).unwrap().trim().to_owned();
    let vault = s("vault");
    let o = lamplight(
        dir,
        &[
            "stage",
            "--from",
            &site,
            "--recipient",
            &recipient,
            "--vault",
            &vault,
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let id = Identity::load(Path::new(&key), None).unwrap();
    let (mut journal, _) = Journal::open(Path::new(&vault), "WD1-PC1").unwrap();
    let sizes = (0..3u8)
        .map(|i| {
            journal
                .append(
                    &NewRecord {
                        entry_id: Uuid::new_v4(),
                        corrects: None,
                        author: "Test Nurse",
                        role: "nurse",
                        recorded_at: chrono::Utc::now(),
                        payload: &[i; 100],
                    },
                    &[id.recipient()],
                )
                .unwrap()
                .bytes
        })
        .collect();
    (vault, key, sizes)
}

#[test]
fn verify_checks_journals_keyless_and_with_the_key_and_a_broken_chain_exits_4() {
    let dir = tempfile::tempdir().unwrap();
    let (vault, key, sizes) = vault_with_journal(dir.path());

    let o = lamplight(dir.path(), &["verify", "--vault", &vault, "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let report: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(report["journals"][0]["pc"], "WD1-PC1");
    assert_eq!(report["journals"][0]["state"], "good");
    assert_eq!(report["journals"][0]["records"], 3);

    let o = lamplight(dir.path(), &["verify", "--vault", &vault, "--identity", &key]);
    assert!(
        o.status.success(),
        "every record opens with the key: {}",
        stderr(&o)
    );

    let path = Path::new(&vault).join("journal/WD1-PC1.lljournal");
    let bytes = std::fs::read(&path).unwrap();
    std::fs::write(&path, [&bytes[..], &bytes[..sizes[0] / 2]].concat()).unwrap();
    let o = lamplight(dir.path(), &["verify", "--vault", &vault, "--json"]);
    assert!(
        o.status.success(),
        "a torn tail loses nothing acknowledged: it is said, not a failure: {}",
        stderr(&o)
    );
    let report: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(report["journals"][0]["state"], "torn");
    assert_eq!(report["journals"][0]["code"], "torn_record");

    let without_second = [&bytes[..sizes[0]], &bytes[sizes[0] + sizes[1]..]].concat();
    std::fs::write(&path, without_second).unwrap();
    let o = lamplight(dir.path(), &["verify", "--vault", &vault]);
    assert_eq!(
        o.status.code(),
        Some(4),
        "a broken chain is damage: {}",
        stderr(&o)
    );
    assert!(
        stderr(&o).contains("record 2"),
        "the message names the missing record: {}",
        stderr(&o)
    );
}
