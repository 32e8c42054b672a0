//! Changing tenants, users and mailboxes while the fake runs.

use super::{ControlError, FakeHandle, UserPatch};
use crate::directory::{Directory, Message, Tenant, User};
use crate::graph::delta;
use crate::state::FakeState;

impl FakeHandle {
    /// A copy of the directory.
    pub fn directory(&self) -> Directory {
        self.fake.lock().directory.clone()
    }

    /// Changes the directory directly; the change is rolled back when it breaks uniqueness.
    /// New messages get change numbers so delta queries see them.
    pub fn with_directory<R>(
        &self,
        change: impl FnOnce(&mut Directory) -> R,
    ) -> Result<R, ControlError> {
        self.change(|state| Ok(change(&mut state.directory)))
    }

    /// Replaces the whole directory (issued tokens stay valid where they still make sense).
    pub fn replace_directory(&self, directory: Directory) -> Result<(), ControlError> {
        self.change(|state| {
            state.directory = directory;
            Ok(())
        })
    }

    /// Adds a tenant.
    pub fn add_tenant(&self, tenant: Tenant) -> Result<(), ControlError> {
        self.change(|state| {
            state.directory.tenants.push(tenant);
            Ok(())
        })
    }

    /// Adds a user to a tenant (GUID or domain).
    pub fn add_user(&self, tenant: &str, user: User) -> Result<(), ControlError> {
        self.change(|state| {
            tenant_mut(&mut state.directory, tenant)?.users.push(user);
            Ok(())
        })
    }

    /// Changes a user (object ID or UPN).
    pub fn update_user(&self, user: &str, patch: UserPatch) -> Result<(), ControlError> {
        self.change(|state| {
            let found = user_mut(&mut state.directory, user)?;
            if let Some(v) = patch.display_name {
                found.display_name = v;
            }
            if let Some(v) = patch.password {
                found.password = v;
            }
            if let Some(v) = patch.mailbox_enabled {
                found.mailbox_enabled = v;
            }
            if let Some(v) = patch.mfa_required {
                found.mfa_required = v;
            }
            if let Some(v) = patch.admin {
                found.admin = v;
            }
            if let Some(v) = patch.sign_in_blocked {
                found.sign_in_blocked = v;
            }
            if let Some(v) = patch.mail {
                found.mail = v;
            }
            Ok(())
        })
    }

    /// Requires (or stops requiring) MFA for a user.
    pub fn set_mfa_required(&self, user: &str, required: bool) -> Result<(), ControlError> {
        self.update_user(
            user,
            UserPatch {
                mfa_required: Some(required),
                ..UserPatch::default()
            },
        )
    }

    /// Gives a user an Exchange Online mailbox or takes it away.
    pub fn set_mailbox_enabled(&self, user: &str, enabled: bool) -> Result<(), ControlError> {
        self.update_user(
            user,
            UserPatch {
                mailbox_enabled: Some(enabled),
                ..UserPatch::default()
            },
        )
    }

    /// Revokes a user's refresh tokens, as a password reset does (AADSTS50173 next).
    pub fn revoke_refresh_tokens(&self, user: &str) -> Result<(), ControlError> {
        self.change(|state| {
            let now = state.now();
            user_mut(&mut state.directory, user)?.tokens_valid_from = Some(now);
            Ok(())
        })
    }

    /// Delivers a message to a mailbox; returns its ID.
    pub fn add_message(&self, user: &str, message: Message) -> Result<String, ControlError> {
        self.change(|state| {
            let seq = state.directory.next_change_seq();
            let id = message.id.clone();
            user_mut(&mut state.directory, user)?.add_message(message, seq);
            Ok(id)
        })
    }

    /// Delivers many messages to a mailbox at once (each `add_message` checks the whole
    /// directory, which 100,000 deliveries cannot afford); returns their IDs.
    pub fn add_messages(
        &self,
        user: &str,
        messages: Vec<Message>,
    ) -> Result<Vec<String>, ControlError> {
        self.change(|state| {
            let mut ids = Vec::with_capacity(messages.len());
            for message in messages {
                let seq = state.directory.next_change_seq();
                ids.push(message.id.clone());
                user_mut(&mut state.directory, user)?.add_message(message, seq);
            }
            Ok(ids)
        })
    }

    /// Deletes a message (delta queries then report it `@removed`).
    pub fn delete_message(&self, user: &str, message_id: &str) -> Result<(), ControlError> {
        self.change(|state| {
            let seq = state.directory.next_change_seq();
            if user_mut(&mut state.directory, user)?.remove_message(message_id, seq) {
                Ok(())
            } else {
                Err(ControlError::UnknownMessage(message_id.into()))
            }
        })
    }

    /// Makes every delta and skip token of a mailbox unknown (410 `SyncStateNotFound`).
    pub fn invalidate_delta_tokens(&self, user: &str) -> Result<(), ControlError> {
        self.change(|state| {
            let mailbox = user_mut(&mut state.directory, user)?.object_id;
            delta::invalidate(state, mailbox);
            Ok(())
        })
    }

    /// Runs a change; rolls back when it fails or breaks uniqueness.
    pub(super) fn change<R>(
        &self,
        change: impl FnOnce(&mut FakeState) -> Result<R, ControlError>,
    ) -> Result<R, ControlError> {
        let mut state = self.fake.lock();
        let before = state.directory.clone();
        let result = change(&mut state).and_then(|r| {
            state.directory.check_unique()?;
            Ok(r)
        });
        match result {
            Ok(r) => {
                state.directory.number_new_messages();
                Ok(r)
            }
            Err(e) => {
                state.directory = before;
                Err(e)
            }
        }
    }
}

pub(super) fn tenant_mut<'d>(
    directory: &'d mut Directory,
    tenant: &str,
) -> Result<&'d mut Tenant, ControlError> {
    let id = directory
        .resolve_tenant(tenant)
        .ok()
        .and_then(|scope| scope.tenant_id())
        .ok_or_else(|| ControlError::UnknownTenant(tenant.into()))?;
    directory
        .tenant_mut(id)
        .ok_or_else(|| ControlError::UnknownTenant(tenant.into()))
}

pub(super) fn user_mut<'d>(
    directory: &'d mut Directory,
    user: &str,
) -> Result<&'d mut User, ControlError> {
    directory
        .user_by_key_mut(user)
        .ok_or_else(|| ControlError::UnknownUser(user.into()))
}
