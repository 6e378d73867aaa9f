--TEST--
The default ini (define_rest_client=1) with Zoho's full SDK installed: the SDK's ZCRMRestClient methods fail with a message naming the ini setting, and the SDK's CRM classes called directly get their configuration
--FILE--
<?php
require __DIR__ . '/../lib/helpers.php';
require __DIR__ . '/../lib/sdk_standin.php';
$ca = sdk_standin_trust_test_ca();                // the rest runs in a PHP whose curl.cainfo is a test CA
$url = emulator_start();
emu_client();
$dir = temp_dir();
$sdk = sdk_standin_write($dir);
$crm = crm_server_start($dir, $url, $ca);

use zcrmsdk\crm\crud\ZCRMModule;
use zcrmsdk\crm\exception\ZCRMException;
use zcrmsdk\crm\setup\restclient\ZCRMRestClient;
use zcrmsdk\crm\utility\ZCRMConfigUtil;
use zcrmsdk\oauth\ZohoOAuth;
use zcrmsdk\oauth\exception\ZohoOAuthException;

// Before the SDK's autoloader exists, initialize() works as always and looks for nothing more.
ZCRMRestClient::initialize(test_config($dir));
check(!class_exists(ZCRMConfigUtil::class, false), 'without the SDK, initialize() loads nothing of it');

sdk_standin_autoload($sdk);
check((new ReflectionClass(ZCRMRestClient::class))->isInternal(), 'with the default ini, ZCRMRestClient is the extension\'s');
$message = '/^Call to undefined method zcrmsdk\\\\crm\\\\setup\\\\restclient\\\\ZCRMRestClient::getInstance\(\): the zoho_oauth extension defines ZCRMRestClient itself, .* set zoho_oauth\.define_rest_client=0 in php\.ini/';
$e = check_throws(fn() => ZCRMRestClient::getInstance(), Error::class, $message, 0,
    'ZCRMRestClient::getInstance() (the SDK\'s) fails with an Error that names zoho_oauth.define_rest_client=0');
check($e !== null && !($e instanceof Exception), '... an \Error, like PHP\'s own "Call to undefined method"');
check_throws(fn() => ZCRMRestClient::getOrganizationInstance(), Error::class, '/getOrganizationInstance\(\): .*zoho_oauth\.define_rest_client=0/', 0,
    '... and so does every other static method of the SDK\'s class');
check_same('ada@example.com', ZCRMRestClient::getCurrentUserEmailID(), 'the extension\'s own methods still work');

// initialize() also initializes the SDK's ZCRMConfigUtil, so CRM classes called directly work.
ZCRMRestClient::initialize(test_config($dir, ['apiBaseUrl' => $crm, 'apiVersion' => 'v2']));
check_same(1, ZCRMConfigUtil::$initializeCalls, 'initialize() calls the SDK\'s ZCRMConfigUtil::initialize once');
check_same([$crm, 'v2'], [ZCRMConfigUtil::getAPIBaseUrl(), ZCRMConfigUtil::getAPIVersion()], '... which now knows the API base URL and version');
$tokens = ZohoOAuth::getClientInstance()->generateAccessToken(emu_grant('ada@example.com'));
check_same('Lovelace', ZCRMModule::getInstance('Leads')->getRecords()->getData()[0]?->getFieldValue('Last_Name'),
    'a CRM class called directly (ZCRMModule::getInstance(\'Leads\')->getRecords()) makes its request to the configured CRM (not https:///crm//...)');
check_same(['/crm/v2/Leads'], array_column(crm_requests($dir), 'target'), '... https://<apiBaseUrl>/crm/v2/Leads');
check_same('ada@example.com', ZCRMRestClient::getCurrentUserEmailID(), '... and the current user is set once, by both');
check_throws(fn() => ZCRMModule::getInstance('NoSuchModule')->getRecords(), ZCRMException::class, 'the module name given seems to be invalid', 400,
    'its API errors are catchable ZCRMExceptions (the extension\'s class, on by default)');

// An exception thrown inside the SDK's initialize reaches the caller unchanged.
ZCRMConfigUtil::$failWith = new DomainException('from the SDK');
$e = check_throws(fn() => ZCRMRestClient::initialize(test_config($dir)), DomainException::class, 'from the SDK', null,
    'an exception from the SDK\'s ZCRMConfigUtil::initialize reaches the caller');
check($e === ZCRMConfigUtil::$failWith, '... the same object');
ZCRMConfigUtil::$failWith = null;
check_throws(fn() => ZCRMRestClient::initialize(['client_id' => '1000.X']), ZohoOAuthException::class, 'client_secret is mandatory', 101,
    'a bad configuration is refused by the extension first');
check_same(2, ZCRMConfigUtil::$initializeCalls, '... without calling the SDK');

// A (patched) SDK whose ZCRMConfigUtil::initialize calls ZCRMRestClient::initialize back.
ZCRMConfigUtil::$reenter = true;
ZCRMRestClient::initialize(test_config($dir, ['apiBaseUrl' => $crm]));
ZCRMConfigUtil::$reenter = false;
check_same(3, ZCRMConfigUtil::$initializeCalls, 'an SDK calling ZCRMRestClient::initialize back is not called again (no endless recursion)');
--EXPECT--
ok - without the SDK, initialize() loads nothing of it
ok - with the default ini, ZCRMRestClient is the extension's
ok - ZCRMRestClient::getInstance() (the SDK's) fails with an Error that names zoho_oauth.define_rest_client=0
ok - ... an \Error, like PHP's own "Call to undefined method"
ok - ... and so does every other static method of the SDK's class
ok - the extension's own methods still work
ok - initialize() calls the SDK's ZCRMConfigUtil::initialize once
ok - ... which now knows the API base URL and version
ok - a CRM class called directly (ZCRMModule::getInstance('Leads')->getRecords()) makes its request to the configured CRM (not https:///crm//...)
ok - ... https://<apiBaseUrl>/crm/v2/Leads
ok - ... and the current user is set once, by both
ok - its API errors are catchable ZCRMExceptions (the extension's class, on by default)
ok - an exception from the SDK's ZCRMConfigUtil::initialize reaches the caller
ok - ... the same object
ok - a bad configuration is refused by the extension first
ok - ... without calling the SDK
ok - an SDK calling ZCRMRestClient::initialize back is not called again (no endless recursion)
