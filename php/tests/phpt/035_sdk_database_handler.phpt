--TEST--
ZohoOAuthPersistenceHandler (the SDK's MySQL class) on the configured database store: getMysqlConnection() with the SDK's settings, store errors as ZohoOAuthException, no password anywhere
--EXTENSIONS--
mysqli
--FILE--
<?php
use zcrmsdk\oauth\ZohoOAuth;
use zcrmsdk\oauth\exception\ZohoOAuthException;
use zcrmsdk\oauth\persistence\ZohoOAuthPersistenceHandler;
use zcrmsdk\oauth\utility\ZohoOAuthTokens;

require __DIR__ . '/../lib/helpers.php';
$url = emulator_start();
$dir = temp_dir();
// A loopback port nobody listens on.
$probe = stream_socket_server('tcp://127.0.0.1:0');
$port = (int) substr(strrchr(stream_socket_get_name($probe, false), ':'), 1);
fclose($probe);
const PASSWORD = 'db-pass-Secret-4711';

ZohoOAuth::initialize(test_config('', ['host_address' => '127.0.0.1', 'db_port' => (string) $port, 'db_username' => 'zoho', 'db_password' => PASSWORD,
    'connect_timeout_secs' => '2', 'lock_timeout_secs' => '3']));
$store = ZohoOAuth::getPersistenceHandlerInstance();
check($store instanceof ZohoOAuthPersistenceHandler, 'no token path, no custom class: the SDK\'s ZohoOAuthPersistenceHandler');

$e = check_throws(fn() => $store->getMysqlConnection(), mysqli_sql_exception::class, null, null,
    'getMysqlConnection() connects with the SDK\'s settings (here: refused, mysqli\'s own exception)');
$trace = $e ? $e->getTraceAsString() : '';
check(str_contains($trace, "mysqli->__construct('127.0.0.1:$port', 'zoho', Object(SensitiveParameterValue), 'zohooauth')"),
    '... host_address:db_port, db_username, db_name "zohooauth", and the password hidden from the trace');

$started = microtime(true);
$e = check_throws(fn() => $store->getOAuthTokens('ada@example.com'), ZohoOAuthException::class, null, null,
    'getOAuthTokens() with the database unreachable: a ZohoOAuthException');
check(in_array($e?->getCode(), [403, 404], true), '... store_unsupported (403, this build has no MySQL store yet) or store_unavailable (404)');
check(microtime(true) - $started < 10, '... within the configured timeouts');
$t = new ZohoOAuthTokens();
$t->setUserEmailId('ada@example.com');
$t->setAccessToken('1000.access.token');
$t->setExpiryTime($t->getCurrentTimeInMillis() + 3600000);
$e2 = check_throws(fn() => $store->saveOAuthData($t), ZohoOAuthException::class, null, null, 'saveOAuthData(): a ZohoOAuthException too (the SDK swallowed it)');
$e3 = check_throws(fn() => $store->deleteOAuthTokens('ada@example.com'), ZohoOAuthException::class, null, null, 'deleteOAuthTokens(): likewise');
$all = implode("\n", array_map(fn($x) => (string) $x . print_r($x, true), array_filter([$e, $e2, $e3])));
check(!str_contains($all, PASSWORD), 'no exception, trace or dump carries the database password');

// The SDK's handler named by its file and full class name is the same store (issue 22): not a
// custom handler (whose class would refuse with code 102), not a require of the SDK's file.
ZohoOAuth::initialize(test_config('', ['host_address' => '127.0.0.1', 'db_port' => (string) $port, 'db_username' => 'zoho', 'db_password' => PASSWORD,
    'connect_timeout_secs' => '2', 'lock_timeout_secs' => '3',
    'persistence_handler_class' => "$dir/vendor/zohocrm/php-sdk-archive/src/oauth/persistence/ZohoOAuthPersistenceHandler.php",
    'persistence_handler_class_name' => '\\zcrmsdk\\oauth\\persistence\\ZohoOAuthPersistenceHandler']));
$named = ZohoOAuth::getPersistenceHandlerInstance();
check($named instanceof ZohoOAuthPersistenceHandler, 'the SDK\'s handler by file and full class name: a ZohoOAuthPersistenceHandler');
$e6 = check_throws(fn() => $named->getMysqlConnection(), mysqli_sql_exception::class, null, null, '... with the SDK\'s keys');
check(str_contains($e6?->getTraceAsString() ?? '', "mysqli->__construct('127.0.0.1:$port', 'zoho', Object(SensitiveParameterValue), 'zohooauth')"),
    '... host_address:db_port, db_username, db_name "zohooauth"');
$e4 = check_throws(fn() => $named->getOAuthTokens('ada@example.com'), ZohoOAuthException::class, null, null, '... whose methods work on the MySQL store');
check(in_array($e4?->getCode(), [403, 404], true), '... (the database unreachable: 404, not the wrong-store code 102)');
$e5 = check_throws(fn() => ZohoOAuth::getClientInstance()->getAccessToken('ada@example.com'), ZohoOAuthException::class, null, null, 'the client uses the same store');
check(in_array($e5?->getCode(), [403, 404], true), '... (404 too: no PHP class was loaded as a custom handler)');
--EXPECT--
ok - no token path, no custom class: the SDK's ZohoOAuthPersistenceHandler
ok - getMysqlConnection() connects with the SDK's settings (here: refused, mysqli's own exception)
ok - ... host_address:db_port, db_username, db_name "zohooauth", and the password hidden from the trace
ok - getOAuthTokens() with the database unreachable: a ZohoOAuthException
ok - ... store_unsupported (403, this build has no MySQL store yet) or store_unavailable (404)
ok - ... within the configured timeouts
ok - saveOAuthData(): a ZohoOAuthException too (the SDK swallowed it)
ok - deleteOAuthTokens(): likewise
ok - no exception, trace or dump carries the database password
ok - the SDK's handler by file and full class name: a ZohoOAuthPersistenceHandler
ok - ... with the SDK's keys
ok - ... host_address:db_port, db_username, db_name "zohooauth"
ok - ... whose methods work on the MySQL store
ok - ... (the database unreachable: 404, not the wrong-store code 102)
ok - the client uses the same store
ok - ... (404 too: no PHP class was loaded as a custom handler)
