--TEST--
token_store=redis: deleteOAuthTokens() and the bridge's delete take the user's lock once (the client's delete takes it: never waiting for a lock the call itself holds), and delete without it, logged, after lock_timeout_secs when another process holds it
--SKIPIF--
<?php require __DIR__ . '/../redis/redis_helpers.php'; echo redis_skip_reason();
--FILE--
<?php
use zcrmsdk\crm\setup\restclient\ZCRMRestClient;
use zcrmsdk\oauth\ZohoOAuth;
use zoho_oauth\bridge\Core;

require __DIR__ . '/../lib/helpers.php';
require __DIR__ . '/../redis/redis_helpers.php';
$url = emulator_start();
emu_client();
$redis = redis_url();
$prefix = redis_prefix();
$logs = temp_dir('logs');
$config = redis_config($redis, $prefix, ['applicationLogFilePath' => $logs, 'lock_timeout_secs' => '2']);
$key = $prefix . 'user:ada@example.com';
$withoutLock = fn() => substr_count((string) @file_get_contents("$logs/ZCRMClientLibrary.log"), 'removed without the lock');

ZCRMRestClient::initialize($config);
ZohoOAuth::getClientInstance()->generateAccessToken(emu_grant());
check_same(1, redis_command($redis, 'EXISTS', $key), 'stored in Redis');
check_same(true, ZohoOAuth::getPersistenceHandlerInstance()->deleteOAuthTokens('ada@example.com'), 'deleteOAuthTokens(): true');
check_same(0, redis_command($redis, 'EXISTS', $key), '... the key is gone');
check_same(0, $withoutLock(), '... deleted under the lock it took once, never waiting for its own lock');

$row = ['user' => 'ada@example.com', 'access_token' => '1000.a.b', 'refresh_token' => '1000.c.d', 'expiry_time' => (string) (time() * 1000 + 3600000)];
Core::save($config, $row);
check_same(true, Core::delete($config, 'ada@example.com'), 'the bridge\'s delete: true');
check_same(0, redis_command($redis, 'EXISTS', $key), '... the key is gone');
check_same(0, $withoutLock(), '... under the lock, taken once');

// Another process holds ada's refresh lock: the delete waits lock_timeout_secs, then deletes
// without it (a delete is never refused for a refresh that may never end), and logs it.
Core::save($config, $row);
redis_command($redis, 'SET', $prefix . 'lock:ada@example.com', 'another-process', 'PX', '60000');
check_same(true, Core::delete($config, 'ada@example.com'), 'with the lock held elsewhere: deleted after the wait');
check_same(0, redis_command($redis, 'EXISTS', $key), '... the key is gone');
check_same(1, $withoutLock(), '... and the log says it was removed without the lock');
redis_command($redis, 'DEL', $prefix . 'lock:ada@example.com');
?>
--EXPECT--
ok - stored in Redis
ok - deleteOAuthTokens(): true
ok - ... the key is gone
ok - ... deleted under the lock it took once, never waiting for its own lock
ok - the bridge's delete: true
ok - ... the key is gone
ok - ... under the lock, taken once
ok - with the lock held elsewhere: deleted after the wait
ok - ... the key is gone
ok - ... and the log says it was removed without the lock
