<?php

/**
 * IDE and static-analysis stub for the zoho_oauth PHP extension. Not loaded at run time; the
 * extension defines the class. Checked against the extension by php/tests/check_stubs.php.
 */

namespace zcrmsdk\oauth\persistence;

/**
 * Zoho's SDK's database store (MySQL in the SDK), on the store the configuration picks when it
 * has no token_persistence_path and no custom handler. Reads the request's configuration at
 * each call. ZohoOAuth::getPersistenceHandlerInstance() returns one then. The store methods
 * are untyped, as the SDK's, so subclasses may override them without types.
 */
class ZohoOAuthPersistenceHandler implements ZohoOAuthPersistenceInterface
{
    public function __construct() {}

    /**
     * Saves the tokens under their user (replacing the user's row), under the user's lock.
     *
     * @param \zcrmsdk\oauth\utility\ZohoOAuthTokens $zohoOAuthTokens
     * @return void
     */
    public function saveOAuthData($zohoOAuthTokens) {}

    /**
     * The user's stored tokens (not refreshed).
     *
     * @param string $userEmailId
     * @return \zcrmsdk\oauth\utility\ZohoOAuthTokens
     * @throws \zcrmsdk\oauth\exception\ZohoOAuthException "No Tokens exist ..." (code 400; the SDK returned an empty object)
     */
    public function getOAuthTokens($userEmailId) {}

    /**
     * Deletes the user's tokens.
     *
     * @param string $userEmailId
     * @return bool whether the user had tokens
     */
    public function deleteOAuthTokens($userEmailId) {}

    /**
     * A new \mysqli connection with the SDK's settings (host_address:db_port, db_username,
     * db_password, db_name), as the SDK's method returns. Needs PHP's mysqli extension.
     *
     * @return \mysqli
     */
    public function getMysqlConnection() {}
}
