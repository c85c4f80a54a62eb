/* openssl.c - loads OpenSSL when the certificates are first looked at
 * (see openssl.h for why), and nothing else. */
#include "openssl.h"

#include <openssl/opensslv.h>
#include <pthread.h>
#include "dynload.h"

#define STRINGIFY(x) #x
#define SONAME(v) "libssl.so." STRINGIFY(v)

struct openssl openssl;

/* libssl's soname carries OpenSSL's ABI version ("libssl.so.3"); its
 * dependency libcrypto comes with it, and dlsym() on libssl's handle
 * finds the functions of both. */
static struct dynload dl = {.soname = SONAME(OPENSSL_SHLIB_VERSION)};
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load(void)
{
	unsigned long major;

	if (!dynload_open(&dl))
		return;
#define OPENSSL_BIND(name)                                                \
	if (!dynload_bind(&dl, #name, &openssl.name))                     \
		return;
	OPENSSL_FUNCTIONS(OPENSSL_BIND)
#undef OPENSSL_BIND
	/* 0xMNN00PP0L: the major version is the top nibble's */
	major = openssl.OpenSSL_version_num() >> 28;
	if (major != OPENSSL_VERSION_MAJOR)
		dynload_refuse(&dl, "%s is OpenSSL %lu, not %d as hookdoctor "
			       "was built with", dl.soname, major,
			       OPENSSL_VERSION_MAJOR);
	/* Otherwise never closed: OpenSSL stays for the rest of the
	 * process, as a linked library would. */
}

bool openssl_load(const char **why)
{
	pthread_once(&once, load);
	if (!dl.lib && why)
		*why = dl.error;
	return dl.lib != NULL;
}

const char *openssl_version(const char **why)
{
	return openssl_load(why) ? openssl.OpenSSL_version(OPENSSL_VERSION)
				 : NULL;
}

void openssl_need(void)
{
	const char *why = NULL;

	if (!openssl_load(&why))
		dynload_fail("OpenSSL", why);
}
