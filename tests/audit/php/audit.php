<?php
/*
 * The PHP door of the secret audit (tests/audit): every flow and error path through the
 * zoho_oauth extension with applicationLogFilePath set, printing tokens and exceptions every
 * way a PHP developer might (var_dump, print_r, var_export, json_encode, string casts,
 * getTraceAsString, an uncaught exception at the end). Run by zoho-oauth-audit as
 *   php -d extension=libzoho_oauth_php.so -d zend.exception_ignore_args=0 audit.php INPUT.json
 * INPUT holds the emulator URL, the client and the directories. Output goes to stdout/stderr,
 * which the audit captures and scans, as it scans the log directory.
 */
declare(strict_types=1);

use zcrmsdk\crm\setup\restclient\ZCRMRestClient;
use zcrmsdk\oauth\ZohoOAuth;
use zcrmsdk\oauth\exception\ZohoOAuthException;
use zcrmsdk\oauth\utility\ZohoOAuthTokens;

/** Secrets live in static properties: closures that captured them would show them in traces. */
final class S
{
    public static array $in;
    public static string $code = '';
    public static string $noProfile = '';
}
S::$in = json_decode(file_get_contents($argv[1]), true);
const ADA = 'audit.php@example.com';

function admin(string $path, array $body): array
{
    $in = S::$in;
    $context = stream_context_create(['http' => [
        'method' => 'POST', 'header' => "Content-Type: application/json\r\n",
        'content' => json_encode($body), 'ignore_errors' => true,
    ]]);
    return json_decode((string) file_get_contents($in['url'] . $path, false, $context), true) ?? [];
}

function grant(string $user, string $scope): string
{
    $in = S::$in;
    return admin('/_emulator/grant', ['client_id' => $in['client_id'], 'user' => $user, 'scope' => $scope])['code'];
}

function fault(string $kind): void
{
    admin('/_emulator/faults', ['kind' => $kind, 'count' => 1, 'delay_ms' => 1500]);
}

/** Shows a value every way PHP can. */
function show(string $step, $value): void
{
    echo "== $step\n";
    var_dump($value);
    print_r($value);
    echo "\n";
    var_export($value);
    echo "\n", json_encode($value), "\n";
    if ($value instanceof Throwable) {
        echo (string) $value, "\n", $value->getTraceAsString(), "\n";
        if ($value instanceof ZohoOAuthException) {
            echo $value->getErrorKind(), ' ', $value->getZohoErrorCode(), ' ', $value->getHint(), "\n";
            $unsaved = $value->getUnsavedTokens();
            var_dump($unsaved);
            print_r($unsaved);
            echo json_encode($unsaved), "\n";
        }
    } elseif (is_object($value) && method_exists($value, '__toString')) {
        echo (string) $value, "\n";
    }
}

/** Runs a step, showing its result or its exception. */
function step(string $name, callable $call): void
{
    try {
        show($name, $call());
    } catch (Throwable $e) {
        show("$name (exception)", $e);
    }
}

function configure(#[\SensitiveParameter] string $secret, array $more = []): void
{
    $in = S::$in;
    ZCRMRestClient::initialize(array_merge([
        'client_id' => $in['client_id'], 'client_secret' => $secret, 'redirect_uri' => $in['redirect_uri'],
        'accounts_url' => $in['url'], 'token_persistence_path' => $in['store'],
        'applicationLogFilePath' => $in['log'], 'timeout_secs' => '1', 'connect_timeout_secs' => '1',
    ], $more));
}

configure(S::$in['client_secret']);
$client = ZohoOAuth::getClientInstance();
step('getAllConfigs', fn () => ZohoOAuth::getAllConfigs());
step('client object', fn () => $client);
S::$code = grant(ADA, 'ZohoCRM.modules.ALL,AaaServer.profile.READ');
step('generateAccessToken', fn () => $client->generateAccessToken(S::$code));
step('generateAccessToken reused', fn () => $client->generateAccessToken(S::$code));
step('getAccessToken length', fn () => strlen($client->getAccessToken(ADA)));
step('refreshAccessToken forged', fn () => $client->refreshAccessToken(S::$in['forged'], ADA));
step('getUserEmailIdFromIAM forged', fn () => $client->getUserEmailIdFromIAM(S::$in['forged']));
step('getUserEmailIdFromIAM real', fn () => $client->getUserEmailIdFromIAM($client->getAccessToken(ADA)));
foreach (['http500', 'html', 'reset', 'stall', 'empty', 'throttle'] as $kind) {
    fault($kind);
    step("generateAccessTokenFromRefreshToken fault $kind",
        fn () => $client->generateAccessTokenFromRefreshToken(S::$in['forged'], ADA));
}
S::$noProfile = grant('audit.php.noprofile@example.com', 'ZohoCRM.modules.ALL');
step('generateAccessToken without profile scope', fn () => $client->generateAccessToken(S::$noProfile));
$tokens = new ZohoOAuthTokens();
$tokens->setAccessToken(S::$in['forged']);
$tokens->setRefreshToken(S::$in['forged']);
$tokens->setExpiryTime(1.0);
$tokens->setUserEmailId(ADA);
step('hand-made ZohoOAuthTokens', fn () => $tokens);
step('expired getAccessToken on hand-made tokens', fn () => $tokens->getAccessToken());
step('getAuthorizationUrl', fn () => $client->getAuthorizationUrl(['ZohoCRM.modules.ALL'], 'st'));
step('revokeRefreshToken', fn () => $client->revokeRefreshToken(ADA));
step('revokeRefreshToken again', fn () => $client->revokeRefreshToken(ADA));
step('deleteTokens', fn () => $client->deleteTokens('audit.php.noprofile@example.com'));
configure(S::$in['wrong_secret']);
step('wrong client secret', fn () => ZohoOAuth::getClientInstance()->generateAccessToken(grant(ADA, 'ZohoCRM.modules.ALL')));
step('config missing redirect_uri', fn () => ZCRMRestClient::initialize(['client_id' => 'x', 'client_secret' => S::$in['client_secret']]));
step('config with bad accounts_url', fn () => configure(S::$in['client_secret'], ['accounts_url' => 'http://10.1.2.3']));
configure(S::$in['client_secret'], ['accounts_url' => 'http://127.0.0.1:1']);
step('connection refused', fn () => ZohoOAuth::getClientInstance()->generateAccessTokenFromRefreshToken(S::$in['forged'], ADA));
configure(S::$in['client_secret']);
// Last: an uncaught exception, as an application without a handler would show it.
ZohoOAuth::getClientInstance()->refreshAccessToken(S::$in['forged'], ADA);
