<?php
/*
 * Helpers for the extension's Redis-store tests: the test server's URL (from
 * scripts/redis.sh, via ZOHO_TEST_REDIS_URL), a unique key prefix, and a tiny RESP client
 * for inspecting keys without phpredis.
 */

declare(strict_types=1);

/** The skip reason when the Redis tests are not set up ('' = run). */
function redis_skip_reason(): string
{
    if ((string) getenv('ZOHO_TEST_REDIS_URL') !== '' || getenv('ZOHO_REQUIRE_REDIS') === '1') {
        return '';
    }
    return 'skip ZOHO_TEST_REDIS_URL is not set (eval "$(scripts/redis.sh start DIR)")';
}

/** The plain test server's URL. */
function redis_url(): string
{
    $url = (string) getenv('ZOHO_TEST_REDIS_URL');
    if ($url === '') {
        echo "FAIL - ZOHO_TEST_REDIS_URL is not set but ZOHO_REQUIRE_REDIS=1\n";
        exit(1);
    }
    return $url;
}

/** A key prefix no other test uses. */
function redis_prefix(): string
{
    return 'zphp' . getmypid() . '-' . bin2hex(random_bytes(4)) . ':';
}

/** Sends one command to the server at $url (redis://host:port/db) and returns the reply. */
function redis_command(string $url, string ...$args)
{
    $parts = parse_url($url);
    $socket = fsockopen($parts['host'], (int) $parts['port'], $errno, $errstr, 2.0);
    if ($socket === false) {
        throw new RuntimeException("cannot reach Redis: $errstr");
    }
    stream_set_timeout($socket, 2);
    $request = '*' . count($args) . "\r\n";
    foreach ($args as $arg) {
        $request .= '$' . strlen($arg) . "\r\n" . $arg . "\r\n";
    }
    fwrite($socket, $request);
    $reply = redis_read($socket);
    fclose($socket);
    return $reply;
}

/** Reads one RESP reply. */
function redis_read($socket)
{
    $line = rtrim((string) fgets($socket), "\r\n");
    $rest = substr($line, 1);
    switch ($line[0] ?? '') {
        case '+': return $rest;
        case '-': throw new RuntimeException("Redis error: $rest");
        case ':': return (int) $rest;
        case '$':
            if ((int) $rest < 0) {
                return null;
            }
            $data = '';
            while (strlen($data) < (int) $rest + 2) {
                $data .= fread($socket, (int) $rest + 2 - strlen($data));
            }
            return substr($data, 0, -2);
        case '*':
            $items = [];
            for ($i = 0; $i < (int) $rest; $i++) {
                $items[] = redis_read($socket);
            }
            return $items;
    }
    throw new RuntimeException('unexpected reply from Redis');
}

/** The configuration of the Redis store for the emulator. */
function redis_config(string $url, string $prefix, array $extra = []): array
{
    return array_merge([
        'client_id' => TEST_CLIENT_ID,
        'client_secret' => TEST_CLIENT_SECRET,
        'redirect_uri' => TEST_REDIRECT_URI,
        'currentUserEmail' => 'ada@example.com',
        'accounts_url' => $GLOBALS['__emu'],
        'token_store' => 'redis',
        'redis_url' => $url,
        'redis_key_prefix' => $prefix,
    ], $extra);
}
