<?php

/**
 * IDE and static-analysis stub for the zoho_oauth PHP extension. Not loaded at run time; the
 * extension defines the class. Checked against the extension by php/tests/check_stubs.php.
 *
 * The class is not defined when zoho_oauth.define_rest_client=0 (Zoho's full SDK then loads
 * its own ZCRMRestClient, with the CRM API calls).
 */

namespace zcrmsdk\crm\setup\restclient;

/**
 * Zoho's SDK entry point, reduced to what the OAuth flow uses: initialization and the
 * current user.
 */
class ZCRMRestClient
{
    /** Not instantiable: every method is static. */
    private function __construct() {}

    /**
     * Checks client_id, client_secret and redirect_uri (the SDK's "<key> is mandatory" and
     * "<key> value is missing" messages), sets the current user from currentUserEmail when
     * given, and initializes ZohoOAuth. To call in every request, as the SDK requires. When
     * Zoho's full SDK is installed (its ZCRMConfigUtil is autoloadable), also calls the SDK's
     * ZCRMConfigUtil::initialize($configuration), so its CRM classes see their configuration.
     *
     * @param array<string, scalar> $configuration the SDK's configuration keys (and ours)
     * @throws \zcrmsdk\oauth\exception\ZohoOAuthException
     * @param array $configuration
     * @return void
     */
    public static function initialize(#[\SensitiveParameter] $configuration) {}

    /**
     * Sets the user whose tokens CRM calls use, for this request.
     *
     * @param string|null $UserEmailId
     * @return void
     */
    public static function setCurrentUserEmailId($UserEmailId) {}

    /**
     * The current user (setCurrentUserEmailId() or currentUserEmail), or null.
     *
     * @return string|null
     */
    public static function getCurrentUserEmailID() {}

    /**
     * Any other static method of the full SDK's ZCRMRestClient (getInstance(), ...): throws an
     * \Error naming zoho_oauth.define_rest_client, the setting that hands the class to the SDK.
     *
     * @throws \Error always
     */
    public static function __callStatic(string $name, array $arguments): void {}
}
