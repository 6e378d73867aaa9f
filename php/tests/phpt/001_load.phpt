--TEST--
The extension loads, names itself, shows its and the core's version in phpinfo(), and defines the SDK's classes
--FILE--
<?php
require __DIR__ . '/../lib/helpers.php';

check(extension_loaded('zoho_oauth'), 'extension_loaded("zoho_oauth")');
check(preg_match('/^\d+\.\d+\.\d+/', (string) phpversion('zoho_oauth')) === 1, 'phpversion("zoho_oauth") is a version');

ob_start();
phpinfo(INFO_MODULES);
$info = ob_get_clean();
check(str_contains($info, 'zoho_oauth support => enabled'), 'phpinfo() shows the extension');
check(str_contains($info, 'extension version => ' . phpversion('zoho_oauth')), 'phpinfo() shows the extension version');
check(preg_match('/zoho-oauth core version => \d+\.\d+\.\d+/', $info) === 1, 'phpinfo() shows the core version');
check(str_contains($info, 'zoho_oauth.define_rest_client => 1'), 'phpinfo() shows the ini setting');

foreach ([
    'zcrmsdk\crm\setup\restclient\ZCRMRestClient',
    'zcrmsdk\oauth\ZohoOAuth',
    'zcrmsdk\oauth\ZohoOAuthClient',
    'zcrmsdk\oauth\utility\ZohoOAuthTokens',
    'zcrmsdk\oauth\exception\ZohoOAuthException',
] as $class) {
    check(class_exists($class, false) && (new ReflectionClass($class))->isInternal(), "$class is defined by the extension");
}
$iface = 'zcrmsdk\oauth\persistence\ZohoOAuthPersistenceInterface';
check(interface_exists($iface, false), "$iface is defined");
$methods = array_map(fn($m) => $m->getName(), (new ReflectionClass($iface))->getMethods());
check_same(['saveOAuthData', 'getOAuthTokens', 'deleteOAuthTokens'], $methods, 'the interface has the SDK\'s three methods');
foreach ((new ReflectionClass($iface))->getMethods() as $m) {
    check(!$m->hasReturnType(), "{$m->getName()} declares no return type (SDK handlers implement it unchanged)");
}

$ex = new ReflectionClass('zcrmsdk\oauth\exception\ZohoOAuthException');
check($ex->getParentClass()->getName() === 'Exception', 'ZohoOAuthException extends \Exception');
check($ex->isInstantiable() && !$ex->isFinal(), 'ZohoOAuthException can be created and extended');
check((new ReflectionClass('zcrmsdk\oauth\utility\ZohoOAuthTokens'))->implementsInterface('JsonSerializable'), 'ZohoOAuthTokens implements JsonSerializable');
--EXPECT--
ok - extension_loaded("zoho_oauth")
ok - phpversion("zoho_oauth") is a version
ok - phpinfo() shows the extension
ok - phpinfo() shows the extension version
ok - phpinfo() shows the core version
ok - phpinfo() shows the ini setting
ok - zcrmsdk\crm\setup\restclient\ZCRMRestClient is defined by the extension
ok - zcrmsdk\oauth\ZohoOAuth is defined by the extension
ok - zcrmsdk\oauth\ZohoOAuthClient is defined by the extension
ok - zcrmsdk\oauth\utility\ZohoOAuthTokens is defined by the extension
ok - zcrmsdk\oauth\exception\ZohoOAuthException is defined by the extension
ok - zcrmsdk\oauth\persistence\ZohoOAuthPersistenceInterface is defined
ok - the interface has the SDK's three methods
ok - saveOAuthData declares no return type (SDK handlers implement it unchanged)
ok - getOAuthTokens declares no return type (SDK handlers implement it unchanged)
ok - deleteOAuthTokens declares no return type (SDK handlers implement it unchanged)
ok - ZohoOAuthException extends \Exception
ok - ZohoOAuthException can be created and extended
ok - ZohoOAuthTokens implements JsonSerializable
