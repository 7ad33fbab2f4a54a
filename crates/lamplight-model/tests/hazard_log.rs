//! The hazard log names real tests (`docs/clinical-safety/hazard-log.md`).
//!
//! The clinical safety file says, for each hazard, which tests show that each control works. A
//! name that no longer matches a test (renamed, deleted, mistyped) would leave a control that
//! looks tested and is not. This test reads the log and fails, listing every problem at once, when:
//! - a name on a `Tests:` line is neither a Rust test (`#[test] fn name(` in a `.rs` file under
//!   `crates/` or `src-tauri/`, not `#[ignore]`d) nor a TypeScript or end-to-end test title
//!   (`it("title"`, `test("title"` or `windowTest("title"` under `ui/src` or `tests/e2e`);
//! - a control has no `Tests:` line, or a hazard has no test that exists now;
//! - the log has fewer than the ten hazards issue 12 requires, or one of them is missing;
//! - a hazard's initial or residual risk is not the one the DCB0129 matrix gives.
//!
//! A name written `pending: name` is a test being built elsewhere and is skipped; the hazard still
//! needs a test that exists. Directories are walked with `std` alone, skipping `target/` and
//! `node_modules/`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The hazards issue 12 requires, each found by words its heading must contain (lower case).
const REQUIRED: [(&str, &[&str]); 10] = [
    ("stale data shown or printed without its age", &["stale"]),
    (
        "a patient missing from the board or census",
        &["missing", "board"],
    ),
    ("a dose recorded against the wrong patient", &["wrong patient"]),
    ("an entry lost in a crash", &["lost", "crash"]),
    (
        "a dose given twice because two PCs did not see each other",
        &["twice", "two pcs"],
    ),
    ("a duplicate filed back to the EPR", &["filed twice", "epr"]),
    ("NEWS2 mis-scored or mis-charted", &["news2"]),
    ("a value read in the wrong unit", &["wrong unit"]),
    ("a downtime admission not matched", &["admission", "not matched"]),
    ("invented patients shown as real", &["invented"]),
];

const SEVERITIES: [&str; 5] = ["minor", "significant", "considerable", "major", "catastrophic"];
const LIKELIHOODS: [&str; 5] = ["very low", "low", "medium", "high", "very high"];

/// DCB0129's risk matrix: `MATRIX[likelihood][severity]`, both from the lowest.
const MATRIX: [[u8; 5]; 5] = [
    [1, 1, 2, 2, 3], // very low
    [1, 2, 2, 3, 4], // low
    [2, 2, 3, 3, 4], // medium
    [2, 3, 3, 4, 5], // high
    [3, 4, 4, 5, 5], // very high
];

#[derive(Default)]
struct Hazard {
    id: String,
    title: String,
    controls: Vec<Control>,
    risks: Vec<(String, String)>,
}

struct Control {
    id: String,
    tests: Vec<String>,
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("the crate sits at crates/lamplight-model")
        .to_path_buf()
}

/// The backticked names of a `Tests:` line.
fn backticked(line: &str) -> Vec<String> {
    line.split('`')
        .skip(1)
        .step_by(2)
        .map(|s| s.trim().to_owned())
        .collect()
}

fn parse(log: &str, problems: &mut Vec<String>) -> Vec<Hazard> {
    let mut hazards: Vec<Hazard> = Vec::new();
    for (n, raw) in log.lines().enumerate() {
        let line = raw.trim();
        let at = n + 1;
        if let Some(rest) = line
            .strip_prefix("## H")
            .filter(|r| r.starts_with(|c: char| c.is_ascii_digit()))
        {
            let (id, title) = rest.split_once(' ').unwrap_or((rest, ""));
            hazards.push(Hazard {
                id: format!("H{id}"),
                title: title.trim().to_owned(),
                ..Hazard::default()
            });
            continue;
        }
        let Some(hazard) = hazards.last_mut() else {
            if line.starts_with("Tests:") {
                problems.push(format!("line {at}: a Tests: line before the first hazard"));
            }
            continue;
        };
        if let Some(rest) = line.strip_prefix("- **C") {
            let id = rest.split('.').next().unwrap_or_default();
            hazard.controls.push(Control {
                id: format!("C{id}"),
                tests: Vec::new(),
            });
        } else if let Some(rest) = line.strip_prefix("Tests:") {
            let names = backticked(rest);
            let Some(control) = hazard.controls.last_mut() else {
                problems.push(format!(
                    "line {at}: {}: a Tests: line outside a control",
                    hazard.id
                ));
                continue;
            };
            if names.is_empty() {
                problems.push(format!(
                    "line {at}: {} {}: a Tests: line with no test in backticks",
                    hazard.id, control.id
                ));
            }
            control.tests.extend(names);
        } else if let Some(rest) = line
            .strip_prefix("**Initial risk.**")
            .map(|r| ("initial", r))
            .or_else(|| line.strip_prefix("**Residual risk.**").map(|r| ("residual", r)))
        {
            hazard.risks.push((rest.0.to_owned(), rest.1.trim().to_owned()));
        }
    }
    hazards
}

/// `Severity: major. Likelihood: low. Risk: 3.` checked against the matrix.
fn check_risk(hazard: &str, which: &str, text: &str) -> Result<(), String> {
    let field = |name: &str| {
        text.split_once(&format!("{name}: "))
            .and_then(|(_, rest)| rest.split_once('.'))
            .map(|(value, _)| value.trim().to_lowercase())
            .ok_or_else(|| format!("{hazard}: the {which} risk has no `{name}: ….`"))
    };
    let (severity, likelihood, risk) = (field("Severity")?, field("Likelihood")?, field("Risk")?);
    let s = SEVERITIES
        .iter()
        .position(|v| *v == severity)
        .ok_or_else(|| format!("{hazard}: {which} severity {severity:?} is none of {SEVERITIES:?}"))?;
    let l = LIKELIHOODS
        .iter()
        .position(|v| *v == likelihood)
        .ok_or_else(|| format!("{hazard}: {which} likelihood {likelihood:?} is none of {LIKELIHOODS:?}"))?;
    let expected = MATRIX[l][s];
    if risk != expected.to_string() {
        return Err(format!(
            "{hazard}: {which} risk says {risk}, but {severity} and {likelihood} give {expected} in the matrix"
        ));
    }
    Ok(())
}

fn walk(dir: &Path, ends: &[&str], out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            if name != "target" && name != "node_modules" && name != ".git" {
                walk(&path, ends, out);
            }
        } else if kind.is_file() && ends.iter().any(|e| name.to_string_lossy().ends_with(e)) {
            out.push(path);
        }
    }
}

/// Names of Rust tests: a `fn name(` whose attributes above it include `#[test]` and no
/// `#[ignore`. A helper of the same name is no test; an ignored test does not run.
fn rust_tests(source: &str, tests: &mut BTreeSet<String>, ignored: &mut BTreeSet<String>) {
    let lines: Vec<&str> = source.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let code = line.trim_start();
        let Some(after) = code
            .strip_prefix("fn ")
            .or_else(|| code.strip_prefix("pub fn "))
            .or_else(|| code.strip_prefix("async fn "))
        else {
            continue;
        };
        let name: String = after
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if name.is_empty() || !after[name.len()..].starts_with('(') {
            continue;
        }
        // Attributes and comments above the fn, an attribute written over several lines
        // (`#[allow(` … `)]`) read whole.
        let mut attributes: Vec<&str> = Vec::new();
        let mut inside = false;
        for l in lines[..i].iter().rev().map(|l| l.trim()) {
            if inside {
                attributes.push(l);
                inside = !l.starts_with("#[");
            } else if l.starts_with("#[") || l.starts_with("///") || l.starts_with("//") {
                attributes.push(l);
            } else if l == ")]" || l.ends_with(")]") {
                attributes.push(l);
                inside = true;
            } else {
                break;
            }
        }
        if attributes
            .iter()
            .any(|a| *a == "#[test]" || a.ends_with("::test]"))
        {
            if attributes.iter().any(|a| a.starts_with("#[ignore")) {
                ignored.insert(name);
            } else {
                tests.insert(name);
            }
        }
    }
}

/// Titles of vitest and node:test tests: `it("title"`, `test("title"`, `windowTest("title"`, with
/// any of the three quotes, on one line.
fn js_titles(source: &str, titles: &mut BTreeSet<String>) {
    for call in ["it(", "test(", "windowTest("] {
        let mut from = 0;
        while let Some(found) = source[from..].find(call) {
            let start = from + found;
            from = start + call.len();
            let before = source[..start].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.' || c == '$') {
                continue;
            }
            let rest = source[from..].trim_start_matches([' ', '\t']);
            let Some(quote) = rest.chars().next().filter(|q| matches!(q, '"' | '\'' | '`')) else {
                continue;
            };
            let mut title = String::new();
            let mut chars = rest[1..].chars();
            let mut closed = false;
            while let Some(c) = chars.next() {
                match c {
                    '\\' => title.extend(chars.next()),
                    '\n' => break,
                    c if c == quote => {
                        closed = true;
                        break;
                    }
                    c => title.push(c),
                }
            }
            if closed {
                titles.insert(title);
            }
        }
    }
}

/// The tests found in the repository.
struct Known {
    rust: BTreeSet<String>,
    ignored: BTreeSet<String>,
    titles: BTreeSet<String>,
}

/// Checks each hazard's ids, controls, tests and risks; gives how many tests were cited.
fn check_hazards(hazards: &[Hazard], known: &Known, problems: &mut Vec<String>) -> usize {
    let mut seen_ids = BTreeSet::new();
    let mut cited = 0;
    for (i, hazard) in hazards.iter().enumerate() {
        let expected_id = format!("H{:02}", i + 1);
        if hazard.id != expected_id || !seen_ids.insert(hazard.id.clone()) {
            problems.push(format!(
                "hazard {:?} should be {expected_id}: ids run H01, H02, … in order",
                hazard.id
            ));
        }
        if hazard.controls.is_empty() {
            problems.push(format!("{}: no controls (`- **C1.** …`)", hazard.id));
        }
        let mut existing = 0;
        for control in &hazard.controls {
            if control.tests.is_empty() {
                problems.push(format!(
                    "{} {}: no `Tests:` line: say which test shows the control works",
                    hazard.id, control.id
                ));
            }
            for name in &control.tests {
                if name.starts_with("pending:") {
                    continue;
                }
                cited += 1;
                if known.rust.contains(name) || known.titles.contains(name) {
                    existing += 1;
                } else if known.ignored.contains(name) {
                    problems.push(format!(
                        "{} {}: `{name}` is #[ignore]d, so it shows nothing",
                        hazard.id, control.id
                    ));
                } else {
                    problems.push(format!(
                        "{} {}: no test named `{name}` (a Rust #[test] fn under crates/ or src-tauri/, or a test title under ui/src or tests/e2e)",
                        hazard.id, control.id
                    ));
                }
            }
        }
        if existing == 0 {
            problems.push(format!(
                "{}: no test that exists now shows any of its controls",
                hazard.id
            ));
        }
        for which in ["initial", "residual"] {
            match hazard.risks.iter().find(|(w, _)| w == which) {
                Some((_, text)) => {
                    if let Err(e) = check_risk(&hazard.id, which, text) {
                        problems.push(e);
                    }
                }
                None => problems.push(format!(
                    "{}: no {which} risk (a line starting `**Initial risk.**` or `**Residual risk.**`)",
                    hazard.id
                )),
            }
        }
    }
    cited
}

#[test]
fn every_test_the_hazard_log_names_exists_and_every_hazard_has_one() {
    let root = repo_root();
    let log_path = root.join("docs/clinical-safety/hazard-log.md");
    let log = std::fs::read_to_string(&log_path)
        .unwrap_or_else(|e| panic!("the hazard log must be at {}: {e}", log_path.display()));

    let (mut rust, mut ignored, mut titles) = (BTreeSet::new(), BTreeSet::new(), BTreeSet::new());
    let mut files = Vec::new();
    for dir in ["crates", "src-tauri"] {
        walk(&root.join(dir), &[".rs"], &mut files);
    }
    for file in &files {
        if let Ok(source) = std::fs::read_to_string(file) {
            rust_tests(&source, &mut rust, &mut ignored);
        }
    }
    let mut scripts = Vec::new();
    walk(&root.join("ui/src"), &[".test.ts"], &mut scripts);
    walk(&root.join("tests/e2e"), &[".mjs"], &mut scripts);
    for file in &scripts {
        if let Ok(source) = std::fs::read_to_string(file) {
            js_titles(&source, &mut titles);
        }
    }
    assert!(
        rust.len() > 100 && titles.len() > 50,
        "the walk must find the repository's tests (found {} Rust tests and {} titles under {})",
        rust.len(),
        titles.len(),
        root.display()
    );

    let mut problems = Vec::new();
    let hazards = parse(&log, &mut problems);
    let known = Known {
        rust,
        ignored,
        titles,
    };
    let cited = check_hazards(&hazards, &known, &mut problems);
    if hazards.len() < REQUIRED.len() {
        problems.push(format!(
            "the log names {} hazards: issue 12 requires at least {}",
            hazards.len(),
            REQUIRED.len()
        ));
    }
    for (what, words) in REQUIRED {
        let found = hazards.iter().any(|h| {
            let title = h.title.to_lowercase();
            words.iter().all(|w| title.contains(w))
        });
        if !found {
            problems.push(format!(
                "no hazard heading names {what:?} (a heading with the words {words:?})"
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "the hazard log must name only tests that exist, so that every control it claims is shown by a test that runs ({} problems):\n{}",
        problems.len(),
        problems.join("\n")
    );
    assert!(
        cited >= hazards.len(),
        "{cited} tests cited for {} hazards",
        hazards.len()
    );
}

#[test]
fn the_checker_reads_names_titles_and_risks_as_the_log_writes_them() {
    let mut problems = Vec::new();
    let log = "## H01 One\n\n**Initial risk.** Severity: major. Likelihood: medium. Risk: 3.\n\n- **C1.** Here.\n  Tests: `a_b`, `pending: c_d`, `says \"so\", then stops`\n- **C2.** There.\n\n**Residual risk.** Severity: major. Likelihood: low. Risk: 2.\n";
    let hazards = parse(log, &mut problems);
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(hazards.len(), 1);
    assert_eq!(hazards[0].title, "One");
    assert_eq!(
        hazards[0].controls[0].tests,
        ["a_b", "pending: c_d", "says \"so\", then stops"]
    );
    assert!(hazards[0].controls[1].tests.is_empty(), "C2 has no Tests: line");
    assert!(check_risk("H01", "initial", &hazards[0].risks[0].1).is_ok());
    assert!(
        check_risk("H01", "residual", &hazards[0].risks[1].1).is_err(),
        "major and low give 3, not 2"
    );

    let (mut tests, mut ignored) = (BTreeSet::new(), BTreeSet::new());
    rust_tests(
        "#[test]\nfn a_test() {}\nfn helper() {}\n#[test]\n#[ignore = \"slow\"]\nfn slow() {}\n    #[test]\n    fn inner(x in 0..3) {}\n",
        &mut tests,
        &mut ignored,
    );
    assert_eq!(tests, BTreeSet::from(["a_test".to_owned(), "inner".to_owned()]));
    assert_eq!(ignored, BTreeSet::from(["slow".to_owned()]));

    let mut titles = BTreeSet::new();
    js_titles(
        "it(\"says 'none' only then\", () => {});\ntest('one', () => {});\nwindowTest(\"two\", async () => {});\npattern.test(\"not a title\");\nit.each([1])(\"skipped\", () => {});\n",
        &mut titles,
    );
    assert_eq!(
        titles,
        BTreeSet::from([
            "says 'none' only then".to_owned(),
            "one".to_owned(),
            "two".to_owned()
        ])
    );
}
