"""The C door of the secret audit (tests/audit): drives libzoho_oauth.so through ctypes and
prints every failure's zoho_last_error_message / zoho_result_name. Run by zoho-oauth-audit as
    python3 capi.py LIB INPUT.json
INPUT holds the emulator URL, the client and the directories. Tokens are never printed (only
lengths); whatever the library says is, and the audit scans it."""
import ctypes
import json
import sys
import urllib.request

lib = ctypes.CDLL(sys.argv[1])
cfg = json.load(open(sys.argv[2]))
ADA = b"audit.capi@example.com"
c_char_pp = ctypes.POINTER(ctypes.c_char_p)
lib.zoho_last_error_message.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.POINTER(ctypes.c_size_t)]
lib.zoho_result_name.restype = ctypes.c_char_p
lib.zoho_client_new_from_json.argtypes = [ctypes.c_char_p, ctypes.POINTER(ctypes.c_void_p)]
for name in ["zoho_client_generate_access_token"]:
    getattr(lib, name).argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.POINTER(ctypes.c_void_p)]
lib.zoho_client_generate_access_token_from_refresh_token.argtypes = [
    ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.POINTER(ctypes.c_void_p)]
lib.zoho_client_get_access_token.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.POINTER(ctypes.c_void_p)]
lib.zoho_client_refresh.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.POINTER(ctypes.c_void_p)]
lib.zoho_client_revoke.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
lib.zoho_string_free.argtypes = [ctypes.c_void_p]
lib.zoho_tokens_free.argtypes = [ctypes.c_void_p]
lib.zoho_client_free.argtypes = [ctypes.c_void_p]
lib.zoho_last_error_take_unsaved_tokens.argtypes = [ctypes.POINTER(ctypes.c_void_p)]
steps = 0


def admin(path, body):
    req = urllib.request.Request(cfg["url"] + path, data=json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json"})
    return json.load(urllib.request.urlopen(req))


def grant(user, scope="ZohoCRM.modules.ALL,AaaServer.profile.READ"):
    return admin("/_emulator/grant", {"client_id": cfg["client_id"], "user": user, "scope": scope})["code"].encode()


def report(step, rc):
    global steps
    steps += 1
    size = ctypes.c_size_t()
    lib.zoho_last_error_message(None, 0, ctypes.byref(size))
    buf = ctypes.create_string_buffer(size.value + 1)
    lib.zoho_last_error_message(buf, size.value + 1, ctypes.byref(size))
    print(f"{step}: {rc} {lib.zoho_result_name(rc).decode()}: {buf.value.decode(errors='replace')}")


def client(secret, **more):
    conf = {"client_id": cfg["client_id"], "client_secret": secret, "redirect_uri": cfg["redirect_uri"],
            "accounts_url": cfg["url"], "token_persistence_path": cfg["store"],
            "applicationLogFilePath": cfg["log"], "timeout_secs": 1, "connect_timeout_secs": 1}
    conf.update(more)
    out = ctypes.c_void_p()
    rc = lib.zoho_client_new_from_json(json.dumps(conf).encode(), ctypes.byref(out))
    report("client_new " + ",".join(more) if more else "client_new", rc)
    return out if rc == 0 else None


c = client(cfg["client_secret"])
out = ctypes.c_void_p()
code = grant(ADA.decode())
report("exchange", lib.zoho_client_generate_access_token(c, code, ctypes.byref(out)))
lib.zoho_tokens_free(out)
report("exchange reused", lib.zoho_client_generate_access_token(c, code, ctypes.byref(out)))
access = ctypes.c_void_p()
rc = lib.zoho_client_get_access_token(c, ADA, ctypes.byref(access))
report("get_access_token", rc)
if rc == 0:
    print("access token length:", len(ctypes.cast(access, ctypes.c_char_p).value))
    lib.zoho_string_free(access)
forged = cfg["forged"].encode()
report("from refresh token forged",
       lib.zoho_client_generate_access_token_from_refresh_token(c, forged, ADA, ctypes.byref(out)))
report("get unknown user", lib.zoho_client_get_access_token(c, b"nobody@example.com", ctypes.byref(access)))
for kind in ["http500", "html", "reset", "stall", "empty", "throttle"]:
    admin("/_emulator/faults", {"kind": kind, "count": 1, "delay_ms": 1500})
    report("refresh fault " + kind, lib.zoho_client_refresh(c, ADA, ctypes.byref(out)))
no_profile = grant("audit.capi.noprofile@example.com", "ZohoCRM.modules.ALL")
report("exchange without profile scope", lib.zoho_client_generate_access_token(c, no_profile, ctypes.byref(out)))
unsaved = ctypes.c_void_p()
print("take unsaved tokens:", lib.zoho_last_error_take_unsaved_tokens(ctypes.byref(unsaved)))
lib.zoho_tokens_free(unsaved)
report("revoke", lib.zoho_client_revoke(c, ADA))
report("revoke again", lib.zoho_client_revoke(c, ADA))
lib.zoho_client_free(c)
w = client(cfg["wrong_secret"])
report("wrong secret", lib.zoho_client_generate_access_token(w, grant(ADA.decode()), ctypes.byref(out)))
lib.zoho_client_free(w)
client(cfg["client_secret"], redirect_uri="")
client(cfg["client_secret"], accounts_url="http://10.1.2.3")
client(cfg["client_secret"], timeout_secs="forever")
bad = ctypes.c_void_p()
report("not JSON", lib.zoho_client_new_from_json(b'{"client_secret":"' + cfg["client_secret"].encode() + b'", oops', ctypes.byref(bad)))
print(f"capi steps: {steps}")
