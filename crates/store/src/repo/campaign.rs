//! Campaigns (issue 5): loaded campaign versions, activity records, exemptions and subject
//! flags; and the set-based reads of the evaluator: each reads one record source for a whole
//! set of units at once (one query per source and chunk of 500 units), never one per cell.

use super::org::{Enterprise, Organisation, scope_condition};
use crate::entity::{
    activity, activity_attachment, campaign, committee_member, department_industry, employment, enterprise, exemption, organisation,
    subject_flag,
};
use anze_domain::auth::Scope;
use anze_domain::campaign::RecordKind;
use anze_domain::org::OrgKind;
use chrono::NaiveDate;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, JoinType, QueryFilter, QueryOrder, QuerySelect, RelationTrait,
};

pub use activity::Model as Activity;
pub use activity_attachment::Model as ActivityAttachment;
pub use campaign::Model as CampaignRow;
pub use exemption::Model as ExemptionRow;

/// The record kinds that are entered as activities: what the other issues do not record.
pub const ACTIVITY_KINDS: &[RecordKind] = &[
    RecordKind::StudySession,
    RecordKind::Training,
    RecordKind::Drill,
    RecordKind::CommitteeMeeting,
    RecordKind::SpecialMeeting,
    RecordKind::WarningNotice,
    RecordKind::Interview,
    RecordKind::WorkPlan,
    RecordKind::AnnualWorkPlan,
    RecordKind::WorkRules,
    RecordKind::EnforcementPlan,
    RecordKind::SituationAnalysis,
    RecordKind::QuarterlyReport,
    RecordKind::Staffing,
    RecordKind::LeaderAssignment,
    RecordKind::AssessmentStandard,
    RecordKind::ListAssessment,
    RecordKind::GridWorkerAward,
    RecordKind::BenchmarkEnterprise,
];

/// The organisation kinds a city board shows as rows.
pub const BOARD_KINDS: &[OrgKind] = &[OrgKind::CommitteeOffice, OrgKind::SpecialCommittee, OrgKind::Department, OrgKind::TownshipOffice];

// ----- campaigns ---------------------------------------------------------------------------

pub async fn insert_campaign<C: ConnectionTrait>(db: &C, row: campaign::ActiveModel) -> Result<(), DbErr> {
    row.insert(db).await.map(|_| ())
}

/// The highest version loaded under `code`, if any.
pub async fn latest_version<C: ConnectionTrait>(db: &C, tenant: &str, code: &str) -> Result<Option<i32>, DbErr> {
    let row = campaign::Entity::find()
        .filter(campaign::Column::TenantId.eq(tenant))
        .filter(campaign::Column::Code.eq(code))
        .order_by_desc(campaign::Column::Version)
        .one(db)
        .await?;
    Ok(row.map(|r| r.version))
}

/// Every loaded version, newest campaign first, then newest version.
pub async fn campaigns<C: ConnectionTrait>(db: &C, tenant: &str) -> Result<Vec<CampaignRow>, DbErr> {
    campaign::Entity::find()
        .filter(campaign::Column::TenantId.eq(tenant))
        .order_by_desc(campaign::Column::StartDate)
        .order_by_asc(campaign::Column::Code)
        .order_by_desc(campaign::Column::Version)
        .all(db)
        .await
}

pub async fn campaign<C: ConnectionTrait>(db: &C, tenant: &str, id: &str) -> Result<Option<CampaignRow>, DbErr> {
    campaign::Entity::find().filter(campaign::Column::TenantId.eq(tenant)).filter(campaign::Column::Id.eq(id)).one(db).await
}

/// Whether some loaded campaign runs on `day`.
pub async fn any_campaign_on<C: ConnectionTrait>(db: &C, tenant: &str, day: NaiveDate) -> Result<bool, DbErr> {
    let row = campaign::Entity::find()
        .select_only()
        .column(campaign::Column::Id)
        .filter(campaign::Column::TenantId.eq(tenant))
        .filter(campaign::Column::StartDate.lte(day))
        .filter(campaign::Column::EndDate.gte(day))
        .into_tuple::<String>()
        .one(db)
        .await?;
    Ok(row.is_some())
}

// ----- activities --------------------------------------------------------------------------

pub async fn insert_activities<C: ConnectionTrait>(db: &C, rows: Vec<activity::ActiveModel>) -> Result<(), DbErr> {
    for chunk in rows.chunks(100) {
        activity::Entity::insert_many(chunk.to_vec()).exec_without_returning(db).await?;
    }
    Ok(())
}

/// The (unit, kind, period) triples among `keys` that already have a record.
pub async fn periods_taken<C: ConnectionTrait>(
    db: &C,
    tenant: &str,
    keys: &[(String, String, String)],
) -> Result<Vec<(String, String, String)>, DbErr> {
    let mut out = vec![];
    let orgs: Vec<String> = keys.iter().map(|k| k.0.clone()).collect();
    for chunk in orgs.chunks(500) {
        let rows: Vec<(String, String, Option<String>)> = activity::Entity::find()
            .select_only()
            .columns([activity::Column::OrganisationId, activity::Column::Kind, activity::Column::PeriodLabel])
            .filter(activity::Column::TenantId.eq(tenant))
            .filter(activity::Column::OrganisationId.is_in(chunk.to_vec()))
            .filter(activity::Column::PeriodLabel.is_not_null())
            .into_tuple()
            .all(db)
            .await?;
        for (o, k, p) in rows {
            let key = (o, k, p.unwrap_or_default());
            if keys.contains(&key) && !out.contains(&key) {
                out.push(key);
            }
        }
    }
    Ok(out)
}

fn activities_in_scope(tenant: &str, scope: &Scope) -> sea_orm::SelectTwo<activity::Entity, organisation::Entity> {
    activity::Entity::find()
        .find_also_related(organisation::Entity)
        .join(JoinType::LeftJoin, organisation::Relation::Enterprise.def())
        .filter(activity::Column::TenantId.eq(tenant))
        .filter(scope_condition(scope))
}

/// One activity whose unit lies in the caller's scope.
pub async fn activity<C: ConnectionTrait>(
    db: &C,
    tenant: &str,
    scope: &Scope,
    id: &str,
) -> Result<Option<(Activity, Organisation)>, DbErr> {
    let row = activities_in_scope(tenant, scope).filter(activity::Column::Id.eq(id)).one(db).await?;
    Ok(row.and_then(|(a, o)| o.map(|o| (a, o))))
}

/// Activities of units in scope, newest first (by id, which is creation order), optionally of
/// one unit or kind, before the id `before`.
pub async fn activities<C: ConnectionTrait>(
    db: &C,
    tenant: &str,
    scope: &Scope,
    organisation_id: Option<&str>,
    kind: Option<&str>,
    before: Option<&str>,
    limit: u64,
) -> Result<Vec<(Activity, Organisation)>, DbErr> {
    let mut q = activities_in_scope(tenant, scope);
    if let Some(o) = organisation_id {
        q = q.filter(activity::Column::OrganisationId.eq(o));
    }
    if let Some(k) = kind {
        q = q.filter(activity::Column::Kind.eq(k));
    }
    if let Some(b) = before {
        q = q.filter(activity::Column::Id.lt(b));
    }
    let rows = q.order_by_desc(activity::Column::Id).limit(limit).all(db).await?;
    Ok(rows.into_iter().filter_map(|(a, o)| o.map(|o| (a, o))).collect())
}

/// Activities of `kinds` held in `from..=to`, of the given units (all units when `None`): the
/// evaluator's one read of the activity source for a board.
pub async fn activities_between<C: ConnectionTrait>(
    db: &C,
    tenant: &str,
    kinds: &[RecordKind],
    from: NaiveDate,
    to: NaiveDate,
    organisation_ids: Option<&[String]>,
) -> Result<Vec<Activity>, DbErr> {
    if kinds.is_empty() {
        return Ok(vec![]);
    }
    let base = activity::Entity::find()
        .filter(activity::Column::TenantId.eq(tenant))
        .filter(activity::Column::Kind.is_in(kinds.iter().map(|k| k.as_str())))
        .filter(activity::Column::HeldOn.gte(from))
        .filter(activity::Column::HeldOn.lte(to));
    match organisation_ids {
        None => base.order_by_asc(activity::Column::HeldOn).order_by_asc(activity::Column::Id).all(db).await,
        Some(ids) => {
            let mut out = vec![];
            for chunk in ids.chunks(500) {
                out.extend(base.clone().filter(activity::Column::OrganisationId.is_in(chunk.to_vec())).all(db).await?);
            }
            out.sort_by(|a, b| (a.held_on, &a.id).cmp(&(b.held_on, &b.id)));
            Ok(out)
        }
    }
}

// ----- exemptions and flags ----------------------------------------------------------------

pub async fn insert_exemption<C: ConnectionTrait>(db: &C, row: exemption::ActiveModel) -> Result<(), DbErr> {
    row.insert(db).await.map(|_| ())
}

/// The exemptions of one campaign version (all units).
pub async fn exemptions<C: ConnectionTrait>(db: &C, tenant: &str, campaign_id: &str) -> Result<Vec<ExemptionRow>, DbErr> {
    exemption::Entity::find()
        .filter(exemption::Column::TenantId.eq(tenant))
        .filter(exemption::Column::CampaignId.eq(campaign_id))
        .all(db)
        .await
}

/// Sets (`on`) or clears a subject flag of a unit; returns whether anything changed.
pub async fn set_flag<C: ConnectionTrait>(db: &C, row: subject_flag::Model, on: bool) -> Result<bool, DbErr> {
    let existing = subject_flag::Entity::find()
        .filter(subject_flag::Column::OrganisationId.eq(&row.organisation_id))
        .filter(subject_flag::Column::Flag.eq(&row.flag))
        .one(db)
        .await?;
    match (existing, on) {
        (None, true) => subject_flag::ActiveModel::from(row).insert(db).await.map(|_| true),
        (Some(e), false) => subject_flag::Entity::delete_by_id(e.id).exec(db).await.map(|r| r.rows_affected == 1),
        _ => Ok(false),
    }
}

// ----- subjects and their facts --------------------------------------------------------------

/// Units of the board kinds within the caller's scope, ordered by kind then name.
pub async fn board_units<C: ConnectionTrait>(db: &C, tenant: &str, scope: &Scope) -> Result<Vec<Organisation>, DbErr> {
    let mut rows: Vec<Organisation> = organisation::Entity::find()
        .join(JoinType::LeftJoin, organisation::Relation::Enterprise.def())
        .filter(organisation::Column::TenantId.eq(tenant))
        .filter(organisation::Column::Kind.is_in(BOARD_KINDS.iter().map(|k| k.as_str())))
        .filter(scope_condition(scope))
        .order_by_asc(organisation::Column::Name)
        .order_by_asc(organisation::Column::Id)
        .all(db)
        .await?;
    let rank = |k: &str| BOARD_KINDS.iter().position(|b| b.as_str() == k).unwrap_or(usize::MAX);
    rows.sort_by_key(|o| rank(&o.kind));
    Ok(rows)
}

/// What the evaluator needs to know of a set of units besides their kind: industries each
/// department supervises, the departments that are member units of a special committee, the
/// flags the city office set, and enterprises' base records.
#[derive(Debug, Default, Clone)]
pub struct UnitFacts {
    pub industries: Vec<(String, String)>,
    pub committee_members: Vec<String>,
    pub flags: Vec<(String, String)>,
    pub enterprises: Vec<Enterprise>,
}

pub async fn unit_facts<C: ConnectionTrait>(db: &C, tenant: &str, ids: &[String]) -> Result<UnitFacts, DbErr> {
    let mut f = UnitFacts::default();
    for chunk in ids.chunks(500) {
        let chunk = chunk.to_vec();
        f.industries.extend(
            department_industry::Entity::find()
                .select_only()
                .columns([department_industry::Column::DepartmentId, department_industry::Column::IndustryCode])
                .filter(department_industry::Column::TenantId.eq(tenant))
                .filter(department_industry::Column::DepartmentId.is_in(chunk.clone()))
                .into_tuple::<(String, String)>()
                .all(db)
                .await?,
        );
        f.committee_members.extend(
            committee_member::Entity::find()
                .select_only()
                .column(committee_member::Column::MemberId)
                .filter(committee_member::Column::TenantId.eq(tenant))
                .filter(committee_member::Column::MemberId.is_in(chunk.clone()))
                .into_tuple::<String>()
                .all(db)
                .await?,
        );
        f.flags.extend(
            subject_flag::Entity::find()
                .select_only()
                .columns([subject_flag::Column::OrganisationId, subject_flag::Column::Flag])
                .filter(subject_flag::Column::TenantId.eq(tenant))
                .filter(subject_flag::Column::OrganisationId.is_in(chunk.clone()))
                .into_tuple::<(String, String)>()
                .all(db)
                .await?,
        );
        f.enterprises.extend(enterprise::Entity::find().filter(enterprise::Column::OrganisationId.is_in(chunk)).all(db).await?);
    }
    Ok(f)
}

/// A post held on a day: (employment id, unit, tier, post title).
pub type Post = (String, String, String, String);

/// Posts of the given tiers held in the given units on `day` (started, not ended before it).
pub async fn posts_on<C: ConnectionTrait>(db: &C, ids: &[String], tiers: &[String], day: NaiveDate) -> Result<Vec<Post>, DbErr> {
    let mut out = vec![];
    if tiers.is_empty() {
        return Ok(out);
    }
    for chunk in ids.chunks(500) {
        out.extend(
            employment::Entity::find()
                .select_only()
                .columns([
                    employment::Column::Id,
                    employment::Column::OrganisationId,
                    employment::Column::Tier,
                    employment::Column::PostTitle,
                ])
                .filter(employment::Column::OrganisationId.is_in(chunk.to_vec()))
                .filter(employment::Column::Tier.is_in(tiers.to_vec()))
                .filter(employment::Column::StartDate.lte(day))
                .filter(sea_orm::Condition::any().add(employment::Column::EndDate.is_null()).add(employment::Column::EndDate.gte(day)))
                .order_by_asc(employment::Column::Id)
                .into_tuple::<Post>()
                .all(db)
                .await?,
        );
    }
    Ok(out)
}

/// Coverage summaries (people, covered, stale) of the given units.
pub async fn coverage_of<C: ConnectionTrait>(db: &C, ids: &[String]) -> Result<Vec<(String, i32, i32, i32)>, DbErr> {
    use crate::entity::coverage_summary as cs;
    let mut out = vec![];
    for chunk in ids.chunks(500) {
        out.extend(
            cs::Entity::find()
                .select_only()
                .columns([cs::Column::OrganisationId, cs::Column::People, cs::Column::Covered, cs::Column::Stale])
                .filter(cs::Column::OrganisationId.is_in(chunk.to_vec()))
                .into_tuple::<(String, i32, i32, i32)>()
                .all(db)
                .await?,
        );
    }
    Ok(out)
}

/// List spot checks of the given units made in `from..=to` (UTC instants): (id, unit, made at).
pub async fn spot_checks_between<C: ConnectionTrait>(
    db: &C,
    ids: &[String],
    from: chrono::DateTime<chrono::Utc>,
    to: chrono::DateTime<chrono::Utc>,
) -> Result<Vec<(String, String, chrono::DateTime<chrono::Utc>)>, DbErr> {
    use crate::entity::list_spot_check as sc;
    let mut out = vec![];
    for chunk in ids.chunks(500) {
        out.extend(
            sc::Entity::find()
                .select_only()
                .columns([sc::Column::Id, sc::Column::OrganisationId, sc::Column::CreatedAt])
                .filter(sc::Column::OrganisationId.is_in(chunk.to_vec()))
                .filter(sc::Column::CreatedAt.gte(from))
                .filter(sc::Column::CreatedAt.lte(to))
                .into_tuple::<(String, String, chrono::DateTime<chrono::Utc>)>()
                .all(db)
                .await?,
        );
    }
    Ok(out)
}

/// Units in scope whose name is one of `names` (imports name government bodies, which have no
/// credit code), with their enterprise records where they have one.
pub async fn units_named<C: ConnectionTrait>(
    db: &C,
    tenant: &str,
    scope: &Scope,
    names: &[String],
) -> Result<Vec<super::org::OrgRow>, DbErr> {
    let mut out = vec![];
    for chunk in names.chunks(500) {
        out.extend(
            organisation::Entity::find()
                .find_also_related(enterprise::Entity)
                .filter(organisation::Column::TenantId.eq(tenant))
                .filter(organisation::Column::Name.is_in(chunk.to_vec()))
                .filter(scope_condition(scope))
                .all(db)
                .await?,
        );
    }
    Ok(out)
}

pub async fn insert_attachments<C: ConnectionTrait>(db: &C, rows: Vec<activity_attachment::ActiveModel>) -> Result<(), DbErr> {
    if rows.is_empty() {
        return Ok(());
    }
    activity_attachment::Entity::insert_many(rows).exec_without_returning(db).await.map(|_| ())
}

/// The attachments of these activities, in the order attached.
pub async fn attachments_of<C: ConnectionTrait>(db: &C, activity_ids: &[String]) -> Result<Vec<ActivityAttachment>, DbErr> {
    let mut out = vec![];
    for chunk in activity_ids.chunks(500) {
        out.extend(
            activity_attachment::Entity::find()
                .filter(activity_attachment::Column::ActivityId.is_in(chunk.to_vec()))
                .order_by_asc(activity_attachment::Column::Id)
                .all(db)
                .await?,
        );
    }
    Ok(out)
}

/// One attachment by id (the caller checks its activity is in scope).
pub async fn attachment<C: ConnectionTrait>(db: &C, tenant: &str, id: &str) -> Result<Option<ActivityAttachment>, DbErr> {
    activity_attachment::Entity::find()
        .filter(activity_attachment::Column::TenantId.eq(tenant))
        .filter(activity_attachment::Column::Id.eq(id))
        .one(db)
        .await
}
