<?php
/*
 * Benchmark: getAccessToken on a cached token through the Redis store, against the file
 * store and against a plain GET of the same key with phpredis (the floor for anything that
 * reads tokens from Redis), 1,000 users stored.
 *
 *   eval "$(bash scripts/redis.sh start DIR)"
 *   php -d extension=igbinary -d extension=redis -d extension=.../libzoho_oauth_php.so php/bench/redis.php [seconds per side]
 *
 * Sides: the Redis store with the default store_recheck_ms (1000: served from memory, one
 * GET per user per second), the Redis store with store_recheck_ms=0 (one GET per call), the
 * JSON token file (one stat per call), phpredis GET. No network beyond loopback.
 */
declare(strict_types=1);

const USERS = 1000;

$seconds = (float) ($argv[1] ?? 2.0);
$url = (string) getenv('ZOHO_TEST_REDIS_URL');
if (!extension_loaded('zoho_oauth') || !extension_loaded('redis') || $url === '') {
    fwrite(STDERR, "needs the zoho_oauth and redis extensions and ZOHO_TEST_REDIS_URL (scripts/redis.sh start)\n");
    exit(2);
}
$parts = parse_url($url);
$redis = new Redis();
$redis->connect($parts['host'], (int) $parts['port'], 2.0);
$prefix = 'zbench' . getmypid() . ':';
$dir = sys_get_temp_dir() . '/zoho-bench-redis-' . getmypid();
@mkdir($dir, 0700);
$users = array_map(fn($i) => "user$i@example.com", range(0, USERS - 1));
seed($redis, $prefix, $dir, $users);

$base = ['client_id' => '1000.BENCH', 'client_secret' => 'bench-secret', 'redirect_uri' => 'https://example.com/cb',
    'accounts_url' => 'http://127.0.0.1:9'];
$sides = [
    'Redis store, store_recheck_ms=1000' => $base + ['token_store' => 'redis', 'redis_url' => $url, 'redis_key_prefix' => $prefix],
    'Redis store, store_recheck_ms=0   ' => $base + ['token_store' => 'redis', 'redis_url' => $url, 'redis_key_prefix' => $prefix, 'store_recheck_ms' => '0'],
    'file store (JSON), cached         ' => $base + ['token_persistence_path' => $dir, 'token_store_format' => 'json'],
];
printf("getAccessToken, cached token, %d users stored (PHP %s, zoho_oauth %s, phpredis %s)\n",
    USERS, PHP_VERSION, phpversion('zoho_oauth'), phpversion('redis'));
$results = [];
foreach ($sides as $name => $configuration) {
    zcrmsdk\crm\setup\restclient\ZCRMRestClient::initialize($configuration);
    $client = zcrmsdk\oauth\ZohoOAuth::getClientInstance();
    foreach ($users as $user) {
        $client->getAccessToken($user);
    }
    $results[$name] = report($name, timed($seconds, fn(int $i) => $client->getAccessToken($users[$i % USERS])));
}
$floor = report('phpredis GET (the floor)          ', timed($seconds, fn(int $i) => $redis->get($prefix . 'user:' . $users[$i % USERS])));
foreach ($results as $name => $per) {
    printf("  %s / phpredis GET : %8.2fx\n", trim($name), $per / $floor);
}
$redis->del(array_map(fn($u) => $prefix . 'user:' . $u, $users));
$redis->del($prefix . 'users');
array_map('unlink', glob("$dir/*") ?: []);
@rmdir($dir);

function report(string $name, array $run): float
{
    [$calls, $elapsed] = $run;
    $per = $elapsed / $calls;
    printf("  %s : %9.2f µs/call  %12s calls/s\n", $name, $per * 1e6, number_format(1 / $per));
    return $per;
}

/** Calls $f(i) for about $seconds; returns [calls, elapsed seconds]. */
function timed(float $seconds, callable $f): array
{
    $calls = 0;
    $start = hrtime(true);
    $deadline = $start + (int) ($seconds * 1e9);
    do {
        for ($i = 0; $i < 100; $i++) {
            $f($calls++);
        }
        $now = hrtime(true);
    } while ($now < $deadline);
    return [$calls, ($now - $start) / 1e9];
}

/** The same USERS users, valid for an hour, in Redis (the store's layout) and a JSON token file. */
function seed(Redis $redis, string $prefix, string $dir, array $users): void
{
    $expiry = (int) round(microtime(true) * 1000) + 3600 * 1000;
    $entries = [];
    foreach ($users as $i => $user) {
        $entry = ['user' => $user, 'access_token' => sprintf('1000.%032x.%032x', $i, $i * 7),
            'refresh_token' => sprintf('1000.%032x.%032x', $i * 3, $i), 'expiry_time_ms' => $expiry];
        $entries[] = $entry;
        $redis->set($prefix . 'user:' . $user, json_encode(['format' => 'zoho-oauth-tokens', 'version' => 1, 'tokens' => [$entry]]));
        $redis->sAdd($prefix . 'users', $user);
    }
    file_put_contents("$dir/zoho_oauth_tokens.json", json_encode(['format' => 'zoho-oauth-tokens', 'version' => 1, 'tokens' => $entries]));
}
