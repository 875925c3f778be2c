//! The employee's phone page (measure 19): the city's most used page, so its two reads are one
//! query each and fetch only the columns the page shows. Who is asking (a holder of a post,
//! found by name through the QR code), then their lists with items, each marked signed.

use crate::entity::{acknowledgement, duty_list, duty_list_item, employment, organisation, person, qr_code};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, FromQueryResult, JoinType, QueryFilter, QueryOrder, QuerySelect, RelationDef,
};

/// One current post of a person with the typed name, in the enterprise of an active QR code.
#[derive(Debug, Clone, PartialEq, Eq, FromQueryResult)]
pub struct Holder {
    pub organisation_id: String,
    pub organisation_name: String,
    pub person_id: String,
    pub name: String,
    pub id_number: Option<String>,
    pub phone: Option<String>,
    pub tier: String,
}

/// The current posts held by people named `name` in the enterprise of the active QR code
/// `token` (an unknown or revoked code finds no one; the caller then asks why).
pub async fn holders_named<C: ConnectionTrait>(db: &C, tenant: &str, token: &str, name: &str) -> Result<Vec<Holder>, DbErr> {
    let code: RelationDef =
        employment::Entity::belongs_to(qr_code::Entity).from(employment::Column::OrganisationId).to(qr_code::Column::OrganisationId).into();
    let holder: RelationDef =
        employment::Entity::belongs_to(person::Entity).from(employment::Column::PersonId).to(person::Column::Id).into();
    let unit: RelationDef =
        employment::Entity::belongs_to(organisation::Entity).from(employment::Column::OrganisationId).to(organisation::Column::Id).into();
    employment::Entity::find()
        .select_only()
        .join(JoinType::InnerJoin, code)
        .join(JoinType::InnerJoin, holder)
        .join(JoinType::InnerJoin, unit)
        .column_as(employment::Column::OrganisationId, "organisation_id")
        .column_as(organisation::Column::Name, "organisation_name")
        .column_as(person::Column::Id, "person_id")
        .column_as(person::Column::Name, "name")
        .column_as(person::Column::IdNumber, "id_number")
        .column_as(person::Column::Phone, "phone")
        .column_as(employment::Column::Tier, "tier")
        .filter(qr_code::Column::Token.eq(token))
        .filter(qr_code::Column::RevokedAt.is_null())
        .filter(qr_code::Column::TenantId.eq(tenant))
        .filter(employment::Column::EndDate.is_null())
        .filter(person::Column::Name.eq(name))
        .into_model::<Holder>()
        .all(db)
        .await
}

/// One item of a published list, with its list's heading and whether `person` signed this
/// version's exact text (an acknowledgement of an older text does not count).
#[derive(Debug, Clone, PartialEq, Eq, FromQueryResult)]
pub struct ListItemRow {
    pub list_id: String,
    pub title: String,
    pub version: i32,
    pub text: String,
    pub legal_basis: String,
    pub frequency: String,
    pub signed: bool,
}

/// The published lists of `tiers` in the organisation with their items in order, each row
/// marked signed or not by `person_id`.
pub async fn lists_of<C: ConnectionTrait>(
    db: &C,
    organisation_id: &str,
    tiers: &[String],
    person_id: &str,
) -> Result<Vec<ListItemRow>, DbErr> {
    let list: RelationDef =
        duty_list_item::Entity::belongs_to(duty_list::Entity).from(duty_list_item::Column::DutyListId).to(duty_list::Column::Id).into();
    let signed = Query::select()
        .expr(Expr::cust("1"))
        .from(acknowledgement::Entity)
        .and_where(
            Expr::col((acknowledgement::Entity, acknowledgement::Column::DutyListId)).equals((duty_list::Entity, duty_list::Column::Id)),
        )
        .and_where(Expr::col((acknowledgement::Entity, acknowledgement::Column::PersonId)).eq(person_id))
        .and_where(
            Expr::col((acknowledgement::Entity, acknowledgement::Column::TextHash))
                .equals((duty_list::Entity, duty_list::Column::TextHash)),
        )
        .to_owned();
    duty_list_item::Entity::find()
        .select_only()
        .join(JoinType::InnerJoin, list)
        .column_as(duty_list::Column::Id, "list_id")
        .column_as(duty_list::Column::Title, "title")
        .column_as(duty_list::Column::Version, "version")
        .column_as(duty_list_item::Column::Text, "text")
        .column_as(duty_list_item::Column::LegalBasis, "legal_basis")
        .column_as(duty_list_item::Column::Frequency, "frequency")
        .expr_as(Expr::exists(signed), "signed")
        .filter(duty_list::Column::OrganisationId.eq(organisation_id))
        .filter(duty_list::Column::State.eq("published"))
        .filter(duty_list::Column::Tier.is_in(tiers.to_vec()))
        .order_by_asc(duty_list::Column::Tier)
        .order_by_asc(duty_list::Column::Id)
        .order_by_asc(duty_list_item::Column::Position)
        .into_model::<ListItemRow>()
        .all(db)
        .await
}
