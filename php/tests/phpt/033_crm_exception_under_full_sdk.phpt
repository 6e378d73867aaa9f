--TEST--
Under Zoho's full SDK on PHP 8.1+: its CRM path (getModuleInstance()->getRecords(), getAllUsers(), curl over HTTPS with a test CA in curl.cainfo) works with the extension's token, and its CRM errors (400 INVALID_MODULE, 204, 401 INVALID_TOKEN, no current user) are catchable ZCRMExceptions with the SDK's messages and codes, not the SDK's compile-time fatal error
--INI--
zoho_oauth.define_rest_client=0
--FILE--
<?php
require __DIR__ . '/../lib/helpers.php';
require __DIR__ . '/../lib/sdk_standin.php';
$ca = sdk_standin_trust_test_ca();                // the rest runs in a PHP whose curl.cainfo is a test CA
$url = emulator_start();
emu_client();
$dir = temp_dir();
$sdk = sdk_standin_write($dir);

// The SDK's own ZCRMException file really is fatal on this PHP (the defect being fixed).
$out = shell_exec(escapeshellarg(PHP_BINARY) . ' -n -r ' . escapeshellarg('require ' . var_export("$sdk/crm/exception/ZCRMException.php", true) . '; echo "loaded";') . ' 2>&1');
check(str_contains((string) $out, 'Type of zcrmsdk\crm\exception\ZCRMException::$file must be string (as in class Exception)') && !str_contains((string) $out, 'loaded'),
    'without the extension, the SDK\'s ZCRMException is a compile-time fatal error on this PHP (8.1+)');

ob_start();
phpinfo(INFO_MODULES);
check(str_contains(ob_get_clean(), 'zoho_oauth.define_crm_exception => 1'), 'phpinfo() shows zoho_oauth.define_crm_exception');
sdk_standin_autoload($sdk);
use zcrmsdk\crm\exception\APIExceptionHandler;
use zcrmsdk\crm\exception\ZCRMException;
use zcrmsdk\crm\setup\restclient\ZCRMRestClient;
use zcrmsdk\crm\utility\ZohoHTTPConnector;
use zcrmsdk\oauth\ZohoOAuth;
use zcrmsdk\oauth\utility\ZohoOAuthTokens;

$crm = crm_server_start($dir, $url, $ca);
ZCRMRestClient::initialize(test_config($dir, ['apiBaseUrl' => $crm]));
check(!(new ReflectionClass(ZCRMRestClient::class))->isInternal(), 'ZCRMRestClient is the SDK\'s class (define_rest_client=0)');
check((new ReflectionClass(ZCRMException::class))->isInternal(), 'ZCRMException is the extension\'s: the SDK\'s file never loads');
$tokens = ZohoOAuth::getClientInstance()->generateAccessToken(emu_grant('ada@example.com'));
$client = ZCRMRestClient::getInstance();

// The SDK's CRM path: HTTPS through curl, which trusts the test CA only through curl.cainfo.
$plain = curl_init("https://$crm/crm/v2/users");
curl_setopt_array($plain, [CURLOPT_RETURNTRANSFER => true, CURLOPT_CAINFO => '/etc/ssl/certs/ca-certificates.crt', CURLOPT_TIMEOUT => 10]);
check(curl_exec($plain) === false && str_contains(curl_error($plain), 'certificate'), 'the CRM server speaks TLS with a certificate only the test CA vouches for (curl refuses it without the CA)');
$leads = $client->getModuleInstance('Leads')->getRecords();
check_same(['4150868000000224005', 'Lovelace', 'Hopper'], [$leads->getData()[0]?->getEntityId(), $leads->getData()[0]?->getFieldValue('Last_Name'),
    $leads->getData()[1]?->getFieldValue('Last_Name')], 'getModuleInstance(\'Leads\')->getRecords() with the token from the extension: the records, over HTTPS');
if (ZohoHTTPConnector::$lastError !== '') {
    echo 'curl: ', ZohoHTTPConnector::$lastError, "\n";
}
check_same([200, 2], [$leads->getHttpStatusCode(), $leads->getInfo()['count'] ?? null], '... a BulkAPIResponse with the status and the info');
$users = $client->getOrganizationInstance()->getAllUsers()->getData();
check_same('ada@example.com', $users[0]?->getEmail(), 'getOrganizationInstance()->getAllUsers(): the token\'s user');
$wire = crm_requests($dir);
check_same(['/crm/v2/Leads', '/crm/v2/users?type=AllUsers'], array_column($wire, 'target'), 'the SDK asked https://<apiBaseUrl>/crm/v2/Leads, then users?type=AllUsers');
check_same(['Zoho-oauthtoken ' . $tokens->getAccessToken(), 'ZohoCRM PHP SDK', 'application/json'],
    [$wire[0]['headers']['authorization'] ?? null, $wire[0]['headers']['user-agent'] ?? null, $wire[0]['headers']['content-type'] ?? null],
    '... with the extension\'s access token, through curl as the SDK sends it (its user agent, its headers)');

// A 400: the SDK's BulkAPIResponse throws new ZCRMException($json['message'], 400) with code and details.
$e = check_throws(fn() => $client->getModuleInstance('NoSuchModule')->getRecords(), ZCRMException::class,
    'the module name given seems to be invalid', 400, 'an unknown module (400) is a catchable ZCRMException with Zoho\'s message and the HTTP status as code');
check_same(['INVALID_MODULE', ['resource_path_index' => 0]], [$e?->getExceptionCode(), $e?->getExceptionDetails()], '... getExceptionCode() and getExceptionDetails() as the SDK set them');
check($e instanceof Exception, '... and it is an \Exception');
check_same("$sdk/crm/api/response/BulkAPIResponse.php", $e?->getFile(), '... thrown where the SDK threw it');
check(str_starts_with((string) $e, "zcrmsdk\\crm\\exception\\ZCRMException Caused by:'the module name given seems to be invalid' in $sdk/crm/api/response/BulkAPIResponse.php(")
    && str_contains((string) $e, ")\n#0 "), '... and its string form is the SDK\'s: "<class> Caused by:\'<message>\' in <file>(<line>)" and the trace');
check_same(1, count(APIExceptionHandler::$logged), 'the SDK\'s handler passed it to APIExceptionHandler::logException(ZCRMException $e) (the type hint matches)');
$e = check_throws(fn() => $client->getModuleInstance('Contacts')->getRecords(), ZCRMException::class, 'No Content', 204, 'an empty module (204) is the SDK\'s "No Content" ZCRMException');
check_same('NO CONTENT', $e?->getExceptionCode(), '... with the exception code NO CONTENT');

// A 401 INVALID_TOKEN: the stored access token is not one Zoho issued.
$bogus = new ZohoOAuthTokens();
$bogus->setUserEmailId('ada@example.com');
$bogus->setAccessToken('1000.not.a.real.token');
$bogus->setRefreshToken($tokens->getRefreshToken());
$bogus->setExpiryTime($bogus->getCurrentTimeInMillis() + 3600000);
ZohoOAuth::getPersistenceHandlerInstance()->saveOAuthData($bogus);
$e = check_throws(fn() => $client->getModuleInstance('Leads')->getRecords(), ZCRMException::class, 'invalid oauth token', 401, 'a 401 INVALID_TOKEN is a catchable ZCRMException');
check_same('INVALID_TOKEN', $e?->getExceptionCode(), '... with the exception code INVALID_TOKEN');

// No current user: ZCRMConfigUtil throws before any request.
ZCRMRestClient::setCurrentUserEmailId(null);
ZCRMRestClient::initialize(test_config($dir, ['apiBaseUrl' => $crm, 'currentUserEmail' => '']));
$before = count(crm_requests($dir));
$e = check_throws(fn() => $client->getOrganizationInstance()->getAllUsers(), ZCRMException::class, 'current user should either be set in ZCRMRestClient or in configuration map', 0,
    '"current user should either be set ..." is a catchable ZCRMException');
check_same(['Unknown', [], $before], [$e?->getExceptionCode(), $e?->getExceptionDetails(), count(crm_requests($dir))], '... with the SDK\'s defaults: exception code "Unknown", details array(); no request made');

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
ok - without the extension, the SDK's ZCRMException is a compile-time fatal error on this PHP (8.1+)
ok - phpinfo() shows zoho_oauth.define_crm_exception
ok - ZCRMRestClient is the SDK's class (define_rest_client=0)
ok - ZCRMException is the extension's: the SDK's file never loads
ok - the CRM server speaks TLS with a certificate only the test CA vouches for (curl refuses it without the CA)
ok - getModuleInstance('Leads')->getRecords() with the token from the extension: the records, over HTTPS
ok - ... a BulkAPIResponse with the status and the info
ok - getOrganizationInstance()->getAllUsers(): the token's user
ok - the SDK asked https://<apiBaseUrl>/crm/v2/Leads, then users?type=AllUsers
ok - ... with the extension's access token, through curl as the SDK sends it (its user agent, its headers)
ok - an unknown module (400) is a catchable ZCRMException with Zoho's message and the HTTP status as code
ok - ... getExceptionCode() and getExceptionDetails() as the SDK set them
ok - ... and it is an \Exception
ok - ... thrown where the SDK threw it
ok - ... and its string form is the SDK's: "<class> Caused by:'<message>' in <file>(<line>)" and the trace
ok - the SDK's handler passed it to APIExceptionHandler::logException(ZCRMException $e) (the type hint matches)
ok - an empty module (204) is the SDK's "No Content" ZCRMException
ok - ... with the exception code NO CONTENT
ok - a 401 INVALID_TOKEN is a catchable ZCRMException
ok - ... with the exception code INVALID_TOKEN
ok - "current user should either be set ..." is a catchable ZCRMException
ok - ... with the SDK's defaults: exception code "Unknown", details array(); no request made
ok - a falsy message throws "Unknown <class>", as the SDK's
ok - a subclass is thrown and caught as ZCRMException
ok - ... with its own methods and properties over the parent's
ok - ... and "Unknown <subclass>" for a falsy message
ok - setExceptionDetails/setExceptionCode keep any value
ok - exceptionCode/exceptionDetails are private, as in the SDK
