/* Benchmark: zoho_client_get_access_token on a cached token, through the C ABI, with 1 and
 * 1,000 users in the token file, with the default store_recheck_ms (served from memory,
 * the shared change counter read without a system call) and with store_recheck_ms=0 (one
 * stat() of the token file per call, the behaviour before), in the same run.
 *
 *   bash tests/c/bench.sh [seconds per case]      (release build, against the emulator)
 *
 * The users' tokens are made through the library against the accounts emulator (one grant
 * exchange per user); the timed calls make no request. */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness.h"

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static zoho_client *client_for(const char *dir, const char *recheck_ms) {
    const char *keys[] = {"client_id", "client_secret", "redirect_uri", "accounts_url",
                          "token_persistence_path", "store_recheck_ms"};
    const char *values[] = {TEST_CLIENT_ID, TEST_CLIENT_SECRET, TEST_REDIRECT_URI, emu_url(), dir,
                            recheck_ms};
    zoho_client *client = NULL;
    if (zoho_client_new(keys, values, 6, &client) != ZOHO_RESULT_OK) {
        fprintf(stderr, "zoho_client_new failed: %s\n", t_last_error());
        exit(1);
    }
    return client;
}

static void user_name(char *buf, size_t len, int i) {
    snprintf(buf, len, "user%d@example.com", i);
}

/* Makes `users` users' tokens in `dir` (grant exchanges against the emulator). */
static void populate(const char *dir, int users) {
    zoho_client *client = client_for(dir, "0");
    for (int i = 0; i < users; i++) {
        char user[64];
        user_name(user, sizeof user, i);
        char *grant = emu_grant(user, TEST_SCOPES, NULL);
        zoho_tokens *tokens = NULL;
        if (zoho_client_generate_access_token(client, grant, &tokens) != ZOHO_RESULT_OK) {
            fprintf(stderr, "grant exchange failed: %s\n", t_last_error());
            exit(1);
        }
        zoho_tokens_free(tokens);
        free(grant);
    }
    zoho_client_free(client);
}

/* Seconds per zoho_client_get_access_token call, round robin over the users. */
static double per_call(const zoho_client *client, int users, double seconds) {
    char names[1000][32];
    for (int i = 0; i < users; i++) {
        user_name(names[i], sizeof names[i], i);
    }
    long calls = 0;
    double start = now_s(), end;
    do {
        for (int i = 0; i < 1000; i++, calls++) {
            char *token = NULL;
            if (zoho_client_get_access_token(client, names[calls % users], &token) != ZOHO_RESULT_OK) {
                fprintf(stderr, "get_access_token failed: %s\n", t_last_error());
                exit(1);
            }
            zoho_string_free(token);
        }
        end = now_s();
    } while (end - start < seconds);
    return (end - start) / (double)calls;
}

int main(int argc, char **argv) {
    double seconds = argc > 1 ? atof(argv[1]) : 1.0;
    if (!emu_init()) {
        fprintf(stderr, "EMULATOR_URL is not set\n");
        return 2;
    }
    emu_setup();
    printf("zoho_client_get_access_token, cached token (zoho-oauth %s), per call:\n", zoho_version());
    int counts[] = {1, 1000};
    for (size_t c = 0; c < 2; c++) {
        char *dir = t_mkdtemp();
        populate(dir, counts[c]);
        zoho_client *memory = client_for(dir, "1000");
        zoho_client *every = client_for(dir, "0");
        per_call(memory, counts[c], 0.2); /* warm both caches */
        per_call(every, counts[c], 0.2);
        double fast = per_call(memory, counts[c], seconds);
        double stat = per_call(every, counts[c], seconds);
        printf("  %5d users: %8.3f us (store_recheck_ms=1000, default)  %8.3f us (=0, a stat per call)  %.1fx\n",
               counts[c], fast * 1e6, stat * 1e6, stat / fast);
        zoho_client_free(memory);
        zoho_client_free(every);
        t_rmtree(dir);
        free(dir);
    }
    return 0;
}
