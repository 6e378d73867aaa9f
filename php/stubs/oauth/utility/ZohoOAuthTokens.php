<?php

/**
 * IDE and static-analysis stub for the zoho_oauth PHP extension. Not loaded at run time; the
 * extension defines the class. Checked against the extension by php/tests/check_stubs.php.
 */

namespace zcrmsdk\oauth\utility;

use zcrmsdk\oauth\exception\ZohoOAuthException;

/**
 * Access and refresh tokens of one user, with the access token's expiry in milliseconds
 * since the epoch (a float, as the SDK keeps it).
 *
 * var_dump(), print_r(), var_export(), json_encode() and string conversion never show a
 * token. serialize() is the storage format: it writes exactly the SDK's bytes.
 *
 * The class can be extended (class MyTokens extends ZohoOAuthTokens): objects are of the
 * subclass, with its own methods and properties, and a persistence handler may return them.
 * The tokens themselves stay in the parent: the extension reads them directly, not through
 * overridden getters, and serialize() writes only the SDK's four fields unless the subclass
 * overrides __serialize()/__unserialize() (calling the parent's).
 */
class ZohoOAuthTokens implements \JsonSerializable
{
    /** An empty tokens object. */
    public function __construct() {}

    /**
     * The refresh token, or null (online access).
     *
     * @return string|null
     */
    public function getRefreshToken() {}

    /**
     * @param string|null $refreshToken
     * @return void
     */
    public function setRefreshToken(#[\SensitiveParameter] $refreshToken) {}

    /**
     * The access token while more than one second of it is left.
     *
     * @throws ZohoOAuthException "Access token got expired!"
     * @return string|null
     */
    public function getAccessToken() {}

    /**
     * @param string|null $accessToken
     * @return void
     */
    public function setAccessToken(#[\SensitiveParameter] $accessToken) {}

    /**
     * Expiry in milliseconds since the epoch.
     *
     * @return float|null
     */
    public function getExpiryTime() {}

    /**
     * Sets the expiry (a float, an integer or a numeric string of milliseconds) and returns it.
     *
     * @param float|int|string|null $expiryTime
     * @throws \TypeError for anything else
     * @return float|null
     */
    public function setExpiryTime($expiryTime) {}

    /**
     * True while more than one second of the access token is left.
     *
     * @return bool
     */
    public function isValidAccessToken() {}

    /**
     * Now, in milliseconds since the epoch.
     *
     * @return float
     */
    public function getCurrentTimeInMillis() {}

    /**
     * The identifier the tokens are stored under (the user's e-mail).
     *
     * @return string|null
     */
    public function getUserEmailId() {}

    /**
     * @param string|null $userEmailId
     * @return void
     */
    public function setUserEmailId($userEmailId) {}

    /** The API domain Zoho returned with the tokens (e.g. https://www.zohoapis.eu), if known. */
    public function getApiDomain(): ?string {}

    /** The scopes Zoho granted, space-separated, if known. */
    public function getScope(): ?string {}

    /** @return array<string, mixed> the user, expiry and "[redacted]" for the tokens */
    public function __debugInfo(): array {}

    /** @return array<string, mixed> the same redacted view */
    public function jsonSerialize(): array {}

    /** The redacted view as JSON. */
    public function __toString(): string {}

    /** @return array<string, mixed> the SDK's four private properties (this includes the tokens) */
    public function __serialize(): array {}

    /** @param array<string, mixed> $data */
    public function __unserialize(#[\SensitiveParameter] array $data): void {}
}
