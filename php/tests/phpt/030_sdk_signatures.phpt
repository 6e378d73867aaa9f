--TEST--
Every public method and constant of the SDK's OAuth classes (and ZCRMException) exists with a compatible signature
--FILE--
<?php
require __DIR__ . '/../lib/helpers.php';

// The SDK's public API (zcrm-php-sdk 2.x, ../shared/reference/zoho-php-sdk.md §2 and the SDK's
// sources): class => [method => [static, [parameter names], number of optional ones]].
$o = 'zcrmsdk\oauth\\';
$sdk = [
    "{$o}ZohoOAuth" => [
        'initialize' => [true, ['configuration'], 0], 'getConfigValue' => [true, ['key'], 0],
        'getAllConfigs' => [true, [], 0], 'getIAMUrl' => [true, [], 0], 'getGrantURL' => [true, [], 0],
        'getTokenURL' => [true, [], 0], 'getRefreshTokenURL' => [true, [], 0], 'getRevokeTokenURL' => [true, [], 0],
        'getUserInfoURL' => [true, [], 0], 'getClientID' => [true, [], 0], 'getClientSecret' => [true, [], 0],
        'getRedirectURL' => [true, [], 0], 'getAccessType' => [true, [], 0],
        'getPersistenceHandlerInstance' => [true, [], 0], 'getClientInstance' => [true, [], 0],
    ],
    "{$o}ZohoOAuthClient" => [
        'getInstance' => [true, ['params'], 0], 'getInstanceWithOutParam' => [true, [], 0],
        'getAccessToken' => [false, ['userEmailId'], 0], 'generateAccessToken' => [false, ['grantToken'], 0],
        'generateAccessTokenFromRefreshToken' => [false, ['refreshToken', 'userEmailId'], 0],
        'refreshAccessToken' => [false, ['refreshToken', 'userEmailId'], 0],
        'getZohoOAuthParams' => [false, [], 0], 'setZohoOAuthParams' => [false, ['zohoOAuthParams'], 0],
        'getUserEmailIdFromIAM' => [false, ['accessToken'], 0], 'processResponse' => [false, ['apiResponse'], 0],
    ],
    "{$o}utility\ZohoOAuthTokens" => [
        'getRefreshToken' => [false, [], 0], 'setRefreshToken' => [false, ['refreshToken'], 0],
        'getAccessToken' => [false, [], 0], 'setAccessToken' => [false, ['accessToken'], 0],
        'getExpiryTime' => [false, [], 0], 'setExpiryTime' => [false, ['expiryTime'], 0],
        'isValidAccessToken' => [false, [], 0], 'getCurrentTimeInMillis' => [false, [], 0],
        'getUserEmailId' => [false, [], 0], 'setUserEmailId' => [false, ['userEmailId'], 0],
    ],
    "{$o}utility\ZohoOAuthParams" => [
        'getClientId' => [false, [], 0], 'setClientId' => [false, ['clientId'], 0],
        'getClientSecret' => [false, [], 0], 'setClientSecret' => [false, ['clientSecret'], 0],
        'getRedirectUrl' => [false, [], 0], 'setRedirectUrl' => [false, ['redirectUrl'], 0],
        'getAccessType' => [false, [], 0], 'setAccessType' => [false, ['accessType'], 0],
        'getScopes' => [false, [], 0], 'setScopes' => [false, ['scopes'], 0],
    ],
    "{$o}utility\ZohoOAuthConstants" => [],
    "{$o}exception\ZohoOAuthException" => ['__construct' => [false, ['message', 'code'], 2], '__toString' => [false, [], 0]],
    "{$o}persistence\ZohoOAuthPersistenceInterface" => [
        'saveOAuthData' => [false, ['zohoOAuthTokens'], 0], 'getOAuthTokens' => [false, ['userEmailId'], 0],
        'deleteOAuthTokens' => [false, ['userEmailId'], 0],
    ],
    "{$o}persistence\ZohoOAuthPersistenceByFile" => [
        'saveOAuthData' => [false, ['zohoOAuthTokens'], 0], 'getOAuthTokens' => [false, ['userEmailId'], 0],
        'deleteOAuthTokens' => [false, ['userEmailId'], 0], 'getTokenPersistencePath' => [false, [], 0],
    ],
    "{$o}persistence\ZohoOAuthPersistenceHandler" => [
        'saveOAuthData' => [false, ['zohoOAuthTokens'], 0], 'getOAuthTokens' => [false, ['userEmailId'], 0],
        'deleteOAuthTokens' => [false, ['userEmailId'], 0], 'getMysqlConnection' => [false, [], 0],
    ],
    'zcrmsdk\crm\exception\ZCRMException' => [
        '__construct' => [false, ['message', 'code'], 2], '__toString' => [false, [], 0],
        'getExceptionCode' => [false, [], 0], 'setExceptionCode' => [false, ['exceptionCode'], 0],
        'getExceptionDetails' => [false, [], 0], 'setExceptionDetails' => [false, ['exceptionDetails'], 0],
    ],
];
$constants = [
    'IAM_URL' => 'accounts_url', 'SCOPES' => 'scope', 'STATE' => 'state', 'STATE_OBTAINING_GRANT_TOKEN' => 'OBTAIN_GRANT_TOKEN',
    'RESPONSE_TYPE' => 'response_type', 'RESPONSE_TYPE_CODE' => 'code', 'CLIENT_ID' => 'client_id',
    'CLIENT_SECRET' => 'client_secret', 'REDIRECT_URL' => 'redirect_uri', 'ACCESS_TYPE' => 'access_type',
    'ACCESS_TYPE_OFFLINE' => 'offline', 'ACCESS_TYPE_ONLINE' => 'online', 'PROMPT' => 'prompt', 'PROMPT_CONSENT' => 'consent',
    'GRANT_TYPE' => 'grant_type', 'GRANT_TYPE_AUTH_CODE' => 'authorization_code', 'GRANT_TYPE_REFRESH' => 'refresh_token',
    'CODE' => 'code', 'GRANT_TOKEN' => 'grant_token', 'ACCESS_TOKEN' => 'access_token', 'REFRESH_TOKEN' => 'refresh_token',
    'EXPIRES_IN' => 'expires_in', 'EXPIRES_IN_SEC' => 'expires_in_sec', 'EXPIRIY_TIME' => 'expiry_time',
    'PERSISTENCE_HANDLER_CLASS' => 'persistence_handler_class', 'PERSISTENCE_HANDLER_CLASS_NAME' => 'persistence_handler_class_name',
    'TOKEN' => 'token', 'DISPATCH_TO' => 'dispatchTo', 'OAUTH_TOKENS_PARAM' => 'oauth_tokens',
    'OAUTH_HEADER_PREFIX' => 'Zoho-oauthtoken ', 'AUTHORIZATION' => 'Authorization', 'REQUEST_METHOD_GET' => 'GET',
    'REQUEST_METHOD_POST' => 'POST', 'SANDBOX' => 'sandbox', 'TOKEN_PERSISTENCE_PATH' => 'token_persistence_path',
    'DATABASE_NAME' => 'db_name', 'DATABASE_PORT' => 'db_port', 'DATABASE_USERNAME' => 'db_username',
    'DATABASE_PASSWORD' => 'db_password', 'HOST_ADDRESS' => 'host_address', 'RESPONSECODE_OK' => 200,
];

$problems = [];
$methods = 0;
foreach ($sdk as $class => $list) {
    if (!class_exists($class, false) && !interface_exists($class, false)) {
        $problems[] = "$class is not defined";
        continue;
    }
    $rc = new ReflectionClass($class);
    foreach ($list as $name => [$static, $params, $optional]) {
        $methods++;
        if (!$rc->hasMethod($name)) {
            $problems[] = "$class::$name() is missing";
            continue;
        }
        $m = $rc->getMethod($name);
        if ($m->getName() !== $name && strcasecmp($m->getName(), $name) !== 0) {
            $problems[] = "$class::$name() is named " . $m->getName();
        }
        if (!$m->isPublic() && $name !== '__construct') {
            $problems[] = "$class::$name() is not public";
        }
        if ($m->isStatic() !== $static) {
            $problems[] = "$class::$name() must " . ($static ? '' : 'not ') . 'be static';
        }
        $ours = $m->getParameters();
        foreach ($params as $i => $param) {
            if (!isset($ours[$i]) || $ours[$i]->getName() !== $param) {
                $problems[] = "$class::$name(): parameter " . ($i + 1) . " must be \$$param (named arguments)";
            }
        }
        $required = count($params) - $optional;
        if ($m->getNumberOfRequiredParameters() > $required) {
            $problems[] = "$class::$name() requires " . $m->getNumberOfRequiredParameters() . " arguments, the SDK $required";
        }
        if ($optional > 0 && $m->getNumberOfRequiredParameters() > count($params) - $optional) {
            $problems[] = "$class::$name(): the SDK's optional parameters must stay optional";
        }
        // The interface and its implementations take untyped parameters, as the SDK declares them.
        if (str_contains($class, '\persistence\\')) {
            foreach ($ours as $p) {
                if ($p->getType() !== null && (string) $p->getType() !== 'mixed') {
                    $problems[] = "$class::$name(): \${$p->getName()} must be untyped";
                }
            }
        }
    }
}
$rc = new ReflectionClass('zcrmsdk\oauth\utility\ZohoOAuthConstants');
foreach ($constants as $name => $value) {
    if (!$rc->hasConstant($name)) {
        $problems[] = "ZohoOAuthConstants::$name is missing";
    } elseif ($rc->getConstant($name) !== $value) {
        $problems[] = "ZohoOAuthConstants::$name is " . var_export($rc->getConstant($name), true);
    }
}
foreach ($problems as $p) {
    echo "  $p\n";
}
check($problems === [], count($sdk) . " classes, $methods methods and " . count($constants) . " constants of the SDK are there with compatible signatures");
check(count($constants) === count($rc->getConstants()), 'ZohoOAuthConstants has exactly the SDK\'s constants');

// Kind and hierarchy as in the SDK.
$interface = 'zcrmsdk\oauth\persistence\ZohoOAuthPersistenceInterface';
check(interface_exists($interface, false), 'ZohoOAuthPersistenceInterface is an interface');
check(is_subclass_of('zcrmsdk\oauth\persistence\ZohoOAuthPersistenceByFile', $interface), 'ZohoOAuthPersistenceByFile implements it');
check(is_subclass_of('zcrmsdk\oauth\persistence\ZohoOAuthPersistenceHandler', $interface), 'ZohoOAuthPersistenceHandler implements it');
check(get_parent_class('zcrmsdk\crm\exception\ZCRMException') === 'Exception', 'ZCRMException extends \Exception');
check(get_parent_class('zcrmsdk\oauth\exception\ZohoOAuthException') === 'Exception', 'ZohoOAuthException extends \Exception');
check(!(new ReflectionClass('zcrmsdk\crm\exception\ZCRMException'))->isFinal(), 'ZCRMException can be extended');
foreach (['zcrmsdk\oauth\utility\ZohoOAuthParams', 'zcrmsdk\oauth\persistence\ZohoOAuthPersistenceByFile',
          'zcrmsdk\oauth\persistence\ZohoOAuthPersistenceHandler', 'zcrmsdk\oauth\utility\ZohoOAuthTokens'] as $class) {
    check(is_object(new $class()), "new \\$class() works, as with the SDK's public constructor");
}
// SDK code extends the store classes and overrides their (untyped) methods without types.
eval('class MyFileStore extends zcrmsdk\oauth\persistence\ZohoOAuthPersistenceByFile {
    public function saveOAuthData($zohoOAuthTokens) { parent::saveOAuthData($zohoOAuthTokens); }
    public function getOAuthTokens($userEmailId) { return parent::getOAuthTokens($userEmailId); }
    public function deleteOAuthTokens($userEmailId) { parent::deleteOAuthTokens($userEmailId); }
}
class MyDbStore extends zcrmsdk\oauth\persistence\ZohoOAuthPersistenceHandler {
    public function getOAuthTokens($userEmailId) { return parent::getOAuthTokens($userEmailId); }
}');
check(class_exists('MyFileStore', false) && class_exists('MyDbStore', false), 'subclasses of both store classes may override the SDK\'s methods untyped');
--EXPECT--
ok - 10 classes, 64 methods and 41 constants of the SDK are there with compatible signatures
ok - ZohoOAuthConstants has exactly the SDK's constants
ok - ZohoOAuthPersistenceInterface is an interface
ok - ZohoOAuthPersistenceByFile implements it
ok - ZohoOAuthPersistenceHandler implements it
ok - ZCRMException extends \Exception
ok - ZohoOAuthException extends \Exception
ok - ZCRMException can be extended
ok - new \zcrmsdk\oauth\utility\ZohoOAuthParams() works, as with the SDK's public constructor
ok - new \zcrmsdk\oauth\persistence\ZohoOAuthPersistenceByFile() works, as with the SDK's public constructor
ok - new \zcrmsdk\oauth\persistence\ZohoOAuthPersistenceHandler() works, as with the SDK's public constructor
ok - new \zcrmsdk\oauth\utility\ZohoOAuthTokens() works, as with the SDK's public constructor
ok - subclasses of both store classes may override the SDK's methods untyped
