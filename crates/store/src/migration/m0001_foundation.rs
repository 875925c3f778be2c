//! The platform foundation: tenants, regions, organisations and the enterprise base record,
//! people and employments, accounts and sessions, the audit chain, import jobs.

use super::cols::*;
use anze_domain::auth::Role;
use anze_domain::org::{OrgKind, PostTier, RiskLevel, SupervisionClass};
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0001_foundation"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let tables: Vec<TableCreateStatement> = vec![
            Table::create().table(Alias::new("tenants")).col(id("id")).col(text("code")).col(text("name")).col(at("created_at")).to_owned(),
            Table::create()
                .table(Alias::new("regions"))
                .col(id("id"))
                .col(text("tenant_id"))
                .col(text("code"))
                .col(text("name"))
                .col(text("level"))
                .col(text_null("township_kind"))
                .col(text_null("parent_code"))
                .col(text("path"))
                .col(text_null("county_code"))
                .col(text_null("township_code"))
                .col(at("created_at"))
                .check(in_list("level", "'province','city','county','township','village','grid'".into()))
                .check(check("township_kind IS NULL OR township_kind IN ('town','street','zone')".into()))
                .foreign_key(&mut fk("regions", "tenant_id", "tenants", "id"))
                .to_owned(),
            Table::create()
                .table(Alias::new("organisations"))
                .col(id("id"))
                .col(text("tenant_id"))
                .col(text("kind"))
                .col(text("name"))
                .col(text("region_code"))
                .col(text("region_path"))
                .col(text_null("county_code"))
                .col(text_null("township_code"))
                .col(text_null("parent_id"))
                .col(text_null("address"))
                .col(at("created_at"))
                .col(at("updated_at"))
                .check(in_list("kind", OrgKind::sql_list()))
                .foreign_key(&mut fk("organisations", "tenant_id", "tenants", "id"))
                .foreign_key(&mut fk("organisations", "parent_id", "organisations", "id"))
                .to_owned(),
            Table::create()
                .table(Alias::new("enterprises"))
                .col(id("organisation_id"))
                .col(text("tenant_id"))
                .col(text("credit_code"))
                .col(text("industry_code"))
                .col(text_null("high_risk_group"))
                .col(text_null("grid_code"))
                .col(text("legal_representative"))
                .col(text("principal_name"))
                .col(text_null("principal_phone"))
                .col(text_null("safety_director_name"))
                .col(int("headcount"))
                .col(text("risk_level"))
                .col(text("supervision_class"))
                .col(flag("major_hazard_source"))
                .col(text("hazardous_work_kinds"))
                .col(flag("liability_insurance"))
                .check(in_list("risk_level", RiskLevel::sql_list()))
                .check(in_list("supervision_class", SupervisionClass::sql_list()))
                .check(check("headcount >= 0".into()))
                .foreign_key(&mut fk("enterprises", "organisation_id", "organisations", "id"))
                .to_owned(),
            Table::create()
                .table(Alias::new("committee_members"))
                .col(id("id"))
                .col(text("tenant_id"))
                .col(text("committee_id"))
                .col(text("member_id"))
                .col(text("role"))
                .check(in_list("role", "'lead','member'".into()))
                .foreign_key(&mut fk("committee_members", "committee_id", "organisations", "id"))
                .foreign_key(&mut fk("committee_members", "member_id", "organisations", "id"))
                .to_owned(),
            Table::create()
                .table(Alias::new("department_industries"))
                .col(id("id"))
                .col(text("tenant_id"))
                .col(text("department_id"))
                .col(text("industry_code"))
                .foreign_key(&mut fk("department_industries", "department_id", "organisations", "id"))
                .to_owned(),
            Table::create()
                .table(Alias::new("people"))
                .col(id("id"))
                .col(text("tenant_id"))
                .col(text("name"))
                .col(text_null("id_number"))
                .col(text_null("phone"))
                .col(at("created_at"))
                .col(at("updated_at"))
                .foreign_key(&mut fk("people", "tenant_id", "tenants", "id"))
                .to_owned(),
            Table::create()
                .table(Alias::new("employments"))
                .col(id("id"))
                .col(text("tenant_id"))
                .col(text("person_id"))
                .col(text("organisation_id"))
                .col(text("post_title"))
                .col(text("tier"))
                .col(text_null("unit_name"))
                .col(date("start_date"))
                .col(date_null("end_date"))
                .col(at("created_at"))
                .check(in_list("tier", PostTier::sql_list()))
                .check(check("end_date IS NULL OR end_date >= start_date".into()))
                .foreign_key(&mut fk("employments", "person_id", "people", "id"))
                .foreign_key(&mut fk("employments", "organisation_id", "organisations", "id"))
                .to_owned(),
            Table::create()
                .table(Alias::new("users"))
                .col(id("id"))
                .col(text("tenant_id"))
                .col(text("username"))
                .col(text("display_name"))
                .col(text("password_hash"))
                .col(flag("must_change_password"))
                .col(at("password_changed_at"))
                .col(int("failed_logins"))
                .col(at_null("locked_until"))
                .col(flag("disabled"))
                .col(text_null("person_id"))
                .col(text("locale"))
                .col(at("created_at"))
                .col(at("updated_at"))
                .foreign_key(&mut fk("users", "tenant_id", "tenants", "id"))
                .foreign_key(&mut fk("users", "person_id", "people", "id"))
                .to_owned(),
            Table::create()
                .table(Alias::new("role_assignments"))
                .col(id("id"))
                .col(text("tenant_id"))
                .col(text("user_id"))
                .col(text("role"))
                .col(text_null("region_path"))
                .col(text_null("organisation_id"))
                .col(text("industries"))
                .col(at("created_at"))
                .check(in_list("role", Role::sql_list()))
                .foreign_key(&mut fk("role_assignments", "user_id", "users", "id"))
                .foreign_key(&mut fk("role_assignments", "organisation_id", "organisations", "id"))
                .to_owned(),
            Table::create()
                .table(Alias::new("sessions"))
                .col(ColumnDef::new(Alias::new("id")).string_len(64).not_null().primary_key())
                .col(text("tenant_id"))
                .col(text("user_id"))
                .col(text("csrf_token"))
                .col(at("created_at"))
                .col(at("last_seen_at"))
                .col(at("expires_at"))
                .col(text_null("address"))
                .foreign_key(&mut fk("sessions", "user_id", "users", "id"))
                .to_owned(),
            Table::create()
                .table(Alias::new("api_tokens"))
                .col(id("id"))
                .col(text("tenant_id"))
                .col(text("user_id"))
                .col(text("token_hash"))
                .col(text("label"))
                .col(at("created_at"))
                .col(at("expires_at"))
                .col(at_null("revoked_at"))
                .col(at_null("last_used_at"))
                .foreign_key(&mut fk("api_tokens", "user_id", "users", "id"))
                .to_owned(),
            Table::create()
                .table(Alias::new("audit_heads"))
                .col(ColumnDef::new(Alias::new("tenant_id")).string_len(36).not_null().primary_key())
                .col(big("seq"))
                .col(text("hash"))
                .to_owned(),
            Table::create()
                .table(Alias::new("audit_events"))
                .col(id("id"))
                .col(text("tenant_id"))
                .col(big("seq"))
                .col(text("occurred_at"))
                .col(text_null("actor_id"))
                .col(text("actor_name"))
                .col(text("action"))
                .col(text("object_type"))
                .col(text("object_id"))
                .col(long_text("changes"))
                .col(text("address"))
                .col(text("prev_hash"))
                .col(text("hash"))
                .to_owned(),
            Table::create()
                .table(Alias::new("import_jobs"))
                .col(id("id"))
                .col(text("tenant_id"))
                .col(text("user_id"))
                .col(text("kind"))
                .col(text("file_name"))
                .col(text("status"))
                .col(big("total_rows"))
                .col(big("processed_rows"))
                .col(big("error_count"))
                .col(long_text("errors"))
                .col(big("created_count"))
                .col(big("updated_count"))
                .col(at("created_at"))
                .col(at("updated_at"))
                .check(in_list("kind", "'enterprises','staff'".into()))
                .check(in_list("status", "'validating','invalid','ready','committing','done','failed'".into()))
                .foreign_key(&mut fk("import_jobs", "user_id", "users", "id"))
                .to_owned(),
        ];
        for t in tables {
            m.create_table(t).await?;
        }
        let indexes = [
            index("tenants", "ux_tenants_code", &["code"], true),
            index("regions", "ux_regions_code", &["tenant_id", "code"], true),
            index("regions", "ix_regions_parent", &["tenant_id", "parent_code", "code"], false),
            index("regions", "ix_regions_path", &["tenant_id", "path"], false),
            index("organisations", "ix_org_kind_name", &["tenant_id", "kind", "name", "id"], false),
            index("organisations", "ix_org_kind_county", &["tenant_id", "kind", "county_code", "name", "id"], false),
            index("organisations", "ix_org_kind_township", &["tenant_id", "kind", "township_code", "name", "id"], false),
            index("organisations", "ix_org_kind_path", &["tenant_id", "kind", "region_path"], false),
            index("enterprises", "ux_enterprises_credit_code", &["tenant_id", "credit_code"], true),
            index("enterprises", "ix_enterprises_industry", &["tenant_id", "industry_code"], false),
            index("enterprises", "ix_enterprises_grid", &["tenant_id", "grid_code"], false),
            index("committee_members", "ux_committee_members", &["committee_id", "member_id"], true),
            index("committee_members", "ix_committee_members_member", &["member_id"], false),
            index("department_industries", "ux_department_industries", &["department_id", "industry_code"], true),
            index("people", "ix_people_id_number", &["tenant_id", "id_number"], false),
            index("employments", "ix_employments_org", &["organisation_id", "end_date", "tier"], false),
            index("employments", "ix_employments_person", &["person_id"], false),
            index("users", "ux_users_username", &["tenant_id", "username"], true),
            index("role_assignments", "ix_role_assignments_user", &["user_id"], false),
            index("sessions", "ix_sessions_user", &["user_id"], false),
            index("api_tokens", "ux_api_tokens_hash", &["token_hash"], true),
            index("audit_events", "ux_audit_events_seq", &["tenant_id", "seq"], true),
            index("audit_events", "ix_audit_events_object", &["tenant_id", "object_type", "object_id", "seq"], false),
            index("import_jobs", "ix_import_jobs_user", &["user_id", "created_at"], false),
        ];
        for i in indexes {
            m.create_index(i).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            "import_jobs",
            "audit_events",
            "audit_heads",
            "api_tokens",
            "sessions",
            "role_assignments",
            "users",
            "employments",
            "people",
            "department_industries",
            "committee_members",
            "enterprises",
            "organisations",
            "regions",
            "tenants",
        ] {
            m.drop_table(Table::drop().table(Alias::new(t)).to_owned()).await?;
        }
        Ok(())
    }
}
