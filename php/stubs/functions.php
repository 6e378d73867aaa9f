<?php

/**
 * IDE and static-analysis stub for the zoho_oauth PHP extension's functions. Not loaded at
 * run time; the extension defines them. Checked against the extension by
 * php/tests/check_stubs.php.
 */

/**
 * This process's counters since it started (a forked child, such as a PHP-FPM worker, starts
 * from zero): see docs/process-stats.md. No secret, token or user identifier is in it.
 *
 * @return array{token_calls: int, served_from_memory: int, store_reads: int, refreshes: int,
 *     refresh_failures: int, lock_waits: int, locks_busy: int, lock_wait_seconds: float,
 *     fleet_cache_age_seconds: ?float, errors: array<string, int>}
 */
function zoho_oauth_stats(): array {}
