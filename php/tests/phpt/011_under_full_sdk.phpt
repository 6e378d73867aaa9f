--TEST--
Under Zoho's full SDK: zoho_oauth.define_rest_client=0 leaves ZCRMRestClient to the SDK, whose CRM code uses our OAuth classes
--INI--
zoho_oauth.define_rest_client=0
--FILE--
<?php
require __DIR__ . '/../lib/helpers.php';
$url = emulator_start();
emu_client();
$dir = temp_dir();

check(!class_exists('zcrmsdk\crm\setup\restclient\ZCRMRestClient', false), 'the extension does not define ZCRMRestClient');
check(class_exists('zcrmsdk\oauth\ZohoOAuth', false), '... but defines the OAuth classes');
ob_start();
phpinfo(INFO_MODULES);
check(str_contains(ob_get_clean(), 'zoho_oauth.define_rest_client => 0'), 'phpinfo() shows the setting');

// A stand-in for the SDK's vendor tree (PSR-4 zcrmsdk\ => src/), with the SDK's call path:
// ZCRMRestClient::initialize -> ZCRMConfigUtil::initialize -> ZohoOAuth::initialize, and for
// every API call ZCRMConfigUtil::getAccessToken -> ZohoOAuth::getClientInstance()->getAccessToken.
$sdk = "$dir/vendor/zohocrm/php-sdk-archive/src";
@mkdir("$sdk/crm/setup/restclient", 0777, true);
@mkdir("$sdk/crm/utility", 0777, true);
@mkdir("$sdk/oauth/utility", 0777, true);
file_put_contents("$sdk/crm/setup/restclient/ZCRMRestClient.php", '<?php
namespace zcrmsdk\crm\setup\restclient;
use zcrmsdk\crm\utility\ZCRMConfigUtil;
class ZCRMRestClient
{
    private function __construct() {}
    private static $CurrentUserEmailID;
    public static function getInstance() { return new ZCRMRestClient(); }
    public static function setCurrentUserEmailId($UserEmailId) { self::$CurrentUserEmailID = $UserEmailId; }
    public static function initialize($configuration) { ZCRMConfigUtil::initialize($configuration); }
    public static function getCurrentUserEmailID() { return self::$CurrentUserEmailID; }
    public function getModuleInstance($moduleAPIName) { return "module $moduleAPIName"; }
}');
file_put_contents("$sdk/crm/utility/ZCRMConfigUtil.php", '<?php
namespace zcrmsdk\crm\utility;
use zcrmsdk\crm\setup\restclient\ZCRMRestClient;
use zcrmsdk\oauth\ZohoOAuth;
use zcrmsdk\oauth\exception\ZohoOAuthException;
class ZCRMConfigUtil
{
    private static $configProperties = array();
    public static function initialize($configuration)
    {
        foreach (array("client_id", "client_secret", "redirect_uri") as $key) {
            if (!array_key_exists($key, $configuration)) { throw new ZohoOAuthException($key . " is mandatory"); }
            else if ($configuration[$key] == "") { throw new ZohoOAuthException($key . " value is missing"); }
        }
        if (array_key_exists("currentUserEmail", $configuration) && $configuration["currentUserEmail"] != "") {
            ZCRMRestClient::setCurrentUserEmailId($configuration["currentUserEmail"]);
        }
        self::$configProperties = $configuration;
        ZohoOAuth::initialize($configuration);
    }
    public static function getAccessToken()
    {
        $currentUserEmail = ZCRMRestClient::getCurrentUserEmailID();
        $oAuthCliIns = ZohoOAuth::getClientInstance();
        return $oAuthCliIns->getAccessToken($currentUserEmail);
    }
}');
// The SDK's own OAuth classes are in the tree too, and must never load.
file_put_contents("$sdk/oauth/ZohoOAuth.php", '<?php throw new Error("the SDK\'s ZohoOAuth was loaded");');
file_put_contents("$sdk/oauth/utility/ZohoOAuthTokens.php", '<?php throw new Error("the SDK\'s ZohoOAuthTokens was loaded");');
spl_autoload_register(function ($class) use ($sdk) {
    if (str_starts_with($class, 'zcrmsdk\\')) {
        $file = $sdk . '/' . str_replace('\\', '/', substr($class, 8)) . '.php';
        if (is_file($file)) { require $file; }
    }
});

use zcrmsdk\crm\setup\restclient\ZCRMRestClient;
use zcrmsdk\crm\utility\ZCRMConfigUtil;
use zcrmsdk\oauth\ZohoOAuth;

$configuration = test_config($dir);
ZCRMRestClient::initialize($configuration);
check((new ReflectionClass(ZCRMRestClient::class))->getFileName() === "$sdk/crm/setup/restclient/ZCRMRestClient.php", 'ZCRMRestClient is the SDK\'s class');
check_same('module Leads', ZCRMRestClient::getInstance()->getModuleInstance('Leads'), '... with its CRM methods');
$tokens = ZohoOAuth::getClientInstance()->generateAccessToken(emu_grant());
check_same($tokens->getAccessToken(), ZCRMConfigUtil::getAccessToken(), 'the SDK\'s API-call path gets the token from the extension');
$e = check_throws(fn() => ZCRMRestClient::initialize(['client_id' => '']), zcrmsdk\oauth\exception\ZohoOAuthException::class, 'client_id value is missing', 0,
    'the SDK\'s own "throw new ZohoOAuthException" works (it is fatal in the SDK on PHP 8.1+)');
check(!(new ReflectionClass(ZohoOAuth::class))->isUserDefined(), 'the OAuth classes stay the extension\'s');
--EXPECT--
ok - the extension does not define ZCRMRestClient
ok - ... but defines the OAuth classes
ok - phpinfo() shows the setting
ok - ZCRMRestClient is the SDK's class
ok - ... with its CRM methods
ok - the SDK's API-call path gets the token from the extension
ok - the SDK's own "throw new ZohoOAuthException" works (it is fatal in the SDK on PHP 8.1+)
ok - the OAuth classes stay the extension's
