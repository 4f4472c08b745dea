// The config lives at the repository root (the project's layout); listing the app's commands here
// generates an `allow-*` permission per command, so the capability file can allow exactly those.
const COMMANDS: &[&str] = &[
    "list_calls",
    "get_call",
    "delete_call",
    "export_call",
    "update_action_item",
    "audio_url",
    "call_voices",
    "name_voice",
    "merge_voices",
    "split_voice",
    "list_contacts",
    "get_contact",
    "import_contacts",
    "export_person_data",
    "export_library",
    "erase_person",
    "get_settings",
    "save_settings",
    "notice",
    "list_devices",
    "start_recording",
    "stop_recording",
    "withdraw_consent",
    "recording_state",
    "list_models",
    "install_model",
    "add_model_file",
    "log_location",
    "choose_import",
    "import_pending",
    "team_status",
    "team_join",
    "team_leave",
    "team_share_call",
    "team_share_contact",
    "team_set_policy",
    "team_sync",
    "team_overview",
    "team_account_history",
    "team_search",
];

fn main() {
    // sherpa-onnx's shared libraries at run time: see the root build.rs.
    println!("cargo:rerun-if-env-changed=SHERPA_ONNX_LIB_DIR");
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        println!("cargo:rustc-link-arg=-Wl,-rpath,$ORIGIN/../lib/zapis");
        if let Some(dir) = std::env::var_os("SHERPA_ONNX_LIB_DIR") {
            println!("cargo:rustc-link-arg=-Wl,-rpath,{}", dir.to_string_lossy());
        }
    }
    let attributes = tauri_build::Attributes::new()
        .config_path("../tauri.conf.json")
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    if let Err(error) = tauri_build::try_build(attributes) {
        panic!("tauri build step failed: {error:#}");
    }
}
