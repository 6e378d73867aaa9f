<?php

declare(strict_types=1);

namespace ZohoOAuth\Bridge;

use zcrmsdk\oauth\exception\ZohoOAuthException;
use zoho_oauth\bridge\Core;

/**
 * The extension's store for one configuration, as the bridge uses it: every call goes to
 * zoho_oauth\bridge\Core, and its errors come out as TokenException (an SDKException).
 *
 * Reads are repeated, bounded, when they meet a file that an SDK process is rewriting in
 * place at that moment (the SDK's FileStore truncates sdk_tokens.txt and writes it again,
 * without a lock): a torn file (`store_corrupt`, 402), an empty one where the SDK always
 * writes at least its header, or "nothing stored" for a user whom the file names once read
 * again (the read met it half-written). Up to READS attempts, about 0.8 s in all; then the
 * error is reported.
 *
 * @internal
 */
final class Store
{
    /** The extension's codes: nothing stored, a torn file. */
    public const NO_TOKENS = 400;
    public const TORN = 402;

    /** How many times a read meets a torn file before the error is reported. */
    private const READS = 12;

    private array $configuration;

    public function __construct(#[\SensitiveParameter] array $configuration)
    {
        $this->configuration = $configuration;
    }

    public function configuration(): array
    {
        return $this->configuration;
    }

    /** The user's tokens, refreshed when due (once for all processes). */
    public function tokens(string $user): array
    {
        return $this->read(fn() => Core::tokens($this->configuration, $user), $user);
    }

    /** The user's tokens, refreshed when due; null when nothing is stored. */
    public function tokensOrNull(string $user): ?array
    {
        try {
            return Core::tokens($this->configuration, $user);   // the common case, in one call
        } catch (ZohoOAuthException $e) {
            if ($e->getCode() !== self::NO_TOKENS && $e->getCode() !== self::TORN) {
                throw TokenException::from($e);
            }
        }
        try {
            return $this->tokens($user);                        // again, bounded, while torn
        } catch (TokenException $e) {
            if ($e->getCode() === self::NO_TOKENS) {
                return null;
            }
            throw $e;
        }
    }

    /** The stored row as it is, or null. */
    public function find(string $user): ?array
    {
        return $this->read(fn() => Core::find($this->configuration, $user), null);
    }

    /** Every stored row. */
    public function rows(): array
    {
        return $this->read(fn() => Core::rows($this->configuration), null);
    }

    public function save(array $row, bool $onlyIfAbsent = false): bool
    {
        return $this->read(fn() => Core::save($this->configuration, $row, $onlyIfAbsent), null);
    }

    public function delete(string $user): bool
    {
        return self::call(fn() => Core::delete($this->configuration, $user));
    }

    public function exchangeGrant(string $grantToken, string $user): array
    {
        return self::call(fn() => Core::exchangeGrant($this->configuration, $grantToken, $user));
    }

    public function revoke(string $user): bool
    {
        return self::call(fn() => Core::revoke($this->configuration, $user));
    }

    /** Runs a call of the extension, its errors as TokenException. */
    public static function call(callable $call)
    {
        try {
            return $call();
        } catch (ZohoOAuthException $e) {
            throw TokenException::from($e);
        }
    }

    /**
     * Runs a call that reads the store, again (bounded) while the file is torn; with
     * `$missOf` (the user read), "nothing stored" counts as torn too while the SDK's file is
     * empty or names that user.
     */
    private function read(callable $call, ?string $missOf)
    {
        for ($attempt = 1;; $attempt++) {
            try {
                $result = self::call($call);
                if (($result === null || $result === []) && $attempt < self::READS && $this->emptySdkFile()) {
                    usleep(10000 * $attempt);
                    continue;
                }
                return $result;
            } catch (TokenException $e) {
                if ($attempt >= self::READS || !$this->metRewrite($e, $missOf, $attempt)) {
                    throw $e;
                }
            }
        }
    }

    /**
     * Whether a failed read met the file mid-rewrite, after a pause that grows with
     * `$attempt`: a torn file, or "nothing stored" for `$missOf` while the SDK's file, looked
     * at after the pause (the rewrite the read met may still have been going on), is empty or
     * names that user. A read that finds nothing for a user the file does not name costs one
     * pause of 10 ms.
     */
    private function metRewrite(TokenException $e, ?string $missOf, int $attempt): bool
    {
        $torn = $e->getCode() === self::TORN;
        $miss = $missOf !== null && $e->getCode() === self::NO_TOKENS && $this->sdkFile() !== null;
        if (!$torn && !$miss) {
            return false;
        }
        usleep(10000 * $attempt);
        return $torn || $this->sdkFileMayHold((string) $missOf);
    }

    /** True while the configured sdk_tokens.txt exists and is empty (mid-rewrite by the SDK). */
    private function emptySdkFile(): bool
    {
        $path = $this->sdkFile();
        if ($path === null) {
            return false;
        }
        clearstatcache(true, $path);
        return @filesize($path) === 0;
    }

    /**
     * True while the configured sdk_tokens.txt is empty or names `$user` (a read that found
     * nothing for the user met the file mid-rewrite by the SDK). A false positive costs the
     * bounded re-reads, then the error.
     */
    private function sdkFileMayHold(string $user): bool
    {
        $path = $this->sdkFile();
        if ($path === null) {
            return false;
        }
        $text = @file_get_contents($path);
        return $text === '' || ($text !== false && $user !== '' && str_contains($text, $user));
    }

    /** The configured sdk_tokens.txt, or null when the store is another one. */
    private function sdkFile(): ?string
    {
        $path = (string) ($this->configuration['token_persistence_path'] ?? '');
        return basename($path) === 'sdk_tokens.txt' ? $path : null;
    }
}
