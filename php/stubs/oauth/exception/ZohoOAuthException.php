<?php

/**
 * IDE and static-analysis stub for the zoho_oauth PHP extension. Not loaded at run time; the
 * extension defines the class. Checked against the extension by php/tests/check_stubs.php.
 */

namespace zcrmsdk\oauth\exception;

use zcrmsdk\oauth\utility\ZohoOAuthTokens;

/**
 * Every error of the extension. Create and extend it as any exception.
 *
 * getMessage(): the SDK's exact message where the SDK has one; otherwise the SDK's prefix,
 * Zoho's error code and a hint. Never a secret or a raw HTTP response.
 * getCode(): a stable number: 1xx your input, 2xx the network, 3xx Zoho refused, 4xx the
 * token store, 5xx internal.
 */
class ZohoOAuthException extends \Exception
{
    /** @var string|null Zoho's error code (invalid_code, invalid_client, Access Denied, ...) */
    protected $zohoErrorCode = null;

    /** @var string|null what to do about it */
    protected $hint = null;

    /** @var string|null the kind: invalid_code, no_tokens, store_io, ... */
    protected $errorKind = null;

    /** @var ZohoOAuthTokens|null tokens Zoho issued that could not be saved */
    protected $unsavedTokens = null;

    /**
     * As in Zoho's SDK: with a falsy $message (null, "", "0", ...) the constructor throws a new
     * instance of the same class with the message "Unknown <class>" (e.g.
     * "Unknown zcrmsdk\oauth\exception\ZohoOAuthException") and code 0. Otherwise it is
     * \Exception's constructor ($message may be anything with a string form, such as another
     * exception, as the SDK passes it). $previous is \Exception's; the SDK has no third parameter.
     *
     * @param mixed $message
     * @param mixed $code an int
     * @param \Throwable|null $previous
     */
    public function __construct($message = null, $code = 0, $previous = null) {}

    /**
     * As in Zoho's SDK: "<class> Caused by:'<message>' in <file>(<line>)", a newline, then
     * getTraceAsString(). Previous exceptions are not shown.
     */
    public function __toString(): string {}

    /** Zoho's error code, when the accounts server sent one. */
    public function getZohoErrorCode(): ?string {}

    /** A hint a person can act on, when there is one. */
    public function getHint(): ?string {}

    /** The error's kind (snake_case; null for exceptions created by PHP code). */
    public function getErrorKind(): ?string {}

    /**
     * Tokens Zoho issued that could not be saved (e.g. the user lookup failed after a grant
     * exchange): keep the refresh token, the grant token cannot be used again.
     */
    public function getUnsavedTokens(): ?ZohoOAuthTokens {}
}
