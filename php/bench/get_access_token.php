<?php
/*
 * Benchmark of the per-request path: ZCRMRestClient::initialize($configuration) and
 * ZohoOAuth::getClientInstance()->getAccessToken($user) on a cached token, alone and together
 * (as every request does), with 1 and 1,000 users in the token file, through the extension
 * and through a pure-PHP copy of what Zoho's SDK does (its initialize(): the mandatory-key
 * checks, the copy of the keys into static maps, the MySQL defaults, a new ZohoOAuthParams and
 * client singleton; its getAccessToken(): read the token file, unserialize() it, scan for the
 * user, check the expiry), measured in the same run. The floor is a PHP array lookup.
 *
 *   php -d extension=.../libzoho_oauth_php.so php/bench/get_access_token.php [seconds per case]
 *
 * The pure-PHP side runs in a child process without the extension (`php -n`), so it measures
 * exactly what the SDK does. No network is involved: every token is valid for an hour.
 */
declare(strict_types=1);

const USER_COUNTS = [1, 1000];

if (($argv[1] ?? '') === '--pure-php') {
    pure_php_side($argv[2], (int) $argv[3], (float) $argv[4]);
    exit(0);
}

$seconds = (float) ($argv[1] ?? 1.0);
if (!extension_loaded('zoho_oauth')) {
    fwrite(STDERR, "load the extension: php -d extension=/path/to/libzoho_oauth_php.so " . $argv[0] . "\n");
    exit(2);
}

$rows = [];
foreach (USER_COUNTS as $count) {
    $dir = sys_get_temp_dir() . '/zoho-bench-' . getmypid() . "-$count";
    @mkdir($dir, 0700);
    write_token_file($dir, $count);
    $rows[$count] = ['ext' => extension_side($dir, $count, $seconds), 'sdk' => run_pure_php($dir, $count, $seconds)];
    remove_dir($dir);
}
$floor = floor_side($seconds);

printf("Per request, cached token (PHP %s, zoho_oauth %s), µs per call; %.1f s per case\n\n",
    PHP_VERSION, phpversion('zoho_oauth'), $seconds);
printf("| per call | users | extension | Zoho's old SDK (pure PHP) | ratio |\n|---|---|---|---|---|\n");
foreach (['initialize' => 'ZCRMRestClient::initialize($cfg)', 'get' => 'getAccessToken($user)', 'both' => 'both, as one request does'] as $key => $label) {
    foreach (USER_COUNTS as $count) {
        $ext = $rows[$count]['ext'][$key];
        $sdk = $rows[$count]['sdk'][$key];
        printf("| %s | %s | %.3f | %.2f | %.0fx |\n", $label, number_format($count), $ext * 1e6, $sdk * 1e6, $sdk / $ext);
    }
}
printf("| floor: a PHP array lookup | | %.3f | | |\n", $floor * 1e6);

/** Extension side: returns seconds per call for initialize, getAccessToken and both. */
function extension_side(string $dir, int $count, float $seconds): array
{
    $configuration = bench_configuration($dir);
    $users = users($count);
    zcrmsdk\crm\setup\restclient\ZCRMRestClient::initialize($configuration);
    foreach ($users as $user) {
        zcrmsdk\oauth\ZohoOAuth::getClientInstance()->getAccessToken($user);   // warm the cache
    }
    $init = per_call($seconds, function (int $i) use ($configuration) {
        zcrmsdk\crm\setup\restclient\ZCRMRestClient::initialize($configuration);
    });
    $client = zcrmsdk\oauth\ZohoOAuth::getClientInstance();
    $get = per_call($seconds, function (int $i) use ($client, $users, $count) {
        return $client->getAccessToken($users[$i % $count]);
    });
    $both = per_call($seconds, function (int $i) use ($configuration, $users, $count) {
        zcrmsdk\crm\setup\restclient\ZCRMRestClient::initialize($configuration);
        return zcrmsdk\oauth\ZohoOAuth::getClientInstance()->getAccessToken($users[$i % $count]);
    });
    return ['initialize' => $init, 'get' => $get, 'both' => $both];
}

/** The floor: looking a token up in a PHP array, through the same timing loop. */
function floor_side(float $seconds): float
{
    $tokens = ['user0@example.com' => '1000.token'];
    return per_call($seconds, function (int $i) use ($tokens) {
        return $tokens['user0@example.com'];
    });
}

function bench_configuration(string $dir): array
{
    return ['client_id' => '1000.BENCH', 'client_secret' => 'bench-secret', 'redirect_uri' => 'https://example.com/cb',
        'currentUserEmail' => 'user0@example.com', 'accounts_url' => 'http://127.0.0.1:9', 'token_persistence_path' => $dir];
}

function users(int $count): array
{
    return array_map(fn($i) => "user$i@example.com", range(0, $count - 1));
}

/** Calls $f(i) for about $seconds; returns seconds per call, the loop's own cost included. */
function per_call(float $seconds, callable $f): float
{
    $calls = 0;
    $start = hrtime(true);
    $deadline = $start + (int) ($seconds * 1e9);
    do {
        for ($i = 0; $i < 1000; $i++) {
            $f($calls++);
        }
        $now = hrtime(true);
    } while ($now < $deadline);
    return ($now - $start) / 1e9 / $calls;
}

function run_pure_php(string $dir, int $count, float $seconds): array
{
    $command = implode(' ', array_map('escapeshellarg', [PHP_BINARY, '-n', __FILE__, '--pure-php', $dir, (string) $count, (string) $seconds]));
    $result = json_decode((string) shell_exec($command), true);
    if (!is_array($result)) {
        fwrite(STDERR, "the pure-PHP side failed\n");
        exit(1);
    }
    return $result;
}

/** The SDK's file, with $count users whose tokens are valid for an hour. */
function write_token_file(string $dir, int $count): void
{
    $list = [];
    $expiry = round(microtime(true) * 1000) + 3600 * 1000;
    for ($i = 0; $i < $count; $i++) {
        $t = new zcrmsdk\oauth\utility\ZohoOAuthTokens();
        $t->setRefreshToken(sprintf('1000.%032x.%032x', $i, 1));
        $t->setAccessToken(sprintf('1000.%032x.%032x', $i, 2));
        $t->setExpiryTime($expiry);
        $t->setUserEmailId("user$i@example.com");
        $list[] = $t;
    }
    file_put_contents("$dir/zcrm_oauthtokens.txt", serialize($list));
}

function remove_dir(string $dir): void
{
    foreach (glob("$dir/{,.}*", GLOB_BRACE) ?: [] as $path) {
        if (basename($path) === '.' || basename($path) === '..') {
            continue;
        }
        is_dir($path) ? remove_dir($path) : unlink($path);
    }
    @rmdir($dir);
}

/** The SDK's initialize() and getAccessToken() in plain PHP; prints seconds per call as JSON. */
function pure_php_side(string $dir, int $count, float $seconds): void
{
    require __DIR__ . '/sdk_copy.php';
    $configuration = bench_configuration($dir);
    $users = users($count);
    $init = per_call($seconds, fn(int $i) => \SdkCopy\ZCRMRestClient::initialize($configuration));
    $get = per_call($seconds, fn(int $i) => \SdkCopy\ZohoOAuth::getClientInstance()->getAccessToken($users[$i % $count]));
    $both = per_call($seconds, function (int $i) use ($configuration, $users, $count) {
        \SdkCopy\ZCRMRestClient::initialize($configuration);
        return \SdkCopy\ZohoOAuth::getClientInstance()->getAccessToken($users[$i % $count]);
    });
    echo json_encode(['initialize' => $init, 'get' => $get, 'both' => $both]);
}
