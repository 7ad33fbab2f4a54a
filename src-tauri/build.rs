//! Declares the app's own commands to Tauri's access control: once listed here, a command can only
//! be called from a window whose capability (capabilities/main.json) allows it.

fn main() {
    // Every command the window may call, one per line: the one list that this declaration, the
    // capability (capabilities/main.json, checked by a test in main.rs) and `generate_handler!` in
    // main.rs (checked by the same test against the source) are kept to.
    println!("cargo:rerun-if-changed=commands.txt");
    let list =
        std::fs::read_to_string("commands.txt").expect("src-tauri/commands.txt lists the window's commands");
    // tauri-build keeps the names for the life of the build script: leaking them is what it needs.
    let list: &'static str = Box::leak(list.into_boxed_str());
    let commands: &'static [&'static str] = Box::leak(
        list.lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .into_boxed_slice(),
    );
    tauri_build::try_build(
        tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(commands)),
    )
    .expect("tauri-build failed: check tauri.conf.json, capabilities/ and that ../ui/dist exists (make ui)");
}
