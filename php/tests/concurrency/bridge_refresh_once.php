<?php
/*
 * Zoho's current SDK (stand-in) in 32 PHP processes at once, one expired token:
 *   - through the bridge's LockedOAuthToken: exactly one refresh reaches the accounts server;
 *   - through LockedTokenStore with the SDK's own OAuthToken: exactly one;
 *   - through LockedOAuthToken on the SDK's own sdk_tokens.txt (our CSV store): exactly one,
 *     and the SDK's FileStore then reads the new token;
 *   - through LockedOAuthToken on Redis (token_store=redis) when ZOHO_TEST_REDIS_URL is set
 *     (eval "$(bash scripts/redis.sh start DIR)"): exactly one;
 *   - through LockedOAuthToken on the current SDKs' MySQL table oauthtoken (token_store=mysql,
 *     mysql_table=oauthtoken) when ZOHO_TEST_MYSQL_URL is set: exactly one;
 *   - the control, the SDK's own FileStore: more than one (what the bridge prevents).
 * All processes get the same, new access token through the bridge.
 */
require __DIR__ . '/../../bridge/tests/bootstrap.php';

const N = 32;
$url = emulator_start(shared: true);

$redis = (string) getenv('ZOHO_TEST_REDIS_URL');
$modes = $redis !== '' ? ['token', 'store', 'csv', 'redis', 'sdk'] : ['token', 'store', 'csv', 'sdk'];
$mysql = (string) getenv('ZOHO_TEST_MYSQL_URL');
if ($mysql !== '') {
    array_splice($modes, -1, 0, ['oauthtoken']);
} else {
    echo "  oauthtoken: skipped (ZOHO_TEST_MYSQL_URL is not set)\n";
}
if ($redis === '') {
    echo "  redis: skipped (ZOHO_TEST_REDIS_URL is not set)\n";
}
foreach ($modes as $mode) {
    emu('POST', '/_emulator/reset', []);
    unset($GLOBALS['__bridge_api_domain_for']);          // the reset forgets the emulator's settings
    emu_client();
    $dir = temp_dir("bridge-$mode");
    $store = bridge_store_config($mode === 'csv' ? "$dir/sdk_tokens.txt" : $dir, ['refresh_margin_secs' => '60']);
    if ($mode === 'oauthtoken') {
        $db = 'bridge_conc_' . getmypid();
        $port = (int) parse_url($mysql, PHP_URL_PORT);
        $sql = "DROP DATABASE IF EXISTS $db; CREATE DATABASE $db; CREATE TABLE $db.oauthtoken (id varchar(10) NOT NULL, user_name varchar(255),"
            . " client_id varchar(255), client_secret varchar(255), refresh_token varchar(255), access_token varchar(255), grant_token varchar(255),"
            . " expiry_time varchar(20), redirect_url varchar(255), api_domain varchar(255), primary key (id))";
        exec('mariadb -h 127.0.0.1 -P ' . $port . ' -u root -e ' . escapeshellarg($sql), $ignored, $status);
        check_same(0, $status, 'oauthtoken: the table was created');
        register_shutdown_function(fn() => exec('mariadb -h 127.0.0.1 -P ' . $port . ' -u root -e ' . escapeshellarg("DROP DATABASE IF EXISTS $db")));
        unset($store['token_persistence_path']);
        $store += ['token_store' => 'mysql', 'mysql_url' => $mysql, 'mysql_database' => $db, 'mysql_table' => 'oauthtoken'];
    }
    if ($mode === 'redis') {
        unset($store['token_persistence_path']);
        $store += ['token_store' => 'redis', 'redis_url' => $redis, 'redis_key_prefix' => 'bridge-' . bin2hex(random_bytes(4)) . ':'];
    }
    $refresh = '1000.' . bin2hex(random_bytes(16)) . '.' . bin2hex(random_bytes(16));
    emu_refresh_token($refresh, 'ada@example.com');
    // An expired token as the SDK's last request left it: stored with an access token that
    // expired a minute ago.
    $expired = (string) ((int) round(microtime(true) * 1000) - 60000);
    if ($mode === 'sdk') {
        file_put_contents("$dir/sdk_tokens.txt", "id,user_name,client_id,client_secret,refresh_token,access_token,grant_token,expiry_time,redirect_url,api_domain\n"
            . "1,ada@example.com," . TEST_CLIENT_ID . "," . TEST_CLIENT_SECRET . ",$refresh,1000.old.old,,$expired," . TEST_REDIRECT_URI . "," . BRIDGE_API_URL);
    } else {
        zoho_oauth\bridge\Core::save(array_merge($store, ['client_id' => TEST_CLIENT_ID, 'client_secret' => TEST_CLIENT_SECRET, 'redirect_uri' => TEST_REDIRECT_URI]),
            ['user' => 'ada@example.com', 'access_token' => '1000.old.old', 'refresh_token' => $refresh, 'expiry_time' => $expired]);
    }
    if ($mode === 'sdk') {
        // Every refresh answered 1.5 s late, so that the SDK's processes overlap as they do
        // under real load even when a loaded test machine starts them one after another.
        emu('POST', '/_emulator/faults', ['kind' => 'delay', 'count' => N, 'path' => '/oauth/v2/token', 'delay_ms' => 1500]);
    }
    $barrier = "$dir/go";
    $payload = base64_encode(json_encode(['store' => $store, 'barrier' => $barrier, 'refresh_token' => $refresh, 'dir' => $dir, 'emu' => $url]));
    $started = microtime(true);
    $results = run_children_with_barrier(N, __DIR__ . '/bridge_child.php', [$mode, $payload], $barrier);
    $elapsed = microtime(true) - $started;
    $ok = array_filter($results, fn($r) => $r[0] === 0);
    foreach ($results as $i => $r) {
        if ($r[0] !== 0 && $mode !== 'sdk') {
            echo "  $mode child $i: {$r[1]} {$r[2]}\n";
        }
    }
    $tokens = array_unique(array_map(fn($r) => $r[1], $ok));
    $refreshes = emu_counters()['token.refresh_token'] ?? 0;
    printf("  %s: %d refreshes at the accounts server, %d distinct tokens, %.2f s\n", $mode, $refreshes, count($tokens), $elapsed);
    if ($mode === 'sdk') {
        $denied = count(array_filter($results, fn($r) => str_contains($r[1], 'Access Denied')));
        printf("  sdk: %d of %d processes failed with Zoho's \"Access Denied\"\n", $denied, N);
        check($refreshes > 1, 'control: the SDK\'s own FileStore lets several of ' . N . ' processes refresh');
        continue;
    }
    check_same(N, count($ok), "$mode: " . N . ' processes succeeded');
    check(count($tokens) === 1 && reset($tokens) !== '1000.old.old' && str_starts_with((string) reset($tokens), '1000.'), "$mode: all got the same, new token");
    check_same(1, $refreshes, "$mode: exactly one refresh at the accounts server");
    if ($mode === 'csv') {
        $row = (new com\zoho\api\authenticator\store\FileStore("$dir/sdk_tokens.txt"))->findTokenById('1');
        check($row->getAccessToken() === reset($tokens) && (int) $row->getExpiresIn() > round(microtime(true) * 1000) + 3000000,
            'csv: the SDK\'s own FileStore reads the new token and its expiry from sdk_tokens.txt');
    }
}
finish();
