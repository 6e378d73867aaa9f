<?php
/*
 * A mixed fleet on one sdk_tokens.txt (issue 22): 16 processes of the SDK (stand-in) rewrite
 * the file in place, unlocked, as the SDK's FileStore does at each save, while 16 processes
 * use the bridge (LockedOAuthToken) on the same file and a raw reader counts the torn reads.
 * Every bridge request must succeed: a torn or emptied file is read again (bounded) before
 * anything fails.
 */
require __DIR__ . '/../../bridge/tests/bootstrap.php';

use zoho_oauth\bridge\Core;
use ZohoOAuth\Bridge\Tokens;

const N = 16;
const ROUNDS = 25;
$url = emulator_start();
emu_client();
bridge_environment();                                         // the emulator answers with the test API domain
$dir = temp_dir('mixed-fleet');
$csv = "$dir/sdk_tokens.txt";
$refresh = '1000.' . bin2hex(random_bytes(16)) . '.mixed';
emu_refresh_token($refresh, 'ada@example.com');
$config = Tokens::configuration(bridge_store_config($csv, ['client_id' => TEST_CLIENT_ID, 'client_secret' => TEST_CLIENT_SECRET]), null);
Core::save($config, ['user' => 'ada@example.com', 'refresh_token' => $refresh]);
Core::tokens($config, 'ada@example.com');                     // a valid access token for the hour
$before = emu_counters()['token.refresh_token'] ?? 0;

$barrier = "$dir/go";
$payload = fn() => base64_encode(json_encode(['csv' => $csv, 'barrier' => $barrier, 'emu' => $url, 'refresh_token' => $refresh, 'rounds' => ROUNDS]));
$script = __DIR__ . '/mixed_fleet_child.php';
$extra = [];
for ($i = 0; $i < N; $i++) {
    $extra[] = [$script, (string) $i, 'bridge', $payload()];
}
$extra[] = [$script, '0', 'reader', $payload()];
$results = run_children_with_barrier(N, $script, ['sdk', $payload()], $barrier, $extra);
$summaries = array_map(fn($r) => json_decode($r[1], true) ?? ['ok' => 0, 'failed' => ["exit {$r[0]}: {$r[1]} {$r[2]}"], 'torn' => 0], $results);
$sdk = array_slice($summaries, 0, N);
$bridge = array_slice($summaries, N, N);
$reader = $summaries[2 * N];
$failed = array_merge(...array_map(fn($s) => $s['failed'], $bridge));
printf("  %d SDK saves, %d bridge requests (%d failed), %d of %d raw reads torn, %d refreshes\n",
    array_sum(array_column($sdk, 'ok')), N * ROUNDS, count($failed), $reader['torn'], 20 * ROUNDS, (emu_counters()['token.refresh_token'] ?? 0) - $before);
foreach (array_slice(array_count_values($failed), 0, 5) as $message => $count) {
    echo "  $count x $message\n";
}
check_same(N * ROUNDS, array_sum(array_column($sdk, 'ok')), 'the SDK processes saved every round (in place, unlocked)');
check($failed === [], 'every bridge request on the file the SDK rewrites got a token (torn reads are read again)');
check(str_starts_with((string) file_get_contents($csv), 'id,user_name,'), 'the file ends as the SDK\'s CSV');
finish();
