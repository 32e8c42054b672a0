//! An attachment's content in the database: chunks of at most [`CHUNK_BYTES`], so neither
//! storing nor serving a file holds more than one chunk of it in memory, however large the
//! file (issue 21; `migrations`' `m20261215_000009_attachment_chunks`).
//!
//! A download is written as it streams in, each chunk its own short write *staged* under a
//! random key (no transaction is held open while Graph sends, so SQLite's one writer is
//! never blocked for a download's duration). The message's transaction then links the
//! staged chunks to the attachment row ([`link`]). Staged chunks that never get linked —
//! the sync failed or stopped, the message was quarantined, the process died — are deleted
//! by [`sweep_staged`] once older than any sync keeps them (the housekeeping sweep,
//! `crate::housekeeping`).

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect,
};

use crate::entities::mail_attachment_chunk as chunk;

/// The most a chunk holds: small beside the memory a sync may use, large enough that a
/// 150 MB attachment (Graph's limit) is 150 rows.
pub const CHUNK_BYTES: usize = 1024 * 1024;

/// Staged chunks older than this are no sync's any more: a sync stores a message as soon as
/// its attachments are fetched, under a lease of minutes.
pub const STAGED_MAX_AGE: chrono::Duration = chrono::Duration::hours(6);

/// An attachment's content, ready to store with its row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Content {
    /// In memory: a source that reads whole messages, or a test.
    Bytes(Vec<u8>),
    /// In the database already, staged under `key`.
    Staged { key: String, size: u64 },
}

impl Content {
    /// Its length in bytes.
    pub fn len(&self) -> u64 {
        match self {
            Content::Bytes(bytes) => bytes.len() as u64,
            Content::Staged { size, .. } => *size,
        }
    }

    /// Whether it has no bytes.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Writes a download into staged chunks as it arrives.
pub struct Stager<'c, C> {
    db: &'c C,
    key: String,
    buffer: Vec<u8>,
    seq: i32,
    size: u64,
    now: DateTime<Utc>,
}

impl<'c, C: ConnectionTrait> Stager<'c, C> {
    pub fn new(db: &'c C, now: DateTime<Utc>) -> Self {
        Stager {
            db,
            key: uuid::Uuid::new_v4().to_string(),
            buffer: Vec::new(),
            seq: 0,
            size: 0,
            now,
        }
    }

    /// Adds `bytes`; every full chunk is written at once.
    pub async fn push(&mut self, mut bytes: &[u8]) -> Result<(), DbErr> {
        self.size += bytes.len() as u64;
        while !bytes.is_empty() {
            if self.buffer.capacity() == 0 {
                self.buffer.reserve_exact(CHUNK_BYTES);
            }
            let room = CHUNK_BYTES - self.buffer.len();
            let (now, later) = bytes.split_at(room.min(bytes.len()));
            self.buffer.extend_from_slice(now);
            bytes = later;
            if self.buffer.len() == CHUNK_BYTES {
                self.flush().await?;
            }
        }
        Ok(())
    }

    /// The content, its last chunk written.
    pub async fn finish(mut self) -> Result<Content, DbErr> {
        if !self.buffer.is_empty() || self.seq == 0 {
            self.flush().await?;
        }
        Ok(Content::Staged {
            key: self.key,
            size: self.size,
        })
    }

    /// Deletes what was written (the download went over its limit or failed).
    pub async fn discard(self) -> Result<(), DbErr> {
        discard(self.db, &self.key).await
    }

    async fn flush(&mut self) -> Result<(), DbErr> {
        let bytes = std::mem::take(&mut self.buffer);
        insert(
            self.db,
            None,
            Some(self.key.clone()),
            self.seq,
            bytes,
            self.now,
        )
        .await?;
        self.seq += 1;
        Ok(())
    }
}

/// Stores `content` as the content of attachment `attachment_id` (inside the message's
/// transaction).
pub async fn store(
    txn: &impl ConnectionTrait,
    attachment_id: i32,
    content: Content,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    match content {
        Content::Staged { key, .. } => link(txn, &key, attachment_id).await,
        Content::Bytes(bytes) => {
            for (seq, piece) in bytes.chunks(CHUNK_BYTES).enumerate() {
                let seq = i32::try_from(seq).unwrap_or(i32::MAX);
                insert(txn, Some(attachment_id), None, seq, piece.to_vec(), now).await?;
            }
            if bytes.is_empty() {
                insert(txn, Some(attachment_id), None, 0, Vec::new(), now).await?;
            }
            Ok(())
        }
    }
}

/// Gives the chunks staged under `key` to attachment `attachment_id`.
async fn link(txn: &impl ConnectionTrait, key: &str, attachment_id: i32) -> Result<(), DbErr> {
    let linked = chunk::Entity::update_many()
        .col_expr(chunk::Column::AttachmentId, Expr::value(attachment_id))
        .col_expr(chunk::Column::StageKey, Expr::value(Option::<String>::None))
        .filter(chunk::Column::StageKey.eq(key))
        .exec(txn)
        .await?;
    if linked.rows_affected == 0 {
        // Swept before its message was stored: storing the row without its content would
        // offer a download that does not exist.
        return Err(DbErr::RecordNotFound(format!(
            "staged attachment content {key} is gone"
        )));
    }
    Ok(())
}

/// Deletes the chunks staged under `key`.
pub async fn discard(db: &impl ConnectionTrait, key: &str) -> Result<(), DbErr> {
    chunk::Entity::delete_many()
        .filter(chunk::Column::StageKey.eq(key))
        .exec(db)
        .await?;
    Ok(())
}

/// Deletes staged chunks written before `before` that no message took; how many.
pub async fn sweep_staged(db: &impl ConnectionTrait, before: DateTime<Utc>) -> Result<u64, DbErr> {
    let swept = chunk::Entity::delete_many()
        .filter(chunk::Column::AttachmentId.is_null())
        .filter(chunk::Column::StageKey.is_not_null())
        .filter(chunk::Column::CreatedAt.lt(before))
        .exec(db)
        .await?;
    Ok(swept.rows_affected)
}

/// Chunk `seq` of attachment `attachment_id`'s content; None past its end.
pub async fn read_chunk(
    db: &impl ConnectionTrait,
    attachment_id: i32,
    seq: i32,
) -> Result<Option<Vec<u8>>, DbErr> {
    chunk::Entity::find()
        .select_only()
        .column(chunk::Column::Bytes)
        .filter(chunk::Column::AttachmentId.eq(attachment_id))
        .filter(chunk::Column::Seq.eq(seq))
        .into_tuple()
        .one(db)
        .await
}

async fn insert(
    db: &impl ConnectionTrait,
    attachment_id: Option<i32>,
    stage_key: Option<String>,
    seq: i32,
    bytes: Vec<u8>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    chunk::Entity::insert(chunk::ActiveModel {
        attachment_id: Set(attachment_id),
        stage_key: Set(stage_key),
        seq: Set(seq),
        bytes: Set(bytes),
        created_at: Set(now),
        ..Default::default()
    })
    .exec_without_returning(db)
    .await?;
    Ok(())
}
