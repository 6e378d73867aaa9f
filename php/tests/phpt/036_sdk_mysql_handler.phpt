--TEST--
ZohoOAuthPersistenceHandler and getPersistenceHandlerInstance() on a real MariaDB (ZOHO_TEST_MYSQL_URL): the SDK's methods on the MySQL store, rows in the SDK's layout, coherent with the client, getMysqlConnection() to the same server
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
use zcrmsdk\oauth\ZohoOAuth;
use zcrmsdk\oauth\exception\ZohoOAuthException;
use zcrmsdk\oauth\persistence\ZohoOAuthPersistenceHandler;
use zcrmsdk\oauth\utility\ZohoOAuthTokens;

require __DIR__ . '/../lib/helpers.php';
$url = emulator_start();
emu_client();
const NO_TOKENS = 'No Tokens exist for the given user-identifier,Please generate and try again.';

// The test server (root, no password, 127.0.0.1:<port>) and a table of this test's own, made
// by hand with the SDK's documented columns, as SDK users made it.
$db = parse_url(getenv('ZOHO_TEST_MYSQL_URL'));
$table = 'php_handler_' . getmypid();
mysqli_report(MYSQLI_REPORT_ERROR | MYSQLI_REPORT_STRICT);
$admin = new mysqli('127.0.0.1', 'root', '', 'zohooauth', $db['port']);
$admin->query("CREATE TABLE $table (useridentifier varchar(100), accesstoken varchar(100), refreshtoken varchar(100), expirytime bigint)");
register_shutdown_function(fn() => $admin->query("DROP TABLE IF EXISTS $table"));
$rows = fn() => $admin->query("SELECT useridentifier, accesstoken, refreshtoken, expirytime FROM $table ORDER BY useridentifier")->fetch_all();

ZohoOAuth::initialize(test_config('', ['host_address' => '127.0.0.1', 'db_port' => (string) $db['port'], 'db_username' => 'root',
    'db_password' => '', 'mysql_table' => $table]));
$store = ZohoOAuth::getPersistenceHandlerInstance();
check($store instanceof ZohoOAuthPersistenceHandler, 'no token path: getPersistenceHandlerInstance() is a ZohoOAuthPersistenceHandler');

$client = ZohoOAuth::getClientInstance();
$issued = $client->generateAccessToken(emu_grant('ada@example.com'));
$read = $store->getOAuthTokens('ada@example.com');
check_same([$issued->getAccessToken(), $issued->getRefreshToken(), 'ada@example.com'],
    [$read->getAccessToken(), $read->getRefreshToken(), $read->getUserEmailId()], 'getOAuthTokens() reads what the client saved into MySQL');

$t = new ZohoOAuthTokens();
$t->setUserEmailId('bob@example.com');
$t->setAccessToken('1000.bob.access');
$t->setRefreshToken('1000.bob.refresh');
$expiry = $t->setExpiryTime($t->getCurrentTimeInMillis() + 3600000);
$store->saveOAuthData($t);
check_same([['ada@example.com', $issued->getAccessToken(), $issued->getRefreshToken(), (string) (int) $issued->getExpiryTime()],
    ['bob@example.com', '1000.bob.access', '1000.bob.refresh', (string) (int) $expiry]], $rows(),
    'saveOAuthData(): a row in the SDK\'s column layout');
check_same('1000.bob.access', $client->getAccessToken('bob@example.com'), '... which the client serves');
$t->setAccessToken('1000.bob.second');
$store->saveOAuthData($t);
check_same(2, count($rows()), 'a second save replaces the row');
check_same(true, $store->deleteOAuthTokens('bob@example.com'), 'deleteOAuthTokens(): true');
check_same(1, count($rows()), '... the row is gone');
check_throws(fn() => $client->getAccessToken('bob@example.com'), ZohoOAuthException::class, NO_TOKENS, 400, '... and the client no longer serves it');
check_throws(fn() => $store->getOAuthTokens('bob@example.com'), ZohoOAuthException::class, NO_TOKENS, 400, 'getOAuthTokens() of a deleted user: "No Tokens exist" (the SDK returned an empty object)');

$conn = $store->getMysqlConnection();
check($conn instanceof mysqli, 'getMysqlConnection() is a mysqli connection');
check_same([['ada@example.com']], $conn->query("SELECT useridentifier FROM $table")->fetch_all(), '... to the same server and database');
$conn->close();

// The workaround many applications carry: the SDK's handler named by its file and full class
// name. It means the SDK's MySQL store with the SDK's keys, as the short name does (issue 22).
ZohoOAuth::initialize(test_config('', ['host_address' => '127.0.0.1', 'db_port' => (string) $db['port'], 'db_username' => 'root',
    'db_password' => '', 'mysql_table' => $table,
    'persistence_handler_class' => '/srv/app/vendor/zohocrm/php-sdk-archive/src/oauth/persistence/ZohoOAuthPersistenceHandler.php',
    'persistence_handler_class_name' => 'zcrmsdk\oauth\persistence\ZohoOAuthPersistenceHandler']));
$named = ZohoOAuth::getPersistenceHandlerInstance();
check($named instanceof ZohoOAuthPersistenceHandler, 'the SDK\'s handler by file and full class name: a ZohoOAuthPersistenceHandler');
check_same($issued->getRefreshToken(), $named->getOAuthTokens('ada@example.com')->getRefreshToken(), '... on the same MySQL rows (no code 102)');
check_same($issued->getAccessToken(), ZohoOAuth::getClientInstance()->getAccessToken('ada@example.com'), '... and the client serves them');
--EXPECT--
ok - no token path: getPersistenceHandlerInstance() is a ZohoOAuthPersistenceHandler
ok - getOAuthTokens() reads what the client saved into MySQL
ok - saveOAuthData(): a row in the SDK's column layout
ok - ... which the client serves
ok - a second save replaces the row
ok - deleteOAuthTokens(): true
ok - ... the row is gone
ok - ... and the client no longer serves it
ok - getOAuthTokens() of a deleted user: "No Tokens exist" (the SDK returned an empty object)
ok - getMysqlConnection() is a mysqli connection
ok - ... to the same server and database
ok - the SDK's handler by file and full class name: a ZohoOAuthPersistenceHandler
ok - ... on the same MySQL rows (no code 102)
ok - ... and the client serves them
