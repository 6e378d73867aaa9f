<?php
// An SDK-style peer for the MySQL store: what zoho/zcrm-php-sdk's ZohoOAuthPersistenceHandler
// does, with its exact SQL (string concatenation, one mysqli connection per operation,
// delete then insert without a transaction, SELECT * and the first row's row[0..3]).
//
//   php sdk_mysql_peer.php save USER ACCESS REFRESH EXPIRY   (REFRESH "" = none, as the SDK)
//   php sdk_mysql_peer.php get USER      prints {"user":..,"access":..,"refresh":..,"expiry":..} or null
//   php sdk_mysql_peer.php time-gets N USER   N gets the SDK's way; prints seconds per get
//
// Connection from the environment, as the SDK's keys: PEER_HOST (host_address, default
// localhost), PEER_PORT (db_port, 3306), PEER_USER (db_username, root), PEER_PASSWORD
// (db_password, ""). The database is zohooauth, as in the SDK. PEER_TABLE replaces the table
// name `oauthtokens` (only so tests can use a table of their own). Values are NOT escaped,
// exactly as in the SDK, so only the tests' quote-free values are safe here.

mysqli_report(MYSQLI_REPORT_ERROR | MYSQLI_REPORT_STRICT);

function sdk_connection(): mysqli
{
    $host = getenv('PEER_HOST') ?: 'localhost';
    $port = getenv('PEER_PORT') ?: '3306';
    $user = getenv('PEER_USER') ?: 'root';
    $password = getenv('PEER_PASSWORD') ?: '';
    // ZohoOAuthPersistenceHandler::getMysqlConnection: host_address . ":" . db_port.
    return new mysqli($host . ':' . $port, $user, $password, 'zohooauth');
}

function table(): string
{
    return getenv('PEER_TABLE') ?: 'oauthtokens';
}

function sdk_save(string $user, string $access, string $refresh, string $expiry): void
{
    // saveOAuthData: deleteOAuthTokens first (its own connection), then the insert.
    $db = sdk_connection();
    $db->query("DELETE FROM " . table() . " where useridentifier='" . $user . "'");
    $db->close();
    $db = sdk_connection();
    $db->query("INSERT INTO " . table() . "(useridentifier,accesstoken,refreshtoken,expirytime) VALUES('"
        . $user . "','" . $access . "','" . $refresh . "'," . $expiry . ")");
    $db->close();
}

function sdk_get(string $user): ?array
{
    $db = sdk_connection();
    $result = $db->query("SELECT * FROM " . table() . " where useridentifier='" . $user . "'");
    $found = null;
    if ($result->num_rows > 0) {
        $row = $result->fetch_row();
        $found = ['user' => $row[0], 'access' => $row[1], 'refresh' => $row[2], 'expiry' => (float)$row[3]];
    }
    $db->close();
    return $found;
}

$args = array_slice($argv, 1);
switch ($args[0] ?? '') {
    case 'save':
        sdk_save($args[1], $args[2], $args[3], $args[4]);
        break;
    case 'get':
        echo json_encode(sdk_get($args[1]), JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES | JSON_PRESERVE_ZERO_FRACTION), "\n";
        break;
    case 'time-gets':
        $n = (int)$args[1];
        $start = hrtime(true);
        for ($i = 0; $i < $n; $i++) {
            sdk_get($args[2]);
        }
        printf("%.9f\n", (hrtime(true) - $start) / 1e9 / $n);
        break;
    default:
        fwrite(STDERR, "usage: sdk_mysql_peer.php save|get|time-gets ...\n");
        exit(2);
}
