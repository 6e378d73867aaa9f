<?php

/**
 * IDE and static-analysis stub for the zoho_oauth PHP extension. Not loaded at run time; the
 * extension defines the class. Checked against the extension by php/tests/check_stubs.php.
 */

namespace zcrmsdk\oauth;

use zcrmsdk\oauth\exception\ZohoOAuthException;
use zcrmsdk\oauth\utility\ZohoOAuthParams;
use zcrmsdk\oauth\utility\ZohoOAuthTokens;

/**
 * Zoho's SDK's OAuth client, from ZohoOAuth::getClientInstance(). Work is done by a Rust
 * client kept for the life of the PHP process (its token cache survives requests in a
 * PHP-FPM worker); the token file is shared safely by all processes.
 */
class ZohoOAuthClient
{
    /** Use ZohoOAuth::getClientInstance(). */
    private function __construct() {}

    /**
     * The SDK's getInstance($params): a client with these parameters' client id, secret,
     * redirect URL and access type (null ones: the configuration's), which
     * ZohoOAuth::getClientInstance() returns for the rest of the request (until the next
     * initialize()).
     *
     * @throws ZohoOAuthException "client_id is mandatory" and the like, when a value is missing
     * @param ZohoOAuthParams $params
     * @return ZohoOAuthClient
     */
    public static function getInstance($params) {}

    /**
     * The request's client, or null before initialize() / getInstance().
     *
     * @return ZohoOAuthClient|null
     */
    public static function getInstanceWithOutParam() {}

    /**
     * This client's parameters (a new object; scopes null).
     *
     * @return ZohoOAuthParams
     */
    public function getZohoOAuthParams() {}

    /**
     * Gives this client the parameters' settings (null ones keep theirs); when it is the
     * request's client, ZohoOAuth::getClientInstance() gets them too.
     *
     * @throws ZohoOAuthException when a value is empty or invalid (the client is left as it was)
     * @param ZohoOAuthParams $zohoOAuthParams
     * @return void
     */
    public function setZohoOAuthParams($zohoOAuthParams) {}

    /**
     * The SDK's processResponse(): the raw response (headers, a blank line, the body) split at
     * the first blank line, the body decoded as json_decode($body, true). Null without a blank
     * line or JSON.
     */
    public function processResponse($apiResponse) {}

    /**
     * Exchanges a (single-use) grant token for tokens, finds the user's e-mail through
     * /oauth/user/info (needs the AaaServer.profile.READ scope), saves the tokens under it
     * and returns them.
     *
     * @throws ZohoOAuthException "Grant Token is not provided.", Zoho's errors
     * @param string|null $grantToken
     * @return ZohoOAuthTokens
     */
    public function generateAccessToken(#[\SensitiveParameter] $grantToken) {}

    /**
     * Gets an access token from a refresh token and saves the tokens under $userEmailId.
     * Returns the tokens (Zoho's SDK returned null).
     *
     * @throws ZohoOAuthException "Refresh token is not provided.", Zoho's errors
     * @param string|null $refreshToken
     * @param string|null $userEmailId
     * @return ZohoOAuthTokens
     */
    public function generateAccessTokenFromRefreshToken(#[\SensitiveParameter] $refreshToken, $userEmailId) {}

    /**
     * Refreshes with this refresh token, saves the tokens under $userEmailId, returns them.
     *
     * @throws ZohoOAuthException "Refresh token is not provided.", Zoho's errors
     * @param string|null $refreshToken
     * @param string|null $userEmailId
     * @return ZohoOAuthTokens
     */
    public function refreshAccessToken(#[\SensitiveParameter] $refreshToken, $userEmailId) {}

    /**
     * A valid access token for the user (for "Authorization: Zoho-oauthtoken <token>"):
     * from memory while it is fresh, refreshed once for all processes when it is not.
     *
     * @throws ZohoOAuthException "No Tokens exist for the given user-identifier,Please generate and try again.", ...
     * @param string|null $userEmailId
     * @return string
     */
    public function getAccessToken($userEmailId) {}

    /**
     * The e-mail of the user behind an access token.
     *
     * @throws ZohoOAuthException "Exception while fetching UserID from access token, Make sure AAAserver.profile.Read scope is included ..."
     * @param string|null $accessToken
     * @return string
     */
    public function getUserEmailIdFromIAM(#[\SensitiveParameter] $accessToken) {}

    /**
     * Revokes the user's refresh token at Zoho (and the access tokens minted from it), then
     * deletes the stored tokens.
     *
     * @throws ZohoOAuthException
     */
    public function revokeRefreshToken(?string $userEmailId = null): bool {}

    /**
     * Deletes the user's stored tokens without calling Zoho (nothing is revoked).
     *
     * @return bool with token_persistence_path (the token file): true when the user had tokens,
     *   false when there were none. With a custom persistence handler: true unless its
     *   deleteOAuthTokens() returns false (exactly false); SDK handlers return nothing, so this
     *   is true even when the user had no tokens.
     * @throws ZohoOAuthException for an empty identifier or a store error; an exception thrown by
     *   a custom handler's deleteOAuthTokens() reaches the caller unchanged
     */
    public function deleteTokens(?string $userEmailId = null): bool {}

    /**
     * Takes Zoho's redirect back from the consent page and does what generateAccessToken()
     * does with its code. The zoho-oauth core checks the redirect first: the state must be
     * the one given to getAuthorizationUrl() (compared in constant time), Zoho must not have
     * sent an error (access_denied when consent was refused), the code must be there, and an
     * accounts-server must be one of Zoho's (or the configured loopback emulator). The code
     * is then exchanged at that accounts server (the user's data centre), the user found
     * through /oauth/user/info, the tokens saved under the user's e-mail and returned.
     *
     * @param array<string, string>|string $query the callback's URL, its query string (with or
     *   without "?") or the decoded array ($_GET)
     * @param string|null $state the state given to getAuthorizationUrl()
     * @throws ZohoOAuthException code 100 (invalid_argument) for a wrong or missing state, a
     *   missing code or an accounts server that is not Zoho's (nothing is exchanged); code 305
     *   (access_denied, getZohoErrorCode() "access_denied") when Zoho sent that error; then
     *   generateAccessToken()'s errors
     */
    public function generateAccessTokenFromRedirect(#[\SensitiveParameter] mixed $query, ?string $state = null): ZohoOAuthTokens {}

    /**
     * The URL to send a person to for consent (/oauth/v2/auth).
     *
     * @param array<string>|string $scopes scopes, or one comma-separated string
     * @param string|null $accessType "offline" or "online"; default: the configured access_type
     * @throws ZohoOAuthException with no scope
     */
    public function getAuthorizationUrl(mixed $scopes, ?string $state = null, bool $promptConsent = false, ?string $accessType = null): string {}
}
