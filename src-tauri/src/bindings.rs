//! The UI's TypeScript types, generated from the Rust types the commands return and the events
//! carry, so the two sides cannot drift apart: `ui/src/lib/bindings.ts` is this module's output,
//! and the test below fails when the committed file no longer matches. Regenerate it with
//! `scripts/gen-bindings.sh`.

use std::any::TypeId;
use std::collections::BTreeMap;

use ts_rs::{Config, TypeVisitor, TS};

use crate::commands::{
    contacts::ContactsImported, imports::ImportProgress, imports::PendingImport,
    models::ModelProgress, recording::NoticeView, recording::ParticipantDecision,
    recording::RecordingView, CallRef, CommandError, UNCLASSIFIED,
};
use crate::tray::Screen;

/// Every declaration, by TypeScript name; two Rust types under one name are a mistake.
struct Declarations {
    config: Config,
    by_name: BTreeMap<String, (TypeId, String)>,
}

impl Declarations {
    fn add<T: TS + 'static + ?Sized>(&mut self) {
        let name = T::ident(&self.config);
        if let Some((seen, _)) = self.by_name.get(&name) {
            assert_eq!(
                *seen,
                TypeId::of::<T>(),
                "two Rust types are called {name} in TypeScript; rename one with #[ts(rename)]"
            );
            return;
        }
        let declaration = format!(
            "{}export {}",
            T::docs().unwrap_or_default(),
            T::decl(&self.config)
        );
        self.by_name.insert(name, (TypeId::of::<T>(), declaration));
        T::visit_dependencies(self);
    }
}

impl TypeVisitor for Declarations {
    fn visit<T: TS + 'static + ?Sized>(&mut self) {
        // Built-in types (strings, numbers, arrays) have no file of their own: nothing to declare.
        if T::output_path().is_some() {
            self.add::<T>();
        }
    }
}

/// The text of `ui/src/lib/bindings.ts`.
pub fn render() -> String {
    // Ids and durations are i64 in Rust and far below 2^53: plain numbers in JSON.
    let mut all = Declarations {
        config: Config::new().with_large_int("number"),
        by_name: BTreeMap::new(),
    };
    // What the core's commands return and its events carry.
    all.add::<zapis::storage::CallSummary>();
    all.add::<zapis::crm::CallExport>();
    all.add::<zapis::storage::ActionItem>();
    all.add::<zapis::storage::ContactSummary>();
    all.add::<zapis::storage::ContactDetail>();
    all.add::<zapis::storage::Erasure>();
    all.add::<zapis::settings::Settings>();
    all.add::<zapis::model::InstalledModel>();
    all.add::<zapis::capture::DeviceInfo>();
    all.add::<zapis::events::Event>();
    all.add::<zapis::app::TeamStatus>();
    all.add::<zapis::storage::CallSharing>();
    all.add::<zapis::team::SyncReport>();
    all.add::<zapis::team::TeamOverview>();
    all.add::<zapis::team::SharedCall>();
    all.add::<zapis::team::TeamHit>();
    all.add::<zapis::app::TeamSearch>();
    all.add::<zapis::storage::CallVoice>();
    all.add::<zapis::storage::LineMatch>();
    all.add::<zapis::app::LineSearch>();
    // The shell's own.
    all.add::<CommandError>();
    all.add::<CallRef>();
    all.add::<NoticeView>();
    all.add::<RecordingView>();
    all.add::<ParticipantDecision>();
    all.add::<PendingImport>();
    all.add::<ImportProgress>();
    all.add::<ModelProgress>();
    all.add::<ContactsImported>();
    all.add::<Screen>();

    let codes: Vec<String> = zapis::app::ErrorCode::ALL
        .iter()
        .map(|code| code.as_str())
        .chain([UNCLASSIFIED])
        .map(|code| format!("\"{code}\""))
        .collect();
    let mut text = String::from(
        "// Generated from the Rust types by src-tauri/src/bindings.rs (scripts/gen-bindings.sh).\n\
         // Do not edit: change the Rust type and regenerate.\n\n",
    );
    text.push_str(
        "/** The stable codes of `zapis::app::ErrorCode`, and `failed` for the rest. */\n",
    );
    text.push_str(&format!("export type ErrorCode = {};\n", codes.join(" | ")));
    for (_, declaration) in all.by_name.values() {
        text.push('\n');
        text.push_str(declaration);
        text.push('\n');
    }
    text
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    /// Set to write the file instead of comparing (what `scripts/gen-bindings.sh` does).
    const WRITE: &str = "ZAPIS_WRITE_BINDINGS";

    #[test]
    fn the_ui_types_are_the_ones_generated_from_the_rust_types() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/lib/bindings.ts");
        let generated = super::render();
        if std::env::var_os(WRITE).is_some() {
            std::fs::write(&path, &generated).unwrap();
            return;
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == generated,
            "{} is not what the Rust types generate; run scripts/gen-bindings.sh and commit it",
            path.display()
        );
    }
}
