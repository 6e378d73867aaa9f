--TEST--
A custom persistence handler whose getOAuthTokens() returns tokens without a user (no setUserEmailId): refreshes are saved, and revocations deleted, under the identifier asked for, as the SDK does
--FILE--
<?php
use zcrmsdk\crm\setup\restclient\ZCRMRestClient;
use zcrmsdk\oauth\ZohoOAuth;
use zcrmsdk\oauth\persistence\ZohoOAuthPersistenceInterface;
use zcrmsdk\oauth\utility\ZohoOAuthTokens;

require __DIR__ . '/../lib/helpers.php';
$url = emulator_start();
emu_client();

// A key-value store: it keeps only the token strings and rebuilds the object on each read,
// without the user (many SDK handlers do this, since the key already is the user).
class KeyValueStore implements ZohoOAuthPersistenceInterface
{
    public static string $refresh = '';
    public static array $calls = [];
    public static array $saved = [];

    public function saveOAuthData($zohoOAuthTokens)
    {
        self::$calls[] = 'save:' . $zohoOAuthTokens->getUserEmailId();
        self::$saved[] = [$zohoOAuthTokens->getUserEmailId(), $zohoOAuthTokens->getRefreshToken(), $zohoOAuthTokens->isValidAccessToken()];
    }

    public function getOAuthTokens($userEmailId)
    {
        self::$calls[] = "get:$userEmailId";
        $tokens = new ZohoOAuthTokens();
        $tokens->setAccessToken('1000.stale.accesstoken');
        $tokens->setRefreshToken(self::$refresh);
        $tokens->setExpiryTime($tokens->getCurrentTimeInMillis() - 60000);   // expired
        return $tokens;
    }

    public function deleteOAuthTokens($userEmailId)
    {
        self::$calls[] = "delete:$userEmailId";
    }
}

KeyValueStore::$refresh = '1000.' . bin2hex(random_bytes(16)) . '.' . bin2hex(random_bytes(16));
emu_refresh_token(KeyValueStore::$refresh, 'kv@example.com');
ZCRMRestClient::initialize(test_config('', ['token_persistence_path' => '', 'persistence_handler_class_name' => 'KeyValueStore']));
$client = ZohoOAuth::getClientInstance();

$before = emu_counters()['token.refresh_token'];
$token = $client->getAccessToken('kv@example.com');
check(str_starts_with($token, '1000.') && $token !== '1000.stale.accesstoken', 'getAccessToken refreshes the expired, user-less tokens');
check_same($before + 1, emu_counters()['token.refresh_token'], '... with one refresh');
// (The store is read again once the user's refresh lock is held, so getOAuthTokens may run twice.)
check_same(['get:kv@example.com'], array_values(array_unique(array_filter(KeyValueStore::$calls, fn($c) => str_starts_with($c, 'get:')))), '... reading under the identifier it was asked for');
check_same(['save:kv@example.com'], array_values(array_filter(KeyValueStore::$calls, fn($c) => str_starts_with($c, 'save:'))), '... and saving under it, once');
check_same([['kv@example.com', KeyValueStore::$refresh, true]], KeyValueStore::$saved, '... with the stored refresh token and a valid access token');

KeyValueStore::$calls = [];
check_same(true, $client->revokeRefreshToken('kv@example.com'), 'revokeRefreshToken');
check_same(1, emu_counters()['revoke'], '... revokes the refresh token at the accounts server');
check_same('delete:kv@example.com', end(KeyValueStore::$calls), '... and deletes under the identifier it was asked for');
check(!in_array('delete:', KeyValueStore::$calls, true), '... never under an empty identifier');
check_throws(fn() => $client->generateAccessTokenFromRefreshToken(KeyValueStore::$refresh, 'kv@example.com'), zcrmsdk\oauth\exception\ZohoOAuthException::class,
    '/invalid_code/', 300, '... so the refresh token no longer works');
--EXPECT--
ok - getAccessToken refreshes the expired, user-less tokens
ok - ... with one refresh
ok - ... reading under the identifier it was asked for
ok - ... and saving under it, once
ok - ... with the stored refresh token and a valid access token
ok - revokeRefreshToken
ok - ... revokes the refresh token at the accounts server
ok - ... and deletes under the identifier it was asked for
ok - ... never under an empty identifier
ok - ... so the refresh token no longer works
