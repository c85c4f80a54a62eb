/* libcurl.h - libcurl, loaded when a command first needs the network.
 *
 * Linking libcurl made every run load it and the 30 libraries it brings
 * (GnuTLS, Kerberos, LDAP, SASL, SSH, RTMP...): some 8 million
 * instructions of relocation and constructors, 4 ms, before main(). That
 * was half of checking one hook offline, which needs none of it. So
 * hookdoctor is not linked with libcurl: net.c and http.c call it through
 * the table below, which libcurl_need() fills once, with dlopen(), by the
 * soname of the libcurl whose headers it was compiled with.
 *
 * Each member has the type of the libcurl function of the same name
 * without "curl_" (libcurl.easy_init is curl_easy_init), taken from
 * <curl/curl.h> itself, so the table cannot drift from the headers. Only
 * net.c, http.c and libcurl.c include this header. */
#ifndef HD_LIBCURL_H
#define HD_LIBCURL_H

#include <curl/curl.h>
#include <stdbool.h>
#include <stddef.h>

/* The functions hookdoctor uses, as X(name) for curl_<name>. */
#define LIBCURL_FUNCTIONS(X) \
	X(global_init) X(global_cleanup) X(version_info) X(free) \
	X(easy_init) X(easy_setopt) X(easy_perform) X(easy_getinfo) \
	X(easy_reset) X(easy_cleanup) X(easy_strerror) \
	X(slist_append) X(slist_free_all) \
	X(url) X(url_set) X(url_get) X(url_cleanup) X(url_strerror) \
	X(multi_init) X(multi_add_handle) X(multi_remove_handle) \
	X(multi_perform) X(multi_poll) X(multi_wakeup) \
	X(multi_info_read) X(multi_cleanup)

#define LIBCURL_MEMBER(name) __typeof__(curl_##name) *name;
struct libcurl {
	LIBCURL_FUNCTIONS(LIBCURL_MEMBER)
};
#undef LIBCURL_MEMBER

/* Filled by libcurl_need() or libcurl_load(); read-only afterwards. */
extern struct libcurl libcurl;

/* Loads libcurl once (thread-safe); later calls return the first answer.
 * Returns false with the reason in *why (if why is not NULL) when it
 * cannot be loaded (dlerror()'s text), lacks a function, or runs on
 * another TLS library than the OpenSSL hookdoctor is linked with. */
bool libcurl_load(const char **why);

/* libcurl_load(), or a one-line error on stderr and exit 3: the network
 * commands cannot run without it, like any program missing a library. */
void libcurl_need(void);

#endif
