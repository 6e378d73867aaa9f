--TEST--
Seed 000 "Generating Access token from Refresh token" and "App Startup", verbatim, then getAccessToken
--FILE--
<?php
use zcrmsdk\crm\setup\restclient\ZCRMRestClient;
use zcrmsdk\oauth\ZohoOAuth;

require __DIR__ . '/../lib/helpers.php';
$url = emulator_start();
emu_client();
$dir = temp_dir();
$known = '1000.9999aaaa9999aaaa9999aaaa9999aaaa.8888bbbb8888bbbb8888bbbb8888bbbb';
emu_refresh_token($known, 'grace@example.com');

// ---- the seed's snippet ----
$configuration =array("client_id"=>TEST_CLIENT_ID,"client_secret"=>TEST_CLIENT_SECRET,"redirect_uri"=>TEST_REDIRECT_URI,"currentUserEmail"=>"grace@example.com","accounts_url"=>$url,"token_persistence_path"=>$dir);
ZCRMRestClient::initialize($configuration);
$oAuthClient = ZohoOAuth::getClientInstance(); 
$refreshToken = $known; 
$userIdentifier = "grace@example.com"; 
$oAuthClient->generateAccessTokenFromRefreshToken($refreshToken,$userIdentifier);
// ---- end ----

check_same(1, emu_counters()['token.refresh_token'], 'one refresh at the accounts server');
check_same(0, emu_counters()['user_info'], 'no user lookup: the caller names the user');
$stored = unserialize(file_get_contents("$dir/zcrm_oauthtokens.txt"));
check_same('grace@example.com', $stored[0]->getUserEmailId(), 'the tokens are persisted under the given identifier');
check_same($known, $stored[0]->getRefreshToken(), 'the given refresh token is persisted with them');

// The README's form: the tokens are returned (the SDK returned null).
$oAuthTokens = $oAuthClient->generateAccessTokenFromRefreshToken($refreshToken, $userIdentifier);
check($oAuthTokens instanceof zcrmsdk\oauth\utility\ZohoOAuthTokens && $oAuthTokens->isValidAccessToken(), 'generateAccessTokenFromRefreshToken returns the tokens');

// ---- "App Startup": the line invoked every time the app starts ----
$configuration =array("client_id"=>TEST_CLIENT_ID,"client_secret"=>TEST_CLIENT_SECRET,"redirect_uri"=>TEST_REDIRECT_URI,"currentUserEmail"=>"grace@example.com","accounts_url"=>$url,"token_persistence_path"=>$dir);
ZCRMRestClient::initialize($configuration);
// ---- end ----
check_same('grace@example.com', ZCRMRestClient::getCurrentUserEmailID(), 'the current user comes from currentUserEmail');
$token = ZohoOAuth::getClientInstance()->getAccessToken(ZCRMRestClient::getCurrentUserEmailID());
check_same($oAuthTokens->getAccessToken(), $token, 'API calls get the persisted access token');
check_same(2, emu_counters()['token.refresh_token'], 'and no further request');
--EXPECT--
ok - one refresh at the accounts server
ok - no user lookup: the caller names the user
ok - the tokens are persisted under the given identifier
ok - the given refresh token is persisted with them
ok - generateAccessTokenFromRefreshToken returns the tokens
ok - the current user comes from currentUserEmail
ok - API calls get the persisted access token
ok - and no further request
