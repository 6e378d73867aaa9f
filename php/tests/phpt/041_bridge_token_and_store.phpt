--TEST--
Bridge for Zoho's current SDK in one process: LockedOAuthToken (grant exchange once, our margin, revoke, remove, no secret in dumps) and LockedTokenStore (the SDK's match, merge and id semantics, refresh inside findToken, the six methods)
--FILE--
<?php
use com\zoho\api\authenticator\OAuthBuilder;
use com\zoho\api\authenticator\OAuthToken;
use com\zoho\crm\api\InitializeBuilder;
use com\zoho\crm\api\Initializer;
use com\zoho\crm\api\UserSignature;
use zcrmsdk\oauth\exception\ZohoOAuthException;
use zoho_oauth\bridge\Core;
use ZohoOAuth\Bridge\LockedOAuthBuilder;
use ZohoOAuth\Bridge\LockedOAuthToken;
use ZohoOAuth\Bridge\LockedTokenStore;

require __DIR__ . '/../../bridge/tests/bootstrap.php';
$url = emulator_start();
emu_client();
$dir = temp_dir();
$store = bridge_store_config($dir, ['token_store_format' => 'json']);
$full = $store + ['client_id' => TEST_CLIENT_ID, 'client_secret' => TEST_CLIENT_SECRET, 'redirect_uri' => TEST_REDIRECT_URI];
$now = fn() => (int) round(microtime(true) * 1000);

// LockedOAuthToken
$grant = emu_grant();
$build = fn() => (new LockedOAuthBuilder())->store($store)->clientId(TEST_CLIENT_ID)->clientSecret(TEST_CLIENT_SECRET)
    ->grantToken($grant)->redirectURL(TEST_REDIRECT_URI)->userSignature(new UserSignature('ada@example.com'))->build();
$token = $build();
check($token instanceof OAuthToken && $token instanceof LockedOAuthToken, 'the bridge token is an SDK OAuthToken');
(new InitializeBuilder())->environment(bridge_environment())->token($token)->initialize();
$first = Initializer::authenticateRequest()['Authorization'];
check(str_starts_with($first, 'Zoho-oauthtoken 1000.'), 'initialize() exchanged the grant; authenticate() sends the access token');
(new InitializeBuilder())->environment(bridge_environment())->token($build())->initialize();   // the next request
check_same($first, Initializer::authenticateRequest()['Authorization'], 'the next request (same grant token in the code) gets the stored token');
check_same(1, emu_counters()['token.authorization_code'], 'the grant token was exchanged once');
check_same('ada@example.com', Core::find($full, 'ada@example.com')['user'], 'stored under the user');
$dump = print_r($token, true) . var_export((array) $token->__debugInfo(), true);
check(!str_contains($dump, TEST_CLIENT_SECRET) && !str_contains($dump, substr($first, 16)), 'print_r shows no secret and no token');

Core::save($full, ['user' => 'ada@example.com', 'access_token' => '1000.a.soon', 'expiry_time' => (string) ($now() + 30000)] + Core::find($full, 'ada@example.com'));
(new InitializeBuilder())->environment(bridge_environment())->token($build())->initialize();
$fresh = Initializer::authenticateRequest()['Authorization'];
check($fresh !== 'Zoho-oauthtoken 1000.a.soon' && $fresh !== $first, 'a token with 30 s left is refreshed (our 60 s margin; the SDK waits for 5 s)');
check_same(1, emu_counters()['token.refresh_token'], 'one refresh');

$other = (new LockedOAuthBuilder())->store($store)->clientId(TEST_CLIENT_ID)->clientSecret(TEST_CLIENT_SECRET)
    ->refreshToken(Core::find($full, 'ada@example.com')['refresh_token'])->userSignature(new UserSignature('ada@example.com'))->build();
check($other->revoke(null) === true && Core::find($full, 'ada@example.com') === null, 'revoke() revokes at Zoho and deletes the stored tokens');
check_same(1, emu_counters()['revoke'], 'one revoke request');
check_throws(fn() => (new LockedOAuthBuilder())->clientId('x')->build(), com\zoho\crm\api\exception\SDKException::class,
    'clientId and clientSecret are mandatory', 101, 'build() without a secret or a token is refused (an SDKException, as the SDK\'s build())');

// LockedTokenStore with the SDK's own OAuthToken
emu('POST', '/_emulator/reset', []);
unset($GLOBALS['__bridge_api_domain_for']);                  // the reset forgets the emulator's settings
emu_client();
$locked = new LockedTokenStore($store);
check(!str_contains(print_r($locked, true), $url), 'print_r of the store shows keys only');
$refresh = '1000.' . bin2hex(random_bytes(8)) . '.r';
emu_refresh_token($refresh, 'bob@example.com');
bridge_new_request();
$sdkToken = fn() => (new OAuthBuilder())->clientId(TEST_CLIENT_ID)->clientSecret(TEST_CLIENT_SECRET)->refreshToken($refresh)->findUser(false)->build();
(new InitializeBuilder())->environment(bridge_environment())->token($t = $sdkToken())->store($locked)->initialize();
$key = $t->getId();
check(str_starts_with((string) $key, 'sdk-') && !str_contains((string) $key, $refresh), 'a token without user gets a derived id that reveals no token');
check(str_starts_with((string) $t->getAccessToken(), '1000.') && (int) $t->getExpiresIn() > $now() + 3000000, 'findToken() stored the refresh token and refreshed it under our lock');
check_same(1, emu_counters()['token.refresh_token'], 'one refresh, by us (the SDK found a valid token)');
bridge_new_request();
(new InitializeBuilder())->environment(bridge_environment())->token($sdkToken())->store($locked)->initialize();
check_same(1, emu_counters()['token.refresh_token'], 'the next request matches the row by refresh token: no refresh');

// A long-lived SDK process: the same token object, now with an id, 30 s before expiry.
Core::save($full, ['user' => $key, 'access_token' => '1000.a.soon', 'expiry_time' => (string) ($now() + 30000)] + Core::find($full, $key));
$t->setAccessToken('1000.a.soon');
$t->setExpiresIn((string) ($now() + 30000));
$again = $t->getToken();
check($again !== '1000.a.soon' && str_starts_with($again, '1000.') && $again === Core::find($full, $key)['access_token'],
    'the SDK looks it up by id: findTokenById() refreshes it and updates the token object the SDK holds');
check_same(2, emu_counters()['token.refresh_token'], 'one refresh, by us');

$byId = $locked->findTokenById($key);
check($byId instanceof OAuthToken && $byId->getRefreshToken() === $refresh && $byId->getAccessToken() === $t->getAccessToken(), 'findTokenById() returns an OAuthToken with the row merged in');
check_throws(fn() => $locked->findTokenById('nobody'), com\zoho\crm\api\exception\SDKException::class,
    'Exception in getTokenById - LockedTokenStore : Given ID is invalid', 400, 'findTokenById() of an unknown id: an SDKException (as the SDK\'s FileStore; null made the SDK die with a TypeError)');
$plain = new stdClass();
$nonOAuth = new class implements com\zoho\api\authenticator\Token {
    public function authenticate(com\zoho\crm\api\util\APIHTTPConnector $c) {}
    public function revoke($id) {}
    public function remove() {}
    public function generateToken() {}
    public function getId() { return null; }
};
check($locked->findToken($nonOAuth) === $nonOAuth, 'findToken() returns a token that is not an OAuthToken unchanged');
$byAccess = new OAuthToken(null, null, null, null, null, null, $t->getAccessToken());
check_same($refresh, $locked->findToken($byAccess)->getRefreshToken(), 'a token with only an access token matches by access token and is merged');

$carol = new OAuthToken(TEST_CLIENT_ID, TEST_CLIENT_SECRET, null, '1000.r.carol', null, null, '1000.a.carol', new UserSignature('carol@example.com'), false);
$carol->setExpiresIn((string) ($now() + 3600000));
$locked->saveToken($carol);
check_same('carol@example.com', $carol->getId(), 'saveToken() gives a token with a user its user name as id');
$again = new OAuthToken(TEST_CLIENT_ID, TEST_CLIENT_SECRET, null, null, null, null, null, new UserSignature('carol@example.com'), false);
check_same('1000.a.carol', $locked->findToken($again)->getAccessToken(), 'findToken() by user name merges the stored token');
check_same([$key, 'carol@example.com'], array_map(fn($x) => $x->getId(), $locked->getTokens()), 'getTokens() lists both');
$locked->deleteToken('carol@example.com');
check_same([$key], array_map(fn($x) => $x->getId(), $locked->getTokens()), 'deleteToken() deletes one');
$locked->deleteTokens();
check_same([], $locked->getTokens(), 'deleteTokens() deletes all');
check_throws(fn() => $locked->saveToken(new OAuthToken(null, null, null, null)), com\zoho\crm\api\exception\SDKException::class, null, 100, 'a token with nothing to key it by cannot be saved');
finish();
--EXPECT--
ok - the bridge token is an SDK OAuthToken
ok - initialize() exchanged the grant; authenticate() sends the access token
ok - the next request (same grant token in the code) gets the stored token
ok - the grant token was exchanged once
ok - stored under the user
ok - print_r shows no secret and no token
ok - a token with 30 s left is refreshed (our 60 s margin; the SDK waits for 5 s)
ok - one refresh
ok - revoke() revokes at Zoho and deletes the stored tokens
ok - one revoke request
ok - build() without a secret or a token is refused (an SDKException, as the SDK's build())
ok - print_r of the store shows keys only
ok - a token without user gets a derived id that reveals no token
ok - findToken() stored the refresh token and refreshed it under our lock
ok - one refresh, by us (the SDK found a valid token)
ok - the next request matches the row by refresh token: no refresh
ok - the SDK looks it up by id: findTokenById() refreshes it and updates the token object the SDK holds
ok - one refresh, by us
ok - findTokenById() returns an OAuthToken with the row merged in
ok - findTokenById() of an unknown id: an SDKException (as the SDK's FileStore; null made the SDK die with a TypeError)
ok - findToken() returns a token that is not an OAuthToken unchanged
ok - a token with only an access token matches by access token and is merged
ok - saveToken() gives a token with a user its user name as id
ok - findToken() by user name merges the stored token
ok - getTokens() lists both
ok - deleteToken() deletes one
ok - deleteTokens() deletes all
ok - a token with nothing to key it by cannot be saved
all checks passed
