<?php
/*
 * One worker process of the concurrency tests. Arguments: <index> <mode> <base64 JSON of
 * {config, barrier, refresh_token?}>. Waits for the barrier file, then:
 *   get   - prints getAccessToken('ada@example.com')
 *   save  - generateAccessTokenFromRefreshToken(refresh_token, "user<index>@example.com")
 *   read  - 200 reads of 'keeper@example.com', prints the number of failures
 */
use zcrmsdk\crm\setup\restclient\ZCRMRestClient;
use zcrmsdk\oauth\ZohoOAuth;

[$index, $mode, $payload] = [(int) $argv[1], $argv[2], json_decode(base64_decode($argv[3]), true)];
ZCRMRestClient::initialize($payload['config']);
$client = ZohoOAuth::getClientInstance();
while (!file_exists($payload['barrier'])) {
    usleep(1000);
}
try {
    switch ($mode) {
        case 'get':
            echo $client->getAccessToken('ada@example.com');
            break;
        case 'save':
            $client->generateAccessTokenFromRefreshToken($payload['refresh_tokens'][$index], "user$index@example.com");
            echo "saved user$index@example.com";
            break;
        case 'read':
            $failures = 0;
            for ($i = 0; $i < 200; $i++) {
                try {
                    $client->getAccessToken('keeper@example.com');
                } catch (Exception $e) {
                    $failures++;
                }
            }
            echo "failures=$failures";
            break;
    }
} catch (Throwable $e) {
    echo 'error: ', get_class($e), ': ', $e->getMessage();
    exit(1);
}
