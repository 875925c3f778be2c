use sea_orm::entity::prelude::*;
use serde::Serialize;

/// An activity record (活动记录): a study session, training, drill, meeting, plan, report … of
/// one unit, the evidence campaign obligations count.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "activities")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub tenant_id: String,
    pub organisation_id: String,
    /// A `RecordKind` that activities record.
    pub kind: String,
    pub title: String,
    pub held_on: Date,
    pub organiser: String,
    pub participants: String,
    pub minutes: String,
    /// The period a report concerns (`2024-Q1` for a quarterly report), else none.
    pub period_label: Option<String>,
    pub observed: bool,
    pub plenary: bool,
    pub head_attends: bool,
    pub for_sector_enterprises: bool,
    pub for_grid_workers: bool,
    pub created_by: String,
    pub created_at: DateTimeUtc,
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
