--TEST--
token_store=redis: processes forked after the parent used Redis make their own connections: one refresh for all children (pcntl_fork, as PHP-FPM forks its workers)
--SKIPIF--
<?php require __DIR__ . '/../redis/redis_helpers.php';
if (!function_exists('pcntl_fork')) echo 'skip pcntl is not available'; else echo redis_skip_reason();
--FILE--
<?php
use zcrmsdk\crm\setup\restclient\ZCRMRestClient;
use zcrmsdk\oauth\ZohoOAuth;

require __DIR__ . '/../lib/helpers.php';
require __DIR__ . '/../redis/redis_helpers.php';
$redis = redis_url();
$prefix = redis_prefix();
$url = emulator_start();
emu_client();
$out = temp_dir('out');

// The parent uses the extension (HTTP included) before forking, as an FPM master would not,
// to make the test harder: the children must not share its connections.
ZCRMRestClient::initialize(redis_config($redis, $prefix, ['refresh_margin_secs' => '60']));
// Expired, so every child waits for the one refresh (a token that still works is served at
// once instead).
emu_settings(['access_token_ttl_secs' => 3]);
$old = ZohoOAuth::getClientInstance()->generateAccessToken(emu_grant())->getAccessToken();
emu_settings(['access_token_ttl_secs' => 3600]);
sleep(4);

$children = [];
for ($i = 0; $i < 8; $i++) {
    $pid = pcntl_fork();
    if ($pid === 0) {
        try {
            ZCRMRestClient::initialize(redis_config($redis, $prefix, ['refresh_margin_secs' => '60']));
            file_put_contents("$out/$i", ZohoOAuth::getClientInstance()->getAccessToken('ada@example.com'));
            $code = 0;
        } catch (Throwable $e) {
            file_put_contents("$out/$i", 'error: ' . $e->getMessage());
            $code = 1;
        }
        // Leave without running the parent's shutdown functions (emulator, temp dirs).
        posix_kill(getmypid(), SIGKILL) || exit($code);
    }
    $children[] = $pid;
}
$statuses = [];
foreach ($children as $pid) {
    pcntl_waitpid($pid, $status);
    $statuses[] = pcntl_wifsignaled($status) ? pcntl_wtermsig($status) : -1;
}
check_same(array_fill(0, 8, SIGKILL), $statuses, 'every child finished (none crashed)');
$tokens = array_map(fn($i) => (string) @file_get_contents("$out/$i"), range(0, 7));
check(count(array_unique($tokens)) === 1 && str_starts_with($tokens[0], '1000.') && $tokens[0] !== $old, 'all children got the same new token');
check_same(1, emu_counters()['token.refresh_token'], 'exactly one refresh at the accounts server');
check_same($tokens[0], ZohoOAuth::getClientInstance()->getAccessToken('ada@example.com'), 'the parent sees it too');
--EXPECT--
ok - every child finished (none crashed)
ok - all children got the same new token
ok - exactly one refresh at the accounts server
ok - the parent sees it too
