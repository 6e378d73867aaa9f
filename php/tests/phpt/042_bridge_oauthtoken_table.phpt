--TEST--
Bridge for Zoho's current SDK on MySQL: the oauthtoken table (token_store=mysql, mysql_table=oauthtoken) shared with the stand-in SDK's DBStore both ways; LockedOAuthToken and LockedTokenStore on it; a missing table is a clear error
--SKIPIF--
<?php
if (getenv('ZOHO_TEST_MYSQL_URL') === false || getenv('ZOHO_TEST_MYSQL_URL') === '') {
    if (getenv('ZOHO_REQUIRE_MYSQL') === '1') { echo 'fail ZOHO_REQUIRE_MYSQL=1 but ZOHO_TEST_MYSQL_URL is not set'; exit; }
    echo 'skip ZOHO_TEST_MYSQL_URL is not set (eval "$(scripts/mariadb.sh start DIR)")';
} elseif (!extension_loaded('mysqli')) {
    echo 'skip mysqli is not available (php8.X-mysql)';
}
--FILE--
<?php
use com\zoho\api\authenticator\OAuthBuilder;
use com\zoho\api\authenticator\OAuthToken;
use com\zoho\api\authenticator\store\DBStore;
use com\zoho\crm\api\InitializeBuilder;
use com\zoho\crm\api\Initializer;
use com\zoho\crm\api\UserSignature;
use zcrmsdk\oauth\exception\ZohoOAuthException;
use zoho_oauth\bridge\Core;
use ZohoOAuth\Bridge\LockedOAuthBuilder;
use ZohoOAuth\Bridge\LockedTokenStore;

require __DIR__ . '/../../bridge/tests/bootstrap.php';
$url = emulator_start();
emu_client();
$server = parse_url(getenv('ZOHO_TEST_MYSQL_URL'));
$db = 'bridge042_' . getmypid();
mysqli_report(MYSQLI_REPORT_ERROR | MYSQLI_REPORT_STRICT);
$admin = new mysqli('127.0.0.1', 'root', '', '', $server['port']);
$admin->query("DROP DATABASE IF EXISTS $db");
$admin->query("CREATE DATABASE $db");
register_shutdown_function(fn() => $admin->query("DROP DATABASE IF EXISTS $db"));
// The SDK README's DDL, user_name nullable (findUser(false) writes NULL).
$admin->query("CREATE TABLE $db.oauthtoken (id varchar(10) NOT NULL, user_name varchar(255), client_id varchar(255), client_secret varchar(255),
    refresh_token varchar(255), access_token varchar(255), grant_token varchar(255), expiry_time varchar(20), redirect_url varchar(255),
    api_domain varchar(255), primary key (id))");
$store = ['accounts_url' => $url, 'token_store' => 'mysql', 'mysql_url' => getenv('ZOHO_TEST_MYSQL_URL'), 'mysql_database' => $db, 'mysql_table' => 'oauthtoken'];
$full = $store + ['client_id' => TEST_CLIENT_ID, 'client_secret' => TEST_CLIENT_SECRET, 'redirect_uri' => TEST_REDIRECT_URI];
$sdk = new DBStore('127.0.0.1', $db, 'oauthtoken', 'root', '', (string) $server['port']);
$later = (string) ((int) round(microtime(true) * 1000) + 3600000);

// The SDK writes, we read.
$t = new OAuthToken(TEST_CLIENT_ID, TEST_CLIENT_SECRET, null, '1000.r.ada', TEST_REDIRECT_URI, null, '1000.a.ada', new UserSignature('ada@example.com'), false);
$t->setExpiresIn($later);
$sdk->saveToken($t);
$anon = new OAuthToken(TEST_CLIENT_ID, TEST_CLIENT_SECRET, null, '1000.r.anon', null, null, '1000.a.anon', null, false);
$anon->setExpiresIn($later);
$sdk->saveToken($anon);
check_same(['ada@example.com', '2'], array_column(Core::rows($full), 'user'), 'the core reads the SDK\'s rows (one without user name, by id)');
check_same('1000.a.ada', Core::tokens($full, 'ada@example.com')['access_token'], 'and serves the valid token');

// We write, the SDK reads.
Core::save($full, ['user' => 'bob@example.com', 'refresh_token' => '1000.r.bob', 'access_token' => '1000.a.bob', 'expiry_time' => $later]);
$bob = $sdk->findTokenById('3');
check_same(['bob@example.com', '1000.a.bob', TEST_CLIENT_ID, TEST_CLIENT_SECRET, $later],
    [$bob->getUserSignature()->getName(), $bob->getAccessToken(), $bob->getClientId(), $bob->getClientSecret(), $bob->getExpiresIn()],
    'the SDK reads our new row: the next id, our client, the token and its expiry');

// LockedOAuthToken on the table: one refresh, the SDK's DBStore then reads the new token.
$refresh = '1000.' . bin2hex(random_bytes(8)) . '.r';
emu_refresh_token($refresh, 'carol@example.com');
$token = (new LockedOAuthBuilder())->store($store)->clientId(TEST_CLIENT_ID)->clientSecret(TEST_CLIENT_SECRET)
    ->refreshToken($refresh)->userSignature(new UserSignature('carol@example.com'))->build();
(new InitializeBuilder())->environment(bridge_environment())->token($token)->initialize();
$header = Initializer::authenticateRequest()['Authorization'];
check_same(1, emu_counters()['token.refresh_token'], 'LockedOAuthToken: one refresh');
$carol = $sdk->findToken(new OAuthToken(null, null, null, null, null, null, null, new UserSignature('carol@example.com')));
check_same($header, 'Zoho-oauthtoken ' . $carol->getAccessToken(), 'the SDK\'s DBStore reads the token we refreshed');

// LockedTokenStore on the table with the SDK's own OAuthToken (a new request: within one, the
// SDK hands the token the previous initializer's store).
bridge_new_request();
(new InitializeBuilder())->environment(bridge_environment())->store(new LockedTokenStore($store))->token(
    (new OAuthBuilder())->clientId(TEST_CLIENT_ID)->clientSecret(TEST_CLIENT_SECRET)->refreshToken($refresh)
        ->userSignature(new UserSignature('carol@example.com'))->findUser(false)->build())->initialize();
check_same($header, Initializer::authenticateRequest()['Authorization'], 'LockedTokenStore finds the same row, still valid: no refresh');
check_same(1, emu_counters()['token.refresh_token'], 'still one refresh');

// A missing table: a clear error, nothing created.
$admin->query("DROP TABLE $db.oauthtoken");
$e = check_throws(fn() => Core::rows($full), ZohoOAuthException::class, '/oauthtoken/', null, 'a missing oauthtoken table is a clear error naming it');
check($e !== null && !str_contains($e->getMessage(), TEST_CLIENT_SECRET), 'without a secret');
// (The refresh history's side table, oauthtoken_history, made by the refresh above, stays.)
check_same(0, $admin->query("SHOW TABLES FROM $db LIKE 'oauthtoken'")->num_rows, 'nothing was created');
finish();
--EXPECT--
ok - the core reads the SDK's rows (one without user name, by id)
ok - and serves the valid token
ok - the SDK reads our new row: the next id, our client, the token and its expiry
ok - LockedOAuthToken: one refresh
ok - the SDK's DBStore reads the token we refreshed
ok - LockedTokenStore finds the same row, still valid: no refresh
ok - still one refresh
ok - a missing oauthtoken table is a clear error naming it
ok - without a secret
ok - nothing was created
all checks passed
