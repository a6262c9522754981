//! Unmatched transfers: which open orders a transfer that matched no payment
//! most likely pays, ranked, each with the reasons (`reconcile.rank`).
//!
//! The shop owner decides; this only orders the candidates the host picked
//! (open and recent payments) so that the likely one comes first. Pure: the
//! host gives the time the shop received the transfer, on the shop's own
//! clock, the clock its payments' `created_at` and `expires_at` come from
//! (the core has no clock; the bank's or VietQR's time of the transfer may be
//! hours off). Scores are whole numbers (0 to 100), so every host gives the
//! same answer.
//!
//! A candidate made after the transfer was received is never offered: it is
//! left out of the ranking, since no one could have paid a QR that did not
//! exist yet (an owner who assigned it would complete an order with another
//! buyer's money).
//!
//! A score is the sum of three parts:
//! - content (50): the candidate's code or expected content found in the
//!   transfer content once both are normalised (folded to ASCII, upper case,
//!   letters and digits only: bank apps add prefixes, split words and drop
//!   punctuation); else, for needles of at least [`APPROXIMATE_MIN_LEN`]
//!   characters, the best approximate match ([`similarity`]), half its
//!   percentage when it is at least [`SIMILAR_MIN`]%;
//! - amount (30): exact 30, within 1% of what is due 20, within 10% 10;
//! - time (20): within the QR's life (from when it was made to its expiry,
//!   both included) 20, within a day after expiry 10, later 5.

use crate::error::{Code, Error, Result};
use crate::input::input_struct;
use crate::rules::{AMOUNT_MAX, CALLBACK_CONTENT_MAX};
use crate::text;
use serde::Serialize;

/// At most this many candidates per call (the host picks the plausible ones).
pub const CANDIDATES_MAX: usize = 50;
/// A candidate's expected content or code: at most this many characters.
pub const EXPECTED_MAX: usize = 100;
/// An approximate match below this percentage says nothing.
pub const SIMILAR_MIN: u32 = 60;
/// A needle shorter than this (normalised) counts only when found as is:
/// one character off in `DH41` is another order, not a typo.
pub const APPROXIMATE_MIN_LEN: usize = 8;
/// After expiry by at most this many seconds is "after expiry", later "long after".
pub const LATE_WINDOW: u64 = 86_400;

input_struct! {
    /// `reconcile.rank`'s input: the transfer and the candidates.
    #[derive(Debug, Clone)]
    pub struct RankRequest {
        /// What arrived, in VND.
        pub amount: u64,
        /// When the shop received it, unix seconds on the shop's own clock
        /// (the one `created_at` and `expires_at` come from), given by the host.
        pub time: u64,
        /// The transfer content as the payer's bank sent it.
        pub content: String,
        pub candidates: Vec<Candidate>,
        /// Keep only the best this many (all when left out).
        pub limit: Option<usize>,
    }
}

input_struct! {
    /// An order (payment) the transfer might pay.
    #[derive(Debug, Clone)]
    pub struct Candidate {
        /// The host's id for it, given back as is.
        pub id: u64,
        /// What is still due on it, in VND.
        pub amount: u64,
        /// When its QR was made and when it expires, unix seconds on the
        /// shop's clock. Made after `time`: left out of the ranking.
        pub created_at: u64,
        pub expires_at: u64,
        /// The transfer content its QR asked for.
        pub content: String,
        /// The order code inside that content (e.g. `DH1234`), if any.
        pub code: Option<String>,
    }
}

/// One candidate, scored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Ranked {
    pub id: u64,
    /// 0 to 100: the sum of the content, amount and time points.
    pub score: u32,
    /// One finding per part: content, amount, time (see [`rank`]).
    pub reasons: [&'static str; 3],
    /// How much of the expected content or code the transfer content holds,
    /// 0 to 100 ([`similarity`]; 0 or 100 for needles shorter than
    /// [`APPROXIMATE_MIN_LEN`]).
    pub similarity: u32,
    /// What arrived minus what is due, in VND.
    pub amount_difference: i64,
}

/// The ranking, best first, and why the transfer matched nothing, read off
/// the best candidate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Ranking {
    /// `content_changed` (the best candidate's code or content is there,
    /// altered; amount and time agree), `amount_differs`, `after_expiry`,
    /// `content_missing` (no code, but the amount and time agree), or
    /// `unknown_order` (no candidate comes close).
    pub reason: &'static str,
    pub candidates: Vec<Ranked>,
}

/// Ranks the candidates for one transfer, leaving out those made after it
/// was received (`created_at` later than `time`).
///
/// Reasons, one of each: `code_in_content`, `content_similar` or
/// `content_differs`; `amount_exact`, `amount_within_1_percent`,
/// `amount_within_10_percent` or `amount_differs`; `in_qr_life`,
/// `after_expiry` or `long_after_expiry`. Ties go to the smaller amount
/// difference, then the smaller id.
///
/// ```
/// use serde_json::json;
/// let out = vietqr::call("reconcile.rank", json!({
///     "amount": 25000, "time": 1000, "content": "MBVCB.123.DH 42.chuyen tien",
///     "candidates": [
///         {"id": 41, "amount": 25000, "created_at": 900, "expires_at": 1800, "content": "DH41"},
///         {"id": 42, "amount": 25000, "created_at": 900, "expires_at": 1800, "content": "DH42"},
///         {"id": 43, "amount": 25000, "created_at": 1120, "expires_at": 2020, "content": "DH43"}
///     ]
/// }));
/// assert_eq!(out["value"]["reason"], "content_changed");
/// assert_eq!(out["value"]["candidates"][0]["id"], 42);
/// assert_eq!(out["value"]["candidates"][0]["score"], 100);
/// // 43 was made 120 s after the transfer arrived: not offered at all.
/// assert_eq!(out["value"]["candidates"].as_array().unwrap().len(), 2);
/// ```
pub fn rank(req: &RankRequest) -> Result<Ranking> {
    check(req)?;
    let content = normalise(&req.content);
    let mut ranked: Vec<Ranked> = req
        .candidates
        .iter()
        // Its QR did not exist yet when the money arrived: it cannot be what was paid.
        .filter(|c| c.created_at <= req.time)
        .map(|c| score(req, &content, c))
        .collect();
    ranked.sort_by(|a, b| {
        b.score
            .cmp(&a.score)
            .then(
                a.amount_difference
                    .unsigned_abs()
                    .cmp(&b.amount_difference.unsigned_abs()),
            )
            .then(a.id.cmp(&b.id))
    });
    let reason = ranked.first().map_or("unknown_order", reason);
    if let Some(limit) = req.limit {
        ranked.truncate(limit);
    }
    Ok(Ranking {
        reason,
        candidates: ranked,
    })
}

fn check(req: &RankRequest) -> Result<()> {
    if req.amount == 0 || req.amount > AMOUNT_MAX {
        return Err(Error::new(
            Code::InvalidAmount,
            format!("amount must be 1 to {AMOUNT_MAX} VND"),
        ));
    }
    if req.content.len() > CALLBACK_CONTENT_MAX {
        return Err(Error::invalid_input(format!(
            "content must be at most {CALLBACK_CONTENT_MAX} bytes"
        )));
    }
    if req.candidates.len() > CANDIDATES_MAX {
        return Err(Error::invalid_input(format!(
            "at most {CANDIDATES_MAX} candidates per call"
        )));
    }
    for c in &req.candidates {
        if c.amount > AMOUNT_MAX {
            return Err(Error::new(
                Code::InvalidAmount,
                format!(
                    "candidate {}: amount must be at most {AMOUNT_MAX} VND",
                    c.id
                ),
            ));
        }
        let code_len = c.code.as_deref().map_or(0, str::len);
        if c.content.len() > EXPECTED_MAX || code_len > EXPECTED_MAX {
            return Err(Error::invalid_input(format!(
                "candidate {}: content and code must be at most {EXPECTED_MAX} bytes",
                c.id
            )));
        }
    }
    Ok(())
}

fn score(req: &RankRequest, content: &[u8], c: &Candidate) -> Ranked {
    let needles = [
        normalise(&c.content),
        normalise(c.code.as_deref().unwrap_or("")),
    ];
    let similarity = needles
        .iter()
        .filter(|n| !n.is_empty())
        .map(|n| match similarity(n, content) {
            s if s < 100 && n.len() < APPROXIMATE_MIN_LEN => 0,
            s => s,
        })
        .max()
        .unwrap_or(0);
    let (content_points, content_reason) = match similarity {
        100 => (50, "code_in_content"),
        s if s >= SIMILAR_MIN => (s / 2, "content_similar"),
        _ => (0, "content_differs"),
    };

    let difference = req.amount as i64 - c.amount as i64;
    let off = difference.unsigned_abs();
    let (amount_points, amount_reason) = if off == 0 {
        (30, "amount_exact")
    } else if off * 100 <= c.amount {
        (20, "amount_within_1_percent")
    } else if off * 10 <= c.amount {
        (10, "amount_within_10_percent")
    } else {
        (0, "amount_differs")
    };

    // rank() keeps only candidates made at or before `time`.
    let (time_points, time_reason) = if req.time <= c.expires_at {
        (20, "in_qr_life")
    } else if req.time - c.expires_at <= LATE_WINDOW {
        (10, "after_expiry")
    } else {
        (5, "long_after_expiry")
    };

    Ranked {
        id: c.id,
        score: content_points + amount_points + time_points,
        reasons: [content_reason, amount_reason, time_reason],
        similarity,
        amount_difference: difference,
    }
}

/// Why the transfer matched nothing, from its best candidate.
fn reason(best: &Ranked) -> &'static str {
    let [content, amount, time] = best.reasons;
    let content_found = content != "content_differs";
    match (content_found, amount == "amount_exact") {
        (true, false) => "amount_differs",
        (true, true) if time == "after_expiry" || time == "long_after_expiry" => "after_expiry",
        (true, true) => "content_changed",
        (false, true) if time == "in_qr_life" => "content_missing",
        _ => "unknown_order",
    }
}

/// Text as bank apps leave it comparable: folded to ASCII, upper case,
/// letters and digits only.
///
/// ```
/// assert_eq!(vietqr::reconcile::normalise("Đơn hàng: dh-42 ."), b"DONHANGDH42");
/// ```
pub fn normalise(s: &str) -> Vec<u8> {
    text::fold(s, None)
        .bytes()
        .filter(u8::is_ascii_alphanumeric)
        .map(|b| b.to_ascii_uppercase())
        .collect()
}

/// How much of `needle` the `haystack` holds anywhere, 0 to 100: 100 when
/// it is there as is, else `(len − d) × 100 / len` (rounded down) where `d`
/// is the fewest characters inserted, deleted or changed to make `needle`
/// of some stretch of `haystack` (approximate substring matching: the bank's
/// prefixes and suffixes cost nothing, a cut-off end or a typo costs each
/// character).
///
/// ```
/// use vietqr::reconcile::similarity;
/// assert_eq!(similarity(b"DH42", b"CTDH42XYZ"), 100);
/// assert_eq!(similarity(b"VQR12AB34DH42", b"XXVQR12AB34DH4"), 92);
/// assert_eq!(similarity(b"DH42", b"NOTHING"), 25); // only the H
/// ```
pub fn similarity(needle: &[u8], haystack: &[u8]) -> u32 {
    let m = needle.len();
    if m == 0 {
        return 0;
    }
    if haystack.windows(m).any(|w| w == needle) {
        return 100;
    }
    // Sellers: row i holds the cost of needle[..i] ending at each haystack
    // position; a match may start anywhere, so row 0 is all zeros.
    let mut row: Vec<usize> = vec![0; haystack.len() + 1];
    for (i, &p) in needle.iter().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &h) in haystack.iter().enumerate() {
            let above = row[j + 1];
            let cost = diagonal + usize::from(p != h);
            row[j + 1] = cost.min(above + 1).min(row[j] + 1);
            diagonal = above;
        }
    }
    let d = row.iter().copied().min().unwrap_or(m).min(m);
    ((m - d) * 100 / m) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn similarity_counts_edits_inside_the_haystack() {
        assert_eq!(similarity(b"DH42", b"DH24"), 75); // D, H, 2 kept: the 4 dropped
        assert_eq!(similarity(b"DH42", b"DH4"), 75);
        assert_eq!(similarity(b"DH42", b""), 0);
        assert_eq!(similarity(b"", b"DH42"), 0);
        assert_eq!(similarity(b"ABCDEFGHIJ", b"ABCDEXGHIJ"), 90);
    }

    #[test]
    fn normalise_folds_and_drops_separators() {
        assert_eq!(normalise("Chuyển tiền DH 42"), b"CHUYENTIENDH42");
        assert_eq!(normalise(""), b"");
    }
}
