//! Grid work (issue 4, measure 16): patrols (巡查) with the problems they found (each a
//! hazard), publicity events (宣传), and the photos of both. Each record keeps the worker and
//! a copy of its place (region path, township) and, for a patrol, of the enterprise visited
//! (its industry), so lists filter through the caller's scope and the yearly figures group
//! by worker with an index.

use super::cols::*;
use anze_domain::patrol::PublicityKind;
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0013_grid"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Alias::new("patrols"))
                .col(id("id"))
                .col(text("tenant_id"))
                .col(text("worker_id"))
                .col(text("worker_name"))
                .col(text("region_code"))
                .col(text("region_path"))
                .col(text_null("township_code"))
                .col(text("place"))
                .col(text_null("enterprise_id"))
                .col(text_null("industry_code"))
                .col(at("started_at"))
                .col(at("ended_at"))
                .col(date("patrol_on"))
                .col(long_text("notes"))
                .col(int("problem_count"))
                .col(at("created_at"))
                .foreign_key(&mut fk("patrols", "tenant_id", "tenants", "id"))
                .foreign_key(&mut fk("patrols", "enterprise_id", "organisations", "id"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Alias::new("patrol_problems"))
                .col(id("id"))
                .col(text("patrol_id"))
                .col(int("position"))
                .col(text("organisation_id"))
                .col(text("hazard_id"))
                .foreign_key(&mut fk("patrol_problems", "patrol_id", "patrols", "id"))
                .foreign_key(&mut fk("patrol_problems", "organisation_id", "organisations", "id"))
                .foreign_key(&mut fk("patrol_problems", "hazard_id", "hazards", "id"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Alias::new("publicity_events"))
                .col(id("id"))
                .col(text("tenant_id"))
                .col(text("worker_id"))
                .col(text("worker_name"))
                .col(text("region_code"))
                .col(text("region_path"))
                .col(text_null("township_code"))
                .col(date("held_on"))
                .col(text("place"))
                .col(text("kind"))
                .col(big("audience"))
                .col(long_text("notes"))
                .col(at("created_at"))
                .check(in_list("kind", PublicityKind::sql_list()))
                .check(check("audience >= 0".into()))
                .foreign_key(&mut fk("publicity_events", "tenant_id", "tenants", "id"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Alias::new("grid_photos"))
                .col(id("id"))
                .col(text("owner_kind"))
                .col(text("owner_id"))
                .col(text("photo_id"))
                .check(in_list("owner_kind", "'patrol','publicity'".into()))
                .foreign_key(&mut fk("grid_photos", "photo_id", "photos", "id"))
                .to_owned(),
        )
        .await?;
        let indexes = [
            index("patrols", "ix_patrols_worker_day", &["tenant_id", "worker_id", "patrol_on"], false),
            index("patrols", "ix_patrols_township_day", &["tenant_id", "township_code", "patrol_on"], false),
            index("patrols", "ix_patrols_region", &["tenant_id", "region_path"], false),
            index("patrols", "ix_patrols_enterprise", &["enterprise_id"], false),
            index("patrol_problems", "ux_patrol_problems_position", &["patrol_id", "position"], true),
            index("patrol_problems", "ix_patrol_problems_hazard", &["hazard_id"], false),
            index("publicity_events", "ix_publicity_worker_day", &["tenant_id", "worker_id", "held_on"], false),
            index("publicity_events", "ix_publicity_region", &["tenant_id", "region_path"], false),
            index("grid_photos", "ix_grid_photos_owner", &["owner_kind", "owner_id"], false),
        ];
        for i in indexes {
            m.create_index(i).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["grid_photos", "publicity_events", "patrol_problems", "patrols"] {
            m.drop_table(Table::drop().table(Alias::new(t)).to_owned()).await?;
        }
        Ok(())
    }
}
