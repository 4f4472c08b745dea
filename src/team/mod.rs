//! The team library: what a rep chooses to share, replicated into a PostgreSQL database the
//! team runs. Each rep's machine stays the source of truth; the local outbox (see
//! `storage::team`) records every change to a call, and [`sync`] pushes them in order, marking
//! each done only once PostgreSQL has committed it. PostgreSQL enforces who reads what with a
//! role per person and row-level security (`schema.sql`), not this client.
//!
//! - [`Server`]: a parsed address; the password comes from PGPASSWORD, the system keyring
//!   (where [`keep_password`] put it when the rep joined) or `~/.pgpass`, never the data folder.
//! - [`setup`], [`add_member`], [`remove_member`], [`assign_account`]: running the team.
//! - [`sync`]: erasures from the team, teammates' edits to action items, the outbox, then the
//!   pushed calls' line vectors (`meanings`).
//! - [`erase_person`], [`export_person`]: a person's rights across the team (erasure by a
//!   manager; a copy of everything the team holds about them).
//! - [`overview`], [`account_history`], [`search`], [`search_by_meaning`]: the team view, as the
//!   logged-in role sees it. Search by meaning needs pgvector in the team's database
//!   (`meaning.sql`, added by [`setup`]); each rep's sync sends the lines' sentence vectors after
//!   their calls.

mod admin;
mod connect;
mod error;
mod export;
mod meanings;
mod metrics;
mod secret;
mod sync;
mod view;

pub use admin::{
    add_member, assign_account, default_policy, erase_person, has_meaning_search, remove_member,
    schema_version, set_default_policy, setup, MeaningSearch, NewMember, TeamErasure, TeamSetup,
    SCHEMA_VERSION,
};
pub use connect::{strip_password, Server};
pub use error::TeamError;
pub use export::{export_person, TeamActionItemExport, TeamCallExport, TeamPersonExport};
pub use meanings::GRAPH_BUDGET;
pub use secret::keyring_account;
pub(crate) use secret::{forget as forget_password, keep as keep_password};
pub use sync::{check_member, email_hash, sync, sync_with, SyncReport, SyncStage};
pub use view::{
    account_history, overview, search, search_by_meaning, RepOverview, SharedCall, TeamHit,
    TeamOverview, QUESTIONS_BAND, TALK_SHARE_BAND,
};
