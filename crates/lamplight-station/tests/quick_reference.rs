//! The ward quick-reference card: one A4 page, read back with poppler (`pdfinfo`, `pdftotext`) as
//! a nurse holding it would read it; its omission codes the drug chart's; every button it names
//! one the window has; and `docs/quick-reference.md` the same words
//! (`LAMPLIGHT_BLESS=1 cargo test -p lamplight-station --test quick_reference` writes it again).

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic with its location is the clearest failure

use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::{DateTime, Utc};
use lamplight_print::{CardItem, Document, QuickReference};
use lamplight_station::{PrintDocument, PrintOptions, Station, StationConfig};

fn now() -> DateTime<Utc> {
    "2026-11-21T14:05:00Z".parse().unwrap()
}

fn options() -> PrintOptions {
    PrintOptions {
        printed_by: "RN Card Reader".into(),
        ..PrintOptions::default()
    }
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn card_of(station: &Station) -> QuickReference {
    let docs = station
        .print_documents(PrintDocument::QuickReference, &options(), now())
        .unwrap();
    let [Document::QuickReference(card)] = docs.as_slice() else {
        panic!("the quick reference is one document: {docs:?}")
    };
    card.clone()
}

fn tool(name: &str, args: &[&str], pdf: &Path) -> String {
    let out = Command::new(name)
        .args(args)
        .arg(pdf)
        .args(if name == "pdftotext" { &["-"][..] } else { &[][..] })
        .output()
        .unwrap_or_else(|_| {
            panic!("{name} is needed to read PDFs back: run packaging/install-deps.sh --test")
        });
    assert!(
        out.status.success(),
        "{name} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The card as printed: its page count as `pdfinfo` says, and its text, whitespace collapsed.
fn printed(station: &Station) -> (usize, String, String) {
    let pdf = station
        .print_pdf(PrintDocument::QuickReference, &options(), now())
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("card.pdf");
    std::fs::write(&path, &pdf.bytes).unwrap();
    let info = tool("pdfinfo", &[], &path);
    let field = |name: &str| {
        info.lines().find_map(|l| l.strip_prefix(name)).map_or_else(
            || panic!("pdfinfo gives no {name}: {info}"),
            |v| v.trim().to_owned(),
        )
    };
    let pages: usize = field("Pages:").parse().unwrap();
    assert_eq!(pages, pdf.pages, "pdfinfo sees as many pages as were drawn");
    let text = tool("pdftotext", &["-raw", "-enc", "UTF-8"], &path);
    (
        pages,
        field("Page size:"),
        text.split_whitespace().collect::<Vec<_>>().join(" "),
    )
}

/// Everything the card says, each heading and point as one string.
fn words(card: &QuickReference) -> Vec<String> {
    let mut all = vec![card.title.clone(), card.subtitle.clone()];
    for s in &card.sections {
        all.push(s.heading.clone());
        for i in &s.items {
            all.push(match i {
                CardItem::Point { lead, text } => format!("{lead} {text}"),
                CardItem::WriteIn(w) => w.label.clone(),
            });
        }
    }
    all
}

fn assert_reads_back_as_the_card(card: &QuickReference, text: &str) {
    // The page's own text wraps lines, so a heading and each point's first words are what can be
    // looked for whole.
    for heading in std::iter::once(&card.title).chain(card.sections.iter().map(|s| &s.heading)) {
        assert!(
            text.contains(heading.as_str()),
            "the card reads back with its heading {heading:?}: {text}"
        );
    }
}

#[test]
fn the_card_is_one_a4_page_with_its_headings_the_stamp_and_this_pc_read_back_by_poppler() {
    let station = Station::demo(now()).named("WD7-PC1").unwrap();
    let (pages, size, text) = printed(&station);
    assert_eq!(
        pages, 1,
        "the quick reference is one page a ward can pin up: {text}"
    );
    assert!(
        size.contains("595.") && size.contains("841."),
        "A4 portrait: {size}"
    );
    assert_reads_back_as_the_card(&card_of(&station), &text);
    for heading in [
        "Is this PC in downtime?",
        "Signing in",
        "Recording care",
        "What \"Saved\" means",
        "Printing",
        "If this PC fails",
        "When the EPR is back",
        "Who to call",
    ] {
        assert!(text.contains(heading), "the card covers {heading:?}");
    }
    assert!(
        text.contains("DOWNTIME COPY - data as of 14:05 21/11/2026"),
        "stamped with its data's age like every page"
    );
    assert!(text.contains("This PC: WD7-PC1"), "names the PC it is for");
    assert!(
        text.contains("Ward: Ward 7 (Acute Medicine)"),
        "names the ward of the data"
    );
    assert!(text.contains("Printed by RN Card Reader"), "says who printed it");
    assert!(text.contains("page 1 of 1"));
    assert!(
        text.contains("IT service desk: ____"),
        "a line to write the service desk's number on"
    );
}

#[test]
fn the_longest_card_still_fits_one_page() {
    // Sharing entries adds a point; a 64-character PC name and a long ward name wrap in the strip.
    let dir = tempfile::tempdir().unwrap();
    let config = StationConfig {
        ward_folder: Some(dir.path().to_path_buf()),
        ..StationConfig::default()
    };
    let long_pc = "WD7-PC1-IN-THE-SIDE-ROOM-BY-THE-NURSES-STATION-OF-THE-ACUTE-WARD";
    let station = Station::launch(&config, now()).unwrap().named(long_pc).unwrap();
    let card = card_of(&station);
    assert!(
        words(&card).iter().any(|w| w.contains("Another PC on the ward")),
        "a PC that shares its entries says another PC shows them"
    );
    let (pages, _, text) = printed(&station);
    assert_eq!(
        pages, 1,
        "the card with every point and a long PC name is still one page: {text}"
    );
    assert!(
        text.replace(' ', "").contains(long_pc),
        "the whole PC name is printed"
    );
}

#[test]
fn a_pc_with_no_ward_data_prints_the_card_with_lines_for_its_ward_and_no_data_age() {
    let station = Station::without_data(now()).named("WD7-PC2").unwrap();
    let (pages, _, text) = printed(&station);
    assert_eq!(pages, 1);
    assert!(text.contains("This PC: WD7-PC2"));
    assert!(
        text.contains("Ward: ____"),
        "the ward is a line to write on: {text}"
    );
    assert!(
        text.contains("data as of NO WARD DATA YET"),
        "never 'as of' the moment the PC started waiting: {text}"
    );
    assert!(
        !text.contains("when printed") && !text.contains("STALE: check for newer information"),
        "no data age and no staleness for data there is not: {text}"
    );
}

#[test]
fn the_card_lists_the_omission_codes_the_drug_chart_legend_prints() {
    let station = Station::demo(now());
    let card = card_of(&station);
    let on_card: Vec<(String, String)> = card
        .sections
        .iter()
        .find(|s| s.heading.starts_with("Omission codes"))
        .expect("the card has the omission codes")
        .items
        .iter()
        .map(|i| match i {
            CardItem::Point { lead, text } => (lead.clone(), text.clone()),
            CardItem::WriteIn(w) => panic!("{w:?} is not a code"),
        })
        .collect();
    let docs = station
        .print_documents(PrintDocument::BlankForms, &options(), now())
        .unwrap();
    let [Document::BlankForms(forms)] = docs.as_slice() else {
        panic!("the blank forms are one document")
    };
    let legend: Vec<(String, String)> = forms
        .omission_codes
        .iter()
        .map(|(c, l)| (c.to_string(), l.clone()))
        .collect();
    assert_eq!(
        on_card, legend,
        "one list of codes: what the card says is what the chart's legend says"
    );
}

/// The source files a name on the card may come from: the window's screens (not their tests),
/// the model's labels (mode headlines and actions), the station's banner words and the blank
/// forms' column headings.
fn sources() -> Vec<(PathBuf, String)> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, out);
            } else {
                out.push(p);
            }
        }
    }
    let root = repo();
    let mut files = Vec::new();
    walk(&root.join("ui/src"), &mut files);
    files.retain(|f| {
        let name = f.to_string_lossy();
        (name.ends_with(".svelte") || name.ends_with(".ts"))
            && !name.contains(".test.")
            && !name.contains("generated")
    });
    walk(&root.join("crates/lamplight-model/src"), &mut files);
    files.push(root.join("crates/lamplight-station/src/mode.rs"));
    files.push(root.join("crates/lamplight-print/src/blank.rs"));
    files
        .into_iter()
        .map(|f| {
            let text = std::fs::read_to_string(&f).unwrap();
            (f, text)
        })
        .collect()
}

#[test]
fn every_quoted_name_on_the_card_is_one_the_window_or_the_station_uses() {
    let station = Station::demo(now());
    let card = card_of(&station);
    let sources = sources();
    let mut quoted = Vec::new();
    for w in words(&card) {
        let parts: Vec<&str> = w.split('"').collect();
        assert!(parts.len() % 2 == 1, "quotes come in pairs: {w}");
        quoted.extend(parts.iter().skip(1).step_by(2).map(|s| (*s).to_owned()));
    }
    assert!(
        quoted.len() > 25,
        "the card names the window's buttons: {quoted:?}"
    );
    for name in quoted {
        assert!(
            sources.iter().any(|(_, text)| text.contains(&name)),
            "the card quotes {name:?}, which no screen of the window shows: a card must not name a button that \
             does not exist (fix the card, or the name)"
        );
    }
}

#[test]
fn docs_quick_reference_md_is_the_card_as_printed() {
    let path = repo().join("docs/quick-reference.md");
    let made = lamplight_station::paper::quick_reference::markdown();
    if std::env::var_os("LAMPLIGHT_BLESS").is_some() {
        std::fs::write(&path, &made).unwrap();
    }
    let on_disk = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("no {}: run with LAMPLIGHT_BLESS=1 once", path.display()));
    assert_eq!(
        on_disk, made,
        "docs/quick-reference.md differs from the card it documents (quick_reference.rs): run with \
         LAMPLIGHT_BLESS=1 and read the diff"
    );
    let card = card_of(&Station::demo(now()));
    for s in &card.sections {
        assert!(
            on_disk.contains(&format!("## {}", s.heading)),
            "the docs have the card's {:?}",
            s.heading
        );
    }
}
