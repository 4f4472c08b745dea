use clap::Subcommand;
use std::path::Path;

#[derive(Subcommand)]
pub enum DbCommand {
    /// Run an integrity check and show the schema version, path and size
    Check {
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
}

pub fn run(cmd: DbCommand, data_dir: &Path) -> anyhow::Result<()> {
    let DbCommand::Check { json } = cmd;
    let library = match super::open_library(data_dir) {
        Ok(library) => library,
        Err(err) => return report_damaged(data_dir, err),
    };
    // A damaged table can stop the check itself (counting its rows fails): report the damage
    // as for a library that does not open.
    let report = match library.check() {
        Ok(report) => report,
        Err(err) => {
            drop(library);
            return report_damaged(data_dir, err.into());
        }
    };
    if json {
        super::print_json(&report)?;
    } else {
        println!("database:        {}", report.path.display());
        println!(
            "schema version:  {} (this Zapis supports up to {})",
            report.schema_version, report.supported_version
        );
        println!(
            "size:            {} (+ {} write-ahead log)",
            human_bytes(report.size_bytes),
            human_bytes(report.wal_bytes)
        );
        println!("calls:           {}", report.calls);
        println!("segments:        {}", report.segments);
        println!("integrity:       {}", report.integrity.join("; "));
        for pending in library.pending_file_deletions()? {
            println!("pending removal: {}", pending.display());
        }
    }
    if report.ok {
        Ok(())
    } else {
        anyhow::bail!(
            "integrity check of {} found problems; restore it from a backup",
            report.path.display()
        )
    }
}

/// The library would not open: when it is damaged, say what the integrity check finds rather
/// than only the error that sent the user here.
fn report_damaged(data_dir: &Path, err: anyhow::Error) -> anyhow::Result<()> {
    use zapis::storage::StorageError;
    let damaged = matches!(
        err.downcast_ref::<StorageError>(),
        Some(StorageError::Corrupt { .. } | StorageError::Truncated { .. })
    );
    if !damaged {
        return Err(err);
    }
    for finding in zapis::storage::integrity_of_damaged(data_dir).unwrap_or_default() {
        println!("integrity:       {finding}");
    }
    Err(err)
}

fn human_bytes(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["B", "KiB", "MiB", "GiB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}
