<?php

/**
 * IDE and static-analysis stub for the zoho_oauth PHP extension. Not loaded at run time; the
 * extension defines the class. Checked against the extension by php/tests/check_stubs.php.
 */

namespace zcrmsdk\oauth;

/** Zoho's SDK's static OAuth entry point: configuration, URLs and the client. */
class ZohoOAuth
{
    /** Not instantiable: every method is static. */
    private function __construct() {}

    /**
     * Stores the OAuth configuration for this request (ZCRMRestClient::initialize calls it,
     * and so does Zoho's full SDK).
     *
     * @param array<string, scalar> $configuration
     * @throws exception\ZohoOAuthException "<key> is mandatory", "<key> value is missing", invalid values
     */
    public static function initialize(#[\SensitiveParameter] array $configuration): void {}

    /**
     * The OAuth client for this request's configuration.
     *
     * @throws exception\ZohoOAuthException "ZCRMRestClient::initialize($configMap) must be called before this."
     */
    public static function getClientInstance(): ZohoOAuthClient {}

    /**
     * A new store object for this request's configuration, chosen as the SDK chooses:
     * ZohoOAuthPersistenceByFile with token_persistence_path, else the class named by
     * persistence_handler_class_name (its file require_once'd), else
     * ZohoOAuthPersistenceHandler (the database store).
     *
     * @return persistence\ZohoOAuthPersistenceInterface
     * @throws exception\ZohoOAuthException before initialize(), or when the custom class cannot be loaded
     */
    public static function getPersistenceHandlerInstance(): mixed {}

    /** A configuration value, or "" when it is not set (as the SDK answers). */
    public static function getConfigValue(string $key): string {}

    /**
     * The OAuth configuration in the SDK's order with its defaults; client_secret and
     * db_password show as "[redacted]" (ask getConfigValue() for one explicitly).
     *
     * @return array<string, string>
     */
    public static function getAllConfigs(): array {}

    /** accounts_url, e.g. https://accounts.zoho.com. */
    public static function getIAMUrl(): string {}

    /** accounts_url + "/oauth/v2/auth". */
    public static function getGrantURL(): string {}

    /** accounts_url + "/oauth/v2/token". */
    public static function getTokenURL(): string {}

    /** accounts_url + "/oauth/v2/token". */
    public static function getRefreshTokenURL(): string {}

    /** accounts_url + "/oauth/v2/token/revoke". */
    public static function getRevokeTokenURL(): string {}

    /** accounts_url + "/oauth/user/info". */
    public static function getUserInfoURL(): string {}

    /** client_id. */
    public static function getClientID(): string {}

    /** client_secret. */
    public static function getClientSecret(): string {}

    /** redirect_uri. */
    public static function getRedirectURL(): string {}

    /** access_type ("offline" by default). */
    public static function getAccessType(): string {}
}
