//! `lamplight print` as IT and a ward would run it: the real binary, a real sealed vault, the
//! demo ward with no vault, and the failures a person must be able to read.

#![allow(clippy::unwrap_used)] // test code: a panic with its location is the clearest failure

use std::process::{Command, Output};

fn lamplight(dir: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lamplight"))
        .args(args)
        .env("TMPDIR", dir)
        .output()
        .unwrap()
}

fn pdftotext(path: &std::path::Path) -> String {
    let out = Command::new("pdftotext")
        .args(["-raw"])
        .arg(path)
        .arg("-")
        .output();
    let out = out.expect("pdftotext is needed: run packaging/install-deps.sh --test");
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn a_ward_pack_prints_from_a_sealed_vault_with_the_ward_key() {
    let dir = tempfile::tempdir().unwrap();
    let p = |name: &str| dir.path().join(name).to_string_lossy().into_owned();
    let o = lamplight(
        dir.path(),
        &["demo", "--beds", "56", "--seed", "2", "--out", &p("site.json")],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = lamplight(dir.path(), &["keygen", "--out", &p("ward.key")]);
    let recipient = String::from_utf8(o.stdout).unwrap().trim().to_owned();
    let o = lamplight(
        dir.path(),
        &[
            "stage",
            "--from",
            &p("site.json"),
            "--recipient",
            &recipient,
            "--vault",
            &p("vault"),
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));

    let vault_args = ["--vault", &p("vault"), "--identity", &p("ward.key")];
    let o = lamplight(
        dir.path(),
        &[&["print", "handover"][..], &vault_args, &["--out", &p("h.pdf")]].concat(),
    );
    assert_eq!(
        o.status.code(),
        Some(1),
        "two wards and no --ward: the command says which to choose"
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("WD7") && err.lines().count() == 1,
        "one line naming the wards: {err}"
    );

    let o = lamplight(
        dir.path(),
        &[
            &["print", "downtime-pack"][..],
            &vault_args,
            &[
                "--ward",
                "WD8",
                "--printed-by",
                "RN Vault Test",
                "--out",
                &p("pack.pdf"),
                "--json",
            ],
        ]
        .concat(),
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(report["pages"].as_u64().unwrap() > 10, "{report}");
    let text = pdftotext(&dir.path().join("pack.pdf"));
    assert!(text.contains("DOWNTIME COPY - data as of"));
    assert!(text.contains("Printed by RN Vault Test"));
    assert!(text.contains("Ward 8"), "the pack is of the ward asked for");
    assert!(
        !text.contains("SYNTHETIC DEMO DATA"),
        "data from a vault is not labelled as the demo"
    );

    let o = lamplight(dir.path(), &["keygen", "--out", &p("other.key")]);
    assert!(o.status.success());
    let o = lamplight(
        dir.path(),
        &[
            "print",
            "census",
            "--vault",
            &p("vault"),
            "--identity",
            &p("other.key"),
            "--out",
            &p("c.pdf"),
        ],
    );
    assert_eq!(
        o.status.code(),
        Some(3),
        "another PC's key is exit 3, as for every command"
    );
    assert!(
        !dir.path().join("c.pdf").exists(),
        "nothing is written when the vault cannot be read"
    );
}

#[test]
fn the_demo_ward_prints_with_no_vault_and_straight_to_standard_output() {
    let dir = tempfile::tempdir().unwrap();
    let o = lamplight(dir.path(), &["print", "blank-forms", "--demo", "--out", "-"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(
        o.stdout.starts_with(b"%PDF-"),
        "--out - writes the PDF to stdout, for `| lp`"
    );
    let o = lamplight(
        dir.path(),
        &[
            "print",
            "drug-chart",
            "--demo",
            "--patient",
            "999 000 0000",
            "--out",
            "-",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("no patient"),
        "an unknown patient is named as such"
    );
    let o = lamplight(dir.path(), &["print", "census", "--out", "x.pdf"]);
    assert_eq!(
        o.status.code(),
        Some(2),
        "no vault and no --demo is a usage error"
    );
    let help = lamplight(dir.path(), &["print", "--help"]);
    assert!(
        String::from_utf8_lossy(&help.stdout).contains("unencrypted"),
        "the help says a PDF is the one unencrypted copy"
    );
}
