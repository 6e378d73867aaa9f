//! A small deterministic random number generator (xorshift64*), seeded per process.

/// xorshift64* state.
pub struct Rng(u64);

impl Rng {
    /// A generator seeded from `seed` and the current time.
    pub fn new(seed: u64) -> Rng {
        let time = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64);
        Rng((seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ time) | 1)
    }

    /// The next random number.
    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number in `0..n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}
