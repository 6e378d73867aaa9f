/* The whole flow of the C API against the accounts emulator, and every error path:
 * grant exchange, the persisted token file, get (cached), expiry, refresh, list, user lookup,
 * authorization URL, revoke, delete; configuration, Zoho (every code, the rarer ones through
 * the emulator's `reply` fault), transport and store errors (a corrupt file, a stale entry
 * without a refresh token, a save that fails), and how soon a cached token sees a change to
 * the token file (store_recheck_ms).
 * Every failure is checked for its code, a non-empty last error without secrets, and
 * untouched out-parameters. Needs EMULATOR_URL. */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

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
    /* MySQL asked for (the C door guesses no store: without token_store the SDK's keys alone
     * are config_missing), opened without connecting; a server that is down is
     * store_unavailable at the first call, and the message names no secret. */
    const char *mysql_keys[] = {"client_id", "client_secret", "redirect_uri", "host_address", "db_port",
                                "token_store"};
    const char *mysql_values[] = {TEST_CLIENT_ID, TEST_CLIENT_SECRET, TEST_REDIRECT_URI, "127.0.0.1", "1",
                                  "mysql"};
    zoho_client *mysql = NULL;
    expect_config_error(mysql_keys, mysql_values, 5, ZOHO_RESULT_CONFIG_MISSING, "no token store is configured");
    EXPECT_OK(zoho_client_new(mysql_keys, mysql_values, 6, &mysql));
    char *none = SENTINEL;
    EXPECT_RC(zoho_client_get_access_token(mysql, TEST_USER, &none), ZOHO_RESULT_STORE_UNAVAILABLE);
    CHECK(none == SENTINEL);
    zoho_client_free(mysql);
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

/* The tokens of the flow's grant exchange, shared by its steps. */
typedef struct {
    char *grant;   /* malloc'd */
    char *access;  /* from the library */
    char *refresh; /* from the library */
} flow_tokens;

static bool is_string(const char *value, const char *want) {
    return value != NULL && strcmp(value, want) == 0;
}

/* Grant exchange: the tokens' fields, their expiry, and the persisted file. */
static void flow_exchange(zoho_client *client, const char *dir, flow_tokens *ft) {
    ft->grant = emu_grant(TEST_USER, TEST_SCOPES, NULL);
    zoho_tokens *tokens = NULL;
    EXPECT_OK(zoho_client_generate_access_token(client, ft->grant, &tokens));
    CHECK(tokens != NULL);
    ft->access = field(zoho_tokens_access_token, tokens);
    ft->refresh = field(zoho_tokens_refresh_token, tokens);
    t_add_secret(ft->access);
    t_add_secret(ft->refresh);
    char *user = field(zoho_tokens_user, tokens);
    char *domain = field(zoho_tokens_api_domain, tokens);
    char *scope = field(zoho_tokens_scope, tokens);
    CHECK(ft->access != NULL && strncmp(ft->access, "1000.", 5) == 0);
    CHECK(ft->refresh != NULL && strncmp(ft->refresh, "1000.", 5) == 0);
    CHECK(is_string(user, TEST_USER));
    CHECK(is_string(domain, emu_url()));
    CHECK(scope != NULL && strstr(scope, "AaaServer.profile.READ") != NULL);
    check_expiry_near(tokens, 3600);
    CHECK(emu_counter("token.authorization_code") == 1);
    test_persisted_file(dir, ft->access != NULL ? ft->access : "<none>");
    zoho_string_free(user);
    zoho_string_free(domain);
    zoho_string_free(scope);
    zoho_tokens_free(tokens);
}

/* get: answered from the cache, no refresh, and the token works. */
static void flow_cached_get(zoho_client *client, const char *access) {
    char *got = NULL;
    EXPECT_OK(zoho_client_get_access_token(client, TEST_USER, &got));
    CHECK(is_string(got, access));
    CHECK(emu_counter("token.refresh_token") == 0);
    CHECK(got != NULL && emu_resource_status(got) == 200);
    zoho_string_free(got);
}

/* The user lookup, and the list of stored entries. */
static void flow_lookup_and_list(zoho_client *client, const char *access) {
    char *email = NULL;
    EXPECT_OK(zoho_client_user_email(client, access, &email));
    CHECK(is_string(email, TEST_USER));
    zoho_string_free(email);
    zoho_token_list *list = NULL;
    EXPECT_OK(zoho_client_list_tokens(client, &list));
    CHECK(zoho_token_list_len(list) == 1);
    zoho_tokens *first = NULL;
    EXPECT_OK(zoho_token_list_get(list, 0, &first));
    zoho_token_list_free(list);
    char *first_user = field(zoho_tokens_user, first);
    CHECK(is_string(first_user, TEST_USER));
    zoho_string_free(first_user);
    zoho_tokens_free(first);
}

/* New tokens from the refresh token (saved as they are) while tokens live 60 s, so that they
 * are stale at once with a 60 s margin; returns the stale access token (from the library). A
 * forced refresh (zoho_client_refresh) would keep the stored token, which expires later. */
static char *flow_short_lived_refresh(zoho_client *client, const flow_tokens *ft) {
    emu_ttl(60);
    zoho_tokens *short_lived = NULL;
    EXPECT_OK(zoho_client_generate_access_token_from_refresh_token(client, ft->refresh, TEST_USER,
                                                                   &short_lived));
    CHECK(emu_counter("token.refresh_token") == 1);
    check_expiry_near(short_lived, 60);
    char *stale = field(zoho_tokens_access_token, short_lived);
    t_add_secret(stale);
    CHECK(stale != NULL && ft->access != NULL && strcmp(stale, ft->access) != 0);
    char *kept_refresh = field(zoho_tokens_refresh_token, short_lived);
    CHECK(is_string(kept_refresh, ft->refresh)); /* Zoho omits it on refresh */
    zoho_string_free(kept_refresh);
    zoho_tokens_free(short_lived);
    emu_ttl(3600);
    return stale;
}

/* get refreshes the stale token exactly once, and the next get uses the fresh one;
 * returns the fresh access token (from the library). */
static char *flow_get_refreshes_once(zoho_client *client, const char *stale) {
    char *got = NULL;
    EXPECT_OK(zoho_client_get_access_token(client, TEST_USER, &got));
    CHECK(emu_counter("token.refresh_token") == 2);
    CHECK(got != NULL && stale != NULL && strcmp(got, stale) != 0);
    t_add_secret(got);
    char *again = NULL;
    EXPECT_OK(zoho_client_get_access_token(client, TEST_USER, &again));
    CHECK(again != NULL && got != NULL && strcmp(again, got) == 0);
    CHECK(emu_counter("token.refresh_token") == 2);
    CHECK(again != NULL && emu_resource_status(again) == 200);
    zoho_string_free(again);
    zoho_tokens *current = NULL;
    EXPECT_OK(zoho_client_get_tokens(client, TEST_USER, &current));
    check_expiry_near(current, 3600);
    zoho_tokens_free(current);
    return got;
}

/* A second client (from JSON) reads the persisted file: same token, no request. */
static void flow_second_client(const char *dir, const char *current) {
    char json[1024];
    snprintf(json, sizeof json,
             "{\"client_id\":\"%s\",\"client_secret\":\"%s\",\"redirect_uri\":\"%s\","
             "\"accounts_url\":\"%s\",\"token_persistence_path\":\"%s\",\"refresh_margin_secs\":60,"
             "\"unknown_key\":null}",
             TEST_CLIENT_ID, TEST_CLIENT_SECRET, TEST_REDIRECT_URI, emu_url(), dir);
    zoho_client *second = NULL;
    EXPECT_OK(zoho_client_new_from_json(json, &second));
    char *again = NULL;
    EXPECT_OK(zoho_client_get_access_token(second, TEST_USER, &again));
    CHECK(again != NULL && current != NULL && strcmp(again, current) == 0);
    CHECK(emu_counter("token.refresh_token") == 2);
    zoho_string_free(again);
    zoho_client_free(second);
}

/* Tokens from a refresh token, under another identifier; then deleting them. */
static void flow_refresh_token_and_delete(zoho_client *client, const char *refresh) {
    zoho_tokens *bob = NULL;
    EXPECT_OK(zoho_client_generate_access_token_from_refresh_token(client, refresh, "bob", &bob));
    char *bob_user = field(zoho_tokens_user, bob);
    CHECK(is_string(bob_user, "bob"));
    zoho_string_free(bob_user);
    zoho_tokens_free(bob);
    zoho_token_list *list = NULL;
    EXPECT_OK(zoho_client_list_tokens(client, &list));
    CHECK(zoho_token_list_len(list) == 2);
    zoho_token_list_free(list);
    bool deleted = false;
    EXPECT_OK(zoho_client_delete_tokens(client, "bob", &deleted));
    CHECK(deleted);
    EXPECT_OK(zoho_client_delete_tokens(client, "bob", &deleted));
    CHECK(!deleted);
    EXPECT_OK(zoho_client_delete_tokens(client, "bob", NULL));
}

static void flow_authorization_url(zoho_client *client) {
    char *url = NULL;
    EXPECT_OK(zoho_client_authorization_url(client, TEST_SCOPES, NULL, true, "st ate", &url));
    CHECK(url != NULL && strncmp(url, emu_url(), strlen(emu_url())) == 0);
    CHECK(url != NULL && strstr(url, "/oauth/v2/auth?scope=ZohoCRM.modules.ALL%2CAaaServer.profile.READ") != NULL);
    CHECK(url != NULL && strstr(url, "client_id=" TEST_CLIENT_ID) != NULL);
    CHECK(url != NULL && strstr(url, "prompt=consent") != NULL && strstr(url, "state=st+ate") != NULL);
    CHECK(url != NULL && strstr(url, "capi5ecret") == NULL);
    zoho_string_free(url);
}

/* revoke: Zoho forgets the refresh token and its access tokens; the entry is deleted. */
static void flow_revoke(zoho_client *client, const flow_tokens *ft) {
    EXPECT_OK(zoho_client_revoke(client, TEST_USER));
    CHECK(emu_counter("revoke") == 1);
    char *none = SENTINEL;
    EXPECT_RC(zoho_client_get_access_token(client, TEST_USER, &none), ZOHO_RESULT_NO_TOKENS);
    CHECK(none == SENTINEL);
    CHECK(emu_resource_status(ft->access) == 401);
    EXPECT_RC(zoho_client_revoke(client, TEST_USER), ZOHO_RESULT_NO_TOKENS);
    zoho_tokens *revoked = SENTINEL;
    EXPECT_RC(zoho_client_generate_access_token_from_refresh_token(client, ft->refresh, TEST_USER,
                                                                   &revoked),
              ZOHO_RESULT_INVALID_CODE);
    CHECK(revoked == SENTINEL);
}

/* The whole flow: grant exchange, file, get, expiry, refresh, list, user lookup, a second
 * client, a refresh token under another name, the authorization URL, revoke. Hands the
 * (revoked) refresh token and the (used) grant code to the caller. */
static void test_flow(const char *dir, char **refresh_out, char **grant_out) {
    zoho_client *client = client_with(dir, emu_url(), "refresh_margin_secs", "60");
    flow_tokens ft = {NULL, NULL, NULL};
    flow_exchange(client, dir, &ft);
    if (ft.access == NULL || ft.refresh == NULL) {
        t_check(false, "the grant exchange gave tokens (the rest of the flow is skipped)", __FILE__,
                __LINE__);
    } else {
        flow_cached_get(client, ft.access);
        flow_lookup_and_list(client, ft.access);
        char *stale = flow_short_lived_refresh(client, &ft);
        char *current = flow_get_refreshes_once(client, stale);
        flow_second_client(dir, current);
        flow_refresh_token_and_delete(client, ft.refresh);
        flow_authorization_url(client);
        flow_revoke(client, &ft);
        zoho_string_free(current);
        zoho_string_free(stale);
    }
    zoho_string_free(ft.access);
    *refresh_out = ft.refresh;
    *grant_out = ft.grant;
    zoho_client_free(client);
}

/* The last error's message (malloc'd). */
static char *last_message(void) {
    size_t len = 0;
    zoho_last_error_message(NULL, 0, &len);
    char *buf = calloc(len + 1, 1);
    if (buf != NULL) {
        zoho_last_error_message(buf, len + 1, &len);
    }
    return buf;
}

/* A consent finished from its redirect: the query string or the whole callback URL, checked
 * against the state; a wrong state, a refusal or a foreign accounts server exchange nothing. */
static void test_redirect(const char *dir) {
    zoho_client *client = client_with(dir, emu_url(), NULL, NULL);
    const char *state = "c-state-0123456789abcdef";
    char query[2048];
    zoho_tokens *out = SENTINEL;

    char *grant = emu_grant(TEST_USER, TEST_SCOPES, TEST_REDIRECT_URI);
    snprintf(query, sizeof query, "code=%s&state=other-state&location=us", grant);
    EXPECT_RC(zoho_client_generate_access_token_from_redirect(client, query, state, &out),
              ZOHO_RESULT_INVALID_ARGUMENT);
    CHECK(out == SENTINEL);
    char *message = last_message();
    CHECK(message != NULL && strstr(message, "state") != NULL && strstr(message, grant) == NULL);
    free(message);
    snprintf(query, sizeof query, "code=%s&state=%s&accounts-server=https%%3A%%2F%%2Faccounts.evil.example",
             grant, state);
    EXPECT_RC(zoho_client_generate_access_token_from_redirect(client, query, state, &out),
              ZOHO_RESULT_INVALID_ARGUMENT);
    CHECK(out == SENTINEL);
    snprintf(query, sizeof query, "error=access_denied&state=%s", state);
    EXPECT_RC(zoho_client_generate_access_token_from_redirect(client, query, state, &out),
              ZOHO_RESULT_ACCESS_DENIED);
    snprintf(query, sizeof query, "state=%s", state);
    EXPECT_RC(zoho_client_generate_access_token_from_redirect(client, query, state, &out),
              ZOHO_RESULT_INVALID_ARGUMENT);
    EXPECT_RC(zoho_client_generate_access_token_from_redirect(client, NULL, state, &out),
              ZOHO_RESULT_NULL_ARGUMENT);
    EXPECT_RC(zoho_client_generate_access_token_from_redirect(client, query, NULL, &out),
              ZOHO_RESULT_NULL_ARGUMENT);
    CHECK(out == SENTINEL);

    /* The refused redirects spent nothing: the same code works with the right state, given as
     * the whole callback URL (with a fragment). */
    snprintf(query, sizeof query, "%s?code=%s&state=%s&location=us#done", TEST_REDIRECT_URI, grant, state);
    EXPECT_OK(zoho_client_generate_access_token_from_redirect(client, query, state, &out));
    if (out != SENTINEL && out != NULL) {
        char *user = field(zoho_tokens_user, out);
        CHECK(user != NULL && strcmp(user, TEST_USER) == 0);
        zoho_string_free(user);
        zoho_tokens_free(out);
    }
    /* ... and only once. */
    out = SENTINEL;
    EXPECT_RC(zoho_client_generate_access_token_from_redirect(client, query, state, &out),
              ZOHO_RESULT_INVALID_CODE);
    CHECK(out == SENTINEL);
    free(grant);
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

/* ---- error paths that need a crafted reply or a crafted store ---- */

/* A new client on `dir` with fresh tokens for TEST_USER (their secrets registered). */
static zoho_client *client_with_tokens(const char *dir) {
    zoho_client *client = client_with(dir, emu_url(), NULL, NULL);
    char *grant = emu_grant(TEST_USER, TEST_SCOPES, NULL);
    zoho_tokens *tokens = NULL;
    EXPECT_OK(zoho_client_generate_access_token(client, grant, &tokens));
    char *access = field(zoho_tokens_access_token, tokens);
    char *refresh = field(zoho_tokens_refresh_token, tokens);
    t_add_secret(access);
    t_add_secret(refresh);
    zoho_string_free(access);
    zoho_string_free(refresh);
    zoho_tokens_free(tokens);
    free(grant);
    return client;
}

/* The last error message contains `text`. */
static void expect_message_has(const char *text) {
    char *message = t_last_error();
    if (strstr(message, text) == NULL) {
        fprintf(stderr, "  message was: %s\n", message);
    }
    CHECK(strstr(message, text) != NULL);
    free(message);
}

/* Queues a `reply` fault for the next token request. `body_json` is the JSON text of the
 * body string, quotes escaped. */
static void fault_reply(int status, const char *body_json) {
    char json[512];
    snprintf(json, sizeof json,
             "{\"kind\":\"reply\",\"status\":%d,\"path\":\"/oauth/v2/token\",\"body\":\"%s\"}",
             status, body_json);
    emu_admin("faults", json);
}

/* Zoho's access_denied (305) and an error code the library does not know (308), from
 * replies only a `reply` fault gives; the grant code is not spent by the faulted request. */
static void test_reply_faults(const char *dir) {
    zoho_client *client = client_with_tokens(dir);
    long faults = emu_counter("fault.reply");
    fault_reply(200, "{\\\"error\\\":\\\"access_denied\\\"}");
    expect_refresh_error(client, ZOHO_RESULT_ACCESS_DENIED);
    expect_message_has("access_denied");
    fault_reply(400, "{\\\"error\\\":\\\"some_new_code\\\"}");
    expect_refresh_error(client, ZOHO_RESULT_OAUTH_ERROR);
    expect_message_has("some_new_code");

    char *grant = emu_grant(TEST_USER, TEST_SCOPES, NULL);
    zoho_tokens *tokens = SENTINEL;
    fault_reply(200, "{\\\"error\\\":\\\"access_denied\\\"}");
    EXPECT_RC(zoho_client_generate_access_token(client, grant, &tokens), ZOHO_RESULT_ACCESS_DENIED);
    CHECK(tokens == SENTINEL);
    CHECK(emu_counter("fault.reply") == faults + 3);
    EXPECT_OK(zoho_client_generate_access_token(client, grant, &tokens));
    CHECK(tokens != SENTINEL);
    if (tokens != SENTINEL) {
        zoho_tokens_free(tokens);
    }
    free(grant);
    zoho_client_free(client);
}

#define SDK_CLASS "zcrmsdk\\oauth\\utility\\ZohoOAuthTokens"

/* A private property name of the SDK's token class, as PHP serializes it. */
static void put_sdk_property(FILE *f, const char *name) {
    fprintf(f, "s:%zu:\"", strlen(SDK_CLASS) + strlen(name) + 2);
    fputc('\0', f);
    fputs(SDK_CLASS, f);
    fputc('\0', f);
    fprintf(f, "%s\";", name);
}

static void put_php_string(FILE *f, const char *value) {
    if (value == NULL) {
        fputs("N;", f);
    } else {
        fprintf(f, "s:%zu:\"%s\";", strlen(value), value);
    }
}

/* Writes the PHP SDK's token file in `dir` with one entry; `refresh` NULL is stored as `N;`
 * (an online grant). */
static void write_sdk_token_file(const char *dir, const char *user, const char *access,
                                 const char *refresh, long long expiry_ms) {
    char path[600];
    snprintf(path, sizeof path, "%s/zcrm_oauthtokens.txt", dir);
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL);
    if (f == NULL) {
        return;
    }
    fprintf(f, "a:1:{i:0;O:%zu:\"%s\":4:{", strlen(SDK_CLASS), SDK_CLASS);
    put_sdk_property(f, "refreshToken");
    put_php_string(f, refresh);
    put_sdk_property(f, "accessToken");
    put_php_string(f, access);
    put_sdk_property(f, "expiryTime");
    fprintf(f, "d:%lld;", expiry_ms);
    put_sdk_property(f, "userEmailId");
    put_php_string(f, user);
    fputs("}}", f);
    CHECK(fclose(f) == 0);
}

#define ONLINE_USER "online@example.com"
#define FILE_ACCESS "1000.aaaa1111aaaa1111aaaa1111aaaa1111.bbbb2222bbbb2222bbbb2222bbbb2222"
#define UNKNOWN_REFRESH "1000.cccc3333cccc3333cccc3333cccc3333.dddd4444dddd4444dddd4444dddd4444"

/* An entry without a refresh token (an online grant) whose access token is stale: there is
 * nothing to refresh with, so no request is sent. */
static void test_missing_refresh_token(void) {
    char *dir = t_mkdtemp();
    t_add_secret(FILE_ACCESS);
    write_sdk_token_file(dir, ONLINE_USER, FILE_ACCESS, NULL, t_now_ms() - 60000);
    zoho_client *client = client_with(dir, emu_url(), NULL, NULL);
    long token_requests = emu_counter("token");
    char *token = SENTINEL;
    EXPECT_RC(zoho_client_get_access_token(client, ONLINE_USER, &token), ZOHO_RESULT_MISSING_TOKEN);
    CHECK(token == SENTINEL);
    expect_message_has("Refresh token");
    zoho_tokens *tokens = SENTINEL;
    EXPECT_RC(zoho_client_get_tokens(client, ONLINE_USER, &tokens), ZOHO_RESULT_MISSING_TOKEN);
    EXPECT_RC(zoho_client_refresh(client, ONLINE_USER, &tokens), ZOHO_RESULT_MISSING_TOKEN);
    CHECK(tokens == SENTINEL);
    EXPECT_RC(zoho_client_revoke(client, ONLINE_USER), ZOHO_RESULT_MISSING_TOKEN);
    CHECK(emu_counter("token") == token_requests);
    zoho_token_list *list = NULL;
    EXPECT_OK(zoho_client_list_tokens(client, &list));
    CHECK(zoho_token_list_len(list) == 1); /* still stored */
    zoho_token_list_free(list);
    zoho_client_free(client);
    t_rmtree(dir);
    free(dir);
}

/* Revoking a refresh token Zoho does not know: 400 invalid_token, and nothing is deleted. */
static void test_revoke_unknown_refresh_token(void) {
    char *dir = t_mkdtemp();
    t_add_secret(FILE_ACCESS);
    t_add_secret(UNKNOWN_REFRESH);
    write_sdk_token_file(dir, ONLINE_USER, FILE_ACCESS, UNKNOWN_REFRESH, t_now_ms() + 3600000);
    zoho_client *client = client_with(dir, emu_url(), NULL, NULL);
    long revokes = emu_counter("revoke");
    EXPECT_RC(zoho_client_revoke(client, ONLINE_USER), ZOHO_RESULT_INVALID_TOKEN);
    expect_message_has("invalid_token");
    CHECK(emu_counter("revoke") == revokes + 1);
    char *token = NULL;
    EXPECT_OK(zoho_client_get_access_token(client, ONLINE_USER, &token));
    CHECK(is_string(token, FILE_ACCESS)); /* the entry was kept */
    zoho_string_free(token);
    zoho_client_free(client);
    t_rmtree(dir);
    free(dir);
}

/* Makes the store's next save fail: a directory (not empty) where the temporary file of
 * the atomic replace is created. Root ignores permissions; this it cannot write through. */
static char *block_saves(const char *dir) {
    char path[600];
    snprintf(path, sizeof path, "%s/zcrm_oauthtokens.txt.tmp", dir);
    CHECK(mkdir(path, 0700) == 0);
    char inner[700];
    snprintf(inner, sizeof inner, "%s/keep", path);
    FILE *f = fopen(inner, "w");
    CHECK(f != NULL);
    if (f != NULL) {
        fclose(f);
    }
    return strdup(path);
}

/* Takes the unsaved tokens of the last error; checks that the message names none of them.
 * Returns their refresh token (from the library) or NULL. */
static char *take_unsaved_refresh_token(void) {
    char *message = t_last_error();
    zoho_tokens *unsaved = NULL;
    CHECK(zoho_last_error_take_unsaved_tokens(&unsaved) == ZOHO_RESULT_OK && unsaved != NULL);
    char *access = unsaved ? field(zoho_tokens_access_token, unsaved) : NULL;
    char *refresh = unsaved ? field(zoho_tokens_refresh_token, unsaved) : NULL;
    t_add_secret(access);
    t_add_secret(refresh);
    CHECK(access != NULL && strstr(message, access) == NULL);
    CHECK(refresh == NULL || strstr(message, refresh) == NULL);
    zoho_string_free(access);
    zoho_tokens_free(unsaved);
    free(message);
    return refresh;
}

/* A save that fails after the client was created: Zoho's tokens come back on the error. */
static void test_failing_save(void) {
    char *dir = t_mkdtemp();
    zoho_client *client = client_with_tokens(dir);
    char *blocker = block_saves(dir);

    zoho_tokens *out = SENTINEL;
    EXPECT_RC(zoho_client_refresh(client, TEST_USER, &out), ZOHO_RESULT_STORE_IO);
    CHECK(out == SENTINEL);
    expect_message_has("zcrm_oauthtokens.txt");
    zoho_string_free(take_unsaved_refresh_token());

    char *grant = emu_grant(TEST_USER, TEST_SCOPES, NULL);
    EXPECT_RC(zoho_client_generate_access_token(client, grant, &out), ZOHO_RESULT_STORE_IO);
    CHECK(out == SENTINEL);
    char *refresh = take_unsaved_refresh_token();
    CHECK(refresh != NULL);

    /* once the store is writable again, the unsaved refresh token is not lost */
    t_rmtree(blocker);
    if (refresh != NULL) {
        EXPECT_OK(zoho_client_generate_access_token_from_refresh_token(client, refresh, TEST_USER, &out));
        CHECK(out != SENTINEL);
        if (out != SENTINEL) {
            zoho_tokens_free(out);
        }
    }
    zoho_string_free(refresh);
    free(grant);
    free(blocker);
    zoho_client_free(client);
    t_rmtree(dir);
    free(dir);
}

#define SDK_ACCESS_A "1000.eeee5555eeee5555eeee5555eeee5555.ffff6666ffff6666ffff6666ffff6666"
#define SDK_ACCESS_B "1000.9999aaaa9999aaaa9999aaaa9999aaaa.7777bbbb7777bbbb7777bbbb7777bbbb"

static char *access_of(const zoho_client *client, const char *user) {
    char *token = NULL;
    zoho_result rc = zoho_client_get_access_token(client, user, &token);
    return rc == ZOHO_RESULT_OK ? token : NULL;
}

/* store_recheck_ms: a cached token is served from memory inside the bound (a foreign write,
 * as Zoho's SDK makes, is not seen), seen after it; a change through the library by another
 * client (another process, as far as the file goes) is seen at once; 0 checks every call. */
static void test_change_detection(void) {
    char *dir = t_mkdtemp();
    t_add_secret(SDK_ACCESS_A);
    t_add_secret(SDK_ACCESS_B);
    long long hour = t_now_ms() + 3600000;
    write_sdk_token_file(dir, TEST_USER, SDK_ACCESS_A, NULL, hour);
    zoho_client *client = client_with(dir, emu_url(), "store_recheck_ms", "300");
    char *token = access_of(client, TEST_USER);
    CHECK(token != NULL && strcmp(token, SDK_ACCESS_A) == 0);
    token = t_free_str(token);

    write_sdk_token_file(dir, TEST_USER, SDK_ACCESS_B, NULL, hour);
    token = access_of(client, TEST_USER);
    CHECK(token != NULL && strcmp(token, SDK_ACCESS_A) == 0); /* inside the bound: memory */
    token = t_free_str(token);
    struct timespec pause = {0, 350L * 1000 * 1000};
    nanosleep(&pause, NULL);
    token = access_of(client, TEST_USER);
    CHECK(token != NULL && strcmp(token, SDK_ACCESS_B) == 0); /* after it: the file */
    token = t_free_str(token);

    zoho_client *other = client_with(dir, emu_url(), NULL, NULL);
    bool deleted = false;
    EXPECT_OK(zoho_client_delete_tokens(other, TEST_USER, &deleted));
    CHECK(deleted);
    char *none = SENTINEL;
    EXPECT_RC(zoho_client_get_access_token(client, TEST_USER, &none), ZOHO_RESULT_NO_TOKENS);
    zoho_client_free(other);
    zoho_client_free(client);

    zoho_client *every = client_with(dir, emu_url(), "store_recheck_ms", "0");
    write_sdk_token_file(dir, TEST_USER, SDK_ACCESS_A, NULL, hour);
    token = access_of(every, TEST_USER);
    CHECK(token != NULL && strcmp(token, SDK_ACCESS_A) == 0);
    token = t_free_str(token);
    write_sdk_token_file(dir, TEST_USER, SDK_ACCESS_B, NULL, hour + 1);
    token = access_of(every, TEST_USER);
    CHECK(token != NULL && strcmp(token, SDK_ACCESS_B) == 0); /* 0: the next call sees it */
    token = t_free_str(token);
    zoho_client_free(every);

    const char *keys[] = {"client_id", "client_secret", "redirect_uri", "token_persistence_path",
                          "store_recheck_ms"};
    const char *bad[] = {TEST_CLIENT_ID, TEST_CLIENT_SECRET, TEST_REDIRECT_URI, dir, "forever"};
    zoho_client *refused = SENTINEL;
    EXPECT_RC(zoho_client_new(keys, bad, 5, &refused), ZOHO_RESULT_CONFIG_INVALID);
    CHECK(refused == SENTINEL);
    t_rmtree(dir);
    free(dir);
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
    test_redirect(dir);
    test_unsaved_tokens(dir);
    test_faults(dir);
    test_store_errors();
    test_reply_faults(dir);
    test_missing_refresh_token();
    test_revoke_unknown_refresh_token();
    test_failing_save();
    test_change_detection();
    zoho_string_free(refresh);
    free(grant);
    t_rmtree(dir);
    free(dir);
    return t_finish("test_flow");
}
