--TEST--
ZohoOAuthParams as the SDK's plain PHP class: new MyParams (a subclass) is a MyParams, clone copies, serialize()/unserialize() round-trip in the SDK's format (also bytes the SDK wrote), and getInstance() takes a subclass
--FILE--
<?php
use zcrmsdk\oauth\ZohoOAuth;
use zcrmsdk\oauth\ZohoOAuthClient;
use zcrmsdk\oauth\exception\ZohoOAuthException;
use zcrmsdk\oauth\utility\ZohoOAuthParams;

require __DIR__ . '/../lib/helpers.php';
const SECRET = 'params-Secret-0815';

class MyParams extends ZohoOAuthParams
{
    public $label = 'mine';
    public function describe() { return $this->label . ':' . $this->getClientId(); }
}
$p = new MyParams();
check_same('MyParams', get_class($p), 'new MyParams is a MyParams (get_class)');
check($p instanceof ZohoOAuthParams, '... and a ZohoOAuthParams');
check_same('1000.ID', $p->setClientId('1000.ID'), '... whose inherited setters work');
check_same('mine:1000.ID', $p->describe(), '... and its own methods and properties');
$p->setClientSecret(SECRET);
$p->setRedirectUrl('https://example.com/cb');
$p->setAccessType('offline');
$p->setScopes(['ZohoCRM.modules.ALL']);

$c = clone $p;
$c->setClientId('1000.OTHER');
$c->label = 'copy';
check_same(['MyParams', '1000.OTHER', '1000.ID', 'copy', 'mine', SECRET, ['ZohoCRM.modules.ALL']],
    [get_class($c), $c->getClientId(), $p->getClientId(), $c->label, $p->label, $c->getClientSecret(), $c->getScopes()],
    'clone: a MyParams with its own copy of every value');

// The SDK's class serializes its five private properties, names mangled with its class name.
$plain = new ZohoOAuthParams();
$plain->setClientId('1000.ID');
$plain->setClientSecret(SECRET);
$plain->setRedirectUrl('https://example.com/cb');
$plain->setAccessType('offline');
$plain->setScopes(['a', 'b']);
$key = fn($f) => "\0zcrmsdk\\oauth\\utility\\ZohoOAuthParams\0$f";
$s = fn($v) => 's:' . strlen($v) . ":\"$v\";";
$sdkBytes = 'O:37:"zcrmsdk\oauth\utility\ZohoOAuthParams":5:{' . $s($key('clientId')) . $s('1000.ID') . $s($key('clientSecret')) . $s(SECRET)
    . $s($key('redirectUrl')) . $s('https://example.com/cb') . $s($key('accessType')) . $s('offline')
    . $s($key('scopes')) . 'a:2:{i:0;s:1:"a";i:1;s:1:"b";}}';
check_same($sdkBytes, serialize($plain), 'serialize(): exactly the bytes of the SDK\'s plain class');
$back = unserialize($sdkBytes);
check_same(['zcrmsdk\oauth\utility\ZohoOAuthParams', '1000.ID', SECRET, 'https://example.com/cb', 'offline', ['a', 'b']],
    [get_class($back), $back->getClientId(), $back->getClientSecret(), $back->getRedirectUrl(), $back->getAccessType(), $back->getScopes()],
    'unserialize() of the SDK\'s bytes: every value back');
$sub = unserialize(serialize($p));
check_same(['MyParams', '1000.ID', SECRET], [get_class($sub), $sub->getClientId(), $sub->getClientSecret()], 'a MyParams round-trips as a MyParams');
$empty = unserialize(serialize(new ZohoOAuthParams()));
check_same([null, null, null], [$empty->getClientId(), $empty->getClientSecret(), $empty->getScopes()], 'empty parameters round-trip as empty (nulls stay null)');
check_throws(fn() => unserialize(str_replace($s('1000.ID'), $s("1000.\xE9"), $sdkBytes)), ZohoOAuthException::class,
    '/field clientId is not UTF-8 text/', 402, 'a non-UTF-8 client id in serialized bytes: a clear error, not a null');
check(!str_contains(print_r($p, true) . var_export(json_encode((array) $p), true), SECRET), 'dumps still redact the secret');

// A subclass is accepted wherever the SDK takes its params.
$url = emulator_start();
ZohoOAuth::initialize(test_config(temp_dir()));
$client = ZohoOAuthClient::getInstance($p);
check_same('1000.ID', $client->getZohoOAuthParams()->getClientId(), 'ZohoOAuthClient::getInstance(new MyParams ...) takes the subclass');
--EXPECT--
ok - new MyParams is a MyParams (get_class)
ok - ... and a ZohoOAuthParams
ok - ... whose inherited setters work
ok - ... and its own methods and properties
ok - clone: a MyParams with its own copy of every value
ok - serialize(): exactly the bytes of the SDK's plain class
ok - unserialize() of the SDK's bytes: every value back
ok - a MyParams round-trips as a MyParams
ok - empty parameters round-trip as empty (nulls stay null)
ok - a non-UTF-8 client id in serialized bytes: a clear error, not a null
ok - dumps still redact the secret
ok - ZohoOAuthClient::getInstance(new MyParams ...) takes the subclass
