<?php
/*
 * Helpers shared by the extension's tests (phpt files, concurrency drivers, FPM test,
 * benchmark): a private accounts emulator per test, temporary directories, and assertions
 * that print "ok - ..." or "FAIL - ..." (a phpt's expected output lists only "ok" lines, so any
 * failure is a mismatch; standalone drivers exit non-zero).
 *
 * Environment: EMULATOR_BIN (the zoho-accounts-emulator binary), set by php/tests/run.sh.
 */

declare(strict_types=1);

const TEST_CLIENT_ID = '1000.CLIENTID';
const TEST_CLIENT_SECRET = 's3cr3tS3CR3Tclientsecret';
const TEST_REDIRECT_URI = 'https://example.com/cb';
const TEST_SCOPE = 'ZohoCRM.modules.ALL,AaaServer.profile.READ';

$GLOBALS['__failures'] = 0;
$GLOBALS['__dirs'] = [];

/** Prints ok/FAIL for one assertion. */
function check(bool $condition, string $what): bool
{
    if ($condition) {
        echo "ok - $what\n";
        return true;
    }
    $GLOBALS['__failures']++;
    echo "FAIL - $what\n";
    return false;
}

/** Asserts equality, showing both values on failure. */
function check_same($expected, $actual, string $what): bool
{
    if ($expected === $actual) {
        return check(true, $what);
    }
    check(false, $what);
    echo "  expected: " . var_export($expected, true) . "\n  actual:   " . var_export($actual, true) . "\n";
    return false;
}

/** Runs $f, which must throw $class; checks message (exact, or regex when it starts with '/') and code. */
function check_throws(callable $f, string $class, ?string $message, ?int $code, string $what): ?Throwable
{
    try {
        $f();
    } catch (Throwable $e) {
        $ok = $e instanceof $class;
        if ($message !== null) {
            $ok = $ok && ($message[0] === '/' ? preg_match($message, $e->getMessage()) === 1 : $e->getMessage() === $message);
        }
        if ($code !== null) {
            $ok = $ok && $e->getCode() === $code;
        }
        if (!check($ok, $what)) {
            echo "  got " . get_class($e) . " (" . $e->getCode() . "): " . $e->getMessage() . "\n";
        }
        return $e;
    }
    check(false, "$what (nothing was thrown)");
    return null;
}

/** Exit status for standalone drivers. */
function finish(): never
{
    $failures = $GLOBALS['__failures'];
    echo $failures === 0 ? "all checks passed\n" : "$failures check(s) FAILED\n";
    exit($failures === 0 ? 0 : 1);
}

/** A fresh temporary directory, removed at exit. */
function temp_dir(string $tag = 'zoho'): string
{
    $dir = sys_get_temp_dir() . '/' . $tag . '-' . getmypid() . '-' . bin2hex(random_bytes(4));
    mkdir($dir, 0700, true);
    $GLOBALS['__dirs'][] = $dir;
    return $dir;
}

function remove_tree(string $dir): void
{
    if (!is_dir($dir)) {
        return;
    }
    foreach (scandir($dir) as $entry) {
        if ($entry === '.' || $entry === '..') {
            continue;
        }
        $path = "$dir/$entry";
        is_dir($path) && !is_link($path) ? remove_tree($path) : @unlink($path);
    }
    @rmdir($dir);
}

register_shutdown_function(function (): void {
    if (getenv('ZOHO_KEEP_TEMP')) {
        return;
    }
    foreach ($GLOBALS['__dirs'] as $dir) {
        remove_tree($dir);
    }
});

/**
 * Starts an accounts emulator for this test and returns its URL: a private one from
 * EMULATOR_BIN (phpt tests run in parallel), or, with $shared, the one php/tests/run.sh
 * started (EMULATOR_URL), reset first. Either way, counters start at zero.
 */
function emulator_start(bool $shared = false): string
{
    $url = getenv('EMULATOR_URL');
    $bin = getenv('EMULATOR_BIN');
    if (($shared && $url) || (!$bin && $url)) {
        $GLOBALS['__emu'] = $url;
        emu('POST', '/_emulator/reset', []);
        return $url;
    }
    if (!$bin) {
        fwrite(STDERR, "set EMULATOR_BIN or EMULATOR_URL\n");
        exit(2);
    }
    $proc = proc_open([$bin, '--listen', '127.0.0.1:0'], [1 => ['pipe', 'w'], 2 => ['file', '/dev/null', 'a']], $pipes);
    if (!is_resource($proc)) {
        fwrite(STDERR, "cannot start the emulator\n");
        exit(2);
    }
    $url = trim((string) fgets($pipes[1]));
    if (!str_starts_with($url, 'http://')) {
        fwrite(STDERR, "the emulator did not start\n");
        exit(2);
    }
    register_shutdown_function(function () use ($proc): void {
        @proc_terminate($proc, 15);
        @proc_close($proc);
    });
    $GLOBALS['__emu'] = $url;
    return $url;
}

/** A JSON call to the emulator ($path starts with '/'). */
function emu(string $method, string $path, ?array $body = null, ?string $base = null)
{
    $base ??= $GLOBALS['__emu'];
    $opts = ['http' => ['method' => $method, 'ignore_errors' => true, 'timeout' => 10,
        'header' => "Content-Type: application/json\r\n"]];
    if ($body !== null) {
        $opts['http']['content'] = json_encode($body);
    }
    $text = file_get_contents($base . $path, false, stream_context_create($opts));
    return json_decode((string) $text, true);
}

/** Registers the test client (US and EU data centres). */
function emu_client(string $id = TEST_CLIENT_ID, string $secret = TEST_CLIENT_SECRET): void
{
    emu('POST', '/_emulator/clients', ['client_id' => $id, 'client_secret' => $secret,
        'redirect_uris' => [TEST_REDIRECT_URI], 'data_centres' => ['us', 'eu']]);
}

/** A self-client grant token for $user. */
function emu_grant(string $user = 'ada@example.com', string $scope = TEST_SCOPE, string $access = 'offline'): string
{
    $reply = emu('POST', '/_emulator/grant', ['client_id' => TEST_CLIENT_ID, 'user' => $user,
        'scope' => $scope, 'access_type' => $access]);
    return $reply['code'];
}

/** Makes the emulator know a refresh token (e.g. one from an SDK token file). */
function emu_refresh_token(string $token, string $user): void
{
    emu('POST', '/_emulator/refresh_tokens', ['token' => $token, 'client_id' => TEST_CLIENT_ID,
        'user' => $user, 'scope' => TEST_SCOPE]);
}

function emu_counters(): array
{
    return emu('GET', '/_emulator/counters');
}

function emu_settings(array $settings): void
{
    emu('POST', '/_emulator/settings', $settings);
}

/** The seed's configuration keys plus the emulator's URL and a token directory. */
function test_config(string $dir, array $extra = []): array
{
    return array_merge([
        'client_id' => TEST_CLIENT_ID,
        'client_secret' => TEST_CLIENT_SECRET,
        'redirect_uri' => TEST_REDIRECT_URI,
        'currentUserEmail' => 'ada@example.com',
        'accounts_url' => $GLOBALS['__emu'],
        'token_persistence_path' => $dir,
    ], $extra);
}

/**
 * Starts $count children running $script <index> ...$args (plus any $extra [script, ...args]
 * commands), creates the barrier file once all have started, and waits for them all.
 * Returns [exit code, stdout, stderr] per child, the extra ones after the first $count.
 */
function run_children_with_barrier(int $count, string $script, array $args, string $barrier, array $extra = []): array
{
    $php = [PHP_BINARY, '-n', '-d', 'extension=' . getenv('ZOHO_OAUTH_EXT')];
    $commands = [];
    for ($i = 0; $i < $count; $i++) {
        $commands[] = array_merge($php, [$script, (string) $i], $args);
    }
    foreach ($extra as $command) {
        $commands[] = array_merge($php, $command);
    }
    $procs = [];
    foreach ($commands as $i => $cmd) {
        $proc = proc_open($cmd, [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
        $procs[$i] = [$proc, $pipes];
    }
    usleep(200000);
    touch($barrier);
    $results = [];
    foreach ($procs as $i => [$proc, $pipes]) {
        $out = stream_get_contents($pipes[1]);
        $err = stream_get_contents($pipes[2]);
        fclose($pipes[1]);
        fclose($pipes[2]);
        $results[$i] = [proc_close($proc), trim($out), trim($err)];
    }
    return $results;
}
