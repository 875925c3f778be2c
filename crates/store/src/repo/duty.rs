//! Duty templates, duty lists with their items, and acknowledgements.

use crate::entity::{acknowledgement, duty_list, duty_list_item, duty_template, duty_template_item};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, QuerySelect};

pub use acknowledgement::Model as Acknowledgement;
pub use duty_list::Model as DutyList;
pub use duty_list_item::Model as DutyListItem;
pub use duty_template::Model as DutyTemplate;
pub use duty_template_item::Model as DutyTemplateItem;

pub async fn template_by_code<C: ConnectionTrait>(db: &C, tenant: &str, code: &str) -> Result<Option<DutyTemplate>, DbErr> {
    duty_template::Entity::find()
        .filter(duty_template::Column::TenantId.eq(tenant))
        .filter(duty_template::Column::Code.eq(code))
        .one(db)
        .await
}

pub async fn templates<C: ConnectionTrait>(db: &C, tenant: &str) -> Result<Vec<DutyTemplate>, DbErr> {
    duty_template::Entity::find().filter(duty_template::Column::TenantId.eq(tenant)).order_by_asc(duty_template::Column::Code).all(db).await
}

pub async fn template_items<C: ConnectionTrait>(db: &C, template_id: &str) -> Result<Vec<DutyTemplateItem>, DbErr> {
    duty_template_item::Entity::find()
        .filter(duty_template_item::Column::TemplateId.eq(template_id))
        .order_by_asc(duty_template_item::Column::Position)
        .all(db)
        .await
}

pub async fn insert_template<C: ConnectionTrait>(
    db: &C,
    t: duty_template::ActiveModel,
    items: Vec<duty_template_item::ActiveModel>,
) -> Result<(), DbErr> {
    duty_template::Entity::insert(t).exec_without_returning(db).await?;
    for chunk in items.chunks(300) {
        duty_template_item::Entity::insert_many(chunk.to_vec()).exec_without_returning(db).await?;
    }
    Ok(())
}

pub async fn list<C: ConnectionTrait>(db: &C, tenant: &str, id: &str) -> Result<Option<DutyList>, DbErr> {
    duty_list::Entity::find().filter(duty_list::Column::TenantId.eq(tenant)).filter(duty_list::Column::Id.eq(id)).one(db).await
}

pub async fn list_items<C: ConnectionTrait>(db: &C, list_id: &str) -> Result<Vec<DutyListItem>, DbErr> {
    duty_list_item::Entity::find()
        .filter(duty_list_item::Column::DutyListId.eq(list_id))
        .order_by_asc(duty_list_item::Column::Position)
        .all(db)
        .await
}

/// Every version of every list of an organisation, newest version first per tier.
pub async fn lists_of<C: ConnectionTrait>(db: &C, organisation_id: &str) -> Result<Vec<DutyList>, DbErr> {
    duty_list::Entity::find()
        .filter(duty_list::Column::OrganisationId.eq(organisation_id))
        .order_by_asc(duty_list::Column::Tier)
        .order_by_desc(duty_list::Column::Version)
        .all(db)
        .await
}

/// The published list of each tier of an organisation.
pub async fn published_of<C: ConnectionTrait>(db: &C, organisation_id: &str) -> Result<Vec<DutyList>, DbErr> {
    duty_list::Entity::find()
        .filter(duty_list::Column::OrganisationId.eq(organisation_id))
        .filter(duty_list::Column::State.eq("published"))
        .all(db)
        .await
}

pub async fn latest_version<C: ConnectionTrait>(db: &C, organisation_id: &str, tier: &str) -> Result<i32, DbErr> {
    let last = duty_list::Entity::find()
        .filter(duty_list::Column::OrganisationId.eq(organisation_id))
        .filter(duty_list::Column::Tier.eq(tier))
        .order_by_desc(duty_list::Column::Version)
        .limit(1)
        .one(db)
        .await?;
    Ok(last.map_or(0, |l| l.version))
}

pub async fn insert_list<C: ConnectionTrait>(
    db: &C,
    l: duty_list::ActiveModel,
    items: Vec<duty_list_item::ActiveModel>,
) -> Result<(), DbErr> {
    duty_list::Entity::insert(l).exec_without_returning(db).await?;
    for chunk in items.chunks(300) {
        duty_list_item::Entity::insert_many(chunk.to_vec()).exec_without_returning(db).await?;
    }
    Ok(())
}

pub async fn update_list<C: ConnectionTrait>(db: &C, l: DutyList) -> Result<(), DbErr> {
    l.into_active_model().reset_all().update(db).await.map(|_| ())
}

pub async fn replace_items<C: ConnectionTrait>(db: &C, list_id: &str, items: Vec<duty_list_item::ActiveModel>) -> Result<(), DbErr> {
    duty_list_item::Entity::delete_many().filter(duty_list_item::Column::DutyListId.eq(list_id)).exec(db).await?;
    for chunk in items.chunks(300) {
        duty_list_item::Entity::insert_many(chunk.to_vec()).exec_without_returning(db).await?;
    }
    Ok(())
}

pub async fn insert_acknowledgement<C: ConnectionTrait>(db: &C, a: acknowledgement::ActiveModel) -> Result<(), DbErr> {
    acknowledgement::Entity::insert(a).exec_without_returning(db).await.map(|_| ())
}

/// Acknowledgements of the given lists (the published lists of one organisation).
pub async fn acknowledgements_of<C: ConnectionTrait>(db: &C, list_ids: &[String]) -> Result<Vec<Acknowledgement>, DbErr> {
    let mut out = vec![];
    for chunk in list_ids.chunks(500) {
        out.extend(acknowledgement::Entity::find().filter(acknowledgement::Column::DutyListId.is_in(chunk.to_vec())).all(db).await?);
    }
    Ok(out)
}

pub use crate::entity::qr_code::Model as QrCode;

/// A QR code with its organisation, in one query (the phone page's first lookup).
pub async fn qr_with_organisation<C: ConnectionTrait>(
    db: &C,
    token: &str,
) -> Result<Option<(QrCode, crate::repo::org::Organisation)>, DbErr> {
    use crate::entity::{organisation, qr_code};
    use sea_orm::JoinType;
    let org = qr_code::Entity::belongs_to(organisation::Entity).from(qr_code::Column::OrganisationId).to(organisation::Column::Id).into();
    let row = qr_code::Entity::find()
        .filter(qr_code::Column::Token.eq(token))
        .join(JoinType::InnerJoin, org)
        .select_also(organisation::Entity)
        .one(db)
        .await?;
    Ok(row.and_then(|(q, o)| o.map(|o| (q, o))))
}

pub async fn active_qr<C: ConnectionTrait>(db: &C, organisation_id: &str) -> Result<Option<QrCode>, DbErr> {
    use crate::entity::qr_code::{Column, Entity};
    Entity::find().filter(Column::OrganisationId.eq(organisation_id)).filter(Column::RevokedAt.is_null()).one(db).await
}

pub async fn insert_qr<C: ConnectionTrait>(db: &C, q: crate::entity::qr_code::ActiveModel) -> Result<(), DbErr> {
    crate::entity::qr_code::Entity::insert(q).exec_without_returning(db).await.map(|_| ())
}

pub async fn update_qr<C: ConnectionTrait>(db: &C, q: QrCode) -> Result<(), DbErr> {
    q.into_active_model().reset_all().update(db).await.map(|_| ())
}

pub use crate::entity::fit_dismissal::Model as FitDismissal;

pub async fn fit_dismissals<C: ConnectionTrait>(db: &C, organisation_id: &str) -> Result<Vec<FitDismissal>, DbErr> {
    use crate::entity::fit_dismissal::{Column, Entity};
    Entity::find().filter(Column::OrganisationId.eq(organisation_id)).all(db).await
}

pub async fn insert_fit_dismissal<C: ConnectionTrait>(db: &C, d: crate::entity::fit_dismissal::ActiveModel) -> Result<(), DbErr> {
    crate::entity::fit_dismissal::Entity::insert(d).exec_without_returning(db).await.map(|_| ())
}

/// Published lists of other organisations whose items are exactly one of `hashes`, with the
/// industry of their enterprise (a verbatim copy is found by its hash, through an index).
pub async fn published_with_content<C: ConnectionTrait>(
    db: &C,
    tenant: &str,
    hashes: &[String],
    except_organisation: &str,
) -> Result<Vec<(DutyList, Option<String>)>, DbErr> {
    use crate::entity::enterprise;
    let mut out = vec![];
    for chunk in hashes.chunks(200) {
        let rows = duty_list::Entity::find()
            .filter(duty_list::Column::TenantId.eq(tenant))
            .filter(duty_list::Column::ContentHash.is_in(chunk.to_vec()))
            .filter(duty_list::Column::State.eq("published"))
            .filter(duty_list::Column::OrganisationId.ne(except_organisation))
            .order_by_asc(duty_list::Column::OrganisationId)
            .limit(200)
            .all(db)
            .await?;
        let ids: Vec<String> = rows.iter().map(|l| l.organisation_id.clone()).collect();
        let industries: std::collections::HashMap<String, String> = enterprise::Entity::find()
            .filter(enterprise::Column::OrganisationId.is_in(ids))
            .all(db)
            .await?
            .into_iter()
            .map(|e| (e.organisation_id, e.industry_code))
            .collect();
        out.extend(rows.into_iter().map(|l| {
            let industry = industries.get(&l.organisation_id).cloned();
            (l, industry)
        }));
    }
    Ok(out)
}

/// Published lists of an organisation with their publish dates, every version (for deadlines).
pub async fn published_history<C: ConnectionTrait>(db: &C, organisation_ids: &[String]) -> Result<Vec<DutyList>, DbErr> {
    let mut out = vec![];
    for chunk in organisation_ids.chunks(500) {
        out.extend(
            duty_list::Entity::find()
                .filter(duty_list::Column::OrganisationId.is_in(chunk.to_vec()))
                .filter(duty_list::Column::PublishedAt.is_not_null())
                .all(db)
                .await?,
        );
    }
    Ok(out)
}

/// Bulk insert of published lists, their items and signatures (the demo loader).
pub async fn insert_bulk<C: ConnectionTrait>(
    db: &C,
    lists: Vec<duty_list::ActiveModel>,
    items: Vec<duty_list_item::ActiveModel>,
    acks: Vec<acknowledgement::ActiveModel>,
) -> Result<(), DbErr> {
    for chunk in lists.chunks(300) {
        duty_list::Entity::insert_many(chunk.to_vec()).exec_without_returning(db).await?;
    }
    for chunk in items.chunks(300) {
        duty_list_item::Entity::insert_many(chunk.to_vec()).exec_without_returning(db).await?;
    }
    for chunk in acks.chunks(300) {
        acknowledgement::Entity::insert_many(chunk.to_vec()).exec_without_returning(db).await?;
    }
    Ok(())
}
