--TEST--
Issue 13 in PHP: numeric user ids coerce as PHP's own string parameters do; non-UTF-8 arguments are a ZohoOAuthException; a relative token_persistence_path without zoho_oauth.token_base_dir is refused, never created in the working directory
--FILE--
<?php
use zcrmsdk\crm\setup\restclient\ZCRMRestClient;
use zcrmsdk\oauth\ZohoOAuth;
use zcrmsdk\oauth\exception\ZohoOAuthException;

require __DIR__ . '/../lib/helpers.php';
$url = emulator_start();
emu_client();
$dir = temp_dir();

// ---- item 12: a numeric user id from a database, without strict_types ----
$refresh = '1000.4711aaaa4711aaaa4711aaaa4711aaaa.4711bbbb4711bbbb4711bbbb4711bbbb';
emu_refresh_token($refresh, 'ada@example.com');
ZCRMRestClient::initialize(test_config($dir));
$client = ZohoOAuth::getClientInstance();
$saved = $client->generateAccessTokenFromRefreshToken($refresh, 4711);
check_same('4711', $saved->getUserEmailId(), 'an int user id is taken as "4711"');
check(str_starts_with($client->getAccessToken(4711), '1000.'), 'getAccessToken(4711)');
check_same($client->getAccessToken('4711'), $client->getAccessToken(4711), 'int and string ids are the same user');
class Id { public function __toString(): string { return '4711'; } }
check(str_starts_with($client->getAccessToken(new Id()), '1000.'), 'a Stringable is coerced');
ZCRMRestClient::setCurrentUserEmailId(4711);
check_same('4711', ZCRMRestClient::getCurrentUserEmailID(), 'setCurrentUserEmailId(4711)');
check_throws(fn () => $client->getAccessToken(['4711']), TypeError::class, null, null, 'an array is still a TypeError, as in PHP');
check(true === $client->deleteTokens(4711), 'deleteTokens(4711)');

// ---- item 11: a non-UTF-8 argument ----
check_throws(fn () => $client->getAccessToken("ada\xff@example.com"), ZohoOAuthException::class, '/UTF-8/', 100, 'a non-UTF-8 user id is a ZohoOAuthException (invalid_argument)');
check_throws(fn () => $client->generateAccessToken("\xc3\x28"), ZohoOAuthException::class, '/UTF-8/', 100, 'a non-UTF-8 grant token too');

// ---- item 10: seed 001's relative path without the documented step ----
$cwd = temp_dir('cwd');
chdir($cwd);
$e = check_throws(fn () => ZCRMRestClient::initialize(test_config('', ['token_persistence_path' => 'zcrm_oauthtokens.txt'])),
    ZohoOAuthException::class, '/relative/', null, 'a relative token_persistence_path is refused');
check($e !== null && str_contains($e->getMessage() . ' ' . ($e->getPrevious()?->getMessage() ?? ''), 'relative'), 'the message says why');
check(!file_exists("$cwd/zcrm_oauthtokens.txt"), 'nothing was created in the working directory');
check_same(ini_get('zoho_oauth.token_base_dir'), '', 'zoho_oauth.token_base_dir is empty by default');
--EXPECT--
ok - an int user id is taken as "4711"
ok - getAccessToken(4711)
ok - int and string ids are the same user
ok - a Stringable is coerced
ok - setCurrentUserEmailId(4711)
ok - an array is still a TypeError, as in PHP
ok - deleteTokens(4711)
ok - a non-UTF-8 user id is a ZohoOAuthException (invalid_argument)
ok - a non-UTF-8 grant token too
ok - a relative token_persistence_path is refused
ok - the message says why
ok - nothing was created in the working directory
ok - zoho_oauth.token_base_dir is empty by default
