//! Content digests: a 128-bit hash of bytes, for telling whether a file changed (the
//! expansion cache keys and checks its entries with it).
//!
//! Not cryptographic: it tells apart the versions of a spec one machine sees, not an
//! attacker's forgeries (whoever can write the target directory can change the build
//! anyway). Written for the unoptimized builds proc macros run in, where SipHash costs
//! about 37 instructions a byte and this loop about 13 (32 bytes a step, two lanes,
//! every word multiplied in): digesting a 3 MB spec costs a few milliseconds there.

use std::fmt;

/// The 128-bit digest of some bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Digest(pub u128);

impl fmt::Display for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:032x}", self.0)
    }
}

impl std::str::FromStr for Digest {
    type Err = std::num::ParseIntError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        u128::from_str_radix(text, 16).map(Digest)
    }
}

const K1: u64 = 0x9e37_79b9_7f4a_7c15;
const K2: u64 = 0xc2b2_ae3d_27d4_eb4f;
const K3: u64 = 0x1656_67b1_9e37_79f9;
const K4: u64 = 0xff51_afd7_ed55_8ccd;

/// A digest built from several parts, each length-prefixed so that the parts' borders
/// count (`"ab" + "c"` is not `"a" + "bc"`).
#[derive(Clone, Debug)]
pub struct Digester {
    a: u64,
    b: u64,
    len: u64,
}

impl Default for Digester {
    fn default() -> Self {
        Digester {
            a: K1,
            b: K2,
            len: 0,
        }
    }
}

impl Digester {
    /// An empty digester.
    pub fn new() -> Self {
        Self::default()
    }

    /// Add one part.
    pub fn part(&mut self, bytes: &[u8]) -> &mut Self {
        self.word(bytes.len() as u64);
        let mut rest = bytes;
        while let Some((block, tail)) = rest.split_first_chunk::<32>() {
            let w = |i: usize| {
                u64::from_le_bytes([
                    block[i],
                    block[i + 1],
                    block[i + 2],
                    block[i + 3],
                    block[i + 4],
                    block[i + 5],
                    block[i + 6],
                    block[i + 7],
                ])
            };
            self.a = (self.a ^ w(0)).wrapping_mul(K3).rotate_left(31) ^ w(8);
            self.b = (self.b ^ w(16)).wrapping_mul(K4).rotate_left(29) ^ w(24);
            self.a = self.a.wrapping_mul(K1) ^ self.b;
            self.b = self.b.wrapping_mul(K2) ^ self.a.rotate_left(17);
            rest = tail;
        }
        let mut last = [0u8; 32];
        last[..rest.len()].copy_from_slice(rest);
        for word in last.chunks_exact(8) {
            let mut bytes = [0u8; 8];
            bytes.copy_from_slice(word);
            self.word(u64::from_le_bytes(bytes));
        }
        self.len += bytes.len() as u64;
        self
    }

    fn word(&mut self, w: u64) {
        self.a = (self.a ^ w).wrapping_mul(K3).rotate_left(31);
        self.b = (self.b ^ w.rotate_left(32))
            .wrapping_mul(K4)
            .rotate_left(29)
            ^ self.a;
    }

    /// The digest of the parts so far.
    pub fn finish(&self) -> Digest {
        let a = mix(self.a ^ self.len);
        let b = mix(self.b ^ a);
        Digest((u128::from(mix(a ^ b.rotate_left(23))) << 64) | u128::from(b))
    }
}

/// MurmurHash3's finalizer: every input bit flips each output bit with probability ½.
fn mix(mut x: u64) -> u64 {
    x ^= x >> 33;
    x = x.wrapping_mul(K4);
    x ^= x >> 33;
    x = x.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    x ^ (x >> 33)
}

/// The digest of `bytes` as one part.
pub fn of(bytes: &[u8]) -> Digest {
    Digester::new().part(bytes).finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_byte_and_every_border_counts() {
        let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n".repeat(40);
        let base = of(text.as_bytes());
        assert_eq!(base, of(text.as_bytes()), "deterministic");
        let mut seen = std::collections::HashSet::from([base]);
        // One bit of any byte, in the blocks and in the tail.
        for i in 0..text.len() {
            let mut changed = text.clone().into_bytes();
            changed[i] ^= 1 << (i % 8);
            assert!(seen.insert(of(&changed)), "byte {i}");
        }
        // Lengths that differ only by zero bytes.
        for n in 0..70 {
            assert!(seen.insert(of(&vec![0u8; n])), "{n} zero bytes");
        }
        let parts = |p: &[&str]| {
            let mut d = Digester::new();
            for part in p {
                d.part(part.as_bytes());
            }
            d.finish()
        };
        assert_ne!(parts(&["ab", "c"]), parts(&["a", "bc"]));
        assert_ne!(parts(&["abc"]), parts(&["abc", ""]));
    }

    #[test]
    fn a_digest_reads_back_from_its_text() {
        let d = of(b"spec");
        assert_eq!(d.to_string().len(), 32);
        assert_eq!(d.to_string().parse::<Digest>(), Ok(d));
    }
}
