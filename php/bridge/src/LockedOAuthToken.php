<?php

declare(strict_types=1);

namespace ZohoOAuth\Bridge;

use com\zoho\api\authenticator\OAuthToken;
use zcrmsdk\oauth\exception\ZohoOAuthException;
use zoho_oauth\bridge\Core;

/**
 * An OAuthToken of Zoho's current SDK whose access token comes from the zoho_oauth
 * extension: kept in our store (the token file, MySQL or Redis, as $configuration says),
 * cached per process, refreshed once for all processes under our lock, ahead of expiry
 * (`refresh_margin_secs`, default 60 s) and with timeouts. Use it wherever the SDK takes a
 * Token; the SDK's own TokenStore is then not used for this token.
 */
class LockedOAuthToken extends OAuthToken
{
    /** No refresh token stored yet: the extension's "no tokens" code. */
    private const NO_TOKENS = 400;

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
        parent::__construct($clientID, $clientSecret, $grantToken, $refreshToken, $redirectURL, $id, $accessToken, $userSignature, false);
        $this->configuration = $configuration;
    }

    /** A valid access token (refreshed by one process for all when due). */
    public function getToken()
    {
        $configuration = Tokens::configuration($this->configuration, $this);
        $key = Tokens::key($this);
        if ($key === null) {
            throw new ZohoOAuthException('the token needs a refresh token, a grant token, a user signature or an id', 104);
        }
        try {
            $row = Core::tokens($configuration, $key);
        } catch (ZohoOAuthException $e) {
            if ($e->getCode() !== self::NO_TOKENS) {
                throw $e;
            }
            $row = $this->firstTokens($configuration, $key, $e);
        }
        Tokens::apply($this, $row, str_starts_with($key, Tokens::DERIVED_PREFIX));
        return $this->getAccessToken();
    }

    /** Nothing stored under $key: store the refresh token, or exchange the grant token. */
    private function firstTokens(array $configuration, string $key, ZohoOAuthException $none): array
    {
        if ($this->getRefreshToken() !== null) {
            Core::save($configuration, ['user' => $key, 'refresh_token' => $this->getRefreshToken()], true);
            return Core::tokens($configuration, $key);
        }
        if ($this->getGrantToken() === null) {
            throw $none;
        }
        $row = Core::exchangeGrant($configuration, $this->getGrantToken(), $key);
        if ($row['user'] !== $key) {                       // keep it where the next request looks
            Core::save($configuration, ['user' => $key] + $row);
            Core::delete($configuration, $row['user']);
            $row['user'] = $key;
        }
        return $row;
    }

    /** var_dump() and print_r() show the user, id and expiry, never a secret. */
    public function __debugInfo(): array
    {
        return ['id' => $this->getId(), 'user' => $this->getUserSignature()?->getName(), 'expiresIn' => $this->getExpiresIn(),
            'clientId' => $this->getClientId(), 'secrets' => '[redacted]', 'store' => array_keys($this->configuration)];
    }

    /** As the SDK's: makes sure there is a valid access token now. */
    public function generateToken()
    {
        $this->getToken();
    }

    /** Revokes the refresh token at Zoho and deletes the stored tokens of $id (or this token). */
    public function revoke($id)
    {
        $key = ($id !== null && (string) $id !== '') ? (string) $id : Tokens::key($this);
        return Core::revoke(Tokens::configuration($this->configuration, $this), (string) $key);
    }

    /** Deletes this token's stored tokens (no call to Zoho). */
    public function remove()
    {
        $key = Tokens::key($this);
        return $key !== null && Core::delete(Tokens::configuration($this->configuration, $this), $key);
    }
}
