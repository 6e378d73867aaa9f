--TEST--
ZohoOAuthTokens: constructible, the SDK's getters and setters, expiry in ms, clone, and serialize() byte-compatible with the SDK
--FILE--
<?php
use zcrmsdk\oauth\utility\ZohoOAuthTokens;

require __DIR__ . '/../lib/helpers.php';

$t = new ZohoOAuthTokens();
check($t instanceof ZohoOAuthTokens, 'new ZohoOAuthTokens() works');
check_same(null, $t->getRefreshToken(), 'a new object has no refresh token');
check_same(null, $t->getExpiryTime(), '... no expiry');
check_same(null, $t->getUserEmailId(), '... no user');
check_same(false, $t->isValidAccessToken(), '... and is not valid');

$t->setRefreshToken('1000.ref.resh');
$t->setAccessToken('1000.acc.ess');
$expiry = $t->getCurrentTimeInMillis() + 3600000;
check_same($expiry, $t->setExpiryTime($expiry), 'setExpiryTime returns the value, as the SDK does');
$t->setUserEmailId('User@Example.com');
check(is_float($t->getCurrentTimeInMillis()) && abs($t->getCurrentTimeInMillis() - microtime(true) * 1000) < 1000, 'getCurrentTimeInMillis is now in ms (a float)');
check_same('1000.ref.resh', $t->getRefreshToken(), 'getRefreshToken');
check_same('1000.acc.ess', $t->getAccessToken(), 'getAccessToken while valid');
check_same($expiry, $t->getExpiryTime(), 'getExpiryTime');
check_same('User@Example.com', $t->getUserEmailId(), 'getUserEmailId');
check($t->isValidAccessToken(), 'isValidAccessToken with an hour left');
$t->setExpiryTime((string) (int) ($t->getCurrentTimeInMillis() + 5000));
check(is_float($t->getExpiryTime()) && $t->isValidAccessToken(), 'a numeric string expiry (as MySQL returns it) is accepted');
$t->setExpiryTime((int) $t->getCurrentTimeInMillis() + 1000);
check(!$t->isValidAccessToken(), 'one second or less left is not valid (the SDK\'s margin)');
check_throws(fn() => $t->setExpiryTime('soon'), TypeError::class, null, null, 'a non-numeric expiry is a TypeError');

$c = clone $t;
$c->setUserEmailId('other@example.com');
check_same('User@Example.com', $t->getUserEmailId(), 'clone copies');

// serialize(): exactly the bytes Zoho's SDK writes for the same values.
$t->setExpiryTime(1795316346330.0);
$sdk = 'O:37:"zcrmsdk\oauth\utility\ZohoOAuthTokens":4:{s:51:"' . "\0" . 'zcrmsdk\oauth\utility\ZohoOAuthTokens' . "\0" . 'refreshToken";s:13:"1000.ref.resh";s:50:"' . "\0"
    . 'zcrmsdk\oauth\utility\ZohoOAuthTokens' . "\0" . 'accessToken";s:12:"1000.acc.ess";s:49:"' . "\0" . 'zcrmsdk\oauth\utility\ZohoOAuthTokens' . "\0"
    . 'expiryTime";d:1795316346330;s:50:"' . "\0" . 'zcrmsdk\oauth\utility\ZohoOAuthTokens' . "\0" . 'userEmailId";s:16:"User@Example.com";}';
check_same('a:1:{i:0;' . $sdk . '}', serialize([$t]), 'serialize([$tokens]) is byte-identical to the SDK\'s zcrm_oauthtokens.txt');
$back = unserialize($sdk);
check($back instanceof ZohoOAuthTokens && $back->getRefreshToken() === '1000.ref.resh' && $back->getExpiryTime() === 1795316346330.0
    && $back->getUserEmailId() === 'User@Example.com', 'unserialize() of the SDK\'s bytes gives the values back');
$n = new ZohoOAuthTokens();
$n->setAccessToken('a');
$n->setExpiryTime(1.0);
check(str_contains(serialize($n), 'refreshToken";N;'), 'a missing refresh token serializes as N;, as the SDK writes it');

// The fixture written by the real SDK.
$fixture = dirname(__DIR__, 3) . '/tests/fixtures/php-sdk/three-users.zcrm_oauthtokens.txt';
$list = unserialize(file_get_contents($fixture));
check(is_array($list) && count($list) === 3, 'the SDK\'s three-user file unserializes into three objects');
check_same(['Bob.Smith@Example.COM', 'zoë@exämple.de', 'ada@example.com'], array_map(fn($x) => $x->getUserEmailId(), $list), 'with the SDK\'s users in order');
check_same(file_get_contents($fixture), serialize($list), 'and serializes back to the same bytes');
--EXPECT--
ok - new ZohoOAuthTokens() works
ok - a new object has no refresh token
ok - ... no expiry
ok - ... no user
ok - ... and is not valid
ok - setExpiryTime returns the value, as the SDK does
ok - getCurrentTimeInMillis is now in ms (a float)
ok - getRefreshToken
ok - getAccessToken while valid
ok - getExpiryTime
ok - getUserEmailId
ok - isValidAccessToken with an hour left
ok - a numeric string expiry (as MySQL returns it) is accepted
ok - one second or less left is not valid (the SDK's margin)
ok - a non-numeric expiry is a TypeError
ok - clone copies
ok - serialize([$tokens]) is byte-identical to the SDK's zcrm_oauthtokens.txt
ok - unserialize() of the SDK's bytes gives the values back
ok - a missing refresh token serializes as N;, as the SDK writes it
ok - the SDK's three-user file unserializes into three objects
ok - with the SDK's users in order
ok - and serializes back to the same bytes
