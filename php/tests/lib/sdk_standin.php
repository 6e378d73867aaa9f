<?php
/*
 * A stand-in for Zoho's full SDK (zohocrm/php-sdk-archive 2.x), which the tests may not need:
 * a vendor tree (PSR-4 zcrmsdk\ => src/) whose classes have the SDK's CRM-side shapes and call
 * the OAuth classes the way the SDK does, plus a stand-in CRM API server over HTTPS.
 * Checked by hand against zoho/zcrm-php-sdk 2.2.1 (its files and classes named below).
 *
 * - ZCRMRestClient::initialize -> ZCRMConfigUtil::initialize (mandatory keys, current user,
 *   apiBaseUrl/apiVersion defaults) -> ZohoOAuth::initialize.
 * - The CRM path as the SDK's: ZCRMRestClient::getInstance()->getModuleInstance($module)
 *   ->getRecords() (ZCRMModule -> MassEntityAPIHandler -> APIRequest::getBulkAPIResponse()) and
 *   getOrganizationInstance()->getAllUsers() (OrganizationAPIHandler, users?type=AllUsers);
 *   the answer is a BulkAPIResponse whose getData() holds ZCRMRecord / ZCRMUser objects.
 * - APIRequest builds https://<apiBaseUrl>/crm/<apiVersion>/<path> and asks
 *   ZCRMConfigUtil::getAccessToken() (throws ZCRMException "current user should either be set
 *   ..." without a user) -> ZohoOAuth::getClientInstance()->getAccessToken($user); header
 *   "Authorization:Zoho-oauthtoken <token>".
 * - ZohoHTTPConnector talks HTTPS through curl as the SDK's: CURLOPT_HEADER (the reply's headers
 *   come back with the body, split at the first blank line by CommonAPIResponse), user agent
 *   "ZohoCRM PHP SDK", headers as "Key:Value", no CA file of its own (curl's default, i.e.
 *   php.ini's curl.cainfo), peer verification on.
 * - A faulty status (the SDK's list) becomes `new ZCRMException($json['message'], $status)` with
 *   setExceptionCode($json['code']) and setExceptionDetails($json['details']), thrown in
 *   BulkAPIResponse (204: "No Content", code "NO CONTENT"), logged by
 *   APIExceptionHandler::logException and rethrown by the API handler.
 * - src/crm/exception/ZCRMException.php is the SDK's class with its PHP 8.1+ defect (untyped
 *   $file and $line), so loading it is the SDK's fatal error; src/oauth/ holds files that must
 *   never load (the extension's classes win).
 * Where it still differs: only the classes and methods above (a record keeps its fields as
 *   an array; no ZCRMUser details beyond id, e-mail and names); curl gets a 10 s connect and
 *   20 s total timeout (the SDK sets none, which would let a broken test hang); the test hooks
 *   ZCRMConfigUtil::$initializeCalls, $failWith and $reenter, ZohoHTTPConnector::$lastError
 *   (curl's error) and APIExceptionHandler::$logged (instead of the SDK's log file).
 *
 * The CRM server (crm_server_start) speaks only TLS, with a certificate signed by a throwaway
 * CA made at test time (test_ca_make, openssl). The SDK's curl trusts it only through php.ini's
 * curl.cainfo, a system setting: sdk_standin_trust_test_ca() runs the test in a PHP that has it.
 * It answers /crm/vN/users from the accounts emulator's protected resource (which checks the
 * access token: 401 INVALID_TOKEN for a bad one); /crm/vN/<module> checks the token the same way,
 * then answers Leads with two records, Contacts with 204 (empty), any other module with CRM's 400
 * INVALID_MODULE; any other path with CRM's 404 INVALID_URL_PATTERN. It logs every request
 * (method, target, headers) as a JSON line in <dir>/crm_requests.log.
 */

declare(strict_types=1);

/** The stand-in SDK's files, by path under src/. */
function sdk_standin_files(): array
{
    return [
        'crm/setup/restclient/ZCRMRestClient.php' => <<<'PHP'
<?php
namespace zcrmsdk\crm\setup\restclient;
use zcrmsdk\crm\crud\ZCRMModule;
use zcrmsdk\crm\setup\org\ZCRMOrganization;
use zcrmsdk\crm\utility\ZCRMConfigUtil;
class ZCRMRestClient
{
    private static $CurrentUserEmailID;
    private function __construct() {}
    public static function getInstance() { return new ZCRMRestClient(); }
    public static function initialize($configuration) { ZCRMConfigUtil::initialize($configuration); }
    public static function setCurrentUserEmailId($UserEmailId) { self::$CurrentUserEmailID = $UserEmailId; }
    public static function getCurrentUserEmailID() { return self::$CurrentUserEmailID; }
    public function getModuleInstance($moduleAPIName) { return ZCRMModule::getInstance($moduleAPIName); }
    public function getOrganizationInstance() { return ZCRMOrganization::getInstance(); }
}
PHP,
        'crm/crud/ZCRMModule.php' => <<<'PHP'
<?php
namespace zcrmsdk\crm\crud;
use zcrmsdk\crm\api\handler\MassEntityAPIHandler;
class ZCRMModule
{
    private $apiName;
    private function __construct($apiName) { $this->apiName = $apiName; }
    public static function getInstance($apiName) { return new ZCRMModule($apiName); }
    public function getAPIName() { return $this->apiName; }
    public function getRecords($param_map = array(), $header_map = array())
    {
        return MassEntityAPIHandler::getInstance($this)->getRecords($param_map, $header_map);
    }
}
PHP,
        'crm/crud/ZCRMRecord.php' => <<<'PHP'
<?php
namespace zcrmsdk\crm\crud;
class ZCRMRecord
{
    private $moduleApiName;
    private $entityId;
    private $fieldNameVsValue = array();
    private function __construct($module, $entityId) { $this->moduleApiName = $module; $this->entityId = $entityId; }
    public static function getInstance($module, $entityId) { return new ZCRMRecord($module, $entityId); }
    public function getEntityId() { return $this->entityId; }
    public function getModuleApiName() { return $this->moduleApiName; }
    public function getFieldValue($apiName) { return isset($this->fieldNameVsValue[$apiName]) ? $this->fieldNameVsValue[$apiName] : null; }
    public function setFieldValue($apiName, $value) { $this->fieldNameVsValue[$apiName] = $value; }
    public function getData() { return $this->fieldNameVsValue; }
}
PHP,
        'crm/setup/org/ZCRMOrganization.php' => <<<'PHP'
<?php
namespace zcrmsdk\crm\setup\org;
use zcrmsdk\crm\api\handler\OrganizationAPIHandler;
class ZCRMOrganization
{
    public static function getInstance($orgName = null, $orgId = null) { return new ZCRMOrganization(); }
    public function getAllUsers($param_map = array(), $header_map = array())
    {
        return OrganizationAPIHandler::getInstance()->getAllUsers($param_map, $header_map);
    }
}
PHP,
        'crm/setup/users/ZCRMUser.php' => <<<'PHP'
<?php
namespace zcrmsdk\crm\setup\users;
class ZCRMUser
{
    private $id;
    private $name;
    private $email;
    private function __construct($id, $name) { $this->id = $id; $this->name = $name; }
    public static function getInstance($id = null, $name = null) { return new ZCRMUser($id, $name); }
    public function getId() { return $this->id; }
    public function getName() { return $this->name; }
    public function getEmail() { return $this->email; }
    public function setEmail($email) { $this->email = $email; }
}
PHP,
        'crm/api/handler/APIHandler.php' => <<<'PHP'
<?php
namespace zcrmsdk\crm\api\handler;
class APIHandler
{
    protected $requestMethod = null;
    protected $urlPath = null;
    protected $requestHeaders = null;
    protected $requestParams = null;
    protected $requestBody = null;
    protected $apiKey = null;
    protected $isBulk = false;
    public function getRequestMethod() { return $this->requestMethod; }
    public function getUrlPath() { return $this->urlPath; }
    public function getRequestHeaders() { return $this->requestHeaders; }
    public function getRequestBody() { return $this->requestBody; }
    public function getRequestParams() { return $this->requestParams; }
    public function getApiKey() { return $this->apiKey; }
    public function isBulk() { return $this->isBulk; }
    public function addParam($key, $value)
    {
        if (!isset($this->requestParams[$key])) {
            $this->requestParams[$key] = array($value);
        } else {
            $this->requestParams[$key][] = $value;
        }
    }
    public function addHeader($key, $value) { $this->requestHeaders[$key] = $value; }
}
PHP,
        'crm/api/handler/MassEntityAPIHandler.php' => <<<'PHP'
<?php
namespace zcrmsdk\crm\api\handler;
use zcrmsdk\crm\api\APIRequest;
use zcrmsdk\crm\crud\ZCRMRecord;
use zcrmsdk\crm\exception\APIExceptionHandler;
use zcrmsdk\crm\exception\ZCRMException;
use zcrmsdk\crm\utility\APIConstants;
class MassEntityAPIHandler extends APIHandler
{
    private $module;
    private function __construct($moduleInstance) { $this->module = $moduleInstance; }
    public static function getInstance($moduleInstance) { return new MassEntityAPIHandler($moduleInstance); }
    public function getRecords($param_map, $header_map)
    {
        try {
            $this->urlPath = $this->module->getAPIName();
            $this->requestMethod = APIConstants::REQUEST_METHOD_GET;
            foreach ($param_map as $key => $value) { if ($value !== null) { $this->addParam($key, $value); } }
            foreach ($header_map as $key => $value) { if ($value !== null) { $this->addHeader($key, $value); } }
            $this->addHeader("Content-Type", "application/json");
            $responseInstance = APIRequest::getInstance($this)->getBulkAPIResponse();
            $responseJSON = $responseInstance->getResponseJSON();
            $recordsList = array();
            foreach ($responseJSON["data"] as $record) {
                $recordInstance = ZCRMRecord::getInstance($this->module->getAPIName(), $record["id"]);
                foreach ($record as $field => $value) { if ($field !== "id") { $recordInstance->setFieldValue($field, $value); } }
                array_push($recordsList, $recordInstance);
            }
            $responseInstance->setData($recordsList);
            return $responseInstance;
        } catch (ZCRMException $exception) {
            APIExceptionHandler::logException($exception);
            throw $exception;
        }
    }
}
PHP,
        'crm/api/handler/OrganizationAPIHandler.php' => <<<'PHP'
<?php
namespace zcrmsdk\crm\api\handler;
use zcrmsdk\crm\api\APIRequest;
use zcrmsdk\crm\exception\APIExceptionHandler;
use zcrmsdk\crm\exception\ZCRMException;
use zcrmsdk\crm\setup\users\ZCRMUser;
use zcrmsdk\crm\utility\APIConstants;
class OrganizationAPIHandler extends APIHandler
{
    private function __construct() {}
    public static function getInstance() { return new OrganizationAPIHandler(); }
    public function getAllUsers($param_map, $header_map) { return self::getUsers($param_map, $header_map, 'AllUsers'); }
    public function getUsers($param_map, $header_map, $type)
    {
        try {
            $this->urlPath = "users";
            $this->requestMethod = APIConstants::REQUEST_METHOD_GET;
            foreach ($param_map as $key => $value) { if ($value != null) { $this->addParam($key, $value); } }
            foreach ($header_map as $key => $value) { if ($value != null) { $this->addHeader($key, $value); } }
            if ($type != null) { $this->addParam('type', $type); }
            $this->addHeader("Content-Type", "application/json");
            $responseInstance = APIRequest::getInstance($this)->getBulkAPIResponse();
            $users = array();
            foreach ($responseInstance->getResponseJSON()['users'] as $user) {
                $userInstance = ZCRMUser::getInstance($user['id'], $user['full_name']);
                $userInstance->setEmail($user['email']);
                array_push($users, $userInstance);
            }
            $responseInstance->setData($users);
            return $responseInstance;
        } catch (ZCRMException $exception) {
            APIExceptionHandler::logException($exception);
            throw $exception;
        }
    }
}
PHP,
        'crm/api/APIRequest.php' => <<<'PHP'
<?php
namespace zcrmsdk\crm\api;
use zcrmsdk\crm\api\response\BulkAPIResponse;
use zcrmsdk\crm\utility\APIConstants;
use zcrmsdk\crm\utility\ZCRMConfigUtil;
use zcrmsdk\crm\utility\ZohoHTTPConnector;
class APIRequest
{
    private $url = null;
    private $requestParams = array();
    private $requestHeaders = array();
    private $requestMethod;
    private function __construct($apiHandler)
    {
        $this->url = ZCRMConfigUtil::getAPIBaseUrl() . "/crm/" . ZCRMConfigUtil::getAPIVersion() . "/";
        $this->url = str_replace(PHP_EOL, '', $this->url) . $apiHandler->getUrlPath();
        if (substr($apiHandler->getUrlPath(), 0, 4) !== "http") {
            $this->url = "https://" . $this->url;
        }
        $this->requestParams = $apiHandler->getRequestParams();
        $this->requestHeaders = $apiHandler->getRequestHeaders();
        $this->requestMethod = $apiHandler->getRequestMethod();
    }
    public static function getInstance($apiHandler) { return new APIRequest($apiHandler); }
    private function authenticateRequest()
    {
        $accessToken = (new ZCRMConfigUtil())->getAccessToken();
        $this->requestHeaders[APIConstants::AUTHORIZATION] = APIConstants::OAUTH_HEADER_PREFIX . $accessToken;
    }
    public function getBulkAPIResponse()
    {
        $connector = ZohoHTTPConnector::getInstance();
        $connector->setUrl($this->url);
        self::authenticateRequest();
        $connector->setRequestHeadersMap($this->requestHeaders);
        $connector->setRequestParamsMap($this->requestParams);
        $connector->setRequestType($this->requestMethod);
        $response = $connector->fireRequest();
        return new BulkAPIResponse($response[0], $response[1][APIConstants::HTTP_CODE]);
    }
    public function getUrl() { return $this->url; }
}
PHP,
        'crm/utility/ZohoHTTPConnector.php' => <<<'PHP'
<?php
namespace zcrmsdk\crm\utility;
class ZohoHTTPConnector
{
    private $url = null;
    private $requestParams = array();
    private $requestHeaders = array();
    private $requestType = APIConstants::REQUEST_METHOD_GET;
    private $userAgent = "ZohoCRM PHP SDK";
    private function __construct() {}
    public static function getInstance() { return new ZohoHTTPConnector(); }
    public function fireRequest()
    {
        $curl_pointer = curl_init();
        if (is_array($this->requestParams) && count($this->requestParams) > 0) {
            curl_setopt($curl_pointer, CURLOPT_URL, $this->url . "?" . self::getUrlParamsAsString($this->requestParams));
        } else {
            curl_setopt($curl_pointer, CURLOPT_URL, $this->url);
        }
        curl_setopt($curl_pointer, CURLOPT_RETURNTRANSFER, true);
        curl_setopt($curl_pointer, CURLOPT_HEADER, 1);
        curl_setopt($curl_pointer, CURLOPT_USERAGENT, $this->userAgent);
        curl_setopt($curl_pointer, CURLOPT_HTTPHEADER, self::getRequestHeadersAsArray());
        curl_setopt($curl_pointer, CURLOPT_CUSTOMREQUEST, APIConstants::REQUEST_METHOD_GET);
        curl_setopt($curl_pointer, CURLOPT_CONNECTTIMEOUT, 10);     // stand-in only: the SDK sets no timeout
        curl_setopt($curl_pointer, CURLOPT_TIMEOUT, 20);
        $result = curl_exec($curl_pointer);
        $responseInfo = curl_getinfo($curl_pointer);
        self::$lastError = curl_error($curl_pointer);          // stand-in only
        curl_close($curl_pointer);
        return array($result, $responseInfo);
    }
    /** Stand-in only: curl's error of the last request, for the tests' messages. */
    public static $lastError = '';
    public function setUrl($url) { $this->url = $url; }
    public function setRequestHeadersMap($headers) { $this->requestHeaders = $headers; }
    public function setRequestParamsMap($params) { $this->requestParams = $params; }
    public function setRequestType($type) { $this->requestType = $type; }
    public function getUrlParamsAsString($urlParams)
    {
        $params_as_string = "";
        foreach ($urlParams as $key => $valueArray) {
            foreach ($valueArray as $value) {
                $params_as_string = $params_as_string . $key . "=" . urlencode($value) . "&";
            }
        }
        return str_replace(PHP_EOL, '', rtrim($params_as_string, "&"));
    }
    public function getRequestHeadersAsArray()
    {
        $headersArray = array();
        foreach ((array) $this->requestHeaders as $key => $value) {
            $headersArray[] = $key . ":" . $value;
        }
        return $headersArray;
    }
}
PHP,
        'crm/utility/APIConstants.php' => <<<'PHP'
<?php
namespace zcrmsdk\crm\utility;
class APIConstants
{
    const REQUEST_METHOD_GET = "GET";
    const OAUTH_HEADER_PREFIX = "Zoho-oauthtoken ";
    const AUTHORIZATION = "Authorization";
    const MESSAGE = "message";
    const CODE = "code";
    const DATA = "data";
    const DETAILS = "details";
    const INFO = "info";
    const HTTP_CODE = "http_code";
    const RESPONSECODE_OK = 200;
    const RESPONSECODE_CREATED = 201;
    const RESPONSECODE_ACCEPTED = 202;
    const RESPONSECODE_NO_CONTENT = 204;
    const RESPONSECODE_NOT_MODIFIED = 304;
    const CURRENT_USER_EMAIL = "currentUserEmail";
    const API_BASE_URL = "apiBaseUrl";
    const API_VERSION = "apiVersion";
}
PHP,
        'crm/utility/ZCRMConfigUtil.php' => <<<'PHP'
<?php
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
        if (array_key_exists(APIConstants::CURRENT_USER_EMAIL, $configuration) && $configuration[APIConstants::CURRENT_USER_EMAIL] != "") {
            ZCRMRestClient::setCurrentUserEmailId($configuration[APIConstants::CURRENT_USER_EMAIL]);
        }
        if (!array_key_exists(APIConstants::API_BASE_URL, $configuration)) { self::$configProperties[APIConstants::API_BASE_URL] = "www.zohoapis.com"; }
        if (!array_key_exists(APIConstants::API_VERSION, $configuration)) { self::$configProperties[APIConstants::API_VERSION] = "v2"; }
        foreach (array(APIConstants::CURRENT_USER_EMAIL, APIConstants::API_BASE_URL, APIConstants::API_VERSION) as $key) {
            if (array_key_exists($key, $configuration)) { self::$configProperties[$key] = $configuration[$key]; }
        }
        ZohoOAuth::initialize($configuration);
    }
    public static function getConfigValue($key) { return isset(self::$configProperties[$key]) ? self::$configProperties[$key] : ''; }
    public static function getAPIBaseUrl() { return self::getConfigValue(APIConstants::API_BASE_URL); }
    public static function getAPIVersion() { return self::getConfigValue(APIConstants::API_VERSION); }
    public static function getAccessToken()
    {
        $currentUserEmail = ZCRMRestClient::getCurrentUserEmailID();
        if ($currentUserEmail == null && self::getConfigValue(APIConstants::CURRENT_USER_EMAIL) == null) {
            throw new ZCRMException("current user should either be set in ZCRMRestClient or in configuration map");
        } elseif ($currentUserEmail == null) {
            $currentUserEmail = self::getConfigValue(APIConstants::CURRENT_USER_EMAIL);
        }
        return ZohoOAuth::getClientInstance()->getAccessToken($currentUserEmail);
    }
}
PHP,
        'crm/api/response/CommonAPIResponse.php' => <<<'PHP'
<?php
namespace zcrmsdk\crm\api\response;
use zcrmsdk\crm\exception\APIExceptionHandler;
use zcrmsdk\crm\utility\APIConstants;
class CommonAPIResponse
{
    private $httpStatusCode = null;
    private $responseJSON = null;
    private $responseHeaders = null;
    private $response = null;
    public function __construct($response, $httpStatusCode)
    {
        $this->response = $response;
        $this->httpStatusCode = $httpStatusCode;
        $this->setResponseJSON();
        $this->processResponse();
    }
    public function processResponse()
    {
        if (in_array($this->httpStatusCode, APIExceptionHandler::getFaultyResponseCodes())) {
            $this->handleForFaultyResponses();
        } elseif (in_array($this->httpStatusCode, array(APIConstants::RESPONSECODE_ACCEPTED, APIConstants::RESPONSECODE_OK, APIConstants::RESPONSECODE_CREATED))) {
            $this->processResponseData();
        }
    }
    public function handleForFaultyResponses() { return; }
    public function processResponseData() { return; }
    public function setResponseJSON()
    {
        if ($this->httpStatusCode == APIConstants::RESPONSECODE_NO_CONTENT || $this->httpStatusCode == APIConstants::RESPONSECODE_NOT_MODIFIED) {
            $this->responseJSON = array();
            $this->responseHeaders = array();
            return;
        }
        list($headers, $content) = explode("\r\n\r\n", (string) $this->response, 2) + array('', '');
        $headerMap = array();
        foreach (explode("\r\n", $headers, 50) as $line) {
            if (strpos($line, ":") != false) {
                $headerMap[substr($line, 0, strpos($line, ":"))] = trim(substr($line, strpos($line, ":") + 1));
            }
        }
        $this->responseJSON = json_decode($content, true);
        $this->responseHeaders = $headerMap;
    }
    public function getHttpStatusCode() { return $this->httpStatusCode; }
    public function getResponseJSON() { return $this->responseJSON; }
    public function getResponseHeaders() { return $this->responseHeaders; }
}
PHP,
        'crm/api/response/BulkAPIResponse.php' => <<<'PHP'
<?php
namespace zcrmsdk\crm\api\response;
use zcrmsdk\crm\exception\APIExceptionHandler;
use zcrmsdk\crm\exception\ZCRMException;
use zcrmsdk\crm\utility\APIConstants;
class BulkAPIResponse extends CommonAPIResponse
{
    private $bulkData = null;
    private $info = null;
    public function __construct($httpResponse, $httpStatusCode)
    {
        parent::__construct($httpResponse, $httpStatusCode);
        $json = $this->getResponseJSON();
        if (is_array($json) && array_key_exists(APIConstants::INFO, $json)) { $this->info = $json[APIConstants::INFO]; }
    }
    public function handleForFaultyResponses()
    {
        $statusCode = self::getHttpStatusCode();
        if ($statusCode == APIConstants::RESPONSECODE_NO_CONTENT) {
            $exception = new ZCRMException("No Content", $statusCode);
            $exception->setExceptionCode("NO CONTENT");
            throw $exception;
        }
        $responseJSON = $this->getResponseJSON();
        $exception = new ZCRMException($responseJSON[APIConstants::MESSAGE], $statusCode);
        $exception->setExceptionCode($responseJSON[APIConstants::CODE]);
        $exception->setExceptionDetails($responseJSON[APIConstants::DETAILS]);
        throw $exception;
    }
    public function getData() { return $this->bulkData; }
    public function setData($bulkData) { $this->bulkData = $bulkData; }
    public function getInfo() { return $this->info; }
}
PHP,
        'crm/exception/APIExceptionHandler.php' => <<<'PHP'
<?php
namespace zcrmsdk\crm\exception;
class APIExceptionHandler
{
    public static $logged = array();
    public static function logException(ZCRMException $e)
    {
        self::$logged[] = get_class($e) . " Caused by:'{$e->getMessage()}' in {$e->getFile()}({$e->getLine()})";
    }
    public static function getFaultyResponseCodes() { return array(204, 304, 404, 401, 400, 403, 500, 405, 301, 302, 413, 429, 415); }
}
PHP,
        // The SDK's class, with the redeclarations PHP 8.1+ rejects at compile time.
        'crm/exception/ZCRMException.php' => <<<'PHP'
<?php
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
}
PHP,
        'oauth/ZohoOAuth.php' => '<?php throw new Error("the SDK\'s ZohoOAuth was loaded");',
        'oauth/utility/ZohoOAuthConstants.php' => '<?php throw new Error("the SDK\'s ZohoOAuthConstants was loaded");',
        'oauth/exception/ZohoOAuthException.php' => '<?php throw new Error("the SDK\'s ZohoOAuthException was loaded");',
    ];
}

/** Writes the stand-in SDK under $dir/vendor/zohocrm/php-sdk-archive/src and returns that path. */
function sdk_standin_write(string $dir): string
{
    $sdk = "$dir/vendor/zohocrm/php-sdk-archive/src";
    foreach (sdk_standin_files() as $path => $code) {
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

/**
 * A throwaway certificate authority in $dir (ca.pem, ca.key) and a server certificate it
 * signed for 127.0.0.1 and localhost (server.pem, server.key), valid for two days.
 */
function test_ca_make(string $dir): void
{
    $ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
    file_put_contents("$dir/server.ext", "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n");
    $steps = [
        array_merge(['openssl', 'req', '-x509'], $ec, ['-keyout', "$dir/ca.key", '-out', "$dir/ca.pem", '-days', '2',
            '-subj', '/CN=zoho-oauth throwaway test CA', '-addext', 'basicConstraints=critical,CA:TRUE',
            '-addext', 'keyUsage=critical,keyCertSign,cRLSign']),
        array_merge(['openssl', 'req'], $ec, ['-keyout', "$dir/server.key", '-out', "$dir/server.csr", '-subj', '/CN=127.0.0.1']),
        ['openssl', 'x509', '-req', '-in', "$dir/server.csr", '-CA', "$dir/ca.pem", '-CAkey', "$dir/ca.key",
            '-CAcreateserial', '-out', "$dir/server.pem", '-days', '2', '-extfile', "$dir/server.ext"],
    ];
    foreach ($steps as $command) {
        $proc = proc_open($command, [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
        $output = stream_get_contents($pipes[1]) . stream_get_contents($pipes[2]);
        if (!is_resource($proc) || proc_close($proc) !== 0) {
            throw new RuntimeException('openssl could not make the test CA: ' . $output);
        }
    }
}

/**
 * Runs the calling test where the SDK's curl trusts a throwaway test CA. The SDK names no CA
 * file, so curl trusts what php.ini's curl.cainfo names, a system setting (no ini_set()): the
 * first call makes the CA, runs the test's script again in a PHP whose curl.cainfo is that CA
 * (the same extension and ini settings), prints what it prints and exits with its status. In
 * that run it returns the CA's directory. Call it before anything else, output included.
 */
function sdk_standin_trust_test_ca(): string
{
    $dir = (string) getenv('ZOHO_TEST_CA_DIR');
    if ($dir !== '' && ini_get('curl.cainfo') === "$dir/ca.pem") {
        return $dir;
    }
    $dir = temp_dir('test-ca');
    test_ca_make($dir);
    $command = [PHP_BINARY];
    if (php_ini_loaded_file() === false) {
        array_push($command, '-n', '-d', 'extension=curl');
    }
    if (extension_loaded('zoho_oauth') && getenv('ZOHO_OAUTH_EXT')) {
        array_push($command, '-d', 'extension=' . getenv('ZOHO_OAUTH_EXT'));
    }
    $ini = ['curl.cainfo' => "$dir/ca.pem"] + (ini_get_all('zoho_oauth', false) ?: []);
    foreach (['display_errors', 'error_reporting', 'html_errors', 'log_errors', 'zend.exception_ignore_args'] as $key) {
        $ini[$key] = (string) ini_get($key);
    }
    foreach ($ini as $key => $value) {
        array_push($command, '-d', "$key=$value");
    }
    $command[] = get_included_files()[0];
    $env = getenv();
    $env['ZOHO_TEST_CA_DIR'] = $dir;
    $proc = proc_open($command, [0 => ['file', '/dev/null', 'r'], 1 => STDOUT, 2 => STDERR], $pipes, null, $env);
    exit(is_resource($proc) ? proc_close($proc) : 2);
}

/**
 * Starts the stand-in CRM API server over HTTPS (certificate of the test CA in $caDir) and
 * returns its "127.0.0.1:port"; it logs requests to $dir/crm_requests.log and stops when this
 * process ends.
 */
function crm_server_start(string $dir, string $emulatorUrl, string $caDir): string
{
    $server = "$dir/crm_server.php";
    file_put_contents($server, <<<'PHP'
<?php
// The stand-in CRM API over HTTPS: one request per connection; stops when its stdin closes.
[, $cert, $key, $emulator, $log] = $argv;
ini_set('default_socket_timeout', '5');
$context = stream_context_create(['ssl' => ['local_cert' => $cert, 'local_pk' => $key]]);
$server = stream_socket_server('tls://127.0.0.1:0', $errno, $error, STREAM_SERVER_BIND | STREAM_SERVER_LISTEN, $context);
if ($server === false) {
    fwrite(STDERR, "cannot listen: $error\n");
    exit(1);
}
echo stream_socket_get_name($server, false), "\n";
$reply = function ($client, int $status, ?array $json): void {
    $body = $json === null ? '' : json_encode($json);
    $reason = [200 => 'OK', 204 => 'No Content', 400 => 'Bad Request', 401 => 'Unauthorized', 404 => 'Not Found'][$status] ?? 'Error';
    fwrite($client, "HTTP/1.1 $status $reason\r\nContent-Type: application/json;charset=UTF-8\r\n"
        . "Content-Length: " . strlen($body) . "\r\nConnection: close\r\n\r\n$body");
};
$records = ['Leads' => [['id' => '4150868000000224005', 'Last_Name' => 'Lovelace', 'Email' => 'ada@example.com'],
    ['id' => '4150868000000224006', 'Last_Name' => 'Hopper', 'Email' => 'grace@example.com']], 'Contacts' => []];
while (true) {
    $read = [$server, STDIN];
    $none = null;
    if (!stream_select($read, $none, $none, 60)) {
        continue;
    }
    if (in_array(STDIN, $read, true) && fread(STDIN, 1) === '' && feof(STDIN)) {
        exit(0);
    }
    if (!in_array($server, $read, true) || !($client = @stream_socket_accept($server, 5))) {
        continue;                                   // e.g. a client that refused the certificate
    }
    stream_set_timeout($client, 5);
    $head = '';
    while (!str_contains($head, "\r\n\r\n") && ($line = fgets($client)) !== false) {
        $head .= $line;
    }
    $lines = explode("\r\n", trim($head));
    [$method, $target] = explode(' ', array_shift($lines) . '  ');
    $headers = [];
    foreach ($lines as $line) {
        if (($colon = strpos($line, ':')) > 0) {
            $headers[strtolower(substr($line, 0, $colon))] = trim(substr($line, $colon + 1));
        }
    }
    file_put_contents($log, json_encode(['method' => $method, 'target' => $target, 'headers' => $headers]) . "\n", FILE_APPEND);
    $path = (string) parse_url($target, PHP_URL_PATH);
    if (!preg_match('#^/crm/v(\d+)/([A-Za-z_]+)$#', $path, $m)) {
        $reply($client, 404, ['code' => 'INVALID_URL_PATTERN', 'details' => [],
            'message' => 'Please check if the URL trying to access is a correct one', 'status' => 'error']);
    } else {
        $check = stream_context_create(['http' => ['ignore_errors' => true, 'timeout' => 10,
            'header' => 'Authorization: ' . ($headers['authorization'] ?? '')]]);
        $body = (string) @file_get_contents("$emulator/crm/v{$m[1]}/users", false, $check);
        $status = (int) (preg_match('#^HTTP/\S+ (\d+)#', $http_response_header[0] ?? '', $s) ? $s[1] : 502);
        if ($status !== 200 || $m[2] === 'users') {
            $reply($client, $status, json_decode($body, true));
        } elseif (!isset($records[$m[2]])) {
            $reply($client, 400, ['code' => 'INVALID_MODULE', 'details' => ['resource_path_index' => 0],
                'message' => 'the module name given seems to be invalid', 'status' => 'error']);
        } elseif ($records[$m[2]] === []) {
            $reply($client, 204, null);
        } else {
            $reply($client, 200, ['data' => $records[$m[2]],
                'info' => ['per_page' => 200, 'count' => count($records[$m[2]]), 'page' => 1, 'more_records' => false]]);
        }
    }
    fclose($client);
}
PHP);
    $log = "$dir/crm_requests.log";
    $process = proc_open([PHP_BINARY, '-n', $server, "$caDir/server.pem", "$caDir/server.key", $emulatorUrl, $log],
        [0 => ['pipe', 'r'], 1 => ['pipe', 'w'], 2 => ['file', "$dir/crm_server.err", 'a']], $pipes, $dir);
    register_shutdown_function(function () use ($process, $pipes): void {
        @fclose($pipes[0]);
        proc_terminate($process);
        proc_close($process);
    });
    $read = [$pipes[1]];
    $none = null;
    $address = stream_select($read, $none, $none, 10) ? trim((string) fgets($pipes[1])) : '';
    if (!preg_match('/^127\.0\.0\.1:\d+$/', $address)) {
        throw new RuntimeException('the stand-in CRM server did not start: ' . @file_get_contents("$dir/crm_server.err"));
    }
    return $address;
}

/** The requests the stand-in CRM server has received: [method, target, headers] each. */
function crm_requests(string $dir): array
{
    $lines = @file("$dir/crm_requests.log", FILE_IGNORE_NEW_LINES) ?: [];
    return array_map(fn(string $line) => json_decode($line, true), $lines);
}
