<?php
// PHP FFI inside a PHP that has loaded the zoho_oauth extension: the C library, loaded by its
// SONAME, gives its zoho_* functions. The extension carries its own SONAME (zoho_oauth.so);
// were it the C library's (libzoho_oauth.so.0.1), the dynamic loader would hand FFI the
// already loaded extension, which exports no zoho_* symbol, and FFI::cdef would fail with
// "Failed resolving C function". Run by tests/c/run.sh:
//
//   LD_LIBRARY_PATH=DIR php -d extension=ffi -d ffi.enable=1 -d extension=EXT \
//       tests/php_ffi/inside_extension.php capi/include/zoho_oauth_ffi.h libzoho_oauth.so.0.1

declare(strict_types=1);

[, $header, $soname] = $argv + [null, null, null];
if (!extension_loaded('zoho_oauth') || !extension_loaded('ffi')) {
    fwrite(STDERR, "needs the zoho_oauth and ffi extensions loaded\n");
    exit(1);
}
$ffi = FFI::cdef(file_get_contents($header), $soname);
$version = $ffi->zoho_version();
$name = $ffi->zoho_result_name(300);
$checks = [
    'zoho_version() is the extension\'s version' => $version === phpversion('zoho_oauth'),
    'zoho_result_name(300) is invalid_code' => $name === 'invalid_code',
];
// The C library is a separate object from the extension: its file is mapped in this process.
$maps = (string) file_get_contents('/proc/self/maps');
$checks["$soname is mapped beside the extension"] = str_contains($maps, '/' . $soname) || str_contains($maps, '/libzoho_oauth.so');
$failed = 0;
foreach ($checks as $what => $ok) {
    echo ($ok ? 'ok     ' : 'FAILED '), $what, "\n";
    $failed += $ok ? 0 : 1;
}
echo count($checks) - $failed, " checks passed\n";
exit($failed === 0 ? 0 : 1);
