/*
 * util.h - small shared helpers: checked allocation, a growable string
 * buffer, the error carrier passed from modules to main(), UTF-8 counting.
 * Nothing here knows about hooks, providers or output formats.
 */
#ifndef HD_UTIL_H
#define HD_UTIL_H

#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* An error message filled in by a module and printed by main(), e.g.
 * "hook.json:12:5: trailing comma before '}'". */
struct hd_error {
	char msg[1024];
};

void hd_error_set(struct hd_error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Allocation that never returns NULL: on exhaustion it prints and exits 3. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* xstrdup(s), or NULL when s is NULL. */
char *xstrdup_or_null(const char *s);
/* p, unless an allocation outside these (cJSON's) failed: then the same
 * message and exit 3. */
void *xneed(void *p);
/* A malloc'd printf; the caller frees. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Whether two strings are equal, the first bytes compared before strcmp:
 * for the lookups by name of many short strings that mostly differ at
 * once (JSON member names, the names of rule and hook members). */
static inline bool str_eq(const char *a, const char *b)
{
	return a[0] == b[0] && strcmp(a, b) == 0;
}

/* Growable NUL-terminated string. Zero-initialise ({0}) before use. */
struct sbuf {
	char *s;
	size_t len, cap;
};
/* Makes room for more bytes (and the NUL) beyond b->len. */
void sbuf_reserve(struct sbuf *b, size_t more);
/* The appends are inline: the JSON report is made of them, and inlined
 * they save 3% of the CPU of a 10,000-hook check (tools/bench.sh). */
static inline void sbuf_addn(struct sbuf *b, const char *s, size_t n)
{
	if (b->len + n >= b->cap)
		sbuf_reserve(b, n);
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}
static inline void sbuf_add(struct sbuf *b, const char *s)
{
	sbuf_addn(b, s, strlen(s));
}
static inline void sbuf_addc(struct sbuf *b, char c)
{
	if (b->len + 1 >= b->cap)
		sbuf_reserve(b, 1);
	b->s[b->len++] = c;
	b->s[b->len] = '\0';
}
void sbuf_addf(struct sbuf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void sbuf_vaddf(struct sbuf *b, const char *fmt, va_list ap);
/* Returns the string (never NULL; "" when empty) and resets b; caller frees. */
char *sbuf_detach(struct sbuf *b);
void sbuf_free(struct sbuf *b);

/* Number of code points in s; *valid is set false on malformed UTF-8. */
size_t utf8_count(const char *s, size_t n, bool *valid);

/* Does s start with the UTF-8 of a character that a report shows as
 * \uXXXX rather than as itself? Those that are invisible or change how
 * the text around them is shown: C1 controls (U+0080-U+009F, NEL among
 * them), the bidirectional controls (U+061C, U+200E, U+200F,
 * U+202A-U+202E, U+2066-U+2069: "Trojan Source" reordering), zero-width
 * characters (U+200B-U+200D, U+2060-U+2064, U+FEFF: two contexts that
 * look the same and are not) and the line and paragraph separators
 * (U+2028, U+2029). Returns the length of its UTF-8 (2 or 3) with the
 * code point in *cp, or 0. */
size_t utf8_hidden_char(const char *s, unsigned *cp);

/* The length of the longest prefix of s[0..n) made of printable ASCII
 * (0x20-0x7e) other than '"' and '\\': the bytes that the JSON and the
 * text reports copy as they are. Eight bytes at a time (a report is
 * mostly such runs: -1 to -2% of a 10,000-hook check, docs/design.md).
 * In each 64-bit word (the byte order does not matter: only whether any
 * byte is flagged) a byte's high bit is set in `bad` when the byte is
 * >= 0x80, < 0x20, 0x7f, '"' or '\\'; once the high bits are taken, the
 * zero and less-than tests below are exact about whether any byte
 * matches. Such a word is looked at byte by byte. */
static inline size_t plain_ascii_len(const char *s, size_t n)
{
	const uint64_t ones = 0x0101010101010101ull, highs = ones * 0x80;
	size_t i = 0;

	for (; i + 8 <= n; i += 8) {
		uint64_t w, bad, q = ones * '"', bs = ones * '\\',
			 del = ones * 0x7f;

		memcpy(&w, s + i, 8);
		bad = w | ((w - ones * 0x20) & ~w) |
		      (((w ^ q) - ones) & ~(w ^ q)) |
		      (((w ^ bs) - ones) & ~(w ^ bs)) |
		      (((w ^ del) - ones) & ~(w ^ del));
		if (bad & highs)
			break;
	}
	for (; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\')
			break;
	}
	return i;
}

/* s[0..n) without the white space around it, as a new string. */
char *xstrndup_trim(const char *s, size_t n);

/* Can t be sent as a credential in an HTTP header: no space, line break
 * or other control character (a header would be split or refused). */
bool token_is_clean(const char *t);

/* Largest file read_file_all() reads: a 10,000-hook file is about 10 MB,
 * and an input without end (/dev/zero, `yes |`) must stop somewhere
 * rather than take all memory. */
#define READ_MAX_BYTES ((size_t)256 << 20)

/* Reads a whole file ("-" is standard input) into a NUL-terminated buffer;
 * returns NULL with err set, also when it holds more than READ_MAX_BYTES.
 * Caller frees. */
char *read_file_all(const char *path, size_t *len, struct hd_error *err);

/* Levenshtein distance, capped: returns cap+1 when larger. */
int edit_distance(const char *a, const char *b, int cap);

/* Case-insensitive ASCII string compare. */
int ascii_casecmp(const char *a, const char *b);
/* Does s start with prefix, ASCII letters compared case-insensitively? */
bool ascii_prefix_ci(const char *s, const char *prefix);
/* Does hay hold needle, ASCII letters compared case-insensitively? A NULL
 * hay holds nothing; an empty needle is in every other hay. */
bool ascii_contains_ci(const char *hay, const char *needle);

/* A string-keyed hash index (open addressing, FNV-1a): lookups stay
 * constant-time where a list of thousands of keys would be searched
 * linearly. The keys are not copied: each must live, unchanged, as long
 * as the map holds it. Zero-initialise ({0}) before use. */
struct strmap {
	struct strmap_slot {
		const char *key;
		void *val;
	} *slots;
	size_t cap, n;
};
/* The value stored under key, or NULL. */
void *strmap_get(const struct strmap *m, const char *key);
/* Stores val (not NULL) under key, replacing an earlier value. */
void strmap_put(struct strmap *m, const char *key, void *val);
/* Frees the index (not the keys or values) and resets m. */
void strmap_free(struct strmap *m);

/* --- base64 (RFC 4648) --- */

/* The value of a base64 digit, the URL-safe '-' and '_' too; -1 else. */
int base64_digit(int c);
/* s[0..n) in base64 with padding; malloc'd. */
char *base64_encode(const char *s, size_t n);
/* s[0..n) decoded (padding optional, trailing blanks ignored); malloc'd
 * and NUL-terminated, or NULL when it is not base64. */
char *base64_decode(const char *s, size_t n);

/* Runs fn(arg) on the calling thread and on up to n - 1 more threads
 * (at most RUN_THREADS_MAX in all), and returns once all have returned:
 * the workers of a batch that take their jobs from arg. A thread that
 * cannot be started is one fewer helper, not an error. */
#define RUN_THREADS_MAX 64
void run_threads(int n, void *(*fn)(void *), void *arg);

/* run_threads() in two halves, for a caller with something else to do
 * first: threads_start() starts fn(arg) on up to n more threads (fewer
 * when one cannot be started), threads_join() waits for them. */
struct thread_set {
	pthread_t tid[RUN_THREADS_MAX];
	int n;
};
void threads_start(struct thread_set *ts, int n, void *(*fn)(void *),
		   void *arg);
void threads_join(struct thread_set *ts);

/* The number of CPUs online, at least 1; asked of the system once (glibc
 * reads a file of /sys for each sysconf(_SC_NPROCESSORS_ONLN)). */
int cpu_count(void);

#endif
