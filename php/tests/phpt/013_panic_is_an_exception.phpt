--TEST--
A Rust panic becomes a ZohoOAuthException (code 501), never a crash (debug builds have a panic switch for this test)
--SKIPIF--
<?php if (!str_contains((string) getenv('ZOHO_OAUTH_EXT'), '/debug/')) echo 'skip needs the debug build';
--FILE--
<?php
require __DIR__ . '/../lib/helpers.php';
$script = temp_dir() . '/panic.php';
file_put_contents($script, '<?php
$calls = [
    fn() => zcrmsdk\oauth\ZohoOAuth::initialize(["client_id" => "x"]),
    fn() => zcrmsdk\oauth\ZohoOAuth::getClientInstance(),
    fn() => (new zcrmsdk\oauth\utility\ZohoOAuthTokens())->getAccessToken(),
    fn() => zcrmsdk\crm\setup\restclient\ZCRMRestClient::initialize([]),
];
foreach ($calls as $call) {
    try { $call(); echo "no exception\n"; }
    catch (zcrmsdk\oauth\exception\ZohoOAuthException $e) { echo $e->getCode(), " ", $e->getErrorKind(), " ", $e->getMessage(), "\n"; }
}
echo "survived\n";');
putenv('ZOHO_OAUTH_PHP_TEST_PANIC=1');
exec(escapeshellarg(PHP_BINARY) . ' -n -d extension=' . escapeshellarg(getenv('ZOHO_OAUTH_EXT')) . ' ' . escapeshellarg($script) . ' 2>/dev/null', $lines, $status);
putenv('ZOHO_OAUTH_PHP_TEST_PANIC');
check_same(0, $status, 'the process exits normally');
check_same(5, count($lines), 'every call returned');
foreach (array_slice($lines, 0, 4) as $i => $line) {
    check(str_starts_with($line, '501 panic zoho-oauth: internal error (a Rust panic was caught: test panic requested'), "call $i: ZohoOAuthException 501");
}
check_same('survived', end($lines), 'and the script went on');
--EXPECT--
ok - the process exits normally
ok - every call returned
ok - call 0: ZohoOAuthException 501
ok - call 1: ZohoOAuthException 501
ok - call 2: ZohoOAuthException 501
ok - call 3: ZohoOAuthException 501
ok - and the script went on
