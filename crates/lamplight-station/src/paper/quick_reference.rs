//! The ward quick-reference card: what a nurse and the nurse in charge do on this PC when the EPR
//! goes down, on one A4 page kept by every ward PC, and in `docs/quick-reference.md`.
//!
//! The card is written here once, as data ([`QuickReference`]); `lamplight-print` lays it out as
//! the PDF and writes the Markdown, and a test holds the docs file to it. What a screen says is
//! taken from where the screen takes it (the mode's headline and actions, the omission codes the
//! drug chart's legend prints, the NEWS2 responses the observation form shows), and every button
//! or screen named in quotes is checked against the window's own source
//! (`every_quoted_name_on_the_card_is_one_the_window_or_the_station_uses`), so the card cannot
//! describe a button that does not exist.

use lamplight_model::news2::{self, Risk};
use lamplight_model::{Mode, ModeAction};
use lamplight_print::{CardItem, CardSection, QuickReference, Stamp, WriteIn};

use crate::mode::CONFIRM_DOWNTIME;

/// What the card says about the PC it is printed on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CardFacts {
    /// This PC's name; `None` prints a line to write it on.
    pub pc: Option<String>,
    /// The ward's name; `None` prints a line to write it on.
    pub ward: Option<String>,
    /// `14:05 21/11/2026`, or why there is no time; `None` prints a line to write it on.
    pub data_as_of: Option<String>,
    /// A signed-in session locks after this long without use; 0: never.
    pub idle_lock_minutes: i64,
    /// Whether the PC shares its entries with the ward's other PCs (a ward folder is set).
    pub shares_entries: bool,
}

/// `"Sign in"`: a name the window shows, quoted as the card quotes them (and the test finds them).
fn q(name: &str) -> String {
    format!("\"{name}\"")
}

fn point(lead: &str, text: impl Into<String>) -> CardItem {
    CardItem::Point {
        lead: lead.to_owned(),
        text: text.into(),
    }
}

fn section(heading: &str, items: Vec<CardItem>) -> CardSection {
    CardSection {
        heading: heading.to_owned(),
        items,
        columns: 1,
    }
}

fn write_in(label: &str, value: Option<String>) -> CardItem {
    CardItem::WriteIn(WriteIn {
        label: label.to_owned(),
        value,
    })
}

fn in_downtime() -> CardSection {
    section(
        "Is this PC in downtime?",
        vec![
            point(
                "The banner",
                format!(
                    "at the top of every screen says {}, and an orange frame goes round the window.",
                    q(Mode::Downtime.headline())
                ),
            ),
            point(
                "The data's age",
                format!(
                    "is the banner's last line. Red with {}: recent changes may be missing; check the paper record.",
                    q("STALE")
                ),
            ),
            point(
                "The EPR stops answering?",
                format!(
                    "The banner says so: the nurse in charge presses {} (or {}) with the reason. A planned \
                     downtime starts by itself.",
                    q(CONFIRM_DOWNTIME),
                    q(ModeAction::DeclareDowntime.label())
                ),
            ),
        ],
    )
}

fn signing_in(facts: &CardFacts) -> CardSection {
    let locked = if facts.idle_lock_minutes > 0 {
        format!("Locked after {} minutes without use?", facts.idle_lock_minutes)
    } else {
        "Locked?".to_owned()
    };
    section(
        "Signing in",
        vec![
            point(
                &format!("{} at the top:", q("Sign in")),
                "your name or user id and your downtime PIN (your account on the ward's downtime roster, not \
                 your EPR password).",
            ),
            point(
                "No roster on this PC?",
                format!(
                    "{}: full name, role and why; entries are marked as such.",
                    q("Emergency sign-in")
                ),
            ),
            point(
                &locked,
                format!(
                    "{} carries on where you were. {} when you leave.",
                    q("Sign in again"),
                    q("Sign out")
                ),
            ),
            point(
                "",
                "The board is for everyone; a patient's record and their paper need a person signed in.",
            ),
        ],
    )
}

fn recording() -> CardSection {
    section(
        "Recording care",
        vec![
            point(
                "Open the patient:",
                "click their bed on the board. Scan the wristband: another patient's band stops the entry.",
            ),
            point(
                "A dose:",
                format!(
                    "{}, press the dose's box: {}, or {} and its code.",
                    q("Drug chart: record doses"),
                    q("Given"),
                    q("Not given…")
                ),
            ),
            point(
                "NEWS2:",
                format!(
                    "{}, scored as you type; {}.",
                    q("Observations"),
                    q("Save observations")
                ),
            ),
            point(
                "Admission, transfer, discharge:",
                format!(
                    "{} on the board (a temporary DT- number until the EPR gives one); {}, {} on the record.",
                    q("Admit a patient"),
                    q("Transfer"),
                    q("Discharge")
                ),
            ),
            point(
                "Note, phoned result:",
                format!(
                    "{}; {}: read the value back to the caller first.",
                    q("Nursing note"),
                    q("Phoned result")
                ),
            ),
        ],
    )
}

fn saved(facts: &CardFacts) -> CardSection {
    let shared = if facts.shares_entries {
        "Within seconds every PC on the ward shows it, and all paper printed after includes it."
    } else {
        "This PC does not share its entries (no ward folder): other PCs do not see them. Print often."
    };
    section(
        "What \"Saved\" means",
        vec![
            point(
                &format!("{} (green, with the time)", q("Saved")),
                "only once the entry is on this PC's disk: it survives a crash or a power cut.",
            ),
            point("", shared),
            point(
                &format!("{}:", q("Not saved")),
                "nothing was kept. Do what it says, or use the downtime log.",
            ),
            point(
                &format!("{}:", q("⚠ Check before you go on")),
                format!("read it, then {} or cancel.", q("I have checked: record it")),
            ),
        ],
    )
}

fn printing() -> CardSection {
    section(
        "Printing",
        vec![
            point(
                &format!("{} on the board:", q("Print:")),
                format!(
                    "{}, {}, {}, {}, {}, {}. Each shows its pages first; {} if no printer works (not \
                     encrypted: print it, then delete it).",
                    q("Handover"),
                    q("Bed census"),
                    q("Drug charts"),
                    q("NEWS2 charts"),
                    q("Blank forms"),
                    q("Quick reference"),
                    q("Save as PDF")
                ),
            ),
            point(
                &format!("{}:", q("Print this ward's downtime pack")),
                "census, handover and every drug chart. Print it as downtime starts: the ward's copy if the \
                 PCs fail.",
            ),
        ],
    )
}

fn pc_fails(facts: &CardFacts) -> CardSection {
    let mut items = Vec::new();
    if facts.shares_entries {
        items.push(point(
            "Another PC on the ward",
            "shows all that was saved here: sign in there and carry on.",
        ));
    }
    items.push(point(
        "No PC at all:",
        "the last printed downtime pack, and the blank forms (admission, drug chart, NEWS2 chart, downtime \
         log). Write all that is done on the downtime log, and tell IT.",
    ));
    section("If this PC fails", items)
}

fn epr_back() -> CardSection {
    section(
        "When the EPR is back",
        vec![
            point(
                "",
                format!(
                    "When IT confirms it, the nurse in charge presses {}, then {}: its first button files all \
                     that needs nobody.",
                    q(ModeAction::StartRecovery.label()),
                    q("Reconcile: file downtime entries to the EPR")
                ),
            ),
            point(
                "A nurse decides only the conflicts,",
                format!(
                    "one at a time: {}, correct it, or {}.",
                    q("I have checked: file it as it is"),
                    q("Do not file: save the reason")
                ),
            ),
            point(
                "Paper:",
                format!(
                    "enter the downtime log and paper charts in the EPR by hand; initial {}.",
                    q("In EPR")
                ),
            ),
            point(
                "",
                format!("Then {}.", q(&format!("{}…", ModeAction::ReturnToNormal.label()))),
            ),
        ],
    )
}

/// The codes the drug chart's legend prints ([`super::omission_codes`]).
fn omission_codes() -> CardSection {
    CardSection {
        heading: "Omission codes (dose not given)".to_owned(),
        items: super::omission_codes()
            .into_iter()
            .map(|(code, label)| point(&code.to_string(), label))
            .collect(),
        columns: 2,
    }
}

/// The totals of each NEWS2 risk, read off [`news2::risk`] (low-medium is the one no total reaches
/// alone: a single parameter scoring 3), with the response the observation form shows
/// ([`Risk::response`]).
fn news2_responses() -> CardSection {
    /// The highest NEWS2 there is: 3 for each of six parameters and 2 for oxygen.
    const MAX_TOTAL: u8 = 20;
    let totals = |risk: Risk| -> Option<String> {
        let hits: Vec<u8> = (0..=MAX_TOTAL)
            .filter(|t| news2::risk(*t, false) == risk)
            .collect();
        let (first, last) = (*hits.first()?, *hits.last()?);
        Some(match last {
            _ if first == last => first.to_string(),
            MAX_TOTAL => format!("{first}+"),
            _ => format!("{first}-{last}"),
        })
    };
    let items = [Risk::Low, Risk::LowMedium, Risk::Medium, Risk::High]
        .into_iter()
        .map(|risk| {
            let lead =
                totals(risk).map_or_else(|| "A 3 in any one parameter:".to_owned(), |t| format!("{t}:"));
            point(&lead, risk.response())
        })
        .collect();
    section("NEWS2: what the score calls for", items)
}

fn who_to_call() -> CardSection {
    section(
        "Who to call",
        vec![
            write_in("IT service desk", None),
            write_in("Nurse in charge / bleep", None),
        ],
    )
}

/// The card for a PC, stamped like every other page.
pub fn card(stamp: Stamp, facts: &CardFacts) -> QuickReference {
    QuickReference {
        stamp,
        title: "Ward quick reference: when the EPR is down".to_owned(),
        subtitle:
            "For the ward's nurses and the nurse in charge, while the EPR cannot be used. Keep it by the PC."
                .to_owned(),
        ward: facts.ward.clone().unwrap_or_default(),
        identity: vec![
            WriteIn {
                label: "This PC".to_owned(),
                value: facts.pc.clone(),
            },
            WriteIn {
                label: "Ward".to_owned(),
                value: facts.ward.clone(),
            },
            WriteIn {
                label: "Data as of".to_owned(),
                value: facts.data_as_of.clone(),
            },
        ],
        sections: vec![
            in_downtime(),
            signing_in(facts),
            recording(),
            omission_codes(),
            news2_responses(),
            saved(facts),
            printing(),
            pc_fails(facts),
            epr_back(),
            who_to_call(),
        ],
    }
}

/// `docs/quick-reference.md`: the card of no PC in particular (a PC's name, ward and data age are
/// lines to write on), on a PC that shares its entries and locks after the default time.
pub fn markdown() -> String {
    let facts = CardFacts {
        idle_lock_minutes: crate::StationConfig::default().idle_lock_minutes,
        shares_entries: true,
        ..CardFacts::default()
    };
    let stamp = Stamp {
        data_as_of: String::new(),
        printed_at: String::new(),
        printed_by: String::new(),
        site: String::new(),
        notice: None,
    };
    format!(
        "<!-- Generated from crates/lamplight-station/src/paper/quick_reference.rs, which the printed card is \
         made from too. Edit that file, then: LAMPLIGHT_BLESS=1 cargo test -p lamplight-station --test \
         quick_reference -->\n\n{}\n\
         Printed from the app (the board's {} row) or with `lamplight print quick-reference`, the card also \
         names the PC, its ward and the age of its data, and carries the stamp every page does.\n",
        card(stamp, &facts).markdown(),
        q("Print:")
    )
}
