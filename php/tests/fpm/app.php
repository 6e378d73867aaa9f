<?php
/* The page the PHP-FPM test requests: the seed's "App Startup" + a token, and what the worker knows. */
use zcrmsdk\crm\setup\restclient\ZCRMRestClient;
use zcrmsdk\oauth\ZohoOAuth;
use zcrmsdk\oauth\exception\ZohoOAuthException;

$reply = ['pid' => getmypid()];
try {
    if (($_GET['action'] ?? '') === 'noinit') {
        // A new request starts with nothing from the previous one.
        $reply['user'] = ZCRMRestClient::getCurrentUserEmailID();
        ZohoOAuth::getClientInstance();
        $reply['error'] = 'initialized without initialize()';
    } else {
        $configuration = json_decode(file_get_contents(__DIR__ . '/config.json'), true);
        ZCRMRestClient::initialize($configuration);
        $reply['token'] = ZohoOAuth::getClientInstance()->getAccessToken(ZCRMRestClient::getCurrentUserEmailID());
    }
} catch (ZohoOAuthException $e) {
    $reply['exception'] = $e->getMessage();
}
ob_start();
phpinfo(INFO_MODULES);
$info = strip_tags(ob_get_clean());
$reply['reuses'] = preg_match('/client re-uses in this process\s*(\d+)/', $info, $m) ? (int) $m[1] : -1;
header('Content-Type: application/json');
echo json_encode($reply);
