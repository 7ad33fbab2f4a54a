//! Logs, one setup for the window, the `lamplight` command and the agent: warnings and errors to
//! stderr (which journald keeps for a systemd service), and structured JSON lines to a file per
//! program, rotated daily and kept for [`KEEP_DAYS`] days (`lamplight-app/lamplight-app.2026-12-01.log`), in the
//! OS's place for an application's logs unless one is configured.
//!
//! What is logged is ids, codes and counts, never patient data: no name, NHS number, date of birth
//! or clinical value, in a message or a field (`docs/security.md`). `make test` runs every test
//! with a log folder at debug level and then scans it for the demo's patients
//! (`crates/lamplight-cli/tests/log_scan.rs`), so a careless log line fails the build.
//!
//! - `LAMPLIGHT_LOG`: the stderr filter (`warn` by default; `info`, `lamplight_station=debug`…).
//! - `LAMPLIGHT_LOG_DIR`: the folder for log files, `off` for none. By default: on Linux
//!   `$XDG_STATE_HOME/lamplight/logs` (`~/.local/state/lamplight/logs`), on Windows
//!   `%LOCALAPPDATA%\Lamplight\logs`, on macOS `~/Library/Logs/Lamplight`.
//! - `LAMPLIGHT_LOG_FILE_LEVEL`: the file's filter (`info` by default).

use std::path::PathBuf;

use tracing_subscriber::EnvFilter;
use tracing_subscriber::Layer as _;
use tracing_subscriber::layer::SubscriberExt as _;
use tracing_subscriber::util::SubscriberInitExt as _;

/// Sets up logging for the program `name` (`lamplight-app`, `lamplight`). Once per process; a
/// second call does nothing. A log folder that cannot be made is said on stderr, and logging
/// goes on to stderr alone.
pub fn init(name: &str) {
    init_keeping(name, KEEP_DAYS);
}

/// [`init`], keeping `days` days of log files (`retention.log_days` in the configuration file).
pub fn init_keeping(name: &str, days: usize) {
    // The program's own last word (its error, already said on stderr in its own words) goes to the
    // file only: `target: EXIT_TARGET`.
    let stderr_filter = std::env::var("LAMPLIGHT_LOG")
        .ok()
        .and_then(|f| EnvFilter::try_new(format!("{f},{EXIT_TARGET}=off")).ok())
        .unwrap_or_else(|| EnvFilter::new(format!("warn,{EXIT_TARGET}=off")));
    let stderr = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_target(false)
        .with_filter(stderr_filter);
    // Each program in its own folder: pruning old files goes by name prefix, and `lamplight`'s
    // would otherwise count (and remove) `lamplight-app`'s.
    let file = log_dir().map(|d| d.join(name)).and_then(|dir| {
        if let Err(e) = std::fs::create_dir_all(&dir) {
            eprintln!(
                "{name}: the log folder {} could not be made ({e}): logging to stderr only",
                dir.display()
            );
            return None;
        }
        let level = std::env::var("LAMPLIGHT_LOG_FILE_LEVEL")
            .ok()
            .and_then(|f| EnvFilter::try_new(f).ok())
            .unwrap_or_else(|| EnvFilter::new("info"));
        let appender = match tracing_appender::rolling::Builder::new()
            .rotation(tracing_appender::rolling::Rotation::DAILY)
            .filename_prefix(name)
            .filename_suffix("log")
            .max_log_files(days.max(1))
            .build(&dir)
        {
            Ok(a) => a,
            Err(e) => {
                eprintln!(
                    "{name}: no log file can be written in {} ({e}): logging to stderr only",
                    dir.display()
                );
                return None;
            }
        };
        Some(
            tracing_subscriber::fmt::layer()
                .json()
                .with_writer(appender)
                .with_filter(level),
        )
    });
    let _ = tracing_subscriber::registry().with(stderr).with(file).try_init();
}

/// The target of a program's closing error line, which is kept out of stderr (the program prints
/// it there itself).
pub const EXIT_TARGET: &str = "lamplight_exit";

/// How many days of log files are kept (older ones are removed as a new day's file starts).
pub const KEEP_DAYS: usize = 14;

fn log_dir() -> Option<PathBuf> {
    let var = |k: &str| std::env::var_os(k).filter(|v| !v.is_empty()).map(PathBuf::from);
    match var("LAMPLIGHT_LOG_DIR") {
        Some(d) if d.as_os_str() == "off" => None,
        Some(d) => Some(d),
        None => default_log_dir(var),
    }
}

/// The OS's place for an application's own logs.
fn default_log_dir(var: impl Fn(&str) -> Option<PathBuf>) -> Option<PathBuf> {
    if cfg!(windows) {
        var("LOCALAPPDATA").map(|d| d.join("Lamplight").join("logs"))
    } else if cfg!(target_os = "macos") {
        var("HOME").map(|h| h.join("Library").join("Logs").join("Lamplight"))
    } else {
        var("XDG_STATE_HOME")
            .or_else(|| var("HOME").map(|h| h.join(".local").join("state")))
            .map(|d| d.join("lamplight").join("logs"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logs_go_where_the_os_keeps_an_applications_logs() {
        let env = |k: &str| match k {
            "HOME" => Some(PathBuf::from("/home/ward7")),
            _ => None,
        };
        if cfg!(target_os = "linux") {
            assert_eq!(
                default_log_dir(env),
                Some(PathBuf::from("/home/ward7/.local/state/lamplight/logs"))
            );
            let xdg = |k: &str| (k == "XDG_STATE_HOME").then(|| PathBuf::from("/var/state"));
            assert_eq!(
                default_log_dir(xdg),
                Some(PathBuf::from("/var/state/lamplight/logs"))
            );
        }
        assert_eq!(default_log_dir(|_| None), None, "no home: stderr only");
    }
}
