//! `lamplight downtime` and multi-ward staging as IT runs them: real binaries, real keys, a real vault.

#![allow(clippy::unwrap_used)] // test code: a panic with its location is the clearest failure

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

struct Scene {
    dir: tempfile::TempDir,
    recipient: String,
}

impl Scene {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let key = dir.path().join("ward.key");
        let o = run(dir.path(), &["keygen", "--out", key.to_str().unwrap()]);
        assert!(o.status.success(), "{}", stderr(&o));
        let recipient = String::from_utf8(o.stdout).unwrap().trim().to_owned();
        Self { dir, recipient }
    }

    fn path(&self, name: &str) -> String {
        self.dir.path().join(name).to_string_lossy().into_owned()
    }

    fn run(&self, args: &[&str]) -> Output {
        run(self.dir.path(), args)
    }

    /// A demo site of `beds` written and staged with `extra` flags.
    fn stage_demo(&self, beds: &str, extra: &[&str]) -> Output {
        let bundle = self.path("site.json");
        let o = self.run(&["demo", "--beds", beds, "--seed", "3", "--out", &bundle]);
        assert!(o.status.success(), "{}", stderr(&o));
        let vault = self.path("vault");
        let mut args = vec![
            "stage",
            "--from",
            &bundle,
            "--recipient",
            &self.recipient,
            "--vault",
            &vault,
            "--json",
        ];
        args.extend_from_slice(extra);
        self.run(&args)
    }

    fn pc(&self, args: &[&str]) -> Output {
        let (vault, key) = (self.path("vault"), self.path("ward.key"));
        let mut all = args.to_vec();
        all.extend_from_slice(&["--vault", &vault, "--identity", &key]);
        self.run(&all)
    }

    fn status(&self) -> Value {
        let o = self.pc(&["downtime", "status", "--json"]);
        assert!(o.status.success(), "{}", stderr(&o));
        serde_json::from_slice(&o.stdout).unwrap()
    }
}

fn run(dir: &Path, args: &[&str]) -> Output {
    let tmp = dir.join("tmp");
    std::fs::create_dir_all(&tmp).unwrap();
    Command::new(env!("CARGO_BIN_EXE_lamplight"))
        .args(args)
        .env("TMPDIR", &tmp)
        .output()
        .unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn declare_end_and_end_again_walk_a_pc_from_downtime_through_recovery_to_normal() {
    let scene = Scene::new();
    assert!(scene.stage_demo("28", &[]).status.success());
    assert_eq!(scene.status()["mode"], "normal");

    let o = scene.pc(&[
        "downtime",
        "declare",
        "--by",
        "IT on call",
        "--reason",
        "EPR not answering",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let s = scene.status();
    assert_eq!(s["mode"], "downtime");
    assert_eq!(s["by"], "IT on call");
    assert_eq!(s["cause"], "declared");

    let o = scene.pc(&["downtime", "end", "--by", "IT on call"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        scene.status()["mode"],
        "recovery",
        "downtime ends in recovery, not straight to normal"
    );
    assert!(
        scene
            .pc(&["downtime", "end", "--by", "IT on call"])
            .status
            .success()
    );
    assert_eq!(scene.status()["mode"], "normal");

    let o = scene.pc(&["downtime", "end", "--by", "IT on call"]);
    assert_eq!(o.status.code(), Some(10), "nothing to end: {}", stderr(&o));
    assert!(stderr(&o).contains("not in downtime"), "{}", stderr(&o));

    let o = scene.pc(&["downtime", "declare", "--by", "IT on call", "--reason", " "]);
    assert_eq!(o.status.code(), Some(10), "{}", stderr(&o));
    assert!(stderr(&o).contains("say why"), "{}", stderr(&o));
    assert_eq!(
        scene.status()["mode"],
        "normal",
        "a refused change leaves the PC as it was"
    );
}

#[test]
fn a_scheduled_downtime_is_written_beside_the_snapshots_and_announced() {
    let scene = Scene::new();
    assert!(scene.stage_demo("28", &[]).status.success());
    let vault = scene.path("vault");
    let o = scene.run(&[
        "downtime",
        "schedule",
        "--vault",
        &vault,
        "--from",
        "2099-12-06 02:00",
        "--to",
        "2099-12-06 04:00",
        "--reason",
        "EPR maintenance",
        "--by",
        "it-ops",
        "--json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let plan: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        plan["announcement"],
        "EPR maintenance 02:00–04:00 Sun 06/12; final snapshot at 01:55"
    );
    let text = std::fs::read_to_string(plan["path"].as_str().unwrap()).unwrap();
    assert!(
        text.contains("EPR maintenance"),
        "a plan holds no patient data and needs no key"
    );
    // 2099 is far ahead: the PC knows of it but announces it only in the week before.
    assert!(scene.status()["planned"].is_null());
}

#[test]
fn times_that_happen_twice_or_not_at_all_are_refused_with_what_to_write() {
    let scene = Scene::new();
    let vault = scene.path("vault");
    for (from, says) in [
        ("2099-10-25 01:30", "happens twice"),
        ("2099-03-29 01:30", "does not exist"),
        ("next sunday", "write London time"),
    ] {
        let o = scene.run(&[
            "downtime",
            "schedule",
            "--vault",
            &vault,
            "--from",
            from,
            "--to",
            "2099-12-06 04:00",
            "--reason",
            "x",
        ]);
        assert_eq!(o.status.code(), Some(10), "{from}: {}", stderr(&o));
        assert!(stderr(&o).contains(says), "{from}: {}", stderr(&o));
    }
    let o = scene.run(&[
        "downtime",
        "schedule",
        "--vault",
        &vault,
        "--from",
        "2099-12-06 04:00",
        "--to",
        "2099-12-06 02:00",
        "--reason",
        "x",
    ]);
    assert_eq!(o.status.code(), Some(10));
    assert!(stderr(&o).contains("must end after it starts"), "{}", stderr(&o));
}

#[test]
fn staging_takes_several_wards_or_the_whole_site() {
    let scene = Scene::new();
    let o = scene.stage_demo("120", &["--ward", "WD7", "--ward", "WD8"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let summary: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(summary["wards"], serde_json::json!(["WD7", "WD8"]));

    let o = scene.stage_demo("120", &["--site"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let summary: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(summary["wards"].as_array().unwrap().len() > 2, "{summary}");

    let o = scene.stage_demo("120", &["--ward", "WD7", "--ward", "NOPE"]);
    assert_eq!(o.status.code(), Some(10), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("NOPE"),
        "the missing ward is named: {}",
        stderr(&o)
    );

    let o = scene.stage_demo("28", &["--ward", "WD7", "--site"]);
    assert_eq!(
        o.status.code(),
        Some(2),
        "--site and --ward together is a usage error"
    );
}
