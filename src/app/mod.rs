//! The application layer: the workflows that the CLI and the desktop app both drive. Each front
//! end parses its input (arguments, IPC payloads) into the typed requests here, calls one
//! function, and presents the result; neither assembles consent, recovery, the final pass or an
//! import by hand, so the two cannot drift apart.
//!
//! - [`open_library`]: open the call library, apply retention, recover and finish recordings a
//!   crash interrupted, with the model from the settings.
//! - [`start_recording`] / [`stop_recording`] / [`withdraw`] / [`finish_call`]: a recording from a
//!   typed request (participants, each person's decision, method, notice language) to a stored,
//!   transcribed call; a request anyone declined is refused before anything is captured.
//! - [`import_file`]: a Teams/Zoom/SRT/JSON transcript or a recording, as a call.
//! - [`export_data`] / [`erase_person`]: a person's (or the whole library's) data as a folder,
//!   and erasure. A call's CRM export is one call already: [`crate::crm::CallExport`].
//! - [`join_team`] / [`share`] / [`sync_team`] / [`erase_from_team`]: the team library on
//!   PostgreSQL (see [`crate::team`]).
//! - [`audio_track`]: where one side of a call's recording is kept.
//! - [`diarize_call`] / [`name_voice`] / [`unname_voice`] / [`merge_voices`] /
//!   [`split_voice`]: the far side's voices of a call, and the user's corrections; insights
//!   follow each change. [`set_speaker_side`]: who is on the rep's side (remembered for
//!   imports).
//! - [`update_action_item`]: the user ticks off, rewords or re-dates an item;
//!   [`analyse_call`]: a call's insights computed again.
//! - [`search_lines`] / [`index_call`] / [`index_all`]: every call's lines, found by words and
//!   by meaning (with the sentence model installed), and keeping their meanings indexed; calls
//!   analysed before the model was installed are analysed again where it can change them.

mod error;
mod import;
mod library;
mod privacy;
mod recording;
mod search;
mod team;
mod voices;

pub use error::{AppError, ErrorCode};
pub use import::{import_file, ImportRequest, Imported};
pub use library::{
    analyse_call, audio_track, finish_call, finish_call_at, finish_options, open_library,
    save_settings, update_action_item, Opened, Recovered,
};
pub use privacy::{erase_person, export_data, Destination, Exported};
pub use recording::{
    current_notice, start_recording, stop_recording, withdraw, Devices, LiveDecision,
    PersonDecision, RecordingStart, UnknownDecision,
};
pub use search::{
    index_all, index_call, install_sentence_model, reanalyse_if_found_by_rules_alone, search_lines,
    Indexed, LineSearch,
};
pub use team::{
    add_team_member, assign_account, call_sharing, erase_from_team, export_from_team, join_team,
    leave_team, remove_team_member, set_share_policy, set_team_default_policy, setup_team, share,
    sync_team, team_account_history, team_overview, team_search, team_status, MeaningOff,
    TeamSearch, TeamStatus,
};
pub use voices::{
    call_voices, diarize_call, install_speaker_models, merge_voices, name_voice, set_speaker_side,
    split_voice, unname_voice,
};
