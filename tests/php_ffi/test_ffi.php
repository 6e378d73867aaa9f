<?php
// PHP FFI test of the zoho-oauth C API through capi/include/zoho_oauth_ffi.h: the whole flow against
// the accounts emulator (grant exchange, persisted file, get, expiry, refresh, revoke), error
// paths, bad input, and a check that every pointer the library returned was freed.
//
//   EMULATOR_URL=http://127.0.0.1:PORT php -d ffi.enable=1 tests/php_ffi/test_ffi.php \
//       capi/include/zoho_oauth_ffi.h /path/to/libzoho_oauth.so

declare(strict_types=1);

const CLIENT_ID = '1000.PHPFFICLIENT00000000000000001';
const CLIENT_SECRET = 'php5ecret+&=%0f1e2d3c4b5a69788796a5b4c3d';
const REDIRECT_URI = 'https://example.com/zoho/callback';
const SCOPES = 'ZohoCRM.modules.ALL,AaaServer.profile.READ';
const USER = 'ada@example.com';

$passed = 0;
$failed = 0;
$secrets = [CLIENT_SECRET];
/** Library pointers this test holds, by address: must be empty at the end. */
$live = [];

function check(bool $ok, string $what): void
{
    global $passed, $failed;
    if ($ok) {
        $passed++;
    } else {
        $failed++;
        fwrite(STDERR, "FAIL: $what\n");
    }
}

function addr(FFI\CData $ptr): int
{
    return FFI::isNull($ptr) ? 0 : (int) FFI::cast('uintptr_t', $ptr)->cdata;
}

function own(FFI\CData $ptr): FFI\CData
{
    global $live;
    if (!FFI::isNull($ptr)) {
        $live[addr($ptr)] = true;
    }
    return $ptr;
}

function release(FFI\CData $ptr): void
{
    global $live;
    unset($live[addr($ptr)]);
}

/** The calling thread's last error message: ask the size, then copy. */
function last_error(FFI $ffi): string
{
    $n = $ffi->new('size_t');
    if ($ffi->zoho_last_error_message(null, 0, FFI::addr($n)) !== 0) {
        return '<no message>';
    }
    $size = $n->cdata + 1;
    $buf = $ffi->new("char[$size]");
    if ($ffi->zoho_last_error_message($buf, $size, FFI::addr($n)) !== 0) {
        return '<no message>';
    }
    return FFI::string($buf, $n->cdata);
}

/** Checks a result code; on failure also that the message is there and holds no secret. */
function expect(FFI $ffi, int $got, int $want, string $what, ?string $contains = null): void
{
    global $secrets;
    $message = last_error($ffi);
    check($got === $want, "$what: got $got ({$ffi->zoho_result_name($got)}), expected $want: $message");
    if ($want !== 0) {
        check($message !== '', "$what: empty message");
        foreach ($secrets as $secret) {
            check(!str_contains($message, $secret), "$what: secret in message");
        }
        if ($contains !== null) {
            check(str_contains($message, $contains), "$what: '$contains' not in '$message'");
        }
    }
}

/** Takes a `char *` from the library: copies it into a PHP string and frees it. */
function take_string(FFI $ffi, FFI\CData $ptr): ?string
{
    if (FFI::isNull($ptr)) {
        return null;
    }
    own($ptr);
    $value = FFI::string($ptr);
    release($ptr);
    $ffi->zoho_string_free($ptr);
    return $value;
}

function field(FFI $ffi, string $getter, FFI\CData $tokens): ?string
{
    $out = $ffi->new('char*');
    expect($ffi, $ffi->$getter($tokens, FFI::addr($out)), 0, $getter);
    return take_string($ffi, $out);
}

function free_tokens(FFI $ffi, FFI\CData $tokens): void
{
    release($tokens);
    $ffi->zoho_tokens_free($tokens);
}

function free_client(FFI $ffi, FFI\CData $client): void
{
    release($client);
    $ffi->zoho_client_free($client);
}

function emulator(string $method, string $path, ?array $body = null, ?string $token = null): array
{
    $headers = "Content-Type: application/json\r\n";
    if ($token !== null) {
        $headers .= "Authorization: Zoho-oauthtoken $token\r\n";
    }
    $context = stream_context_create(['http' => [
        'method' => $method, 'header' => $headers, 'ignore_errors' => true, 'timeout' => 10,
        'content' => $body === null ? '' : json_encode($body),
    ]]);
    $reply = file_get_contents(getenv('EMULATOR_URL') . $path, false, $context);
    preg_match('{HTTP/\S+ (\d+)}', $http_response_header[0] ?? '', $m);
    return [(int) ($m[1] ?? 0), $reply === false ? '' : $reply];
}

function admin(string $what, array $body): array
{
    [$status, $reply] = emulator('POST', "/_emulator/$what", $body);
    if ($status !== 200) {
        fwrite(STDERR, "emulator $what failed: $status $reply\n");
        exit(2);
    }
    return json_decode($reply, true);
}

function grant(string $scope = SCOPES): string
{
    global $secrets;
    $code = admin('grant', ['client_id' => CLIENT_ID, 'user' => USER, 'scope' => $scope,
        'access_type' => 'offline'])['code'];
    $secrets[] = $code;
    return $code;
}

function counter(string $key): int
{
    return json_decode(emulator('GET', '/_emulator/counters')[1], true)[$key];
}

function config_json(string $dir, array $extra = []): string
{
    return json_encode(array_merge([
        'client_id' => CLIENT_ID, 'client_secret' => CLIENT_SECRET, 'redirect_uri' => REDIRECT_URI,
        'accounts_url' => getenv('EMULATOR_URL'), 'token_persistence_path' => $dir,
        'refresh_margin_secs' => 60, 'timeout_secs' => 5,
    ], $extra));
}

function new_client(FFI $ffi, string $json, int $want = 0, ?string $contains = null): ?FFI\CData
{
    $client = $ffi->new('zoho_client*');
    expect($ffi, $ffi->zoho_client_new_from_json($json, FFI::addr($client)), $want, 'client_new_from_json', $contains);
    return $want === 0 ? own($client) : null;
}

function get_token(FFI $ffi, FFI\CData $client, ?string $user, int $want = 0): ?string
{
    $out = $ffi->new('char*');
    expect($ffi, $ffi->zoho_client_get_access_token($client, $user, FFI::addr($out)), $want, "get($user)");
    return take_string($ffi, $out);
}

function tokens_call(FFI $ffi, string $fn, array $args, int $want = 0, ?string $contains = null): ?FFI\CData
{
    $out = $ffi->new('zoho_tokens*');
    $args[] = FFI::addr($out);
    expect($ffi, $ffi->$fn(...$args), $want, $fn, $contains);
    if ($want !== 0) {
        check(FFI::isNull($out), "$fn: out-parameter written on failure");
        return null;
    }
    return own($out);
}

/** Key/value arrays for zoho_client_new; the C strings are owned by PHP (freed with $bufs). */
function pairs(FFI $ffi, array $map): array
{
    $n = count($map);
    $keys = $ffi->new("const char*[$n]");
    $values = $ffi->new("const char*[$n]");
    $bufs = [];
    $i = 0;
    foreach ($map as $k => $v) {
        foreach ([[$keys, (string) $k], [$values, (string) $v]] as [$array, $text]) {
            $buf = $ffi->new('char[' . (strlen($text) + 1) . ']');
            FFI::memcpy($buf, $text, strlen($text));
            $bufs[] = $buf;
            $array[$i] = FFI::cast('const char*', $buf);
        }
        $i++;
    }
    return [$keys, $values, $n, $bufs];
}

function test_flow(FFI $ffi, string $dir): void
{
    global $secrets;
    $client = new_client($ffi, config_json($dir));
    $tokens = tokens_call($ffi, 'zoho_client_generate_access_token', [$client, grant()]);
    $access = field($ffi, 'zoho_tokens_access_token', $tokens);
    $refresh = field($ffi, 'zoho_tokens_refresh_token', $tokens);
    array_push($secrets, $access, $refresh);
    check(str_starts_with($access, '1000.'), 'access token shape');
    check(field($ffi, 'zoho_tokens_user', $tokens) === USER, 'user');
    check(field($ffi, 'zoho_tokens_api_domain', $tokens) === getenv('EMULATOR_URL'), 'api_domain');
    $expiry = $ffi->new('int64_t');
    expect($ffi, $ffi->zoho_tokens_expiry_ms($tokens, FFI::addr($expiry)), 0, 'expiry');
    $left = $expiry->cdata - (int) (microtime(true) * 1000);
    check($left > 3500000 && $left <= 3601000, "expiry in about an hour ($left)");
    free_tokens($ffi, $tokens);

    $file = file_get_contents("$dir/zcrm_oauthtokens.txt");
    check(str_contains($file, 'ZohoOAuthTokens') && str_contains($file, $access), 'persisted SDK file');
    check(get_token($ffi, $client, USER) === $access, 'get answers from the cache');
    check(counter('token.refresh_token') === 0, 'no refresh yet');
    check(emulator('GET', '/crm/v2/users', null, $access)[0] === 200, 'token works');

    // Saved as it is from the refresh token: stale at once with a 60 s margin.
    admin('settings', ['access_token_ttl_secs' => 60]);
    $short = tokens_call($ffi, 'zoho_client_generate_access_token_from_refresh_token', [$client, $refresh, USER]);
    $stale = field($ffi, 'zoho_tokens_access_token', $short);
    check(field($ffi, 'zoho_tokens_refresh_token', $short) === $refresh, 'refresh token kept');
    free_tokens($ffi, $short);
    check(counter('token.refresh_token') === 1, 'one refresh from the refresh token');
    admin('settings', ['access_token_ttl_secs' => 3600]);
    $fresh = get_token($ffi, $client, USER);
    check($fresh !== $stale && $fresh !== $access, 'stale token refreshed');
    check(counter('token.refresh_token') === 2, 'exactly one refresh on expiry');
    check(get_token($ffi, $client, USER) === $fresh, 'then cached');
    check(counter('token.refresh_token') === 2, 'no second refresh');

    $list = $ffi->new('zoho_token_list*');
    expect($ffi, $ffi->zoho_client_list_tokens($client, FFI::addr($list)), 0, 'list');
    own($list);
    check($ffi->zoho_token_list_len($list) === 1, 'one user listed');
    $first = $ffi->new('zoho_tokens*');
    expect($ffi, $ffi->zoho_token_list_get($list, 0, FFI::addr($first)), 0, 'list get');
    own($first);
    check(field($ffi, 'zoho_tokens_user', $first) === USER, 'listed user');
    free_tokens($ffi, $first);
    release($list);
    $ffi->zoho_token_list_free($list);

    $url = $ffi->new('char*');
    expect($ffi, $ffi->zoho_client_authorization_url($client, SCOPES, null, true, 'st', FFI::addr($url)), 0, 'auth url');
    $url = take_string($ffi, $url);
    check(str_contains($url, '/oauth/v2/auth?scope=') && str_contains($url, 'prompt=consent'), 'auth url content');

    expect($ffi, $ffi->zoho_client_revoke($client, USER), 0, 'revoke');
    check(emulator('GET', '/crm/v2/users', null, $fresh)[0] === 401, 'revoked token refused');
    get_token($ffi, $client, USER, $ffi->ZOHO_RESULT_NO_TOKENS);
    tokens_call($ffi, 'zoho_client_generate_access_token_from_refresh_token', [$client, $refresh, USER],
        $ffi->ZOHO_RESULT_INVALID_CODE);
    free_client($ffi, $client);
}

function test_errors(FFI $ffi, string $dir): void
{
    new_client($ffi, '{}', $ffi->ZOHO_RESULT_CONFIG_MISSING, 'client_id is mandatory');
    new_client($ffi, '{"client_secret":"' . CLIENT_SECRET, $ffi->ZOHO_RESULT_CONFIG_INVALID);
    // No store named: refused, nothing connected to (Zoho's MySQL default belongs to the PHP
    // extension, as the SDK's).
    new_client($ffi, config_json($dir, ['token_persistence_path' => null]),
        $ffi->ZOHO_RESULT_CONFIG_MISSING, 'no token store is configured');
    // MySQL asked for: opened without connecting; a server that is down is store_unavailable
    // at the first call.
    $mysql = new_client($ffi, config_json($dir, ['token_persistence_path' => null, 'token_store' => 'mysql',
        'host_address' => '127.0.0.1', 'db_port' => '1']));
    get_token($ffi, $mysql, USER, $ffi->ZOHO_RESULT_STORE_UNAVAILABLE);
    free_client($ffi, $mysql);
    [$keys, $values, $n, $bufs] = pairs($ffi, ['client_id' => CLIENT_ID, 'client_secret' => CLIENT_SECRET,
        'redirect_uri' => REDIRECT_URI, 'accounts_url' => getenv('EMULATOR_URL'),
        'token_persistence_path' => $dir]);
    $client = $ffi->new('zoho_client*');
    expect($ffi, $ffi->zoho_client_new($keys, $values, $n, FFI::addr($client)), 0, 'client_new');
    own($client);
    unset($bufs);
    $code = grant();
    free_tokens($ffi, tokens_call($ffi, 'zoho_client_generate_access_token', [$client, $code]));
    tokens_call($ffi, 'zoho_client_generate_access_token', [$client, $code], $ffi->ZOHO_RESULT_INVALID_CODE);
    admin('faults', ['kind' => 'http500', 'count' => 1, 'path' => '/oauth/v2/token']);
    tokens_call($ffi, 'zoho_client_refresh', [$client, USER], $ffi->ZOHO_RESULT_SERVER_ERROR);
    admin('faults', ['kind' => 'empty', 'count' => 1, 'path' => '/oauth/v2/token']);
    tokens_call($ffi, 'zoho_client_refresh', [$client, USER], $ffi->ZOHO_RESULT_INVALID_RESPONSE);
    tokens_call($ffi, 'zoho_client_generate_access_token', [$client, grant('ZohoCRM.modules.ALL')],
        $ffi->ZOHO_RESULT_SCOPE_MISSING, 'NOT saved');
    $unsaved = $ffi->new('zoho_tokens*');
    check($ffi->zoho_last_error_take_unsaved_tokens(FFI::addr($unsaved)) === 0, 'unsaved tokens');
    own($unsaved);
    check(field($ffi, 'zoho_tokens_refresh_token', $unsaved) !== null, 'unsaved refresh token');
    free_tokens($ffi, $unsaved);
    free_client($ffi, $client);
}

function test_bad_input(FFI $ffi, string $dir): void
{
    $client = new_client($ffi, json_encode(['client_id' => CLIENT_ID, 'client_secret' => CLIENT_SECRET,
        'redirect_uri' => REDIRECT_URI, 'accounts_url' => 'http://127.0.0.1:1',
        'token_persistence_path' => $dir]));
    get_token($ffi, $client, null, $ffi->ZOHO_RESULT_NULL_ARGUMENT);
    get_token($ffi, $client, "ada\xff@example.com", $ffi->ZOHO_RESULT_INVALID_UTF8);
    get_token($ffi, $client, '', $ffi->ZOHO_RESULT_INVALID_ARGUMENT);
    get_token($ffi, $client, str_repeat('x', 5000), $ffi->ZOHO_RESULT_INVALID_ARGUMENT);
    tokens_call($ffi, 'zoho_client_generate_access_token', [$client, ''], $ffi->ZOHO_RESULT_MISSING_TOKEN,
        'Grant Token is not provided.');
    tokens_call($ffi, 'zoho_client_generate_access_token', [$client, null], $ffi->ZOHO_RESULT_NULL_ARGUMENT,
        'grant_token is NULL');
    tokens_call($ffi, 'zoho_client_generate_access_token', [null, 'code'], $ffi->ZOHO_RESULT_NULL_ARGUMENT);
    tokens_call($ffi, 'zoho_client_refresh', [$client, str_repeat('y', 1 << 20)], $ffi->ZOHO_RESULT_INVALID_ARGUMENT);
    expect($ffi, $ffi->zoho_client_get_access_token($client, USER, null), $ffi->ZOHO_RESULT_NULL_ARGUMENT, 'NULL out');
    check($ffi->zoho_last_error_message(null, 0, null) === $ffi->ZOHO_RESULT_NULL_ARGUMENT, 'NULL out_len');
    free_client($ffi, $client);
    foreach (['zoho_client_free', 'zoho_tokens_free', 'zoho_token_list_free', 'zoho_string_free'] as $free) {
        $ffi->$free(null);
        $ffi->$free(null);
    }
    check($ffi->zoho_result_name($ffi->ZOHO_RESULT_STORE_CORRUPT) === 'store_corrupt', 'result name');
    check($ffi->ZOHO_RESULT_PANIC === 501 && $ffi->ZOHO_RESULT_OK === 0, 'enum values');
    check(preg_match('/^\d+\.\d+\.\d+/', $ffi->zoho_version()) === 1, 'version');
}

function rmtree(string $dir): void
{
    $items = new RecursiveIteratorIterator(
        new RecursiveDirectoryIterator($dir, FilesystemIterator::SKIP_DOTS),
        RecursiveIteratorIterator::CHILD_FIRST
    );
    foreach ($items as $item) {
        $item->isDir() ? rmdir($item->getPathname()) : unlink($item->getPathname());
    }
    rmdir($dir);
}

function main(array $argv): int
{
    global $passed, $failed, $live;
    if (count($argv) < 3 || getenv('EMULATOR_URL') === false) {
        fwrite(STDERR, "usage: EMULATOR_URL=... php -d ffi.enable=1 test_ffi.php zoho_oauth_ffi.h libzoho_oauth.so\n");
        return 2;
    }
    $ffi = FFI::cdef(file_get_contents($argv[1]), $argv[2]);
    admin('reset', []);
    admin('clients', ['client_id' => CLIENT_ID, 'client_secret' => CLIENT_SECRET,
        'redirect_uris' => [REDIRECT_URI], 'data_centres' => ['us', 'eu']]);
    admin('settings', ['refresh_limit' => 100000, 'max_active_access_tokens' => 100000]);
    $dir = sys_get_temp_dir() . '/zoho-capi-php-' . bin2hex(random_bytes(6));
    mkdir($dir, 0700);
    try {
        test_flow($ffi, $dir);
        test_errors($ffi, $dir);
        test_bad_input($ffi, $dir);
    } finally {
        rmtree($dir);
    }
    check($live === [], 'every pointer was freed (' . count($live) . ' left)');
    echo "test_ffi.php: $passed checks passed, $failed failed\n";
    return $failed === 0 && $passed > 0 ? 0 : 1;
}

exit(main($argv));
