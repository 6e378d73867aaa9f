<?php
/*
 * Per-request cost of Zoho's current SDK (stand-in) with a valid stored token: build the token,
 * initialize, authenticate one request. The SDK's own FileStore (reads sdk_tokens.txt on every
 * request) against the bridge's LockedOAuthToken and LockedTokenStore (the core's cache).
 *   EMULATOR_BIN=... php -n -d extension=.../libzoho_oauth_php.so php/bridge/tests/bench.php [N]
 * With SDK_DIR=/path/to/zohocrm-php-sdk-8.0 (a checkout of Zoho's real SDK; add
 * -d extension=curl -d extension=mbstring) it measures the real SDK instead of the stand-in.
 * Numbers are per request in one process: a fresh PHP-FPM request of the real SDK also loads
 * its JSON resource file (about 12 ms), which this loop pays once.
 */
require __DIR__ . '/bootstrap.php';

use com\zoho\api\authenticator\OAuthBuilder;
use com\zoho\api\authenticator\store\FileStore;
use com\zoho\crm\api\InitializeBuilder;
use com\zoho\crm\api\Initializer;
use com\zoho\crm\api\UserSignature;
use ZohoOAuth\Bridge\LockedOAuthBuilder;
use ZohoOAuth\Bridge\LockedTokenStore;

$n = (int) ($argv[1] ?? 2000);
emulator_start();
emu_client();
$dir = temp_dir();
$refresh = '1000.' . bin2hex(random_bytes(16)) . '.r';
emu_refresh_token($refresh, 'ada@example.com');
$sdkStore = new FileStore("$dir/sdk_tokens.txt");
$lockedStore = new LockedTokenStore(bridge_store_config($dir));
$config = bridge_store_config($dir);

$cases = [
    "SDK FileStore" => fn() => (new InitializeBuilder())->environment(bridge_environment())->store($sdkStore)->token(
        (new OAuthBuilder())->clientId(TEST_CLIENT_ID)->clientSecret(TEST_CLIENT_SECRET)->refreshToken($refresh)
            ->userSignature(new UserSignature('ada@example.com'))->findUser(false)->build())->initialize(),
    "bridge LockedOAuthToken" => fn() => (new InitializeBuilder())->environment(bridge_environment())->token(
        (new LockedOAuthBuilder())->store($config)->clientId(TEST_CLIENT_ID)->clientSecret(TEST_CLIENT_SECRET)->refreshToken($refresh)
            ->userSignature(new UserSignature('ada@example.com'))->build())->initialize(),
    "bridge LockedTokenStore" => fn() => (new InitializeBuilder())->environment(bridge_environment())->store($lockedStore)->token(
        (new OAuthBuilder())->clientId(TEST_CLIENT_ID)->clientSecret(TEST_CLIENT_SECRET)->refreshToken($refresh)
            ->userSignature(new UserSignature('ada@example.com'))->findUser(false)->build())->initialize(),
];
$cases = array_map(fn($case) => function () use ($case) {
    bridge_new_request();                                // each request starts without the SDK's statics
    $case();
}, $cases);
// The requests run in 20 batches: the median batch, and the best one (a shared machine's
// other load only ever adds time), in µs per request.
$batches = 20;
$perBatch = max(1, intdiv($n, $batches));
foreach ($cases as $name => $request) {
    $request();                                          // the first request refreshes
    bridge_authenticate();
    $times = [];
    for ($b = 0; $b < $batches; $b++) {
        $start = hrtime(true);
        for ($i = 0; $i < $perBatch; $i++) {
            $request();
            bridge_authenticate();
        }
        $times[] = (hrtime(true) - $start) / 1000 / $perBatch;
    }
    sort($times);
    printf("%-26s %7.1f µs per request (median batch), best %6.1f; initialize + authenticate, %d requests\n",
        $name, ($times[$batches / 2 - 1] + $times[$batches / 2]) / 2, $times[0], $perBatch * $batches);
}
