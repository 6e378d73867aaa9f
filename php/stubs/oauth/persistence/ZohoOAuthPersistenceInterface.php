<?php

/**
 * IDE and static-analysis stub for the zoho_oauth PHP extension. Not loaded at run time; the
 * extension defines the interface. Checked against the extension by php/tests/check_stubs.php.
 */

namespace zcrmsdk\oauth\persistence;

/**
 * The SDK's custom token store contract. Name your class in persistence_handler_class_name
 * (and its file in persistence_handler_class); the extension creates one object per
 * operation. Exceptions you throw reach the caller unchanged.
 */
interface ZohoOAuthPersistenceInterface
{
    /**
     * Saves tokens under $zohoOAuthTokens->getUserEmailId(), replacing that user's entry.
     *
     * @param \zcrmsdk\oauth\utility\ZohoOAuthTokens $zohoOAuthTokens
     */
    public function saveOAuthData($zohoOAuthTokens);

    /**
     * The user's tokens (a ZohoOAuthTokens); throw, or return null, when there are none.
     *
     * @param string $userEmailId
     * @return \zcrmsdk\oauth\utility\ZohoOAuthTokens|null
     */
    public function getOAuthTokens($userEmailId);

    /**
     * Deletes the user's tokens.
     *
     * @param string $userEmailId
     */
    public function deleteOAuthTokens($userEmailId);
}
