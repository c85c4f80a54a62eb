/* dynload.h - a library hookdoctor does not link, opened by its soname
 * when first needed, with its functions bound into a table: libcurl
 * (libcurl.h) and OpenSSL (openssl.h), which offline runs never load. */
#ifndef HD_DYNLOAD_H
#define HD_DYNLOAD_H

#include <stdbool.h>

struct dynload {
	const char *soname;     /* e.g. "libcurl.so.4" */
	void *lib;              /* the dlopen() handle, or NULL */
	char error[512];        /* why it cannot be used, once it failed */
};

/* dlopen()s d->soname; false with d->error set (dlerror()'s text). */
bool dynload_open(struct dynload *d);

/* Binds the function name into *slot, a function pointer; false with
 * d->error set ("libcurl.so.4 has no curl_easy_init"). */
bool dynload_bind(struct dynload *d, const char *name, void *slot);

/* Gives up on d: closes it, with d->error saying why (printf-style). */
void dynload_refuse(struct dynload *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The one line of a network command that cannot run without the library
 * ("hookdoctor: cannot load libcurl: why"), and exit 3. */
_Noreturn void dynload_fail(const char *what, const char *why);

#endif
