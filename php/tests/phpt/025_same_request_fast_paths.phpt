--TEST--
Per-request fast paths: initialize() recognises the very strings of the last array (held, so none can be freed and its memory reused), and any change made in place still takes effect; getClientInstance() returns the same client object while the configuration is the same, a new one when it changes
--FILE--
<?php
use zcrmsdk\crm\setup\restclient\ZCRMRestClient;
use zcrmsdk\oauth\ZohoOAuth;
use zcrmsdk\oauth\ZohoOAuthClient;
use zcrmsdk\oauth\utility\ZohoOAuthParams;
use zcrmsdk\oauth\exception\ZohoOAuthException;
use zcrmsdk\oauth\utility\ZohoOAuthTokens;

require __DIR__ . '/../lib/helpers.php';
$url = emulator_start();
$dir = temp_dir();

/** phpinfo()'s count of configuration arrays parsed in this process. */
function parsed(): int
{
    ob_start();
    phpinfo(INFO_MODULES);
    preg_match('/configurations parsed in this process => (\d+)/', ob_get_clean(), $m);
    return (int) ($m[1] ?? -1);
}

$t = new ZohoOAuthTokens();
$t->setUserEmailId('ada@example.com');
$t->setAccessToken('1000.ada');
$t->setRefreshToken('1000.refresh.ada');
$t->setExpiryTime(round(microtime(true) * 1000) + 3600 * 1000);
file_put_contents("$dir/zcrm_oauthtokens.txt", serialize([$t]));

// Values built at run time (not interned): held by the memo, so changing them in place
// makes new strings.
$config = test_config($dir);
$config['client_id'] = implode('.', ['1000', 'RUNTIME', (string) getmypid()]);
ZCRMRestClient::initialize($config);
$before = parsed();
for ($i = 0; $i < 100; $i++) {
    ZCRMRestClient::initialize($config);
}
check_same($before, parsed(), 'the same run-time array 100 times parses nothing');
$config['client_id'] .= 'X';
ZCRMRestClient::initialize($config);
check_same([$before + 1, '1000.RUNTIME.' . getmypid() . 'X'], [parsed(), ZohoOAuth::getConfigValue('client_id')],
    'a value appended to in place is a new configuration, parsed and in effect');

// A value freed and replaced by another of the same size, in the same bucket: the memo
// holds the old string, so the new one cannot take its address and pass for it.
$wrong = 0;
for ($i = 0; $i < 200; $i++) {
    $config['client_id'] = null;
    $config['client_id'] = sprintf('1000.ID%05d', $i);
    ZCRMRestClient::initialize($config);
    if (ZohoOAuth::getConfigValue('client_id') !== sprintf('1000.ID%05d', $i)) {
        $wrong++;
    }
}
check_same(0, $wrong, '200 values replaced in place, each in effect at once');

// The same literal-like array after a change and back: the byte comparison still answers.
$config['client_id'] = '1000.ID00199';
$before = parsed();
ZCRMRestClient::initialize($config);
check_same($before, parsed(), 'a new string with the same text as the last one parses nothing');
check_throws(fn() => ZCRMRestClient::initialize(['client_id' => ''] + $config), ZohoOAuthException::class,
    'client_id value is missing', 101, 'a wrong configuration still fails');
$config['client_id'] = '';
check_throws(fn() => ZCRMRestClient::initialize($config), ZohoOAuthException::class,
    'client_id value is missing', 101, '... also when the remembered array is changed in place');
$config['client_id'] = TEST_CLIENT_ID;

// The client object.
ZCRMRestClient::initialize($config);
$a = ZohoOAuth::getClientInstance();
check($a === ZohoOAuth::getClientInstance(), 'getClientInstance() returns the same object twice, as the SDK\'s singleton');
check($a === ZohoOAuthClient::getInstanceWithOutParam(), '... and getInstanceWithOutParam() returns it too');
check_same('1000.ada', $a->getAccessToken('ada@example.com'), '... and it works');
ZCRMRestClient::initialize($config);
check($a === ZohoOAuth::getClientInstance(), 'initialize() with the same configuration keeps it');
unset($a);
check_same('1000.ada', ZohoOAuth::getClientInstance()->getAccessToken('ada@example.com'), 'the kept object outlives the caller\'s variable');

$b = ZohoOAuth::getClientInstance();
ZCRMRestClient::initialize(['client_id' => '1000.OTHER'] + $config);
$c = ZohoOAuth::getClientInstance();
check($c !== $b, 'another configuration gives another object');
check_same(['1000.OTHER', TEST_CLIENT_ID], [$c->getZohoOAuthParams()->getClientId(), $b->getZohoOAuthParams()->getClientId()],
    '... with the new configuration, while the old object keeps its own');

$p = new ZohoOAuthParams();
$p->setClientId('1000.PARAMS');
$d = ZohoOAuthClient::getInstance($p);
check($d === ZohoOAuth::getClientInstance() && $d !== $c, 'getInstance($params) makes a new singleton object, which getClientInstance() returns');
check_same('1000.PARAMS', ZohoOAuth::getClientInstance()->getZohoOAuthParams()->getClientId(), '... with the parameters\' client id');
check_same('1000.ada', ZohoOAuth::getClientInstance()->getAccessToken('ada@example.com'), 'getAccessToken() through it');
check_throws(fn() => ZohoOAuth::getClientInstance()->getAccessToken("ada@example.com\0x"), ZohoOAuthException::class,
    null, 100, 'a NUL byte in the user is still refused');
check_throws(fn() => ZohoOAuth::getClientInstance()->getAccessToken("\xff\xfe"), ZohoOAuthException::class,
    'the argument is not valid UTF-8 text', 100, '... and so is a user that is not UTF-8');
check_same('1000.ada', ZohoOAuth::getClientInstance()->getAccessToken(new class { function __toString(): string { return 'ada@example.com'; } }),
    'a Stringable user is still coerced');
--EXPECT--
ok - the same run-time array 100 times parses nothing
ok - a value appended to in place is a new configuration, parsed and in effect
ok - 200 values replaced in place, each in effect at once
ok - a new string with the same text as the last one parses nothing
ok - a wrong configuration still fails
ok - ... also when the remembered array is changed in place
ok - getClientInstance() returns the same object twice, as the SDK's singleton
ok - ... and getInstanceWithOutParam() returns it too
ok - ... and it works
ok - initialize() with the same configuration keeps it
ok - the kept object outlives the caller's variable
ok - another configuration gives another object
ok - ... with the new configuration, while the old object keeps its own
ok - getInstance($params) makes a new singleton object, which getClientInstance() returns
ok - ... with the parameters' client id
ok - getAccessToken() through it
ok - a NUL byte in the user is still refused
ok - ... and so is a user that is not UTF-8
ok - a Stringable user is still coerced
