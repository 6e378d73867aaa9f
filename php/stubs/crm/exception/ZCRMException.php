<?php

/**
 * IDE and static-analysis stub for the zoho_oauth PHP extension. Not loaded at run time; the
 * extension defines the class. Checked against the extension by php/tests/check_stubs.php.
 */

namespace zcrmsdk\crm\exception;

/**
 * Zoho's full SDK's CRM-side exception, defined by the extension (unless
 * zoho_oauth.define_crm_exception=0) because the SDK's own file is a compile-time fatal error
 * on PHP 8.1+. Thrown by the SDK's CRM classes for every API error; can be extended.
 */
class ZCRMException extends \Exception
{
    private $exceptionCode = 'Unknown';
    private $exceptionDetails = null;

    /**
     * The SDK's constructor: a falsy $message throws a new instance of the same class with
     * the message "Unknown <class>". Also takes \Exception's $previous.
     *
     * @param \Throwable|null $previous
     */
    public function __construct($message = null, $code = 0, $previous = null) {}

    /** "<class> Caused by:'<message>' in <file>(<line>)", a newline, the trace. */
    public function __toString(): string {}

    /** Zoho's error code (e.g. INVALID_TOKEN), "Unknown" by default. */
    public function getExceptionCode() {}

    public function setExceptionCode($exceptionCode) {}

    /** Zoho's error details, array() by default. */
    public function getExceptionDetails() {}

    public function setExceptionDetails($exceptionDetails) {}
}
