//! People and their employments (person, organisation, post, from, to).

use crate::entity::{employment, person};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter, QueryOrder,
};

pub use employment::Model as Employment;
pub use person::Model as Person;

/// The staff of one organisation: current employments (and ended ones when asked), with
/// the person, ordered by tier then name.
pub async fn staff<C: ConnectionTrait>(db: &C, organisation_id: &str, include_ended: bool) -> Result<Vec<(Employment, Person)>, DbErr> {
    let mut q = employment::Entity::find().filter(employment::Column::OrganisationId.eq(organisation_id));
    if !include_ended {
        q = q.filter(employment::Column::EndDate.is_null());
    }
    let jobs = q.all(db).await?;
    let ids: Vec<String> = jobs.iter().map(|j| j.person_id.clone()).collect();
    let mut people = vec![];
    for chunk in ids.chunks(500) {
        people.extend(person::Entity::find().filter(person::Column::Id.is_in(chunk.to_vec())).all(db).await?);
    }
    let by_id: std::collections::HashMap<String, Person> = people.into_iter().map(|p| (p.id.clone(), p)).collect();
    let mut out: Vec<(Employment, Person)> = jobs.into_iter().filter_map(|j| by_id.get(&j.person_id).cloned().map(|p| (j, p))).collect();
    let tier_rank = |t: &str| anze_domain::org::PostTier::ALL.iter().position(|x| x.as_str() == t).unwrap_or(usize::MAX);
    out.sort_by(|a, b| tier_rank(&a.0.tier).cmp(&tier_rank(&b.0.tier)).then_with(|| a.1.name.cmp(&b.1.name)));
    Ok(out)
}

pub async fn count_current_staff<C: ConnectionTrait>(db: &C, organisation_id: &str) -> Result<u64, DbErr> {
    employment::Entity::find()
        .filter(employment::Column::OrganisationId.eq(organisation_id))
        .filter(employment::Column::EndDate.is_null())
        .count(db)
        .await
}

pub async fn get_person<C: ConnectionTrait>(db: &C, tenant: &str, id: &str) -> Result<Option<Person>, DbErr> {
    person::Entity::find().filter(person::Column::TenantId.eq(tenant)).filter(person::Column::Id.eq(id)).one(db).await
}

pub async fn get_employment<C: ConnectionTrait>(db: &C, tenant: &str, id: &str) -> Result<Option<Employment>, DbErr> {
    employment::Entity::find().filter(employment::Column::TenantId.eq(tenant)).filter(employment::Column::Id.eq(id)).one(db).await
}

pub async fn employments_of<C: ConnectionTrait>(db: &C, person_id: &str) -> Result<Vec<Employment>, DbErr> {
    employment::Entity::find().filter(employment::Column::PersonId.eq(person_id)).order_by_desc(employment::Column::StartDate).all(db).await
}

pub async fn insert_people<C: ConnectionTrait>(db: &C, rows: Vec<person::ActiveModel>) -> Result<(), DbErr> {
    for chunk in rows.chunks(400) {
        person::Entity::insert_many(chunk.to_vec()).exec_without_returning(db).await?;
    }
    Ok(())
}

pub async fn insert_employments<C: ConnectionTrait>(db: &C, rows: Vec<employment::ActiveModel>) -> Result<(), DbErr> {
    for chunk in rows.chunks(300) {
        employment::Entity::insert_many(chunk.to_vec()).exec_without_returning(db).await?;
    }
    Ok(())
}

pub async fn update_person<C: ConnectionTrait>(db: &C, p: Person) -> Result<(), DbErr> {
    let a = p.into_active_model().reset_all();
    a.update(db).await.map(|_| ())
}

pub async fn update_employment<C: ConnectionTrait>(db: &C, e: Employment) -> Result<(), DbErr> {
    let a = e.into_active_model().reset_all();
    a.update(db).await.map(|_| ())
}
