<?php
/*
 * The seed's PHP flow (Zoho's documentation, "Initialization"), step by step, against the
 * bundled accounts emulator:  php -d extension=... php/demo/seed_flow.php <emulator URL>
 * Run by scripts/demo.sh. Secrets are shown only as short prefixes.
 */
declare(strict_types=1);

use zcrmsdk\crm\setup\restclient\ZCRMRestClient;
use zcrmsdk\oauth\ZohoOAuth;
use zcrmsdk\oauth\exception\ZohoOAuthException;

$emulator = rtrim($argv[1] ?? '', '/');
if ($emulator === '' || !extension_loaded('zoho_oauth')) {
    fwrite(STDERR, "usage: php -d extension=libzoho_oauth_php.so seed_flow.php <emulator URL>\n");
    exit(2);
}
$step = 0;
function step(string $title): void
{
    global $step;
    printf("\n[%d] %s\n", ++$step, $title);
}
function show(string $label, string $value): void
{
    printf("    %-28s %s\n", $label, $value);
}
function prefix(?string $secret): string
{
    return $secret === null ? 'null' : substr($secret, 0, 9) . '…';
}
function admin(string $url, string $path, ?array $body = null): array
{
    $context = stream_context_create(['http' => ['method' => $body === null ? 'GET' : 'POST', 'ignore_errors' => true,
        'header' => "Content-Type: application/json\r\n", 'content' => $body === null ? '' : json_encode($body)]]);
    return json_decode((string) file_get_contents($url . $path, false, $context), true) ?? [];
}

$clientId = '1000.DEMOCLIENT';
$clientSecret = 'demo-client-secret-0123456789';
$redirect = 'https://example.com/oauth/callback';
$dir = sys_get_temp_dir() . '/zoho-oauth-demo-' . getmypid();
mkdir($dir, 0700);

printf("zoho_oauth %s (core %s) on PHP %s; accounts server: the emulator at %s\n",
    phpversion('zoho_oauth'), (function () { ob_start(); phpinfo(INFO_MODULES);
        return preg_match('/zoho-oauth core version => (\S+)/', ob_get_clean(), $m) ? $m[1] : '?'; })(), PHP_VERSION, $emulator);

step('Register a client (Zoho API console) and make a self-client grant token (Developer Console → Self Client)');
admin($emulator, '/_emulator/clients', ['client_id' => $clientId, 'client_secret' => $clientSecret, 'redirect_uris' => [$redirect], 'data_centres' => ['us']]);
$grantToken = admin($emulator, '/_emulator/grant', ['client_id' => $clientId, 'user' => 'ada@example.com',
    'scope' => 'ZohoCRM.modules.ALL,AaaServer.profile.READ', 'access_type' => 'offline'])['code'];
show('client_id', $clientId);
show('grant token', prefix($grantToken) . ' (single use, valid 2 minutes)');

step('ZCRMRestClient::initialize($configuration);   // the seed\'s configuration + accounts_url + token path');
$configuration = array("client_id" => $clientId, "client_secret" => $clientSecret, "redirect_uri" => $redirect,
    "currentUserEmail" => "ada@example.com", "accounts_url" => $emulator, "token_persistence_path" => $dir,
    "applicationLogFilePath" => $dir);
ZCRMRestClient::initialize($configuration);
foreach (ZohoOAuth::getAllConfigs() as $key => $value) {
    show($key, $value);
}

step('$oAuthClient = ZohoOAuth::getClientInstance();');
$oAuthClient = ZohoOAuth::getClientInstance();
show('class', get_class($oAuthClient));

step('$oAuthTokens = $oAuthClient->generateAccessToken($grantToken);   // grant → tokens → /oauth/user/info → saved');
$oAuthTokens = $oAuthClient->generateAccessToken($grantToken);
show('user (from Zoho)', (string) $oAuthTokens->getUserEmailId());
show('access token', prefix($oAuthTokens->getAccessToken()));
show('refresh token', prefix($oAuthTokens->getRefreshToken()));
show('expires (ms since epoch)', sprintf('%.0f (in %d s)', $oAuthTokens->getExpiryTime(), ($oAuthTokens->getExpiryTime() - microtime(true) * 1000) / 1000));
show('saved to', "$dir/zcrm_oauthtokens.txt (" . decoct(fileperms("$dir/zcrm_oauthtokens.txt") & 0777) . ', the SDK\'s format)');
show('json_encode / var_dump show', json_encode($oAuthTokens));

step('App startup, then every CRM call: $oAuthClient->getAccessToken("ada@example.com")');
ZCRMRestClient::initialize($configuration);
$start = hrtime(true);
for ($i = 0; $i < 1000; $i++) {
    $token = ZohoOAuth::getClientInstance()->getAccessToken(ZCRMRestClient::getCurrentUserEmailID());
}
show('access token', prefix($token) . ' (the same one)');
show('1,000 calls took', sprintf('%.1f ms, no request to the accounts server', (hrtime(true) - $start) / 1e6));

step('$oAuthClient->generateAccessTokenFromRefreshToken($refreshToken, $userIdentifier);   // the seed\'s second route');
admin($emulator, '/_emulator/settings', ['access_token_ttl_secs' => 60]);   // this one lives only a minute
$refreshToken = $oAuthTokens->getRefreshToken();
$userIdentifier = "reports@example.com";
$fromRefresh = $oAuthClient->generateAccessTokenFromRefreshToken($refreshToken, $userIdentifier);
admin($emulator, '/_emulator/settings', ['access_token_ttl_secs' => 3600]);
show('saved under', (string) $fromRefresh->getUserEmailId());
show('new access token', prefix($fromRefresh->getAccessToken()) . ' (expires in a minute)');

step('getAccessToken("reports@example.com") within a minute of expiry: refreshed once (under a lock shared by all processes)');
show('access token', prefix($oAuthClient->getAccessToken($userIdentifier)) . ' (a new one)');
show('and again', prefix($oAuthClient->getAccessToken($userIdentifier)) . ' (from memory)');

step('A grant token is valid only once: the SDK\'s message, Zoho\'s code, a hint — a catchable ZohoOAuthException on PHP 8.2');
try {
    $oAuthClient->generateAccessToken($grantToken);
} catch (ZohoOAuthException $e) {
    show('getMessage()', $e->getMessage());
    show('getCode()', (string) $e->getCode());
    show('getZohoErrorCode()', (string) $e->getZohoErrorCode());
}

step('What the accounts server saw, and the SDK-format log');
$counters = admin($emulator, '/_emulator/counters');
foreach (['token.authorization_code', 'token.refresh_token', 'user_info', 'token.error'] as $key) {
    show($key, (string) ($counters[$key] ?? 0));
}
$log = trim((string) @file_get_contents("$dir/ZCRMClientLibrary.log"));
show('ZCRMClientLibrary.log', $log === '' ? '(no lines: nothing to warn about)' : str_replace("\n", "\n" . str_repeat(' ', 33), $log));

exec('rm -rf ' . escapeshellarg($dir));
echo "\nDone: the seed's calls worked as written.\n";
