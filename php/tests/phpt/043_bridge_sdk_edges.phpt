--TEST--
Bridge under the SDK's real edges (issue 22): errors are SDKExceptions with a message and a code (also revoke()), findTokenById() of an unknown id throws as the SDK's FileStore, ids-only tokens get the store's client keys or fail at start, an SDK row without user name is never duplicated, the data centre follows the token's API domain, and a request reads the store no more than it must
--FILE--
<?php
use com\zoho\api\authenticator\OAuthBuilder;
use com\zoho\api\authenticator\OAuthToken;
use com\zoho\api\authenticator\store\FileStore;
use com\zoho\api\authenticator\store\TokenStore;
use com\zoho\crm\api\exception\SDKException;
use com\zoho\crm\api\InitializeBuilder;
use com\zoho\crm\api\Initializer;
use com\zoho\crm\api\UserSignature;
use zoho_oauth\bridge\Core;
use ZohoOAuth\Bridge\LockedOAuthBuilder;
use ZohoOAuth\Bridge\LockedTokenStore;
use ZohoOAuth\Bridge\Tokens;

require __DIR__ . '/../../bridge/tests/bootstrap.php';
$url = emulator_start();
emu_client();
$dir = temp_dir();
$now = fn() => (int) round(microtime(true) * 1000);
$init = function ($token, $store = null): void {
    bridge_new_request();
    $b = (new InitializeBuilder())->environment(bridge_environment())->token($token);
    ($store ? $b->store($store) : $b)->initialize();
};

// 1. Errors: SDKException with getMessage() and a code, never the SDK's empty wrapper.
$store = bridge_store_config($dir);
$locked = fn(string $refresh) => (new LockedOAuthBuilder())->store($store)->clientId(TEST_CLIENT_ID)->clientSecret(TEST_CLIENT_SECRET)
    ->refreshToken($refresh)->userSignature(new UserSignature('eve@example.com'))->build();
$e = check_throws(fn() => $init($locked('1000.not.issued')), SDKException::class, '/invalid_code/', 300,
    'LockedOAuthToken, refresh token unknown at Zoho: SDKException, getMessage() filled, getCode() 300');
check_same(['INVALID_CODE', $e?->getMessage()], [$e?->getErrorCode(), $e?->getErrorMessage()], '... getErrorCode() INVALID_CODE, getErrorMessage() the same text');
check($e?->getCause() instanceof zcrmsdk\oauth\exception\ZohoOAuthException, '... getCause(): the extension\'s exception');
$sdkToken = fn(string $refresh) => (new OAuthBuilder())->clientId(TEST_CLIENT_ID)->clientSecret(TEST_CLIENT_SECRET)->refreshToken($refresh)
    ->userSignature(new UserSignature('eve@example.com'))->findUser(false)->build();
check_throws(fn() => $init($sdkToken('1000.not.issued.2'), new LockedTokenStore($store)), SDKException::class, '/invalid_code/', 300,
    'LockedTokenStore, the same: SDKException with the message and code');
$wrapped = check_throws(fn() => $init(new class (null, null, null, null) extends OAuthToken {
    public function generateToken() { throw new RuntimeException('anything but an SDKException'); }
}), SDKException::class, null, 0, 'what the SDK\'s Initializer does to any other exception (the stand-in as the SDK) ...');
check_same(['', 'anything but an SDKException'], [$wrapped?->getMessage(), $wrapped?->getErrorMessage()],
    '... an empty getMessage(): why the bridge throws SDKExceptions itself');
$revoke = check_throws(fn() => $locked('1000.r.x')->revoke('nobody@example.com'), SDKException::class, null, 400,
    'revoke() of nothing stored: an SDKException (400), not the archived SDK\'s ZohoOAuthException');
check(!($revoke instanceof zcrmsdk\oauth\exception\ZohoOAuthException) && $revoke?->getMessage() !== '', '... with its message');

// 2. findTokenById() of an unknown id, through the SDK: a catchable SDKException (null made the SDK die with a TypeError).
$keyed = new LockedTokenStore($store + ['client_id' => TEST_CLIENT_ID, 'client_secret' => TEST_CLIENT_SECRET]);
$byId = fn(string $id) => (new OAuthBuilder())->id($id)->build();
check_throws(fn() => $init($byId('no-such-id'), $keyed), SDKException::class, '/getTokenById - LockedTokenStore : Given ID is invalid/', 400,
    'an SDK token by an unknown id, initialize(): SDKException "Given ID is invalid"');

// 3. Ids only (route 2): the store gives the token its client keys, or refuses at start.
$refresh = '1000.' . bin2hex(random_bytes(8)) . '.r';
emu_refresh_token($refresh, 'ida@example.com');
Core::save(Tokens::configuration(bridge_store_config($dir), null),
    ['user' => 'ida@example.com', 'refresh_token' => $refresh, 'access_token' => '1000.a.old', 'expiry_time' => (string) ($now() + 2000)]);
$before = emu_counters()['token.refresh_token'] ?? 0;
$t = $byId('ida@example.com');
$init($t, $keyed);
$header = Initializer::authenticateRequest()['Authorization'];
check($header !== 'Zoho-oauthtoken 1000.a.old' && str_starts_with($header, 'Zoho-oauthtoken 1000.'), 'an id-only token, an expired row: the request gets a fresh token');
check_same($before + 1, emu_counters()['token.refresh_token'], '... refreshed once, by us, with the store\'s client keys');
check_same(TEST_CLIENT_ID, $keyed->findTokenById('ida@example.com')->getClientId(), '... and the token found by id carries them (the SDK refreshes with those)');
check_throws(fn() => $init($byId('ida@example.com'), new LockedTokenStore($store)), SDKException::class,
    '/no client_id and client_secret to refresh tokens found by id/', 101, 'without client keys in the store: a clear SDKException at initialize(), not a failed refresh an hour later');

// 4. An SDK row without user name (findUser(false), no UserSignature): never a second row, no extra refresh.
$csv = "$dir/sdk_tokens.txt";
$csvStore = bridge_store_config($csv);
$anon = '1000.' . bin2hex(random_bytes(8)) . '.anon';
emu_refresh_token($anon, 'anon@example.com');
$sdkRow = new OAuthToken(TEST_CLIENT_ID, TEST_CLIENT_SECRET, null, $anon, null, null, '1000.a.anon', null, false);
$sdkRow->setExpiresIn((string) ($now() + 2000));                      // about to expire
(new FileStore($csv))->saveToken($sdkRow);
$lines = fn() => array_slice(file($csv, FILE_IGNORE_NEW_LINES), 1);
check_same(1, count($lines()), 'the SDK wrote one row without user name');
$before = emu_counters()['token.refresh_token'] ?? 0;
$anonToken = fn() => (new LockedOAuthBuilder())->store($csvStore)->clientId(TEST_CLIENT_ID)->clientSecret(TEST_CLIENT_SECRET)->refreshToken($anon)->build();
$init($anonToken());
$first = Initializer::authenticateRequest()['Authorization'];
$init($anonToken());
check_same($first, Initializer::authenticateRequest()['Authorization'], 'LockedOAuthToken with that refresh token: the same token on the next request');
check_same(1, count($lines()), '... still one row (not a second one under a derived key)');
check_same($before + 1, emu_counters()['token.refresh_token'], '... one refresh in all');
check_same('', str_getcsv($lines()[0], ',', '"', '\\')[1], '... and the row still has no user name');
$sdkAnon = fn() => (new OAuthBuilder())->clientId(TEST_CLIENT_ID)->clientSecret(TEST_CLIENT_SECRET)->refreshToken($anon)->findUser(false)->build();
$init($x = $sdkAnon(), new LockedTokenStore($csvStore));
check_same([$first, null, 1, $before + 1], ['Zoho-oauthtoken ' . $x->getAccessToken(), $x->getUserSignature(), count($lines()), emu_counters()['token.refresh_token']],
    'LockedTokenStore: the same row and token, no UserSignature made of its id, no extra row or refresh');
check_same(true, Core::delete(Tokens::configuration($csvStore, null), str_getcsv($lines()[0], ',', '"', '\\')[0]), 'the row is deleted (this process remembers its key)');
$init($anonToken());
$rows = array_map(fn($l) => str_getcsv($l, ',', '"', '\\'), $lines());
check_same([1, Tokens::derived($anonToken(), $anon)], [count($rows), $rows[0][1] ?? null],
    '... the next request looks again: the refresh token stored under its own key, not under the forgotten id');

// 5. The data centre follows the token's API domain, as the SDK's getToken() does.
$eu = bridge_store_config($dir, ['client_id' => TEST_CLIENT_ID, 'client_secret' => TEST_CLIENT_SECRET]);
Core::save(Tokens::configuration($eu, null), ['user' => 'eu@example.com', 'refresh_token' => '1000.r.eu', 'access_token' => '1000.a.eu', 'expiry_time' => (string) ($now() + 3600000),
    'api_domain' => 'https://www.zohoapis.eu']);
$init((new LockedOAuthBuilder())->store($store)->clientId(TEST_CLIENT_ID)->clientSecret(TEST_CLIENT_SECRET)->refreshToken('1000.r.eu')
    ->userSignature(new UserSignature('eu@example.com'))->build());
check_same('https://www.zohoapis.eu', Initializer::getInitializer()->getEnvironment()->getUrl(), 'a token of the EU data centre switches the SDK to EU (its API calls go there)');
$noAccounts = ['token_persistence_path' => $dir];
check_same('https://accounts.zoho.eu', Tokens::configuration($noAccounts, null, 'https://www.zohoapis.eu')['accounts_url'],
    '... and, unless the configuration names one, refreshes go to EU\'s accounts server');
check_same('https://accounts.zoho.com', Tokens::configuration($noAccounts, null, 'https://sandbox.zohoapis.com')['accounts_url'], '... US for a US sandbox domain');
check_same($url, Tokens::configuration($store, null, 'https://www.zohoapis.eu')['accounts_url'], 'a configured accounts_url wins');
$init((new LockedOAuthBuilder())->store($store)->clientId(TEST_CLIENT_ID)->clientSecret(TEST_CLIENT_SECRET)->refreshToken('1000.r.eu')
    ->userSignature(new UserSignature('eu@example.com'))->build());
check_same('https://www.zohoapis.eu', Initializer::getInitializer()->getEnvironment()->getUrl(), 'the next request too (the domain this process read before)');

// 6. Per request, the store is not read again: the row's key and API domain are read once per
// process, the tokens come from the extension's cache (a store that counts its reads).
class CountingStore implements zcrmsdk\oauth\persistence\ZohoOAuthPersistenceInterface
{
    public static array $rows = [];
    public static int $reads = 0;
    public static ?array $reenter = null;
    public static ?Throwable $inside = null;
    public function saveOAuthData($zohoOAuthTokens) { self::$rows[$zohoOAuthTokens->getUserEmailId()] = serialize($zohoOAuthTokens); }
    public function getOAuthTokens($userEmailId)
    {
        self::$reads++;
        if (self::$reenter !== null) {
            try {
                Core::find(self::$reenter, $userEmailId);
            } catch (Throwable $e) {
                self::$inside = $e;
            }
        }
        return isset(self::$rows[$userEmailId]) ? unserialize(self::$rows[$userEmailId]) : null;
    }
    public function deleteOAuthTokens($userEmailId) { unset(self::$rows[$userEmailId]); }
}
$fay = new zcrmsdk\oauth\utility\ZohoOAuthTokens();
$fay->setUserEmailId('fay@example.com');
$fay->setRefreshToken('1000.r.fay');
$fay->setAccessToken('1000.a.fay');
$fay->setExpiryTime($fay->getCurrentTimeInMillis() + 3600000);
CountingStore::$rows['fay@example.com'] = serialize($fay);
$counting = ['persistence_handler_class_name' => CountingStore::class, 'store_recheck_ms' => '60000'];   // no accounts_url: the domain picks it
$reads = function (callable $token, ?TokenStore $store = null) use ($init): array {
    $init($token(), $store);                                      // the first request of this process may read
    $before = CountingStore::$reads;
    for ($i = 0; $i < 10; $i++) {
        $init($token(), $store);
        $header = Initializer::authenticateRequest()['Authorization'];
    }
    return [CountingStore::$reads - $before, $header];
};
$fayToken = fn() => (new LockedOAuthBuilder())->store($counting)->clientId(TEST_CLIENT_ID)->clientSecret(TEST_CLIENT_SECRET)->refreshToken('1000.r.fay')
    ->userSignature(new UserSignature('fay@example.com'))->build();
check_same([0, 'Zoho-oauthtoken 1000.a.fay'], $reads($fayToken), 'LockedOAuthToken: 10 requests read the store 0 times (the token from the extension\'s cache)');
$sdkFay = fn() => (new OAuthBuilder())->clientId(TEST_CLIENT_ID)->clientSecret(TEST_CLIENT_SECRET)->refreshToken('1000.r.fay')
    ->userSignature(new UserSignature('fay@example.com'))->findUser(false)->build();
check_same([0, 'Zoho-oauthtoken 1000.a.fay'], $reads($sdkFay, new LockedTokenStore($counting)), 'LockedTokenStore: the same (findToken, then findTokenById)');
CountingStore::$reenter = $countingFull = Tokens::configuration($counting, null);
check_same('fay@example.com', Core::find($countingFull, 'fay@example.com')['user'] ?? null, 'a store that calls the extension back from inside ...');
check_same([zcrmsdk\oauth\exception\ZohoOAuthException::class, 100], [get_class(CountingStore::$inside ?? new stdClass()), CountingStore::$inside?->getCode()],
    '... is refused there (the operation that called it may hold the user\'s lock), and the outer call completes');
CountingStore::$reenter = null;
finish();
--EXPECT--
ok - LockedOAuthToken, refresh token unknown at Zoho: SDKException, getMessage() filled, getCode() 300
ok - ... getErrorCode() INVALID_CODE, getErrorMessage() the same text
ok - ... getCause(): the extension's exception
ok - LockedTokenStore, the same: SDKException with the message and code
ok - what the SDK's Initializer does to any other exception (the stand-in as the SDK) ...
ok - ... an empty getMessage(): why the bridge throws SDKExceptions itself
ok - revoke() of nothing stored: an SDKException (400), not the archived SDK's ZohoOAuthException
ok - ... with its message
ok - an SDK token by an unknown id, initialize(): SDKException "Given ID is invalid"
ok - an id-only token, an expired row: the request gets a fresh token
ok - ... refreshed once, by us, with the store's client keys
ok - ... and the token found by id carries them (the SDK refreshes with those)
ok - without client keys in the store: a clear SDKException at initialize(), not a failed refresh an hour later
ok - the SDK wrote one row without user name
ok - LockedOAuthToken with that refresh token: the same token on the next request
ok - ... still one row (not a second one under a derived key)
ok - ... one refresh in all
ok - ... and the row still has no user name
ok - LockedTokenStore: the same row and token, no UserSignature made of its id, no extra row or refresh
ok - the row is deleted (this process remembers its key)
ok - ... the next request looks again: the refresh token stored under its own key, not under the forgotten id
ok - a token of the EU data centre switches the SDK to EU (its API calls go there)
ok - ... and, unless the configuration names one, refreshes go to EU's accounts server
ok - ... US for a US sandbox domain
ok - a configured accounts_url wins
ok - the next request too (the domain this process read before)
ok - LockedOAuthToken: 10 requests read the store 0 times (the token from the extension's cache)
ok - LockedTokenStore: the same (findToken, then findTokenById)
ok - a store that calls the extension back from inside ...
ok - ... is refused there (the operation that called it may hold the user's lock), and the outer call completes
all checks passed
