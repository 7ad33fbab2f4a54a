//! The ward PC's window: a thin shell over [`lamplight_station::Station`].
//!
//! Each command takes the station from Tauri's state, calls one station function with the wall
//! clock, and maps a [`lamplight_station::StationError`] to the serialisable [`ApiError`]
//! `{code, message}` the UI branches on. No clinical rule lives here; everything a window can ask,
//! the CLI and the tests can ask the station directly. The station's background threads follow the
//! vault, check the EPR and refresh; the window polls `data_status` and redraws when its revision
//! changes. What the window may call is limited by capabilities/main.json.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]
#![forbid(unsafe_code)]
// Tauri hands a command its `State` by value; taking `&State` would not compile.
#![allow(clippy::needless_pass_by_value)]

use std::sync::{Arc, Mutex, OnceLock, PoisonError, RwLock};

use chrono::Utc;
use lamplight_station::reconcile::{DecisionRequest, EditRequest, WorklistView};
use lamplight_station::session::{EmergencySignIn, SessionView, SignInRequest};
use lamplight_station::{
    ApiError, Background, DataStatus, DrugChartForm, ErrorCode, ModeRequest, News2Preview, ObservationsDraft,
    Opening, PatientConfirmation, PatientView, PrintDocument, PrintOptions, PrintOutcome, PrintPreview,
    RecordOutcome, RecordRequest, SecretString, Station, StationConfig, Unlock, WardBoard, WardList,
};
use tauri::State;

/// The station this window opened, or why it could not: a PC configured with a vault it cannot
/// open shows that reason on every screen, never the demo ward. A PC whose key needs a passphrase
/// that no file gives starts locked (`passphrase_needed` on every screen, which the window answers
/// with its prompt) and opens at `unlock_identity`.
struct Opened(Arc<Doors>);

struct Doors {
    /// Read by every command, written once by a successful unlock: never held across a slow call,
    /// so the window's status polls answer while a passphrase is being checked.
    station: RwLock<Result<Arc<Station>, ApiError>>,
    /// While locked, what the unlock needs; held for the whole of one try, so tries come one at a
    /// time and the wait after wrong ones cannot be dodged by trying twice at once.
    unlock: Mutex<Option<Unlock>>,
    /// The threads that follow the vault, check the EPR and refresh; they run while the app does.
    background: OnceLock<Background>,
}

impl Opened {
    fn new(opening: Result<Opening, ApiError>) -> Self {
        let (station, unlock) = match opening {
            Ok(Opening::Open(station)) => (Ok(Arc::new(station)), None),
            Ok(Opening::NeedsPassphrase(unlock)) => (Err(unlock.locked()), Some(unlock)),
            Err(e) => (Err(e), None),
        };
        let doors = Doors {
            station: RwLock::new(station),
            unlock: Mutex::new(unlock),
            background: OnceLock::new(),
        };
        if let Ok(station) = doors.station() {
            doors.start(&station);
        }
        Self(Arc::new(doors))
    }

    fn get(&self) -> Result<Arc<Station>, ApiError> {
        self.0.station()
    }
}

impl Doors {
    fn station(&self) -> Result<Arc<Station>, ApiError> {
        self.station
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Follow the vault, check the EPR and refresh while the window is open.
    fn start(&self, station: &Arc<Station>) {
        let _ = self.background.set(Station::start(station));
    }
}

/// Opens this PC's identity with the passphrase a person typed: the status of the now open
/// station, or why not (`wrong_passphrase`, with `retry_after_seconds` after several). The
/// passphrase is a `SecretString` from here on, and is never logged nor sent back.
#[tauri::command]
async fn unlock_identity(opened: State<'_, Opened>, passphrase: String) -> Result<DataStatus, ApiError> {
    let passphrase = SecretString::from(passphrase);
    let doors = Arc::clone(&opened.0);
    // scrypt takes about a second, and a wait after wrong tries longer: off the window's thread.
    tauri::async_runtime::spawn_blocking(move || {
        let mut unlock = doors.unlock.lock().unwrap_or_else(PoisonError::into_inner);
        let Some(pending) = unlock.as_mut() else {
            // Already open (a second click that waited for the first), or never locked.
            return doors.station().map(|s| s.status(Utc::now()));
        };
        match pending.attempt(passphrase, Utc::now()) {
            Ok(station) => {
                let station = Arc::new(station);
                doors.start(&station);
                *doors.station.write().unwrap_or_else(PoisonError::into_inner) = Ok(Arc::clone(&station));
                *unlock = None;
                Ok(station.status(Utc::now()))
            }
            Err(e @ lamplight_station::StationError::WrongPassphrase { .. }) => Err(e.to_api()),
            // The passphrase was right, yet the data does not open (no snapshot, a damaged one):
            // that reason on every screen, as for a PC that needs no passphrase.
            Err(e) => {
                let api = e.to_api();
                *doors.station.write().unwrap_or_else(PoisonError::into_inner) = Err(api.clone());
                *unlock = None;
                Err(api)
            }
        }
    })
    .await
    .map_err(|e| ApiError {
        code: ErrorCode::Internal,
        message: format!("checking the passphrase stopped unexpectedly ({e}): try again"),
        warning: None,
        retry_after_seconds: None,
    })?
}

/// Where the data came from, how old it is, the PC's mode and the EPR's state.
#[tauri::command]
fn data_status(opened: State<'_, Opened>) -> Result<DataStatus, ApiError> {
    Ok(opened.get()?.status(Utc::now()))
}

/// The wards this station can show.
#[tauri::command]
fn ward_list(opened: State<'_, Opened>) -> Result<WardList, ApiError> {
    Ok(opened.get()?.wards(Utc::now()))
}

/// The board of one ward.
#[tauri::command(rename_all = "snake_case")]
fn ward_board(opened: State<'_, Opened>, ward_id: &str) -> Result<WardBoard, ApiError> {
    opened.get()?.board(ward_id, Utc::now()).map_err(|e| e.to_api())
}

/// Everything about one patient, opened by the signed-in person (audited); `reason` is the
/// person's stated reason for a record outside their wards (break-glass).
#[tauri::command(rename_all = "snake_case")]
fn patient_view(
    opened: State<'_, Opened>,
    patient_id: &str,
    reason: Option<String>,
) -> Result<PatientView, ApiError> {
    opened
        .get()?
        .open_record_with_reason(patient_id, reason.as_deref(), Utc::now())
        .map_err(|e| e.to_api())
}

/// Signs a person in with the roster.
#[tauri::command]
fn sign_in(opened: State<'_, Opened>, request: SignInRequest) -> Result<SessionView, ApiError> {
    opened
        .get()?
        .sign_in(&request, Utc::now())
        .map_err(|e| e.to_api())
}

/// Signs a person in without a roster (none reached this PC), marked and audited as such.
#[tauri::command]
fn emergency_sign_in(opened: State<'_, Opened>, request: EmergencySignIn) -> Result<SessionView, ApiError> {
    opened
        .get()?
        .emergency_sign_in(&request, Utc::now())
        .map_err(|e| e.to_api())
}

/// Ends the session on this PC.
#[tauri::command]
fn sign_out(opened: State<'_, Opened>) -> Result<SessionView, ApiError> {
    Ok(opened.get()?.sign_out(Utc::now()))
}

/// The person is using the window: keeps the session from locking.
#[tauri::command]
fn session_activity(opened: State<'_, Opened>) -> Result<SessionView, ApiError> {
    Ok(opened.get()?.session_activity(Utc::now()))
}

/// The drug chart of one patient as a form.
#[tauri::command(rename_all = "snake_case")]
fn drug_chart_form(opened: State<'_, Opened>, patient_id: &str) -> Result<DrugChartForm, ApiError> {
    opened
        .get()?
        .drug_chart_form(patient_id, Utc::now())
        .map_err(|e| e.to_api())
}

/// The live NEWS2 of an observation set being typed.
#[tauri::command]
fn score_observations(opened: State<'_, Opened>, draft: ObservationsDraft) -> Result<News2Preview, ApiError> {
    Ok(opened.get()?.score_observations(&draft, Utc::now()))
}

/// Checks a scanned wristband against the chart open.
#[tauri::command(rename_all = "snake_case")]
fn confirm_patient(
    opened: State<'_, Opened>,
    patient_id: &str,
    scanned: &str,
) -> Result<PatientConfirmation, ApiError> {
    opened
        .get()?
        .confirm_patient(patient_id, scanned, Utc::now())
        .map_err(|e| e.to_api())
}

/// Runs a station call that talks to the EPR on a blocking thread: the EPR client is a blocking
/// one (as the station's refresh uses), which must never be made or dropped on the async runtime's
/// tasks (it panics there), nor hold the window's main thread.
async fn on_blocking_thread<T: Send + 'static>(
    opened: &Opened,
    call: impl FnOnce(&Station) -> Result<T, lamplight_station::StationError> + Send + 'static,
) -> Result<T, ApiError> {
    let station = opened.get()?;
    tauri::async_runtime::spawn_blocking(move || call(&station).map_err(|e| e.to_api()))
        .await
        .map_err(|e| ApiError {
            code: ErrorCode::Internal,
            message: format!("the reconciliation task stopped unexpectedly ({e}): try again"),
            warning: None,
            retry_after_seconds: None,
        })?
}

/// The reconciliation worklist against the EPR as it is now.
#[tauri::command]
async fn reconcile_worklist(opened: State<'_, Opened>) -> Result<WorklistView, ApiError> {
    on_blocking_thread(&opened, |s| s.worklist(Utc::now())).await
}

/// A person's decision about an entry that needed one; the worklist again.
#[tauri::command]
async fn decide_entry(opened: State<'_, Opened>, request: DecisionRequest) -> Result<WorklistView, ApiError> {
    on_blocking_thread(&opened, move |s| s.decide_entry(&request, Utc::now())).await
}

/// A person's correction of an entry (its form, changed); the worklist again.
#[tauri::command]
async fn edit_entry(opened: State<'_, Opened>, request: EditRequest) -> Result<WorklistView, ApiError> {
    on_blocking_thread(&opened, move |s| s.edit_entry(&request, Utc::now())).await
}

/// Files every entry that is ready, one patient at a time; the worklist again.
#[tauri::command]
async fn file_ready_entries(opened: State<'_, Opened>) -> Result<WorklistView, ApiError> {
    on_blocking_thread(&opened, |s| s.file_from_worklist(Utc::now())).await
}

/// Records a filled form: durable in this PC's journal before it returns.
#[tauri::command]
fn record_entry(opened: State<'_, Opened>, request: RecordRequest) -> Result<RecordOutcome, ApiError> {
    opened
        .get()?
        .record_form(&request, Utc::now())
        .map_err(|e| e.to_api())
}

/// What a document will hold and how many pages, shown before printing.
#[tauri::command(rename_all = "snake_case")]
async fn print_preview(
    opened: State<'_, Opened>,
    document: PrintDocument,
    options: PrintOptions,
) -> Result<PrintPreview, ApiError> {
    opened
        .get()?
        .print_preview(document, &options, Utc::now())
        .map_err(|e| e.to_api())
}

/// Prints a document on this PC's default printer (CUPS `lp`, no file written).
#[tauri::command(rename_all = "snake_case")]
async fn print_document(
    opened: State<'_, Opened>,
    document: PrintDocument,
    options: PrintOptions,
) -> Result<PrintOutcome, ApiError> {
    opened
        .get()?
        .print_to_printer(document, &options, None, Utc::now())
        .map_err(|e| e.to_api())
}

/// "Save as PDF": the document written to this PC's PDF folder (audited); where it went.
#[tauri::command(rename_all = "snake_case")]
async fn save_pdf(
    opened: State<'_, Opened>,
    document: PrintDocument,
    options: PrintOptions,
) -> Result<PrintOutcome, ApiError> {
    opened
        .get()?
        .save_pdf(document, &options, Utc::now())
        .map_err(|e| e.to_api())
}

/// A person declares or confirms downtime, starts recovery, returns to normal, or runs a drill.
#[tauri::command]
fn change_mode(opened: State<'_, Opened>, request: ModeRequest) -> Result<DataStatus, ApiError> {
    opened
        .get()?
        .change_mode(&request, Utc::now())
        .map_err(|e| e.to_api())
}

/// What `lamplight-app --version` (or `-V`) prints: the same version as the package and the
/// `lamplight` command (tauri.conf.json has no version of its own, so the bundler takes Cargo's).
fn version_line() -> String {
    format!("Lamplight {}", env!("CARGO_PKG_VERSION"))
}

/// Whether the arguments ask only for the version: answered before logging, the station and GTK,
/// so an installer's smoke test (tests/package/run.sh) or IT's inventory script can ask it on a PC
/// with no display. On Windows a release build has no console (`windows_subsystem`), so there
/// `lamplight.exe --version` is the one to ask.
fn asks_for_version(args: impl IntoIterator<Item = std::ffi::OsString>) -> bool {
    let args: Vec<_> = args.into_iter().collect();
    matches!(args.as_slice(), [only] if only == "--version" || only == "-V")
}

#[allow(
    clippy::print_stdout,
    reason = "the version on stdout is the answer, as clap gives it for `lamplight`"
)]
fn print_version() {
    println!("{}", version_line());
}

fn main() -> tauri::Result<()> {
    if asks_for_version(std::env::args_os().skip(1)) {
        print_version();
        return Ok(());
    }
    // Warnings and errors to stderr, and to a daily file with LAMPLIGHT_LOG_DIR (ids and counts
    // only; never patient data): lamplight_station::logging.
    lamplight_station::logging::init("lamplight-app");
    // Nothing configured: the built-in demo ward, labelled synthetic on every screen. A vault
    // configured (--vault/--identity or LAMPLIGHT_*): its newest good snapshot, or the reason not;
    // a key protected by a passphrase that no --passphrase-file gives: locked until it is typed.
    let opening = StationConfig::from_env_and_args(|k| std::env::var_os(k), std::env::args_os().skip(1))
        .map_err(lamplight_station::StationError::from)
        .and_then(|config| Station::open_or_ask(&config, Utc::now()))
        .map_err(|e| e.to_api());
    let opened = Opened::new(opening);
    tauri::Builder::default()
        .manage(opened)
        .invoke_handler(tauri::generate_handler![
            data_status,
            ward_list,
            ward_board,
            patient_view,
            print_preview,
            print_document,
            save_pdf,
            change_mode,
            sign_in,
            emergency_sign_in,
            sign_out,
            session_activity,
            drug_chart_form,
            score_observations,
            confirm_patient,
            record_entry,
            reconcile_worklist,
            decide_entry,
            edit_entry,
            file_ready_entries,
            unlock_identity
        ])
        .run(tauri::generate_context!())
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use super::{asks_for_version, version_line};

    fn json(text: &str) -> Value {
        serde_json::from_str(text).expect("a config file of the app is not valid JSON")
    }

    #[test]
    fn the_main_window_may_call_only_the_station_commands() {
        let capability = json(include_str!("../capabilities/main.json"));
        let mut allowed: Vec<String> = capability["permissions"]
            .as_array()
            .expect("permissions is a list")
            .iter()
            .map(|p| p.as_str().expect("permissions are plain identifiers").to_owned())
            .collect();
        allowed.sort_unstable();
        let commands: Vec<&str> = include_str!("../commands.txt")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        let mut expected: Vec<String> = commands
            .iter()
            .map(|c| format!("allow-{}", c.replace('_', "-")))
            .collect();
        expected.sort_unstable();
        assert_eq!(
            allowed, expected,
            "least privilege: the window may call the station's commands listed in commands.txt and \
             nothing else (no file system, shell, HTTP or core plugins: printing runs lp inside the station)"
        );
        // generate_handler! takes identifiers, so it cannot read the list: check it holds each one.
        let source = include_str!("main.rs");
        let handler = source
            .split("generate_handler![")
            .nth(1)
            .and_then(|rest| rest.split(']').next())
            .expect("main.rs registers its commands with generate_handler!");
        let mut registered: Vec<&str> = handler
            .split(',')
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .collect();
        registered.sort_unstable();
        let mut listed = commands.clone();
        listed.sort_unstable();
        assert_eq!(
            registered, listed,
            "generate_handler! registers exactly the commands of commands.txt"
        );
        assert_eq!(capability["windows"], serde_json::json!(["main"]));
    }

    #[test]
    fn the_version_is_asked_alone_and_answered_with_the_packages_version() {
        let args = |a: &[&str]| a.iter().map(std::ffi::OsString::from).collect::<Vec<_>>();
        assert!(asks_for_version(args(&["--version"])));
        assert!(asks_for_version(args(&["-V"])));
        assert!(
            !asks_for_version(args(&[])) && !asks_for_version(args(&["--vault", "--version"])),
            "only a lone --version skips the window: it must never stand in for a vault path"
        );
        assert_eq!(version_line(), format!("Lamplight {}", env!("CARGO_PKG_VERSION")));
        let config = json(include_str!("../tauri.conf.json"));
        assert!(
            config.get("version").is_none(),
            "the package's version is Cargo's (the workspace's), so `--version` and `dpkg -l` agree"
        );
    }

    #[test]
    fn the_window_opens_maximised_and_its_default_size_fits_a_1366_by_768_ward_screen() {
        let config = json(include_str!("../tauri.conf.json"));
        let window = &config["app"]["windows"][0];
        assert_eq!(window["maximized"], true, "a ward PC shows Lamplight full screen");
        let (w, h) = (
            window["width"].as_u64().unwrap_or(0),
            window["height"].as_u64().unwrap_or(0),
        );
        assert!(
            w <= 1366 && h <= 768 - 48,
            "unmaximised it still fits the common ward PC screen and its taskbar: {w}x{h}"
        );
    }

    #[test]
    fn the_content_security_policy_is_exactly_the_app_itself_and_the_station() {
        let config = json(include_str!("../tauri.conf.json"));
        let csp = config["app"]["security"]["csp"]
            .as_object()
            .expect("the CSP is written directive by directive")
            .clone();
        // Every directive pinned: a new one, or a widened one, is a change a test must see.
        let expected = serde_json::json!({
            "default-src": "'self'",
            "script-src": "'self'",
            "style-src": "'self'",
            "img-src": "'self'",
            "font-src": "'self'",
            "connect-src": "ipc: http://ipc.localhost",
            "object-src": "'none'",
            "base-uri": "'none'",
            "form-action": "'none'",
            "frame-src": "'none'",
            "frame-ancestors": "'none'",
        });
        assert_eq!(
            serde_json::Value::Object(csp.clone()),
            expected,
            "the CSP changed"
        );
        for (directive, value) in &csp {
            let value = value.as_str().unwrap_or_default();
            for token in value.split_whitespace() {
                assert!(
                    matches!(token, "'self'" | "'none'" | "ipc:" | "http://ipc.localhost"),
                    "{directive} allows {token}: no inline code, no eval, no data: or blob:, no wildcard, no other host"
                );
            }
        }
        let security = &config["app"]["security"];
        assert_eq!(security["freezePrototype"], true);
        assert!(
            security.get("dangerousDisableAssetCspModification").is_none()
                && security.get("assetProtocol").is_none(),
            "no CSP exemptions, no asset protocol onto the disk: {security}"
        );
        assert!(
            config["app"].get("withGlobalTauri").is_none_or(|v| v == false),
            "the IPC is not put on window for any script"
        );
        // The window loads the app's own files, never a remote page.
        let windows = config["app"]["windows"].as_array().unwrap();
        assert!(windows.iter().all(|w| w.get("url").is_none_or(|u| {
            let u = u.as_str().unwrap_or_default();
            !u.contains("://")
        })));
        assert_eq!(config["build"]["frontendDist"], "../ui/dist");
        assert!(
            config["build"].get("devUrl").is_none(),
            "no dev server in a shipped config"
        );
    }

    #[test]
    fn the_app_takes_no_plugin_and_the_capability_grants_nothing_beyond_its_commands() {
        let manifest = include_str!("../Cargo.toml");
        assert!(
            !manifest.contains("tauri-plugin"),
            "no plugin: no shell, file system, HTTP, dialog or updater reaches the window"
        );
        let capability = json(include_str!("../capabilities/main.json"));
        for p in capability["permissions"].as_array().unwrap() {
            let p = p.as_str().unwrap_or_default();
            assert!(
                p.starts_with("allow-") && !p.contains(':'),
                "{p}: only the app's own commands, no core: or plugin permission"
            );
        }
        assert!(
            capability.get("remote").is_none(),
            "no remote URL may use the IPC"
        );
    }
}
