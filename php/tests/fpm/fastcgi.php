<?php
/* A minimal FastCGI client (responder role, one request per connection), for the PHP-FPM test. */

function fcgi_record(int $type, string $content, int $id = 1): string
{
    return pack('CCnnCC', 1, $type, $id, strlen($content), 0, 0) . $content;
}

function fcgi_pair(string $name, string $value): string
{
    $len = fn(string $s) => strlen($s) < 128 ? chr(strlen($s)) : pack('N', strlen($s) | 0x80000000);
    return $len($name) . $len($value) . $name . $value;
}

/**
 * Runs $script through FPM at $address (host:port) with a query string (and extra FastCGI
 * parameters, e.g. PHP_ADMIN_VALUE); returns the body.
 */
function fcgi_get(string $address, string $script, string $query = '', array $extra = []): string
{
    $socket = stream_socket_client("tcp://$address", $errno, $error, 5);
    if (!$socket) {
        throw new RuntimeException("cannot connect to FPM: $error");
    }
    stream_set_timeout($socket, 20);
    $params = '';
    foreach (['SCRIPT_FILENAME' => $script, 'SCRIPT_NAME' => '/' . basename($script), 'REQUEST_METHOD' => 'GET',
        'QUERY_STRING' => $query, 'SERVER_PROTOCOL' => 'HTTP/1.1', 'GATEWAY_INTERFACE' => 'CGI/1.1',
        'REMOTE_ADDR' => '127.0.0.1', 'SERVER_NAME' => 'localhost'] + $extra as $k => $v) {
        $params .= fcgi_pair($k, $v);
    }
    fwrite($socket, fcgi_record(1, pack('nCx5', 1, 0)) . fcgi_record(4, $params) . fcgi_record(4, '') . fcgi_record(5, ''));
    $stdout = '';
    while (!feof($socket)) {
        $header = fread($socket, 8);
        if (strlen($header) < 8) {
            break;
        }
        $h = unpack('Cversion/Ctype/nid/nlength/Cpadding/Creserved', $header);
        $content = $h['length'] > 0 ? stream_get_contents($socket, $h['length']) : '';
        if ($h['padding'] > 0) {
            fread($socket, $h['padding']);
        }
        if ($h['type'] === 6) {
            $stdout .= $content;
        } elseif ($h['type'] === 3) {
            break;
        }
    }
    fclose($socket);
    $parts = explode("\r\n\r\n", $stdout, 2);
    return $parts[1] ?? '';
}
