/*
 * fuzz.h - what the libFuzzer targets of tests/fuzz/ share: the project's
 * data directory (the rule files of checks/, found from HD_FUZZ_ROOT, the repository
 * the target was built in, unless HOOKDOCTOR_DATADIR is set), the real
 * provider rules loaded once, the options of an offline JSON run, and a
 * NUL-terminated copy of the fuzzer's input.
 *
 * A target must not leak, print to stdout or keep state between inputs
 * other than what is loaded here once.
 */
#ifndef HD_FUZZ_H
#define HD_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"
#include "rules.h"
#include "util.h"

#ifndef HD_FUZZ_ROOT
#define HD_FUZZ_ROOT "."
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The repository root (where checks/ is). */
static inline const char *fuzz_root(void)
{
	const char *env = getenv("HOOKDOCTOR_DATADIR");

	return env && *env ? env : HD_FUZZ_ROOT;
}

/* The real rule files, loaded on first use and kept for the whole run
 * (LeakSanitizer does not report memory still reachable at exit). */
static inline const struct rules *fuzz_rules(void)
{
	static struct rules *r;

	if (!r) {
		struct hd_error err = {{0}};
		char *dir = xasprintf("%s/checks", fuzz_root());

		r = rules_load(dir, &err);
		if (!r) {
			fprintf(stderr, "fuzz: cannot load %s: %s\n", dir,
				err.msg);
			abort();
		}
		free(dir);
	}
	return r;
}

/* Options as `hookdoctor check --offline --format json -v` parses them. */
static inline const struct options *fuzz_options(void)
{
	static struct options o;
	static int done;

	if (!done) {
		static char *argv[] = {"hookdoctor", "check", "--offline", "--format",
				"json", "-v", "--color", "never", NULL};

		if (options_parse(8, argv, &o) != 0)
			abort();
		done = 1;
	}
	return &o;
}

/* data[0..size) as a malloc'd NUL-terminated string (NULs inside stay:
 * C-string APIs see the prefix up to the first one). */
static inline char *fuzz_text(const uint8_t *data, size_t size)
{
	char *s = xmalloc(size + 1);

	if (size)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

#endif
