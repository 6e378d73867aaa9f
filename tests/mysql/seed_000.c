/* Seed 000's configuration through the C door on the MySQL store: the SDK's keys
 * (zoho_client_new) and the same keys as JSON (zoho_client_new_from_json).
 *
 *   seed_000 EMULATOR_URL GRANT PORT TABLE   prints "<access token from the grant>\n<bob's token>\n"
 *
 * Run by capi/tests/mysql_c.rs, which checks the output against the table. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zoho_oauth.h"

static void fail(const char *what) {
    char msg[512];
    size_t len = 0;
    zoho_last_error_message(msg, sizeof msg, &len);
    fprintf(stderr, "%s failed: %s (%s)\n", what, msg, zoho_result_name(zoho_last_error_code()));
    exit(1);
}

int main(int argc, char **argv) {
    if (argc != 5) {
        fprintf(stderr, "usage: seed_000 EMULATOR_URL GRANT PORT TABLE\n");
        return 2;
    }
    /* The C door guesses no store: MySQL is asked for (token_store), then the SDK's keys. */
    const char *keys[] = {"client_id", "client_secret", "redirect_uri", "currentUserEmail", "accounts_url",
                          "token_store", "host_address", "db_port", "db_username", "db_password", "mysql_table"};
    const char *values[] = {"1000.TESTCLIENT0000000000000000001", "5ecret+&=%0f1e2d3c4b5a69788796a5b4c3d2e1f0",
                            "https://example.com/zoho/callback", "ada@example.com", argv[1],
                            "mysql", "localhost", argv[3], "root", "", argv[4]};
    zoho_client *client = NULL;
    if (zoho_client_new(keys, values, sizeof keys / sizeof keys[0], &client) != ZOHO_RESULT_OK) fail("zoho_client_new");
    zoho_tokens *tokens = NULL;
    if (zoho_client_generate_access_token(client, argv[2], &tokens) != ZOHO_RESULT_OK) fail("generate_access_token");
    zoho_tokens_free(tokens);
    char *access = NULL;
    if (zoho_client_get_access_token(client, "ada@example.com", &access) != ZOHO_RESULT_OK) fail("get_access_token");
    printf("%s\n", access);
    zoho_string_free(access);
    zoho_client_free(client);

    char json[1024];
    snprintf(json, sizeof json,
             "{\"client_id\":\"%s\",\"client_secret\":\"%s\",\"redirect_uri\":\"%s\",\"accounts_url\":\"%s\","
             "\"token_store\":\"mysql\",\"host_address\":\"localhost\",\"db_port\":%s,\"db_username\":\"root\",\"mysql_table\":\"%s\"}",
             values[0], values[1], values[2], argv[1], argv[3], argv[4]);
    if (zoho_client_new_from_json(json, &client) != ZOHO_RESULT_OK) fail("zoho_client_new_from_json");
    if (zoho_client_get_access_token(client, "bob@example.com", &access) != ZOHO_RESULT_OK) fail("get_access_token(bob)");
    printf("%s\n", access);
    zoho_string_free(access);
    zoho_client_free(client);
    return 0;
}
