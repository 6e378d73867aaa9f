--TEST--
Every parameter that takes a secret carries #[\SensitiveParameter] (reflection and traces), and no other does
--FILE--
<?php
require __DIR__ . '/../lib/helpers.php';
$marked = [];
foreach ((new ReflectionExtension('zoho_oauth'))->getClasses() as $class) {
    foreach ($class->getMethods() as $method) {
        if ($method->getDeclaringClass()->getName() !== $class->getName()) continue;
        foreach ($method->getParameters() as $param) {
            if ($param->getAttributes('SensitiveParameter')) {
                $marked[] = $class->getName() . '::' . $method->getName() . ' $' . $param->getName();
            }
        }
    }
}
sort($marked);
$expected = [
    'zcrmsdk\crm\setup\restclient\ZCRMRestClient::initialize $configuration',
    'zcrmsdk\oauth\ZohoOAuth::initialize $configuration',
    'zcrmsdk\oauth\ZohoOAuthClient::generateAccessToken $grantToken',
    'zcrmsdk\oauth\ZohoOAuthClient::generateAccessTokenFromRedirect $query',
    'zcrmsdk\oauth\ZohoOAuthClient::generateAccessTokenFromRefreshToken $refreshToken',
    'zcrmsdk\oauth\ZohoOAuthClient::getUserEmailIdFromIAM $accessToken',
    'zcrmsdk\oauth\ZohoOAuthClient::refreshAccessToken $refreshToken',
    'zcrmsdk\oauth\utility\ZohoOAuthParams::__unserialize $data',
    'zcrmsdk\oauth\utility\ZohoOAuthParams::setClientSecret $clientSecret',
    'zcrmsdk\oauth\utility\ZohoOAuthTokens::__unserialize $data',
    'zcrmsdk\oauth\utility\ZohoOAuthTokens::setAccessToken $accessToken',
    'zcrmsdk\oauth\utility\ZohoOAuthTokens::setRefreshToken $refreshToken',
    'zoho_oauth\bridge\Core::delete $configuration',
    'zoho_oauth\bridge\Core::exchangeGrant $configuration',
    'zoho_oauth\bridge\Core::exchangeGrant $grantToken',
    'zoho_oauth\bridge\Core::find $configuration',
    'zoho_oauth\bridge\Core::revoke $configuration',
    'zoho_oauth\bridge\Core::rows $configuration',
    'zoho_oauth\bridge\Core::save $configuration',
    'zoho_oauth\bridge\Core::save $row',
    'zoho_oauth\bridge\Core::tokens $configuration',
];
sort($expected);
check_same($expected, $marked, 'exactly the listed parameters are sensitive');

// A trace through a marked parameter shows SensitiveParameterValue, not the secret.
ini_set('zend.exception_ignore_args', '0');
try {
    zcrmsdk\oauth\ZohoOAuth::initialize(['client_secret' => 'do-not-show-me']);
} catch (Throwable $e) {
}
$trace = $e->getTrace();
check(isset($trace[0]['args'][0]) && $trace[0]['args'][0] instanceof SensitiveParameterValue,
    'initialize() in a trace: the configuration is a SensitiveParameterValue');
check(!str_contains($e->getTraceAsString(), 'do-not-show-me'), '... and the secret is nowhere in the trace string');
--EXPECT--
ok - exactly the listed parameters are sensitive
ok - initialize() in a trace: the configuration is a SensitiveParameterValue
ok - ... and the secret is nowhere in the trace string
