/* A complete C example (named in capi/include/README.md), built by run.sh against the installed library with pkg-config:
 *   cc example.c $(pkg-config --cflags --libs zoho-oauth) -o example
 * Usage: example CONFIG.json USER [GRANT_TOKEN]
 * Exchanges the grant token when one is given, then prints a valid access token's prefix. */
#include <stdio.h>
#include <stdlib.h>

#include <zoho_oauth.h>

/* Prints the calling thread's last error: ask the size, then copy. */
static int fail(const char *what, zoho_result rc) {
    size_t n = 0;
    zoho_last_error_message(NULL, 0, &n);
    char *message = malloc(n + 1);
    if (message != NULL && zoho_last_error_message(message, n + 1, &n) == ZOHO_RESULT_OK) {
        fprintf(stderr, "%s failed: %s (%d): %s\n", what, zoho_result_name(rc), (int)rc, message);
    }
    free(message);
    return 1;
}

static char *read_file(const char *path) {
    FILE *f = fopen(path, "rb");
    char *text = f ? calloc(1, 65536) : NULL;
    if (text != NULL) {
        size_t n = fread(text, 1, 65535, f);
        text[n] = '\0';
    }
    if (f != NULL) {
        fclose(f);
    }
    return text;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: %s CONFIG.json USER [GRANT_TOKEN]\n", argv[0]);
        return 2;
    }
    char *json = read_file(argv[1]);
    zoho_client *client = NULL;
    zoho_result rc = zoho_client_new_from_json(json, &client);
    free(json);
    if (rc != ZOHO_RESULT_OK) {
        return fail("zoho_client_new_from_json", rc);
    }
    int status = 0;
    if (argc > 3) {
        zoho_tokens *tokens = NULL;
        rc = zoho_client_generate_access_token(client, argv[3], &tokens);
        status = rc == ZOHO_RESULT_OK ? 0 : fail("zoho_client_generate_access_token", rc);
        zoho_tokens_free(tokens);
    }
    char *token = NULL;
    if (status == 0) {
        rc = zoho_client_get_access_token(client, argv[2], &token);
        status = rc == ZOHO_RESULT_OK ? 0 : fail("zoho_client_get_access_token", rc);
    }
    if (token != NULL) {
        /* use it as: Authorization: Zoho-oauthtoken <token> */
        printf("zoho-oauth %s: access token %.9s...\n", zoho_version(), token);
    }
    zoho_string_free(token);
    zoho_client_free(client);
    return status;
}
