<?php

declare(strict_types=1);

namespace ZohoOAuth\Bridge;

/**
 * Builds a LockedOAuthToken the way the SDK's OAuthBuilder builds an OAuthToken, plus
 * store(): the configuration of our store.
 */
class LockedOAuthBuilder
{
    private array $configuration = [];
    private $clientID = null;
    private $clientSecret = null;
    private $redirectURL = null;
    private $refreshToken = null;
    private $grantToken = null;
    private $accessToken = null;
    private $id = null;
    private $userSignature = null;

    /** Our store and settings (the extension's configuration keys). */
    public function store(#[\SensitiveParameter] array $configuration)
    {
        $this->configuration = $configuration;
        return $this;
    }

    public function id($id)
    {
        $this->id = $id;
        return $this;
    }

    public function clientId(string $clientID)
    {
        $this->clientID = $clientID;
        return $this;
    }

    public function clientSecret(#[\SensitiveParameter] string $clientSecret)
    {
        $this->clientSecret = $clientSecret;
        return $this;
    }

    public function redirectURL(string $redirectURL)
    {
        $this->redirectURL = $redirectURL;
        return $this;
    }

    public function refreshToken(#[\SensitiveParameter] string $refreshToken)
    {
        $this->refreshToken = $refreshToken;
        return $this;
    }

    public function grantToken(#[\SensitiveParameter] string $grantToken)
    {
        $this->grantToken = $grantToken;
        return $this;
    }

    public function accessToken(#[\SensitiveParameter] string $accessToken)
    {
        $this->accessToken = $accessToken;
        return $this;
    }

    /** Accepted for compatibility; the bridge never asks Zoho's users API. */
    public function findUser(bool $findUser)
    {
        return $this;
    }

    public function userSignature($userSignature)
    {
        $this->userSignature = $userSignature;
        return $this;
    }

    /** The token; a TokenException (an SDKException, as the SDK's build()) without a way to get one. */
    public function build(): LockedOAuthToken
    {
        if ($this->clientID === null || $this->clientSecret === null) {
            throw new TokenException('MANDATORY_VALUE_ERROR', 'clientId and clientSecret are mandatory', 101);
        }
        $ways = [$this->grantToken, $this->refreshToken, $this->id, $this->userSignature];
        if (array_filter($ways, fn($way) => $way !== null) === []) {
            throw new TokenException(
                'MANDATORY_VALUE_ERROR',
                'one of grantToken, refreshToken, id or userSignature is mandatory',
                104
            );
        }
        return new LockedOAuthToken(
            $this->configuration,
            $this->clientID,
            $this->clientSecret,
            $this->grantToken,
            $this->refreshToken,
            $this->redirectURL,
            $this->id,
            $this->accessToken,
            $this->userSignature
        );
    }
}
