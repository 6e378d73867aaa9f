<?php
/* The page the PHP-FPM pool test requests: which ZCRMRestClient this worker has, and whether the SDK's CRM path works. */
require __DIR__ . '/lib/sdk_standin.php';
sdk_standin_autoload(__DIR__ . '/vendor/zohocrm/php-sdk-archive/src');
$class = 'zcrmsdk\crm\setup\restclient\ZCRMRestClient';
$reply = ['pid' => getmypid(), 'ini' => ini_get('zoho_oauth.define_rest_client')];
$reply['rest_client'] = class_exists($class) ? ((new ReflectionClass($class))->isInternal() ? 'extension' : 'sdk') : 'none';
$reply['oauth'] = (new ReflectionClass('zcrmsdk\oauth\ZohoOAuth'))->isInternal() ? 'extension' : 'sdk';
try {
    $reply['get_instance'] = get_class($class::getInstance());
} catch (Error $e) {
    $reply['get_instance'] = 'Error: ' . $e->getMessage();
}
header('Content-Type: application/json');
echo json_encode($reply);
