/* Helper for tests/cli/interop.sh: the C library's side of the token file shared with the
 * zoho-oauth CLI and the PHP extension.
 *
 *   interop CONFIG_JSON get USER        prints USER's access token (refreshed if needed)
 *   interop CONFIG_JSON exchange CODE   exchanges a grant token, prints the user's e-mail
 *
 * Exits 0 on success, else prints the error code and message on stderr and exits 1. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zoho_oauth.h"

static int fail(const char *what, zoho_result rc) {
    char message[1024] = "";
    size_t len = 0;
    zoho_last_error_message(message, sizeof message, &len);
    fprintf(stderr, "%s failed: %u %s: %s\n", what, (unsigned)rc, zoho_result_name(rc), message);
    return 1;
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: %s CONFIG_JSON get USER | exchange CODE\n", argv[0]);
        return 2;
    }
    zoho_client *client = NULL;
    zoho_result rc = zoho_client_new_from_json(argv[1], &client);
    if (rc != ZOHO_RESULT_OK) {
        return fail("zoho_client_new_from_json", rc);
    }
    int status = 0;
    if (strcmp(argv[2], "get") == 0) {
        char *token = NULL;
        rc = zoho_client_get_access_token(client, argv[3], &token);
        if (rc == ZOHO_RESULT_OK) {
            printf("%s\n", token);
            zoho_string_free(token);
        } else {
            status = fail("zoho_client_get_access_token", rc);
        }
    } else if (strcmp(argv[2], "exchange") == 0) {
        zoho_tokens *tokens = NULL;
        rc = zoho_client_generate_access_token(client, argv[3], &tokens);
        char *user = NULL;
        if (rc == ZOHO_RESULT_OK && zoho_tokens_user(tokens, &user) == ZOHO_RESULT_OK) {
            printf("%s\n", user ? user : "");
            zoho_string_free(user);
        } else {
            status = fail("zoho_client_generate_access_token", rc);
        }
        zoho_tokens_free(tokens);
    } else {
        fprintf(stderr, "unknown action %s\n", argv[2]);
        status = 2;
    }
    zoho_client_free(client);
    return status;
}
