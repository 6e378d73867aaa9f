--TEST--
generateAccessTokenFromRedirect(): Zoho's redirect (URL, query string or $_GET) is checked by the core, then its code exchanged at the user's data centre; hostile redirects exchange nothing
--FILE--
<?php
use zcrmsdk\oauth\ZohoOAuth;
use zcrmsdk\oauth\exception\ZohoOAuthException;

require __DIR__ . '/../lib/helpers.php';
$url = emulator_start();
emu_client();
emu('POST', '/_emulator/users', ['email' => 'eve@example.com', 'data_centre' => 'eu']);
$dir = temp_dir();
ZohoOAuth::initialize(test_config($dir, ['currentUserEmail' => null]));
$client = ZohoOAuth::getClientInstance();

/** Consents at the emulator's consent page as $user; returns where Zoho redirects the browser. */
function consent(string $authUrl, string $user, string $answer = 'allow'): string
{
    $context = stream_context_create(['http' => ['follow_location' => 0, 'ignore_errors' => true, 'timeout' => 10]]);
    file_get_contents($authUrl . '&emulator_user=' . urlencode($user) . "&emulator_consent=$answer", false, $context);
    foreach ($http_response_header as $header) {
        if (stripos($header, 'Location:') === 0) {
            return trim(substr($header, strlen('Location:')));
        }
    }
    return '';
}

function exchanges(): int
{
    return emu_counters()['token.authorization_code'];
}

$state = bin2hex(random_bytes(16));
$auth = $client->getAuthorizationUrl(TEST_SCOPE, $state, true);

// The redirect's whole URL.
$location = consent($auth, 'ada@example.com');
check(str_starts_with($location, TEST_REDIRECT_URI . '?'), 'the consent page redirects to the redirect URI');
$tokens = $client->generateAccessTokenFromRedirect($location, $state);
check_same('ada@example.com', $tokens->getUserEmailId(), 'a URL: the code is exchanged and the user found');
check_same(1, exchanges(), '... with one code exchange');
check_same($tokens->getAccessToken(), $client->getAccessToken('ada@example.com'), '... and the tokens are saved');

// $_GET, as PHP decodes it.
parse_str((string) parse_url(consent($auth, 'ada@example.com'), PHP_URL_QUERY), $get);
$tokens = $client->generateAccessTokenFromRedirect($get, $state);
check_same('ada@example.com', $tokens->getUserEmailId(), 'an array ($_GET): accepted');

// A user of the EU data centre: the code goes to the EU accounts server the redirect names.
$location = consent($auth, 'eve@example.com');
check(str_contains($location, 'accounts-server=' . urlencode("$url/eu")), 'an EU user is redirected with the EU accounts server');
$tokens = $client->generateAccessTokenFromRedirect(parse_url($location, PHP_URL_QUERY), $state);
check_same('eve@example.com', $tokens->getUserEmailId(), 'a query string: the EU code is exchanged');
$token_requests = array_values(array_filter(emu('GET', '/_emulator/requests'),
    fn($r) => $r['path'] === '/oauth/v2/token' && str_contains($r['body'], 'authorization_code')));
check_same('eu', end($token_requests)['data_centre'], '... at the EU accounts server');

// Hostile or broken redirects: an exception, and nothing is exchanged.
$location = consent($auth, 'ada@example.com');
$query = (string) parse_url($location, PHP_URL_QUERY);
parse_str($query, $good);
$code = $good['code'];
$before = exchanges();
$refused = [];
$refused[] = check_throws(fn() => $client->generateAccessTokenFromRedirect($location, 'another-state'), ZohoOAuthException::class,
    '/^the redirect\'s state does not match the authorization request/', 100, 'a wrong state is refused (invalid_argument)');
$refused[] = check_throws(fn() => $client->generateAccessTokenFromRedirect(str_replace("state=$state", 'state=', $query)), ZohoOAuthException::class,
    '/state does not match/', 100, 'no expected state (and an empty one in the redirect) is refused');
$refused[] = check_throws(fn() => $client->generateAccessTokenFromRedirect(str_replace("state=$state", '', $query), $state), ZohoOAuthException::class,
    '/state does not match/', 100, 'a missing state is refused');
$refused[] = check_throws(fn() => $client->generateAccessTokenFromRedirect(['state' => [$state]] + $good, $state), ZohoOAuthException::class,
    '/state does not match/', 100, 'a state array (state[]=...) is refused');
$refused[] = check_throws(fn() => $client->generateAccessTokenFromRedirect(['code' => ''] + $good, $state), ZohoOAuthException::class,
    "Zoho's redirect carried no code", 100, 'an empty code is refused');
$refused[] = check_throws(fn() => $client->generateAccessTokenFromRedirect("state=$state&location=us", $state), ZohoOAuthException::class,
    "Zoho's redirect carried no code", 100, 'a missing code is refused');
foreach (['https://accounts.zoho.eu.evil.example', 'https://evil.example', 'http://127.0.0.1:1'] as $forged) {
    $hostile = ['accounts-server' => $forged] + $good;
    $refused[] = check_throws(fn() => $client->generateAccessTokenFromRedirect($hostile, $state), ZohoOAuthException::class,
        "/^the redirect names accounts server '" . preg_quote($forged, '/') . "', which is not one of Zoho's/", 100,
        "a foreign accounts-server ($forged) is refused");
}
$refused[] = check_throws(fn() => $client->generateAccessTokenFromRedirect(42, $state), ZohoOAuthException::class,
    '/must be a query string, the callback URL or an array/', 100, 'a number is not a redirect');
check_same($before, exchanges(), 'none of these exchanged the code');
check(array_filter($refused, fn($e) => $e !== null && (str_contains($e->getMessage(), $code)
    || str_contains($e->getTraceAsString(), $code))) === [], 'no refusal shows the code in its message or trace');
$tokens = $client->generateAccessTokenFromRedirect($location, $state);
check_same('ada@example.com', $tokens->getUserEmailId(), 'the code refused above is still good with the right redirect');

// Consent refused: Zoho's error, kept as the SDK's users expect from Zoho's codes.
$denied = consent($auth, 'ada@example.com', 'deny');
check(str_contains($denied, 'error=access_denied'), 'a refused consent redirects with error=access_denied');
$e = check_throws(fn() => $client->generateAccessTokenFromRedirect($denied, $state), ZohoOAuthException::class,
    '/^Zoho did not grant access \(access_denied\)/', 305, 'error=access_denied is refused (access_denied)');
check_same(['access_denied', 'access_denied'], [$e?->getErrorKind(), $e?->getZohoErrorCode()], '... with the error kind and Zoho\'s code');
check_throws(fn() => $client->generateAccessTokenFromRedirect("error=access_denied&state=forged", $state), ZohoOAuthException::class,
    '/state does not match/', 100, 'an error with a forged state is a state mismatch first');
--EXPECT--
ok - the consent page redirects to the redirect URI
ok - a URL: the code is exchanged and the user found
ok - ... with one code exchange
ok - ... and the tokens are saved
ok - an array ($_GET): accepted
ok - an EU user is redirected with the EU accounts server
ok - a query string: the EU code is exchanged
ok - ... at the EU accounts server
ok - a wrong state is refused (invalid_argument)
ok - no expected state (and an empty one in the redirect) is refused
ok - a missing state is refused
ok - a state array (state[]=...) is refused
ok - an empty code is refused
ok - a missing code is refused
ok - a foreign accounts-server (https://accounts.zoho.eu.evil.example) is refused
ok - a foreign accounts-server (https://evil.example) is refused
ok - a foreign accounts-server (http://127.0.0.1:1) is refused
ok - a number is not a redirect
ok - none of these exchanged the code
ok - no refusal shows the code in its message or trace
ok - the code refused above is still good with the right redirect
ok - a refused consent redirects with error=access_denied
ok - error=access_denied is refused (access_denied)
ok - ... with the error kind and Zoho's code
ok - an error with a forged state is a state mismatch first
