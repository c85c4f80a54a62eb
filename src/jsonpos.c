/*
 * jsonpos.c - a strict JSON scanner (RFC 8259) that names the user's slip
 * and where it is, and an index from cJSON nodes back to their positions.
 *
 * cJSON is lenient in places and silent about positions, so every document
 * is scanned here first. The scanner is a recursive descent over the bytes:
 * on the first error it writes "FNAME:LINE:COL: message", with the slips
 * that the Devopness guide invites (trailing commas, "// NOTE" comments,
 * <placeholders>) named in plain words. The same scanner, run again over
 * the slice cJSON parses, collects the start of every value in pre-order;
 * a pre-order walk of cJSON's tree meets the nodes in the same order, which
 * pairs each node with its position. Text that was validated as a whole
 * (a hook file, element by element) is instead built into cJSON's tree
 * here, in one pass that records the positions as it goes
 * (jsonpos_tree_valid, jsonpos_parse_valid_at), node for node the tree
 * cJSON would parse. A large top-level array can be validated on several
 * threads, element by element (jsonpos_validate_threads), with the same
 * verdict and message as one. This module knows JSON only, never hooks.
 */
#include "jsonpos.h"

#include <stdbool.h>
#include <limits.h>
#include <locale.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "redact.h"

#define MAX_DEPTH 512

/* Where one value starts, collected in pre-order. */
struct entry {
	size_t off;
	struct jsonpos_loc loc;
	const cJSON *node;      /* the one-pass tree's node; else NULL */
};

struct scanner {
	const unsigned char *s;
	size_t len;             /* scan s[0..len) */
	size_t i;
	int line;
	size_t line_off;        /* offset where the current line starts */
	int depth;
	const char *fname;
	struct hd_error *err;
	int collect;            /* record value starts in ents */
	struct entry *ents;
	size_t n, cap;
};

static const unsigned char bom[3] = {0xEF, 0xBB, 0xBF};

static int has_bom(const unsigned char *s, size_t len)
{
	return len >= 3 && memcmp(s, bom, 3) == 0;
}

static int col_of(const struct scanner *sc, size_t off)
{
	return (int)(off - sc->line_off) + 1;
}

/* Sets the error at offset off, which must be on the current line. */
static int fail_at(struct scanner *sc, size_t off, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail_at(struct scanner *sc, size_t off, const char *fmt, ...)
{
	char msg[768], *red;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* Messages quote the input, which may be a token (tests/secrets). */
	red = redact_text(msg);
	hd_error_set(sc->err, "%s:%d:%d: %s", sc->fname, sc->line,
		     col_of(sc, off), red);
	free(red);
	return -1;
}

/* Moves the scanner back to an earlier mark, to report an error there. */
static void back_to(struct scanner *sc, const struct jsonpos_mark *m)
{
	sc->i = m->off;
	sc->line = m->line;
	sc->line_off = m->line_off;
}

static void skip_ws(struct scanner *sc)
{
	const unsigned char *s = sc->s;
	size_t i = sc->i, len = sc->len;

	while (i < len) {
		unsigned char c = s[i];

		if (c > ' ')
			break;
		if (c == ' ' && i + 8 <= len) {
			/* indentation: the spaces of a word at once (its
			 * first byte is s[i] whatever the byte order) */
			uint64_t w;

			memcpy(&w, s + i, 8);
			w ^= 0x2020202020202020ull;
			if (!w) {
				i += 8;
				continue;
			}
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
			i += (size_t)__builtin_ctzll(w) / 8;
			continue;
#endif
		}
		if (c == ' ' || c == '\t' || c == '\r') {
			i++;
		} else if (c == '\n') {
			i++;
			sc->line++;
			sc->line_off = i;
		} else {
			break;
		}
	}
	sc->i = i;
}

static int is_word_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '$' || c == '-' ||
	       c == '.' || c == '+';
}

/* Length of a valid UTF-8 sequence at s[0..n) (RFC 3629: no overlongs, no
 * surrogates, at most U+10FFFF), or 0 when it is malformed. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];

	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		return n >= 2 && (s[1] & 0xC0) == 0x80 ? 2 : 0;
	if (c >= 0xE0 && c <= 0xEF) {
		unsigned char lo = 0x80, hi = 0xBF;

		if (c == 0xE0)
			lo = 0xA0;
		else if (c == 0xED)
			hi = 0x9F;
		return n >= 3 && s[1] >= lo && s[1] <= hi &&
		       (s[2] & 0xC0) == 0x80 ? 3 : 0;
	}
	if (c >= 0xF0 && c <= 0xF4) {
		unsigned char lo = 0x80, hi = 0xBF;

		if (c == 0xF0)
			lo = 0x90;
		else if (c == 0xF4)
			hi = 0x8F;
		return n >= 4 && s[1] >= lo && s[1] <= hi &&
		       (s[2] & 0xC0) == 0x80 && (s[3] & 0xC0) == 0x80 ? 4 : 0;
	}
	return 0;
}

static int fail_utf8(struct scanner *sc, size_t off)
{
	return fail_at(sc, off, "invalid UTF-8 (byte 0x%02X): save the file "
		       "as UTF-8 (it looks like Latin-1 or Windows-1252)",
		       sc->s[off]);
}

/* A "<...>" placeholder from the guide at s[at]: names it. */
static int fail_placeholder(struct scanner *sc, size_t at)
{
	const unsigned char *s = sc->s;
	size_t j = at + 1, i, first_end, n;
	const unsigned char *bar;
	char shown[96], choice[64];

	while (j < sc->len && j - at < 200 && s[j] != '>' && s[j] != '\n')
		j++;
	if (j >= sc->len || s[j] != '>')
		return fail_at(sc, at, "unexpected '<': a placeholder from the "
			       "documented example? replace it with a value");
	n = j - at + 1;
	if (n < sizeof(shown)) {
		memcpy(shown, s + at, n);
		shown[n] = '\0';
	} else {
		memcpy(shown, s + at, sizeof(shown) - 5);
		memcpy(shown + sizeof(shown) - 5, "...>", 5);
	}
	bar = memchr(s + at, '|', n);
	if (!bar)
		return fail_at(sc, at, "a placeholder from the documented "
			       "example: replace %s with a value", shown);
	/* <"INPROGRESS" | "pending">: offer the first choice as written. */
	i = at + 1;
	while (s[i] == ' ')
		i++;
	first_end = (size_t)(bar - s);
	while (first_end > i && s[first_end - 1] == ' ')
		first_end--;
	n = first_end - i;
	if (n >= sizeof(choice))
		n = sizeof(choice) - 1;
	memcpy(choice, s + i, n);
	choice[n] = '\0';
	return fail_at(sc, at, "a placeholder from the documented example: "
		       "replace %s with one of its choices, e.g. %s", shown,
		       choice);
}

/*
 * The byte at sc->i cannot start what was expected (what: "a value",
 * "a member name"...). Names the slip when it is a known one.
 */
static int fail_unexpected(struct scanner *sc, const char *what)
{
	const unsigned char *s = sc->s;
	size_t i = sc->i, n;
	unsigned char c;

	if (i >= sc->len)
		return fail_at(sc, i, "unexpected end of input: expected %s "
			       "(is the file truncated?)", what);
	c = s[i];
	if (c == '/' && i + 1 < sc->len && s[i + 1] == '/')
		return fail_at(sc, i, "a comment: JSON has none — a `// NOTE` "
			       "line left from the documented curl example? "
			       "remove it");
	if (c == '/' && i + 1 < sc->len && s[i + 1] == '*')
		return fail_at(sc, i, "a /* */ comment: JSON has none — remove "
			       "it");
	if (c == '#')
		return fail_at(sc, i, "a '#' comment: JSON has none — remove "
			       "it");
	if (c == '<')
		return fail_placeholder(sc, i);
	if (c == '\'')
		return fail_at(sc, i, "a single-quoted string: JSON strings "
			       "use double quotes (\"...\")");
	if (c == '`')
		return fail_at(sc, i, "a backtick: JSON strings use double "
			       "quotes (\"...\")");
	if (c == 0)
		return fail_at(sc, i, "a NUL byte: is this a binary or UTF-16 "
			       "file? save it as UTF-8 text");
	if (c >= 0x80) {
		n = utf8_seq(s + i, sc->len - i);
		if (!n)
			return fail_utf8(sc, i);
		if (n == 3 && s[i] == 0xE2 && s[i + 1] == 0x80 &&
		    (s[i + 2] == 0x9C || s[i + 2] == 0x9D ||
		     s[i + 2] == 0x98 || s[i + 2] == 0x99))
			return fail_at(sc, i, "a typographic quote (%.3s): JSON "
				       "strings use plain double quotes (\"); "
				       "was it copied through a word "
				       "processor?", (const char *)s + i);
		if ((n == 2 && s[i] == 0xC2 && s[i + 1] == 0xA0) ||
		    (n == 3 && s[i] == 0xE2 && s[i + 1] == 0x80 &&
		     s[i + 2] >= 0x80 && s[i + 2] <= 0x8B))
			return fail_at(sc, i, "a non-breaking or special space: "
				       "JSON allows only spaces, tabs and line "
				       "breaks between values");
		return fail_at(sc, i, "expected %s, found '%.*s'", what,
			       (int)n, (const char *)s + i);
	}
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
	    c == '$') {
		char word[48];

		for (n = 0; i + n < sc->len && is_word_char(s[i + n]); n++)
			;
		snprintf(word, sizeof(word), "%.*s", n > 40 ? 40 : (int)n,
			 (const char *)s + i);
		if (strcmp(what, "a member name") == 0)
			return fail_at(sc, i, "a member name without quotes: "
				       "write \"%s\"", word);
		if (!ascii_casecmp(word, "true") || !ascii_casecmp(word, "false") ||
		    !ascii_casecmp(word, "null") || !strcmp(word, "None") ||
		    !strcmp(word, "nil"))
			return fail_at(sc, i, "'%s' is not JSON: the literals "
				       "are true, false and null, in lower "
				       "case", word);
		if (!strcmp(word, "NaN") || !strcmp(word, "Infinity") ||
		    !strcmp(word, "undefined"))
			return fail_at(sc, i, "'%s' is not a JSON value", word);
		return fail_at(sc, i, "unexpected text '%s': a string needs "
			       "double quotes (\"%s\")", word, word);
	}
	if (c == '+')
		return fail_at(sc, i, "a number with a '+' sign: JSON numbers "
			       "have none");
	if (c == '.')
		return fail_at(sc, i, "a number starting with '.': JSON needs a "
			       "digit first (0.5)");
	if (c == ',')
		return fail_at(sc, i, "expected %s, found ',': a value is "
			       "missing (two commas in a row?)", what);
	if (c < 0x20 || c == 0x7F)
		return fail_at(sc, i, "expected %s, found the control character "
			       "0x%02X", what, c);
	return fail_at(sc, i, "expected %s, found '%c'", what, c);
}

static int fail_eof_in(struct scanner *sc, const char *kind, int line,
		       int col, char closer)
{
	return fail_at(sc, sc->i, "unexpected end of input: the %s opened at "
		       "%d:%d is not closed (a '%c' is missing; is the file "
		       "truncated?)", kind, line, col, closer);
}

static void record(struct scanner *sc, size_t off, int key_line, int key_col)
{
	struct entry *e;

	if (sc->n == sc->cap) {
		sc->cap = sc->cap ? sc->cap * 2 : 64;
		sc->ents = xrealloc(sc->ents, sc->cap * sizeof(*sc->ents));
	}
	e = &sc->ents[sc->n++];
	e->node = NULL;
	e->off = off;
	e->loc.line = sc->line;
	e->loc.col = col_of(sc, off);
	e->loc.key_line = key_line ? key_line : e->loc.line;
	e->loc.key_col = key_line ? key_col : e->loc.col;
}

static int hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Four hex digits at s[i..]; -1 when they are not. */
static long hex4(const struct scanner *sc, size_t i)
{
	long v = 0;

	if (i + 4 > sc->len)
		return -1;
	for (int k = 0; k < 4; k++) {
		int h = hexval(sc->s[i + k]);

		if (h < 0)
			return -1;
		v = v * 16 + h;
	}
	return v;
}

static const char *control_name(unsigned char c)
{
	switch (c) {
	case '\t': return "a tab: write it as \\t";
	case '\r': return "a carriage return: write it as \\r";
	case '\b': return "a backspace: write it as \\b";
	case '\f': return "a form feed: write it as \\f";
	default: return "write it as \\u00XX";
	}
}

/* A string at sc->i (which holds '"'). */
static int scan_string(struct scanner *sc)
{
	const unsigned char *s = sc->s;
	size_t len = sc->len, i = sc->i + 1, start = sc->i;

	for (;;) {
		unsigned char c;

		/* eight bytes at a time while they are plain ASCII */
		i += plain_ascii_len((const char *)s + i, len - i);
		while (i < len && (c = s[i]) >= 0x20 && c < 0x80 && c != '"' &&
		       c != '\\')
			i++;
		if (i >= len) {
			sc->i = i;
			return fail_at(sc, start, "a string that is not closed: "
				       "a '\"' is missing before the end of "
				       "input");
		}
		c = s[i];
		if (c == '"') {
			sc->i = i + 1;
			return 0;
		}
		if (c == '\\') {
			unsigned char e = i + 1 < len ? s[i + 1] : 0;
			long u, lo;

			switch (e) {
			case '"': case '\\': case '/': case 'b': case 'f':
			case 'n': case 'r': case 't':
				i += 2;
				continue;
			case 'u':
				break;
			default:
				if (i + 1 >= len)
					return fail_at(sc, start, "a string that "
						       "is not closed: a '\"' "
						       "is missing before the "
						       "end of input");
				if (e < 0x20 || e >= 0x7F)
					return fail_at(sc, i, "an invalid escape "
						       "'\\' followed by byte "
						       "0x%02X in a string", e);
				return fail_at(sc, i, "an invalid escape '\\%c' "
					       "in a string: JSON allows \\\" "
					       "\\\\ \\/ \\b \\f \\n \\r \\t "
					       "\\uXXXX (for a backslash write "
					       "\\\\)", e);
			}
			u = hex4(sc, i + 2);
			if (u < 0)
				return fail_at(sc, i, "an invalid \\u escape in "
					       "a string: it needs four hex "
					       "digits (\\u00e9)");
			if (u >= 0xDC00 && u <= 0xDFFF)
				return fail_at(sc, i, "an unpaired UTF-16 "
					       "surrogate \\u%04lX in a string",
					       (unsigned long)u);
			if (u >= 0xD800 && u <= 0xDBFF) {
				if (i + 7 >= len || s[i + 6] != '\\' ||
				    s[i + 7] != 'u' ||
				    (lo = hex4(sc, i + 8)) < 0xDC00 ||
				    lo > 0xDFFF)
					return fail_at(sc, i, "an unpaired UTF-16 "
						       "surrogate \\u%04lX in a "
						       "string (it needs a "
						       "\\uDC00-\\uDFFF after "
						       "it)", (unsigned long)u);
				i += 12;
			} else {
				i += 6;
			}
			continue;
		}
		if (c < 0x20) {
			if (c == '\n')
				return fail_at(sc, i, "a line break inside a "
					       "string (started at %d:%d): "
					       "close the string on its line, "
					       "or write the break as \\n",
					       sc->line, col_of(sc, start));
			return fail_at(sc, i, "a raw control character 0x%02X "
				       "inside a string: %s", c,
				       control_name(c));
		}
		/* c >= 0x80 */
		{
			size_t n = utf8_seq(s + i, len - i);

			if (!n)
				return fail_utf8(sc, i);
			i += n;
		}
	}
}

static int scan_number(struct scanner *sc)
{
	const unsigned char *s = sc->s;
	size_t len = sc->len, i = sc->i, start = sc->i;

	if (s[i] == '-') {
		i++;
		if (i >= len || s[i] < '0' || s[i] > '9') {
			sc->i = i;
			return fail_at(sc, start, "a '-' with no digits after "
				       "it: not a number");
		}
	}
	if (s[i] == '0') {
		i++;
		if (i < len && s[i] >= '0' && s[i] <= '9')
			return fail_at(sc, start, "a number with a leading "
				       "zero: JSON numbers do not start with 0 "
				       "(write it without the zero, or quote "
				       "it as a string)");
	} else {
		while (i < len && s[i] >= '0' && s[i] <= '9')
			i++;
	}
	if (i < len && s[i] == '.') {
		i++;
		if (i >= len || s[i] < '0' || s[i] > '9')
			return fail_at(sc, start, "a number ending in '.': "
				       "JSON needs a digit after the decimal "
				       "point");
		while (i < len && s[i] >= '0' && s[i] <= '9')
			i++;
	}
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < len && (s[i] == '+' || s[i] == '-'))
			i++;
		if (i >= len || s[i] < '0' || s[i] > '9')
			return fail_at(sc, start, "a number whose exponent has "
				       "no digits");
		while (i < len && s[i] >= '0' && s[i] <= '9')
			i++;
	}
	if (i < len && is_word_char(s[i])) {
		size_t j = i;

		while (j < len && is_word_char(s[j]))
			j++;
		return fail_at(sc, start, "'%.*s' is not a JSON number%s",
			       (int)(j - start > 40 ? 40 : j - start),
			       (const char *)s + start,
			       j - start > 1 && s[start] == '0' &&
			       (s[start + 1] == 'x' || s[start + 1] == 'X') ?
			       " (JSON has no hex numbers)" : " (quote it if it "
			       "is text)");
	}
	sc->i = i;
	return 0;
}

static int scan_literal(struct scanner *sc, const char *word)
{
	size_t n = strlen(word);

	if (sc->len - sc->i >= n && memcmp(sc->s + sc->i, word, n) == 0 &&
	    (sc->i + n >= sc->len || !is_word_char(sc->s[sc->i + n]))) {
		sc->i += n;
		return 0;
	}
	return fail_unexpected(sc, "a value");
}

static int scan_value(struct scanner *sc, int key_line, int key_col);

static int scan_object(struct scanner *sc)
{
	int oline = sc->line, ocol = col_of(sc, sc->i);
	struct jsonpos_mark comma = {0, 0, 0};
	int after_comma = 0;

	if (++sc->depth > MAX_DEPTH)
		return fail_at(sc, sc->i, "nesting deeper than %d levels",
			       MAX_DEPTH);
	sc->i++;
	skip_ws(sc);
	if (sc->i < sc->len && sc->s[sc->i] == '}') {
		sc->i++;
		sc->depth--;
		return 0;
	}
	for (;;) {
		int kline, kcol;
		size_t kstart, kend;

		if (sc->i >= sc->len)
			return fail_eof_in(sc, "object", oline, ocol, '}');
		if (sc->s[sc->i] != '"') {
			if (after_comma && sc->s[sc->i] == '}') {
				/* point at the comma: that is what to delete */
				back_to(sc, &comma);
				return fail_at(sc, comma.off, "trailing comma "
					       "before '}' (JSON allows none; "
					       "the documented examples have "
					       "one after the last field)");
			}
			if (after_comma && sc->s[sc->i] == ']')
				return fail_at(sc, sc->i, "']' where a member "
					       "name should be: the object "
					       "opened at %d:%d is not closed",
					       oline, ocol);
			return fail_unexpected(sc, "a member name");
		}
		kline = sc->line;
		kcol = col_of(sc, sc->i);
		kstart = sc->i;
		if (scan_string(sc) < 0)
			return -1;
		kend = sc->i;
		skip_ws(sc);
		if (sc->i >= sc->len || sc->s[sc->i] != ':') {
			if (sc->i >= sc->len)
				return fail_eof_in(sc, "object", oline, ocol,
						   '}');
			return fail_at(sc, sc->i, "expected ':' after the member "
				       "name %.*s", (int)(kend - kstart > 60 ?
							 60 : kend - kstart),
				       (const char *)sc->s + kstart);
		}
		sc->i++;
		skip_ws(sc);
		if (sc->i < sc->len && (sc->s[sc->i] == '}' ||
					sc->s[sc->i] == ','))
			return fail_at(sc, sc->i, "the member %.*s has no value "
				       "after ':'", (int)(kend - kstart > 60 ?
							  60 : kend - kstart),
				       (const char *)sc->s + kstart);
		if (scan_value(sc, kline, kcol) < 0)
			return -1;
		skip_ws(sc);
		if (sc->i >= sc->len)
			return fail_eof_in(sc, "object", oline, ocol, '}');
		switch (sc->s[sc->i]) {
		case ',':
			comma.off = sc->i++;
			comma.line = sc->line;
			comma.line_off = sc->line_off;
			after_comma = 1;
			skip_ws(sc);
			continue;
		case '}':
			sc->i++;
			sc->depth--;
			return 0;
		case '"':
			return fail_at(sc, sc->i, "a ',' is missing before this "
				       "member");
		case ']':
			return fail_at(sc, sc->i, "']' closes an array, but the "
				       "object opened at %d:%d is still open "
				       "(a '}' is missing)", oline, ocol);
		case '/': case '<': case '#':
			return fail_unexpected(sc, "',' or '}'");
		default:
			return fail_unexpected(sc, "',' or '}' after a member");
		}
	}
}

static int scan_array(struct scanner *sc)
{
	int aline = sc->line, acol = col_of(sc, sc->i);
	struct jsonpos_mark comma = {0, 0, 0};
	int after_comma = 0;

	if (++sc->depth > MAX_DEPTH)
		return fail_at(sc, sc->i, "nesting deeper than %d levels",
			       MAX_DEPTH);
	sc->i++;
	skip_ws(sc);
	if (sc->i < sc->len && sc->s[sc->i] == ']') {
		sc->i++;
		sc->depth--;
		return 0;
	}
	for (;;) {
		unsigned char c;

		if (sc->i >= sc->len)
			return fail_eof_in(sc, "array", aline, acol, ']');
		if (after_comma && sc->s[sc->i] == ']') {
			back_to(sc, &comma);
			return fail_at(sc, comma.off, "trailing comma before ']' "
				       "(JSON allows none; the documented "
				       "examples have one after the last "
				       "item)");
		}
		if (after_comma && sc->s[sc->i] == '}')
			return fail_at(sc, sc->i, "'}' where a value should be: "
				       "the array opened at %d:%d is not "
				       "closed", aline, acol);
		if (scan_value(sc, 0, 0) < 0)
			return -1;
		skip_ws(sc);
		if (sc->i >= sc->len)
			return fail_eof_in(sc, "array", aline, acol, ']');
		c = sc->s[sc->i];
		if (c == ',') {
			comma.off = sc->i++;
			comma.line = sc->line;
			comma.line_off = sc->line_off;
			after_comma = 1;
			skip_ws(sc);
			continue;
		}
		if (c == ']') {
			sc->i++;
			sc->depth--;
			return 0;
		}
		if (c == '}')
			return fail_at(sc, sc->i, "'}' closes an object, but the "
				       "array opened at %d:%d is still open (a "
				       "']' is missing)", aline, acol);
		if (c == '"' || c == '{' || c == '[' || c == '-' ||
		    (c >= '0' && c <= '9') || c == 't' || c == 'f' || c == 'n')
			return fail_at(sc, sc->i, "a ',' is missing between two "
				       "array items");
		return fail_unexpected(sc, "',' or ']' after an array item");
	}
}

static int scan_value(struct scanner *sc, int key_line, int key_col)
{
	unsigned char c;

	if (sc->i >= sc->len)
		return fail_unexpected(sc, "a value");
	if (sc->collect)
		record(sc, sc->i, key_line, key_col);
	c = sc->s[sc->i];
	switch (c) {
	case '{':
		return scan_object(sc);
	case '[':
		return scan_array(sc);
	case '"':
		return scan_string(sc);
	case 't':
		return scan_literal(sc, "true");
	case 'f':
		return scan_literal(sc, "false");
	case 'n':
		return scan_literal(sc, "null");
	default:
		if (c == '-' || (c >= '0' && c <= '9'))
			return scan_number(sc);
		return fail_unexpected(sc, "a value");
	}
}

/* After the one document: only whitespace may follow. */
static int scan_trailer(struct scanner *sc, int dline, int dcol)
{
	unsigned char c;
	size_t j;

	skip_ws(sc);
	if (sc->i >= sc->len)
		return 0;
	c = sc->s[sc->i];
	if (c == '/' || c == '#' || c == '<')
		return fail_unexpected(sc, "nothing");
	j = sc->i;
	if (c == ',') {
		j++;
		while (j < sc->len && (sc->s[j] == ' ' || sc->s[j] == '\t' ||
				       sc->s[j] == '\r' || sc->s[j] == '\n'))
			j++;
	}
	if (j < sc->len && (sc->s[j] == '{' || sc->s[j] == '['))
		return fail_at(sc, sc->i, "more after the JSON document that "
			       "started at %d:%d: to give several hooks, put "
			       "them in one array [{...}, {...}]", dline, dcol);
	if (c == '}' || c == ']')
		return fail_at(sc, sc->i, "an extra '%c' after the end of the "
			       "JSON document (it started at %d:%d)", c,
			       dline, dcol);
	return fail_at(sc, sc->i, "unexpected text after the end of the JSON "
		       "document (it started at %d:%d)", dline, dcol);
}

static void scanner_init(struct scanner *sc, const char *text, size_t len,
			 const char *fname, struct hd_error *err)
{
	memset(sc, 0, sizeof(*sc));
	sc->s = (const unsigned char *)text;
	sc->len = len;
	sc->line = 1;
	sc->fname = fname;
	sc->err = err;
}

int jsonpos_validate(const char *text, size_t len, const char *fname,
		     struct hd_error *err)
{
	struct scanner sc;
	int dline, dcol;
	struct hd_error spare;

	if (!err)
		err = &spare;
	scanner_init(&sc, text, len, fname, err);
	if (len >= 2 && ((sc.s[0] == 0xFF && sc.s[1] == 0xFE) ||
			 (sc.s[0] == 0xFE && sc.s[1] == 0xFF) ||
			 (sc.s[0] != 0 && sc.s[1] == 0) ||
			 (sc.s[0] == 0 && sc.s[1] != 0)))
		return fail_at(&sc, 0, "the file is UTF-16 (or binary): save "
			       "it as UTF-8");
	if (has_bom(sc.s, len))
		sc.i = sc.line_off = 3;
	skip_ws(&sc);
	if (sc.i >= len) {
		if (len == 0)
			return fail_at(&sc, 0, "empty input: no JSON document");
		return fail_at(&sc, sc.i, "no JSON document: the input holds "
			       "only whitespace");
	}
	dline = sc.line;
	dcol = col_of(&sc, sc.i);
	if (scan_value(&sc, 0, 0) < 0)
		return -1;
	return scan_trailer(&sc, dline, dcol);
}

/* --- jsonpos_validate() of a large array on several threads --- */

/* Below this size one thread validates as fast as several start. */
#define PARALLEL_MIN_BYTES (256 * 1024)
#define PARALLEL_CHUNK 64       /* elements a thread takes at a time */

struct split {
	const char *text;
	size_t *starts, *ends;
	size_t n, next;
	bool bad;
	pthread_mutex_t lock;
};

/* Is text[start, end) exactly one value as the strict scanner reads an
 * element of the top-level array (its nesting counted from 1)? */
static bool element_valid(const char *text, size_t start, size_t end)
{
	struct scanner sc;
	struct hd_error spare;

	scanner_init(&sc, text, end, "", &spare);
	sc.i = start;
	sc.depth = 1;
	return scan_value(&sc, 0, 0) == 0 && sc.i == end;
}

static void *validate_elements(void *arg)
{
	struct split *sp = arg;

	for (;;) {
		size_t from, to;

		pthread_mutex_lock(&sp->lock);
		from = sp->bad ? sp->n : sp->next;
		sp->next = from + PARALLEL_CHUNK;
		pthread_mutex_unlock(&sp->lock);
		if (from >= sp->n)
			return NULL;
		to = from + PARALLEL_CHUNK < sp->n ? from + PARALLEL_CHUNK :
		     sp->n;
		for (size_t k = from; k < to; k++)
			if (!element_valid(sp->text, sp->starts[k],
					   sp->ends[k])) {
				pthread_mutex_lock(&sp->lock);
				sp->bad = true;
				pthread_mutex_unlock(&sp->lock);
				return NULL;
			}
	}
}

long jsonpos_validate_threads(const char *text, size_t len,
			      const char *fname, struct hd_error *err,
			      int nthreads, long max, size_t **starts,
			      size_t **ends)
{
	struct split sp = {text, NULL, NULL, 0, 0, false,
			   PTHREAD_MUTEX_INITIALIZER};
	long n = -1;
	bool ok;

	*starts = *ends = NULL;
	if (nthreads >= 2 && len >= PARALLEL_MIN_BYTES)
		n = jsonpos_array_elements(text, len, &sp.starts, &sp.ends,
					   max);
	if (n < 2 * PARALLEL_CHUNK || n > max) {
		free(sp.starts);
		free(sp.ends);
		return jsonpos_validate(text, len, fname, err);
	}
	sp.n = (size_t)n;
	run_threads(nthreads < JSONPOS_MAX_THREADS ? nthreads :
		    JSONPOS_MAX_THREADS, validate_elements, &sp);
	ok = !sp.bad;
	pthread_mutex_destroy(&sp.lock);
	if (ok) {
		*starts = sp.starts;
		*ends = sp.ends;
		return (long)sp.n;
	}
	free(sp.starts);
	free(sp.ends);
	/* On any doubt the one-thread scan decides, and words the error. */
	return jsonpos_validate(text, len, fname, err);
}

/* Skips a string at s[i] == '"' in validated text; returns past it. */
static size_t skip_string(const char *s, size_t len, size_t i)
{
	i++;
	for (;;) {
		const char *q = memchr(s + i, '"', len - i);
		size_t j, nb = 0;

		if (!q)
			return len;
		j = (size_t)(q - s);
		while (j - nb > i && s[j - nb - 1] == '\\')
			nb++;
		if (nb % 2 == 0)
			return j + 1;
		i = j + 1;
	}
}

/* Skips one value of validated text at s[i]; returns past it. */
static size_t skip_value(const char *s, size_t len, size_t i)
{
	size_t depth = 0;

	if (s[i] == '"')
		return skip_string(s, len, i);
	if (s[i] != '{' && s[i] != '[') {
		while (i < len && s[i] != ',' && s[i] != ']' && s[i] != '}' &&
		       s[i] != ' ' && s[i] != '\t' && s[i] != '\r' &&
		       s[i] != '\n')
			i++;
		return i;
	}
	while (i < len) {
		char c = s[i];

		if (c == '"') {
			i = skip_string(s, len, i);
			continue;
		}
		i++;
		if (c == '{' || c == '[') {
			depth++;
		} else if (c == '}' || c == ']') {
			if (--depth == 0)
				return i;
		}
	}
	return i;
}

static size_t skip_blank(const char *s, size_t len, size_t i)
{
	while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' ||
			   s[i] == '\n'))
		i++;
	return i;
}

long jsonpos_array_elements(const char *text, size_t len, size_t **starts,
			    size_t **ends, long max)
{
	size_t i = has_bom((const unsigned char *)text, len) ? 3 : 0;
	size_t n = 0, cap = 0;

	*starts = *ends = NULL;
	i = skip_blank(text, len, i);
	if (i >= len || text[i] != '[')
		return -1;
	i = skip_blank(text, len, i + 1);
	if (i < len && text[i] == ']')
		return skip_blank(text, len, i + 1) == len ? 0 : -1;
	for (;;) {
		size_t end;

		if (i >= len || (end = skip_value(text, len, i)) <= i ||
		    end > len)
			break;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			*starts = xrealloc(*starts, cap * sizeof(**starts));
			*ends = xrealloc(*ends, cap * sizeof(**ends));
		}
		(*starts)[n] = i;
		(*ends)[n++] = end;
		if ((long)n > max)
			return (long)n;         /* the rest is not read */
		i = skip_blank(text, len, end);
		if (i < len && text[i] == ']') {
			if (skip_blank(text, len, i + 1) != len)
				break;
			return (long)n;
		}
		if (i >= len || text[i] != ',')
			break;
		i = skip_blank(text, len, i + 1);
	}
	free(*starts);
	free(*ends);
	*starts = *ends = NULL;
	return -1;
}

void jsonpos_mark_init(struct jsonpos_mark *m, const char *text, size_t len)
{
	m->off = m->line_off = has_bom((const unsigned char *)text, len) ? 3 : 0;
	m->line = 1;
}

void jsonpos_mark_advance(struct jsonpos_mark *m, const char *text,
			  size_t off)
{
	const char *p = text + m->off, *end = text + off, *nl;

	if (off <= m->off)
		return;
	while ((nl = memchr(p, '\n', (size_t)(end - p)))) {
		m->line++;
		p = nl + 1;
		m->line_off = (size_t)(p - text);
	}
	m->off = off;
}

void jsonpos_linecol(const char *text, size_t off, int *line, int *col)
{
	struct jsonpos_mark m;

	/* off bounds the scan: a BOM needs 3 bytes before it to matter */
	jsonpos_mark_init(&m, text, off >= 3 ? off : 0);
	if (off < m.off) {
		*line = 1;
		*col = 1;
		return;
	}
	jsonpos_mark_advance(&m, text, off);
	*line = m.line;
	*col = (int)(off - m.line_off) + 1;
}

/* Pre-order walk of cJSON's tree, the order the scanner recorded values. */
static void preorder(const cJSON *node, const cJSON **out, size_t *k,
		     size_t max)
{
	for (; node; node = node->next) {
		if (*k < max)
			out[*k] = node;
		(*k)++;
		if (node->type & (cJSON_Object | cJSON_Array))
			preorder(node->child, out, k, max);
	}
}

/* The slot where node is, or the empty one where it goes. */
static size_t slot_of(const struct jsonpos *pos, const cJSON *node)
{
	/* malloc() aligns nodes to 16 bytes: the low bits say nothing. */
	uint64_t h = ((uint64_t)(uintptr_t)node >> 4) * 0x9e3779b97f4a7c15ULL;
	size_t i = (size_t)(h >> 32) & (pos->cap - 1);

	while (pos->slots[i].node && pos->slots[i].node != node)
		i = (i + 1) & (pos->cap - 1);
	return i;
}

/* Pairs cJSON's nodes with the positions the scanner recorded, both in
 * pre-order, and indexes them by node (a hash set: sorting by address
 * was 1.3% of an offline check). */
static void build_index(struct jsonpos *pos, const cJSON *root,
			struct entry *ents, size_t n)
{
	const cJSON **order = xmalloc(n * sizeof(*order));
	size_t k = 0;

	if (n && ents[0].node == root) {
		/* the one-pass tree named each entry's node */
		for (k = 0; k < n; k++)
			order[k] = ents[k].node;
	} else {
		/* cJSON's root has no siblings; walk it alone. */
		if (n)
			order[k] = root;
		k = 1;
		if (root->type & (cJSON_Object | cJSON_Array))
			preorder(root->child, order, &k, n);
	}
	if (k != n) {
		/* Cannot happen when scanner and cJSON agree; without a
		 * reliable pairing, positions are better unknown than
		 * wrong. */
		free(order);
		return;
	}
	for (pos->cap = 16; pos->cap < 2 * n; pos->cap *= 2)
		;
	pos->slots = xcalloc(pos->cap, sizeof(*pos->slots));
	pos->offsets = xmalloc(n * sizeof(*pos->offsets));
	pos->locs = xmalloc(n * sizeof(*pos->locs));
	for (size_t i = 0; i < n; i++) {
		struct jsonpos_slot *sl = &pos->slots[slot_of(pos, order[i])];

		sl->node = order[i];
		sl->idx = i;
		pos->offsets[i] = ents[i].off;
		pos->locs[i] = ents[i].loc;
	}
	pos->n = n;
	free(order);
}

/* Records where every value of validated text starts, in pre-order, as
 * scan_value does with collect set, without looking for errors: no UTF-8
 * or escape checks, strings skipped with memchr (a string of valid JSON
 * holds no raw newline, so lines are counted in whitespace only). Used
 * where the whole text was validated first (hook_input_load), where it
 * halves the cost of positions. */
static void collect_valid(struct scanner *sc, int key_line, int key_col)
{
	const char *s = (const char *)sc->s;
	unsigned char c = sc->s[sc->i];

	record(sc, sc->i, key_line, key_col);
	if (c == '"') {
		sc->i = skip_string(s, sc->len, sc->i);
		return;
	}
	if (c != '{' && c != '[') {
		size_t i = sc->i;

		while (i < sc->len && s[i] != ',' && s[i] != ']' &&
		       s[i] != '}' && s[i] != ' ' && s[i] != '\t' &&
		       s[i] != '\r' && s[i] != '\n')
			i++;
		sc->i = i;
		return;
	}
	sc->i++;
	skip_ws(sc);
	if (sc->i < sc->len && sc->s[sc->i] == (c == '{' ? '}' : ']')) {
		sc->i++;
		return;
	}
	while (sc->i < sc->len) {
		if (c == '{') {
			int kline = sc->line, kcol = col_of(sc, sc->i);

			sc->i = skip_string(s, sc->len, sc->i);
			skip_ws(sc);
			sc->i++;        /* ':' */
			skip_ws(sc);
			collect_valid(sc, kline, kcol);
		} else {
			collect_valid(sc, 0, 0);
		}
		skip_ws(sc);
		if (sc->i >= sc->len)
			return;
		if (sc->s[sc->i++] != ',')
			return;         /* the closing '}' or ']' */
		skip_ws(sc);
	}
}

/* --- cJSON's tree of validated text, built in one pass ---
 *
 * What cJSON_ParseWithLength() makes of a value that jsonpos_validate()
 * accepted, node for node: the same types, strings (escapes decoded, \u
 * to UTF-8), numbers (strtod of the same characters, with the locale's
 * decimal point, valueint saturated), member names in ->string, and
 * cJSON's links (->prev of the first child is the last one). The nodes
 * come from cJSON_malloc(), so cJSON_Delete() frees them. Built this way,
 * the tree costs one pass over the text instead of cJSON's parse plus the
 * positions walk; with sc->collect the positions are recorded as it goes.
 * A value this builder does not take on (a number of 63 characters or
 * more, which cJSON cuts short; nesting past cJSON's limit; no memory)
 * makes it give up, and the caller parses with cJSON as before. */

struct tree {
	struct scanner *sc;
	char point;             /* the locale's decimal point (cJSON's) */
};

static cJSON *tree_node(int type)
{
	cJSON *n = cJSON_malloc(sizeof(*n));

	if (n) {
		memset(n, 0, sizeof(*n));
		n->type = type;
	}
	return n;
}

/* UTF-8 of code point cp at o, as cJSON writes it; returns past it. */
static char *put_utf8(char *o, unsigned long cp)
{
	if (cp < 0x80) {
		*o++ = (char)cp;
	} else if (cp < 0x800) {
		*o++ = (char)(0xC0 | (cp >> 6));
		*o++ = (char)(0x80 | (cp & 0x3F));
	} else if (cp < 0x10000) {
		*o++ = (char)(0xE0 | (cp >> 12));
		*o++ = (char)(0x80 | ((cp >> 6) & 0x3F));
		*o++ = (char)(0x80 | (cp & 0x3F));
	} else {
		*o++ = (char)(0xF0 | (cp >> 18));
		*o++ = (char)(0x80 | ((cp >> 12) & 0x3F));
		*o++ = (char)(0x80 | ((cp >> 6) & 0x3F));
		*o++ = (char)(0x80 | (cp & 0x3F));
	}
	return o;
}

/* The string at sc->i ('"'), decoded into cJSON_malloc()'d memory; the
 * scanner moves past it. NULL: give up. */
static char *tree_string(struct scanner *sc)
{
	const char *s = (const char *)sc->s;
	size_t i = sc->i + 1, close = skip_string(s, sc->len, sc->i) - 1;
	char *out, *o;

	if (close >= sc->len || s[close] != '"' ||
	    !(out = cJSON_malloc(close - i + 1)))
		return NULL;
	o = out;
	while (i < close) {
		const char *bs = memchr(s + i, '\\', close - i);
		size_t run = bs ? (size_t)(bs - s) - i : close - i;
		long u, lo;

		memcpy(o, s + i, run);
		o += run;
		i += run;
		if (i >= close)
			break;
		switch (s[i + 1]) {
		case 'b': *o++ = '\b'; i += 2; continue;
		case 'f': *o++ = '\f'; i += 2; continue;
		case 'n': *o++ = '\n'; i += 2; continue;
		case 'r': *o++ = '\r'; i += 2; continue;
		case 't': *o++ = '\t'; i += 2; continue;
		case '"': case '\\': case '/':
			*o++ = s[i + 1];
			i += 2;
			continue;
		case 'u':
			break;
		default:
			cJSON_free(out);
			return NULL;
		}
		u = hex4(sc, i + 2);
		if (u < 0 || (u >= 0xDC00 && u <= 0xDFFF)) {
			cJSON_free(out);
			return NULL;
		}
		if (u >= 0xD800 && u <= 0xDBFF) {
			if (i + 12 > close || s[i + 6] != '\\' ||
			    s[i + 7] != 'u' || (lo = hex4(sc, i + 8)) < 0xDC00 ||
			    lo > 0xDFFF) {
				cJSON_free(out);
				return NULL;
			}
			o = put_utf8(o, 0x10000 + ((((unsigned long)u & 0x3FF)
						    << 10) | ((unsigned long)lo & 0x3FF)));
			i += 12;
		} else {
			o = put_utf8(o, (unsigned long)u);
			i += 6;
		}
	}
	*o = '\0';
	sc->i = close + 1;
	return out;
}

/* A number at sc->i, parsed as cJSON's parse_number parses it. */
static bool tree_number(struct tree *t, cJSON *n)
{
	struct scanner *sc = t->sc;
	char buf[64], *after;
	size_t k = 0, i = sc->i;
	double d;

	for (; i < sc->len; i++) {
		char c = (char)sc->s[i];

		if (!((c >= '0' && c <= '9') || c == '+' || c == '-' ||
		      c == 'e' || c == 'E' || c == '.'))
			break;
		if (k == sizeof(buf) - 2)
			return false;   /* cJSON reads 63 characters at most */
		buf[k++] = c == '.' ? t->point : c;
	}
	buf[k] = '\0';
	d = strtod(buf, &after);
	if (k == 0 || after != buf + k)
		return false;
	n->type = cJSON_Number;
	n->valuedouble = d;
	if (d >= INT_MAX)
		n->valueint = INT_MAX;
	else if (d <= (double)INT_MIN)
		n->valueint = INT_MIN;
	else
		n->valueint = (int)d;
	sc->i = i;
	return true;
}

static cJSON *tree_value(struct tree *t, int key_line, int key_col);

/* The members or elements of the object or array n, at sc->i ('{' or
 * '['). */
static bool tree_children(struct tree *t, cJSON *n, bool obj)
{
	struct scanner *sc = t->sc;
	const char *s = (const char *)sc->s;
	cJSON *tail = NULL;

	if (++sc->depth > CJSON_NESTING_LIMIT)
		return false;
	sc->i++;
	skip_ws(sc);
	if (sc->i < sc->len && s[sc->i] == (obj ? '}' : ']')) {
		sc->i++;
		sc->depth--;
		return true;
	}
	while (sc->i < sc->len) {
		cJSON *c;

		if (obj) {
			int kline = sc->line, kcol = col_of(sc, sc->i);
			char *key;

			if (s[sc->i] != '"' || !(key = tree_string(sc)))
				return false;
			skip_ws(sc);
			sc->i++;        /* ':' */
			skip_ws(sc);
			c = tree_value(t, kline, kcol);
			if (!c) {
				cJSON_free(key);
				return false;
			}
			c->string = key;
		} else if (!(c = tree_value(t, 0, 0))) {
			return false;
		}
		if (tail) {
			tail->next = c;
			c->prev = tail;
		} else {
			n->child = c;
		}
		tail = c;
		n->child->prev = tail;
		skip_ws(sc);
		if (sc->i >= sc->len)
			return false;
		if (s[sc->i++] != ',') {
			sc->depth--;
			return true;    /* the closing '}' or ']' */
		}
		skip_ws(sc);
	}
	return false;
}

/* The value at sc->i, as a node; NULL: give up (what was built is freed). */
static cJSON *tree_value(struct tree *t, int key_line, int key_col)
{
	struct scanner *sc = t->sc;
	const char *s = (const char *)sc->s + sc->i;
	size_t left = sc->len - sc->i;
	cJSON *n;
	bool ok;

	if (sc->i >= sc->len || !(n = tree_node(cJSON_Invalid)))
		return NULL;
	if (sc->collect) {
		record(sc, sc->i, key_line, key_col);
		sc->ents[sc->n - 1].node = n;
	}
	switch (*s) {
	case '"':
		n->type = cJSON_String;
		ok = (n->valuestring = tree_string(sc)) != NULL;
		break;
	case '{':
	case '[':
		n->type = *s == '{' ? cJSON_Object : cJSON_Array;
		ok = tree_children(t, n, *s == '{');
		break;
	case 't':
		n->type = cJSON_True;
		n->valueint = 1;
		ok = left >= 4 && memcmp(s, "true", 4) == 0;
		sc->i += 4;
		break;
	case 'f':
		n->type = cJSON_False;
		ok = left >= 5 && memcmp(s, "false", 5) == 0;
		sc->i += 5;
		break;
	case 'n':
		n->type = cJSON_NULL;
		ok = left >= 4 && memcmp(s, "null", 4) == 0;
		sc->i += 4;
		break;
	default:
		ok = tree_number(t, n);
		break;
	}
	if (!ok) {
		cJSON_Delete(n);
		return NULL;
	}
	return n;
}

/* The tree of the value at sc->i, or NULL to let cJSON parse it. */
static cJSON *tree_build(struct scanner *sc)
{
	struct tree t = {sc, *localeconv()->decimal_point};

	return tree_value(&t, 0, 0);
}

cJSON *jsonpos_tree_valid(const char *text, size_t start, size_t end)
{
	struct scanner sc;
	cJSON *root;

	scanner_init(&sc, text, end, NULL, NULL);
	sc.i = start;
	if (has_bom(sc.s + start, end - start))      /* as cJSON skips it */
		sc.i += 3;
	skip_ws(&sc);
	root = sc.i < end ? tree_build(&sc) : NULL;
	return root ? root : cJSON_ParseWithLength(text + start, end - start);
}

static cJSON *parse_at(const char *text, const struct jsonpos_mark *at,
		       size_t end, const char *fname, struct jsonpos *pos,
		       struct hd_error *err, bool valid);

cJSON *jsonpos_parse_at(const char *text, const struct jsonpos_mark *at,
			size_t end, const char *fname, struct jsonpos *pos,
			struct hd_error *err)
{
	return parse_at(text, at, end, fname, pos, err, false);
}

cJSON *jsonpos_parse_valid_at(const char *text,
			      const struct jsonpos_mark *at, size_t end,
			      const char *fname, struct jsonpos *pos,
			      struct hd_error *err)
{
	return parse_at(text, at, end, fname, pos, err, true);
}

static cJSON *parse_at(const char *text, const struct jsonpos_mark *at,
		       size_t end, const char *fname, struct jsonpos *pos,
		       struct hd_error *err, bool valid)
{
	struct scanner sc;
	size_t vstart;
	int dline, dcol;
	cJSON *root;

	memset(pos, 0, sizeof(*pos));
	pos->text = text;
	pos->len = end;
	pos->base = at->off;
	scanner_init(&sc, text, end, fname, err);
	sc.i = at->off;
	sc.line = at->line;
	sc.line_off = at->line_off;
	if (sc.i == 0 && has_bom(sc.s, end))
		sc.i = sc.line_off = 3;
	sc.collect = 1;
	skip_ws(&sc);
	if (sc.i >= end) {
		fail_at(&sc, sc.i, "empty input: no JSON document");
		return NULL;
	}
	vstart = sc.i;
	dline = sc.line;
	dcol = col_of(&sc, sc.i);
	root = NULL;
	if (valid) {
		struct scanner before = sc;

		root = tree_build(&sc);
		if (!root) {            /* cJSON's parse, and the walk */
			free(sc.ents);
			sc = before;
			collect_valid(&sc, 0, 0);
		}
	} else if (scan_value(&sc, 0, 0) < 0 ||
		   scan_trailer(&sc, dline, dcol) < 0) {
		free(sc.ents);
		return NULL;
	}
	if (!root)
		root = cJSON_ParseWithLength(text + vstart, end - vstart);
	if (!root) {
		hd_error_set(err, "%s:%d:%d: cJSON could not parse this JSON "
			     "(out of memory?)", fname, dline, dcol);
		free(sc.ents);
		return NULL;
	}
	build_index(pos, root, sc.ents, sc.n);
	free(sc.ents);
	return root;
}

cJSON *jsonpos_parse(const char *text, size_t start, size_t end,
		     const char *fname, struct jsonpos *pos,
		     struct hd_error *err)
{
	struct jsonpos_mark m;

	jsonpos_mark_init(&m, text, end);
	if (start < m.off)
		start = m.off;
	jsonpos_mark_advance(&m, text, start);
	return jsonpos_parse_at(text, &m, end, fname, pos, err);
}

static const struct jsonpos_loc *find(const struct jsonpos *pos,
				      const cJSON *node, size_t *idx)
{
	const struct jsonpos_slot *sl;

	if (!pos || !pos->n)
		return NULL;
	sl = &pos->slots[slot_of(pos, node)];
	if (!sl->node)
		return NULL;
	if (idx)
		*idx = sl->idx;
	return &pos->locs[sl->idx];
}

void jsonpos_where(const struct jsonpos *pos, const cJSON *node, int *line,
		   int *col)
{
	const struct jsonpos_loc *l = node ? find(pos, node, NULL) : NULL;

	*line = l ? l->line : 0;
	*col = l ? l->col : 0;
}

void jsonpos_where_key(const struct jsonpos *pos, const cJSON *node,
		       int *line, int *col)
{
	const struct jsonpos_loc *l = node ? find(pos, node, NULL) : NULL;

	*line = l ? l->key_line : 0;
	*col = l ? l->key_col : 0;
}

int jsonpos_offset(const struct jsonpos *pos, const cJSON *node, size_t *off)
{
	size_t idx;

	if (!node || !find(pos, node, &idx))
		return 0;
	*off = pos->offsets[idx];
	return 1;
}

void jsonpos_free(struct jsonpos *pos)
{
	if (!pos)
		return;
	free(pos->slots);
	free(pos->offsets);
	free(pos->locs);
	pos->slots = NULL;
	pos->cap = 0;
	pos->offsets = NULL;
	pos->locs = NULL;
	pos->n = 0;
}
