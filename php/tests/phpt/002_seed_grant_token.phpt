--TEST--
Seed 000 "Generating Access token from Grant token", verbatim, against the emulator
--FILE--
<?php
use zcrmsdk\crm\setup\restclient\ZCRMRestClient;
use zcrmsdk\oauth\ZohoOAuth;

require __DIR__ . '/../lib/helpers.php';
$url = emulator_start();
emu_client();
$dir = temp_dir();
$code = emu_grant('ada@example.com');

// ---- the seed's snippet (values filled in; accounts_url and token_persistence_path added) ----
$configuration =array("client_id"=>TEST_CLIENT_ID,"client_secret"=>TEST_CLIENT_SECRET,"redirect_uri"=>TEST_REDIRECT_URI,"currentUserEmail"=>"ada@example.com","accounts_url"=>$url,"token_persistence_path"=>$dir);
ZCRMRestClient::initialize($configuration);
$oAuthClient = ZohoOAuth::getClientInstance();
$grantToken = $code;
$oAuthTokens = $oAuthClient->generateAccessToken($grantToken);
// ---- end of the seed's snippet ----

check($oAuthTokens instanceof zcrmsdk\oauth\utility\ZohoOAuthTokens, 'generateAccessToken returns ZohoOAuthTokens');
check_same('ada@example.com', $oAuthTokens->getUserEmailId(), 'the user comes from /oauth/user/info');
check(str_starts_with($oAuthTokens->getAccessToken(), '1000.'), 'the access token is Zoho-shaped');
check(str_starts_with((string) $oAuthTokens->getRefreshToken(), '1000.'), 'a refresh token was issued');
$left = $oAuthTokens->getExpiryTime() - microtime(true) * 1000;
check(is_float($oAuthTokens->getExpiryTime()) && $left > 3590000 && $left <= 3600000, 'the expiry is in milliseconds, one hour ahead');
check($oAuthTokens->isValidAccessToken(), 'the access token is valid');

$counters = emu_counters();
check_same(1, $counters['token.authorization_code'], 'one code exchange at the accounts server');
check_same(1, $counters['user_info'], 'one user lookup');

$file = "$dir/zcrm_oauthtokens.txt";
check(is_file($file), 'the tokens were persisted in zcrm_oauthtokens.txt');
check_same(0600, fileperms($file) & 0777, 'the token file is private (0600)');
$stored = unserialize(file_get_contents($file));
check(is_array($stored) && count($stored) === 1 && $stored[0] instanceof zcrmsdk\oauth\utility\ZohoOAuthTokens, 'the file is the SDK format: a serialized list of ZohoOAuthTokens');
check_same($oAuthTokens->getAccessToken(), $stored[0]->getAccessToken(), 'the stored access token is the returned one');

// The SDK's later calls: the app's next start, then the token for API calls.
ZCRMRestClient::initialize($configuration);
check_same($oAuthTokens->getAccessToken(), ZohoOAuth::getClientInstance()->getAccessToken('ada@example.com'), 'getAccessToken returns the persisted token');
check_same(0, emu_counters()['token.refresh_token'], 'no refresh for a fresh token');

// "valid only once per grant token"
check_throws(fn() => $oAuthClient->generateAccessToken($grantToken), 'zcrmsdk\oauth\exception\ZohoOAuthException',
    '/^Exception while fetching access token from grant token - invalid_code/', 300, 'the grant token is single-use');
--EXPECT--
ok - generateAccessToken returns ZohoOAuthTokens
ok - the user comes from /oauth/user/info
ok - the access token is Zoho-shaped
ok - a refresh token was issued
ok - the expiry is in milliseconds, one hour ahead
ok - the access token is valid
ok - one code exchange at the accounts server
ok - one user lookup
ok - the tokens were persisted in zcrm_oauthtokens.txt
ok - the token file is private (0600)
ok - the file is the SDK format: a serialized list of ZohoOAuthTokens
ok - the stored access token is the returned one
ok - getAccessToken returns the persisted token
ok - no refresh for a fresh token
ok - the grant token is single-use
