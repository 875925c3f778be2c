//! The audit chain: each event's hash is SHA-256 over the previous hash and every stored
//! field of the event (id, sequence, time, actor id and name, action, object, changes, address)
//! as canonical JSON (keys sorted, no whitespace), so editing, deleting or reordering any
//! stored event breaks every later link.

use serde::Serialize;
use sha2::{Digest, Sha256};

/// The hash that precedes a tenant's first event.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The fields covered by the hash, in canonical form.
#[derive(Debug, Clone, Serialize)]
pub struct AuditRecord<'a> {
    pub id: &'a str,
    pub seq: i64,
    pub tenant_id: &'a str,
    pub occurred_at: &'a str,
    pub actor: &'a str,
    pub actor_name: &'a str,
    pub action: &'a str,
    pub object_type: &'a str,
    pub object_id: &'a str,
    pub changes: &'a serde_json::Value,
    pub address: &'a str,
}

pub fn chain_hash(prev_hash: &str, record: &AuditRecord<'_>) -> String {
    // serde_json's Value map is ordered by key, so to_value then to_string is canonical.
    let canonical = serde_json::to_value(record).map(|v| v.to_string()).unwrap_or_default();
    let mut h = Sha256::new();
    h.update(prev_hash.as_bytes());
    h.update(b"\n");
    h.update(canonical.as_bytes());
    hex::encode(h.finalize())
}

/// The field-level difference between two JSON objects: `{field: [before, after]}`.
pub fn diff(before: &serde_json::Value, after: &serde_json::Value) -> serde_json::Value {
    use serde_json::{Map, Value};
    let empty = Map::new();
    let b = before.as_object().unwrap_or(&empty);
    let a = after.as_object().unwrap_or(&empty);
    let mut out = Map::new();
    for (k, av) in a {
        let bv = b.get(k).unwrap_or(&Value::Null);
        if bv != av {
            out.insert(k.clone(), Value::Array(vec![bv.clone(), av.clone()]));
        }
    }
    for (k, bv) in b {
        if !a.contains_key(k) {
            out.insert(k.clone(), Value::Array(vec![bv.clone(), Value::Null]));
        }
    }
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rec<'a>(changes: &'a serde_json::Value) -> AuditRecord<'a> {
        AuditRecord {
            id: "e1",
            seq: 1,
            tenant_id: "t",
            occurred_at: "2024-03-31T00:00:00Z",
            actor: "u",
            actor_name: "张三",
            action: "update",
            object_type: "enterprise",
            object_id: "e",
            changes,
            address: "127.0.0.1",
        }
    }

    #[test]
    fn any_change_changes_the_hash() {
        let c = json!({"name": ["a", "b"]});
        let h = chain_hash(GENESIS, &rec(&c));
        assert_eq!(h.len(), 64);
        assert_eq!(h, chain_hash(GENESIS, &rec(&c)));
        let c2 = json!({"name": ["a", "c"]});
        assert_ne!(h, chain_hash(GENESIS, &rec(&c2)));
        let renamed = AuditRecord { actor_name: "李四", ..rec(&c) };
        assert_ne!(h, chain_hash(GENESIS, &renamed), "the actor's name is covered");
        assert_ne!(h, chain_hash(&h, &rec(&c)));
    }

    #[test]
    fn diff_lists_changed_fields_only() {
        let d = diff(&json!({"a": 1, "b": 2, "c": 3}), &json!({"a": 1, "b": 5, "d": 4}));
        assert_eq!(d, json!({"b": [2, 5], "c": [3, null], "d": [null, 4]}));
    }
}
