/*
 * cmd_report.c - `hookdoctor report [SOURCE] -o PATH`: the support report
 * a user attaches to a ticket. It runs exactly what `check` runs (through
 * cmd_check_with() and a reporter of its own) and writes three files:
 *
 *   PATH.md    Markdown: summary, environment, then per hook its findings
 *              with their fixes, the hook, the rendered requests, network
 *              and TLS facts and delivery history; then the repositories
 *   PATH.json  the same as one JSON document (docs/report.md)
 *   PATH.html  one self-contained page: the same, plus an inline SVG
 *              timing waterfall per target and the status timeline per
 *              identity; no script, no external asset
 *
 * Everything written passes through redact.c. The files are written to
 * temporary files beside PATH and renamed into place only when all three
 * are complete, so a reader never sees half a report. The exit status is
 * the one `check` would give, or 3 when the files cannot be written.
 *
 * It decides nothing: the findings are the checks'; this only arranges
 * them. Facts it shows beyond them (a->net, a->api) are shown only when
 * the online parts collected them.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>
#include "analyse.h"
#include "check.h"
#include "cmd.h"
#include "hook.h"
#include "net.h"
#include "openssl.h"
#include "redact.h"
#include "render_out.h"
#include "report.h"
#include "rules.h"
#include "util.h"

#ifndef HD_VERSION
#define HD_VERSION "0.0.0-dev"
#endif

#define MAX_TARGETS 64          /* waterfall rows */
#define MAX_LANES 200           /* timeline rows */

enum { F_MD, F_JSON, F_HTML, F_COUNT };
static const char *const ext[F_COUNT] = {".md", ".json", ".html"};

/* One row of the waterfall: a target's step times (ms, -1 not reached). */
struct target {
	char *label;            /* scheme://host:port, redacted */
	double t_dns, t_connect, t_tls, t_first_byte;
	char *failed;           /* "DNS: ..." when a step failed, else NULL */
};

/* One row of the timeline: what one identity on one repository is set
 * to for each Devopness status, by the hooks that post it. */
struct lane {
	char *key;              /* redacted "identity on repository" */
	char *identity, *repo;  /* the two parts, redacted */
	char *state[ST_COUNT];  /* "success", or "pending / success" */
	int cls[ST_COUNT];      /* enum state_class (rules.h) of the last
				   one; -1 none */
	bool conflict[ST_COUNT];
};

struct report {
	const struct options *o;
	char *path[F_COUNT];    /* final names */
	char *tmp[F_COUNT];     /* temporary names beside them */
	FILE *f[F_COUNT];
	FILE *md_body, *html_body;      /* per-hook sections, copied at end */
	bool json_pipeline, json_item;
	bool failed;            /* a write failed */
	bool ended;
	struct target *targets;
	size_t ntargets;
	bool any_net;
	struct lane *lanes;
	size_t nlanes;
	bool lanes_truncated;
	int section;            /* HTML ids */
};

/* --- small output helpers --- */

static char *red(const char *s)
{
	return redact_text(s ? s : "");
}

static void html(FILE *out, const char *s)
{
	report_put_xml(out, s);
}

static void html_red(FILE *out, const char *s)
{
	char *r = red(s);

	report_put_xml(out, r);
	free(r);
}

static const char *str_or(const char *s, const char *dflt)
{
	return s && *s ? s : dflt;
}

/* --- environment --- */

static char *generated_at(void)
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	time_t t = sde && *sde ? (time_t)strtoll(sde, NULL, 10) : time(NULL);
	struct tm tm;
	char buf[32];

	if (!gmtime_r(&t, &tm) ||
	    !strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm))
		return xstrdup("unknown");
	return xstrdup(buf);
}

static cJSON *versions_json(void)
{
	cJSON *v = cJSON_CreateObject();

	cJSON_AddStringToObject(v, "hookdoctor", HD_VERSION);
	cJSON_AddStringToObject(v, "libcurl", str_or(net_curl_version(NULL), "?"));
	cJSON_AddStringToObject(v, "openssl", str_or(openssl_version(NULL), "?"));
	cJSON_AddStringToObject(v, "pcre2", hd_regex_version());
	cJSON_AddStringToObject(v, "cjson", cJSON_Version());
	return v;
}

static cJSON *system_json(void)
{
	cJSON *s = cJSON_CreateObject();
	struct utsname u;

	if (uname(&u) == 0) {
		cJSON_AddStringToObject(s, "os", u.sysname);
		cJSON_AddStringToObject(s, "release", u.release);
		cJSON_AddStringToObject(s, "machine", u.machine);
	} else {
		cJSON_AddStringToObject(s, "os", "unknown");
	}
	return s;
}

/* Is this option's argument a secret as a whole? (--api-token, and any
 * option named like a token, key, password or secret.) */
static bool secret_option(const char *name, size_t n)
{
	char *nm = xstrndup(name, n);
	bool secret = redact_is_secret_key(nm) || strstr(nm, "token") ||
		      strstr(nm, "password") || strstr(nm, "secret");

	/* The token *files* are names of files, not secrets. */
	if (strstr(nm, "-file"))
		secret = false;
	free(nm);
	return secret;
}

/* One argument, redacted: URLs through redact_url, --var values whose
 * variable is a secret masked, free text through redact_text. */
static char *redact_arg(const char *arg, bool whole_secret, bool is_var)
{
	const char *eq;

	if (whole_secret)
		return redact_mask(arg, strlen(arg));
	if (is_var && (eq = strchr(arg, '='))) {
		const char *leaf = eq;
		char *path = xstrndup(arg, (size_t)(eq - arg)), *out, *v;

		while (leaf > arg && leaf[-1] != '.')
			leaf--;
		{
			char *last = xstrndup(leaf, (size_t)(eq - leaf));

			v = redact_is_secret_key(last) || strstr(last, "token")
			    ? redact_mask(eq + 1, strlen(eq + 1))
			    : redact_arg(eq + 1, false, false);
			free(last);
		}
		out = xasprintf("%s=%s", path, v);
		free(path);
		free(v);
		return out;
	}
	if (strstr(arg, "://") && !strpbrk(arg, " \t"))
		return redact_url(arg);
	return redact_text(arg);
}

/* The command line as given, each argument redacted. */
static cJSON *argv_json(const struct options *o)
{
	cJSON *a = cJSON_CreateArray();
	bool next_secret = false, next_var = false;

	for (int i = 1; o->argv && i < o->argc; i++) {
		const char *arg = o->argv[i];
		char *r;

		if (!next_secret && !next_var && arg[0] == '-' && arg[1] == '-' &&
		    arg[2]) {
			const char *nm = arg + 2, *eq = strchr(nm, '=');
			size_t n = eq ? (size_t)(eq - nm) : strlen(nm);
			bool secret = secret_option(nm, n);
			bool var = n == 3 && strncmp(nm, "var", 3) == 0;

			if (eq) {
				char *v = redact_arg(eq + 1, secret, var);

				r = xasprintf("--%.*s=%s", (int)n, nm, v);
				free(v);
			} else {
				r = xstrdup(arg);
				next_secret = secret;
				next_var = var;
			}
		} else {
			r = redact_arg(arg, next_secret, next_var);
			next_secret = next_var = false;
		}
		cJSON_AddItemToArray(a, cJSON_CreateString(r));
		free(r);
	}
	return a;
}

/* Which of the variables hookdoctor reads are set (never their values,
 * except proxies, shown redacted). */
static cJSON *env_json(void)
{
	static const char *const secret[] = {
		"DEVOPNESS_API_TOKEN", "HOOKDOCTOR_PROVIDER_TOKEN",
	};
	static const char *const plain[] = {
		"DEVOPNESS_API_URL", "HTTPS_PROXY", "https_proxy", "NO_PROXY",
		"no_proxy", "NO_COLOR", "HOOKDOCTOR_DATADIR",
	};
	cJSON *e = cJSON_CreateObject();

	for (size_t i = 0; i < sizeof(secret) / sizeof(secret[0]); i++)
		cJSON_AddStringToObject(e, secret[i], getenv(secret[i])
					? "set (not shown)" : "not set");
	for (size_t i = 0; i < sizeof(plain) / sizeof(plain[0]); i++) {
		const char *v = getenv(plain[i]);
		char *r;

		if (!v)
			continue;
		r = strstr(v, "://") ? redact_url(v) : redact_text(v);
		cJSON_AddStringToObject(e, plain[i], r);
		free(r);
	}
	return e;
}

static cJSON *options_json(const struct options *o)
{
	static const char *const formats[] = {"text", "json", "markdown",
					      "junit", "sarif"};
	cJSON *j = cJSON_CreateObject();
	char *s;

	cJSON_AddItemToObject(j, "argv", argv_json(o));
	s = red(o->file ? o->file : "");
	cJSON_AddStringToObject(j, "file", s);
	free(s);
	cJSON_AddBoolToObject(j, "offline", o->offline);
	cJSON_AddBoolToObject(j, "strict", o->strict);
	cJSON_AddStringToObject(j, "format", formats[o->format]);
	cJSON_AddNumberToObject(j, "timeout", o->timeout);
	if (o->only)
		cJSON_AddStringToObject(j, "only", o->only);
	if (o->skip)
		cJSON_AddStringToObject(j, "skip", o->skip);
	cJSON_AddItemToObject(j, "environment", env_json());
	return j;
}

/* --- per hook: redacted copies --- */

static cJSON *hook_json(const struct hook *h)
{
	cJSON *copy;

	if (!h || !h->json)
		return cJSON_CreateNull();
	copy = cJSON_Duplicate(h->json, true);
	redact_json(copy);
	return copy;
}

/* The requests, through render_out.c (--as json or --as http). */
static char *requests_text(const struct analysis *a, enum hd_render_as as)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);

	if (!mem)
		return xstrdup("");
	render_out_begin(mem, as);
	for (size_t i = 0; i < a->nreq; i++)
		render_out_request(mem, as, a, &a->req[i]);
	render_out_end(mem, as);
	fclose(mem);
	return buf ? buf : xstrdup("");
}

static cJSON *requests_json(const struct analysis *a)
{
	char *text = requests_text(a, AS_JSON);
	cJSON *arr = cJSON_Parse(text);

	free(text);
	return arr ? arr : cJSON_CreateArray();
}

static void add_str(cJSON *o, const char *key, const char *v)
{
	char *r;

	if (!v) {
		cJSON_AddNullToObject(o, key);
		return;
	}
	r = red(v);
	cJSON_AddStringToObject(o, key, r);
	free(r);
}

static void add_ms(cJSON *o, const char *key, double ms)
{
	if (ms < 0)
		cJSON_AddNullToObject(o, key);
	else
		cJSON_AddNumberToObject(o, key, (double)(long)(ms * 10) / 10);
}

static const char *step_name(enum net_step s)
{
	static const char *const n[] = {"none", "url", "dns", "connect",
					"tls", "http"};

	return (int)s >= 0 && s <= STEP_HTTP ? n[s] : "unknown";
}

static cJSON *cert_json(const struct net_cert *c)
{
	cJSON *j = cJSON_CreateObject(), *sans = cJSON_CreateArray();

	add_str(j, "subject", c->subject);
	add_str(j, "issuer", c->issuer);
	add_str(j, "not_before", c->not_before);
	add_str(j, "not_after", c->not_after);
	cJSON_AddNumberToObject(j, "days_left", (double)c->days_left);
	cJSON_AddBoolToObject(j, "expired", c->expired);
	cJSON_AddBoolToObject(j, "self_signed", c->self_signed);
	add_str(j, "sha256", c->sha256);
	for (size_t i = 0; i < c->nsans; i++) {
		char *r = red(c->sans[i]);

		cJSON_AddItemToArray(sans, cJSON_CreateString(r));
		free(r);
	}
	cJSON_AddItemToObject(j, "sans", sans);
	return j;
}

static cJSON *net_json(const struct net_result *n)
{
	cJSON *j, *addrs, *certs;
	char *u;

	if (!n)
		return cJSON_CreateNull();
	j = cJSON_CreateObject();
	u = redact_url(n->url ? n->url : "");
	cJSON_AddStringToObject(j, "url", u);
	free(u);
	add_str(j, "host", n->host);
	cJSON_AddNumberToObject(j, "port", n->port);
	cJSON_AddStringToObject(j, "failed_step", step_name(n->failed));
	add_str(j, "url_error", n->url_error);
	add_ms(j, "dns_ms", n->t_dns);
	add_ms(j, "connect_ms", n->t_connect);
	add_ms(j, "tls_ms", n->t_tls);
	add_ms(j, "first_byte_ms", n->t_first_byte);
	add_ms(j, "total_ms", n->t_total);
	add_str(j, "dns_error", n->dns_error);
	addrs = cJSON_AddArrayToObject(j, "addresses");
	for (size_t i = 0; i < n->naddrs; i++) {
		cJSON *a = cJSON_CreateObject();

		cJSON_AddStringToObject(a, "address", n->addrs[i].text);
		cJSON_AddStringToObject(a, "class",
					net_addr_class_name(n->addrs[i].cls));
		cJSON_AddItemToArray(addrs, a);
	}
	add_str(j, "connect_error", n->connect_error);
	add_str(j, "connected_ip", n->connected_ip);
	cJSON_AddBoolToObject(j, "tls_attempted", n->tls_attempted);
	cJSON_AddBoolToObject(j, "tls_ok", n->tls_ok);
	add_str(j, "tls_error", n->tls_error);
	add_str(j, "tls_version", n->tls_version);
	add_str(j, "tls_cipher", n->tls_cipher);
	cJSON_AddBoolToObject(j, "chain_ok", n->chain_ok);
	add_str(j, "chain_error", n->chain_error);
	add_str(j, "chain_path", n->chain_path);
	cJSON_AddBoolToObject(j, "hostname_ok", n->hostname_ok);
	certs = cJSON_AddArrayToObject(j, "certificates");
	for (size_t i = 0; i < n->ncerts; i++)
		cJSON_AddItemToArray(certs, cert_json(&n->certs[i]));
	add_str(j, "http_method", n->http_method);
	if (n->http_url) {
		u = redact_url(n->http_url);
		cJSON_AddStringToObject(j, "http_url", u);
		free(u);
	} else {
		cJSON_AddNullToObject(j, "http_url");
	}
	add_str(j, "http_version", n->http_version);
	if (n->http_ok)
		cJSON_AddNumberToObject(j, "http_status", (double)n->http_status);
	else
		cJSON_AddNullToObject(j, "http_status");
	add_str(j, "http_error", n->http_error);
	if (n->location) {
		u = redact_url(n->location);
		cJSON_AddStringToObject(j, "location", u);
		free(u);
	}
	return j;
}

static cJSON *finding_json(const struct finding *f)
{
	const struct check_def *d = f->def;
	cJSON *c = cJSON_CreateObject();

	cJSON_AddStringToObject(c, "id", d ? d->id : "HD???");
	cJSON_AddStringToObject(c, "name", d ? d->name : "?");
	cJSON_AddStringToObject(c, "status", check_status_name[f->status]);
	add_str(c, "message", f->message ? f->message : "");
	add_str(c, "hint", f->hint);
	cJSON_AddItemToObject(c, "evidence", report_evidence_json(f->evidence));
	if (d) {
		cJSON_AddStringToObject(c, "family", d->family);
		cJSON_AddStringToObject(c, "severity",
					check_status_name[d->severity]);
	}
	return c;
}

static bool is_history(const struct finding *f)
{
	return f->def && strcmp(f->def->family, "history") == 0;
}

/* Did the delivery history checks run (not all skipped or absent)? */
static bool history_ran(const struct finding *f, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (is_history(&f[i]) && f[i].status != CS_SKIP)
			return true;
	return false;
}

/* --- facts for the pictures --- */

static int classify(const struct provider *p, const char *state)
{
	if (!state || !*state)
		return SC_UNKNOWN;
	if (!p)
		return SC_OTHER;
	return (int)rules_state_class(p, state);
}

static void add_lanes(struct report *rp, const struct analysis *a)
{
	const char *repo = a->match.repo_key ? a->match.repo_key
			 : a->match.host ? a->match.host : "unknown repository";

	for (size_t i = 0; i < a->nprimary; i++) {
		const struct request *rq = &a->req[i];
		const char *id = rq->identity_set ? rq->identity
			       : a->provider ? a->provider->identity_default
					     : NULL;
		char *raw = xasprintf("%s on %s", id && *id ? id : "(none)", repo);
		char *key = red(raw);
		const char *shown_id = id && *id ? id : "(none)";
		struct lane *l = NULL;
		int st = (int)rq->status, cls;

		free(raw);
		for (size_t k = 0; k < rp->nlanes; k++)
			if (strcmp(rp->lanes[k].key, key) == 0)
				l = &rp->lanes[k];
		if (!l && rp->nlanes >= MAX_LANES) {
			rp->lanes_truncated = true;
			free(key);
			continue;
		}
		if (!l) {
			rp->lanes = xrealloc(rp->lanes, (rp->nlanes + 1) *
					     sizeof(*rp->lanes));
			l = &rp->lanes[rp->nlanes++];
			memset(l, 0, sizeof(*l));
			for (int s = 0; s < ST_COUNT; s++)
				l->cls[s] = -1;
			l->key = key;
			l->identity = red(shown_id);
			l->repo = red(repo);
		} else {
			free(key);
		}
		if (st < 0 || st >= ST_COUNT)
			continue;
		cls = classify(a->provider, rq->state);
		/* Without a provider's rules no state can be read: "?". */
		if (!a->provider && !rq->state) {
			free(l->state[st]);
			l->state[st] = xstrdup("?");
			l->cls[st] = SC_OTHER;
			continue;
		}
		if (l->state[st]) {
			char *r = red(rq->state ? rq->state : "(none)");

			if (!strstr(l->state[st], r)) {
				char *both = xasprintf("%s / %s", l->state[st], r);

				free(l->state[st]);
				l->state[st] = both;
				l->conflict[st] = true;
			}
			free(r);
		} else {
			l->state[st] = red(rq->state ? rq->state : "(none)");
		}
		l->cls[st] = cls;
	}
}

static void add_target(struct report *rp, const struct net_result *n)
{
	char *raw, *label;
	struct target *t;

	if (!n)
		return;
	rp->any_net = true;
	raw = xasprintf("%s://%s:%d", str_or(n->scheme, "?"),
			str_or(n->host, "?"), n->port);
	label = red(raw);
	free(raw);
	for (size_t i = 0; i < rp->ntargets; i++)
		if (strcmp(rp->targets[i].label, label) == 0) {
			free(label);
			return;
		}
	if (rp->ntargets >= MAX_TARGETS) {
		free(label);
		return;
	}
	rp->targets = xrealloc(rp->targets, (rp->ntargets + 1) *
			       sizeof(*rp->targets));
	t = &rp->targets[rp->ntargets++];
	t->label = label;
	t->t_dns = n->t_dns;
	t->t_connect = n->t_connect;
	t->t_tls = n->tls_attempted ? n->t_tls : -1;
	t->t_first_byte = n->t_first_byte;
	t->failed = NULL;
	if (n->failed != STEP_NONE) {
		const char *why = n->failed == STEP_DNS ? n->dns_error
				: n->failed == STEP_CONNECT ? n->connect_error
				: n->failed == STEP_TLS ? n->tls_error
				: n->failed == STEP_HTTP ? n->http_error
				: n->url_error;
		char *msg = xasprintf("%s failed: %s", step_name(n->failed),
				      str_or(why, "no detail"));

		t->failed = red(msg);
		free(msg);
	}
}

/* --- Markdown sections --- */

/* --- one writer for the Markdown and HTML sections ---
 *
 * The two human-readable files say the same things in two markups. Each
 * section below is written once, against this small writer, so the two
 * cannot drift apart: a table of label/value rows, a code block, a "none"
 * paragraph, a collapsible block. Cell text is escaped for the markup;
 * doc_red() redacts it first. */

struct doc {
	FILE *out;
	bool html;
};

static void doc_put(const struct doc *d, const char *s)
{
	if (d->html)
		report_put_xml(d->out, s);
	else
		report_put_md(d->out, s);
}

static void doc_red(const struct doc *d, const char *s)
{
	char *r = red(s);

	doc_put(d, r);
	free(r);
}

static void doc_url(const struct doc *d, const char *url)
{
	char *u = redact_url(url ? url : "");

	doc_put(d, u);
	free(u);
}

/* Literal text of our own (no markup characters, no secret). */
static void doc_lit(const struct doc *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void doc_lit(const struct doc *d, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(d->out, fmt, ap);
	va_end(ap);
}

static void doc_h3(const struct doc *d, const char *title)
{
	doc_lit(d, d->html ? "<h3>%s</h3>\n" : "### %s\n\n", title);
}

static void doc_none(const struct doc *d, const char *text)
{
	doc_lit(d, d->html ? "<p class=\"none\">%s</p>\n" : "%s\n\n", text);
}

static void doc_pre(const struct doc *d, const char *lang, const char *text)
{
	if (!d->html) {
		report_put_md_code(d->out, lang, text);
		return;
	}
	fputs("<pre>", d->out);
	report_put_xml(d->out, text);
	fputs("</pre>\n", d->out);
}

/* A titled block of preformatted text, or `none` when text is empty: an
 * h3 and a code block in Markdown, a collapsed <details> in HTML. */
static void doc_block(const struct doc *d, const char *title,
		      const char *lang, const char *text, const char *none)
{
	if (d->html)
		doc_lit(d, "<details><summary>%s</summary>\n", title);
	else
		doc_h3(d, title);
	if (text && *text)
		doc_pre(d, lang, text);
	else
		doc_none(d, none);
	if (d->html)
		fputs("</details>\n", d->out);
}

/* Tables: header cells given as one "a|b|c" string of our own. */
static void doc_table(const struct doc *d, const char *heads)
{
	size_t ncols = 1;

	if (d->html) {
		fputs("<table><tr><th>", d->out);
		for (const char *p = heads; *p; p++)
			if (*p == '|')
				fputs("</th><th>", d->out);
			else
				fputc(*p, d->out);
		fputs("</th></tr>\n", d->out);
		return;
	}
	fputs("| ", d->out);
	for (const char *p = heads; *p; p++) {
		if (*p != '|') {
			fputc(*p, d->out);
			continue;
		}
		ncols++;
		fputs(" | ", d->out);
	}
	fputs(" |\n|", d->out);
	while (ncols--)
		fputs("---|", d->out);
	fputc('\n', d->out);
}

static void doc_row(const struct doc *d)
{
	fputs(d->html ? "<tr><td>" : "| ", d->out);
}

static void doc_cell(const struct doc *d)
{
	fputs(d->html ? "</td><td>" : " | ", d->out);
}

static void doc_row_end(const struct doc *d)
{
	fputs(d->html ? "</td></tr>\n" : " |\n", d->out);
}

static void doc_table_end(const struct doc *d)
{
	fputs(d->html ? "</table>\n" : "\n", d->out);
}

/* A "label | value" row whose value the caller writes next. */
static void doc_label(const struct doc *d, const char *label)
{
	doc_row(d);
	doc_lit(d, "%s", label);
	doc_cell(d);
}

static void doc_error(const struct doc *d, const char *err)
{
	if (err) {
		doc_lit(d, " \xe2\x80\x94 ");   /* em dash */
		doc_red(d, err);
	}
}

static void doc_ms(const struct doc *d, const char *what, double ms)
{
	if (ms >= 0)
		doc_lit(d, " %s %.1f ms", what, ms);
}

static void doc_net(const struct doc *d, const struct net_result *n,
		    bool offline)
{
	doc_h3(d, "Network and TLS");
	if (!n) {
		doc_none(d, offline ? "Not measured (offline)." : "Not measured.");
		return;
	}
	doc_table(d, "step|result");
	doc_label(d, "target");
	doc_url(d, n->url);
	doc_row_end(d);
	doc_label(d, "DNS");
	doc_lit(d, "%s", n->dns_ok || n->ip_literal ? "ok" : "failed");
	doc_ms(d, "in", n->t_dns);
	for (size_t i = 0; i < n->naddrs; i++) {
		doc_lit(d, "%s", i ? ", " : ": ");
		doc_put(d, n->addrs[i].text);
		doc_lit(d, " (%s)", net_addr_class_name(n->addrs[i].cls));
	}
	doc_error(d, n->dns_error);
	doc_row_end(d);
	if (n->t_connect >= 0 || n->connect_error) {
		doc_label(d, "connect");
		doc_lit(d, "%s", n->connect_ok ? "ok" : "failed");
		doc_ms(d, "in", n->t_connect);
		doc_error(d, n->connect_error);
		doc_row_end(d);
	}
	if (n->tls_attempted) {
		doc_label(d, "TLS");
		doc_lit(d, "%s", n->tls_ok ? "ok" : "failed");
		doc_ms(d, "in", n->t_tls);
		if (n->tls_version) {
			doc_lit(d, ", ");
			doc_red(d, n->tls_version);
		}
		if (n->tls_cipher) {
			doc_lit(d, " ");
			doc_red(d, n->tls_cipher);
		}
		doc_lit(d, "; chain %s", n->chain_ok ? "verified" : "not verified");
		if (n->chain_error) {
			doc_lit(d, " (");
			doc_red(d, n->chain_error);
			doc_lit(d, ")");
		}
		doc_lit(d, "; hostname %s", n->hostname_ok ? "matches"
							   : "does not match");
		doc_error(d, n->tls_error);
		doc_row_end(d);
	}
	if (n->http_method || n->http_error) {
		doc_label(d, "HTTP");
		doc_red(d, str_or(n->http_method, "GET"));
		doc_lit(d, " ");
		if (n->http_url)
			doc_url(d, n->http_url);
		if (n->http_ok)
			doc_lit(d, " \xe2\x86\x92 %ld", n->http_status);  /* → */
		doc_ms(d, ", first byte in", n->t_first_byte);
		doc_error(d, n->http_error);
		doc_row_end(d);
	}
	doc_table_end(d);
	if (!n->ncerts)
		return;
	doc_lit(d, d->html ? "<p>Certificates (leaf first):</p>\n"
			   : "Certificates (leaf first):\n\n");
	doc_table(d, "subject|issuer|valid from|valid until|days left");
	for (size_t i = 0; i < n->ncerts; i++) {
		const struct net_cert *c = &n->certs[i];

		doc_row(d);
		doc_red(d, c->subject);
		doc_cell(d);
		doc_red(d, c->issuer);
		doc_cell(d);
		doc_red(d, c->not_before);
		doc_cell(d);
		doc_red(d, c->not_after);
		doc_cell(d);
		doc_lit(d, "%ld%s", c->days_left, c->expired ? " (expired)" : "");
		doc_row_end(d);
	}
	doc_table_end(d);
}

static const char *html_mark(enum check_status st)
{
	static const char *const m[] = {
		"<span class=\"c-pass\">\xe2\x9c\x93 pass</span>",
		"<span class=\"c-warn\">! warn</span>",
		"<span class=\"c-fail\">\xe2\x9c\x97 fail</span>",
		"<span class=\"c-skip\">\xe2\x80\x93 skip</span>",
	};

	return m[st];
}

static void doc_history(const struct doc *d, const struct analysis *a,
			const struct finding *f, size_t n)
{
	doc_h3(d, "Delivery history");
	if (!a->api || !history_ran(f, n)) {
		doc_none(d, "Not fetched: the delivery history needs --pipeline "
			 "and a Devopness API token, and the network.");
		return;
	}
	for (size_t i = 0; i < n; i++) {
		char *ev;

		if (!is_history(&f[i]))
			continue;
		if (d->html)
			doc_lit(d, "<p>%s <b>%s %s</b>: ", html_mark(f[i].status),
				f[i].def->id, f[i].def->name);
		else
			doc_lit(d, "- **%s %s** (%s): ", f[i].def->id,
				f[i].def->name, check_status_name[f[i].status]);
		doc_red(d, f[i].message);
		doc_lit(d, d->html ? "</p>\n" : "\n");
		ev = report_evidence_text(f[i].evidence);
		if (*ev) {
			if (!d->html)
				fputc('\n', d->out);
			doc_pre(d, "", ev);
		}
		free(ev);
	}
	if (!d->html)
		fputc('\n', d->out);
}

/* What follows the findings in a hook's section: the hook, its rendered
 * requests, the network facts and the delivery history. */
static void doc_hook_body(const struct doc *d, const struct report *rp,
			  const struct analysis *a, const struct finding *f,
			  size_t n)
{
	cJSON *hj = hook_json(a->hook);
	char *printed = cJSON_Print(hj), *reqs = requests_text(a, AS_HTTP);
	char *text = report_json_visible(printed);

	cJSON_free(printed);
	doc_block(d, "The hook (redacted)", "json", text, "");
	doc_block(d, "Rendered requests (redacted)", "http", reqs,
		  "None: the hook fires on no status.");
	free(text);
	cJSON_Delete(hj);
	free(reqs);
	doc_net(d, a->net, rp->o->offline);
	doc_history(d, a, f, n);
}

static void md_hook(struct report *rp, const struct analysis *a,
		    const struct finding *f, size_t n)
{
	const struct doc d = {rp->md_body, false};

	report_md_hook_heading(d.out, a);
	fputs("### Findings\n\n", d.out);
	report_md_findings(d.out, NULL, f, n);
	doc_hook_body(&d, rp, a, f, n);
}

/* --- HTML sections --- */

static const char html_style[] =
	"body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;"
	"margin:0;color:#1d2430;background:#f6f7f9}"
	"main{max-width:1100px;margin:0 auto;padding:24px}"
	"h1{font-size:26px;margin:0 0 4px}h2{font-size:20px;margin:28px 0 8px;"
	"border-bottom:1px solid #d8dde4;padding-bottom:4px}"
	"h3{font-size:16px;margin:18px 0 6px}"
	".meta{color:#5b6573;margin:0 0 16px}"
	".card{background:#fff;border:1px solid #d8dde4;border-radius:8px;"
	"padding:14px 18px;margin:12px 0}"
	".counts span{display:inline-block;padding:3px 10px;margin-right:6px;"
	"border-radius:12px;font-weight:600}"
	".c-pass{background:#e3f4e6;color:#1d6b2c}.c-warn{background:#fff3d6;"
	"color:#7a5200}.c-fail{background:#fde3e1;color:#a1261b}"
	".c-skip{background:#eceff3;color:#4a5562}"
	"table{border-collapse:collapse;width:100%;margin:6px 0 10px}"
	"th,td{text-align:left;padding:5px 8px;border-bottom:1px solid #e6e9ee;"
	"vertical-align:top}th{background:#f0f2f5;font-weight:600}"
	"td.mark{width:64px;font-weight:700;white-space:nowrap}"
	"td.id{width:60px;font-family:ui-monospace,monospace}td.nm{white-space:nowrap}"
	".fix{color:#5b6573;font-size:13px;margin-top:2px}"
	"pre{background:#0f1720;color:#e6edf3;padding:10px 12px;border-radius:6px;"
	"overflow:auto;font-size:12.5px;white-space:pre-wrap;word-break:break-all}"
	"details{margin:6px 0}summary{cursor:pointer;font-weight:600}"
	"svg text{font-family:system-ui,sans-serif}"
	".none{color:#5b6573;font-style:italic}";

static void html_findings(FILE *out, const struct finding *f, size_t n)
{
	fputs("<table><tr><th>result</th><th>check</th><th>name</th>"
	      "<th>message</th></tr>\n", out);
	for (size_t i = 0; i < n; i++) {
		const struct check_def *d = f[i].def;

		fprintf(out, "<tr><td class=\"mark\">%s</td><td class=\"id\">%s"
			"</td><td class=\"nm\">%s</td><td>", html_mark(f[i].status),
			d ? d->id : "HD???", d ? d->name : "?");
		html_red(out, f[i].message);
		if (f[i].hint && *f[i].hint &&
		    (f[i].status == CS_FAIL || f[i].status == CS_WARN)) {
			fputs("<div class=\"fix\">fix: ", out);
			html_red(out, f[i].hint);
			fputs("</div>", out);
		}
		fputs("</td></tr>\n", out);
	}
	fputs("</table>\n", out);
}

static void html_hook(struct report *rp, const struct analysis *a,
		      const struct finding *f, size_t n)
{
	const struct doc d = {rp->html_body, true};
	FILE *out = d.out;
	const struct hook *h = a->hook;

	fprintf(out, "<section class=\"card\" id=\"s%d\">\n<h2>Hook ",
		rp->section++);
	if (h && h->name)
		html_red(out, h->name);
	else
		fprintf(out, "#%d (unnamed)", h ? h->index : 0);
	fputs("</h2>\n<p class=\"meta\">", out);
	html_red(out, h && h->source ? h->source : "");
	fputs(" · provider: ", out);
	html(out, a->provider ? str_or(a->provider->title, a->provider->name)
			      : "not recognised");
	fputs(" · fires on: ", out);
	{
		char *w = report_fires_on(a);

		html(out, w);
		free(w);
	}
	fputs("</p>\n", out);
	html_findings(out, f, n);
	doc_hook_body(&d, rp, a, f, n);
	fputs("</section>\n", out);
}

/* The waterfall: per target, DNS, connect, TLS and first byte one after
 * the other on a shared time scale. */
static void html_waterfall(FILE *out, const struct report *rp)
{
	static const char *const colors[] = {"#5b8def", "#3fae6a", "#e0a526",
					     "#d2553f"};
	static const char *const names[] = {"DNS", "connect", "TLS",
					    "first byte"};
	const int left = 280, width = 640, row = 30, top = 34;
	double max = 1;
	int h;

	fputs("<h2>Timing</h2>\n", out);
	if (!rp->any_net) {
		fprintf(out, "<p class=\"none\">Not measured%s: no network step "
			"ran.</p>\n", rp->o->offline ? " (offline)" : "");
		return;
	}
	for (size_t i = 0; i < rp->ntargets; i++) {
		const struct target *t = &rp->targets[i];
		double sum = 0, steps[4] = {t->t_dns, t->t_connect, t->t_tls,
					    t->t_first_byte};

		for (int k = 0; k < 4; k++)
			if (steps[k] > 0)
				sum += steps[k];
		if (sum > max)
			max = sum;
	}
	h = top + (int)rp->ntargets * row + 30;
	fprintf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
		"height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" "
		"aria-label=\"timing waterfall\">\n", left + width + 100, h,
		left + width + 100, h);
	for (int k = 0; k < 4; k++)
		fprintf(out, "<rect x=\"%d\" y=\"6\" width=\"12\" height=\"12\" "
			"fill=\"%s\"/><text x=\"%d\" y=\"16\" font-size=\"12\">%s"
			"</text>\n", left + k * 110, colors[k], left + k * 110 + 16,
			names[k]);
	for (size_t i = 0; i < rp->ntargets; i++) {
		const struct target *t = &rp->targets[i];
		double steps[4] = {t->t_dns, t->t_connect, t->t_tls,
				   t->t_first_byte};
		double x = left, total = 0;
		int y = top + (int)i * row;

		fprintf(out, "<text x=\"4\" y=\"%d\" font-size=\"12\">", y + 15);
		html(out, t->label);
		fputs("</text>\n", out);
		for (int k = 0; k < 4; k++) {
			double w;

			if (steps[k] < 0)
				continue;
			w = steps[k] / max * width;
			if (w < 1)
				w = 1;
			fprintf(out, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" "
				"height=\"18\" fill=\"%s\"><title>%s %.1f ms"
				"</title></rect>\n", x, y + 2, w, colors[k],
				names[k], steps[k]);
			x += w;
			total += steps[k];
		}
		fprintf(out, "<text x=\"%.1f\" y=\"%d\" font-size=\"12\">", x + 6,
			y + 15);
		if (t->failed)
			html(out, t->failed);
		else
			fprintf(out, "%.1f ms", total);
		fputs("</text>\n", out);
	}
	fprintf(out, "<text x=\"%d\" y=\"%d\" font-size=\"11\" fill=\"#5b6573\">"
		"0 ms</text><text x=\"%d\" y=\"%d\" font-size=\"11\" "
		"fill=\"#5b6573\" text-anchor=\"end\">%.0f ms</text>\n", left,
		h - 8, left + width, h - 8, max);
	fputs("</svg>\n", out);
}

/* Writes s escaped, cut to at most max characters with an ellipsis (in
 * code points, so UTF-8 is never split). */
static void put_clipped(FILE *out, const char *s, size_t max)
{
	size_t n = 0, i = 0;

	for (; s[i]; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80 && ++n > max)
			break;
	if (!s[i]) {
		html(out, s);
		return;
	}
	{
		char *cut = xstrndup(s, i);

		html(out, cut);
		fputs("\xe2\x80\xa6", out);
		free(cut);
	}
}

/* The timeline: per identity, the state posted at each Devopness status. */
static void html_timeline(FILE *out, const struct report *rp)
{
	/* Indexed by enum state_class: unknown, pending, success, failure,
	 * other. */
	static const char *const fill[] = {"#f6d0f0", "#fff3d6", "#e3f4e6",
					   "#fde3e1", "#eceff3"};
	static const char *const stroke[] = {"#a23b92", "#c99a2e", "#3fae6a",
					     "#d2553f", "#8a94a3"};
	const int left = 300, col = 112, row = 40, top = 30;
	int w = left + ST_COUNT * col + 10, h;

	fputs("<h2>Status timeline per identity</h2>\n", out);
	if (!rp->nlanes) {
		fputs("<p class=\"none\">No request was rendered.</p>\n", out);
		return;
	}
	fputs("<p class=\"meta\">What each status identity on each repository "
	      "is set to when the action reaches each Devopness status "
	      "(from the rendered requests). Green: success, red: failure or "
	      "error, yellow: pending, purple: a state the provider does not "
	      "accept; two states in a cell: hooks disagree.</p>\n", out);
	h = top + (int)rp->nlanes * row + 10;
	fprintf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
		"height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" "
		"aria-label=\"status timeline\">\n", w, h, w, h);
	for (int s = 0; s < ST_COUNT; s++)
		fprintf(out, "<text x=\"%d\" y=\"18\" font-size=\"12\" "
			"font-weight=\"600\" text-anchor=\"middle\">%s</text>\n",
			left + s * col + col / 2, hd_status_name[s]);
	for (size_t i = 0; i < rp->nlanes; i++) {
		const struct lane *l = &rp->lanes[i];
		int y = top + (int)i * row;

		fprintf(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
			"stroke=\"#c5ccd6\"/>\n", left, y + 16,
			left + ST_COUNT * col, y + 16);
		fputs("<g><title>", out);
		html(out, l->key);
		fprintf(out, "</title><text x=\"4\" y=\"%d\" font-size=\"13\" "
			"font-weight=\"600\">", y + 14);
		put_clipped(out, l->identity, 38);
		fprintf(out, "</text><text x=\"4\" y=\"%d\" font-size=\"11\" "
			"fill=\"#5b6573\">", y + 29);
		put_clipped(out, l->repo, 46);
		fputs("</text></g>\n", out);
		for (int s = 0; s < ST_COUNT; s++) {
			int c = l->cls[s];

			if (c < 0 || !l->state[s])
				continue;
			fprintf(out, "<rect x=\"%d\" y=\"%d\" width=\"%d\" "
				"height=\"26\" rx=\"6\" fill=\"%s\" stroke=\"%s\" "
				"stroke-width=\"%d\"/>\n", left + s * col + 4,
				y + 3, col - 8, fill[c], stroke[c],
				l->conflict[s] ? 3 : 1);
			fprintf(out, "<text x=\"%d\" y=\"%d\" font-size=\"12\" "
				"text-anchor=\"middle\">", left + s * col + col / 2,
				y + 20);
			html(out, l->state[s]);
			fputs("</text>\n", out);
		}
	}
	fputs("</svg>\n", out);
	if (rp->lanes_truncated)
		fprintf(out, "<p class=\"none\">Only the first %d identities are "
			"drawn.</p>\n", MAX_LANES);
}

/* --- files --- */

/* The temporary files being written, for the signal handler: a report
 * stopped by Ctrl-C (or TERM, HUP) leaves nothing beside PATH, and the
 * old report stays whole. Set once a file exists, cleared before its
 * name is freed. */
static char *volatile pending_tmp[F_COUNT];

static void remove_pending(int sig)
{
	for (int k = 0; k < F_COUNT; k++)
		if (pending_tmp[k])
			unlink(pending_tmp[k]);
	signal(sig, SIG_DFL);
	raise(sig);
}

static const int stop_signals[] = {SIGINT, SIGTERM, SIGHUP};

/* Installs remove_pending() (on) or what was there before (off). A
 * signal ignored from the start stays ignored (nohup, a background job
 * of a shell without job control). */
static void guard_pending(bool on)
{
	enum { N = sizeof(stop_signals) / sizeof(stop_signals[0]) };
	static struct sigaction before[N];
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = remove_pending;
	sigemptyset(&sa.sa_mask);
	for (int i = 0; i < N; i++) {
		if (on) {
			sigaction(stop_signals[i], NULL, &before[i]);
			if (before[i].sa_handler != SIG_IGN)
				sigaction(stop_signals[i], &sa, NULL);
		} else {
			sigaction(stop_signals[i], &before[i], NULL);
		}
	}
}

static void forget_tmp(struct report *rp, int k)
{
	pending_tmp[k] = NULL;
	free(rp->tmp[k]);
	rp->tmp[k] = NULL;
}

static int open_tmp(struct report *rp, int k)
{
	mode_t mask = umask(0);
	struct stat st;
	int fd;

	umask(mask);
	/* A directory in a report file's place would only be found when the
	 * files are renamed into place, after the others had replaced what
	 * was there: refused before anything is written. */
	if (stat(rp->path[k], &st) == 0 && S_ISDIR(st.st_mode)) {
		fprintf(stderr, "hookdoctor: cannot write '%s': it is a "
			"directory\n", rp->path[k]);
		return -1;
	}
	rp->tmp[k] = xasprintf("%s.tmp-XXXXXX", rp->path[k]);
	fd = mkstemp(rp->tmp[k]);
	if (fd < 0) {
		fprintf(stderr, "hookdoctor: cannot write '%s': %s\n",
			rp->path[k], strerror(errno));
		forget_tmp(rp, k);
		return -1;
	}
	pending_tmp[k] = rp->tmp[k];
	(void)fchmod(fd, 0666 & ~mask);
	rp->f[k] = fdopen(fd, "w");
	if (!rp->f[k]) {
		close(fd);
		return -1;
	}
	return 0;
}

/* Removes whatever temporary file is left. */
static void discard(struct report *rp)
{
	for (int k = 0; k < F_COUNT; k++) {
		if (rp->f[k])
			fclose(rp->f[k]);
		rp->f[k] = NULL;
		if (rp->tmp[k])
			unlink(rp->tmp[k]);
		forget_tmp(rp, k);
	}
	if (rp->md_body)
		fclose(rp->md_body);
	if (rp->html_body)
		fclose(rp->html_body);
	rp->md_body = rp->html_body = NULL;
}

static bool copy_stream(FILE *from, FILE *to)
{
	char buf[8192];
	size_t n;

	if (fflush(from) != 0 || fseek(from, 0, SEEK_SET) != 0)
		return false;
	while ((n = fread(buf, 1, sizeof(buf), from)) > 0)
		if (fwrite(buf, 1, n, to) != n)
			return false;
	return !ferror(from);
}

/* Closes the three files and renames them into place. */
static int commit_files(struct report *rp)
{
	for (int k = 0; k < F_COUNT; k++) {
		FILE *f = rp->f[k];

		rp->f[k] = NULL;
		if (fflush(f) != 0 || ferror(f) || fsync(fileno(f)) != 0) {
			fprintf(stderr, "hookdoctor: cannot write '%s': %s\n",
				rp->path[k], strerror(errno));
			fclose(f);
			return -1;
		}
		if (fclose(f) != 0) {
			fprintf(stderr, "hookdoctor: cannot write '%s': %s\n",
				rp->path[k], strerror(errno));
			return -1;
		}
	}
	for (int k = 0; k < F_COUNT; k++) {
		if (rename(rp->tmp[k], rp->path[k]) != 0) {
			fprintf(stderr, "hookdoctor: cannot write '%s': %s\n",
				rp->path[k], strerror(errno));
			return -1;
		}
		forget_tmp(rp, k);
	}
	return 0;
}

/* --- the reporter --- */

static void put_json_item(struct report *rp, cJSON *item)
{
	char *text = cJSON_PrintUnformatted(item);
	char *shown = report_json_visible(text);

	fputs(rp->json_item ? ",\n" : "\n", rp->f[F_JSON]);
	rp->json_item = true;
	fputs(shown, rp->f[F_JSON]);
	free(shown);
	cJSON_free(text);
	cJSON_Delete(item);
}

static void rep_begin(struct reporter *r)
{
	struct report *rp = r->priv;
	cJSON *head = cJSON_CreateObject();
	char *when = generated_at(), *text, *p;
	FILE *md = rp->f[F_MD];
	cJSON *v, *sys, *opts;

	/* JSON: everything before "hooks". */
	cJSON_AddStringToObject(head, "report", "hookdoctor support report");
	cJSON_AddNumberToObject(head, "report_version", 1);
	cJSON_AddStringToObject(head, "generated", when);
	v = versions_json();
	sys = system_json();
	opts = options_json(rp->o);
	{
		cJSON *tool = cJSON_AddObjectToObject(head, "tool");

		cJSON_AddStringToObject(tool, "name", "hookdoctor");
		cJSON_AddStringToObject(tool, "version", HD_VERSION);
		cJSON_AddItemToObject(tool, "libraries", v);
	}
	cJSON_AddItemToObject(head, "system", sys);
	cJSON_AddItemToObject(head, "options", opts);
	text = cJSON_PrintUnformatted(head);
	/* Open the object again to append "hooks". */
	p = text ? strrchr(text, '}') : NULL;
	if (p)
		*p = '\0';
	fprintf(rp->f[F_JSON], "%s,\"hooks\":[", text ? text : "{");
	cJSON_free(text);

	/* Markdown header. */
	fprintf(md, "# hookdoctor support report\n\nGenerated %s by "
		"hookdoctor %s. Every secret is shown as `***` with a short "
		"SHA-256 fingerprint.\n\n", when, HD_VERSION);

	/* HTML head. */
	fprintf(rp->f[F_HTML], "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
		"<meta charset=\"utf-8\">\n<meta name=\"viewport\" "
		"content=\"width=device-width, initial-scale=1\">\n"
		"<title>hookdoctor support report</title>\n<style>%s</style>\n"
		"</head>\n<body>\n<main>\n<h1>hookdoctor support report</h1>\n"
		"<p class=\"meta\">Generated %s by hookdoctor %s. Every secret "
		"is shown as *** with a short SHA-256 fingerprint.</p>\n",
		html_style, when, HD_VERSION);
	free(when);
	rp->json_item = false;
	/* Keep head for the environment sections written at the end. */
	r->first = 0;
	rp->section = 0;
	cJSON_Delete(head);
}

/* obj[key] = ["completed","failed"]: the statuses in mask, in order. */
static void add_statuses(cJSON *obj, const char *key, unsigned mask)
{
	cJSON *list = cJSON_AddArrayToObject(obj, key);

	for (int s = 0; s < ST_COUNT; s++)
		if (mask & ST_BIT(s))
			cJSON_AddItemToArray(list, cJSON_CreateString(
				hd_status_name[s]));
}

static void rep_hook(struct reporter *r, const struct analysis *a,
		     const struct finding *f, size_t n)
{
	struct report *rp = r->priv;
	cJSON *hj = cJSON_CreateObject(), *checks, *hist;
	const struct hook *h = a->hook;

	for (size_t i = 0; i < n; i++) {
		if (f[i].status == CS_FAIL && !r->first_fail)
			r->first_fail = f[i].def;
		if (f[i].status == CS_WARN && !r->first_warn)
			r->first_warn = f[i].def;
	}
	/* JSON */
	add_str(hj, "name", h ? h->name : NULL);
	add_str(hj, "source", h ? h->source : NULL);
	if (a->provider)
		cJSON_AddStringToObject(hj, "provider", a->provider->name);
	else
		cJSON_AddNullToObject(hj, "provider");
	add_statuses(hj, "fires_on", a->firing.mask);
	if (a->cond_judged)
		add_statuses(hj, "fires_for_action", a->fires_for_action);
	cJSON_AddItemToObject(hj, "hook", hook_json(h));
	cJSON_AddItemToObject(hj, "requests", requests_json(a));
	checks = cJSON_AddArrayToObject(hj, "checks");
	for (size_t i = 0; i < n; i++)
		cJSON_AddItemToArray(checks, finding_json(&f[i]));
	cJSON_AddItemToObject(hj, "network", net_json(a->net));
	hist = cJSON_AddObjectToObject(hj, "delivery_history");
	cJSON_AddBoolToObject(hist, "fetched", a->api && history_ran(f, n));
	{
		cJSON *hc = cJSON_AddArrayToObject(hist, "checks");

		for (size_t i = 0; i < n; i++)
			if (is_history(&f[i]) && f[i].status != CS_SKIP)
				cJSON_AddItemToArray(hc, finding_json(&f[i]));
	}
	put_json_item(rp, hj);

	md_hook(rp, a, f, n);
	html_hook(rp, a, f, n);
	add_lanes(rp, a);
	add_target(rp, a->net);
}

static void rep_pipeline_begin(struct reporter *r)
{
	struct report *rp = r->priv;

	if (rp->json_pipeline)
		return;
	rp->json_pipeline = true;
	fputs(rp->json_item ? "\n],\"pipeline_checks\":[" : "],\"pipeline_checks\":[",
	      rp->f[F_JSON]);
	rp->json_item = false;
}

static void rep_pipeline(struct reporter *r, const struct group *g,
			 const struct finding *f, size_t n)
{
	struct report *rp = r->priv;
	cJSON *gj = cJSON_CreateObject(), *hooks, *checks;

	for (size_t i = 0; i < n; i++) {
		if (f[i].status == CS_FAIL && !r->first_fail)
			r->first_fail = f[i].def;
		if (f[i].status == CS_WARN && !r->first_warn)
			r->first_warn = f[i].def;
	}
	rep_pipeline_begin(r);
	add_str(gj, "repository", g->repo);
	if (g->provider)
		cJSON_AddStringToObject(gj, "provider", g->provider->name);
	else
		cJSON_AddNullToObject(gj, "provider");
	add_str(gj, "pipeline_id", g->pipeline_id);
	hooks = cJSON_AddArrayToObject(gj, "hooks");
	for (size_t i = 0; i < g->nmembers; i++) {
		char *nm = red(g->members[i].hook_name);

		cJSON_AddItemToArray(hooks, cJSON_CreateString(nm));
		free(nm);
	}
	checks = cJSON_AddArrayToObject(gj, "checks");
	for (size_t i = 0; i < n; i++)
		cJSON_AddItemToArray(checks, finding_json(&f[i]));
	put_json_item(rp, gj);

	report_md_group_heading(rp->md_body, g);
	report_md_findings(rp->md_body, NULL, f, n);

	fprintf(rp->html_body, "<section class=\"card\" id=\"s%d\">\n"
		"<h2>Repository ", rp->section++);
	html_red(rp->html_body, g->repo ? g->repo : "(unknown)");
	fprintf(rp->html_body, "</h2>\n<p class=\"meta\">%zu hook%s", g->nmembers,
		g->nmembers == 1 ? "" : "s");
	if (g->pipeline_id) {
		fputs(" of pipeline ", rp->html_body);
		html_red(rp->html_body, g->pipeline_id);
	}
	fputs("</p>\n", rp->html_body);
	html_findings(rp->html_body, f, n);
	fputs("</section>\n", rp->html_body);
}

/* Versions, system and the options used (redacted), in either markup. */
static void doc_environment(const struct doc *d, const struct report *rp)
{
	cJSON *v = versions_json(), *sys = system_json(),
	      *opts = options_json(rp->o), *e;
	cJSON *const parts[] = {v, sys};
	struct sbuf b = {0};
	cJSON *argv = cJSON_GetObjectItemCaseSensitive(opts, "argv");

	doc_lit(d, d->html ? "<h2>Environment</h2>\n" : "## Environment\n\n");
	doc_table(d, "what|value");
	for (size_t i = 0; i < sizeof parts / sizeof *parts; i++)
		for (e = parts[i]->child; e; e = e->next) {
			doc_row(d);
			doc_put(d, e->string);
			doc_cell(d);
			doc_put(d, e->valuestring);
			doc_row_end(d);
		}
	doc_table_end(d);
	doc_lit(d, d->html ? "<p>Options used (redacted):</p>\n"
			   : "Options used (redacted):\n\n");
	sbuf_add(&b, "hookdoctor");
	for (e = argv ? argv->child : NULL; e; e = e->next)
		sbuf_addf(&b, " %s", e->valuestring);
	sbuf_addc(&b, '\n');
	e = cJSON_GetObjectItemCaseSensitive(opts, "environment");
	for (e = e ? e->child : NULL; e; e = e->next)
		sbuf_addf(&b, "%s: %s\n", e->string, e->valuestring);
	doc_pre(d, "", b.s);
	sbuf_free(&b);
	cJSON_Delete(v);
	cJSON_Delete(sys);
	cJSON_Delete(opts);
}

static void rep_end(struct reporter *r, const struct summary *s)
{
	struct report *rp = r->priv;
	FILE *md = rp->f[F_MD], *ht = rp->f[F_HTML];
	const struct check_def *d = r->first_fail ? r->first_fail
						  : r->first_warn;
	bool ok;

	rep_pipeline_begin(r);
	fprintf(rp->f[F_JSON], "%s],\"summary\":{\"pass\":%lu,\"warn\":%lu,"
		"\"fail\":%lu,\"skip\":%lu,\"hooks\":%lu}}\n",
		rp->json_item ? "\n" : "", s->pass, s->warn, s->fail, s->skip,
		s->hooks);

	report_md_summary(md, r, s);
	fputc('\n', md);
	doc_environment(&(struct doc){md, false}, rp);
	ok = copy_stream(rp->md_body, md);

	fprintf(ht, "<section class=\"card\"><div class=\"counts\">"
		"<b>%lu hook%s checked:</b> <span class=\"c-pass\">%lu passed"
		"</span><span class=\"c-warn\">%lu warning%s</span>"
		"<span class=\"c-fail\">%lu failed</span><span class=\"c-skip\">"
		"%lu skipped</span></div>\n", s->hooks, s->hooks == 1 ? "" : "s",
		s->pass, s->warn, s->warn == 1 ? "" : "s", s->fail, s->skip);
	if (d)
		fprintf(ht, "<p>Next: run <code>hookdoctor explain %s</code> for "
			"the first %s (%s), fix it, and check again.</p>",
			d->id, r->first_fail ? "failure" : "warning", d->name);
	else
		fputs("<p>Next: nothing to fix.</p>", ht);
	fputs("</section>\n", ht);
	html_waterfall(ht, rp);
	html_timeline(ht, rp);
	doc_environment(&(struct doc){ht, true}, rp);
	ok = copy_stream(rp->html_body, ht) && ok;
	fputs("</main>\n</body>\n</html>\n", ht);
	if (!ok)
		rp->failed = true;
	rp->ended = true;
}

static void report_free(struct report *rp)
{
	for (int k = 0; k < F_COUNT; k++)
		free(rp->path[k]);
	for (size_t i = 0; i < rp->ntargets; i++) {
		free(rp->targets[i].label);
		free(rp->targets[i].failed);
	}
	free(rp->targets);
	for (size_t i = 0; i < rp->nlanes; i++) {
		free(rp->lanes[i].key);
		free(rp->lanes[i].identity);
		free(rp->lanes[i].repo);
		for (int s = 0; s < ST_COUNT; s++)
			free(rp->lanes[i].state[s]);
	}
	free(rp->lanes);
}

/* PATH without a .md, .json or .html the user may have given. */
static char *base_path(const char *p)
{
	size_t n = strlen(p);

	for (int k = 0; k < F_COUNT; k++) {
		size_t e = strlen(ext[k]);

		if (n > e && strcmp(p + n - e, ext[k]) == 0)
			return xstrndup(p, n - e);
	}
	return xstrdup(p);
}

static int report_run(const struct options *o)
{
	struct report rp;
	struct reporter rep;
	char *base;
	int rc;

	if (!o->output || !*o->output) {
		fputs("hookdoctor: report needs -o PATH (writes PATH.md, "
		      "PATH.json and PATH.html)\n", stderr);
		return 2;
	}
	memset(&rp, 0, sizeof(rp));
	rp.o = o;
	base = base_path(o->output);
	for (int k = 0; k < F_COUNT; k++)
		rp.path[k] = xasprintf("%s%s", base, ext[k]);
	free(base);
	for (int k = 0; k < F_COUNT; k++)
		if (open_tmp(&rp, k) < 0) {
			discard(&rp);
			report_free(&rp);
			return 2;
		}
	rp.md_body = tmpfile();
	rp.html_body = tmpfile();
	if (!rp.md_body || !rp.html_body) {
		fprintf(stderr, "hookdoctor: cannot make a temporary file: %s\n",
			strerror(errno));
		discard(&rp);
		report_free(&rp);
		return 3;
	}

	memset(&rep, 0, sizeof(rep));
	rep.out = NULL;
	rep.opts = o;
	rep.priv = &rp;
	rep.begin = rep_begin;
	rep.hook = rep_hook;
	rep.pipeline_begin = rep_pipeline_begin;
	rep.pipeline = rep_pipeline;
	rep.end = rep_end;

	rc = cmd_check_with(o, &rep);
	if (!rp.ended || rc > 1) {
		/* Bad input or an internal error: nothing is left behind. */
		discard(&rp);
		report_free(&rp);
		return rc ? rc : 3;
	}
	if (rp.failed || commit_files(&rp) < 0) {
		if (rp.failed)
			fputs("hookdoctor: cannot write the report\n", stderr);
		discard(&rp);
		report_free(&rp);
		return 3;
	}
	fclose(rp.md_body);
	fclose(rp.html_body);
	rp.md_body = rp.html_body = NULL;
	if (!o->quiet)
		printf("wrote %s, %s and %s\n", rp.path[F_MD], rp.path[F_JSON],
		       rp.path[F_HTML]);
	report_free(&rp);
	return rc;
}

int cmd_report(const struct options *o)
{
	int rc;

	guard_pending(true);
	rc = report_run(o);
	guard_pending(false);
	return rc;
}
