/* Test harness shared by the C and C++ tests of the zoho-oauth C API: checks, result-code
 * expectations (which also verify the last error and that it holds no secret), a tiny HTTP
 * client for the accounts emulator's admin API, and temporary directories. */
#ifndef ZOHO_TEST_HARNESS_H
#define ZOHO_TEST_HARNESS_H

#include <stdbool.h>
#include <stddef.h>

#include "zoho_oauth.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TEST_CLIENT_ID "1000.CAPITESTCLIENT00000000000001"
/* Distinctive, so that messages can be searched for it. */
#define TEST_CLIENT_SECRET "capi5ecret+&=%0f1e2d3c4b5a69788796a5b4c3"
#define TEST_REDIRECT_URI "https://example.com/zoho/callback"
#define TEST_OTHER_REDIRECT_URI "https://example.com/zoho/other"
#define TEST_SCOPES "ZohoCRM.modules.ALL,AaaServer.profile.READ"
#define TEST_USER "ada@example.com"

/* ---- checks ---- */
void t_check(bool ok, const char *what, const char *file, int line);
void t_expect_rc(zoho_result got, zoho_result want, const char *what, const char *file, int line);
/* Prints "<name>: N checks passed, M failed" and returns the exit status. */
int t_finish(const char *name);
/* Adds a string that must never appear in a last-error message (copied). */
void t_add_secret(const char *secret);
/* The calling thread's last error message (malloc'd; free with free()). */
char *t_last_error(void);
/* Frees a string from the library and returns NULL, for `s = t_free_str(s)`. */
char *t_free_str(char *s);
int t_failures(void);

#define CHECK(cond) t_check((cond) ? true : false, #cond, __FILE__, __LINE__)
#define EXPECT_RC(expr, want) t_expect_rc((expr), (want), #expr, __FILE__, __LINE__)
#define EXPECT_OK(expr) EXPECT_RC((expr), ZOHO_RESULT_OK)

/* ---- the accounts emulator (EMULATOR_URL) ---- */
/* Reads EMULATOR_URL; false when it is not set. */
bool emu_init(void);
const char *emu_url(void);
/* Sends a request to the emulator; returns the HTTP status (0 on failure) and the body
 * (malloc'd) in *body when body is not NULL. `auth` is an Authorization header value or NULL. */
int emu_request(const char *method, const char *path, const char *json, const char *auth, char **body);
/* POSTs JSON to /_emulator/<what>; aborts the test on failure. */
void emu_admin(const char *what, const char *json);
/* Resets the emulator, registers the test client (us and eu, two redirect URIs) and lifts
 * the refresh limits. */
void emu_setup(void);
/* A grant code for `user` (malloc'd); `redirect_uri` may be NULL (self-client code). */
char *emu_grant(const char *user, const char *scope, const char *redirect_uri);
/* A counter from /_emulator/counters, e.g. "token.refresh_token". */
long emu_counter(const char *key);
/* Sets the access token lifetime the emulator gives. */
void emu_ttl(int secs);
/* The status of GET /crm/v2/users with this access token (200 when the token works). */
int emu_resource_status(const char *access_token);

/* ---- files ---- */
/* Creates a temporary directory (malloc'd path). */
char *t_mkdtemp(void);
/* Removes a directory tree. */
void t_rmtree(const char *path);
/* Reads a whole file (malloc'd, NUL bytes turned into spaces), NULL when missing. */
char *t_read_file(const char *path);
/* Milliseconds since the Unix epoch. */
long long t_now_ms(void);

#ifdef __cplusplus
}
#endif

#endif
