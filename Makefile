# Builds and installs the zoho-oauth C library (the crate capi/, zoho-oauth-capi): shared and
# static libraries, the two headers (capi/include/zoho_oauth.h for C/C++,
# capi/include/zoho_oauth_ffi.h for PHP FFI) and pkg-config files (capi/*.pc.in; zoho-oauth:
# shared; zoho-oauth-static: static).
#
#   make                                  build (release)
#   make install PREFIX=/usr/local        also: DESTDIR, LIBDIR, INCLUDEDIR, PKGCONFIGDIR
#   make install PROFILE=debug            install the debug build
#   make uninstall PREFIX=/usr/local
#
# Cargo's target directory: $CARGO_TARGET_DIR, else the workspace's (cargo metadata).

CARGO ?= cargo
INSTALL ?= install
PREFIX ?= /usr/local
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
DESTDIR ?=
PROFILE ?= release

# Native libraries the static library needs, from
# `cargo rustc -p zoho-oauth-capi --lib --crate-type staticlib -- --print native-static-libs`.
LIBS_PRIVATE ?= -lgcc_s -lutil -lrt -lpthread -lm -ldl -lc

TARGET_DIR ?= $(or $(CARGO_TARGET_DIR),$(shell $(CARGO) metadata --format-version 1 --no-deps | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p'))
VERSION := $(shell $(CARGO) pkgid -p zoho-oauth-capi | sed 's/.*[@\#]//')
MAJOR := $(word 1,$(subst ., ,$(VERSION)))
MINOR := $(word 2,$(subst ., ,$(VERSION)))
# The SONAME's version (capi/build.rs sets the same): major.minor before 1.0, major after.
ABI := $(if $(filter 0,$(MAJOR)),0.$(MINOR),$(MAJOR))

ifeq ($(PROFILE),release)
CARGO_PROFILE := --release
OUT := $(TARGET_DIR)/release
else ifeq ($(PROFILE),debug)
CARGO_PROFILE :=
OUT := $(TARGET_DIR)/debug
else
$(error PROFILE must be release or debug)
endif

.PHONY: all lib install uninstall

all: lib

lib:
	$(CARGO) build -p zoho-oauth-capi $(CARGO_PROFILE)

define PC_SUBST
sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@LIBDIR@|$(LIBDIR)|g' -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|g' \
    -e 's|@VERSION@|$(VERSION)|g' -e 's|@LIBS_PRIVATE@|$(LIBS_PRIVATE)|g'
endef

install: lib
	$(INSTALL) -d $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCLUDEDIR) $(DESTDIR)$(PKGCONFIGDIR)
	$(INSTALL) -m 644 capi/include/zoho_oauth.h capi/include/zoho_oauth_ffi.h $(DESTDIR)$(INCLUDEDIR)/
	$(INSTALL) -m 755 $(OUT)/libzoho_oauth.so $(DESTDIR)$(LIBDIR)/libzoho_oauth.so.$(VERSION)
	ln -sf libzoho_oauth.so.$(VERSION) $(DESTDIR)$(LIBDIR)/libzoho_oauth.so.$(ABI)
	ln -sf libzoho_oauth.so.$(ABI) $(DESTDIR)$(LIBDIR)/libzoho_oauth.so
	$(INSTALL) -m 644 $(OUT)/libzoho_oauth.a $(DESTDIR)$(LIBDIR)/libzoho_oauth.a
	$(PC_SUBST) capi/zoho_oauth.pc.in > $(DESTDIR)$(PKGCONFIGDIR)/zoho-oauth.pc
	$(PC_SUBST) capi/zoho_oauth-static.pc.in > $(DESTDIR)$(PKGCONFIGDIR)/zoho-oauth-static.pc

uninstall:
	rm -f $(DESTDIR)$(INCLUDEDIR)/zoho_oauth.h $(DESTDIR)$(INCLUDEDIR)/zoho_oauth_ffi.h
	rm -f $(DESTDIR)$(LIBDIR)/libzoho_oauth.so $(DESTDIR)$(LIBDIR)/libzoho_oauth.so.$(ABI)
	rm -f $(DESTDIR)$(LIBDIR)/libzoho_oauth.so.$(VERSION) $(DESTDIR)$(LIBDIR)/libzoho_oauth.a
	rm -f $(DESTDIR)$(PKGCONFIGDIR)/zoho-oauth.pc $(DESTDIR)$(PKGCONFIGDIR)/zoho-oauth-static.pc
