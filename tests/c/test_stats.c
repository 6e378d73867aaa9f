/* This process's counters through the C API (issue 26): zoho_process_stats fills a
 * caller-provided struct that says its size; the counters move with the calls (a store read
 * then calls served from memory, a refresh with its lock, errors by kind); a too-small size
 * or NULL writes nothing; a forked child starts from zero. The fleet's figures of the
 * client's store (zoho_client_metrics) in Prometheus' text format. Needs EMULATOR_URL. */
#define _POSIX_C_SOURCE 200809L

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"

/* The process's counters now; aborts the check run on failure. */
static zoho_stats now(void) {
    zoho_stats s;
    memset(&s, 0xAB, sizeof s);
    s.size = sizeof s;
    EXPECT_OK(zoho_process_stats(&s));
    return s;
}

/* The count of errors with result code `code`. */
static uint64_t errors_of(const zoho_stats *s, zoho_result code) {
    for (uint32_t i = 0; i < s->error_kinds && i < 64; i++) {
        if (s->error_codes[i] == (uint32_t)code) {
            return s->error_counts[i];
        }
    }
    return UINT64_MAX; /* not listed: a failure */
}

static uint64_t errors_total(const zoho_stats *s) {
    uint64_t total = 0;
    for (uint32_t i = 0; i < s->error_kinds && i < 64; i++) {
        total += s->error_counts[i];
    }
    return total;
}

static zoho_client *new_client(const char *dir) {
    const char *keys[] = {"client_id", "client_secret", "redirect_uri", "accounts_url", "token_persistence_path"};
    const char *values[] = {TEST_CLIENT_ID, TEST_CLIENT_SECRET, TEST_REDIRECT_URI, emu_url(), dir};
    zoho_client *client = NULL;
    EXPECT_OK(zoho_client_new(keys, values, 5, &client));
    return client;
}

/* The size protocol: NULL and a too-small size are refused and nothing is written. */
static void size_protocol(void) {
    EXPECT_RC(zoho_process_stats(NULL), ZOHO_RESULT_NULL_ARGUMENT);
    zoho_stats s;
    memset(&s, 0xAB, sizeof s);
    s.size = 16;
    EXPECT_RC(zoho_process_stats(&s), ZOHO_RESULT_INVALID_ARGUMENT);
    CHECK(s.size == 16 && s.version == 0xABABABABu && s.token_calls == 0xABABABABABABABABull);
    /* A newer header's larger struct: filled up to this library's layout, the rest untouched. */
    unsigned char bigger[sizeof(zoho_stats) + 64];
    memset(bigger, 0xCD, sizeof bigger);
    zoho_stats *b = (zoho_stats *)(void *)bigger;
    b->size = sizeof bigger;
    EXPECT_OK(zoho_process_stats(b));
    CHECK(b->size == sizeof(zoho_stats) && b->version == 1 && b->reserved == 0);
    CHECK(bigger[sizeof(zoho_stats)] == 0xCD && bigger[sizeof bigger - 1] == 0xCD);
    CHECK(b->error_kinds >= 29 && b->error_kinds <= 64);
    CHECK(errors_of(b, ZOHO_RESULT_NO_TOKENS) != UINT64_MAX && errors_of(b, ZOHO_RESULT_PANIC) != UINT64_MAX);
}

/* A second client's two reads: one store read, then one served from memory. */
static void read_then_memory(const char *dir) {
    zoho_client *reader = new_client(dir);
    zoho_tokens *t = NULL;
    zoho_stats a = now();
    EXPECT_OK(zoho_client_get_tokens(reader, TEST_USER, &t));
    zoho_tokens_free(t);
    zoho_stats b = now();
    CHECK(b.token_calls - a.token_calls == 1 && b.store_reads - a.store_reads == 1);
    CHECK(b.served_from_memory == a.served_from_memory);
    CHECK(b.fleet_cache_age_ns >= 0 && b.fleet_cache_age_ns < 30000000000LL);
    t = NULL;
    EXPECT_OK(zoho_client_get_tokens(reader, TEST_USER, &t));
    zoho_tokens_free(t);
    zoho_stats c = now();
    CHECK(c.token_calls - b.token_calls == 1 && c.served_from_memory - b.served_from_memory == 1);
    CHECK(c.store_reads == b.store_reads);
    zoho_client_free(reader);
}

/* A forced refresh: one refresh and one lock; an unknown user: one no_tokens error. */
static void refresh_and_errors(zoho_client *client) {
    zoho_stats a = now();
    zoho_tokens *t = NULL;
    EXPECT_OK(zoho_client_refresh(client, TEST_USER, &t));
    zoho_tokens_free(t);
    zoho_stats b = now();
    CHECK(b.refreshes - a.refreshes == 1 && b.refresh_failures == a.refresh_failures);
    CHECK(b.lock_waits - a.lock_waits == 1 && b.locks_busy == a.locks_busy);
    CHECK(b.lock_wait_ns >= a.lock_wait_ns);
    CHECK(errors_total(&b) == errors_total(&a));
    t = NULL;
    EXPECT_RC(zoho_client_get_tokens(client, "nobody@example.com", &t), ZOHO_RESULT_NO_TOKENS);
    zoho_stats c = now();
    CHECK(errors_of(&c, ZOHO_RESULT_NO_TOKENS) - errors_of(&b, ZOHO_RESULT_NO_TOKENS) == 1);
    CHECK(errors_total(&c) - errors_total(&b) == 1);
}

/* The fleet's figures for the client's store (zoho_client_metrics): the store is up, the
 * user's refresh is counted under its label (left out when asked), and no token shows. */
static void fleet_metrics(zoho_client *client) {
    char *text = NULL;
    EXPECT_RC(zoho_client_metrics(client, true, NULL), ZOHO_RESULT_NULL_ARGUMENT);
    EXPECT_RC(zoho_client_metrics(NULL, true, &text), ZOHO_RESULT_NULL_ARGUMENT);
    EXPECT_OK(zoho_client_metrics(client, true, &text));
    CHECK(text != NULL && strstr(text, "\nzoho_oauth_store_up 1\n") != NULL);
    CHECK(text != NULL && strstr(text, "# TYPE zoho_oauth_refreshes_total counter") != NULL);
    CHECK(text != NULL && strstr(text, "zoho_oauth_refreshes_total{user=\"" TEST_USER "\"} 1") != NULL);
    zoho_tokens *t = NULL;
    char *access = NULL, *refresh = NULL;
    EXPECT_OK(zoho_client_get_tokens(client, TEST_USER, &t));
    EXPECT_OK(zoho_tokens_access_token(t, &access));
    EXPECT_OK(zoho_tokens_refresh_token(t, &refresh));
    CHECK(text != NULL && access != NULL && strstr(text, access) == NULL);
    CHECK(text != NULL && refresh != NULL && strstr(text, refresh) == NULL);
    CHECK(text != NULL && strstr(text, TEST_CLIENT_SECRET) == NULL);
    zoho_string_free(access);
    zoho_string_free(refresh);
    zoho_tokens_free(t);
    zoho_string_free(text);
    text = NULL;
    EXPECT_OK(zoho_client_metrics(client, false, &text));
    CHECK(text != NULL && strstr(text, "user=") == NULL && strstr(text, "zoho_oauth_store_up 1") != NULL);
    zoho_string_free(text);
}

/* A forked child starts from zero and counts its own call; the parent does not see it. */
static void fork_starts_from_zero(zoho_client *client) {
    zoho_stats before = now();
    CHECK(before.token_calls > 0);
    pid_t pid = fork();
    if (pid == 0) {
        zoho_stats z;
        z.size = sizeof z;
        bool zero = zoho_process_stats(&z) == ZOHO_RESULT_OK && z.token_calls == 0 && z.store_reads == 0 &&
                    z.refreshes == 0 && z.lock_waits == 0 && errors_total(&z) == 0 && z.fleet_cache_age_ns >= 0;
        zoho_tokens *t = NULL;
        bool counted = zoho_client_get_tokens(client, TEST_USER, &t) == ZOHO_RESULT_OK &&
                       zoho_process_stats(&z) == ZOHO_RESULT_OK && z.token_calls == 1;
        zoho_tokens_free(t);
        _exit(zero ? (counted ? 0 : 2) : 1);
    }
    int status = 0;
    CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "child status %d (1: not zero after fork, 2: did not count)\n", status);
    }
    CHECK(now().token_calls == before.token_calls);
}

int main(void) {
    if (!emu_init()) {
        fprintf(stderr, "EMULATOR_URL is not set\n");
        return 2;
    }
    emu_setup();
    t_add_secret(TEST_CLIENT_SECRET);
    size_protocol();
    char *dir = t_mkdtemp();
    zoho_client *client = new_client(dir);
    char *grant = emu_grant(TEST_USER, TEST_SCOPES, NULL);
    zoho_tokens *first = NULL;
    EXPECT_OK(zoho_client_generate_access_token(client, grant, &first));
    zoho_tokens_free(first);
    free(grant);
    read_then_memory(dir);
    refresh_and_errors(client);
    fleet_metrics(client);
    fork_starts_from_zero(client);
    zoho_client_free(client);
    t_rmtree(dir);
    free(dir);
    return t_finish("test_stats");
}
