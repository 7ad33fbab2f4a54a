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

#[test]
fn the_quick_reference_card_prints_with_no_vault_and_from_a_vault_with_no_snapshot_yet() {
    let dir = tempfile::tempdir().unwrap();
    let p = |name: &str| dir.path().join(name).to_string_lossy().into_owned();
    let pages = |path: &str| -> String {
        let out = Command::new("pdfinfo")
            .arg(path)
            .output()
            .expect("pdfinfo is needed");
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .find_map(|l| l.strip_prefix("Pages:").map(|v| v.trim().to_owned()))
            .unwrap_or_default()
    };

    let o = lamplight(
        dir.path(),
        &[
            "print",
            "quick-reference",
            "--pc",
            "WD7-PC1",
            "--out",
            &p("card.pdf"),
        ],
    );
    assert!(
        o.status.success(),
        "the card needs no ward data: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(pages(&p("card.pdf")), "1", "the card is one page");
    let text = pdftotext(&dir.path().join("card.pdf"));
    assert!(text.contains("Ward quick reference: when the EPR is down"));
    assert!(text.contains("This PC: WD7-PC1"), "named with --pc");
    assert!(
        text.contains("NO WARD DATA YET"),
        "stamped as having no data: {text}"
    );

    let o = lamplight(dir.path(), &["keygen", "--out", &p("ward.key")]);
    assert!(o.status.success());
    std::fs::create_dir(dir.path().join("vault")).unwrap();
    let o = lamplight(
        dir.path(),
        &[
            "print",
            "quick-reference",
            "--vault",
            &p("vault"),
            "--identity",
            &p("ward.key"),
            "--out",
            &p("new-pc.pdf"),
        ],
    );
    assert!(
        o.status.success(),
        "a new PC, its first snapshot not come yet, still prints its card: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("no snapshot yet"),
        "and says why it has no ward"
    );

    let o = lamplight(
        dir.path(),
        &["print", "quick-reference", "--demo", "--out", &p("demo.pdf")],
    );
    assert!(o.status.success());
    let text = pdftotext(&dir.path().join("demo.pdf"));
    assert!(
        text.contains("Ward: Ward 7"),
        "printed from data, it names the ward"
    );
    assert!(text.contains("DOWNTIME COPY - data as of"), "and its data's age");

    let o = lamplight(
        dir.path(),
        &[
            "print",
            "census",
            "--vault",
            &p("vault"),
            "--identity",
            &p("ward.key"),
            "--out",
            &p("c.pdf"),
        ],
    );
    assert_eq!(
        o.status.code(),
        Some(9),
        "the census still needs a snapshot: exit 9, as for every command"
    );
}

/// `FAMILY, Given` of the patient an Encounter is about, as the census prints it.
fn census_name(bundle: &serde_json::Value, encounter: &serde_json::Value) -> String {
    let patient_id = encounter["subject"]["reference"]
        .as_str()
        .unwrap()
        .trim_start_matches("Patient/");
    let patient = bundle["entry"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["resource"])
        .find(|r| r["resourceType"] == "Patient" && r["id"] == patient_id)
        .unwrap();
    let name = &patient["name"][0];
    format!(
        "{}, {}",
        name["family"].as_str().unwrap().to_uppercase(),
        name["given"][0].as_str().unwrap()
    )
}

#[test]
fn patients_with_no_location_or_an_unknown_bed_are_on_the_printed_census_as_no_bed_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let p = |name: &str| dir.path().join(name).to_string_lossy().into_owned();
    let o = lamplight(
        dir.path(),
        &["demo", "--beds", "28", "--seed", "5", "--out", &p("site.json")],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let mut bundle: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(p("site.json")).unwrap()).unwrap();
    let encounters: Vec<usize> = bundle["entry"]
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
        .filter(|(_, e)| e["resource"]["resourceType"] == "Encounter")
        .map(|(i, _)| i)
        .collect();
    // One encounter with no location at all; another whose bed is not in the data.
    let (nowhere, unknown_bed) = (encounters[0], encounters[1]);
    bundle["entry"][nowhere]["resource"]
        .as_object_mut()
        .unwrap()
        .remove("location");
    for l in bundle["entry"][unknown_bed]["resource"]["location"]
        .as_array_mut()
        .unwrap()
    {
        if l["physicalType"]["coding"][0]["code"] == "bd" {
            l["location"]["reference"] = "Location/a-bed-not-in-the-data".into();
        }
    }
    let nowhere_name = census_name(&bundle, &bundle["entry"][nowhere]["resource"]);
    let unknown_bed_name = census_name(&bundle, &bundle["entry"][unknown_bed]["resource"]);
    std::fs::write(p("gaps.json"), bundle.to_string()).unwrap();

    let o = lamplight(dir.path(), &["keygen", "--out", &p("ward.key")]);
    let recipient = String::from_utf8(o.stdout).unwrap().trim().to_owned();
    let o = lamplight(
        dir.path(),
        &[
            "stage",
            "--from",
            &p("gaps.json"),
            "--recipient",
            &recipient,
            "--vault",
            &p("vault"),
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = lamplight(
        dir.path(),
        &[
            "print",
            "census",
            "--vault",
            &p("vault"),
            "--identity",
            &p("ward.key"),
            "--out",
            &p("census.pdf"),
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // Words as read, whatever the columns wrapped them onto.
    let text = pdftotext(&dir.path().join("census.pdf"))
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    for name in [&nowhere_name, &unknown_bed_name] {
        assert!(
            text.contains(name.as_str()),
            "{name} must be on the printed census:\n{text}"
        );
    }
    assert!(
        text.contains("No bed recorded"),
        "listed as no bed recorded:\n{text}"
    );
    assert!(
        text.contains("No ward recorded"),
        "the patient with no ward is in a part of their own"
    );
    assert!(
        text.contains("2 patients have no bed recorded"),
        "the page says what the import left out:\n{text}"
    );
}
