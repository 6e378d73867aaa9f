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
     * @param array $configuration
     * @return void
     */
    public static function initialize(#[\SensitiveParameter] $configuration) {}

    /**
     * The OAuth client for this request's configuration.
     *
     * @throws exception\ZohoOAuthException "ZCRMRestClient::initialize($configMap) must be called before this."
     * @return ZohoOAuthClient
     */
    public static function getClientInstance() {}

    /**
     * A new store object for this request's configuration, chosen as the SDK chooses:
     * ZohoOAuthPersistenceByFile with token_persistence_path, else the class named by
     * persistence_handler_class_name (its file require_once'd), else
     * ZohoOAuthPersistenceHandler (the database store).
     *
     * @return persistence\ZohoOAuthPersistenceInterface
     * @throws exception\ZohoOAuthException before initialize(), or when the custom class cannot be loaded
     */
    public static function getPersistenceHandlerInstance() {}

    /**
     * A configuration value, or "" when it is not set (as the SDK answers).
     *
     * @param string $key
     * @return string
     */
    public static function getConfigValue($key) {}

    /**
     * The OAuth configuration in the SDK's order with its defaults; client_secret and
     * db_password show as "[redacted]" (ask getConfigValue() for one explicitly).
     *
     * @return array<string, string>
     */
    public static function getAllConfigs() {}

    /**
     * accounts_url, e.g. https://accounts.zoho.com.
     *
     * @return string
     */
    public static function getIAMUrl() {}

    /**
     * accounts_url + "/oauth/v2/auth".
     *
     * @return string
     */
    public static function getGrantURL() {}

    /**
     * accounts_url + "/oauth/v2/token".
     *
     * @return string
     */
    public static function getTokenURL() {}

    /**
     * accounts_url + "/oauth/v2/token".
     *
     * @return string
     */
    public static function getRefreshTokenURL() {}

    /**
     * accounts_url + "/oauth/v2/token/revoke".
     *
     * @return string
     */
    public static function getRevokeTokenURL() {}

    /**
     * accounts_url + "/oauth/user/info".
     *
     * @return string
     */
    public static function getUserInfoURL() {}

    /**
     * client_id.
     *
     * @return string
     */
    public static function getClientID() {}

    /**
     * client_secret.
     *
     * @return string
     */
    public static function getClientSecret() {}

    /**
     * redirect_uri.
     *
     * @return string
     */
    public static function getRedirectURL() {}

    /**
     * access_type ("offline" by default).
     *
     * @return string
     */
    public static function getAccessType() {}
}
