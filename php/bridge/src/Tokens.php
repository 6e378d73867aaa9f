<?php

declare(strict_types=1);

namespace ZohoOAuth\Bridge;

use com\zoho\api\authenticator\OAuthToken;
use com\zoho\crm\api\dc\DataCenter;
use com\zoho\crm\api\Initializer;
use com\zoho\crm\api\UserSignature;

/**
 * How the bridge maps an SDK OAuthToken onto the core's stores: the key a token lives under,
 * the configuration array the extension gets, and copying a stored row into a token.
 *
 * @internal
 */
final class Tokens
{
    /** Prefix of the keys made for tokens that have neither a user name nor an id. */
    public const DERIVED_PREFIX = 'sdk-';

    /** A redirect URI placeholder: the core's configuration needs one, refreshes do not. */
    private const NO_REDIRECT = 'https://localhost/';

    /** The Initializer's environment property (the SDK's own getToken() sets it the same way). */
    private static ?\ReflectionProperty $environmentProperty = null;

    /** DataCenter::get() of the API domains seen in this process (at most 64; null: none). */
    private static array $environments = [];

    /**
     * The key a token lives under in our store: its user name (UserSignature), else its id,
     * else a key derived from the client id and its grant token (or refresh token), which
     * never reveals either token.
     */
    public static function key(OAuthToken $token): ?string
    {
        $signature = $token->getUserSignature();
        if ($signature !== null && (string) $signature->getName() !== '') {
            return (string) $signature->getName();
        }
        if ($token->getId() !== null && (string) $token->getId() !== '') {
            return (string) $token->getId();
        }
        $secret = $token->getGrantToken() ?? $token->getRefreshToken();
        return $secret === null ? null : self::derived($token, (string) $secret);
    }

    /** The key derived from the client id and a grant or refresh token. */
    public static function derived(OAuthToken $token, string $secret): string
    {
        return self::DERIVED_PREFIX . substr(hash('sha256', $token->getClientId() . "\n" . $secret), 0, 24);
    }

    /**
     * The configuration array for the extension: the store keys the user gave, the token's
     * client credentials, and the accounts server: the configuration's, else that of the
     * data centre of $apiDomain (the token's API domain, as the SDK's getToken() picks it),
     * else the SDK environment's.
     */
    public static function configuration(array $configuration, ?OAuthToken $token, ?string $apiDomain = null): array
    {
        $fill = [
            'client_id' => $token?->getClientId(),
            'client_secret' => $token?->getClientSecret(),
            'redirect_uri' => $token?->getRedirectURL(),
        ];
        foreach ($fill as $key => $value) {
            if (($configuration[$key] ?? '') === '' && $value !== null && $value !== '') {
                $configuration[$key] = $value;
            }
        }
        if (($configuration['redirect_uri'] ?? '') === '') {
            $configuration['redirect_uri'] = self::NO_REDIRECT;
        }
        foreach (['client_id', 'client_secret'] as $key) {
            if (($configuration[$key] ?? '') === '') {
                $configuration[$key] = '-';                 // store operations only
            }
        }
        if (self::accountsFollowDomain($configuration)) {
            $accounts = self::accountsUrlOf($apiDomain) ?? self::environmentAccountsUrl();
            if ($accounts !== null) {
                $configuration['accounts_url'] = $accounts;
            }
        }
        return $configuration;
    }

    /**
     * Whether the accounts server follows the token's API domain: the configuration names
     * neither `accounts_url` nor `data_centre`.
     */
    public static function accountsFollowDomain(array $configuration): bool
    {
        return ($configuration['accounts_url'] ?? '') === '' && ($configuration['data_centre'] ?? '') === '';
    }

    /** The accounts server of the data centre an API domain belongs to (the SDK's DataCenter::get()). */
    private static function accountsUrlOf(?string $apiDomain): ?string
    {
        if ($apiDomain === null || $apiDomain === '' || !class_exists(DataCenter::class)) {
            return null;
        }
        $url = DataCenter::get($apiDomain)?->getAccountsUrl();
        return is_string($url) && $url !== '' ? preg_replace('~/oauth/v2/token/?$~', '', $url) : null;
    }

    /**
     * Switches the SDK to the data centre of the token's API domain, as the SDK's own
     * getToken() does (DataCenter::get() of the domain becomes the Initializer's environment):
     * the SDK's API calls go there, and refreshes go to its accounts server unless the
     * configuration names one (`accounts_url`, `data_centre`). An unknown domain changes nothing.
     */
    public static function switchDataCentre(?string $apiDomain): void
    {
        if ($apiDomain === null || $apiDomain === '' || !class_exists(DataCenter::class)) {
            return;
        }
        $environment = self::environmentOf($apiDomain);
        $initializer = $environment === null ? null : Initializer::getInitializer();
        if ($initializer === null) {
            return;
        }
        self::$environmentProperty ??= new \ReflectionProperty(Initializer::class, 'environment');
        self::$environmentProperty->setAccessible(true);
        self::$environmentProperty->setValue($initializer, $environment);
    }

    /** The SDK's environment for an API domain (DataCenter::get()), remembered per process. */
    private static function environmentOf(string $apiDomain): ?object
    {
        if (!array_key_exists($apiDomain, self::$environments)) {
            if (count(self::$environments) >= 64) {
                self::$environments = [];
            }
            self::$environments[$apiDomain] = DataCenter::get($apiDomain);
        }
        return self::$environments[$apiDomain];
    }

    /**
     * Whether a stored key is the id the SDK gave a row it saved without a user name (its
     * ids are numbers; user names are e-mail addresses): such a row gets no UserSignature.
     */
    public static function isSdkId(string $key): bool
    {
        return preg_match('/^[0-9]+$/', $key) === 1;
    }

    /** The accounts server of the SDK's current environment, without `/oauth/v2/token`. */
    private static function environmentAccountsUrl(): ?string
    {
        if (!class_exists(Initializer::class)) {
            return null;
        }
        $environment = Initializer::getInitializer()?->getEnvironment();
        $url = $environment?->getAccountsUrl();
        if (!is_string($url) || $url === '') {
            return null;
        }
        return preg_replace('~/oauth/v2/token/?$~', '', $url);
    }

    /**
     * Copies a stored row into the token. The access token, expiry and API domain are taken
     * when the row's access token lives longer than the token's (so the SDK never sees a
     * token it would refresh itself); other fields only fill what the token lacks (the
     * SDK's merge).
     */
    public static function apply(OAuthToken $token, array $row, bool $derivedKey): OAuthToken
    {
        $fresher = $token->getExpiresIn() === null || (int) $row['expiry_time'] > (int) $token->getExpiresIn();
        if ($row['access_token'] !== null && ($fresher || $token->getAccessToken() === null)) {
            $token->setAccessToken($row['access_token']);
            $token->setExpiresIn((string) $row['expiry_time']);
            if ($row['api_domain'] !== null) {
                $token->setAPIDomain($row['api_domain']);
            }
        }
        if ($token->getRefreshToken() === null && $row['refresh_token'] !== null) {
            $token->setRefreshToken($row['refresh_token']);
        }
        if ($token->getAPIDomain() === null && $row['api_domain'] !== null) {
            $token->setAPIDomain($row['api_domain']);
        }
        if ($token->getId() === null) {
            $token->setId($row['user']);
        }
        $named = !$derivedKey && !self::isSdkId((string) $row['user']);
        if ($token->getUserSignature() === null && $named && class_exists(UserSignature::class)) {
            $token->setUserSignature(new UserSignature($row['user']));
        }
        return $token;
    }

    /** A row for the extension from an SDK token, stored under $key. */
    public static function row(OAuthToken $token, string $key): array
    {
        return [
            'user' => $key,
            'access_token' => $token->getAccessToken(),
            'refresh_token' => $token->getRefreshToken(),
            'expiry_time' => $token->getExpiresIn() === null ? null : (string) $token->getExpiresIn(),
            'api_domain' => $token->getAPIDomain(),
        ];
    }
}
