//! Running the team library: setting it up, adding and removing people, who works which
//! account, and a manager's erasure of a person from the whole team.

use postgres::Client;
use serde::Serialize;

use super::connect::Server;
use super::TeamError;
use crate::storage::SharePolicy;

/// The team library's schema version this Zapis writes and reads.
pub const SCHEMA_VERSION: i32 = 1;
const SCHEMA: &str = include_str!("schema.sql");

/// What `zapis team setup` found or made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct TeamSetup {
    /// The team library was created now (false: it was there already).
    pub created: bool,
    pub meaning: MeaningSearch,
}

/// Whether the team library ranks shared lines by meaning as well as by words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum MeaningSearch {
    /// Shared lines carry their sentence vectors, indexed with pgvector.
    On,
    /// The server has no pgvector extension to install.
    PgvectorMissing,
    /// pgvector is on the server but not in this database, and this role may not add it.
    ExtensionNotCreated,
}

impl MeaningSearch {
    /// What to do about it, for a person reading the setup's output.
    pub fn advice(self) -> &'static str {
        match self {
            MeaningSearch::On => "by words and by meaning (pgvector)",
            MeaningSearch::PgvectorMissing => {
                "by words only: the server has no pgvector. Install it (the \
                 PostgreSQL project's apt and yum repositories carry postgresql-NN-pgvector), \
                 have a superuser run CREATE EXTENSION vector in this database, then run \
                 `zapis team setup` again"
            }
            MeaningSearch::ExtensionNotCreated => {
                "by words only: pgvector is installed on the server but not \
                 in this database, and only a superuser may add it. Have one run CREATE \
                 EXTENSION vector in this database, then run `zapis team setup` again"
            }
        }
    }
}

/// The steps of search by meaning, in order, each with the table it adds: a library set up
/// before a step gets it from the next `zapis team setup`.
const MEANING_STEPS: [(&str, &str); 2] = [
    ("zapis.segment_meanings", include_str!("meaning.sql")),
    (
        "zapis.segment_meanings_fresh",
        include_str!("meaning_fresh.sql"),
    ),
];

/// Creates the team library in the server's database (as a role that may create roles), or
/// checks the one that is there; either way adds search by meaning when the database has
/// pgvector and the library does not have it yet (or not all of it).
pub fn setup(server: &Server, client: &mut Client) -> Result<TeamSetup, TeamError> {
    let created = match schema_version(server, client)? {
        Some(found) => {
            check_version(server, found)?;
            false
        }
        None => {
            let mut tx = client.transaction().map_err(|e| server.error(e))?;
            tx.batch_execute(SCHEMA).map_err(|e| server.error(e))?;
            tx.commit().map_err(|e| server.error(e))?;
            true
        }
    };
    let meaning = add_meaning_search(server, client)?;
    Ok(TeamSetup { created, meaning })
}

/// Where the team library keeps the shared lines' sentence vectors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VectorStore {
    /// Set up before `meaning_fresh.sql`: a vector goes straight into the HNSW graph.
    GraphOnly,
    /// A vector waits in `zapis.segment_meanings_fresh` (searched exactly) until a sync moves
    /// it into the graph.
    FreshThenGraph,
}

/// Where the team library keeps the lines' vectors; None where it does not search by meaning.
pub fn vector_store(
    server: &Server,
    client: &mut Client,
) -> Result<Option<VectorStore>, TeamError> {
    let row = client
        .query_one(
            "SELECT to_regclass('zapis.segment_meanings') IS NOT NULL,
                    to_regclass('zapis.segment_meanings_fresh') IS NOT NULL",
            &[],
        )
        .map_err(|e| server.error(e))?;
    Ok(match (row.get(0), row.get(1)) {
        (false, _) => None,
        (true, false) => Some(VectorStore::GraphOnly),
        (true, true) => Some(VectorStore::FreshThenGraph),
    })
}

/// Whether the team library has search by meaning (the shared lines' vectors, `meaning.sql`).
pub fn has_meaning_search(server: &Server, client: &mut Client) -> Result<bool, TeamError> {
    Ok(vector_store(server, client)?.is_some())
}

fn add_meaning_search(server: &Server, client: &mut Client) -> Result<MeaningSearch, TeamError> {
    let Some(schema) = vector_schema(server, client)? else {
        let available: bool = client
            .query_one(
                "SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'vector')",
                &[],
            )
            .map_err(|e| server.error(e))?
            .get(0);
        if !available {
            return Ok(MeaningSearch::PgvectorMissing);
        }
        // pgvector is not a trusted extension: only a superuser may create it.
        match client.batch_execute("CREATE EXTENSION IF NOT EXISTS vector") {
            Ok(()) => return add_meaning_search(server, client),
            Err(e) if e.code() == Some(&postgres::error::SqlState::INSUFFICIENT_PRIVILEGE) => {
                return Ok(MeaningSearch::ExtensionNotCreated)
            }
            Err(e) => return Err(server.error(e)),
        }
    };
    for (table, sql) in MEANING_STEPS {
        let there: bool = client
            .query_one("SELECT to_regclass($1) IS NOT NULL", &[&table])
            .map_err(|e| server.error(e))?
            .get(0);
        if !there {
            let mut tx = client.transaction().map_err(|e| server.error(e))?;
            tx.batch_execute(&sql.replace("@vector@", &schema))
                .map_err(|e| server.error(e))?;
            tx.commit().map_err(|e| server.error(e))?;
        }
    }
    Ok(MeaningSearch::On)
}

/// The schema the database's `vector` extension lives in, quoted as an identifier.
fn vector_schema(server: &Server, client: &mut Client) -> Result<Option<String>, TeamError> {
    Ok(client
        .query_opt(
            "SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'vector'",
            &[],
        )
        .map_err(|e| server.error(e))?
        .map(|row| row.get(0)))
}

/// The team library's version, or None when the database holds none.
pub fn schema_version(server: &Server, client: &mut Client) -> Result<Option<i32>, TeamError> {
    let exists: bool = client
        .query_one(
            "SELECT to_regclass('zapis.schema_version') IS NOT NULL",
            &[],
        )
        .map_err(|e| server.error(e))?
        .get(0);
    if !exists {
        return Ok(None);
    }
    let row = client
        .query_one("SELECT max(version) FROM zapis.schema_version", &[])
        .map_err(|e| server.error(e))?;
    Ok(row.get::<_, Option<i32>>(0))
}

pub(crate) fn check_version(server: &Server, found: i32) -> Result<(), TeamError> {
    if found > SCHEMA_VERSION {
        return Err(TeamError::TooNew {
            address: server.address().to_string(),
            found,
            supported: SCHEMA_VERSION,
        });
    }
    Ok(())
}

/// A person to add to the team.
#[derive(Debug, Clone)]
pub struct NewMember<'a> {
    /// Their PostgreSQL role (they log in as it).
    pub role: &'a str,
    pub display_name: &'a str,
    pub manager: bool,
    /// Their login password; None for a role that logs in another way (certificate, peer).
    pub password: Option<&'a str>,
}

/// Adds a rep or manager: a login role in `zapis_rep` (and `zapis_manager`), and their row.
pub fn add_member(
    server: &Server,
    client: &mut Client,
    member: &NewMember<'_>,
) -> Result<(), TeamError> {
    check_role_name(member.role)?;
    let mut tx = client.transaction().map_err(|e| server.error(e))?;
    let exists: bool = tx
        .query_one(
            "SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1)",
            &[&member.role],
        )
        .map_err(|e| server.error(e))?
        .get(0);
    // Role statements take no parameters: format() quotes the name and password on the server.
    let statement: String = if exists {
        tx.query_one(
            "SELECT format('ALTER ROLE %I LOGIN PASSWORD %L', $1::text, $2::text)",
            &[&member.role, &member.password],
        )
    } else {
        tx.query_one(
            "SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', $1::text, $2::text)",
            &[&member.role, &member.password],
        )
    }
    .map_err(|e| server.error(e))?
    .get(0);
    tx.batch_execute(&statement).map_err(|e| server.error(e))?;
    let groups = if member.manager {
        "zapis_rep, zapis_manager"
    } else {
        "zapis_rep"
    };
    tx.batch_execute(&format!("GRANT {groups} TO \"{}\"", member.role))
        .map_err(|e| server.error(e))?;
    tx.execute(
        "INSERT INTO zapis.reps (role_name, display_name, is_manager) VALUES ($1, $2, $3)
         ON CONFLICT (role_name) DO UPDATE SET display_name = excluded.display_name,
             is_manager = excluded.is_manager, removed_at = NULL",
        &[&member.role, &member.display_name, &member.manager],
    )
    .map_err(|e| server.error(e))?;
    tx.execute(
        "INSERT INTO zapis.audit (action, detail) VALUES ('member.added', jsonb_build_object('role', $1::text))",
        &[&member.role],
    )
    .map_err(|e| server.error(e))?;
    tx.commit().map_err(|e| server.error(e))
}

/// Removes a person from the team: they can no longer log in, read or write. What they shared
/// stays: an account's history is the team's.
pub fn remove_member(server: &Server, client: &mut Client, role: &str) -> Result<(), TeamError> {
    check_role_name(role)?;
    let mut tx = client.transaction().map_err(|e| server.error(e))?;
    let changed = tx
        .execute(
            "UPDATE zapis.reps SET removed_at = now() WHERE role_name = $1 AND removed_at IS NULL",
            &[&role],
        )
        .map_err(|e| server.error(e))?;
    if changed == 0 {
        return Err(TeamError::NotAMember {
            address: server.address().to_string(),
            user: role.to_string(),
        });
    }
    tx.batch_execute(&format!("ALTER ROLE \"{role}\" NOLOGIN"))
        .map_err(|e| server.error(e))?;
    tx.execute(
        "INSERT INTO zapis.audit (action, detail) VALUES ('member.removed', jsonb_build_object('role', $1::text))",
        &[&role],
    )
    .map_err(|e| server.error(e))?;
    tx.commit().map_err(|e| server.error(e))
}

/// Puts a rep on an account: they see every shared call with it.
pub fn assign_account(
    server: &Server,
    client: &mut Client,
    role: &str,
    account: &str,
) -> Result<(), TeamError> {
    check_role_name(role)?;
    client
        .execute(
            "INSERT INTO zapis.account_members (account, rep) VALUES ($1, $2)
             ON CONFLICT DO NOTHING",
            &[&account.trim(), &role],
        )
        .map_err(|e| server.error(e))?;
    Ok(())
}

/// The sharing policy a rep who joins starts with.
pub fn default_policy(server: &Server, client: &mut Client) -> Result<SharePolicy, TeamError> {
    let text: String = client
        .query_one("SELECT default_share_policy FROM zapis.team_settings", &[])
        .map_err(|e| server.error(e))?
        .get(0);
    SharePolicy::parse(&text).ok_or_else(|| TeamError::Server {
        address: server.address().to_string(),
        reason: format!("the team's default sharing policy {text:?} is not one Zapis knows"),
    })
}

/// Sets the team's default sharing policy (a manager or the owner).
pub fn set_default_policy(
    server: &Server,
    client: &mut Client,
    policy: SharePolicy,
) -> Result<(), TeamError> {
    client
        .execute(
            "UPDATE zapis.team_settings SET default_share_policy = $1",
            &[&policy.as_str()],
        )
        .map_err(|e| match e.as_db_error() {
            Some(db) if db.code() == &postgres::error::SqlState::INSUFFICIENT_PRIVILEGE => {
                TeamError::NotAManager {
                    what: "set the team's default sharing policy",
                }
            }
            _ => server.error(e),
        })?;
    Ok(())
}

/// What a team erasure removed; the team's audit row keeps the same counts and nothing else.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct TeamErasure {
    pub calls: i64,
    pub segments: i64,
    pub action_items: i64,
}

/// Erases a person from the whole team library (a manager only): every call they were on, and
/// a tombstone that makes every rep's next sync erase them locally too.
pub fn erase_person(
    server: &Server,
    client: &mut Client,
    email: &str,
) -> Result<TeamErasure, TeamError> {
    let row = client
        .query_one("SELECT zapis.erase_person($1)", &[&email.trim()])
        .map_err(|e| match e.as_db_error() {
            Some(db) if db.code() == &postgres::error::SqlState::INSUFFICIENT_PRIVILEGE => {
                TeamError::NotAManager {
                    what: "erase a person from the team library",
                }
            }
            _ => server.error(e),
        })?;
    let counts: serde_json::Value = row.get(0);
    serde_json::from_value(counts).map_err(|e| TeamError::Server {
        address: server.address().to_string(),
        reason: format!("the erasure's counts came back unreadable: {e}"),
    })
}

/// Role names are used in statements that take no parameters: only a safe alphabet passes.
fn check_role_name(name: &str) -> Result<(), TeamError> {
    let ok = (1..=48).contains(&name.len())
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if ok {
        Ok(())
    } else {
        Err(TeamError::BadRoleName {
            name: name.to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_names_that_could_break_a_statement_are_refused() {
        assert!(check_role_name("ana_petrovic2").is_ok());
        for bad in ["", "Ana", "ana\"; DROP", "2ana", "ana-p", &"a".repeat(49)] {
            assert!(check_role_name(bad).is_err(), "{bad:?}");
        }
    }
}
