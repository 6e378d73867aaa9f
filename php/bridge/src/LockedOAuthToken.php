<?php

declare(strict_types=1);

namespace ZohoOAuth\Bridge;

use com\zoho\api\authenticator\OAuthToken;

/**
 * An OAuthToken of Zoho's current SDK whose access token comes from the zoho_oauth
 * extension: kept in our store (the token file, MySQL or Redis, as $configuration says),
 * cached per process, refreshed once for all processes under our lock, ahead of expiry
 * (`refresh_margin_secs`, default 60 s) and with timeouts. Use it wherever the SDK takes a
 * Token; the SDK's own TokenStore is then not used for this token. Errors are
 * TokenException, an SDKException.
 */
class LockedOAuthToken extends OAuthToken
{
    /** How many times a refresh token is stored again when a writer outside our lock dropped it. */
    private const SEEDS = 3;

    private array $configuration;

    /**
     * The SDK's OAuthToken arguments, after our configuration (the keys of the extension's
     * initialize(): `token_persistence_path`, `token_store`, `mysql_*`, `redis_*`,
     * `accounts_url` or `data_centre`, `refresh_margin_secs`, timeouts, ...).
     */
    public function __construct(
        #[\SensitiveParameter] array $configuration,
        $clientID,
        #[\SensitiveParameter] $clientSecret,
        #[\SensitiveParameter] $grantToken,
        #[\SensitiveParameter] $refreshToken,
        $redirectURL = null,
        $id = null,
        #[\SensitiveParameter] $accessToken = null,
        $userSignature = null
    ) {
        parent::__construct(
            $clientID,
            $clientSecret,
            $grantToken,
            $refreshToken,
            $redirectURL,
            $id,
            $accessToken,
            $userSignature,
            false
        );
        $this->configuration = $configuration;
    }

    /**
     * A valid access token (refreshed by one process for all when due), at the data centre
     * of the token's API domain, to which the SDK is switched as its own getToken() does.
     */
    public function getToken()
    {
        $key = $this->storedKey();
        $domain = $this->getAPIDomain() ?? $this->store(null)->find($key)['api_domain'] ?? null;
        Tokens::switchDataCentre($domain);
        $store = $this->store($domain);
        $row = $store->tokensOrNull($key) ?? $this->firstTokens($store, $key);
        Tokens::apply($this, $row, str_starts_with($key, Tokens::DERIVED_PREFIX));
        return $this->getAccessToken();
    }

    /**
     * The key the tokens live under: the user name, the id, a row the SDK saved with this
     * refresh token and no user name (never a second row for it), else the derived key.
     */
    private function storedKey(): string
    {
        $key = Tokens::key($this);
        if ($key === null) {
            throw new TokenException(
                'MANDATORY_VALUE_ERROR',
                'the token needs a refresh token, a grant token, a user signature or an id',
                104
            );
        }
        $refresh = $this->getRefreshToken();
        if (!str_starts_with($key, Tokens::DERIVED_PREFIX) || $refresh === null) {
            return $key;
        }
        $store = $this->store(null);
        if ($store->find($key) !== null) {
            return $key;
        }
        foreach ($store->rows() as $row) {
            if ($row['refresh_token'] === $refresh && Tokens::isSdkId((string) $row['user'])) {
                return (string) $row['user'];
            }
        }
        return $key;
    }

    /** Nothing stored under $key: store the refresh token, or exchange the grant token. */
    private function firstTokens(Store $store, string $key): array
    {
        if ($this->getRefreshToken() !== null) {
            // An SDK process rewriting sdk_tokens.txt from a copy it read earlier can drop the
            // row again at once (the SDK's FileStore takes no lock): store it again, bounded.
            for ($attempt = 1;; $attempt++) {
                $store->save(['user' => $key, 'refresh_token' => $this->getRefreshToken()], true);
                $row = $store->tokensOrNull($key);
                if ($row !== null || $attempt >= self::SEEDS) {
                    return $row ?? $store->tokens($key);
                }
            }
        }
        if ($this->getGrantToken() === null) {
            return $store->tokens($key);                     // throws "no tokens" (400)
        }
        $row = $store->exchangeGrant($this->getGrantToken(), $key);
        if ($row['user'] !== $key) {                          // keep it where the next request looks
            $store->save(['user' => $key] + $row);
            $store->delete($row['user']);
            $row['user'] = $key;
        }
        return $row;
    }

    /** Our store for this token, at the data centre of $apiDomain when known. */
    private function store(?string $apiDomain): Store
    {
        return new Store(Tokens::configuration($this->configuration, $this, $apiDomain));
    }

    /** var_dump() and print_r() show the user, id and expiry, never a secret. */
    public function __debugInfo(): array
    {
        return [
            'id' => $this->getId(),
            'user' => $this->getUserSignature()?->getName(),
            'expiresIn' => $this->getExpiresIn(),
            'clientId' => $this->getClientId(),
            'secrets' => '[redacted]',
            'store' => array_keys($this->configuration),
        ];
    }

    /** As the SDK's: makes sure there is a valid access token now. */
    public function generateToken()
    {
        $this->getToken();
    }

    /**
     * Revokes the refresh token at Zoho and deletes the stored tokens of $id (or this token);
     * true, or a TokenException (an SDKException, as the SDK's revoke() throws).
     */
    public function revoke($id)
    {
        $key = ($id !== null && (string) $id !== '') ? (string) $id : $this->storedKey();
        return $this->store($this->getAPIDomain())->revoke($key);
    }

    /** Deletes this token's stored tokens (no call to Zoho). */
    public function remove()
    {
        $key = Tokens::key($this);
        return $key !== null && $this->store(null)->delete($key);
    }
}
