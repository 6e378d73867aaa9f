// The same flow from C++: the header compiles as C++ (extern "C"), and the library's objects
// are owned by RAII wrappers. Grant exchange, persisted file, get, expiry, refresh, list,
// revoke and an error path. Needs EMULATOR_URL.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>

#include "harness.h"
#include "zoho_oauth.h"

namespace {

struct ClientFree {
    void operator()(zoho_client *c) const { zoho_client_free(c); }
};
struct TokensFree {
    void operator()(zoho_tokens *t) const { zoho_tokens_free(t); }
};
struct ListFree {
    void operator()(zoho_token_list *l) const { zoho_token_list_free(l); }
};
using Client = std::unique_ptr<zoho_client, ClientFree>;
using Tokens = std::unique_ptr<zoho_tokens, TokensFree>;
using List = std::unique_ptr<zoho_token_list, ListFree>;

// Takes ownership of a library string and returns a std::string ("" for NULL).
std::string take(char *s) {
    std::string value = s != nullptr ? s : "";
    zoho_string_free(s);
    return value;
}

std::string field(zoho_result (*getter)(const zoho_tokens *, char **), const Tokens &t) {
    char *value = nullptr;
    EXPECT_OK(getter(t.get(), &value));
    return take(value);
}

Tokens refresh_from(const Client &client, const std::string &refresh_token) {
    zoho_tokens *raw = nullptr;
    EXPECT_OK(zoho_client_generate_access_token_from_refresh_token(client.get(), refresh_token.c_str(),
                                                                   TEST_USER, &raw));
    return Tokens(raw);
}

std::string get(const Client &client) {
    char *raw = nullptr;
    EXPECT_OK(zoho_client_get_access_token(client.get(), TEST_USER, &raw));
    return take(raw);
}

void flow(const std::string &dir) {
    const std::string json = std::string("{\"client_id\":\"") + TEST_CLIENT_ID +
                             "\",\"client_secret\":\"" + TEST_CLIENT_SECRET +
                             "\",\"redirect_uri\":\"" + TEST_REDIRECT_URI + "\",\"accounts_url\":\"" +
                             emu_url() + "\",\"token_persistence_path\":\"" + dir +
                             "\",\"refresh_margin_secs\":60}";
    zoho_client *raw_client = nullptr;
    EXPECT_OK(zoho_client_new_from_json(json.c_str(), &raw_client));
    Client client(raw_client);
    if (!client) {
        return;
    }

    char *grant = emu_grant(TEST_USER, TEST_SCOPES, nullptr);
    zoho_tokens *raw_tokens = nullptr;
    EXPECT_OK(zoho_client_generate_access_token(client.get(), grant, &raw_tokens));
    std::free(grant);
    Tokens tokens(raw_tokens);
    const std::string access = field(zoho_tokens_access_token, tokens);
    const std::string refresh_token = field(zoho_tokens_refresh_token, tokens);
    t_add_secret(access.c_str());
    t_add_secret(refresh_token.c_str());
    CHECK(access.rfind("1000.", 0) == 0);
    CHECK(field(zoho_tokens_user, tokens) == TEST_USER);
    CHECK(field(zoho_tokens_api_domain, tokens) == emu_url());
    int64_t expiry = 0;
    EXPECT_OK(zoho_tokens_expiry_ms(tokens.get(), &expiry));
    CHECK(expiry - t_now_ms() > 3500 * 1000LL);

    char *file = t_read_file((dir + "/zcrm_oauthtokens.txt").c_str());
    CHECK(file != nullptr && std::strstr(file, access.c_str()) != nullptr);
    std::free(file);

    CHECK(get(client) == access);
    CHECK(emu_counter("token.refresh_token") == 0);

    // expiry: a 60 s token (saved as it is from the refresh token) is stale at once; the next
    // get refreshes exactly once
    emu_ttl(60);
    Tokens stale = refresh_from(client, refresh_token);
    const std::string stale_access = field(zoho_tokens_access_token, stale);
    CHECK(emu_counter("token.refresh_token") == 1);
    emu_ttl(3600);
    const std::string fresh = get(client);
    CHECK(fresh != stale_access && fresh != access);
    CHECK(emu_counter("token.refresh_token") == 2);
    CHECK(get(client) == fresh);
    CHECK(emu_counter("token.refresh_token") == 2);
    CHECK(emu_resource_status(fresh.c_str()) == 200);

    zoho_token_list *raw_list = nullptr;
    EXPECT_OK(zoho_client_list_tokens(client.get(), &raw_list));
    List list(raw_list);
    CHECK(zoho_token_list_len(list.get()) == 1);

    EXPECT_OK(zoho_client_revoke(client.get(), TEST_USER));
    char *none = nullptr;
    EXPECT_RC(zoho_client_get_access_token(client.get(), TEST_USER, &none), ZOHO_RESULT_NO_TOKENS);
    CHECK(none == nullptr);
    CHECK(emu_resource_status(fresh.c_str()) == 401);
}

}  // namespace

int main() {
    if (!emu_init()) {
        std::fprintf(stderr, "EMULATOR_URL is not set\n");
        return 2;
    }
    emu_setup();
    char *dir = t_mkdtemp();
    flow(dir);
    t_rmtree(dir);
    std::free(dir);
    return t_finish("test_flow_cpp");
}
