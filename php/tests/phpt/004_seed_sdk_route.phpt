--TEST--
Seed 001 "Using ZOHO SDK in php": its function.php flow, verbatim, with no warning or deprecation (after the one documented step: zoho_oauth.token_base_dir)
--INI--
zoho_oauth.token_base_dir={TMP}/zoho-oauth-phpt-004
--FILE--
<?php
namespace zcrmsdk\oauth;

use zcrmsdk\oauth\exception\ZohoOAuthException;
use zcrmsdk\oauth\utility\OAuthLogger;
use zcrmsdk\oauth\utility\ZohoOAuthConstants;
use zcrmsdk\oauth\utility\ZohoOAuthHTTPConnector;
use zcrmsdk\oauth\utility\ZohoOAuthTokens;
use zcrmsdk\crm\setup\restclient\ZCRMRestClient;

require __DIR__ . '/../lib/helpers.php';
$url = emulator_start();
\emu_client();
$dir = \temp_dir();
$refresh = '1000.7777cccc7777cccc7777cccc7777cccc.6666dddd6666dddd6666dddd6666dddd';
\emu_refresh_token($refresh, 'jigna.vision14@example.com');
$problems = [];
set_error_handler(function ($no, $message) use (&$problems) { $problems[] = $message; return true; });
$_GET["code"] = "1000.code-from-the-redirect";

// The documented step: php.ini's zoho_oauth.token_base_dir, where the seed's relative
// token_persistence_path lands, never the working directory (the document root).
$base = ini_get('zoho_oauth.token_base_dir');
\remove_tree($base);
mkdir($base, 0700);
$GLOBALS['__dirs'][] = $base;
chdir($dir);
// ---- config.php (values filled in; accounts_url added below) ----
$configs = array (
  'userIdentifier'	   => 'jigna.vision14@example.com',
  'refreshToken'   	   => $refresh,
  'client_id'		   => TEST_CLIENT_ID,
  'client_secret'    	   => TEST_CLIENT_SECRET,
  'redirect_uri'	   => TEST_REDIRECT_URI,
  'token_persistence_path' => 'zcrm_oauthtokens.txt',
  'scope'		   => 'ZohoCRM.modules.ALL',
  'refresh_code'	   => $refresh,
);
// ---- function.php ----
$client_id     = $configs['client_id'];
$client_secret = $configs['client_secret'];
$redirect_uri  = $configs['redirect_uri'];
$identifier    = $configs['userIdentifier'];
$scope 	       = $configs['scope'];
$token_persistence_path = $configs['token_persistence_path'];
$refresh_code  = $configs['refresh_code'];

if ($_GET["code"]) {
  $access_token = generate_access_token( $refresh_code, $identifier );
} else {
  getAuthorizationCode();
}

/* get access code */
function generate_access_token( $refresh_code, $identifier ) {
  
  Global $client_id, $client_secret, $redirect_uri, $identifier, $token_persistence_path;
  
  $configuration = array(
              "client_id"              => $client_id,
              "client_secret"          => $client_secret,
              "redirect_uri"           => $redirect_uri,
              "currentUserEmail"       => $identifier,
              "token_persistence_path" => $token_persistence_path,
              "accounts_url"           => $GLOBALS['__emu'],
           );
  ZCRMRestClient::initialize($configuration);
  $oAuthClient = ZohoOAuth::getClientInstance(); 
  $refreshToken = $refresh_code; 
  $userIdentifier = $identifier; 
  $oAuthTokens = $oAuthClient->generateAccessTokenFromRefreshToken($refreshToken,$userIdentifier);
    $d = json_decode($oAuthTokens);
} 
// ---- end ----
restore_error_handler();

\check_same([], $problems, 'no warning, notice or deprecation');
$seen = json_decode(ZohoOAuth::getClientInstance()->generateAccessTokenFromRefreshToken($refresh, $identifier));
\check(is_object($seen) && $seen->userEmailId === 'jigna.vision14@example.com', 'json_decode($oAuthTokens) gives the user');
\check($seen->accessToken === '[redacted]', '... and no token');
\check_same(2, \emu_counters()['token.refresh_token'], 'two refreshes (the flow\'s and the check\'s)');
$stored = unserialize(file_get_contents("$base/zcrm_oauthtokens.txt"));
\check_same('jigna.vision14@example.com', $stored[0]->getUserEmailId(), 'the tokens are persisted in zoho_oauth.token_base_dir');
\check(!file_exists("$dir/zcrm_oauthtokens.txt"), 'nothing in the working directory');
--EXPECT--
ok - no warning, notice or deprecation
ok - json_decode($oAuthTokens) gives the user
ok - ... and no token
ok - two refreshes (the flow's and the check's)
ok - the tokens are persisted in zoho_oauth.token_base_dir
ok - nothing in the working directory
