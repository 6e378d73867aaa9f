<?php
/*
 * 32 PHP processes save 32 different users into one token file at once, while another reads
 * a user saved before: no user is lost (the SDK keeps 1 of 30 and deletes the others), and
 * the reader never sees a missing or half-written file.
 */
use zcrmsdk\crm\setup\restclient\ZCRMRestClient;
use zcrmsdk\oauth\ZohoOAuth;

require __DIR__ . '/../lib/helpers.php';
const N = 32;
$url = emulator_start(shared: true);
emu_client();
$dir = temp_dir();
$config = test_config($dir);
ZCRMRestClient::initialize($config);
ZohoOAuth::getClientInstance()->generateAccessToken(emu_grant('keeper@example.com'));

$refreshTokens = [];
for ($i = 0; $i < N; $i++) {
    $refreshTokens[$i] = sprintf('1000.%032x.%032x', $i + 1, 0xabc);
    emu_refresh_token($refreshTokens[$i], "user$i@example.com");
}
$barrier = "$dir/go";
$payload = base64_encode(json_encode(['config' => $config, 'barrier' => $barrier, 'refresh_tokens' => $refreshTokens]));
$results = run_children_with_barrier(N, __DIR__ . '/child.php', ['save', $payload], $barrier,
    [[__DIR__ . '/child.php', '0', 'read', $payload]]);

$writers = array_slice($results, 0, N, true);
check_same(N, count(array_filter($writers, fn($r) => $r[0] === 0)), N . ' writers succeeded');
foreach ($results as $i => $r) {
    if ($r[0] !== 0) {
        echo "  child $i: {$r[1]} {$r[2]}\n";
    }
}
check_same('failures=0', $results[N][1], 'the concurrent reader never failed (200 reads)');
$stored = unserialize(file_get_contents("$dir/zcrm_oauthtokens.txt"));
$users = array_map(fn($t) => $t->getUserEmailId(), $stored);
sort($users);
$expected = array_merge(['keeper@example.com'], array_map(fn($i) => "user$i@example.com", range(0, N - 1)));
sort($expected);
check_same($expected, $users, 'all ' . (N + 1) . ' users are in the file, none lost, none duplicated');
foreach ($stored as $t) {
    if ($t->getUserEmailId() !== 'keeper@example.com') {
        $i = (int) substr($t->getUserEmailId(), 4);
        if ($t->getRefreshToken() !== $refreshTokens[$i]) {
            check(false, "user$i kept its refresh token");
        }
    }
}
check(true, 'every user kept its own refresh token');
finish();
