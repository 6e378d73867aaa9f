<?php
/*
 * Test bootstrap for the bridge package: the extension's test helpers (emulator, temporary
 * directories, assertions), the stand-in of Zoho's current SDK, and a PSR-4 autoloader for
 * the package (what Composer's would do).
 */
// Registered before the helpers' clean-up, so it runs first: the working directory (below)
// is left before it is removed.
$bridgeOriginalCwd = getcwd();
register_shutdown_function(fn() => chdir($bridgeOriginalCwd));
require_once __DIR__ . '/../../tests/lib/helpers.php';
require_once __DIR__ . '/standin/sdk.php';

// The SDK's default store is a FileStore on getcwd()/sdk_tokens.txt, created when an
// InitializeBuilder has no store: keep it out of the source tree.
chdir(temp_dir('bridge-cwd'));

spl_autoload_register(function (string $class): void {
    $prefix = 'ZohoOAuth\\Bridge\\';
    if (str_starts_with($class, $prefix)) {
        $file = __DIR__ . '/../src/' . str_replace('\\', '/', substr($class, strlen($prefix))) . '.php';
        if (is_file($file)) {
            require $file;
        }
    }
});

/** The SDK environment pointing at the test's accounts emulator. */
function bridge_environment(): com\zoho\crm\api\dc\Environment
{
    $emu = $GLOBALS['__emu'];
    return new com\zoho\crm\api\dc\Environment('https://www.zohoapis.com', "$emu/oauth/v2/token", 'https://content.zohoapis.com', 'us_prd');
}

/** Our store configuration for the bridge (no client keys: the token brings them). */
function bridge_store_config(string $dir, array $extra = []): array
{
    return array_merge(['accounts_url' => $GLOBALS['__emu'], 'token_persistence_path' => $dir], $extra);
}
