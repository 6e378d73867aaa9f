<?php

declare(strict_types=1);

namespace ZohoOAuth\Bridge;

use com\zoho\api\authenticator\OAuthToken;
use com\zoho\api\authenticator\store\TokenStore;
use com\zoho\api\authenticator\Token;

/**
 * A TokenStore for Zoho's current SDK on our stores (the token file, MySQL or Redis), for
 * code that keeps the SDK's own OAuthToken. findToken() refreshes a token that is within our
 * margin (`refresh_margin_secs`, default 60 s, far above the SDK's 5 s) under our lock, once
 * for all processes, so the SDK always gets a valid token and never refreshes by itself.
 *
 * Tokens live under their user name, else their id, else a key derived from the client id
 * and the grant (or refresh) token; that key is the id the store gives a token. Matching
 * follows the SDK's stores: the user name; else the access token (for a token without client
 * credentials); else the grant token, then the refresh token. Errors are TokenException, an
 * SDKException, as the SDK's stores throw.
 */
class LockedTokenStore implements TokenStore
{
    private array $configuration;

    /**
     * The tokens seen, by key (weakly held). Once the store gave a token an id, the SDK looks
     * it up with findTokenById($id), which gets no token, and merges the result into the
     * token's empty fields only: so the refresh needs the credentials of the token seen, and
     * its fresh access token is written into that token object, or a long-lived SDK process
     * would go on using (and finally refresh by itself) the token it holds.
     */
    private array $seen = [];

    /**
     * $configuration: the extension's configuration keys for the store; `client_id` and
     * `client_secret` too when tokens are looked up by id (`->id(...)` tokens of the SDK):
     * findTokenById() refreshes with them and gives them to the token it returns, which the
     * SDK refreshes with; without them it refuses (TOKEN_STORE) instead of handing out a
     * token that fails at its first refresh.
     */
    public function __construct(#[\SensitiveParameter] array $configuration)
    {
        $this->configuration = $configuration;
    }

    /** var_dump() and print_r() show the configuration's keys only. */
    public function __debugInfo(): array
    {
        return ['configuration' => array_keys($this->configuration), 'tokens seen' => array_keys($this->seen)];
    }

    public function findToken(Token $token)
    {
        if (!($token instanceof OAuthToken)) {
            return $token;
        }
        $store = $this->store($token);
        $credentials = $token->getClientId() !== null && $token->getClientSecret() !== null;
        // A user name is the key itself: one read, which is also the row (refreshed when due).
        $name = $token->getUserSignature() === null ? null : (string) $token->getUserSignature()->getName();
        $row = $name === null ? null : $this->freshRow($store, $name, $credentials);
        $key = $row !== null ? $name : ($name === null ? $this->match($store, $token) : null);
        $key ??= $this->seed($store, $token);
        if ($key === null) {
            return $token;
        }
        $this->learn($key, $token);
        $row ??= $this->freshRow($store, $key, $credentials);
        return $row === null ? $token : Tokens::apply($token, $row, str_starts_with($key, Tokens::DERIVED_PREFIX));
    }

    /**
     * The token stored under $id (refreshed first when due), with the client keys the SDK
     * refreshes with; a TokenException (TOKEN_STORE) for an unknown id, as the SDK's
     * FileStore throws, or when the store has no client keys to give it.
     */
    public function findTokenById($id)
    {
        $live = $this->live((string) $id);
        $store = $this->store($live[0] ?? null);
        $configuration = $store->configuration();
        if ($configuration['client_id'] === '-' || $configuration['client_secret'] === '-') {
            throw $store->find((string) $id) === null ? self::byIdError('Given ID is invalid', 400)
                : self::byIdError('the store has no client_id and client_secret to refresh tokens found by id; '
                    . 'give them to new LockedTokenStore([...])', 101);
        }
        $row = $this->freshRow($store, (string) $id, true) ?? throw self::byIdError('Given ID is invalid', 400);
        $derived = str_starts_with((string) $id, Tokens::DERIVED_PREFIX);
        foreach ($live as $held) {
            Tokens::apply($held, $row, $derived);
        }
        $token = (new \ReflectionClass(OAuthToken::class))->newInstanceWithoutConstructor();
        $token->setClientId($configuration['client_id']);
        $token->setClientSecret($configuration['client_secret']);
        return Tokens::apply($token, $row, $derived);
    }

    public function saveToken(Token $token)
    {
        if (!($token instanceof OAuthToken)) {
            return;
        }
        $store = $this->store($token);
        $key = $this->match($store, $token) ?? Tokens::key($token);
        if ($key === null) {
            throw new TokenException(
                'TOKEN_STORE',
                'the token needs a user signature, an id, or a grant or refresh token to be saved',
                100
            );
        }
        $store->save(Tokens::row($token, $key));
        $this->learn($key, $token);
        if ($token->getId() === null) {
            $token->setId($key);
        }
    }

    public function deleteToken($id)
    {
        $this->store(null)->delete((string) $id);
    }

    public function getTokens()
    {
        $tokens = [];
        foreach ($this->store(null)->rows() as $row) {
            $token = (new \ReflectionClass(OAuthToken::class))->newInstanceWithoutConstructor();
            $tokens[] = Tokens::apply($token, $row, str_starts_with((string) $row['user'], Tokens::DERIVED_PREFIX));
        }
        return $tokens;
    }

    public function deleteTokens()
    {
        $store = $this->store(null);
        foreach ($store->rows() as $row) {
            $store->delete((string) $row['user']);
        }
    }

    /**
     * The key of the stored row the SDK's stores would match, or null; a token with a user
     * name has that name as its key, stored or not.
     */
    private function match(Store $store, OAuthToken $token): ?string
    {
        $signature = $token->getUserSignature();
        if ($signature !== null) {
            return (string) $signature->getName();
        }
        $credentials = $token->getClientId() !== null && $token->getClientSecret() !== null;
        if ($token->getAccessToken() !== null && !$credentials) {
            return $this->scan($store, fn(array $row) => $row['access_token'] === $token->getAccessToken());
        }
        if (!$credentials || ($token->getGrantToken() === null && $token->getRefreshToken() === null)) {
            return null;
        }
        if ($token->getGrantToken() !== null) {
            $byGrant = Tokens::derived($token, (string) $token->getGrantToken());
            if ($store->find($byGrant) !== null) {
                return $byGrant;
            }
        }
        $refresh = $token->getRefreshToken();
        if ($refresh === null) {
            return null;
        }
        $derived = Tokens::derived($token, (string) $refresh);
        return $this->scan($store, fn(array $row) => $row['user'] === $derived || $row['refresh_token'] === $refresh);
    }

    private function scan(Store $store, callable $wanted): ?string
    {
        foreach ($store->rows() as $row) {
            if ($wanted($row)) {
                return (string) $row['user'];
            }
        }
        return null;
    }

    /**
     * Nothing stored yet for a token with a refresh token and credentials: store the refresh
     * token (unless another process did meanwhile), so the first refresh is ours, single-flight.
     */
    private function seed(Store $store, OAuthToken $token): ?string
    {
        if (!$this->canRefresh($token)) {
            return null;
        }
        $key = Tokens::key($token);
        $store->save(['user' => $key, 'refresh_token' => $token->getRefreshToken()], true);
        return $key;
    }

    /** Remembers the token object for findTokenById($key). */
    private function learn(string $key, OAuthToken $token): void
    {
        $live = $this->live($key);
        if (!in_array($token, $live, true)) {
            $this->seen[$key][] = \WeakReference::create($token);
        }
    }

    /** The token objects seen under $key that still exist (the others are forgotten). */
    private function live(string $key): array
    {
        $alive = fn(\WeakReference $w) => $w->get() !== null;
        $this->seen[$key] = array_values(array_filter($this->seen[$key] ?? [], $alive));
        return array_map(fn(\WeakReference $w) => $w->get(), $this->seen[$key]);
    }

    private function canRefresh(OAuthToken $token): bool
    {
        return $token->getRefreshToken() !== null && $token->getClientId() !== null
            && $token->getClientSecret() !== null;
    }

    /** The SDK's FileStore's error for findTokenById(), with our reason. */
    private static function byIdError(string $why, int $code): TokenException
    {
        return new TokenException('TOKEN_STORE', "Exception in getTokenById - LockedTokenStore : $why", $code);
    }

    /** The stored row, refreshed under our lock when due and possible; null when absent. */
    private function freshRow(Store $store, string $key, bool $refresh): ?array
    {
        return $refresh ? $store->tokensOrNull($key) : $store->find($key);
    }

    /** Our store for a token (its client keys fill what the configuration lacks). */
    private function store(?OAuthToken $token): Store
    {
        return new Store(Tokens::configuration($this->configuration, $token, $token?->getAPIDomain()));
    }
}
