/*
 * rules.c - load the provider rule files (checks/<provider>.json) and match
 * URLs against them.
 *
 * A rule file is data only (docs/rule-files.md): this module validates it
 * strictly (unknown members, wrong types and dangling references are errors
 * with FILE:LINE:COL), compiles every pattern once with PCRE2 (JIT where the
 * library has it) and answers "which provider, which endpoint, which parts"
 * for a URL. It judges nothing about a hook: that is the checks' job. It is
 * the only module that includes pcre2.h.
 */
#define PCRE2_CODE_UNIT_WIDTH 8

#include "rules.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <pcre2.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "json.h"

/* Devopness status names, as the keys of a rule file's "recommended" map.
 * Kept here rather than taken from status.c so that this module stands on
 * its own; the order is enum hd_status. */
static const char *const status_keys[ST_COUNT] = {
	"pending", "waiting", "skipped", "queued", "in-progress", "completed",
	"failed",
};

/* ------------------------------------------------------------------ */
/* PCRE2 wrapper                                                        */

/* JIT state of a pattern: compiled lazily, at its first match. */
enum { JIT_UNTRIED, JIT_ON, JIT_OFF };

struct hd_regex {
	pcre2_code *code;
	_Atomic int jit;
	/* A literal every match must contain (lower-cased when caseless), or
	 * NULL: a memchr/memcmp prefilter that skips the pattern for most
	 * URLs. Patterns such as "[^/]+(?:/[^?#]*)?/api/v4/" otherwise cost a
	 * backtracking pass over the whole path for every URL. */
	char *lit;
	size_t litlen;
	bool caseless;
};

/* The longest literal run at the top level of pattern that every match
 * must contain, or NULL when none can be proven (alternation at the top,
 * inline options, exotic escapes). Runs inside groups, classes and before
 * a quantifier are not counted. */
static char *required_literal(const char *pat, bool caseless)
{
	struct sbuf run = {0};
	char *best = NULL;
	size_t bestlen = 0;
	int depth = 0;

	for (size_t i = 0; pat[i];) {
		char ch = pat[i];
		bool lit = false;
		size_t next = i + 1;

		if (ch == '\\') {
			char e = pat[i + 1];

			if (!e || (isalnum((unsigned char)e) && !strchr("dDwWsSbB", e)))
				goto none;
			lit = !isalnum((unsigned char)e);
			ch = e;
			next = i + 2;
		} else if (ch == '(') {
			if (pat[i + 1] == '?' &&
			    !(pat[i + 2] && strchr(":=!<", pat[i + 2])))
				goto none;   /* inline options change the rules */
			depth++;
		} else if (ch == ')') {
			if (--depth < 0)
				goto none;
		} else if (ch == '|') {
			if (depth == 0)
				goto none;
		} else if (ch == '{') {
			const char *end = strchr(pat + i, '}');

			next = end ? (size_t)(end - pat) + 1 : i + 1;
		} else if (ch == '[') {
			next = i + 1;
			if (pat[next] == '^')
				next++;
			if (pat[next] == ']')
				next++;
			while (pat[next] && pat[next] != ']') {
				if (pat[next] == '\\' && pat[next + 1])
					next++;
				else if (pat[next] == '[' && pat[next + 1] == ':') {
					const char *end = strstr(pat + next, ":]");

					if (!end)
						goto none;
					next = (size_t)(end - pat) + 1;
				}
				next++;
			}
			if (!pat[next])
				goto none;
			next++;
		} else if (!strchr(".^$?*+{}", ch)) {
			lit = true;
		}
		/* A quantified character is not required. */
		if (lit && depth == 0 && !(pat[next] && strchr("?*+{", pat[next]))) {
			sbuf_addc(&run, caseless ? (char)tolower((unsigned char)ch) : ch);
		} else if (depth == 0 || ch == '(') {
			if (run.len > bestlen) {
				free(best);
				bestlen = run.len;
				best = sbuf_detach(&run);
			}
			run.len = 0;
		}
		i = next;
	}
	if (run.len > bestlen) {
		free(best);
		bestlen = run.len;
		best = sbuf_detach(&run);
	}
	sbuf_free(&run);
	if (best && bestlen < 2) {
		free(best);
		best = NULL;
	}
	return best;
none:
	sbuf_free(&run);
	free(best);
	return NULL;
}

/* Does s[0..len) contain the prefilter literal? */
static bool has_literal(const struct hd_regex *re, const char *s, size_t len)
{
	const char *p = s, *end = s + len;
	char c0 = re->lit[0];
	bool alpha = re->caseless && isalpha((unsigned char)c0);

	while (p + re->litlen <= end) {
		const char *hit = memchr(p, c0, (size_t)(end - p));

		if (alpha) {
			const char *up = memchr(p, toupper((unsigned char)c0),
						(size_t)(end - p));

			if (!hit || (up && up < hit))
				hit = up;
		}
		if (!hit || hit + re->litlen > end)
			return false;
		if (!re->caseless) {
			if (memcmp(hit, re->lit, re->litlen) == 0)
				return true;
		} else {
			size_t k = 1;

			while (k < re->litlen &&
			       tolower((unsigned char)hit[k]) == re->lit[k])
				k++;
			if (k == re->litlen)
				return true;
		}
		p = hit + 1;
	}
	return false;
}

struct hd_regex *hd_regex_compile(const char *pattern, bool caseless,
				  struct hd_error *err)
{
	uint32_t opts = PCRE2_DOLLAR_ENDONLY | (caseless ? PCRE2_CASELESS : 0);
	int errcode;
	PCRE2_SIZE erroff;
	pcre2_code *code;
	struct hd_regex *re;

	code = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, opts,
			     &errcode, &erroff, NULL);
	if (!code) {
		PCRE2_UCHAR msg[256];

		pcre2_get_error_message(errcode, msg, sizeof(msg));
		hd_error_set(err, "bad pattern at offset %zu: %s",
			     (size_t)erroff, (const char *)msg);
		return NULL;
	}
	re = xcalloc(1, sizeof(*re));
	re->code = code;
	atomic_init(&re->jit, JIT_UNTRIED);
	re->caseless = caseless;
	re->lit = required_literal(pattern, caseless);
	re->litlen = re->lit ? strlen(re->lit) : 0;
	return re;
}

/* Whether to match re with its JIT code, compiling it at the first match.
 * JIT is an optimisation: where it is missing or fails, the interpreter
 * gives the same answers. Compiling every pattern of every rule file at
 * load cost more than checking one hook, and most patterns never run (a
 * provider's own are matched only against its hooks). A pattern is never
 * matched while it is compiled: a thread that finds it untried takes the
 * lock, and the state moves on only once the compile is done. */
static bool use_jit(const struct hd_regex *re)
{
	static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	/* Allocated by hd_regex_compile, not const: the state is the one
	 * part a match may change. */
	struct hd_regex *w = (struct hd_regex *)re;
	int st = atomic_load_explicit(&w->jit, memory_order_acquire);

	if (st != JIT_UNTRIED)
		return st == JIT_ON;
	pthread_mutex_lock(&lock);
	st = atomic_load_explicit(&w->jit, memory_order_relaxed);
	if (st == JIT_UNTRIED) {
		st = pcre2_jit_compile(w->code, PCRE2_JIT_COMPLETE) == 0
			? JIT_ON : JIT_OFF;
		atomic_store_explicit(&w->jit, st, memory_order_release);
	}
	pthread_mutex_unlock(&lock);
	return st == JIT_ON;
}

/* The match itself; lower is s lower-cased and NUL-terminated (or NULL),
 * which lets the prefilter use strstr() for caseless patterns. */
static int regex_match(const struct hd_regex *re, const char *s,
		       const char *lower, size_t len, size_t *ovec, int novec)
{
	pcre2_match_data *md;
	PCRE2_SIZE *v;
	bool jit;
	int rc;

	if (!re)
		return 0;
	if (re->lit) {
		if (re->caseless && lower) {
			if (!strstr(lower, re->lit))
				return 0;
		} else if (!has_literal(re, s, len)) {
			return 0;
		}
	}
	/* Before anything reads the pattern: it may be being compiled. */
	jit = use_jit(re);
	/* Match data per call, not per pattern: hooks are checked on
	 * several threads at once. The literal filter above keeps this to
	 * the URLs that can match. */
	md = pcre2_match_data_create_from_pattern(re->code, NULL);
	if (!md)
		return 0;
	if (jit)
		rc = pcre2_jit_match(re->code, (PCRE2_SPTR)s, len, 0, 0, md,
				     NULL);
	else
		rc = pcre2_match(re->code, (PCRE2_SPTR)s, len, 0, 0, md, NULL);
	if (rc <= 0) {
		pcre2_match_data_free(md);
		return 0;   /* no match, or an error treated as no match */
	}
	v = pcre2_get_ovector_pointer(md);
	for (int i = 0; i < novec && ovec; i++) {
		if (i < rc) {
			ovec[2 * i] = v[2 * i];
			ovec[2 * i + 1] = v[2 * i + 1];
		} else {
			ovec[2 * i] = ovec[2 * i + 1] = (size_t)-1;
		}
	}
	pcre2_match_data_free(md);
	return rc;
}

int hd_regex_match(const struct hd_regex *re, const char *s, size_t len,
		   size_t *ovec, int novec)
{
	return regex_match(re, s, NULL, len, ovec, novec);
}

void hd_regex_free(struct hd_regex *re)
{
	if (!re)
		return;
	pcre2_code_free(re->code);
	free(re->lit);
	free(re);
}

const char *hd_regex_version(void)
{
	static char version[64];

	if (!version[0] && pcre2_config(PCRE2_CONFIG_VERSION, version) < 0)
		strcpy(version, "unknown");
	return version;
}

/* Capture pairs read from a match: groups 1..NOVEC-1 can be named. */
#define NOVEC 16

/* ------------------------------------------------------------------ */
/* Error positions                                                      */

struct loadctx {
	const char *path;       /* file name used in messages */
	const char *text;
	size_t len;
	const cJSON *root;
	struct hd_error *err;
};

static void offset_linecol(const char *text, size_t off, int *line, int *col)
{
	*line = 1;
	*col = 1;
	for (size_t i = 0; i < off && text[i]; i++) {
		if (text[i] == '\n') {
			(*line)++;
			*col = 1;
		} else {
			(*col)++;
		}
	}
}

/* A tiny scanner over text that cJSON has already accepted, used only to
 * find where a node starts so that a semantic error can name a position. */
static size_t skip_ws(const char *t, size_t n, size_t i)
{
	while (i < n && (t[i] == ' ' || t[i] == '\t' || t[i] == '\n' ||
			 t[i] == '\r'))
		i++;
	return i;
}

static size_t skip_string(const char *t, size_t n, size_t i)
{
	for (i++; i < n && t[i] != '"'; i++)
		if (t[i] == '\\')
			i++;
	return i < n ? i + 1 : n;
}

static size_t skip_value(const char *t, size_t n, size_t i)
{
	int depth = 0;

	i = skip_ws(t, n, i);
	do {
		if (i >= n)
			return n;
		if (t[i] == '"') {
			i = skip_string(t, n, i);
			continue;
		}
		if (t[i] == '{' || t[i] == '[')
			depth++;
		else if (t[i] == '}' || t[i] == ']')
			depth--;
		else if (depth == 0) {
			/* a scalar: runs to a delimiter */
			while (i < n && !strchr(",}] \t\r\n", t[i]))
				i++;
			return i;
		}
		i++;
	} while (depth > 0);
	return i;
}

/* A strict recursive-descent pass that explains where cJSON gave up: cJSON
 * only reports an offset, often the end of the enclosing value. Sets *off
 * and *msg at the first error; returns false there. */
struct syn {
	const char *t;
	size_t n, i;
	const char *msg;
	int depth;
};

static bool syn_fail(struct syn *y, const char *msg)
{
	y->msg = msg;
	return false;
}

static bool syn_value(struct syn *y);

static bool syn_string(struct syn *y)
{
	for (y->i++; y->i < y->n; y->i++) {
		unsigned char ch = (unsigned char)y->t[y->i];

		if (ch == '"') {
			y->i++;
			return true;
		}
		if (ch < 0x20)
			return syn_fail(y, "control character in a string (unterminated string?)");
		if (ch == '\\') {
			y->i++;
			if (y->i >= y->n || !strchr("\"\\/bfnrtu", y->t[y->i]))
				return syn_fail(y, "invalid escape in a string");
		}
	}
	return syn_fail(y, "unterminated string");
}

static bool syn_container(struct syn *y, char close)
{
	bool obj = close == '}';

	if (++y->depth > 64)
		return syn_fail(y, "nested too deeply");
	y->i = skip_ws(y->t, y->n, y->i + 1);
	if (y->i < y->n && y->t[y->i] == close) {
		y->i++;
		y->depth--;
		return true;
	}
	for (;;) {
		if (obj) {
			if (y->i >= y->n || y->t[y->i] != '"')
				return syn_fail(y, "expected a member name in double quotes");
			if (!syn_string(y))
				return false;
			y->i = skip_ws(y->t, y->n, y->i);
			if (y->i >= y->n || y->t[y->i] != ':')
				return syn_fail(y, "expected ':' after the member name");
			y->i = skip_ws(y->t, y->n, y->i + 1);
		}
		if (!syn_value(y))
			return false;
		y->i = skip_ws(y->t, y->n, y->i);
		if (y->i < y->n && y->t[y->i] == close) {
			y->i++;
			y->depth--;
			return true;
		}
		if (y->i >= y->n || y->t[y->i] != ',')
			return syn_fail(y, obj ? "expected ',' or '}'" : "expected ',' or ']'");
		{
			size_t comma = y->i;

			y->i = skip_ws(y->t, y->n, y->i + 1);
			if (y->i < y->n && (y->t[y->i] == '}' || y->t[y->i] == ']')) {
				y->i = comma;
				return syn_fail(y, obj ? "trailing comma before '}'"
						       : "trailing comma before ']'");
			}
		}
	}
}

static bool syn_value(struct syn *y)
{
	static const char *const words[] = {"true", "false", "null"};
	const char *t = y->t;

	y->i = skip_ws(t, y->n, y->i);
	if (y->i >= y->n)
		return syn_fail(y, "unexpected end of file");
	if (t[y->i] == '{')
		return syn_container(y, '}');
	if (t[y->i] == '[')
		return syn_container(y, ']');
	if (t[y->i] == '"')
		return syn_string(y);
	if (t[y->i] == '-' || isdigit((unsigned char)t[y->i])) {
		char *end;

		strtod(t + y->i, &end);
		if (end == t + y->i)
			return syn_fail(y, "invalid number");
		y->i = (size_t)(end - t);
		return true;
	}
	for (size_t k = 0; k < 3; k++) {
		size_t l = strlen(words[k]);

		if (y->n - y->i >= l && memcmp(t + y->i, words[k], l) == 0) {
			y->i += l;
			return true;
		}
	}
	return syn_fail(y, t[y->i] == '/' ? "comments are not allowed in JSON"
					  : "unexpected character");
}

static void json_error_at(const char *text, size_t len, size_t *off,
			  const char **msg)
{
	struct syn y = {.t = text, .n = len};

	if (syn_value(&y)) {
		y.i = skip_ws(text, len, y.i);
		if (y.i < len)
			y.msg = "text after the JSON value";
	}
	if (y.msg) {
		*off = y.i;
		*msg = y.msg;
	}
}

/* Finds the chain root -> ... -> target; returns its length or 0. */
static size_t node_chain(const cJSON *cur, const cJSON *target,
			 const cJSON **chain, size_t depth, size_t max)
{
	if (depth >= max)
		return 0;
	chain[depth] = cur;
	if (cur == target)
		return depth + 1;
	for (const cJSON *c = cur->child; c; c = c->next) {
		size_t n = node_chain(c, target, chain, depth + 1, max);

		if (n)
			return n;
	}
	return 0;
}

/* Offset of node in the text: the key of an object member, the value of an
 * array element; the nearest ancestor found when the walk cannot go on. */
static size_t node_offset(const struct loadctx *c, const cJSON *node)
{
	const cJSON *chain[32];
	size_t n, i = skip_ws(c->text, c->len, 0), found = i;

	if (!node || !c->root)
		return 0;
	n = node_chain(c->root, node, chain, 0, 32);
	for (size_t k = 1; k < n; k++) {
		const cJSON *parent = chain[k - 1], *child = chain[k];
		bool hit = false;

		if (i >= c->len)
			return found;
		if (cJSON_IsObject(parent)) {
			size_t klen = strlen(child->string);

			i = skip_ws(c->text, c->len, i + 1);   /* past '{' */
			while (i < c->len && c->text[i] == '"') {
				size_t kstart = i, kend = skip_string(c->text, c->len, i);

				i = skip_ws(c->text, c->len, kend);
				i = skip_ws(c->text, c->len, i + 1);   /* past ':' */
				if (kend - kstart - 2 == klen &&
				    memcmp(c->text + kstart + 1, child->string, klen) == 0) {
					found = kstart;
					hit = true;
					break;
				}
				i = skip_ws(c->text, c->len, skip_value(c->text, c->len, i));
				if (i < c->len && c->text[i] == ',')
					i = skip_ws(c->text, c->len, i + 1);
			}
		} else if (cJSON_IsArray(parent)) {
			size_t idx = 0;

			for (const cJSON *s = parent->child; s && s != child; s = s->next)
				idx++;
			i = skip_ws(c->text, c->len, i + 1);   /* past '[' */
			for (size_t j = 0; j < idx && i < c->len; j++) {
				i = skip_ws(c->text, c->len, skip_value(c->text, c->len, i));
				if (i < c->len && c->text[i] == ',')
					i = skip_ws(c->text, c->len, i + 1);
			}
			found = i;
			hit = true;
		}
		if (!hit)
			return found;
	}
	return found;
}

/* Sets "FILE:LINE:COL: message" for node; always returns false. */
static bool bad(const struct loadctx *c, const cJSON *node, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static bool bad(const struct loadctx *c, const cJSON *node, const char *fmt, ...)
{
	char msg[768];
	va_list ap;
	int line, col;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	offset_linecol(c->text, node_offset(c, node), &line, &col);
	hd_error_set(c->err, "%s:%d:%d: %s", c->path, line, col, msg);
	return false;
}

/* ------------------------------------------------------------------ */
/* Typed getters: each validates one member and reports its position.   */

/* Members every object may carry for people, not for the program. */
static bool is_doc_member(const char *k)
{
	return str_eq(k, "source") || str_eq(k, "$comment");
}

static bool check_members(const struct loadctx *c, const cJSON *obj,
			  const char *what, const char *const *allowed)
{
	if (!cJSON_IsObject(obj))
		return bad(c, obj, "%s must be an object", what);
	for (const cJSON *m = obj->child; m; m = m->next) {
		const char *best = NULL;
		int bestd = 3;
		bool ok = is_doc_member(m->string);

		/* str_eq: a rule file has thousands of these comparisons,
		 * and strcmp calls were a fifth of loading it. */
		for (const cJSON *p = obj->child; p != m; p = p->next)
			if (str_eq(p->string, m->string))
				return bad(c, m, "duplicate member \"%s\" in %s",
					   m->string, what);
		for (size_t i = 0; !ok && allowed[i]; i++)
			ok = str_eq(m->string, allowed[i]);
		/* The suggestion is for the error only: edit distances for
		 * every member of every rule were an eighth of checking one
		 * hook. */
		for (size_t i = 0; !ok && allowed[i]; i++) {
			int d = edit_distance(m->string, allowed[i], 2);

			if (d < bestd) {
				bestd = d;
				best = allowed[i];
			}
		}
		if (!ok) {
			if (best)
				return bad(c, m, "unknown member \"%s\" in %s (did you mean \"%s\"?)",
					   m->string, what, best);
			return bad(c, m, "unknown member \"%s\" in %s", m->string, what);
		}
	}
	return true;
}

static bool get_string(const struct loadctx *c, const cJSON *obj,
		       const char *key, bool required, char **out)
{
	const cJSON *v = json_member(obj, key);

	*out = NULL;
	if (!v || cJSON_IsNull(v)) {
		if (required)
			return bad(c, obj, "missing member \"%s\"", key);
		return true;
	}
	if (!cJSON_IsString(v) || !v->valuestring[0])
		return bad(c, v, "\"%s\" must be a non-empty string", key);
	*out = xstrdup(v->valuestring);
	return true;
}

static bool get_bool(const struct loadctx *c, const cJSON *obj,
		     const char *key, bool *out)
{
	const cJSON *v = json_member(obj, key);

	if (!v)
		return true;
	if (!cJSON_IsBool(v))
		return bad(c, v, "\"%s\" must be true or false", key);
	*out = cJSON_IsTrue(v);
	return true;
}

static bool get_long(const struct loadctx *c, const cJSON *obj,
		     const char *key, long min, long max, long *out)
{
	const cJSON *v = json_member(obj, key);

	if (!v)
		return true;
	/* The range first: casting a double outside long's is undefined. */
	if (!cJSON_IsNumber(v) || !(v->valuedouble >= (double)min &&
				    v->valuedouble <= (double)max) ||
	    v->valuedouble != (double)(long)v->valuedouble)
		return bad(c, v, "\"%s\" must be an integer from %ld to %ld",
			   key, min, max);
	*out = (long)v->valuedouble;
	return true;
}

static void free_strings(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static bool get_strings(const struct loadctx *c, const cJSON *obj,
			const char *key, char ***out, size_t *n)
{
	const cJSON *v = json_member(obj, key);
	size_t i = 0;

	*out = NULL;
	*n = 0;
	if (!v)
		return true;
	if (!cJSON_IsArray(v))
		return bad(c, v, "\"%s\" must be an array of strings", key);
	*out = xcalloc((size_t)cJSON_GetArraySize(v) + 1, sizeof(char *));
	for (const cJSON *e = v->child; e; e = e->next) {
		if (!cJSON_IsString(e) || !e->valuestring[0]) {
			free_strings(*out, i);
			*out = NULL;
			return bad(c, e, "\"%s\" must hold non-empty strings", key);
		}
		(*out)[i++] = xstrdup(e->valuestring);
	}
	*n = i;
	return true;
}

static bool get_conf(const struct loadctx *c, const cJSON *obj,
		     const char *key, enum confidence *out)
{
	static const struct { const char *name; enum confidence conf; } names[] = {
		{"C", CONF_CONFIRMED}, {"confirmed", CONF_CONFIRMED},
		{"R", CONF_REPORTED}, {"reported", CONF_REPORTED},
		{"U", CONF_UNCONFIRMED}, {"unconfirmed", CONF_UNCONFIRMED},
	};
	const cJSON *v = json_member(obj, key);

	*out = CONF_CONFIRMED;
	if (!v)
		return true;
	if (cJSON_IsString(v))
		for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			if (strcmp(v->valuestring, names[i].name) == 0) {
				*out = names[i].conf;
				return true;
			}
	return bad(c, v, "\"%s\" must be \"C\", \"R\" or \"U\"", key);
}

static bool compile_pattern(const struct loadctx *c, const cJSON *obj,
			    char **pattern, struct hd_regex **re)
{
	bool caseless = true;
	struct hd_error perr;
	const cJSON *pv;

	if (!get_string(c, obj, "pattern", true, pattern) ||
	    !get_bool(c, obj, "caseless", &caseless))
		return false;
	*re = hd_regex_compile(*pattern, caseless, &perr);
	if (!*re) {
		pv = json_member(obj, "pattern");
		return bad(c, pv, "%s", perr.msg);
	}
	return true;
}

/* ------------------------------------------------------------------ */
/* Sections of a rule file                                              */

static bool load_endpoint(const struct loadctx *c, const cJSON *o,
			  struct rule_endpoint *e)
{
	static const char *const allowed[] = {
		"name", "pattern", "caseless", "method", "captures",
		"commit_length", "query_required", NULL,
	};
	static const char *const capnames[] = {
		"owner", "repo", "project", "commit", NULL,
	};
	const cJSON *caps, *len;
	uint32_t ngroups = 0;
	long v;

	if (!check_members(c, o, "an endpoint", allowed) ||
	    !get_string(c, o, "name", true, &e->name) ||
	    !compile_pattern(c, o, &e->pattern, &e->re) ||
	    !get_string(c, o, "method", false, &e->method) ||
	    !get_strings(c, o, "query_required", &e->query_required,
			 &e->nquery_required))
		return false;
	if (!e->method)
		e->method = xstrdup("POST");
	pcre2_pattern_info(e->re->code, PCRE2_INFO_CAPTURECOUNT, &ngroups);
	caps = json_member(o, "captures");
	if (!caps)
		return bad(c, o, "missing member \"captures\"");
	if (!check_members(c, caps, "\"captures\"", capnames))
		return false;
	for (size_t i = 0; capnames[i]; i++) {
		v = 0;
		if (!get_long(c, caps, capnames[i], 1,
			      ngroups < NOVEC ? (long)ngroups : NOVEC - 1, &v))
			return false;
		switch (i) {
		case 0: e->cap_owner = (int)v; break;
		case 1: e->cap_repo = (int)v; break;
		case 2: e->cap_project = (int)v; break;
		default: e->cap_commit = (int)v; break;
		}
	}
	len = json_member(o, "commit_length");
	e->commit_min = 1;
	e->commit_max = 64;
	if (len) {
		if (!cJSON_IsArray(len) || cJSON_GetArraySize(len) != 2 ||
		    !cJSON_IsNumber(len->child) || !cJSON_IsNumber(len->child->next) ||
		    len->child->valueint < 1 ||
		    len->child->valueint > len->child->next->valueint ||
		    len->child->next->valueint > 64)
			return bad(c, len, "\"commit_length\" must be [min, max] with 1 <= min <= max <= 64");
		e->commit_min = len->child->valueint;
		e->commit_max = len->child->next->valueint;
	}
	return true;
}

static bool load_wrong(const struct loadctx *c, const cJSON *o,
		       struct rule_wrong *w)
{
	static const char *const allowed[] = {
		"pattern", "caseless", "message", NULL,
	};

	return check_members(c, o, "a wrong endpoint", allowed) &&
	       compile_pattern(c, o, &w->pattern, &w->re) &&
	       get_string(c, o, "message", true, &w->message);
}

static bool load_auth(const struct loadctx *c, const cJSON *o,
		      struct rule_auth *a)
{
	static const char *const allowed[] = {
		"header", "scheme", "basic_empty_user", "note", NULL,
	};

	if (!check_members(c, o, "an auth form", allowed) ||
	    !get_string(c, o, "header", true, &a->header) ||
	    !get_string(c, o, "scheme", false, &a->scheme) ||
	    !get_bool(c, o, "basic_empty_user", &a->basic_empty_user) ||
	    !get_string(c, o, "note", false, &a->note))
		return false;
	if (a->basic_empty_user && (!a->scheme || ascii_casecmp(a->scheme, "Basic") != 0))
		return bad(c, o, "\"basic_empty_user\" needs \"scheme\": \"Basic\"");
	return true;
}

static bool load_header(const struct loadctx *c, const cJSON *o,
			struct rule_header *h)
{
	static const char *const allowed[] = {
		"name", "level", "values", "values_prefix", "when_present",
		"hint", NULL,
	};
	char *level = NULL;
	bool ok;

	if (!check_members(c, o, "a header", allowed) ||
	    !get_string(c, o, "name", true, &h->name) ||
	    !get_string(c, o, "level", true, &level) ||
	    !get_strings(c, o, "values", &h->values, &h->nvalues) ||
	    !get_bool(c, o, "values_prefix", &h->values_prefix) ||
	    !get_bool(c, o, "when_present", &h->when_present) ||
	    !get_string(c, o, "hint", false, &h->hint)) {
		free(level);
		return false;
	}
	ok = true;
	if (strcmp(level, "required") == 0)
		h->level = 2;
	else if (strcmp(level, "recommended") == 0)
		h->level = 1;
	else
		ok = bad(c, json_member(o, "level"),
			 "\"level\" must be \"required\" or \"recommended\"");
	free(level);
	return ok;
}

static bool load_field(const struct loadctx *c, const cJSON *o,
		       struct rule_field *f)
{
	static const char *const allowed[] = {
		"name", "type", "nullable", "required", "required_confidence",
		"enum", "enum_ci", "max_length", "max_length_confidence",
		"url", "url_confidence", "alias_of", "note", NULL,
	};
	static const char *const types[] = {
		"string", "number", "integer", "boolean", "object", NULL,
	};
	char *type = NULL;
	size_t i;

	if (!check_members(c, o, "a field", allowed) ||
	    !get_string(c, o, "name", true, &f->name) ||
	    !get_string(c, o, "type", true, &type))
		goto fail;
	for (i = 0; types[i] && strcmp(type, types[i]) != 0; i++)
		;
	if (!types[i]) {
		bad(c, json_member(o, "type"),
		    "\"type\" must be string, number, integer, boolean or object");
		goto fail;
	}
	f->type = (enum field_type)i;
	if (!get_bool(c, o, "nullable", &f->nullable) ||
	    !get_bool(c, o, "required", &f->required) ||
	    !get_conf(c, o, "required_confidence", &f->required_conf) ||
	    !get_strings(c, o, "enum", &f->enums, &f->nenums) ||
	    !get_bool(c, o, "enum_ci", &f->enum_ci) ||
	    !get_long(c, o, "max_length", 1, 1L << 30, &f->max_length) ||
	    !get_conf(c, o, "max_length_confidence", &f->max_length_conf) ||
	    !get_bool(c, o, "url", &f->url) ||
	    !get_conf(c, o, "url_confidence", &f->url_conf) ||
	    !get_string(c, o, "alias_of", false, &f->alias_of) ||
	    !get_string(c, o, "note", false, &f->note))
		goto fail;
	free(type);
	return true;
fail:
	free(type);
	return false;
}

/* Looks up a field by name in the partly loaded provider. */
static const struct rule_field *find_field(const struct provider *p,
					   const char *name)
{
	for (size_t i = 0; i < p->nfields; i++)
		if (strcmp(p->fields[i].name, name) == 0)
			return &p->fields[i];
	return NULL;
}

static bool load_identity(const struct loadctx *c, const cJSON *o,
			  struct provider *p)
{
	static const char *const allowed[] = {
		"fields", "case_insensitive", "default", "required", NULL,
	};
	const cJSON *def;

	if (!o)
		return bad(c, c->root, "missing member \"identity\"");
	if (!check_members(c, o, "\"identity\"", allowed) ||
	    !get_strings(c, o, "fields", &p->identity, &p->nidentity) ||
	    !get_bool(c, o, "case_insensitive", &p->identity_ci) ||
	    !get_bool(c, o, "required", &p->identity_required))
		return false;
	if (!p->nidentity)
		return bad(c, o, "\"identity.fields\" must name at least one field");
	for (size_t i = 0; i < p->nidentity; i++)
		if (!find_field(p, p->identity[i]))
			return bad(c, json_member(o, "fields"),
				   "identity field \"%s\" is not in \"fields\"",
				   p->identity[i]);
	/* "default" may be "" (Gitea: an omitted context is the empty one). */
	def = json_member(o, "default");
	if (def && !cJSON_IsNull(def)) {
		if (!cJSON_IsString(def))
			return bad(c, def, "\"default\" must be a string or null");
		p->identity_default = xstrdup(def->valuestring);
	}
	return true;
}

static bool load_states(const struct loadctx *c, const cJSON *o,
			struct provider *p)
{
	static const char *const allowed[] = {
		"success", "failure", "pending", "other", NULL,
	};
	const struct rule_field *sf = find_field(p, p->state_field);
	struct { char ***v; size_t *n; const char *key; } cls[] = {
		{&p->states_success, &p->nstates_success, "success"},
		{&p->states_failure, &p->nstates_failure, "failure"},
		{&p->states_pending, &p->nstates_pending, "pending"},
		{&p->states_other, &p->nstates_other, "other"},
	};

	if (!o)
		return bad(c, c->root, "missing member \"states\"");
	if (!check_members(c, o, "\"states\"", allowed))
		return false;
	for (size_t k = 0; k < 4; k++) {
		if (!get_strings(c, o, cls[k].key, cls[k].v, cls[k].n))
			return false;
		if (k < 3 && !*cls[k].n)
			return bad(c, o, "\"states.%s\" must list at least one state",
				   cls[k].key);
		for (size_t i = 0; sf && sf->nenums && i < *cls[k].n; i++) {
			bool in = false;

			for (size_t j = 0; j < sf->nenums && !in; j++)
				in = sf->enum_ci ? ascii_casecmp(sf->enums[j], (*cls[k].v)[i]) == 0
						 : strcmp(sf->enums[j], (*cls[k].v)[i]) == 0;
			if (!in)
				return bad(c, json_member(o, cls[k].key),
					   "state \"%s\" is not in the enum of field \"%s\"",
					   (*cls[k].v)[i], sf->name);
		}
	}
	return true;
}

static bool load_recommended(const struct loadctx *c, const cJSON *o,
			     struct provider *p)
{
	const char *allowed[ST_COUNT + 1] = {NULL};

	if (!o)
		return true;
	memcpy(allowed, status_keys, sizeof(status_keys));
	if (!check_members(c, o, "\"recommended\"", allowed))
		return false;
	for (int s = 0; s < ST_COUNT; s++) {
		const cJSON *v = json_member(o, status_keys[s]);

		if (!get_string(c, o, status_keys[s], false, &p->recommended[s]))
			return false;
		if (p->recommended[s] &&
		    rules_state_class(p, p->recommended[s]) == SC_UNKNOWN)
			return bad(c, v, "recommended state \"%s\" is in no \"states\" class",
				   p->recommended[s]);
	}
	return true;
}

/* An object of string members ("Accept": "application/json") into two
 * parallel arrays. */
static bool get_string_map(const struct loadctx *c, const cJSON *obj,
			   const char *key, char ***names, char ***values,
			   size_t *n)
{
	const cJSON *v = json_member(obj, key);
	size_t cap;

	*names = *values = NULL;
	*n = 0;
	if (!v)
		return true;
	if (!cJSON_IsObject(v))
		return bad(c, v, "\"%s\" must be an object of strings", key);
	cap = (size_t)cJSON_GetArraySize(v) + 1;
	*names = xcalloc(cap, sizeof(char *));
	*values = xcalloc(cap, sizeof(char *));
	for (const cJSON *m = v->child; m; m = m->next) {
		if (is_doc_member(m->string))
			continue;
		if (!cJSON_IsString(m))
			return bad(c, m, "\"%s.%s\" must be a string", key, m->string);
		(*names)[*n] = xstrdup(m->string);
		(*values)[*n] = xstrdup(m->valuestring);
		(*n)++;
	}
	return true;
}

/* A call "METHOD /path": a known method, a path, and placeholders that
 * are known or have a default. */
static bool check_call(const struct loadctx *c, const cJSON *node,
		       const char *call, const struct rule_api *api)
{
	static const char *const methods[] = {"GET ", "POST ", "PUT ", NULL};
	static const char *const known[] = {
		"owner", "repo", "project", "commit", "branch", NULL,
	};
	const char *p = NULL;

	for (size_t i = 0; methods[i] && !p; i++)
		if (strncmp(call, methods[i], strlen(methods[i])) == 0)
			p = call + strlen(methods[i]);
	if (!p || *p != '/')
		return bad(c, node, "call \"%s\" must read \"METHOD /path\" (GET, POST or PUT)",
			   call);
	while ((p = strchr(p, '{'))) {
		const char *end = strchr(p, '}');
		bool ok = false;

		if (!end)
			return bad(c, node, "call \"%s\": unclosed '{'", call);
		for (size_t i = 0; known[i] && !ok; i++)
			ok = strlen(known[i]) == (size_t)(end - p - 1) &&
			     strncmp(known[i], p + 1, (size_t)(end - p - 1)) == 0;
		for (size_t i = 0; i < api->ndefaults && !ok; i++)
			ok = strlen(api->default_names[i]) == (size_t)(end - p - 1) &&
			     strncmp(api->default_names[i], p + 1, (size_t)(end - p - 1)) == 0;
		if (!ok)
			return bad(c, node, "call \"%s\": unknown placeholder \"%.*s\" "
				   "(owner, repo, project, commit, branch, or a query_defaults name)",
				   call, (int)(end - p + 1), p);
		p = end + 1;
	}
	return true;
}

static bool load_api(const struct loadctx *c, const cJSON *o,
		     struct provider *p)
{
	static const char *const allowed[] = {
		"base_before", "headers", "query_defaults", "token_check",
		"token_fallback", "repo", "commit", "statuses", "send",
		"required_checks", "required_members", "required_note",
		"statuses_list", "status_state", "identity_limit",
		"identity_limit_confidence", "scopes_header", "scopes_member",
		"scopes_needed", "scopes_confidence", "write_access",
		"min_access_level", "write_access_confidence",
		"permission_note", NULL,
	};
	static const char *const single[] = {
		"token_check", "token_fallback", "repo", "commit", "statuses",
		"send", NULL,
	};
	static const struct { const char *name; enum api_write_access wa; } wa[] = {
		{"unknown", WA_UNKNOWN}, {"push", WA_PUSH},
		{"access_level", WA_ACCESS_LEVEL}, {"read", WA_READ},
	};
	struct rule_api *api;
	char *access = NULL;
	bool found = false;

	if (!o)
		return true;
	api = p->api = xcalloc(1, sizeof(*api));
	if (!check_members(c, o, "\"api\"", allowed) ||
	    !get_string(c, o, "base_before", true, &api->base_before) ||
	    !get_string_map(c, o, "headers", &api->header_names,
			    &api->header_values, &api->nheaders) ||
	    !get_string_map(c, o, "query_defaults", &api->default_names,
			    &api->default_values, &api->ndefaults) ||
	    !get_string(c, o, "token_check", true, &api->token_check) ||
	    !get_string(c, o, "token_fallback", false, &api->token_fallback) ||
	    !get_string(c, o, "repo", false, &api->repo) ||
	    !get_string(c, o, "commit", false, &api->commit) ||
	    !get_string(c, o, "statuses", false, &api->statuses) ||
	    !get_string(c, o, "send", false, &api->send) ||
	    !get_strings(c, o, "required_checks", &api->required_checks,
			 &api->nrequired_checks) ||
	    !get_strings(c, o, "required_members", &api->required_members,
			 &api->nrequired_members) ||
	    !get_string(c, o, "required_note", false, &api->required_note) ||
	    !get_string(c, o, "statuses_list", false, &api->statuses_list) ||
	    !get_string(c, o, "status_state", false, &api->status_state) ||
	    !get_long(c, o, "identity_limit", 0, 1000000, &api->identity_limit) ||
	    !get_conf(c, o, "identity_limit_confidence", &api->identity_limit_conf) ||
	    !get_string(c, o, "scopes_header", false, &api->scopes_header) ||
	    !get_string(c, o, "scopes_member", false, &api->scopes_member) ||
	    !get_strings(c, o, "scopes_needed", &api->scopes_needed,
			 &api->nscopes_needed) ||
	    !get_conf(c, o, "scopes_confidence", &api->scopes_conf) ||
	    !get_string(c, o, "write_access", false, &access) ||
	    !get_long(c, o, "min_access_level", 0, 100, &api->min_access_level) ||
	    !get_conf(c, o, "write_access_confidence", &api->write_access_conf) ||
	    !get_string(c, o, "permission_note", false, &api->permission_note))
		goto fail;
	for (size_t i = 0; i < sizeof(wa) / sizeof(wa[0]) && !found; i++)
		if (!access || strcmp(access, wa[i].name) == 0) {
			api->write_access = access ? wa[i].wa : WA_UNKNOWN;
			found = true;
		}
	if (!found) {
		bad(c, json_member(o, "write_access"),
		    "\"write_access\" must be push, access_level, read or unknown");
		goto fail;
	}
	free(access);
	access = NULL;
	if (api->write_access == WA_ACCESS_LEVEL && !api->min_access_level)
		return bad(c, o, "\"write_access\": \"access_level\" needs \"min_access_level\"");
	if (api->nrequired_checks && !api->nrequired_members)
		return bad(c, o, "\"required_checks\" needs \"required_members\"");
	if (api->nscopes_needed && !api->scopes_header && !api->scopes_member)
		return bad(c, o, "\"scopes_needed\" needs \"scopes_header\" or \"scopes_member\"");
	for (size_t i = 0; single[i]; i++) {
		const cJSON *v = json_member(o, single[i]);

		if (v && !check_call(c, v, v->valuestring, api))
			return false;
	}
	for (size_t i = 0; i < api->nrequired_checks; i++)
		if (!check_call(c, json_member(o, "required_checks"),
				api->required_checks[i], api))
			return false;
	return true;
fail:
	free(access);
	return false;
}

/* A request path of the probe: starts with '/', and holds no query,
 * fragment, space or control character. */
static bool probe_path_ok(const char *s)
{
	if (s[0] != '/')
		return false;
	for (; *s; s++)
		if ((unsigned char)*s <= ' ' || *s == 0x7f || *s == '?' || *s == '#')
			return false;
	return true;
}

/* An HTTP field name is a token (RFC 9110, 5.6.2). */
static bool header_token_ok(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("!#$%&'*+-.^_`|~", *s))
			return false;
	return true;
}

static bool probe_paths_ok(const struct loadctx *c, const cJSON *o,
			   const char *key, char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!probe_path_ok(v[i]))
			return bad(c, json_member(o, key),
				   "\"%s\": \"%s\" must start with '/' and hold no "
				   "query, fragment, space or control character",
				   key, v[i]);
	return true;
}

/* The probe's request (docs/rule-files.md, "probe"). It must stay
 * harmless: nothing but a GET, and no header that carries a credential. */
static bool load_probe(const struct loadctx *c, const cJSON *o,
		       struct provider *p)
{
	static const char *const allowed[] = {
		"why", "path", "path_prefixes", "prefix_except_hosts",
		"headers", NULL,
	};
	/* Never sent by the probe, whatever a rule file says. */
	static const char *const forbidden[] = {
		"Authorization", "Proxy-Authorization", "Cookie", "Host",
		"Content-Length", "Transfer-Encoding", NULL,
	};
	struct rule_probe *pr;
	const cJSON *hv;

	if (!o)
		return true;
	pr = p->probe = xcalloc(1, sizeof(*pr));
	if (!check_members(c, o, "\"probe\"", allowed) ||
	    !get_string(c, o, "why", true, &pr->why) ||
	    !get_string(c, o, "path", false, &pr->path) ||
	    !get_strings(c, o, "path_prefixes", &pr->path_prefixes,
			 &pr->npath_prefixes) ||
	    !get_strings(c, o, "prefix_except_hosts", &pr->prefix_except_hosts,
			 &pr->nprefix_except_hosts) ||
	    !get_string_map(c, o, "headers", &pr->header_names,
			    &pr->header_values, &pr->nheaders))
		return false;
	if (pr->path && !probe_path_ok(pr->path))
		return bad(c, json_member(o, "path"),
			   "\"path\" must start with '/' and hold no query, "
			   "fragment, space or control character");
	if (!probe_paths_ok(c, o, "path_prefixes", pr->path_prefixes,
			    pr->npath_prefixes))
		return false;
	if (pr->npath_prefixes && !pr->path)
		return bad(c, json_member(o, "path_prefixes"),
			   "\"path_prefixes\" needs \"path\"");
	if (pr->nprefix_except_hosts && !pr->npath_prefixes)
		return bad(c, json_member(o, "prefix_except_hosts"),
			   "\"prefix_except_hosts\" needs \"path_prefixes\"");
	for (size_t i = 0; i < pr->nprefix_except_hosts; i++)
		for (char *s = pr->prefix_except_hosts[i]; *s; s++)
			*s = (char)tolower((unsigned char)*s);
	hv = json_member(o, "headers");
	for (const cJSON *m = hv ? hv->child : NULL; m; m = m->next) {
		if (is_doc_member(m->string))
			continue;
		if (!header_token_ok(m->string))
			return bad(c, m, "\"headers\": \"%s\" is not a header name",
				   m->string);
		if (!m->valuestring[0] || strpbrk(m->valuestring, "\r\n"))
			return bad(c, m, "\"headers.%s\" must be a non-empty value "
				   "on one line", m->string);
		for (size_t i = 0; forbidden[i]; i++)
			if (ascii_casecmp(m->string, forbidden[i]) == 0)
				return bad(c, m, "\"headers\": the probe never sends "
					   "\"%s\"", m->string);
		for (size_t i = 0; i < p->nauth; i++)
			if (ascii_casecmp(m->string, p->auth[i].header) == 0)
				return bad(c, m, "\"headers\": \"%s\" carries the "
					   "token (\"auth\"); the probe never sends it",
					   m->string);
		for (const cJSON *q = hv->child; q != m; q = q->next)
			if (ascii_casecmp(q->string, m->string) == 0)
				return bad(c, m, "duplicate header \"%s\" in \"probe\"",
					   m->string);
	}
	return true;
}

static void probe_free(struct rule_probe *pr)
{
	if (!pr)
		return;
	free(pr->why);
	free(pr->path);
	free_strings(pr->path_prefixes, pr->npath_prefixes);
	free_strings(pr->prefix_except_hosts, pr->nprefix_except_hosts);
	free_strings(pr->header_names, pr->nheaders);
	free_strings(pr->header_values, pr->nheaders);
	free(pr);
}

static void api_free(struct rule_api *api)
{
	if (!api)
		return;
	free(api->base_before);
	free_strings(api->header_names, api->nheaders);
	free_strings(api->header_values, api->nheaders);
	free_strings(api->default_names, api->ndefaults);
	free_strings(api->default_values, api->ndefaults);
	free(api->token_check);
	free(api->token_fallback);
	free(api->repo);
	free(api->commit);
	free(api->statuses);
	free(api->send);
	free_strings(api->required_checks, api->nrequired_checks);
	free_strings(api->required_members, api->nrequired_members);
	free(api->required_note);
	free(api->statuses_list);
	free(api->status_state);
	free(api->scopes_header);
	free(api->scopes_member);
	free_strings(api->scopes_needed, api->nscopes_needed);
	free(api->permission_note);
	free(api);
}

/* Runs load over each element of the array member key. */
#define LOAD_ARRAY(c, root, key, arr, n, load, need)                          \
	do {                                                                  \
		const cJSON *a_ = json_member(root, key);              \
		size_t i_ = 0;                                                \
		if (!a_ && need)                                              \
			return bad(c, root, "missing member \"%s\"", key);     \
		if (a_ && !cJSON_IsArray(a_))                                 \
			return bad(c, a_, "\"%s\" must be an array", key);     \
		if (need && a_ && !a_->child)                                 \
			return bad(c, a_, "\"%s\" must not be empty", key);    \
		arr = xcalloc(a_ ? (size_t)cJSON_GetArraySize(a_) + 1 : 1,    \
			      sizeof(*(arr)));                                \
		for (const cJSON *e_ = a_ ? a_->child : NULL; e_; e_ = e_->next) { \
			n = ++i_;                                             \
			if (!load(c, e_, &(arr)[i_ - 1]))                     \
				return false;                                 \
		}                                                             \
	} while (0)

static bool load_provider(const struct loadctx *c, struct provider *p)
{
	static const char *const allowed[] = {
		"format", "name", "title", "aliases", "docs_url", "hosts",
		"path_markers", "repo_case_insensitive", "endpoints",
		"wrong_endpoints", "auth", "headers", "content_type", "fields",
		"field_aliases", "state_field", "identity", "link_field",
		"states", "recommended", "refuses_repeat_pending",
		"repeat_message", "max_body_bytes", "api", "probe",
		"error_message_paths", NULL,
	};
	const cJSON *root = c->root, *fa;
	long format = 1, maxbody = 0;

	if (!check_members(c, root, "the rule file", allowed) ||
	    !get_long(c, root, "format", 1, 1, &format) ||
	    !get_string(c, root, "name", true, &p->name) ||
	    !get_string(c, root, "title", true, &p->title) ||
	    !get_strings(c, root, "aliases", &p->aliases, &p->naliases) ||
	    !get_string(c, root, "docs_url", false, &p->docs_url) ||
	    !get_strings(c, root, "error_message_paths", &p->error_message_paths,
			 &p->nerror_message_paths) ||
	    !get_strings(c, root, "hosts", &p->hosts, &p->nhosts) ||
	    !get_strings(c, root, "path_markers", &p->path_markers,
			 &p->npath_markers) ||
	    !get_bool(c, root, "repo_case_insensitive", &p->repo_ci) ||
	    !get_string(c, root, "content_type", false, &p->content_type) ||
	    !get_string(c, root, "state_field", false, &p->state_field) ||
	    !get_string(c, root, "link_field", false, &p->link_field) ||
	    !get_bool(c, root, "refuses_repeat_pending", &p->refuses_repeat_pending) ||
	    !get_string(c, root, "repeat_message", false, &p->repeat_message) ||
	    !get_long(c, root, "max_body_bytes", 0, 1L << 30, &maxbody))
		return false;
	p->max_body_bytes = (int)maxbody;
	for (const char *s = p->name; *s; s++)
		if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s) || *s == '-'))
			return bad(c, json_member(root, "name"),
				   "\"name\" may hold only a-z, 0-9 and '-'");
	for (size_t i = 0; i < p->nhosts; i++)
		for (char *s = p->hosts[i]; *s; s++)
			*s = (char)tolower((unsigned char)*s);
	if (!p->content_type)
		p->content_type = xstrdup("application/json");
	if (!p->state_field)
		p->state_field = xstrdup("state");

	LOAD_ARRAY(c, root, "endpoints", p->endpoints, p->nendpoints, load_endpoint, true);
	LOAD_ARRAY(c, root, "wrong_endpoints", p->wrong, p->nwrong, load_wrong, false);
	LOAD_ARRAY(c, root, "auth", p->auth, p->nauth, load_auth, true);
	LOAD_ARRAY(c, root, "headers", p->headers, p->nheaders, load_header, false);
	LOAD_ARRAY(c, root, "fields", p->fields, p->nfields, load_field, true);

	for (size_t i = 0; i < p->nfields; i++)
		if (p->fields[i].alias_of && !find_field(p, p->fields[i].alias_of))
			return bad(c, json_member(root, "fields"),
				   "field \"%s\": alias_of \"%s\" is not a field",
				   p->fields[i].name, p->fields[i].alias_of);
	if (!find_field(p, p->state_field))
		return bad(c, root, "state field \"%s\" is not in \"fields\"",
			   p->state_field);
	if (p->link_field && !find_field(p, p->link_field))
		return bad(c, json_member(root, "link_field"),
			   "link field \"%s\" is not in \"fields\"", p->link_field);

	fa = json_member(root, "field_aliases");
	if (fa) {
		size_t n = 0;

		if (!cJSON_IsObject(fa))
			return bad(c, fa, "\"field_aliases\" must be an object of \"mistake\": \"field\"");
		p->field_aliases = xcalloc((size_t)cJSON_GetArraySize(fa) + 1,
					   sizeof(*p->field_aliases));
		for (const cJSON *m = fa->child; m; m = m->next) {
			if (is_doc_member(m->string))
				continue;
			if (!cJSON_IsString(m) || !find_field(p, m->valuestring))
				return bad(c, m, "field alias \"%s\" must name a field of \"fields\"",
					   m->string);
			if (find_field(p, m->string))
				return bad(c, m, "field alias \"%s\" is itself a field",
					   m->string);
			p->field_aliases[n].from = xstrdup(m->string);
			p->field_aliases[n].to = xstrdup(m->valuestring);
			p->nfield_aliases = ++n;
		}
	}

	if (!load_identity(c, json_member(root, "identity"), p) ||
	    !load_states(c, json_member(root, "states"), p) ||
	    !load_recommended(c, json_member(root, "recommended"), p))
		return false;
	if (p->refuses_repeat_pending && !p->repeat_message)
		return bad(c, json_member(root, "refuses_repeat_pending"),
			   "\"refuses_repeat_pending\" needs a \"repeat_message\"");
	if (!load_api(c, json_member(root, "api"), p) ||
	    !load_probe(c, json_member(root, "probe"), p))
		return false;
	(void)format;
	return true;
}

static void provider_free(struct provider *p)
{
	free(p->name);
	free(p->title);
	free_strings(p->aliases, p->naliases);
	free_strings(p->hosts, p->nhosts);
	free_strings(p->path_markers, p->npath_markers);
	for (size_t i = 0; p->endpoints && p->endpoints[i].name; i++) {
		struct rule_endpoint *e = &p->endpoints[i];

		free(e->name);
		free(e->pattern);
		hd_regex_free(e->re);
		free(e->method);
		free_strings(e->query_required, e->nquery_required);
	}
	free(p->endpoints);
	for (size_t i = 0; p->wrong && (p->wrong[i].pattern || p->wrong[i].message); i++) {
		free(p->wrong[i].pattern);
		hd_regex_free(p->wrong[i].re);
		free(p->wrong[i].message);
	}
	free(p->wrong);
	for (size_t i = 0; p->auth && p->auth[i].header; i++) {
		free(p->auth[i].header);
		free(p->auth[i].scheme);
		free(p->auth[i].note);
	}
	free(p->auth);
	for (size_t i = 0; p->headers && p->headers[i].name; i++) {
		free(p->headers[i].name);
		free_strings(p->headers[i].values, p->headers[i].nvalues);
		free(p->headers[i].hint);
	}
	free(p->headers);
	free(p->content_type);
	for (size_t i = 0; p->fields && p->fields[i].name; i++) {
		struct rule_field *f = &p->fields[i];

		free(f->name);
		free_strings(f->enums, f->nenums);
		free(f->alias_of);
		free(f->note);
	}
	free(p->fields);
	for (size_t i = 0; i < p->nfield_aliases; i++) {
		free(p->field_aliases[i].from);
		free(p->field_aliases[i].to);
	}
	free(p->field_aliases);
	free(p->state_field);
	free_strings(p->identity, p->nidentity);
	free(p->identity_default);
	free(p->link_field);
	free_strings(p->states_success, p->nstates_success);
	free_strings(p->states_failure, p->nstates_failure);
	free_strings(p->states_pending, p->nstates_pending);
	free_strings(p->states_other, p->nstates_other);
	for (int s = 0; s < ST_COUNT; s++)
		free(p->recommended[s]);
	free(p->repeat_message);
	free(p->docs_url);
	free_strings(p->error_message_paths, p->nerror_message_paths);
	api_free(p->api);
	probe_free(p->probe);
	memset(p, 0, sizeof(*p));
}

/* Loads one file into p; on failure p is left for provider_free(). */
static bool load_file(const char *path, struct provider *p, struct hd_error *err)
{
	struct loadctx c = {.path = path, .err = err};
	const char *end = NULL;
	cJSON *root;
	char *text;
	size_t len;
	bool ok;

	text = read_file_all(path, &len, err);
	if (!text)
		return false;
	c.text = text;
	c.len = len;
	if (strlen(text) != len) {
		int line, col;

		offset_linecol(text, strlen(text), &line, &col);
		hd_error_set(err, "%s:%d:%d: NUL byte in a rule file", path, line, col);
		free(text);
		return false;
	}
	/* The length includes the terminating NUL: with require_null_terminated
	 * cJSON looks for it inside the buffer, which rejects trailing text. */
	root = cJSON_ParseWithLengthOpts(text, len + 1, &end, 1);
	if (!root) {
		/* cJSON's offset is the fallback; the strict pass names the slip. */
		size_t off = end && end >= text && end <= text + len
			     ? (size_t)(end - text) : 0;
		const char *msg = NULL;
		int line, col;

		json_error_at(text, len, &off, &msg);
		offset_linecol(text, off, &line, &col);
		if (msg)
			hd_error_set(err, "%s:%d:%d: invalid JSON: %s", path, line,
				     col, msg);
		else
			hd_error_set(err, "%s:%d:%d: invalid JSON", path, line, col);
		free(text);
		return false;
	}
	c.root = root;
	if (!cJSON_IsObject(root))
		ok = bad(&c, root, "a rule file must be a JSON object");
	else
		ok = load_provider(&c, p);
	cJSON_Delete(root);
	free(text);
	return ok;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

struct rules *rules_load(const char *dir, struct hd_error *err)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct rules *r;

	if (!d) {
		hd_error_set(err, "%s: cannot open rule directory: %s", dir,
			     strerror(errno));
		return NULL;
	}
	while ((de = readdir(d))) {
		size_t l = strlen(de->d_name);

		if (l <= 5 || de->d_name[0] == '.' ||
		    strcmp(de->d_name + l - 5, ".json") != 0)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 8;
			names = xrealloc(names, cap * sizeof(*names));
		}
		names[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), cmp_names);

	r = xcalloc(1, sizeof(*r));
	r->dir = xstrdup(dir);
	r->providers = xcalloc(n ? n : 1, sizeof(*r->providers));
	for (size_t i = 0; i < n; i++) {
		char *path = xasprintf("%s/%s", dir, names[i]);
		struct provider *p = &r->providers[i];
		bool ok = load_file(path, p, err);

		r->n = i + 1;
		/* Names and aliases must be unique across files. */
		for (size_t j = 0; ok && j < i; j++) {
			const char *clash = NULL;

			if (rules_find(&(struct rules){r->providers + j, 1, NULL}, p->name))
				clash = p->name;
			for (size_t k = 0; !clash && k < p->naliases; k++)
				if (rules_find(&(struct rules){r->providers + j, 1, NULL},
					       p->aliases[k]))
					clash = p->aliases[k];
			if (clash) {
				hd_error_set(err, "%s:1:1: provider name \"%s\" is already used by %s/%s",
					     path, clash, dir, names[j]);
				ok = false;
			}
		}
		free(path);
		if (!ok) {
			for (size_t k = 0; k < n; k++)
				free(names[k]);
			free(names);
			rules_free(r);
			return NULL;
		}
	}
	for (size_t k = 0; k < n; k++)
		free(names[k]);
	free(names);
	if (!r->n) {
		hd_error_set(err, "%s: no rule files (*.json)", dir);
		rules_free(r);
		return NULL;
	}
	return r;
}

void rules_free(struct rules *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++)
		provider_free(&r->providers[i]);
	free(r->providers);
	free(r->dir);
	free(r);
}

const struct provider *rules_find(const struct rules *r, const char *name)
{
	if (!r || !name)
		return NULL;
	for (size_t i = 0; i < r->n; i++) {
		const struct provider *p = &r->providers[i];

		if (p->name && ascii_casecmp(p->name, name) == 0)
			return p;
		for (size_t k = 0; k < p->naliases; k++)
			if (ascii_casecmp(p->aliases[k], name) == 0)
				return p;
	}
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Lookups                                                              */

static bool in_list(char *const *v, size_t n, const char *s, bool ci)
{
	for (size_t i = 0; i < n; i++)
		if (ci ? ascii_casecmp(v[i], s) == 0 : strcmp(v[i], s) == 0)
			return true;
	return false;
}

enum state_class rules_state_class(const struct provider *p, const char *state)
{
	const struct rule_field *f;
	bool ci;

	if (!p || !state)
		return SC_UNKNOWN;
	f = find_field(p, p->state_field ? p->state_field : "state");
	ci = f && f->enum_ci;
	if (in_list(p->states_success, p->nstates_success, state, ci))
		return SC_SUCCESS;
	if (in_list(p->states_failure, p->nstates_failure, state, ci))
		return SC_FAILURE;
	if (in_list(p->states_pending, p->nstates_pending, state, ci))
		return SC_PENDING;
	if (in_list(p->states_other, p->nstates_other, state, ci))
		return SC_OTHER;
	return SC_UNKNOWN;
}

const struct rule_field *rules_field(const struct provider *p, const char *name)
{
	return p && name ? find_field(p, name) : NULL;
}

/* ------------------------------------------------------------------ */
/* URL matching                                                         */

static char *capture(const char *s, const size_t *ov, int group)
{
	if (group <= 0 || group >= NOVEC || ov[2 * group] == (size_t)-1)
		return NULL;
	return xstrndup(s + ov[2 * group], ov[2 * group + 1] - ov[2 * group]);
}

/* Is the query parameter name present with a non-empty value? Names are
 * compared case-insensitively: a near miss in case is not "missing". */
static bool query_has(const char *q, size_t qlen, const char *name)
{
	size_t nlen = strlen(name), i = 0;

	while (i < qlen) {
		size_t j = i;
		bool same = true;

		while (j < qlen && q[j] != '&')
			j++;
		if (j - i > nlen + 1 && q[i + nlen] == '=') {
			for (size_t k = 0; k < nlen && same; k++)
				same = tolower((unsigned char)q[i + k]) ==
				       tolower((unsigned char)name[k]);
			if (same)
				return true;
		}
		i = j + 1;
	}
	return false;
}

static bool host_listed(const struct provider *p, const char *host)
{
	size_t hl = strlen(host);
	const char *colon = strrchr(host, ':');

	if (colon && !strchr(host, ']'))
		hl = (size_t)(colon - host);   /* compare without the port */
	for (size_t i = 0; i < p->nhosts; i++) {
		const char *h = p->hosts[i];
		size_t l = strlen(h);

		if (h[0] == '*' && h[1] == '.') {
			/* "*.example.com": any subdomain */
			if (hl > l - 1 && memcmp(host + hl - (l - 1), h + 1, l - 1) == 0)
				return true;
		} else if (l == hl && memcmp(host, h, l) == 0) {
			return true;
		}
	}
	return false;
}

static bool marker_found(const struct provider *p, const char *path)
{
	for (size_t i = 0; i < p->npath_markers; i++)
		if (strstr(path, p->path_markers[i]))
			return true;
	return false;
}

/* provider:host/owner/project/repo; %xx escapes upper-cased (RFC 3986
 * equivalence), everything lower-cased where the provider ignores case. */
static char *make_repo_key(const struct provider *p, const struct url_match *m)
{
	const char *parts[3] = {m->owner, m->project, m->repo};
	size_t n = strlen(p->name) + 1 + strlen(m->host), start, len;
	char *key;

	if (!m->repo || !m->repo[0])
		return NULL;
	for (int i = 0; i < 3; i++)
		if (parts[i])
			n += 1 + strlen(parts[i]);
	key = xmalloc(n + 1);
	len = (size_t)sprintf(key, "%s:%s", p->name, m->host);
	start = len;
	for (int i = 0; i < 3; i++)
		if (parts[i]) {
			size_t l = strlen(parts[i]);

			key[len++] = '/';
			memcpy(key + len, parts[i], l);
			len += l;
		}
	key[len] = '\0';
	for (size_t i = start; i < len; i++) {
		if (p->repo_ci)
			key[i] = (char)tolower((unsigned char)key[i]);
		else if (key[i] == '%' && i + 2 < len &&
			 isxdigit((unsigned char)key[i + 1]) &&
			 isxdigit((unsigned char)key[i + 2])) {
			key[i + 1] = (char)toupper((unsigned char)key[i + 1]);
			key[i + 2] = (char)toupper((unsigned char)key[i + 2]);
		}
	}
	return key;
}

static bool try_endpoints(const struct provider *p, const char *s,
			  const char *lower, size_t len, const char *q,
			  size_t qlen, struct url_match *m)
{
	size_t ov[2 * NOVEC];

	for (size_t i = 0; i < p->nendpoints; i++) {
		const struct rule_endpoint *e = &p->endpoints[i];

		if (!regex_match(e->re, s, lower, len, ov, NOVEC))
			continue;
		m->provider = p;
		m->endpoint = e;
		m->owner = capture(s, ov, e->cap_owner);
		m->repo = capture(s, ov, e->cap_repo);
		m->project = capture(s, ov, e->cap_project);
		m->commit = capture(s, ov, e->cap_commit);
		for (size_t k = 0; k < e->nquery_required; k++) {
			if (query_has(q, qlen, e->query_required[k]))
				continue;
			if (!m->missing_query)
				m->missing_query = xcalloc(e->nquery_required,
							   sizeof(char *));
			m->missing_query[m->nmissing_query++] =
				xstrdup(e->query_required[k]);
		}
		return true;
	}
	return false;
}

static bool try_wrong(const struct provider *p, const char *s,
		      const char *lower, size_t len, struct url_match *m)
{
	for (size_t i = 0; i < p->nwrong; i++)
		if (regex_match(p->wrong[i].re, s, lower, len, NULL, 0)) {
			m->provider = p;
			m->wrong = &p->wrong[i];
			return true;
		}
	return false;
}

void rules_match_url(const struct rules *r, const struct provider *force,
		     const char *url, struct url_match *m)
{
	const struct provider *only[1] = {force};
	size_t np = force ? 1 : (r ? r->n : 0);
	const char *scheme_end, *auth, *path, *q = "", *frag;
	size_t qlen = 0, ulen, slen;
	char stackbuf[1024], lowbuf[1024], *subj, *lower;

	memset(m, 0, sizeof(*m));
	if (!url)
		return;
	/* Split off query and fragment: patterns see scheme://host/path. */
	ulen = strcspn(url, "?#");
	if (url[ulen] == '?') {
		q = url + ulen + 1;
		frag = strchr(q, '#');
		qlen = frag ? (size_t)(frag - q) : strlen(q);
	}
	scheme_end = strstr(url, "://");
	if (!scheme_end || (size_t)(scheme_end - url) > ulen)
		return;    /* not an absolute URL */
	auth = scheme_end + 3;
	path = auth + strcspn(auth, "/?#");
	if (path > url + ulen)
		path = url + ulen;
	/* The host without userinfo (which HD111 reports on its own). */
	for (const char *at = auth; at < path; at++)
		if (*at == '@')
			auth = at + 1;
	m->host = xstrndup(auth, (size_t)(path - auth));
	for (char *h = m->host; *h; h++)
		*h = (char)tolower((unsigned char)*h);

	/* scheme://host/path, host lower-cased and without userinfo; on the
	 * stack for the usual URL, since this runs for every URL of every hook. */
	{
		size_t a = (size_t)(scheme_end + 3 - url), h = strlen(m->host),
		       pl = (size_t)(url + ulen - path);

		slen = a + h + pl;
		subj = slen < sizeof(stackbuf) ? stackbuf : xmalloc(slen + 1);
		memcpy(subj, url, a);
		memcpy(subj + a, m->host, h);
		memcpy(subj + a + h, path, pl);
		subj[slen] = '\0';
		lower = slen < sizeof(lowbuf) ? lowbuf : xmalloc(slen + 1);
		for (size_t i = 0; i <= slen; i++)
			lower[i] = (char)tolower((unsigned char)subj[i]);
	}

	for (size_t i = 0; i < np && !m->provider; i++)
		try_endpoints(force ? only[0] : &r->providers[i], subj, lower,
			      slen, q, qlen, m);
	for (size_t i = 0; i < np && !m->provider; i++)
		try_wrong(force ? only[0] : &r->providers[i], subj, lower,
			  slen, m);
	for (size_t i = 0; i < np && !m->provider; i++) {
		const struct provider *p = force ? only[0] : &r->providers[i];

		if (host_listed(p, m->host))
			m->provider = p;
	}
	for (size_t i = 0; i < np && !m->provider; i++) {
		const struct provider *p = force ? only[0] : &r->providers[i];

		if (marker_found(p, subj + (scheme_end + 3 - url) + strlen(m->host)))
			m->provider = p;
	}
	if (m->provider && !m->endpoint && !m->wrong)
		m->by_host = true;
	if (m->endpoint)
		m->repo_key = make_repo_key(m->provider, m);
	if (subj != stackbuf)
		free(subj);
	if (lower != lowbuf)
		free(lower);
}

void url_match_free(struct url_match *m)
{
	if (!m)
		return;
	free(m->owner);
	free(m->repo);
	free(m->project);
	free(m->commit);
	free(m->host);
	free(m->repo_key);
	free_strings(m->missing_query, m->nmissing_query);
	memset(m, 0, sizeof(*m));
}

void url_match_copy(struct url_match *dst, const struct url_match *src)
{
	*dst = *src;
	dst->owner = xstrdup_or_null(src->owner);
	dst->repo = xstrdup_or_null(src->repo);
	dst->project = xstrdup_or_null(src->project);
	dst->commit = xstrdup_or_null(src->commit);
	dst->host = xstrdup_or_null(src->host);
	dst->repo_key = xstrdup_or_null(src->repo_key);
	dst->missing_query = NULL;
	if (src->nmissing_query) {
		dst->missing_query = xcalloc(src->nmissing_query,
					     sizeof(*dst->missing_query));
		for (size_t i = 0; i < src->nmissing_query; i++)
			dst->missing_query[i] = xstrdup(src->missing_query[i]);
	}
}

int rules_short_name_len(const struct provider *p)
{
	const char *t = p->title ? p->title : p->name;
	size_t n = strlen(t);
	const char *cut = strstr(t, " / ");

	if (cut && (size_t)(cut - t) < n)
		n = (size_t)(cut - t);
	cut = strstr(t, " (");
	if (cut && (size_t)(cut - t) < n)
		n = (size_t)(cut - t);
	return (int)n;
}
