#include <stdio.h>
#include <zoho_oauth.h>

int main(void) {
    const char *keys[] = {"client_id", "client_secret", "redirect_uri", "token_persistence_path"};
    const char *values[] = {"1000.XXXXXXXXXXXXXXXX", "xxxxxxxx", "http://localhost:8910/callback",
                            "/var/lib/zoho-oauth"};
    zoho_client *client = NULL;
    char *token = NULL;
    zoho_result rc = zoho_client_new(keys, values, 4, &client);
    if (rc == ZOHO_RESULT_OK)
        rc = zoho_client_get_access_token(client, "ada@example.com", &token);
    if (rc == ZOHO_RESULT_OK)
        printf("access token %.9s...\n", token); /* send: Authorization: Zoho-oauthtoken <token> */
    else
        fprintf(stderr, "failed: %s (%d)\n", zoho_result_name(rc), (int)rc);
    zoho_string_free(token);
    zoho_client_free(client);
    return rc == ZOHO_RESULT_OK ? 0 : 1;
}
