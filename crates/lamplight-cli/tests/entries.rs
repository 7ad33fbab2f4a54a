//! `lamplight demo-entries` and `lamplight journal` as IT and tests run them: real binaries, a real
//! staged vault. What is printed as saved is in the journal, even when the process is killed at any
//! moment; the same seed gives the same entries; times keep their order across the clock changes
//! and read unambiguously.

#![allow(clippy::unwrap_used)] // test code: a panic with its location is the clearest failure

use std::collections::BTreeSet;
use std::io::BufRead as _;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeZone, Utc};
use lamplight_model::entry::EntryKind;
use lamplight_model::{ObservationSet, Role};
use lamplight_station::session::Actor;
use lamplight_station::{Station, StationConfig};
use serde_json::Value;

struct Scene {
    dir: tempfile::TempDir,
}

/// Ten hours before now, on the minute, as `lamplight demo --at` takes it.
fn hours_ago() -> String {
    (chrono::Utc::now() - chrono::TimeDelta::hours(10))
        .format("%Y-%m-%dT%H:%M:00Z")
        .to_string()
}

impl Scene {
    /// A 28-bed demo ward staged into `vault`, its key in `ward.key`; `--at` fixes the snapshot,
    /// by default ten hours ago (an outage ten hours old: longer than the night's gap between medicine
    /// rounds, so doses have fallen due since whatever the hour the test runs at).
    fn new(at: Option<&str>) -> Self {
        let scene = Self {
            dir: tempfile::tempdir().unwrap(),
        };
        let site = scene.path("site.json");
        let ago = hours_ago();
        let at = at.unwrap_or(&ago);
        let demo = vec!["demo", "--beds", "28", "--seed", "2", "--out", &site, "--at", at];
        let o = scene.run(&demo);
        assert!(o.status.success(), "{}", stderr(&o));
        let key = scene.path("ward.key");
        let o = scene.run(&["keygen", "--out", &key]);
        assert!(o.status.success(), "{}", stderr(&o));
        let recipient = String::from_utf8(o.stdout).unwrap().trim().to_owned();
        let vault = scene.path("vault");
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
        scene
    }

    fn path(&self, name: &str) -> String {
        self.dir.path().join(name).to_string_lossy().into_owned()
    }

    fn command(&self, args: &[&str]) -> Command {
        let tmp = self.dir.path().join("tmp");
        std::fs::create_dir_all(&tmp).unwrap();
        let mut c = Command::new(env!("CARGO_BIN_EXE_lamplight"));
        c.args(args).env("TMPDIR", tmp);
        c
    }

    fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().unwrap()
    }

    /// `args` on this PC's vault, with its key.
    fn pc(&self, args: &[&str]) -> Output {
        let (vault, key) = (self.path("vault"), self.path("ward.key"));
        let mut all = args.to_vec();
        all.extend_from_slice(&["--vault", &vault, "--identity", &key]);
        self.run(&all)
    }

    fn journal(&self, pc: &str) -> Vec<Value> {
        let o = self.pc(&["journal", "--json", "--pc", pc]);
        assert!(o.status.success(), "{}", stderr(&o));
        serde_json::from_slice::<Value>(&o.stdout)
            .unwrap()
            .as_array()
            .unwrap()
            .clone()
    }

    fn station(&self, pc: &str) -> Station {
        let config = StationConfig {
            vault: Some(self.path("vault").into()),
            identity: Some(self.path("ward.key").into()),
            pc: pc.to_owned(),
            ..StationConfig::default()
        };
        Station::launch(&config, Utc::now()).unwrap()
    }
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn lines(o: &Output) -> Vec<String> {
    String::from_utf8(o.stdout.clone())
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

fn ids(rows: &[Value]) -> Vec<String> {
    rows.iter()
        .map(|r| r["id"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn demo_entries_then_journal_lists_exactly_the_printed_ids_as_drill_entries_with_no_names() {
    let scene = Scene::new(None);
    let o = scene.pc(&["demo-entries", "--count", "40", "--seed", "3", "--pc", "WD7-PC1"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let printed = lines(&o);
    assert_eq!(printed.len(), 40);
    let printed_ids: Vec<String> = printed
        .iter()
        .map(|l| l.split(' ').next().unwrap().to_owned())
        .collect();
    for id in &printed_ids {
        assert!(lamplight_vault::journal::Uuid::parse_str(id).is_ok(), "{id}");
    }
    // Every kind of the mix, and no name in what was printed (the snapshot's own patients).
    let kinds: BTreeSet<&str> = printed.iter().map(|l| l.split(' ').nth(1).unwrap()).collect();
    for k in ["dose-given", "observations", "admission", "transfer", "discharge"] {
        assert!(kinds.contains(k), "no {k} in {printed:#?}");
    }
    let site = scene.station("WD7-PC9").data().site().clone();
    let all = printed.join("\n");
    for p in &site.patients {
        assert!(!all.contains(&p.name.family), "{} printed", p.name.family);
        if let Some(n) = &p.nhs_number {
            assert!(
                !all.contains(&n.digits()) && !all.contains(&n.to_string()),
                "an NHS number printed"
            );
        }
    }

    let rows = scene.journal("WD7-PC1");
    let listed = ids(&rows);
    assert_eq!(
        listed.iter().collect::<BTreeSet<_>>(),
        printed_ids.iter().collect::<BTreeSet<_>>(),
        "the journal holds exactly what was printed"
    );
    assert_eq!(listed, printed_ids, "recorded in order, listed newest last");
    assert!(rows.iter().all(|r| r["drill"] == true && r["pc"] == "WD7-PC1"));
    assert!(rows.iter().all(|r| r["by"] == "Demo Nurse (demo-entries)"));

    let o = scene.pc(&["downtime", "status", "--json"]);
    let status: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(status["mode"], "drill", "the PC was put into a drill first");

    let o = scene.pc(&["journal", "--pc", "WD7-PC1"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = String::from_utf8(o.stdout).unwrap();
    assert_eq!(text.lines().count(), 40);
    assert!(text.lines().all(|l| l.contains("DRILL")), "{text}");
}

#[test]
fn demo_entries_with_the_same_seed_on_the_same_snapshot_give_the_same_kinds_and_beds() {
    let scene = Scene::new(None);
    let shape = |pc: &str, seed: &str| -> Vec<String> {
        let o = scene.pc(&["demo-entries", "--count", "30", "--seed", seed, "--pc", pc]);
        assert!(o.status.success(), "{}", stderr(&o));
        // Without the id and the time: kind, ward, bed and detail.
        lines(&o)
            .iter()
            .map(|l| {
                let words: Vec<&str> = l.split(' ').collect();
                words[1..words.len() - 1].join(" ").replace(pc, "PC")
            })
            .collect()
    };
    // Two PCs with no ward folder each see the snapshot alone, so each starts from the same ward.
    let first = shape("WD7-PC1", "9");
    let second = shape("WD7-PC2", "9");
    assert_eq!(first.len(), 30);
    assert_eq!(first, second, "same seed, same entries");
    assert_ne!(first, shape("WD7-PC3", "10"), "another seed, other entries");
}

#[test]
fn demo_entries_are_refused_on_a_pc_in_real_downtime_and_nothing_is_recorded() {
    let scene = Scene::new(None);
    let o = scene.pc(&[
        "downtime",
        "declare",
        "--by",
        "Test Nurse",
        "--reason",
        "EPR down",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = scene.pc(&["demo-entries", "--count", "5", "--pc", "WD7-PC1"]);
    assert_eq!(o.status.code(), Some(10), "{}", stderr(&o));
    assert!(stderr(&o).contains("drill"), "{}", stderr(&o));
    assert!(o.stdout.is_empty());
    assert!(
        !Path::new(&scene.path("vault/journal/WD7-PC1.lljournal")).exists(),
        "no journal was made"
    );
}

/// SplitMix64, for the test's own seeded choices.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        (z ^ (z >> 31)) % n
    }
}

/// Runs `demo-entries` and SIGKILLs it `extra_ms` after it starts (or after its first entry):
/// the lines it printed whole, each an acknowledged entry.
fn run_and_kill(
    scene: &Scene,
    vault: &str,
    key: &str,
    run: usize,
    wait_for_entries: bool,
    extra_ms: u64,
) -> Vec<String> {
    let run_seed = run.to_string();
    let mut child = scene
        .command(&[
            "demo-entries",
            "--vault",
            vault,
            "--identity",
            key,
            "--count",
            "5000",
            "--seed",
            &run_seed,
            "--pc",
            "WD7-PC1",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let out = child.stdout.take().unwrap();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let reader = {
        let seen = Arc::clone(&seen);
        std::thread::spawn(move || {
            let mut out = std::io::BufReader::new(out);
            let mut line = String::new();
            while out.read_line(&mut line).unwrap_or(0) > 0 {
                // Only whole lines were acknowledged: a cut line was not printed in full.
                if line.ends_with('\n') {
                    seen.lock().unwrap().push(line.trim_end().to_owned());
                }
                line.clear();
            }
        })
    };
    if wait_for_entries {
        let deadline = Instant::now() + Duration::from_secs(60);
        while seen.lock().unwrap().is_empty() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(5));
        }
    }
    std::thread::sleep(Duration::from_millis(extra_ms));
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    reader.join().unwrap();
    seen.lock().unwrap().clone()
}

#[test]
fn crash_demo_entries_killed_lists_every_acknowledged_entry() {
    let scene = Scene::new(None);
    let (vault, key) = (scene.path("vault"), scene.path("ward.key"));
    let mut rng = Rng(20_261_201);
    let started = Instant::now();
    let mut acknowledged: Vec<String> = Vec::new();
    let mut runs_with_entries = 0;
    let kills: usize = 30;
    for run in 0..kills {
        // One run in three is killed at any moment from its start (perhaps before its first entry,
        // the station still opening); the others once entries flow, however loaded the machine, so
        // that most kills land mid-run by construction rather than by timing.
        let seen = run_and_kill(&scene, &vault, &key, run, run % 3 != 0, rng.below(300));
        if !seen.is_empty() {
            runs_with_entries += 1;
        }
        acknowledged.extend(seen.iter().map(|l| l.split(' ').next().unwrap().to_owned()));
    }
    assert!(
        runs_with_entries >= kills / 3,
        "most kills should land mid-run: only {runs_with_entries} of {kills} runs printed an entry"
    );

    let o = scene.pc(&["journal", "--json", "--pc", "WD7-PC1"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let listed: BTreeSet<String> = ids(serde_json::from_slice::<Value>(&o.stdout)
        .unwrap()
        .as_array()
        .unwrap())
    .into_iter()
    .collect();
    let lost: Vec<&String> = acknowledged.iter().filter(|id| !listed.contains(*id)).collect();
    assert!(
        lost.is_empty(),
        "{} acknowledged entries are missing: {lost:?}",
        lost.len()
    );
    let torn = std::fs::read_dir(scene.path("vault/journal"))
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .contains(".torn-")
        })
        .count();
    eprintln!(
        "{kills} kills, {runs_with_entries} mid-run: {} entries acknowledged, {} in the journal, {torn} torn tails set aside, {:?}",
        acknowledged.len(),
        listed.len(),
        started.elapsed()
    );
    // At most one saved-but-not-yet-printed entry per kill.
    assert!(listed.len() <= acknowledged.len() + kills);

    for args in [
        vec!["verify", "--vault", &vault],
        vec!["verify", "--vault", &vault, "--identity", &key],
    ] {
        let o = scene.run(&args);
        assert!(o.status.success(), "verify after {kills} kills: {}", stderr(&o));
    }
    assert!(
        started.elapsed() < Duration::from_secs(90),
        "took {:?}",
        started.elapsed()
    );
}

fn nurse() -> Actor {
    Actor {
        session_id: "test".into(),
        account_id: None,
        full_name: "Test Nurse".into(),
        role: Role::Nurse,
        emergency_reason: None,
    }
}

/// Observations for one patient recorded (and taken) at each instant; returns the patient's id.
fn record_at(scene: &Scene, instants: &[DateTime<Utc>]) -> String {
    let station = scene.station("WD7-PC1");
    let patient = station.data().site().admissions[0].patient_id.clone();
    for (i, at) in instants.iter().enumerate() {
        let mut set = ObservationSet::empty(format!("cc-{i}"), &patient, *at);
        set.pulse = Some(70 + u16::try_from(i).unwrap());
        station
            .record_as(&nurse(), EntryKind::Observations { set }, None, *at)
            .unwrap();
    }
    patient
}

fn utc(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

/// The `HH:MM[ ZONE]` of each `lamplight journal` line, in the order listed.
fn listed_clocks(scene: &Scene) -> Vec<String> {
    let o = scene.pc(&["journal", "--pc", "WD7-PC1"]);
    assert!(o.status.success(), "{}", stderr(&o));
    String::from_utf8(o.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let w: Vec<&str> = l.split(' ').collect();
            if matches!(w[1], "BST" | "GMT") {
                format!("{} {}", w[0], w[1])
            } else {
                w[0].to_owned()
            }
        })
        .collect()
}

#[test]
fn clock_change_entries_across_the_repeated_october_hour_keep_their_order_and_read_unambiguously() {
    let scene = Scene::new(Some("2026-10-24T22:00:00Z"));
    // 25 October 2026: 01:30 BST, then 01:10 GMT and 01:30 GMT (an hour after the first).
    let instants = [
        utc("2026-10-25T00:30:00Z"),
        utc("2026-10-25T01:10:00Z"),
        utc("2026-10-25T01:30:00Z"),
    ];
    let patient = record_at(&scene, &instants);

    let rows = scene.journal("WD7-PC1");
    let recorded: Vec<DateTime<Utc>> = rows
        .iter()
        .map(|r| r["recorded_at"].as_str().unwrap().parse().unwrap())
        .collect();
    assert_eq!(recorded, instants, "listed in the order they happened");
    let times: Vec<&str> = rows.iter().map(|r| r["time"].as_str().unwrap()).collect();
    assert_eq!(
        times,
        [
            "01:30 BST Sun 25/10/2026",
            "01:10 GMT Sun 25/10/2026",
            "01:30 GMT Sun 25/10/2026"
        ]
    );
    assert_eq!(listed_clocks(&scene), ["01:30 BST", "01:10 GMT", "01:30 GMT"]);

    // The station's patient view: newest first, each set unambiguous.
    let station = scene.station("WD7-PC1");
    let view = station.patient(&patient, utc("2026-10-25T02:00:00Z")).unwrap();
    let ours: Vec<&str> = view
        .observations
        .iter()
        .filter(|o| instants.contains(&o.taken_at))
        .map(|o| o.taken_at_text.as_str())
        .collect();
    assert_eq!(ours.len(), 3, "{:?}", view.observations);
    assert!(ours[0].starts_with("01:30 GMT"), "{ours:?}");
    assert!(ours[1].starts_with("01:10 GMT"), "{ours:?}");
    assert!(ours[2].starts_with("01:30 BST"), "{ours:?}");
    let order: Vec<DateTime<Utc>> = station.data().entries().iter().map(|e| e.recorded_at).collect();
    assert_eq!(order, instants);
}

#[test]
fn clock_change_entries_across_the_spring_gap_keep_their_order() {
    let scene = Scene::new(Some("2026-03-28T22:00:00Z"));
    // 29 March 2026: 00:30 GMT, then (01:00 GMT becomes 02:00 BST) 02:00 and 02:30 BST.
    let instants = [
        Utc.with_ymd_and_hms(2026, 3, 29, 0, 30, 0).unwrap(),
        Utc.with_ymd_and_hms(2026, 3, 29, 1, 0, 0).unwrap(),
        Utc.with_ymd_and_hms(2026, 3, 29, 1, 30, 0).unwrap(),
    ];
    record_at(&scene, &instants);
    let rows = scene.journal("WD7-PC1");
    let times: Vec<&str> = rows.iter().map(|r| r["time"].as_str().unwrap()).collect();
    assert_eq!(
        times,
        [
            "00:30 Sun 29/03/2026",
            "02:00 Sun 29/03/2026",
            "02:30 Sun 29/03/2026"
        ]
    );
    assert_eq!(listed_clocks(&scene), ["00:30", "02:00", "02:30"]);
}

/// Where each record of a journal file starts (its magic line).
fn record_starts(bytes: &[u8]) -> Vec<usize> {
    let magic = b"lamplight-record/1\n";
    (0..bytes.len())
        .filter(|&i| bytes[i..].starts_with(magic))
        .collect()
}

#[test]
fn journal_sets_a_torn_tail_aside_with_a_warning_and_exits_4_on_a_broken_chain() {
    let scene = Scene::new(None);
    let o = scene.pc(&["demo-entries", "--count", "4", "--pc", "WD7-PC1"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let printed: Vec<String> = lines(&o)
        .iter()
        .map(|l| l.split(' ').next().unwrap().to_owned())
        .collect();
    let path = scene.path("vault/journal/WD7-PC1.lljournal");
    let bytes = std::fs::read(&path).unwrap();
    let starts = record_starts(&bytes);
    assert_eq!(
        starts.len(),
        5,
        "the drill's start (in the audit trail) and four entries"
    );

    // A crash mid-write: half of a fifth record. Nothing acknowledged is lost; it is said.
    let torn = [
        &bytes[..],
        &bytes[starts[1]..usize::midpoint(starts[1], starts[2])],
    ]
    .concat();
    std::fs::write(&path, torn).unwrap();
    let o = scene.pc(&["journal", "--json", "--pc", "WD7-PC1"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("cut short"), "{}", stderr(&o));
    let rows: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(ids(rows.as_array().unwrap()), printed);

    // The second record taken out: the chain is broken, and that is damage (exit 4, as verify).
    let bytes = std::fs::read(&path).unwrap();
    std::fs::write(&path, [&bytes[..starts[1]], &bytes[starts[2]..]].concat()).unwrap();
    let o = scene.pc(&["journal", "--pc", "WD7-PC1"]);
    assert_eq!(o.status.code(), Some(4), "{}", stderr(&o));
    assert!(stderr(&o).contains("broken"), "{}", stderr(&o));
}

/// Issue 12: `lamplight audit` reads back who did what on every PC of the vault: each PC's entries,
/// the drill each started (with nobody signed in: marked to look at), a refusal at the API; filtered
/// by person and time; patients by id only.
#[test]
fn audit_lists_every_pcs_actions_marks_what_to_look_at_and_names_no_patient() {
    let scene = Scene::new(None);
    for (pc, by, count) in [
        ("WD7-PC1", "Nurse Ada Audit", "3"),
        ("WD7-PC2", "Nurse Bo Audit", "2"),
    ] {
        let o = scene.pc(&["demo-entries", "--count", count, "--pc", pc, "--by", by]);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let pc1 = scene.station("WD7-PC1");
    let patient = pc1.data().site().patients[0].id.clone();
    assert!(
        pc1.open_record(&patient, Utc::now()).is_err(),
        "nobody is signed in"
    );
    drop(pc1);

    let audit = |extra: &[&str]| {
        let mut args = vec!["audit", "--json"];
        args.extend_from_slice(extra);
        let o = scene.pc(&args);
        assert!(o.status.success(), "{}", stderr(&o));
        serde_json::from_slice::<Value>(&o.stdout).unwrap()["lines"]
            .as_array()
            .unwrap()
            .clone()
    };
    let all = audit(&[]);
    let count = |lines: &[Value], event: &str, pc: &str| {
        lines
            .iter()
            .filter(|l| l["event"] == event && l["pc"] == pc)
            .count()
    };
    assert_eq!(count(&all, "entry-recorded", "WD7-PC1"), 3, "{all:#?}");
    assert_eq!(count(&all, "entry-recorded", "WD7-PC2"), 2);
    // The drill is the vault's mode: PC1 started it, PC2 found it started.
    let drill = all
        .iter()
        .find(|l| l["event"] == "mode-changed-not-signed-in" && l["pc"] == "WD7-PC1")
        .unwrap_or_else(|| panic!("PC1's drill start is in the trail: {all:#?}"));
    assert_eq!(drill["detail"], "start_drill");
    assert_eq!(drill["highlighted"], true);
    let refused = all
        .iter()
        .find(|l| l["event"] == "refused-not-signed-in")
        .expect("the refused opening");
    assert_eq!(refused["detail"], "open-record");
    assert_eq!(refused["highlighted"], true);
    assert!(
        all.iter()
            .all(|l| l["drill"] == true || !l["event"].as_str().unwrap().starts_with("entry"))
    );

    let bo = audit(&["--user", "nurse bo audit"]);
    assert!(
        !bo.is_empty()
            && bo
                .iter()
                .all(|l| l["by"] == "Nurse Bo Audit" && l["pc"] == "WD7-PC2")
    );
    let tomorrow = (Utc::now() + chrono::TimeDelta::days(1)).to_rfc3339();
    assert!(audit(&["--since", &tomorrow]).is_empty());

    // The text form: one line each, no patient's name or NHS number in any of them.
    let o = scene.pc(&["audit"]);
    let text = String::from_utf8(o.stdout).unwrap();
    let site: Value =
        serde_json::from_str(&std::fs::read_to_string(scene.path("site.json")).unwrap()).unwrap();
    for e in site["entry"].as_array().unwrap() {
        let r = &e["resource"];
        if r["resourceType"] == "Patient" {
            let family = r["name"][0]["family"].as_str().unwrap_or_default();
            let nhs = r["identifier"][0]["value"].as_str().unwrap_or_default();
            for needle in [family, nhs] {
                assert!(
                    needle.len() < 4 || !text.contains(needle),
                    "{needle} in the audit text"
                );
            }
        }
    }
    assert!(text.lines().any(|l| l.starts_with('!')), "{text}");
}

#[test]
fn the_audit_report_puts_what_to_look_at_first_numbers_its_pages_and_names_no_patient() {
    let scene = Scene::new(None);
    for (pc, by) in [("WD7-PC1", "Nurse Ada Audit"), ("WD7-PC2", "Nurse Bo Audit")] {
        let o = scene.pc(&["demo-entries", "--count", "2", "--pc", pc, "--by", by]);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let pc1 = scene.station("WD7-PC1");
    let patient = pc1.data().site().patients[0].id.clone();
    assert!(
        pc1.open_record(&patient, Utc::now()).is_err(),
        "nobody is signed in"
    );
    drop(pc1);

    let report = scene.path("audit.pdf");
    let o = scene.pc(&["audit", "--report", &report]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        o.stdout.starts_with(b"!") || String::from_utf8_lossy(&o.stdout).contains("\n!"),
        "the text trail is still written beside the report"
    );
    assert!(stderr(&o).contains("Audit report: "), "{}", stderr(&o));
    let out = Command::new("pdftotext")
        .args(["-raw", "-enc", "UTF-8"])
        .arg(&report)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed by packaging/install-deps.sh --test");
    assert!(out.status.success(), "the report is a PDF");
    let raw = String::from_utf8(out.stdout).unwrap();
    let pages: Vec<&str> = raw.split('\u{c}').filter(|p| !p.trim().is_empty()).collect();
    for (i, p) in pages.iter().enumerate() {
        let n = format!("page {} of {}", i + 1, pages.len());
        assert!(
            p.contains(&n),
            "every page says {n:?}, so a loose page is missed: {p}"
        );
    }
    // Whitespace collapsed, and a code wrapped after a hyphen joined again.
    let text = raw
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace("- ", "-");
    let at = |needle: &str| {
        text.find(needle)
            .unwrap_or_else(|| panic!("{needle:?} is on the report: {text}"))
    };
    let whole = at("The whole trail, in time order");
    assert!(at("To look at") < whole, "what to look at comes first: {text}");
    for first in [
        "refused-not-signed-in",
        "Refused open-record",
        "mode-changed-not-signed-in",
        "Mode changed with nobody signed in start_drill",
    ] {
        assert!(
            at(first) < whole,
            "{first:?} is listed to look at, before the whole trail: {text}"
        );
    }
    let trail = &text[whole..];
    for pc in ["WD7-PC1", "WD7-PC2"] {
        assert!(trail.contains(pc), "every PC's lines are in the trail: {pc}");
    }
    for expected in [
        "Printed by lamplight audit (run by",
        "Filters none: the whole trail",
        "DRILL",
    ] {
        assert!(text.contains(expected), "{expected:?} is on the report: {text}");
    }
    // Every page's footer begins "Ward: ", and one demo patient's family name is Ward.
    let words = raw.replace("Ward: ", "");
    let site: Value =
        serde_json::from_str(&std::fs::read_to_string(scene.path("site.json")).unwrap()).unwrap();
    for e in site["entry"].as_array().unwrap() {
        let r = &e["resource"];
        if r["resourceType"] == "Patient" {
            let family = r["name"][0]["family"].as_str().unwrap_or_default();
            let nhs = r["identifier"][0]["value"].as_str().unwrap_or_default();
            for needle in [family, nhs] {
                assert!(
                    needle.len() < 4 || !words.contains(needle),
                    "{needle} is on the audit report: patients are named by id only"
                );
            }
        }
    }
}

#[test]
fn a_rotated_ward_identity_reads_the_journal_from_before_the_change_and_seals_only_to_the_new_key() {
    let scene = Scene::new(None);
    let (vault, old) = (scene.path("vault"), scene.path("ward.key"));
    let o = scene.pc(&["demo-entries", "--count", "3", "--pc", "WD7-PC1"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let before = ids(&scene.journal("WD7-PC1"));
    assert_eq!(before.len(), 3);

    // IT rotates the ward identity: a new key, and the next generation staged for it alone.
    let new = scene.path("ward-2.key");
    let o = scene.run(&["keygen", "--out", &new]);
    assert!(o.status.success(), "{}", stderr(&o));
    let recipient = String::from_utf8(o.stdout).unwrap().trim().to_owned();
    let o = scene.run(&[
        "stage",
        "--from",
        &scene.path("site.json"),
        "--recipient",
        &recipient,
        "--vault",
        &vault,
    ]);
    assert!(o.status.success(), "{}", stderr(&o));

    // The new key alone cannot read what the old one sealed: said, with the key exit code.
    let o = scene.run(&[
        "journal",
        "--json",
        "--pc",
        "WD7-PC1",
        "--vault",
        &vault,
        "--identity",
        &new,
    ]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    // With the old one as --previous-identity: every entry from before the change, and new
    // entries recorded after it.
    let rotated = [
        "--vault",
        vault.as_str(),
        "--identity",
        new.as_str(),
        "--previous-identity",
        old.as_str(),
    ];
    let o = scene.run(
        &[
            &["demo-entries", "--count", "2", "--seed", "9", "--pc", "WD7-PC1"][..],
            &rotated,
        ]
        .concat(),
    );
    assert!(o.status.success(), "recording after the rotation: {}", stderr(&o));
    let o = scene.run(&[&["journal", "--json", "--pc", "WD7-PC1"][..], &rotated].concat());
    assert!(o.status.success(), "{}", stderr(&o));
    let rows: Vec<Value> = serde_json::from_slice::<Value>(&o.stdout)
        .unwrap()
        .as_array()
        .unwrap()
        .clone();
    let after = ids(&rows);
    assert_eq!(after.len(), 5, "the 3 from before and the 2 after: {after:?}");
    assert_eq!(
        after[..3],
        before[..],
        "the entries from before the change, unchanged"
    );

    // Every generation opens with the rotated keys (the older ones age out as new ones come).
    let o = scene.run(&[
        "verify",
        "--vault",
        &vault,
        "--identity",
        &new,
        "--previous-identity",
        &old,
        "--json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let report: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(report["bad"], 0, "{report}");
    // What was recorded after the rotation is not sealed to the old key: the old key alone
    // no longer reads the whole journal.
    let o = scene.run(&[
        "journal",
        "--json",
        "--pc",
        "WD7-PC1",
        "--vault",
        &vault,
        "--identity",
        &old,
    ]);
    assert_eq!(
        o.status.code(),
        Some(3),
        "the old key cannot read the new records: {}",
        stderr(&o)
    );
}

#[test]
fn a_revoked_pc_keeps_what_it_had_shared_adds_nothing_after_and_records_nothing_itself() {
    let scene = Scene::new(None);
    let (vault, key, folder) = (
        scene.path("vault"),
        scene.path("ward.key"),
        scene.path("ward-folder"),
    );
    std::fs::create_dir_all(&folder).unwrap();
    // PC2 has its own vault (the same ward, the same key), and meets PC1 in the ward folder.
    let vault2 = scene.path("vault2");
    let recipient = std::fs::read_to_string(&key)
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix("# public key: ").map(str::to_owned))
        .unwrap();
    let o = scene.run(&[
        "stage",
        "--from",
        &scene.path("site.json"),
        "--recipient",
        &recipient,
        "--vault",
        &vault2,
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let on = |v: &str, args: &[&str]| {
        let mut all = args.to_vec();
        all.extend_from_slice(&["--vault", v, "--identity", &key, "--ward-folder", &folder]);
        scene.run(&all)
    };
    for (v, pc, seed) in [(&vault, "WD7-PC1", "1"), (&vault2, "WD7-PC2", "2")] {
        let o = on(v, &["demo-entries", "--count", "2", "--seed", seed, "--pc", pc]);
        assert!(o.status.success(), "{pc}: {}", stderr(&o));
    }
    let listed = |v: &str, pc: &str| -> (Vec<String>, String) {
        let o = on(v, &["journal", "--json", "--pc", pc]);
        assert!(o.status.success(), "{}", stderr(&o));
        let rows: Vec<Value> = serde_json::from_slice::<Value>(&o.stdout)
            .unwrap()
            .as_array()
            .unwrap()
            .clone();
        (ids(&rows), stderr(&o))
    };
    let (before, _) = listed(&vault, "WD7-PC1");
    assert_eq!(before.len(), 4, "PC1 sees its 2 entries and PC2's 2: {before:?}");

    // IT revokes PC2 in PC1's vault: what PC2 had shared (its 2 entries) is kept.
    let o = on(
        &vault,
        &[
            "revoke-pc",
            "--pc",
            "WD7-PC2",
            "--reason",
            "stolen from the ward office",
            "--by",
            "IT service desk",
            "--json",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let revoked: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(revoked["up_to_sequence"].as_u64().unwrap() >= 2, "{revoked}");

    // The stolen PC2 (its own vault not told) records more and shares it: PC1 does not take it,
    // and says why.
    let o = on(
        &vault2,
        &["demo-entries", "--count", "1", "--seed", "3", "--pc", "WD7-PC2"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let (after, said) = listed(&vault, "WD7-PC1");
    assert_eq!(after, before, "nothing PC2 made after its revocation is on PC1");
    assert!(
        said.contains("WD7-PC2 was revoked by IT") && said.contains("stolen from the ward office"),
        "PC1 says what it left out and why: {said}"
    );

    // Told too (its vault has the revocation), PC2 records nothing more, and says so.
    let o = on(
        &vault2,
        &[
            "revoke-pc",
            "--pc",
            "WD7-PC2",
            "--up-to",
            "0",
            "--reason",
            "stolen from the ward office",
            "--by",
            "IT service desk",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let o = on(
        &vault2,
        &["demo-entries", "--count", "1", "--seed", "4", "--pc", "WD7-PC2"],
    );
    assert!(!o.status.success(), "a revoked PC records nothing");
    assert!(stderr(&o).contains("IT revoked this PC"), "{}", stderr(&o));
}

#[test]
fn fleet_over_the_status_files_of_several_pcs_names_exactly_those_not_ready_and_why() {
    let now = Utc::now();
    let recent = (now - chrono::TimeDelta::minutes(5))
        .format("%Y-%m-%dT%H:%M:00Z")
        .to_string();
    let fresh = Scene::new(Some(&recent));
    let old = Scene::new(None); // its data is ten hours old
    let status = fresh.dir.path().join("status");
    std::fs::create_dir_all(&status).unwrap();
    // Real stations write their status files.
    let pc1 = fresh.station("WD7-PC1");
    pc1.write_status(&status, now).unwrap();
    old.station("WD7-PC2").write_status(&status, now).unwrap();
    // A PC that stopped reporting half an hour ago: its last file, as it left it.
    let mut silent = pc1.pc_status(now - chrono::TimeDelta::minutes(30));
    "WD7-PC3".clone_into(&mut silent.pc);
    lamplight_station::fleet::write_status(&status, &silent).unwrap();
    std::fs::write(status.join("WD7-PC4.json"), "{ not a status").unwrap();
    // The files say nothing about any patient.
    for f in std::fs::read_dir(&status).unwrap() {
        let text = std::fs::read_to_string(f.unwrap().path()).unwrap();
        for name in lamplight_demo::patient_names() {
            assert!(!text.contains(name), "a status file names a patient: {name}");
        }
    }

    let dir = status.to_string_lossy().into_owned();
    let o = fresh.run(&["fleet", "--status-dir", &dir, "--stale-after", "60", "--json"]);
    assert_eq!(o.status.code(), Some(15), "a PC not ready: {}", stderr(&o));
    let report: Value = serde_json::from_slice(&o.stdout).unwrap();
    let pcs = |ready: bool| -> Vec<String> {
        report["fleet"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["ready"] == ready)
            .map(|r| r["pc"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(pcs(true), ["WD7-PC1"]);
    assert_eq!(
        pcs(false),
        ["WD7-PC2", "WD7-PC3", "WD7-PC4"],
        "exactly the stale, the silent and the unreadable"
    );
    let why = |pc: &str| {
        report["fleet"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["pc"] == pc)
            .unwrap()["problems"]
            .to_string()
    };
    assert!(
        why("WD7-PC2").contains("over the 60 min threshold"),
        "{}",
        why("WD7-PC2")
    );
    assert!(why("WD7-PC3").contains("not reporting"), "{}", why("WD7-PC3"));
    assert!(why("WD7-PC4").contains("cannot be read"), "{}", why("WD7-PC4"));

    // The page for the maintenance folder, read back as paper.
    let page = fresh.path("fleet.pdf");
    let o = fresh.run(&["fleet", "--status-dir", &dir, "--report", &page]);
    assert_eq!(o.status.code(), Some(15), "{}", stderr(&o));
    let text = String::from_utf8(
        Command::new("pdftotext")
            .args(["-layout", &page, "-"])
            .output()
            .expect("pdftotext (poppler-utils) reads the page back")
            .stdout,
    )
    .unwrap();
    assert!(text.contains("4 PCs: 1 ready, 3 not ready"), "{text}");
    let (not_ready_at, ready_at) = (
        text.find("Not ready").unwrap(),
        text.find("\nReady").unwrap_or(usize::MAX),
    );
    for pc in ["WD7-PC2", "WD7-PC3", "WD7-PC4"] {
        let at = text
            .find(pc)
            .unwrap_or_else(|| panic!("{pc} is on the page: {text}"));
        assert!(at > not_ready_at && at < ready_at, "{pc} is under Not ready");
    }
    assert!(
        text.find("WD7-PC1").unwrap() > ready_at,
        "PC1 is under Ready: {text}"
    );

    // The text IT reads: one line a PC; with only ready PCs, exit 0.
    let o = fresh.run(&["fleet", "--status-dir", &dir]);
    let text = String::from_utf8(o.stdout).unwrap();
    assert!(
        text.lines()
            .any(|l| l.starts_with("READY") && l.contains("WD7-PC1")),
        "{text}"
    );
    assert_eq!(
        text.lines().filter(|l| l.starts_with("NOT READY")).count(),
        3,
        "{text}"
    );
    for f in ["WD7-PC2.json", "WD7-PC3.json", "WD7-PC4.json"] {
        std::fs::remove_file(status.join(f)).unwrap();
    }
    let o = fresh.run(&["fleet", "--status-dir", &dir]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn a_pc_given_a_status_folder_writes_its_status_file_as_it_starts() {
    let scene = Scene::new(None);
    let status = scene.dir.path().join("status");
    std::fs::create_dir_all(&status).unwrap();
    let config = StationConfig {
        vault: Some(scene.path("vault").into()),
        identity: Some(scene.path("ward.key").into()),
        pc: "WD7-PC1".into(),
        status_dir: Some(status.clone()),
        ..StationConfig::default()
    };
    let station = Arc::new(Station::launch(&config, Utc::now()).unwrap());
    let background = station.start();
    let file = status.join("WD7-PC1.json");
    let deadline = Instant::now() + Duration::from_secs(20);
    while !file.exists() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
    background.stop();
    let written: Value =
        serde_json::from_str(&std::fs::read_to_string(&file).expect("the status file was written")).unwrap();
    assert_eq!(written["pc"], "WD7-PC1");
    assert_eq!(written["source"], "snapshot");
    assert!(written["generation"].as_u64().is_some(), "{written}");
}
