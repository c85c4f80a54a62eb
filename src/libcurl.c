/* libcurl.c - loads libcurl at the first network command (see libcurl.h
 * for why), and nothing else. */
#include "libcurl.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "openssl.h"

/* libcurl's soname has been libcurl.so.4 since curl 7.16.0 (2006); the
 * build may name another (make LIBCURL_SONAME=...). */
#ifndef HD_LIBCURL_SONAME
#define HD_LIBCURL_SONAME "libcurl.so.4"
#endif

const char libcurl_soname[] = HD_LIBCURL_SONAME;
struct libcurl libcurl;

static pthread_once_t once = PTHREAD_ONCE_INIT;
static char load_error[512];
static bool loaded;

/* POSIX: the address dlsym() gives for a function is usable through a
 * function pointer of its type; it is copied, not cast, as POSIX shows. */
_Static_assert(sizeof(void (*)(void)) == sizeof(void *),
	       "function pointers are the size of data pointers");

static bool bind_symbol(void *lib, const char *name, void *slot)
{
	void *sym = dlsym(lib, name);

	if (!sym) {
		snprintf(load_error, sizeof(load_error),
			 "%s has no %s", libcurl_soname, name);
		return false;
	}
	memcpy(slot, &sym, sizeof(sym));
	return true;
}

/* tls.c is handed the SSL_CTX of libcurl's connections, so the libcurl
 * loaded must run on the OpenSSL hookdoctor was built with (openssl.c
 * then opens the same libssl), not GnuTLS (libcurl-gnutls) or another
 * OpenSSL. */
static bool same_openssl(void)
{
	const curl_version_info_data *v = libcurl.version_info(CURLVERSION_NOW);
	char want[32];

	snprintf(want, sizeof(want), "OpenSSL/%d.", OPENSSL_VERSION_MAJOR);
	if (v && v->ssl_version && strstr(v->ssl_version, want))
		return true;
	snprintf(load_error, sizeof(load_error),
		 "%s uses %s, not OpenSSL %d as hookdoctor does",
		 libcurl_soname, v && v->ssl_version ? v->ssl_version : "no TLS",
		 OPENSSL_VERSION_MAJOR);
	return false;
}

static void load(void)
{
	void *lib = dlopen(libcurl_soname, RTLD_NOW | RTLD_LOCAL);
	const char *why;

	if (!lib) {
		const char *e = dlerror();

		snprintf(load_error, sizeof(load_error), "%s",
			 e ? e : libcurl_soname);
		return;
	}
#define LIBCURL_BIND(name)                                                \
	if (!bind_symbol(lib, "curl_" #name, &libcurl.name)) {            \
		dlclose(lib);                                             \
		return;                                                   \
	}
	LIBCURL_FUNCTIONS(LIBCURL_BIND)
#undef LIBCURL_BIND
	if (!same_openssl()) {
		dlclose(lib);
		return;
	}
	/* tls.c's table: the libssl libcurl has just brought in, so a
	 * network command cannot fail for want of it later */
	if (!openssl_load(&why)) {
		snprintf(load_error, sizeof(load_error), "%s", why);
		dlclose(lib);
		return;
	}
	/* Never closed: libcurl stays for the rest of the process, as a
	 * linked library would. */
	loaded = true;
}

bool libcurl_load(const char **why)
{
	pthread_once(&once, load);
	if (!loaded && why)
		*why = load_error;
	return loaded;
}

void libcurl_need(void)
{
	const char *why = NULL;

	if (!libcurl_load(&why)) {
		fprintf(stderr, "hookdoctor: cannot load libcurl: %s\n", why);
		exit(3);
	}
}
