//! People's rights over what Zapis holds about them: a copy of all of it, and erasure. The CLI
//! names the export folder itself; the desktop app lets the user pick a parent folder and gets a
//! new folder inside it, so an export never lands among other files.

use std::path::{Path, PathBuf};

use super::AppError;
use crate::privacy::{self, ExportData, Subject};
use crate::storage::{Erasure, Library};

/// Where an export goes.
#[derive(Debug, Clone, Copy)]
pub enum Destination<'a> {
    /// This folder, which must be new or empty.
    Folder(&'a Path),
    /// A new folder inside this one, named after the subject (`zapis-data-ana-example-com`,
    /// `zapis-library`), with `-2`, `-3`, … when that name is taken.
    NewFolderIn(&'a Path),
}

#[derive(Debug)]
pub struct Exported {
    pub folder: PathBuf,
    pub data: ExportData,
}

/// Writes everything stored about `subject` (`data.json`, `report.md`, `audio/`); the folder
/// appears complete or not at all.
pub fn export_data(
    library: &Library,
    subject: &Subject,
    destination: Destination<'_>,
) -> Result<Exported, AppError> {
    let folder = match destination {
        Destination::Folder(folder) => folder.to_path_buf(),
        Destination::NewFolderIn(parent) => new_folder_in(parent, &folder_name(subject))?,
    };
    let data = privacy::export(library, subject, &folder)?;
    Ok(Exported { folder, data })
}

/// Erases every call, transcript, insight, consent receipt and recording that involves the
/// person; the audit log keeps only that an erasure happened.
pub fn erase_person(library: &mut Library, email: &str) -> Result<Erasure, AppError> {
    Ok(privacy::erase(library, email)?)
}

fn folder_name(subject: &Subject) -> String {
    match subject {
        Subject::Everyone => "zapis-library".to_string(),
        Subject::Person(email) => {
            format!("zapis-data-{}", crate::paths::file_stem(email, "person"))
        }
    }
}

fn new_folder_in(parent: &Path, name: &str) -> Result<PathBuf, AppError> {
    (1..1000)
        .map(|n| match n {
            1 => parent.join(name),
            n => parent.join(format!("{name}-{n}")),
        })
        .find(|candidate| !candidate.exists())
        .ok_or_else(|| AppError::FolderFull {
            folder: parent.to_path_buf(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn export_folders_are_named_after_their_subject() {
        assert_eq!(
            folder_name(&Subject::Person("Ana.Petrovic@Example.com".into())),
            "zapis-data-ana-petrovic-example-com"
        );
        assert_eq!(folder_name(&Subject::Everyone), "zapis-library");
    }

    #[test]
    fn a_taken_name_gets_the_next_number() {
        let parent = tempfile::tempdir().unwrap();
        std::fs::create_dir(parent.path().join("zapis-library")).unwrap();
        assert_eq!(
            new_folder_in(parent.path(), "zapis-library").unwrap(),
            parent.path().join("zapis-library-2")
        );
    }
}
