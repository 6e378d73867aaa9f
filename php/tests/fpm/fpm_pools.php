<?php
/*
 * One real PHP-FPM master (Debian's php-fpmX.Y of the running PHP) with two pools: "app" keeps the default
 * zoho_oauth.define_rest_client=1 (the extension's ZCRMRestClient), "sdk" sets
 * php_admin_value[zoho_oauth.define_rest_client]=0 (issue 22): there every worker must get the
 * SDK's own ZCRMRestClient (from the stand-in SDK's files through the autoloader) while the
 * zcrmsdk\oauth classes stay the extension's. A per-request PHP_ADMIN_VALUE is not a pool
 * setting: it changes nothing, as the README and the error message say. Run without and with
 * OPcache (shared memory for both pools, as in production).
 */
require __DIR__ . '/../lib/helpers.php';
require __DIR__ . '/fastcgi.php';
require __DIR__ . '/../lib/sdk_standin.php';

$fpmName = 'php-fpm' . PHP_MAJOR_VERSION . '.' . PHP_MINOR_VERSION;
$fpm = getenv('PHP_FPM') ?: trim((string) shell_exec("command -v $fpmName || command -v php-fpm"));
if ($fpm === '' || !is_executable($fpm)) {
    echo "skip: php-fpm is not installed ($fpmName)\n";
    exit(getenv('ZOHO_REQUIRE_PHP') === '1' ? 1 : 0);
}
$dir = temp_dir('fpm-pools');
$www = "$dir/www";
mkdir("$www/lib", 0777, true);
copy(__DIR__ . '/pool_app.php', "$www/app.php");
copy(__DIR__ . '/../lib/sdk_standin.php', "$www/lib/sdk_standin.php");
sdk_standin_write($www);

$opcacheSo = ini_get('extension_dir') . '/opcache.so';
$modes = ['' => []];
if (is_file($opcacheSo)) {
    $modes[' (OPcache on)'] = ['-d', "zend_extension=$opcacheSo", '-d', 'opcache.enable=1', '-d', 'opcache.enable_cli=1'];
}
// A master left running would outlive the test (it was seen: a test that died between
// start and stop kept its php-fpm for hours): whatever ends the script stops the last one.
$running = null;
register_shutdown_function(function () use (&$running) {
    if (is_resource($running)) {
        proc_terminate($running, SIGTERM);
        proc_close($running);
    }
});
foreach ($modes as $mode => $opcache) {
    $address = [];
    foreach (['app', 'sdk'] as $pool) {
        $probe = stream_socket_server('tcp://127.0.0.1:0');
        $address[$pool] = stream_socket_get_name($probe, false);
        fclose($probe);
    }
    $common = "pm = static\npm.max_children = 2\ncatch_workers_output = yes\nclear_env = no\n";
    file_put_contents("$dir/fpm.conf", "[global]\nerror_log = $dir/fpm.log\ndaemonize = no\n"
        . "[app]\nlisten = {$address['app']}\n$common"
        . "[sdk]\nlisten = {$address['sdk']}\n{$common}php_admin_value[zoho_oauth.define_rest_client] = 0\n");
    $proc = proc_open(array_merge([$fpm, '-n', '-F', '-R', '-y', "$dir/fpm.conf", '-d', 'extension=' . getenv('ZOHO_OAUTH_EXT')], $opcache),
        [1 => ['file', "$dir/fpm.out", 'a'], 2 => ['file', "$dir/fpm.out", 'a']], $pipes);
    $running = $proc;
    $up = false;
    for ($i = 0; $i < 100 && !$up; $i++) {
        usleep(50000);
        $up = @stream_socket_client("tcp://{$address['app']}", $e, $s, 1) && @stream_socket_client("tcp://{$address['sdk']}", $e, $s, 1);
    }
    if (!check($up, "php-fpm started with two pools$mode")) {
        echo @file_get_contents("$dir/fpm.out"), @file_get_contents("$dir/fpm.log");
        proc_terminate($proc, SIGTERM);
        proc_close($proc);
        continue;
    }
    $get = fn(string $pool, array $extra = []) => json_decode(fcgi_get($address[$pool], "$www/app.php", '', $extra), true) ?? [];

    $replies = ['app' => [], 'sdk' => []];
    for ($i = 0; $i < 8; $i++) {
        foreach (['app', 'sdk'] as $pool) {
            $replies[$pool][] = $get($pool);
        }
    }
    $seen = fn(string $pool, string $key) => array_values(array_unique(array_map(fn($r) => $r[$key] ?? 'no reply', $replies[$pool])));
    check_same(['extension'], $seen('app', 'rest_client'), 'pool "app" (default ini): every request has the extension\'s ZCRMRestClient');
    check(str_contains($seen('app', 'get_instance')[0], 'php_admin_value[zoho_oauth.define_rest_client]=0'),
        '... whose SDK-only methods name where to turn it off: the pool\'s php_admin_value');
    check_same(['0'], $seen('sdk', 'ini'), 'pool "sdk": php_admin_value[zoho_oauth.define_rest_client]=0 is the pool\'s value');
    check_same(['sdk'], $seen('sdk', 'rest_client'), '... and every request there has the SDK\'s own ZCRMRestClient');
    check_same(['zcrmsdk\crm\setup\restclient\ZCRMRestClient'], $seen('sdk', 'get_instance'), '... with its CRM methods (getInstance())');
    check_same(['extension'], array_values(array_unique(array_merge($seen('app', 'oauth'), $seen('sdk', 'oauth')))),
        'both pools keep the extension\'s zcrmsdk\oauth classes');
    check(count(array_unique(array_column($replies['sdk'], 'pid'))) >= 2 && count(array_unique(array_column($replies['app'], 'pid'))) >= 2,
        'each pool served its requests from more than one forked worker');

    $perRequest = $get('app', ['PHP_ADMIN_VALUE' => 'zoho_oauth.define_rest_client=0']);
    check_same('extension', $perRequest['rest_client'] ?? 'no reply', 'a per-request PHP_ADMIN_VALUE is not a pool setting: the class stays');
    check_same(['extension'], array_values(array_unique(array_column(array_map(fn($i) => $get('app'), range(1, 4)), 'rest_client'))),
        '... in every later request too');
    proc_terminate($proc, SIGTERM);
    proc_close($proc);
}
$log = (string) @file_get_contents("$dir/fpm.log") . (string) @file_get_contents("$dir/fpm.out");
check(!preg_match('/exited on signal|SIGSEGV|SIGABRT|core dumped|panicked|Cannot declare class/i', $log), 'no worker crashed');
finish();
