--TEST--
A custom persistence handler written in PHP (persistence_handler_class + persistence_handler_class_name): the extension calls it, and its exceptions reach the caller unchanged
--FILE--
<?php
use zcrmsdk\crm\setup\restclient\ZCRMRestClient;
use zcrmsdk\oauth\ZohoOAuth;
use zcrmsdk\oauth\exception\ZohoOAuthException;

require __DIR__ . '/../lib/helpers.php';
$url = emulator_start();
emu_client();
$dir = temp_dir();
$handlerFile = "$dir/MyTokenStore.php";
file_put_contents($handlerFile, <<<'PHP'
<?php
use zcrmsdk\oauth\persistence\ZohoOAuthPersistenceInterface;
use zcrmsdk\oauth\exception\ZohoOAuthException;
use zcrmsdk\oauth\ZohoOAuth;

// A store written the way SDK users write them: untyped methods, serialize() into a "table".
class MyTokenStore implements ZohoOAuthPersistenceInterface
{
    public static array $rows = [];
    public static array $calls = [];
    public static int $instances = 0;
    public static ?Throwable $fail = null;
    public static $answer = null;
    public static bool $reenter = false;
    public static $deleteReturns = null;

    public function __construct() { self::$instances++; }

    public function saveOAuthData($zohoOAuthTokens)
    {
        self::$calls[] = 'save:' . $zohoOAuthTokens->getUserEmailId();
        if (self::$fail) { throw self::$fail; }
        if (self::$reenter) { ZohoOAuth::getClientInstance()->getAccessToken($zohoOAuthTokens->getUserEmailId()); }
        self::$rows[$zohoOAuthTokens->getUserEmailId()] = serialize($zohoOAuthTokens);
    }

    public function getOAuthTokens($userEmailId)
    {
        self::$calls[] = "get:$userEmailId";
        if (self::$fail) { throw self::$fail; }
        if (self::$answer !== null) { return self::$answer; }
        ZohoOAuth::getConfigValue('client_id');   // handlers may call back into the extension
        if (!isset(self::$rows[$userEmailId])) {
            throw new ZohoOAuthException("No Tokens exist for the given user-identifier,Please generate and try again.");
        }
        return unserialize(self::$rows[$userEmailId]);
    }

    public function deleteOAuthTokens($userEmailId)
    {
        self::$calls[] = "delete:$userEmailId";
        if (self::$fail) { throw self::$fail; }
        unset(self::$rows[$userEmailId]);
        return self::$deleteReturns;   // SDK handlers return nothing (null)
    }
}
PHP);

$configuration = test_config('', ['token_persistence_path' => '', 'persistence_handler_class' => $handlerFile,
    'persistence_handler_class_name' => 'MyTokenStore', 'refresh_margin_secs' => '60']);
ZCRMRestClient::initialize($configuration);
$client = ZohoOAuth::getClientInstance();
check(!class_exists('MyTokenStore', false), 'the handler file is not loaded before it is needed');

$tokens = $client->generateAccessToken(emu_grant());
check(class_exists('MyTokenStore', false), 'the extension loaded persistence_handler_class (require_once)');
check_same(['save:ada@example.com'], MyTokenStore::$calls, 'generateAccessToken called saveOAuthData once');
check(str_starts_with(MyTokenStore::$rows['ada@example.com'], 'O:37:"zcrmsdk\oauth\utility\ZohoOAuthTokens":4:{'), 'the handler received a ZohoOAuthTokens it could serialize');
check_same(1, MyTokenStore::$instances, 'one handler object per operation, as the SDK does');

MyTokenStore::$calls = [];
check_same($tokens->getAccessToken(), $client->getAccessToken('ada@example.com'), 'getAccessToken reads through getOAuthTokens');
check_same(['get:ada@example.com'], MyTokenStore::$calls, '... one call');

// An expiring token: refreshed once, saved through the handler.
emu_settings(['access_token_ttl_secs' => 60]);
$client->generateAccessTokenFromRefreshToken($tokens->getRefreshToken(), 'ada@example.com');
emu_settings(['access_token_ttl_secs' => 3600]);
MyTokenStore::$calls = [];
$before = emu_counters()['token.refresh_token'];
$fresh = $client->getAccessToken('ada@example.com');
check_same($before + 1, emu_counters()['token.refresh_token'], 'a stale token is refreshed once');
check_same('save:ada@example.com', end(MyTokenStore::$calls), '... and saved through saveOAuthData');
check_same($fresh, unserialize(MyTokenStore::$rows['ada@example.com'])->getAccessToken(), '... the new token is in the handler\'s store');

// Exceptions thrown by the handler reach the caller unchanged.
$e = check_throws(fn() => $client->getAccessToken('nobody@example.com'), ZohoOAuthException::class,
    'No Tokens exist for the given user-identifier,Please generate and try again.', 0, 'the handler\'s own ZohoOAuthException');
check_same($handlerFile, $e?->getFile(), '... is the object the handler threw');
MyTokenStore::$fail = new RuntimeException('db down', 42);
$e = check_throws(fn() => $client->getAccessToken('ada@example.com'), RuntimeException::class, 'db down', 42, 'a RuntimeException from getOAuthTokens');
check($e === MyTokenStore::$fail, '... is the very same exception object');
check_throws(fn() => $client->generateAccessTokenFromRefreshToken($tokens->getRefreshToken(), 'ada@example.com'), RuntimeException::class,
    'db down', 42, 'a RuntimeException from saveOAuthData');
MyTokenStore::$fail = null;
check($client->getAccessToken('ada@example.com') !== '', 'the store works again afterwards (no lock left held)');

// A handler calling the client again would wait for its own lock: refused, not a hang.
MyTokenStore::$reenter = true;
check_throws(fn() => $client->generateAccessTokenFromRefreshToken($tokens->getRefreshToken(), 'ada@example.com'), ZohoOAuthException::class,
    '/cannot be used from inside a persistence handler/', 100, 'a handler calling ZohoOAuthClient gets an exception, not a deadlock');
MyTokenStore::$reenter = false;

// A handler returning something else.
MyTokenStore::$answer = 'not tokens';
check_throws(fn() => $client->getAccessToken('ada@example.com'), ZohoOAuthException::class, '/must return a zcrmsdk\\\\oauth\\\\utility\\\\ZohoOAuthTokens/', 401, 'a wrong return type');
MyTokenStore::$answer = null;

MyTokenStore::$calls = [];
check_same(true, $client->deleteTokens('ada@example.com'), 'deleteTokens');
check_same(['delete:ada@example.com'], MyTokenStore::$calls, '... calls deleteOAuthTokens');
check(!isset(MyTokenStore::$rows['ada@example.com']), '... which deleted the row');
check_same(true, $client->deleteTokens('ada@example.com'), 'deleteTokens is true when the handler returns nothing, even with no row left (the handler cannot say)');
MyTokenStore::$deleteReturns = 0;
check_same(true, $client->deleteTokens('ada@example.com'), '... and for any value but false');
MyTokenStore::$deleteReturns = false;
check_same(false, $client->deleteTokens('ada@example.com'), '... and false when deleteOAuthTokens returns false');
MyTokenStore::$deleteReturns = null;
MyTokenStore::$fail = new RuntimeException('db down', 42);
check_throws(fn() => $client->deleteTokens('ada@example.com'), RuntimeException::class, 'db down', 42, 'an exception from deleteOAuthTokens reaches the caller');
MyTokenStore::$fail = null;

// Only a class name: loaded by the application's autoloader.
spl_autoload_register(function ($class) use ($dir) {
    if ($class === 'Autoloaded\Store') {
        eval('namespace Autoloaded; class Store extends \MyTokenStore {}');
    }
});
ZCRMRestClient::initialize(test_config('', ['token_persistence_path' => '', 'persistence_handler_class_name' => '\Autoloaded\Store']));
$t = ZohoOAuth::getClientInstance()->generateAccessToken(emu_grant());
check(isset(MyTokenStore::$rows['ada@example.com']), 'a handler named by class only is autoloaded');

// Broken handler classes.
ZCRMRestClient::initialize(test_config('', ['token_persistence_path' => '', 'persistence_handler_class_name' => 'NoSuchStore']));
check_throws(fn() => ZohoOAuth::getClientInstance()->getAccessToken('ada@example.com'), ZohoOAuthException::class, '/NoSuchStore was not found/', 401, 'an unknown class');
ZCRMRestClient::initialize(test_config('', ['token_persistence_path' => '', 'persistence_handler_class' => "$dir/none.php", 'persistence_handler_class_name' => 'Nope']));
check_throws(fn() => ZohoOAuth::getClientInstance()->getAccessToken('ada@example.com'), ZohoOAuthException::class, '/none\.php is not a readable PHP file/', 401, 'a missing file');
class NotAStore {}
ZCRMRestClient::initialize(test_config('', ['token_persistence_path' => '', 'persistence_handler_class_name' => 'NotAStore']));
check_throws(fn() => ZohoOAuth::getClientInstance()->getAccessToken('ada@example.com'), ZohoOAuthException::class, '/NotAStore::getOAuthTokens\(\) does not exist/', 401, 'a class without the interface\'s methods');

// exit() inside a handler: PHP stops as PHP does, shutdown functions still run, no crash, no lock left.
$script = "$dir/exit.php";
file_put_contents($script, '<?php
class ExitStore implements zcrmsdk\oauth\persistence\ZohoOAuthPersistenceInterface {
    public static $exit = true;
    public function saveOAuthData($t) {}
    public function getOAuthTokens($u) { if (self::$exit) { echo "handler exits\n"; exit(7); } return null; }
    public function deleteOAuthTokens($u) {}
}
$c = ' . var_export(test_config('', ['token_persistence_path' => '', 'persistence_handler_class_name' => 'ExitStore']), true) . ';
zcrmsdk\crm\setup\restclient\ZCRMRestClient::initialize($c);
register_shutdown_function(function () {
    ExitStore::$exit = false;
    try { zcrmsdk\oauth\ZohoOAuth::getClientInstance()->getAccessToken("ada@example.com"); }
    catch (Exception $e) { echo "shutdown: ", $e->getMessage(), "\n"; }
});
zcrmsdk\oauth\ZohoOAuth::getClientInstance()->getAccessToken("ada@example.com");
echo "not reached\n";');
exec(escapeshellarg(PHP_BINARY) . ' -n -d extension=' . escapeshellarg(getenv('ZOHO_OAUTH_EXT')) . ' ' . escapeshellarg($script) . ' 2>&1', $lines, $status);
check_same(7, $status, 'exit(7) in a handler ends the script with status 7');
check_same(['handler exits', 'shutdown: No Tokens exist for the given user-identifier,Please generate and try again.'], $lines,
    'shutdown functions run and can use the extension again');
--EXPECT--
ok - the handler file is not loaded before it is needed
ok - the extension loaded persistence_handler_class (require_once)
ok - generateAccessToken called saveOAuthData once
ok - the handler received a ZohoOAuthTokens it could serialize
ok - one handler object per operation, as the SDK does
ok - getAccessToken reads through getOAuthTokens
ok - ... one call
ok - a stale token is refreshed once
ok - ... and saved through saveOAuthData
ok - ... the new token is in the handler's store
ok - the handler's own ZohoOAuthException
ok - ... is the object the handler threw
ok - a RuntimeException from getOAuthTokens
ok - ... is the very same exception object
ok - a RuntimeException from saveOAuthData
ok - the store works again afterwards (no lock left held)
ok - a handler calling ZohoOAuthClient gets an exception, not a deadlock
ok - a wrong return type
ok - deleteTokens
ok - ... calls deleteOAuthTokens
ok - ... which deleted the row
ok - deleteTokens is true when the handler returns nothing, even with no row left (the handler cannot say)
ok - ... and for any value but false
ok - ... and false when deleteOAuthTokens returns false
ok - an exception from deleteOAuthTokens reaches the caller
ok - a handler named by class only is autoloaded
ok - an unknown class
ok - a missing file
ok - a class without the interface's methods
ok - exit(7) in a handler ends the script with status 7
ok - shutdown functions run and can use the extension again
