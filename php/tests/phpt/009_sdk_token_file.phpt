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

// The requests have the SDK's shape (same endpoint, parameters in the SDK's order). The
// emulator must have logged one token request per refresh, or there is nothing to check.
$requests = array_values(array_filter((array) emu('GET', '/_emulator/requests'), fn($r) => str_starts_with($r['path'], '/oauth/v2/token')));
check_same($refreshes, count($requests), 'the emulator logged one token request per refresh');
$orders = $grantTypes = [];
foreach ($requests as $request) {
    parse_str($request['body'], $params);
    $orders[] = array_keys($params);
    $grantTypes[] = $params['grant_type'] ?? null;
}
check($requests !== [] && array_unique($orders, SORT_REGULAR) === [['client_id', 'client_secret', 'redirect_uri', 'grant_type', 'refresh_token']],
    'refresh parameters in the SDK\'s order');
check($requests !== [] && array_unique($grantTypes) === ['refresh_token'], 'grant_type=refresh_token');

// A still-valid token in the SDK's file is returned as is, with no request and no write. The
// copy differs from the SDK's bytes only in the first entry's expiry (`d:<ms>;`), moved to an
// hour from now, so the file is still exactly what the SDK's serialize() writes.
$dir3 = temp_dir();
$future = (string) (int) (microtime(true) * 1000 + 3600000);
$edited = preg_replace('/(ZohoOAuthTokens\x00expiryTime";d:)[0-9.E+-]+;/', '${1}' . $future . ';',
    file_get_contents("$fixtures/three-users.zcrm_oauthtokens.txt"), 1, $count);
file_put_contents("$dir3/zcrm_oauthtokens.txt", $edited);
$list = unserialize($edited);
$valid = array_values(array_filter($list, fn($t) => $t->isValidAccessToken()));
check($count === 1 && count($list) === 3 && count($valid) === 1 && $valid[0]->getExpiryTime() === (float) $future,
    'the edited copy holds one still-valid entry among three');
ZCRMRestClient::initialize(test_config($dir3, ['client_id' => '1000.CLIENTID', 'client_secret' => 's3cr3t']));
$before = emu_counters()['token.refresh_token'];
$mtime = filemtime("$dir3/zcrm_oauthtokens.txt");
check_same($valid[0]->getAccessToken(), ZohoOAuth::getClientInstance()->getAccessToken($valid[0]->getUserEmailId()),
    $valid[0]->getUserEmailId() . ': the SDK\'s still-valid token is returned as is');
check_same($before, emu_counters()['token.refresh_token'], '... with no request to the accounts server');
clearstatcache();
check($edited === file_get_contents("$dir3/zcrm_oauthtokens.txt") && $mtime === filemtime("$dir3/zcrm_oauthtokens.txt"), '... and the file untouched');

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
ok - the emulator logged one token request per refresh
ok - refresh parameters in the SDK's order
ok - grant_type=refresh_token
ok - the edited copy holds one still-valid entry among three
ok - %s: the SDK's still-valid token is returned as is
ok - ... with no request to the accounts server
ok - ... and the file untouched
ok - a%s
ok - a failed refresh leaves the file untouched
