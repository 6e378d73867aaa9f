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

    /** How many tokens a process remembers the row key and API domain of. */
    private const SEEN = 512;

    /**
     * What this process has read of tokens' rows: [key, API domain] by store, client and
     * token (a PHP-FPM worker keeps it across requests, as the extension keeps its cache).
     */
    private static array $seen = [];

    private array $configuration;

    /** This token's place in self::$seen (see memoKey()). */
    private ?string $memo = null;

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
     * The row's key and API domain are read once per process and token (see lookUp()); later
     * requests make one call to the extension, which answers from its cache.
     */
    public function getToken()
    {
        $memo = $this->memoKey();
        $known = $memo === null ? null : (self::$seen[$memo] ?? null);
        $row = $fresh = null;
        if ($known !== null) {
            try {
                $row = $this->tokensAt($known[0], $this->getAPIDomain() ?? $known[1]);
            } catch (TokenException $e) {
                $fresh = $this->lookUp();
                if (!$this->moved($known, $fresh)) {          // a real error, not a stale memory
                    throw $e;
                }
            }
        }
        if ($row === null) {                                  // first time here, or the row moved or went
            $known = $fresh ?? $this->lookUp();
            $row = $this->tokensAt(...$known) ?? $this->firstTokens($this->store($known[1]), $known[0]);
        }
        if ($row['api_domain'] !== null && $row['api_domain'] !== $known[1]) {
            Tokens::switchDataCentre($row['api_domain']);
        }
        $seen = [$known[0], $row['api_domain'] ?? $known[1]];
        if ($memo !== null && (self::$seen[$memo] ?? null) !== $seen) {
            self::remember($memo, $seen);
        }
        Tokens::apply($this, $row, str_starts_with($known[0], Tokens::DERIVED_PREFIX));
        return $this->getAccessToken();
    }

    /**
     * The key this token's row lives under and its API domain, read from the store. The
     * domain is read only when it chooses the accounts server (the configuration names none);
     * otherwise getToken() switches the SDK's data centre by the row it reads anyway.
     */
    private function lookUp(): array
    {
        $key = $this->storedKey();
        $domain = $this->getAPIDomain();
        if ($domain === null && Tokens::accountsFollowDomain($this->configuration)) {
            $domain = $this->store(null)->find($key)['api_domain'] ?? null;
        }
        return [$key, $domain];
    }

    /**
     * Whether the row is no longer where this process read it: another key, or (where the
     * domain chooses the accounts server) another API domain.
     */
    private function moved(array $known, array $fresh): bool
    {
        return $known[0] !== $fresh[0]
            || (Tokens::accountsFollowDomain($this->configuration) && $known[1] !== $fresh[1]);
    }

    /** The tokens under $key (null: none), after switching the SDK to the data centre of $domain. */
    private function tokensAt(string $key, ?string $domain): ?array
    {
        Tokens::switchDataCentre($domain);
        return $this->store($domain)->tokensOrNull($key);
    }

    /**
     * Where self::$seen keeps this token: its store, client and key (as the token was when it
     * first asked: getToken() gives it an id); null without a key.
     */
    private function memoKey(): ?string
    {
        $key = $this->memo === null ? Tokens::key($this) : null;
        if ($key !== null) {
            $this->memo = hash('xxh128', serialize($this->configuration) . "\0" . $this->getClientId() . "\0" . $key);
        }
        return $this->memo;
    }

    /** Remembers a row's key and API domain, forgetting the first one remembered beyond SEEN tokens. */
    private static function remember(string $memo, array $known): void
    {
        unset(self::$seen[$memo]);
        if (count(self::$seen) >= self::SEEN) {
            unset(self::$seen[array_key_first(self::$seen)]);
        }
        self::$seen[$memo] = $known;
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
