<?php
/*
 * A stand-in for Zoho's full SDK (zohocrm/php-sdk-archive 2.x), which cannot be fetched here:
 * a vendor tree (PSR-4 zcrmsdk\ => src/) whose classes have the SDK's CRM-side shapes and call
 * the OAuth classes the way the SDK does, plus a stand-in CRM API server.
 *
 * - ZCRMRestClient::initialize -> ZCRMConfigUtil::initialize (mandatory keys, current user,
 *   apiBaseUrl/apiVersion defaults) -> ZohoOAuth::initialize.
 * - Every API call: APIRequest -> ZCRMConfigUtil::getAccessToken() (throws ZCRMException
 *   "current user should either be set ..." without a user) -> ZohoOAuth::getClientInstance()
 *   ->getAccessToken($user), header "Authorization:Zoho-oauthtoken <token>"; a faulty status
 *   becomes `new ZCRMException($json['message'], $status)` with setExceptionCode($json['code'])
 *   and setExceptionDetails($json['details']), as the SDK's APIResponse does.
 * - src/crm/exception/ZCRMException.php is the SDK's class with its PHP 8.1+ defect (untyped
 *   $file and $line), so loading it is the SDK's fatal error; src/oauth/ holds files that must
 *   never load (the extension's classes win).
 * The SDK builds https://<apiBaseUrl>/crm/<apiVersion>/...; the stand-in uses http:// because its
 * CRM server is a loopback `php -S` (router below): /crm/vN/users is answered by the accounts
 * emulator's protected resource (which checks the access token: 401 INVALID_TOKEN for a bad
 * one), any other path by CRM's 404 INVALID_URL_PATTERN.
 */

declare(strict_types=1);

/** Writes the stand-in SDK under $dir/vendor/zohocrm/php-sdk-archive/src and returns that path. */
function sdk_standin_write(string $dir): string
{
    $sdk = "$dir/vendor/zohocrm/php-sdk-archive/src";
    $files = [
        'crm/setup/restclient/ZCRMRestClient.php' => '<?php
namespace zcrmsdk\crm\setup\restclient;
use zcrmsdk\crm\utility\ZCRMConfigUtil;
use zcrmsdk\crm\api\APIRequest;
class ZCRMRestClient
{
    private static $CurrentUserEmailID;
    private function __construct() {}
    public static function getInstance() { return new ZCRMRestClient(); }
    public static function initialize($configuration) { ZCRMConfigUtil::initialize($configuration); }
    public static function setCurrentUserEmailId($UserEmailId) { self::$CurrentUserEmailID = $UserEmailId; }
    public static function getCurrentUserEmailID() { return self::$CurrentUserEmailID; }
    public function getAllUsers() { return APIRequest::get("users")["users"]; }
    public function getModuleRecords($moduleAPIName) { return APIRequest::get($moduleAPIName)["data"]; }
}',
        'crm/utility/ZCRMConfigUtil.php' => '<?php
namespace zcrmsdk\crm\utility;
use zcrmsdk\crm\exception\ZCRMException;
use zcrmsdk\crm\setup\restclient\ZCRMRestClient;
use zcrmsdk\oauth\ZohoOAuth;
use zcrmsdk\oauth\exception\ZohoOAuthException;
use zcrmsdk\oauth\utility\ZohoOAuthConstants;
class ZCRMConfigUtil
{
    private static $configProperties = array();
    public static $initializeCalls = 0;
    public static $failWith = null;
    public static $reenter = false;
    public static function initialize($configuration)
    {
        self::$initializeCalls++;
        if (self::$failWith) { throw self::$failWith; }
        if (self::$reenter) { ZCRMRestClient::initialize($configuration); }
        foreach (array(ZohoOAuthConstants::CLIENT_ID, ZohoOAuthConstants::CLIENT_SECRET, ZohoOAuthConstants::REDIRECT_URL) as $key) {
            if (!array_key_exists($key, $configuration)) { throw new ZohoOAuthException($key . " is mandatory"); }
            if ($configuration[$key] == "") { throw new ZohoOAuthException($key . " value is missing"); }
        }
        if (array_key_exists("currentUserEmail", $configuration) && $configuration["currentUserEmail"] != "") {
            ZCRMRestClient::setCurrentUserEmailId($configuration["currentUserEmail"]);
        }
        self::$configProperties += array("apiBaseUrl" => "www.zohoapis.com", "apiVersion" => "v2");
        foreach (array("currentUserEmail", "apiBaseUrl", "apiVersion") as $key) {
            if (array_key_exists($key, $configuration)) { self::$configProperties[$key] = $configuration[$key]; }
        }
        ZohoOAuth::initialize($configuration);
    }
    public static function getConfigValue($key) { return isset(self::$configProperties[$key]) ? self::$configProperties[$key] : ""; }
    public static function getAPIBaseUrl() { return self::getConfigValue("apiBaseUrl"); }
    public static function getAPIVersion() { return self::getConfigValue("apiVersion"); }
    public static function getAccessToken()
    {
        $user = ZCRMRestClient::getCurrentUserEmailID();
        if ($user == null && self::getConfigValue("currentUserEmail") == null) {
            throw new ZCRMException("current user should either be set in ZCRMRestClient or in configuration map");
        } elseif ($user == null) {
            $user = self::getConfigValue("currentUserEmail");
        }
        return ZohoOAuth::getClientInstance()->getAccessToken($user);
    }
}',
        'crm/api/APIRequest.php' => '<?php
namespace zcrmsdk\crm\api;
use zcrmsdk\crm\api\response\APIResponse;
use zcrmsdk\crm\utility\ZCRMConfigUtil;
use zcrmsdk\oauth\utility\ZohoOAuthConstants;
class APIRequest
{
    public static function get($path)
    {
        $url = "http://" . ZCRMConfigUtil::getAPIBaseUrl() . "/crm/" . ZCRMConfigUtil::getAPIVersion() . "/" . $path;
        $header = ZohoOAuthConstants::AUTHORIZATION . ":" . ZohoOAuthConstants::OAUTH_HEADER_PREFIX . ZCRMConfigUtil::getAccessToken();
        $context = stream_context_create(array("http" => array("ignore_errors" => true, "timeout" => 10, "header" => $header)));
        $body = file_get_contents($url, false, $context);
        preg_match("#^HTTP/\S+ (\d+)#", $http_response_header[0], $status);
        $response = new APIResponse($body, (int) $status[1]);
        $response->handleForFaultyResponses();
        return $response->getResponseJSON();
    }
}',
        'crm/api/response/APIResponse.php' => '<?php
namespace zcrmsdk\crm\api\response;
use zcrmsdk\crm\exception\APIExceptionHandler;
use zcrmsdk\crm\exception\ZCRMException;
class APIResponse
{
    private $body;
    private $status;
    public function __construct($httpResponse, $httpStatusCode) { $this->body = $httpResponse; $this->status = $httpStatusCode; }
    public function getResponseJSON() { return json_decode($this->body, true); }
    public function handleForFaultyResponses()
    {
        if (in_array($this->status, APIExceptionHandler::getFaultyResponseCodes())) {
            $json = $this->getResponseJSON();
            $exception = new ZCRMException($json["message"], $this->status);
            $exception->setExceptionCode($json["code"]);
            $exception->setExceptionDetails($json["details"]);
            throw $exception;
        }
    }
}',
        'crm/exception/APIExceptionHandler.php' => '<?php
namespace zcrmsdk\crm\exception;
class APIExceptionHandler
{
    public static $logged = array();
    public static function logException(ZCRMException $e)
    {
        self::$logged[] = get_class($e) . " Caused by:\'{$e->getMessage()}\' in {$e->getFile()}({$e->getLine()})";
    }
    public static function getFaultyResponseCodes() { return array(204, 304, 404, 401, 400, 403, 500, 405, 301, 302, 413, 429, 415); }
}',
        // The SDK's class, with the redeclarations PHP 8.1+ rejects at compile time.
        'crm/exception/ZCRMException.php' => '<?php
namespace zcrmsdk\crm\exception;
class ZCRMException extends \Exception
{
    protected $message = "Unknown exception";
    protected $code = 0;
    protected $file;
    protected $line;
    private $exceptionCode = "Unknown";
    private $exceptionDetails = array();
    public function __construct($message = null, $code = 0)
    {
        if (!$message) { throw new $this("Unknown " . get_class($this)); }
        parent::__construct($message, $code);
    }
    public function getExceptionCode() { return $this->exceptionCode; }
    public function setExceptionCode($exceptionCode) { $this->exceptionCode = $exceptionCode; }
    public function getExceptionDetails() { return $this->exceptionDetails; }
    public function setExceptionDetails($exceptionDetails) { $this->exceptionDetails = $exceptionDetails; }
}',
        'oauth/ZohoOAuth.php' => '<?php throw new Error("the SDK\'s ZohoOAuth was loaded");',
        'oauth/utility/ZohoOAuthConstants.php' => '<?php throw new Error("the SDK\'s ZohoOAuthConstants was loaded");',
        'oauth/exception/ZohoOAuthException.php' => '<?php throw new Error("the SDK\'s ZohoOAuthException was loaded");',
    ];
    foreach ($files as $path => $code) {
        @mkdir(dirname("$sdk/$path"), 0777, true);
        file_put_contents("$sdk/$path", $code);
    }
    return $sdk;
}

/** Registers the stand-in's autoloader (Composer's PSR-4 behaviour for zcrmsdk\). */
function sdk_standin_autoload(string $sdk): void
{
    spl_autoload_register(function (string $class) use ($sdk): void {
        if (str_starts_with($class, 'zcrmsdk\\')) {
            $file = $sdk . '/' . str_replace('\\', '/', substr($class, 8)) . '.php';
            if (is_file($file)) {
                require $file;
            }
        }
    }, true, true);
}

/** Starts the stand-in CRM API server (php -S on loopback); returns its "127.0.0.1:port". */
function crm_server_start(string $dir, string $emulatorUrl): string
{
    $router = "$dir/crm_router.php";
    file_put_contents($router, '<?php
$path = parse_url($_SERVER["REQUEST_URI"], PHP_URL_PATH);
header("Content-Type: application/json;charset=UTF-8");
if (preg_match("#^/crm/v\d+/users$#", $path)) {
    $context = stream_context_create(array("http" => array("ignore_errors" => true, "timeout" => 10,
        "header" => "Authorization: " . ($_SERVER["HTTP_AUTHORIZATION"] ?? ""))));
    $body = file_get_contents(getenv("CRM_EMULATOR") . $path, false, $context);
    preg_match("#^HTTP/\S+ (\d+)#", $http_response_header[0], $status);
    http_response_code((int) $status[1]);
    echo $body;
    return;
}
http_response_code(404);
echo json_encode(array("code" => "INVALID_URL_PATTERN", "details" => array(),
    "message" => "Please check if the URL trying to access is a correct one", "status" => "error"));
');
    $probe = stream_socket_server('tcp://127.0.0.1:0');
    $address = stream_socket_get_name($probe, false);
    fclose($probe);
    $env = ['CRM_EMULATOR' => $emulatorUrl, 'PATH' => getenv('PATH')];
    $process = proc_open([PHP_BINARY, '-n', '-S', $address, $router], [1 => ['file', '/dev/null', 'w'], 2 => ['file', '/dev/null', 'w']], $pipes, $dir, $env);
    register_shutdown_function(function () use ($process): void {
        proc_terminate($process);
        proc_close($process);
    });
    $deadline = microtime(true) + 10;
    while (microtime(true) < $deadline) {
        $socket = @stream_socket_client("tcp://$address", $errno, $error, 1);
        if ($socket) {
            fclose($socket);
            return $address;
        }
        usleep(20000);
    }
    throw new RuntimeException("the stand-in CRM server did not start on $address");
}
