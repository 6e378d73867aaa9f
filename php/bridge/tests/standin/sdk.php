<?php
/*
 * A stand-in for the auth layer of Zoho's current PHP SDK (zohocrm/php-sdk-8.0, SDK 5.0.0; the
 * same in 5.0-7.0), written from ../shared/reference/zoho-current-sdk-and-shared-stores.md §1
 * (the SDK cannot be fetched here). Faithful where our bridge depends on it: the namespaces,
 * the Token and TokenStore interfaces, OAuthToken's constructor, getters, setters and
 * getToken() flow (find or findById, 5 s margin, refresh or grant exchange, saveToken; no lock,
 * no retry), OAuthBuilder, the Initializer calling generateToken() eagerly and authenticate()
 * per request, and FileStore's CSV (10 columns, implode without quoting, str_getcsv, header
 * written once, 9-column legacy files converted, max(id)+1, no lock).
 * DBStore: mysqli, a new connection per call, the UPDATE's SET built by concatenation and its
 * WHERE bound, INSERT ... ON DUPLICATE KEY UPDATE, max(id)+1 ids, no transaction, no lock.
 * Simplified: no CRM API calls (findUser's users lookup is skipped), a 10 s HTTP timeout (the
 * SDK sets none, which would let a broken test hang), no logger.
 */

namespace com\zoho\crm\api\exception {
    class SDKException extends \Exception
    {
        public function __construct($code = null, $message = null, $details = null, $cause = null)
        {
            parent::__construct((string) ($message ?? $code));
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
    use com\zoho\crm\api\util\APIHTTPConnector;

    class UserSignature
    {
        private $name;

        public function __construct($name) { $this->name = $name; }

        public function getName() { return $this->name; }
    }

    class Initializer
    {
        private static $initializer = null;
        private $environment;
        private $store;
        private $token;

        public static function initialize(Environment $environment, Token $token, TokenStore $store = null)
        {
            $initializer = new Initializer();
            $initializer->environment = $environment;
            $initializer->token = $token;
            $initializer->store = $store;
            self::$initializer = $initializer;
            $token->generateToken();                     // eagerly, as the SDK does
        }

        public static function switchUser(Environment $environment, Token $token)
        {
            self::initialize($environment, $token, self::$initializer->store);
        }

        public static function getInitializer() { return self::$initializer; }

        public function getEnvironment() { return $this->environment; }

        public function getStore() { return $this->store; }

        public function getToken() { return $this->token; }

        /** What CommonAPIHandler does before every API request; returns the headers. */
        public static function authenticateRequest(): array
        {
            $connector = new APIHTTPConnector();
            self::$initializer->token->authenticate($connector);
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
        private $url;
        private $accountsUrl;
        private $fileUploadUrl;
        private $name;

        public function __construct($url, $accountsUrl, $fileUploadUrl, $name)
        {
            [$this->url, $this->accountsUrl, $this->fileUploadUrl, $this->name] = [$url, $accountsUrl, $fileUploadUrl, $name];
        }

        public function getUrl() { return $this->url; }

        public function getAccountsUrl() { return $this->accountsUrl; }

        public function getFileUploadUrl() { return $this->fileUploadUrl; }

        public function getName() { return $this->name; }
    }

    class USDataCenter
    {
        public static function PRODUCTION()
        {
            return new Environment('https://www.zohoapis.com', 'https://accounts.zoho.com/oauth/v2/token', 'https://content.zohoapis.com', 'us_prd');
        }
    }
}

namespace com\zoho\api\authenticator {
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

        /** §1.5: find (by id or match), then refresh / exchange / keep, then save. No lock. */
        public function getToken()
        {
            $initializer = Initializer::getInitializer();
            $store = $initializer->getStore();
            if ($this->id !== null) {
                $found = $store->findTokenById($this->id);
                if ($found !== null) {
                    $this->mergeObjects($this, $found);
                }
                $oauthToken = $this;
            } else {
                $oauthToken = $store->findToken($this);
            }
            $url = $initializer->getEnvironment()->getAccountsUrl();
            $save = false;
            if ($oauthToken === null || $oauthToken->getAccessToken() === null) {
                $oauthToken = $oauthToken ?? $this;
                if ($oauthToken->getRefreshToken() !== null) {
                    $this->refreshAccessToken($oauthToken, $url);
                } else {
                    $this->generateAccessToken($oauthToken, $url);
                }
                $save = true;
            } elseif ($oauthToken->getExpiresIn() !== null && $this->isAccessTokenExpired($oauthToken->getExpiresIn())) {
                $this->refreshAccessToken($oauthToken, $url);
                $save = true;
            }
            if ($save) {
                $store->saveToken($oauthToken);
            }
            return $oauthToken->getAccessToken();
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
                throw new SDKException('INVALID_CLIENT_ERROR', is_array($json) ? ($json['error'] ?? 'no access token') : 'invalid response');
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

    /** The SDK's FileStore: CSV without quoting, no lock, read-all / write-all. */
    class FileStore implements TokenStore
    {
        const HEADER = ['id', 'user_name', 'client_id', 'client_secret', 'refresh_token', 'access_token', 'grant_token', 'expiry_time', 'redirect_url', 'api_domain'];
        private $filePath;

        public function __construct($filePath)
        {
            $this->filePath = $filePath;
            $csv = @file($this->filePath, FILE_IGNORE_NEW_LINES) ?: [];
            if (!$csv || trim($csv[0]) === '') {
                file_put_contents($this->filePath, implode(',', self::HEADER));
            } elseif (count(str_getcsv($csv[0])) === 9) {            // php-sdk-2.x: add api_domain
                $csv[0] = implode(',', self::HEADER);
                for ($i = 1; $i < count($csv); $i++) {
                    $csv[$i] .= ',';
                }
                file_put_contents($this->filePath, implode(PHP_EOL, $csv));
            }
        }

        private function rows(): array
        {
            $csv = file($this->filePath, FILE_IGNORE_NEW_LINES) ?: [];
            array_shift($csv);
            return array_map('str_getcsv', array_filter($csv, fn($l) => $l !== ''));
        }

        private function write(array $rows, string $eol = PHP_EOL): void
        {
            $lines = [implode(',', self::HEADER)];
            foreach ($rows as $row) {
                $lines[] = implode(',', $row);
            }
            file_put_contents($this->filePath, implode($eol, $lines));
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
            throw new SDKException('TOKEN_STORE', 'No Token exist for the given id');
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
            $rows = $this->rows();
            $found = false;
            foreach ($rows as $i => $row) {
                $hit = $token->getId() !== null ? $row[0] === (string) $token->getId() : $this->matches($row, $token);
                if ($hit) {
                    $token->setId($row[0]);
                    $rows[$i] = self::row($token);
                    $found = true;
                    break;
                }
            }
            if (!$found) {
                if ($token->getId() === null) {
                    $ids = array_map(fn($r) => (int) $r[0], $rows);
                    $token->setId((string) (($ids ? max($ids) : 0) + 1));
                }
                $rows[] = self::row($token);
            }
            $this->write($rows);
        }

        public function deleteToken($id)
        {
            $this->write(array_values(array_filter($this->rows(), fn($r) => $r[0] !== (string) $id)), "\n");
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
            $this->write([]);
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
