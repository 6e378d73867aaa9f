/* Proves the leak checkers see memory the library allocates: this program leaks one string
 * from zoho_client_authorization_url on purpose; run.sh expects AddressSanitizer and valgrind
 * to report it (and fails if they do not). */
#include <stdio.h>

#include "zoho_oauth.h"

int main(void) {
    const char *keys[] = {"client_id", "client_secret", "redirect_uri", "token_persistence_path"};
    const char *values[] = {"1000.CANARY", "canary", "https://example.com/cb", "/tmp"};
    zoho_client *client = NULL;
    char *url = NULL;
    if (zoho_client_new(keys, values, 4, &client) != ZOHO_RESULT_OK ||
        zoho_client_authorization_url(client, "ZohoCRM.modules.ALL", NULL, false, NULL, &url) !=
            ZOHO_RESULT_OK) {
        return 2;
    }
    url = NULL; /* leaked on purpose */
    zoho_client_free(client);
    puts("leaked one string on purpose");
    return 0;
}
