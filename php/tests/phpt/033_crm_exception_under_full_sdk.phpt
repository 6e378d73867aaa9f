--TEST--
Under Zoho's full SDK on PHP 8.2: the SDK's CRM errors (a 404, a 401 INVALID_TOKEN, no current user) are catchable ZCRMExceptions with the SDK's messages and codes, not the SDK's compile-time fatal error
--INI--
zoho_oauth.define_rest_client=0
--FILE--
<?php
require __DIR__ . '/../lib/helpers.php';
require __DIR__ . '/../lib/sdk_standin.php';
$url = emulator_start();
emu_client();
$dir = temp_dir();
$sdk = sdk_standin_write($dir);

// The SDK's own ZCRMException file really is fatal on this PHP (the defect being fixed).
$out = shell_exec(escapeshellarg(PHP_BINARY) . ' -n -r ' . escapeshellarg('require ' . var_export("$sdk/crm/exception/ZCRMException.php", true) . '; echo "loaded";') . ' 2>&1');
check(str_contains((string) $out, 'Type of zcrmsdk\crm\exception\ZCRMException::$file must be string (as in class Exception)') && !str_contains((string) $out, 'loaded'),
    'without the extension, the SDK\'s ZCRMException is a compile-time fatal error on PHP ' . PHP_MAJOR_VERSION . '.' . PHP_MINOR_VERSION);

ob_start();
phpinfo(INFO_MODULES);
check(str_contains(ob_get_clean(), 'zoho_oauth.define_crm_exception => 1'), 'phpinfo() shows zoho_oauth.define_crm_exception');
sdk_standin_autoload($sdk);
use zcrmsdk\crm\exception\APIExceptionHandler;
use zcrmsdk\crm\exception\ZCRMException;
use zcrmsdk\crm\setup\restclient\ZCRMRestClient;
use zcrmsdk\oauth\ZohoOAuth;
use zcrmsdk\oauth\utility\ZohoOAuthTokens;

$crm = crm_server_start($dir, $url);
ZCRMRestClient::initialize(test_config($dir, ['apiBaseUrl' => $crm]));
check(!(new ReflectionClass(ZCRMRestClient::class))->isInternal(), 'ZCRMRestClient is the SDK\'s class (define_rest_client=0)');
check((new ReflectionClass(ZCRMException::class))->isInternal(), 'ZCRMException is the extension\'s: the SDK\'s file never loads');
$tokens = ZohoOAuth::getClientInstance()->generateAccessToken(emu_grant('ada@example.com'));
$client = ZCRMRestClient::getInstance();
check_same('ada@example.com', $client->getAllUsers()[0]['email'], 'a CRM call with the token from the extension succeeds');

// A 404: the SDK's APIResponse throws new ZCRMException($json['message'], 404) with code and details.
$e = check_throws(fn() => $client->getModuleRecords('NoSuchModule'), ZCRMException::class,
    'Please check if the URL trying to access is a correct one', 404, 'a 404 is a catchable ZCRMException with Zoho\'s message and the HTTP status as code');
check_same(['INVALID_URL_PATTERN', []], [$e?->getExceptionCode(), $e?->getExceptionDetails()], '... getExceptionCode() and getExceptionDetails() as the SDK set them');
check($e instanceof Exception, '... and it is an \Exception');
check_same("$sdk/crm/api/response/APIResponse.php", $e?->getFile(), '... thrown where the SDK threw it');
check(str_starts_with((string) $e, "zcrmsdk\\crm\\exception\\ZCRMException Caused by:'Please check if the URL trying to access is a correct one' in $sdk/crm/api/response/APIResponse.php(")
    && str_contains((string) $e, ")\n#0 "), '... and its string form is the SDK\'s: "<class> Caused by:\'<message>\' in <file>(<line>)" and the trace');
APIExceptionHandler::logException($e);
check_same(1, count(APIExceptionHandler::$logged), 'APIExceptionHandler::logException(ZCRMException $e) accepts it (the type hint matches)');

// A 401 INVALID_TOKEN: the stored access token is not one Zoho issued.
$bogus = new ZohoOAuthTokens();
$bogus->setUserEmailId('ada@example.com');
$bogus->setAccessToken('1000.not.a.real.token');
$bogus->setRefreshToken($tokens->getRefreshToken());
$bogus->setExpiryTime($bogus->getCurrentTimeInMillis() + 3600000);
ZohoOAuth::getPersistenceHandlerInstance()->saveOAuthData($bogus);
$e = check_throws(fn() => $client->getAllUsers(), ZCRMException::class, 'invalid oauth token', 401, 'a 401 INVALID_TOKEN is a catchable ZCRMException');
check_same('INVALID_TOKEN', $e?->getExceptionCode(), '... with the exception code INVALID_TOKEN');

// No current user: ZCRMConfigUtil throws before any request.
ZCRMRestClient::setCurrentUserEmailId(null);
ZCRMRestClient::initialize(test_config($dir, ['apiBaseUrl' => $crm, 'currentUserEmail' => '']));
$e = check_throws(fn() => $client->getAllUsers(), ZCRMException::class, 'current user should either be set in ZCRMRestClient or in configuration map', 0,
    '"current user should either be set ..." is a catchable ZCRMException');
check_same(['Unknown', []], [$e?->getExceptionCode(), $e?->getExceptionDetails()], '... with the SDK\'s defaults: exception code "Unknown", details array()');

// The SDK's constructor rule, and subclasses.
check_throws(fn() => new ZCRMException(''), ZCRMException::class, 'Unknown zcrmsdk\crm\exception\ZCRMException', 0, 'a falsy message throws "Unknown <class>", as the SDK\'s');
class ZCRMBulkException extends ZCRMException
{
    public $extra = 'mine';
    public function getExceptionCode() { return 'BULK:' . parent::getExceptionCode(); }
}
$e = check_throws(function () { $x = new ZCRMBulkException('bulk failed', 400); $x->setExceptionCode('LIMIT'); throw $x; }, ZCRMException::class, 'bulk failed', 400,
    'a subclass is thrown and caught as ZCRMException');
check_same(['BULK:LIMIT', 'mine', 'ZCRMBulkException'], [$e?->getExceptionCode(), $e?->extra, get_class($e)], '... with its own methods and properties over the parent\'s');
check_throws(fn() => new ZCRMBulkException(null), ZCRMBulkException::class, 'Unknown ZCRMBulkException', 0, '... and "Unknown <subclass>" for a falsy message');
$e = new ZCRMException('details', 500);
$e->setExceptionDetails(['field' => 'Last_Name', 'nested' => ['a' => 1]]);
$e->setExceptionCode(null);
check_same([['field' => 'Last_Name', 'nested' => ['a' => 1]], null], [$e->getExceptionDetails(), $e->getExceptionCode()], 'setExceptionDetails/setExceptionCode keep any value');
$rc = new ReflectionClass(ZCRMException::class);
check($rc->getProperty('exceptionCode')->isPrivate() && $rc->getProperty('exceptionDetails')->isPrivate(), 'exceptionCode/exceptionDetails are private, as in the SDK');
--EXPECT--
ok - without the extension, the SDK's ZCRMException is a compile-time fatal error on PHP 8.2
ok - phpinfo() shows zoho_oauth.define_crm_exception
ok - ZCRMRestClient is the SDK's class (define_rest_client=0)
ok - ZCRMException is the extension's: the SDK's file never loads
ok - a CRM call with the token from the extension succeeds
ok - a 404 is a catchable ZCRMException with Zoho's message and the HTTP status as code
ok - ... getExceptionCode() and getExceptionDetails() as the SDK set them
ok - ... and it is an \Exception
ok - ... thrown where the SDK threw it
ok - ... and its string form is the SDK's: "<class> Caused by:'<message>' in <file>(<line>)" and the trace
ok - APIExceptionHandler::logException(ZCRMException $e) accepts it (the type hint matches)
ok - a 401 INVALID_TOKEN is a catchable ZCRMException
ok - ... with the exception code INVALID_TOKEN
ok - "current user should either be set ..." is a catchable ZCRMException
ok - ... with the SDK's defaults: exception code "Unknown", details array()
ok - a falsy message throws "Unknown <class>", as the SDK's
ok - a subclass is thrown and caught as ZCRMException
ok - ... with its own methods and properties over the parent's
ok - ... and "Unknown <subclass>" for a falsy message
ok - setExceptionDetails/setExceptionCode keep any value
ok - exceptionCode/exceptionDetails are private, as in the SDK
