"""Python ctypes test of the zoho-oauth C API: the whole flow against the accounts emulator
(grant exchange, persisted file, get, expiry, refresh, revoke), error paths, bad input, and a
check that every pointer the library returned was freed.

    EMULATOR_URL=http://127.0.0.1:PORT python3 tests/python/test_capi.py /path/to/libzoho_oauth.so
"""

import ctypes
import json
import os
import shutil
import sys
import tempfile
import time
import urllib.request
from ctypes import byref, c_char_p, c_size_t, c_void_p

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import zoho_oauth_ctypes as z  # noqa: E402

CLIENT_ID = "1000.PYTESTCLIENT0000000000000001"
CLIENT_SECRET = "py5ecret+&=%0f1e2d3c4b5a69788796a5b4c3d2"
REDIRECT_URI = "https://example.com/zoho/callback"
SCOPES = "ZohoCRM.modules.ALL,AaaServer.profile.READ"
USER = "ada@example.com"

passed = 0
failed = 0
secrets = {CLIENT_SECRET}


def check(cond, what):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print(f"FAIL: {what}", file=sys.stderr)


def expect_error(lib, code, fn, *args, contains=None):
    """Runs fn, expects a ZohoError with this code and a message without secrets."""
    try:
        result = fn(*args)
    except z.ZohoError as e:
        check(e.code == code, f"{fn.__name__}: got {e.name} ({e.code}), expected {code}: {e.message}")
        check(e.message != "", f"{fn.__name__}: empty message")
        check(not any(s in e.message for s in secrets), f"{fn.__name__}: secret in message")
        if contains:
            check(contains in e.message, f"{fn.__name__}: '{contains}' not in '{e.message}'")
        return e
    check(False, f"{fn.__name__}: succeeded, expected code {code}")
    if isinstance(result, z.Tokens):
        result.close()
    return None


class Emulator:
    def __init__(self, url):
        self.url = url

    def request(self, method, path, body=None, token=None):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.url + path, data=data, method=method)
        if token:
            req.add_header("Authorization", f"Zoho-oauthtoken {token}")
        try:
            with urllib.request.urlopen(req, timeout=10) as reply:
                return reply.status, reply.read()
        except urllib.error.HTTPError as e:
            return e.code, e.read()

    def admin(self, what, body):
        status, reply = self.request("POST", f"/_emulator/{what}", body)
        assert status == 200, (what, status, reply)
        return json.loads(reply)

    def setup(self):
        self.admin("reset", {})
        self.admin("clients", {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
                               "redirect_uris": [REDIRECT_URI], "data_centres": ["us", "eu"]})
        self.admin("settings", {"refresh_limit": 100000, "max_active_access_tokens": 100000})

    def grant(self, scope=SCOPES):
        code = self.admin("grant", {"client_id": CLIENT_ID, "user": USER, "scope": scope,
                                    "access_type": "offline"})["code"]
        secrets.add(code)
        return code

    def counter(self, key):
        return json.loads(self.request("GET", "/_emulator/counters")[1])[key]

    def ttl(self, secs):
        self.admin("settings", {"access_token_ttl_secs": secs})

    def resource(self, token):
        return self.request("GET", "/crm/v2/users?type=CurrentUser", token=token)[0]


def config(emu, directory, **extra):
    base = {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "redirect_uri": REDIRECT_URI,
            "accounts_url": emu.url, "token_persistence_path": directory,
            "refresh_margin_secs": 60, "timeout_secs": 5}
    base.update(extra)
    return json.dumps(base)


def test_flow(lib, emu, directory):
    with z.Client.from_json(lib, config(emu, directory)) as client:
        with client.generate_access_token(emu.grant()) as tokens:
            access, refresh = tokens.access_token, tokens.refresh_token
            secrets.update({access, refresh})
            check(access.startswith("1000."), "access token shape")
            check(tokens.user == USER, "user")
            check(tokens.api_domain == emu.url, "api_domain")
            check("AaaServer.profile.READ" in tokens.scope, "scope")
            left = tokens.expiry_ms - time.time() * 1000
            check(3500_000 < left <= 3601_000, f"expiry in about an hour ({left})")
        path = os.path.join(directory, "zcrm_oauthtokens.txt")
        with open(path, "rb") as f:
            data = f.read()
        check(b"ZohoOAuthTokens" in data and access.encode() in data, "persisted SDK file")
        check(os.stat(path).st_mode & 0o077 == 0, "file mode 0600")

        check(client.get_access_token(USER) == access, "get answers from the cache")
        check(emu.counter("token.refresh_token") == 0, "no refresh yet")
        check(emu.resource(access) == 200, "token works")
        check(client.user_email(access) == USER, "user_email")
        check(client.list_users() == [USER], "list users")

        emu.ttl(60)  # saved as it is from the refresh token: stale at once with a 60 s margin
        with client.generate_from_refresh_token(refresh, USER) as short:
            stale = short.access_token
            check(short.refresh_token == refresh, "refresh token kept")
            check(short.expiry_ms - time.time() * 1000 <= 61_000, "60 s token")
        check(emu.counter("token.refresh_token") == 1, "one refresh from the refresh token")
        emu.ttl(3600)
        fresh = client.get_access_token(USER)
        check(fresh not in (stale, access), "stale token refreshed")
        check(emu.counter("token.refresh_token") == 2, "exactly one refresh on expiry")
        check(client.get_access_token(USER) == fresh, "then cached")
        check(emu.counter("token.refresh_token") == 2, "no second refresh")

        with client.generate_from_refresh_token(refresh, "bob") as bob:
            check(bob.user == "bob", "from refresh token")
        check(sorted(client.list_users()) == sorted([USER, "bob"]), "two users")
        check(client.delete_tokens("bob") is True, "delete")
        check(client.delete_tokens("bob") is False, "delete again")

        url = client.authorization_url(SCOPES, prompt_consent=True, state="xyz")
        check(url.startswith(emu.url + "/oauth/v2/auth?") and "state=xyz" in url, "auth url")

        client.revoke(USER)
        check(emu.resource(fresh) == 401, "revoked token refused")
        expect_error(lib, 400, client.get_access_token, USER)
        expect_error(lib, 300, client.generate_from_refresh_token, refresh, USER)


def test_errors(lib, emu, directory):
    expect_error(lib, 101, z.Client.from_json, lib, "{}", contains="client_id is mandatory")
    expect_error(lib, 102, z.Client.from_json, lib, '{"client_secret":"' + CLIENT_SECRET)
    expect_error(lib, 102, z.Client.from_json, lib, config(emu, directory, accounts_url="http://zoho.com"))
    # No store named: refused (101), nothing connected to; the SDK's MySQL default is the PHP
    # extension's only.
    expect_error(lib, 101, z.Client.from_json, lib, config(emu, None, host_address="127.0.0.1", db_port="1"),
                 contains="no token store is configured")
    # MySQL asked for: opened without connecting; a server that is down is store_unavailable
    # (404) at the first call.
    with z.Client.from_json(lib, config(emu, None, token_store="mysql", host_address="127.0.0.1",
                                        db_port="1")) as client:
        expect_error(lib, 404, client.get_access_token, USER)
    expect_error(lib, 101, z.Client.from_pairs, lib, {"client_id": "x"}, contains="client_secret is mandatory")
    with z.Client.from_pairs(lib, {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
                                    "redirect_uri": REDIRECT_URI, "accounts_url": emu.url,
                                    "token_persistence_path": directory, "timeout_secs": "1"}) as client:
        grant = emu.grant()
        client.generate_access_token(grant).close()
        expect_error(lib, 300, client.generate_access_token, grant)
        emu.admin("faults", {"kind": "http500", "count": 1, "path": "/oauth/v2/token"})
        expect_error(lib, 202, client.refresh, USER)
        emu.admin("faults", {"kind": "html", "count": 1, "path": "/oauth/v2/token"})
        expect_error(lib, 203, client.refresh, USER)
        emu.admin("faults", {"kind": "throttle", "count": 1, "path": "/oauth/v2/token"})
        expect_error(lib, 304, client.refresh, USER)
        expect_error(lib, 306, client.generate_access_token, emu.grant("ZohoCRM.modules.ALL"))
        unsaved = z.take_unsaved_tokens(lib)
        check(unsaved is not None, "unsaved tokens attached to the error")
        if unsaved is not None:
            with unsaved:
                check(unsaved.refresh_token is not None, "unsaved refresh token")
        expect_error(lib, 307, client.user_email, "1000.0000.0000")


def test_bad_input(lib, directory):
    with z.Client.from_json(lib, json.dumps({
            "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "redirect_uri": REDIRECT_URI,
            "accounts_url": "http://127.0.0.1:1", "token_persistence_path": directory})) as client:
        expect_error(lib, 110, client.get_access_token, None, contains="user is NULL")
        expect_error(lib, 111, client.get_access_token, b"ada\xff@example.com")
        expect_error(lib, 100, client.get_access_token, "")
        expect_error(lib, 100, client.get_access_token, "x" * 5000)
        expect_error(lib, 104, client.generate_access_token, "", contains="Grant Token is not provided.")
        expect_error(lib, 100, client.generate_access_token, "g" * 100000)
        expect_error(lib, 110, client.generate_access_token, None)
        expect_error(lib, 100, client.authorization_url, "")
        out = c_void_p()
        check(lib.zoho_client_get_access_token(None, b"u", byref(out)) == 110 and not out.value,
              "NULL client")
        check(lib.zoho_client_get_access_token(client.ptr, b"u", None) == 110, "NULL out")
        keys = (c_char_p * 1)(None)
        check(lib.zoho_client_new(keys, keys, 1, byref(out)) == 110 and not out.value, "NULL key")
    check(lib.zoho_last_error_message(None, 0, None) == 110, "NULL out_len")
    small = ctypes.create_string_buffer(2)
    n = c_size_t(99)
    check(lib.zoho_last_error_message(small, 2, byref(n)) == 100 and n.value == 99, "small buffer")
    for free in (lib.zoho_client_free, lib.zoho_tokens_free, lib.zoho_token_list_free,
                 lib.zoho_string_free):
        free(None)
        free(None)
    check(lib.zoho_result_name(306) == b"scope_missing", "result name")
    check(lib.zoho_result_name(7) == b"unknown", "unknown result name")
    check(lib.zoho_version().decode().count(".") == 2, "version")


def main():
    lib_path = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("ZOHO_OAUTH_LIB")
    url = os.environ.get("EMULATOR_URL")
    if not lib_path or not url:
        print("usage: EMULATOR_URL=... test_capi.py /path/to/libzoho_oauth.so", file=sys.stderr)
        return 2
    lib = z.load(lib_path)
    emu = Emulator(url)
    emu.setup()
    directory = tempfile.mkdtemp(prefix="zoho-capi-py-")
    try:
        test_flow(lib, emu, directory)
        test_errors(lib, emu, directory)
        test_bad_input(lib, directory)
    finally:
        shutil.rmtree(directory, ignore_errors=True)
    check(not z.LIVE, f"every pointer was freed ({len(z.LIVE)} left)")
    print(f"test_capi.py: {passed} checks passed, {failed} failed")
    return 0 if failed == 0 and passed > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
