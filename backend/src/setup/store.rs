//! A setup's row: created by step 1, each later step writing only its own columns.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect,
};

use rules::setup::SetupChecks;

use crate::entities::microsoft_setup as setup;

/// How many unfinished setups the start page lists.
const LISTED: u64 = 20;

/// The checks stored with `row`; a row whose JSON cannot be read starts again from none
/// (the page then asks for the checks once more, nothing else is lost).
pub fn checks_of(row: &setup::Model) -> SetupChecks {
    serde_json::from_str(&row.checks).unwrap_or_default()
}

fn json(checks: &SetupChecks) -> String {
    serde_json::to_string(checks).unwrap_or_else(|_| "{}".to_string())
}

/// A new setup for `tenant_input`, with step 1's check; `tenant_id` when it passed.
pub async fn create(
    db: &impl ConnectionTrait,
    tenant_input: &str,
    tenant_id: Option<String>,
    checks: &SetupChecks,
    user_id: Option<i32>,
    now: DateTime<Utc>,
) -> Result<i32, DbErr> {
    let row = setup::ActiveModel {
        tenant_input: Set(tenant_input.to_string()),
        tenant_id: Set(tenant_id),
        checks: Set(json(checks)),
        created_by_user_id: Set(user_id),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    Ok(row.insert(db).await?.id)
}

pub async fn load(db: &impl ConnectionTrait, id: i32) -> Result<Option<setup::Model>, DbErr> {
    setup::Entity::find_by_id(id).one(db).await
}

/// The newest setups first.
pub async fn recent(db: &impl ConnectionTrait) -> Result<Vec<setup::Model>, DbErr> {
    setup::Entity::find()
        .order_by_desc(setup::Column::UpdatedAt)
        .limit(LISTED)
        .all(db)
        .await
}

/// What one step writes.
#[derive(Default)]
pub struct Change {
    pub tenant: Option<(String, Option<String>)>,
    pub app: Option<(Option<String>, Option<i32>)>,
    pub addresses: Option<String>,
}

/// Stores `checks` and `change` on setup `id`; false when it is gone. The checks are read,
/// changed and written by the caller: two admins checking the same step at once each store
/// a complete run, the later one stays.
pub async fn save(
    db: &impl ConnectionTrait,
    id: i32,
    checks: &SetupChecks,
    change: Change,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let mut row = setup::ActiveModel {
        id: Set(id),
        checks: Set(json(checks)),
        updated_at: Set(now),
        ..Default::default()
    };
    if let Some((input, tenant_id)) = change.tenant {
        row.tenant_input = Set(input);
        row.tenant_id = Set(tenant_id);
    }
    if let Some((client_id, registration_id)) = change.app {
        row.client_id = Set(client_id);
        row.app_registration_id = Set(registration_id);
    }
    if let Some(addresses) = change.addresses {
        row.addresses = Set(Some(addresses));
    }
    let updated = setup::Entity::update_many()
        .set(row)
        .filter(setup::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(updated.rows_affected == 1)
}
