//! The reconciliation story, against the real FHIR server the tests use: a ward staged from the EPR,
//! downtime entries on two PCs sharing a ward folder, the EPR changed meanwhile (an order stopped, a
//! patient moved), `lamplight reconcile` filing what needs no person and listing exactly those
//! conflicts (and the downtime admission to match), a person deciding, and the EPR then holding
//! exactly the expected resources, each with its Provenance. Run again, it files nothing twice.

#![allow(clippy::unwrap_used)] // test code: a panic with its location is the clearest failure

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::{Command, Output};

use chrono::{DateTime, TimeDelta, Utc};
use lamplight_demo::DemoOptions;
use lamplight_fhir::test_server::{FhirServer, namespaced, put_all, resource};
use lamplight_fhir::{Epr, EprConfig, export};
use lamplight_model::entry::EntryKind;
use lamplight_model::reconcile::{Choice, FILING_ID_SYSTEM};
use lamplight_model::{OrderStatus, Role, Schedule, Site};
use lamplight_station::session::{Actor, EmergencySignIn};
use lamplight_station::{Station, StationConfig};
use serde_json::Value;

struct Scene {
    dir: tempfile::TempDir,
    url: String,
}

impl Scene {
    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn s(&self, name: &str) -> String {
        self.path(name).to_string_lossy().into_owned()
    }

    /// The command, run in this scene's folder.
    fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_lamplight"))
            .args(args)
            .current_dir(self.dir.path())
            .output()
            .unwrap()
    }

    fn station(&self, pc: &str) -> Station {
        let config = StationConfig {
            vault: Some(self.path(&format!("vault-{pc}"))),
            identity: Some(self.path("ward.key")),
            pc: pc.to_owned(),
            ward_folder: Some(self.path("ward-folder")),
            ..StationConfig::default()
        };
        let station = Station::launch(&config, Utc::now()).unwrap();
        station.check_vault(Utc::now());
        station
    }

    /// A demo ward (ids under `ns`, its snapshot ten hours old) loaded into the FHIR server at
    /// `url`; each of `pcs` (name, seed) stages it into its own vault and records `count` drill
    /// entries into the shared ward folder.
    fn with_drill_entries(url: &str, ns: &str, seed: u64, pcs: &[(&str, &str)], count: usize) -> (Self, Epr) {
        let site = namespaced(
            &lamplight_demo::site(&DemoOptions {
                beds: 28,
                seed,
                at: Utc::now() - TimeDelta::hours(10),
            }),
            ns,
        );
        let epr = Epr::new(EprConfig::new(url)).unwrap();
        epr.transaction(&export(&site))
            .expect("the demo ward loads into the server");
        let scene = Scene {
            dir: tempfile::tempdir().unwrap(),
            url: url.to_owned(),
        };
        std::fs::create_dir_all(scene.path("ward-folder")).unwrap();
        let (key, folder) = (scene.s("ward.key"), scene.s("ward-folder"));
        let recipient = String::from_utf8(scene.run(&["keygen", "--out", &key]).stdout).unwrap();
        let (code, count) = (site.wards[0].code.clone(), count.to_string());
        for (pc, pc_seed) in pcs {
            let vault = scene.s(&format!("vault-{pc}"));
            for args in [
                vec![
                    "stage",
                    "--from",
                    url,
                    "--ward",
                    &code,
                    "--recipient",
                    recipient.trim(),
                    "--vault",
                    &vault,
                ],
                vec![
                    "demo-entries",
                    "--vault",
                    &vault,
                    "--identity",
                    &key,
                    "--count",
                    &count,
                    "--seed",
                    pc_seed,
                    "--pc",
                    pc,
                    "--ward-folder",
                    &folder,
                ],
            ] {
                let o = scene.run(&args);
                assert!(
                    o.status.success(),
                    "{}: {}",
                    args[0],
                    String::from_utf8_lossy(&o.stderr)
                );
            }
        }
        (scene, epr)
    }

    /// `lamplight reconcile --json` as PC1: its exit code and the JSON it printed.
    fn reconcile(&self, extra: &[&str]) -> (Option<i32>, Value) {
        self.reconcile_as("PC1", extra)
    }

    /// `lamplight reconcile --json` as `pc`: its exit code and the JSON it printed.
    fn reconcile_as(&self, pc: &str, extra: &[&str]) -> (Option<i32>, Value) {
        let (vault, key, folder) = (
            self.s(&format!("vault-{pc}")),
            self.s("ward.key"),
            self.s("ward-folder"),
        );
        let mut args = vec![
            "reconcile",
            "--vault",
            &vault,
            "--identity",
            &key,
            "--pc",
            pc,
            "--ward-folder",
            &folder,
            "--epr",
            &self.url,
            "--json",
        ];
        args.extend_from_slice(extra);
        let o = self.run(&args);
        let json = serde_json::from_slice(&o.stdout).unwrap_or_else(|_| {
            panic!(
                "reconcile printed no JSON: {}",
                String::from_utf8_lossy(&o.stderr)
            )
        });
        (o.status.code(), json)
    }
}

fn nurse(name: &str) -> Actor {
    Actor {
        session_id: format!("test-{name}"),
        account_id: None,
        full_name: name.into(),
        role: Role::Nurse,
        emergency_reason: None,
    }
}

fn outcome<'a>(plan: &'a Value, entry_id: &str) -> &'a Value {
    &plan["plan"]["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["entry_id"] == entry_id)
        .unwrap_or_else(|| panic!("entry {entry_id} is in the plan"))["outcome"]
}

fn needing_a_person(plan: &Value) -> BTreeSet<(String, String)> {
    let mut out = BTreeSet::new();
    for e in plan["plan"]["entries"].as_array().unwrap() {
        if e["outcome"]["outcome"] == "needs_person" {
            for c in e["outcome"]["conflicts"].as_array().unwrap() {
                out.insert((
                    e["entry_id"].as_str().unwrap().to_owned(),
                    c["conflict"].as_str().unwrap().to_owned(),
                ));
            }
        }
    }
    out
}

/// Resources of `rtype` on the server carrying a Lamplight filing identifier.
fn filed(epr: &Epr, rtype: &str, patient: &str) -> Vec<Value> {
    let found = epr
        .search(
            rtype,
            &[
                ("identifier", format!("{FILING_ID_SYSTEM}|")),
                ("subject", format!("Patient/{patient}")),
                ("_count", "500".into()),
            ],
        )
        .unwrap();
    found.resources
}

/// A regular order of `patient`, active, with a due time in the last hours.
fn regular_order(site: &Site, patient: &str) -> String {
    site.orders
        .iter()
        .find(|o| {
            o.patient_id == patient
                && o.status == OrderStatus::Active
                && matches!(o.schedule, Schedule::Regular { .. })
        })
        .map(|o| o.id.clone())
        .unwrap()
}

#[test]
#[allow(clippy::too_many_lines, reason = "one story, read top to bottom")]
fn reconcile_files_what_needs_no_person_lists_exactly_the_conflicts_and_files_nothing_twice() {
    let server = FhirServer::get();
    let at = Utc::now() - TimeDelta::hours(2);
    let site = namespaced(
        &lamplight_demo::site(&DemoOptions {
            beds: 28,
            seed: 31,
            at,
        }),
        "rec-",
    );
    let epr = Epr::new(EprConfig::new(&server.url)).unwrap();
    epr.transaction(&export(&site))
        .expect("the demo ward loads into the server");
    let scene = Scene {
        dir: tempfile::tempdir().unwrap(),
        url: server.url.clone(),
    };
    std::fs::create_dir_all(scene.path("ward-folder")).unwrap();
    let key = scene.s("ward.key");
    let recipient = String::from_utf8(scene.run(&["keygen", "--out", &key]).stdout).unwrap();
    let code = site.wards[0].code.clone();
    for pc in ["PC1", "PC2"] {
        let vault = scene.s(&format!("vault-{pc}"));
        let o = scene.run(&[
            "stage",
            "--from",
            &server.url,
            "--ward",
            &code,
            "--recipient",
            recipient.trim(),
            "--vault",
            &vault,
        ]);
        assert!(
            o.status.success(),
            "stage: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    }

    // Downtime: three patients' entries on two PCs.
    let (pc1, pc2) = (scene.station("PC1"), scene.station("PC2"));
    let patients: Vec<String> = site
        .admissions
        .iter()
        .take(3)
        .map(|a| a.patient_id.clone())
        .collect();
    let (kept, stopped, moved) = (&patients[0], &patients[1], &patients[2]);
    let now = Utc::now();
    let note = |p: &str| EntryKind::Note {
        patient_id: p.into(),
        text: "Comfortable, eating and drinking".into(),
    };
    let dose = |p: &str, order: &str, at: DateTime<Utc>| EntryKind::DoseGiven {
        patient_id: p.into(),
        order_id: order.into(),
        given_at: at,
        dose: "as prescribed".into(),
        given_by: "Sam Jones".into(),
        checked_by: Some("Ruth Adeyemi".into()),
        due_at: None,
    };
    let kept_note = pc1
        .record_as(&nurse("Sam Jones"), note(kept), None, now)
        .unwrap()
        .id;
    let moved_note = pc2
        .record_as(&nurse("Ann Lee"), note(moved), None, now)
        .unwrap()
        .id;
    let stopped_order = regular_order(&site, stopped);
    let admission = pc2
        .record_as(
            &nurse("Ann Lee"),
            EntryKind::Admission {
                patient: lamplight_model::Patient {
                    id: "DT-PC2-0001".into(),
                    nhs_number: None,
                    hospital_number: None,
                    name: lamplight_model::PersonName {
                        family: "Testperson".into(),
                        given: vec!["Alex".into()],
                        prefix: None,
                    },
                    birth_date: None,
                    sex: lamplight_model::Sex::Unknown,
                },
                admission: lamplight_model::Admission {
                    id: "DT-PC2-0001-stay".into(),
                    patient_id: "DT-PC2-0001".into(),
                    ward_id: Some(site.wards[0].id.clone()),
                    bed_id: None,
                    admitted_at: now,
                    consultant: None,
                    specialty: None,
                    expected_discharge: None,
                    reason: Some("Fall".into()),
                },
            },
            None,
            now,
        )
        .unwrap()
        .id;

    // A patient the EPR knows (not an inpatient), admitted under a downtime identifier on PC1, and a
    // note about them: filed against the EPR patient a person matches, never as a new patient.
    put_all(
        &epr,
        vec![serde_json::json!({
            "resourceType": "Patient",
            "id": "rec-known",
            "identifier": [{"system": lamplight_model::nhs_number::NHS_NUMBER_SYSTEM, "value": "9434765919"}],
            "name": [{"family": "Knownperson", "given": ["Robin"]}],
            "birthDate": "1950-03-15",
        })],
    );
    let known = lamplight_model::Patient {
        id: "DT-PC1-0001".into(),
        nhs_number: Some("9434765919".parse().unwrap()),
        hospital_number: None,
        name: lamplight_model::PersonName {
            family: "Knownperson".into(),
            given: vec!["Robin".into()],
            prefix: None,
        },
        birth_date: chrono::NaiveDate::from_ymd_opt(1950, 3, 15),
        sex: lamplight_model::Sex::Female,
    };
    let known_admission = pc1
        .record_as(
            &nurse("Sam Jones"),
            EntryKind::Admission {
                admission: lamplight_model::Admission {
                    id: "DT-PC1-0001-stay".into(),
                    patient_id: known.id.clone(),
                    ward_id: Some(site.wards[0].id.clone()),
                    bed_id: None,
                    admitted_at: now,
                    consultant: None,
                    specialty: None,
                    expected_discharge: None,
                    reason: Some("Chest pain".into()),
                },
                patient: known,
            },
            None,
            now,
        )
        .unwrap()
        .id;
    let known_note = pc1
        .record_as(&nurse("Sam Jones"), note("DT-PC1-0001"), None, now)
        .unwrap()
        .id;

    // Meanwhile on the EPR: one patient's order stopped, another patient moved to another bed.
    let mut order = resource(&site, &format!("MedicationRequest/{stopped_order}"));
    order["status"] = "stopped".into();
    put_all(&epr, vec![order]);
    let moved_stay = site.admissions.iter().find(|a| &a.patient_id == moved).unwrap();
    let free_bed = site.wards[0]
        .beds()
        .map(|(_, b)| b.id.clone())
        .find(|b| !site.admissions.iter().any(|a| a.bed_id.as_deref() == Some(b)))
        .expect("the demo ward has a free bed");
    let mut encounter = resource(&site, &format!("Encounter/{}", moved_stay.id));
    for l in encounter["location"].as_array_mut().unwrap() {
        if l["location"]["reference"]
            .as_str()
            .is_some_and(|r| r.ends_with(moved_stay.bed_id.as_deref().unwrap_or("?")))
        {
            l["location"]["reference"] = format!("Location/{free_bed}").into();
        }
    }
    put_all(&epr, vec![encounter]);
    // A dose of the stopped order recorded after the stop (the PC could not know).
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let late = Utc::now();
    let late_dose = pc1
        .record_as(
            &nurse("Sam Jones"),
            dose(stopped, &stopped_order, late),
            None,
            late,
        )
        .unwrap()
        .id;
    drop((pc1, pc2));

    // Without --allow-drill nothing is a drill here; a dry run files nothing.
    let (code_dry, dry) = scene.reconcile(&["--dry-run"]);
    assert_eq!(code_dry, Some(13), "entries wait for a person: {dry}");
    assert!(
        filed(&epr, "Communication", kept).is_empty(),
        "a dry run files nothing"
    );

    let (code1, first) = scene.reconcile(&[]);
    assert_eq!(code1, Some(13), "{first}");
    let expected: BTreeSet<(String, String)> = [
        (late_dose.clone(), "order_changed".to_owned()),
        (moved_note.clone(), "patient_moved".to_owned()),
        (admission.clone(), "admission_needs_match".to_owned()),
        (known_admission.clone(), "admission_needs_match".to_owned()),
        (known_note.clone(), "patient_not_matched".to_owned()),
    ]
    .into_iter()
    .collect();
    assert_eq!(
        needing_a_person(&first),
        expected,
        "exactly the conflicts made meanwhile"
    );
    assert_eq!(outcome(&first, &kept_note)["outcome"], "ready");
    assert_eq!(
        filed(&epr, "Communication", kept).len(),
        1,
        "the note that needed no person is filed"
    );

    // A person decides: the late dose stands (given before the stop was known), the moved
    // patient's note is theirs, the downtime patient is a new EPR patient.
    let pc1 = scene.station("PC1");
    pc1.emergency_sign_in(
        &EmergencySignIn {
            full_name: "Sam Jones".into(),
            role: Role::Nurse,
            reason: "reconciliation test: no roster on this PC".into(),
        },
        Utc::now(),
    )
    .unwrap();
    let seen = |entry: &str| -> Vec<lamplight_model::reconcile::Conflict> {
        serde_json::from_value(outcome(&first, entry)["conflicts"].clone()).unwrap()
    };
    pc1.decide(&late_dose, Choice::Accept, seen(&late_dose), Utc::now())
        .unwrap();
    pc1.decide(&moved_note, Choice::Accept, seen(&moved_note), Utc::now())
        .unwrap();
    pc1.decide(&admission, Choice::NewPatient, seen(&admission), Utc::now())
        .unwrap();
    let candidates = outcome(&first, &known_admission)["conflicts"][0]["candidates"].clone();
    assert_eq!(
        candidates[0]["epr_patient_id"], "rec-known",
        "the NHS number finds them: {candidates}"
    );
    pc1.decide(
        &known_admission,
        Choice::MatchPatient {
            epr_patient_id: "rec-known".into(),
        },
        seen(&known_admission),
        Utc::now(),
    )
    .unwrap();
    drop(pc1);

    let (code2, second) = scene.reconcile(&[]);
    assert_eq!(code2, Some(0), "everything filed or decided: {second}");
    let admins = filed(&epr, "MedicationAdministration", stopped);
    assert_eq!(admins.len(), 1, "the late dose, once");
    assert_eq!(filed(&epr, "Communication", moved).len(), 1);
    for r in admins.iter().chain(filed(&epr, "Communication", kept).iter()) {
        let reference = format!(
            "{}/{}",
            r["resourceType"].as_str().unwrap(),
            r["id"].as_str().unwrap()
        );
        let provenance = epr
            .search("Provenance", &[("target", reference.clone())])
            .unwrap()
            .resources;
        assert_eq!(provenance.len(), 1, "{reference} has its Provenance");
        let enterer = provenance[0]["agent"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["type"]["coding"][0]["code"] == "enterer");
        assert!(enterer, "the Provenance names who keyed it: {}", provenance[0]);
    }

    // The matched patient's note is on the EPR patient; the only patient Lamplight created is the
    // one a person said was new.
    assert_eq!(
        filed(&epr, "Communication", "rec-known").len(),
        1,
        "filed against the matched patient"
    );
    let created = |admission_entry: &str| {
        let id = lamplight_fhir::backfile::new_patient_filing_id(admission_entry);
        epr.search(
            "Patient",
            &[("identifier", format!("{FILING_ID_SYSTEM}|{}", id.0))],
        )
        .unwrap()
        .resources
        .len()
    };
    assert_eq!(created(&admission), 1, "the patient a person said was new, once");
    assert_eq!(
        created(&known_admission),
        0,
        "never a duplicate of the patient matched"
    );

    // Run again: nothing is filed twice. Its report lists what was filed, and who decided.
    let report = scene.s("report.pdf");
    let (code3, third) = scene.reconcile(&["--report", &report]);
    assert_eq!(code3, Some(0), "{third}");
    assert_eq!(filed(&epr, "MedicationAdministration", stopped).len(), 1);
    assert_eq!(filed(&epr, "Communication", kept).len(), 1);
    assert_eq!(third["counts"]["ready"], 0, "{third}");
    let text = pdf_text(&scene.path("report.pdf"));
    for expected in [
        "Reconciliation report: ",
        "Still open — needs a person Time Patient Entry Outcome, who, why none",
        "Filed Time Patient Entry Outcome, who, why",
        "Printed by lamplight reconcile",
        "TESTPERSON, Alex",
        "Decided by Sam Jones",
        "accepted as recorded",
        "filed as a new EPR patient",
        "matched to EPR patient rec-known",
        "MedicationAdministration/",
    ] {
        assert!(text.contains(expected), "{expected:?} is on the report: {text}");
    }
}

/// The text of a PDF, its whitespace collapsed.
fn pdf_text(path: &std::path::Path) -> String {
    let out = Command::new("pdftotext")
        .args(["-raw", "-enc", "UTF-8"])
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed by packaging/install-deps.sh --test");
    assert!(out.status.success(), "the report is a PDF");
    String::from_utf8(out.stdout)
        .unwrap()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Every filing identifier on the server, per resource type, and how many resources carry it.
fn filing_ids(epr: &Epr, rtype: &str) -> std::collections::BTreeMap<String, usize> {
    let mut out = std::collections::BTreeMap::new();
    let found = epr
        .search(
            rtype,
            &[
                ("identifier", format!("{FILING_ID_SYSTEM}|")),
                ("_count", "1000".into()),
            ],
        )
        .unwrap();
    for r in &found.resources {
        for i in r["identifier"].as_array().into_iter().flatten() {
            if i["system"] == FILING_ID_SYSTEM {
                *out.entry(i["value"].as_str().unwrap().to_owned()).or_insert(0) += 1;
            }
        }
    }
    out
}

#[test]
#[allow(clippy::too_many_lines, reason = "one story, read top to bottom")]
fn reconcile_killed_half_way_or_run_on_two_pcs_at_once_files_every_entry_exactly_once() {
    let server = FhirServer::get();
    let (scene, epr) =
        Scene::with_drill_entries(&server.url, "race-", 37, &[("PC1", "1"), ("PC2", "2")], 120);
    let (key, folder) = (scene.s("ward.key"), scene.s("ward-folder"));
    let reconcile = |pc: &str| {
        let vault = scene.s(&format!("vault-{pc}"));
        Command::new(env!("CARGO_BIN_EXE_lamplight"))
            .args([
                "reconcile",
                "--vault",
                &vault,
                "--identity",
                &key,
                "--pc",
                pc,
                "--ward-folder",
                &folder,
                "--epr",
                &server.url,
                "--allow-drill",
                "--json",
            ])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };

    // Killed half-way (SIGKILL, at a moment when some patients are filed and others not).
    let mut first = reconcile("PC1");
    std::thread::sleep(std::time::Duration::from_millis(1500));
    first.kill().unwrap();
    first.wait().unwrap();
    let filed_by_then = filing_ids(&epr, "MedicationAdministration").len();
    eprintln!("killed after 1.5 s: {filed_by_then} administrations on the server so far");
    // Then both PCs at once.
    let (a, b) = (reconcile("PC1"), reconcile("PC2"));
    let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
    for o in [&a, &b] {
        assert!(
            matches!(o.status.code(), Some(0 | 13)),
            "a run beside another ends cleanly: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
    // And once more, alone: everything that needs no person is filed.
    let last = reconcile("PC1").wait_with_output().unwrap();
    assert!(
        matches!(last.status.code(), Some(0 | 13)),
        "{}",
        String::from_utf8_lossy(&last.stderr)
    );
    // What is left is only what needs a person (the demo's downtime admissions and their entries).
    let (_, plan) = scene.reconcile_as("PC1", &["--dry-run", "--allow-drill"]);
    assert_eq!(
        plan["counts"]["ready"], 0,
        "nothing left unfiled: {}",
        plan["counts"]
    );
    assert!(
        plan["counts"]["filed"].as_u64().unwrap() > 100,
        "most of the 240 entries filed: {}",
        plan["counts"]
    );
    for rtype in [
        "MedicationAdministration",
        "Observation",
        "Communication",
        "Encounter",
    ] {
        let twice: Vec<(String, usize)> = filing_ids(&epr, rtype)
            .into_iter()
            .filter(|(_, n)| *n > 1)
            .collect();
        assert!(twice.is_empty(), "no {rtype} filed twice: {twice:?}");
    }
}

#[test]
fn reconcile_with_the_epr_gone_half_way_says_so_and_the_next_run_files_the_rest_once() {
    // This test's own server, so it can go down and come back.
    let server = FhirServer::start();
    let (scene, epr) = Scene::with_drill_entries(&server.url, "gone-", 41, &[("PC1", "3")], 150);
    let (vault, key, folder) = (scene.s("vault-PC1"), scene.s("ward.key"), scene.s("ward-folder"));
    let mut running = Command::new(env!("CARGO_BIN_EXE_lamplight"))
        .args([
            "reconcile",
            "--vault",
            &vault,
            "--identity",
            &key,
            "--pc",
            "PC1",
            "--ward-folder",
            &folder,
            "--epr",
            &server.url,
            "--allow-drill",
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // The EPR goes away as soon as filing has begun (the first resources are on the server).
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while filing_ids(&epr, "Observation").is_empty() {
        assert!(
            running.try_wait().unwrap().is_none(),
            "reconcile ended before filing anything"
        );
        assert!(
            std::time::Instant::now() < deadline,
            "reconcile filed nothing in 60 s"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    server.stop();
    let o = running.wait_with_output().unwrap();
    let said = String::from_utf8_lossy(&o.stderr);
    // Unless it finished in the last moment, it says the EPR went, with the EPR's exit code.
    if o.status.code() != Some(13) {
        assert_eq!(o.status.code(), Some(11), "{said}");
        assert!(said.contains("running reconcile again carries on"), "{said}");
    }
    server.restart();
    let (code, again) = scene.reconcile_as("PC1", &["--allow-drill"]);
    assert!(matches!(code, Some(0 | 13)), "{again}");
    let (_, after) = scene.reconcile_as("PC1", &["--allow-drill", "--dry-run"]);
    assert_eq!(
        after["counts"]["ready"], 0,
        "nothing left unfiled: {}",
        after["counts"]
    );
    for rtype in ["MedicationAdministration", "Observation", "Communication"] {
        let twice: Vec<(String, usize)> = filing_ids(&epr, rtype)
            .into_iter()
            .filter(|(_, n)| *n > 1)
            .collect();
        assert!(twice.is_empty(), "no {rtype} filed twice: {twice:?}");
    }
}
