//! Handing a finished PDF to the system's printing, the one thing a downtime PC must always do.
//!
//! One interface, [`PrintRoute`], two ways in:
//! - **On its standard input** (Linux and macOS: CUPS `lp -t TITLE -`): no file is written.
//! - **As a file** (Windows, where no stock command prints a PDF): the PDF is written owner-only
//!   into a fresh private folder, the command is run on it, and the folder is removed whatever
//!   happens. The default is SumatraPDF (`SumatraPDF.exe -print-to-default -silent FILE`, or
//!   `-print-to PRINTER`), a small GPL-licensed reader IT installs beside Lamplight
//!   (`docs/printing.md` says how); any other program that prints a PDF given its path can be
//!   configured instead.
//!
//! `--print-command "PROGRAM ARG…"` (or `LAMPLIGHT_PRINT_COMMAND`) chooses the program: `{file}`
//! in it means the file route, `{title}` and `{printer}` are replaced, and without `{file}` the
//! PDF goes on the program's standard input. Written here, not taken from a crate: printing is
//! running one program the trust already has, and no crate does that better than `Command`.

use std::io::Write as _;
use std::path::Path;
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
        "the print program {0} is not installed on this PC: use Save as PDF and print it from another PC, or ask IT to install it (or set --print-command)"
    )]
    NoProgram(String),
    #[error(
        "the printer refused the job: {0} (check a printer is set up and switched on, or use Save as PDF)"
    )]
    Refused(String),
    #[error("could not hand the document to the printing system: {0}")]
    Io(#[from] std::io::Error),
    #[error("--print-command {0:?} names no program: give one, with {{file}} where it takes the PDF's path")]
    BadCommand(String),
}

/// How this PC prints: a program, its arguments (with `{file}`, `{title}`, `{printer}` to fill
/// in), and whether it takes the PDF on its standard input or as a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintRoute {
    program: String,
    args: Vec<String>,
}

impl Default for PrintRoute {
    /// The system's own: CUPS `lp` on Linux and macOS, SumatraPDF on Windows.
    fn default() -> Self {
        if cfg!(windows) {
            Self::parse("SumatraPDF.exe -print-to-default -silent {file}").expect("a valid command")
        } else {
            Self::parse("lp -t {title} -").expect("a valid command")
        }
    }
}

impl PrintRoute {
    /// A route from `--print-command`: words split on spaces (a program path with spaces goes in
    /// double quotes).
    pub fn parse(command: &str) -> Result<Self, PrinterError> {
        let mut words = Vec::new();
        let mut word = String::new();
        let mut quoted = false;
        for c in command.chars() {
            match c {
                '"' => quoted = !quoted,
                c if c.is_whitespace() && !quoted => {
                    if !word.is_empty() {
                        words.push(std::mem::take(&mut word));
                    }
                }
                c => word.push(c),
            }
        }
        if !word.is_empty() {
            words.push(word);
        }
        let mut words = words.into_iter();
        let program = words
            .next()
            .ok_or_else(|| PrinterError::BadCommand(command.to_owned()))?;
        Ok(Self {
            program,
            args: words.collect(),
        })
    }

    /// Whether the PDF is handed over as a file (else on standard input).
    pub fn takes_a_file(&self) -> bool {
        self.args.iter().any(|a| a.contains("{file}"))
    }

    /// Sends a PDF to the default printer (or `printer`); returns what the program said.
    pub fn print(&self, pdf: &[u8], printer: Option<&str>, title: &str) -> Result<String, PrinterError> {
        self.print_via(pdf, printer, title, None)
    }

    /// [`PrintRoute::print`], with the file route's private folder made under `temp` (the system's
    /// temp folder when `None`).
    fn print_via(
        &self,
        pdf: &[u8],
        printer: Option<&str>,
        title: &str,
        temp: Option<&Path>,
    ) -> Result<String, PrinterError> {
        if self.takes_a_file() {
            let mut builder = tempfile::Builder::new();
            builder.prefix("lamplight-print-");
            let dir = match temp {
                Some(parent) => builder.tempdir_in(parent)?,
                None => builder.tempdir()?,
            };
            let file = dir.path().join("lamplight-print.pdf");
            write_private(&file, pdf)?;
            let out = self.run(&file, printer, title, None);
            // The folder (and the one plain copy in it) goes now, not at some later clean-up.
            drop(dir);
            out
        } else {
            self.run(Path::new(""), printer, title, Some(pdf))
        }
    }

    fn run(
        &self,
        file: &Path,
        printer: Option<&str>,
        title: &str,
        stdin: Option<&[u8]>,
    ) -> Result<String, PrinterError> {
        let mut args: Vec<String> = Vec::new();
        for a in &self.args {
            // `-print-to-default` means the default printer; a named one changes it for SumatraPDF,
            // and `lp -t T -` takes `-d NAME` before it.
            if a == "-print-to-default"
                && let Some(p) = printer
            {
                args.extend(["-print-to".to_owned(), p.to_owned()]);
                continue;
            }
            args.push(
                a.replace("{file}", &file.to_string_lossy())
                    .replace("{title}", title)
                    .replace("{printer}", printer.unwrap_or_default()),
            );
        }
        if self.program == "lp"
            && let Some(p) = printer
            && !self.args.iter().any(|a| a.contains("{printer}"))
        {
            args.splice(0..0, ["-d".to_owned(), p.to_owned()]);
        }
        let mut cmd = Command::new(&self.program);
        cmd.args(&args)
            .stdin(if stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = match cmd.spawn() {
            Ok(c) => c,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(if self.program == "lp" {
                    PrinterError::NoCups
                } else {
                    PrinterError::NoProgram(self.program.clone())
                });
            }
            Err(e) => return Err(e.into()),
        };
        if let (Some(bytes), Some(mut pipe)) = (stdin, child.stdin.take()) {
            // A printer that refuses early closes the pipe: its message below says why.
            let _ = pipe.write_all(bytes);
        }
        let out = child.wait_with_output()?;
        if !out.status.success() {
            let reason = String::from_utf8_lossy(&out.stderr).trim().to_owned();
            return Err(PrinterError::Refused(if reason.is_empty() {
                format!("{} exited with {}", self.program, out.status)
            } else {
                reason
            }));
        }
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
    }
}

/// Writes the one plain copy the file route needs, readable by this account only.
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut open = std::fs::OpenOptions::new();
    open.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut open, 0o600);
    let mut f = open.open(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

/// Sends a PDF to the default printer (or `printer`) by this system's own route
/// ([`PrintRoute::default`]).
pub fn send_to_printer(pdf: &[u8], printer: Option<&str>, title: &str) -> Result<String, PrinterError> {
    PrintRoute::default().print(pdf, printer, title)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_command_is_split_into_words_with_quoted_paths_kept_whole() {
        let r = PrintRoute::parse(
            r#""C:\Program Files\SumatraPDF\SumatraPDF.exe" -print-to-default -silent {file}"#,
        )
        .unwrap();
        assert_eq!(r.program, r"C:\Program Files\SumatraPDF\SumatraPDF.exe");
        assert_eq!(r.args, ["-print-to-default", "-silent", "{file}"]);
        assert!(r.takes_a_file());
        assert!(!PrintRoute::parse("lp -t {title} -").unwrap().takes_a_file());
        assert!(matches!(
            PrintRoute::parse("   "),
            Err(PrinterError::BadCommand(_))
        ));
    }

    #[test]
    fn the_file_route_hands_a_real_file_to_the_program_and_removes_it_after() {
        // `cp` stands in for the Windows reader: it receives the path, as SumatraPDF would.
        let out = tempfile::tempdir().unwrap();
        let temp = tempfile::tempdir().unwrap();
        let copy = out.path().join("printed.pdf");
        let route = PrintRoute::parse(&format!("cp {{file}} {}", copy.display())).unwrap();
        route
            .print_via(b"%PDF-1.7 test", None, "Census", Some(temp.path()))
            .unwrap();
        assert_eq!(
            std::fs::read(&copy).unwrap(),
            b"%PDF-1.7 test",
            "the program got the whole PDF"
        );
        let left: Vec<_> = std::fs::read_dir(temp.path()).unwrap().flatten().collect();
        assert!(left.is_empty(), "no plain copy is left behind: {left:?}");
        // A program that fails leaves nothing behind either.
        let failing = PrintRoute::parse("false {file}").unwrap();
        assert!(
            failing
                .print_via(b"%PDF", None, "Census", Some(temp.path()))
                .is_err()
        );
        assert_eq!(std::fs::read_dir(temp.path()).unwrap().count(), 0);
    }

    #[test]
    fn a_missing_program_or_a_refusal_is_said_in_words_a_nurse_can_act_on() {
        let e = PrintRoute::parse("no-such-print-program {file}")
            .unwrap()
            .print(b"%PDF", None, "Census")
            .unwrap_err();
        assert!(matches!(e, PrinterError::NoProgram(_)), "{e}");
        assert!(e.to_string().contains("Save as PDF"), "{e}");
        let e = PrintRoute::parse("false {file}")
            .unwrap()
            .print(b"%PDF", None, "Census")
            .unwrap_err();
        assert!(matches!(e, PrinterError::Refused(_)), "{e}");
    }
}
