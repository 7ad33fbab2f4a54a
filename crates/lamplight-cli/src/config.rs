//! Every `lamplight` command reads the configuration file the app and the agent read
//! (`lamplight_station::settings`), and its flags override it.
//!
//! How: before the command line is parsed, each setting of the file is given to the command as the
//! flag it would have been, when the command takes that flag and it was not given ([`flags`]: one
//! table). So `lamplight verify` on a configured PC needs no `--vault`, and `lamplight verify
//! --vault other` still looks at `other`. A command that takes no such flag is untouched: the file
//! never changes what a command means, only fills in what it would have asked for.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::CommandFactory as _;
use lamplight_station::settings::{self, ConfigFile};

/// Which file: `--config F` anywhere on the command line, else `LAMPLIGHT_CONFIG`, else the system's.
pub fn locate(argv: &[OsString]) -> Option<PathBuf> {
    let flag = argv
        .windows(2)
        .find(|w| w[0] == "--config")
        .map(|w| PathBuf::from(&w[1]))
        .or_else(|| {
            argv.iter()
                .find_map(|a| a.to_str()?.strip_prefix("--config=").map(PathBuf::from))
        });
    settings::locate(flag.as_deref(), |k| std::env::var_os(k))
}

/// Settings of the file as the flags that give them, one row each: (flag, repeatable, value).
fn flags(file: &ConfigFile, subcommand: &str) -> Vec<(&'static str, Vec<String>)> {
    let path = |p: &Option<PathBuf>| p.iter().map(|p| p.display().to_string()).collect::<Vec<_>>();
    let epr = file.epr.as_ref();
    // `refresh` and `stage` take the EPR as --from (stage also takes a bundle file there, so the
    // file's EPR fills it only for refresh).
    let epr_flag = if subcommand == "refresh" { "from" } else { "epr" };
    vec![
        ("vault", path(&file.vault)),
        ("identity", file.identity.iter().cloned().collect()),
        ("passphrase-file", path(&file.passphrase_file)),
        ("previous-identity", file.previous_identities.clone()),
        ("trust", file.trust.clone()),
        ("ward", file.wards.clone()),
        ("ward-folder", path(&file.ward_folder)),
        ("status-dir", path(&file.status_dir)),
        ("recipients-file", path(&file.recipients_file)),
        ("sign-with", path(&file.sign_with)),
        ("pc", file.pc.iter().cloned().collect()),
        (epr_flag, epr.map(|e| e.url.clone()).into_iter().collect()),
        ("token-file", epr.map(|e| path(&e.token_file)).unwrap_or_default()),
        ("ca-file", epr.map(|e| path(&e.ca_file)).unwrap_or_default()),
        (
            "keep",
            file.retention
                .as_ref()
                .and_then(|r| r.generations)
                .map(|g| g.to_string())
                .into_iter()
                .collect(),
        ),
        (
            "stale-after",
            file.stale_after_mins.map(|m| m.to_string()).into_iter().collect(),
        ),
        (
            "every-secs",
            file.refresh
                .as_ref()
                .and_then(|r| r.every_secs)
                .map(|s| s.to_string())
                .into_iter()
                .collect(),
        ),
    ]
}

/// `argv` with the file's settings added as flags the command takes and was not given.
pub fn fill(argv: Vec<OsString>, file: &ConfigFile) -> Vec<OsString> {
    let root = crate::Cli::command();
    // The deepest subcommand named on the line (`roster add`, `downtime status`).
    let mut cmd = &root;
    let mut names = Vec::new();
    for a in argv.iter().skip(1) {
        let Some(a) = a.to_str() else { continue };
        if let Some(sub) = cmd.find_subcommand(a) {
            names.push(a.to_owned());
            cmd = sub;
        }
    }
    if names.is_empty() {
        return argv;
    }
    let given = |long: &str| {
        argv.iter().any(|a| {
            a.to_str()
                .is_some_and(|a| a == format!("--{long}") || a.starts_with(&format!("--{long}=")))
        })
    };
    let takes = |long: &str| cmd.get_arguments().any(|arg| arg.get_long() == Some(long));
    // A command told --site means every ward: the file's wards must not contradict it.
    let site_given = given("site");
    let mut out = argv.clone();
    for (long, values) in flags(file, &names[0]) {
        if values.is_empty() || !takes(long) || given(long) || (long == "ward" && site_given) {
            continue;
        }
        for v in values {
            out.push(format!("--{long}").into());
            out.push(v.into());
        }
    }
    out
}
