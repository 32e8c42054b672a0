//! Changing app registrations: permissions, consent, redirect URIs, secrets, certificates.

use chrono::Duration;
use uuid::Uuid;

use super::directory_ops::{tenant_mut, user_mut};
use super::patches::new_secret_value;
use super::{ApplicationPatch, ControlError, FakeHandle, NewClientCertificate, NewClientSecret};
use crate::directory::{Application, ClientCertificate, ClientSecret, Directory};
use crate::ids::new_guid;

impl FakeHandle {
    /// The object ID of the app's service principal (enterprise application) in its home
    /// tenant: the app-only token's `oid`, and `-ObjectId` of `New-ServicePrincipal`.
    pub fn service_principal_id(&self, client_id: Uuid) -> Result<Uuid, ControlError> {
        let state = self.fake.lock();
        let (home, _) = state
            .directory
            .application(client_id)
            .ok_or_else(|| ControlError::UnknownApplication(client_id.to_string()))?;
        Ok(crate::identity::issue::service_principal_id(
            client_id, home.id,
        ))
    }

    /// Adds an app registration to a tenant (GUID or domain).
    pub fn add_application(
        &self,
        tenant: &str,
        application: Application,
    ) -> Result<(), ControlError> {
        self.change(|state| {
            tenant_mut(&mut state.directory, tenant)?
                .applications
                .push(application);
            Ok(())
        })
    }

    /// Changes an app registration.
    pub fn update_application(
        &self,
        client_id: Uuid,
        patch: ApplicationPatch,
    ) -> Result<(), ControlError> {
        self.change(|state| {
            let (_, app) = app_mut(&mut state.directory, client_id)?;
            if let Some(v) = patch.display_name {
                app.display_name = v;
            }
            if let Some(v) = patch.multitenant {
                app.multitenant = v;
            }
            if let Some(v) = patch.redirect_uris {
                app.redirect_uris = v;
            }
            if let Some(v) = patch.application_permissions {
                app.application_permissions = v;
            }
            if let Some(v) = patch.admin_consent_granted {
                app.admin_consent_granted = v;
            }
            if let Some(v) = patch.admin_consent_other_tenants {
                app.admin_consent_other_tenants = v;
            }
            if let Some(v) = patch.assignment_required {
                app.assignment_required = v;
            }
            if let Some(v) = patch.assigned_users {
                app.assigned_users = v;
            }
            if let Some(v) = patch.mailbox_access_policy {
                app.mailbox_access_policy = v;
            }
            if let Some(v) = patch.exchange_role_assignments {
                app.exchange_role_assignments = v;
            }
            Ok(())
        })
    }

    /// Grants or withdraws admin consent in the app's home tenant.
    pub fn set_admin_consent(&self, client_id: Uuid, granted: bool) -> Result<(), ControlError> {
        self.update_application(
            client_id,
            ApplicationPatch {
                admin_consent_granted: Some(granted),
                ..ApplicationPatch::default()
            },
        )
    }

    /// Sets a user's delegated consent to exactly `scopes` (empty revokes it).
    pub fn set_delegated_consent(
        &self,
        client_id: Uuid,
        user: &str,
        scopes: &[&str],
    ) -> Result<(), ControlError> {
        self.change(|state| {
            let object_id = user_mut(&mut state.directory, user)?.object_id;
            let (_, app) = app_mut(&mut state.directory, client_id)?;
            if scopes.is_empty() {
                app.delegated_consents.remove(&object_id);
            } else {
                app.delegated_consents
                    .insert(object_id, scopes.iter().map(|s| (*s).to_owned()).collect());
            }
            Ok(())
        })
    }

    /// Adds a client secret and returns it (with its generated parts).
    pub fn add_client_secret(
        &self,
        client_id: Uuid,
        secret: NewClientSecret,
    ) -> Result<ClientSecret, ControlError> {
        self.change(|state| {
            let now = state.now();
            let (_, app) = app_mut(&mut state.directory, client_id)?;
            let secret = ClientSecret {
                secret_id: secret.secret_id.unwrap_or_else(new_guid),
                value: secret.value.unwrap_or_else(new_secret_value),
                expires_at: secret.expires_at.unwrap_or(now + Duration::days(730)),
            };
            app.secrets.push(secret.clone());
            Ok(secret)
        })
    }

    /// Removes a client secret.
    pub fn remove_client_secret(
        &self,
        client_id: Uuid,
        secret_id: Uuid,
    ) -> Result<(), ControlError> {
        self.change(|state| {
            let (_, app) = app_mut(&mut state.directory, client_id)?;
            let before = app.secrets.len();
            app.secrets.retain(|s| s.secret_id != secret_id);
            if app.secrets.len() == before {
                return Err(ControlError::UnknownSecret(secret_id.to_string()));
            }
            Ok(())
        })
    }
}

impl FakeHandle {
    /// Uploads a certificate (Certificates & secrets > Certificates) and returns it as stored.
    pub fn add_client_certificate(
        &self,
        client_id: Uuid,
        upload: NewClientCertificate,
    ) -> Result<ClientCertificate, ControlError> {
        let certificate = ClientCertificate {
            key_id: upload.key_id.unwrap_or_else(new_guid),
            certificate_pem: upload.certificate_pem,
            start_at: upload.start_at,
            end_at: upload.end_at,
        };
        if certificate.parse().is_none() {
            return Err(ControlError::InvalidCertificate);
        }
        self.change(|state| {
            let (_, app) = app_mut(&mut state.directory, client_id)?;
            app.certificates.push(certificate.clone());
            Ok(certificate)
        })
    }

    /// Removes an uploaded certificate.
    pub fn remove_client_certificate(
        &self,
        client_id: Uuid,
        key_id: Uuid,
    ) -> Result<(), ControlError> {
        self.change(|state| {
            let (_, app) = app_mut(&mut state.directory, client_id)?;
            let before = app.certificates.len();
            app.certificates.retain(|c| c.key_id != key_id);
            if app.certificates.len() == before {
                return Err(ControlError::UnknownCertificate(key_id.to_string()));
            }
            Ok(())
        })
    }
}

fn app_mut(
    directory: &mut Directory,
    client_id: Uuid,
) -> Result<(Uuid, &mut Application), ControlError> {
    directory
        .application_mut(client_id)
        .ok_or_else(|| ControlError::UnknownApplication(client_id.to_string()))
}
