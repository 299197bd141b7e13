//! Group commit for the hottest SQLite writes: new submissions and their receipts.
//!
//! Every commit in WAL mode with `synchronous=FULL` waits for an fsync, and SQLite has one
//! writer, so committing each submission on its own caps throughput at the disk's fsync rate.
//! Writes sent here queue for one task, which takes every write waiting at that moment (up to
//! `MAX_GROUP`), applies each inside its own savepoint so one failure affects only its own
//! caller, and commits them together. Each caller gets its result only after that commit, so every
//! acknowledged write is durable. A write that finds the queue empty commits at once.

use sqlx::{SqliteConnection, SqlitePool};
use tokio::sync::{mpsc, oneshot};

use crate::{AttachmentInfo, StoreError, StoreResult};

const MAX_GROUP: usize = 64;

/// One write that waits for a group commit.
pub(crate) enum GroupWrite {
    Submission {
        id: String,
        received_on: String,
        status: &'static str,
        input: String,
        wrapped_key: Vec<u8>,
        draft: String,
        attachments: Vec<(AttachmentInfo, Vec<u8>)>,
    },
    Receipt {
        submission_id: String,
        receipt_hash: Vec<u8>,
    },
}

pub(crate) struct Job {
    write: GroupWrite,
    done: oneshot::Sender<StoreResult<()>>,
}

/// The sending side held by the store; the committing task ends when the last sender is gone.
#[derive(Debug, Clone)]
pub(crate) struct GroupCommitter {
    jobs: mpsc::UnboundedSender<Job>,
}

impl GroupCommitter {
    /// Starts the committing task on the current tokio runtime.
    pub fn start(writer: SqlitePool) -> GroupCommitter {
        let (jobs, receiver) = mpsc::unbounded_channel();
        tokio::spawn(run(writer, receiver));
        GroupCommitter { jobs }
    }

    /// Queues a write and waits until the commit that includes it.
    pub async fn write(&self, write: GroupWrite) -> StoreResult<()> {
        let (done, answer) = oneshot::channel();
        self.jobs
            .send(Job { write, done })
            .map_err(|_| StoreError::Commit("the group commit task has stopped".to_owned()))?;
        answer.await.map_err(|_| {
            StoreError::Commit("the group commit task stopped before returning a result".to_owned())
        })?
    }
}

async fn run(writer: SqlitePool, mut jobs: mpsc::UnboundedReceiver<Job>) {
    while let Some(first) = jobs.recv().await {
        let mut group = vec![first];
        while group.len() < MAX_GROUP {
            match jobs.try_recv() {
                Ok(job) => group.push(job),
                Err(_) => break,
            }
        }

        let outcomes = commit_group(&writer, &group).await;
        for (job, outcome) in group.into_iter().zip(outcomes) {
            let _ = job.done.send(outcome);
        }
    }
}

async fn commit_group(writer: &SqlitePool, group: &[Job]) -> Vec<StoreResult<()>> {
    let failed_all = |message: String| {
        group
            .iter()
            .map(|_| Err(StoreError::Commit(message.clone())))
            .collect()
    };
    let mut transaction = match writer.begin().await {
        Ok(transaction) => transaction,
        Err(error) => return failed_all(format!("cannot begin the group transaction: {error}")),
    };

    let mut outcomes = Vec::with_capacity(group.len());
    for job in group {
        if let Err(error) = sqlx::query("SAVEPOINT group_write")
            .execute(&mut *transaction)
            .await
        {
            return failed_all(format!("cannot open a savepoint: {error}"));
        }
        let outcome = apply(&mut transaction, &job.write).await;
        let closing = if outcome.is_ok() {
            "RELEASE group_write"
        } else {
            "ROLLBACK TO group_write; RELEASE group_write"
        };
        if let Err(error) = sqlx::Executor::execute(&mut *transaction, closing).await {
            return failed_all(format!("cannot close a savepoint: {error}"));
        }
        outcomes.push(outcome);
    }

    if let Err(error) = transaction.commit().await {
        return failed_all(format!("group commit failed: {error}"));
    }
    outcomes
}

async fn apply(connection: &mut SqliteConnection, write: &GroupWrite) -> StoreResult<()> {
    match write {
        GroupWrite::Submission {
            id,
            received_on,
            status,
            input,
            wrapped_key,
            draft,
            attachments,
        } => {
            sqlx::query(
                "INSERT INTO submissions (id, received_on, status, input, wrapped_key) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(id)
            .bind(received_on)
            .bind(*status)
            .bind(input)
            .bind(wrapped_key)
            .execute(&mut *connection)
            .await?;
            sqlx::query("INSERT INTO review_drafts (submission_id, draft) VALUES ($1, $2)")
                .bind(id)
                .bind(draft)
                .execute(&mut *connection)
                .await?;
            for (info, sealed) in attachments {
                super::insert_attachment_in(&mut *connection, id, info, sealed.clone()).await?;
            }
            Ok(())
        }
        GroupWrite::Receipt {
            submission_id,
            receipt_hash,
        } => {
            let updated = sqlx::query(
                "UPDATE submissions SET receipt_hash = $1 WHERE id = $2 AND receipt_hash IS NULL",
            )
            .bind(receipt_hash)
            .bind(submission_id)
            .execute(&mut *connection)
            .await?;
            if updated.rows_affected() == 0 {
                return Err(StoreError::Conflict(format!(
                    "submission {submission_id} already has a receipt"
                )));
            }
            Ok(())
        }
    }
}
