/* Implementation of harness.h. Plain C11 + POSIX. */
#define _POSIX_C_SOURCE 200809L
#define _XOPEN_SOURCE 700

#include "harness.h"

#include <arpa/inet.h>
#include <errno.h>
#include <ftw.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int passed, failed;
static char *secrets[64];
static size_t n_secrets;

void t_check(bool ok, const char *what, const char *file, int line) {
    pthread_mutex_lock(&lock);
    if (ok) {
        passed++;
    } else {
        failed++;
        fprintf(stderr, "FAIL %s:%d: %s\n", file, line, what);
    }
    pthread_mutex_unlock(&lock);
}

int t_failures(void) {
    pthread_mutex_lock(&lock);
    int n = failed;
    pthread_mutex_unlock(&lock);
    return n;
}

void t_add_secret(const char *secret) {
    pthread_mutex_lock(&lock);
    if (secret != NULL && secret[0] != '\0' && n_secrets < sizeof secrets / sizeof secrets[0]) {
        secrets[n_secrets++] = strdup(secret);
    }
    pthread_mutex_unlock(&lock);
}

char *t_last_error(void) {
    size_t n = 0;
    if (zoho_last_error_message(NULL, 0, &n) != ZOHO_RESULT_OK) {
        return strdup("<zoho_last_error_message failed>");
    }
    char *buf = malloc(n + 1);
    size_t written = 0;
    if (buf == NULL || zoho_last_error_message(buf, n + 1, &written) != ZOHO_RESULT_OK ||
        written != n || buf[n] != '\0') {
        free(buf);
        return strdup("<zoho_last_error_message copy failed>");
    }
    return buf;
}

char *t_free_str(char *s) {
    zoho_string_free(s);
    return NULL;
}

/* The message must not contain any registered secret. */
static bool message_is_clean(const char *message, const char **leaked) {
    bool clean = true;
    pthread_mutex_lock(&lock);
    for (size_t i = 0; i < n_secrets; i++) {
        if (strstr(message, secrets[i]) != NULL) {
            *leaked = secrets[i];
            clean = false;
            break;
        }
    }
    pthread_mutex_unlock(&lock);
    return clean;
}

void t_expect_rc(zoho_result got, zoho_result want, const char *what, const char *file, int line) {
    char *message = t_last_error();
    zoho_result recorded = zoho_last_error_code();
    char buf[512];
    const char *leaked = NULL;
    if (got != want) {
        snprintf(buf, sizeof buf, "%s returned %d (%s), expected %d (%s); last error: %s", what,
                 (int)got, zoho_result_name((uint32_t)got), (int)want,
                 zoho_result_name((uint32_t)want), message);
        t_check(false, buf, file, line);
    } else if (recorded != want) {
        snprintf(buf, sizeof buf, "%s: zoho_last_error_code() is %d, expected %d", what,
                 (int)recorded, (int)want);
        t_check(false, buf, file, line);
    } else if (want != ZOHO_RESULT_OK && message[0] == '\0') {
        snprintf(buf, sizeof buf, "%s: failed with an empty last error message", what);
        t_check(false, buf, file, line);
    } else if (want == ZOHO_RESULT_OK && message[0] != '\0') {
        snprintf(buf, sizeof buf, "%s: succeeded but left a last error: %s", what, message);
        t_check(false, buf, file, line);
    } else if (!message_is_clean(message, &leaked)) {
        snprintf(buf, sizeof buf, "%s: the last error message contains a secret (%.12s...)", what,
                 leaked);
        t_check(false, buf, file, line);
    } else {
        t_check(true, what, file, line);
    }
    free(message);
}

int t_finish(const char *name) {
    pthread_mutex_lock(&lock);
    printf("%s: %d checks passed, %d failed\n", name, passed, failed);
    int status = failed == 0 && passed > 0 ? 0 : 1;
    for (size_t i = 0; i < n_secrets; i++) {
        free(secrets[i]);
    }
    n_secrets = 0;
    pthread_mutex_unlock(&lock);
    fflush(stdout);
    return status;
}

/* ---- the accounts emulator ---- */

static char base_url[256];
static char host[64];
static int port;

bool emu_init(void) {
    const char *url = getenv("EMULATOR_URL");
    if (url == NULL || strncmp(url, "http://", 7) != 0 || strlen(url) >= sizeof base_url) {
        return false;
    }
    strcpy(base_url, url);
    const char *h = url + 7;
    const char *colon = strchr(h, ':');
    if (colon == NULL || (size_t)(colon - h) >= sizeof host) {
        return false;
    }
    memcpy(host, h, (size_t)(colon - h));
    host[colon - h] = '\0';
    port = atoi(colon + 1);
    return port > 0;
}

const char *emu_url(void) { return base_url; }

static bool send_all(int fd, const char *data, size_t len) {
    while (len > 0) {
        ssize_t n = send(fd, data, len, MSG_NOSIGNAL);
        if (n <= 0) {
            return false;
        }
        data += n;
        len -= (size_t)n;
    }
    return true;
}

/* Reads until the peer closes (we send Connection: close). */
static char *recv_all(int fd) {
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    for (;;) {
        if (buf == NULL) {
            return NULL;
        }
        if (len + 1 >= cap) {
            char *bigger = realloc(buf, cap * 2);
            if (bigger == NULL) {
                free(buf);
                return NULL;
            }
            buf = bigger;
            cap *= 2;
        }
        ssize_t n = recv(fd, buf + len, cap - len - 1, 0);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            break;
        }
        len += (size_t)n;
    }
    buf[len] = '\0';
    return buf;
}

int emu_request(const char *method, const char *path, const char *json, const char *auth, char **body) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) {
        return 0;
    }
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)port);
    if (inet_pton(AF_INET, host, &addr.sin_addr) != 1 ||
        connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
        close(fd);
        return 0;
    }
    size_t body_len = json == NULL ? 0 : strlen(json);
    char head[1024];
    int n = snprintf(head, sizeof head,
                     "%s %s HTTP/1.1\r\nHost: %s:%d\r\nConnection: close\r\n"
                     "Content-Type: application/json\r\nContent-Length: %zu\r\n%s%s%s\r\n",
                     method, path, host, port, body_len, auth ? "Authorization: " : "",
                     auth ? auth : "", auth ? "\r\n" : "");
    int status = 0;
    if (n > 0 && (size_t)n < sizeof head && send_all(fd, head, (size_t)n) &&
        send_all(fd, json ? json : "", body_len)) {
        char *reply = recv_all(fd);
        if (reply != NULL && sscanf(reply, "HTTP/1.1 %d", &status) == 1 && body != NULL) {
            const char *start = strstr(reply, "\r\n\r\n");
            *body = strdup(start ? start + 4 : "");
        }
        free(reply);
    }
    close(fd);
    return status;
}

void emu_admin(const char *what, const char *json) {
    char path[128];
    snprintf(path, sizeof path, "/_emulator/%s", what);
    char *body = NULL;
    int status = emu_request("POST", path, json, NULL, &body);
    if (status != 200) {
        fprintf(stderr, "emulator admin %s failed: HTTP %d %s\n", what, status, body ? body : "");
        free(body);
        exit(2);
    }
    free(body);
}

void emu_setup(void) {
    emu_admin("reset", "{}");
    emu_admin("clients", "{\"client_id\":\"" TEST_CLIENT_ID "\",\"client_secret\":\"" TEST_CLIENT_SECRET
                         "\",\"redirect_uris\":[\"" TEST_REDIRECT_URI "\",\"" TEST_OTHER_REDIRECT_URI
                         "\"],\"data_centres\":[\"us\",\"eu\"]}");
    emu_admin("settings", "{\"refresh_limit\":100000,\"max_active_access_tokens\":100000}");
    t_add_secret(TEST_CLIENT_SECRET);
}

/* The string value of "key" in a flat JSON object (malloc'd), or NULL. */
static char *json_string(const char *json, const char *key) {
    char pattern[128];
    snprintf(pattern, sizeof pattern, "\"%s\":\"", key);
    const char *start = json ? strstr(json, pattern) : NULL;
    if (start == NULL) {
        return NULL;
    }
    start += strlen(pattern);
    const char *end = strchr(start, '"');
    return end ? strndup(start, (size_t)(end - start)) : NULL;
}

char *emu_grant(const char *user, const char *scope, const char *redirect_uri) {
    char json[512], redirect[160] = "";
    if (redirect_uri != NULL) {
        snprintf(redirect, sizeof redirect, ",\"redirect_uri\":\"%s\"", redirect_uri);
    }
    snprintf(json, sizeof json,
             "{\"client_id\":\"" TEST_CLIENT_ID "\",\"user\":\"%s\",\"scope\":\"%s\","
             "\"access_type\":\"offline\"%s}",
             user, scope, redirect);
    char *body = NULL;
    int status = emu_request("POST", "/_emulator/grant", json, NULL, &body);
    char *code = status == 200 ? json_string(body, "code") : NULL;
    free(body);
    if (code == NULL) {
        fprintf(stderr, "emulator grant failed: HTTP %d\n", status);
        exit(2);
    }
    t_add_secret(code);
    return code;
}

long emu_counter(const char *key) {
    char *body = NULL;
    long value = -1;
    if (emu_request("GET", "/_emulator/counters", NULL, NULL, &body) == 200 && body != NULL) {
        char pattern[128];
        snprintf(pattern, sizeof pattern, "\"%s\":", key);
        const char *at = strstr(body, pattern);
        if (at != NULL) {
            value = strtol(at + strlen(pattern), NULL, 10);
        }
    }
    free(body);
    return value;
}

void emu_ttl(int secs) {
    char json[64];
    snprintf(json, sizeof json, "{\"access_token_ttl_secs\":%d}", secs);
    emu_admin("settings", json);
}

int emu_resource_status(const char *access_token) {
    char auth[512];
    snprintf(auth, sizeof auth, "Zoho-oauthtoken %s", access_token);
    return emu_request("GET", "/crm/v2/users?type=CurrentUser", NULL, auth, NULL);
}

/* ---- files ---- */

char *t_mkdtemp(void) {
    const char *base = getenv("TMPDIR");
    char path[512];
    snprintf(path, sizeof path, "%s/zoho-capi-XXXXXX", base && base[0] ? base : "/tmp");
    if (mkdtemp(path) == NULL) {
        perror("mkdtemp");
        exit(2);
    }
    return strdup(path);
}

static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw) {
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

void t_rmtree(const char *path) { nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS); }

char *t_read_file(const char *path) {
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return NULL;
    }
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    size_t n;
    while (buf != NULL && (n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
        len += n;
        if (len + 1 >= cap) {
            char *bigger = realloc(buf, cap * 2);
            if (bigger == NULL) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = bigger;
            cap *= 2;
        }
    }
    fclose(f);
    if (buf != NULL) {
        for (size_t i = 0; i < len; i++) {
            if (buf[i] == '\0') {
                buf[i] = ' ';
            }
        }
        buf[len] = '\0';
    }
    return buf;
}

long long t_now_ms(void) {
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return (long long)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}
