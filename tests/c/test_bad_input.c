/* Bad input from C: NULL for every pointer argument, invalid UTF-8, empty and very long
 * strings, small buffers, unknown result codes, double _free(NULL). Each call must return
 * the documented code with a message, leave out-parameters alone, and never reach the
 * network (the client points at a closed port, so a request would show up as
 * ZOHO_RESULT_CONNECT). Also checks that the C enum values equal the Rust codes.
 * Needs no emulator. */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define SENTINEL ((void *)0x5a5a)
#define BAD_UTF8 "ada\xff\xfe@example.com"

static const char *const BAD_STRINGS[] = {"\xff", "a\xc0\xaf", "\xed\xa0\x80", "ok\x80"};
#define N_BAD (sizeof BAD_STRINGS / sizeof BAD_STRINGS[0])

static char *long_string(size_t n) {
    char *s = malloc(n + 1);
    memset(s, 'x', n);
    s[n] = '\0';
    return s;
}

static void expect_message_contains(const char *needle) {
    char *message = t_last_error();
    if (strstr(message, needle) == NULL) {
        fprintf(stderr, "  expected '%s' in: %s\n", needle, message);
    }
    CHECK(strstr(message, needle) != NULL);
    free(message);
}

/* The C enum values equal ErrorKind::code(), and zoho_result_name gives ErrorKind::name():
 * the Rust side maps each number back to the kind of that name. */
static void test_enum_values(void) {
    static const struct {
        zoho_result value;
        unsigned code;
        const char *name;
    } table[] = {
        {ZOHO_RESULT_OK, 0, "ok"},
        {ZOHO_RESULT_INVALID_ARGUMENT, 100, "invalid_argument"},
        {ZOHO_RESULT_CONFIG_MISSING, 101, "config_missing"},
        {ZOHO_RESULT_CONFIG_INVALID, 102, "config_invalid"},
        {ZOHO_RESULT_NOT_INITIALIZED, 103, "not_initialized"},
        {ZOHO_RESULT_MISSING_TOKEN, 104, "missing_token"},
        {ZOHO_RESULT_NULL_ARGUMENT, 110, "null_argument"},
        {ZOHO_RESULT_INVALID_UTF8, 111, "invalid_utf8"},
        {ZOHO_RESULT_CONNECT, 200, "connect"},
        {ZOHO_RESULT_TIMEOUT, 201, "timeout"},
        {ZOHO_RESULT_SERVER_ERROR, 202, "server_error"},
        {ZOHO_RESULT_INVALID_RESPONSE, 203, "invalid_response"},
        {ZOHO_RESULT_INVALID_CODE, 300, "invalid_code"},
        {ZOHO_RESULT_INVALID_CLIENT, 301, "invalid_client"},
        {ZOHO_RESULT_INVALID_CLIENT_SECRET, 302, "invalid_client_secret"},
        {ZOHO_RESULT_INVALID_REDIRECT_URI, 303, "invalid_redirect_uri"},
        {ZOHO_RESULT_RATE_LIMITED, 304, "rate_limited"},
        {ZOHO_RESULT_ACCESS_DENIED, 305, "access_denied"},
        {ZOHO_RESULT_SCOPE_MISSING, 306, "scope_missing"},
        {ZOHO_RESULT_INVALID_TOKEN, 307, "invalid_token"},
        {ZOHO_RESULT_OAUTH_ERROR, 308, "oauth_error"},
        {ZOHO_RESULT_TOKEN_EXPIRED, 309, "token_expired"},
        {ZOHO_RESULT_NO_TOKENS, 400, "no_tokens"},
        {ZOHO_RESULT_STORE_IO, 401, "store_io"},
        {ZOHO_RESULT_STORE_CORRUPT, 402, "store_corrupt"},
        {ZOHO_RESULT_STORE_UNSUPPORTED, 403, "store_unsupported"},
        {ZOHO_RESULT_STORE_UNAVAILABLE, 404, "store_unavailable"},
        {ZOHO_RESULT_LOCK_TIMEOUT, 405, "lock_timeout"},
        {ZOHO_RESULT_INTERNAL, 500, "internal"},
        {ZOHO_RESULT_PANIC, 501, "panic"},
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        CHECK((unsigned)table[i].value == table[i].code);
        CHECK(strcmp(zoho_result_name(table[i].code), table[i].name) == 0);
    }
    /* every other number in the bands is unknown: no value was left out of the table */
    unsigned known = 0;
    for (unsigned code = 0; code < 1000; code++) {
        if (strcmp(zoho_result_name(code), "unknown") != 0) {
            known++;
        }
    }
    CHECK(known == sizeof table / sizeof table[0]);
    CHECK(strcmp(zoho_result_name(0xFFFFFFFFu), "unknown") == 0);
}

static void test_last_error_buffers(void) {
    zoho_client *client = SENTINEL;
    EXPECT_RC(zoho_client_new(NULL, NULL, 0, &client), ZOHO_RESULT_CONFIG_MISSING);
    size_t n = 0;
    CHECK(zoho_last_error_message(NULL, 0, &n) == ZOHO_RESULT_OK);
    CHECK(n == strlen("client_id is mandatory"));
    char small[8];
    memset(small, '#', sizeof small);
    size_t untouched = 77;
    CHECK(zoho_last_error_message(small, sizeof small, &untouched) == ZOHO_RESULT_INVALID_ARGUMENT);
    CHECK(untouched == 77 && small[0] == '#');
    char *exact = malloc(n + 1);
    CHECK(zoho_last_error_message(exact, n, &untouched) == ZOHO_RESULT_INVALID_ARGUMENT); /* no room for NUL */
    CHECK(zoho_last_error_message(exact, n + 1, &untouched) == ZOHO_RESULT_OK);
    CHECK(untouched == n && strcmp(exact, "client_id is mandatory") == 0);
    free(exact);
    CHECK(zoho_last_error_message(small, sizeof small, NULL) == ZOHO_RESULT_NULL_ARGUMENT);
    /* none of the above changed the last error */
    CHECK(zoho_last_error_code() == ZOHO_RESULT_CONFIG_MISSING);
    expect_message_contains("client_id is mandatory");
    zoho_tokens *tokens = SENTINEL;
    CHECK(zoho_last_error_take_unsaved_tokens(NULL) == ZOHO_RESULT_NULL_ARGUMENT);
    CHECK(zoho_last_error_take_unsaved_tokens(&tokens) == ZOHO_RESULT_NO_TOKENS && tokens == SENTINEL);
    CHECK(zoho_last_error_code() == ZOHO_RESULT_CONFIG_MISSING);
    /* functions without a zoho_result do not touch it either */
    CHECK(strcmp(zoho_result_name(0), "ok") == 0 && zoho_version() != NULL);
    CHECK(zoho_last_error_code() == ZOHO_RESULT_CONFIG_MISSING);
    /* (a success clears it: EXPECT_OK checks an empty message and ZOHO_RESULT_OK) */
}

static void test_client_new(const char *dir) {
    const char *keys[] = {"client_id", "client_secret", "redirect_uri", "token_persistence_path"};
    const char *values[] = {TEST_CLIENT_ID, TEST_CLIENT_SECRET, TEST_REDIRECT_URI, dir};
    zoho_client *client = SENTINEL;
    EXPECT_RC(zoho_client_new(keys, values, 4, NULL), ZOHO_RESULT_NULL_ARGUMENT);
    expect_message_contains("out_client is NULL");
    EXPECT_RC(zoho_client_new(NULL, values, 4, &client), ZOHO_RESULT_NULL_ARGUMENT);
    expect_message_contains("keys is NULL");
    EXPECT_RC(zoho_client_new(keys, NULL, 4, &client), ZOHO_RESULT_NULL_ARGUMENT);
    expect_message_contains("values is NULL");
    const char *null_key[] = {"client_id", NULL, "redirect_uri", "token_persistence_path"};
    EXPECT_RC(zoho_client_new(null_key, values, 4, &client), ZOHO_RESULT_NULL_ARGUMENT);
    expect_message_contains("keys[1] is NULL");
    const char *null_value[] = {TEST_CLIENT_ID, TEST_CLIENT_SECRET, NULL, dir};
    EXPECT_RC(zoho_client_new(keys, null_value, 4, &client), ZOHO_RESULT_NULL_ARGUMENT);
    expect_message_contains("values[2] is NULL");
    for (size_t i = 0; i < N_BAD; i++) {
        const char *bad_key[] = {"client_id", BAD_STRINGS[i], "redirect_uri", "token_persistence_path"};
        EXPECT_RC(zoho_client_new(bad_key, values, 4, &client), ZOHO_RESULT_INVALID_UTF8);
        const char *bad_value[] = {TEST_CLIENT_ID, BAD_STRINGS[i], TEST_REDIRECT_URI, dir};
        EXPECT_RC(zoho_client_new(keys, bad_value, 4, &client), ZOHO_RESULT_INVALID_UTF8);
        expect_message_contains("values[1] is not valid UTF-8");
    }
    EXPECT_RC(zoho_client_new(NULL, NULL, 0, &client), ZOHO_RESULT_CONFIG_MISSING);
    const char *empty_keys[] = {"", "", "", ""};
    EXPECT_RC(zoho_client_new(empty_keys, values, 4, &client), ZOHO_RESULT_CONFIG_MISSING);
    const char *empty_values[] = {"", "", "", ""};
    EXPECT_RC(zoho_client_new(keys, empty_values, 4, &client), ZOHO_RESULT_CONFIG_MISSING);
    expect_message_contains("client_id value is missing");
    /* No store named: refused, nothing guessed (Zoho's PHP SDK would connect to MySQL on
     * localhost as root; only the PHP door does that). */
    EXPECT_RC(zoho_client_new(keys, values, 3, &client), ZOHO_RESULT_CONFIG_MISSING);
    expect_message_contains("no token store is configured");
    expect_message_contains("token_persistence_path or token_store is mandatory");
    expect_message_contains("token_store=mysql");
    /* A token_store no store of this library answers to: refused by the selector, naming
     * the values there are. */
    const char *store_keys[] = {"client_id", "client_secret", "redirect_uri", "token_store"};
    const char *postgres[] = {TEST_CLIENT_ID, TEST_CLIENT_SECRET, TEST_REDIRECT_URI, " Postgres "};
    EXPECT_RC(zoho_client_new(store_keys, postgres, 4, &client), ZOHO_RESULT_CONFIG_INVALID);
    expect_message_contains("token_store must be file, mysql or redis (not 'postgres')");
    EXPECT_RC(zoho_client_new_from_json("{\"client_id\":\"" TEST_CLIENT_ID "\",\"client_secret\":\"s\","
                                        "\"redirect_uri\":\"" TEST_REDIRECT_URI "\"}",
                                        &client),
              ZOHO_RESULT_CONFIG_MISSING);
    expect_message_contains("no token store is configured");
    char *big = long_string(5000);
    const char *long_id[] = {big, TEST_CLIENT_SECRET, TEST_REDIRECT_URI, dir};
    EXPECT_RC(zoho_client_new(keys, long_id, 4, &client), ZOHO_RESULT_CONFIG_INVALID);
    free(big);
    big = long_string(1 << 20);
    const char *long_path[] = {TEST_CLIENT_ID, TEST_CLIENT_SECRET, TEST_REDIRECT_URI, big};
    /* relative: refused before it is used (it would land in the working directory) */
    EXPECT_RC(zoho_client_new(keys, long_path, 4, &client), ZOHO_RESULT_CONFIG_INVALID);
    expect_message_contains("is relative");
    big[0] = '/';
    EXPECT_RC(zoho_client_new(keys, long_path, 4, &client), ZOHO_RESULT_STORE_IO);
    big[0] = 'x';
    const char *long_key[] = {big, "client_secret", "redirect_uri", "token_persistence_path"};
    EXPECT_RC(zoho_client_new(long_key, values, 4, &client), ZOHO_RESULT_CONFIG_MISSING);
    free(big);

    EXPECT_RC(zoho_client_new_from_json(NULL, &client), ZOHO_RESULT_NULL_ARGUMENT);
    expect_message_contains("json is NULL");
    EXPECT_RC(zoho_client_new_from_json("{}", NULL), ZOHO_RESULT_NULL_ARGUMENT);
    EXPECT_RC(zoho_client_new_from_json("", &client), ZOHO_RESULT_CONFIG_INVALID);
    EXPECT_RC(zoho_client_new_from_json("{}", &client), ZOHO_RESULT_CONFIG_MISSING);
    EXPECT_RC(zoho_client_new_from_json("{\"client_id\":\"" BAD_UTF8 "\"}", &client),
              ZOHO_RESULT_INVALID_UTF8);
    size_t huge = 1 << 20;
    char *json = malloc(huge + 64);
    strcpy(json, "{\"client_id\":\"");
    memset(json + strlen(json), 'y', huge);
    strcpy(json + 14 + huge, "\"}");
    EXPECT_RC(zoho_client_new_from_json(json, &client), ZOHO_RESULT_CONFIG_MISSING);
    free(json);
    CHECK(client == SENTINEL);
}

/* Writes a token file in the SDK 1.x format, with an access token valid until 2100, so
 * tokens can be read without any network. */
static void write_token_file(const char *dir) {
    char path[600];
    snprintf(path, sizeof path, "%s/zcrm_oauthtokens.txt", dir);
    const char *refresh = "1000.refresh.offline";
    const char *access = "1000.access.offline";
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    if (f == NULL) {
        return;
    }
    fprintf(f,
            "a:1:{i:0;O:15:\"ZohoOAuthTokens\":4:{s:12:\"refreshToken\";s:%zu:\"%s\";"
            "s:11:\"accessToken\";s:%zu:\"%s\";s:10:\"expiryTime\";d:4102444800000;"
            "s:11:\"userEmailId\";s:%zu:\"%s\";}}",
            strlen(refresh), refresh, strlen(access), access, strlen(TEST_USER), TEST_USER);
    fclose(f);
}

/* Every user-string argument of the client: NULL, bad UTF-8, empty, long. */
static void test_user_arguments(const zoho_client *client) {
    char *big = long_string(5000);
    char *s = SENTINEL;
    zoho_tokens *t = SENTINEL;
    const char *users[] = {NULL, BAD_UTF8, "", big};
    const zoho_result want[] = {ZOHO_RESULT_NULL_ARGUMENT, ZOHO_RESULT_INVALID_UTF8,
                                ZOHO_RESULT_INVALID_ARGUMENT, ZOHO_RESULT_INVALID_ARGUMENT};
    bool deleted = true;
    for (size_t i = 0; i < 4; i++) {
        EXPECT_RC(zoho_client_get_access_token(client, users[i], &s), want[i]);
        EXPECT_RC(zoho_client_get_tokens(client, users[i], &t), want[i]);
        EXPECT_RC(zoho_client_refresh(client, users[i], &t), want[i]);
        EXPECT_RC(zoho_client_revoke(client, users[i]), want[i]);
        EXPECT_RC(zoho_client_delete_tokens(client, users[i], &deleted), want[i]);
        EXPECT_RC(zoho_client_generate_access_token_from_refresh_token(client, "1000.r", users[i], &t),
                  want[i]);
    }
    expect_message_contains("longer than 4096 bytes");
    EXPECT_RC(zoho_client_get_access_token(client, NULL, &s), ZOHO_RESULT_NULL_ARGUMENT);
    expect_message_contains("user is NULL");
    CHECK(s == SENTINEL && t == SENTINEL && deleted);

    /* the client itself */
    EXPECT_RC(zoho_client_get_access_token(NULL, TEST_USER, &s), ZOHO_RESULT_NULL_ARGUMENT);
    expect_message_contains("client is NULL");
    EXPECT_RC(zoho_client_get_tokens(NULL, TEST_USER, &t), ZOHO_RESULT_NULL_ARGUMENT);
    EXPECT_RC(zoho_client_refresh(NULL, TEST_USER, &t), ZOHO_RESULT_NULL_ARGUMENT);
    EXPECT_RC(zoho_client_revoke(NULL, TEST_USER), ZOHO_RESULT_NULL_ARGUMENT);
    EXPECT_RC(zoho_client_delete_tokens(NULL, TEST_USER, &deleted), ZOHO_RESULT_NULL_ARGUMENT);
    EXPECT_RC(zoho_client_list_tokens(NULL, (zoho_token_list **)&t), ZOHO_RESULT_NULL_ARGUMENT);
    /* out-parameters */
    EXPECT_RC(zoho_client_get_access_token(client, TEST_USER, NULL), ZOHO_RESULT_NULL_ARGUMENT);
    expect_message_contains("out_access_token is NULL");
    EXPECT_RC(zoho_client_get_tokens(client, TEST_USER, NULL), ZOHO_RESULT_NULL_ARGUMENT);
    EXPECT_RC(zoho_client_refresh(client, TEST_USER, NULL), ZOHO_RESULT_NULL_ARGUMENT);
    EXPECT_RC(zoho_client_list_tokens(client, NULL), ZOHO_RESULT_NULL_ARGUMENT);
    EXPECT_RC(zoho_client_generate_access_token_from_refresh_token(client, "1000.r", TEST_USER, NULL),
              ZOHO_RESULT_NULL_ARGUMENT);
    CHECK(s == SENTINEL && t == SENTINEL);
    free(big);
}

/* Token arguments (grant, refresh, access token): NULL, bad UTF-8, empty, long. */
static void test_token_arguments(const zoho_client *client) {
    char *big = long_string(5000);
    char *huge = long_string(1 << 20);
    zoho_tokens *t = SENTINEL;
    char *s = SENTINEL;
    const char *tokens[] = {NULL, BAD_UTF8, "", "   ", big, huge};
    const zoho_result want[] = {ZOHO_RESULT_NULL_ARGUMENT, ZOHO_RESULT_INVALID_UTF8,
                                ZOHO_RESULT_MISSING_TOKEN, ZOHO_RESULT_MISSING_TOKEN,
                                ZOHO_RESULT_INVALID_ARGUMENT, ZOHO_RESULT_INVALID_ARGUMENT};
    for (size_t i = 0; i < 6; i++) {
        EXPECT_RC(zoho_client_generate_access_token(client, tokens[i], &t), want[i]);
        EXPECT_RC(zoho_client_generate_access_token_from_refresh_token(client, tokens[i], TEST_USER, &t),
                  want[i]);
        EXPECT_RC(zoho_client_user_email(client, tokens[i], &s), want[i]);
    }
    EXPECT_RC(zoho_client_generate_access_token(client, "", &t), ZOHO_RESULT_MISSING_TOKEN);
    expect_message_contains("Grant Token is not provided.");
    EXPECT_RC(zoho_client_generate_access_token_from_refresh_token(client, "", TEST_USER, &t),
              ZOHO_RESULT_MISSING_TOKEN);
    expect_message_contains("Refresh token is not provided.");
    EXPECT_RC(zoho_client_generate_access_token(client, NULL, &t), ZOHO_RESULT_NULL_ARGUMENT);
    expect_message_contains("grant_token is NULL");
    EXPECT_RC(zoho_client_generate_access_token(NULL, "1000.code", &t), ZOHO_RESULT_NULL_ARGUMENT);
    EXPECT_RC(zoho_client_generate_access_token(client, "1000.code", NULL), ZOHO_RESULT_NULL_ARGUMENT);
    EXPECT_RC(zoho_client_generate_access_token_from_refresh_token(NULL, "1000.r", TEST_USER, &t),
              ZOHO_RESULT_NULL_ARGUMENT);
    EXPECT_RC(zoho_client_user_email(NULL, "1000.a", &s), ZOHO_RESULT_NULL_ARGUMENT);
    EXPECT_RC(zoho_client_user_email(client, "1000.a", NULL), ZOHO_RESULT_NULL_ARGUMENT);
    CHECK(t == SENTINEL && s == SENTINEL);
    free(big);
    free(huge);
}

static void test_authorization_url(const zoho_client *client) {
    char *url = SENTINEL;
    EXPECT_RC(zoho_client_authorization_url(NULL, TEST_SCOPES, NULL, false, NULL, &url), ZOHO_RESULT_NULL_ARGUMENT);
    EXPECT_RC(zoho_client_authorization_url(client, NULL, NULL, false, NULL, &url), ZOHO_RESULT_NULL_ARGUMENT);
    expect_message_contains("scopes is NULL");
    EXPECT_RC(zoho_client_authorization_url(client, TEST_SCOPES, NULL, false, NULL, NULL), ZOHO_RESULT_NULL_ARGUMENT);
    EXPECT_RC(zoho_client_authorization_url(client, "", NULL, false, NULL, &url), ZOHO_RESULT_INVALID_ARGUMENT);
    EXPECT_RC(zoho_client_authorization_url(client, " , ,", NULL, false, NULL, &url), ZOHO_RESULT_INVALID_ARGUMENT);
    EXPECT_RC(zoho_client_authorization_url(client, BAD_UTF8, NULL, false, NULL, &url), ZOHO_RESULT_INVALID_UTF8);
    EXPECT_RC(zoho_client_authorization_url(client, TEST_SCOPES, BAD_UTF8, false, NULL, &url), ZOHO_RESULT_INVALID_UTF8);
    EXPECT_RC(zoho_client_authorization_url(client, TEST_SCOPES, NULL, false, BAD_UTF8, &url), ZOHO_RESULT_INVALID_UTF8);
    expect_message_contains("state is not valid UTF-8");
    CHECK(url == SENTINEL);
    /* NULL is allowed for access_type and state */
    EXPECT_OK(zoho_client_authorization_url(client, TEST_SCOPES, NULL, false, NULL, &url));
    CHECK(url != SENTINEL && strstr(url, "access_type=offline") != NULL && strstr(url, "state=") == NULL);
    zoho_string_free(url);
    EXPECT_OK(zoho_client_authorization_url(client, TEST_SCOPES, "online", false, "", &url));
    CHECK(url != SENTINEL && strstr(url, "access_type=online") != NULL);
    zoho_string_free(url);
}

static void test_tokens_and_lists(const zoho_client *client) {
    /* read offline from the token file */
    char *token = NULL;
    EXPECT_OK(zoho_client_get_access_token(client, TEST_USER, &token));
    CHECK(token != NULL && strcmp(token, "1000.access.offline") == 0);
    zoho_string_free(token);
    EXPECT_RC(zoho_client_get_access_token(client, "nobody@example.com", &token), ZOHO_RESULT_NO_TOKENS);
    expect_message_contains("No Tokens exist for the given user-identifier");

    zoho_token_list *list = NULL;
    EXPECT_OK(zoho_client_list_tokens(client, &list));
    CHECK(zoho_token_list_len(list) == 1);
    CHECK(zoho_token_list_len(NULL) == 0);
    zoho_tokens *t = SENTINEL;
    EXPECT_RC(zoho_token_list_get(list, 1, &t), ZOHO_RESULT_INVALID_ARGUMENT);
    EXPECT_RC(zoho_token_list_get(list, (size_t)-1, &t), ZOHO_RESULT_INVALID_ARGUMENT);
    EXPECT_RC(zoho_token_list_get(NULL, 0, &t), ZOHO_RESULT_NULL_ARGUMENT);
    EXPECT_RC(zoho_token_list_get(list, 0, NULL), ZOHO_RESULT_NULL_ARGUMENT);
    CHECK(t == SENTINEL);
    EXPECT_OK(zoho_token_list_get(list, 0, &t));
    zoho_token_list_free(list); /* tokens taken from a list outlive it */

    zoho_result (*getters[])(const zoho_tokens *, char **) = {
        zoho_tokens_access_token, zoho_tokens_refresh_token, zoho_tokens_user,
        zoho_tokens_api_domain, zoho_tokens_scope};
    for (size_t i = 0; i < sizeof getters / sizeof getters[0]; i++) {
        char *value = SENTINEL;
        EXPECT_RC(getters[i](NULL, &value), ZOHO_RESULT_NULL_ARGUMENT);
        expect_message_contains("tokens is NULL");
        EXPECT_RC(getters[i](t, NULL), ZOHO_RESULT_NULL_ARGUMENT);
        CHECK(value == SENTINEL);
        EXPECT_OK(getters[i](t, &value));
        CHECK(value != SENTINEL);
        zoho_string_free(value);
    }
    char *domain = SENTINEL;
    EXPECT_OK(zoho_tokens_api_domain(t, &domain)); /* the SDK file does not keep it */
    CHECK(domain == NULL);
    int64_t expiry = 7;
    EXPECT_RC(zoho_tokens_expiry_ms(NULL, &expiry), ZOHO_RESULT_NULL_ARGUMENT);
    EXPECT_RC(zoho_tokens_expiry_ms(t, NULL), ZOHO_RESULT_NULL_ARGUMENT);
    CHECK(expiry == 7);
    EXPECT_OK(zoho_tokens_expiry_ms(t, &expiry));
    CHECK(expiry == 4102444800000LL);
    zoho_tokens_free(t);
}

/* A Rust panic inside an export (forced by the debug-only ZOHO_OAUTH_C_TEST_PANIC switch)
 * returns ZOHO_RESULT_PANIC with a message, leaves the out-parameter alone, and the client
 * keeps working afterwards. */
static void test_panic_is_a_result_code(const zoho_client *client) {
    char *token = SENTINEL;
    setenv("ZOHO_OAUTH_C_TEST_PANIC", "1", 1);
    EXPECT_RC(zoho_client_get_access_token(client, "ada@example.com", &token), ZOHO_RESULT_PANIC);
    unsetenv("ZOHO_OAUTH_C_TEST_PANIC");
    CHECK(token == SENTINEL);
    expect_message_contains("a panic was caught in");
    EXPECT_RC(zoho_client_get_access_token(client, "nobody@example.com", &token), ZOHO_RESULT_NO_TOKENS);
    CHECK(token == SENTINEL);
}

static void test_double_free_null(void) {
    zoho_client_free(NULL);
    zoho_client_free(NULL);
    zoho_tokens_free(NULL);
    zoho_tokens_free(NULL);
    zoho_token_list_free(NULL);
    zoho_token_list_free(NULL);
    zoho_string_free(NULL);
    zoho_string_free(NULL);
    CHECK(true);
}

int main(void) {
    char *dir = t_mkdtemp();
    t_add_secret(TEST_CLIENT_SECRET);
    test_enum_values();
    test_last_error_buffers();
    test_client_new(dir);
    write_token_file(dir);
    /* port 1: any request that slipped through would fail with ZOHO_RESULT_CONNECT */
    const char *keys[] = {"client_id", "client_secret", "redirect_uri", "token_persistence_path",
                          "accounts_url"};
    const char *values[] = {TEST_CLIENT_ID, TEST_CLIENT_SECRET, TEST_REDIRECT_URI, dir,
                            "http://127.0.0.1:1"};
    zoho_client *client = NULL;
    EXPECT_OK(zoho_client_new(keys, values, 5, &client));
    if (client != NULL) {
        test_user_arguments(client);
        test_token_arguments(client);
        test_authorization_url(client);
        test_tokens_and_lists(client);
        test_panic_is_a_result_code(client);
    }
    zoho_client_free(client);
    test_double_free_null();
    t_rmtree(dir);
    free(dir);
    return t_finish("test_bad_input");
}
