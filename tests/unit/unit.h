/*
 * unit.h - the smallest test harness that names what it proves.
 *
 *   TEST(renders_nested_paths) { EXPECT_STR(out, "x"); }
 *   int main(void) { RUN(renders_nested_paths); return unit_done(); }
 *
 * Prints "ok"/"not ok" per test and ends with "N passed, N failed".
 */
#ifndef HD_UNIT_H
#define HD_UNIT_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int unit_pass, unit_fail, unit_cur_failed;

#define TEST(name) static void test_##name(void)
#define RUN(name)                                                        \
	do {                                                             \
		unit_cur_failed = 0;                                     \
		test_##name();                                           \
		if (unit_cur_failed) {                                   \
			unit_fail++;                                     \
			printf("not ok - %s\n", #name);                  \
		} else {                                                 \
			unit_pass++;                                     \
			printf("ok - %s\n", #name);                      \
		}                                                        \
	} while (0)

#define EXPECT(cond)                                                     \
	do {                                                             \
		if (!(cond)) {                                           \
			printf("  %s:%d: expected %s\n", __FILE__,       \
			       __LINE__, #cond);                         \
			unit_cur_failed = 1;                             \
		}                                                        \
	} while (0)

#define EXPECT_STR(got, want)                                            \
	do {                                                             \
		const char *g_ = (got), *w_ = (want);                    \
		if (!g_ || !w_ || strcmp(g_, w_) != 0) {                 \
			printf("  %s:%d: got \"%s\", want \"%s\"\n",     \
			       __FILE__, __LINE__, g_ ? g_ : "(null)",   \
			       w_ ? w_ : "(null)");                      \
			unit_cur_failed = 1;                             \
		}                                                        \
	} while (0)

#define EXPECT_INT(got, want)                                            \
	do {                                                             \
		long long g_ = (long long)(got), w_ = (long long)(want); \
		if (g_ != w_) {                                          \
			printf("  %s:%d: got %lld, want %lld\n",         \
			       __FILE__, __LINE__, g_, w_);              \
			unit_cur_failed = 1;                             \
		}                                                        \
	} while (0)

/* Fails when needle is in the malloc'd string call returns (a secret
 * that redaction should have masked); frees it. */
#define EXPECT_GONE(call, needle)                                        \
	do {                                                             \
		char *got_ = (call);                                     \
		if (strstr(got_, needle)) {                              \
			printf("  %s:%d: \"%s\" still in \"%s\"\n",      \
			       __FILE__, __LINE__, needle, got_);        \
			unit_cur_failed = 1;                             \
		}                                                        \
		free(got_);                                              \
	} while (0)

/* The factor a timed expectation is multiplied by: tests/slowdown.py's,
 * the same rules (HD_SLOWDOWN=N, else 6 when HD_UNDER_VALGRIND=1, else
 * 1). */
static inline double unit_slowdown(void)
{
	const char *s = getenv("HD_SLOWDOWN");
	const char *v = getenv("HD_UNDER_VALGRIND");

	if (s && *s && atoi(s) >= 1)
		return atoi(s);
	if (v && strcmp(v, "1") == 0)
		return 6;
	return 1;
}

static inline int unit_done(void)
{
	printf("%d passed, %d failed\n", unit_pass, unit_fail);
	return unit_fail ? 1 : 0;
}

#endif
