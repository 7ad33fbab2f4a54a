//! `lamplight demo` as IT and scripts use it: the real binary, real files.

use std::path::PathBuf;
use std::process::{Command, Output};

fn lamplight(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lamplight"))
        .args(args)
        .output()
        .expect("the lamplight binary runs")
}

fn scratch(name: &str) -> PathBuf {
    // Synthetic data only; under the build's own target directory, removed by the test.
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    dir.join(format!("{}-{name}", std::process::id()))
}

#[test]
fn two_runs_with_the_same_options_write_byte_identical_bundles() {
    let (a, b) = (scratch("a.json"), scratch("b.json"));
    for out in [&a, &b] {
        let o = lamplight(&[
            "demo",
            "--beds",
            "28",
            "--seed",
            "1",
            "--at",
            "2026-11-04T03:00:00Z",
            "--out",
            out.to_str().unwrap(),
        ]);
        assert!(
            o.status.success(),
            "demo must succeed: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert_eq!(stderr.lines().count(), 1, "one summary line on stderr: {stderr}");
    }
    let (x, y) = (std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
    assert!(x == y, "the same options must give the same bytes");
    let bundle: serde_json::Value = serde_json::from_slice(&x).unwrap();
    assert_eq!(bundle["resourceType"], "Bundle");
    assert_eq!(bundle["timestamp"], "2026-11-04T03:00:00Z");
    std::fs::remove_file(a).ok();
    std::fs::remove_file(b).ok();
}

#[test]
fn without_at_runs_in_the_same_hour_are_identical() {
    let (a, b) = (scratch("now-a.json"), scratch("now-b.json"));
    for out in [&a, &b] {
        assert!(
            lamplight(&["demo", "--beds", "5", "--out", out.to_str().unwrap()])
                .status
                .success()
        );
    }
    let (x, y) = (std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
    // Only an hour boundary between the two runs could differ; say so rather than flake.
    let hour = |v: &[u8]| serde_json::from_slice::<serde_json::Value>(v).unwrap()["timestamp"].clone();
    if hour(&x) == hour(&y) {
        assert!(x == y, "runs within the hour must be byte-identical");
    }
    assert!(
        hour(&x).as_str().unwrap().ends_with(":00:00Z"),
        "the default time is floored to the hour"
    );
    std::fs::remove_file(a).ok();
    std::fs::remove_file(b).ok();
}

#[test]
fn json_summary_goes_to_stdout() {
    let out = scratch("j.json");
    let o = lamplight(&[
        "demo",
        "--beds",
        "3",
        "--at",
        "2026-11-04T03:00:00Z",
        "--json",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success());
    let summary: serde_json::Value = serde_json::from_slice(&o.stdout).expect("--json prints JSON on stdout");
    assert_eq!(summary["counts"]["beds"], 3);
    std::fs::remove_file(out).ok();
}

#[test]
fn beds_out_of_range_fail_with_a_one_line_reason() {
    for beds in ["0", "5000"] {
        let out = scratch("never.json");
        let o = lamplight(&["demo", "--beds", beds, "--out", out.to_str().unwrap()]);
        assert!(!o.status.success(), "--beds {beds} must fail");
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert_eq!(stderr.trim().lines().count(), 1, "one line: {stderr}");
        assert!(stderr.contains("between 1 and 2,000"), "says the range: {stderr}");
        assert!(!out.exists(), "nothing is written on failure");
    }
}
