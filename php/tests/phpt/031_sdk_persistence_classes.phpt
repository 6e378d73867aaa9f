--TEST--
ZohoOAuth::getPersistenceHandlerInstance(), ZohoOAuthPersistenceByFile and ZohoOAuthPersistenceHandler: the SDK's store classes on the configured store, locked, coherent with the client, bad input refused with nothing lost
--FILE--
<?php
use zcrmsdk\oauth\ZohoOAuth;
use zcrmsdk\oauth\exception\ZohoOAuthException;
use zcrmsdk\oauth\persistence\ZohoOAuthPersistenceByFile;
use zcrmsdk\oauth\persistence\ZohoOAuthPersistenceHandler;
use zcrmsdk\oauth\persistence\ZohoOAuthPersistenceInterface;
use zcrmsdk\oauth\utility\ZohoOAuthTokens;

require __DIR__ . '/../lib/helpers.php';
$url = emulator_start();
emu_client();
$dir = temp_dir();
$file = "$dir/zcrm_oauthtokens.txt";
const NO_TOKENS = 'No Tokens exist for the given user-identifier,Please generate and try again.';

function tokens(string $user, string $access, ?string $refresh = '1000.refresh.x', float $lifeMs = 3600000): ZohoOAuthTokens
{
    $t = new ZohoOAuthTokens();
    $t->setUserEmailId($user);
    $t->setAccessToken($access);
    $t->setRefreshToken($refresh);
    $t->setExpiryTime($t->getCurrentTimeInMillis() + $lifeMs);
    return $t;
}

check_throws(fn() => ZohoOAuth::getPersistenceHandlerInstance(), ZohoOAuthException::class,
    'ZCRMRestClient::initialize($configMap) must be called before this.', 103, 'getPersistenceHandlerInstance() before initialize: the SDK\'s message');
check_throws(fn() => (new ZohoOAuthPersistenceByFile())->getOAuthTokens('ada@example.com'), ZohoOAuthException::class,
    'ZCRMRestClient::initialize($configMap) must be called before this.', 103, '... and a store call before initialize');

// --- the file store ---
ZohoOAuth::initialize(test_config("  $dir  "));
$store = ZohoOAuth::getPersistenceHandlerInstance();
check($store instanceof ZohoOAuthPersistenceByFile && $store instanceof ZohoOAuthPersistenceInterface,
    'with token_persistence_path: a ZohoOAuthPersistenceByFile, implementing the interface');
check(ZohoOAuth::getPersistenceHandlerInstance() !== $store, 'a new object on every call, as in the SDK');
check_same($dir, $store->getTokenPersistencePath(), 'getTokenPersistencePath() is the trimmed path');

$client = ZohoOAuth::getClientInstance();
$issued = $client->generateAccessToken(emu_grant('ada@example.com'));
$read = $store->getOAuthTokens('ada@example.com');
check($read instanceof ZohoOAuthTokens, 'getOAuthTokens() returns a ZohoOAuthTokens');
check_same([$issued->getAccessToken(), $issued->getRefreshToken(), $issued->getExpiryTime(), 'ada@example.com'],
    [$read->getAccessToken(), $read->getRefreshToken(), $read->getExpiryTime(), $read->getUserEmailId()],
    '... with the tokens the client saved');

$store->saveOAuthData(tokens('bob@example.com', '1000.bob.access'));
check_same('1000.bob.access', $client->getAccessToken('bob@example.com'), 'saveOAuthData(): the client serves the saved user');
$stored = unserialize(file_get_contents($file));
check_same(['ada@example.com', 'bob@example.com'], array_map(fn($t) => $t->getUserEmailId(), $stored),
    '... the token file (the SDK\'s format) holds both users, the new one appended');
check_same(0, fileperms($file) & 0077, '... and stays private to its owner (0600)');

$store->saveOAuthData(tokens('bob@example.com', '1000.bob.second'));
check_same('1000.bob.second', $client->getAccessToken('bob@example.com'), 'a second save replaces the entry, and the client sees it at once');
check_same(2, count(unserialize(file_get_contents($file))), '... without duplicating it');

// Saving tokens whose access token expired: the client refreshes them through the emulator.
emu_refresh_token('1000.cara.refresh', 'cara@example.com');
$store->saveOAuthData(tokens('cara@example.com', '1000.cara.old', '1000.cara.refresh', -5000));
$fresh = $client->getAccessToken('cara@example.com');
check($fresh !== '1000.cara.old' && $fresh !== '', 'saved tokens that expired are refreshed by the client from the saved refresh token');

check_same(true, $store->deleteOAuthTokens('bob@example.com'), 'deleteOAuthTokens() of a stored user: true');
check_throws(fn() => $store->getOAuthTokens('bob@example.com'), ZohoOAuthException::class, NO_TOKENS, 400,
    'then getOAuthTokens() throws the SDK\'s "No Tokens exist" message');
check_throws(fn() => $client->getAccessToken('bob@example.com'), ZohoOAuthException::class, NO_TOKENS, 400,
    '... and the client no longer serves the deleted user from its cache');
check_same(false, $store->deleteOAuthTokens('bob@example.com'), 'deleting again: false');
check_throws(fn() => $store->getOAuthTokens('nobody@example.com'), ZohoOAuthException::class, NO_TOKENS, 400,
    'getOAuthTokens() of an unknown user: "No Tokens exist"');

// Bad input: a clear error, and nothing in the file changes.
$before = file_get_contents($file);
check_throws(fn() => $store->saveOAuthData('1000.not.tokens'), ZohoOAuthException::class, '/^saveOAuthData\(\) takes a zcrmsdk\\\\oauth\\\\utility\\\\ZohoOAuthTokens/', 100,
    'saveOAuthData() of a string: a clear error');
check_throws(fn() => $store->saveOAuthData(new ZohoOAuthTokens()), ZohoOAuthException::class, null, 100, 'saveOAuthData() of empty tokens: refused');
$anonymous = tokens('x@example.com', '1000.anon');
$anonymous->setUserEmailId(null);
check_throws(fn() => $store->saveOAuthData($anonymous), ZohoOAuthException::class, null, 100, 'saveOAuthData() of tokens without a user: refused');
check_throws(fn() => $store->saveOAuthData(new stdClass()), ZohoOAuthException::class, null, 100, 'saveOAuthData() of another object: refused');
check_throws(fn() => $store->getOAuthTokens(''), ZohoOAuthException::class, null, 100, 'getOAuthTokens(""): refused');
check_throws(fn() => $store->deleteOAuthTokens(null), ZohoOAuthException::class, null, 100, 'deleteOAuthTokens(null): refused');
check_throws(fn() => $store->getOAuthTokens(['ada@example.com']), ZohoOAuthException::class, null, 100, 'getOAuthTokens(array): refused');
check_same($before, file_get_contents($file), 'after the refused calls the token file is byte for byte unchanged');
check_same($issued->getAccessToken(), $client->getAccessToken('ada@example.com'), '... and ada is still served');

// The other class on this configuration: a clear error, not a silent second store.
check_throws(fn() => (new ZohoOAuthPersistenceHandler())->getOAuthTokens('ada@example.com'), ZohoOAuthException::class,
    '/^ZohoOAuthPersistenceHandler works on the configured store only, and this configuration uses the token file/', 102,
    'ZohoOAuthPersistenceHandler on a token-file configuration: a clear error');

// --- 16 processes save 16 users through ZohoOAuthPersistenceByFile at once: none lost ---
$child = "$dir/child.php";
file_put_contents($child, '<?php
use zcrmsdk\oauth\ZohoOAuth;
use zcrmsdk\oauth\utility\ZohoOAuthTokens;
[$i, $payload] = [$argv[1], json_decode(base64_decode($argv[2]), true)];
$start = microtime(true);
while (!file_exists($payload["barrier"])) { if (microtime(true) - $start > 20) { exit(3); } usleep(1000); }
ZohoOAuth::initialize($payload["config"]);
$t = new ZohoOAuthTokens();
$t->setUserEmailId("user$i@example.com"); $t->setAccessToken("1000.access.$i"); $t->setRefreshToken("1000.refresh.$i");
$t->setExpiryTime($t->getCurrentTimeInMillis() + 3600000);
ZohoOAuth::getPersistenceHandlerInstance()->saveOAuthData($t);
echo "saved";
');
$payload = base64_encode(json_encode(['config' => test_config($dir), 'barrier' => "$dir/go"]));
$results = run_children_with_barrier(16, $child, [$payload], "$dir/go");
check_same(16, count(array_filter($results, fn($r) => $r[0] === 0 && $r[1] === 'saved')), '16 processes saved at once');
$users = array_map(fn($t) => $t->getUserEmailId(), unserialize(file_get_contents($file)));
sort($users);
$expected = array_merge(['ada@example.com', 'cara@example.com'], array_map(fn($i) => "user$i@example.com", range(0, 15)));
sort($expected);
check_same($expected, $users, 'all 18 users are in the file (the SDK\'s unlocked store kept about one)');
check_same('1000.access.7', $client->getAccessToken('user7@example.com'), 'the client serves a user another process saved');

// --- a custom handler: getPersistenceHandlerInstance() returns the user's class ---
file_put_contents("$dir/MyStore.php", '<?php
class MyStore implements zcrmsdk\oauth\persistence\ZohoOAuthPersistenceInterface {
    public function saveOAuthData($zohoOAuthTokens) {}
    public function getOAuthTokens($userEmailId) { return null; }
    public function deleteOAuthTokens($userEmailId) {}
}');
ZohoOAuth::initialize(test_config('', ['persistence_handler_class' => "$dir/MyStore.php", 'persistence_handler_class_name' => 'MyStore']));
check(get_class(ZohoOAuth::getPersistenceHandlerInstance()) === 'MyStore', 'with a custom handler: a new object of the user\'s class (its file loaded)');
check_throws(fn() => (new ZohoOAuthPersistenceByFile())->getOAuthTokens('ada@example.com'), ZohoOAuthException::class,
    '/^ZohoOAuthPersistenceByFile works on the configured store only, and this configuration uses the persistence handler MyStore/', 102,
    'ZohoOAuthPersistenceByFile without token_persistence_path: a clear error');
ZohoOAuth::initialize(test_config('', ['persistence_handler_class' => "$dir/Missing.php", 'persistence_handler_class_name' => 'Missing']));
check_throws(fn() => ZohoOAuth::getPersistenceHandlerInstance(), ZohoOAuthException::class, '/Missing\.php is not a readable PHP file/', 401,
    'a custom handler file that does not exist: a ZohoOAuthException (the SDK died with an uncatchable fatal error)');

// --- neither: the SDK's database store class ---
ZohoOAuth::initialize(test_config(''));
check(ZohoOAuth::getPersistenceHandlerInstance() instanceof ZohoOAuthPersistenceHandler,
    'without a path or a custom handler: a ZohoOAuthPersistenceHandler (the SDK\'s MySQL class)');
ZohoOAuth::initialize(test_config('', ['token_store' => 'redis', 'redis_url' => 'redis://127.0.0.1:1']));
check(ZohoOAuth::getPersistenceHandlerInstance() instanceof ZohoOAuthPersistenceHandler, 'with token_store=redis: a ZohoOAuthPersistenceHandler too (the database store class)');
check_throws(fn() => (new ZohoOAuthPersistenceByFile())->getOAuthTokens('ada@example.com'), ZohoOAuthException::class,
    '/^ZohoOAuthPersistenceByFile works on the configured store only, and this configuration uses the redis store/', 102,
    '... and ZohoOAuthPersistenceByFile says which store is configured');
--EXPECT--
ok - getPersistenceHandlerInstance() before initialize: the SDK's message
ok - ... and a store call before initialize
ok - with token_persistence_path: a ZohoOAuthPersistenceByFile, implementing the interface
ok - a new object on every call, as in the SDK
ok - getTokenPersistencePath() is the trimmed path
ok - getOAuthTokens() returns a ZohoOAuthTokens
ok - ... with the tokens the client saved
ok - saveOAuthData(): the client serves the saved user
ok - ... the token file (the SDK's format) holds both users, the new one appended
ok - ... and stays private to its owner (0600)
ok - a second save replaces the entry, and the client sees it at once
ok - ... without duplicating it
ok - saved tokens that expired are refreshed by the client from the saved refresh token
ok - deleteOAuthTokens() of a stored user: true
ok - then getOAuthTokens() throws the SDK's "No Tokens exist" message
ok - ... and the client no longer serves the deleted user from its cache
ok - deleting again: false
ok - getOAuthTokens() of an unknown user: "No Tokens exist"
ok - saveOAuthData() of a string: a clear error
ok - saveOAuthData() of empty tokens: refused
ok - saveOAuthData() of tokens without a user: refused
ok - saveOAuthData() of another object: refused
ok - getOAuthTokens(""): refused
ok - deleteOAuthTokens(null): refused
ok - getOAuthTokens(array): refused
ok - after the refused calls the token file is byte for byte unchanged
ok - ... and ada is still served
ok - ZohoOAuthPersistenceHandler on a token-file configuration: a clear error
ok - 16 processes saved at once
ok - all 18 users are in the file (the SDK's unlocked store kept about one)
ok - the client serves a user another process saved
ok - with a custom handler: a new object of the user's class (its file loaded)
ok - ZohoOAuthPersistenceByFile without token_persistence_path: a clear error
ok - a custom handler file that does not exist: a ZohoOAuthException (the SDK died with an uncatchable fatal error)
ok - without a path or a custom handler: a ZohoOAuthPersistenceHandler (the SDK's MySQL class)
ok - with token_store=redis: a ZohoOAuthPersistenceHandler too (the database store class)
ok - ... and ZohoOAuthPersistenceByFile says which store is configured
