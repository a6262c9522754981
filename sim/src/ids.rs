//! Identifiers the simulator makes up: UUIDs, trace ids, publish ids, FT
//! codes, token signatures. They come from a seeded generator (SplitMix64)
//! rather than the OS, so that a run with the same seed and the same
//! requests gives the same ids, and tests can rely on their shape.

use serde::{Deserialize, Serialize};

/// SplitMix64: tiny, fast and good enough for ids that need to be distinct,
/// not secret. Its state is saved with the rest, so ids never repeat across
/// restarts with a state file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct IdGenerator {
    state: u64,
}

impl IdGenerator {
    pub fn new(seed: u64) -> Self {
        IdGenerator { state: seed }
    }

    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn bytes(&mut self, n: usize) -> Vec<u8> {
        let mut out = Vec::with_capacity(n + 8);
        while out.len() < n {
            out.extend_from_slice(&self.next_u64().to_le_bytes());
        }
        out.truncate(n);
        out
    }

    /// A version-4 UUID in Java's `UUID.toString()` form (lowercase).
    pub fn uuid(&mut self) -> String {
        let mut b = self.bytes(16);
        b[6] = (b[6] & 0x0F) | 0x40;
        b[8] = (b[8] & 0x3F) | 0x80;
        let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
        format!(
            "{}-{}-{}-{}-{}",
            &hex[0..8],
            &hex[8..12],
            &hex[12..16],
            &hex[16..20],
            &hex[20..32]
        )
    }

    /// `n` decimal digits (leading zeros allowed, as `generateOTP` gives).
    pub fn digits(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| char::from(b'0' + (self.next_u64() % 10) as u8))
            .collect()
    }

    /// The server's trace id: "VQR" + the first 10 hex digits of a UUID.
    pub fn trace_id(&mut self) -> String {
        let uuid = self.uuid().replace('-', "");
        format!("VQR{}", &uuid[..10])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_and_determinism() {
        let mut a = IdGenerator::new(7);
        let mut b = IdGenerator::new(7);
        let u = a.uuid();
        assert_eq!(u, b.uuid());
        assert_eq!(u.len(), 36);
        assert_eq!(&u[14..15], "4");
        let t = a.trace_id();
        assert_eq!(t.len(), 13);
        assert!(t.starts_with("VQR"));
        assert!(t[3..]
            .bytes()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
        let d = a.digits(8);
        assert_eq!(d.len(), 8);
        assert!(d.bytes().all(|c| c.is_ascii_digit()));
        assert_ne!(a.uuid(), a.uuid());
    }
}
