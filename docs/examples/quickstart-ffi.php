<?php
// php -d extension=ffi -d ffi.enable=1 quickstart-ffi.php (PHP-FPM: ffi.enable=1 or preload)
$ffi = FFI::cdef(file_get_contents('/usr/include/zoho_oauth_ffi.h'), 'libzoho_oauth.so.0.1');

function last_error(FFI $ffi): string
{
    $n = $ffi->new('size_t');
    $ffi->zoho_last_error_message(null, 0, FFI::addr($n));
    $buf = $ffi->new('char[' . ($n->cdata + 1) . ']');
    $ffi->zoho_last_error_message($buf, $n->cdata + 1, FFI::addr($n));
    return FFI::string($buf, $n->cdata);
}

$config = json_encode(['client_id' => '1000.XXXXXXXXXXXXXXXX', 'client_secret' => 'xxxxxxxx',
    'redirect_uri' => 'http://localhost:8910/callback', 'token_persistence_path' => '/var/lib/zoho-oauth']);
$client = $ffi->new('zoho_client*');
if ($ffi->zoho_client_new_from_json($config, FFI::addr($client)) !== $ffi->ZOHO_RESULT_OK) {
    throw new RuntimeException(last_error($ffi));
}
$token = $ffi->new('char*');
$rc = $ffi->zoho_client_get_access_token($client, 'ada@example.com', FFI::addr($token));
if ($rc === $ffi->ZOHO_RESULT_OK) {
    echo 'access token ', substr(FFI::string($token), 0, 9), "...\n";
    $ffi->zoho_string_free($token);          // library strings go back to the library
} else {
    echo $ffi->zoho_result_name($rc), ': ', last_error($ffi), "\n";
}
$ffi->zoho_client_free($client);
exit($rc === $ffi->ZOHO_RESULT_OK ? 0 : 1);
