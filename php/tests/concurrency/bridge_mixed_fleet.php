<?php
/*
 * A mixed fleet on one sdk_tokens.txt (issue 22): 16 processes of the SDK (stand-in) rewrite
 * the file in place, unlocked, as the SDK's FileStore does at each save, while 16 processes
 * use the bridge (LockedOAuthToken) on the same file and a raw reader counts the torn reads.
 * The stand-in SDK handles the file as the SDK does, races included: a process that reads the
 * file empty while another rewrites it writes it back without its header, and one whose
 * constructor found it empty appends the header to whatever another process wrote meanwhile.
 * A bridge request gets its token, or fails with store_corrupt (402) after reading the file
 * again (bounded) while overlapping SDK writes have garbled it (the SDK's header appended into
 * a file another process was rewriting); nothing else. Torn or emptied reads are read again;
 * the file as the SDK left it is read when it is in one of the shapes the SDK's races leave
 * (no header, the header glued to the last row) and written back with its header, and refused
 * untouched when garbled.
 */
require __DIR__ . '/../../bridge/tests/bootstrap.php';

use zcrmsdk\oauth\exception\ZohoOAuthException;
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
$corrupt = array_filter($failed, fn(string $m) => str_starts_with($m, 'ZohoOAuth\Bridge\TokenException (402): ') && str_contains($m, 'cannot be parsed'));
check(count($corrupt) === count($failed), 'a bridge request that fails, fails on a garbled file (402 after reading it again), never otherwise: '
    . (N * ROUNDS - count($failed)) . ' of ' . (N * ROUNDS) . ' got a token');

// The file as the SDK left it: in one of the shapes its races leave (torn and rewritten, no
// header, the header glued to the last row), or garbled by overlapping writes (the header
// appended into a file another process was rewriting): a line of neither 10 fields nor 19.
$final = (string) file_get_contents($csv);
$garbled = array_filter(explode("\n", rtrim($final, "\r\n")), fn(string $l) => !in_array(count(str_getcsv($l, ',', '"', '\\')), [10, 19], true)) !== [];
echo '  the SDK left the file ', $garbled ? 'garbled' : (str_starts_with($final, 'id,user_name,') ? 'with its header' : 'in one of its race shapes'), "\n";
if ($garbled) {
    $e = null;
    try {
        Core::save($config, ['user' => 'ada@example.com', 'refresh_token' => $refresh]);
    } catch (ZohoOAuthException $e) {
    }
    check_same([402, $final], [$e?->getCode(), file_get_contents($csv)], 'a garbled file: the bridge refuses it (402) and leaves it as it is');
} else {
    $ada = Core::find($config, 'ada@example.com');
    check($ada !== null && $ada['refresh_token'] === $refresh, 'the bridge reads the file as the SDK left it');
    Core::save($config, $ada ?? ['user' => 'ada@example.com', 'refresh_token' => $refresh]);
    check(str_starts_with((string) file_get_contents($csv), 'id,user_name,'), '... and a save writes it back as the SDK\'s CSV, with its header');
}
finish();
