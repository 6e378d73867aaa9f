//! `zoho_process_stats`: this process's counters (the core's `zoho_oauth::stats`) in a
//! caller-provided struct that can grow: the caller says how many bytes it has (`size`),
//! the library fills at most that many and says how many it filled and which layout
//! (`version`).
#![allow(non_camel_case_types)]

use std::mem::size_of;
use std::ptr;

use super::boundary::call;
use super::result::zoho_result;
use super::strings::null_argument;
use zoho_oauth::stats::{Stats, snapshot};
use zoho_oauth::{Error, ErrorKind};

/// Room for this many error kinds in `zoho_stats` (the library has fewer; new kinds fit
/// without a new layout).
const ERROR_SLOTS: usize = 64;

/// The layout this library fills: 1, the first.
const VERSION: u32 = 1;

/// The smallest `size` accepted: version 1's, the first layout. Later versions only add
/// fields at the end, so a caller built against an older header keeps working.
const MIN_SIZE: usize = size_of::<zoho_stats>();

/// This process's counters, filled by `zoho_process_stats`; every client of the process
/// counts into them. A child made by `fork()` starts from zero (its fleet cache age is
/// inherited with the cache). Counters only grow.
///
/// Before the call, set `size` to `sizeof(zoho_stats)`; the library writes at most that many
/// bytes, sets `size` to the number it wrote and `version` to the layout it filled (1).
/// Fields past `size` were not written: a program built against a newer header checks
/// `size` (or `version`) before reading fields a newer library added. No field holds a
/// secret, a token or a user identifier.
#[repr(C)]
pub struct zoho_stats {
    /// In: `sizeof(zoho_stats)` as the caller knows it. Out: the bytes the library wrote.
    pub size: u32,
    /// Out: the layout the library filled (1).
    pub version: u32,
    /// Calls asking for a user's access token or tokens.
    pub token_calls: u64,
    /// Of those, the calls answered from memory, without reading the store.
    pub served_from_memory: u64,
    /// Reads of one user's tokens from the token store.
    pub store_reads: u64,
    /// Refresh requests the accounts server answered with a new access token.
    pub refreshes: u64,
    /// Refresh requests that failed (network, Zoho's refusal or throttle).
    pub refresh_failures: u64,
    /// Times a user's refresh lock was asked for (tried, or waited for).
    pub lock_waits: u64,
    /// Of those, the times another holder kept the lock to the end.
    pub locks_busy: u64,
    /// Time spent asking for refresh locks, in total, in nanoseconds.
    pub lock_wait_ns: u64,
    /// How long ago the store last confirmed tokens this process caches, in nanoseconds;
    /// -1 before the first time.
    pub fleet_cache_age_ns: i64,
    /// Errors returned to callers, by kind: `error_counts[i]` errors of code
    /// `error_codes[i]` (a `zoho_result` value), for `i < error_kinds`.
    pub error_counts: [u64; 64],
    /// The `zoho_result` value of each entry of `error_counts`.
    pub error_codes: [u32; 64],
    /// The number of entries used in `error_counts` and `error_codes`.
    pub error_kinds: u32,
    /// Zero (keeps the layout free of padding).
    pub reserved: u32,
}

impl zoho_stats {
    fn from_snapshot(stats: &Stats, size: u32) -> zoho_stats {
        let mut error_counts = [0u64; ERROR_SLOTS];
        let mut error_codes = [0u32; ERROR_SLOTS];
        let kinds = stats.errors.iter().take(ERROR_SLOTS);
        for (i, (kind, count)) in kinds.enumerate() {
            (error_codes[i], error_counts[i]) = (kind.code(), *count);
        }
        let nanos = |d: std::time::Duration| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX);
        zoho_stats {
            size,
            version: VERSION,
            token_calls: stats.token_calls,
            served_from_memory: stats.served_from_memory,
            store_reads: stats.store_reads,
            refreshes: stats.refreshes,
            refresh_failures: stats.refresh_failures,
            lock_waits: stats.lock_waits,
            locks_busy: stats.locks_busy,
            lock_wait_ns: nanos(stats.lock_wait_time),
            fleet_cache_age_ns: stats
                .fleet_cache_age
                .map_or(-1, |age| i64::try_from(age.as_nanos()).unwrap_or(i64::MAX)),
            error_counts,
            error_codes,
            error_kinds: u32::try_from(stats.errors.len().min(ERROR_SLOTS)).unwrap_or(0),
            reserved: 0,
        }
    }
}

/// Fills `*out_stats` with this process's counters. Set `out_stats->size` to
/// `sizeof(zoho_stats)` first: a size smaller than the first layout's is
/// `ZOHO_RESULT_INVALID_ARGUMENT` and nothing is written; a larger one (a newer header) is
/// filled up to this library's layout, and `size` says how far.
///
/// # Safety
///
/// `out_stats` must be NULL or point to at least `out_stats->size` writable bytes, aligned
/// for `zoho_stats`, whose first four bytes (`size`) are initialized.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn zoho_process_stats(out_stats: *mut zoho_stats) -> zoho_result {
    call("zoho_process_stats", || {
        if out_stats.is_null() {
            return Err(null_argument("out_stats"));
        }
        // SAFETY: not NULL; the caller initialized `size`, the first field.
        let given = unsafe { ptr::addr_of!((*out_stats).size).read() };
        let given = usize::try_from(given).unwrap_or(0);
        if given < MIN_SIZE {
            return Err(Error::new(
                ErrorKind::InvalidArgument,
                format!("out_stats->size is {given}; set it to sizeof(zoho_stats) ({MIN_SIZE})"),
            ));
        }
        let written = size_of::<zoho_stats>();
        let filled = zoho_stats::from_snapshot(&snapshot(), u32::try_from(written).unwrap_or(0));
        // SAFETY: the caller's buffer holds `given >= written` bytes; `filled` is a
        // padding-free `repr(C)` struct of `written` bytes, and the two cannot overlap.
        unsafe {
            ptr::copy_nonoverlapping(
                ptr::from_ref(&filled).cast::<u8>(),
                out_stats.cast::<u8>(),
                written,
            );
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_layout_has_no_padding_and_room_for_every_kind() {
        let fields = 2 * size_of::<u32>()
            + 9 * size_of::<u64>()
            + ERROR_SLOTS * (size_of::<u64>() + size_of::<u32>())
            + 2 * size_of::<u32>();
        assert_eq!(size_of::<zoho_stats>(), fields);
        assert!(ErrorKind::ALL.len() <= ERROR_SLOTS);
    }

    #[test]
    fn a_small_size_writes_nothing_and_a_null_is_refused() {
        let mut stats = zoho_stats::from_snapshot(&Stats::default(), 12);
        stats.version = 77;
        let r = unsafe { zoho_process_stats(&mut stats) };
        assert_eq!(r, zoho_result::InvalidArgument);
        assert_eq!((stats.size, stats.version), (12, 77));
        let r = unsafe { zoho_process_stats(ptr::null_mut()) };
        assert_eq!(r, zoho_result::NullArgument);
    }
}
