<?php
/*
 * Test bootstrap for the bridge package: the extension's test helpers (emulator, temporary
 * directories, assertions), the stand-in of Zoho's current SDK, and a PSR-4 autoloader for
 * the package (what Composer's would do).
 */
require_once __DIR__ . '/../../tests/lib/helpers.php';
require_once __DIR__ . '/standin/sdk.php';

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
