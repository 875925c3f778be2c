//! The verifiable random draw (双随机、一公开, measure 19 and issue 4): targets drawn from a
//! filtered pool and inspectors drawn from a roster, so that nobody chooses whom to inspect or
//! who inspects, and anyone can check afterwards that nobody did.
//!
//! A draw is a pure function of published inputs: the pool is put in a canonical order (ids
//! ascending, each id once), a published seed drives a published generator (SplitMix64) through
//! a partial Fisher–Yates shuffle, and a hash of the frozen pool is kept beside the result. To
//! verify a stored draw, hash the stored pool again and draw again with the stored seed: the
//! same pool and seed always give the same result, in any language. List spot checks recorded
//! their draws with this same code before it moved here, so the algorithm must never change:
//! the tests pin its output.
//!
//! Inspectors are drawn with the same seed from the roster left after removing conflicts. The
//! rule, precisely: an inspector conflicts with a drawn target when (a) the inspector works for
//! the target itself (`inspector.unit_id == target.id`), (b) the target belongs to the
//! inspector's unit (`target.unit_id == Some(inspector.unit_id)`, a branch or site of it), or
//! (c) both have a known township and it is the same one (no one inspects their own town). An
//! inspector conflicting with any one drawn target is not eligible for the whole draw, since
//! the inspectors of one draw go to all of its targets together.

use crate::FieldError;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// SplitMix64 (Steele, Lea, Flood 2014): a tiny published generator, so a draw can be
/// checked by anyone with the seed, in any language.
#[derive(Debug, Clone)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// A uniform number in `0..n` (n > 0), by rejection so no value is favoured.
    pub fn below(&mut self, n: u64) -> u64 {
        let zone = u64::MAX - (u64::MAX % n);
        loop {
            let x = self.next_u64();
            if x < zone {
                return x % n;
            }
        }
    }
}

/// Picks `k` items of `pool` (all of them when the pool is smaller), in draw order, by a
/// partial Fisher–Yates shuffle of the positions. The pool must already be in its canonical
/// order; the same pool and seed give the same picks.
pub fn pick<T: Clone>(pool: &[T], k: usize, seed: u64) -> Vec<T> {
    let n = pool.len();
    let k = k.min(n);
    let mut idx: Vec<usize> = (0..n).collect();
    let mut rng = SplitMix64::new(seed);
    for i in 0..k {
        let j = i + rng.below((n - i) as u64) as usize;
        idx.swap(i, j);
    }
    idx[..k].iter().map(|&i| pool[i].clone()).collect()
}

/// SHA-256 of the pool's ids in canonical order, one per line: recorded with a draw so a
/// later check can tell whether the pool is still the same.
pub fn pool_hash(ids: &[String]) -> String {
    let mut h = Sha256::new();
    for id in ids {
        h.update(id.as_bytes());
        h.update(b"\n");
    }
    hex::encode(h.finalize())
}

/// The canonical order of a pool: ids ascending, each once (an id listed twice would
/// otherwise have twice the chance).
pub fn canonical(ids: &[String]) -> Vec<String> {
    let mut out = ids.to_vec();
    out.sort();
    out.dedup();
    out
}

fn check_count(field: &'static str, count: usize) -> Result<(), FieldError> {
    if count == 0 { Err(FieldError::new(field, "draw.count.zero")) } else { Ok(()) }
}

/// Draws `n` targets from `pool` (ids, in any order) with `seed`. Asking for more targets
/// than the pool holds is an error rather than a silent "all of them": a draw that picks
/// everyone is no draw, and the officer should widen the filter or lower `n`.
pub fn draw_targets(pool: &[String], n: usize, seed: u64) -> Result<Vec<String>, FieldError> {
    let pool = canonical(pool);
    if pool.is_empty() {
        return Err(FieldError::new("pool", "draw.pool.empty"));
    }
    check_count("n", n)?;
    if n > pool.len() {
        return Err(FieldError::new("n", "draw.n.too_large").with_detail(pool.len().to_string()));
    }
    Ok(pick(&pool, n, seed))
}

/// An inspector on the roster, with the facts the conflict rule needs.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct InspectorFacts {
    pub id: String,
    /// The organisation the inspector works for.
    pub unit_id: String,
    /// The township the inspector belongs to; `None` above township level (county, city).
    pub township_code: Option<String>,
}

/// A drawn target, with the facts the conflict rule needs.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct TargetFacts {
    /// The drawn id (an organisation, or a site of one).
    pub id: String,
    /// The organisation the target belongs to, when it is not itself that organisation.
    pub unit_id: Option<String>,
    pub township_code: Option<String>,
}

/// Whether `inspector` may not inspect `target` (the rule in the module comment).
pub fn conflicts(inspector: &InspectorFacts, target: &TargetFacts) -> bool {
    inspector.unit_id == target.id
        || target.unit_id.as_deref() == Some(inspector.unit_id.as_str())
        || matches!((&inspector.township_code, &target.township_code), (Some(a), Some(b)) if a == b)
}

/// A roster in canonical order: by id (then the facts, so the order never depends on the
/// input order), each id once.
fn canonical_roster(roster: &[InspectorFacts]) -> Vec<InspectorFacts> {
    let mut out = roster.to_vec();
    out.sort();
    out.dedup_by(|a, b| a.id == b.id);
    out
}

fn canonical_targets(targets: &[TargetFacts]) -> Vec<TargetFacts> {
    let mut out = targets.to_vec();
    out.sort();
    out.dedup_by(|a, b| a.id == b.id);
    out
}

/// The roster members free of conflict with every target, in canonical order.
pub fn eligible_inspectors(roster: &[InspectorFacts], targets: &[TargetFacts]) -> Vec<InspectorFacts> {
    canonical_roster(roster).into_iter().filter(|i| !targets.iter().any(|t| conflicts(i, t))).collect()
}

/// Draws `m` inspectors for the drawn `targets` from `roster`, leaving out every conflict.
pub fn draw_inspectors(roster: &[InspectorFacts], targets: &[TargetFacts], m: usize, seed: u64) -> Result<Vec<String>, FieldError> {
    if roster.is_empty() {
        return Err(FieldError::new("roster", "draw.roster.empty"));
    }
    if targets.is_empty() {
        // Without targets no conflict can be checked: inspectors are drawn after the targets.
        return Err(FieldError::new("targets", "draw.targets.empty"));
    }
    check_count("m", m)?;
    let eligible = eligible_inspectors(roster, targets);
    if eligible.len() < m {
        return Err(FieldError::new("m", "draw.inspectors.too_few").with_detail(eligible.len().to_string()));
    }
    Ok(pick(&eligible, m, seed).into_iter().map(|i| i.id).collect())
}

/// SHA-256 of the roster and the drawn targets with every fact the conflict rule reads
/// (canonical JSON), so a changed township or unit shows as a changed roster.
pub fn roster_hash(roster: &[InspectorFacts], targets: &[TargetFacts]) -> String {
    let canonical = serde_json::json!({"roster": canonical_roster(roster), "targets": canonical_targets(targets)}).to_string();
    hex::encode(Sha256::digest(canonical.as_bytes()))
}

/// A draw as it is stored and published: everything needed to run it again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredDraw {
    pub seed: u64,
    /// The frozen target pool (ids, canonical order).
    pub pool: Vec<String>,
    pub n: usize,
    pub pool_hash: String,
    /// The drawn targets, in draw order.
    pub targets: Vec<String>,
    /// The facts of the drawn targets, as the conflict rule read them.
    pub target_facts: Vec<TargetFacts>,
    /// The frozen roster (canonical order).
    pub roster: Vec<InspectorFacts>,
    pub m: usize,
    pub roster_hash: String,
    /// The drawn inspectors, in draw order.
    pub inspectors: Vec<String>,
}

/// Runs a whole draw: `n` targets from `pool`, then `m` inspectors from `roster` free of
/// conflict with them, both from `seed`. Every problem is reported at once.
pub fn run(seed: u64, pool: &[TargetFacts], n: usize, roster: &[InspectorFacts], m: usize) -> Result<StoredDraw, Vec<FieldError>> {
    let pool = canonical_targets(pool);
    let ids: Vec<String> = pool.iter().map(|t| t.id.clone()).collect();
    let targets = draw_targets(&ids, n, seed).map_err(|e| vec![e])?;
    let target_facts: Vec<TargetFacts> = pool.into_iter().filter(|t| targets.contains(&t.id)).collect();
    let inspectors = draw_inspectors(roster, &target_facts, m, seed).map_err(|e| vec![e])?;
    let roster = canonical_roster(roster);
    Ok(StoredDraw {
        seed,
        pool_hash: pool_hash(&ids),
        pool: ids,
        n,
        targets,
        roster_hash: roster_hash(&roster, &target_facts),
        target_facts,
        roster,
        m,
        inspectors,
    })
}

/// Checks a stored draw: the stored pool and roster still hash to the recorded hashes, the
/// target facts are those of the drawn targets, and drawing again gives the same targets and
/// the same inspectors. The error names the first part that does not hold.
pub fn check(stored: &StoredDraw) -> Result<(), FieldError> {
    let pool = canonical(&stored.pool);
    if pool != stored.pool || pool_hash(&pool) != stored.pool_hash {
        return Err(FieldError::new("pool", "draw.verify.pool_changed"));
    }
    let mut drawn_ids = stored.targets.clone();
    drawn_ids.sort();
    let fact_ids: Vec<String> = canonical_targets(&stored.target_facts).into_iter().map(|t| t.id).collect();
    if roster_hash(&stored.roster, &stored.target_facts) != stored.roster_hash || fact_ids != drawn_ids {
        return Err(FieldError::new("roster", "draw.verify.roster_changed"));
    }
    if draw_targets(&pool, stored.n, stored.seed).ok().as_ref() != Some(&stored.targets) {
        return Err(FieldError::new("targets", "draw.verify.mismatch"));
    }
    if draw_inspectors(&stored.roster, &stored.target_facts, stored.m, stored.seed).ok().as_ref() != Some(&stored.inspectors) {
        return Err(FieldError::new("inspectors", "draw.verify.mismatch"));
    }
    Ok(())
}

/// Whether a stored draw verifies (see `check`).
pub fn verify(stored: &StoredDraw) -> bool {
    check(stored).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("u{i:03}")).collect()
    }

    fn inspector(id: &str, unit: &str, town: Option<&str>) -> InspectorFacts {
        InspectorFacts { id: id.into(), unit_id: unit.into(), township_code: town.map(Into::into) }
    }

    fn target(id: &str, unit: Option<&str>, town: Option<&str>) -> TargetFacts {
        TargetFacts { id: id.into(), unit_id: unit.map(Into::into), township_code: town.map(Into::into) }
    }

    #[test]
    fn splitmix64_matches_the_published_sequence() {
        // Reference values of SplitMix64 from seed 1234567 (as in the public reference code).
        let mut r = SplitMix64::new(1_234_567);
        assert_eq!(r.next_u64(), 6_457_827_717_110_365_317);
        assert_eq!(r.next_u64(), 3_203_168_211_198_807_973);
        assert_eq!(r.next_u64(), 9_817_491_932_198_370_423);
    }

    #[test]
    fn picks_are_pinned_so_stored_draws_still_verify() {
        // Output of the algorithm as list spot checks recorded it before it moved here.
        let pool = ids(100);
        assert_eq!(pick(&pool, 10, 42), ["u013", "u083", "u086", "u009", "u002", "u027", "u087", "u045", "u065", "u028"]);
        assert_eq!(pick(&pool, 5, 20_240_430), ["u038", "u067", "u029", "u020", "u054"]);
        assert_eq!(pool_hash(&pool[..3]), "a0c469aed8575e4060af9546dfefa1d11c15d0dfca5413b257482b99f166298f");
        assert_eq!(crate::spot_check::draw(&pool, 10, 42), pick(&pool, 10, 42), "spot checks draw with the same code");
    }

    #[test]
    fn every_unit_can_be_drawn() {
        let pool: Vec<u32> = (0..20).collect();
        let mut seen = [0u32; 20];
        for seed in 0..2000 {
            for x in pick(&pool, 3, seed) {
                seen[x as usize] += 1;
            }
        }
        // 6000 picks over 20 units: each about 300; none starved, none favoured.
        assert!(seen.iter().all(|&n| (200..400).contains(&n)), "{seen:?}");
    }

    #[test]
    fn targets_are_reproducible_and_independent_of_the_pool_order() {
        let pool = ids(50);
        let a = draw_targets(&pool, 5, 7).unwrap();
        assert_eq!(a, draw_targets(&pool, 5, 7).unwrap(), "same seed, same draw");
        assert_ne!(a, draw_targets(&pool, 5, 8).unwrap(), "another seed, another draw");
        let mut shuffled = pool.clone();
        shuffled.reverse();
        shuffled.push(pool[0].clone());
        assert_eq!(a, draw_targets(&shuffled, 5, 7).unwrap(), "order and repeats of the pool do not matter");
        let mut distinct = a.clone();
        distinct.sort();
        distinct.dedup();
        assert_eq!(distinct.len(), 5);
    }

    #[test]
    fn target_draws_refuse_an_empty_pool_and_impossible_counts() {
        assert_eq!(draw_targets(&[], 1, 1).unwrap_err(), FieldError::new("pool", "draw.pool.empty"));
        assert_eq!(draw_targets(&ids(3), 4, 1).unwrap_err(), FieldError::new("n", "draw.n.too_large").with_detail("3"));
        assert_eq!(draw_targets(&ids(3), 0, 1).unwrap_err(), FieldError::new("n", "draw.count.zero"));
        assert_eq!(draw_targets(&ids(3), 3, 1).unwrap().len(), 3, "the whole pool may be asked for");
    }

    #[test]
    fn the_conflict_rule() {
        let t = target("ent-1", Some("group-1"), Some("370983100"));
        assert!(conflicts(&inspector("a", "ent-1", None), &t), "works for the target");
        assert!(conflicts(&inspector("b", "group-1", None), &t), "the target belongs to their unit");
        assert!(conflicts(&inspector("c", "bureau", Some("370983100")), &t), "same township");
        assert!(!conflicts(&inspector("d", "bureau", Some("370983101")), &t), "another township");
        assert!(!conflicts(&inspector("e", "bureau", None), &t), "city level, another unit");
        assert!(!conflicts(&inspector("f", "bureau", Some("370983100")), &target("ent-2", None, None)), "township unknown");
    }

    #[test]
    fn conflicting_inspectors_are_never_drawn() {
        let targets = [target("ent-1", None, Some("t1")), target("ent-2", None, Some("t2"))];
        let mut roster: Vec<InspectorFacts> = (0..30).map(|i| inspector(&format!("i{i:02}"), "bureau", Some("t9"))).collect();
        roster.push(inspector("own-town-1", "bureau", Some("t1")));
        roster.push(inspector("own-town-2", "bureau", Some("t2")));
        roster.push(inspector("own-unit", "ent-2", None));
        for seed in 0..300 {
            let drawn = draw_inspectors(&roster, &targets, 5, seed).unwrap();
            assert_eq!(drawn.len(), 5);
            assert!(drawn.iter().all(|id| id.starts_with('i')), "seed {seed}: {drawn:?}");
        }
        let a = draw_inspectors(&roster, &targets, 3, 1).unwrap();
        assert_eq!(a, draw_inspectors(&roster, &targets, 3, 1).unwrap());
        assert_ne!(a, draw_inspectors(&roster, &targets, 3, 2).unwrap());
    }

    #[test]
    fn too_few_eligible_inspectors_is_an_error() {
        let targets = [target("ent-1", None, Some("t1"))];
        let roster = [inspector("a", "bureau", Some("t1")), inspector("b", "bureau", Some("t2")), inspector("c", "ent-1", None)];
        assert_eq!(draw_inspectors(&roster, &targets, 2, 1).unwrap_err(), FieldError::new("m", "draw.inspectors.too_few").with_detail("1"));
        assert_eq!(draw_inspectors(&roster, &targets, 1, 1).unwrap(), ["b"]);
        assert_eq!(draw_inspectors(&[], &targets, 1, 1).unwrap_err().code, "draw.roster.empty");
        assert_eq!(draw_inspectors(&roster, &[], 1, 1).unwrap_err().code, "draw.targets.empty");
        assert_eq!(draw_inspectors(&roster, &targets, 0, 1).unwrap_err(), FieldError::new("m", "draw.count.zero"));
    }

    fn stored() -> StoredDraw {
        let pool: Vec<TargetFacts> = (0..40).map(|i| target(&format!("e{i:02}"), None, Some(&format!("t{}", i % 4)))).collect();
        let roster: Vec<InspectorFacts> = (0..20).map(|i| inspector(&format!("i{i:02}"), "bureau", Some(&format!("t{}", i % 8)))).collect();
        run(20_240_430, &pool, 2, &roster, 3).unwrap()
    }

    #[test]
    fn a_stored_draw_runs_again_to_the_same_result() {
        let s = stored();
        assert_eq!((s.targets.len(), s.inspectors.len(), s.target_facts.len()), (2, 3, 2));
        assert!(verify(&s));
        // Through JSON, as it is stored and published.
        let back: StoredDraw = serde_json::from_str(&serde_json::to_string(&s).unwrap()).unwrap();
        assert_eq!(check(&back), Ok(()));
    }

    #[test]
    fn a_tampered_draw_does_not_verify() {
        let mut s = stored();
        s.pool.pop();
        assert_eq!(check(&s).unwrap_err().code, "draw.verify.pool_changed");

        let mut s = stored();
        s.roster[0].township_code = Some("elsewhere".into());
        assert_eq!(check(&s).unwrap_err().code, "draw.verify.roster_changed");

        let mut s = stored();
        s.targets.reverse();
        assert_eq!(check(&s).unwrap_err(), FieldError::new("targets", "draw.verify.mismatch"), "the draw order is part of the result");

        let mut s = stored();
        s.seed += 1;
        assert!(!verify(&s), "another seed gives another draw");

        let mut s = stored();
        s.inspectors[0] = "i99".into();
        assert_eq!(check(&s).unwrap_err(), FieldError::new("inspectors", "draw.verify.mismatch"));

        let mut s = stored();
        s.target_facts[0].id = "somebody-else".into();
        assert_eq!(check(&s).unwrap_err().code, "draw.verify.roster_changed", "facts of other targets than those drawn");
    }
}
