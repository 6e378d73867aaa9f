--TEST--
ZohoOAuthTokens::getApiDomain() and getScope() carry the api_domain and scope of Zoho's token reply (grant exchange and refresh), also to a custom persistence handler
--FILE--
<?php
use zcrmsdk\crm\setup\restclient\ZCRMRestClient;
use zcrmsdk\oauth\ZohoOAuth;
use zcrmsdk\oauth\utility\ZohoOAuthTokens;

require __DIR__ . '/../lib/helpers.php';
$url = emulator_start();
emu_client();
$scopes = 'ZohoCRM.modules.ALL AaaServer.profile.READ';   // the reply lists the granted scopes, space-separated

$empty = new ZohoOAuthTokens();
check_same([null, null], [$empty->getApiDomain(), $empty->getScope()], 'a new tokens object has no API domain and no scope');

ZCRMRestClient::initialize(test_config(temp_dir()));
$client = ZohoOAuth::getClientInstance();
$tokens = $client->generateAccessToken(emu_grant());
check_same($url, $tokens->getApiDomain(), 'after a grant exchange, getApiDomain() is the reply\'s api_domain (the emulator\'s data centre URL)');
check_same($scopes, $tokens->getScope(), '... and getScope() the reply\'s scope');

emu_settings(['api_domain_override' => 'https://www.zohoapis.eu']);
$refreshed = $client->generateAccessTokenFromRefreshToken($tokens->getRefreshToken(), 'ada@example.com');
check_same(['https://www.zohoapis.eu', $scopes], [$refreshed->getApiDomain(), $refreshed->getScope()], 'generateAccessTokenFromRefreshToken: the refresh reply\'s api_domain and scope');
$again = $client->refreshAccessToken($tokens->getRefreshToken(), 'ada@example.com');
check_same(['https://www.zohoapis.eu', $scopes], [$again->getApiDomain(), $again->getScope()], 'refreshAccessToken: the same');
check_same('https://www.zohoapis.eu', $again->__debugInfo()['apiDomain'], 'var_dump() shows the API domain');

// Zoho's pre-2019 reply has no scope.
emu_settings(['legacy_expiry' => true, 'api_domain_override' => 'https://www.zohoapis.in']);
$legacy = $client->generateAccessToken(emu_grant());
check_same(['https://www.zohoapis.in', null], [$legacy->getApiDomain(), $legacy->getScope()], 'a reply without scope gives getScope() null');
emu_settings(['legacy_expiry' => false]);

// A custom persistence handler receives them too.
class DomainStore implements zcrmsdk\oauth\persistence\ZohoOAuthPersistenceInterface
{
    public static array $seen = [];
    public function saveOAuthData($zohoOAuthTokens) { self::$seen[] = [$zohoOAuthTokens->getApiDomain(), $zohoOAuthTokens->getScope()]; }
    public function getOAuthTokens($userEmailId) { return null; }
    public function deleteOAuthTokens($userEmailId) {}
}
emu_settings(['api_domain_override' => 'https://www.zohoapis.com.au']);
ZCRMRestClient::initialize(test_config('', ['token_persistence_path' => '', 'persistence_handler_class_name' => 'DomainStore']));
ZohoOAuth::getClientInstance()->generateAccessToken(emu_grant());
check_same([['https://www.zohoapis.com.au', $scopes]], DomainStore::$seen, 'saveOAuthData() gets tokens with the API domain and scope');
--EXPECT--
ok - a new tokens object has no API domain and no scope
ok - after a grant exchange, getApiDomain() is the reply's api_domain (the emulator's data centre URL)
ok - ... and getScope() the reply's scope
ok - generateAccessTokenFromRefreshToken: the refresh reply's api_domain and scope
ok - refreshAccessToken: the same
ok - var_dump() shows the API domain
ok - a reply without scope gives getScope() null
ok - saveOAuthData() gets tokens with the API domain and scope
