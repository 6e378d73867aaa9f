--TEST--
getCode() and getErrorKind() agree with the error table of docs/errors.md (the one table of error kinds, src/error/kinds.rs)
--FILE--
<?php
use zcrmsdk\crm\setup\restclient\ZCRMRestClient;
use zcrmsdk\oauth\ZohoOAuth;
use zcrmsdk\oauth\exception\ZohoOAuthException;
use zcrmsdk\oauth\utility\ZohoOAuthTokens;

require __DIR__ . '/../lib/helpers.php';

// docs/errors.md's table of error codes: kind => code (cli/tests/error_table.rs checks it against the
// table in Rust, the C headers and the CLI).
$readme = file_get_contents(__DIR__ . '/../../../docs/errors.md');
$at = strpos($readme, '## The table of error codes');
check($at !== false, 'docs/errors.md has its table of error codes');
$section = substr($readme, (int) $at);
preg_match_all('/^\| (\d+) \| `([a-z0-9_]+)` \|/m', $section, $rows, PREG_SET_ORDER);
$table = [];
foreach ($rows as [, $code, $kind]) {
    $table[$kind] ??= (int) $code;
}
check(count($table) === 29, 'docs/errors.md lists 29 error kinds');

$url = emulator_start();
emu_client();
$dir = temp_dir();
$seen = [];
$expect = function (callable $f, string $kind) use (&$seen, $table) {
    try {
        $f();
        check(false, "$kind (nothing was thrown)");
    } catch (ZohoOAuthException $e) {
        $seen[] = $kind;
        check_same([$kind, $table[$kind] ?? null], [$e->getErrorKind(), $e->getCode()], "$kind is code {$table[$kind]}");
    }
};

$expect(fn() => ZohoOAuth::getClientInstance(), 'not_initialized');
$expect(fn() => ZCRMRestClient::initialize([]), 'config_missing');
$expect(fn() => ZCRMRestClient::initialize(test_config($dir, ['refresh_margin_secs' => 'soon'])), 'config_invalid');
ZCRMRestClient::initialize(test_config($dir));
$client = ZohoOAuth::getClientInstance();
$expect(fn() => $client->generateAccessToken(''), 'missing_token');
$expect(fn() => $client->getAccessToken('nobody@example.com'), 'no_tokens');
$expect(fn() => $client->generateAccessToken('1000.0000ffff0000ffff0000ffff0000ffff.1111eeee1111eeee1111eeee1111eeee'), 'invalid_code');
$t = new ZohoOAuthTokens();
$t->setAccessToken('1000.abc');
$t->setExpiryTime(microtime(true) * 1000 - 1000);
$expect(fn() => $t->getAccessToken(), 'token_expired');
ZCRMRestClient::initialize(test_config($dir, ['client_secret' => 'wrong']));
$expect(fn() => ZohoOAuth::getClientInstance()->generateAccessToken(emu_grant()), 'invalid_client_secret');
ZCRMRestClient::initialize(test_config($dir, ['accounts_url' => 'http://127.0.0.1:1']));
$expect(fn() => ZohoOAuth::getClientInstance()->generateAccessToken('1000.x'), 'connect');
ZCRMRestClient::initialize(test_config("$dir/missing"));
$expect(fn() => ZohoOAuth::getClientInstance()->getAccessToken('ada@example.com'), 'store_io');
check_same(10, count(array_unique($seen)), 'ten kinds checked');
--EXPECT--
ok - docs/errors.md has its table of error codes
ok - docs/errors.md lists 29 error kinds
ok - not_initialized is code 103
ok - config_missing is code 101
ok - config_invalid is code 102
ok - missing_token is code 104
ok - no_tokens is code 400
ok - invalid_code is code 300
ok - token_expired is code 309
ok - invalid_client_secret is code 302
ok - connect is code 200
ok - store_io is code 401
ok - ten kinds checked
