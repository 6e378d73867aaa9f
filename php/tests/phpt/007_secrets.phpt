--TEST--
No secret (client secret, grant, access or refresh token) in var_dump, print_r, var_export, json_encode, strings, exceptions, traces, uncaught-error output or the log
--INI--
zend.exception_ignore_args=0
display_errors=1
--FILE--
<?php
use zcrmsdk\crm\setup\restclient\ZCRMRestClient;
use zcrmsdk\oauth\ZohoOAuth;

require __DIR__ . '/../lib/helpers.php';
$url = emulator_start();
emu_client();
$dir = temp_dir();
$logs = temp_dir('logs');
$grant = emu_grant();
$config = test_config($dir, ['applicationLogFilePath' => $logs, 'refresh_margin_secs' => '60']);

ZCRMRestClient::initialize($config);
$client = ZohoOAuth::getClientInstance();
emu_settings(['access_token_ttl_secs' => 60]);
$tokens = $client->generateAccessToken($grant);
emu_settings(['access_token_ttl_secs' => 3600]);
$access = $tokens->getAccessToken();
$refresh = $tokens->getRefreshToken();
$fresh = $client->getAccessToken('ada@example.com');   // refreshes: logged
check($fresh !== $access, 'the stale token was refreshed (so the log has lines)');
$secrets = ['client secret' => TEST_CLIENT_SECRET, 'grant token' => $grant, 'access token' => $access,
    'refreshed access token' => $fresh, 'refresh token' => $refresh];

function leaks(string $text, array $secrets): array
{
    $found = [];
    foreach ($secrets as $name => $secret) {
        // Even a 15-character prefix (what a trace shows of a string argument) is a leak.
        if (str_contains($text, substr($secret, 0, 15)) || str_contains($text, substr($secret, -15))) {
            $found[] = $name;
        }
    }
    return $found;
}
function no_leak(string $text, string $what): void
{
    $found = leaks($text, $GLOBALS['secrets']);
    check($found === [], "$what shows no secret" . ($found ? ' (found: ' . implode(', ', $found) . ')' : ''));
}
function captured(callable $f): string
{
    ob_start();
    $f();
    return (string) ob_get_clean();
}

check(leaks(serialize($tokens), $secrets) === ['access token', 'refresh token'], 'control: serialize() (the storage format) holds the tokens, and the detector sees them');
no_leak(captured(fn() => var_dump($tokens)), 'var_dump(tokens)');
no_leak(print_r($tokens, true), 'print_r(tokens)');
no_leak(var_export($tokens, true), 'var_export(tokens)');
no_leak(json_encode($tokens), 'json_encode(tokens)');
no_leak((string) $tokens, '(string) tokens');
no_leak(captured(fn() => debug_zval_dump($tokens)), 'debug_zval_dump(tokens)');
no_leak(captured(fn() => var_dump($client)), 'var_dump(client)');
no_leak(print_r($client, true), 'print_r(client)');
no_leak(var_export(ZohoOAuth::getAllConfigs(), true), 'ZohoOAuth::getAllConfigs()');
no_leak(print_r((array) $tokens, true), '(array) cast of tokens');
no_leak(captured(fn() => var_dump(get_object_vars($tokens))), 'get_object_vars(tokens)');

// Exceptions from calls whose arguments are secrets: message, trace, string form, dumps.
$thrown = [];
foreach ([
    'generateAccessToken' => fn() => $client->generateAccessToken($grant),
    'generateAccessTokenFromRefreshToken' => fn() => $client->generateAccessTokenFromRefreshToken($refresh . 'x', 'ada@example.com'),
    'refreshAccessToken' => fn() => $client->refreshAccessToken($access, 'ada@example.com'),
    'getUserEmailIdFromIAM' => fn() => $client->getUserEmailIdFromIAM($refresh),
    'initialize' => fn() => ZCRMRestClient::initialize(['client_id' => '', 'client_secret' => TEST_CLIENT_SECRET]),
    'ZohoOAuth::initialize' => fn() => ZohoOAuth::initialize(array_merge($config, ['accounts_url' => 'ftp://x'])),
    'setAccessToken' => function () use ($access) { $t = new zcrmsdk\oauth\utility\ZohoOAuthTokens(); $t->setAccessToken($access); $t->getAccessToken(); },
] as $name => $call) {
    try {
        $call();
        check(false, "$name threw");
    } catch (Throwable $e) {
        $text = $e->getMessage() . "\n" . $e->getTraceAsString() . "\n" . $e . "\n" . print_r($e->getTrace(), true)
            . captured(fn() => var_dump($e)) . print_r($e, true) . var_export($e->getTrace(), true);
        no_leak($text, "the exception from $name");
    }
}

// An uncaught exception printed by PHP itself.
$script = "$dir/uncaught.php";
file_put_contents($script, '<?php $c = ' . var_export($config, true) . ';' .
    'zcrmsdk\crm\setup\restclient\ZCRMRestClient::initialize($c);' .
    'zcrmsdk\oauth\ZohoOAuth::getClientInstance()->generateAccessToken(' . var_export($grant, true) . ');');
$out = shell_exec(escapeshellarg(PHP_BINARY) . ' -n -d display_errors=1 -d zend.exception_ignore_args=0 -d extension='
    . escapeshellarg(getenv('ZOHO_OAUTH_EXT')) . ' ' . escapeshellarg($script) . ' 2>&1');
check(str_contains((string) $out, 'Uncaught zcrmsdk\oauth\exception\ZohoOAuthException'), 'an uncaught exception is reported by PHP');
no_leak((string) $out, 'the uncaught-exception output');

// The SDK-format log.
$log = (string) @file_get_contents("$logs/ZCRMClientLibrary.log");
check(preg_match('/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d INFO: Access Token has expired\. Hence refreshing\.$/m', $log) === 1, 'the log has the SDK\'s refresh line');
no_leak($log, 'the log');
no_leak(file_get_contents("$dir/zcrm_oauthtokens.txt.lock") ?: '', 'the lock file');
--EXPECT--
ok - the stale token was refreshed (so the log has lines)
ok - control: serialize() (the storage format) holds the tokens, and the detector sees them
ok - var_dump(tokens) shows no secret
ok - print_r(tokens) shows no secret
ok - var_export(tokens) shows no secret
ok - json_encode(tokens) shows no secret
ok - (string) tokens shows no secret
ok - debug_zval_dump(tokens) shows no secret
ok - var_dump(client) shows no secret
ok - print_r(client) shows no secret
ok - ZohoOAuth::getAllConfigs() shows no secret
ok - (array) cast of tokens shows no secret
ok - get_object_vars(tokens) shows no secret
ok - the exception from generateAccessToken shows no secret
ok - the exception from generateAccessTokenFromRefreshToken shows no secret
ok - the exception from refreshAccessToken shows no secret
ok - the exception from getUserEmailIdFromIAM shows no secret
ok - the exception from initialize shows no secret
ok - the exception from ZohoOAuth::initialize shows no secret
ok - the exception from setAccessToken shows no secret
ok - an uncaught exception is reported by PHP
ok - the uncaught-exception output shows no secret
ok - the log has the SDK's refresh line
ok - the log shows no secret
ok - the lock file shows no secret
