//! Staging, inspecting, verifying and watching a vault as IT does: the real binary, real keys,
//! real files. Issue 3's acceptance lives here.

#![allow(clippy::unwrap_used)] // test code: a panic with its location is the clearest failure

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use serde_json::Value;

struct Scene {
    dir: tempfile::TempDir,
    recipient: String,
}

impl Scene {
    /// A demo site bundle (84 beds, three wards) and a ward key.
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let s = Self {
            dir,
            recipient: String::new(),
        };
        let o = s.run(&[
            "demo",
            "--beds",
            "84",
            "--seed",
            "4",
            "--at",
            "2026-11-04T03:00:00Z",
            "--out",
            &s.path("site.json"),
        ]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let o = s.run(&["keygen", "--out", &s.path("ward.key")]);
        assert!(o.status.success());
        let recipient = String::from_utf8(o.stdout).unwrap().trim().to_owned();
        Self { recipient, ..s }
    }

    fn path(&self, name: &str) -> String {
        self.dir.path().join(name).to_string_lossy().into_owned()
    }

    fn run(&self, args: &[&str]) -> Output {
        // Every run gets the scene's own temp folder, so nothing leaks into (or is read from) the machine's.
        let tmp = self.dir.path().join("tmp");
        std::fs::create_dir_all(&tmp).unwrap();
        self.run_with_tmp(args, &tmp)
    }

    fn run_with_tmp(&self, args: &[&str], tmp: &Path) -> Output {
        assert!(self.dir.path().exists());
        Command::new(env!("CARGO_BIN_EXE_lamplight"))
            .args(args)
            .env("TMPDIR", tmp)
            .output()
            .unwrap()
    }

    fn stage(&self, extra: &[&str]) -> Output {
        let (site, vault) = (self.path("site.json"), self.path("vault"));
        let mut args = vec![
            "stage",
            "--from",
            &site,
            "--recipient",
            &self.recipient,
            "--vault",
            &vault,
        ];
        args.extend_from_slice(extra);
        self.run(&args)
    }

    fn bundle(&self) -> Value {
        serde_json::from_str(&std::fs::read_to_string(self.path("site.json")).unwrap()).unwrap()
    }
}

/// Stops a background `lamplight watch` however the test ends.
struct Kill(std::process::Child);

impl Drop for Kill {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn code(o: &Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(files_under(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// Names (four letters or more) and NHS numbers of every patient in a bundle, as plain bytes.
fn patient_needles(bundle: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for e in bundle["entry"].as_array().unwrap() {
        let r = &e["resource"];
        if r["resourceType"] != "Patient" {
            continue;
        }
        for n in r["name"].as_array().into_iter().flatten() {
            out.extend(n["family"].as_str().map(str::to_owned));
            out.extend(
                n["given"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|g| g.as_str().map(str::to_owned)),
            );
        }
        for id in r["identifier"].as_array().into_iter().flatten() {
            if id["system"] == "https://fhir.nhs.uk/Id/nhs-number" {
                let digits = id["value"].as_str().unwrap().to_owned();
                out.push(format!("{} {} {}", &digits[..3], &digits[3..6], &digits[6..]));
                out.push(digits);
            }
        }
    }
    out.retain(|n| n.len() >= 4);
    out
}

#[test]
fn staging_leaves_no_patient_name_or_nhs_number_readable_in_the_vault_or_the_temp_directory() {
    let scene = Scene::new();
    let tmp = tempfile::tempdir().unwrap();
    let (site, vault) = (scene.path("site.json"), scene.path("vault"));
    let o = scene.run_with_tmp(
        &[
            "stage",
            "--from",
            &site,
            "--recipient",
            &scene.recipient,
            "--vault",
            &vault,
        ],
        tmp.path(),
    );
    assert!(o.status.success(), "{}", stderr(&o));

    let needles = patient_needles(&scene.bundle());
    assert!(needles.len() > 100, "the search needs real patients to look for");
    let mut files = files_under(Path::new(&vault));
    files.extend(files_under(tmp.path()));
    assert!(files.iter().any(|f| f.extension().is_some_and(|e| e == "llsnap")));
    for f in files {
        let bytes = std::fs::read(&f).unwrap();
        for n in &needles {
            assert!(
                !bytes.windows(n.len()).any(|w| w == n.as_bytes()),
                "{} holds {n:?} in plain text: no patient data may rest unencrypted",
                f.display()
            );
        }
    }
}

#[test]
fn inspect_json_counts_equal_what_the_staged_bundle_holds() {
    let scene = Scene::new();
    assert!(scene.stage(&[]).status.success());
    let o = scene.run(&[
        "inspect",
        "--vault",
        &scene.path("vault"),
        "--identity",
        &scene.path("ward.key"),
        "--json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let report: Value = serde_json::from_slice(&o.stdout).unwrap();
    let counts = &report["newest_good"]["counts"];

    // Count straight from the bundle's JSON, independently of the importer.
    let bundle = scene.bundle();
    let resources: Vec<&Value> = bundle["entry"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["resource"])
        .collect();
    let of = |t: &str| resources.iter().filter(|r| r["resourceType"] == t).count();
    let beds = resources
        .iter()
        .filter(|r| r["resourceType"] == "Location" && r["physicalType"]["coding"][0]["code"] == "bd")
        .count();
    let vital_sets: HashSet<(String, String)> = resources
        .iter()
        .filter(|r| r["resourceType"] == "Observation")
        .map(|r| {
            (
                r["subject"]["reference"].to_string(),
                r["effectiveDateTime"].to_string(),
            )
        })
        .collect();
    for (key, expected) in [
        ("patients", of("Patient")),
        ("beds", beds),
        ("medication_orders", of("MedicationRequest")),
        ("administrations", of("MedicationAdministration")),
        ("pending_tests", of("ServiceRequest")),
        ("observations", vital_sets.len()),
        ("allergies", of("AllergyIntolerance")),
        ("alerts", of("Flag")),
    ] {
        assert_eq!(
            usize::try_from(counts[key].as_u64().unwrap()).unwrap(),
            expected,
            "inspect's {key} must equal the bundle's"
        );
        assert!(expected > 0, "{key}: the demo site must hold some");
    }
    assert_eq!(report["newest_good"]["wards"].as_array().unwrap().len(), 3);
    assert_eq!(report["fell_back"], false);
}

#[test]
fn a_flipped_byte_in_the_newest_generation_makes_inspect_use_the_previous_one_and_say_so() {
    let scene = Scene::new();
    assert!(scene.stage(&[]).status.success());
    let o = scene.stage(&[]);
    assert!(o.status.success());
    let newest = String::from_utf8(o.stdout).unwrap().trim().to_owned();
    let mut bytes = std::fs::read(&newest).unwrap();
    let i = bytes.len() / 2;
    bytes[i] ^= 0x04;
    std::fs::write(&newest, bytes).unwrap();

    let o = scene.run(&[
        "inspect",
        "--vault",
        &scene.path("vault"),
        "--identity",
        &scene.path("ward.key"),
        "--json",
    ]);
    assert!(
        o.status.success(),
        "an older good generation is still usable: {}",
        stderr(&o)
    );
    let report: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(report["newest_good"]["generation"], 1);
    assert_eq!(report["fell_back"], true);
    assert!(
        stderr(&o).contains("generation 2 skipped"),
        "the fallback must be said: {}",
        stderr(&o)
    );
    assert_eq!(report["generations"][0]["state"], "corrupt");

    let o = scene.run(&["verify", "--vault", &scene.path("vault")]);
    assert_eq!(
        code(&o),
        4,
        "verify must fail when the newest generation is damaged: {}",
        stderr(&o)
    );
}

#[test]
fn each_kind_of_bad_input_gets_its_own_exit_code_and_one_line_and_nothing_good_is_overwritten() {
    let scene = Scene::new();
    assert!(scene.stage(&[]).status.success());
    let vault = scene.path("vault");
    let snapshots = Path::new(&vault).join("snapshots");
    let generations = || std::fs::read_dir(&snapshots).unwrap().count();

    // A malformed bundle: 10, and no new generation.
    std::fs::write(scene.path("bad.json"), r#"{"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"Patient","id":"p1","birthDate":"yesterday"}}]}"#).unwrap();
    let o = scene.run(&[
        "stage",
        "--from",
        &scene.path("bad.json"),
        "--recipient",
        &scene.recipient,
        "--vault",
        &vault,
    ]);
    assert_eq!(code(&o), 10, "{}", stderr(&o));
    assert_eq!(stderr(&o).lines().count(), 1, "one line: {}", stderr(&o));
    assert!(
        stderr(&o).contains("Patient/p1"),
        "the error names the resource: {}",
        stderr(&o)
    );
    assert_eq!(generations(), 1);

    // No recipients: 7.
    let o = scene.run(&["stage", "--from", &scene.path("site.json"), "--vault", &vault]);
    assert_eq!(code(&o), 7, "{}", stderr(&o));
    // Another PC's key: 3.
    assert!(
        scene
            .run(&["keygen", "--out", &scene.path("other.key")])
            .status
            .success()
    );
    let o = scene.run(&[
        "inspect",
        "--vault",
        &vault,
        "--identity",
        &scene.path("other.key"),
    ]);
    assert_eq!(code(&o), 3, "{}", stderr(&o));
    // An empty vault: 9.
    let o = scene.run(&[
        "inspect",
        "--vault",
        &scene.path("empty"),
        "--identity",
        &scene.path("ward.key"),
    ]);
    assert_eq!(code(&o), 9, "{}", stderr(&o));
    // Not a snapshot at all, and a newer format, as the newest generation: 5 and 6 from verify.
    let fake = snapshots.join("gen-00000009-20261104T0400Z.llsnap");
    std::fs::write(&fake, "a ward list, not a snapshot\n").unwrap();
    assert_eq!(code(&scene.run(&["verify", "--vault", &vault])), 5);
    std::fs::write(&fake, "lamplight-snapshot/7\n{}\n").unwrap();
    let o = scene.run(&["verify", "--vault", &vault]);
    assert_eq!(code(&o), 6, "{}", stderr(&o));
    assert!(stderr(&o).contains("newer Lamplight"));
    // A truncated newest generation: 4; inspect still opens the good one underneath.
    let good = std::fs::read(
        snapshots.join(
            std::fs::read_dir(&snapshots)
                .unwrap()
                .flatten()
                .map(|e| e.file_name())
                .find(|n| n.to_string_lossy().starts_with("gen-00000001"))
                .unwrap(),
        ),
    )
    .unwrap();
    std::fs::write(&fake, &good[..good.len() / 2]).unwrap();
    assert_eq!(code(&scene.run(&["verify", "--vault", &vault])), 4);
    let o = scene.run(&[
        "inspect",
        "--vault",
        &vault,
        "--identity",
        &scene.path("ward.key"),
        "--json",
    ]);
    assert!(o.status.success());
    let report: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(report["newest_good"]["generation"], 1);
}

#[test]
fn a_passphrase_protected_identity_opens_the_vault_only_with_its_passphrase() {
    let scene = Scene::new();
    std::fs::write(scene.path("pass.txt"), "ward seven night shift\n").unwrap();
    std::fs::write(scene.path("wrong.txt"), "guess\n").unwrap();
    let o = scene.run(&[
        "keygen",
        "--out",
        &scene.path("wrapped.key"),
        "--passphrase-file",
        &scene.path("pass.txt"),
        "--work-factor",
        "10",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let recipient = String::from_utf8(o.stdout).unwrap().trim().to_owned();
    let (site, vault) = (scene.path("site.json"), scene.path("vault"));
    assert!(
        scene
            .run(&[
                "stage",
                "--from",
                &site,
                "--recipient",
                &recipient,
                "--vault",
                &vault
            ])
            .status
            .success()
    );
    let key = scene.path("wrapped.key");
    let base = ["inspect", "--vault", vault.as_str(), "--identity", key.as_str()];
    assert_eq!(code(&scene.run(&base)), 3, "no passphrase given");
    let wrong = scene.path("wrong.txt");
    assert_eq!(
        code(&scene.run(&[&base[..], &["--passphrase-file", &wrong]].concat())),
        3
    );
    let right = scene.path("pass.txt");
    assert!(
        scene
            .run(&[&base[..], &["--passphrase-file", &right]].concat())
            .status
            .success()
    );
}

/// Takes a test's identities out of this user's key store however the test ends.
struct KeyStoreNames(Vec<String>);

impl Drop for KeyStoreNames {
    fn drop(&mut self) {
        for name in &self.0 {
            let _ = lamplight_vault::keystore::remove(name);
        }
    }
}

#[test]
fn a_ward_identity_in_the_linux_key_store_opens_the_vault_from_another_process_and_leaves_no_key_file() {
    let scene = Scene::new();
    let unique = uuid::Uuid::new_v4().simple().to_string();
    let (made, imported) = (format!("test-made-{unique}"), format!("test-imported-{unique}"));
    let _cleanup = KeyStoreNames(vec![made.clone(), imported.clone()]);

    // keygen straight into the key store: no key file is written anywhere.
    let before = files_under(scene.dir.path());
    let o = scene.run(&["keygen", "--out", &format!("keystore:{made}")]);
    assert!(o.status.success(), "keygen into the key store: {}", stderr(&o));
    let recipient = String::from_utf8(o.stdout).unwrap().trim().to_owned();
    assert!(recipient.starts_with("age1"), "{recipient}");
    assert_eq!(files_under(scene.dir.path()), before, "no key file was written");

    // Staged for it, then opened by other processes with --identity keystore:NAME.
    let (site, vault) = (scene.path("site.json"), scene.path("vault"));
    let o = scene.run(&[
        "stage",
        "--from",
        &site,
        "--recipient",
        &recipient,
        "--vault",
        &vault,
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let key = format!("keystore:{made}");
    let o = scene.run(&["inspect", "--vault", &vault, "--identity", &key, "--json"]);
    assert!(
        o.status.success(),
        "inspect with the key-store identity: {}",
        stderr(&o)
    );
    let shown = scene.run(&["keystore", "show", &made]);
    assert_eq!(String::from_utf8_lossy(&shown.stdout).trim(), recipient);

    // An existing key file imported: the same recipient, and the vault opens with it.
    let o = scene.run(&[
        "keystore",
        "import",
        &imported,
        "--identity",
        &scene.path("ward.key"),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(String::from_utf8_lossy(&o.stdout).trim(), scene.recipient);
    let o = scene.run(&[
        "keystore",
        "import",
        &imported,
        "--identity",
        &scene.path("ward.key"),
    ]);
    assert_eq!(code(&o), 1, "never replaced without --replace: {}", stderr(&o));
    assert!(stderr(&o).contains("refusing to overwrite"), "{}", stderr(&o));

    // Removed (a PC retired): the next start says what is missing and how to put it back.
    let o = scene.run(&["keystore", "remove", &made]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = scene.run(&["inspect", "--vault", &vault, "--identity", &key]);
    assert_eq!(code(&o), 3, "a missing identity is a key problem: {}", stderr(&o));
    assert!(stderr(&o).contains("lamplight keystore import"), "{}", stderr(&o));
    let o = scene.run(&["keygen", "--signing", "--out", &format!("keystore:{made}")]);
    assert_ne!(
        code(&o),
        0,
        "IT's signing key is not put in a ward PC's key store"
    );
}

#[test]
fn watch_once_stages_complete_bundles_and_seals_processed_and_failed_files_aside() {
    let scene = Scene::new();
    let drop = scene.dir.path().join("drop");
    std::fs::create_dir(&drop).unwrap();
    std::fs::copy(scene.path("site.json"), drop.join("site.json")).unwrap();
    std::fs::write(drop.join("broken.json"), r#"{"resourceType":"Patient"}"#).unwrap();
    std::fs::write(drop.join("notes.txt"), "not a bundle").unwrap();
    let vault = scene.path("vault");
    let o = scene.run(&[
        "watch",
        "--drop",
        drop.to_str().unwrap(),
        "--vault",
        &vault,
        "--recipient",
        &scene.recipient,
        "--once",
        "--json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let lines: Vec<Value> = String::from_utf8(o.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(
        lines
            .iter()
            .any(|l| l["file"] == "site.json" && l["staged"] == true)
    );
    assert!(
        lines
            .iter()
            .any(|l| l["file"] == "broken.json" && l["staged"] == false)
    );

    assert!(
        !drop.join("site.json").exists() && !drop.join("broken.json").exists(),
        "plain bundles must not stay in the drop folder"
    );
    assert!(
        drop.join("notes.txt").exists(),
        "files that are not bundles are left alone"
    );
    let processed = files_under(&drop.join("processed"));
    assert_eq!(processed.len(), 1);
    assert!(
        std::fs::read(&processed[0])
            .unwrap()
            .starts_with(b"age-encryption.org/v1"),
        "processed files are sealed"
    );
    let failed = files_under(&drop.join("failed"));
    assert!(failed.iter().any(|f| f.to_string_lossy().ends_with(".error.txt")));
    assert_eq!(
        std::fs::read_dir(Path::new(&vault).join("snapshots"))
            .unwrap()
            .count(),
        1
    );
}

#[test]
fn watch_waits_for_a_half_written_bundle_then_stages_it_and_keeps_watching() {
    let scene = Scene::new();
    let drop = scene.dir.path().join("drop");
    std::fs::create_dir(&drop).unwrap();
    let vault = scene.path("vault");
    let child = Command::new(env!("CARGO_BIN_EXE_lamplight"))
        .args([
            "watch",
            "--drop",
            drop.to_str().unwrap(),
            "--vault",
            &vault,
            "--recipient",
            &scene.recipient,
            "--json",
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let bundle = std::fs::read(scene.path("site.json")).unwrap();
    std::thread::sleep(Duration::from_millis(500));
    // The engine writes half, pauses past the debounce, then finishes.
    std::fs::write(drop.join("ward.json"), &bundle[..bundle.len() / 2]).unwrap();
    std::thread::sleep(Duration::from_millis(2500));
    assert!(
        !drop.join("failed").exists(),
        "a half-written file must wait, not fail"
    );
    let snapshots = Path::new(&vault).join("snapshots");
    let count = || std::fs::read_dir(&snapshots).map_or(0, Iterator::count);
    assert_eq!(count(), 0, "nothing may be staged from half a bundle");
    {
        use std::io::Write as _;
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(drop.join("ward.json"))
            .unwrap();
        f.write_all(&bundle[bundle.len() / 2..]).unwrap();
    }
    let _guard = Kill(child);
    let wait_for = |generations: usize, file: &str| {
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if count() >= generations && !drop.join(file).exists() {
                return true;
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        false
    };
    assert!(
        wait_for(1, "ward.json"),
        "the completed bundle must be staged while watching"
    );
    assert!(!drop.join("failed").exists());
    // And it keeps watching: a second drop becomes generation 2.
    std::fs::write(drop.join("later.json"), &bundle).unwrap();
    assert!(
        wait_for(2, "later.json"),
        "the watcher must keep going after its first bundle"
    );
    assert_eq!(files_under(&drop.join("processed")).len(), 2);
}

/// Stages `bundle` (a file in the scene) into the scene's vault, with `extra` arguments.
fn stage_file(scene: &Scene, bundle: &str, extra: &[&str]) -> Output {
    let (from, vault) = (scene.path(bundle), scene.path("vault"));
    let mut args = vec![
        "stage",
        "--from",
        &from,
        "--recipient",
        &scene.recipient,
        "--vault",
        &vault,
    ];
    args.extend_from_slice(extra);
    scene.run(&args)
}

fn newest_good(scene: &Scene) -> Value {
    let o = scene.run(&[
        "inspect",
        "--vault",
        &scene.path("vault"),
        "--identity",
        &scene.path("ward.key"),
        "--json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    serde_json::from_slice::<Value>(&o.stdout).unwrap()["newest_good"].clone()
}

#[test]
fn a_bundle_with_no_patients_is_held_back_with_exit_12_and_inspect_still_shows_the_old_generation() {
    let scene = Scene::new();
    assert!(scene.stage(&[]).status.success());
    let before = newest_good(&scene);
    // The same site's wards and beds, but nobody on them: what a failed extract looks like.
    let mut empty = scene.bundle();
    empty["entry"].as_array_mut().unwrap().retain(|e| {
        matches!(
            e["resource"]["resourceType"].as_str(),
            Some("Organization" | "Location")
        )
    });
    std::fs::write(scene.path("empty.json"), empty.to_string()).unwrap();
    let o = stage_file(&scene, "empty.json", &[]);
    assert_eq!(
        code(&o),
        12,
        "held back has its own documented exit code: {}",
        stderr(&o)
    );
    assert_eq!(stderr(&o).lines().count(), 1, "one line: {}", stderr(&o));
    assert!(
        stderr(&o).contains("no inpatients") && stderr(&o).contains("--accept-shrink"),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        newest_good(&scene)["generation"],
        before["generation"],
        "the previous generation stays the newest good one"
    );
    assert!(
        String::from_utf8_lossy(&scene.run(&["--help"]).stdout).contains("12 held back"),
        "the exit code is documented in --help"
    );

    let o = stage_file(&scene, "empty.json", &["--accept-shrink"]);
    assert!(
        o.status.success(),
        "a ward that really closed can be staged: {}",
        stderr(&o)
    );
    assert_eq!(newest_good(&scene)["counts"]["admissions"], 0);
}

#[test]
fn a_resource_twice_and_bytes_that_are_not_utf8_are_bad_input_not_a_damaged_snapshot() {
    let scene = Scene::new();
    let mut twice = scene.bundle();
    let entries = twice["entry"].as_array_mut().unwrap();
    let patient = entries
        .iter()
        .find(|e| e["resource"]["resourceType"] == "Patient")
        .unwrap()
        .clone();
    let id = patient["resource"]["id"].as_str().unwrap().to_owned();
    entries.push(patient);
    std::fs::write(scene.path("twice.json"), twice.to_string()).unwrap();
    let o = stage_file(&scene, "twice.json", &[]);
    assert_eq!(
        code(&o),
        10,
        "a bundle holding a resource twice is the input's fault: {}",
        stderr(&o)
    );
    assert!(
        stderr(&o).contains(&format!("Patient/{id}")),
        "names the resource: {}",
        stderr(&o)
    );

    let text = std::fs::read(scene.path("site.json")).unwrap();
    let mut latin1 = text.clone();
    let at = latin1.iter().position(|b| *b == b'"').unwrap() + 1;
    latin1.insert(at, 0xE9); // é in Latin-1: a byte that starts no UTF-8 character here
    std::fs::write(scene.path("latin1.json"), &latin1).unwrap();
    let o = stage_file(&scene, "latin1.json", &[]);
    assert_eq!(code(&o), 10, "{}", stderr(&o));
    assert!(
        stderr(&o).contains(&format!("byte {at}")) && stderr(&o).contains("UTF-8"),
        "says where: {}",
        stderr(&o)
    );
    assert!(
        !Path::new(&scene.path("vault")).join("snapshots").exists()
            || files_under(Path::new(&scene.path("vault")).join("snapshots").as_path()).is_empty()
    );
}

#[test]
fn a_bundle_with_no_timestamp_is_inspected_as_of_unknown_age_never_1970() {
    let scene = Scene::new();
    let mut bundle = scene.bundle();
    let b = bundle.as_object_mut().unwrap();
    b.remove("timestamp");
    b.remove("meta");
    std::fs::write(scene.path("undated.json"), bundle.to_string()).unwrap();
    let o = stage_file(&scene, "undated.json", &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let newest = newest_good(&scene);
    assert_eq!(newest["extracted_at"], Value::Null, "{newest}");
    assert_eq!(newest["age_minutes"], Value::Null);
    assert_eq!(newest["age_text"], "age unknown");
    let o = scene.run(&[
        "inspect",
        "--vault",
        &scene.path("vault"),
        "--identity",
        &scene.path("ward.key"),
    ]);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("age unknown") && !text.contains("1970"), "{text}");
}

/// Issue 12: IT signs what it stages; `inspect`, `verify` and `print` given `--trust` refuse an
/// unsigned generation (sealed to the right recipient) with the reason and exit 14, and say who
/// signed the one they use.
#[test]
fn inspect_with_trust_refuses_a_snapshot_the_staging_key_did_not_sign() {
    let s = Scene::new();
    let o = s.run(&["keygen", "--signing", "--out", &s.path("staging.key")]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let public = String::from_utf8(o.stdout).unwrap().trim().to_owned();
    assert!(public.starts_with("lamplight-sign-1:"), "{public}");
    let secret = std::fs::read_to_string(s.path("staging.key")).unwrap();
    assert!(!secret.contains(&s.recipient));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(s.path("staging.key"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "the signing key is the owner's alone");
    }
    let (vault, key) = (s.path("vault"), s.path("ward.key"));
    // Unsigned (anyone with the recipient can do this): refused.
    assert!(s.stage(&[]).status.success());
    let inspect = |trust: &str| s.run(&["inspect", "--vault", &vault, "--identity", &key, "--trust", trust]);
    let o = inspect(&public);
    assert_eq!(
        o.status.code(),
        Some(14),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("not signed by a staging key"), "{err}");
    assert!(err.contains("Tell IT"), "{err}");
    // Signed by IT: shown, and who signed said.
    let o = s.stage(&["--sign-with", &s.path("staging.key")]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = s.run(&[
        "inspect",
        "--vault",
        &vault,
        "--identity",
        &key,
        "--trust",
        &public,
        "--json",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let report: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(report["newest_good"]["generation"], 2);
    assert_eq!(report["generations"][0]["signed_by"], public.as_str());
    assert_eq!(report["generations"][1]["state"], "unsigned");
    // verify needs no key, and checks signatures too.
    let o = s.run(&["verify", "--vault", &vault, "--trust", &public, "--json"]);
    let report: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(report["ready"], true);
    assert_eq!(report["bad"], 1);
    // A PC given the secret key file as its trust is refused: it must hold only the public half.
    let o = inspect(&s.path("staging.key"));
    assert_eq!(o.status.code(), Some(10));
    assert!(String::from_utf8_lossy(&o.stderr).contains("secret staging key"));
    // Another key entirely: nothing trusted is left, and print refuses too.
    let o = s.run(&["keygen", "--signing", "--out", &s.path("other.key")]);
    let other = String::from_utf8(o.stdout).unwrap().trim().to_owned();
    let o = inspect(&other);
    assert_eq!(
        o.status.code(),
        Some(14),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(String::from_utf8_lossy(&o.stderr).contains("does not trust"));
    let o = s.run(&[
        "print",
        "census",
        "--vault",
        &vault,
        "--identity",
        &key,
        "--trust",
        &other,
        "--out",
        &s.path("c.pdf"),
    ]);
    assert!(!o.status.success());
    assert!(
        !Path::new(&s.path("c.pdf")).exists(),
        "nothing printed from an untrusted snapshot"
    );
}

#[test]
fn refresh_with_a_full_pull_interval_beyond_any_clock_is_refused_not_a_panic() {
    let s = Scene::new();
    let vault = s.path("vault");
    let o = s.run(&[
        "refresh",
        "--from",
        "http://127.0.0.1:9/fhir",
        "--ward",
        "WD1",
        "--recipient",
        &s.recipient,
        "--vault",
        &vault,
        "--full-every-mins",
        "9223372036854775807",
        "--pulls",
        "1",
    ]);
    assert_eq!(
        o.status.code(),
        Some(10),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(String::from_utf8_lossy(&o.stderr).contains("--full-every-mins"));
}
