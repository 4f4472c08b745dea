//! Every write goes through here: a health check of the file before the first write of a
//! process, transactions that nest, and units of work that commit whole or not at all.

use rusqlite::{Connection, Savepoint, Transaction, TransactionBehavior};
use std::ops::Deref;
use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};

use super::error::classify;
use super::{Library, Result, StorageError};

/// A transaction, or a savepoint inside the unit of work that is already open.
pub(super) enum Tx<'a> {
    Outer(Transaction<'a>),
    Nested(Savepoint<'a>),
}

impl Deref for Tx<'_> {
    type Target = Connection;

    fn deref(&self) -> &Connection {
        match self {
            Tx::Outer(tx) => tx,
            Tx::Nested(sp) => sp,
        }
    }
}

impl Tx<'_> {
    pub(super) fn commit(self) -> rusqlite::Result<()> {
        match self {
            Tx::Outer(tx) => tx.commit(),
            Tx::Nested(sp) => sp.commit(),
        }
    }
}

impl Library {
    /// Runs `work` as one transaction: everything it stores becomes visible together when it
    /// returns `Ok`, and nothing of it does when it fails, panics or the process dies. Other
    /// readers see the library as it was until then.
    pub fn atomically<T, E: From<StorageError>>(
        &mut self,
        work: impl FnOnce(&mut Library) -> Result<T, E>,
    ) -> Result<T, E> {
        self.writer()?
            .execute_batch("BEGIN IMMEDIATE")
            .map_err(|e| self.sql_error(e))?;
        match catch_unwind(AssertUnwindSafe(|| work(self))) {
            Ok(Ok(value)) => match self.conn.execute_batch("COMMIT") {
                Ok(()) => Ok(value),
                Err(e) => {
                    let _ = self.conn.execute_batch("ROLLBACK");
                    Err(self.sql_error(e).into())
                }
            },
            Ok(Err(err)) => {
                let _ = self.conn.execute_batch("ROLLBACK");
                Err(err)
            }
            Err(panic) => {
                let _ = self.conn.execute_batch("ROLLBACK");
                resume_unwind(panic)
            }
        }
    }

    /// A transaction for one write: IMMEDIATE takes the write lock up front, so a busy peer is
    /// waited for instead of failing mid-way. Inside [`Library::atomically`] it is a savepoint.
    pub(super) fn transaction(&mut self) -> Result<Tx<'_>> {
        self.writer()?;
        let path = self.path.clone();
        let tx = if self.conn.is_autocommit() {
            self.conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map(Tx::Outer)
        } else {
            self.conn.savepoint().map(Tx::Nested)
        };
        tx.map_err(|e| classify(&path, e))
    }

    /// The connection, for a write. The first write of this process checks the whole file
    /// (`PRAGMA quick_check`) first: a damaged page elsewhere in the file is found before
    /// anything is written next to it, and the file is left exactly as it was.
    pub(super) fn writer(&self) -> Result<&Connection> {
        if !self.checked.get() {
            let verdict: String = self
                .conn
                .query_row("PRAGMA quick_check(1)", [], |r| r.get(0))
                .map_err(|e| self.sql_error(e))?;
            if verdict != "ok" {
                return Err(StorageError::Corrupt {
                    path: self.path.clone(),
                    detail: verdict,
                });
            }
            self.checked.set(true);
        }
        Ok(&self.conn)
    }
}
