<?php
/*
 * One process of the mixed-fleet test: <index> <role> <base64 JSON of {csv, barrier, emu,
 * refresh_token, rounds}>. Waits for the barrier, then for `rounds` requests:
 *   sdk    - the SDK's own FileStore saves this process's user (what an SDK process does at
 *            each refresh): the whole sdk_tokens.txt rewritten in place, without a lock
 *   bridge - a request through LockedOAuthToken on the same file for ada@example.com
 *   reader - reads the file raw (20 times a round) and counts the torn (empty or partial) reads
 * Prints a JSON summary; a bridge request that fails is listed with its message.
 */
require __DIR__ . '/../../bridge/tests/bootstrap.php';

use com\zoho\api\authenticator\OAuthToken;
use com\zoho\api\authenticator\store\FileStore;
use com\zoho\crm\api\InitializeBuilder;
use com\zoho\crm\api\Initializer;
use com\zoho\crm\api\UserSignature;
use ZohoOAuth\Bridge\LockedOAuthBuilder;

[$index, $role, $p] = [(int) $argv[1], $argv[2], json_decode(base64_decode($argv[3]), true)];
$GLOBALS['__emu'] = $p['emu'];
$GLOBALS['__bridge_api_domain_for'] = $p['emu'];            // the parent set the emulator up
while (!file_exists($p['barrier'])) {
    usleep(1000);
}
$summary = ['ok' => 0, 'failed' => [], 'torn' => 0];
$later = (string) ((int) round(microtime(true) * 1000) + 3600000);
for ($round = 0; $round < $p['rounds']; $round++) {
    try {
        if ($role === 'sdk') {
            $user = "sdk$index@example.com";
            $t = new OAuthToken(TEST_CLIENT_ID, TEST_CLIENT_SECRET, null, "1000.r.sdk$index", TEST_REDIRECT_URI, null,
                "1000.a.sdk$index.$round", new UserSignature($user), false);
            $t->setExpiresIn($later);
            (new FileStore($p['csv']))->saveToken($t);
        } elseif ($role === 'bridge') {
            bridge_new_request();
            $token = (new LockedOAuthBuilder())->store(bridge_store_config($p['csv']))->clientId(TEST_CLIENT_ID)
                ->clientSecret(TEST_CLIENT_SECRET)->refreshToken($p['refresh_token'])
                ->userSignature(new UserSignature('ada@example.com'))->build();
            (new InitializeBuilder())->environment(bridge_environment())->token($token)->initialize();
            if (!str_starts_with(Initializer::authenticateRequest()['Authorization'], 'Zoho-oauthtoken 1000.')) {
                throw new RuntimeException('no access token');
            }
        } else {
            for ($read = 0; $read < 20; $read++) {                 // 20 raw reads per round
                $text = rtrim((string) @file_get_contents($p['csv']), "\r\n");
                $lines = explode("\n", $text);
                if ($text === '' || count(str_getcsv(end($lines), ',', '"', '\\')) !== 10) {
                    $summary['torn']++;
                }
                usleep(1000);
            }
        }
        $summary['ok']++;
    } catch (Throwable $e) {
        $summary['failed'][] = get_class($e) . ' (' . $e->getCode() . '): ' . $e->getMessage();
    }
}
echo json_encode($summary);
