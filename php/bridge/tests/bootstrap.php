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
if (getenv('SDK_DIR')) {
    // A checkout of Zoho's real SDK (zohocrm/php-sdk-8.0 layout: src/ mirrors the namespaces),
    // for the benchmark; the tests use the stand-in.
    $sdkSrc = rtrim(getenv('SDK_DIR'), '/') . '/src/';
    spl_autoload_register(function (string $class) use ($sdkSrc): void {
        $file = $sdkSrc . str_replace('\\', '/', $class) . '.php';
        if (is_file($file)) {
            require $file;
        }
    });
} else {
    require_once __DIR__ . '/standin/sdk.php';
}

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

/** The API URL of the test environment: no Zoho host, so DataCenter::get() keeps the emulator. */
const BRIDGE_API_URL = 'https://crm.bridge.test';

/**
 * The SDK environment pointing at the test's accounts emulator. The SDK switches to the data
 * centre of a token's API domain (DataCenter::get()), so the emulator is told to answer with
 * the test environment's API URL, never a real Zoho one (once per emulator).
 */
function bridge_environment(): object
{
    $emu = $GLOBALS['__emu'];
    if (($GLOBALS['__bridge_api_domain_for'] ?? null) !== $emu) {
        emu_settings(['api_domain_override' => BRIDGE_API_URL]);
        $GLOBALS['__bridge_api_domain_for'] = $emu;
    }
    class_exists(com\zoho\crm\api\dc\DataCenter::class);           // the SDK declares Environment in DataCenter.php
    return new com\zoho\crm\api\dc\Environment(BRIDGE_API_URL, "$emu/oauth/v2/token", 'https://content.zohoapis.com');
}

/** Our store configuration for the bridge (no client keys: the token brings them). */
function bridge_store_config(string $dir, array $extra = []): array
{
    return array_merge(['accounts_url' => $GLOBALS['__emu'], 'token_persistence_path' => $dir], $extra);
}

/**
 * What a new PHP request starts with: none of the SDK's static state. (Within one request, the
 * SDK's Initializer hands a token the previous initializer, and its store, on a second
 * initialize() with the same environment URL.)
 */
function bridge_new_request(): void
{
    com\zoho\crm\api\Initializer::$LOCAL = [];
}

/** What the SDK's CommonAPIHandler does before each API request; returns the headers. */
function bridge_authenticate(): array
{
    $connector = new com\zoho\crm\api\util\APIHTTPConnector();
    com\zoho\crm\api\Initializer::getInitializer()->getToken()->authenticate($connector);
    return $connector->getHeaders();
}
