<?php
/*
 * A PHP worker of the soak test (tests/soak): the same mix as the Rust worker, through the
 * zoho_oauth extension and the SDK's classes. Started by zoho-oauth-soak --php as
 *   php -d extension=libzoho_oauth_php.so worker.php (worker|memory) DIR URL ID USERS AMOUNT MARGIN TIMEOUT
 * AMOUNT is seconds for a worker, calls for the memory check. Reads DIR/world.json (users
 * and refresh tokens), appends progress events to DIR/progress-ID.log (see
 * tests/soak/src/progress.rs) and prints one line "DONE <json>" with its counts.
 */
declare(strict_types=1);

use zcrmsdk\crm\setup\restclient\ZCRMRestClient;
use zcrmsdk\oauth\ZohoOAuth;
use zcrmsdk\oauth\exception\ZohoOAuthException;

const EXPECTED = ['connect', 'timeout', 'server_error', 'invalid_response', 'rate_limited', 'no_tokens'];
const MEMORY_USERS = 50;
const WARM_UP_CALLS = 50000;

[, $mode, $dir, $url, $id, $users, $amount, $margin, $timeout] = $argv;
[$id, $users, $amount] = [(int) $id, (int) $users, (int) $amount];
$world = json_decode(file_get_contents("$dir/world.json"), true);
ZCRMRestClient::initialize([
    'client_id' => $world['client_id'],
    'client_secret' => $world['client_secret'],
    'redirect_uri' => $world['redirect_uri'],
    'accounts_url' => $url,
    'token_persistence_path' => $dir,
    'refresh_margin_secs' => $margin,
    'timeout_secs' => $timeout,
    'connect_timeout_secs' => $timeout,
]);
$client = ZohoOAuth::getClientInstance();
$stats = ['ops' => [], 'ok' => [], 'errors' => [], 'unexpected' => [], 'lost' => [], 'rss_kb' => [], 'calls' => 0];
$log = "$dir/progress-$id.log";

function now_ms(): int { return (int) (microtime(true) * 1000); }
function event(string $line): void { global $log; file_put_contents($log, "$line\n", FILE_APPEND); }
function bump(string $what, string $key): void { global $stats; $stats[$what][$key] = ($stats[$what][$key] ?? 0) + 1; }

/** Runs one operation; counts it; returns whether it succeeded. */
function attempt(string $op, string $user, callable $call): bool
{
    global $stats;
    bump('ops', $op);
    try {
        $result = $call();
        if ($result === '' || $result === null) {
            $stats['unexpected'][] = "$op: an empty result";
            return false;
        }
        bump('ok', $op);
        return true;
    } catch (ZohoOAuthException $e) {
        $kind = $e->getErrorKind();
        bump('errors', $kind);
        if ($kind === 'timeout') {
            event("T $user " . now_ms());
        }
        if (!in_array($kind, EXPECTED, true) && count($stats['unexpected']) < 20) {
            $stats['unexpected'][] = "$op: " . $e->getMessage() . " ($kind)";
        }
    } catch (Throwable $e) {
        bump('errors', 'untyped');
        $stats['unexpected'][] = "$op: untyped " . get_class($e) . ': ' . $e->getMessage();
    }
    return false;
}

/** An explicit refresh (logged with its interval so the refresh check can excuse it). */
function explicit(string $op, int $u, callable $call): bool
{
    global $world;
    [$user] = $world['users'][$u];
    $start = now_ms();
    $ok = attempt($op, $user, $call);
    event("X $user $start " . now_ms());
    return $ok;
}

function rss_kb(): int
{
    preg_match('/^VmRSS:\s+(\d+) kB/m', (string) file_get_contents('/proc/self/status'), $m);
    return (int) ($m[1] ?? 0);
}

function step(): void
{
    global $client, $world, $users, $id, $stats;
    $u = random_int(0, $users - 1);
    [$user, $refresh] = $world['users'][$u];
    $roll = random_int(0, 999);
    if ($roll < 850) {
        attempt('get', $user, fn () => $client->getAccessToken($user));
    } elseif ($roll < 880) {
        explicit('refresh', $u, fn () => $client->refreshAccessToken($refresh, $user));
    } elseif ($roll < 910) {
        explicit('generate_from_refresh', $u, fn () => $client->generateAccessTokenFromRefreshToken($refresh, $user));
    } elseif ($roll < 980) {
        [$scratch, $scratchRefresh] = $world['scratch'][$id][random_int(0, count($world['scratch'][$id]) - 1)];
        if (attempt('save', $scratch, fn () => $client->generateAccessTokenFromRefreshToken($scratchRefresh, $scratch))) {
            event("S $scratch 0");
        }
    } else {
        event("D $user");
        attempt('delete', $user, fn () => $client->deleteTokens($user) || true);
        for ($i = 0; $i < 200; $i++) {
            if (explicit('restore', $u, fn () => $client->generateAccessTokenFromRefreshToken($refresh, $user))) {
                event("R $user");
                return;
            }
            usleep(20000);
        }
        event("L $user");
        $stats['lost'][] = $user;
    }
}

function memory_check(int $calls): void
{
    global $client, $world, $users, $stats;
    $n = min($users, MEMORY_USERS);
    $call = function (int $i) use ($client, $world, $n, &$stats) {
        try {
            $client->getAccessToken($world['users'][$i % $n][0]);
        } catch (ZohoOAuthException $e) {
            bump('errors', $e->getErrorKind());
            if (!in_array($e->getErrorKind(), EXPECTED, true) && count($stats['unexpected']) < 20) {
                $stats['unexpected'][] = 'memory_get: ' . $e->getMessage();
            }
        }
    };
    for ($i = 0; $i < WARM_UP_CALLS; $i++) {
        $call($i);
    }
    $stats['rss_kb'][] = rss_kb();
    $every = max(1, intdiv($calls, 10));
    for ($i = 0; $i < $calls; $i++) {
        $call($i);
        if (($i + 1) % $every === 0) {
            $stats['rss_kb'][] = rss_kb();
        }
    }
    $stats['calls'] = $calls;
}

if ($mode === 'memory') {
    memory_check($amount);
} else {
    $deadline = microtime(true) + $amount;
    while (microtime(true) < $deadline) {
        step();
    }
}
foreach (['ops', 'ok', 'errors'] as $map) {
    $stats[$map] = (object) $stats[$map];
}
echo 'DONE ', json_encode($stats), "\n";
