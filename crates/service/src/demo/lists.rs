//! The demo's duty lists and signatures: every unit publishes its posts' lists from the shipped
//! templates (its own industry's where one exists), most people sign, some do not, a few units
//! miss a list, and government bodies publish around the 31 March deadline. The coverage
//! figures are then computed from these records, as for real data.

use super::data::mix;
use anze_domain::duty::{content_hash, text_hash};
use anze_store::entity::{acknowledgement, duty_list, duty_list_item};
use anze_store::repo::duty::{DutyTemplate, DutyTemplateItem};
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sea_orm::Set;
use std::collections::HashMap;

const SALT_LISTS: u64 = 0x6c69_7374;

/// Templates by (industry group, tier); the first by code wins.
pub struct Library {
    by_group_tier: HashMap<(String, String), (DutyTemplate, Vec<DutyTemplateItem>)>,
}

impl Library {
    pub fn new(templates: Vec<(DutyTemplate, Vec<DutyTemplateItem>)>) -> Self {
        let mut by_group_tier = HashMap::new();
        for (t, items) in templates {
            by_group_tier.entry((t.industry_group.clone(), t.tier.clone())).or_insert((t, items));
        }
        Self { by_group_tier }
    }

    fn pick(&self, group: Option<&str>, tier: &str) -> Option<&(DutyTemplate, Vec<DutyTemplateItem>)> {
        group
            .and_then(|g| self.by_group_tier.get(&(g.to_string(), tier.to_string())))
            .or_else(|| self.by_group_tier.get(&("general".to_string(), tier.to_string())))
            .or_else(|| self.by_group_tier.get(&("government".to_string(), tier.to_string())))
    }
}

/// Rows to insert for one batch of units.
#[derive(Default)]
pub struct Rows {
    pub lists: Vec<duty_list::ActiveModel>,
    pub items: Vec<duty_list_item::ActiveModel>,
    pub acks: Vec<acknowledgement::ActiveModel>,
}

/// A unit whose lists the demo writes: its id and name, the template group of its industry
/// (enterprises), whether it is a government body, and its staff as (person id, name, tier).
pub struct ListUnit<'a> {
    pub org_id: &'a str,
    pub org_name: &'a str,
    pub group: Option<&'a str>,
    pub government: bool,
    pub staff: &'a [(String, String, String)],
}

/// One unit's published lists and its people's signatures; `index` and `seed` make the
/// unit's random choices repeatable.
pub fn unit(rows: &mut Rows, lib: &Library, tenant: &str, u: ListUnit<'_>, index: usize, seed: u64, now: DateTime<Utc>) {
    let ListUnit { org_id, org_name, group, government, staff } = u;
    let mut rng = ChaCha8Rng::seed_from_u64(mix(mix(seed, SALT_LISTS), index as u64));
    let mut tiers: Vec<&str> = staff.iter().map(|(_, _, t)| t.as_str()).collect();
    tiers.sort();
    tiers.dedup();
    // A few units leave one post without a list.
    if !government && tiers.len() > 1 && rng.gen_range(0..100) < 4 {
        tiers.pop();
    }
    let published_at = if government {
        // Most bodies revise in March, some late, some not at all this year.
        let year = anze_domain::time::local_date(now).year();
        let day = match rng.gen_range(0..100) {
            0..75 => NaiveDate::from_ymd_opt(year, 3, rng.gen_range(1..=31)),
            75..90 => NaiveDate::from_ymd_opt(year, 4, rng.gen_range(1..=30)),
            _ => NaiveDate::from_ymd_opt(year - 1, 3, 15),
        };
        day.and_then(|d| d.and_hms_opt(2, 0, 0)).map(|d| d.and_utc()).filter(|d| *d < now).unwrap_or(now - Duration::days(60))
    } else {
        now - Duration::days(rng.gen_range(20..60))
    };
    let mut list_of_tier: HashMap<&str, (String, String)> = HashMap::new();
    for tier in tiers {
        let Some((t, items)) = lib.pick(group, tier) else { continue };
        let id = anze_domain::ids::new_id().to_string();
        let title = format!("{org_name}{}", t.name);
        let texts = crate::duty::template_texts(items);
        let hash = text_hash(&title, &texts);
        rows.lists.push(duty_list::ActiveModel {
            id: Set(id.clone()),
            tenant_id: Set(tenant.to_string()),
            organisation_id: Set(org_id.to_string()),
            tier: Set(tier.to_string()),
            title: Set(title),
            version: Set(1),
            state: Set("published".into()),
            template_id: Set(Some(t.id.clone())),
            text_hash: Set(Some(hash.clone())),
            content_hash: Set(Some(content_hash(&texts))),
            published_at: Set(Some(published_at)),
            superseded_at: Set(None),
            created_at: Set(published_at),
        });
        rows.items.extend(crate::duty::list_item_rows(&id, &texts));
        list_of_tier.insert(tier, (id, hash));
    }
    let mut signed = std::collections::HashSet::new();
    for (person_id, name, tier) in staff {
        // Nine in ten sign within days of publication; the rest have not yet.
        if rng.gen_range(0..100) >= 90 {
            continue;
        }
        let Some((list_id, hash)) = list_of_tier.get(tier.as_str()) else { continue };
        if !signed.insert((list_id.clone(), person_id.clone())) {
            continue;
        }
        let signed_at = (published_at + Duration::hours(rng.gen_range(1..240))).min(now);
        rows.acks.push(acknowledgement::ActiveModel {
            id: Set(anze_domain::ids::new_id().to_string()),
            tenant_id: Set(tenant.to_string()),
            duty_list_id: Set(list_id.clone()),
            person_id: Set(person_id.clone()),
            text_hash: Set(hash.clone()),
            method: Set("typed".into()),
            signature: Set(name.clone()),
            signed_at: Set(signed_at),
            address: Set("demo".into()),
        });
    }
}
