<?php

/**
 * IDE and static-analysis stub for the zoho_oauth PHP extension. Not loaded at run time; the
 * extension defines the class. Checked against the extension by php/tests/check_stubs.php.
 */

namespace zcrmsdk\oauth\persistence;

/**
 * Zoho's SDK's file store, on <token_persistence_path>/zcrm_oauthtokens.txt (the SDK's format),
 * locked and replaced atomically. Reads the request's configuration at each call; works only
 * when the configuration uses the token file. ZohoOAuth::getPersistenceHandlerInstance()
 * returns one then. The store methods are untyped, as the SDK's, so subclasses may override
 * them without types.
 */
class ZohoOAuthPersistenceByFile implements ZohoOAuthPersistenceInterface
{
    public function __construct() {}

    /**
     * Saves the tokens under their user (replacing the user's entry), under the user's lock.
     *
     * @param \zcrmsdk\oauth\utility\ZohoOAuthTokens $zohoOAuthTokens
     * @return void
     * @throws \zcrmsdk\oauth\exception\ZohoOAuthException code 100 for anything but tokens with a user
     */
    public function saveOAuthData($zohoOAuthTokens) {}

    /**
     * The user's stored tokens (not refreshed).
     *
     * @param string $userEmailId
     * @return \zcrmsdk\oauth\utility\ZohoOAuthTokens
     * @throws \zcrmsdk\oauth\exception\ZohoOAuthException "No Tokens exist for the given user-identifier,Please generate and try again." (code 400)
     */
    public function getOAuthTokens($userEmailId) {}

    /**
     * Deletes the user's tokens.
     *
     * @param string $userEmailId
     * @return bool whether the user had tokens (the SDK returned nothing)
     */
    public function deleteOAuthTokens($userEmailId) {}

    /**
     * token_persistence_path, trimmed ("" when not set).
     *
     * @return string
     */
    public function getTokenPersistencePath() {}
}
