//! The team server's address and the connection to it. The address Zapis keeps never holds the
//! password: that comes from PGPASSWORD or the user's password file (`~/.pgpass`, or
//! PGPASSFILE), as for every PostgreSQL client. A server that is not on this machine is reached
//! over TLS unless the address says otherwise, checked against the system's trust store.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use postgres::config::{Host, SslMode};
use postgres::Client;

use super::TeamError;

/// A parsed team server address.
#[derive(Debug, Clone)]
pub struct Server {
    config: postgres::Config,
    /// The address as given, without its password: what is stored and shown.
    address: String,
    user: String,
    /// The data folder whose keyring entry holds the password (see `secret`), when the server
    /// is reached for a library.
    library_dir: Option<PathBuf>,
}

impl Server {
    /// Parses a `postgres://user@host/db` URL or a `host=… user=…` string.
    pub fn parse(given: &str) -> Result<Server, TeamError> {
        let given = given.trim();
        let mut config: postgres::Config =
            given
                .parse()
                .map_err(|e: postgres::Error| TeamError::BadAddress {
                    given: strip_password(given),
                    reason: e.to_string(),
                })?;
        let address = strip_password(given);
        let user = config
            .get_user()
            .map(str::to_owned)
            .ok_or_else(|| TeamError::NoUser {
                address: address.clone(),
            })?;
        let remote = config.get_hosts().iter().any(|host| match host {
            Host::Tcp(name) => !is_loopback(name),
            #[cfg(unix)]
            Host::Unix(_) => false,
        });
        if remote && !given.contains("sslmode") {
            config.ssl_mode(SslMode::Require);
        }
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(Duration::from_secs(10));
        }
        config.application_name("zapis");
        Ok(Server {
            config,
            address,
            user,
            library_dir: None,
        })
    }

    /// The server as `data_dir`'s library reaches it: the password its join kept in the keyring.
    pub fn for_library(mut self, data_dir: &Path) -> Server {
        self.library_dir = Some(data_dir.to_path_buf());
        self
    }

    pub fn address(&self) -> &str {
        &self.address
    }

    /// The PostgreSQL role Zapis logs in as.
    pub fn user(&self) -> &str {
        &self.user
    }

    pub fn connect(&self) -> Result<Client, TeamError> {
        let mut config = self.config.clone();
        if config.get_password().is_none() {
            if let Some(password) = self.stored_password() {
                config.password(password);
            }
        }
        let tls = tls_connector().map_err(|reason| TeamError::Server {
            address: self.address.clone(),
            reason,
        })?;
        config.connect(tls).map_err(|e| self.connect_error(e))
    }

    /// A server error after connecting, as the team error that says what to do.
    pub(crate) fn error(&self, e: postgres::Error) -> TeamError {
        if let Some(db) = e.as_db_error() {
            return TeamError::Server {
                address: self.address.clone(),
                reason: db.message().to_string(),
            };
        }
        TeamError::Unreachable {
            address: self.address.clone(),
            reason: e.to_string(),
        }
    }

    fn connect_error(&self, e: postgres::Error) -> TeamError {
        if let Some((reason, advice)) = certificate_problem(&e) {
            return TeamError::Untrusted {
                address: self.address.clone(),
                reason,
                advice,
            };
        }
        match e.as_db_error() {
            // Class 28: invalid authorization (a wrong password, a role that may not log in).
            Some(db) if db.code().code().starts_with("28") => TeamError::LoginRefused {
                address: self.address.clone(),
                user: self.user.clone(),
                reason: db.message().to_string(),
            },
            Some(db) => TeamError::Server {
                address: self.address.clone(),
                reason: db.message().to_string(),
            },
            // The server asked for a password and none was found.
            None if e.to_string().contains("password missing") => TeamError::LoginRefused {
                address: self.address.clone(),
                user: self.user.clone(),
                reason: "no password was given".into(),
            },
            None => TeamError::Unreachable {
                address: self.address.clone(),
                reason: std::error::Error::source(&e)
                    .map(|s| s.to_string())
                    .unwrap_or_else(|| e.to_string()),
            },
        }
    }

    /// The password the address itself carries (kept in the keyring when the rep joins).
    pub(crate) fn given_password(&self) -> Option<String> {
        self.config
            .get_password()
            .map(|bytes| String::from_utf8_lossy(bytes).into_owned())
    }

    /// PGPASSWORD, else the system keyring's entry for this address, else the first matching
    /// line of the password file.
    fn stored_password(&self) -> Option<String> {
        if let Ok(password) = std::env::var("PGPASSWORD") {
            return Some(password);
        }
        if let Some(password) = super::secret::kept(&self.address, self.library_dir.as_deref()) {
            return Some(password);
        }
        let file = std::env::var_os("PGPASSFILE")
            .map(PathBuf::from)
            .or_else(|| directories::BaseDirs::new().map(|d| d.home_dir().join(".pgpass")))?;
        let text = std::fs::read_to_string(&file).ok()?;
        let (host, port) = match self.config.get_hosts().first() {
            Some(Host::Tcp(name)) => (name.clone(), self.config.get_ports().first().copied()),
            #[cfg(unix)]
            Some(Host::Unix(dir)) => (socket_host(dir), self.config.get_ports().first().copied()),
            None => ("localhost".to_string(), None),
        };
        let port = port.unwrap_or(5432).to_string();
        let dbname = self.config.get_dbname().unwrap_or(&self.user).to_string();
        text.lines()
            .filter(|line| !line.trim_start().starts_with('#'))
            .find_map(|line| pgpass_match(line, [&host, &port, &dbname, &self.user]))
    }
}

/// Why a server's certificate was refused and what to do, if that is why the connection failed.
/// The TLS error sits inside an `io::Error`, whose `source()` skips it, so both links are followed.
fn certificate_problem(e: &postgres::Error) -> Option<(String, &'static str)> {
    let mut pending: Vec<&(dyn std::error::Error + 'static)> =
        std::error::Error::source(e).into_iter().collect();
    while let Some(err) = pending.pop() {
        if let Some(tls @ rustls::Error::InvalidCertificate(problem)) =
            err.downcast_ref::<rustls::Error>()
        {
            return Some((tls.to_string(), certificate_advice(problem)));
        }
        if let Some(inner) = err
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
        {
            pending.push(inner);
        }
        pending.extend(err.source());
    }
    None
}

/// A wrong name and an expired certificate are not fixed by trusting another authority.
fn certificate_advice(problem: &rustls::CertificateError) -> &'static str {
    use rustls::CertificateError as C;
    match problem {
        C::NotValidForName | C::NotValidForNameContext { .. } => {
            "the certificate was issued for another name: check the address's host name, and use \
             the name the server's certificate names"
        }
        C::Expired | C::ExpiredContext { .. } | C::NotValidYet | C::NotValidYetContext { .. } => {
            "the certificate is outside the dates it is valid for: whoever runs the server must \
             renew it, unless this computer's clock is wrong"
        }
        C::Revoked => "the certificate was revoked: whoever runs the server must replace it",
        _ => {
            "if the address is right, add the certificate authority of whoever runs the server \
             to the system's trust store"
        }
    }
}

#[cfg(unix)]
fn socket_host(dir: &Path) -> String {
    dir.to_string_lossy().into_owned()
}

fn is_loopback(host: &str) -> bool {
    host == "localhost"
        || host
            .trim_matches(|c| c == '[' || c == ']')
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// rustls with the platform's verifier: the system trust store, as for model downloads.
fn tls_connector() -> Result<tokio_postgres_rustls::MakeRustlsConnect, String> {
    use rustls_platform_verifier::BuilderVerifierExt;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .and_then(|b| b.with_platform_verifier())
        .map_err(|e| format!("TLS could not be set up: {e}"))?
        .with_no_client_auth();
    Ok(tokio_postgres_rustls::MakeRustlsConnect::new(config))
}

/// One `hostname:port:database:username:password` line of a password file, where `*` matches
/// anything and `\:` and `\\` stand for themselves.
fn pgpass_match(line: &str, wanted: [&str; 4]) -> Option<String> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => field.extend(chars.next()),
            ':' if fields.len() < 4 => fields.push(std::mem::take(&mut field)),
            c => field.push(c),
        }
    }
    fields.push(field);
    if fields.len() != 5 {
        return None;
    }
    let matches = fields
        .iter()
        .zip(wanted)
        .all(|(pattern, value)| pattern == "*" || pattern == value);
    matches.then(|| fields[4].clone())
}

/// The address without its password (`postgres://ana:secret@host/db` → `postgres://ana@host/db`,
/// `password=…` removed from key=value strings and URL parameters).
/// A `key=value` connection string without its password, read as libpq reads it: spaces around
/// `=` and single-quoted values (with `\'` and `\\` inside) are allowed.
fn without_password_pair(given: &str) -> String {
    let mut kept = Vec::new();
    let mut chars = given.chars().peekable();
    let skip_spaces = |chars: &mut std::iter::Peekable<std::str::Chars<'_>>| {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
    };
    loop {
        skip_spaces(&mut chars);
        if chars.peek().is_none() {
            break;
        }
        let mut key = String::new();
        while let Some(c) = chars.next_if(|c| *c != '=' && !c.is_whitespace()) {
            key.push(c);
        }
        skip_spaces(&mut chars);
        let has_value = chars.next_if_eq(&'=').is_some();
        skip_spaces(&mut chars);
        let mut value = String::new();
        if has_value && chars.peek() == Some(&'\'') {
            value.extend(chars.next());
            while let Some(c) = chars.next() {
                value.push(c);
                match c {
                    '\\' => value.extend(chars.next()),
                    '\'' => break,
                    _ => {}
                }
            }
        } else if has_value {
            while let Some(c) = chars.next_if(|c| !c.is_whitespace()) {
                value.push(c);
            }
        }
        if key != "password" {
            kept.push(if has_value {
                format!("{key}={value}")
            } else {
                key
            });
        }
    }
    kept.join(" ")
}

pub fn strip_password(given: &str) -> String {
    let without_param = |text: &str, separator: char| -> String {
        text.split(separator)
            .filter(|part| !part.trim_start().starts_with("password="))
            .collect::<Vec<_>>()
            .join(&separator.to_string())
    };
    let Some((scheme, rest)) = given.split_once("://") else {
        return without_password_pair(given);
    };
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    let authority = match authority.rsplit_once('@') {
        Some((userinfo, hosts)) => {
            let user = userinfo.split(':').next().unwrap_or_default();
            format!("{user}@{hosts}")
        }
        None => authority.to_string(),
    };
    let tail = match tail.split_once('?') {
        Some((path, query)) => {
            let query = without_param(query, '&');
            if query.is_empty() {
                path.to_string()
            } else {
                format!("{path}?{query}")
            }
        }
        None => tail.to_string(),
    };
    format!("{scheme}://{authority}{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_never_stay_in_the_address() {
        assert_eq!(
            strip_password("postgres://ana:s3cret@db.example.com:5432/sales?sslmode=require"),
            "postgres://ana@db.example.com:5432/sales?sslmode=require"
        );
        assert_eq!(
            strip_password("postgresql://ana@db/sales?password=x&sslmode=verify-full"),
            "postgresql://ana@db/sales?sslmode=verify-full"
        );
        assert_eq!(
            strip_password("host=db user=ana password=x dbname=sales"),
            "host=db user=ana dbname=sales"
        );
        assert_eq!(
            strip_password("postgres://ana@db/sales"),
            "postgres://ana@db/sales"
        );
        // libpq's other spellings: spaces around '=', a quoted password with a space and quotes.
        assert_eq!(
            strip_password("host=db user=ana password = x dbname=sales"),
            "host=db user=ana dbname=sales"
        );
        assert_eq!(
            strip_password(r"host=db password='s3 cr\'et' user=ana dbname = 'my db'"),
            "host=db user=ana dbname='my db'"
        );
        for given in [
            "host=db user=ana password = x dbname=sales",
            r"host=db password='s3 cr\'et' user=ana",
        ] {
            let server = Server::parse(given).unwrap();
            assert!(server.given_password().is_some(), "{given}");
            assert!(!server.address().contains("s3") && !server.address().contains(" x "));
        }
    }

    #[test]
    fn a_remote_server_needs_tls_unless_the_address_says_otherwise() {
        let remote = Server::parse("postgres://ana@db.example.com/sales").unwrap();
        assert_eq!(remote.config.get_ssl_mode(), SslMode::Require);
        let local = Server::parse("postgres://ana@localhost/sales").unwrap();
        assert_eq!(local.config.get_ssl_mode(), SslMode::Prefer);
        let chosen = Server::parse("postgres://ana@db.example.com/sales?sslmode=disable").unwrap();
        assert_eq!(chosen.config.get_ssl_mode(), SslMode::Disable);
    }

    #[test]
    fn an_address_without_a_user_is_refused() {
        assert!(matches!(
            Server::parse("postgres://db.example.com/sales"),
            Err(TeamError::NoUser { .. })
        ));
        assert!(matches!(
            Server::parse("mysql://x"),
            Err(TeamError::BadAddress { .. })
        ));
    }

    #[test]
    fn password_file_lines_match_like_libpq() {
        let wanted = ["db", "5432", "sales", "ana"];
        assert_eq!(
            pgpass_match("db:5432:sales:ana:pw", wanted),
            Some("pw".into())
        );
        assert_eq!(pgpass_match("*:*:*:ana:p\\:w", wanted), Some("p:w".into()));
        assert_eq!(pgpass_match("db:5432:sales:bob:pw", wanted), None);
        assert_eq!(pgpass_match("broken line", wanted), None);
    }
}
