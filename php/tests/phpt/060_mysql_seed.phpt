--TEST--
Seed 000's snippet without token_persistence_path: the SDK's MySQL store, on a real MariaDB (ZOHO_TEST_MYSQL_URL), rows in the SDK's layout, read by an SDK-style peer, password redacted
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
use zcrmsdk\crm\setup\restclient\ZCRMRestClient;
use zcrmsdk\oauth\ZohoOAuth;

require __DIR__ . '/../lib/helpers.php';
$url = emulator_start();
emu_client();
$code = emu_grant('ada@example.com');

// The test server (root, no password, 127.0.0.1:<port>) and a table of this test's own.
$db = parse_url(getenv('ZOHO_TEST_MYSQL_URL'));
$table = 'php_seed_' . getmypid();
mysqli_report(MYSQLI_REPORT_ERROR | MYSQLI_REPORT_STRICT);
$admin = new mysqli('127.0.0.1', 'root', '', 'zohooauth', $db['port']);
$admin->query("CREATE TABLE $table (useridentifier varchar(100), accesstoken varchar(100), refreshtoken varchar(100), expirytime bigint)");

// ---- the seed's snippet (values filled in; accounts_url added; the SDK's own MySQL keys
// point at the test server; mysql_table keeps the test's rows apart) ----
$configuration =array("client_id"=>TEST_CLIENT_ID,"client_secret"=>TEST_CLIENT_SECRET,"redirect_uri"=>TEST_REDIRECT_URI,"currentUserEmail"=>"ada@example.com","accounts_url"=>$url,
    "host_address"=>"localhost","db_port"=>(string)$db['port'],"db_username"=>"root","db_password"=>"","mysql_table"=>$table);
ZCRMRestClient::initialize($configuration);
$oAuthClient = ZohoOAuth::getClientInstance();
$oAuthTokens = $oAuthClient->generateAccessToken($code);
// ---- end of the seed's snippet ----

check_same('ada@example.com', $oAuthTokens->getUserEmailId(), 'the grant exchange found the user');
$rows = $admin->query("SELECT * FROM $table")->fetch_all();
check_same(1, count($rows), 'one row in the table');
check_same(['ada@example.com', $oAuthTokens->getAccessToken(), $oAuthTokens->getRefreshToken(), (string)(int)$oAuthTokens->getExpiryTime()],
    $rows[0], 'the row is in the SDK layout: useridentifier, accesstoken, refreshtoken, expirytime');

// The SDK's own reader (mysqli, its exact SQL) finds our row.
$peer = __DIR__ . '/../../../tests/peers/sdk_mysql_peer.php';
$env = ['PEER_HOST' => 'localhost', 'PEER_PORT' => (string)$db['port'], 'PEER_TABLE' => $table];
$read = function (string $user) use ($peer, $env) {
    $p = proc_open([PHP_BINARY, $peer, 'get', $user], [1 => ['pipe', 'w']], $pipes, null, $env);
    $out = stream_get_contents($pipes[1]);
    proc_close($p);
    return json_decode($out, true);
};
check_same($oAuthTokens->getAccessToken(), $read('ada@example.com')['access'], 'the SDK-style peer reads our row');

// A row the SDK-style peer writes is served by the extension (no request to Zoho).
$p = proc_open([PHP_BINARY, $peer, 'save', 'bob@example.com', '1000.peer-bob', '1000.peer-rbob', '4102444800000'], [], $pipes, null, $env);
proc_close($p);
ZCRMRestClient::initialize($configuration);
check_same('1000.peer-bob', ZohoOAuth::getClientInstance()->getAccessToken('bob@example.com'), 'the extension reads the peer\'s row');
check_same(0, emu_counters()['token.refresh_token'], 'no refresh');

$configuration['db_password'] = 'hunter2';
ZCRMRestClient::initialize($configuration);
$all = ZohoOAuth::getAllConfigs();
check_same('[redacted]', $all['db_password'] ?? null, 'getAllConfigs shows db_password redacted');
check(!str_contains(print_r($all, true), 'hunter2'), 'the password appears nowhere in getAllConfigs');
$admin->query("DROP TABLE $table");
--EXPECT--
ok - the grant exchange found the user
ok - one row in the table
ok - the row is in the SDK layout: useridentifier, accesstoken, refreshtoken, expirytime
ok - the SDK-style peer reads our row
ok - the extension reads the peer's row
ok - no refresh
ok - getAllConfigs shows db_password redacted
ok - the password appears nowhere in getAllConfigs
