//! `lamplight agent` as IT runs it: checking a configuration file, a site agent started while the
//! EPR is down against a real FHIR server it then sees come back, the site share it fills, a ward PC
//! taking its ward from that share, and a clean stop on SIGTERM.

#![allow(clippy::unwrap_used)] // test code: a panic with its location is the clearest failure

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use chrono::{TimeDelta, Utc};
use lamplight_demo::DemoOptions;
use lamplight_fhir::test_server::FhirServer;
use lamplight_fhir::{Epr, EprConfig, export};
use serde_json::Value;

fn lamplight(dir: &Path) -> Command {
    let tmp = dir.join("tmp");
    std::fs::create_dir_all(&tmp).unwrap();
    let mut c = Command::new(env!("CARGO_BIN_EXE_lamplight"));
    c.env("TMPDIR", &tmp).env_remove("LAMPLIGHT_CONFIG");
    c
}

fn run(dir: &Path, args: &[&str]) -> Output {
    lamplight(dir).args(args).output().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn write(dir: &Path, name: &str, body: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, body).unwrap();
    p
}

#[test]
fn check_says_every_problem_of_a_bad_file_one_line_each_and_starts_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let bad = write(
        dir.path(),
        "bad.toml",
        "idle_lock_min = 5\nsite_share = \"/srv/share\"\n[refresh]\nevery_secs = \"soon\"\n[health]\ntimeout_secs = 500\n",
    );
    let o = run(
        dir.path(),
        &["agent", "--check", "--config", bad.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(16), "{}", text(&o.stderr));
    let err = text(&o.stderr);
    let problems: Vec<&str> = err.lines().filter(|l| l.starts_with("  ")).collect();
    assert_eq!(problems.len(), 3, "one line per problem: {err}");
    for key in ["idle_lock_min:", "refresh.every_secs:", "health.timeout_secs:"] {
        assert!(
            problems
                .iter()
                .any(|l| l.trim_start().starts_with(key) && l.contains("fix:")),
            "{key} named with its fix: {err}"
        );
    }
    assert!(!dir.path().join("vault").exists(), "nothing started");

    // Valid, but naming a token file not yet there: a warning, and a failure with --strict.
    let ok = write(
        dir.path(),
        "ok.toml",
        &format!(
            "vault = \"{0}/vault\"\nidentity = \"{0}/ward.key\"\n[epr]\nurl = \"http://127.0.0.1:9\"\ntoken_file = \"{0}/missing.token\"\n",
            dir.path().display()
        ),
    );
    let o = run(
        dir.path(),
        &["agent", "--check", "--config", ok.to_str().unwrap()],
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(
        text(&o.stdout).contains("the agent would keep the vault"),
        "{}",
        text(&o.stdout)
    );
    assert!(
        text(&o.stderr).contains("warning: epr.token_file"),
        "{}",
        text(&o.stderr)
    );
    let o = run(
        dir.path(),
        &["agent", "--check", "--strict", "--config", ok.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(16), "{}", text(&o.stderr));

    // With nothing to do, it says what would give it something.
    let idle = write(dir.path(), "idle.toml", "wards = [\"WD7\"]\n");
    let o = run(
        dir.path(),
        &["agent", "--check", "--config", idle.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(16), "{}", text(&o.stderr));
    assert!(text(&o.stderr).contains("nothing to do"), "{}", text(&o.stderr));
}

#[test]
fn the_file_gives_any_command_its_flags_and_a_flag_still_wins() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().display().to_string();
    let o = run(dir.path(), &["keygen", "--out", &format!("{d}/ward.key")]);
    assert!(o.status.success());
    let recipient = text(&o.stdout).trim().to_owned();
    let o = run(
        dir.path(),
        &[
            "demo",
            "--beds",
            "12",
            "--seed",
            "4",
            "--out",
            &format!("{d}/ward.json"),
        ],
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    let stage = |vault: &str| {
        run(
            dir.path(),
            &[
                "stage",
                "--from",
                &format!("{d}/ward.json"),
                "--recipient",
                &recipient,
                "--vault",
                vault,
            ],
        )
    };
    assert!(stage(&format!("{d}/vault")).status.success());
    assert!(stage(&format!("{d}/other")).status.success());
    assert!(stage(&format!("{d}/other")).status.success());
    let config = write(
        dir.path(),
        "lamplight.toml",
        &format!("vault = \"{d}/vault\"\nidentity = \"{d}/ward.key\"\n"),
    );
    let inspect = |extra: &[&str]| -> Value {
        let mut c = lamplight(dir.path());
        c.env("LAMPLIGHT_CONFIG", &config)
            .args(["inspect", "--json"])
            .args(extra);
        let o = c.output().unwrap();
        assert!(o.status.success(), "{}", text(&o.stderr));
        serde_json::from_slice(&o.stdout).unwrap()
    };
    assert_eq!(
        inspect(&[])["newest_good"]["generation"],
        1,
        "vault and identity from the file"
    );
    assert_eq!(
        inspect(&["--vault", &format!("{d}/other")])["newest_good"]["generation"],
        2,
        "the flag overrides the file"
    );
    // A broken file stops every command, with its problems.
    write(dir.path(), "lamplight.toml", "vualt = \"x\"\n");
    let o = lamplight(dir.path())
        .env("LAMPLIGHT_CONFIG", &config)
        .args(["inspect", "--json"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(16));
    assert!(
        text(&o.stderr).contains("vualt: is not a Lamplight setting; fix: did you mean `vault`?"),
        "{}",
        text(&o.stderr)
    );
}

/// Reads the agent's `--json` lines until one says `ok`, or panics after `within`.
fn next_cycle(lines: &mut impl Iterator<Item = std::io::Result<String>>) -> Value {
    let line = lines.next().expect("the agent reports every pull").unwrap();
    serde_json::from_str(&line).unwrap()
}

fn status(dir: &Path, pc: &str) -> Value {
    serde_json::from_slice(&std::fs::read(dir.join(format!("{pc}.json"))).unwrap()).unwrap()
}

fn sigterm(child: &Child) {
    let ok = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap()
        .success();
    assert!(ok, "kill -TERM");
}

struct Site {
    dir: tempfile::TempDir,
    recipient: String,
    public: String,
}

impl Site {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let o = run(d, &["keygen", "--out", d.join("ward.key").to_str().unwrap()]);
        let recipient = text(&o.stdout).trim().to_owned();
        let o = run(
            d,
            &[
                "keygen",
                "--signing",
                "--out",
                d.join("staging.key").to_str().unwrap(),
            ],
        );
        assert!(o.status.success(), "{}", text(&o.stderr));
        let public = text(&o.stdout)
            .split_whitespace()
            .find(|w| w.starts_with("lamplight-sign-1:"))
            .unwrap()
            .to_owned();
        std::fs::write(d.join("recipients.txt"), format!("{recipient}\n")).unwrap();
        std::fs::create_dir_all(d.join("status")).unwrap();
        Self {
            dir,
            recipient,
            public,
        }
    }

    fn p(&self, name: &str) -> String {
        self.dir.path().join(name).display().to_string()
    }
}

#[test]
fn a_site_agent_started_while_the_epr_is_down_fills_the_share_once_it_returns() {
    let server = FhirServer::start();
    let demo = lamplight_demo::site(&DemoOptions {
        beds: 56,
        seed: 31,
        at: Utc::now() + TimeDelta::minutes(5),
    });
    Epr::new(EprConfig::new(&server.url))
        .unwrap()
        .transaction(&export(&demo))
        .expect("the demo site loads");
    server.stop();

    let site = Site::new();
    let every = 2u64;
    let config = write(
        site.dir.path(),
        "agent.toml",
        &format!(
            "pc = \"site-agent\"\nsite_share = \"{}\"\nrecipients_file = \"{}\"\nsign_with = \"{}\"\nstatus_dir = \"{}\"\n[epr]\nurl = \"{}\"\n[refresh]\nevery_secs = {every}\n",
            site.p("share"),
            site.p("recipients.txt"),
            site.p("staging.key"),
            site.p("status"),
            server.url
        ),
    );
    let mut agent = lamplight(site.dir.path())
        .args(["agent", "--json", "--config", config.to_str().unwrap()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(agent.stdout.take().unwrap()).lines();
    let down = next_cycle(&mut lines);
    assert_eq!(down["ok"], false, "the EPR is down at start: {down}");
    let s = status(Path::new(&site.p("status")), "site-agent");
    assert_eq!(
        (s["epr"].as_str(), s["source"].as_str()),
        (Some("not_answering"), Some("waiting")),
        "{s}"
    );

    server.restart();
    // Within one interval: the agent tries once per interval, so at most the one attempt already
    // under way as the server came back may fail; the next must stage. Counted in attempts, not
    // seconds, so a slow CI machine cannot make it flaky.
    let back = Instant::now();
    let mut failed_after_return = 0;
    let up = loop {
        let c = next_cycle(&mut lines);
        if c["ok"] == true {
            break c;
        }
        failed_after_return += 1;
        assert!(
            back.elapsed() < Duration::from_secs(every * 3 + 30),
            "never recovered: {c}"
        );
    };
    assert!(
        failed_after_return <= 1,
        "{failed_after_return} attempts failed after the EPR returned: staging took more than one {every} s interval"
    );
    assert_eq!(up["wards_staged"], demo.wards.len(), "{up}");

    share_holds_every_ward_signed(&site, &demo);

    // SIGTERM: it stops at once, cleanly, and leaves no half-written file in the share.
    sigterm(&agent);
    let asked = Instant::now();
    let code = loop {
        if let Some(code) = agent.try_wait().unwrap() {
            break code;
        }
        assert!(
            asked.elapsed() < Duration::from_secs(20),
            "the agent did not stop on SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(code.success(), "a clean stop exits 0: {code:?}");
    let leftovers: Vec<String> = walk(Path::new(&site.p("share")))
        .into_iter()
        .filter(|p| p.contains(".tmp-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    let _ = site.recipient;

    ward_pc_takes_its_ward_from_the_share(
        &site,
        &demo.wards[0].code,
        demo.ward_subset(&demo.wards[0].code).unwrap().patients.len(),
    );
}

fn walk(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        if e.path().is_dir() {
            out.extend(walk(&e.path()));
        } else {
            out.push(e.path().display().to_string());
        }
    }
    out
}

/// The share: the whole site and every ward, each signed and each with its own patients.
fn share_holds_every_ward_signed(site: &Site, demo: &lamplight_model::Site) {
    for (folder, patients) in demo
        .wards
        .iter()
        .map(|w| (w.code.clone(), demo.ward_subset(&w.code).unwrap().patients.len()))
        .chain([("SITE".to_owned(), demo.patients.len())])
    {
        let o = run(
            site.dir.path(),
            &[
                "inspect",
                "--json",
                "--vault",
                &format!("{}/{folder}", site.p("share")),
                "--identity",
                &site.p("ward.key"),
                "--trust",
                &site.public,
            ],
        );
        assert!(o.status.success(), "{folder}: {}", text(&o.stderr));
        let v: Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(v["newest_good"]["counts"]["patients"], patients, "{folder}: {v}");
    }
}

/// A ward PC (no EPR) configured with the site share takes its ward's newest generation, signed,
/// into its own vault, and says so in its status file.
fn ward_pc_takes_its_ward_from_the_share(site: &Site, ward: &str, patients: usize) {
    let config = write(
        site.dir.path(),
        "pc.toml",
        &format!(
            "pc = \"{ward}-PC1\"\nwards = [\"{ward}\"]\nvault = \"{}\"\nidentity = \"{}\"\nsite_share = \"{}\"\nstatus_dir = \"{}\"\ntrust = [\"{}\"]\n[refresh]\nevery_secs = 1\n",
            site.p("pc-vault"),
            site.p("ward.key"),
            site.p("share"),
            site.p("status"),
            site.public
        ),
    );
    let o = lamplight(site.dir.path())
        .args(["agent", "--pulls", "2", "--config", config.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(text(&o.stderr).contains("take"), "{}", text(&o.stderr));
    let o = run(
        site.dir.path(),
        &[
            "inspect",
            "--json",
            "--vault",
            &site.p("pc-vault"),
            "--identity",
            &site.p("ward.key"),
            "--trust",
            &site.public,
        ],
    );
    assert!(
        o.status.success(),
        "the PC's own vault holds the ward, signed: {}",
        text(&o.stderr)
    );
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["newest_good"]["counts"]["patients"], patients, "{v}");
    let s = status(Path::new(&site.p("status")), &format!("{ward}-PC1"));
    assert_eq!(s["source"], "snapshot", "{s}");
    assert_eq!(s["checks_signatures"], true, "{s}");
}
