//! Bounds already checked: for a variable, the largest `offset + width`
//! proven in bounds for its current value. Memory never shrinks, so a fact
//! holds until the variable changes or control flow joins paths that did
//! not establish it.

/// Bounds facts: variable code → checked extent (`""` for constant
/// addresses).
pub(super) type Facts = std::collections::BTreeMap<String, u64>;

/// Facts that hold on every path: the smaller extent of each variable
/// known on both.
pub(super) fn intersect(a: &Facts, b: &Facts) -> Facts {
    a.iter()
        .filter_map(|(k, v)| b.get(k).map(|w| (k.clone(), (*v).min(*w))))
        .collect()
}
