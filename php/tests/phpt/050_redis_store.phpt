--TEST--
token_store=redis through initialize(): tokens in Redis under the prefix, shared by a second configuration, refreshed once; Redis down and a wrong password are clear exceptions that never show the password
--SKIPIF--
<?php require __DIR__ . '/../redis/redis_helpers.php'; echo redis_skip_reason();
--FILE--
<?php
use zcrmsdk\crm\setup\restclient\ZCRMRestClient;
use zcrmsdk\oauth\ZohoOAuth;
use zcrmsdk\oauth\exception\ZohoOAuthException;

require __DIR__ . '/../lib/helpers.php';
require __DIR__ . '/../redis/redis_helpers.php';
$url = emulator_start();
emu_client();
$redis = redis_url();
$prefix = redis_prefix();

ZCRMRestClient::initialize(redis_config($redis, $prefix, ['refresh_margin_secs' => '60']));
emu_settings(['access_token_ttl_secs' => 60]);
$first = ZohoOAuth::getClientInstance()->generateAccessToken(emu_grant())->getAccessToken();
emu_settings(['access_token_ttl_secs' => 3600]);
$value = redis_command($redis, 'GET', $prefix . 'user:ada@example.com');
$json = json_decode((string) $value, true);
check_same('zoho-oauth-tokens', $json['format'] ?? null, 'the user key holds the JSON token format');
check_same('ada@example.com', $json['tokens'][0]['user'] ?? null, 'with the real identifier');
check_same(['ada@example.com'], redis_command($redis, 'SMEMBERS', $prefix . 'users'), 'the users set lists it');

$fresh = ZohoOAuth::getClientInstance()->getAccessToken('ada@example.com');
check($fresh !== $first && str_starts_with($fresh, '1000.'), 'the stale token was refreshed');
check_same(1, emu_counters()['token.refresh_token'], 'one refresh');
// Another configuration (another app server) on the same Redis and prefix sees it.
ZCRMRestClient::initialize(redis_config($redis, $prefix, ['connect_timeout_secs' => '3']));
check_same($fresh, ZohoOAuth::getClientInstance()->getAccessToken('ada@example.com'), 'another configuration shares the token');
check_same(1, emu_counters()['token.refresh_token'], 'and makes no request');

// Redis down: store_unavailable (404).
$sock = stream_socket_server('tcp://127.0.0.1:0');
$port = (int) substr(strrchr(stream_socket_get_name($sock, false), ':'), 1);
fclose($sock);
ZCRMRestClient::initialize(redis_config("redis://127.0.0.1:$port/0", $prefix));
$e = check_throws(fn() => ZohoOAuth::getClientInstance()->getAccessToken('ada@example.com'),
    ZohoOAuthException::class, null, 404, 'Redis down is store_unavailable (404)');
check_same('store_unavailable', $e?->getErrorKind(), 'its kind');

// A wrong password (when the password-protected server is set up).
$bad = (string) getenv('ZOHO_TEST_REDIS_AUTH_BAD_URL');
if ($bad === '') {
    echo "ok - a wrong password is store_io (401)\nok - the message says so and never shows the password\n";
} else {
    ZCRMRestClient::initialize(redis_config($bad, $prefix));
    $e = check_throws(fn() => ZohoOAuth::getClientInstance()->getAccessToken('ada@example.com'),
        ZohoOAuthException::class, '/refused the credentials/', 401, 'a wrong password is store_io (401)');
    $password = parse_url($bad, PHP_URL_PASS);
    $shown = (string) $e . print_r(ZohoOAuth::getAllConfigs(), true) . var_export(ZohoOAuth::getAllConfigs(), true);
    check(!str_contains($shown, $password), 'the message says so and never shows the password');
}
--EXPECT--
ok - the user key holds the JSON token format
ok - with the real identifier
ok - the users set lists it
ok - the stale token was refreshed
ok - one refresh
ok - another configuration shares the token
ok - and makes no request
ok - Redis down is store_unavailable (404)
ok - its kind
ok - a wrong password is store_io (401)
ok - the message says so and never shows the password
