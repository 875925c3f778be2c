//! Reading hazards: one hazard's page, the filtered list and the overview by place and kind.

use super::*;

/// One hazard with its history, photos and plan, and what this actor may do next.
#[derive(Debug, Clone, Serialize)]
pub struct HazardDetail {
    pub hazard: Hazard,
    pub events: Vec<HazardEvent>,
    pub photos: Vec<HazardPhoto>,
    pub plan: Option<repo::GovernancePlan>,
    pub days_overdue: u32,
    /// Transitions the state allows and this actor may ask for.
    pub actions: Vec<&'static str>,
    pub can_plan: bool,
    pub can_list: bool,
    /// Overdue long enough to be exposed, and this actor may approve it.
    pub can_expose: bool,
    /// The employee's report behind it, with the reward.
    pub report: Option<HazardReport>,
    /// This actor may grant and pay the reward (the unit's editors).
    pub can_reward: bool,
}

#[tracing::instrument(level = "debug", skip_all, fields(user = ?actor.user_id, id = %id))]
pub async fn detail(ctx: &Ctx, actor: &Actor, id: Uuid, now: DateTime<Utc>) -> ServiceResult<HazardDetail> {
    let h = in_scope(ctx, actor, id).await?;
    let f = facts(&h, None)?;
    let target = target_of_hazard(&h);
    let actions = rules::available(f.state, f.grade).into_iter().filter(|a| may(actor, a, &target)).collect();
    let events = repo::events(&ctx.db.read, &h.id).await?;
    let photos = repo::photos(&ctx.db.read, &h.id).await?;
    let plan = repo::plan(&ctx.db.read, &h.id).await?;
    let days_overdue = rules::days_overdue(f.state, h.deadline, local_date(now));
    let can_plan = f.state.is_open() && actor.can(Action::Edit, &target);
    let can_list = f.grade == Grade::Major && f.state.is_open() && actor.can(Action::Inspect, &target);
    let can_expose = is_exposure_candidate(ctx, &h, local_date(now)) && actor.can(Action::Inspect, &target);
    let report = repo::report_of(&ctx.db.read, &h.id).await?;
    let can_reward = report.is_some() && actor.can(Action::Edit, &target);
    Ok(HazardDetail { hazard: h, events, photos, plan, days_overdue, actions, can_plan, can_list, can_expose, report, can_reward })
}

/// Filters as typed in a query string (codes); empty means "any".
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::IntoParams)]
pub struct ListQuery {
    #[serde(default)]
    pub state: Option<String>,
    #[serde(default)]
    pub grade: Option<String>,
    #[serde(default)]
    pub origin: Option<String>,
    #[serde(default)]
    pub category: Option<String>,
    #[serde(default)]
    pub township: Option<String>,
    #[serde(default)]
    pub industry: Option<String>,
    #[serde(default)]
    pub organisation: Option<String>,
    /// `1`: only hazards past their deadline today.
    #[serde(default)]
    pub overdue: Option<String>,
    #[serde(default)]
    pub listed: Option<String>,
    /// The last id of the previous page.
    #[serde(default)]
    pub after: Option<String>,
}

fn some(v: &Option<String>) -> Option<String> {
    v.as_ref().map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

/// Resolves typed filters, refusing unknown codes by name.
pub fn filter_of(q: &ListQuery, today: NaiveDate) -> ServiceResult<HazardFilter> {
    let mut c = Collector::default();
    let vocab = |c: &mut Collector, field: &'static str, v: &Option<String>, ok: fn(&str) -> bool| {
        let v = some(v);
        if let Some(x) = &v
            && !ok(x)
        {
            c.push(FieldError::new(field, "field.unknown_code").with_detail(x.clone()));
        }
        v
    };
    let state = vocab(&mut c, "state", &q.state, |s| HazardState::parse(s).is_some());
    let grade = vocab(&mut c, "grade", &q.grade, |s| Grade::parse(s).is_some());
    let origin = vocab(&mut c, "origin", &q.origin, |s| rules::Origin::parse(s).is_some());
    let category = vocab(&mut c, "category", &q.category, |s| rules::Category::parse(s).is_some());
    if !c.is_empty() {
        return Err(invalid(c.0));
    }
    Ok(HazardFilter {
        state,
        grade,
        origin,
        category,
        township_code: some(&q.township),
        industry_code: some(&q.industry),
        organisation_id: some(&q.organisation),
        overdue_on: some(&q.overdue).filter(|v| v == "1" || v == "true").map(|_| today),
        listed: some(&q.listed).map(|v| v == "1" || v == "true"),
    })
}

/// A page of hazards in scope, newest first, with the cursor of the next page.
#[tracing::instrument(level = "debug", skip_all, fields(user = ?actor.user_id))]
pub async fn list(ctx: &Ctx, actor: &Actor, q: &ListQuery, limit: u64, now: DateTime<Utc>) -> ServiceResult<(Vec<Hazard>, Option<String>)> {
    let f = filter_of(q, local_date(now))?;
    let mut rows = repo::list(&ctx.db.read, &ctx.tenant, &actor.scope(), &f, some(&q.after).as_deref(), limit + 1).await?;
    let next = if rows.len() as u64 > limit {
        rows.truncate(limit as usize);
        rows.last().map(|h| h.id.clone())
    } else {
        None
    };
    Ok((rows, next))
}

/// One row of the overview: a group's figures with its closure rate and mean days to close.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OverviewRow {
    pub key: Option<String>,
    pub total: i64,
    pub open: i64,
    pub overdue: i64,
    pub major: i64,
    pub closed: i64,
    /// Closed ÷ total, in per mille (0 with no hazards).
    pub closure_permille: i64,
    /// Mean days from finding to closure of the closed ones, in tenths of a day.
    pub mean_days_to_close_tenths: Option<i64>,
}

fn row_of(c: HazardCount) -> OverviewRow {
    OverviewRow {
        closure_permille: if c.total > 0 { c.closed * 1000 / c.total } else { 0 },
        mean_days_to_close_tenths: (c.closed > 0).then(|| c.days_to_close * 10 / c.closed),
        key: c.key,
        total: c.total,
        open: c.open,
        overdue: c.overdue,
        major: c.major,
        closed: c.closed,
    }
}

/// The hazards in scope grouped by township, industry, origin, grade or state, with a total.
#[tracing::instrument(level = "debug", skip_all, fields(user = ?actor.user_id))]
pub async fn overview(ctx: &Ctx, actor: &Actor, q: &ListQuery, by: &str, now: DateTime<Utc>) -> ServiceResult<Overview> {
    let today = local_date(now);
    let f = filter_of(q, today)?;
    let by = match by {
        "" | "township" => GroupBy::Township,
        "industry" => GroupBy::Industry,
        "origin" => GroupBy::Origin,
        "grade" => GroupBy::Grade,
        "state" => GroupBy::State,
        other => return Err(ServiceError::Invalid(vec![FieldError::new("by", "field.unknown_code").with_detail(other.to_string())])),
    };
    // By place, and narrowed by place only, the per-unit summaries answer (ADR 0009); any other
    // cut reads the hazards themselves.
    let by_place = matches!(by, GroupBy::Township | GroupBy::Industry);
    let place_only = f.state.is_none()
        && f.grade.is_none()
        && f.origin.is_none()
        && f.category.is_none()
        && f.overdue_on.is_none()
        && f.listed.is_none();
    let (rows, overdue_as_of) = if by_place && place_only {
        let (rows, as_of) = repo::summary_counts(
            &ctx.db.read,
            &ctx.tenant,
            &actor.scope(),
            f.township_code.as_deref(),
            f.industry_code.as_deref(),
            f.organisation_id.as_deref(),
            by,
        )
        .await?;
        (rows, as_of.filter(|d| *d < today))
    } else {
        (repo::counts(&ctx.db.read, &ctx.tenant, &actor.scope(), &f, by, today).await?, None)
    };
    let mut total = HazardCount { key: None, total: 0, open: 0, overdue: 0, major: 0, closed: 0, days_to_close: 0 };
    for r in &rows {
        total.total += r.total;
        total.open += r.open;
        total.overdue += r.overdue;
        total.major += r.major;
        total.closed += r.closed;
        total.days_to_close += r.days_to_close;
    }
    Ok(Overview { rows: rows.into_iter().map(row_of).collect(), total: row_of(total), overdue_as_of })
}

/// The hazard overview: one row per group and the total.
#[derive(Debug, Clone, Serialize)]
pub struct Overview {
    pub rows: Vec<OverviewRow>,
    pub total: OverviewRow,
    /// Set when some overdue figures were counted before today (the daily refresh has not run
    /// yet today): the day they were counted on.
    pub overdue_as_of: Option<NaiveDate>,
}

/// Brings every unit's hazard summary to the day (the daily job: overdue moves with the
/// date); returns how many units have hazards.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn refresh_summaries(ctx: &Ctx, now: DateTime<Utc>) -> ServiceResult<usize> {
    let tx = ctx.db.write.begin().await?;
    let n = repo::refresh_all_summaries(&tx, &ctx.tenant, local_date(now), now).await?;
    tx.commit().await?;
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overview_rows_give_the_closure_rate_and_the_mean_days() {
        let r = row_of(HazardCount { key: None, total: 4, open: 1, overdue: 0, major: 1, closed: 3, days_to_close: 10 });
        assert_eq!(r.closure_permille, 750);
        assert_eq!(r.mean_days_to_close_tenths, Some(33));
        let empty = row_of(HazardCount { key: None, total: 0, open: 0, overdue: 0, major: 0, closed: 0, days_to_close: 0 });
        assert_eq!((empty.closure_permille, empty.mean_days_to_close_tenths), (0, None));
    }
}
