use sea_orm::entity::prelude::*;
use serde::Serialize;

/// One list spot check (清单抽查) of one unit.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "list_spot_checks")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub tenant_id: String,
    pub organisation_id: String,
    pub inspector_id: Option<String>,
    pub inspector_name: String,
    pub created_at: DateTimeUtc,
    /// `manual` or `random`.
    pub method: String,
    /// The checks of one random draw share this id.
    pub draw_id: Option<String>,
    /// The draw's seed, as decimal text (a u64).
    pub seed: Option<String>,
    pub pool_size: i64,
    pub pool_hash: Option<String>,
    /// The pool's filters as JSON (region, industry, risk).
    pub pool_filter: Option<String>,
    pub people: i64,
    pub covered: i64,
    pub stale: i64,
    pub missing_lists: i64,
    pub fit_flags: i64,
    pub covered_ok: Option<String>,
    pub adjusted_ok: Option<String>,
    pub fits_ok: Option<String>,
    pub problems: String,
    /// `open` or `recorded`.
    pub state: String,
    pub recorded_at: Option<DateTimeUtc>,
    pub recorded_by_id: Option<String>,
    pub recorded_by_name: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(belongs_to = "super::organisation::Entity", from = "Column::OrganisationId", to = "super::organisation::Column::Id")]
    Organisation,
}

impl Related<super::organisation::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Organisation.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
