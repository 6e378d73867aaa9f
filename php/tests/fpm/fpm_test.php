<?php
/*
 * A real PHP-FPM (Debian's php-fpmX.Y of the running PHP, or $PHP_FPM) with the extension: workers forked from the master
 * serve the seed's flow; the core client (and its token cache) survives from one request to
 * the next in a worker, while the configuration and current user do not; an expired token is
 * refreshed once for all workers; no worker crashes.
 */
require __DIR__ . '/../lib/helpers.php';
require __DIR__ . '/fastcgi.php';

$fpmName = 'php-fpm' . PHP_MAJOR_VERSION . '.' . PHP_MINOR_VERSION;
$fpm = getenv('PHP_FPM') ?: trim((string) shell_exec("command -v $fpmName || command -v php-fpm"));
if ($fpm === '' || !is_executable($fpm)) {
    echo "skip: php-fpm is not installed ($fpmName)\n";
    exit(getenv('ZOHO_REQUIRE_PHP') === '1' ? 1 : 0);
}
$url = emulator_start(shared: true);
emu_client();
$dir = temp_dir('fpm');
$www = "$dir/www";
mkdir($www);
copy(__DIR__ . '/app.php', "$www/app.php");
$config = test_config($dir, ['refresh_margin_secs' => '60']);
file_put_contents("$www/config.json", json_encode($config));

$probe = stream_socket_server('tcp://127.0.0.1:0');
$address = stream_socket_get_name($probe, false);
fclose($probe);
file_put_contents("$dir/fpm.conf", "[global]\nerror_log = $dir/fpm.log\ndaemonize = no\n[www]\nlisten = $address\n"
    . "pm = static\npm.max_children = 3\ncatch_workers_output = yes\nclear_env = no\n");
$proc = proc_open([$fpm, '-n', '-F', '-R', '-y', "$dir/fpm.conf", '-d', 'extension=' . getenv('ZOHO_OAUTH_EXT')],
    [1 => ['file', "$dir/fpm.out", 'a'], 2 => ['file', "$dir/fpm.out", 'a']], $pipes);
register_shutdown_function(function () use ($proc) {
    proc_terminate($proc, SIGTERM);
    proc_close($proc);
});
$up = false;
for ($i = 0; $i < 100 && !$up; $i++) {
    usleep(50000);
    $up = (bool) @stream_socket_client("tcp://$address", $e, $s, 1);
}
if (!check($up, 'php-fpm started with the extension')) {
    echo @file_get_contents("$dir/fpm.out"), @file_get_contents("$dir/fpm.log");
    finish();
}
$get = fn(string $query = '') => json_decode(fcgi_get($address, "$www/app.php", $query), true) ?? [];

// The first token, made stale for the 60 s margin.
zcrmsdk\crm\setup\restclient\ZCRMRestClient::initialize($config);
emu_settings(['access_token_ttl_secs' => 60]);
$old = zcrmsdk\oauth\ZohoOAuth::getClientInstance()->generateAccessToken(emu_grant())->getAccessToken();
emu_settings(['access_token_ttl_secs' => 3600]);

$replies = [];
for ($i = 0; $i < 24; $i++) {
    $replies[] = $get();
}
$tokens = array_unique(array_map(fn($r) => $r['token'] ?? ('error: ' . ($r['exception'] ?? json_encode($r))), $replies));
check(count($tokens) === 1 && reset($tokens) !== $old && str_starts_with(reset($tokens), '1000.'), '24 requests got the same, refreshed token');
if (count($tokens) !== 1) {
    print_r($tokens);
}
check_same(1, emu_counters()['token.refresh_token'], 'one refresh for all workers and requests');
$pids = array_count_values(array_map(fn($r) => $r['pid'] ?? 0, $replies));
check(count($pids) >= 2, 'the requests were served by several forked workers (' . count($pids) . ')');
$reuses = [];
foreach ($replies as $r) {
    $reuses[$r['pid']] = max($reuses[$r['pid']] ?? 0, $r['reuses']);
}
$kept = array_filter($reuses, fn($n, $pid) => $pids[$pid] < 2 || $n === $pids[$pid] - 1, ARRAY_FILTER_USE_BOTH);
check(count($kept) === count($reuses), 'each worker built its client once and re-used it in every later request');

$fresh = $get('action=noinit');
check(array_key_exists('user', $fresh) && $fresh['user'] === null, 'a new request has no current user from the last one');
check_same('ZCRMRestClient::initialize($configMap) must be called before this.', $fresh['exception'] ?? '', '... and must initialize again');

$log = (string) @file_get_contents("$dir/fpm.log") . (string) @file_get_contents("$dir/fpm.out");
check(!preg_match('/exited on signal|SIGSEGV|SIGABRT|core dumped|panicked/i', $log), 'no worker crashed');
finish();
