/* Issue 27 from C: with token_encryption_key_file, the token file holds no token (nor any
 * 8-character fragment of one); a value changed by one byte, or a client without the key,
 * gets ZOHO_RESULT_STORE_CORRUPT / ZOHO_RESULT_CONFIG_MISSING with a message naming the
 * user, and nothing is refreshed or written. Needs the emulator (EMULATOR_URL). */
#define _POSIX_C_SOURCE 200809L

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

static char *path_in(const char *dir, const char *name) {
    size_t n = strlen(dir) + strlen(name) + 2;
    char *path = malloc(n);
    snprintf(path, n, "%s/%s", dir, name);
    return path;
}

/* 32 random bytes, raw, in a new 0600 file. */
static void write_key(const char *path) {
    unsigned char key[32];
    FILE *random = fopen("/dev/urandom", "rb");
    CHECK(random != NULL && fread(key, 1, sizeof key, random) == sizeof key);
    if (random != NULL) fclose(random);
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
    CHECK(fd >= 0 && write(fd, key, sizeof key) == (ssize_t)sizeof key);
    if (fd >= 0) close(fd);
}

static zoho_client *client_for(const char *dir, const char *key_file) {
    const char *keys[] = {"client_id", "client_secret", "redirect_uri", "accounts_url",
                          "token_persistence_path", "store_recheck_ms",
                          key_file ? "token_encryption_key_file" : "unused_key"};
    const char *values[] = {TEST_CLIENT_ID, TEST_CLIENT_SECRET, TEST_REDIRECT_URI, emu_url(),
                            dir, "0", key_file ? key_file : ""};
    zoho_client *client = NULL;
    EXPECT_OK(zoho_client_new(keys, values, sizeof keys / sizeof keys[0], &client));
    return client;
}

static bool holds_fragment(const char *text, const char *token) {
    size_t n = strlen(token);
    for (size_t i = 0; i + 8 <= n; i++) {
        char fragment[9];
        memcpy(fragment, token + i, 8);
        fragment[8] = '\0';
        if (strstr(text, fragment) != NULL) return true;
    }
    return false;
}

/* A whole file, bytes as they are (the SDK format holds NUL bytes). */
typedef struct {
    char *bytes;
    size_t len;
} blob;

static blob read_blob(const char *path) {
    blob b = {NULL, 0};
    FILE *f = fopen(path, "rb");
    if (f == NULL) return b;
    b.bytes = malloc(1 << 16);
    b.len = fread(b.bytes, 1, (1 << 16) - 1, f);
    b.bytes[b.len] = '\0';
    fclose(f);
    return b;
}

static void write_blob(const char *path, blob b) {
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL && fwrite(b.bytes, 1, b.len, f) == b.len);
    if (f != NULL) fclose(f);
}

static bool same_blob(blob a, blob b) {
    return a.len == b.len && memcmp(a.bytes, b.bytes, a.len) == 0;
}

/* The last occurrence of `needle` in `b`, or NULL. */
static char *last_in(blob b, const char *needle) {
    char *found = NULL;
    size_t n = strlen(needle);
    for (size_t i = 0; i + n <= b.len; i++) {
        if (memcmp(b.bytes + i, needle, n) == 0) found = b.bytes + i;
    }
    return found;
}

/* The call fails with `want`, names the user, and leaves the file and Zoho alone. */
static void expect_refused(zoho_client *client, const char *file, blob planted,
                           zoho_result want) {
    long refreshes = emu_counter("token.refresh_token");
    char *access = NULL;
    EXPECT_RC(zoho_client_get_access_token(client, TEST_USER, &access), want);
    char *message = t_last_error();
    CHECK(strstr(message, TEST_USER) != NULL);
    CHECK(strstr(message, "zoe1.") == NULL);
    free(message);
    zoho_tokens *refreshed = NULL;
    EXPECT_RC(zoho_client_refresh(client, TEST_USER, &refreshed), want);
    CHECK(refreshed == NULL);
    blob after = read_blob(file);
    CHECK(same_blob(after, planted));
    free(after.bytes);
    CHECK(emu_counter("token.refresh_token") == refreshes);
}

int main(void) {
    if (!emu_init()) {
        fprintf(stderr, "EMULATOR_URL is not set\n");
        return 1;
    }
    emu_setup();
    char *dir = t_mkdtemp();
    char *key = path_in(dir, "token.key");
    char *file = path_in(dir, "zcrm_oauthtokens.txt");
    write_key(key);
    zoho_client *client = client_for(dir, key);
    char *code = emu_grant(TEST_USER, TEST_SCOPES, NULL);
    zoho_tokens *tokens = NULL;
    EXPECT_OK(zoho_client_generate_access_token(client, code, &tokens));
    char *access = NULL, *refresh = NULL;
    EXPECT_OK(zoho_tokens_access_token(tokens, &access));
    EXPECT_OK(zoho_tokens_refresh_token(tokens, &refresh));
    t_add_secret(access);
    t_add_secret(refresh);
    char *text = t_read_file(file); /* NUL bytes as spaces: for searching */
    CHECK(text != NULL && strstr(text, "zoe1.") != NULL);
    CHECK(text != NULL && !holds_fragment(text, access) && !holds_fragment(text, refresh));
    blob clean = read_blob(file);
    char *served = NULL;
    EXPECT_OK(zoho_client_get_access_token(client, TEST_USER, &served));
    CHECK(served != NULL && strcmp(served, access) == 0);

    /* one byte of the last sealed value changed ("zoe1.<8 hex>." then base64url) */
    blob tampered = read_blob(file);
    char *last = last_in(tampered, "zoe1.");
    CHECK(last != NULL);
    if (last != NULL) last[14 + 30] = last[14 + 30] == 'A' ? 'B' : 'A';
    write_blob(file, tampered);
    expect_refused(client, file, tampered, ZOHO_RESULT_STORE_CORRUPT);

    /* the right file, no key */
    write_blob(file, clean);
    zoho_client *keyless = client_for(dir, NULL);
    expect_refused(keyless, file, clean, ZOHO_RESULT_CONFIG_MISSING);

    zoho_client_free(keyless);
    zoho_client_free(client);
    zoho_tokens_free(tokens);
    free(tampered.bytes);
    free(clean.bytes);
    free(text);
    t_free_str(served);
    t_free_str(access);
    t_free_str(refresh);
    free(code);
    t_rmtree(dir);
    free(key);
    free(file);
    free(dir);
    return t_finish("test_encryption");
}
