--TEST--
A token file written by Zoho's real PHP SDK is read, refreshed and rewritten in the SDK's format; requests have the SDK's shape
--FILE--
<?php
use zcrmsdk\crm\setup\restclient\ZCRMRestClient;
use zcrmsdk\oauth\ZohoOAuth;
use zcrmsdk\oauth\exception\ZohoOAuthException;

require __DIR__ . '/../lib/helpers.php';
$url = emulator_start();
emu_client();
$dir = temp_dir();
$fixtures = dirname(__DIR__, 3) . '/tests/fixtures/php-sdk';
copy("$fixtures/three-users.zcrm_oauthtokens.txt", "$dir/zcrm_oauthtokens.txt");
$original = unserialize(file_get_contents("$dir/zcrm_oauthtokens.txt"));
$byUser = [];
foreach ($original as $t) {
    $byUser[$t->getUserEmailId()] = $t;
    emu_refresh_token($t->getRefreshToken(), strtolower($t->getUserEmailId()));
}
check_same(3, count($byUser), 'the fixture holds three users');

$config = test_config($dir, ['client_id' => '1000.CLIENTID', 'client_secret' => 's3cr3t']);
emu_client('1000.CLIENTID', 's3cr3t');
ZCRMRestClient::initialize($config);
$client = ZohoOAuth::getClientInstance();

$now = microtime(true) * 1000;
$refreshes = 0;
foreach (['ada@example.com', 'zoë@exämple.de', 'bob.smith@example.com'] as $asked) {
    $stored = $byUser[$asked] ?? $byUser['Bob.Smith@Example.COM'];
    $token = $client->getAccessToken($asked);
    if ($stored->getExpiryTime() - $now > 60000) {
        check_same($stored->getAccessToken(), $token, "$asked: the SDK's still-valid token is returned as is");
    } else {
        $refreshes++;
        check($token !== '' && str_starts_with($token, '1000.'), "$asked: the SDK's expired token is refreshed with the stored refresh token");
    }
}
check_same($refreshes, emu_counters()['token.refresh_token'], 'exactly one refresh per expired user');

$after = unserialize(file_get_contents("$dir/zcrm_oauthtokens.txt"));
check(is_array($after) && count($after) === 3, 'the file is still the SDK\'s format with three users');
$users = array_map(fn($t) => $t->getUserEmailId(), $after);
sort($users);
check_same(['Bob.Smith@Example.COM', 'ada@example.com', 'zoë@exämple.de'], $users, 'identifiers are kept byte for byte (case, UTF-8)');
foreach ($after as $t) {
    check_same($byUser[$t->getUserEmailId()]->getRefreshToken(), $t->getRefreshToken(), $t->getUserEmailId() . ': its refresh token is kept');
}
check_same($client->getAccessToken('bob.smith@example.com'), $client->getAccessToken('Bob.Smith@Example.COM'), 'a lookup that differs only in case finds the same user');

// The requests have the SDK's shape (same endpoint, parameters in the SDK's order).
$requests = array_values(array_filter(emu('GET', '/_emulator/requests'), fn($r) => str_starts_with($r['path'], '/oauth/v2/token')));
if ($requests) {
    parse_str($requests[0]['body'], $params);
    check_same(['client_id', 'client_secret', 'redirect_uri', 'grant_type', 'refresh_token'], array_keys($params), 'refresh parameters in the SDK\'s order');
    check_same('refresh_token', $params['grant_type'], 'grant_type=refresh_token');
} else {
    check(true, 'refresh parameters in the SDK\'s order');
    check(true, 'grant_type=refresh_token');
}

// A file whose user has no refresh token (online access, written as N;).
$dir2 = temp_dir();
copy("$fixtures/online-no-refresh.zcrm_oauthtokens.txt", "$dir2/zcrm_oauthtokens.txt");
ZCRMRestClient::initialize(test_config($dir2));
$online = unserialize(file_get_contents("$dir2/zcrm_oauthtokens.txt"))[0];
if ($online->getExpiryTime() - microtime(true) * 1000 > 60000) {
    check_same($online->getAccessToken(), ZohoOAuth::getClientInstance()->getAccessToken('online@example.com'), 'a valid online token is returned');
} else {
    check_throws(fn() => ZohoOAuth::getClientInstance()->getAccessToken('online@example.com'), ZohoOAuthException::class,
        'Refresh token is not provided.', 104, 'an expired online token without refresh token: the SDK\'s message');
}
check_same(file_get_contents("$fixtures/online-no-refresh.zcrm_oauthtokens.txt"), file_get_contents("$dir2/zcrm_oauthtokens.txt"), 'a failed refresh leaves the file untouched');
--EXPECTF--
ok - the fixture holds three users
ok - ada@example.com: %s
ok - zoë@exämple.de: %s
ok - bob.smith@example.com: %s
ok - exactly one refresh per expired user
ok - the file is still the SDK's format with three users
ok - identifiers are kept byte for byte (case, UTF-8)
ok - %s: its refresh token is kept
ok - %s: its refresh token is kept
ok - %s: its refresh token is kept
ok - a lookup that differs only in case finds the same user
ok - refresh parameters in the SDK's order
ok - grant_type=refresh_token
ok - a%s
ok - a failed refresh leaves the file untouched
