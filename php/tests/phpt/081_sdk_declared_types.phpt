--TEST--
Every declared parameter and return type of the extension's classes equals the SDK's (none, but PHP 8's implicit string of __toString), so SDK-style untyped overrides compile; methods of ours are listed
--FILE--
<?php
require __DIR__ . '/../lib/helpers.php';

// The SDK's declarations (zcrm-php-sdk 2.x: zoho-php-sdk.md §2 and the SDK's sources), as data:
// class => the SDK's public method declarations, exactly as the SDK writes them (no types).
$o = 'zcrmsdk\oauth\\';
$sdk = [
    "{$o}ZohoOAuth" => ['static function initialize($configuration)', 'static function getConfigValue($key)',
        'static function getAllConfigs()', 'static function getIAMUrl()', 'static function getGrantURL()',
        'static function getTokenURL()', 'static function getRefreshTokenURL()', 'static function getRevokeTokenURL()',
        'static function getUserInfoURL()', 'static function getClientID()', 'static function getClientSecret()',
        'static function getRedirectURL()', 'static function getAccessType()', 'static function getPersistenceHandlerInstance()',
        'static function getClientInstance()'],
    "{$o}ZohoOAuthClient" => ['static function getInstance($params)', 'static function getInstanceWithOutParam()',
        'function getAccessToken($userEmailId)', 'function generateAccessToken($grantToken)',
        'function generateAccessTokenFromRefreshToken($refreshToken, $userEmailId)',
        'function refreshAccessToken($refreshToken, $userEmailId)', 'function getZohoOAuthParams()',
        'function setZohoOAuthParams($zohoOAuthParams)', 'function getUserEmailIdFromIAM($accessToken)',
        'function processResponse($apiResponse)'],
    "{$o}utility\ZohoOAuthTokens" => ['function getRefreshToken()', 'function setRefreshToken($refreshToken)',
        'function getAccessToken()', 'function setAccessToken($accessToken)', 'function getExpiryTime()',
        'function setExpiryTime($expiryTime)', 'function isValidAccessToken()', 'function getCurrentTimeInMillis()',
        'function getUserEmailId()', 'function setUserEmailId($userEmailId)'],
    "{$o}utility\ZohoOAuthParams" => ['function getClientId()', 'function setClientId($clientId)', 'function getClientSecret()',
        'function setClientSecret($clientSecret)', 'function getRedirectUrl()', 'function setRedirectUrl($redirectUrl)',
        'function getAccessType()', 'function setAccessType($accessType)', 'function getScopes()', 'function setScopes($scopes)'],
    "{$o}utility\ZohoOAuthConstants" => [],
    "{$o}exception\ZohoOAuthException" => ['function __construct($message = null, $code = 0)', 'function __toString()'],
    "{$o}persistence\ZohoOAuthPersistenceInterface" => ['function saveOAuthData($zohoOAuthTokens)',
        'function getOAuthTokens($userEmailId)', 'function deleteOAuthTokens($userEmailId)'],
    "{$o}persistence\ZohoOAuthPersistenceByFile" => ['function getTokenPersistencePath()', 'function saveOAuthData($zohoOAuthTokens)',
        'function getOAuthTokens($userEmailId)', 'function deleteOAuthTokens($userEmailId)'],
    "{$o}persistence\ZohoOAuthPersistenceHandler" => ['function saveOAuthData($zohoOAuthTokens)',
        'function getOAuthTokens($userEmailId)', 'function deleteOAuthTokens($userEmailId)', 'function getMysqlConnection()'],
    'zcrmsdk\crm\exception\ZCRMException' => ['function __construct($message = null, $code = 0)', 'function __toString()',
        'function getExceptionCode()', 'function setExceptionCode($exceptionCode)', 'function getExceptionDetails()',
        'function setExceptionDetails($exceptionDetails)'],
    'zcrmsdk\crm\setup\restclient\ZCRMRestClient' => ['static function setCurrentUserEmailId($UserEmailId)',
        'static function initialize($configuration)', 'static function getCurrentUserEmailID()'],
];
// Methods that are ours alone (no SDK declaration to follow): they may declare types.
$ours = [
    "{$o}ZohoOAuthClient" => ['revokeRefreshToken', 'deleteTokens', 'getAuthorizationUrl', 'generateAccessTokenFromRedirect'],
    "{$o}utility\ZohoOAuthTokens" => ['__construct', 'getApiDomain', 'getScope', '__debugInfo', 'jsonSerialize', '__toString', '__serialize', '__unserialize'],
    "{$o}utility\ZohoOAuthParams" => ['__construct', '__debugInfo', '__serialize', '__unserialize'],
    "{$o}exception\ZohoOAuthException" => ['getZohoErrorCode', 'getHint', 'getErrorKind', 'getUnsavedTokens'],
    "{$o}persistence\ZohoOAuthPersistenceByFile" => ['__construct'],
    "{$o}persistence\ZohoOAuthPersistenceHandler" => ['__construct'],
    'zcrmsdk\crm\setup\restclient\ZCRMRestClient' => ['__callStatic'],
    'zoho_oauth\bridge\Core' => ['tokens', 'find', 'rows', 'save', 'delete', 'exchangeGrant', 'revoke'],
];

// The SDK's declarations as PHP 8.2 sees them: each list becomes a class of its own, reflected.
$types = function (ReflectionMethod $m): array {
    $params = array_map(fn($p) => '$' . $p->getName() . ':' . ($p->getType() ?? '-'), $m->getParameters());
    return [implode(', ', $params), (string) ($m->getReturnType() ?? $m->getTentativeReturnType() ?? '-')];
};
$problems = [];
$compared = 0;
foreach ($sdk as $class => $declarations) {
    $skeleton = 'SdkDeclared' . md5($class);
    $parent = str_contains($class, 'Exception') ? ' extends \Exception' : '';
    eval("class $skeleton$parent {\n" . implode("\n", array_map(fn($d) => "public $d {}", $declarations)) . "\n}");
    $theirs = new ReflectionClass($skeleton);
    $mine = new ReflectionClass($class);
    foreach ($theirs->getMethods() as $m) {
        if ($m->getDeclaringClass()->getName() !== $skeleton) {
            continue;
        }
        $compared++;
        if (!$mine->hasMethod($m->getName())) {
            $problems[] = "$class::{$m->getName()}() is missing";
            continue;
        }
        [$sdkParams, $sdkReturn] = $types($m);
        [$myParams, $myReturn] = $types($mine->getMethod($m->getName()));
        $myParams = implode(', ', array_slice(explode(', ', $myParams), 0, $m->getNumberOfParameters()));   // ours may add optional ones
        if ([$sdkParams, $sdkReturn] !== [$myParams, $myReturn]) {
            $problems[] = "$class::{$m->getName()}($myParams): $myReturn, the SDK ($sdkParams): $sdkReturn";
        }
    }
    foreach ($mine->getMethods(ReflectionMethod::IS_PUBLIC) as $m) {
        $name = $m->getName();
        if ($m->getDeclaringClass()->getName() === $class && !$theirs->hasMethod($name) && !in_array($name, $ours[$class] ?? [], true)) {
            $problems[] = "$class::$name() is neither the SDK's nor listed as ours";
        }
    }
}
foreach ($problems as $p) {
    echo "  $p\n";
}
check($problems === [], "$compared methods of " . count($sdk) . ' SDK classes declare exactly the SDK\'s types (none; __toString: string)');
$extension = array_keys((new ReflectionExtension('zoho_oauth'))->getClasses());
check_same([], array_values(array_diff($extension, array_keys($sdk), array_keys($ours))), 'every class of the extension was compared');

// What this is for: SDK-style subclasses overriding methods untyped compile (a declared return
// type in the parent made each of these a compile-time fatal error).
eval('class MyTokens extends zcrmsdk\oauth\utility\ZohoOAuthTokens {
    public function getRefreshToken() { return "R:" . parent::getRefreshToken(); }
    public function getExpiryTime() { return parent::getExpiryTime(); }
    public function getUserEmailId() { return strtolower((string) parent::getUserEmailId()); }
    public function isValidAccessToken() { return parent::isValidAccessToken(); }
    public function setUserEmailId($userEmailId) { parent::setUserEmailId($userEmailId); }
}
class MyFileStore extends zcrmsdk\oauth\persistence\ZohoOAuthPersistenceByFile {
    public function getTokenPersistencePath() { return parent::getTokenPersistencePath(); }
}
class MyDbStore extends zcrmsdk\oauth\persistence\ZohoOAuthPersistenceHandler {
    public function getMysqlConnection() { return null; }
}
class MyParams extends zcrmsdk\oauth\utility\ZohoOAuthParams {
    public function getClientId() { return parent::getClientId(); }
    public function setScopes($scopes) { return parent::setScopes($scopes); }
}
class MyException extends zcrmsdk\oauth\exception\ZohoOAuthException {
    public function __construct($message = null, $code = 0) { parent::__construct($message, $code); }
}
class MyCrmException extends zcrmsdk\crm\exception\ZCRMException {
    public function getExceptionCode() { return parent::getExceptionCode(); }
}');
$t = new MyTokens();
$t->setRefreshToken('1000.r');
$t->setUserEmailId('Ada@Example.com');
check_same(['R:1000.r', 'ada@example.com'], [$t->getRefreshToken(), $t->getUserEmailId()], 'untyped overrides of the tokens\' getters compile and run');
check(class_exists('MyFileStore', false) && class_exists('MyDbStore', false) && class_exists('MyParams', false)
    && class_exists('MyException', false) && class_exists('MyCrmException', false),
    'untyped overrides of getTokenPersistencePath(), getMysqlConnection(), the params\' and the exceptions\' methods compile');
--EXPECT--
ok - 67 methods of 11 SDK classes declare exactly the SDK's types (none; __toString: string)
ok - every class of the extension was compared
ok - untyped overrides of the tokens' getters compile and run
ok - untyped overrides of getTokenPersistencePath(), getMysqlConnection(), the params' and the exceptions' methods compile
