//! Handing a finished PDF to the system printer, with no file written.

use std::io::Write as _;
use std::process::{Command, Stdio};

/// The name of the person signed in to this computer, for "printed by" when none is given.
pub fn os_user() -> String {
    ["USER", "USERNAME", "LOGNAME"]
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|v| !v.trim().is_empty()))
        .unwrap_or_else(|| "unknown user".to_owned())
}

/// Why a PDF could not reach the printer.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PrinterError {
    #[error(
        "no printing system found (the `lp` command of CUPS is not installed): use Save as PDF and print it from another PC, or ask IT to install CUPS"
    )]
    NoCups,
    #[error(
        "the printer refused the job: {0} (check a printer is set up and switched on, or use Save as PDF)"
    )]
    Refused(String),
    #[error("could not hand the document to the printing system: {0}")]
    Io(#[from] std::io::Error),
}

/// Sends a PDF to the default printer (or `printer`) through CUPS's `lp`, on its standard input:
/// no file is written. Returns what `lp` said.
pub fn send_to_printer(pdf: &[u8], printer: Option<&str>, title: &str) -> Result<String, PrinterError> {
    let mut cmd = Command::new("lp");
    if let Some(p) = printer {
        cmd.args(["-d", p]);
    }
    cmd.args(["-t", title, "-"]);
    let mut child = match cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    {
        Ok(c) => c,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(PrinterError::NoCups),
        Err(e) => return Err(e.into()),
    };
    if let Some(mut stdin) = child.stdin.take() {
        // A printer that refuses early closes the pipe: its message below says why.
        let _ = stdin.write_all(pdf);
    }
    let out = child.wait_with_output()?;
    if !out.status.success() {
        let reason = String::from_utf8_lossy(&out.stderr).trim().to_owned();
        return Err(PrinterError::Refused(if reason.is_empty() {
            format!("lp exited with {}", out.status)
        } else {
            reason
        }));
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
}
