//! Reading what the fake observed.

use super::{ControlError, FakeHandle};
use crate::records::{
    AttachmentDownload, GraphRequestRecord, MailboxConcurrency, SentMessage, TokenRequestRecord,
};

impl FakeHandle {
    /// Messages sent by `user` (object ID or UPN) through `sendMail`, oldest first.
    pub fn sent_messages(&self, user: &str) -> Result<Vec<SentMessage>, ControlError> {
        let state = self.fake.lock();
        let (_, sender) = state
            .directory
            .user_by_key(user)
            .ok_or_else(|| ControlError::UnknownUser(user.into()))?;
        let id = sender.object_id;
        Ok(state
            .records
            .sent
            .iter()
            .filter(|m| m.from_user == id)
            .cloned()
            .collect())
    }

    /// Every message sent through `sendMail`.
    pub fn all_sent_messages(&self) -> Vec<SentMessage> {
        self.fake.lock().records.sent.clone()
    }

    /// Every token request, oldest first.
    pub fn token_requests(&self) -> Vec<TokenRequestRecord> {
        self.fake.lock().records.token_requests.clone()
    }

    /// How many token requests had this `grant_type` (`authorization_code`,
    /// `refresh_token`, `client_credentials`).
    pub fn token_request_count(&self, grant_type: &str) -> usize {
        self.fake.lock().records.token_request_count(grant_type)
    }

    /// Every Graph request, oldest first.
    pub fn graph_requests(&self) -> Vec<GraphRequestRecord> {
        self.fake.lock().records.graph_requests.clone()
    }

    /// Every attachment content served (`$value` or `contentBytes`), oldest first: a test
    /// asserts with it that an attachment was never downloaded.
    pub fn attachment_downloads(&self) -> Vec<AttachmentDownload> {
        self.fake.lock().records.attachment_downloads.clone()
    }

    /// In-flight and maximum concurrent Graph requests on a mailbox.
    pub fn mailbox_concurrency(&self, user: &str) -> Result<MailboxConcurrency, ControlError> {
        let state = self.fake.lock();
        let (_, found) = state
            .directory
            .user_by_key(user)
            .ok_or_else(|| ControlError::UnknownUser(user.into()))?;
        Ok(state
            .records
            .concurrency
            .get(&found.object_id)
            .copied()
            .unwrap_or_default())
    }

    /// How many refresh tokens were exchanged more than once (Microsoft allows it; a count
    /// above zero shows a client that does not keep the rotated token).
    pub fn reused_refresh_tokens(&self) -> usize {
        self.fake
            .lock()
            .grants
            .refresh_tokens
            .values()
            .filter(|g| g.uses > 1)
            .count()
    }

    /// Forgets token requests, Graph requests, sent mail and concurrency maxima.
    pub fn clear_records(&self) {
        let mut state = self.fake.lock();
        let records = &mut state.records;
        records.token_requests.clear();
        records.graph_requests.clear();
        records.sent.clear();
        records.attachment_downloads.clear();
        for entry in records.concurrency.values_mut() {
            entry.max_in_flight = entry.in_flight;
        }
    }
}
