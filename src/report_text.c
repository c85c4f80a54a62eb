/*
 * report_text.c - the human report: per hook a heading, then its checks as
 * a checklist grouped by family, then the pipeline-level checks per
 * repository, then one summary line. It decides nothing: it prints the
 * findings it is given, every string through redact.c first. Colour only
 * when opts->use_color; the output is plain ASCII apart from what the
 * hook itself holds (control characters are escaped).
 *
 *   hook "commit status" (file:hook.json#0)  provider: GitHub  fires on: ...
 *     hook
 *       ok    HD101  pipeline-id          pipeline 42 is a positive integer
 *       FAIL  HD111  target-url           target_url uses http
 *             fix: use https://api.github.com/...
 *
 * Also home of report_redacted(), which both reporters use for evidence.
 */
#include "report.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "redact.h"
#include "rules.h"
#include "util.h"

#define C_RESET "\033[0m"
#define C_BOLD "\033[1m"
#define C_DIM "\033[2m"
#define C_GREEN "\033[32m"
#define C_YELLOW "\033[33m"
#define C_RED "\033[1;31m"

#define NAME_WIDTH 20           /* longest check name is 19 */

/* Family order of the checklist (CHECKS.md order). */
static const char *const families[] = {
	"hook", "template", "request", "status", "network", "provider",
	"history",
};
#define NFAMILIES (sizeof(families) / sizeof(families[0]))

/* --- evidence redaction (shared with report_json.c) --- */

/* "Name: value" lines: each value redacted as that header's. */
static char *redact_header_lines(const char *v)
{
	struct sbuf b = {0};

	while (*v) {
		size_t len = strcspn(v, "\r\n"), name = 0;
		char *line = xstrndup(v, len), *out;

		while (line[name] && (isalnum((unsigned char)line[name]) ||
				      strchr("!#$%&'*+-.^_`|~", line[name])))
			name++;
		if (name && line[name] == ':') {
			size_t val = name + 1;

			while (line[val] == ' ' || line[val] == '\t')
				val++;
			line[name] = '\0';
			out = redact_header(line, line + val);
			sbuf_addn(&b, v, val);
			sbuf_add(&b, out);
		} else {
			out = redact_text(line);
			sbuf_add(&b, out);
		}
		free(out);
		free(line);
		v += len;
		while (*v == '\r' || *v == '\n')
			sbuf_addc(&b, *v++);
	}
	return sbuf_detach(&b);
}

/* JSON text: masked by key where that changes anything, else as text. */
static char *redact_json_text(const char *v)
{
	cJSON *orig = cJSON_Parse(v), *copy;
	char *out, *printed;

	if (!orig || !(cJSON_IsObject(orig) || cJSON_IsArray(orig))) {
		cJSON_Delete(orig);
		return redact_text(v);
	}
	copy = cJSON_Duplicate(orig, true);
	redact_json(copy);
	if (cJSON_Compare(orig, copy, true)) {
		out = redact_text(v);   /* keep the text as it was written */
	} else {
		printed = cJSON_PrintUnformatted(copy);
		out = xstrdup(printed ? printed : "");
		cJSON_free(printed);
	}
	cJSON_Delete(orig);
	cJSON_Delete(copy);
	return out;
}

/* What an evidence key says about its value. */
enum key_kind { KEY_PLAIN, KEY_HEADERS, KEY_SECRET, KEY_URL };

static enum key_kind key_kind_of(const char *key)
{
	char low[64];
	size_t n = strlen(key);

	/* the key lower-cased (at most 63 bytes), for the words */
	if (n >= sizeof(low))
		n = sizeof(low) - 1;
	for (size_t i = 0; i < n; i++)
		low[i] = (char)tolower((unsigned char)key[i]);
	low[n] = '\0';
	if (strstr(low, "header"))
		return KEY_HEADERS;
	if (redact_is_secret_key(key))
		return KEY_SECRET;
	if (strstr(low, "url") || strstr(low, "link") ||
	    strstr(low, "location") || strstr(low, "uri") ||
	    strstr(low, "href") || strstr(low, "endpoint"))
		return KEY_URL;
	return KEY_PLAIN;
}

/* key_kind_of() for the keys seen last on this thread: checks use a
 * handful of keys, and judging each one again for each of 10,000 hooks
 * was a tenth of a report (tools/bench.sh). */
static enum key_kind key_kind_cached(const char *key)
{
	enum { NKEYS = 32, KEYLEN = 32 };
	static _Thread_local struct {
		char key[KEYLEN];
		unsigned char len;
		enum key_kind kind;
	} seen[NKEYS];
	static _Thread_local unsigned nseen, next;
	size_t n = strlen(key);
	enum key_kind kind;

	if (n >= KEYLEN)
		return key_kind_of(key);
	/* length and first byte before memcmp: most keys differ there */
	for (unsigned i = 0; i < nseen; i++)
		if (seen[i].len == n && seen[i].key[0] == key[0] &&
		    memcmp(seen[i].key, key, n) == 0)
			return seen[i].kind;
	kind = key_kind_of(key);
	memcpy(seen[next].key, key, n + 1);
	seen[next].len = (unsigned char)n;
	seen[next].kind = kind;
	next = (next + 1) % NKEYS;
	if (nseen < NKEYS)
		nseen++;
	return kind;
}

const char *report_redacted_shared(const char *key, const char *value,
				   char **owned)
{
	*owned = NULL;
	if (!value)
		return "";
	switch (key_kind_cached(key ? key : "")) {
	case KEY_HEADERS:
		return *owned = redact_header_lines(value);
	case KEY_SECRET:
		return *owned = redact_header(key, value);
	case KEY_URL:
		if (!strpbrk(value, " \t\r\n"))
			return redact_url_shared(value, owned);
		break;
	case KEY_PLAIN:
		break;
	}
	if (value[0] == '{' || value[0] == '[')
		return *owned = redact_json_text(value);
	return redact_text_shared(value, owned);
}

char *report_redacted(const char *key, const char *value)
{
	char *owned;
	const char *v = report_redacted_shared(key, value, &owned);

	return owned ? owned : xstrdup(v);
}

/* --- output helpers --- */

static void color(const struct reporter *r, const char *code)
{
	if (r->opts && r->opts->use_color)
		fputs(code, r->out);
}

/* n spaces, none when n <= 0. Not fprintf("%*s", n, ""): parsing that
 * format on every line was a tenth of a 10,000-hook text report. */
static void put_spaces(FILE *out, int n)
{
	static const char spaces[] = "                                ";

	for (; n > 0; n -= (int)sizeof(spaces) - 1)
		fwrite(spaces, 1, n < (int)sizeof(spaces) - 1 ? (size_t)n :
		       sizeof(spaces) - 1, out);
}

/* Writes s with control characters escaped, and the invisible or
 * reordering ones (utf8_hidden_char) as \uXXXX; a newline continues on
 * the next line at indent. Runs of plain bytes go out in one call. */
static void put_clean(FILE *out, const char *s, int indent)
{
	const char *run = s, *end = s + strlen(s);

	for (;; s++) {
		unsigned char c;
		unsigned cp;
		size_t hn;

		s += plain_ascii_len(s, (size_t)(end - s));
		if (s == end)
			break;
		c = (unsigned char)*s;
		if (c >= 0x20 && c != 0x7f &&
		    (c < 0xc2 || !utf8_hidden_char(s, &cp)))
			continue;
		if (s > run)
			fwrite(run, 1, (size_t)(s - run), out);
		run = s + 1;
		if ((hn = report_put_hidden(out, s))) {
			s += hn - 1;
			run = s + 1;
		} else if (c == '\n') {
			fputc('\n', out);
			put_spaces(out, indent);
		} else if (c == '\t')
			fputc(' ', out);
		else if (c == '\r')
			fputs("\\r", out);
		else
			fprintf(out, "\\x%02x", c);
	}
	if (s > run)
		fwrite(run, 1, (size_t)(s - run), out);
}

/* Redacts text and writes it cleanly. */
static void put_text(FILE *out, const char *s, int indent)
{
	char *owned;

	put_clean(out, redact_text_shared(s ? s : "", &owned), indent);
	free(owned);
}

/* put_text() for what stands on a line with other things (a hook's name,
 * a source, a repository): a newline is escaped too, so a hostile name
 * cannot start a line of its own (tests/hostile). */
static void put_text_line(FILE *out, const char *s)
{
	char *red = redact_text(s ? s : ""), *p = red, *nl;

	while ((nl = strchr(p, '\n')) != NULL) {
		*nl = '\0';
		put_clean(out, p, 0);
		fputs("\\n", out);
		p = nl + 1;
	}
	put_clean(out, p, 0);
	free(red);
}

static bool shown(const struct reporter *r, const struct finding *f)
{
	return !r->opts || !r->opts->quiet || f->status == CS_WARN ||
	       f->status == CS_FAIL;
}

static void note_problem(struct reporter *r, const struct finding *f)
{
	if (f->status == CS_FAIL && !r->first_fail)
		r->first_fail = f->def;
	if (f->status == CS_WARN && !r->first_warn)
		r->first_warn = f->def;
}

/* The mark column: "✓ ! ✗ –" in a UTF-8 locale, else "ok warn FAIL
 * skip" padded to 4. */
static void put_mark(struct reporter *r, enum check_status st)
{
	static const char *const colors[] = {C_GREEN, C_YELLOW, C_RED, C_DIM};
	const char *m = report_mark(st, r->utf8);

	color(r, colors[st]);
	fputs(m, r->out);
	if (!r->utf8)
		put_spaces(r->out, 4 - (int)strlen(m));
	color(r, C_RESET);
}

/* Width of the mark column. */
static int mark_width(const struct reporter *r)
{
	return r->utf8 ? 1 : 4;
}

static void put_evidence(struct reporter *r, const cJSON *ev, int indent)
{
	for (const cJSON *e = ev ? ev->child : NULL; e; e = e->next) {
		const char *key = e->string ? e->string : "";
		char *val = report_evidence_value(e);

		put_spaces(r->out, indent);
		color(r, C_DIM);
		put_text(r->out, key, indent);
		fputs(": ", r->out);
		put_clean(r->out, val, indent + 2);
		color(r, C_RESET);
		fputc('\n', r->out);
		free(val);
	}
}

static void put_finding(struct reporter *r, const struct finding *f,
			int indent)
{
	const struct check_def *d = f->def;
	const char *name = d ? d->name : "?";
	bool verbose = r->opts && r->opts->verbose;
	int sub = indent + mark_width(r) + 2;   /* under the ID */

	put_spaces(r->out, indent);
	put_mark(r, f->status);
	fputs("  ", r->out);
	fputs(d ? d->id : "HD???", r->out);
	fputs("  ", r->out);
	fputs(name, r->out);
	put_spaces(r->out, NAME_WIDTH - (int)strlen(name));
	fputc(' ', r->out);
	put_text(r->out, f->message, sub);
	fputc('\n', r->out);
	if (f->hint && *f->hint &&
	    (f->status == CS_WARN || f->status == CS_FAIL || verbose)) {
		bool fix = f->status == CS_WARN || f->status == CS_FAIL;

		put_spaces(r->out, sub);
		fputs(fix ? "fix: " : "hint: ", r->out);
		put_text(r->out, f->hint, sub + (fix ? 5 : 6));
		fputc('\n', r->out);
	}
	if (verbose) {
		put_evidence(r, f->evidence, sub);
	} else {
		/* A delivery timeline (HD702 evidence) is worth a glance
		 * without -v. */
		const cJSON *tl = cJSON_GetObjectItemCaseSensitive(f->evidence,
								   "timeline");

		if (cJSON_IsString(tl) && *tl->valuestring) {
			fprintf(r->out, "%*slatest deliveries:\n%*s", sub, "",
				sub + 2, "");
			put_text(r->out, tl->valuestring, sub + 2);
			fputc('\n', r->out);
		}
	}
}

/* The index of a finding's family in families[], NFAMILIES for none. */
static size_t family_of(const struct finding *f)
{
	const char *ff = f->def ? f->def->family : NULL;

	for (size_t i = 0; ff && i < NFAMILIES; i++)
		if (strcmp(ff, families[i]) == 0)
			return i;
	return NFAMILIES;
}

/* Prints the findings of family k of families[] (or, with k NFAMILIES,
 * those of no known family) under a family line; fam[i] is family_of()
 * of f[i]. */
static void put_family(struct reporter *r, size_t k, const unsigned char *fam,
		       const struct finding *f, size_t n)
{
	bool head = false;

	for (size_t i = 0; i < n; i++) {
		if (fam[i] != k)
			continue;
		if (!shown(r, &f[i]))
			continue;
		if (!head) {
			fprintf(r->out, "  ");
			color(r, C_BOLD);
			fputs(k < NFAMILIES ? families[k] : "other", r->out);
			color(r, C_RESET);
			fputc('\n', r->out);
			head = true;
		}
		put_finding(r, &f[i], 4);
	}
}

static bool any_shown(const struct reporter *r, const struct finding *f,
		      size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (shown(r, &f[i]))
			return true;
	return false;
}

static void separate(struct reporter *r)
{
	if (r->first)
		r->first = 0;
	else
		fputc('\n', r->out);
}

/* -v: what each online step sent and got back, redacted. */
static void put_step(struct reporter *r, const char *step, double ms,
		     bool ok, const char *err)
{
	fprintf(r->out, "    %-8s", step);
	if (ms >= 0)
		fprintf(r->out, " %7.1f ms", ms);
	else
		fputs("        --", r->out);
	fputs(ok ? "  " : "  failed: ", r->out);
	if (!ok)
		put_text(r->out, err ? err : "no detail", 24);
}

static void put_probe(struct reporter *r, const struct net_result *n)
{
	char *u;

	fputs("  ", r->out);
	color(r, C_BOLD);
	fputs("probe", r->out);
	color(r, C_RESET);
	fputs(" (what hookdoctor sent and got back, redacted)\n", r->out);
	if (n->url_error) {
		fputs("    not probed: ", r->out);
		put_text(r->out, n->url_error, 4);
		fputc('\n', r->out);
		return;
	}
	put_step(r, "dns", n->t_dns, n->dns_ok || n->ip_literal, n->dns_error);
	for (size_t i = 0; i < n->naddrs; i++)
		fprintf(r->out, "%s%s (%s)", i ? ", " : "", n->addrs[i].text,
			net_addr_class_name(n->addrs[i].cls));
	fputc('\n', r->out);
	if (n->t_connect >= 0 || n->connect_error) {
		put_step(r, "connect", n->t_connect, n->connect_ok,
			 n->connect_error);
		if (n->connect_ok && n->connected_ip)
			fprintf(r->out, "%s port %d", n->connected_ip,
				n->connected_port);
		fputc('\n', r->out);
	}
	if (n->tls_attempted) {
		put_step(r, "tls", n->t_tls, n->tls_ok, n->tls_error);
		if (n->tls_ok) {
			put_text(r->out, n->tls_version ? n->tls_version : "", 4);
			fputc(' ', r->out);
			put_text(r->out, n->tls_cipher ? n->tls_cipher : "", 4);
			fprintf(r->out, ", chain %s, hostname %s",
				n->chain_ok ? "verified" : "not verified",
				n->hostname_ok ? "matches" : "does not match");
		}
		fputc('\n', r->out);
	}
	if (n->http_method && (n->http_ok || n->http_error)) {
		u = redact_url(n->http_url ? n->http_url : "");
		fputs("    > ", r->out);
		put_text(r->out, n->http_method, 6);
		fputc(' ', r->out);
		put_clean(r->out, u, 6);
		if (n->http_why) {
			fputs("  (", r->out);
			put_text(r->out, n->http_why, 6);
			fputc(')', r->out);
		}
		fputc('\n', r->out);
		free(u);
		fputs("    < ", r->out);
		if (n->http_ok) {
			put_text(r->out, n->http_version ? n->http_version
							 : "HTTP", 6);
			fprintf(r->out, " %ld", n->http_status);
			if (n->t_first_byte >= 0)
				fprintf(r->out, ", first byte in %.1f ms",
					n->t_first_byte);
			if (n->location) {
				u = redact_url(n->location);
				fputs(", Location: ", r->out);
				put_clean(r->out, u, 6);
				free(u);
			}
		} else {
			fputs("no answer: ", r->out);
			put_text(r->out, n->http_error, 6);
		}
		fputc('\n', r->out);
	}
}

/* --- reporter hooks --- */

static void text_begin(struct reporter *r)
{
	r->first = 1;
}

static void text_hook(struct reporter *r, const struct analysis *a,
		      const struct finding *f, size_t n)
{
	const struct hook *h = a->hook;
	unsigned char *fam;

	for (size_t i = 0; i < n; i++)
		note_problem(r, &f[i]);
	if (!any_shown(r, f, n) && r->opts && r->opts->quiet)
		return;
	separate(r);
	color(r, C_BOLD);
	if (h && h->name) {
		fputs("hook \"", r->out);
		put_text_line(r->out, h->name);
		fputc('"', r->out);
	} else {
		fprintf(r->out, "hook #%d (unnamed)", h ? h->index : 0);
	}
	color(r, C_RESET);
	if (h && h->source) {
		fputs(" (", r->out);
		put_text_line(r->out, h->source);
		fputc(')', r->out);
	}
	fputs("  provider: ", r->out);
	if (a->provider) {
		put_text(r->out, a->provider->title ? a->provider->title
						    : a->provider->name, 0);
		if (a->provider_forced)
			fputs(" (--provider)", r->out);
	} else {
		fputs("not recognised", r->out);
	}
	fputs("  fires on: ", r->out);
	{
		char *w = report_fires_on(a);

		put_clean(r->out, w, 0);
		free(w);
	}
	fputc('\n', r->out);
	if (r->opts && r->opts->verbose && a->net)
		put_probe(r, a->net);

	fam = xmalloc(n ? n : 1);
	for (size_t i = 0; i < n; i++)
		fam[i] = (unsigned char)family_of(&f[i]);
	for (size_t k = 0; k <= NFAMILIES; k++)
		put_family(r, k, fam, f, n);
	free(fam);
}

static void text_pipeline_begin(struct reporter *r)
{
	(void)r;
}

static void text_pipeline(struct reporter *r, const struct group *g,
			  const struct finding *f, size_t n)
{
	for (size_t i = 0; i < n; i++)
		note_problem(r, &f[i]);
	if (!any_shown(r, f, n) && r->opts && r->opts->quiet)
		return;
	separate(r);
	color(r, C_BOLD);
	fputs("repository ", r->out);
	put_text_line(r->out, g->repo ? g->repo : "(unknown)");
	color(r, C_RESET);
	if (g->provider) {
		fputs(" (", r->out);
		put_text(r->out, g->provider->title ? g->provider->title
						    : g->provider->name, 0);
		fputc(')', r->out);
	}
	fprintf(r->out, ": %zu hook%s", g->nmembers,
		g->nmembers == 1 ? "" : "s");
	if (g->pipeline_id) {
		fputs(" of pipeline ", r->out);
		put_text_line(r->out, g->pipeline_id);
	} else {
		fputs(" without a pipeline_id", r->out);
	}
	for (size_t i = 0; i < g->nmembers && i < 3; i++) {
		const char *nm = g->members[i].hook_name;

		fputs(i ? ", " : " (", r->out);
		if (nm) {
			fputc('"', r->out);
			put_text_line(r->out, nm);
			fputc('"', r->out);
		} else {
			fputs("unnamed", r->out);
		}
	}
	if (g->nmembers > 3)
		fprintf(r->out, " and %zu more", g->nmembers - 3);
	if (g->nmembers)
		fputc(')', r->out);
	fputc('\n', r->out);
	for (size_t i = 0; i < n; i++)
		if (shown(r, &f[i]))
			put_finding(r, &f[i], 2);
}

static void put_count(struct reporter *r, unsigned long n, const char *what,
		      const char *code, bool *sep)
{
	fputs(*sep ? ", " : "", r->out);
	*sep = true;
	if (n)
		color(r, code);
	fprintf(r->out, "%lu %s", n, what);
	if (n)
		color(r, C_RESET);
}

static void text_end(struct reporter *r, const struct summary *s)
{
	const struct check_def *d = r->first_fail ? r->first_fail
						  : r->first_warn;
	bool sep = false;

	if (!r->first)
		fputc('\n', r->out);
	fprintf(r->out, "%lu hook%s checked: ", s->hooks,
		s->hooks == 1 ? "" : "s");
	put_count(r, s->pass, "passed", C_GREEN, &sep);
	put_count(r, s->warn, s->warn == 1 ? "warning" : "warnings",
		  C_YELLOW, &sep);
	put_count(r, s->fail, "failed", C_RED, &sep);
	put_count(r, s->skip, "skipped", C_DIM, &sep);
	fputc('\n', r->out);
	if (d)
		fprintf(r->out, "see 'hookdoctor explain %s' for the first %s "
			"(%s)\n", d->id, r->first_fail ? "failure" : "warning",
			d->name);
	else if (s->hooks && r->opts && r->opts->offline)
		fputs("nothing to fix offline; run without --offline to check "
		      "the network and TLS of the target too\n", r->out);
	else if (s->hooks)
		fputs("nothing to fix\n", r->out);
	fflush(r->out);
}

void report_text_init(struct reporter *r, FILE *out, const struct options *o)
{
	memset(r, 0, sizeof(*r));
	r->out = out;
	r->opts = o;
	r->first = 1;
	r->sep = "\n";       /* what separate() writes between two hooks */
	r->utf8 = report_locale_utf8();
	r->begin = text_begin;
	r->hook = text_hook;
	r->pipeline_begin = text_pipeline_begin;
	r->pipeline = text_pipeline;
	r->end = text_end;
}
