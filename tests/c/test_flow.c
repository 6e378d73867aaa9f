/* The whole flow of the C API against the accounts emulator, and every error path:
 * grant exchange, the persisted token file, get (cached), expiry, refresh, list, user lookup,
 * authorization URL, revoke, delete; configuration, Zoho, transport and store errors.
 * Every failure is checked for its code, a non-empty last error without secrets, and
 * untouched out-parameters. Needs EMULATOR_URL. */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "harness.h"

#define SENTINEL ((void *)0x5a5a)

static zoho_client *client_with(const char *dir, const char *accounts_url, const char *extra_key,
                                const char *extra_value) {
    const char *keys[] = {"client_id", "client_secret", "redirect_uri", "accounts_url",
                          "token_persistence_path", "timeout_secs", "connect_timeout_secs",
                          extra_key ? extra_key : "unused_key"};
    const char *values[] = {TEST_CLIENT_ID, TEST_CLIENT_SECRET, TEST_REDIRECT_URI, accounts_url,
                            dir, "5", "2", extra_value ? extra_value : ""};
    zoho_client *client = NULL;
    EXPECT_OK(zoho_client_new(keys, values, sizeof keys / sizeof keys[0], &client));
    return client;
}

static char *field(zoho_result (*getter)(const zoho_tokens *, char **), const zoho_tokens *t) {
    char *value = SENTINEL;
    EXPECT_OK(getter(t, &value));
    return value == SENTINEL ? NULL : value;
}

static void test_version_and_names(void) {
    const char *version = zoho_version();
    CHECK(version != NULL && strchr(version, '.') != NULL);
    CHECK(strcmp(zoho_result_name(ZOHO_RESULT_OK), "ok") == 0);
    CHECK(strcmp(zoho_result_name(ZOHO_RESULT_INVALID_CODE), "invalid_code") == 0);
    CHECK(strcmp(zoho_result_name(12345), "unknown") == 0);
}

static void expect_config_error(const char *const *keys, const char *const *values, size_t n,
                                zoho_result want, const char *message) {
    zoho_client *client = SENTINEL;
    EXPECT_RC(zoho_client_new(keys, values, n, &client), want);
    CHECK(client == SENTINEL);
    if (message != NULL) {
        char *got = t_last_error();
        if (strstr(got, message) == NULL) {
            fprintf(stderr, "  message was: %s\n", got);
        }
        CHECK(strstr(got, message) != NULL);
        free(got);
    }
}

static void test_config_errors(const char *dir) {
    const char *keys[] = {"client_id", "client_secret", "redirect_uri", "token_persistence_path",
                          "accounts_url"};
    const char *values[] = {TEST_CLIENT_ID, TEST_CLIENT_SECRET, TEST_REDIRECT_URI, dir,
                            emu_url()};
    expect_config_error(keys, values, 0, ZOHO_RESULT_CONFIG_MISSING, "client_id is mandatory");
    expect_config_error(keys, values, 1, ZOHO_RESULT_CONFIG_MISSING, "client_secret is mandatory");
    expect_config_error(keys, values, 2, ZOHO_RESULT_CONFIG_MISSING, "redirect_uri is mandatory");
    expect_config_error(keys, values, 3, ZOHO_RESULT_STORE_UNSUPPORTED, "token_persistence_path");
    const char *empty[] = {TEST_CLIENT_ID, "", TEST_REDIRECT_URI, dir, emu_url()};
    expect_config_error(keys, empty, 5, ZOHO_RESULT_CONFIG_MISSING, "client_secret value is missing");
    const char *remote[] = {TEST_CLIENT_ID, TEST_CLIENT_SECRET, TEST_REDIRECT_URI, dir,
                            "http://accounts.zoho.com"};
    expect_config_error(keys, remote, 5, ZOHO_RESULT_CONFIG_INVALID, "accounts_url");
    const char *missing_dir[] = {TEST_CLIENT_ID, TEST_CLIENT_SECRET, TEST_REDIRECT_URI,
                                 "/nonexistent/zoho-capi", emu_url()};
    expect_config_error(keys, missing_dir, 5, ZOHO_RESULT_STORE_IO, "/nonexistent/zoho-capi");

    zoho_client *client = SENTINEL;
    EXPECT_RC(zoho_client_new_from_json("{\"client_id\":", &client), ZOHO_RESULT_CONFIG_INVALID);
    EXPECT_RC(zoho_client_new_from_json("[\"" TEST_CLIENT_SECRET "\"]", &client),
              ZOHO_RESULT_CONFIG_INVALID);
    EXPECT_RC(zoho_client_new_from_json("{\"client_secret\":{\"v\":\"" TEST_CLIENT_SECRET "\"}}", &client),
              ZOHO_RESULT_CONFIG_INVALID);
    EXPECT_RC(zoho_client_new_from_json("{\"client_id\":\"x\",\"client_secret\":\"y\","
                                        "\"redirect_uri\":\"https://e/cb\","
                                        "\"token_persistence_path\":\"/tmp\","
                                        "\"token_store_format\":\"xml\"}", &client),
              ZOHO_RESULT_CONFIG_INVALID);
    EXPECT_RC(zoho_client_new_from_json("{\"client_id\":\"x\",\"client_secret\":\"y\","
                                        "\"redirect_uri\":\"https://e/cb\","
                                        "\"token_persistence_path\":\"/tmp\","
                                        "\"refresh_margin_secs\":-5}", &client),
              ZOHO_RESULT_CONFIG_INVALID);
    CHECK(client == SENTINEL);
}

static void test_persisted_file(const char *dir, const char *access_token) {
    char path[600];
    snprintf(path, sizeof path, "%s/zcrm_oauthtokens.txt", dir);
    char *text = t_read_file(path);
    CHECK(text != NULL);
    if (text != NULL) {
        CHECK(strstr(text, "ZohoOAuthTokens") != NULL); /* the PHP SDK's serialize format */
        CHECK(strstr(text, TEST_USER) != NULL);
        CHECK(strstr(text, access_token) != NULL);
    }
    free(text);
    struct stat st;
    CHECK(stat(path, &st) == 0 && (st.st_mode & 0077) == 0); /* no group/other access */
}

static void check_expiry_near(const zoho_tokens *t, long long secs) {
    int64_t expiry = 0;
    EXPECT_OK(zoho_tokens_expiry_ms(t, &expiry));
    long long left = (long long)expiry - t_now_ms();
    CHECK(left > (secs - 10) * 1000 && left <= secs * 1000 + 1000);
}

/* Grant exchange, file, get, expiry, refresh, list, user lookup, a second client. */
static void test_flow(const char *dir, char **refresh_out, char **grant_out) {
    zoho_client *client = client_with(dir, emu_url(), "refresh_margin_secs", "60");
    char *grant = emu_grant(TEST_USER, TEST_SCOPES, NULL);
    zoho_tokens *tokens = NULL;
    EXPECT_OK(zoho_client_generate_access_token(client, grant, &tokens));
    CHECK(tokens != NULL);
    *grant_out = grant;

    char *access = field(zoho_tokens_access_token, tokens);
    char *refresh = field(zoho_tokens_refresh_token, tokens);
    char *user = field(zoho_tokens_user, tokens);
    char *domain = field(zoho_tokens_api_domain, tokens);
    char *scope = field(zoho_tokens_scope, tokens);
    t_add_secret(access);
    t_add_secret(refresh);
    CHECK(access != NULL && strncmp(access, "1000.", 5) == 0);
    CHECK(refresh != NULL && strncmp(refresh, "1000.", 5) == 0);
    CHECK(user != NULL && strcmp(user, TEST_USER) == 0);
    CHECK(domain != NULL && strcmp(domain, emu_url()) == 0);
    CHECK(scope != NULL && strstr(scope, "AaaServer.profile.READ") != NULL);
    check_expiry_near(tokens, 3600);
    CHECK(emu_counter("token.authorization_code") == 1);
    test_persisted_file(dir, access);

    /* get: answered from the cache, no refresh, the token works */
    char *got = NULL;
    EXPECT_OK(zoho_client_get_access_token(client, TEST_USER, &got));
    CHECK(got != NULL && strcmp(got, access) == 0);
    CHECK(emu_counter("token.refresh_token") == 0);
    CHECK(emu_resource_status(got) == 200);
    got = t_free_str(got);

    /* user lookup and list */
    char *email = NULL;
    EXPECT_OK(zoho_client_user_email(client, access, &email));
    CHECK(email != NULL && strcmp(email, TEST_USER) == 0);
    email = t_free_str(email);
    zoho_token_list *list = NULL;
    EXPECT_OK(zoho_client_list_tokens(client, &list));
    CHECK(zoho_token_list_len(list) == 1);
    zoho_tokens *first = NULL;
    EXPECT_OK(zoho_token_list_get(list, 0, &first));
    zoho_token_list_free(list);
    char *first_user = field(zoho_tokens_user, first);
    CHECK(first_user != NULL && strcmp(first_user, TEST_USER) == 0);
    first_user = t_free_str(first_user);
    zoho_tokens_free(first);

    /* expiry: tokens that live 60 s are stale at once with a 60 s margin */
    emu_ttl(60);
    zoho_tokens *short_lived = NULL;
    EXPECT_OK(zoho_client_refresh(client, TEST_USER, &short_lived));
    CHECK(emu_counter("token.refresh_token") == 1);
    check_expiry_near(short_lived, 60);
    char *stale = field(zoho_tokens_access_token, short_lived);
    t_add_secret(stale);
    CHECK(stale != NULL && strcmp(stale, access) != 0);
    char *kept_refresh = field(zoho_tokens_refresh_token, short_lived);
    CHECK(kept_refresh != NULL && strcmp(kept_refresh, refresh) == 0); /* Zoho omits it on refresh */
    kept_refresh = t_free_str(kept_refresh);
    zoho_tokens_free(short_lived);

    /* get refreshes the stale token exactly once; the next get uses the fresh one */
    emu_ttl(3600);
    EXPECT_OK(zoho_client_get_access_token(client, TEST_USER, &got));
    CHECK(emu_counter("token.refresh_token") == 2);
    CHECK(got != NULL && strcmp(got, stale) != 0);
    t_add_secret(got);
    char *again = NULL;
    EXPECT_OK(zoho_client_get_access_token(client, TEST_USER, &again));
    CHECK(again != NULL && got != NULL && strcmp(again, got) == 0);
    CHECK(emu_counter("token.refresh_token") == 2);
    CHECK(emu_resource_status(again) == 200);
    again = t_free_str(again);
    zoho_tokens *current = NULL;
    EXPECT_OK(zoho_client_get_tokens(client, TEST_USER, &current));
    check_expiry_near(current, 3600);
    zoho_tokens_free(current);

    /* a second client (from JSON) reads the persisted file: same token, no request */
    char json[1024];
    snprintf(json, sizeof json,
             "{\"client_id\":\"%s\",\"client_secret\":\"%s\",\"redirect_uri\":\"%s\","
             "\"accounts_url\":\"%s\",\"token_persistence_path\":\"%s\",\"refresh_margin_secs\":60,"
             "\"unknown_key\":null}",
             TEST_CLIENT_ID, TEST_CLIENT_SECRET, TEST_REDIRECT_URI, emu_url(), dir);
    zoho_client *second = NULL;
    EXPECT_OK(zoho_client_new_from_json(json, &second));
    EXPECT_OK(zoho_client_get_access_token(second, TEST_USER, &again));
    CHECK(again != NULL && got != NULL && strcmp(again, got) == 0);
    CHECK(emu_counter("token.refresh_token") == 2);
    again = t_free_str(again);
    zoho_client_free(second);
    got = t_free_str(got);

    /* from a refresh token, under another identifier; then delete it */
    zoho_tokens *bob = NULL;
    EXPECT_OK(zoho_client_generate_access_token_from_refresh_token(client, refresh, "bob", &bob));
    char *bob_user = field(zoho_tokens_user, bob);
    CHECK(bob_user != NULL && strcmp(bob_user, "bob") == 0);
    bob_user = t_free_str(bob_user);
    zoho_tokens_free(bob);
    EXPECT_OK(zoho_client_list_tokens(client, &list));
    CHECK(zoho_token_list_len(list) == 2);
    zoho_token_list_free(list);
    bool deleted = false;
    EXPECT_OK(zoho_client_delete_tokens(client, "bob", &deleted));
    CHECK(deleted);
    EXPECT_OK(zoho_client_delete_tokens(client, "bob", &deleted));
    CHECK(!deleted);
    EXPECT_OK(zoho_client_delete_tokens(client, "bob", NULL));

    /* authorization URL */
    char *url = NULL;
    EXPECT_OK(zoho_client_authorization_url(client, TEST_SCOPES, NULL, true, "st ate", &url));
    CHECK(url != NULL && strncmp(url, emu_url(), strlen(emu_url())) == 0);
    CHECK(url != NULL && strstr(url, "/oauth/v2/auth?scope=ZohoCRM.modules.ALL%2CAaaServer.profile.READ") != NULL);
    CHECK(url != NULL && strstr(url, "client_id=" TEST_CLIENT_ID) != NULL);
    CHECK(url != NULL && strstr(url, "prompt=consent") != NULL && strstr(url, "state=st+ate") != NULL);
    CHECK(url != NULL && strstr(url, "capi5ecret") == NULL);
    url = t_free_str(url);

    /* revoke: Zoho forgets the refresh token and its access tokens; the entry is deleted */
    EXPECT_OK(zoho_client_revoke(client, TEST_USER));
    CHECK(emu_counter("revoke") == 1);
    char *none = SENTINEL;
    EXPECT_RC(zoho_client_get_access_token(client, TEST_USER, &none), ZOHO_RESULT_NO_TOKENS);
    CHECK(none == SENTINEL);
    CHECK(emu_resource_status(access) == 401);
    EXPECT_RC(zoho_client_revoke(client, TEST_USER), ZOHO_RESULT_NO_TOKENS);
    zoho_tokens *revoked = SENTINEL;
    EXPECT_RC(zoho_client_generate_access_token_from_refresh_token(client, refresh, TEST_USER, &revoked),
              ZOHO_RESULT_INVALID_CODE);
    CHECK(revoked == SENTINEL);

    *refresh_out = refresh;
    zoho_string_free(access);
    zoho_string_free(user);
    zoho_string_free(domain);
    zoho_string_free(scope);
    zoho_string_free(stale);
    zoho_tokens_free(tokens);
    zoho_client_free(client);
}

static void expect_refresh_error(zoho_client *client, zoho_result want) {
    zoho_tokens *out = SENTINEL;
    EXPECT_RC(zoho_client_refresh(client, TEST_USER, &out), want);
    CHECK(out == SENTINEL);
}

/* What Zoho refuses, and what the network does. */
static void test_zoho_and_transport_errors(const char *dir, const char *used_grant) {
    zoho_client *client = client_with(dir, emu_url(), NULL, NULL);
    zoho_tokens *out = SENTINEL;
    EXPECT_RC(zoho_client_generate_access_token(client, used_grant, &out), ZOHO_RESULT_INVALID_CODE);
    EXPECT_RC(zoho_client_generate_access_token(client, "1000.0123456789abcdef", &out),
              ZOHO_RESULT_INVALID_CODE);

    /* a code bound to another redirect URI */
    char *bound = emu_grant(TEST_USER, TEST_SCOPES, TEST_OTHER_REDIRECT_URI);
    EXPECT_RC(zoho_client_generate_access_token(client, bound, &out), ZOHO_RESULT_INVALID_REDIRECT_URI);
    free(bound);

    /* wrong secret, unknown client */
    const char *keys[] = {"client_id", "client_secret", "redirect_uri", "accounts_url",
                          "token_persistence_path"};
    const char *wrong_secret[] = {TEST_CLIENT_ID, "not-the-secret-0000", TEST_REDIRECT_URI, emu_url(), dir};
    t_add_secret("not-the-secret-0000");
    zoho_client *wrong = NULL;
    EXPECT_OK(zoho_client_new(keys, wrong_secret, 5, &wrong));
    char *grant = emu_grant(TEST_USER, TEST_SCOPES, NULL);
    EXPECT_RC(zoho_client_generate_access_token(wrong, grant, &out), ZOHO_RESULT_INVALID_CLIENT_SECRET);
    zoho_client_free(wrong);
    const char *unknown[] = {"1000.UNKNOWNCLIENT", TEST_CLIENT_SECRET, TEST_REDIRECT_URI, emu_url(), dir};
    EXPECT_OK(zoho_client_new(keys, unknown, 5, &wrong));
    EXPECT_RC(zoho_client_generate_access_token(wrong, grant, &out), ZOHO_RESULT_INVALID_CLIENT);
    zoho_client_free(wrong);
    CHECK(out == SENTINEL);

    zoho_client_free(client);
    free(grant);
}

/* No profile scope: the tokens are not lost, they ride on the error and can be taken once;
 * taking them never changes the last error. */
static void test_unsaved_tokens(const char *dir) {
    zoho_client *client = client_with(dir, emu_url(), NULL, NULL);
    char *no_profile = emu_grant(TEST_USER, "ZohoCRM.modules.ALL", NULL);
    zoho_tokens *out = SENTINEL;
    EXPECT_RC(zoho_client_generate_access_token(client, no_profile, &out), ZOHO_RESULT_SCOPE_MISSING);
    char *message = t_last_error();
    CHECK(strstr(message, "NOT saved") != NULL);
    zoho_tokens *unsaved = NULL;
    CHECK(zoho_last_error_take_unsaved_tokens(&unsaved) == ZOHO_RESULT_OK && unsaved != NULL);
    CHECK(zoho_last_error_code() == ZOHO_RESULT_SCOPE_MISSING);
    char *same = t_last_error();
    CHECK(strcmp(message, same) == 0);
    zoho_tokens *twice = SENTINEL;
    CHECK(zoho_last_error_take_unsaved_tokens(&twice) == ZOHO_RESULT_NO_TOKENS && twice == SENTINEL);
    char *refresh = field(zoho_tokens_refresh_token, unsaved);
    CHECK(refresh != NULL);
    zoho_tokens *saved = NULL;
    EXPECT_OK(zoho_client_generate_access_token_from_refresh_token(client, refresh, TEST_USER, &saved));
    CHECK(saved != NULL);
    zoho_tokens_free(saved);
    zoho_string_free(refresh);
    zoho_tokens_free(unsaved);
    free(message);
    free(same);
    free(no_profile);
    zoho_client_free(client);
}

static void test_faults(const char *dir) {
    zoho_client *client = client_with(dir, emu_url(), "timeout_secs", "1");
    char *grant = emu_grant(TEST_USER, TEST_SCOPES, NULL);
    zoho_tokens *tokens = NULL;
    EXPECT_OK(zoho_client_generate_access_token(client, grant, &tokens));
    char *refresh = field(zoho_tokens_refresh_token, tokens);
    t_add_secret(refresh);
    zoho_string_free(refresh);
    zoho_tokens_free(tokens);
    free(grant);

    emu_admin("faults", "{\"kind\":\"http500\",\"count\":1,\"path\":\"/oauth/v2/token\"}");
    expect_refresh_error(client, ZOHO_RESULT_SERVER_ERROR);
    emu_admin("faults", "{\"kind\":\"html\",\"count\":1,\"path\":\"/oauth/v2/token\"}");
    expect_refresh_error(client, ZOHO_RESULT_INVALID_RESPONSE);
    emu_admin("faults", "{\"kind\":\"empty\",\"count\":1,\"path\":\"/oauth/v2/token\"}");
    expect_refresh_error(client, ZOHO_RESULT_INVALID_RESPONSE);
    emu_admin("faults", "{\"kind\":\"reset\",\"count\":1,\"path\":\"/oauth/v2/token\"}");
    expect_refresh_error(client, ZOHO_RESULT_CONNECT);
    emu_admin("faults", "{\"kind\":\"throttle\",\"count\":1,\"path\":\"/oauth/v2/token\"}");
    expect_refresh_error(client, ZOHO_RESULT_RATE_LIMITED);
    emu_admin("faults", "{\"kind\":\"delay\",\"count\":1,\"path\":\"/oauth/v2/token\",\"delay_ms\":2500}");
    expect_refresh_error(client, ZOHO_RESULT_TIMEOUT);
    /* after the faults, the same client works again */
    zoho_tokens *ok = NULL;
    EXPECT_OK(zoho_client_refresh(client, TEST_USER, &ok));
    zoho_tokens_free(ok);

    /* a user-info call with a token Zoho does not know */
    char *email = SENTINEL;
    EXPECT_RC(zoho_client_user_email(client, "1000.00000000000000000000000000000000.0", &email),
              ZOHO_RESULT_INVALID_TOKEN);
    CHECK(email == SENTINEL);
    zoho_client_free(client);

    /* nothing listens on port 1 */
    zoho_client *nowhere = client_with(dir, "http://127.0.0.1:1", NULL, NULL);
    expect_refresh_error(nowhere, ZOHO_RESULT_CONNECT);
    zoho_client_free(nowhere);
}

static void test_store_errors(void) {
    char *dir = t_mkdtemp();
    char path[600];
    snprintf(path, sizeof path, "%s/zcrm_oauthtokens.txt", dir);
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    if (f != NULL) {
        fputs("this is not a token file", f);
        fclose(f);
    }
    zoho_client *client = client_with(dir, emu_url(), NULL, NULL);
    char *token = SENTINEL;
    EXPECT_RC(zoho_client_get_access_token(client, TEST_USER, &token), ZOHO_RESULT_STORE_CORRUPT);
    CHECK(token == SENTINEL);
    zoho_token_list *list = SENTINEL;
    EXPECT_RC(zoho_client_list_tokens(client, &list), ZOHO_RESULT_STORE_CORRUPT);
    CHECK(list == SENTINEL);
    char *text = t_read_file(path);
    CHECK(text != NULL && strcmp(text, "this is not a token file") == 0); /* left untouched */
    free(text);
    zoho_client_free(client);
    t_rmtree(dir);
    free(dir);

    /* token_persistence_path names a file, not a directory */
    const char *keys[] = {"client_id", "client_secret", "redirect_uri", "token_persistence_path"};
    const char *values[] = {TEST_CLIENT_ID, TEST_CLIENT_SECRET, TEST_REDIRECT_URI, "/etc/hostname"};
    zoho_client *bad = SENTINEL;
    EXPECT_RC(zoho_client_new(keys, values, 4, &bad), ZOHO_RESULT_STORE_IO);
    CHECK(bad == SENTINEL);
}

int main(void) {
    if (!emu_init()) {
        fprintf(stderr, "EMULATOR_URL is not set (source scripts/emulator.sh; start_emulator)\n");
        return 2;
    }
    emu_setup();
    char *dir = t_mkdtemp();
    char *refresh = NULL, *grant = NULL;
    test_version_and_names();
    test_config_errors(dir);
    test_flow(dir, &refresh, &grant);
    test_zoho_and_transport_errors(dir, grant);
    test_unsaved_tokens(dir);
    test_faults(dir);
    test_store_errors();
    zoho_string_free(refresh);
    free(grant);
    t_rmtree(dir);
    free(dir);
    return t_finish("test_flow");
}
