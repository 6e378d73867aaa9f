import ctypes
import json
from ctypes import POINTER, byref, c_char_p, c_size_t, c_void_p

lib = ctypes.CDLL("libzoho_oauth.so.0.1")
lib.zoho_client_new_from_json.argtypes = [c_char_p, POINTER(c_void_p)]
lib.zoho_client_get_access_token.argtypes = [c_void_p, c_char_p, POINTER(c_void_p)]
lib.zoho_last_error_message.argtypes = [c_void_p, c_size_t, POINTER(c_size_t)]
lib.zoho_string_free.argtypes = [c_void_p]
lib.zoho_client_free.argtypes = [c_void_p]


def last_error():
    n = c_size_t()
    lib.zoho_last_error_message(None, 0, byref(n))  # ask the size, then copy
    buf = ctypes.create_string_buffer(n.value + 1)
    lib.zoho_last_error_message(buf, n.value + 1, byref(n))
    return buf.value.decode()


config = {"client_id": "1000.XXXXXXXXXXXXXXXX", "client_secret": "xxxxxxxx",
          "redirect_uri": "http://localhost:8910/callback", "token_persistence_path": "/var/lib/zoho-oauth"}
client = c_void_p()
if lib.zoho_client_new_from_json(json.dumps(config).encode(), byref(client)) != 0:
    raise RuntimeError(last_error())
try:
    token = c_void_p()
    if lib.zoho_client_get_access_token(client, b"ada@example.com", byref(token)) != 0:
        raise RuntimeError(last_error())
    try:
        print("access token", ctypes.string_at(token.value).decode()[:9] + "...")
    finally:
        lib.zoho_string_free(token)  # library strings go back to the library
finally:
    lib.zoho_client_free(client)
