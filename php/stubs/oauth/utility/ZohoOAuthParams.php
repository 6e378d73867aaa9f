<?php

/**
 * IDE and static-analysis stub for the zoho_oauth PHP extension. Not loaded at run time; the
 * extension defines the class. Checked against the extension by php/tests/check_stubs.php.
 */

namespace zcrmsdk\oauth\utility;

/**
 * Zoho's SDK's client settings, as ZohoOAuthClient::getInstance($params) takes them and
 * getZohoOAuthParams() returns them. Each setter returns the value. var_dump/print_r show
 * the client secret as "[redacted]". As the SDK's plain class, it can be extended, cloned and
 * serialize()d (the SDK's bytes: its five private properties).
 */
class ZohoOAuthParams
{
    /** Empty parameters (every value null). */
    public function __construct() {}

    /** @return string|null */
    public function getClientId() {}

    /**
     * @param string|null $clientId
     * @return string|null
     */
    public function setClientId($clientId) {}

    /**
     * The client secret (asked for explicitly, so it is returned).
     *
     * @return string|null
     */
    public function getClientSecret() {}

    /**
     * @param string|null $clientSecret
     * @return string|null
     */
    public function setClientSecret(#[\SensitiveParameter] $clientSecret) {}

    /** @return string|null */
    public function getRedirectUrl() {}

    /**
     * @param string|null $redirectUrl
     * @return string|null
     */
    public function setRedirectUrl($redirectUrl) {}

    /**
     * "offline" or "online".
     *
     * @return string|null
     */
    public function getAccessType() {}

    /**
     * @param string|null $accessType
     * @return string|null
     */
    public function setAccessType($accessType) {}

    /** The scopes as set (the SDK stores them and never sends them). */
    public function getScopes() {}

    public function setScopes($scopes) {}

    /** @return array<string, mixed> the SDK's five private properties (this includes the client secret) */
    public function __serialize(): array {}

    /** @param array<string, mixed> $data */
    public function __unserialize(#[\SensitiveParameter] array $data): void {}

    /** The redacted view var_dump and print_r show. */
    public function __debugInfo(): array {}
}
