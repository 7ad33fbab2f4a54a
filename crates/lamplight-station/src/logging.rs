//! Logs, one setup for the window, the `lamplight` command and the agent: warnings and errors to
//! stderr, and, when a log folder is configured, structured JSON lines to a file per program
//! rotated daily (`lamplight-app.log.2026-12-01`), as a service's logs are kept.
//!
//! What is logged is ids, codes and counts, never patient data: no name, NHS number, date of birth
//! or clinical value, in a message or a field (`docs/security.md`). `make test` runs every test
//! with a log folder at debug level and then scans it for the demo's patients
//! (`crates/lamplight-cli/tests/log_scan.rs`), so a careless log line fails the build.
//!
//! - `LAMPLIGHT_LOG`: the stderr filter (`warn` by default; `info`, `lamplight_station=debug`…).
//! - `LAMPLIGHT_LOG_DIR`: the folder for log files; none by default.
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
    let file = log_dir().and_then(|dir| {
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
        let appender = tracing_appender::rolling::daily(&dir, format!("{name}.log"));
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

fn log_dir() -> Option<PathBuf> {
    std::env::var_os("LAMPLIGHT_LOG_DIR")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
}
