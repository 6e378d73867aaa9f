<?php
require __DIR__ . '/vendor/autoload.php'; // Zoho's SDK (zohocrm/php-sdk-8.0) and zoho-oauth/sdk-bridge

use com\zoho\api\authenticator\store\FileStore;
use com\zoho\crm\api\InitializeBuilder;
use com\zoho\crm\api\UserSignature;
use com\zoho\crm\api\dc\USDataCenter;
use ZohoOAuth\Bridge\LockedOAuthBuilder;

$token = (new LockedOAuthBuilder())                                    // was: new OAuthBuilder()
    ->store(['token_persistence_path' => '/var/lib/zoho-oauth'])      // new: where the CLI saved them
    ->clientId('1000.XXXXXXXXXXXXXXXX')->clientSecret('xxxxxxxx')
    ->userSignature(new UserSignature('ada@example.com'))
    ->build();
(new InitializeBuilder())->environment(USDataCenter::PRODUCTION())->token($token)
    ->store(new FileStore('/var/lib/zoho-oauth/sdk_tokens.txt'))
    ->initialize();
echo "access token ", substr($token->getAccessToken(), 0, 9), "...\n";
