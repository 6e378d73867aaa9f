--TEST--
Every method of ZohoOAuth, ZohoOAuthClient and ZCRMRestClient
--FILE--
<?php
use zcrmsdk\crm\setup\restclient\ZCRMRestClient;
use zcrmsdk\oauth\ZohoOAuth;
use zcrmsdk\oauth\ZohoOAuthClient;
use zcrmsdk\oauth\exception\ZohoOAuthException;

require __DIR__ . '/../lib/helpers.php';
$url = emulator_start();
emu_client();
$dir = temp_dir();

// Before initialization the getters answer "" as the SDK's do.
check_same('', ZohoOAuth::getConfigValue('client_id'), 'getConfigValue before initialize');
check_same([], ZohoOAuth::getAllConfigs(), 'getAllConfigs before initialize');
check_same(null, ZCRMRestClient::getCurrentUserEmailID(), 'no current user before initialize');

ZohoOAuth::initialize(test_config($dir));
check_same(null, ZCRMRestClient::getCurrentUserEmailID(), 'ZohoOAuth::initialize does not set the current user (ZCRMRestClient does)');
ZCRMRestClient::initialize(test_config($dir));
check_same('ada@example.com', ZCRMRestClient::getCurrentUserEmailID(), 'ZCRMRestClient::initialize sets the current user');
ZCRMRestClient::setCurrentUserEmailId('grace@example.com');
check_same('grace@example.com', ZCRMRestClient::getCurrentUserEmailID(), 'setCurrentUserEmailId / getCurrentUserEmailID');

check_same($url, ZohoOAuth::getIAMUrl(), 'getIAMUrl');
check_same("$url/oauth/v2/auth", ZohoOAuth::getGrantURL(), 'getGrantURL');
check_same("$url/oauth/v2/token", ZohoOAuth::getTokenURL(), 'getTokenURL');
check_same("$url/oauth/v2/token", ZohoOAuth::getRefreshTokenURL(), 'getRefreshTokenURL');
check_same("$url/oauth/v2/token/revoke", ZohoOAuth::getRevokeTokenURL(), 'getRevokeTokenURL');
check_same("$url/oauth/user/info", ZohoOAuth::getUserInfoURL(), 'getUserInfoURL');
check_same(TEST_CLIENT_ID, ZohoOAuth::getClientID(), 'getClientID');
check_same(TEST_CLIENT_SECRET, ZohoOAuth::getClientSecret(), 'getClientSecret (asked for explicitly)');
check_same(TEST_REDIRECT_URI, ZohoOAuth::getRedirectURL(), 'getRedirectURL');
check_same('offline', ZohoOAuth::getAccessType(), 'getAccessType defaults to offline');
check_same($dir, ZohoOAuth::getConfigValue('token_persistence_path'), 'getConfigValue');
check_same('', ZohoOAuth::getConfigValue('no_such_key'), 'getConfigValue of an unknown key is ""');
check_same(['access_type' => 'offline', 'persistence_handler_class' => 'ZohoOAuthPersistenceHandler', 'accounts_url' => $url,
    'client_id' => TEST_CLIENT_ID, 'client_secret' => '[redacted]', 'redirect_uri' => TEST_REDIRECT_URI, 'token_persistence_path' => $dir],
    ZohoOAuth::getAllConfigs(), 'getAllConfigs: the SDK\'s keys and defaults, the secret redacted');
ZohoOAuth::initialize(test_config('', ['token_persistence_path' => '', 'data_centre' => 'eu', 'accounts_url' => '']));
check_same('https://accounts.zoho.eu', ZohoOAuth::getIAMUrl(), 'data_centre picks the accounts server');
check_same(['3306', 'root', '', 'zohooauth', 'localhost'], array_map(fn($k) => ZohoOAuth::getAllConfigs()[$k],
    ['db_port', 'db_username', 'db_password', 'db_name', 'host_address']), 'without a path, the SDK\'s MySQL defaults are listed');
ZohoOAuth::initialize(test_config('', ['token_persistence_path' => '', 'db_name' => 'mine', 'db_port' => '3307']));
check_same(['zohooauth', '3307'], [ZohoOAuth::getConfigValue('db_name'), ZohoOAuth::getConfigValue('db_port')],
    'db_name is never taken from the configuration (the SDK ignores it): without a path it is the default zohooauth');
ZohoOAuth::initialize(test_config($dir, ['db_name' => 'mine']));
check_same('', ZohoOAuth::getConfigValue('db_name'), '... and with a path it is "" (no MySQL defaults), as in the SDK');
check(!array_key_exists('db_name', ZohoOAuth::getAllConfigs()), '... and not listed by getAllConfigs()');

ZCRMRestClient::initialize(test_config($dir));
$client = ZohoOAuth::getClientInstance();
check($client instanceof ZohoOAuthClient, 'getClientInstance returns a ZohoOAuthClient');
check_throws(fn() => new ZohoOAuthClient(), Error::class, '/private/', null, 'ZohoOAuthClient cannot be created with new (the SDK\'s constructor is private)');

$tokens = $client->generateAccessToken(emu_grant());
check_same('ada@example.com', $client->getUserEmailIdFromIAM($tokens->getAccessToken()), 'getUserEmailIdFromIAM');
$refreshed = $client->refreshAccessToken($tokens->getRefreshToken(), 'ada@example.com');
check($refreshed->getAccessToken() !== $tokens->getAccessToken() && $refreshed->getRefreshToken() === $tokens->getRefreshToken(), 'refreshAccessToken returns new tokens with the same refresh token');
check_same($refreshed->getAccessToken(), $client->getAccessToken('ada@example.com'), 'refreshAccessToken saved them');
$fromRefresh = $client->generateAccessTokenFromRefreshToken($tokens->getRefreshToken(), 'second@example.com');
check_same('second@example.com', $fromRefresh->getUserEmailId(), 'generateAccessTokenFromRefreshToken saves under any identifier');
$named = $client->generateAccessTokenFromRefreshToken(refreshToken: $tokens->getRefreshToken(), userEmailId: 'x@example.com');
check_same('x@example.com', $named->getUserEmailId(), 'named arguments use the SDK\'s names (refreshToken:, userEmailId:)');

$auth = $client->getAuthorizationUrl(['ZohoCRM.modules.ALL', 'AaaServer.profile.READ'], 'xyz', true);
check_same("$url/oauth/v2/auth?scope=ZohoCRM.modules.ALL%2CAaaServer.profile.READ&client_id=" . TEST_CLIENT_ID
    . '&response_type=code&access_type=offline&redirect_uri=https%3A%2F%2Fexample.com%2Fcb&prompt=consent&state=xyz', $auth, 'getAuthorizationUrl');
check(str_contains($client->getAuthorizationUrl('ZohoCRM.modules.ALL', null, false, 'online'), 'access_type=online'), 'getAuthorizationUrl with a comma string and access type');
check_throws(fn() => $client->getAuthorizationUrl([]), ZohoOAuthException::class, null, 100, 'getAuthorizationUrl needs a scope');

check_same(true, $client->deleteTokens('second@example.com'), 'deleteTokens returns true when there were tokens');
check_same(false, $client->deleteTokens('second@example.com'), '... and false when there were none');

$jsonDir = temp_dir('json');
ZCRMRestClient::initialize(test_config($jsonDir, ['token_store_format' => 'json']));
ZohoOAuth::getClientInstance()->generateAccessTokenFromRefreshToken($tokens->getRefreshToken(), 'json@example.com');
$json = json_decode((string) @file_get_contents("$jsonDir/zoho_oauth_tokens.json"), true);
check(is_array($json) && !is_file("$jsonDir/zcrm_oauthtokens.txt"), 'token_store_format=json keeps tokens in zoho_oauth_tokens.json');
ZCRMRestClient::initialize(test_config($dir));

check_same(true, $client->revokeRefreshToken('ada@example.com'), 'revokeRefreshToken');
check_same(1, emu_counters()['revoke'], '... revoked at the accounts server');
check_throws(fn() => $client->getAccessToken('ada@example.com'), ZohoOAuthException::class, null, 400, '... and deleted the stored tokens');
check_throws(fn() => $client->generateAccessTokenFromRefreshToken($tokens->getRefreshToken(), 'ada@example.com'), ZohoOAuthException::class,
    '/invalid_code/', 300, '... so the refresh token no longer works');

--EXPECTF--
ok - getConfigValue before initialize
ok - getAllConfigs before initialize
ok - no current user before initialize
ok - ZohoOAuth::initialize does not set the current user (ZCRMRestClient does)
ok - ZCRMRestClient::initialize sets the current user
ok - setCurrentUserEmailId / getCurrentUserEmailID
ok - getIAMUrl
ok - getGrantURL
ok - getTokenURL
ok - getRefreshTokenURL
ok - getRevokeTokenURL
ok - getUserInfoURL
ok - getClientID
ok - getClientSecret (asked for explicitly)
ok - getRedirectURL
ok - getAccessType defaults to offline
ok - getConfigValue
ok - getConfigValue of an unknown key is ""
ok - getAllConfigs: the SDK's keys and defaults, the secret redacted
ok - data_centre picks the accounts server
ok - without a path, the SDK's MySQL defaults are listed
ok - db_name is never taken from the configuration (the SDK ignores it): without a path it is the default zohooauth
ok - ... and with a path it is "" (no MySQL defaults), as in the SDK
ok - ... and not listed by getAllConfigs()
ok - getClientInstance returns a ZohoOAuthClient
ok - ZohoOAuthClient cannot be created with new (the SDK's constructor is private)
ok - getUserEmailIdFromIAM
ok - refreshAccessToken returns new tokens with the same refresh token
ok - refreshAccessToken saved them
ok - generateAccessTokenFromRefreshToken saves under any identifier
ok - named arguments use the SDK's names (refreshToken:, userEmailId:)
ok - getAuthorizationUrl
ok - getAuthorizationUrl with a comma string and access type
ok - getAuthorizationUrl needs a scope
ok - deleteTokens returns true when there were tokens
ok - ... and false when there were none
ok - token_store_format=json keeps tokens in zoho_oauth_tokens.json
ok - revokeRefreshToken
ok - ... revoked at the accounts server
ok - ... and deleted the stored tokens
ok - ... so the refresh token no longer works
