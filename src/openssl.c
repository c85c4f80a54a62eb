/* openssl.c - loads OpenSSL when the certificates are first looked at
 * (see openssl.h for why), and nothing else. */
#include "openssl.h"

#include <dlfcn.h>
#include <openssl/opensslv.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STRINGIFY(x) #x
#define SONAME(v) "libssl.so." STRINGIFY(v)

/* libssl's soname carries OpenSSL's ABI version ("libssl.so.3"); its
 * dependency libcrypto comes with it, and dlsym() on libssl's handle
 * finds the functions of both. */
const char openssl_soname[] = SONAME(OPENSSL_SHLIB_VERSION);
struct openssl openssl;

static pthread_once_t once = PTHREAD_ONCE_INIT;
static char load_error[512];
static bool loaded;

/* As in libcurl.c: the address dlsym() gives is copied into the
 * function pointer, as POSIX shows. */
_Static_assert(sizeof(void (*)(void)) == sizeof(void *),
	       "function pointers are the size of data pointers");

static bool bind_symbol(void *lib, const char *name, void *slot)
{
	void *sym = dlsym(lib, name);

	if (!sym) {
		snprintf(load_error, sizeof(load_error), "%s has no %s",
			 openssl_soname, name);
		return false;
	}
	memcpy(slot, &sym, sizeof(sym));
	return true;
}

static void load(void)
{
	void *lib = dlopen(openssl_soname, RTLD_NOW | RTLD_LOCAL);
	unsigned long major;

	if (!lib) {
		const char *e = dlerror();

		snprintf(load_error, sizeof(load_error), "%s",
			 e ? e : openssl_soname);
		return;
	}
#define OPENSSL_BIND(name)                                                \
	if (!bind_symbol(lib, #name, &openssl.name)) {                    \
		dlclose(lib);                                             \
		return;                                                   \
	}
	OPENSSL_FUNCTIONS(OPENSSL_BIND)
#undef OPENSSL_BIND
	/* 0xMNN00000L: the major version is the top nibble's */
	major = openssl.OpenSSL_version_num() >> 28;
	if (major != OPENSSL_VERSION_MAJOR) {
		snprintf(load_error, sizeof(load_error),
			 "%s is OpenSSL %lu, not %d as hookdoctor was built with",
			 openssl_soname, major, OPENSSL_VERSION_MAJOR);
		dlclose(lib);
		return;
	}
	/* Never closed: OpenSSL stays for the rest of the process, as a
	 * linked library would. */
	loaded = true;
}

bool openssl_load(const char **why)
{
	pthread_once(&once, load);
	if (!loaded && why)
		*why = load_error;
	return loaded;
}

const char *openssl_version(const char **why)
{
	return openssl_load(why) ? openssl.OpenSSL_version(OPENSSL_VERSION)
				 : NULL;
}

void openssl_need(void)
{
	const char *why = NULL;

	if (!openssl_load(&why)) {
		fprintf(stderr, "hookdoctor: cannot load OpenSSL: %s\n", why);
		exit(3);
	}
}
