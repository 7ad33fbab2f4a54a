//! Declares the app's own commands to Tauri's access control: once listed here, a command can only
//! be called from a window whose capability (capabilities/main.json) allows it.

/// Every command the window may call. Keep in step with `generate_handler!` in main.rs and with
/// capabilities/main.json (a test in main.rs checks the capability).
const COMMANDS: &[&str] = &[
    "data_status",
    "ward_list",
    "ward_board",
    "patient_view",
    "print_preview",
    "print_document",
    "change_mode",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri-build failed: check tauri.conf.json, capabilities/ and that ../ui/dist exists (make ui)");
}
