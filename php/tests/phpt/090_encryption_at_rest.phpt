--TEST--
Issue 27: tokens sealed at rest in the token file; a tampered value, swapped users or a missing key throw naming the user and the key id, with nothing refreshed or written; the key never shows in getAllConfigs()
--FILE--
<?php
use zcrmsdk\crm\setup\restclient\ZCRMRestClient;
use zcrmsdk\oauth\ZohoOAuth;

require __DIR__ . '/../lib/helpers.php';
$url = emulator_start();
emu_client();
$dir = temp_dir();
$raw = random_bytes(32);
$keyFile = "$dir/token.key";
file_put_contents($keyFile, base64_encode($raw) . "\n");
chmod($keyFile, 0600);
$id = substr(hash('sha256', "zoho-oauth token key id\0" . $raw), 0, 8);
// store_recheck_ms=0: every call asks the store, so a value changed behind the library's back is read.
$sealed = test_config($dir, ['token_encryption_key_file' => $keyFile, 'store_recheck_ms' => '0']);

ZCRMRestClient::initialize($sealed);
$tokens = [];
foreach (['ada@example.com', 'bob@example.com'] as $user) {
    $tokens[$user] = ZohoOAuth::getClientInstance()->generateAccessToken(emu_grant($user));
}
$file = "$dir/zcrm_oauthtokens.txt";
$text = file_get_contents($file);
$leaks = 0;
foreach ($tokens as $t) {
    foreach ([$t->getAccessToken(), (string) $t->getRefreshToken()] as $v) {
        for ($i = 0; $i + 8 <= strlen($v); $i++) {
            $leaks += str_contains($text, substr($v, $i, 8)) ? 1 : 0;
        }
    }
}
check_same(0, $leaks, 'no 8-character fragment of a token is in the token file');
check(str_contains($text, "zoe1.$id."), 'the values are sealed with the key, named by its id');
check_same($tokens['ada@example.com']->getAccessToken(), ZohoOAuth::getClientInstance()->getAccessToken('ada@example.com'), 'the sealed token is served');

// The key as a value, given by a user who insists: never shown.
ZCRMRestClient::initialize(test_config($dir, ['token_encryption_key' => base64_encode($raw)]));
$shown = var_export(ZohoOAuth::getAllConfigs(), true);
check(!str_contains($shown, base64_encode($raw)), 'getAllConfigs() never shows the key');
check_same($tokens['ada@example.com']->getAccessToken(), ZohoOAuth::getClientInstance()->getAccessToken('ada@example.com'), 'the key given as a value opens the same tokens');

// A stored value that does not open: one byte changed, then two users' values swapped.
preg_match_all('/zoe1\.[0-9a-f]{8}\.[A-Za-z0-9_-]+/', $text, $m);
[$adaAccess, $adaRefresh, $bobAccess, $bobRefresh] = $m[0];
$tampered = $adaRefresh;
$tampered[30] = $tampered[30] === 'A' ? 'B' : 'A';
$cases = [
    'one byte changed' => [str_replace($adaRefresh, $tampered, $text), $sealed, 402],
    'two users swapped' => [strtr($text, [$adaAccess => $bobAccess, $bobAccess => $adaAccess, $adaRefresh => $bobRefresh, $bobRefresh => $adaRefresh]), $sealed, 402],
    'no key configured' => [$text, test_config($dir, ['store_recheck_ms' => '0']), 101],
];
// Every access token expired, so a read that opened the values would refresh.
$text = preg_replace('/expiryTime";d:[0-9.E+]+;/', 'expiryTime";d:1000;', $text);
foreach ($cases as $case => [$planted, $config, $code]) {
    file_put_contents($file, $planted);
    $before = emu_counters()['token.refresh_token'] ?? 0;
    ZCRMRestClient::initialize($config);
    $client = ZohoOAuth::getClientInstance();
    $e = check_throws(fn() => $client->getAccessToken('ada@example.com'), 'zcrmsdk\oauth\exception\ZohoOAuthException', null, $code, "$case: getAccessToken throws");
    check($e !== null && str_contains($e->getMessage(), 'ada@example.com') && str_contains($e->getMessage(), $id), "$case: the error names the user and the key id");
    check($e !== null && !str_contains($e->getMessage(), substr((string) $tokens['ada@example.com']->getRefreshToken(), 5, 12)), "$case: and no token");
    check_throws(fn() => $client->getAccessToken('ada@example.com'), 'zcrmsdk\oauth\exception\ZohoOAuthException', null, $code, "$case: and again (nothing cached)");
    check_same($planted, file_get_contents($file), "$case: the file is left as it was");
    check_same($before, emu_counters()['token.refresh_token'] ?? 0, "$case: nothing was refreshed");
}
--EXPECT--
ok - no 8-character fragment of a token is in the token file
ok - the values are sealed with the key, named by its id
ok - the sealed token is served
ok - getAllConfigs() never shows the key
ok - the key given as a value opens the same tokens
ok - one byte changed: getAccessToken throws
ok - one byte changed: the error names the user and the key id
ok - one byte changed: and no token
ok - one byte changed: and again (nothing cached)
ok - one byte changed: the file is left as it was
ok - one byte changed: nothing was refreshed
ok - two users swapped: getAccessToken throws
ok - two users swapped: the error names the user and the key id
ok - two users swapped: and no token
ok - two users swapped: and again (nothing cached)
ok - two users swapped: the file is left as it was
ok - two users swapped: nothing was refreshed
ok - no key configured: getAccessToken throws
ok - no key configured: the error names the user and the key id
ok - no key configured: and no token
ok - no key configured: and again (nothing cached)
ok - no key configured: the file is left as it was
ok - no key configured: nothing was refreshed
