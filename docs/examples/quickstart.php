<?php
use zcrmsdk\crm\setup\restclient\ZCRMRestClient;
use zcrmsdk\oauth\ZohoOAuth;

ZCRMRestClient::initialize([
    "client_id" => "1000.XXXXXXXXXXXXXXXX",
    "client_secret" => "xxxxxxxx",
    "redirect_uri" => "http://localhost:8910/callback",
    "currentUserEmail" => "ada@example.com",
    "token_persistence_path" => "/var/lib/zoho-oauth",
]);
$token = ZohoOAuth::getClientInstance()->getAccessToken("ada@example.com");
// Every CRM API call sends: Authorization: Zoho-oauthtoken $token
echo "access token ", substr($token, 0, 9), "... for ", ZCRMRestClient::getCurrentUserEmailID(), "\n";
