<?php
/*
 * 32 PHP processes call getAccessToken on the same expired token at once: exactly one refresh
 * reaches the accounts server, and all 32 get the new token.
 */
use zcrmsdk\crm\setup\restclient\ZCRMRestClient;
use zcrmsdk\oauth\ZohoOAuth;

require __DIR__ . '/../lib/helpers.php';
const N = 32;
$url = emulator_start(shared: true);
emu_client();
$dir = temp_dir();
$config = test_config($dir, ['refresh_margin_secs' => '60']);
ZCRMRestClient::initialize($config);
// Expired by the time the children start (a token that still works inside the margin is
// served at once instead of waiting for the refresh: stale-while-revalidate).
emu_settings(['access_token_ttl_secs' => 3]);
$old = ZohoOAuth::getClientInstance()->generateAccessToken(emu_grant())->getAccessToken();
emu_settings(['access_token_ttl_secs' => 3600]);
sleep(4);

$barrier = "$dir/go";
$payload = base64_encode(json_encode(['config' => $config, 'barrier' => $barrier]));
$results = run_children_with_barrier(N, __DIR__ . '/child.php', ['get', $payload], $barrier);

$ok = array_filter($results, fn($r) => $r[0] === 0);
check_same(N, count($ok), N . ' processes succeeded');
foreach ($results as $i => $r) {
    if ($r[0] !== 0) {
        echo "  child $i: {$r[1]} {$r[2]}\n";
    }
}
$tokens = array_unique(array_map(fn($r) => $r[1], $results));
check(count($tokens) === 1 && reset($tokens) !== $old && str_starts_with(reset($tokens), '1000.'), 'all got the same, new token');
check_same(1, emu_counters()['token.refresh_token'], 'exactly one refresh at the accounts server');
finish();
