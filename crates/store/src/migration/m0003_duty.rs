//! Duty lists: templates with their items, lists per (organisation, tier) in versions, and
//! the acknowledgements that bind a person to the exact text of one version.

use super::cols::*;
use anze_domain::duty::Frequency;
use anze_domain::org::PostTier;
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0003_duty"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let tables = vec![
            Table::create()
                .table(Alias::new("duty_templates"))
                .col(id("id"))
                .col(text("tenant_id"))
                .col(text("code"))
                .col(text("name"))
                .col(text("tier"))
                .col(text("industry_group"))
                .col(at("created_at"))
                .col(at("updated_at"))
                .check(in_list("tier", PostTier::sql_list()))
                .foreign_key(&mut fk("duty_templates", "tenant_id", "tenants", "id"))
                .to_owned(),
            Table::create()
                .table(Alias::new("duty_template_items"))
                .col(id("id"))
                .col(text("template_id"))
                .col(int("position"))
                .col(long_text("text"))
                .col(text("legal_basis"))
                .col(text("frequency"))
                .col(text("evidence"))
                .check(in_list("frequency", Frequency::sql_list()))
                .foreign_key(&mut fk("duty_template_items", "template_id", "duty_templates", "id"))
                .to_owned(),
            Table::create()
                .table(Alias::new("duty_lists"))
                .col(id("id"))
                .col(text("tenant_id"))
                .col(text("organisation_id"))
                .col(text("tier"))
                .col(text("title"))
                .col(int("version"))
                .col(text("state"))
                .col(text_null("template_id"))
                .col(text_null("text_hash"))
                .col(at_null("published_at"))
                .col(at_null("superseded_at"))
                .col(at("created_at"))
                .check(in_list("tier", PostTier::sql_list()))
                .check(in_list("state", "'draft','published','superseded'".into()))
                .foreign_key(&mut fk("duty_lists", "organisation_id", "organisations", "id"))
                .to_owned(),
            Table::create()
                .table(Alias::new("duty_list_items"))
                .col(id("id"))
                .col(text("duty_list_id"))
                .col(int("position"))
                .col(long_text("text"))
                .col(text("legal_basis"))
                .col(text("frequency"))
                .col(text("evidence"))
                .check(in_list("frequency", Frequency::sql_list()))
                .foreign_key(&mut fk("duty_list_items", "duty_list_id", "duty_lists", "id"))
                .to_owned(),
            Table::create()
                .table(Alias::new("acknowledgements"))
                .col(id("id"))
                .col(text("tenant_id"))
                .col(text("duty_list_id"))
                .col(text("person_id"))
                .col(text("text_hash"))
                .col(text("method"))
                .col(long_text("signature"))
                .col(at("signed_at"))
                .col(text("address"))
                .check(in_list("method", "'drawn','typed'".into()))
                .foreign_key(&mut fk("acknowledgements", "duty_list_id", "duty_lists", "id"))
                .foreign_key(&mut fk("acknowledgements", "person_id", "people", "id"))
                .to_owned(),
        ];
        for t in tables {
            m.create_table(t).await?;
        }
        for i in [
            index("duty_templates", "ux_duty_templates_code", &["tenant_id", "code"], true),
            index("duty_template_items", "ix_duty_template_items", &["template_id", "position"], false),
            index("duty_lists", "ux_duty_lists_version", &["organisation_id", "tier", "version"], true),
            index("duty_lists", "ix_duty_lists_state", &["organisation_id", "state", "tier"], false),
            index("duty_list_items", "ix_duty_list_items", &["duty_list_id", "position"], false),
            index("acknowledgements", "ux_acknowledgements", &["duty_list_id", "person_id"], true),
            index("acknowledgements", "ix_acknowledgements_person", &["person_id"], false),
        ] {
            m.create_index(i).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["acknowledgements", "duty_list_items", "duty_lists", "duty_template_items", "duty_templates"] {
            m.drop_table(Table::drop().table(Alias::new(t)).to_owned()).await?;
        }
        Ok(())
    }
}
