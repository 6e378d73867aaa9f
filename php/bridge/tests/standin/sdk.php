<?php
/*
 * A stand-in for the auth layer of Zoho's current PHP SDK (zohocrm/php-sdk-8.0, SDK 5.0.0; the
 * same in 5.0-7.0), written from the reference notes on Zoho's current SDK (§1) and checked by
 * hand against zohocrm/php-sdk-8.0 (no code of it is copied, and no test needs it). Faithful
 * where our bridge depends on it: the namespaces, the Token and TokenStore interfaces, OAuthToken's constructor, getters, setters and
 * getToken() flow (find or findById, 5 s margin, refresh or grant exchange, saveToken; no lock,
 * no retry), OAuthBuilder, the Initializer calling generateToken() eagerly and authenticate()
 * per request, and FileStore's CSV (10 columns, implode without quoting, str_getcsv, header
 * written once, 9-column legacy files converted, max(id)+1, no lock).
 * DBStore: mysqli, a new connection per call, the UPDATE's SET built by concatenation and its
 * WHERE bound, INSERT ... ON DUPLICATE KEY UPDATE, max(id)+1 ids, no transaction, no lock.
 * Also as the SDK (checked against zohocrm/php-sdk-8.0 5.0.0): SDKException (getMessage() is the
 * message argument, "" when there is none; getCode() 0; getErrorCode(), getErrorMessage() (the
 * cause's message when there is none), getCause(), getDetails()); Initializer keeps
 * initializers in $LOCAL by environment URL, so on a second initialize() or a switchUser()
 * the token's generateToken() gets the *previous* initializer (and its store) from
 * getInitializer(), and initialize() rethrows an SDKException unchanged but wraps any other
 * exception in one with an empty getMessage(); Environment takes three arguments;
 * DataCenter::get() maps the SDK's API and accounts URLs and codes to environments; getToken()
 * takes a token found by id as the token to refresh (with *its* client keys), checks a token
 * with a user name that a store did not find has a grant or refresh token (checkTokenDetails),
 * switches the Initializer's environment by the token's API domain (after setting an empty
 * domain to the environment's URL), stores a bare access token (no expiry, no id) as it is, and
 * wraps a failed save in SDKException("Exception in saving tokens : ").
 * Where it still differs: no CRM API calls (findUser's users lookup is skipped); the token
 * request goes through PHP streams with a 10 s timeout, form-encoded, its JSON read from the
 * body (the SDK uses curl with CURLOPT_HEADER and no timeout, sends the values unencoded and
 * reads the last line of headers and body; the accounts server here is the emulator over plain
 * HTTP, so no TLS is involved; the archived SDK's stand-in, php/tests/lib/sdk_standin.php, has
 * the curl and HTTPS path); the reply's api_domain is always applied (the SDK's default,
 * updateAPIDomain(true)); no SDKConfig, logger, resource path or JSON details file (the SDK
 * reads its 2.4 MB JSON resource on the first initialize of each process); only the US and EU
 * data centres have environment classes (DataCenter::get() knows all eight and returns null
 * for the others, which then keep the Initializer's environment); revoke() posts the stored
 * refresh token found by id.
 */

namespace com\zoho\crm\api\exception {
    class SDKException extends \Exception
    {
        private $_message;
        private $_code = 0;
        private $_cause;
        private $_details;

        public function __construct($code, $message, $details = null, ?\Exception $cause = null)
        {
            $this->_code = $code;
            $this->_message = $message;
            $this->_cause = $cause;
            $this->_details = $details;
            if (!$message && $cause != null) {
                $this->_message = $cause->getMessage();
            }
            parent::__construct(is_null($message) ? "" : (string) $message);
        }

        public function getErrorCode() { return $this->_code; }

        public function getErrorMessage() { return $this->_message; }

        public function getCause() { return $this->_cause; }

        public function getDetails() { return $this->_details; }

        public function __toString()
        {
            $text = get_class($this) . " Caused by : ";
            return $text . ($this->_code != null ? $this->_code . " - " . $this->_message : $this->_message);
        }
    }
}

namespace com\zoho\crm\api\util {
    class APIHTTPConnector
    {
        private array $headers = [];

        public function addHeader($name, $value) { $this->headers[$name] = $value; }

        public function getHeaders() { return $this->headers; }
    }
}

namespace com\zoho\crm\api {
    use com\zoho\api\authenticator\Token;
    use com\zoho\api\authenticator\store\FileStore;
    use com\zoho\api\authenticator\store\TokenStore;
    use com\zoho\crm\api\dc\Environment;
    use com\zoho\crm\api\exception\SDKException;
    use com\zoho\crm\api\util\APIHTTPConnector;

    class UserSignature
    {
        private $name;

        public function __construct($name) { $this->name = $name; }

        public function getName() { return $this->name; }
    }

    class Initializer
    {
        public static $LOCAL = array();
        private static $initializer = null;
        private $environment;
        private $store;
        private $token;

        public static function initialize($environment, $token, $store = null, $sdkConfig = null, $resourcePath = null, $logger = null, $proxy = null)
        {
            try {
                $initializer = new Initializer();
                $initializer->environment = $environment;
                $initializer->token = $token;
                $initializer->store = $store;
                self::$initializer = $initializer;
                if ($token != null) {
                    $token->generateToken();             // eagerly, as the SDK does
                }
                self::$LOCAL[self::getEncodedKey()] = $initializer;
            } catch (SDKException $e) {
                throw $e;
            } catch (\Exception $e) {
                throw new SDKException("Exception in initialization : ", null, null, $e);
            }
        }

        public static function switchUser($environment, $token, $sdkConfig = null, $proxy = null)
        {
            $initializer = new Initializer();
            $initializer->environment = $environment;
            $initializer->store = self::$initializer->store;
            $initializer->token = $token;
            if ($token != null) {
                $token->generateToken();
            }
            self::$LOCAL[self::getEncodedKey()] = $initializer;
            self::$initializer = $initializer;
        }

        /** The SDK's: the one kept in $LOCAL under the current environment's URL, else the last made. */
        public static function getInitializer()
        {
            if (!empty(self::$LOCAL) && self::$initializer !== null && array_key_exists(self::getEncodedKey(), self::$LOCAL)) {
                return self::$LOCAL[self::getEncodedKey()];
            }
            return self::$initializer;
        }

        /** The SDK's key: it reads the token of a new Initializer (always null), so it is the environment's URL. */
        public static function getEncodedKey()
        {
            return base64_encode(self::$initializer->getEnvironment()->getUrl());
        }

        public function getEnvironment() { return $this->environment; }

        public function getStore() { return $this->store; }

        public function getToken() { return $this->token; }

        /** What CommonAPIHandler does before every API request; returns the headers. */
        public static function authenticateRequest(): array
        {
            $connector = new APIHTTPConnector();
            self::getInitializer()->getToken()->authenticate($connector);
            return $connector->getHeaders();
        }
    }

    class InitializeBuilder
    {
        private $environment;
        private $token;
        private $store;

        public function environment(Environment $environment) { $this->environment = $environment; return $this; }

        public function token(Token $token) { $this->token = $token; return $this; }

        public function store(TokenStore $store) { $this->store = $store; return $this; }

        public function initialize()
        {
            $store = $this->store ?? new FileStore(getcwd() . DIRECTORY_SEPARATOR . 'sdk_tokens.txt');
            Initializer::initialize($this->environment, $this->token, $store);
        }
    }
}

namespace com\zoho\crm\api\dc {
    class Environment
    {
        public $url = null;
        public $accountUrl = null;
        public $fileUploadUrl = null;

        public function __construct($url, $accountUrl, $fileUploadUrl)
        {
            [$this->url, $this->accountUrl, $this->fileUploadUrl] = [$url, $accountUrl, $fileUploadUrl];
        }

        public function getUrl() { return $this->url; }

        public function getAccountsUrl() { return $this->accountUrl; }

        public function getFileUploadUrl() { return $this->fileUploadUrl; }
    }

    abstract class DataCenter
    {
        /** The SDK's Constants::*_DATACENTER: API URLs (production, sandbox, developer), accounts URL, code. */
        const DATACENTERS = [
            'us' => ['https://www.zohoapis.com', 'https://sandbox.zohoapis.com', 'https://developer.zohoapis.com', 'https://accounts.zoho.com/oauth/v2/token', 'us'],
            'eu' => ['https://www.zohoapis.eu', 'https://sandbox.zohoapis.eu', 'https://developer.zohoapis.eu', 'https://accounts.zoho.eu/oauth/v2/token', 'eu'],
            'in' => ['https://www.zohoapis.in', 'https://sandbox.zohoapis.in', 'https://developer.zohoapis.in', 'https://accounts.zoho.in/oauth/v2/token', 'in'],
            'cn' => ['https://www.zohoapis.com.cn', 'https://sandbox.zohoapis.com.cn', 'https://developer.zohoapis.com.cn', 'https://accounts.zoho.com.cn/oauth/v2/token', 'cn'],
            'au' => ['https://www.zohoapis.com.au', 'https://sandbox.zohoapis.com.au', 'https://developer.zohoapis.com.au', 'https://accounts.zoho.com.au/oauth/v2/token', 'au'],
            'jp' => ['https://www.zohoapis.jp', 'https://sandbox.zohoapis.jp', 'https://developer.zohoapis.jp', 'https://accounts.zoho.jp/oauth/v2/token', 'jp'],
            'ca' => ['https://www.zohoapis.ca', 'https://sandbox.zohoapis.ca', 'https://developer.zohoapis.ca', 'https://accounts.zohocloud.ca/oauth/v2/token', 'ca'],
            'sa' => ['https://www.zohoapis.sa', 'https://sandbox.zohoapis.sa', 'https://developer.zohoapis.sa', 'https://accounts.zoho.sa/oauth/v2/token', 'sa'],
        ];

        public static function setEnvironment($url, $accountUrl, $fileUploadUrl)
        {
            return new Environment($url, $accountUrl, $fileUploadUrl);
        }

        /** The SDK's DataCenter::get(): an API or accounts URL or a code to its environment, else null. */
        public static function get($config)
        {
            $classes = ['us' => USDataCenter::class, 'eu' => EUDataCenter::class];
            foreach (self::DATACENTERS as $code => $known) {
                if (!in_array($config, $known)) {
                    continue;
                }
                if (!isset($classes[$code])) {
                    return null;                                // stand-in: no class for this data centre
                }
                if (strpos($config, 'sandbox') !== false) {
                    return $classes[$code]::SANDBOX();
                }
                return strpos($config, 'developer') !== false ? $classes[$code]::DEVELOPER() : $classes[$code]::PRODUCTION();
            }
            return null;
        }
    }

    class USDataCenter extends DataCenter
    {
        public static function PRODUCTION() { return self::setEnvironment('https://www.zohoapis.com', 'https://accounts.zoho.com/oauth/v2/token', 'https://content.zohoapis.com'); }

        public static function SANDBOX() { return self::setEnvironment('https://sandbox.zohoapis.com', 'https://accounts.zoho.com/oauth/v2/token', 'https://content.zohoapis.com'); }

        public static function DEVELOPER() { return self::setEnvironment('https://developer.zohoapis.com', 'https://accounts.zoho.com/oauth/v2/token', 'https://content.zohoapis.com'); }
    }

    class EUDataCenter extends DataCenter
    {
        public static function PRODUCTION() { return self::setEnvironment('https://www.zohoapis.eu', 'https://accounts.zoho.eu/oauth/v2/token', 'https://content.zohoapis.eu'); }

        public static function SANDBOX() { return self::setEnvironment('https://sandbox.zohoapis.eu', 'https://accounts.zoho.eu/oauth/v2/token', 'https://content.zohoapis.eu'); }

        public static function DEVELOPER() { return self::setEnvironment('https://developer.zohoapis.eu', 'https://accounts.zoho.eu/oauth/v2/token', 'https://content.zohoapis.eu'); }
    }
}

namespace com\zoho\api\authenticator {
    use com\zoho\crm\api\dc\DataCenter;
    use com\zoho\crm\api\exception\SDKException;
    use com\zoho\crm\api\Initializer;
    use com\zoho\crm\api\UserSignature;
    use com\zoho\crm\api\util\APIHTTPConnector;

    interface Token
    {
        public function authenticate(APIHTTPConnector $urlConnection);

        public function revoke($id);

        public function remove();

        public function generateToken();

        public function getId();
    }

    class OAuthToken implements Token
    {
        private $clientID;
        private $clientSecret;
        private $redirectURL;
        private $grantToken;
        private $refreshToken;
        private $accessToken;
        private $expiresIn;
        private $id;
        private $userSignature;
        private $apiDomain;
        private $findUser;

        public function __construct($clientID, $clientSecret, $grantToken, $refreshToken, $redirectURL = null, $id = null, $accessToken = null, $userSignature = null, $findUser = true)
        {
            $this->clientID = $clientID;
            $this->clientSecret = $clientSecret;
            $this->grantToken = $grantToken;
            $this->refreshToken = $refreshToken;
            $this->redirectURL = $redirectURL;
            $this->id = $id;
            $this->accessToken = $accessToken;
            $this->userSignature = $userSignature;
            $this->findUser = $findUser;
        }

        public function getClientId() { return $this->clientID; }
        public function setClientId($v) { $this->clientID = $v; }
        public function getClientSecret() { return $this->clientSecret; }
        public function setClientSecret($v) { $this->clientSecret = $v; }
        public function getRedirectURL() { return $this->redirectURL; }
        public function setRedirectURL($v) { $this->redirectURL = $v; }
        public function getGrantToken() { return $this->grantToken; }
        public function setGrantToken($v) { $this->grantToken = $v; }
        public function getRefreshToken() { return $this->refreshToken; }
        public function setRefreshToken($v) { $this->refreshToken = $v; }
        public function getAccessToken() { return $this->accessToken; }
        public function setAccessToken($v) { $this->accessToken = $v; }
        public function getExpiresIn() { return $this->expiresIn; }
        public function setExpiresIn($v) { $this->expiresIn = $v; }
        public function getUserSignature() { return $this->userSignature; }
        public function setUserSignature($v) { $this->userSignature = $v; }
        public function getId() { return $this->id; }
        public function setId($v) { $this->id = $v; }
        public function getAPIDomain() { return $this->apiDomain; }
        public function setAPIDomain($v) { $this->apiDomain = $v; }

        public function authenticate(APIHTTPConnector $urlConnection)
        {
            $urlConnection->addHeader('Authorization', 'Zoho-oauthtoken ' . $this->getToken());
        }

        public function generateToken()
        {
            $this->getToken();
        }

        /** §1.5: find (by id or match), switch data centre, refresh / exchange / keep, save. No lock. */
        public function getToken()
        {
            $initializer = Initializer::getInitializer();
            $store = $initializer->getStore();
            if ($this->id !== null) {
                $oauthToken = $store->findTokenById($this->id);          // refreshed with *its* client keys
                $this->mergeObjects($this, $oauthToken);
            } else {
                $oauthToken = $store->findToken($this);
            }
            if ($oauthToken == null) {                                      // a store that returns null on a miss
                if ($this->getUserSignature() != null) {
                    $this->checkTokenDetails();
                }
                $oauthToken = $this;
            }
            if ($oauthToken->getAPIDomain() == null || $oauthToken->getAPIDomain() === '') {
                $oauthToken->setAPIDomain($initializer->getEnvironment()->getUrl());
            }
            $environment = DataCenter::get($oauthToken->getAPIDomain());
            if ($environment !== null) {                                    // the SDK sets it by reflection
                $property = new \ReflectionProperty($initializer, 'environment');
                $property->setAccessible(true);
                $property->setValue($initializer, $environment);
            }
            $url = $initializer->getEnvironment()->getAccountsUrl();
            $save = false;
            if ($oauthToken->getAccessToken() == null) {
                if ($oauthToken->getRefreshToken() != null) {
                    $oauthToken->refreshAccessToken($oauthToken, $url);
                } else {
                    $oauthToken->generateAccessToken($oauthToken, $url);
                }
                $save = true;
            } elseif ($oauthToken->getExpiresIn() != null && $this->isAccessTokenExpired($oauthToken->getExpiresIn())) {
                $oauthToken->refreshAccessToken($oauthToken, $url);
                $save = true;
            } elseif ($oauthToken->getExpiresIn() == null && $oauthToken->getAccessToken() != null && $oauthToken->getId() == null) {
                $save = true;                                               // a bare access token is stored as it is
            }
            if ($save) {
                try {
                    $store->saveToken($oauthToken);
                } catch (\Exception $ex) {
                    throw new SDKException("Exception in saving tokens : ", $ex);
                }
            }
            return $oauthToken->getAccessToken();
        }

        /** The SDK's: a token looked up by user name needs a grant or refresh token. */
        public function checkTokenDetails()
        {
            if ($this->getGrantToken() == null && $this->getRefreshToken() == null) {
                throw new SDKException('MANDATORY VALUE ERROR', 'Exception in getToken() - OAuthToken : Given user_name token details not found, Please give required item - grant_token, refresh_token');
            }
            return true;
        }

        public function isAccessTokenExpired($expiry)
        {
            return ((int) $expiry - (int) round(microtime(true) * 1000)) < 5000;
        }

        public function refreshAccessToken($token, $url)
        {
            $body = ['grant_type' => 'refresh_token', 'client_id' => $token->getClientId(),
                'client_secret' => $token->getClientSecret(), 'refresh_token' => $token->getRefreshToken()];
            if ($token->getRedirectURL() !== null) {
                $body['redirect_uri'] = $token->getRedirectURL();
            }
            return $this->processResponse($token, self::post($url, $body));
        }

        public function generateAccessToken($token, $url)
        {
            $body = ['grant_type' => 'authorization_code', 'client_id' => $token->getClientId(),
                'client_secret' => $token->getClientSecret(), 'code' => $token->getGrantToken()];
            if ($token->getRedirectURL() !== null) {
                $body['redirect_uri'] = $token->getRedirectURL();
            }
            return $this->processResponse($token, self::post($url, $body));
        }

        public function processResponse($token, $response)
        {
            $json = json_decode((string) $response, true);
            if (!is_array($json) || !isset($json['access_token'])) {
                throw new SDKException('INVALID TOKEN ERROR', is_array($json) ? ($json['error'] ?? 'ACCESS TOKEN IS NOT PRESENT IN RESPONSE') : 'invalid response');
            }
            $token->setAccessToken($json['access_token']);
            $expiresIn = isset($json['expires_in_sec']) ? (int) $json['expires_in'] : (int) $json['expires_in'] * 1000;
            $token->setExpiresIn((string) ((int) round(microtime(true) * 1000) + $expiresIn));
            if (isset($json['refresh_token'])) {
                $token->setRefreshToken($json['refresh_token']);
            }
            if (isset($json['api_domain'])) {
                $token->setAPIDomain($json['api_domain']);
            }
            return $token;
        }

        public function revoke($id)
        {
            $store = Initializer::getInitializer()->getStore();
            $found = $store->findTokenById($id);
            $url = Initializer::getInitializer()->getEnvironment()->getAccountsUrl() . '/revoke';
            self::post($url, ['$TOKEN' => $found->getRefreshToken()]);    // the SDK's parameter name
            $store->deleteToken($id);
            return true;
        }

        public function remove()
        {
            Initializer::getInitializer()->getStore()->deleteToken($this->id);
            return true;
        }

        /** Fills the null fields of $first from $second (the SDK's setMergeData). */
        public function mergeObjects($first, $second)
        {
            foreach (['ClientId', 'ClientSecret', 'RedirectURL', 'GrantToken', 'RefreshToken', 'AccessToken', 'ExpiresIn', 'Id', 'UserSignature', 'APIDomain'] as $field) {
                if ($first->{"get$field"}() === null && $second->{"get$field"}() !== null) {
                    $first->{"set$field"}($second->{"get$field"}());
                }
            }
            return $first;
        }

        private static function post(string $url, array $body)
        {
            $context = stream_context_create(['http' => ['method' => 'POST', 'ignore_errors' => true, 'timeout' => 10,
                'header' => "Content-Type: application/x-www-form-urlencoded\r\n", 'content' => http_build_query($body)]]);
            $reply = @file_get_contents($url, false, $context);
            if ($reply === false) {
                throw new SDKException('TOKEN_ERROR', 'cannot reach the accounts server');
            }
            return $reply;
        }
    }

    class OAuthBuilder
    {
        private $clientID;
        private $clientSecret;
        private $redirectURL;
        private $refreshToken;
        private $grantToken;
        private $accessToken;
        private $id;
        private $userSignature;
        private $findUser = true;

        public function id($id) { $this->id = $id; return $this; }
        public function clientId(string $v) { $this->clientID = $v; return $this; }
        public function clientSecret(string $v) { $this->clientSecret = $v; return $this; }
        public function redirectURL(string $v) { $this->redirectURL = $v; return $this; }
        public function refreshToken(string $v) { $this->refreshToken = $v; return $this; }
        public function grantToken(string $v) { $this->grantToken = $v; return $this; }
        public function accessToken(string $v) { $this->accessToken = $v; return $this; }
        public function findUser(bool $v) { $this->findUser = $v; return $this; }
        public function userSignature(UserSignature $v) { $this->userSignature = $v; return $this; }

        public function build()
        {
            if ($this->grantToken === null && $this->refreshToken === null && $this->id === null && $this->accessToken === null) {
                throw new SDKException('MANDATORY_VALUE_ERROR', 'grantToken, refreshToken, id or accessToken is mandatory');
            }
            return new OAuthToken($this->clientID, $this->clientSecret, $this->grantToken, $this->refreshToken,
                $this->redirectURL, $this->id, $this->accessToken, $this->userSignature, $this->findUser);
        }
    }
}

namespace com\zoho\api\authenticator\store {
    use com\zoho\api\authenticator\OAuthToken;
    use com\zoho\api\authenticator\Token;
    use com\zoho\crm\api\exception\SDKException;
    use com\zoho\crm\api\UserSignature;

    interface TokenStore
    {
        public function findToken(Token $token);

        public function findTokenById($id);

        public function saveToken(Token $token);

        public function deleteToken($id);

        public function getTokens();

        public function deleteTokens();
    }

    /**
     * The SDK's FileStore: CSV without quoting, no lock, read-all / write-all, as its file
     * handling goes: the constructor appends the header to a file it finds empty (mode "a",
     * so into a file another process is rewriting at that moment too); saveToken() keeps
     * whatever line 0 it read as the header (none when it read the file empty, mid-rewrite)
     * and writes the lines back joined by PHP_EOL; lines of one field are dropped; deleteToken()
     * joins by "\n" and throws for an unknown id.
     */
    class FileStore implements TokenStore
    {
        const HEADER = ['id', 'user_name', 'client_id', 'client_secret', 'refresh_token', 'access_token', 'grant_token', 'expiry_time', 'redirect_url', 'api_domain'];
        private $filePath;

        public function __construct($filePath)
        {
            $this->filePath = trim($filePath);
            $writer = fopen($this->filePath, 'a');
            $created = false;
            if (trim((string) file_get_contents($this->filePath)) == false) {
                $created = true;
                fwrite($writer, implode(',', self::HEADER));
            }
            fclose($writer);
            $csv = $created ? [] : (file($this->filePath, FILE_IGNORE_NEW_LINES) ?: []);
            if ($csv && count(str_getcsv($csv[0], ',', '"', '\\')) === 9) {            // php-sdk-2.x: add api_domain
                $csv[0] = implode(',', self::HEADER);
                for ($i = 1; $i < count($csv); $i++) {
                    $csv[$i] .= ',';
                }
                file_put_contents($this->filePath, implode("\n", $csv));
            }
        }

        /** The data lines (after line 0, the header), as fields; lines of one field are skipped. */
        private function rows(): array
        {
            $csv = file($this->filePath, FILE_IGNORE_NEW_LINES) ?: [];
            array_shift($csv);
            return array_values(array_filter(array_map(fn($l) => str_getcsv($l, ',', '"', '\\'), $csv), fn($r) => count($r) > 1));
        }

        private function matches(array $row, OAuthToken $t): bool
        {
            if ($t->getUserSignature() !== null) {
                return $row[1] === $t->getUserSignature()->getName();
            }
            if ($t->getAccessToken() !== null && $t->getClientId() === null && $t->getClientSecret() === null) {
                return $row[5] === $t->getAccessToken();
            }
            if (($t->getRefreshToken() !== null || $t->getGrantToken() !== null) && $t->getClientId() !== null && $t->getClientSecret() !== null) {
                if ($t->getGrantToken() !== null && $row[6] === $t->getGrantToken()) {
                    return true;
                }
                return $t->getRefreshToken() !== null && $row[4] === $t->getRefreshToken();
            }
            return false;
        }

        private function merge(OAuthToken $t, array $row): OAuthToken
        {
            $map = ['Id' => 0, 'ClientId' => 2, 'ClientSecret' => 3, 'RefreshToken' => 4, 'AccessToken' => 5, 'GrantToken' => 6, 'ExpiresIn' => 7, 'RedirectURL' => 8, 'APIDomain' => 9];
            foreach ($map as $field => $i) {
                if ($t->{"get$field"}() === null && ($row[$i] ?? '') !== '') {
                    $t->{"set$field"}($row[$i]);
                }
            }
            if ($t->getUserSignature() === null && ($row[1] ?? '') !== '') {
                $t->setUserSignature(new UserSignature($row[1]));
            }
            return $t;
        }

        public function findToken(Token $token)
        {
            if (!($token instanceof OAuthToken)) {
                return $token;
            }
            foreach ($this->rows() as $row) {
                if ($this->matches($row, $token)) {
                    return $this->merge($token, $row);
                }
            }
            return $token;
        }

        public function findTokenById($id)
        {
            foreach ($this->rows() as $row) {
                if ($row[0] === (string) $id) {
                    $token = (new \ReflectionClass(OAuthToken::class))->newInstanceWithoutConstructor();
                    return $this->merge($token, $row);
                }
            }
            throw new SDKException('TOKEN_STORE', 'Exception in getTokenById - FileStore : Given ID is invalid');
        }

        private static function row(OAuthToken $t): array
        {
            return [(string) $t->getId(), $t->getUserSignature() ? $t->getUserSignature()->getName() : '',
                (string) $t->getClientId(), (string) $t->getClientSecret(), (string) $t->getRefreshToken(),
                (string) $t->getAccessToken(), (string) $t->getGrantToken(), (string) $t->getExpiresIn(),
                (string) $t->getRedirectURL(), (string) $t->getAPIDomain()];
        }

        public function saveToken(Token $token)
        {
            if (!($token instanceof OAuthToken)) {
                return;
            }
            $lines = file($this->filePath, FILE_IGNORE_NEW_LINES | FILE_SKIP_EMPTY_LINES) ?: [];
            $found = false;
            foreach (array_slice($lines, 1, null, true) as $i => $line) {     // line 0 stays as read
                $row = str_getcsv($line, ',', '"', '\\');
                if (count($row) <= 1) {
                    unset($lines[$i]);
                    continue;
                }
                $found = $token->getId() !== null ? $row[0] === (string) $token->getId() : $this->matches($row, $token);
                if ($found) {
                    $token->setId($row[0]);
                    $lines[$i] = implode(',', self::row($token));
                    break;
                }
            }
            if (!$found) {
                if ($token->getId() === null) {
                    $ids = array_map(fn($l) => (int) str_getcsv($l, ',', '"', '\\')[0], array_slice($lines, 1));
                    $token->setId((string) (($ids ? max($ids) : 0) + 1));
                }
                $lines[] = implode(',', self::row($token));
            }
            file_put_contents($this->filePath, implode(PHP_EOL, $lines));
        }

        public function deleteToken($id)
        {
            $lines = file($this->filePath, FILE_IGNORE_NEW_LINES) ?: [];
            $found = false;
            foreach (array_slice($lines, 1, null, true) as $i => $line) {
                $row = str_getcsv($line, ',', '"', '\\');
                if (count($row) > 1 && $row[0] === (string) $id) {
                    $found = true;
                    unset($lines[$i]);
                }
            }
            if (!$found) {
                throw new SDKException('TOKEN_STORE', 'Exception in getTokenById - FileStore : Given ID is invalid');
            }
            file_put_contents($this->filePath, implode("\n", $lines));
        }

        public function getTokens()
        {
            $tokens = [];
            foreach ($this->rows() as $row) {
                $tokens[] = $this->merge((new \ReflectionClass(OAuthToken::class))->newInstanceWithoutConstructor(), $row);
            }
            return $tokens;
        }

        public function deleteTokens()
        {
            file_put_contents($this->filePath, implode(',', self::HEADER));
        }
    }

    /** The SDK's DBStore on the `oauthtoken` table (§1.4), through mysqli as the SDK does. */
    class DBStore implements TokenStore
    {
        private $host;
        private $port;
        private $database;
        private $table;

        public function __construct($host = 'localhost', $databaseName = 'zohooauth', $tableName = 'oauthtoken', $userName = 'root', $password = '', $portNumber = '3306')
        {
            [$this->host, $this->database, $this->table, $this->port] = [$host, $databaseName, $tableName, (int) $portNumber];
        }

        private function connect(): \mysqli
        {
            return new \mysqli($this->host, 'root', '', $this->database, $this->port);   // a new connection per call
        }

        private function merge(OAuthToken $t, array $row): OAuthToken
        {
            $map = ['Id' => 'id', 'ClientId' => 'client_id', 'ClientSecret' => 'client_secret', 'RefreshToken' => 'refresh_token',
                'AccessToken' => 'access_token', 'GrantToken' => 'grant_token', 'ExpiresIn' => 'expiry_time', 'RedirectURL' => 'redirect_url', 'APIDomain' => 'api_domain'];
            foreach ($map as $field => $column) {
                if ($t->{"get$field"}() === null && ($row[$column] ?? null) !== null && $row[$column] !== '') {
                    $t->{"set$field"}($row[$column]);
                }
            }
            if ($t->getUserSignature() === null && ($row['user_name'] ?? '') !== '') {
                $t->setUserSignature(new UserSignature($row['user_name']));
            }
            return $t;
        }

        /** The SDK's WHERE clause and its bound value for a token (§1.2 match rules). */
        private function where(OAuthToken $t): ?array
        {
            if ($t->getUserSignature() !== null) {
                return ['user_name', $t->getUserSignature()->getName()];
            }
            if ($t->getAccessToken() !== null && $t->getClientId() === null && $t->getClientSecret() === null) {
                return ['access_token', $t->getAccessToken()];
            }
            if ($t->getGrantToken() !== null) {
                return ['grant_token', $t->getGrantToken()];
            }
            return $t->getRefreshToken() !== null ? ['refresh_token', $t->getRefreshToken()] : null;
        }

        public function findToken(Token $token)
        {
            if (!($token instanceof OAuthToken) || ($w = $this->where($token)) === null) {
                return $token;
            }
            $db = $this->connect();
            $stmt = $db->prepare("SELECT * FROM {$this->table} WHERE {$w[0]} = ? LIMIT 1");
            $stmt->bind_param('s', $w[1]);
            $stmt->execute();
            $row = $stmt->get_result()->fetch_assoc();
            $db->close();
            return $row ? $this->merge($token, $row) : $token;
        }

        public function findTokenById($id)
        {
            $db = $this->connect();
            $stmt = $db->prepare("SELECT * FROM {$this->table} WHERE id = ? LIMIT 1");
            $stmt->bind_param('s', $id);
            $stmt->execute();
            $row = $stmt->get_result()->fetch_assoc();
            $db->close();
            if (!$row) {
                return null;
            }
            return $this->merge((new \ReflectionClass(OAuthToken::class))->newInstanceWithoutConstructor(), $row);
        }

        public function saveToken(Token $token)
        {
            if (!($token instanceof OAuthToken)) {
                return;
            }
            $db = $this->connect();
            $user = $token->getUserSignature() ? $token->getUserSignature()->getName() : null;
            $values = ['user_name' => $user, 'client_id' => $token->getClientId(), 'client_secret' => $token->getClientSecret(),
                'refresh_token' => $token->getRefreshToken(), 'access_token' => $token->getAccessToken(), 'grant_token' => $token->getGrantToken(),
                'expiry_time' => $token->getExpiresIn(), 'redirect_url' => $token->getRedirectURL(), 'api_domain' => $token->getAPIDomain()];
            $w = $token->getId() !== null ? ['id', (string) $token->getId()] : $this->where($token);
            if ($w !== null) {
                $set = implode(', ', array_map(fn($k, $v) => "$k='" . $v . "'", array_keys($values), $values));   // as the SDK: not escaped
                $stmt = $db->prepare("UPDATE {$this->table} SET $set WHERE {$w[0]} = ? LIMIT 1");
                $stmt->bind_param('s', $w[1]);
                $stmt->execute();
                if ($db->affected_rows > 0) {
                    $db->close();
                    return;
                }
            }
            if ($token->getId() === null) {
                $max = $db->query("SELECT MAX(CAST(id AS UNSIGNED)) AS m FROM {$this->table}")->fetch_assoc()['m'];
                $token->setId((string) (((int) $max) + 1));                 // not atomic, as the SDK
            }
            $id = (string) $token->getId();
            $stmt = $db->prepare("INSERT INTO {$this->table} (id, user_name, client_id, client_secret, refresh_token, access_token, grant_token, expiry_time, redirect_url, api_domain) "
                . "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE user_name = VALUES(user_name), access_token = VALUES(access_token), expiry_time = VALUES(expiry_time)");
            $row = array_values($values);
            $stmt->bind_param('ssssssssss', $id, ...$row);
            $stmt->execute();
            $db->close();
        }

        public function deleteToken($id)
        {
            $db = $this->connect();
            $stmt = $db->prepare("DELETE FROM {$this->table} WHERE id = ?");
            $stmt->bind_param('s', $id);
            $stmt->execute();
            $db->close();
        }

        public function getTokens()
        {
            $db = $this->connect();
            $tokens = [];
            foreach ($db->query("SELECT * FROM {$this->table}")->fetch_all(MYSQLI_ASSOC) as $row) {
                $tokens[] = $this->merge((new \ReflectionClass(OAuthToken::class))->newInstanceWithoutConstructor(), $row);
            }
            $db->close();
            return $tokens;
        }

        public function deleteTokens()
        {
            $db = $this->connect();
            $db->query("DELETE FROM {$this->table}");
            $db->close();
        }
    }
}
