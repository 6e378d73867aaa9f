<?php

/*
 * Loaded by the package's autoloaders (Composer's "files", and autoload.php in the Debian
 * package): when this PHP has not loaded the zoho_oauth extension, the bridge's first use of
 * one of the extension's classes fails with a message that says so and what to do, instead
 * of "Class not found". With the extension loaded, its classes exist and this autoloader is
 * never asked for them: it costs nothing.
 */

declare(strict_types=1);

spl_autoload_register(static function (string $class): void {
    foreach (['zoho_oauth\\', 'zcrmsdk\\oauth\\'] as $extensionNamespace) {
        if (str_starts_with($class, $extensionNamespace) && !extension_loaded('zoho_oauth')) {
            throw new \Error(sprintf(
                'zoho-oauth/sdk-bridge needs the zoho_oauth PHP extension, which this PHP (%s, %s SAPI) has not loaded '
                . '(it was asked for %s). Install it (Debian: apt install ./php%s-zoho-oauth_*.deb, which enables it '
                . 'for every SAPI) or add extension=zoho_oauth.so to php.ini, then check that `php -m` lists '
                . 'zoho_oauth and restart PHP-FPM.',
                PHP_VERSION,
                PHP_SAPI,
                $class,
                PHP_MAJOR_VERSION . '.' . PHP_MINOR_VERSION
            ));
        }
    }
});
