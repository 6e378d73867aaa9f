<?php
/*
 * Checks that the IDE stubs in php/stubs/ describe exactly what the loaded extension defines
 * (classes, parents, interfaces, properties, methods, modifiers, parameters with types,
 * defaults and attributes, return types), so they cannot drift. Exit status 1 on any
 * difference, which is printed.
 *   php -n tests/check_stubs.php /path/to/libzoho_oauth_php.so
 */
$ext = $argv[1] ?? getenv('ZOHO_OAUTH_EXT');
$reflect = __DIR__ . '/stubs_reflect.php';
$stubs = dirname(__DIR__) . '/stubs';
$run = fn(array $args) => json_decode((string) shell_exec(implode(' ', array_map('escapeshellarg', array_merge([PHP_BINARY, '-n'], $args)))), true);
$fromExtension = $run(['-d', "extension=$ext", $reflect, '--extension']);
$fromStubs = $run([$reflect, $stubs]);
if (!is_array($fromExtension) || !is_array($fromStubs)) {
    echo "FAIL - could not reflect the extension or the stubs\n";
    exit(1);
}

$differences = [];
$compare = function ($a, $b, string $path) use (&$compare, &$differences): void {
    if (is_array($a) && is_array($b)) {
        foreach (array_unique(array_merge(array_keys($a), array_keys($b))) as $key) {
            if (!array_key_exists($key, $a)) {
                $differences[] = "$path/$key: only in the stubs";
            } elseif (!array_key_exists($key, $b)) {
                $differences[] = "$path/$key: missing from the stubs";
            } else {
                $compare($a[$key], $b[$key], "$path/$key");
            }
        }
    } elseif ($a !== $b) {
        $differences[] = "$path: extension " . json_encode($a) . ', stubs ' . json_encode($b);
    }
};
$compare($fromExtension, $fromStubs, '');
foreach ($differences as $d) {
    echo "FAIL - $d\n";
}
$classes = count($fromExtension);
$methods = array_sum(array_map(fn($c) => count($c['methods']), $fromExtension));
echo $differences ? count($differences) . " difference(s) between php/stubs and the extension\n"
    : "ok - php/stubs match the extension ($classes classes and interfaces, $methods methods)\n";
exit($differences ? 1 : 0);
