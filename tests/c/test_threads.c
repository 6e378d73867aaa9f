/* Concurrency: 8 threads share one zoho_client. In each round the stored access token is made
 * stale, then all threads call get at once: they must all get the same, working token, and
 * the emulator must have minted exactly one token by refresh. Then all threads force a
 * refresh at once: each gets a working token. The last error is per thread. Needs
 * EMULATOR_URL. */
#define _POSIX_C_SOURCE 200809L

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define THREADS 8
#define ROUNDS 3
#define GETS_PER_THREAD 25

struct shared {
    zoho_client *client;
    pthread_barrier_t barrier;
    char *tokens[THREADS];
    int ok[THREADS];
    bool force;
};

struct worker {
    struct shared *shared;
    int index;
};

/* Each thread: wait for the others, then get GETS_PER_THREAD times (or refresh once); keep
 * the first token and count the calls that returned the same one. */
static void *run(void *arg) {
    struct worker *w = arg;
    struct shared *s = w->shared;
    pthread_barrier_wait(&s->barrier);
    if (s->force) {
        zoho_tokens *t = NULL;
        if (zoho_client_refresh(s->client, TEST_USER, &t) == ZOHO_RESULT_OK &&
            zoho_tokens_access_token(t, &s->tokens[w->index]) == ZOHO_RESULT_OK) {
            s->ok[w->index] = 1;
        }
        zoho_tokens_free(t);
        return NULL;
    }
    for (int i = 0; i < GETS_PER_THREAD; i++) {
        char *token = NULL;
        if (zoho_client_get_access_token(s->client, TEST_USER, &token) != ZOHO_RESULT_OK) {
            char *message = t_last_error();
            fprintf(stderr, "thread %d: get failed: %s\n", w->index, message);
            free(message);
            continue;
        }
        if (s->tokens[w->index] == NULL) {
            s->tokens[w->index] = token;
            s->ok[w->index]++;
        } else {
            s->ok[w->index] += strcmp(token, s->tokens[w->index]) == 0;
            zoho_string_free(token);
        }
    }
    return NULL;
}

static void run_threads(struct shared *s, bool force) {
    pthread_t threads[THREADS];
    struct worker workers[THREADS];
    s->force = force;
    for (int i = 0; i < THREADS; i++) {
        s->tokens[i] = NULL;
        s->ok[i] = 0;
        workers[i].shared = s;
        workers[i].index = i;
        CHECK(pthread_create(&threads[i], NULL, run, &workers[i]) == 0);
    }
    for (int i = 0; i < THREADS; i++) {
        pthread_join(threads[i], NULL);
    }
}

static void free_tokens(struct shared *s) {
    for (int i = 0; i < THREADS; i++) {
        s->tokens[i] = t_free_str(s->tokens[i]);
    }
}

/* Makes the stored token expired: new tokens from the stored refresh token, saved as they
 * are, while the emulator gives 1 s tokens (under the SDK's one-second validity margin, so
 * expired at once). Every thread then waits for the one refresh (a token that still works
 * would be served at once instead). Returns the expired token. */
static char *make_stale(zoho_client *client) {
    zoho_tokens *t = NULL;
    char *refresh = NULL;
    char *stale = NULL;
    EXPECT_OK(zoho_client_get_tokens(client, TEST_USER, &t));
    EXPECT_OK(zoho_tokens_refresh_token(t, &refresh));
    zoho_tokens_free(t);
    emu_ttl(1);
    EXPECT_OK(zoho_client_generate_access_token_from_refresh_token(client, refresh, TEST_USER, &t));
    EXPECT_OK(zoho_tokens_access_token(t, &stale));
    zoho_tokens_free(t);
    zoho_string_free(refresh);
    emu_ttl(3600);
    return stale;
}

static void test_concurrent_gets(struct shared *s) {
    for (int round = 0; round < ROUNDS; round++) {
        char *stale = make_stale(s->client);
        long before = emu_counter("token.refresh_token");
        run_threads(s, false);
        long refreshes = emu_counter("token.refresh_token") - before;
        if (refreshes != 1) {
            fprintf(stderr, "round %d: %ld refreshes, expected exactly 1\n", round, refreshes);
        }
        CHECK(refreshes == 1);
        for (int i = 0; i < THREADS; i++) {
            CHECK(s->ok[i] == GETS_PER_THREAD);
            CHECK(s->tokens[i] != NULL && strcmp(s->tokens[i], s->tokens[0]) == 0);
            CHECK(s->tokens[i] != NULL && stale != NULL && strcmp(s->tokens[i], stale) != 0);
        }
        CHECK(s->tokens[0] != NULL && emu_resource_status(s->tokens[0]) == 200);
        free_tokens(s);
        zoho_string_free(stale);
    }
}

static void test_concurrent_refreshes(struct shared *s) {
    long before = emu_counter("token.refresh_token");
    run_threads(s, true);
    long refreshes = emu_counter("token.refresh_token") - before;
    CHECK(refreshes >= 1 && refreshes <= THREADS);
    for (int i = 0; i < THREADS; i++) {
        CHECK(s->ok[i] == 1);
        CHECK(s->tokens[i] != NULL && emu_resource_status(s->tokens[i]) == 200);
    }
    free_tokens(s);
    /* afterwards every get agrees on the stored token, with no further refresh */
    before = emu_counter("token.refresh_token");
    run_threads(s, false);
    CHECK(emu_counter("token.refresh_token") == before);
    for (int i = 0; i < THREADS; i++) {
        CHECK(s->ok[i] == GETS_PER_THREAD && s->tokens[i] && strcmp(s->tokens[i], s->tokens[0]) == 0);
    }
    free_tokens(s);
}

static void *fail_in_thread(void *arg) {
    zoho_client *client = arg;
    char *token = NULL;
    zoho_result rc = zoho_client_get_access_token(client, "nobody@example.com", &token);
    return (void *)(size_t)(rc == ZOHO_RESULT_NO_TOKENS && zoho_last_error_code() == ZOHO_RESULT_NO_TOKENS);
}

static void test_last_error_is_per_thread(zoho_client *client) {
    char *token = NULL;
    EXPECT_OK(zoho_client_get_access_token(client, TEST_USER, &token));
    zoho_string_free(token);
    pthread_t thread;
    void *ok = NULL;
    CHECK(pthread_create(&thread, NULL, fail_in_thread, client) == 0);
    pthread_join(thread, &ok);
    CHECK(ok != NULL);
    CHECK(zoho_last_error_code() == ZOHO_RESULT_OK);
}

int main(void) {
    if (!emu_init()) {
        fprintf(stderr, "EMULATOR_URL is not set\n");
        return 2;
    }
    emu_setup();
    char *dir = t_mkdtemp();
    const char *keys[] = {"client_id", "client_secret", "redirect_uri", "accounts_url",
                          "token_persistence_path", "refresh_margin_secs"};
    const char *values[] = {TEST_CLIENT_ID, TEST_CLIENT_SECRET, TEST_REDIRECT_URI, emu_url(), dir, "60"};
    struct shared s;
    memset(&s, 0, sizeof s);
    EXPECT_OK(zoho_client_new(keys, values, 6, &s.client));
    char *grant = emu_grant(TEST_USER, TEST_SCOPES, NULL);
    zoho_tokens *first = NULL;
    EXPECT_OK(zoho_client_generate_access_token(s.client, grant, &first));
    zoho_tokens_free(first);
    free(grant);
    pthread_barrier_init(&s.barrier, NULL, THREADS);
    if (s.client != NULL) {
        test_concurrent_gets(&s);
        test_concurrent_refreshes(&s);
        test_last_error_is_per_thread(s.client);
    }
    pthread_barrier_destroy(&s.barrier);
    zoho_client_free(s.client);
    t_rmtree(dir);
    free(dir);
    return t_finish("test_threads");
}
