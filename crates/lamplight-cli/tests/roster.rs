//! `lamplight roster` as IT runs it: real binary, real keys, a real vault; the roster sealed in it.

#![allow(clippy::unwrap_used)] // test code: a panic with its location is the clearest failure

use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

struct Scene {
    dir: tempfile::TempDir,
}

impl Scene {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let key = dir.path().join("it.key");
        let o = run(dir.path(), &["keygen", "--out", key.to_str().unwrap()], None);
        assert!(o.status.success(), "{}", stderr(&o));
        Self { dir }
    }

    fn path(&self, name: &str) -> String {
        self.dir.path().join(name).to_string_lossy().into_owned()
    }

    /// `roster WHAT … --vault --identity`, with `stdin` piped in when given.
    fn roster(&self, args: &[&str], stdin: Option<&str>) -> Output {
        let (vault, key) = (self.path("vault"), self.path("it.key"));
        let mut all = vec!["roster"];
        all.extend_from_slice(args);
        all.extend_from_slice(&["--vault", &vault, "--identity", &key]);
        run(self.dir.path(), &all, stdin)
    }

    fn list(&self) -> Value {
        let o = self.roster(&["list", "--json"], None);
        assert!(o.status.success(), "{}", stderr(&o));
        serde_json::from_slice(&o.stdout).unwrap()
    }
}

fn run(dir: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    let tmp = dir.join("tmp");
    std::fs::create_dir_all(&tmp).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_lamplight"))
        .args(args)
        .env("TMPDIR", &tmp)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    // A command that refuses before reading its input (a bad --role) may close the pipe first.
    let _ = input.write_all(stdin.unwrap_or("").as_bytes());
    drop(input);
    child.wait_with_output().unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn ids(list: &Value) -> Vec<String> {
    list["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn it_adds_lists_and_removes_accounts_and_the_pin_never_shows() {
    let s = Scene::new();
    let o = s.roster(
        &["add", "--name", "Sam Jones", "--role", "nurse", "--ward", "AMU"],
        Some("4829\n"),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        String::from_utf8_lossy(&o.stdout).trim(),
        "sjones",
        "add prints the new user id"
    );

    std::fs::write(s.path("pin.txt"), "7314\n").unwrap();
    let pin_file = s.path("pin.txt");
    let o = s.roster(
        &[
            "add",
            "--name",
            "Pat Okafor",
            "--role",
            "bed manager",
            "--ward",
            "*",
            "--pin-file",
            &pin_file,
            "--json",
        ],
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let added: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(added["role"], "bed-manager");

    let list = s.list();
    assert_eq!(ids(&list), ["sjones", "pokafor"]);
    let text = s.roster(&["list"], None);
    let shown = format!("{}{}", String::from_utf8_lossy(&text.stdout), stderr(&text));
    assert!(shown.contains("Sam Jones\tnurse\tAMU"), "{shown}");
    for hidden in ["argon2", "4829", "7314"] {
        assert!(
            !shown.contains(hidden) && !list.to_string().contains(hidden),
            "list never shows a PIN or its hash ({hidden})"
        );
    }

    let roster_file = std::fs::read(s.dir.path().join("vault/state/roster.age")).unwrap();
    assert!(
        !roster_file.windows(5).any(|w| w == b"Jones"),
        "the roster is sealed: no name readable in the vault"
    );

    let o = s.roster(&["remove", "Sam Jones"], None);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(ids(&s.list()), ["pokafor"]);
    let o = s.roster(&["remove", "sjones"], None);
    assert_eq!(
        o.status.code(),
        Some(10),
        "removing an unknown account is bad input: {}",
        stderr(&o)
    );
    assert!(stderr(&o).contains("roster list"), "{}", stderr(&o));
}

#[test]
fn a_weak_pin_or_a_bad_role_is_refused_and_nothing_is_added() {
    let s = Scene::new();
    let o = s.roster(
        &["add", "--name", "Sam Jones", "--role", "nurse", "--ward", "AMU"],
        Some("1234\n"),
    );
    assert_eq!(o.status.code(), Some(10), "{}", stderr(&o));
    assert!(stderr(&o).contains("too easy to guess"), "{}", stderr(&o));
    assert!(
        !stderr(&o).contains("1234,") && !stderr(&o).contains(" 1234"),
        "no PIN in an error"
    );
    let o = s.roster(
        &["add", "--name", "Sam Jones", "--role", "surgeon", "--ward", "AMU"],
        Some("4829\n"),
    );
    assert_eq!(o.status.code(), Some(10), "{}", stderr(&o));
    assert!(s.list()["accounts"].as_array().unwrap().is_empty());
}

#[test]
fn a_csv_with_bad_lines_names_each_line_and_field_and_imports_nothing() {
    let s = Scene::new();
    let csv = s.path("staff.csv");
    std::fs::write(
        &csv,
        "name,role,wards,pin-or-hash\n\
         Sam Jones,nurse,AMU,4829\n\
         Lee Smith,surgeon,AMU,5092\n\
         Kim Lee,nurse,AMU,12\n\
         Ana Cruz,it,*,correct horse\n",
    )
    .unwrap();
    let o = s.roster(&["import", "--csv", &csv], None);
    assert_eq!(o.status.code(), Some(10), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("line 3, role:"), "{err}");
    assert!(err.contains("line 4, pin-or-hash:"), "{err}");
    assert!(err.contains("nothing was imported"), "{err}");
    assert!(
        !err.contains("5092") && !err.contains("4829"),
        "no PIN in the errors: {err}"
    );
    assert!(
        !s.dir.path().join("vault/state/roster.age").exists(),
        "nothing is imported when any line is bad"
    );

    std::fs::write(
        &csv,
        "name,role,wards,pin-or-hash\nSam Jones,nurse,AMU;W12,4829\n\"Ana Cruz\",it,*,correct horse\n",
    )
    .unwrap();
    let o = s.roster(&["import", "--csv", &csv, "--json"], None);
    assert!(o.status.success(), "{}", stderr(&o));
    let done: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(done["imported"], 2);
    let list = s.list();
    assert_eq!(ids(&list), ["sjones", "acruz"]);
    assert_eq!(list["accounts"][0]["wards"], serde_json::json!(["AMU", "W12"]));

    let o = s.roster(&["import", "--csv", &csv], None);
    assert_eq!(
        o.status.code(),
        Some(10),
        "the same file imported twice: {}",
        stderr(&o)
    );
    assert!(
        stderr(&o).contains("line 2, name: Sam Jones (nurse) is already on the roster as sjones"),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        ids(&s.list()),
        ["sjones", "acruz"],
        "nobody gets a second account"
    );
}

#[test]
fn the_roster_does_not_open_with_another_key() {
    let s = Scene::new();
    let o = s.roster(
        &["add", "--name", "Sam Jones", "--role", "nurse", "--ward", "AMU"],
        Some("4829\n"),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let other = s.path("other.key");
    assert!(
        run(s.dir.path(), &["keygen", "--out", &other], None)
            .status
            .success()
    );
    let vault = s.path("vault");
    let o = run(
        s.dir.path(),
        &["roster", "list", "--vault", &vault, "--identity", &other],
        None,
    );
    assert_eq!(o.status.code(), Some(3), "wrong key: {}", stderr(&o));
}
