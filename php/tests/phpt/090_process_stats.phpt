--TEST--
zoho_oauth_stats() and phpinfo(): this process's counters move with getAccessToken (a store read, then calls served from memory), a refresh, and errors by kind; a forked child starts from zero; no secret, token or user in either
--SKIPIF--
<?php if (!function_exists('pcntl_fork')) echo 'skip pcntl is not available';
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
$refresh = '1000.5ecret5ecret5ecret5ecret5ecret.0fcarol0fcarol0fcarol0fcarol';
emu_refresh_token($refresh, 'carol@example.com');

/** Tokens for the SDK's file: bob's still valid, carol's expired (so it is refreshed). */
function tokens(string $user, string $access, ?string $refresh, int $expiresInSecs): ZohoOAuthTokens
{
    $t = new ZohoOAuthTokens();
    $t->setUserEmailId($user);
    $t->setAccessToken($access);
    $t->setRefreshToken($refresh ?? '1000.unused');
    $t->setExpiryTime(round(microtime(true) * 1000) + $expiresInSecs * 1000);
    return $t;
}
file_put_contents("$dir/zcrm_oauthtokens.txt", serialize([
    tokens('bob@example.com', '1000.b0bacce55b0bacce55', null, 3600),
    tokens('carol@example.com', '1000.ca201acce55expired', $refresh, -60),
]));

/** The counters' change from $before to now, for the keys that moved. */
function moved(array $before): array
{
    $now = zoho_oauth_stats();
    $out = [];
    foreach ($now as $key => $value) {
        if (is_int($value) && $value !== $before[$key]) {
            $out[$key] = $value - $before[$key];
        }
    }
    foreach ($now['errors'] as $kind => $n) {
        if ($n !== $before['errors'][$kind]) {
            $out["errors.$kind"] = $n - $before['errors'][$kind];
        }
    }
    return $out;
}

$s = zoho_oauth_stats();
check_same(['token_calls', 'served_from_memory', 'store_reads', 'refreshes', 'refresh_failures', 'lock_waits',
    'locks_busy', 'lock_wait_seconds', 'fleet_cache_age_seconds', 'errors'], array_keys($s), 'the keys, in order');
check(is_float($s['lock_wait_seconds']) && $s['fleet_cache_age_seconds'] === null, 'seconds are floats; no cache age before the first read');
check_same(0, array_sum($s['errors']), 'no error yet');
check(isset($s['errors']['no_tokens'], $s['errors']['invalid_code'], $s['errors']['panic']), 'every error kind has its key');

ZCRMRestClient::initialize(test_config($dir));
$client = ZohoOAuth::getClientInstance();
$before = zoho_oauth_stats();
$client->getAccessToken('bob@example.com');
check_same(['token_calls' => 1, 'store_reads' => 1], moved($before), 'the first getAccessToken reads the store');
$age = zoho_oauth_stats()['fleet_cache_age_seconds'];
check(is_float($age) && $age >= 0 && $age < 30, 'the fleet cache age counts from that read');
$before = zoho_oauth_stats();
$client->getAccessToken('bob@example.com');
check_same(['token_calls' => 1, 'served_from_memory' => 1], moved($before), 'the second is served from memory');

$before = zoho_oauth_stats();
$fresh = $client->getAccessToken('carol@example.com');
$m = moved($before);
check_same([1, 1, 1, 0], [$m['token_calls'] ?? 0, $m['refreshes'] ?? 0, $m['lock_waits'] ?? 0, $m['served_from_memory'] ?? 0],
    'an expired token: one refresh, one refresh lock asked for, not from memory');
check(($m['store_reads'] ?? 0) >= 2, 'a read, then a re-read under the lock');
check_same(1, emu_counters()['token.refresh_token'], 'the emulator saw that one refresh');

$before = zoho_oauth_stats();
check_throws(fn() => $client->getAccessToken('nobody@example.com'), ZohoOAuthException::class, null, 400, 'no tokens');
check_throws(fn() => $client->generateAccessTokenFromRefreshToken('1000.not.a.refresh.token', 'dan@example.com'),
    ZohoOAuthException::class, null, 300, 'a refresh token Zoho does not know');
check_same(['token_calls' => 1, 'store_reads' => 1, 'refresh_failures' => 1, 'lock_waits' => 1, 'errors.invalid_code' => 1,
    'errors.no_tokens' => 1], moved($before), 'each error counted by kind (the unknown user was looked for in the store); the refused refresh counted as failed');

// phpinfo() shows the same figures.
ob_start();
phpinfo(INFO_MODULES);
$info = ob_get_clean();
$now = zoho_oauth_stats();
preg_match('/process token_calls => (\d+)/', $info, $calls);
preg_match('/process errors => (.*)/', $info, $errors);
check_same((string) $now['token_calls'], $calls[1] ?? null, 'phpinfo() shows the token calls');
check_same('invalid_code=1, no_tokens=1', trim($errors[1] ?? ''), 'phpinfo() lists the errors that happened, by kind');

$shown = $info . var_export($now, true);
$leaks = [];
foreach ([TEST_CLIENT_SECRET, $refresh, '0fcarol', '1000.b0bacce55b0bacce55', $fresh, 'bob@example.com', 'carol@example.com'] as $i => $secret) {
    if (str_contains($shown, $secret)) {
        $leaks[] = $i;
    }
}
check_same([], $leaks, 'no secret, token or user in the figures or phpinfo()');

// A forked child (as a PHP-FPM worker) starts from zero and counts only its own calls.
{
    $parent = zoho_oauth_stats();
    $pid = pcntl_fork();
    if ($pid === 0) {
        $zero = zoho_oauth_stats();
        $ok = $zero['token_calls'] === 0 && $zero['store_reads'] === 0 && array_sum($zero['errors']) === 0
            && $zero['fleet_cache_age_seconds'] !== null;
        $client->getAccessToken('bob@example.com');
        $ok = $ok && zoho_oauth_stats()['token_calls'] === 1;
        file_put_contents("$dir/child", $ok ? 'ok' : json_encode($zero));
        // Leave without running the parent's shutdown functions (emulator, temp dirs).
        pcntl_exec('/bin/true');
        exit(1);
    }
    pcntl_waitpid($pid, $status);
    check_same('ok', @file_get_contents("$dir/child"), 'a forked child starts from zero (its cache age kept) and counts its own call');
    check_same($parent['token_calls'], zoho_oauth_stats()['token_calls'], "the child's calls are not the parent's");
}
finish();
--EXPECT--
ok - the keys, in order
ok - seconds are floats; no cache age before the first read
ok - no error yet
ok - every error kind has its key
ok - the first getAccessToken reads the store
ok - the fleet cache age counts from that read
ok - the second is served from memory
ok - an expired token: one refresh, one refresh lock asked for, not from memory
ok - a read, then a re-read under the lock
ok - the emulator saw that one refresh
ok - no tokens
ok - a refresh token Zoho does not know
ok - each error counted by kind (the unknown user was looked for in the store); the refused refresh counted as failed
ok - phpinfo() shows the token calls
ok - phpinfo() lists the errors that happened, by kind
ok - no secret, token or user in the figures or phpinfo()
ok - a forked child starts from zero (its cache age kept) and counts its own call
ok - the child's calls are not the parent's
all checks passed
