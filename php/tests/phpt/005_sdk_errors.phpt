--TEST--
Every SDK error message, exactly, as a catchable ZohoOAuthException (the SDK crashes here on PHP 8.1+), with stable codes
--FILE--
<?php
use zcrmsdk\crm\setup\restclient\ZCRMRestClient;
use zcrmsdk\oauth\ZohoOAuth;
use zcrmsdk\oauth\exception\ZohoOAuthException;
use zcrmsdk\oauth\utility\ZohoOAuthTokens;

require __DIR__ . '/../lib/helpers.php';
$url = emulator_start();
emu_client();
$dir = temp_dir();
$E = ZohoOAuthException::class;

// Before initialization.
check_throws(fn() => ZohoOAuth::getClientInstance(), $E,
    'ZCRMRestClient::initialize($configMap) must be called before this.', 103, 'getClientInstance before initialize');

// Mandatory keys, in the SDK's order, absent then empty.
$full = test_config($dir);
foreach (['client_id', 'client_secret', 'redirect_uri'] as $key) {
    $config = $full;
    unset($config[$key]);
    check_throws(fn() => ZCRMRestClient::initialize($config), $E, "$key is mandatory", 101, "$key absent");
    $config[$key] = '';
    check_throws(fn() => ZCRMRestClient::initialize($config), $E, "$key value is missing", 101, "$key empty");
}
check_throws(fn() => ZCRMRestClient::initialize([]), $E, 'client_id is mandatory', 101, 'the first missing key is reported first');
check_throws(fn() => ZohoOAuth::initialize(['client_id' => 'x']), $E, 'client_secret is mandatory', 101, 'ZohoOAuth::initialize checks too');

ZCRMRestClient::initialize($full);
$client = ZohoOAuth::getClientInstance();
check_throws(fn() => $client->generateAccessToken(''), $E, 'Grant Token is not provided.', 104, 'empty grant token');
check_throws(fn() => $client->generateAccessToken(null), $E, 'Grant Token is not provided.', 104, 'null grant token');
check_throws(fn() => $client->generateAccessTokenFromRefreshToken('', 'ada@example.com'), $E, 'Refresh token is not provided.', 104, 'empty refresh token');
check_throws(fn() => $client->refreshAccessToken(null, 'ada@example.com'), $E, 'Refresh token is not provided.', 104, 'null refresh token (refreshAccessToken)');
check_throws(fn() => $client->getAccessToken('nobody@example.com'), $E,
    'No Tokens exist for the given user-identifier,Please generate and try again.', 400, 'unknown user');

$t = new ZohoOAuthTokens();
$t->setAccessToken('1000.abc');
$t->setExpiryTime(microtime(true) * 1000 + 900);
check_throws(fn() => $t->getAccessToken(), $E, 'Access token got expired!', 309, 'ZohoOAuthTokens::getAccessToken with under a second left');

// Zoho's errors: the SDK's prefix, Zoho's code and a hint; never the raw response.
$e = check_throws(fn() => $client->generateAccessToken('1000.0000ffff0000ffff0000ffff0000ffff.1111eeee1111eeee1111eeee1111eeee'), $E,
    '/^Exception while fetching access token from grant token - invalid_code Hint: .+/', 300, 'an unknown grant token');
check_same('invalid_code', $e?->getZohoErrorCode(), 'getZohoErrorCode() gives Zoho\'s code');
check(strlen((string) $e?->getHint()) > 10, 'getHint() gives a hint');
check_same('invalid_code', $e?->getErrorKind(), 'getErrorKind() gives the kind');
check(!str_contains($e->getMessage(), 'HTTP/1.1') && !str_contains($e->getMessage(), 'Server:'), 'no raw HTTP response in the message');
check_throws(fn() => $client->generateAccessTokenFromRefreshToken('1000.unknown', 'ada@example.com'), $E,
    '/^Exception while fetching access token from refresh token - invalid_code/', 300, 'an unknown refresh token');

ZCRMRestClient::initialize(test_config($dir, ['client_secret' => 'wrong']));
check_throws(fn() => ZohoOAuth::getClientInstance()->generateAccessToken(emu_grant()), $E,
    '/^Exception while fetching access token from grant token - invalid_client_secret/', 302, 'a wrong client secret');
ZCRMRestClient::initialize(test_config($dir, ['client_id' => '1000.NOSUCHCLIENT']));
check_throws(fn() => ZohoOAuth::getClientInstance()->generateAccessToken(emu_grant()), $E,
    '/^Exception while fetching access token from grant token - invalid_client Hint: .*data centre/', 301, 'an unknown client (wrong data centre)');

// The user lookup needs AaaServer.profile.READ: the SDK's message; Zoho's tokens are not lost.
ZCRMRestClient::initialize(test_config($dir, ['currentUserEmail' => '']));
$noProfile = emu_grant('ada@example.com', 'ZohoCRM.modules.ALL');
$e = check_throws(fn() => ZohoOAuth::getClientInstance()->generateAccessToken($noProfile), $E,
    '/^Exception while fetching UserID from access token, Make sure AAAserver.profile.Read scope is included while generating the Grant token/',
    306, 'a grant without the profile scope');
$unsaved = $e?->getUnsavedTokens();
check($unsaved instanceof ZohoOAuthTokens && str_starts_with((string) $unsaved->getRefreshToken(), '1000.'), 'the issued tokens ride on the exception');
$saved = ZohoOAuth::getClientInstance()->generateAccessTokenFromRefreshToken($unsaved->getRefreshToken(), 'ada@example.com');
check($saved->isValidAccessToken(), '... and their refresh token still works');
ZCRMRestClient::initialize(test_config($dir));
$tokens = ZohoOAuth::getClientInstance()->generateAccessToken(emu_grant('ada@example.com', 'ZohoCRM.modules.ALL'));
check_same('ada@example.com', $tokens->getUserEmailId(), 'with currentUserEmail, such tokens are saved under it');

// A stored token without a refresh token (online access) cannot be refreshed.
emu_settings(['access_token_ttl_secs' => 60]);
ZCRMRestClient::initialize(test_config($dir, ['refresh_margin_secs' => '60']));
ZohoOAuth::getClientInstance()->generateAccessToken(emu_grant('olivia@example.com', TEST_SCOPE, 'online'));
check_throws(fn() => ZohoOAuth::getClientInstance()->getAccessToken('olivia@example.com'), $E,
    'Refresh token is not provided.', 104, 'an expired online token');
emu_settings(['access_token_ttl_secs' => 3600]);

// No token_persistence_path and no handler: the SDK's MySQL store (this extension asks for it;
// the core guesses no store); here its server is down.
ZCRMRestClient::initialize(test_config('', ['token_persistence_path' => '', 'host_address' => '127.0.0.1', 'db_port' => '1']));
$grant = emu_grant();
$exchanged = emu_counters()['token.authorization_code'] ?? 0;
$e = check_throws(fn() => ZohoOAuth::getClientInstance()->generateAccessToken($grant), $E, '/MySQL/', 404, 'an unreachable MySQL server is store_unavailable');
check($e !== null && $e->getUnsavedTokens() === null && (emu_counters()['token.authorization_code'] ?? 0) === $exchanged,
    '... checked before the grant token is spent (nothing was exchanged)');

// Custom handler without a class name.
ZCRMRestClient::initialize(test_config('', ['token_persistence_path' => '', 'persistence_handler_class' => __FILE__]));
check_throws(fn() => ZohoOAuth::getClientInstance()->getAccessToken('ada@example.com'), $E,
    '/^persistence_handler_class_name is mandatory/', 101, 'persistence_handler_class_name missing');

// Invalid values.
check_throws(fn() => ZCRMRestClient::initialize(test_config($dir, ['accounts_url' => 'http://10.1.2.3'])), $E, '/accounts_url/', 102, 'plain http to a remote host');
check_throws(fn() => ZCRMRestClient::initialize(test_config($dir, ['client_id' => ['x']])), $E, 'client_id must be a string', 102, 'a non-scalar value');
check_throws(fn() => ZCRMRestClient::initialize(test_config($dir, ['refresh_margin_secs' => 'soon'])), $E, '/refresh_margin_secs/', 102, 'a non-numeric number');
check_throws(fn() => ZCRMRestClient::initialize(test_config($dir, ['token_store' => 'Postgres'])), $E, "token_store must be file, mysql or redis (not 'postgres')", 102, 'a token_store that names no store, at initialize');
check_throws(fn() => ZCRMRestClient::initialize(test_config($dir, ['token_store' => 'my sql'])), $E, '/^token_store must name a store in one word/', 102, 'a token_store that is not one word');
ZCRMRestClient::initialize(test_config("$dir/missing"));
check(true, 'initialize does not touch the store');
check_throws(fn() => ZohoOAuth::getClientInstance()->getAccessToken('ada@example.com'), $E, '/missing/', 401, 'a missing token directory is reported at first use');

// Transport failures.
ZCRMRestClient::initialize(test_config($dir, ['accounts_url' => 'http://127.0.0.1:1']));
check_throws(fn() => ZohoOAuth::getClientInstance()->generateAccessToken('1000.x'), $E, null, 200, 'connection refused');
ZCRMRestClient::initialize(test_config($dir, ['timeout_secs' => '0.5']));
$client = ZohoOAuth::getClientInstance();
foreach ([['http500', 202], ['html', 203], ['empty', 203], ['throttle', 304], ['reset', 200], ['delay', 201]] as [$kind, $code]) {
    emu('POST', '/_emulator/faults', ['kind' => $kind, 'count' => 1, 'path' => '/oauth/v2/token', 'delay_ms' => 2000]);
    check_throws(fn() => $client->generateAccessTokenFromRefreshToken('1000.x', 'ada@example.com'), $E, null, $code, "fault '$kind' gives code $code");
}
--EXPECT--
ok - getClientInstance before initialize
ok - client_id absent
ok - client_id empty
ok - client_secret absent
ok - client_secret empty
ok - redirect_uri absent
ok - redirect_uri empty
ok - the first missing key is reported first
ok - ZohoOAuth::initialize checks too
ok - empty grant token
ok - null grant token
ok - empty refresh token
ok - null refresh token (refreshAccessToken)
ok - unknown user
ok - ZohoOAuthTokens::getAccessToken with under a second left
ok - an unknown grant token
ok - getZohoErrorCode() gives Zoho's code
ok - getHint() gives a hint
ok - getErrorKind() gives the kind
ok - no raw HTTP response in the message
ok - an unknown refresh token
ok - a wrong client secret
ok - an unknown client (wrong data centre)
ok - a grant without the profile scope
ok - the issued tokens ride on the exception
ok - ... and their refresh token still works
ok - with currentUserEmail, such tokens are saved under it
ok - an expired online token
ok - an unreachable MySQL server is store_unavailable
ok - ... checked before the grant token is spent (nothing was exchanged)
ok - persistence_handler_class_name missing
ok - plain http to a remote host
ok - a non-scalar value
ok - a non-numeric number
ok - a token_store that names no store, at initialize
ok - a token_store that is not one word
ok - initialize does not touch the store
ok - a missing token directory is reported at first use
ok - connection refused
ok - fault 'http500' gives code 202
ok - fault 'html' gives code 203
ok - fault 'empty' gives code 203
ok - fault 'throttle' gives code 304
ok - fault 'reset' gives code 200
ok - fault 'delay' gives code 201
