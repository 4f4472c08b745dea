//! The team password in the system keyring (the Secret Service on Linux: GNOME Keyring, KWallet;
//! Keychain on macOS; Credential Manager on Windows), so a rep who joins with a password in the
//! address can sync later without it in a file. One entry per team address (without its
//! password), under the service name below. PGPASSWORD and `~/.pgpass` still work, as for psql.

/// The keyring's service name for Zapis's team passwords.
const SERVICE: &str = "zapis-team";

fn entry(address: &str) -> Result<keyring::Entry, String> {
    keyring::Entry::new(SERVICE, address).map_err(|e| e.to_string())
}

/// Keeps the password for `address` (which holds none itself), replacing an older one.
pub(crate) fn keep(address: &str, password: &str) -> Result<(), String> {
    entry(address)?
        .set_password(password)
        .map_err(|e| e.to_string())
}

/// The password kept for `address`, if a keyring answers and holds one. A missing keyring is
/// not an error here: the password may come from the password file instead.
pub(crate) fn kept(address: &str) -> Option<String> {
    match entry(address).and_then(|e| e.get_password().map_err(|e| e.to_string())) {
        Ok(password) => Some(password),
        Err(reason) => {
            tracing::debug!(address, reason, "no team password in the keyring");
            None
        }
    }
}

/// Forgets the password for `address` (when the rep leaves the team). Nothing kept is fine.
pub(crate) fn forget(address: &str) -> Result<(), String> {
    match entry(address)?.delete_credential() {
        Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
        Err(e) => Err(e.to_string()),
    }
}
