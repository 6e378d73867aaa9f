<?php

/**
 * IDE and static-analysis stub for the zoho_oauth PHP extension. Not loaded at run time; the
 * extension defines the class. Checked against the extension by php/tests/check_stubs.php.
 */

namespace zoho_oauth\bridge;

/**
 * The core's token store and single-flight refresh for the bridge package for Zoho's current
 * SDK (php/bridge). Each method takes a configuration array with initialize()'s keys; it does
 * not become the request's configuration. A row is
 * ['user', 'access_token', 'refresh_token', 'expiry_time' (epoch ms, string), 'api_domain'].
 */
class Core
{
    /** Not instantiable: every method is static. */
    private function __construct() {}

    /**
     * The user's tokens, refreshed first (once for all processes, under the store's lock)
     * when less than refresh_margin_secs is left.
     *
     * @return array{user: ?string, access_token: ?string, refresh_token: ?string, expiry_time: string, api_domain: ?string}
     * @throws \zcrmsdk\oauth\exception\ZohoOAuthException code 400 when nothing is stored
     */
    public static function tokens(#[\SensitiveParameter] array $configuration, string $user): array {}

    /** The user's stored row as it is (no refresh), or null. */
    public static function find(#[\SensitiveParameter] array $configuration, string $user): ?array {}

    /** Every stored row, in store order. */
    public static function rows(#[\SensitiveParameter] array $configuration): array {}

    /**
     * Saves a row under its user, holding the user's refresh lock; with $onlyIfAbsent nothing
     * is written when the user has tokens. Returns whether it was written.
     */
    public static function save(#[\SensitiveParameter] array $configuration, #[\SensitiveParameter] array $row, ?bool $onlyIfAbsent = null): bool {}

    /** Deletes the user's row (no call to Zoho); true when there was one. */
    public static function delete(#[\SensitiveParameter] array $configuration, string $user): bool {}

    /** Exchanges a grant token; saves under the e-mail Zoho reports (or $user without the profile scope). */
    public static function exchangeGrant(#[\SensitiveParameter] array $configuration, #[\SensitiveParameter] string $grantToken, ?string $user = null): array {}

    /** Revokes the user's refresh token at Zoho, then deletes the row. */
    public static function revoke(#[\SensitiveParameter] array $configuration, string $user): bool {}
}
