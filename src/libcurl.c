/* libcurl.c - loads libcurl at the first network command (see libcurl.h
 * for why), and nothing else. */
#include "libcurl.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include "dynload.h"
#include "openssl.h"

/* libcurl's soname has been libcurl.so.4 since curl 7.16.0 (2006); the
 * build may name another (make LIBCURL_SONAME=...). */
#ifndef HD_LIBCURL_SONAME
#define HD_LIBCURL_SONAME "libcurl.so.4"
#endif

struct libcurl libcurl;

static struct dynload dl = {.soname = HD_LIBCURL_SONAME};
static pthread_once_t once = PTHREAD_ONCE_INIT;

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
	dynload_refuse(&dl, "%s uses %s, not OpenSSL %d as hookdoctor does",
		       dl.soname, v && v->ssl_version ? v->ssl_version :
		       "no TLS", OPENSSL_VERSION_MAJOR);
	return false;
}

static void load(void)
{
	const char *why;

	if (!dynload_open(&dl))
		return;
#define LIBCURL_BIND(name)                                                \
	if (!dynload_bind(&dl, "curl_" #name, &libcurl.name))             \
		return;
	LIBCURL_FUNCTIONS(LIBCURL_BIND)
#undef LIBCURL_BIND
	if (!same_openssl())
		return;
	/* tls.c's table: the libssl libcurl has just brought in, so a
	 * network command cannot fail for want of it later */
	if (!openssl_load(&why))
		dynload_refuse(&dl, "%s", why);
	/* Otherwise never closed: libcurl stays for the rest of the
	 * process, as a linked library would. */
}

bool libcurl_load(const char **why)
{
	pthread_once(&once, load);
	if (!dl.lib && why)
		*why = dl.error;
	return dl.lib != NULL;
}

void libcurl_need(void)
{
	const char *why = NULL;

	if (!libcurl_load(&why))
		dynload_fail("libcurl", why);
}
