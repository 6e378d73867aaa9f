<?php

declare(strict_types=1);

namespace ZohoOAuth\Bridge;

use com\zoho\crm\api\exception\SDKException;
use zcrmsdk\oauth\exception\ZohoOAuthException;

/**
 * The bridge's errors, as the SDK's code expects them: an SDKException (the SDK's Initializer
 * rethrows those unchanged, and wraps anything else with an empty getMessage()), with the
 * message in getMessage() and getErrorMessage(), an SDK-style error code in getErrorCode()
 * (`TOKEN_STORE`, or the extension's error kind in capitals: `INVALID_CODE`, `NO_TOKENS`,
 * ...), the extension's stable number in getCode() (see the extension's error table), and
 * the extension's exception, when there is one, in getCause() and getPrevious().
 */
class TokenException extends SDKException
{
    public function __construct(string $errorCode, string $message, int $code = 0, ?\Exception $cause = null)
    {
        parent::__construct($errorCode, $message, null, $cause);
        $this->code = $code;
    }

    /** The SDK-style exception for an error of the extension. */
    public static function from(ZohoOAuthException $e): self
    {
        $kind = (string) ($e->getErrorKind() ?? 'oauth_error');
        return new self(strtoupper($kind), $e->getMessage(), (int) $e->getCode(), $e);
    }
}
