<?php
/*
 * One worker of the bridge concurrency test, a PHP process running Zoho's current SDK (the
 * stand-in). Arguments: <index> <mode> <base64 JSON of {store, barrier, refresh_token, dir}>.
 * Waits for the barrier, initializes the SDK as an app would on each request, and prints the
 * access token the SDK would send. Modes:
 *   token - LockedOAuthToken (our token class) with our store
 *   csv   - the same, with our store on the SDK's sdk_tokens.txt
 *   redis - the same, with our store on Redis
 *   oauthtoken - the same, with our store on the current SDKs' MySQL table
 *   store - the SDK's own OAuthToken with LockedTokenStore
 *   sdk   - the SDK's own OAuthToken with its FileStore (the control: no lock)
 */
require __DIR__ . '/../../bridge/tests/bootstrap.php';

use com\zoho\api\authenticator\OAuthBuilder;
use com\zoho\api\authenticator\store\FileStore;
use com\zoho\crm\api\InitializeBuilder;
use com\zoho\crm\api\Initializer;
use com\zoho\crm\api\UserSignature;
use ZohoOAuth\Bridge\LockedOAuthBuilder;
use ZohoOAuth\Bridge\LockedTokenStore;

[$index, $mode, $payload] = [(int) $argv[1], $argv[2], json_decode(base64_decode($argv[3]), true)];
$GLOBALS['__emu'] = $payload['emu'];
while (!file_exists($payload['barrier'])) {
    usleep(1000);
}
try {
    $builder = match ($mode) {
        'token', 'csv', 'redis', 'oauthtoken' => (new LockedOAuthBuilder())->store($payload['store']),
        default => (new OAuthBuilder())->findUser(false),
    };
    $token = $builder->clientId(TEST_CLIENT_ID)->clientSecret(TEST_CLIENT_SECRET)
        ->refreshToken($payload['refresh_token'])->redirectURL(TEST_REDIRECT_URI)
        ->userSignature(new UserSignature('ada@example.com'))->build();
    $init = (new InitializeBuilder())->environment(bridge_environment())->token($token);
    if ($mode === 'store') {
        $init->store(new LockedTokenStore($payload['store']));
    } elseif ($mode === 'sdk') {
        $init->store(new FileStore($payload['dir'] . '/sdk_tokens.txt'));
    }
    $init->initialize();
    $headers = Initializer::authenticateRequest();
    echo substr($headers['Authorization'], strlen('Zoho-oauthtoken '));
} catch (Throwable $e) {
    echo 'error: ', get_class($e), ': ', $e->getMessage();
    exit(1);
}
