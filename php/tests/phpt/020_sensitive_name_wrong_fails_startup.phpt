--TEST--
A #[\SensitiveParameter] entry naming a method or class that does not exist stops the extension from loading, naming class::method (debug builds have a switch that adds an entry)
--SKIPIF--
<?php if (!str_contains((string) getenv('ZOHO_OAUTH_EXT'), '/debug/')) echo 'skip needs the debug build';
--FILE--
<?php
require __DIR__ . '/../lib/helpers.php';
/** Starts PHP with the extension and ZOHO_OAUTH_PHP_TEST_SENSITIVE=$named; returns [status, output]. */
function start_with(string $named): array {
    putenv("ZOHO_OAUTH_PHP_TEST_SENSITIVE=$named");
    $command = escapeshellarg(PHP_BINARY) . ' -n -d display_startup_errors=1 -d extension='
        . escapeshellarg(getenv('ZOHO_OAUTH_EXT'))
        . ' -r ' . escapeshellarg('echo extension_loaded("zoho_oauth") ? "loaded" : "not loaded", "\n";') . ' 2>&1';
    exec($command, $lines, $status);
    putenv('ZOHO_OAUTH_PHP_TEST_SENSITIVE');
    return [$status, implode("\n", $lines)];
}

[$status, $output] = start_with('zcrmsdk\oauth\ZohoOAuthClient::getAccessToken');
check_same(0, $status, 'an existing method: PHP starts');
check(str_contains($output, 'loaded') && !str_contains($output, 'not loaded'), '... with the extension');

[$status, $output] = start_with('zcrmsdk\oauth\ZohoOAuthClient::generateAccesToken');
check($status !== 0, 'a misspelt method: PHP does not start');
check(str_contains($output, 'zoho_oauth: module startup failed: cannot mark a parameter #[\SensitiveParameter]: zcrmsdk\oauth\ZohoOAuthClient::generateAccesToken(): no such method'),
    '... and says which class::method');
check(str_contains($output, 'Unable to start zoho_oauth module'), '... PHP reports the module did not start');

[$status, $output] = start_with('zcrmsdk\oauth\NoSuchClass::initialize');
check($status !== 0, 'an unknown class: PHP does not start');
check(str_contains($output, 'zcrmsdk\oauth\NoSuchClass::initialize(): class zcrmsdk\oauth\NoSuchClass does not exist'),
    '... and says which class');

[$status, $output] = start_with('zcrmsdk\oauth\utility\ZohoOAuthTokens::getAccessToken');
check($status !== 0, 'a method without a first parameter: PHP does not start');
check(str_contains($output, 'ZohoOAuthTokens::getAccessToken() has 0 parameter(s), not a parameter #1'), '... and says so');
--EXPECT--
ok - an existing method: PHP starts
ok - ... with the extension
ok - a misspelt method: PHP does not start
ok - ... and says which class::method
ok - ... PHP reports the module did not start
ok - an unknown class: PHP does not start
ok - ... and says which class
ok - a method without a first parameter: PHP does not start
ok - ... and says so
