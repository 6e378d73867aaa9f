<?php

/**
 * IDE and static-analysis stub for the zoho_oauth PHP extension. Not loaded at run time; the
 * extension defines the class. Checked against the extension by php/tests/check_stubs.php.
 */

namespace zcrmsdk\oauth\utility;

/**
 * Zoho's SDK's client settings, as ZohoOAuthClient::getInstance($params) takes them and
 * getZohoOAuthParams() returns them. Each setter returns the value. var_dump/print_r show
 * the client secret as "[redacted]".
 */
class ZohoOAuthParams
{
    /** Empty parameters (every value null). */
    public function __construct() {}

    public function getClientId(): ?string {}

    public function setClientId(?string $clientId = null): ?string {}

    /** The client secret (asked for explicitly, so it is returned). */
    public function getClientSecret(): ?string {}

    public function setClientSecret(#[\SensitiveParameter] ?string $clientSecret = null): ?string {}

    public function getRedirectUrl(): ?string {}

    public function setRedirectUrl(?string $redirectUrl = null): ?string {}

    /** "offline" or "online". */
    public function getAccessType(): ?string {}

    public function setAccessType(?string $accessType = null): ?string {}

    /** The scopes as set (the SDK stores them and never sends them). */
    public function getScopes(): mixed {}

    public function setScopes(mixed $scopes): mixed {}

    /** The redacted view var_dump and print_r show. */
    public function __debugInfo(): array {}
}
