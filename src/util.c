/*
 * util.c - allocation, string buffers, errors, files, small text helpers.
 */
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void hd_error_set(struct hd_error *err, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
}

static _Noreturn void out_of_memory(void)
{
	fputs("hookdoctor: out of memory\n", stderr);
	exit(3);
}

void *xneed(void *p)
{
	if (!p)
		out_of_memory();
	return p;
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		out_of_memory();
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		out_of_memory();
	return p;
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		out_of_memory();
	return p;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrdup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	struct sbuf b = {0};
	va_list ap;

	va_start(ap, fmt);
	sbuf_vaddf(&b, fmt, ap);
	va_end(ap);
	return sbuf_detach(&b);
}

void sbuf_reserve(struct sbuf *b, size_t more)
{
	size_t need = b->len + more + 1;

	if (need <= b->cap)
		return;
	b->cap = b->cap ? b->cap : 64;
	while (b->cap < need)
		b->cap *= 2;
	b->s = xrealloc(b->s, b->cap);
}

/* Appends the decimal digits of v, after a '-' when neg. */
static void add_decimal(struct sbuf *b, unsigned long long v, bool neg)
{
	char d[24];
	size_t i = sizeof(d);

	do
		d[--i] = (char)('0' + v % 10);
	while (v /= 10);
	if (neg)
		d[--i] = '-';
	sbuf_addn(b, d + i, sizeof(d) - i);
}

/*
 * The formatter of sbuf_vaddf() for the conversions nearly every message
 * uses: %s, %.Ns, %.*s, %c, %%, and %d, %i, %u with no length, l, ll (and
 * %zu). It writes exactly what vsnprintf would. On anything else (a
 * flag, a width, a float, %x, %zd, a NULL string) it returns false
 * having appended part of the text, and the caller truncates and hands
 * the whole format to vsnprintf: glibc's took 900 instructions a call,
 * a tenth of a 10,000-hook check (tools/bench.sh).
 */
static bool simple_vaddf(struct sbuf *b, const char *fmt, va_list ap)
{
	for (const char *p = fmt;;) {
		const char *pct = strchr(p, '%');
		int len = 0;            /* 1: l, 2: ll, 3: z */
		long prec = -1;
		unsigned long long u;
		long long v;

		if (!pct) {
			sbuf_add(b, p);
			return true;
		}
		sbuf_addn(b, p, (size_t)(pct - p));
		p = pct + 1;
		if (*p == '.') {
			p++;
			if (*p == '*') {
				int n = va_arg(ap, int);

				prec = n < 0 ? -1 : n;  /* negative: none */
				p++;
			} else {
				if (*p < '0' || *p > '9')
					return false;
				for (prec = 0; *p >= '0' && *p <= '9'; p++)
					if ((prec = prec * 10 + (*p - '0')) > 1000000)
						return false;
			}
			if (*p != 's')
				return false;
		}
		if (*p == 'l')
			len = p[1] == 'l' ? (p += 2, 2) : (p++, 1);
		else if (*p == 'z')
			len = (p++, 3);
		switch (*p++) {
		case 's': {
			const char *s;

			if (len)
				return false;
			if (!(s = va_arg(ap, const char *)))
				return false;   /* glibc's "(null)" */
			sbuf_addn(b, s, prec < 0 ? strlen(s) :
				  strnlen(s, (size_t)prec));
			break;
		}
		case 'c':
			if (len)
				return false;
			sbuf_addc(b, (char)(unsigned char)va_arg(ap, int));
			break;
		case '%':
			if (len)
				return false;
			sbuf_addc(b, '%');
			break;
		case 'd':
		case 'i':
			if (len == 3)
				return false;
			v = len == 2 ? va_arg(ap, long long) :
			    len == 1 ? va_arg(ap, long) : va_arg(ap, int);
			/* 0 - (unsigned)v: LLONG_MIN has no positive twin */
			add_decimal(b, v < 0 ? 0 - (unsigned long long)v :
				    (unsigned long long)v, v < 0);
			break;
		case 'u':
			u = len == 3 ? va_arg(ap, size_t) :
			    len == 2 ? va_arg(ap, unsigned long long) :
			    len == 1 ? va_arg(ap, unsigned long) :
			    va_arg(ap, unsigned);
			add_decimal(b, u, false);
			break;
		default:
			return false;
		}
	}
}

void sbuf_vaddf(struct sbuf *b, const char *fmt, va_list ap)
{
	size_t start = b->len;
	va_list cp;
	size_t room;
	bool done;
	int n;

	/* Room for most messages at once: growing by doubling from 64
	 * bytes would reallocate most of them. */
	sbuf_reserve(b, 120);
	va_copy(cp, ap);
	done = simple_vaddf(b, fmt, cp);
	va_end(cp);
	if (done)
		return;
	b->len = start;
	/* Formats straight into the free space, and a second time only when
	 * it did not fit. */
	room = b->cap - b->len;
	va_copy(cp, ap);
	n = vsnprintf(b->s + b->len, room, fmt, cp);
	va_end(cp);
	if (n < 0) {
		b->s[b->len] = '\0';
		return;
	}
	if ((size_t)n >= room) {
		sbuf_reserve(b, (size_t)n);
		vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	}
	b->len += (size_t)n;
}

void sbuf_addf(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sbuf_vaddf(b, fmt, ap);
	va_end(ap);
}

char *sbuf_detach(struct sbuf *b)
{
	char *s = b->s ? b->s : xstrdup("");

	b->s = NULL;
	b->len = b->cap = 0;
	return s;
}

void sbuf_free(struct sbuf *b)
{
	free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
}

size_t utf8_count(const char *s, size_t n, bool *valid)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, count = 0;

	*valid = true;
	while (i < n) {
		unsigned char c = p[i];
		size_t extra;
		unsigned long cp;

		if (c < 0x80) {
			i++;
			count++;
			continue;
		}
		if ((c & 0xE0) == 0xC0) {
			extra = 1;
			cp = c & 0x1F;
		} else if ((c & 0xF0) == 0xE0) {
			extra = 2;
			cp = c & 0x0F;
		} else if ((c & 0xF8) == 0xF0) {
			extra = 3;
			cp = c & 0x07;
		} else {
			*valid = false;
			i++;
			count++;
			continue;
		}
		for (size_t k = 1; k <= extra; k++) {
			if (i + k >= n || (p[i + k] & 0xC0) != 0x80) {
				*valid = false;
				extra = k - 1;
				break;
			}
			cp = (cp << 6) | (p[i + k] & 0x3F);
		}
		if (*valid && ((extra == 1 && cp < 0x80) ||
			       (extra == 2 && cp < 0x800) ||
			       (extra == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
			       (cp >= 0xD800 && cp <= 0xDFFF)))
			*valid = false;
		i += extra + 1;
		count++;
	}
	return count;
}

size_t utf8_hidden_char(const char *str, unsigned *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	unsigned c;

	if (s[0] == 0xc2 && s[1] >= 0x80 && s[1] <= 0x9f) {
		*cp = s[1];
		return 2;
	}
	if (s[0] == 0xd8 && s[1] == 0x9c) {
		*cp = 0x061c;
		return 2;
	}
	if ((s[0] != 0xe2 && s[0] != 0xef) || (s[1] & 0xc0) != 0x80 ||
	    (s[2] & 0xc0) != 0x80)
		return 0;
	c = ((unsigned)(s[0] & 0x0f) << 12) | ((unsigned)(s[1] & 0x3f) << 6) |
	    (s[2] & 0x3f);
	if ((c >= 0x200b && c <= 0x200f) || (c >= 0x2028 && c <= 0x202e) ||
	    (c >= 0x2060 && c <= 0x2064) || (c >= 0x2066 && c <= 0x2069) ||
	    c == 0xfeff) {
		*cp = c;
		return 3;
	}
	return 0;
}

char *xstrndup_trim(const char *s, size_t n)
{
	while (n && isspace((unsigned char)*s)) {
		s++;
		n--;
	}
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	return xstrndup(s, n);
}

bool token_is_clean(const char *t)
{
	for (; *t; t++)
		if ((unsigned char)*t < 0x21 || *t == 0x7f)
			return false;
	return true;
}

char *read_file_all(const char *path, size_t *len, struct hd_error *err)
{
	bool std = strcmp(path, "-") == 0;
	const char *name = std ? "<stdin>" : path;
	int fd = std ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
	struct sbuf b = {0};
	struct stat st;
	bool regular = false;

	if (fd < 0) {
		hd_error_set(err, "%s: cannot open: %s", path, strerror(errno));
		return NULL;
	}
	/* A file known too large is refused before it is read; a stream
	 * (a pipe, a device) when it has gone past the limit. A regular
	 * file is read straight into a buffer of its size and a byte, for
	 * the read that finds its end: no copy, and for a small file five
	 * system calls, where stdio made seven. */
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
		if ((unsigned long long)st.st_size > READ_MAX_BYTES) {
			hd_error_set(err, "%s: %llu bytes: hookdoctor reads files "
				     "of up to %zu MiB", name,
				     (unsigned long long)st.st_size,
				     READ_MAX_BYTES >> 20);
			goto fail;
		}
		regular = true;
		sbuf_reserve(&b, (size_t)st.st_size + 1);
	}
	for (;;) {
		size_t room = b.cap > b.len + 1 ? b.cap - b.len - 1 : 0;
		ssize_t n;

		/* A stream is read 64 KiB or more at a time; a regular file
		 * that grew since fstat() as it comes. */
		if (room == 0 || (room < 4096 && !regular)) {
			sbuf_reserve(&b, 65536);
			room = b.cap - b.len - 1;
		}
		/* Never a byte more than the limit and one: /dev/zero fills
		 * whatever it is given. */
		if (room > READ_MAX_BYTES + 1 - b.len)
			room = READ_MAX_BYTES + 1 - b.len;
		n = read(fd, b.s + b.len, room);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			hd_error_set(err, "%s: cannot read: %s", name,
				     strerror(errno));
			goto fail;
		}
		if (n == 0)
			break;
		if ((size_t)n > READ_MAX_BYTES - b.len) {
			hd_error_set(err, "%s: more than %zu MiB read: "
				     "hookdoctor reads files of up to %zu MiB "
				     "(an endless stream or a device?)", name,
				     READ_MAX_BYTES >> 20, READ_MAX_BYTES >> 20);
			goto fail;
		}
		b.len += (size_t)n;
	}
	if (!std)
		close(fd);
	b.s[b.len] = '\0';
	*len = b.len;
	return b.s;
fail:
	if (!std)
		close(fd);
	sbuf_free(&b);
	return NULL;
}

int edit_distance(const char *a, const char *b, int cap)
{
	size_t la = strlen(a), lb = strlen(b);
	int rows[2][64], *prev = rows[0], *cur = rows[1], *heap = NULL, best;

	if ((la > lb ? la - lb : lb - la) > (size_t)cap)
		return cap + 1;
	/* Two rows of the table; on the stack for the names and words it is
	 * used on, which are short. */
	if (lb + 1 > 64) {
		heap = xmalloc(2 * (lb + 1) * sizeof(int));
		prev = heap;
		cur = heap + lb + 1;
	}
	for (size_t j = 0; j <= lb; j++)
		prev[j] = (int)j;
	for (size_t i = 1; i <= la; i++) {
		int rowmin;

		cur[0] = (int)i;
		rowmin = cur[0];
		for (size_t j = 1; j <= lb; j++) {
			int cost = tolower((unsigned char)a[i - 1]) ==
				   tolower((unsigned char)b[j - 1]) ? 0 : 1;
			int v = prev[j - 1] + cost;

			if (prev[j] + 1 < v)
				v = prev[j] + 1;
			if (cur[j - 1] + 1 < v)
				v = cur[j - 1] + 1;
			cur[j] = v;
			if (v < rowmin)
				rowmin = v;
		}
		if (rowmin > cap) {
			free(heap);
			return cap + 1;
		}
		int *t = prev;
		prev = cur;
		cur = t;
	}
	best = prev[lb];
	free(heap);
	return best > cap ? cap + 1 : best;
}

int ascii_casecmp(const char *a, const char *b)
{
	for (;; a++, b++) {
		int ca = tolower((unsigned char)*a), cb = tolower((unsigned char)*b);

		if (ca != cb || !ca)
			return ca - cb;
	}
}

bool ascii_prefix_ci(const char *s, const char *prefix)
{
	for (; *prefix; s++, prefix++)
		if (tolower((unsigned char)*s) != tolower((unsigned char)*prefix))
			return false;
	return true;
}

bool ascii_contains_ci(const char *hay, const char *needle)
{
	if (!hay)
		return false;
	if (!*needle)
		return true;
	for (; *hay; hay++)
		if (ascii_prefix_ci(hay, needle))
			return true;
	return false;
}

static size_t strmap_hash(const char *s)
{
	unsigned long long h = 14695981039346656037ULL;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return (size_t)(h ^ (h >> 29));
}

/* The slot of key, or the empty slot where it would go. cap > n. */
static struct strmap_slot *strmap_slot(const struct strmap *m, const char *key)
{
	size_t i = strmap_hash(key) & (m->cap - 1);

	while (m->slots[i].key && strcmp(m->slots[i].key, key) != 0)
		i = (i + 1) & (m->cap - 1);
	return &m->slots[i];
}

void *strmap_get(const struct strmap *m, const char *key)
{
	return m->cap ? strmap_slot(m, key)->val : NULL;
}

void strmap_put(struct strmap *m, const char *key, void *val)
{
	struct strmap_slot *sl;

	if ((m->n + 1) * 2 > m->cap) {
		/* Keep the load at most one half; the capacity a power of 2. */
		struct strmap bigger = {0};

		bigger.cap = m->cap ? m->cap * 2 : 16;
		bigger.slots = xcalloc(bigger.cap, sizeof(*bigger.slots));
		for (size_t i = 0; i < m->cap; i++)
			if (m->slots[i].key) {
				*strmap_slot(&bigger, m->slots[i].key) = m->slots[i];
				bigger.n++;
			}
		free(m->slots);
		*m = bigger;
	}
	sl = strmap_slot(m, key);
	if (!sl->key)
		m->n++;
	sl->key = key;
	sl->val = val;
}

void strmap_free(struct strmap *m)
{
	free(m->slots);
	memset(m, 0, sizeof(*m));
}

static const char b64_digits[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int base64_digit(int c)
{
	if (c >= 'A' && c <= 'Z') return c - 'A';
	if (c >= 'a' && c <= 'z') return c - 'a' + 26;
	if (c >= '0' && c <= '9') return c - '0' + 52;
	if (c == '+' || c == '-') return 62;
	if (c == '/' || c == '_') return 63;
	return -1;
}

char *base64_encode(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	struct sbuf b = {0};

	for (size_t i = 0; i < n; i += 3) {
		unsigned long v = (unsigned long)u[i] << 16;

		if (i + 1 < n)
			v |= (unsigned long)u[i + 1] << 8;
		if (i + 2 < n)
			v |= u[i + 2];
		sbuf_addc(&b, b64_digits[(v >> 18) & 63]);
		sbuf_addc(&b, b64_digits[(v >> 12) & 63]);
		sbuf_addc(&b, i + 1 < n ? b64_digits[(v >> 6) & 63] : '=');
		sbuf_addc(&b, i + 2 < n ? b64_digits[v & 63] : '=');
	}
	return sbuf_detach(&b);
}

char *base64_decode(const char *s, size_t n)
{
	char *out;
	size_t o = 0;
	unsigned acc = 0;
	int bits = 0;

	while (n > 0 && (s[n - 1] == '=' || isspace((unsigned char)s[n - 1])))
		n--;
	if (n % 4 == 1)
		return NULL;
	out = xmalloc(n * 3 / 4 + 1);
	for (size_t i = 0; i < n; i++) {
		int v = base64_digit((unsigned char)s[i]);

		if (v < 0) {
			free(out);
			return NULL;
		}
		acc = (acc << 6) | (unsigned)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (char)((acc >> bits) & 0xff);
		}
	}
	out[o] = '\0';
	return out;
}

int cpu_count(void)
{
	static atomic_int known;        /* 0: not asked yet */
	int n = atomic_load_explicit(&known, memory_order_relaxed);

	if (n == 0) {
		long c = sysconf(_SC_NPROCESSORS_ONLN);

		n = c < 1 ? 1 : c > 4096 ? 4096 : (int)c;
		atomic_store_explicit(&known, n, memory_order_relaxed);
	}
	return n;
}

void threads_start(struct thread_set *ts, int n, void *(*fn)(void *),
		   void *arg)
{
	ts->n = 0;
	if (n > RUN_THREADS_MAX)
		n = RUN_THREADS_MAX;
	for (int t = 0; t < n; t++)
		if (pthread_create(&ts->tid[ts->n], NULL, fn, arg) == 0)
			ts->n++;
}

void threads_join(struct thread_set *ts)
{
	for (int t = 0; t < ts->n; t++)
		pthread_join(ts->tid[t], NULL);
	ts->n = 0;
}

void run_threads(int n, void *(*fn)(void *), void *arg)
{
	struct thread_set ts;

	threads_start(&ts, (n > RUN_THREADS_MAX ? RUN_THREADS_MAX : n) - 1,
		      fn, arg);
	fn(arg);
	threads_join(&ts);
}
