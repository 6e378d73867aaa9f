"""Minimal ctypes binding of the zoho-oauth C API (capi/include/zoho_oauth.h), used by the tests
and shown in the README. Every pointer the library returns is freed through the library's
own `_free` functions, never by Python or libc.

    lib = load("/path/to/libzoho_oauth.so")
    client = Client.from_json(lib, json.dumps({...}))
    token = client.get_access_token("ada@example.com")
"""

import ctypes
from ctypes import POINTER, byref, c_bool, c_char_p, c_int, c_int64, c_size_t, c_uint32, c_void_p

OK = 0

# Every library pointer this module holds, as (kind, address): the tests assert it is empty at
# the end, which shows that everything the library handed out was given back to it.
LIVE = set()


def _own(kind, ptr):
    if ptr.value:
        LIVE.add((kind, ptr.value))
    return ptr


def _release(kind, ptr):
    LIVE.discard((kind, ptr.value))


class ZohoError(Exception):
    """A failed call: `code` is the zoho_result, `name` its stable name."""

    def __init__(self, code, name, message):
        super().__init__(f"{name} ({code}): {message}")
        self.code = code
        self.name = name
        self.message = message


def load(path):
    """Loads the library and declares every function's signature."""
    lib = ctypes.CDLL(path)
    client_pp = POINTER(c_void_p)
    sigs = {
        "zoho_version": (c_char_p, []),
        "zoho_result_name": (c_char_p, [c_uint32]),
        "zoho_last_error_message": (c_int, [c_void_p, c_size_t, POINTER(c_size_t)]),
        "zoho_last_error_code": (c_int, []),
        "zoho_last_error_take_unsaved_tokens": (c_int, [client_pp]),
        "zoho_string_free": (None, [c_void_p]),
        "zoho_client_new": (c_int, [POINTER(c_char_p), POINTER(c_char_p), c_size_t, client_pp]),
        "zoho_client_new_from_json": (c_int, [c_char_p, client_pp]),
        "zoho_client_free": (None, [c_void_p]),
        "zoho_client_generate_access_token": (c_int, [c_void_p, c_char_p, client_pp]),
        "zoho_client_generate_access_token_from_refresh_token": (
            c_int, [c_void_p, c_char_p, c_char_p, client_pp]),
        "zoho_client_get_access_token": (c_int, [c_void_p, c_char_p, client_pp]),
        "zoho_client_get_tokens": (c_int, [c_void_p, c_char_p, client_pp]),
        "zoho_client_refresh": (c_int, [c_void_p, c_char_p, client_pp]),
        "zoho_client_revoke": (c_int, [c_void_p, c_char_p]),
        "zoho_client_delete_tokens": (c_int, [c_void_p, c_char_p, POINTER(c_bool)]),
        "zoho_client_list_tokens": (c_int, [c_void_p, client_pp]),
        "zoho_client_user_email": (c_int, [c_void_p, c_char_p, client_pp]),
        "zoho_client_authorization_url": (
            c_int, [c_void_p, c_char_p, c_char_p, c_bool, c_char_p, client_pp]),
        "zoho_tokens_access_token": (c_int, [c_void_p, client_pp]),
        "zoho_tokens_refresh_token": (c_int, [c_void_p, client_pp]),
        "zoho_tokens_user": (c_int, [c_void_p, client_pp]),
        "zoho_tokens_api_domain": (c_int, [c_void_p, client_pp]),
        "zoho_tokens_scope": (c_int, [c_void_p, client_pp]),
        "zoho_tokens_expiry_ms": (c_int, [c_void_p, POINTER(c_int64)]),
        "zoho_tokens_free": (None, [c_void_p]),
        "zoho_token_list_len": (c_size_t, [c_void_p]),
        "zoho_token_list_get": (c_int, [c_void_p, c_size_t, client_pp]),
        "zoho_token_list_free": (None, [c_void_p]),
    }
    for name, (restype, argtypes) in sigs.items():
        fn = getattr(lib, name)
        fn.restype = restype
        fn.argtypes = argtypes
    return lib


def last_error(lib):
    """The calling thread's last error message: ask the size, then copy."""
    n = c_size_t()
    if lib.zoho_last_error_message(None, 0, byref(n)) != OK:
        return "<no message>"
    buf = ctypes.create_string_buffer(n.value + 1)
    if lib.zoho_last_error_message(buf, n.value + 1, byref(n)) != OK:
        return "<no message>"
    return buf.value.decode("utf-8")


def check(lib, code):
    if code != OK:
        raise ZohoError(code, lib.zoho_result_name(code).decode(), last_error(lib))


def take_string(lib, ptr):
    """Copies a `char *` from the library into a Python str and frees it (None for NULL)."""
    if not ptr.value:
        return None
    _own("string", ptr)
    try:
        return ctypes.string_at(ptr.value).decode("utf-8")
    finally:
        _release("string", ptr)
        lib.zoho_string_free(ptr)


def _arg(value):
    return value.encode("utf-8") if isinstance(value, str) else value


class Tokens:
    """Owns a zoho_tokens; `close()` (or `with`) frees it."""

    def __init__(self, lib, ptr):
        self.lib, self.ptr = lib, _own("tokens", ptr)

    def _string(self, getter):
        out = c_void_p()
        check(self.lib, getter(self.ptr, byref(out)))
        return take_string(self.lib, out)

    access_token = property(lambda self: self._string(self.lib.zoho_tokens_access_token))
    refresh_token = property(lambda self: self._string(self.lib.zoho_tokens_refresh_token))
    user = property(lambda self: self._string(self.lib.zoho_tokens_user))
    api_domain = property(lambda self: self._string(self.lib.zoho_tokens_api_domain))
    scope = property(lambda self: self._string(self.lib.zoho_tokens_scope))

    @property
    def expiry_ms(self):
        out = c_int64()
        check(self.lib, self.lib.zoho_tokens_expiry_ms(self.ptr, byref(out)))
        return out.value

    def close(self):
        if self.ptr:
            _release("tokens", self.ptr)
            self.lib.zoho_tokens_free(self.ptr)
            self.ptr = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class Client:
    """Owns a zoho_client; `close()` (or `with`) frees it. May be shared across threads."""

    def __init__(self, lib, ptr):
        self.lib, self.ptr = lib, _own("client", ptr)

    @classmethod
    def from_json(cls, lib, text):
        out = c_void_p()
        check(lib, lib.zoho_client_new_from_json(_arg(text), byref(out)))
        return cls(lib, out)

    @classmethod
    def from_pairs(cls, lib, pairs):
        keys = (c_char_p * len(pairs))(*[_arg(k) for k in pairs])
        values = (c_char_p * len(pairs))(*[_arg(v) for v in pairs.values()])
        out = c_void_p()
        check(lib, lib.zoho_client_new(keys, values, len(pairs), byref(out)))
        return cls(lib, out)

    def _tokens(self, fn, *args):
        out = c_void_p()
        check(self.lib, fn(self.ptr, *[_arg(a) for a in args], byref(out)))
        return Tokens(self.lib, out)

    def generate_access_token(self, grant):
        return self._tokens(self.lib.zoho_client_generate_access_token, grant)

    def generate_from_refresh_token(self, refresh_token, user):
        return self._tokens(
            self.lib.zoho_client_generate_access_token_from_refresh_token, refresh_token, user)

    def get_tokens(self, user):
        return self._tokens(self.lib.zoho_client_get_tokens, user)

    def refresh(self, user):
        return self._tokens(self.lib.zoho_client_refresh, user)

    def get_access_token(self, user):
        out = c_void_p()
        check(self.lib, self.lib.zoho_client_get_access_token(self.ptr, _arg(user), byref(out)))
        return take_string(self.lib, out)

    def user_email(self, access_token):
        out = c_void_p()
        check(self.lib, self.lib.zoho_client_user_email(self.ptr, _arg(access_token), byref(out)))
        return take_string(self.lib, out)

    def authorization_url(self, scopes, access_type=None, prompt_consent=False, state=None):
        out = c_void_p()
        check(self.lib, self.lib.zoho_client_authorization_url(
            self.ptr, _arg(scopes), _arg(access_type), prompt_consent, _arg(state), byref(out)))
        return take_string(self.lib, out)

    def revoke(self, user):
        check(self.lib, self.lib.zoho_client_revoke(self.ptr, _arg(user)))

    def delete_tokens(self, user):
        deleted = c_bool()
        check(self.lib, self.lib.zoho_client_delete_tokens(self.ptr, _arg(user), byref(deleted)))
        return deleted.value

    def list_users(self):
        """The user of every stored entry (the list and each entry are freed here)."""
        out = c_void_p()
        check(self.lib, self.lib.zoho_client_list_tokens(self.ptr, byref(out)))
        _own("list", out)
        try:
            users = []
            for i in range(self.lib.zoho_token_list_len(out)):
                item = c_void_p()
                check(self.lib, self.lib.zoho_token_list_get(out, i, byref(item)))
                with Tokens(self.lib, item) as tokens:
                    users.append(tokens.user)
            return users
        finally:
            _release("list", out)
            self.lib.zoho_token_list_free(out)

    def close(self):
        if self.ptr:
            _release("client", self.ptr)
            self.lib.zoho_client_free(self.ptr)
            self.ptr = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def take_unsaved_tokens(lib):
    """Tokens attached to the thread's last error (issued by Zoho but not saved), or None."""
    out = c_void_p()
    if lib.zoho_last_error_take_unsaved_tokens(byref(out)) != OK:
        return None
    return Tokens(lib, out)
