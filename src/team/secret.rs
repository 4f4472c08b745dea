//! The team password in the system keyring (the Secret Service on Linux: GNOME Keyring, KWallet;
//! Keychain on macOS; Credential Manager on Windows), so a rep who joins with a password in the
//! address can sync later without it in a file. PGPASSWORD and `~/.pgpass` still work, as for
//! psql.
//!
//! One entry per team address (without its password) and data folder, under the service name
//! below: two Zapis libraries on one account that joined the same address each keep their own,
//! so leaving the team in one does not take the password from the other. Entries written before
//! that (one per address) are still read, and copied to the folder's own entry when found.

use std::path::Path;

/// The keyring's service name for Zapis's team passwords.
const SERVICE: &str = "zapis-team";

/// The keyring account that holds the password `data_dir`'s library uses for `address`: the
/// address and the folder, as a person looking through their keyring would want to read it.
pub fn keyring_account(address: &str, data_dir: &Path) -> String {
    let folder = std::fs::canonicalize(data_dir).unwrap_or_else(|_| data_dir.to_path_buf());
    format!("{address} (data folder {})", folder.display())
}

fn entry(account: &str) -> Result<keyring::Entry, String> {
    keyring::Entry::new(SERVICE, account).map_err(|e| e.to_string())
}

/// Keeps the password for `address` (which holds none itself) for `data_dir`'s library,
/// replacing an older one.
pub(crate) fn keep(address: &str, data_dir: &Path, password: &str) -> Result<(), String> {
    entry(&keyring_account(address, data_dir))?
        .set_password(password)
        .map_err(|e| e.to_string())
}

/// The password kept for `address`, if a keyring answers and holds one: `data_dir`'s own entry,
/// else (with no folder, or from an older Zapis) the address's. A missing keyring is not an error
/// here: the password may come from the password file instead.
pub(crate) fn kept(address: &str, data_dir: Option<&Path>) -> Option<String> {
    let read =
        |account: &str| entry(account).and_then(|e| e.get_password().map_err(|e| e.to_string()));
    if let Some(dir) = data_dir {
        if let Ok(password) = read(&keyring_account(address, dir)) {
            return Some(password);
        }
    }
    match read(address) {
        Ok(password) => {
            // Kept by an older Zapis for the address alone: this folder gets its own copy, so
            // leaving in another folder cannot take it away.
            if let Some(dir) = data_dir {
                if let Err(reason) = keep(address, dir, &password) {
                    tracing::debug!(
                        address,
                        reason,
                        "the team password stays under the address only"
                    );
                }
            }
            Some(password)
        }
        Err(reason) => {
            tracing::debug!(address, reason, "no team password in the keyring");
            None
        }
    }
}

/// Forgets the password `data_dir`'s library kept for `address` (when the rep leaves the team),
/// and the address's entry of an older Zapis. Nothing kept is fine.
pub(crate) fn forget(address: &str, data_dir: &Path) -> Result<(), String> {
    for account in [keyring_account(address, data_dir), address.to_string()] {
        match entry(&account)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => {}
            Err(e) => return Err(e.to_string()),
        }
    }
    Ok(())
}
