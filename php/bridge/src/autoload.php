<?php

/*
 * The bridge's own autoloader, for use without Composer:
 *   require 'ZohoOAuth/Bridge/autoload.php';                     // the Debian package (/usr/share/php)
 *   require '/path/to/zoho-oauth/php/bridge/src/autoload.php';   // a checkout
 * It maps the ZohoOAuth\Bridge\ namespace to this directory (PSR-4, as Composer's autoloader
 * does from composer.json) and explains a missing zoho_oauth extension (missing-extension.php).
 * Zoho's SDK comes from your project (Composer's vendor/autoload.php), not from here.
 */

declare(strict_types=1);

require_once __DIR__ . '/missing-extension.php';

spl_autoload_register(static function (string $class): void {
    $prefix = 'ZohoOAuth\\Bridge\\';
    if (!str_starts_with($class, $prefix)) {
        return;
    }
    $relative = substr($class, strlen($prefix));
    if (preg_match('/^[A-Za-z_][A-Za-z0-9_]*(\\\\[A-Za-z_][A-Za-z0-9_]*)*$/', $relative) !== 1) {
        return;
    }
    $file = __DIR__ . '/' . str_replace('\\', '/', $relative) . '.php';
    if (is_file($file)) {
        require $file;
    }
});
