//! Where an organisation sits and who may reach it: the scoped lookup every context starts
//! from, and the access target the policy (`anze_domain::auth::can`) decides on. A leaf:
//! every context may use it, it uses none of them.

use crate::{Actor, Ctx, ServiceError, ServiceResult};
use anze_domain::auth::Target;
use anze_domain::org::OrgKind;
use anze_store::repo::org::{self as repo, Enterprise, OrgRow, Organisation};
use uuid::Uuid;

/// The access target of an organisation (and its enterprise record, which adds the industry).
pub fn target_of(o: &Organisation, e: Option<&Enterprise>) -> Target {
    Target {
        kind: OrgKind::parse(&o.kind).unwrap_or(OrgKind::Enterprise),
        organisation_id: Uuid::parse_str(&o.id).unwrap_or_default(),
        region_path: o.region_path.clone(),
        industry_code: e.map(|e| e.industry_code.clone()),
    }
}

/// One organisation in the actor's scope; absent and out of scope are both `NotFound`.
#[tracing::instrument(level = "debug", skip_all, fields(user = ?actor.user_id, id = %id))]
pub async fn organisation(ctx: &Ctx, actor: &Actor, id: Uuid) -> ServiceResult<OrgRow> {
    repo::get(&ctx.db.read, &ctx.tenant, &actor.scope(), &id.to_string()).await?.ok_or(ServiceError::NotFound)
}
