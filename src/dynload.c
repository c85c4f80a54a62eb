/* dynload.c - opening a library by soname and binding its functions (see
 * dynload.h), for libcurl.c and openssl.c. */
#include "dynload.h"

#include <dlfcn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* POSIX: the address dlsym() gives for a function is usable through a
 * function pointer of its type; it is copied, not cast, as POSIX shows. */
_Static_assert(sizeof(void (*)(void)) == sizeof(void *),
	       "function pointers are the size of data pointers");

bool dynload_open(struct dynload *d)
{
	const char *e;

	d->lib = dlopen(d->soname, RTLD_NOW | RTLD_LOCAL);
	if (d->lib)
		return true;
	e = dlerror();
	snprintf(d->error, sizeof(d->error), "%s", e ? e : d->soname);
	return false;
}

bool dynload_bind(struct dynload *d, const char *name, void *slot)
{
	void *sym = dlsym(d->lib, name);

	if (!sym) {
		dynload_refuse(d, "%s has no %s", d->soname, name);
		return false;
	}
	memcpy(slot, &sym, sizeof(sym));
	return true;
}

void dynload_refuse(struct dynload *d, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(d->error, sizeof(d->error), fmt, ap);
	va_end(ap);
	if (d->lib)
		dlclose(d->lib);
	d->lib = NULL;
}

void dynload_fail(const char *what, const char *why)
{
	fprintf(stderr, "hookdoctor: cannot load %s: %s\n", what, why);
	exit(3);
}
