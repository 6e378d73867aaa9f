/* Fork safety (issue 13, item 3): fork() while another thread is inside a refresh (held
 * there by the emulator's `stall` fault, with the user's lock taken). In each of 30 trials:
 *   - a child that uses the library (a forced refresh of the same user) must finish, and
 *     succeed, instead of waiting forever on the lock it inherited;
 *   - a child that never calls the library (it only sleeps) must not keep the parent's lock:
 *     the parent's next refresh succeeds at once, while that child still lives.
 * Needs EMULATOR_URL. */
#define _POSIX_C_SOURCE 200809L

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

#ifndef TRIALS
#define TRIALS 30
#endif
#define STALL_MS 400
#define CHILD_LIMIT_MS 10000
#define IDLE_CHILD_SECS 20

static void sleep_ms(long ms) {
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static void *refresh_in_thread(void *arg) {
    zoho_tokens *t = NULL;
    (void)zoho_client_refresh((const zoho_client *)arg, TEST_USER, &t); /* stalled: fails */
    zoho_tokens_free(t);
    return NULL;
}

/* Waits up to `ms` for `pid`; its exit status, or -1 after killing it on timeout. */
static int wait_for(pid_t pid, long ms) {
    for (long waited = 0; waited < ms; waited += 10) {
        int status = 0;
        if (waitpid(pid, &status, WNOHANG) == pid) {
            return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        }
        sleep_ms(10);
    }
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    return -1;
}

/* One trial; returns true when both children and the parent behaved. */
static bool trial(zoho_client *client, int n) {
    emu_admin("faults", "{\"kind\":\"stall\",\"count\":1,\"path\":\"/oauth/v2/token\",\"delay_ms\":400}");
    pthread_t thread;
    if (pthread_create(&thread, NULL, refresh_in_thread, client) != 0) {
        return false;
    }
    sleep_ms(STALL_MS / 4); /* the thread now holds the lock, waiting for the server */
    pid_t user = fork();
    if (user == 0) {
        zoho_tokens *t = NULL;
        zoho_result rc = zoho_client_refresh(client, TEST_USER, &t);
        zoho_tokens_free(t);
        _exit(rc == ZOHO_RESULT_OK ? 0 : 1);
    }
    pid_t idle = fork();
    if (idle == 0) {
        sleep(IDLE_CHILD_SECS);
        _exit(0);
    }
    pthread_join(thread, NULL);
    int user_status = wait_for(user, CHILD_LIMIT_MS);
    long long started = t_now_ms();
    zoho_tokens *t = NULL;
    zoho_result rc = zoho_client_refresh(client, TEST_USER, &t);
    long long took = t_now_ms() - started;
    zoho_tokens_free(t);
    bool idle_alive = waitpid(idle, NULL, WNOHANG) == 0;
    kill(idle, SIGKILL);
    waitpid(idle, NULL, 0);
    bool ok = user_status == 0 && rc == ZOHO_RESULT_OK && took < 3000 && idle_alive;
    if (!ok) {
        fprintf(stderr, "trial %d: child using the library: %s (status %d); parent refresh %s in %lld ms\n", n,
                user_status == -1 ? "BLOCKED" : "ended", user_status, rc == ZOHO_RESULT_OK ? "ok" : "failed", took);
    }
    return ok;
}

int main(void) {
    if (!emu_init()) {
        fprintf(stderr, "EMULATOR_URL is not set\n");
        return 2;
    }
    emu_setup();
    char *dir = t_mkdtemp();
    const char *keys[] = {"client_id", "client_secret", "redirect_uri", "accounts_url", "token_persistence_path",
                          "timeout_secs"};
    const char *values[] = {TEST_CLIENT_ID, TEST_CLIENT_SECRET, TEST_REDIRECT_URI, emu_url(), dir, "5"};
    zoho_client *client = NULL;
    EXPECT_OK(zoho_client_new(keys, values, 6, &client));
    char *grant = emu_grant(TEST_USER, TEST_SCOPES, NULL);
    zoho_tokens *first = NULL;
    EXPECT_OK(zoho_client_generate_access_token(client, grant, &first));
    zoho_tokens_free(first);
    free(grant);
    int good = 0;
    for (int i = 0; client != NULL && i < TRIALS; i++) {
        good += trial(client, i);
    }
    fprintf(stderr, "%d of %d trials: no child blocked, no lock kept by a child\n", good, TRIALS);
    CHECK(good == TRIALS);
    zoho_client_free(client);
    t_rmtree(dir);
    free(dir);
    return t_finish("test_fork");
}
