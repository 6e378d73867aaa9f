--TEST--
ZohoOAuthClient::getInstance($params), getInstanceWithOutParam(), get/setZohoOAuthParams() with ZohoOAuthParams, and processResponse()
--FILE--
<?php
use zcrmsdk\oauth\ZohoOAuth;
use zcrmsdk\oauth\ZohoOAuthClient;
use zcrmsdk\oauth\exception\ZohoOAuthException;
use zcrmsdk\oauth\utility\ZohoOAuthParams;

require __DIR__ . '/../lib/helpers.php';
$url = emulator_start();
emu_client();
emu_client('1000.OTHERCLIENT', 'other-secret-value');
$dir = temp_dir();

// ZohoOAuthParams: getters and setters; each setter returns the value, as in the SDK.
$p = new ZohoOAuthParams();
check_same([null, null, null, null, null], [$p->getClientId(), $p->getClientSecret(), $p->getRedirectUrl(), $p->getAccessType(), $p->getScopes()],
    'new ZohoOAuthParams(): everything null');
check_same(['1000.OTHERCLIENT', 'other-secret-value', TEST_REDIRECT_URI, 'offline', ['ZohoCRM.modules.ALL']],
    [$p->setClientId('1000.OTHERCLIENT'), $p->setClientSecret('other-secret-value'), $p->setRedirectUrl(TEST_REDIRECT_URI),
     $p->setAccessType('offline'), $p->setScopes(['ZohoCRM.modules.ALL'])], 'each setter returns the value');
check_same(['1000.OTHERCLIENT', 'other-secret-value', TEST_REDIRECT_URI, 'offline', ['ZohoCRM.modules.ALL']],
    [$p->getClientId(), $p->getClientSecret(), $p->getRedirectURL(), $p->getAccessType(), $p->getScopes()], '... and the getters return it');
$dump = print_r($p, true) . var_export(get_object_vars($p), true) . json_encode($p);
check(!str_contains($dump, 'other-secret-value') && str_contains(print_r($p, true), '[redacted]'), 'print_r/var_dump show the secret as [redacted]');
$e = check_throws(fn() => (function ($x) { $x->setClientSecret('other-secret-value'); throw new Exception('x'); })($p), Exception::class, 'x', null, 'a throw after setClientSecret');
check(!str_contains($e->getTraceAsString(), 'other-secret-value'), '... has no secret in its trace (#[\SensitiveParameter])');

// The singleton.
check_same(null, ZohoOAuthClient::getInstanceWithOutParam(), 'getInstanceWithOutParam() before initialize: null');
ZohoOAuth::initialize(test_config($dir));
$client = ZohoOAuthClient::getInstanceWithOutParam();
check($client instanceof ZohoOAuthClient, 'after initialize: the client');
$params = $client->getZohoOAuthParams();
check($params instanceof ZohoOAuthParams, 'getZohoOAuthParams() is a ZohoOAuthParams');
check_same([TEST_CLIENT_ID, TEST_CLIENT_SECRET, TEST_REDIRECT_URI, 'offline', null],
    [$params->getClientId(), $params->getClientSecret(), $params->getRedirectUrl(), $params->getAccessType(), $params->getScopes()],
    '... with the configuration\'s values, as ZohoOAuth::initialize builds them');

// getInstance($params): the other client's credentials are the ones sent to Zoho from now on.
$other = ZohoOAuthClient::getInstance($p);
check_same('1000.OTHERCLIENT', $other->getZohoOAuthParams()->getClientId(), 'getInstance($params) returns a client with those parameters');
check_same('1000.OTHERCLIENT', ZohoOAuth::getClientInstance()->getZohoOAuthParams()->getClientId(), '... which ZohoOAuth::getClientInstance() now returns');
check_same('1000.OTHERCLIENT', ZohoOAuthClient::getInstanceWithOutParam()->getZohoOAuthParams()->getClientId(), '... and getInstanceWithOutParam() too');
check_same(TEST_CLIENT_ID, ZohoOAuth::getClientID(), '... while ZohoOAuth\'s configuration is unchanged, as in the SDK');
$grant = emu('POST', '/_emulator/grant', ['client_id' => '1000.OTHERCLIENT', 'user' => 'olga@example.com', 'scope' => TEST_SCOPE, 'access_type' => 'offline'])['code'];
$tokens = ZohoOAuth::getClientInstance()->generateAccessToken($grant);
check_same('olga@example.com', $tokens->getUserEmailId(), 'a grant token of the other client is exchanged with its credentials');
check_same($tokens->getAccessToken(), ZohoOAuth::getClientInstance()->getAccessToken('olga@example.com'), '... and stored in the configured token file');

// setZohoOAuthParams on the singleton: a wrong secret is what Zoho gets next.
$bad = new ZohoOAuthParams();
$bad->setClientSecret('wrong-secret');
ZohoOAuth::getClientInstance()->setZohoOAuthParams($bad);
check_same('1000.OTHERCLIENT', ZohoOAuth::getClientInstance()->getZohoOAuthParams()->getClientId(), 'setZohoOAuthParams: null settings keep theirs');
check_throws(fn() => ZohoOAuth::getClientInstance()->refreshAccessToken($tokens->getRefreshToken(), 'olga@example.com'), ZohoOAuthException::class,
    null, 302, '... and the new secret is sent (Zoho answers invalid_client_secret)');
$held = ZohoOAuth::getClientInstance();
$held->setZohoOAuthParams($p);
check_same($tokens->getRefreshToken(), ZohoOAuth::getClientInstance()->refreshAccessToken($tokens->getRefreshToken(), 'olga@example.com')->getRefreshToken(),
    '... setting the right parameters on a held singleton fixes ZohoOAuth::getClientInstance() too');
$detached = ZohoOAuthClient::getInstance($p);
ZohoOAuthClient::getInstance($bad);
$empty = new ZohoOAuthParams();
$empty->setClientId('');
check_throws(fn() => ZohoOAuthClient::getInstance(new ZohoOAuthParams())->setZohoOAuthParams($empty),
    ZohoOAuthException::class, 'client_id value is missing', 101, 'setZohoOAuthParams with an empty client id: the SDK\'s "client_id value is missing"');
check_same(TEST_CLIENT_SECRET, ZohoOAuth::getClientInstance()->getZohoOAuthParams()->getClientSecret(), '... and the singleton is left as it was');

// initialize() builds the client from the configuration again, as the SDK's does.
ZohoOAuth::initialize(test_config($dir));
check_same(TEST_CLIENT_ID, ZohoOAuth::getClientInstance()->getZohoOAuthParams()->getClientId(), 'a new initialize() replaces the getInstance() client');
check_throws(fn() => ZohoOAuthClient::getInstance('1000.OTHERCLIENT'), TypeError::class, null, null, 'getInstance() of a string: a TypeError');

// Without a configuration (a fresh process) the parameters must be complete.
$php = escapeshellarg(PHP_BINARY) . ' -n -d extension=' . escapeshellarg(getenv('ZOHO_OAUTH_EXT'));
$code = 'use zcrmsdk\oauth\utility\ZohoOAuthParams as P; use zcrmsdk\oauth\ZohoOAuthClient as C;
try { C::getInstance(new P()); } catch (Exception $e) { echo $e->getCode(), " ", $e->getMessage(), "\n"; }
$p = new P(); $p->setClientId("1000.X"); $p->setClientSecret("s"); $p->setRedirectUrl("https://example.com/cb");
echo get_class(C::getInstance($p)), " ", C::getInstanceWithOutParam()->getZohoOAuthParams()->getClientId(), "\n";';
$out = shell_exec("$php -r " . escapeshellarg($code) . ' 2>&1');
check_same("101 client_id is mandatory\nzcrmsdk\\oauth\\ZohoOAuthClient 1000.X\n", $out,
    'without a configuration: empty parameters get "client_id is mandatory", complete ones a client');

// processResponse: split at the first blank line, json_decode(..., true).
$c = ZohoOAuth::getClientInstance();
$raw = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n" . '{"access_token":"1000.a","expires_in":3600,"nested":{"list":[1,2.5,"x",null,true]}}';
check_same(['access_token' => '1000.a', 'expires_in' => 3600, 'nested' => ['list' => [1, 2.5, 'x', null, true]]], $c->processResponse($raw),
    'processResponse(): the JSON body as an associative array');
check_same(['a' => "x\r\n\r\ny"], $c->processResponse("H: 1\r\n\r\n{\"a\":\"x\\r\\n\\r\\ny\"}"), '... split at the first blank line only');
check_same(null, $c->processResponse("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n\r\n{\"a\":1}"), '... a second header block gives null, as in the SDK');
check_same(null, $c->processResponse('{"a":1}'), '... no blank line: null');
check_same(null, $c->processResponse("H: 1\r\n\r\n<html>"), '... a body that is not JSON: null');
check_same(null, $c->processResponse(false), '... a failed transfer (false): null');
check_same('text', $c->processResponse("H: 1\r\n\r\n\"text\""), '... a JSON scalar is returned as json_decode returns it');
--EXPECT--
ok - new ZohoOAuthParams(): everything null
ok - each setter returns the value
ok - ... and the getters return it
ok - print_r/var_dump show the secret as [redacted]
ok - a throw after setClientSecret
ok - ... has no secret in its trace (#[\SensitiveParameter])
ok - getInstanceWithOutParam() before initialize: null
ok - after initialize: the client
ok - getZohoOAuthParams() is a ZohoOAuthParams
ok - ... with the configuration's values, as ZohoOAuth::initialize builds them
ok - getInstance($params) returns a client with those parameters
ok - ... which ZohoOAuth::getClientInstance() now returns
ok - ... and getInstanceWithOutParam() too
ok - ... while ZohoOAuth's configuration is unchanged, as in the SDK
ok - a grant token of the other client is exchanged with its credentials
ok - ... and stored in the configured token file
ok - setZohoOAuthParams: null settings keep theirs
ok - ... and the new secret is sent (Zoho answers invalid_client_secret)
ok - ... setting the right parameters on a held singleton fixes ZohoOAuth::getClientInstance() too
ok - setZohoOAuthParams with an empty client id: the SDK's "client_id value is missing"
ok - ... and the singleton is left as it was
ok - a new initialize() replaces the getInstance() client
ok - getInstance() of a string: a TypeError
ok - without a configuration: empty parameters get "client_id is mandatory", complete ones a client
ok - processResponse(): the JSON body as an associative array
ok - ... split at the first blank line only
ok - ... a second header block gives null, as in the SDK
ok - ... no blank line: null
ok - ... a body that is not JSON: null
ok - ... a failed transfer (false): null
ok - ... a JSON scalar is returned as json_decode returns it
