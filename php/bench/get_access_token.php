<?php
/*
 * Benchmark: getAccessToken on a cached token, with 1,000 users in the token file, through
 * the extension versus a pure-PHP implementation of the SDK's file store (read the file and
 * unserialize() it on every call, as zcrm-php-sdk's ZohoOAuthPersistenceByFile does).
 *
 *   php -d extension=.../libzoho_oauth_php.so php/bench/get_access_token.php [seconds per side]
 *
 * The pure-PHP side runs in a child process without the extension (with a PHP copy of the
 * SDK's ZohoOAuthTokens class), so it measures exactly what the SDK does. Both sides ask for
 * the users in the same round-robin order. No network is involved.
 */
declare(strict_types=1);

const USERS = 1000;

if (($argv[1] ?? '') === '--pure-php') {
    pure_php_side($argv[2], (float) $argv[3]);
    exit(0);
}

$seconds = (float) ($argv[1] ?? 2.0);
if (!extension_loaded('zoho_oauth')) {
    fwrite(STDERR, "load the extension: php -d extension=/path/to/libzoho_oauth_php.so " . $argv[0] . "\n");
    exit(2);
}
$dir = sys_get_temp_dir() . '/zoho-bench-' . getmypid();
@mkdir($dir, 0700);
write_token_file($dir);

$configuration = ['client_id' => '1000.BENCH', 'client_secret' => 'bench-secret', 'redirect_uri' => 'https://example.com/cb',
    'accounts_url' => 'http://127.0.0.1:9', 'token_persistence_path' => $dir];
zcrmsdk\crm\setup\restclient\ZCRMRestClient::initialize($configuration);
$client = zcrmsdk\oauth\ZohoOAuth::getClientInstance();
$users = array_map(fn($i) => "user$i@example.com", range(0, USERS - 1));
foreach ($users as $user) {
    $client->getAccessToken($user);     // warm: every user's token is now in the cache
}
[$calls, $elapsed] = timed($seconds, function (int $i) use ($client, $users) {
    return $client->getAccessToken($users[$i % USERS]);
});
$extension = $elapsed / $calls;

$child = shell_exec(implode(' ', array_map('escapeshellarg', [PHP_BINARY, '-n', __FILE__, '--pure-php', $dir, (string) $seconds])));
$pure = json_decode((string) $child, true);
array_map('unlink', glob("$dir/*") ?: []);
@rmdir($dir);
if (!is_array($pure)) {
    fwrite(STDERR, "the pure-PHP side failed: $child\n");
    exit(1);
}
$purePer = $pure['elapsed'] / $pure['calls'];

printf("getAccessToken, cached token, %d users in the token file (PHP %s, zoho_oauth %s)\n",
    USERS, PHP_VERSION, phpversion('zoho_oauth'));
printf("  zoho_oauth extension     : %10.2f µs/call  %12s calls/s  (%d calls)\n", $extension * 1e6, number_format(1 / $extension), $calls);
printf("  pure PHP, SDK file store : %10.2f µs/call  %12s calls/s  (%d calls)\n", $purePer * 1e6, number_format(1 / $purePer), $pure['calls']);
printf("  ratio                    : %10.0fx faster\n", $purePer / $extension);

/** Calls $f(i) for about $seconds; returns [calls, elapsed seconds]. */
function timed(float $seconds, callable $f): array
{
    $calls = 0;
    $start = hrtime(true);
    $deadline = $start + (int) ($seconds * 1e9);
    do {
        for ($i = 0; $i < 100; $i++) {
            $f($calls++);
        }
        $now = hrtime(true);
    } while ($now < $deadline);
    return [$calls, ($now - $start) / 1e9];
}

/** The SDK's file, with USERS users whose tokens are valid for an hour. */
function write_token_file(string $dir): void
{
    $list = [];
    $expiry = round(microtime(true) * 1000) + 3600 * 1000;
    for ($i = 0; $i < USERS; $i++) {
        $t = new zcrmsdk\oauth\utility\ZohoOAuthTokens();
        $t->setRefreshToken(sprintf('1000.%032x.%032x', $i, 1));
        $t->setAccessToken(sprintf('1000.%032x.%032x', $i, 2));
        $t->setExpiryTime($expiry);
        $t->setUserEmailId("user$i@example.com");
        $list[] = $t;
    }
    file_put_contents("$dir/zcrm_oauthtokens.txt", serialize($list));
}

/** The SDK's getAccessToken over its file store, in plain PHP; prints {calls, elapsed}. */
function pure_php_side(string $dir, float $seconds): void
{
    eval(<<<'PHP'
namespace zcrmsdk\oauth\utility;
class ZohoOAuthTokens
{
    private $refreshToken;
    private $accessToken;
    private $expiryTime;
    private $userEmailId;
    public function getRefreshToken() { return $this->refreshToken; }
    public function getAccessToken()
    {
        if ($this->isValidAccessToken()) { return $this->accessToken; }
        throw new \Exception("Access token got expired!");
    }
    public function getExpiryTime() { return $this->expiryTime; }
    public function isValidAccessToken() { return ($this->getExpiryTime() - $this->getCurrentTimeInMillis()) > 1000; }
    public function getCurrentTimeInMillis() { return round(microtime(true) * 1000); }
    public function getUserEmailId() { return $this->userEmailId; }
}
PHP);
    // ZohoOAuthPersistenceByFile::getOAuthTokens + ZohoOAuthClient::getAccessToken.
    $get = function (string $user) use ($dir) {
        $content = file_get_contents($dir . '/zcrm_oauthtokens.txt');
        $all = unserialize($content);
        $found = null;
        foreach ($all as $tokens) {
            if ($tokens->getUserEmailId() === $user) {
                $found = $tokens;
                break;
            }
        }
        if ($found === null) {
            throw new Exception('No Tokens exist for the given user-identifier,Please generate and try again.');
        }
        return $found->getAccessToken();
    };
    $users = array_map(fn($i) => "user$i@example.com", range(0, USERS - 1));
    [$calls, $elapsed] = timed($seconds, fn(int $i) => $get($users[$i % USERS]));
    echo json_encode(['calls' => $calls, 'elapsed' => $elapsed]);
}
