<?php
/*
 * What Zoho's old PHP SDK (zcrm-php-sdk 2.x) does in ZCRMRestClient::initialize() and
 * ZohoOAuthClient::getAccessToken() with its file store, written from the behaviour described
 * in shared/reference/zoho-php-sdk.md (§1, §2.1, §3, §6.1), for the benchmark's baseline.
 * Loaded only by `php -n` (no extension), so the SDK's own class names are free.
 */
namespace zcrmsdk\oauth\utility {
    class ZohoOAuthTokens
    {
        private $refreshToken;
        private $accessToken;
        private $expiryTime;
        private $userEmailId;
        public function getRefreshToken() { return $this->refreshToken; }
        public function getAccessToken()
        {
            if ($this->isValidAccessToken()) { return $this->accessToken; }
            throw new \Exception("Access token got expired!");
        }
        public function getExpiryTime() { return $this->expiryTime; }
        public function isValidAccessToken() { return ($this->getExpiryTime() - $this->getCurrentTimeInMillis()) > 1000; }
        public function getCurrentTimeInMillis() { return round(microtime(true) * 1000); }
        public function getUserEmailId() { return $this->userEmailId; }
    }
}

namespace SdkCopy {
    class ZohoOAuthParams
    {
        public $clientId, $clientSecret, $redirectURL, $accessType;
    }

    class ZohoOAuthPersistenceByFile
    {
        public function getOAuthTokens($userEmailId)
        {
            $content = file_get_contents(ZohoOAuth::getConfigValue('token_persistence_path') . '/zcrm_oauthtokens.txt');
            $all = unserialize($content);
            foreach ($all as $tokens) {
                if ($tokens->getUserEmailId() === $userEmailId) {
                    return $tokens;
                }
            }
            throw new \Exception('No Tokens exist for the given user-identifier,Please generate and try again.');
        }
    }

    class ZohoOAuthClient
    {
        private static $instance;
        private $params;
        private function __construct($params) { $this->params = $params; }
        public static function getInstance($params)
        {
            self::$instance = new ZohoOAuthClient($params);
            return self::$instance;
        }
        public static function getInstanceWithOutParam() { return self::$instance; }
        public function getAccessToken($userEmailId)
        {
            $handler = ZohoOAuth::getPersistenceHandlerInstance();
            $tokens = $handler->getOAuthTokens($userEmailId);
            return $tokens->getAccessToken();
        }
    }

    class ZohoOAuth
    {
        private static $configProperties = [];
        private const KEYS = ['client_id', 'client_secret', 'redirect_uri', 'access_type', 'persistence_handler_class',
            'accounts_url', 'token_persistence_path', 'db_port', 'db_password', 'db_username',
            'persistence_handler_class_name', 'host_address'];

        public static function initialize($configuration)
        {
            $defaults = ['access_type' => 'offline', 'persistence_handler_class' => 'ZohoOAuthPersistenceHandler',
                'accounts_url' => 'https://accounts.zoho.com'];
            foreach ($defaults as $key => $value) {
                if (!array_key_exists($key, self::$configProperties) || self::$configProperties[$key] == '') {
                    self::$configProperties[$key] = $value;
                }
            }
            foreach (self::KEYS as $key) {
                if (array_key_exists($key, $configuration)) {
                    self::$configProperties[$key] = $configuration[$key];
                }
            }
            if (!array_key_exists('token_persistence_path', self::$configProperties) || self::$configProperties['token_persistence_path'] == '') {
                foreach (['db_port' => '3306', 'db_username' => 'root', 'db_password' => '', 'db_name' => 'zohooauth', 'host_address' => 'localhost'] as $key => $value) {
                    if (!array_key_exists($key, self::$configProperties)) {
                        self::$configProperties[$key] = $value;
                    }
                }
            }
            $params = new ZohoOAuthParams();
            $params->accessType = self::getConfigValue('access_type');
            $params->clientId = self::getConfigValue('client_id');
            $params->clientSecret = self::getConfigValue('client_secret');
            $params->redirectURL = self::getConfigValue('redirect_uri');
            ZohoOAuthClient::getInstance($params);
        }

        public static function getConfigValue($key)
        {
            return self::$configProperties[$key] ?? '';
        }

        public static function getPersistenceHandlerInstance()
        {
            if (self::getConfigValue('token_persistence_path') != '') {
                return new ZohoOAuthPersistenceByFile();
            }
            throw new \Exception('the benchmark uses the file store');
        }

        public static function getClientInstance()
        {
            $client = ZohoOAuthClient::getInstanceWithOutParam();
            if ($client === null) {
                throw new \Exception('ZCRMRestClient::initialize($configMap) must be called before this.');
            }
            return $client;
        }
    }

    class ZCRMConfigUtil
    {
        private static $configProperties = [];
        public static function initialize($configuration)
        {
            foreach (['client_id', 'client_secret', 'redirect_uri'] as $key) {
                if (!array_key_exists($key, $configuration)) {
                    throw new \Exception("$key is mandatory");
                }
                if ($configuration[$key] == '') {
                    throw new \Exception("$key value is missing");
                }
            }
            if (array_key_exists('currentUserEmail', $configuration) && $configuration['currentUserEmail'] != '') {
                ZCRMRestClient::setCurrentUserEmailId($configuration['currentUserEmail']);
            }
            foreach (['apiBaseUrl' => 'www.zohoapis.com', 'apiVersion' => 'v2', 'sandbox' => 'false',
                'applicationLogFilePath' => null, 'currentUserEmail' => null] as $key => $default) {
                self::$configProperties[$key] = array_key_exists($key, $configuration) ? $configuration[$key] : $default;
            }
            ZohoOAuth::initialize($configuration);
        }
    }

    class ZCRMRestClient
    {
        private static $currentUserEmailId;
        public static function initialize($configuration) { ZCRMConfigUtil::initialize($configuration); }
        public static function setCurrentUserEmailId($email) { self::$currentUserEmailId = $email; }
    }
}
