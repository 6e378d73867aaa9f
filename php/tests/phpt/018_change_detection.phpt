--TEST--
Per-request path: initialize() with the same array is not parsed again but a changed one takes effect at once; getAccessToken() serves from memory and still sees a change by another process using the extension at once, and a foreign write (as Zoho's SDK makes) within store_recheck_ms
--SKIPIF--
<?php if (!function_exists('pcntl_fork')) echo 'skip pcntl is not available';
--FILE--
<?php
use zcrmsdk\crm\setup\restclient\ZCRMRestClient;
use zcrmsdk\oauth\ZohoOAuth;
use zcrmsdk\oauth\exception\ZohoOAuthException;
use zcrmsdk\oauth\utility\ZohoOAuthTokens;

require __DIR__ . '/../lib/helpers.php';
$url = emulator_start();
emu_client();
$dir = temp_dir();
$file = "$dir/zcrm_oauthtokens.txt";

function sdk_tokens(string $user, string $access): ZohoOAuthTokens
{
    $t = new ZohoOAuthTokens();
    $t->setUserEmailId($user);
    $t->setAccessToken($access);
    $t->setRefreshToken('1000.refresh.' . $user);
    $t->setExpiryTime(round(microtime(true) * 1000) + 3600 * 1000);
    return $t;
}

/** Runs $work in a forked child (another PHP-FPM worker, as far as the token file goes). */
function in_other_process(callable $work): void
{
    $pid = pcntl_fork();
    if ($pid === 0) {
        $work();
        posix_kill(getmypid(), SIGKILL);
    }
    pcntl_waitpid($pid, $status);
}

$config = test_config($dir, ['store_recheck_ms' => '500']);
file_put_contents($file, serialize([sdk_tokens('ada@example.com', '1000.first')]));
ZCRMRestClient::initialize($config);
check_same('1000.first', ZohoOAuth::getClientInstance()->getAccessToken('ada@example.com'), 'the token from the file');

/** phpinfo()'s count of configuration arrays parsed in this process. */
function parsed(): int
{
    ob_start();
    phpinfo(INFO_MODULES);
    preg_match('/configurations parsed in this process => (\d+)/', ob_get_clean(), $m);
    return (int) ($m[1] ?? -1);
}

// The same array again: not parsed again, the same answers.
$before = parsed();
for ($i = 0; $i < 1000; $i++) {
    ZCRMRestClient::initialize($config);
}
check_same($before, parsed(), 'initialize() with the same array 1000 times parses nothing');
check_same('1000.first', ZohoOAuth::getClientInstance()->getAccessToken('ada@example.com'), '... and answers as before');
$reordered = array_reverse($config, true);
ZCRMRestClient::initialize($reordered);
check_same($before, parsed(), 'the same keys and values in another order parse nothing either');
ZCRMRestClient::initialize($config + ['timeout_secs' => 7]);
check_same([$before + 1, '7'], [parsed(), ZohoOAuth::getConfigValue('timeout_secs')], 'one more key is parsed and takes effect');
ZCRMRestClient::initialize(['timeout_secs' => 7] + $config);
check_same($before + 1, parsed(), '... and an integer value compares equal to its text in any order');
ZCRMRestClient::initialize($config);
$before = parsed();
$copy = $config;
$copy['currentUserEmail'] = 'bob@example.com';
ZCRMRestClient::initialize($copy);
check_same([$before + 1, 'bob@example.com'], [parsed(), ZCRMRestClient::getCurrentUserEmailID()], 'one changed value is parsed and takes effect');
ZCRMRestClient::initialize($config);
check_same('ada@example.com', ZCRMRestClient::getCurrentUserEmailID(), '... and so does going back');

// A changed array takes effect at once, and a wrong one fails as it always did.
ZCRMRestClient::initialize(['client_id' => 'other'] + $config);
check_same('other', ZohoOAuth::getConfigValue('client_id'), 'a changed configuration takes effect at once');
check_throws(fn() => ZCRMRestClient::initialize(['client_id' => ''] + $config), ZohoOAuthException::class,
    'client_id value is missing', 101, 'a wrong configuration still fails with the SDK message');
check_throws(fn() => ZCRMRestClient::initialize(['client_id' => ''] + $config), ZohoOAuthException::class,
    'client_id value is missing', 101, '... every time');
check_throws(fn() => ZCRMRestClient::initialize(['store_recheck_ms' => '-1'] + $config), ZohoOAuthException::class,
    null, 102, 'a bad store_recheck_ms is refused');
ZCRMRestClient::initialize($config);
$client = ZohoOAuth::getClientInstance();

// Another process saves new tokens through the extension: seen at once, inside the bound.
emu_refresh_token('1000.rt.ada', 'ada@example.com');
in_other_process(function () use ($config) {
    ZCRMRestClient::initialize($config);
    ZohoOAuth::getClientInstance()->generateAccessTokenFromRefreshToken('1000.rt.ada', 'ada@example.com');
});
$second = $client->getAccessToken('ada@example.com');
check(str_starts_with($second, '1000.') && $second !== '1000.first', 'a save by another process using the extension is seen at once');

// Zoho's SDK rewrites the file (no lock, no change counter): served from memory inside the
// bound, seen after it.
file_put_contents($file, serialize([sdk_tokens('ada@example.com', '1000.sdk')]));
check_same($second, $client->getAccessToken('ada@example.com'), 'a foreign write is not seen inside store_recheck_ms (served from memory)');
usleep(600 * 1000);
check_same('1000.sdk', $client->getAccessToken('ada@example.com'), '... and is seen after it');

// Another process deletes the tokens through the extension: refused at once.
in_other_process(function () use ($config) {
    ZCRMRestClient::initialize($config);
    ZohoOAuth::getClientInstance()->deleteTokens('ada@example.com');
});
check_throws(fn() => $client->getAccessToken('ada@example.com'), ZohoOAuthException::class,
    'No Tokens exist for the given user-identifier,Please generate and try again.', 400,
    'a delete by another process using the extension is seen at once');

// store_recheck_ms=0: a foreign write is seen on the very next call.
ZCRMRestClient::initialize(['store_recheck_ms' => '0'] + $config);
$every = ZohoOAuth::getClientInstance();
file_put_contents($file, serialize([sdk_tokens('ada@example.com', '1000.sdk.a')]));
check_same('1000.sdk.a', $every->getAccessToken('ada@example.com'), 'with 0: read from the file');
file_put_contents($file, serialize([sdk_tokens('ada@example.com', '1000.sdk.bb')]));
check_same('1000.sdk.bb', $every->getAccessToken('ada@example.com'), 'with 0: a foreign write is seen on the next call');
check_same(1, emu_counters()['token.refresh_token'], 'no refresh besides the explicit one');
--EXPECT--
ok - the token from the file
ok - initialize() with the same array 1000 times parses nothing
ok - ... and answers as before
ok - the same keys and values in another order parse nothing either
ok - one more key is parsed and takes effect
ok - ... and an integer value compares equal to its text in any order
ok - one changed value is parsed and takes effect
ok - ... and so does going back
ok - a changed configuration takes effect at once
ok - a wrong configuration still fails with the SDK message
ok - ... every time
ok - a bad store_recheck_ms is refused
ok - a save by another process using the extension is seen at once
ok - a foreign write is not seen inside store_recheck_ms (served from memory)
ok - ... and is seen after it
ok - a delete by another process using the extension is seen at once
ok - with 0: read from the file
ok - with 0: a foreign write is seen on the next call
ok - no refresh besides the explicit one
